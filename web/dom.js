// Helpers the page's modules share: making elements, the plane ↔ canvas pixel mapping, the palette.
// Only `el` and `applyPalette` touch the document, and only when called (node --test imports this).

import { direction } from "./lang/text.js";

// Okabe & Ito's colour-blind-safe palette, in an order that keeps neighbouring classes apart. The
// CSS reads it as --c0 … --c5 (applyPalette), the canvases from here.
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"];

// The curves' colours: training like class 0, test like class 4 (as the chart key shows them).
export const TRAIN_COLOUR = PALETTE[0];
export const TEST_COLOUR = PALETTE[4];

// An element with an optional class and text (text only ever goes in through textContent).
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The canvas pixel (px right, py down) of the plane's (x1, x2) (x1 right, x2 up) on a
// width × height canvas showing [−extent, extent]².
// Words in the page's language drawn on a canvas, in the page's direction (the canvas itself reads
// left to right, for its numbers and axes: web/training/page.css); textAlign stays physical.
export function fillWords(ctx, text, x, y) {
  ctx.save();
  ctx.direction = direction();
  ctx.fillText(text, x, y);
  ctx.restore();
}

export function planeToPixel(x1, x2, extent, width, height = width) {
  return [((x1 + extent) / (2 * extent)) * width, ((extent - x2) / (2 * extent)) * height];
}

// The plane's (x1, x2) under a canvas pixel: planeToPixel's inverse.
export function pixelToPlane(px, py, extent, width, height = width) {
  return { x1: (px / width) * 2 * extent - extent, x2: extent - (py / height) * 2 * extent };
}

// Give the style sheets the palette as custom properties, so colours are declared here only.
export function applyPalette(root = document.documentElement) {
  PALETTE.forEach((colour, c) => root.style.setProperty(`--c${c}`, colour));
  root.style.setProperty("--train", TRAIN_COLOUR);
  root.style.setProperty("--test", TEST_COLOUR);
}

// One request to the worker in flight at a time, the latest wish kept: `ask()` starts `request`
// (a function returning a promise that handles its own answer) now, or once the one under way has
// ended, however many asks came meanwhile. `lastAsk`: performance.now() when one last started.
export class SingleFlight {
  constructor(request, clock = () => performance.now()) {
    this.request = request;
    this.clock = clock;
    this.busy = false;
    this.again = false;
    this.lastAsk = 0;
  }

  ask() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.lastAsk = this.clock();
    Promise.resolve()
      .then(this.request)
      .catch(() => {}) // the request reports its own failures
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.ask();
        }
      });
  }
}

// A maker of elements for `doc` (a stand-in document in node --test): h(tag, props, ...children),
// props: className, testid (data-testid), data ({…} → data-*), text, the properties value,
// checked, disabled, hidden, type, multiple, readOnly, colSpan and max, other keys as attributes
// (false, null and undefined left out). Text only ever goes in through textContent / text nodes.
const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "type", "multiple", "readOnly", "colSpan", "max"]);

export function elementMaker(doc) {
  return (tag, props = {}, ...children) => {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "testid") node.dataset.testid = value;
      else if (key === "data") for (const [name, item] of Object.entries(value)) node.dataset[name] = item;
      else if (key === "text") node.textContent = value;
      else if (PROPERTIES.has(key)) node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  };
}

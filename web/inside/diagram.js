// The network diagram: D inputs → the hidden units drawn → C outputs, top to bottom. Edges are
// red for a positive weight and blue for a negative one, as wide as |weight|; nodes show their
// values at the stepper's example; each hidden unit shows its picture: ReLU(s0_k) over the plane in
// 2-D, its 64 input weights as an 8×8 image for the digits. pynn chooses the units and computes
// every number (Session.network); the stepper (backprop.js) puts a stage in focus, whose parts are
// drawn strong, the rest faint, edges coloured by their gradient at the gradient stages.

import { PALETTE, SingleFlight, fillWords } from "../dom.js";
import { t } from "../lang/text.js";
import { hexToRgb } from "../training/boundary.js";
import { fmt } from "./inspect.js";
import { unitPixels } from "./hiddenunits.js";

const REFRESH_MS = 400; // while training, ask pynn for the weights at most this often
export const POSITIVE = [178, 24, 43];
export const NEGATIVE = [33, 102, 172];
const FAINT = 0.18; // opacity of the parts out of focus
const INK = "#1c2330";
const MUTED = "#5b6576";

// A diverging colour: white at 0, POSITIVE or NEGATIVE at |v| ≥ max.
export function diverging(v, max) {
  const t = max > 0 && Number.isFinite(v) ? Math.min(1, Math.abs(v) / max) : 0;
  const end = v >= 0 ? POSITIVE : NEGATIVE;
  return end.map((c) => Math.round(255 + t * (c - 255)));
}

// RGBA pixels of a rows×cols matrix stored row by row (shown transposed: cols×rows), diverging.
export function heatPixels(values, rows, cols, { transpose = false, max } = {}) {
  const top = max ?? maxAbs(values);
  const [outRows, outCols] = transpose ? [cols, rows] : [rows, cols];
  const out = new Uint8ClampedArray(4 * rows * cols);
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < outCols; c++) {
      const v = transpose ? values[c * cols + r] : values[r * cols + c];
      const [red, green, blue] = diverging(v, top);
      const i = 4 * (r * outCols + c);
      out[i] = red;
      out[i + 1] = green;
      out[i + 2] = blue;
      out[i + 3] = 255;
    }
  }
  return out;
}

// The largest |value| (0 for none): the scale of a heatmap or of a layer's edges.
export function maxAbs(values) {
  let top = 0;
  for (const v of values) if (Math.abs(v) > top) top = Math.abs(v);
  return top;
}

// Where the nodes go on a width × height canvas (CSS pixels): inputs on top (two circles, or the
// 8×8 image for the digits), the hidden units across the middle, the outputs at the bottom.
export function layout({ inputs, hidden, outputs, width, height }) {
  const image = inputs > 8; // the digits' 64 pixels: one image, not 64 nodes
  const across = (n, y) => {
    const slot = (width - 16) / Math.max(n, 1);
    return Array.from({ length: n }, (_, i) => ({ x: 8 + slot * (i + 0.5), y, slot }));
  };
  const hiddenY = Math.round(height * (image ? 0.52 : 0.47));
  const hiddenSlot = (width - 16) / Math.max(hidden, 1);
  const size = Math.max(12, Math.min(44, Math.floor(hiddenSlot * 0.8)));
  const imageSize = Math.min(88, Math.round(height * 0.28));
  return {
    image: image ? { x: width / 2 - imageSize / 2, y: 8, size: imageSize } : null,
    // the two inputs of the plane sit within 160 px of the middle, above the hidden units' centre
    input: image ? [] : across(inputs, 30).map((p) => ({ ...p, x: width / 2 + (p.x - width / 2) * Math.min(1, 160 / width) })),
    hidden: across(hidden, hiddenY).map((p) => ({ ...p, size })),
    output: across(outputs, height - 46).map((p) => ({ ...p, r: Math.max(7, Math.min(15, p.slot * 0.32)) })),
  };
}

export class NetworkDiagram {
  // kinds: the page table's `kinds` (an image data set's rows × columns of pixels).
  constructor({ canvas, note, caption, call, kinds }) {
    this.canvas = canvas;
    this.kinds = kinds;
    this.image = null; // the data set's image shape [rows, columns], null for points of the plane
    this.note = note;
    this.caption = caption; // what the focused stage shows in the diagram
    this.call = call;
    this.net = null; // Session.network's last answer
    this.focus = null; // { parts: Set, w0, w1, hidden, output, hiddenName, outputName } from the stepper
    this.asking = new SingleFlight(() => this.request());
    this.painting = false;
    this.pictures = []; // one offscreen canvas per drawn unit
    new ResizeObserver(() => this.paint()).observe(canvas);
  }

  // After every answer that changes the net: a configure, a chunk of training (which carries the
  // diagram's numbers when `wants` asked for them), an edit, an apply.
  update(message) {
    if (message.type === "configured") {
      this.net = null;
      this.focus = null;
      this.image = this.kinds[message.dataset]?.image ?? null;
    }
    if (message.type === "progress") {
      if (message.also?.network) this.take(message.also.network);
      return;
    }
    this.ask();
  }

  // What the next chunk of training should bring back for this panel (Session.run's `also`; `now`: whenever it was last asked).
  wants(now = false) {
    if (!now && performance.now() - this.asking.lastAsk <= REFRESH_MS) return null;
    this.asking.lastAsk = performance.now();
    return { network: {} };
  }

  take(net) {
    if (net.error) {
      this.note.textContent = t("inside.diagram.failed", { reason: net.error });
      return;
    }
    this.net = net;
    this.makePictures();
    this.describe();
    this.paint();
  }

  ask() {
    this.asking.ask();
  }

  request() {
    return this.call("network")
      .then((net) => this.take(net))
      .catch((error) => {
        if (error.kind !== "stopped") this.note.textContent = t("inside.diagram.failed", { reason: error.message });
      });
  }

  setFocus(focus) {
    this.focus = focus;
    this.caption.textContent = focus?.caption ?? "";
    this.paint();
  }

  describe() {
    const { D, H, C, units, index } = this.net;
    const shape = this.image?.join("×") ?? "";
    const edgesText = D === 2 ? t("inside.diagram.edges") : t("inside.diagram.edges.image", { inputs: D });
    const which = units.length < H
      ? t("inside.diagram.strongest", { shown: units.length, units: H })
      : H === 1 ? t("inside.units.one") : t("inside.units.all", { total: H });
    const pictures = D === 2 ? t("inside.diagram.pictures") : t("inside.diagram.pictures.image", { inputs: D, shape });
    const parts = { inputs: D, which, pictures, outputs: C, edges: edgesText };
    const text = index === null ? t("inside.diagram.note", parts) : t("inside.diagram.note.example", { ...parts, index: String(index) });
    if (this.note.textContent !== text) this.note.textContent = text; // no layout while it stays
    this.canvas.dataset.shown = String(units.length);
    this.canvas.dataset.hidden = String(H);
    this.canvas.dataset.units = Array.from(units).join(",");
    this.canvas.dataset.index = index === null ? "" : String(index);
  }

  // Each drawn unit's picture on a small offscreen canvas, kept while the count and size stay.
  makePictures(unitValues = null) {
    const { D, units, W0 } = this.net;
    const n = units.length;
    const size = D === 2 ? this.net.picture_size : 8;
    if (this.pictures.length !== n || this.pictures[0]?.width !== size) {
      this.pictures = Array.from({ length: n }, () => {
        const picture = document.createElement("canvas");
        picture.width = picture.height = size;
        return picture;
      });
    }
    for (let i = 0; i < n; i++) {
      const pixels = D === 2
        ? unitPixels(this.net.pictures, i * size * size, size * size, this.net.pictures_max[i])
        : heatPixels((unitValues ?? W0).subarray(i * D, (i + 1) * D), 8, 8);
      this.pictures[i].getContext("2d").putImageData(new ImageData(pixels, size, size), 0, 0);
    }
  }

  paint() {
    if (this.painting) return;
    this.painting = true;
    requestAnimationFrame(() => {
      this.painting = false;
      this.draw();
    });
  }

  draw() {
    const scene = this.scene();
    if (!scene) return;
    this.drawEdges(scene);
    const { ctx } = scene;
    ctx.font = "11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    this.drawInputs(scene);
    this.drawHidden(scene);
    this.drawOutputs(scene);
    ctx.globalAlpha = 1;
    this.canvas.dataset.paints = String(Number(this.canvas.dataset.paints || 0) + 1);
    this.canvas.dataset.focus = scene.focus ? [...scene.focus.parts].join(",") : "";
  }

  // The canvas cleared at the screen's resolution, and what every stage of draw() reads: the
  // layout, the focused stage, and the weights drawn (or the focused stage's values for them:
  // full H×D and C×H, row by row). Null when there is nothing to draw.
  scene() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return null;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    if (!this.net) return null;
    const net = this.net;
    const { D, C, units } = net;
    const n = units.length;
    const focus = this.focus;
    const w0 = (i, j) => (focus?.w0 ? focus.w0[units[i] * D + j] : net.W0[i * D + j]);
    const w1 = (c, i) => (focus?.w1 ? focus.w1[c * net.H + units[i]] : net.W1[c * n + i]);
    if (D !== 2 && focus?.w0) {
      this.makePictures(Float64Array.from({ length: n * D }, (_, k) => w0(Math.floor(k / D), k % D)));
    } else if (D !== 2) {
      this.makePictures();
    }
    return {
      ctx, net, D, C, units, n, focus, w0, w1,
      at: layout({ inputs: D, hidden: n, outputs: C, width, height }),
      strong: (part) => !focus || focus.parts.has(part),
      hasValues: net.x.length > 0,
    };
  }

  // The edges, first, so the nodes sit on top of them: width and opacity by |w|, colour by sign.
  drawEdges({ ctx, D, C, n, at, strong, w0, w1 }) {
    const edges = (part, count, from, to, weight, colour = null) => {
      let top = 0;
      for (let k = 0; k < count; k++) top = Math.max(top, Math.abs(weight(k)));
      ctx.globalAlpha = strong(part) ? 0.9 : FAINT;
      for (let k = 0; k < count; k++) {
        const w = weight(k);
        if (!(top > 0) || w === 0) continue;
        const t = Math.abs(w) / top;
        ctx.strokeStyle = colour ?? `rgb(${(w > 0 ? POSITIVE : NEGATIVE).join(",")})`;
        ctx.lineWidth = 0.4 + 3.6 * t;
        ctx.globalAlpha = (strong(part) ? 0.25 + 0.7 * t : FAINT * t);
        const [a, b] = [from(k), to(k)];
        ctx.beginPath();
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
        ctx.stroke();
      }
    };
    const hiddenTop = (i) => ({ x: at.hidden[i].x, y: at.hidden[i].y - at.hidden[i].size / 2 });
    // below the unit's value bar and number
    const hiddenBottom = (i) => ({ x: at.hidden[i].x, y: at.hidden[i].y + at.hidden[i].size / 2 + (at.hidden[i].slot >= 34 ? 20 : 7) });
    if (at.image) {
      // The digits: one bundle per unit from the image, as wide as ‖W0[k]‖ (the unit's picture shows the 64 weights).
      const bundle = (k) => {
        let sum = 0;
        for (let j = 0; j < D; j++) sum += w0(k, j) ** 2;
        return Math.sqrt(sum);
      };
      const { x, y, size } = at.image;
      edges("w0", n, (k) => ({ x: x + size * ((k + 0.5) / n), y: y + size }), hiddenTop, bundle, MUTED);
    } else {
      edges("w0", n * D, (k) => at.input[k % D], (k) => hiddenTop(Math.floor(k / D)), (k) => w0(Math.floor(k / D), k % D));
    }
    edges("w1", n * C, (k) => hiddenBottom(Math.floor(k / C)), (k) => at.output[k % C], (k) => w1(k % C, Math.floor(k / C)));
  }

  // The inputs: the digit's image, or x1 and x2 with their values.
  drawInputs({ ctx, net, at, strong, hasValues }) {
    ctx.globalAlpha = strong("input") ? 1 : FAINT + 0.2;
    if (at.image) {
      const { x, y, size } = at.image;
      if (hasValues) {
        const pixels = new Uint8ClampedArray(4 * 64);
        for (let j = 0; j < 64; j++) {
          const v = Math.round(255 * (1 - Math.min(1, Math.max(0, net.x[j]))));
          pixels.set([v, v, v, 255], 4 * j);
        }
        const image = document.createElement("canvas");
        image.width = image.height = 8;
        image.getContext("2d").putImageData(new ImageData(pixels, 8, 8), 0, 0);
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(image, x, y, size, size);
      }
      ctx.strokeStyle = INK;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, size - 1, size - 1);
      ctx.textAlign = "left";
      ctx.fillStyle = MUTED;
      fillWords(ctx, t("inside.diagram.pixels", { inputs: net.D }), x + size + 8, y + size / 2);
      ctx.textAlign = "center";
      return;
    }
    at.input.forEach((p, j) => {
      circle(ctx, p.x, p.y, 12, "#ffffff", INK);
      ctx.fillStyle = INK;
      ctx.fillText(`x${j + 1}`, p.x, p.y);
      if (hasValues) {
        ctx.fillStyle = MUTED;
        ctx.textAlign = j === 0 ? "right" : "left";
        ctx.fillText(fmt(net.x[j]), p.x + (j === 0 ? -18 : 18), p.y);
        ctx.textAlign = "center";
      }
    });
  }

  // The hidden units: the picture, and a bar of the unit's value (or of the stage's value for it).
  drawHidden({ ctx, net, D, units, n, at, focus, strong, hasValues }) {
    const hiddenValues = focus?.hidden ? (i) => focus.hidden[units[i]] : hasValues ? (i) => net.h0[i] : null;
    let hiddenTopValue = 0;
    if (hiddenValues) for (let i = 0; i < n; i++) hiddenTopValue = Math.max(hiddenTopValue, Math.abs(hiddenValues(i)));
    ctx.globalAlpha = strong("hidden") ? 1 : FAINT + 0.2;
    at.hidden.forEach((p, i) => {
      const s = p.size;
      ctx.imageSmoothingEnabled = D !== 2;
      ctx.drawImage(this.pictures[i], p.x - s / 2, p.y - s / 2, s, s);
      ctx.imageSmoothingEnabled = true;
      ctx.strokeStyle = INK;
      ctx.lineWidth = 1;
      ctx.strokeRect(p.x - s / 2 + 0.5, p.y - s / 2 + 0.5, s - 1, s - 1);
      if (hiddenValues) {
        const v = hiddenValues(i);
        const barWidth = hiddenTopValue > 0 ? (s * Math.abs(v)) / hiddenTopValue : 0;
        ctx.fillStyle = `rgb(${(v >= 0 ? POSITIVE : NEGATIVE).join(",")})`;
        if (!focus?.hidden) ctx.fillStyle = INK;
        ctx.fillRect(p.x - s / 2, p.y + s / 2 + 2, barWidth, 3);
        if (p.slot >= 34) {
          ctx.fillStyle = MUTED;
          ctx.fillText(fmt(v), p.x, p.y + s / 2 + 13);
        }
      }
      if (p.slot >= 26) {
        ctx.fillStyle = MUTED;
        ctx.fillText(String(units[i]), p.x, p.y - s / 2 - 8);
      }
    });
  }

  // The outputs: the class colour, filled by h1 (or the stage's value), the value beneath.
  drawOutputs({ ctx, net, at, focus, strong, hasValues }) {
    ctx.globalAlpha = strong("output") ? 1 : FAINT + 0.2;
    const outputValues = focus?.output ?? (hasValues ? net.h1 : null);
    at.output.forEach((p, c) => {
      const colour = hexToRgb(PALETTE[c % PALETTE.length]);
      circle(ctx, p.x, p.y, p.r, "#ffffff", `rgb(${colour.join(",")})`, 2);
      if (outputValues && !focus?.output) {
        ctx.globalAlpha *= Math.min(1, Math.max(0, outputValues[c]));
        circle(ctx, p.x, p.y, p.r - 2, `rgb(${colour.join(",")})`, null);
        ctx.globalAlpha = strong("output") ? 1 : FAINT + 0.2;
      }
      ctx.fillStyle = INK;
      ctx.fillText(String(c), p.x, p.y + p.r + 9);
      if (outputValues) {
        const v = outputValues[c];
        ctx.fillStyle = focus?.output ? `rgb(${(v >= 0 ? POSITIVE : NEGATIVE).join(",")})` : MUTED;
        if (p.slot >= 30) ctx.fillText(fmt(v), p.x, p.y + p.r + 22);
      }
    });
  }
}

function circle(ctx, x, y, r, fill, stroke, lineWidth = 1) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  if (fill) {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  if (stroke) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = lineWidth;
    ctx.stroke();
  }
}

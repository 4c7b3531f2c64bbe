// "Hidden units": one small picture per hidden unit k (the first 16), showing h0_k = ReLU(s0_k)
// over the plane, from one batched forward pass in pynn (Session.hidden_units). Redrawn while the
// net trains, at most a few times a second, so the pictures cost training little.

import { SingleFlight } from "../dom.js";
import { t, tn } from "../lang/text.js";

const REFRESH_MS = 300;
const INK = [28, 35, 48]; // the strongest activation; 0 is white

// RGBA pixels for one unit's picture: white at 0, INK at the picture's own maximum.
export function unitPixels(values, offset, count, max, out = new Uint8ClampedArray(4 * count)) {
  const scale = max > 0 ? 1 / max : 0;
  for (let i = 0; i < count; i++) {
    const t = Math.min(1, values[offset + i] * scale);
    out[4 * i] = Math.round(255 + t * (INK[0] - 255));
    out[4 * i + 1] = Math.round(255 + t * (INK[1] - 255));
    out[4 * i + 2] = Math.round(255 + t * (INK[2] - 255));
    out[4 * i + 3] = 255;
  }
  return out;
}

export class UnitsStrip {
  constructor({ root, call }) {
    this.root = root;
    this.call = call;
    this.strip = root.querySelector(".units-strip");
    this.caption = root.querySelector(".units-caption");
    this.asking = new SingleFlight(() => this.request());
    this.cells = [];
  }

  // After every answer that changes the net; a chunk of training carries the pictures when
  // `wants` asked for them.
  update(message) {
    if (message.type === "progress") {
      if (message.also?.hidden_units) this.take(message.also.hidden_units);
      return;
    }
    this.ask();
  }

  // What the next chunk of training should bring back for this panel (Session.run's `also`; `now`: whenever it was last asked).
  wants(now = false) {
    if (!now && performance.now() - this.asking.lastAsk <= REFRESH_MS) return null;
    this.asking.lastAsk = performance.now();
    return { hidden_units: {} };
  }

  take(result) {
    if (result.error) this.failed(result.error);
    else this.draw(result);
  }

  failed(message) {
    this.cells = [];
    this.strip.replaceChildren();
    this.root.dataset.shown = "0";
    this.caption.textContent = t("inside.units.failed", { reason: message });
  }

  ask() {
    this.asking.ask();
  }

  request() {
    return this.call("hidden_units")
      .then((result) => this.draw(result))
      .catch((error) => {
        if (error.kind !== "stopped") this.failed(error.message);
      });
  }

  // One canvas per unit, made again only when the count or the picture size changes.
  cellsFor(count, size) {
    if (this.cells.length === count && this.cells[0]?.canvas.width === size) return this.cells;
    this.cells = [];
    const items = [];
    for (let k = 0; k < count; k++) {
      const figure = document.createElement("figure");
      figure.className = "unit";
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = size;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", t("inside.units.unit", { k: String(k) }));
      const label = document.createElement("figcaption");
      label.textContent = `h0[${k}]`;
      figure.append(canvas, label);
      items.push(figure);
      this.cells.push({ figure, canvas, ctx: canvas.getContext("2d"), image: new ImageData(size, size) });
    }
    this.strip.replaceChildren(...items);
    return this.cells;
  }

  draw({ units, units_size: size, units_shown: count, units_total: total, units_max: max }) {
    const cells = this.cellsFor(count, size);
    const area = size * size;
    let dead = 0;
    for (let k = 0; k < count; k++) {
      const { figure, ctx, image } = cells[k];
      unitPixels(units, k * area, area, max[k], image.data);
      ctx.putImageData(image, 0, 0);
      figure.classList.toggle("dead", !(max[k] > 0));
      if (!(max[k] > 0)) dead += 1;
    }
    const which = count < total ? t("inside.units.first", { count, total })
      : total === 1 ? t("inside.units.one") : t("inside.units.all", { total });
    const deadText = !dead ? "" : total === 1 ? t("inside.units.one-dead") : tn("inside.units.dead", dead);
    this.caption.textContent = t("inside.units.caption", { which, dead: deadText });
    this.root.dataset.shown = String(count);
    this.root.dataset.draws = String(Number(this.root.dataset.draws || 0) + 1);
  }
}

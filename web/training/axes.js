// Axes around the decision plane: x1 ticks below it, x2 ticks to its left, placed in percent of the
// canvas so they follow any size. The plane spans −extent…extent on both axes (training/boundary.js toPixel).
import { numeral } from "../lang/text.js";

// Tick values for −extent…extent: a "nice" step (1, 2 or 5 × 10^k) giving 2–3 ticks per side.
export function planeTicks(extent) {
  if (!(extent > 0) || !Number.isFinite(extent)) return [];
  const raw = extent / 3.5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9));
  const ticks = [];
  const n = Math.floor(extent / step + 1e-9);
  for (let i = -n; i <= n; i++) ticks.push(Number((i * step).toPrecision(6)));
  return ticks;
}

// Where a tick sits, as a fraction of the plane's width from its left edge (x1) or top edge (x2).
export function tickFraction(value, extent, axis) {
  const f = (value + extent) / (2 * extent);
  return axis === "x1" ? f : 1 - f;
}

// A tick's value with a real minus sign, as the page's language writes numbers ("−0,5" in Spanish).
export function tickLabel(value) {
  if (value === 0) return numeral("0");
  return numeral(String(value).replace("-", "−"));
}

export class PlaneAxes {
  // kinds: the page table's `kinds` (what each data set is: an image has no axes).
  constructor(root, kinds) {
    this.root = root;
    this.kinds = kinds;
    this.extent = null;
    this.x1 = document.createElement("div");
    this.x1.className = "axis axis-x1";
    this.x2 = document.createElement("div");
    this.x2.className = "axis axis-x2";
    for (const axis of [this.x1, this.x2]) axis.setAttribute("aria-hidden", "true");
    root.append(this.x1, this.x2);
  }

  update(message) {
    if (message.extent === undefined) return;
    // Before the extent test: the digits may keep the extent of the 2-D data set before them.
    this.root.classList.toggle("no-axes", !this.kinds[message.dataset].plane);
    if (message.extent === this.extent) return;
    this.extent = message.extent;
    for (const [axis, name] of [[this.x1, "x1"], [this.x2, "x2"]]) {
      // The ticks at the very edges would sit under the axis titles.
      const inner = planeTicks(this.extent).filter((value) => Math.abs(value) < 0.97 * this.extent);
      const items = inner.map((value) => {
        const tick = document.createElement("span");
        tick.className = "tick";
        tick.textContent = tickLabel(value);
        const where = `${(100 * tickFraction(value, this.extent, name)).toFixed(3)}%`;
        if (name === "x1") tick.style.left = where;
        else tick.style.top = where;
        return tick;
      });
      const title = document.createElement("span");
      title.className = "axis-title";
      title.textContent = name;
      axis.replaceChildren(...items, title);
    }
    this.root.dataset.ticks = planeTicks(this.extent).join(",");
  }
}

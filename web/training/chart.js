// The chart canvas: train and test mean loss (NLL per example) and accuracy against the epochs
// done, with a marker where a live setting (learning rate, batch size, weight decay) changed. The
// loss is on a log axis (or linear), train and test differ by colour, dash and marker, and long
// runs are drawn as a moving average with each row faint behind. Curves (the data) and the axis
// helpers are pure; ChartView draws.

import { TEST_COLOUR, TRAIN_COLOUR, fillWords } from "../dom.js";
import { numeral, t } from "../lang/text.js";

export const SERIES = ["trainMeanLoss", "testMeanLoss", "trainAccuracy", "testAccuracy"];

// Rows of metrics in growable Float64Arrays: `at` is the epochs done when the row was measured
// (0 is the untrained net; a fraction inside an epoch), increasing; `marks` are { at, text }.
export class Curves {
  constructor() {
    this.clear();
  }

  clear() {
    this.length = 0;
    this.at = new Float64Array(64);
    for (const name of SERIES) this[name] = new Float64Array(64);
    this.marks = [];
  }

  // Append rows measured at `at` (k values, increasing) with their metrics (arrays of length k);
  // rows already held at or after at[0] are replaced (the same net measured again).
  add(at, metrics) {
    const k = at.length;
    if (k === 0) return;
    let start = this.length;
    while (start > 0 && this.at[start - 1] >= at[0]) start -= 1;
    const end = start + k;
    if (end > this.at.length) {
      const capacity = Math.max(end, 2 * this.at.length);
      for (const name of ["at", ...SERIES]) {
        const grown = new Float64Array(capacity);
        grown.set(this[name].subarray(0, this.length));
        this[name] = grown;
      }
    }
    this.at.set(at, start);
    for (const name of SERIES) this[name].set(metrics[name], start);
    this.length = end;
  }

  // A marker at `at` (epochs done), e.g. "lr 0.01": where the optimiser changed.
  mark(at, text) {
    this.marks.push({ at, text });
  }

  // Indices of the rows measured at a whole epoch, one per epoch (the history CSV's rows).
  epochRows() {
    const rows = [];
    for (let i = 0; i < this.length; i++) if (Number.isInteger(this.at[i])) rows.push(i);
    return rows;
  }
}

// The smallest "nice" number (1, 2 or 5 times a power of ten) at or above x > 0.
export function niceCeil(x) {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= x * (1 - 1e-12)) return step * power;
  }
  return 10 * power;
}

// Indices of at most `max` values to draw out of `length`, always keeping the first and the last.
export function sampleIndices(length, max) {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out = [];
  const stride = (length - 1) / (max - 1);
  for (let j = 0; j < max; j++) out.push(Math.round(j * stride));
  return out;
}

// The largest finite value of the first `length` entries of the given arrays (0 when none).
export function finiteMax(arrays, length) {
  let best = 0;
  for (const values of arrays) {
    for (let i = 0; i < length; i++) if (Number.isFinite(values[i]) && values[i] > best) best = values[i];
  }
  return best;
}

// The positive finite values among the first `length` entries: [smallest, largest], or null.
export function finiteRange(arrays, length) {
  let low = Infinity;
  let high = 0;
  for (const values of arrays) {
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (Number.isFinite(v) && v > 0) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
  }
  return high > 0 ? [low, high] : null;
}

// Trailing moving average over `window` values (fewer at the start), skipping non-finite ones:
// batch-1 SGD makes per-epoch curves jagged, and the average shows the trend through the noise.
export function movingAverage(values, length, window) {
  const out = new Float64Array(length);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < length; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      count += 1;
    }
    const gone = i - window;
    if (gone >= 0 && Number.isFinite(values[gone])) {
      sum -= values[gone];
      count -= 1;
    }
    out[i] = count > 0 ? sum / count : NaN;
  }
  return out;
}

// How many epochs the smoothed curve averages: about a fiftieth of the run, 1 (none) for short runs.
export function smoothingWindow(length) {
  return length < 40 ? 1 : Math.min(100, Math.round(length / 50) * 2 + 1);
}

// Epoch ticks for 0…last: a nice step giving at most `most` ticks, always starting at 0; whole
// epochs from one epoch on, fractions of one inside the first.
export function epochTicks(last, most = 6) {
  if (last <= 0) return [0];
  const nice = niceCeil(last / Math.max(1, most - 1));
  const step = last >= 1 ? Math.max(1, nice) : nice;
  const ticks = [];
  for (let k = 0; k * step <= last * (1 + 1e-9); k++) ticks.push(Number((k * step).toPrecision(6)));
  return ticks;
}

// Where the epoch axis ends for a run whose last row is at `last`: at least one epoch, and inside
// the first epoch a nice fraction just past the last row, so a slow run's rows (one per few SGD
// updates) spread over the chart and move it every second instead of crowding its left edge.
export function axisEnd(last) {
  if (!(last > 0)) return 1;
  return last >= 1 ? last : Math.min(1, niceCeil(last * 1.25));
}

// A log axis covering [low, high]: whole decades 10^a…10^b, and ticks at the decades (and at
// 2 and 5 × each when the axis spans at most two decades).
export function logAxis(low, high) {
  let a = Math.floor(Math.log10(low));
  let b = Math.ceil(Math.log10(high));
  if (b <= a) b = a + 1;
  a = Math.max(a, b - 6); // below a millionth of the largest loss is noise on this chart
  const ticks = [];
  for (let k = a; k <= b; k++) {
    ticks.push(10 ** k);
    if (b - a <= 2 && k < b) ticks.push(2 * 10 ** k, 5 * 10 ** k);
  }
  return { min: 10 ** a, max: 10 ** b, ticks: ticks.sort((x, y) => x - y) };
}

// v moved into [lo, hi] (lo when the range is empty): where a label goes so it is drawn whole.
export function inside(v, lo, hi) {
  return Math.max(lo, Math.min(v, hi));
}

const INK = "#3b4453";
const GRID = "#e3e7ee";
const MARK = "#6b7280";
const MARK_EVERY_PX = 46; // one marker per this many pixels of curve, test markers offset by half

export class ChartView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.log = true; // the loss on a log axis: a linear one flattens to 0 after the first epochs
    this.smooth = true;
    this.window = 1;
  }

  paint(curves) {
    const ratio = globalThis.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * ratio));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const ctx = this.ctx;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = width / ratio;
    const h = height / ratio;
    ctx.clearRect(0, 0, w, h);
    const fontPx = Number.parseFloat(getComputedStyle(this.canvas).fontSize) || 12;
    this.fontPx = fontPx;
    ctx.font = `${fontPx}px system-ui, -apple-system, 'Segoe UI', sans-serif`;
    const gap = fontPx;
    const panel = (h - gap) / 2;
    const n = curves.length;
    const xMax = n ? axisEnd(curves.at[n - 1]) : 1;
    const window = this.smooth ? smoothingWindow(n) : 1;
    this.window = window;
    const loss = this.lossAxis(curves, n);
    const panels = [
      { top: 0, height: panel, width: w, xMax, title: t(this.log ? "lab.chart.loss.log" : "lab.chart.loss"),
        axis: loss, names: ["trainMeanLoss", "testMeanLoss"], labelled: true },
      { top: panel + gap, height: panel, width: w, xMax, title: t("lab.chart.accuracy"),
        axis: { min: 0, max: 1, ticks: [0, 0.5, 1], log: false }, names: ["trainAccuracy", "testAccuracy"], axisTitle: true },
    ];
    const room = Math.max(2, Math.floor((w - fontPx * 3.6 - 10) / (fontPx * 3.4)));
    const ticks = epochTicks(xMax < 1 ? xMax : Math.floor(xMax), room);
    for (const spec of panels) {
      this.panel(ctx, spec, ticks);
      this.marks(ctx, curves.marks, spec);
      spec.names.forEach((name, j) => {
        const style = { colour: j === 0 ? TRAIN_COLOUR : TEST_COLOUR, dashed: j === 1 };
        if (window > 1) {
          this.line(ctx, curves, curves[name], spec, { ...style, alpha: 0.25, width: 1 });
          this.line(ctx, curves, movingAverage(curves[name], n, window), spec, { ...style, marker: j });
        } else {
          this.line(ctx, curves, curves[name], spec, { ...style, marker: j });
        }
      });
    }
    this.canvas.dataset.rows = String(n); // for the end-to-end tests, like data-marks
    this.canvas.dataset.marks = JSON.stringify(curves.marks);
    this.canvas.dataset.epochTicks = ticks.join(",");
    this.canvas.dataset.lossTicks = loss.ticks.map((t) => formatTick(t)).join(",");
    this.canvas.dataset.scale = loss.log ? "log" : "linear";
    this.canvas.dataset.window = String(window);
  }

  lossAxis(curves, n) {
    if (this.log) {
      const range = finiteRange([curves.trainMeanLoss, curves.testMeanLoss], n);
      if (range) return { ...logAxis(range[0], range[1]), log: true };
    }
    const max = niceCeil(finiteMax([curves.trainMeanLoss, curves.testMeanLoss], n));
    return { min: 0, max, ticks: [0, max / 2, max], log: false };
  }

  // The panel's plot area; under it a row of epoch numbers, and under the lower panel's the axis's
  // title ("epoch") on a row of its own, so a title of any length never meets a number.
  frame({ top, height, width, axisTitle = false }) {
    const fontPx = this.fontPx ?? 12;
    return { x0: fontPx * 3.6, x1: width - 10, y0: top + fontPx * 1.7, y1: top + height - fontPx * (axisTitle ? 2.7 : 1.4) };
  }

  // The y pixel of value v on the panel's axis (clamped to it).
  y(v, f, axis) {
    let t;
    if (axis.log) t = (Math.log10(Math.max(v, axis.min)) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
    else t = (Math.min(v, axis.max) - axis.min) / (axis.max - axis.min);
    return f.y1 - Math.min(1, Math.max(0, t)) * (f.y1 - f.y0);
  }

  panel(ctx, spec, ticks) {
    const { top, title, axis, xMax } = spec;
    const f = this.frame(spec);
    const fontPx = this.fontPx ?? 12;
    ctx.fillStyle = INK;
    ctx.textBaseline = "alphabetic";
    ctx.textAlign = "left";
    fillWords(ctx, title, inside(f.x0, 1, spec.width - ctx.measureText(title).width - 1), top + fontPx);
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    const decade = (v) => !axis.log || Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
    for (const value of axis.ticks) {
      const y = Math.round(this.y(value, f, axis)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(f.x0, y);
      ctx.lineTo(f.x1, y);
      ctx.stroke();
      if (decade(value) || axis.ticks.length <= 9) ctx.fillText(numeral(formatTick(value)), f.x0 - 6, y);
    }
    // Epoch ticks: a short mark and the epoch under it.
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.strokeStyle = INK;
    for (const e of ticks) {
      const x = Math.round(f.x0 + (e / xMax) * (f.x1 - f.x0)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, f.y1);
      ctx.lineTo(x, f.y1 + 4);
      ctx.stroke();
      const label = numeral(String(e));
      const half = ctx.measureText(label).width / 2;
      ctx.fillText(label, inside(x, half + 2, spec.width - half - 2), f.y1 + 5); // "12000" at the right edge stays whole, 2 px in
    }
    if (!spec.axisTitle) return;
    // At the axis's end, under its numbers (the lower panel's axis is both panels').
    ctx.textAlign = "right";
    const epoch = t("lab.chart.epoch");
    fillWords(ctx, epoch, Math.max(f.x1, ctx.measureText(epoch).width + 2), f.y1 + 5 + fontPx * 1.2);
  }

  // A dotted vertical line at each mark, labelled (in the upper panel) with what changed.
  marks(ctx, marks, spec) {
    const { xMax, labelled } = spec;
    const f = this.frame(spec);
    ctx.save();
    ctx.strokeStyle = MARK;
    ctx.fillStyle = MARK;
    ctx.lineWidth = 1;
    ctx.setLineDash([2, 3]);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.font = `${Math.round((this.fontPx ?? 12) * 0.92)}px system-ui, -apple-system, 'Segoe UI', sans-serif`;
    marks.forEach(({ at, text }, i) => {
      const x = Math.round(f.x0 + (Math.min(at, xMax) / xMax) * (f.x1 - f.x0)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, f.y0);
      ctx.lineTo(x, f.y1);
      ctx.stroke();
      if (!labelled) return;
      const label = text.length > 24 ? `${text.slice(0, 23)}…` : text;
      const room = ctx.measureText(label).width + 4;
      const left = inside(x + room > f.x1 ? x - room : x + 3, 2, spec.width - room);
      fillWords(ctx, label, left, f.y0 + 2 + (this.fontPx ?? 12) * (i % 3));
    });
    ctx.restore();
  }

  line(ctx, curves, values, spec, { colour, dashed = false, alpha = 1, width = 2, marker = null }) {
    const n = curves.length;
    if (n === 0) return;
    const f = this.frame(spec);
    const xAt = (i) => f.x0 + (curves.at[i] / spec.xMax) * (f.x1 - f.x0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.x0 - 6, f.y0 - 6, f.x1 - f.x0 + 12, f.y1 - f.y0 + 12);
    ctx.clip();
    ctx.globalAlpha = alpha;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dashed ? [6, 4] : []);
    ctx.beginPath();
    let drawing = false;
    for (const i of sampleIndices(n, Math.max(2, Math.round(f.x1 - f.x0)))) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(xAt(i), this.y(v, f, spec.axis));
      else ctx.moveTo(xAt(i), this.y(v, f, spec.axis));
      drawing = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (marker !== null) {
      // Markers (train ●, test ▲) tell the curves apart where colours and dashes blur together;
      // one epoch-0 value gets its marker too, so the chart is not empty.
      const every = Math.max(1, Math.round((MARK_EVERY_PX / (f.x1 - f.x0)) * n));
      const offset = marker === 1 ? Math.round(every / 2) : 0;
      ctx.fillStyle = colour;
      ctx.strokeStyle = "#fff";
      ctx.lineWidth = 1;
      const marks = n === 1 ? [0] : [];
      for (let i = offset; i < n && n > 1; i += every) marks.push(i);
      for (const i of marks) {
        if (!Number.isFinite(values[i])) continue;
        const x = xAt(i);
        const y = this.y(values[i], f, spec.axis);
        ctx.beginPath();
        if (marker === 0) ctx.arc(x, y, 3.5, 0, 2 * Math.PI);
        else {
          ctx.moveTo(x, y - 4.5);
          ctx.lineTo(x + 4.2, y + 3);
          ctx.lineTo(x - 4.2, y + 3);
          ctx.closePath();
        }
        ctx.fill();
        ctx.stroke();
      }
    }
    ctx.restore();
  }
}

// Epochs done as the axis shows them: whole, or with two decimals inside an epoch.
export function formatEpoch(at) {
  return Number.isInteger(at) ? String(at) : at.toFixed(2);
}

export function formatTick(value) {
  if (value === 0) return "0";
  if (value >= 1e4 || value < 1e-3) return value.toExponential(0);
  if (value >= 100) return value.toFixed(0);
  return Number(value.toPrecision(2)).toString();
}

// The chart canvas: train and test mean loss (NLL per example) and accuracy against the epochs
// done, with a marker where a live setting (learning rate, batch size, weight decay) changed.
// Curves (the data) and the axis helpers are pure; ChartView draws.

import { TEST_COLOUR, TRAIN_COLOUR } from "./dom.js";

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

const INK = "#3b4453";
const GRID = "#e3e7ee";
const MARK = "#6b7280";

export class ChartView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
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
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', sans-serif";
    const gap = 14;
    const panel = (h - gap) / 2;
    const n = curves.length;
    const xMax = n ? Math.max(1, curves.at[n - 1]) : 1;
    const lossMax = niceCeil(finiteMax([curves.trainMeanLoss, curves.testMeanLoss], n));
    const loss = { top: 0, height: panel, width: w, yMax: lossMax, xMax };
    const accuracy = { top: panel + gap, height: panel, width: w, yMax: 1, xMax };
    const last = n ? curves.at[n - 1] : 0;
    this.panel(ctx, { ...loss, title: "mean loss (NLL per example)", last });
    this.marks(ctx, curves.marks, loss, true);
    this.line(ctx, curves, curves.trainMeanLoss, { ...loss, colour: TRAIN_COLOUR });
    this.line(ctx, curves, curves.testMeanLoss, { ...loss, colour: TEST_COLOUR, dashed: true });
    this.panel(ctx, { ...accuracy, title: "accuracy", last });
    this.marks(ctx, curves.marks, accuracy, false);
    this.line(ctx, curves, curves.trainAccuracy, { ...accuracy, colour: TRAIN_COLOUR });
    this.line(ctx, curves, curves.testAccuracy, { ...accuracy, colour: TEST_COLOUR, dashed: true });
    this.canvas.dataset.rows = String(n); // for the end-to-end tests, like data-marks
    this.canvas.dataset.marks = JSON.stringify(curves.marks);
  }

  frame({ top, height, width }) {
    const left = 40;
    const right = 10;
    return { x0: left, x1: width - right, y0: top + 20, y1: top + height - 16 };
  }

  panel(ctx, { top, height, width, title, yMax, last }) {
    const f = this.frame({ top, height, width });
    ctx.fillStyle = INK;
    ctx.textBaseline = "alphabetic";
    ctx.textAlign = "left";
    ctx.fillText(title, f.x0, top + 12);
    ctx.strokeStyle = GRID;
    ctx.lineWidth = 1;
    ctx.fillStyle = INK;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const fraction of [0, 0.5, 1]) {
      const y = f.y1 - fraction * (f.y1 - f.y0);
      ctx.beginPath();
      ctx.moveTo(f.x0, Math.round(y) + 0.5);
      ctx.lineTo(f.x1, Math.round(y) + 0.5);
      ctx.stroke();
      ctx.fillText(formatTick(fraction * yMax), f.x0 - 6, y);
    }
    ctx.textBaseline = "top";
    ctx.fillText(`epoch ${formatEpoch(last)}`, f.x1, f.y1 + 3);
  }

  // A dotted vertical line at each mark, labelled (in the upper panel) with what changed.
  marks(ctx, marks, { top, height, width, xMax }, labelled) {
    const f = this.frame({ top, height, width });
    ctx.save();
    ctx.strokeStyle = MARK;
    ctx.fillStyle = MARK;
    ctx.lineWidth = 1;
    ctx.setLineDash([2, 3]);
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.font = "11px system-ui, -apple-system, 'Segoe UI', sans-serif";
    marks.forEach(({ at, text }, i) => {
      const x = Math.round(f.x0 + (Math.min(at, xMax) / xMax) * (f.x1 - f.x0)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, f.y0);
      ctx.lineTo(x, f.y1);
      ctx.stroke();
      if (!labelled) return;
      const label = text.length > 24 ? `${text.slice(0, 23)}…` : text;
      const room = ctx.measureText(label).width + 4;
      const left = x + room > f.x1 ? x - room : x + 3;
      ctx.fillText(label, left, f.y0 + 2 + 12 * (i % 3));
    });
    ctx.restore();
  }

  line(ctx, curves, values, { top, height, width, yMax, xMax, colour, dashed = false }) {
    const n = curves.length;
    if (n === 0) return;
    const f = this.frame({ top, height, width });
    const xAt = (i) => f.x0 + (curves.at[i] / xMax) * (f.x1 - f.x0);
    const yOf = (v) => f.y1 - (Math.min(v, yMax) / yMax) * (f.y1 - f.y0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.x0 - 4, f.y0 - 4, f.x1 - f.x0 + 8, f.y1 - f.y0 + 8);
    ctx.clip();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    let drawing = false;
    for (const i of sampleIndices(n, Math.max(2, Math.round(f.x1 - f.x0)))) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(xAt(i), yOf(v));
      else ctx.moveTo(xAt(i), yOf(v));
      drawing = true;
    }
    ctx.stroke();
    if (n === 1 && Number.isFinite(values[0])) {
      // One epoch-0 value is a point, not a line: mark it so the chart is not empty.
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(xAt(0), yOf(values[0]), 3, 0, 2 * Math.PI);
      ctx.fill();
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
  if (value >= 1e4) return value.toExponential(0);
  if (value >= 100) return value.toFixed(0);
  return Number(value.toPrecision(2)).toString();
}

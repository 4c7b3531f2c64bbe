// The chart canvas: train and test mean loss (NLL per example) and accuracy, one value per epoch.
// Curves (the data) and the axis helpers are pure; ChartView draws.

const SERIES = ["trainLoss", "testLoss", "trainAcc", "testAcc"];

// Per-epoch metrics, index = epoch (0 is the untrained net), in growable Float64Arrays.
export class Curves {
  constructor() {
    this.clear();
  }

  clear() {
    this.length = 0;
    for (const name of SERIES) this[name] = new Float64Array(64);
  }

  // Append the metrics of the epochs that end at `epoch` (arrays of equal length k, the last
  // value belonging to `epoch`); earlier values at or after the first new epoch are replaced.
  add(epoch, metrics) {
    const k = metrics.trainLoss.length;
    const start = Math.max(0, Math.min(this.length, epoch - k + 1));
    const end = start + k;
    if (end > this.trainLoss.length) {
      const capacity = Math.max(end, 2 * this.trainLoss.length);
      for (const name of SERIES) {
        const grown = new Float64Array(capacity);
        grown.set(this[name].subarray(0, this.length));
        this[name] = grown;
      }
    }
    for (const name of SERIES) this[name].set(metrics[name], start);
    this.length = end;
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

const TRAIN = "#0072B2";
const TEST = "#D55E00";
const INK = "#3b4453";
const GRID = "#e3e7ee";

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
    const lossMax = niceCeil(finiteMax([curves.trainLoss, curves.testLoss], n));
    this.panel(ctx, { top: 0, height: panel, width: w, title: "mean loss (NLL per example)", yMax: lossMax, n });
    this.line(ctx, curves.trainLoss, n, { top: 0, height: panel, width: w, yMax: lossMax, colour: TRAIN });
    this.line(ctx, curves.testLoss, n, { top: 0, height: panel, width: w, yMax: lossMax, colour: TEST, dashed: true });
    const top = panel + gap;
    this.panel(ctx, { top, height: panel, width: w, title: "accuracy", yMax: 1, n });
    this.line(ctx, curves.trainAcc, n, { top, height: panel, width: w, yMax: 1, colour: TRAIN });
    this.line(ctx, curves.testAcc, n, { top, height: panel, width: w, yMax: 1, colour: TEST, dashed: true });
  }

  frame({ top, height, width }) {
    const left = 40;
    const right = 10;
    return { x0: left, x1: width - right, y0: top + 20, y1: top + height - 16 };
  }

  panel(ctx, { top, height, width, title, yMax, n }) {
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
    const last = Math.max(0, n - 1);
    ctx.fillText(`epoch ${last}`, f.x1, f.y1 + 3);
  }

  line(ctx, values, n, { top, height, width, yMax, colour, dashed = false }) {
    if (n === 0) return;
    const f = this.frame({ top, height, width });
    const span = Math.max(1, n - 1);
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
      const x = f.x0 + (i / span) * (f.x1 - f.x0);
      const y = f.y1 - (Math.min(v, yMax) / yMax) * (f.y1 - f.y0);
      if (drawing) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      drawing = true;
    }
    ctx.stroke();
    if (n === 1 && Number.isFinite(values[0])) {
      // One epoch-0 value is a point, not a line: mark it so the chart is not empty.
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(f.x0, f.y1 - (Math.min(values[0], yMax) / yMax) * (f.y1 - f.y0), 3, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
  }
}

export function formatTick(value) {
  if (value === 0) return "0";
  if (value >= 1e4) return value.toExponential(0);
  if (value >= 100) return value.toFixed(0);
  return Number(value.toPrecision(2)).toString();
}

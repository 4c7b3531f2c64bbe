// The boundary canvas: decision regions from the session's grid, and the data points on top.
// Each class has a marker shape of its own (markers.js); training points are filled, test points
// hollow. The colour maths is pure (tested by node --test); only drawBoundary touches a canvas.

import { PALETTE, planeToPixel } from "../dom.js";
import { traceMarker } from "./markers.js";

const BACKGROUND = [255, 255, 255];
// How far a fully confident cell moves from the background towards its class's colour: regions
// stay light enough for the points on them to stand out.
const STRENGTH = 0.45;
const LEVELS = 256;

export function hexToRgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// How much colour a cell gets for its winning probability p among C classes: 0 at the
// uninformed 1/C (white), STRENGTH at p = 1.
export function tint(p, classes) {
  const floor = 1 / classes;
  const t = (p - floor) / (1 - floor);
  return STRENGTH * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
}

// A lookup table, LEVELS shades per class: RGB of class c at probability level k is at
// 3·(c·LEVELS + k). Built once per class count so painting a grid is table look-ups only.
export function shadeTable(classes, palette = PALETTE) {
  const table = new Uint8ClampedArray(3 * classes * LEVELS);
  for (let c = 0; c < classes; c++) {
    const rgb = hexToRgb(palette[c % palette.length]);
    for (let k = 0; k < LEVELS; k++) {
      const t = tint(k / (LEVELS - 1), classes);
      for (let i = 0; i < 3; i++) {
        table[3 * (c * LEVELS + k) + i] = Math.round(BACKGROUND[i] + t * (rgb[i] - BACKGROUND[i]));
      }
    }
  }
  return table;
}

// RGBA pixels (one per grid cell, row by row) from the winning class and its probability.
export function regionPixels(gridClass, gridProb, table, out = new Uint8ClampedArray(4 * gridClass.length)) {
  const classes = table.length / (3 * LEVELS);
  for (let i = 0; i < gridClass.length; i++) {
    const c = gridClass[i];
    const p = gridProb[i];
    let j = 0;
    let rgb = BACKGROUND;
    if (c < classes && p > 0) {
      j = 3 * (c * LEVELS + Math.round(Math.min(1, p) * (LEVELS - 1)));
      rgb = table;
    }
    out[4 * i] = rgb[j];
    out[4 * i + 1] = rgb[j + 1];
    out[4 * i + 2] = rgb[j + 2];
    out[4 * i + 3] = 255;
  }
  return out;
}

// Draws onto one canvas: the regions (a GRID×GRID image scaled up with smoothing) and the points
// (cached in a layer of their own, redrawn only when the data or the size change).
export class BoundaryView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.regions = document.createElement("canvas");
    this.points = document.createElement("canvas");
    this.data = null;
    this.grid = null;
    this.table = null;
    this.image = null;
    this.last = []; // training examples of the SGD update just made, ringed (when slow enough to follow)
  }

  setData(data) {
    this.data = data;
    this.last = [];
    this.table = shadeTable(data.classes);
    this.points.width = 0; // redraw the point layer at the next paint
  }

  setGrid(size, gridClass, gridProb) {
    if (!this.image || this.image.width !== size) {
      this.regions.width = this.regions.height = size;
      this.image = new ImageData(size, size);
    }
    regionPixels(gridClass, gridProb, this.table, this.image.data);
    this.regions.getContext("2d").putImageData(this.image, 0, 0);
    this.grid = size;
  }

  // Match the backing store to the canvas's CSS size and the screen's pixel ratio.
  fit() {
    const ratio = globalThis.devicePixelRatio || 1;
    const size = Math.max(1, Math.round(this.canvas.clientWidth * ratio));
    if (this.canvas.width !== size) {
      this.canvas.width = this.canvas.height = size;
      this.points.width = 0;
    }
    return size;
  }

  paint() {
    const size = this.fit();
    const ctx = this.ctx;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, size, size);
    if (this.grid) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(this.regions, 0, 0, size, size);
    }
    if (!this.data) return;
    if (this.points.width !== size) this.drawPoints(size);
    ctx.drawImage(this.points, 0, 0);
    this.drawRings(size);
  }

  // The examples the last update used (training-set indices, as the session names them).
  setLast(indices) {
    this.last = indices ? Array.from(indices) : [];
  }

  // A ring in each example's class colour and marker shape, around a dark halo that keeps it
  // visible on its own region's tint.
  drawRings(size) {
    if (!this.last.length || !this.data) return;
    const ctx = this.ctx;
    const ratio = globalThis.devicePixelRatio || 1;
    const radius = 2.4 * Math.max(3, Math.min(5, size / ratio / 100)) * ratio;
    ctx.save();
    ctx.lineJoin = "round";
    for (const i of this.last) {
      if (i >= this.data.trainY.length) continue;
      const [x, y] = planeToPixel(this.data.trainXy[2 * i], this.data.trainXy[2 * i + 1], this.data.extent, size);
      const c = this.data.trainY[i];
      traceMarker(ctx, c, x, y, radius);
      ctx.lineWidth = 5 * ratio;
      ctx.strokeStyle = "rgba(20, 24, 31, 0.85)";
      ctx.stroke();
      ctx.lineWidth = 2.5 * ratio;
      ctx.strokeStyle = PALETTE[c % PALETTE.length];
      ctx.stroke();
    }
    ctx.restore();
  }

  drawPoints(size) {
    this.points.width = this.points.height = size;
    const ctx = this.points.getContext("2d");
    const ratio = globalThis.devicePixelRatio || 1;
    const radius = Math.max(3, Math.min(5, size / ratio / 100)) * ratio; // 3–5 CSS pixels
    const { extent } = this.data;
    const dot = (xy, i) => planeToPixel(xy[2 * i], xy[2 * i + 1], extent, size);
    // Training points: filled in their class's colour and shape, with a dark rim.
    ctx.lineJoin = "round";
    ctx.lineWidth = Math.max(1, ratio);
    ctx.strokeStyle = "rgba(20, 24, 31, 0.85)";
    for (let i = 0; i < this.data.trainY.length; i++) {
      const [x, y] = dot(this.data.trainXy, i);
      const c = this.data.trainY[i];
      traceMarker(ctx, c, x, y, radius);
      ctx.fillStyle = PALETTE[c % PALETTE.length];
      ctx.fill();
      ctx.stroke();
    }
    // Test points: hollow shapes in their class's colour, on a white core, with a dark outline.
    for (let i = 0; i < this.data.testY.length; i++) {
      const [x, y] = dot(this.data.testXy, i);
      const c = this.data.testY[i];
      traceMarker(ctx, c, x, y, radius + ratio);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.lineWidth = Math.max(1, ratio);
      ctx.strokeStyle = "rgba(20, 24, 31, 0.85)";
      ctx.stroke();
      traceMarker(ctx, c, x, y, radius - 0.2 * ratio);
      ctx.lineWidth = 2.2 * ratio;
      ctx.strokeStyle = PALETTE[c % PALETTE.length];
      ctx.stroke();
    }
  }
}

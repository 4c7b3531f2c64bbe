// node --test tests/js/ — the colour mapping of web/training/boundary.js (pure functions only).
import assert from "node:assert/strict";
import { test } from "node:test";

import { PALETTE, pixelToPlane, planeToPixel } from "../../web/dom.js";
import { hexToRgb, regionPixels, shadeTable, tint } from "../../web/training/boundary.js";

test("the palette has six distinct Okabe–Ito colours", () => {
  const okabeIto = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"];
  assert.equal(PALETTE.length, 6);
  assert.equal(new Set(PALETTE).size, 6);
  for (const colour of PALETTE) assert.ok(okabeIto.includes(colour), colour);
});

test("hexToRgb", () => {
  assert.deepEqual(hexToRgb("#0072B2"), [0, 114, 178]);
  assert.deepEqual(hexToRgb("#ffffff"), [255, 255, 255]);
});

test("tint is 0 at the uninformed 1/C, grows with the probability, and is capped", () => {
  for (const classes of [2, 3, 6]) {
    assert.equal(tint(1 / classes, classes), 0);
    assert.equal(tint(0, classes), 0);
    let previous = -1;
    for (let p = 1 / classes; p <= 1; p += 0.05) {
      const t = tint(p, classes);
      assert.ok(t >= previous && t <= 1, `${classes} ${p}`);
      previous = t;
    }
    assert.ok(tint(1, classes) > 0.3 && tint(1, classes) < 0.8);
    assert.equal(tint(1.5, classes), tint(1, classes));
    assert.equal(tint(Number.NaN, classes), 0);
  }
});

test("regionPixels paints each cell its winning class's colour, lighter when unsure", () => {
  const table = shadeTable(3);
  const gridClass = new Uint8Array([0, 1, 2, 0, 2]);
  const gridProb = new Float32Array([1, 1, 1, 1 / 3, 0.6]);
  const px = regionPixels(gridClass, gridProb, table);
  assert.equal(px.length, 20);
  const rgb = (i) => [px[4 * i], px[4 * i + 1], px[4 * i + 2]];
  for (let i = 0; i < 5; i++) assert.equal(px[4 * i + 3], 255);
  // Confident cells lean towards their own class's colour, each a different hue.
  for (const [i, c] of [[0, 0], [1, 1], [2, 2]]) {
    const target = hexToRgb(PALETTE[c]);
    const cell = rgb(i);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(cell[k] - target[k]) < Math.abs(255 - target[k]) || target[k] === 255);
  }
  assert.notDeepEqual(rgb(0), rgb(1));
  assert.deepEqual(rgb(3), [255, 255, 255]); // p = 1/C: no information, background
  const sum = (c) => c[0] + c[1] + c[2];
  assert.ok(sum(rgb(4)) > sum(rgb(2)), "p = 0.6 is lighter than p = 1");
});

test("regionPixels shows unknown classes and empty cells as background and reuses `out`", () => {
  const table = shadeTable(2);
  const out = new Uint8ClampedArray(8);
  const px = regionPixels(new Uint8Array([5, 0]), new Float32Array([1, 0]), table, out);
  assert.equal(px, out);
  assert.deepEqual([...px], [255, 255, 255, 255, 255, 255, 255, 255]);
});

test("planeToPixel puts x1 to the right and x2 up, and pixelToPlane undoes it", () => {
  assert.deepEqual(planeToPixel(-1.5, 1.5, 1.5, 300), [0, 0]);
  assert.deepEqual(planeToPixel(1.5, -1.5, 1.5, 300), [300, 300]);
  assert.deepEqual(planeToPixel(0, 0, 1.5, 300), [150, 150]);
  assert.deepEqual(planeToPixel(0.5, 0.5, 1, 200, 100), [150, 25]);
  assert.deepEqual(pixelToPlane(...planeToPixel(0.25, -1, 2, 400, 200), 2, 400, 200), { x1: 0.25, x2: -1 });
});

test("SingleFlight: one request at a time; asks meanwhile make one more, with the latest state", async () => {
  const { SingleFlight } = await import("../../web/dom.js");
  let started = 0;
  let finish = null;
  const flight = new SingleFlight(() => {
    started += 1;
    return new Promise((resolve) => {
      finish = resolve;
    });
  }, () => 1000 + started);
  flight.ask();
  await Promise.resolve();
  assert.equal(started, 1);
  assert.equal(flight.lastAsk, 1000);
  flight.ask();
  flight.ask();
  flight.ask();
  assert.equal(started, 1, "none while one is under way");
  finish();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  assert.equal(started, 2, "the three asks meanwhile make one request");
  finish();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  assert.equal(started, 2);
  assert.equal(flight.busy, false);
});

test("SingleFlight: a request that fails frees it for the next ask", async () => {
  const { SingleFlight } = await import("../../web/dom.js");
  let started = 0;
  const flight = new SingleFlight(() => {
    started += 1;
    return Promise.reject(new Error("no"));
  });
  flight.ask();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  flight.ask();
  for (let i = 0; i < 5; i++) await Promise.resolve();
  assert.equal(started, 2);
});

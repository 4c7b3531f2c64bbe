// node --test tests/js/ — the data side of web/chart.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Curves, finiteMax, formatTick, niceCeil, sampleIndices } from "../../web/chart.js";

const metrics = (values) => ({
  trainLoss: Float64Array.from(values),
  testLoss: Float64Array.from(values, (v) => v + 1),
  trainAcc: Float64Array.from(values, (v) => v / 10),
  testAcc: Float64Array.from(values, (v) => v / 20),
});

test("Curves keeps one value per epoch, index = epoch", () => {
  const curves = new Curves();
  curves.add(0, metrics([5]));
  curves.add(3, metrics([4, 3, 2]));
  assert.equal(curves.length, 4);
  assert.deepEqual([...curves.trainLoss.subarray(0, 4)], [5, 4, 3, 2]);
  assert.deepEqual([...curves.testLoss.subarray(0, 4)], [6, 5, 4, 3]);
  curves.add(3, metrics([]));
  assert.equal(curves.length, 4);
  curves.clear();
  assert.equal(curves.length, 0);
});

test("Curves grows past its first capacity", () => {
  const curves = new Curves();
  const values = Array.from({ length: 1000 }, (_, i) => i);
  curves.add(999, metrics(values));
  curves.add(1000, metrics([1000]));
  assert.equal(curves.length, 1001);
  assert.equal(curves.trainLoss[1000], 1000);
  assert.equal(curves.trainLoss[500], 500);
});

test("niceCeil", () => {
  assert.equal(niceCeil(1.1), 2);
  assert.equal(niceCeil(0.9), 1);
  assert.equal(niceCeil(1), 1);
  assert.equal(niceCeil(3), 5);
  assert.equal(niceCeil(7), 10);
  assert.equal(niceCeil(0.012), 0.02);
  assert.equal(niceCeil(0), 1);
  assert.equal(niceCeil(Number.POSITIVE_INFINITY), 1);
});

test("sampleIndices keeps the ends and at most max indices", () => {
  assert.deepEqual(sampleIndices(3, 10), [0, 1, 2]);
  const picked = sampleIndices(10000, 300);
  assert.equal(picked.length, 300);
  assert.equal(picked[0], 0);
  assert.equal(picked.at(-1), 9999);
  for (let i = 1; i < picked.length; i++) assert.ok(picked[i] > picked[i - 1]);
});

test("finiteMax ignores NaN and infinities", () => {
  assert.equal(finiteMax([Float64Array.from([1, Number.NaN, 3]), Float64Array.from([Number.POSITIVE_INFINITY, 2])], 2), 2);
  assert.equal(finiteMax([Float64Array.from([1, Number.NaN, 3])], 3), 3);
  assert.equal(finiteMax([], 0), 0);
});

test("formatTick", () => {
  assert.equal(formatTick(0), "0");
  assert.equal(formatTick(0.5), "0.5");
  assert.equal(formatTick(1), "1");
  assert.equal(formatTick(0.01), "0.01");
  assert.equal(formatTick(250), "250");
  assert.equal(formatTick(5e283), "5e+283");
});

// node --test tests/js/ — the data side of web/training/chart.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import { setLanguage } from "../../web/lang/text.js";
import { axisEnd, ChartView, Curves, epochTicks, finiteMax, formatEpoch, formatTick, inside, niceCeil, sampleIndices } from "../../web/training/chart.js";

const metrics = (values) => ({
  trainMeanLoss: Float64Array.from(values),
  testMeanLoss: Float64Array.from(values, (v) => v + 1),
  trainAccuracy: Float64Array.from(values, (v) => v / 10),
  testAccuracy: Float64Array.from(values, (v) => v / 20),
});

test("Curves keeps rows in the order of the epochs done, partial epochs included", () => {
  const curves = new Curves();
  curves.add([0], metrics([5]));
  curves.add([0.5, 1, 1.25], metrics([4, 3, 2]));
  assert.equal(curves.length, 4);
  assert.deepEqual([...curves.at.subarray(0, 4)], [0, 0.5, 1, 1.25]);
  assert.deepEqual([...curves.trainMeanLoss.subarray(0, 4)], [5, 4, 3, 2]);
  assert.deepEqual([...curves.testMeanLoss.subarray(0, 4)], [6, 5, 4, 3]);
  assert.deepEqual(curves.epochRows(), [0, 2]);
  curves.add([], metrics([]));
  assert.equal(curves.length, 4);
  curves.mark(1.25, "lr 0.01");
  assert.deepEqual(curves.marks, [{ at: 1.25, text: "lr 0.01" }]);
  curves.clear();
  assert.equal(curves.length, 0);
  assert.deepEqual(curves.marks, []);
});

test("a row measured again at the same point replaces the rows from there on", () => {
  const curves = new Curves();
  curves.add([0, 1, 2, 2.5], metrics([4, 3, 2, 1]));
  curves.add([2], metrics([9]));
  assert.equal(curves.length, 3);
  assert.deepEqual([...curves.trainMeanLoss.subarray(0, 3)], [4, 3, 9]);
});

test("Curves grows past its first capacity", () => {
  const curves = new Curves();
  const values = Array.from({ length: 1000 }, (_, i) => i);
  curves.add(Float64Array.from(values), metrics(values));
  curves.add([1000], metrics([1000]));
  assert.equal(curves.length, 1001);
  assert.equal(curves.trainMeanLoss[1000], 1000);
  assert.equal(curves.trainMeanLoss[500], 500);
  assert.equal(curves.at[500], 500);
});

test("formatEpoch shows whole epochs plainly and a partial one with two decimals", () => {
  assert.equal(formatEpoch(12), "12");
  assert.equal(formatEpoch(3.25), "3.25");
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

test("inside moves a label's position into the chart, the low end first when it cannot fit", () => {
  assert.equal(inside(5, 0, 10), 5);
  assert.equal(inside(-3, 0, 10), 0);
  assert.equal(inside(12, 0, 10), 10);
  assert.equal(inside(7, 6, 4), 6);
});

// A canvas whose context records the text drawn, with each glyph 7 px wide.
function recordingCanvas(width, height) {
  const texts = [];
  const ctx = new Proxy({
    textAlign: "start",
    measureText: (text) => ({ width: 7 * text.length }),
    fillText(text, x, y) {
      const w = 7 * text.length;
      const left = this.textAlign === "center" ? x - w / 2 : this.textAlign === "right" ? x - w : x;
      const top = this.textBaseline === "top" ? y : this.textBaseline === "middle" ? y - 6 : y - 10; // 12 px text
      texts.push({ text, left, right: left + w, top, bottom: top + 12 });
    },
  }, { get: (target, name) => (name in target ? target[name] : () => {}), set: (target, name, value) => { target[name] = value; return true; } });
  return { canvas: { clientWidth: width, clientHeight: height, width: 0, height: 0, dataset: {}, getContext: () => ctx }, texts };
}

test("every label of the chart is drawn whole inside it: the last epoch tick and a mark at the end", () => {
  globalThis.getComputedStyle ??= () => ({ fontSize: "12px" });
  for (const [width, epochs] of [[290, 2000], [440, 12000], [330, 200]]) {
    const { canvas, texts } = recordingCanvas(width, 200);
    const curves = new Curves();
    const at = Float64Array.from({ length: epochs + 1 }, (_, i) => i);
    const metrics = Object.fromEntries(["trainMeanLoss", "testMeanLoss", "trainAccuracy", "testAccuracy"]
      .map((name) => [name, Float64Array.from(at, (e) => 1 / (1 + e))]));
    curves.add(at, metrics);
    curves.mark(epochs, "lr 5");
    new ChartView(canvas).paint(curves);
    assert.ok(texts.some((t) => t.text === String(epochs)), `no tick at ${epochs}: ${canvas.dataset.epochTicks}`);
    assert.ok(texts.some((t) => t.text === "lr 5"));
    const cut = texts.filter((t) => t.left < 0 || t.right > width);
    assert.deepEqual(cut, [], `at ${width} px wide`);
  }
});

test("inside the first epoch the axis ends just past the last row, with fractional ticks", () => {
  assert.equal(axisEnd(0), 1);
  assert.equal(axisEnd(3 / 240), 0.02); // 3 updates of a 240-update epoch: 0.0125 · 1.25 → 0.02
  assert.equal(axisEnd(0.9), 1);
  assert.equal(axisEnd(7.5), 7.5);
  assert.deepEqual(epochTicks(0.02, 6), [0, 0.005, 0.01, 0.015, 0.02]);
  assert.deepEqual(epochTicks(0.5, 6), [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(epochTicks(12, 6), [0, 5, 10]);
  assert.deepEqual(epochTicks(0), [0]);
});

test("the axis's title, however long in the language, meets no number of either axis", () => {
  globalThis.getComputedStyle ??= () => ({ fontSize: "12px" });
  setLanguage({ lang: "de", dir: "ltr", messages: { "lab.chart.epoch": "[Éṕóćh́ ~~ ~~~]" } });
  try {
    for (const width of [290, 440, 960]) {
      const { canvas, texts } = recordingCanvas(width, 220);
      const curves = new Curves();
      const at = Float64Array.from({ length: 301 }, (_, i) => i);
      curves.add(at, Object.fromEntries(["trainMeanLoss", "testMeanLoss", "trainAccuracy", "testAccuracy"]
        .map((name) => [name, Float64Array.from(at, (e) => 1 / (1 + e))])));
      new ChartView(canvas).paint(curves);
      const titles = texts.filter((box) => box.text === "[Éṕóćh́ ~~ ~~~]");
      assert.equal(titles.length, 1, "the axis's title, once");
      const [title] = titles;
      const met = texts.filter((box) => box !== title && box.left < title.right && title.left < box.right
        && box.top < title.bottom && title.top < box.bottom);
      assert.deepEqual(met, [], `at ${width} px`);
      assert.ok(title.left >= 0 && title.right <= width && title.bottom <= 220, `at ${width} px: ${JSON.stringify(title)}`);
    }
  } finally {
    setLanguage(null);
  }
});

// node --test tests/js/ — the pure parts of web/data/dataedit.js, modelio.js, digits.js and files.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import { pickerChoices } from "../../web/data/dataedit.js";
import { pixelToPlane } from "../../web/dom.js";
import { extendStroke, imagePixels } from "../../web/data/digits.js";
import { formatBytes, sizeProblem } from "../../web/data/files.js";
import { HISTORY_HEADER, historyCsv, modelName } from "../../web/data/modelio.js";
import { Curves } from "../../web/training/chart.js";

test("pixelToPlane maps canvas pixels to the plane, x2 up", () => {
  assert.deepEqual(pixelToPlane(0, 0, 1.5, 200, 200), { x1: -1.5, x2: 1.5 });
  assert.deepEqual(pixelToPlane(200, 200, 1.5, 200, 200), { x1: 1.5, x2: -1.5 });
  assert.deepEqual(pixelToPlane(100, 50, 2, 200, 200), { x1: 0, x2: 1 });
});

test("the class picker offers inspect, one choice per class and removing (the touch shift-click)", () => {
  const choices = pickerChoices(3);
  assert.deepEqual(choices.map((c) => c.value), ["", "0", "1", "2", "remove"]);
  assert.match(choices[2].label, /class 1/);
});

test("history CSV: one row per whole epoch, named as means, empty fields for missing values", () => {
  const curves = new Curves();
  curves.add([0], { trainMeanLoss: [1.1], testMeanLoss: [1.2], trainAccuracy: [0.3], testAccuracy: [0.25] });
  curves.add([0.5, 1, 2], {
    trainMeanLoss: [1, 0.9, 0.5], testMeanLoss: [1, NaN, 0.6], trainAccuracy: [0.4, 0.5, 0.8], testAccuracy: [0.4, NaN, 0.7],
  });
  const lines = historyCsv(curves).trimEnd().split("\n");
  assert.equal(lines[0], "epoch,train_mean_loss,test_mean_loss,train_accuracy,test_accuracy");
  assert.equal(lines[0], HISTORY_HEADER);
  assert.deepEqual(lines.slice(1), ["0,1.1,1.2,0.3,0.25", "1,0.9,,0.5,", "2,0.5,0.6,0.8,0.7"]);
  assert.equal(historyCsv(new Curves()), `${HISTORY_HEADER}\n`);
  assert.equal(modelName({ dataset: "moons", hidden: 12 }), "moons-H12");
});

test("a stroke records a point only once the pen has moved far enough", () => {
  const stroke = [];
  assert.equal(extendStroke(stroke, 10, 10), true);
  assert.equal(extendStroke(stroke, 10.5, 10.5), false);
  assert.equal(extendStroke(stroke, 13, 10), true);
  assert.deepEqual(stroke, [10, 10, 13, 10]);
  extendStroke(stroke, 20.123, 5.456);
  assert.deepEqual(stroke.slice(4), [20.1, 5.5]);
});

test("an 8×8 image's values 0 … 16 become white … black pixels", () => {
  const values = new Uint8Array(64 + 2);
  values[2] = 16;
  values[3] = 8;
  const pixels = imagePixels(values, 2);
  assert.equal(pixels.length, 256);
  assert.deepEqual([...pixels.slice(0, 8)], [0, 0, 0, 255, 127, 127, 127, 255]);
  assert.deepEqual([...pixels.slice(8, 12)], [255, 255, 255, 255]);
});

test("a file over the limit or empty is refused before reading, with its size", () => {
  assert.equal(sizeProblem({ name: "a.csv", size: 10 }, 100), null);
  assert.equal(sizeProblem({ name: "a.csv", size: 0 }, 100), "a.csv is empty");
  assert.equal(sizeProblem({ name: "big.json", size: 6_200_000 }, 5_000_000), "big.json is 6.2 MB; the limit is 5 MB");
  assert.equal(formatBytes(1500), "1.5 kB");
  assert.equal(formatBytes(12), "12 bytes");
});

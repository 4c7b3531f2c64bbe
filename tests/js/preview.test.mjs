// The phone's folded settings line and the plane's preview while Python loads (no DOM: plain
// objects stand in for the elements).
import assert from "node:assert/strict";
import { test } from "node:test";

import { PlanePreview } from "../../web/start/preview.js";
import { foldSummary } from "../../web/training/settingsfold.js";

const SPIRAL = { dataset: "spiral", classes: 3, points: 300, noise: 0.1, split: 0.8, hidden: 32, lr: 0.5, batch: 10, wd: 0, seed: 1 };

test("the folded settings line says the data set, classes, H, learning rate and batch", () => {
  assert.equal(foldSummary(SPIRAL), "spiral · 3 classes · H 32 · lr 0.5 · batch 10");
  assert.equal(foldSummary({ ...SPIRAL, dataset: "custom" }, (name) => `[${name}]`), "[custom] · 3 classes · H 32 · lr 0.5 · batch 10");
});

function fakePreview(previews) {
  const parts = { note: { hidden: false }, tag: { hidden: true }, text: { textContent: "Python is loading…" } };
  const shown = [];
  const preview = new PlanePreview({ ...parts, show: (data) => shown.push(data), load: async () => previews });
  return { preview, parts, shown };
}

const PREVIEWS = {
  keys: ["dataset", "classes", "points", "noise", "split", "seed"],
  datasets: {
    spiral: {
      settings: { ...SPIRAL, hidden: 32 }, extent: 1.5, classes: 3,
      train_xy: [0.1, 0.2, -0.3, 0.4], train_y: [0, 2], test_xy: [0.5, -0.5], test_y: [1],
    },
  },
};

test("the preview draws pynn's points, marked 'preview' only when the link's points differ", async () => {
  const same = fakePreview(PREVIEWS);
  await same.preview.draw({ ...SPIRAL, hidden: 7, lr: 2 }); // the net's settings do not change the points
  assert.equal(same.shown.length, 1);
  assert.equal(same.parts.tag.hidden, true);
  const data = same.shown[0];
  assert.deepEqual([...data.trainXy], [0.1, 0.2, -0.3, 0.4].map(Math.fround));
  assert.ok(data.trainY instanceof Uint8Array && data.testXy instanceof Float32Array);
  assert.equal(data.extent, 1.5);
  const other = fakePreview(PREVIEWS);
  await other.preview.draw({ ...SPIRAL, seed: 2 });
  assert.equal(other.parts.tag.hidden, false);
});

test("no preview for the digits or your own points, nor once Python has answered", async () => {
  const digits = fakePreview(PREVIEWS);
  await digits.preview.draw({ ...SPIRAL, dataset: "digits" });
  assert.equal(digits.shown.length, 0);
  const late = fakePreview(PREVIEWS);
  const drawing = late.preview.draw(SPIRAL);
  late.preview.end();
  await drawing;
  assert.equal(late.shown.length, 0);
  assert.equal(late.parts.note.hidden, true);
});

test("the bytes are counted over the plane until Python answers", () => {
  const { preview, parts } = fakePreview(PREVIEWS);
  preview.bytes({ loaded: 3.25e6, total: 14.5e6 });
  assert.equal(parts.text.textContent, "Python is loading — 3.3 of 14.5 MB");
  preview.end();
  preview.bytes({ loaded: 4e6, total: 14.5e6 });
  assert.equal(parts.text.textContent, "Python is loading — 3.3 of 14.5 MB");
});

// node --test tests/js/ — the pure parts of teaching with the page: sliders, axes, chart scales and
// smoothing, the link's points, the summary, the way out of divergence, the tour, marker shapes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { planeTicks, tickFraction, tickLabel } from "../../web/training/axes.js";
import { epochTicks, logAxis, movingAverage, smoothingWindow } from "../../web/training/chart.js";
import { nearestIndex, sliderPosition, sliderValue } from "../../web/training/controls.js";
import { lowerRate } from "../../web/training/diverged.js";
import { SHAPE_NAMES, corners } from "../../web/training/markers.js";
import { MAX_LINK_POINTS, decodePoints, encodePoints, linkPoints } from "../../web/data/share.js";
import { countWord } from "../../web/dom.js";
import { makeState } from "../../web/state.js";
import { summaryText } from "../../web/training/summary.js";
import { stepSettings } from "../../web/teaching/tour.js";
import { TABLE } from "./table.mjs";

const { FIELDS, KEYS, parseHash, serialiseHash } = makeState(TABLE);

test("every setting has a help text that says what to try", () => {
  const HELP = TABLE.help; // what the setup controls show (web/training/controls.js)
  assert.deepEqual(Object.keys(HELP).sort(), [...KEYS].sort());
  for (const id of Object.values(HELP)) assert.match(TABLE.texts[id], /Try/);
});

test("the learning-rate slider steps through nice values on a log scale and finds typed ones", () => {
  const { lr, noise, split } = TABLE.sliders;
  assert.equal(sliderValue(lr, 0), TABLE.fields.lr.min);
  assert.equal(sliderValue(lr, sliderPosition(lr, 100)), 100);
  assert.equal(sliderValue(lr, sliderPosition(lr, 0.5)), 0.5);
  assert.equal(sliderValue(lr, sliderPosition(lr, 0.15)), 0.2); // nearest on a log scale
  assert.equal(nearestIndex([1, 10, 100], 3), 0);
  assert.equal(nearestIndex([1, 10, 100], 4), 1);
  assert.equal(sliderValue(noise, 0.35000000001), 0.35);
  assert.equal(sliderPosition(split, 0.8), 0.8);
});

test("each slider runs from its setting's smallest value to its largest (the page table's)", () => {
  for (const [key, slider] of Object.entries(TABLE.sliders)) {
    const { min, max } = TABLE.fields[key];
    const ends = slider.values ? [slider.values[0], slider.values.at(-1)] : [slider.min, slider.max];
    assert.deepEqual(ends, [min, max], key);
    if (slider.values) assert.ok(slider.values.every((v, i) => i === 0 || v > slider.values[i - 1]), key);
  }
});

test("the tour has as many steps as the page table says (the hash's tour=N runs 1 to that)", () => {
  assert.equal(TABLE.tour.cards.length, TABLE.tour.steps);
  assert.equal(makeState(TABLE).VIEW_FIELDS.tour.max, TABLE.tour.steps);
});

test("the plane's ticks are nice, symmetric and inside the extent", () => {
  assert.deepEqual(planeTicks(1.5), [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]);
  assert.deepEqual(planeTicks(3.3), [-3, -2, -1, 0, 1, 2, 3]);
  assert.deepEqual(planeTicks(0), []);
  assert.equal(tickFraction(0, 1.5, "x1"), 0.5);
  assert.equal(tickFraction(1.5, 1.5, "x2"), 0);
  assert.equal(tickLabel(-0.5), "−0.5");
});

test("epoch ticks start at 0 with a nice step; the log axis covers the losses in decades", () => {
  assert.deepEqual(epochTicks(0), [0]);
  assert.deepEqual(epochTicks(60, 5), [0, 20, 40, 60]);
  assert.ok(epochTicks(1234, 6).length <= 6);
  const axis = logAxis(0.03, 1.2);
  assert.equal(axis.min, 0.01);
  assert.equal(axis.max, 10);
  assert.ok(axis.ticks.includes(0.1) && axis.ticks.includes(1));
  assert.ok(logAxis(1e-12, 2).min >= 1e-6);
});

test("the moving average trails, skips NaN and is the identity for a window of 1", () => {
  const values = [1, 3, NaN, 5, 7];
  assert.deepEqual([...movingAverage(values, 5, 2)], [1, 2, 3, 5, 6]);
  assert.deepEqual([...movingAverage([1, 2, 3], 3, 1)], [1, 2, 3]);
  assert.equal(smoothingWindow(10), 1);
  assert.ok(smoothingWindow(500) > 1 && smoothingWindow(500) % 2 === 1);
});

test("a link holds at most MAX_LINK_POINTS points and reads back what it wrote", () => {
  const xy = [0.12345, -0.5, 1, 2];
  const encoded = encodePoints(xy, [0, 1]);
  assert.equal(encoded, "0.123,-0.5,0;1,2,1");
  assert.equal(decodePoints(encoded).csv, "x1,x2,label\n0.123,-0.5,0\n1,2,1\n");
  const many = new Array(MAX_LINK_POINTS + 1).fill(0);
  assert.equal(encodePoints(new Array(2 * many.length).fill(0), many), `missing-${many.length}`);
  assert.deepEqual(decodePoints("missing-350"), { missing: 350 });
  assert.ok(decodePoints("1,2,<script>").error);
  assert.ok(decodePoints("").error);
  assert.equal(linkPoints("#dataset=custom&xy=1,2,0"), "1,2,0");
  assert.equal(linkPoints("#dataset=custom"), null);
  assert.deepEqual(parseHash("#dataset=custom&xy=1,2,0").messages, []);
});

test("the summary names the epoch and both accuracies", () => {
  assert.equal(
    summaryText({ epoch: 12, train_accuracy: [0.5, 0.951], test_accuracy: [0.9], diverged: null }),
    "Epoch 12: training accuracy 95.1 %, test accuracy 90.0 %.",
  );
  assert.match(summaryText({ epoch: 3, train_accuracy: [NaN], test_accuracy: [], diverged: "x" }), /not measured yet.*diverged/);
});

test("after divergence the fix is a rate ten times smaller, never below the smallest allowed", () => {
  const smallest = TABLE.fields.lr.min;
  assert.equal(lowerRate(100, smallest), 10);
  assert.equal(lowerRate(0.5, smallest), 0.05);
  assert.equal(lowerRate(smallest * 2, smallest), smallest);
  assert.equal(lowerRate(smallest * 1.5, smallest), smallest); // never below the page table's smallest
});

test("the tour introduces the page in 5–8 steps, each pointing at a part of it with a question; a setup is a full one the page reads back", () => {
  const steps = TABLE.tour.cards;
  assert.ok(steps.length >= 5 && steps.length <= 8);
  assert.equal(new Set(steps.map((step) => step.target)).size, steps.length, "each step points at its own part");
  for (let step = 1; step <= steps.length; step++) {
    assert.ok(steps[step - 1].question.endsWith("?"), `step ${step}`);
    const settings = stepSettings(steps, step);
    if (!settings) continue;
    assert.deepEqual(Object.keys(settings).sort(), KEYS.filter((key) => !FIELDS[key].quiet).sort()); // quiet: the default
    const { settings: parsed, messages } = parseHash(serialiseHash(settings));
    assert.deepEqual(messages, [], `step ${step}`);
    assert.deepEqual(parsed, { ...settings, init: FIELDS.init.default });
  }
  assert.ok(stepSettings(steps, 1), "the first step sets the page up");
  assert.equal(stepSettings(steps, 2), null);
  assert.ok(steps.at(-1).lessons, "the last step leads into the lessons");
});

test("each class has its own marker shape", () => {
  const signatures = SHAPE_NAMES.map((_, c) => JSON.stringify(corners(c, 0, 0, 1).map(([x, y]) => [x.toFixed(3), y.toFixed(3)])));
  assert.equal(new Set(signatures).size, SHAPE_NAMES.length);
  assert.deepEqual(corners(0, 0, 0, 1), []); // a circle
});

test("the exercises' count in the page's text is the page table's: a seventh exercise needs no JavaScript", () => {
  assert.equal(countWord(6), "Six");
  assert.equal(countWord(7), "Seven");
  assert.equal(countWord(13), "13");
  assert.match(countWord(TABLE.exercises.order.length), /^[A-Z][a-z]+$/); // the panel says the table's count in a word
  for (const card of TABLE.tour.cards) assert.doesNotMatch(`${card.text} ${card.question}`, /\b(six|seven|eight) (exercises|functions|lessons|steps)\b|\bof the six\b/i);
});

// node --test tests/js/ — web/teaching/lessons.js's kept predictions, and the lessons' links (issue 28).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { keepPrediction, keepRun, keptPredictions, keptRuns, lessonsHandIn, predictionOf } from "../../web/teaching/lessons.js";
import { makeState } from "../../web/state.js";
import { TABLE } from "./table.mjs";

// The catalogue exactly as build.py writes it into dist/settings.js: the package pynn/page/lessons/'s table().
const LESSONS = JSON.parse(execFileSync(process.env.PYTHON ?? "python3",
  [fileURLToPath(new URL("../../pynn/page/lessons", import.meta.url))], { encoding: "utf8", timeout: 30_000 }));

function memoryStorage(initial = {}) {
  const items = { ...initial };
  return { getItem: (key) => items[key] ?? null, setItem: (key, value) => { items[key] = String(value); }, items };
}

test("each lesson's link opens the lesson with exactly its settings, and no message", () => {
  const { parseHash, parseView, serialiseHash } = makeState({ ...TABLE, lessons: LESSONS });
  assert.deepEqual(LESSONS.map((lesson) => lesson.name), TABLE.assignment.lessons.choices); // pynn.page.lessons.ORDER
  for (const lesson of LESSONS) {
    const hash = `#${serialiseHash(lesson.settings, { lesson: lesson.name })}`;
    assert.deepEqual(parseHash(hash), { settings: lesson.settings, messages: [] }, lesson.name);
    assert.equal(parseView(hash).view.lesson, lesson.name);
    assert.ok(lesson.choices.length >= 3 && lesson.choices.length <= 4);
  }
});

test("predictions are kept per lesson and read back; anything else in storage is ignored", () => {
  const storage = memoryStorage();
  let kept = keptPredictions(storage);
  assert.deepEqual(kept, {});
  kept = keepPrediction(storage, kept, "init", 2);
  kept = keepPrediction(storage, kept, "batch", 0);
  assert.deepEqual(keptPredictions(storage), { init: 2, batch: 0 });
  const init = { name: "init", choices: ["a", "b", "c", "d"] };
  assert.equal(predictionOf(kept, init), 2);
  assert.equal(predictionOf({ init: 4 }, init), null); // not one of its choices
  assert.equal(predictionOf({ init: "2" }, init), null);
  assert.equal(predictionOf({}, init), null);
  for (const junk of ["not json", "[1,2]", "null", "3"]) {
    assert.deepEqual(keptPredictions(memoryStorage({ "pynn.lessons": junk })), {});
  }
});

test("storage that refuses (private mode) keeps the prediction for the visit", () => {
  const refusing = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); } };
  assert.deepEqual(keptPredictions(refusing), {});
  assert.deepEqual(keepPrediction(refusing, {}, "noise", 1), { noise: 1 });
  assert.deepEqual(keptPredictions(undefined), {});
});

test("the hand-in's lessons: the prediction the first run was made with, else the one picked; none, left out", () => {
  const storage = memoryStorage();
  let kept = keepPrediction(storage, {}, "init", 1);
  let runs = keepRun(storage, keptRuns(storage), "init", 1);
  kept = keepPrediction(storage, kept, "init", 2); // changed after seeing the run
  runs = keepRun(storage, runs, "init", 2); // a second run: the first one's prediction stays
  kept = keepPrediction(storage, kept, "batch", 0);
  assert.deepEqual(keptRuns(storage), { init: 1 });
  assert.deepEqual(lessonsHandIn(["init", "batch", "noise", "nope"], LESSONS, kept, runs), {
    init: { prediction: 1, ran: true },
    batch: { prediction: 0, ran: false },
  });
  assert.deepEqual(lessonsHandIn(["init"], LESSONS, keptPredictions(storage), keptRuns(storage)), { init: { prediction: 1, ran: true } });
});

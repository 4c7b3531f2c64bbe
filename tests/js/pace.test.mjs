// node --test tests/js/ — the speed control's paces (web/training/speed.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { FULL_SPEED_SECONDS, PACES, paceLabel, paceOf } from "../../web/training/speed.js";

test("the slowest pace is one SGD update per call, a second apart; the last is full speed", () => {
  assert.deepEqual(paceOf(0), { rate: 1, request: { updates: 1 }, everyMs: 1000 });
  assert.deepEqual(paceOf("1"), { rate: 2, request: { updates: 1 }, everyMs: 500 });
  assert.deepEqual(paceOf(PACES.length - 1), { rate: null, request: { seconds: FULL_SPEED_SECONDS }, everyMs: 0 });
  assert.equal(paceOf(99).rate, null);
});

test("each pace gives its rate of updates a second", () => {
  for (let i = 0; i < PACES.length - 1; i++) {
    const { rate, request, everyMs } = paceOf(i);
    assert.ok(Math.abs(request.updates * (1000 / everyMs) - rate) < 1e-9, `position ${i}`);
    assert.ok(everyMs >= 50, `position ${i}: at most 20 calls a second`);
  }
  for (let i = 1; i < PACES.length - 1; i++) assert.ok(PACES[i] > PACES[i - 1]);
});

test("labels say the rate", () => {
  assert.equal(paceLabel(0), "1 update/s");
  assert.equal(paceLabel(7), "1,000 updates/s");
  assert.equal(paceLabel(8), "full speed");
});

// The speed control: how fast Play trains, from one SGD update at a time, slow enough to follow,
// to full speed. Pure (node --test): main.js's play loop asks Session.run for `request` and waits
// until `everyMs` have passed since it asked.
import { t, tn } from "../lang/text.js";

// SGD updates per second at each position of the range input; null is full speed.
export const PACES = [1, 2, 5, 10, 30, 100, 300, 1000, null];

// Seconds of training per call at full speed: short enough for ≥ 10 redraws of the plane a second,
// long enough that thousands of SGD steps share one call.
export const FULL_SPEED_SECONDS = 0.06;

// Above this many updates a second, one call carries several (a call and a redraw per update
// would cost more than the updates).
const CALLS_PER_SECOND = 20;

// The pace at a position of the control (a number or its text; out of range is full speed).
export function paceOf(position) {
  const rate = PACES[Math.round(Number(position))] ?? null;
  if (rate === null) return { rate, request: { seconds: FULL_SPEED_SECONDS }, everyMs: 0 };
  let calls = Math.min(rate, CALLS_PER_SECOND);
  while (rate % calls) calls -= 1; // a whole number of updates per call
  return { rate, request: { updates: Math.round(rate / calls) }, everyMs: 1000 / calls };
}

export function paceLabel(position) {
  const { rate } = paceOf(position);
  return rate === null ? t("lab.speed.full") : tn("lab.speed.rate", rate);
}

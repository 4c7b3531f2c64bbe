// node --test tests/js/ — web/teaching/deriveview.js: what the page keeps of a derivation, and the gradients
// exercise's code built from it ("Use my derivation").
import assert from "node:assert/strict";
import { test } from "node:test";

import { fillDerivation, storedDerivation, derivationHandIn } from "../../web/teaching/deriveview.js";
import { STORED } from "../../web/start/storage.js";

const STORE = STORED.derivation;

function memory(initial = {}) {
  const items = { ...initial };
  return { getItem: (key) => items[key] ?? null, setItem: (key, value) => { items[key] = String(value); }, items };
}

test("the stored derivation keeps only passed expressions and positive whole hint counts", () => {
  assert.deepEqual(storedDerivation(memory()), { passed: {}, hints: {} });
  assert.deepEqual(storedDerivation(memory({ [STORE]: "not json" })), { passed: {}, hints: {} });
  const kept = memory({ [STORE]: JSON.stringify({ passed: { s1: "h1 - yoh", W1: 3 }, hints: { s1: 2, h1: 0, b1: 1.5, W0: "1" } }) });
  assert.deepEqual(storedDerivation(kept), { passed: { s1: "h1 - yoh" }, hints: { s1: 2 } });
  assert.deepEqual(storedDerivation({ getItem: () => { throw new Error("blocked"); } }), { passed: {}, hints: {} });
});

test("Use my derivation fills every «step» or names the steps still to derive", () => {
  const template = "g1 = «s1»\ndW1 = «W1»\ndb1 = («b1»).sum(axis=1, keepdims=True)\nagain = «s1»";
  assert.deepEqual(fillDerivation(template, { s1: "h1 - yoh" }), { source: "", missing: ["W1", "b1"] });
  const filled = fillDerivation(template, { s1: "h1 - yoh", W1: "g1 @ h0.T", b1: "g1", h0: "unused" });
  assert.deepEqual(filled.missing, []);
  assert.equal(filled.source, "g1 = h1 - yoh\ndW1 = g1 @ h0.T\ndb1 = (g1).sum(axis=1, keepdims=True)\nagain = h1 - yoh");
  // an expression holding «…» or $ is put in as it is
  assert.equal(fillDerivation("x = «s1»", { s1: "$& «W1»" }).source, "x = $& «W1»");
});

test("the hand-in's derivation: each step passed or helped by a hint, in the derivation's order; null for none", () => {
  const stored = { passed: { W1: "g1 @ h0.T", h1: "P" }, hints: { W1: 2, s0: 1 } };
  const handed = derivationHandIn(stored, ["h1", "s1", "W1", "s0"]);
  assert.deepEqual(handed, { h1: { passed: true, hints: 0, expression: "P" }, W1: { passed: true, hints: 2, expression: "g1 @ h0.T" },
    s0: { passed: false, hints: 1, expression: "" } });
  assert.deepEqual(Object.keys(handed), ["h1", "W1", "s0"]);
  assert.equal(derivationHandIn({ passed: {}, hints: {} }, ["h1"]), null);
});

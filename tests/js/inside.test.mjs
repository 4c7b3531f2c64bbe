// node --test tests/js/ — the pure parts of the inside-the-net modules (issue 4 items 1, 2, 7, 8).
import assert from "node:assert/strict";
import { test } from "node:test";

import { t } from "../../web/lang/text.js";
import { NOTES } from "../../web/inside/sourcecode.js";
import { fmt, toPlane } from "../../web/inside/inspect.js";
import { SHORTCUTS, installShortcuts, wantsKey } from "../../web/training/shortcuts.js";
import { applyHide } from "../../web/training/hidecontrols.js";
import { unitPixels } from "../../web/inside/hiddenunits.js";

test("numbers in the equations: a real minus sign, no minus zero, a dash for non-finite", () => {
  assert.equal(fmt(-1.234), "−1.23");
  assert.equal(fmt(0.5, 3), "0.500");
  assert.equal(fmt(-0.001), "0.00");
  assert.equal(fmt(NaN), "–");
});

test("a canvas pixel maps to the plane with x2 up, and the pick radius scales with the canvas", () => {
  assert.deepEqual(toPlane(0, 0, 400, 400, 2), { x1: -2, x2: 2, radius: 0.08 });
  assert.deepEqual(toPlane(200, 300, 400, 400, 2), { x1: 0, x2: -1, radius: 0.08 });
  assert.equal(toPlane(0, 0, 800, 800, 2).radius, 0.04);
});

test("a hidden unit's picture: white at 0, the darkest ink at the unit's maximum, white when dead", () => {
  const values = new Float32Array([0, 0.5, 1, 2, 9]);
  const pixels = unitPixels(values, 1, 3, 1);
  assert.deepEqual([...pixels.slice(0, 4)], [142, 145, 152, 255]); // half way to the ink
  assert.deepEqual([...pixels.slice(4, 8)], [28, 35, 48, 255]);
  assert.deepEqual([...pixels.slice(8, 12)], [28, 35, 48, 255]); // clipped at the maximum
  assert.deepEqual([...unitPixels(values, 0, 1, 1).slice(0, 3)], [255, 255, 255]);
  assert.deepEqual([...unitPixels(values, 3, 2, 0)], [255, 255, 255, 255, 255, 255, 255, 255]);
});

test("the code panel's notes go with the four methods (their equations come from Python)", () => {
  assert.deepEqual(Object.keys(NOTES), ["forward", "loss", "gradients", "sgd_step"]);
  assert.ok(t(NOTES.forward).includes("column by column"));
});

test("shortcuts: space, s and r, never while typing, and space leaves buttons their own key", () => {
  assert.deepEqual(SHORTCUTS, { " ": "play", s: "step", r: "reset" });
  for (const tagName of ["INPUT", "SELECT", "TEXTAREA"]) {
    assert.equal(wantsKey({ tagName }, "s"), false);
  }
  assert.equal(wantsKey({ tagName: "DIV", isContentEditable: true }, "r"), false);
  assert.equal(wantsKey({ tagName: "BUTTON" }, " "), false);
  assert.equal(wantsKey({ tagName: "BUTTON" }, "s"), true);
  assert.equal(wantsKey({ tagName: "BODY" }, " "), true);
});

function fakeDocument() {
  const listeners = [];
  const clicked = [];
  const button = (id, disabled = false) => ({ id, disabled, closest: () => null, click: () => clicked.push(id) });
  const buttons = { play: button("play"), step: button("step"), reset: button("reset", true) };
  return {
    clicked,
    addEventListener: (type, fn) => listeners.push(fn),
    getElementById: (id) => buttons[id] ?? null,
    press(key, target = { tagName: "BODY" }, extra = {}) {
      let prevented = false;
      const event = { key, target, repeat: false, ctrlKey: false, metaKey: false, altKey: false, defaultPrevented: false,
        preventDefault: () => (prevented = true), ...extra };
      for (const fn of listeners) fn(event);
      return prevented;
    },
  };
}

test("a shortcut presses its button, keeps space from scrolling, and skips disabled buttons", () => {
  const doc = fakeDocument();
  installShortcuts(doc);
  assert.equal(doc.press(" "), true);
  doc.press("S");
  doc.press("r"); // reset is disabled
  doc.press("s", { tagName: "INPUT" });
  doc.press("s", { tagName: "BODY" }, { ctrlKey: true });
  doc.press("x");
  assert.deepEqual(doc.clicked, ["play", "step"]);
});

test("present mode hides exactly the named fields, and a fieldset whose fields are all hidden", () => {
  const fields = {};
  const groups = [{ hidden: false, members: [] }, { hidden: false, members: [] }];
  for (const [key, group] of [["lr", 0], ["batch", 0], ["seed", 1]]) {
    const field = { hidden: false };
    groups[group].members.push(field);
    fields[key] = { closest: () => field, field };
  }
  const note = { hidden: true, textContent: "" };
  const doc = {
    getElementById: (id) => (id === "present-note" ? note : fields[id] ?? null),
    querySelectorAll: () => groups.map((group) => ({
      set hidden(value) { group.hidden = value; },
      querySelectorAll: () => group.members,
    })),
  };
  applyHide(["lr", "batch"], ["lr", "batch", "seed", "missing"], doc);
  assert.deepEqual([fields.lr.field.hidden, fields.batch.field.hidden, fields.seed.field.hidden], [true, true, false]);
  assert.deepEqual([groups[0].hidden, groups[1].hidden], [true, false]);
  assert.equal(note.hidden, false);
  assert.match(note.textContent, /lr, batch/);
  applyHide([], ["lr", "batch", "seed"], doc);
  assert.deepEqual([fields.lr.field.hidden, groups[0].hidden, note.hidden], [false, false, true]);
});

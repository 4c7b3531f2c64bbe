// node --test tests/js/ — web/teaching/derive.js, the "Derive the gradients" panel, on a fake document with
// Python's own catalogue (pynn.page.derive.catalogue()) and a fake check.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { DerivePanel } from "../../web/teaching/derive.js";
import { FakeDocument } from "./fakedom.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PYTHON = process.env.PYTHON ?? (existsSync(`${ROOT}.venv/bin/python`) ? `${ROOT}.venv/bin/python` : "python3");
const CATALOGUE = JSON.parse(execFileSync(PYTHON, ["-c",
  "import json; from pynn.page.derive import catalogue; print(json.dumps(catalogue()))"],
{ cwd: ROOT, encoding: "utf8", timeout: 60_000 }));
const ORDER = ["h1", "s1", "W1", "b1", "h0", "s0", "W0", "b0", "batch"];

// A check whose answers the test gives: each call waits until `answer(result)` or `fail(error)`.
function fakeCheck() {
  const calls = [];
  const check = (step, expression) => new Promise((resolve, reject) => calls.push({ step, expression, resolve, reject }));
  return { calls, check };
}

function makePanel(overrides = {}) {
  const doc = new FakeDocument();
  const root = doc.createElement("section");
  const typeset = [];
  const opened = [];
  let changes = 0;
  const { calls, check } = fakeCheck();
  const panel = new DerivePanel({
    root, catalogue: CATALOGUE, check, doc,
    onOpen: (step) => opened.push(step),
    onChange: () => { changes += 1; },
    renderMaths: (element, tex, text, { display }) => {
      typeset.push({ tex, text, display });
      element.textContent = text;
    },
    ...overrides,
  });
  const hook = (testid) => root.byTestId(testid);
  return { doc, root, panel, typeset, opened, calls, hook, changes: () => changes };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function answer({ calls, hook }, expression, result) {
  hook("derive-answer").value = expression;
  hook("derive-check").click();
  const call = calls.at(-1);
  call.resolve(result);
  await settle();
  return call;
}

test("a button per step in the derivation's order; a step shows its question, what is known and the names", () => {
  const { panel, typeset, opened, hook } = makePanel();
  assert.deepEqual(Object.keys(panel.stepButtons), ORDER);
  panel.open("W1");
  const step = CATALOGUE.steps[2];
  assert.deepEqual(opened, ["W1"]);
  assert.deepEqual(typeset, [{ ...step.question, display: true }, ...step.known.map((known) => ({ ...known, display: false }))]);
  assert.equal(hook("derive-question").textContent, step.question.text);
  assert.equal(hook("derive-names").textContent, `You can use: np, ${step.names.join(", ")}`);
  assert.equal(hook("derive-answer").getAttribute("maxlength"), String(CATALOGUE.max_length));
  assert.equal(panel.stepButtons.W1.getAttribute("aria-current"), "step");
  assert.equal(panel.stepButtons.h1.getAttribute("aria-current"), "false");
});

test("a step the hash names that does not exist opens the first", () => {
  const { panel, opened } = makePanel();
  panel.open("W2");
  assert.deepEqual(opened, ["h1"]);
});

test("Check sends the typed expression for the open step and shows the result's status and message", async () => {
  const { panel, calls, hook } = makePanel();
  panel.open("s1");
  hook("derive-answer").value = "yoh - h1";
  hook("derive-check").click();
  assert.deepEqual(calls.map(({ step, expression }) => ({ step, expression })), [{ step: "s1", expression: "yoh - h1" }]);
  assert.equal(hook("derive-result").dataset.status, "checking");
  assert.equal(hook("derive-check").disabled, true);
  hook("derive-check").click(); // pressed again while checking: no second check
  panel.submit();
  assert.equal(calls.length, 1);
  calls[0].resolve({ status: "fail", message: "The sign of h1 − yoh: yours is yoh − h1.", mistake: "sign" });
  await settle();
  const result = hook("derive-result");
  assert.equal(result.dataset.status, "fail");
  assert.equal(result.dataset.mistake, "sign");
  assert.match(result.textContent, /not yet.*The sign of h1 − yoh/);
  assert.equal(hook("derive-check").disabled, false);
  assert.equal(hook("derive-next").hidden, true);
});

test("Enter in the answer checks; other keys type", async () => {
  const { panel, calls, hook } = makePanel();
  panel.open("b1");
  hook("derive-answer").value = "g1";
  assert.equal(hook("derive-answer").dispatch("keydown", { key: "a" }).defaultPrevented, false);
  assert.equal(calls.length, 0);
  assert.equal(hook("derive-answer").dispatch("keydown", { key: "Enter" }).defaultPrevented, true);
  assert.deepEqual(calls.map(({ step, expression }) => [step, expression]), [["b1", "g1"]]);
});

test("a wrong then a right answer: the step passes, its expression is derived, Next opens the next step with the focus", async () => {
  const ui = makePanel();
  const { panel, hook, doc } = ui;
  panel.open("h1");
  await answer(ui, "yoh / h1", { status: "fail", message: "The sign is flipped", mistake: "sign" });
  assert.deepEqual(panel.derived(), {});
  await answer(ui, "-yoh / h1", { status: "pass", message: "Right", mistake: null });
  assert.equal(hook("derive-result").dataset.status, "pass");
  assert.equal(panel.stepButtons.h1.dataset.status, "pass");
  assert.deepEqual(panel.derived(), { h1: "-yoh / h1" });
  const next = hook("derive-next");
  assert.equal(next.hidden, false);
  assert.equal(next.textContent, "Next step: s1");
  next.click();
  assert.equal(panel.current, "s1");
  assert.equal(doc.activeElement, hook("derive-answer"));
  assert.equal(hook("derive-answer").value, "");
  panel.open("h1"); // what was typed comes back with its step
  assert.equal(hook("derive-answer").value, "-yoh / h1");
  assert.equal(hook("derive-result").dataset.status, "pass");
});

test("hints come one at a time, at most as many as the step has, and are counted per step", () => {
  const ui = makePanel();
  const { panel, hook, typeset } = ui;
  panel.open("W1");
  const hints = CATALOGUE.steps[2].hints;
  assert.equal(hints.length, 3);
  assert.equal(hook("derive-hints").children.length, 0);
  assert.equal(hook("derive-hint").textContent, "Hint (0 of 3 used)");
  for (let i = 0; i < 5; i += 1) hook("derive-hint").click();
  panel.nextHint(); // asked for otherwise than by the (disabled) button: still three
  assert.equal(hook("derive-hints").children.length, 3);
  assert.deepEqual(hook("derive-hints").children.map((li) => li.textContent), hints.map((h) => h.say + h.text));
  assert.deepEqual(typeset.slice(-3), hints.map(({ tex, text }) => ({ tex, text, display: true })));
  assert.equal(hook("derive-hint").disabled, true);
  assert.equal(hook("derive-hint").textContent, "No more hints");
  assert.equal(ui.changes(), 3);
  panel.open("b1");
  hook("derive-hint").click();
  assert.deepEqual(panel.hintsUsed(), { W1: 3, b1: 1 });
  panel.open("W1"); // the hints shown stay shown
  assert.equal(hook("derive-hints").children.length, 3);
});

test("a result that arrives after another step was opened goes to its own step", async () => {
  const { panel, calls, hook } = makePanel();
  panel.open("W1");
  hook("derive-answer").value = "g1 @ h0.T";
  hook("derive-check").click();
  panel.open("b1");
  calls[0].resolve({ status: "pass", message: "Right", mistake: null });
  await settle();
  assert.equal(hook("derive-result").dataset.status, "");
  assert.equal(panel.stepButtons.W1.dataset.status, "pass");
  assert.deepEqual(panel.derived(), { W1: "g1 @ h0.T" });
  panel.open("W1");
  assert.equal(hook("derive-result").dataset.status, "pass");
  assert.equal(hook("derive-answer").value, "g1 @ h0.T");
});

test("a check that cannot run shows an error, and Check works again", async () => {
  const { panel, calls, hook } = makePanel();
  panel.open("h0");
  hook("derive-answer").value = "W1.T @ g1";
  hook("derive-check").click();
  calls[0].reject(new Error("the sandbox stopped"));
  await settle();
  assert.equal(hook("derive-result").dataset.status, "error");
  assert.match(hook("derive-result").textContent, /could not run: the sandbox stopped/);
  assert.equal(hook("derive-check").disabled, false);
});

test("the panel writes text only through textContent", () => {
  const source = readFileSync(new URL("../../web/teaching/derive.js", import.meta.url), "utf8");
  assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
});

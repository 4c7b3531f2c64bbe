// node --test tests/js/ — web/classroom/handin.js: the student's hand-in with a stand-in document and the
// real pynn.page.handin in Python: the name kept, the preview of what the file holds, the download
// named pynn-<assignment>-<name>.json that the class view reads back.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { HandInPanel } from "../../web/classroom/handin.js";
import { FakeDocument } from "./fakedoc.mjs";
import { checkedPagePython } from "./pagepython.mjs";

const python = checkedPagePython();
after(() => python.close());

class Storage {
  constructor() {
    this.items = new Map();
  }
  getItem(key) {
    return this.items.get(key) ?? null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
}

const STATE = {
  forward: { code: "def forward(W0, b0, W1, b1, X):\n    return 1\n", status: "fail", passed: 1, total: 3, checks: 4, equations_shown: true, solution_shown: false },
  gradients: { code: "", status: "unchecked", passed: 0, total: 0, checks: 0, equations_shown: false, solution_shown: true },
};

function panel({ storage = new Storage(), exercises = () => STATE, ...more } = {}) {
  const doc = new FakeDocument();
  const root = doc.createElement("div");
  const downloads = [];
  const view = new HandInPanel({ root, python, exercises, storage, doc, build: "b1", ...more,
    assignment: () => ({ title: "Backprop homework", hash: "assign=Backprop%20homework&exercises=forward,gradients" }),
    download: (name, text, type) => downloads.push({ name, text, type }) });
  const by = (id) => root.querySelector(`[data-testid="${id}"]`);
  return { view, by, downloads, storage };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

async function until(condition) {
  for (let i = 0; i < 100 && !condition(); i++) await settle();
  assert.ok(condition());
}

test("without a name the preview shows the exercises and the download waits for the name", async () => {
  const { by } = panel();
  await settle();
  assert.ok(by("handin"));
  assert.equal(by("handin-download").disabled, true);
  assert.equal(by("handin-note").textContent, "Type your name to hand in.");
  const rows = by("handin-preview").querySelectorAll("tbody tr");
  assert.deepEqual(rows.map((tr) => [tr.dataset.exercise, tr.dataset.status]), [["forward", "fail"], ["gradients", "unchecked"]]);
  assert.deepEqual(rows[0].querySelectorAll("td").map((td) => td.textContent), ["not yet (1 of 3)", "4×", "opened", "—", "3 lines"]);
});

test("the name is kept, and the download is the file pynn reads back", async () => {
  const { by, downloads, storage } = panel();
  by("handin-name").value = "Ada Lovelace";
  by("handin-name").dispatch("input");
  assert.equal(storage.getItem("pynn.handin.name"), "Ada Lovelace");
  await until(() => !by("handin-download").disabled);
  assert.equal(by("handin-file").textContent, "The file: pynn-Backprop-homework-Ada-Lovelace.json (Ada Lovelace, 2 exercises)");
  by("handin-download").click();
  await until(() => downloads.length === 1);
  const [{ name, text, type }] = downloads;
  assert.equal(name, "pynn-Backprop-homework-Ada-Lovelace.json");
  assert.equal(type, "application/json");
  const file = JSON.parse(text);
  assert.equal(file.format, "pynn-handin");
  assert.equal(file.name, "Ada Lovelace");
  assert.deepEqual(file.exercises, STATE);
  const entry = await python("read_handin", { file: name, text });
  assert.equal(entry.problem, null);
  assert.deepEqual(entry.handin, file);
  assert.match(by("handin-note").textContent, /^Downloaded pynn-Backprop-homework-Ada-Lovelace\.json\./);

  const again = panel({ storage });
  assert.equal(again.by("handin-name").value, "Ada Lovelace");
});

test("what pynn refuses to hand in is said, and nothing downloads", async () => {
  const big = { forward: { ...STATE.forward, code: "x".repeat(20_001) } };
  const { by, downloads } = panel({ exercises: () => big });
  by("handin-name").value = "Bo";
  by("handin-name").dispatch("input");
  await until(() => by("handin-note").textContent.startsWith("This cannot"));
  assert.equal(by("handin-note").textContent,
    "This cannot be handed in: the code of exercise 'forward' is 20,001 characters; the page's limit is 20,000");
  assert.equal(by("handin-download").disabled, true);
  assert.equal(downloads.length, 0);
});

test("the lessons' predictions and the derivation's steps are previewed and handed in", async () => {
  const lessons = { init: { prediction: 2, ran: true }, batch: { prediction: 0, ran: false } };
  const derivation = { h1: { passed: true, hints: 0, expression: "-yoh / h1" }, W1: { passed: false, hints: 2, expression: "" } };
  const catalogue = [{ name: "init", title: "All weights zero", choices: ["a", "b", "stuck at chance", "d"] },
    { name: "batch", title: "Batch 1 against batch 32", choices: ["x", "y", "z"] }];
  const { by, downloads } = panel({ lessons: () => lessons, derivation: () => derivation, catalogue });
  await settle();
  const rows = by("handin-lessons").querySelectorAll("tbody tr");
  assert.equal(by("handin-lessons").hidden, false);
  assert.deepEqual(rows.map((tr) => [tr.dataset.lesson, tr.querySelectorAll("td").map((td) => td.textContent)]),
    [["init", ["stuck at chance", "run"]], ["batch", ["x", "not run"]]]);
  assert.equal(by("handin-derivation").textContent, "Derive the gradients: 1 step passed (h1), 2 hints used.");
  by("handin-name").value = "Ada";
  by("handin-name").dispatch("input");
  await until(() => !by("handin-download").disabled || by("handin-note").textContent.startsWith("This cannot"));
  assert.equal(by("handin-note").textContent, "");
  by("handin-download").click();
  await until(() => downloads.length === 1);
  const file = JSON.parse(downloads[0].text);
  assert.deepEqual(file.lessons, { batch: lessons.batch, init: lessons.init });
  assert.deepEqual(file.derivation, derivation);
  const entry = await python("read_handin", { file: downloads[0].name, text: downloads[0].text });
  assert.equal(entry.problem, null);
  assert.deepEqual(entry.handin, file);
});

test("without lessons or a derivation the file has neither key and the preview hides them", async () => {
  const { by, downloads } = panel();
  by("handin-name").value = "Ada";
  by("handin-name").dispatch("input");
  await until(() => !by("handin-download").disabled);
  assert.equal(by("handin-lessons").hidden, true);
  assert.equal(by("handin-derivation").hidden, true);
  by("handin-download").click();
  await until(() => downloads.length === 1);
  assert.deepEqual(Object.keys(JSON.parse(downloads[0].text)), ["format", "version", "assignment", "name", "created", "build", "exercises"]);
});

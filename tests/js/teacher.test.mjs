// node --test tests/js/ — web/classroom/teacher.js's class view with a stand-in document, the real
// pynn.page.handin in a Python process, and a fake check(): a broken file gets its row that says
// why, a file claiming "pass" for wrong code is graded by the fresh check, an endless loop is a
// timeout cell and a crash a crashed cell and the grading goes on, code reaching outside its
// exercise is flagged, a student whose grading fails gets the reason and the next is graded, the
// mistakes are counted, the CSV is the gradebook's (a student not graded: empty cells); and the
// assignment form's link, Copy and QR code.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { makeState } from "../../web/state.js";
import { AssignmentForm, drawQr, unreachable } from "../../web/classroom/teacher.js";
import { memoryKeep } from "../../web/classroom/keep.js";
import { ClassView } from "../../web/classroom/classview.js";
import { FakeDocument } from "./fakedoc.mjs";
import { checkedPagePython } from "./pagepython.mjs";
import { TABLE } from "./table.mjs";

// The Session's answers, each passed through the check the page makes of the sandbox's messages
// (the class view may read and grade in the sandbox's Python).
const python = checkedPagePython();
after(() => python.close());

const HASH = "assign=Backprop%20homework&exercises=forward,gradients&solutions=off&equations=ask";
const RIGHT = "def gradients(W0, b0, W1, b1, X, Yoh):\n    ...  # right\n";
const TRANSPOSED = "def gradients(W0, b0, W1, b1, X, Yoh):\n    ...  # h0 @ G1.T\n";
const LOOP = "def forward(W0, b0, W1, b1, X):\n    while True:\n        pass\n";
const CRASH = "import json\njson.loads('[' * 100000)\ndef forward(W0, b0, W1, b1, X):\n    ...\n";
const REACHES = "import js\ndef gradients(W0, b0, W1, b1, X, Yoh):\n    ...  # right\n";

// What check() would answer (pynn.page.judge's result), decided by the code: the class view never sees more.
function fakeCheck(log) {
  return async (name, source) => {
    log.push([name, source]);
    const flags = source.includes("import js") ? ["imports-js"] : [];
    if (source.includes("while True")) return { status: "timeout", checks: [], flags, error: { message: "stopped after 5 s", line: null } };
    if (source.includes("json.loads")) return { status: "crashed", checks: [], flags: ["imports-other"], error: { message: "the sandbox's Python crashed", line: null } };
    if (source.includes("h0 @ G1.T")) {
      return { status: "fail", passed: 0, total: 5, error: null, flags, checks: [
        { name: "shapes", passed: false, message: "∂L/∂W1 must have W1's shape (3, 32); yours is (32, 3)", mistake: "W1-transposed" },
        { name: "values", passed: false, skipped: true, message: "not run until the shapes check passes" }] };
    }
    return { status: "pass", passed: 3, total: 3, error: null, flags, checks: [{ name: "shapes", passed: true, message: "right shapes" }] };
  };
}

function handin(name, exercises, status = "pass") {
  const entries = Object.fromEntries(Object.entries(exercises).map(([exercise, code]) => [exercise,
    { code, status, passed: 3, total: 3, checks: 1, equations_shown: false, solution_shown: exercise === "forward" }]));
  return JSON.stringify({ format: "pynn-handin", version: 2, assignment: { title: "Backprop homework", hash: HASH },
    name, created: "2026-12-04T09:00:00+00:00", build: "b1", exercises: entries });
}

function file(name, text, size = Buffer.byteLength(text)) {
  return { name, size, text: async () => text };
}

function classView({ check, checkStep = null }) {
  const doc = new FakeDocument();
  const root = doc.createElement("section");
  const downloads = [];
  const view = new ClassView({ root, python, check, checkStep, maxBytes: TABLE.handin_max_bytes, doc, codeFlags: TABLE.code_flags,
    download: (name, text, type) => downloads.push({ name, text, type }) });
  return { view, root, downloads };
}

const cell = (root, student, exercise) => root.querySelector(`tr[data-student="${student}"] td[data-exercise="${exercise}"]`);

test("the class view grades every file by fresh checks, with a row for each file", async () => {
  const checked = [];
  const { view, root, downloads } = classView({ check: fakeCheck(checked) });
  const files = [
    file("ada.json", handin("Ada", { forward: RIGHT, gradients: RIGHT })),
    file("bo.json", handin("Bo", { gradients: TRANSPOSED }, "pass")), // claims pass, forward missing
    file("cy.json", handin("Cy", { forward: LOOP, gradients: TRANSPOSED })),
    file("broken.json", "{ not json"),
    file("huge.json", "", 3_000_000),
    file("di.json", handin("Di", { forward: CRASH, gradients: REACHES })),
  ];
  const progress = [];
  const label = root.querySelector('[data-testid="class-progress-label"]');
  const original = view.grading.grade.bind(view.grading);
  view.grading.grade = (list, book, onProgress, joinKept) => original(list, book, (...args) => {
    onProgress(...args);
    progress.push(label.textContent);
  }, joinKept);
  await view.grade(files);

  assert.deepEqual(progress, ["0 of 6 students", "1 of 6 students", "2 of 6 students", "3 of 6 students", "4 of 6 students",
    "5 of 6 students", "6 of 6 students"]);
  assert.deepEqual(root.querySelectorAll('[data-testid="class-table"] tbody tr').map((tr) => tr.dataset.student),
    ["Ada", "Bo", "Cy", "Di", "broken.json", "huge.json"]); // the refused files after the students
  assert.equal(cell(root, "Ada", "forward").dataset.status, "pass");
  assert.equal(cell(root, "Bo", "gradients").dataset.status, "fail"); // the file said "pass"
  assert.equal(cell(root, "Bo", "forward").dataset.status, "missing");
  assert.equal(cell(root, "Cy", "forward").dataset.status, "timeout");
  assert.equal(cell(root, "Cy", "gradients").dataset.status, "fail"); // graded on after the loop
  const broken = root.querySelector('tr[data-student="broken.json"]');
  assert.ok(broken.hasAttribute("data-problem"));
  assert.match(broken.textContent, /this file is not JSON \(Expecting property name enclosed in double quotes at line 1, column 3\)/);
  assert.match(root.querySelector('tr[data-student="huge.json"]').textContent, /this file is 3,000,000 bytes; a hand-in is at most 200,000 bytes/);
  assert.equal(checked.length, 7, "each piece of code handed in is checked once; nothing of a refused file");
  assert.equal(cell(root, "Di", "forward").dataset.status, "crashed"); // a dead sandbox is no endless loop
  assert.equal(cell(root, "Di", "gradients").dataset.status, "pass"); // and the grading goes on
  const di = root.querySelector('tr[data-student="Di"]');
  assert.equal(di.dataset.flags, "imports-js imports-other");
  assert.equal(cell(root, "Di", "gradients").dataset.flags, "imports-js");
  const flag = cell(root, "Di", "gradients").querySelector('[data-testid="class-flag"]');
  assert.equal(flag.textContent, `⚑ ${TABLE.texts[TABLE.code_flags["imports-js"]]}`); // the reasons for screen readers
  assert.equal(flag.getAttribute("title"), TABLE.texts[TABLE.code_flags["imports-js"]]); // and on hover
  assert.equal(root.querySelector('tr[data-student="Ada"]').hasAttribute("data-flags"), false);

  const mistakes = root.querySelector('[data-testid="class-mistakes"]');
  const item = mistakes.querySelector('div[data-exercise="gradients"] li');
  assert.equal(item.dataset.mistake, "W1-transposed");
  assert.equal(item.dataset.count, "2");
  assert.equal(item.textContent, "did you write H0·G1ᵀ instead of G1·H0ᵀ? — 2 students: Bo, Cy"); // the id only in the tooltip
  assert.equal(item.getAttribute("title"), "W1-transposed");
  const forward = mistakes.querySelectorAll('div[data-exercise="forward"] li').map((li) => [li.dataset.mistake, li.dataset.kind, li.textContent]);
  assert.deepEqual(forward, [["crashed", "error", "crashed the sandbox's Python — 1 student: Di"],
    ["timeout", "error", "ran too long (stopped: an endless loop?) — 1 student: Cy"]]);

  root.querySelector('[data-testid="class-csv"]').click();
  assert.equal(downloads.length, 1);
  assert.equal(downloads[0].name, "pynn-Backprop-homework-grades.csv");
  assert.deepEqual(downloads[0].text.trimEnd().split("\n"), [
    "\ufeffname,id,forward,gradients,passed,total,handed_in,flags,mistakes",
    "Ada,,pass,pass,2,2,2026-12-04T09:00:00+00:00,,",
    "Bo,,missing,fail,0,2,2026-12-04T09:00:00+00:00,,gradients:W1-transposed",
    "Cy,,timeout,fail,0,2,2026-12-04T09:00:00+00:00,,forward:timeout gradients:W1-transposed",
    "Di,,crashed,pass,1,2,2026-12-04T09:00:00+00:00,imports-js imports-other,forward:crashed",
    "broken.json,,,,,,\"refused: this file is not JSON (Expecting property name enclosed in double quotes at line 1, column 3)\",,",
    "huge.json,,,,,,\"refused: this file is 3,000,000 bytes; a hand-in is at most 200,000 bytes\",,",
  ]);
});

test("clicking a cell shows that student's code, read-only, with each check's message", async () => {
  const { view, root } = classView({ check: fakeCheck([]) });
  await view.grade([file("bo.json", handin("Bo", { gradients: TRANSPOSED }))]);
  assert.equal(root.querySelector('[data-testid="class-detail"]'), null);
  cell(root, "Bo", "gradients").querySelector("button").click();
  const detail = root.querySelector('[data-testid="class-detail"]');
  assert.equal(detail.hidden, false);
  // just under Bo's row, with the focus
  const rows = root.querySelectorAll("tbody tr");
  assert.equal(rows[rows.findIndex((tr) => tr.dataset.student === "Bo") + 1].className, "class-detail-row");
  assert.equal(detail.ownerDocument.activeElement, detail);
  assert.equal(detail.querySelector('[data-testid="class-code"]').textContent, TRANSPOSED);
  assert.equal(detail.querySelector('[data-testid="class-code"]').tagName, "PRE");
  assert.match(detail.querySelector('[data-testid="class-detail-status"]').textContent,
    /Checked again here: failed \(0 of 5 checks\)\. The file said: pass\. Check pressed once;/);
  assert.deepEqual(detail.querySelectorAll("li").map((li) => li.textContent), [
    "✗ shapes: ∂L/∂W1 must have W1's shape (3, 32); yours is (32, 3)",
    "– values: not run until the shapes check passes",
  ]);
});

test("the same name twice: both rows, marked", async () => {
  const { view, root } = classView({ check: fakeCheck([]) });
  await view.grade([file("a1.json", handin("Ada", { forward: RIGHT })), file("a2.json", handin("ada", { forward: RIGHT }))]);
  const rows = root.querySelectorAll("tbody tr");
  assert.deepEqual(rows.map((tr) => [tr.dataset.student, tr.dataset.file, tr.hasAttribute("data-duplicate")]),
    [["Ada", "a1.json", true], ["ada", "a2.json", true]]);
  assert.match(rows[1].textContent, /2× same name twice: a2\.json/);
});

test("Stop ends the grading after the check under way; the other files get their rows, not graded", async () => {
  let release;
  const checked = [];
  const { view, root, downloads } = classView({ check: async (name, source) => {
    checked.push(name);
    if (checked.length === 1) await new Promise((resolve) => { release = resolve; });
    return fakeCheck([])(name, source);
  } });
  const graded = view.grade([file("a.json", handin("Ann", { forward: RIGHT, gradients: RIGHT })), file("b.json", handin("Ben", { forward: RIGHT }))]);
  while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
  const stop = root.querySelector('[data-testid="class-stop"]');
  assert.equal(stop.disabled, false);
  stop.click();
  release();
  await graded;
  assert.deepEqual(checked, ["forward"]);
  assert.equal(cell(root, "Ann", "forward").dataset.status, "pass");
  assert.equal(cell(root, "Ann", "gradients").dataset.status, "ungraded");
  assert.equal(cell(root, "Ben", "forward").dataset.status, "ungraded");
  assert.equal(cell(root, "Ben", "forward").textContent, "· not graded");
  assert.equal(root.querySelector('tr[data-student="Ben"]').dataset.graded, "false");
  assert.match(root.querySelector('[data-testid="class-progress-label"]').textContent, /2 of 2 students.*stopped/);
  root.querySelector('[data-testid="class-csv"]').click();
  assert.deepEqual(downloads.at(-1).text.trimEnd().split("\n").slice(1), [
    "Ann,,pass,,,,2026-12-04T09:00:00+00:00,,", // never 0 of 2: not graded
    "Ben,,,missing,,,2026-12-04T09:00:00+00:00,,",
  ]);
});

// --- the assignment form ------------------------------------------------------------------------

function form({ clipboard = { writeText: async () => {} }, qrcode } = {}) {
  const doc = new FakeDocument();
  const root = doc.createElement("section");
  const state = makeState(TABLE);
  const settings = { ...state.defaults(), hidden: 8, lr: 0.5 };
  const loadQr = async () => ({ qrcode });
  const view = new AssignmentForm({ root, table: TABLE, state, current: () => ({ settings }), base: "http://class.example/pynn/", clipboard, loadQr, doc });
  return { view, root, doc };
}

function fakeQrcode(drawn) {
  return () => {
    const data = [];
    return {
      addData: (text) => data.push(text),
      make: () => drawn.push(data.join("")),
      getModuleCount: () => 21,
      isDark: (row, col) => row === col,
    };
  };
}

test("the form makes the assignment link from its fields and the page's setup", async () => {
  const drawn = [];
  const copied = [];
  const { view, root } = form({ clipboard: { writeText: async (text) => copied.push(text) }, qrcode: fakeQrcode(drawn) });
  const by = (id) => root.querySelector(`[data-testid="${id}"]`);
  by("assign-title").value = "Backprop homework";
  by("assign-title").dispatch("input");
  for (const name of TABLE.exercises.order.filter((name) => name !== "gradients" && name !== "forward")) {
    by(`assign-exercise-${name}`).checked = false;
    by(`assign-exercise-${name}`).dispatch("change");
  }
  by("assign-up-gradients").click();
  by("assign-up-gradients").click(); // gradients before forward
  by("assign-solutions").checked = false;
  by("assign-solutions").dispatch("change");
  by("assign-equations").value = "ask";
  by("assign-equations").dispatch("change");
  by("assign-hide-lr").checked = true;
  by("assign-hide-lr").dispatch("change");
  for (const name of ["diagram", "stepper", "inside", "code", "units", "gradcheck"]) {
    by(`assign-panel-${name}`).checked = false;
    by(`assign-panel-${name}`).dispatch("change");
  }
  const link = by("assign-link").value;
  const setup = view.state.serialiseHash({ ...view.state.defaults(), hidden: 8, lr: 0.5 }, { hide: ["lr"] });
  assert.match(setup, /hidden=8&.*lr=0\.5&.*hide=lr$/);
  assert.equal(link, `http://class.example/pynn/#${setup}` +
    "&assign=Backprop%20homework&exercises=gradients,forward&solutions=off&equations=ask&panels=plane,exercises");
  assert.match(by("assign-setup").textContent, /hidden units 8, .*learning rate 0\.5/); // in words
  by("assign-copy").click();
  await Promise.resolve();
  assert.deepEqual(copied, [link]);
  await view.drawn;
  assert.equal(drawn.at(-1), link);
  const qr = by("assign-qr");
  assert.equal(qr.width, (21 + 8) * 4);
  assert.equal(qr.drawn.filter(([colour]) => colour === "#000").length, 21); // the fake's diagonal
  // Lessons: none by default (the link above names none), those ticked in the catalogue's order.
  for (const name of ["init", "capacity"]) {
    by(`assign-lesson-${name}`).checked = true;
    by(`assign-lesson-${name}`).dispatch("change");
  }
  assert.ok(by("assign-link").value.endsWith("&panels=plane,exercises&lessons=capacity,init"), by("assign-link").value);
  for (const name of ["init", "capacity"]) {
    by(`assign-lesson-${name}`).checked = false;
    by(`assign-lesson-${name}`).dispatch("change");
  }
  assert.equal(by("assign-link").value, link);
});

test("drawQr draws the modules inside a four-module quiet zone", () => {
  const doc = new FakeDocument();
  const canvas = doc.createElement("canvas");
  assert.equal(drawQr(fakeQrcode([]), canvas, "x", 2), 21);
  assert.deepEqual(canvas.drawn[0], ["#fff", 0, 0, 58, 58]);
  assert.deepEqual(canvas.drawn[1], ["#000", 8, 8, 2, 2]);
});

test("a student whose grading fails is marked with the reason, and the next student is graded", async () => {
  const { view, root, downloads } = classView({ check: async (name, source) => {
    if (name === "gradients" && source === TRANSPOSED) throw new Error("the training worker did not answer");
    return fakeCheck([])(name, source);
  } });
  await view.grade([file("a.json", handin("Ann", { forward: RIGHT, gradients: TRANSPOSED })), file("b.json", handin("Ben", { gradients: RIGHT }))]);
  const ann = root.querySelector('tr[data-student="Ann"]');
  assert.ok(ann.hasAttribute("data-failure"));
  assert.match(ann.textContent, /the grading failed for this student: the training worker did not answer/);
  assert.equal(cell(root, "Ann", "forward").dataset.status, "pass");
  assert.equal(cell(root, "Ann", "gradients").dataset.status, "ungraded");
  assert.equal(cell(root, "Ben", "gradients").dataset.status, "pass");
  root.querySelector('[data-testid="class-csv"]').click();
  assert.equal(downloads[0].text.trimEnd().split("\n")[1],
    "Ann,,pass,,,,not graded: the grading failed for this student: the training worker did not answer,,");
});

test("the class table has a column per lesson (the prediction) and per derivation step, after the exercises", async () => {
  const stepsChecked = [];
  const checkStep = async (step, expression) => {
    stepsChecked.push([step, expression]);
    return expression === "g1 @ h0.T" ? { status: "pass", mistake: null, message: "Right" } : { status: "fail", mistake: "sign", message: "the sign" };
  };
  const { view, root, downloads } = classView({ check: fakeCheck([]), checkStep });
  const withLessons = (name, lessons, derivation) => {
    const value = JSON.parse(handin(name, { forward: RIGHT }));
    value.assignment.hash = `${HASH}&lessons=init`;
    return JSON.stringify({ ...value, lessons, ...(derivation ? { derivation } : {}) });
  };
  await view.grade([
    file("ada.json", withLessons("Ada", { init: { prediction: 2, ran: true } },
      { W1: { passed: true, hints: 2, expression: "g1 @ h0.T" }, h1: { passed: true, hints: 0, expression: "yoh / h1" } })),
    file("bo.json", withLessons("Bo", { init: { prediction: 0, ran: false } })),
    file("cy.json", withLessons("Cy", {})),
    file("broken.json", "{"),
  ]);
  const heads = root.querySelectorAll('[data-testid="class-table"] thead th').map((th) => th.textContent);
  assert.deepEqual(heads.slice(0, 6), ["Student", "forward", "gradients", "Passed", "Handed in", "lesson init"]);
  assert.equal(heads.length, 6 + 9);
  const lesson = (student) => root.querySelector(`tr[data-student="${student}"] td[data-lesson="init"]`);
  assert.deepEqual([lesson("Ada").dataset.status, lesson("Ada").dataset.prediction, lesson("Ada").textContent], ["right", "2", "✓ 3"]);
  assert.deepEqual([lesson("Bo").dataset.status, lesson("Bo").textContent], ["wrong", "✗ 1 (not run)"]);
  assert.deepEqual([lesson("Cy").dataset.status, lesson("Cy").textContent], ["missing", "–"]);
  assert.deepEqual(stepsChecked, [["h1", "yoh / h1"], ["W1", "g1 @ h0.T"]]); // in the derivation's order
  const step = (student, name) => root.querySelector(`tr[data-student="${student}"] td[data-step="${name}"]`);
  assert.deepEqual([step("Ada", "W1").dataset.status, step("Ada", "W1").dataset.hints, step("Ada", "W1").textContent], ["pass", "2", "✓ 2h"]);
  assert.deepEqual([step("Ada", "h1").dataset.status, step("Ada", "h1").dataset.claimed, step("Ada", "h1").dataset.mistake],
    ["fail", "true", "sign"]); // the file said passed
  assert.equal(step("Bo", "W1").textContent, "–");
  assert.equal(root.querySelector('tr[data-problem] td').colSpan, 4 + 1 + 9);
  root.querySelector('[data-testid="class-csv"]').click();
  const [header, ...lines] = downloads[0].text.trimEnd().split("\n");
  assert.ok(header.startsWith("\ufeffname,id,forward,gradients,passed,total,handed_in,flags,mistakes,lesson:init,derive:h1,"), header);
  assert.ok(lines.find((line) => line.startsWith("Ada,")).includes(",right,"));
});

test("solutions off means off: pynn's code is unticked, and ticking it warns", async () => {
  const { root } = form({ qrcode: fakeQrcode([]) });
  const by = (id) => root.querySelector(`[data-testid="${id}"]`);
  assert.equal(by("assign-panel-code").checked, true);
  assert.equal(by("assign-code-warning").hidden, true);
  by("assign-solutions").checked = false;
  by("assign-solutions").dispatch("change");
  assert.equal(by("assign-panel-code").checked, false);
  assert.doesNotMatch(by("assign-link").value, /panels=[^&]*code/);
  by("assign-panel-code").checked = true;
  by("assign-panel-code").dispatch("change");
  assert.equal(by("assign-code-warning").hidden, false);
  assert.match(by("assign-link").value, /panels=[^&]*code/);
  by("assign-solutions").checked = true;
  by("assign-solutions").dispatch("change");
  assert.equal(by("assign-code-warning").hidden, true);
});

test("the form: help for each option, no assign=& for an empty title, a required id, the address students cannot reach", async () => {
  const { root } = form({ qrcode: fakeQrcode([]) });
  const by = (id) => root.querySelector(`[data-testid="${id}"]`);
  assert.ok(root.querySelectorAll(".assign-help").length >= 8);
  assert.doesNotMatch(by("assign-link").value, /assign=/);
  assert.doesNotMatch(by("assign-link").value, /student_id/);
  by("assign-student-id").value = "required";
  by("assign-student-id").dispatch("change");
  assert.match(by("assign-link").value, /&student_id=required/);
  assert.equal(by("assign-address-warning").hidden, true); // class.example: reachable
  assert.deepEqual(["http://127.0.0.1:8000/", "http://localhost/", "file:///home/t/pynn/index.html", "http://[::1]:8000/",
    "http://192.168.1.5:8000/"].map(unreachable), [true, true, true, true, false]);
  by("assign-show").click();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(by("assign-projector").hidden, false);
  assert.equal(by("assign-big-link").textContent, by("assign-link").value);
  by("assign-show-close").click();
  assert.equal(by("assign-projector").hidden, true);
});

test("the class is kept: files added later join it, a newer file replaces the older row (kept, viewable), a reload restores it", async () => {
  const keep = memoryKeep();
  const doc = new FakeDocument();
  const make = () => {
    const root = doc.createElement("section");
    return { root, view: new ClassView({ root, python, check: fakeCheck([]), maxBytes: TABLE.handin_max_bytes, doc, keep,
      codeFlags: TABLE.code_flags, download: () => {} }) };
  };
  const later = (name, exercises, created) => JSON.stringify({ ...JSON.parse(handin(name, exercises)), created });
  const first = make();
  await first.view.grade([file("ada.json", handin("Ada", { gradients: TRANSPOSED })), file("bo.json", handin("Bo", { forward: RIGHT }))]);
  await first.view.grade([file("cy.json", handin("Cy", { forward: RIGHT })), file("ada.json", later("Ada", { gradients: RIGHT }, "2026-12-05T09:00:00+00:00")),
    file("bo.json", handin("Bo", { forward: RIGHT }))]); // Bo's same file again: not added twice
  const rows = () => first.root.querySelectorAll("tbody tr").map((tr) => tr.dataset.student);
  assert.deepEqual(rows(), ["Ada", "Bo", "Cy"]);
  assert.equal(cell(first.root, "Ada", "gradients").dataset.status, "pass"); // the newer file
  const ada = first.root.querySelector('tr[data-student="Ada"]');
  assert.equal(ada.dataset.replaced, "1");
  ada.querySelector('[data-testid="class-older"]').click();
  assert.equal(first.root.querySelector('[data-testid="class-older-code"]').textContent, TRANSPOSED);
  assert.match(first.root.querySelector('[data-testid="class-progress-label"]').textContent, /1 file was in the class already/);

  const reloaded = make();
  await reloaded.view.restore();
  assert.deepEqual(reloaded.root.querySelectorAll("tbody tr").map((tr) => tr.dataset.student), ["Ada", "Bo", "Cy"]);
  assert.equal(cell(reloaded.root, "Ada", "gradients").dataset.status, "pass");
  assert.match(reloaded.root.querySelector('[data-testid="class-kept"]').textContent, /^Backprop homework — 3 students, graded (\d+ \w+|\w+ \d+)$/);
  reloaded.root.querySelector('[data-testid="class-forget"]').click();
  assert.equal(reloaded.root.querySelectorAll("tbody tr").length, 3); // asks first
  reloaded.root.querySelector('[data-testid="class-forget-confirm"]').click();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(reloaded.root.querySelectorAll("tbody tr").length, 0);
  assert.deepEqual(await keep.list(), []);
});

test("the mistakes name five students inline, then + n more (all of them on hover), the id only in the tooltip", () => {
  const { view, root } = classView({ check: fakeCheck([]) });
  const names = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"];
  view.showMistakes({ columns: ["forward"], mistakes: { forward: [
    { id: "shape-mismatch", kind: "error", label: "shape mismatch (numpy refused to combine the arrays)", count: 7, names }] } });
  const item = root.querySelector('[data-testid="class-mistakes"] li');
  // The rest of the names are there for print only (classroom.css shows them on paper instead of "+ n more").
  const rest = item.children.find((child) => child.className === "class-mistake-rest"); // (the stand-in reads no class selector)
  assert.equal(rest.textContent, ", Flo, Gus");
  assert.equal(item.textContent.replace(rest.textContent, ""), "shape mismatch (numpy refused to combine the arrays) — 7 students: Ann, Bo, Cy, Di, Ed + 2 more");
  assert.equal(item.getAttribute("title"), "shape-mismatch");
  const more = item.children.find((child) => child.className === "class-mistake-more");
  assert.equal(more.getAttribute("title"), names.join(", "));
});

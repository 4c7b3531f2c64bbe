// The teacher's page (#view=teacher): a form that makes an assignment link (with a Copy button and
// a QR code the page draws itself), and the class view that grades the students' hand-ins.
//
// Nothing here understands a hand-in or grades one: pynn.page.handin does, in Python. The module
// is handed three async functions:
//   python(method, args) calls a Session method (pynn.page.session.PAGE_CALLS) as the page's
//                       call(method, args) does: read_handin({ file, text, size }) and
//                       class_report({ entries, results }), both pynn.page.handin's
//   check(name, source) checks a piece of code as the student's Check does (web/start/checking.js:
//                       it runs in the sandbox, pynn judges what came out in the training
//                       worker); resolves with pynn.page.judge's result { status, passed, total,
//                       checks, error, flags }, status "timeout" for code that did not end,
//                       "crashed" for code that killed the sandbox's Python
//   checkStep(step, expression) the same for a derivation step (pynn.page.derive's result)
// so node --test drives it with fakes. Every piece of student code and every step's expression is
// checked again: what a file says it scored is never used. Text from a file or from Python
// reaches the page only through textContent.
import { makeAssignment } from "./assignment.js";
import { elementMaker } from "../dom.js";
import { t } from "../lang/text.js";

const STATUS_MARK = {
  pass: "✓", fail: "✗", error: "✗ error", timeout: "✗ timeout", crashed: "✗ crashed", invalid: "✗ invalid answer",
  missing: "–", ungraded: "· not graded", unchecked: "? not re-checked",
};
const LESSON_MARK = { right: "✓", wrong: "✗", missing: "–" };
const LESSON_TEXT = { right: "predicted what the run shows", wrong: "predicted otherwise than the run shows", missing: "no prediction" };
const STATUS_TEXT = {
  pass: "passed", fail: "failed", error: "an error", timeout: "stopped (endless loop?)",
  crashed: "crashed the sandbox's Python", invalid: "an invalid answer (the sandbox's reply could not be used)",
  missing: "not handed in", ungraded: "not graded", unchecked: "not re-checked (an old hand-in: the step's expression is not in it)",
};
const FLAG_MARK = "⚑";
const RAN = ["pass", "fail"]; // the statuses of code whose checks ran: their count means something

// --- grading, without a page ---------------------------------------------------------------------

// Reads and grades many hand-in files, one student at a time: each file through
// Session.read_handin (a file over the limit is not read at all), each piece of its code through
// check() and each derivation step's expression through checkStep(), then the whole class again
// through Session.class_report after each student, so the table fills in as it goes. stop() lets
// the check under way end, then reads the other files without checking them: their results are
// null, their cells "ungraded" (empty in the CSV, never 0). A failure while grading one student
// (a call that broke) is that student's `failure`, and the next student is graded.
// fresh(): called before each student's checks (the page restarts the sandbox there, so one
// student's code cannot change another's outputs); none by default.
export class Grading {
  constructor({ python, check, checkStep = null, maxBytes, fresh = null }) {
    this.python = python;
    this.check = check;
    this.checkStep = checkStep;
    this.fresh = fresh;
    this.timings = { freshMs: 0, checkMs: 0 }; // the last grading's time in fresh() and in the checks
    this.maxBytes = maxBytes;
    this.stopped = false;
    this.running = false;
    this.entries = []; // the files read so far, as read_handin returned them
    this.results = []; // their fresh results: { exercises, steps, failure } or null (the checks' lines are shown from here)
  }

  stop() {
    this.stopped = true;
  }

  // files: File-like objects ({ name, size, text() }); onProgress(done, total, report) after each
  // student. Resolves with the last report ({ columns, rows, mistakes, csv }) and the entries read.
  async grade(files, onProgress = () => {}) {
    const list = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.running = true;
    this.stopped = false;
    const entries = (this.entries = []);
    const results = (this.results = []);
    this.timings = { freshMs: 0, checkMs: 0 };
    let report = null;
    try {
      onProgress(0, list.length, report);
      for (const file of list) {
        entries.push(await this.read(file).catch((error) => (
          { file: file.name, handin: null, problem: `this file could not be read: ${error.message}` })));
        results.push(this.stopped ? null : await this.gradeOne(entries.at(-1).handin));
        report = await this.python("class_report", { entries, results }).catch(() => report);
        onProgress(entries.length, list.length, report);
      }
    } finally {
      this.running = false;
    }
    return { report, entries };
  }

  // One student's fresh results: { exercises: { name: result }, steps: { step: result }, failure }.
  async gradeOne(handin) {
    const result = { exercises: {}, steps: {}, failure: "" };
    const steps = Object.entries(handin?.derivation ?? {}).filter(([, given]) => given.expression?.trim());
    const code = Object.entries(handin?.exercises ?? {});
    if (!code.length && !steps.length) return result;
    try {
      let started = performance.now();
      if (this.fresh && !this.stopped) await this.fresh();
      this.timings.freshMs += performance.now() - started;
      started = performance.now();
      for (const [name, given] of code) {
        if (this.stopped) break;
        result.exercises[name] = await this.check(name, given.code);
      }
      for (const [step, given] of this.checkStep ? steps : []) {
        if (this.stopped) break;
        result.steps[step] = await this.checkStep(step, given.expression);
      }
      this.timings.checkMs += performance.now() - started;
    } catch (error) {
      result.failure = `the grading failed for this student: ${error?.message ?? error}`;
    }
    return result;
  }

  async read(file) {
    if (file.size > this.maxBytes) return this.python("read_handin", { file: file.name, text: "", size: file.size });
    let text;
    try {
      text = await file.text();
    } catch (error) {
      return { file: file.name, handin: null, problem: `this file could not be read: ${error.message}` };
    }
    return this.python("read_handin", { file: file.name, text });
  }
}

// The files of a drop: every file dropped, and the files inside a dropped folder (its sub-folders
// too), where the browser gives folders (DataTransferItem.webkitGetAsEntry).
export async function droppedFiles(dataTransfer) {
  const entries = [...(dataTransfer.items ?? [])].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...(dataTransfer.files ?? [])];
  const files = [];
  async function walk(entry) {
    if (entry.isFile) files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
    else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const child of batch) await walk(child);
      }
    }
  }
  for (const entry of entries) await walk(entry);
  return files;
}

// --- the class view -------------------------------------------------------------------------------

export class ClassView {
  // root: the element to fill; download(name, text, type): web/data/files.js's; doc: the document.
  // codeFlags: the page table's code_flags (each flag's reason, by its code).
  constructor({ root, python, check, checkStep = null, maxBytes, download, fresh = null, codeFlags = {}, doc = globalThis.document }) {
    this.h = elementMaker(doc);
    this.root = root;
    this.download = download;
    this.codeFlags = codeFlags;
    this.grading = new Grading({ python, check, checkStep, maxBytes, fresh });
    this.report = null;
    this.build();
  }

  build() {
    this.files = this.h("input", { type: "file", multiple: true, accept: ".json,application/json", className: "visually-hidden", testid: "class-files" });
    this.files.addEventListener("change", () => {
      const chosen = [...this.files.files];
      this.files.value = ""; // choosing the same files again grades them again
      this.grade(chosen);
    });
    this.drop = this.h("div", { className: "class-drop", testid: "class-drop" },
      this.h("label", { className: "button file-button" }, "Choose hand-ins…", this.files),
      this.h("span", { className: "hint" }, " or drop the files, or their folder, here"));
    this.drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      this.drop.classList.add("over");
    });
    this.drop.addEventListener("dragleave", () => this.drop.classList.remove("over"));
    this.drop.addEventListener("drop", async (event) => {
      event.preventDefault();
      this.drop.classList.remove("over");
      this.grade(await droppedFiles(event.dataTransfer));
    });
    this.progress = this.h("progress", { max: 1, value: 0, testid: "class-progress", "aria-label": "Students graded" });
    this.progressLabel = this.h("span", { className: "class-progress-label", testid: "class-progress-label", role: "status" });
    this.stopButton = this.h("button", { type: "button", className: "button small", testid: "class-stop", disabled: true }, "Stop");
    this.stopButton.addEventListener("click", () => {
      this.grading.stop();
      this.stopButton.disabled = true;
      this.progressLabel.textContent += " — stopping after this check";
    });
    this.table = this.h("table", { className: "class-table", testid: "class-table" });
    this.detail = this.h("section", { className: "class-detail", testid: "class-detail", hidden: true, "aria-live": "polite" });
    this.mistakes = this.h("section", { className: "class-mistakes", testid: "class-mistakes" });
    this.csvButton = this.h("button", { type: "button", className: "button small", testid: "class-csv", disabled: true }, "Download CSV");
    this.csvButton.addEventListener("click", () => this.report && this.download(this.report.csv_name, this.report.csv, "text/csv"));
    this.root.replaceChildren(
      this.h("h2", { className: "card-title" }, "Grade the class"),
      this.h("p", { className: "hint" },
        "Load the students' hand-in files. Every piece of code and every derivation step runs again here, in the " +
        "sandbox, on inputs drawn afresh, and pynn judges what came out outside it — what a file says it scored is " +
        "never used. ⚑ marks code that reaches outside its exercise. Nothing leaves this page."),
      this.drop,
      this.h("p", { className: "class-progress-row" }, this.progress, " ", this.progressLabel, " ", this.stopButton),
      this.table, this.detail,
      this.h("h3", {}, "Mistakes the checks recognised"), this.mistakes,
      this.h("p", {}, this.csvButton, this.h("span", { className: "hint" },
        " name, each exercise, passed, total, handed_in, flags, then each lesson's prediction and each derivation step — " +
        "for a gradebook (a student not graded has empty cells, never 0)")),
    );
  }

  async grade(files) {
    if (this.grading.running || !files.length) return;
    this.stopButton.disabled = false;
    this.detail.hidden = true;
    let report = null;
    try {
      ({ report } = await this.grading.grade(files, (done, total, partial) => {
        this.progress.max = Math.max(total, 1);
        this.progress.value = done;
        this.progressLabel.textContent = `${done} of ${total} students`;
        if (partial) this.show(partial);
      }));
    } catch (error) {
      this.progressLabel.textContent = `The grading stopped: ${error.message}`;
    }
    this.stopButton.disabled = true;
    this.progress.dataset.freshMs = String(Math.round(this.grading.timings.freshMs)); // for bench/grading.py
    this.progress.dataset.checkMs = String(Math.round(this.grading.timings.checkMs));
    if (this.grading.stopped) this.progressLabel.textContent += ": stopped; the students not graded are marked “not graded”";
    if (report) this.show(report);
  }

  show(report) {
    this.report = report;
    this.showTable(report);
    this.showMistakes(report);
    this.csvButton.disabled = false;
  }

  // After the exercises, Passed and Handed in: a column per lesson (the prediction's number, ✓ where
  // it is what the lesson's run shows) and per derivation step (✓ passed when checked again, with
  // the hints used). A row whose code reaches outside its exercise carries data-flags (the codes);
  // each such cell shows ⚑ and the reasons.
  showTable({ columns, rows, lessons = [], steps = [] }) {
    const head = this.h("tr", {}, this.h("th", { scope: "col" }, "Student"),
      ...columns.map((name) => this.h("th", { scope: "col" }, name)),
      this.h("th", { scope: "col" }, "Passed"), this.h("th", { scope: "col" }, "Handed in"),
      ...lessons.map((name) => this.h("th", { scope: "col", className: "class-lesson", data: { lesson: name } }, `lesson ${name}`)),
      ...steps.map((step) => this.h("th", { scope: "col", className: "class-step", data: { step } }, `∂ ${step}`)));
    const body = rows.map((row) => {
      const tr = this.h("tr", { data: { student: row.name, file: row.file } });
      const who = this.h("th", { scope: "row" }, row.name);
      tr.append(who);
      if (row.problem) {
        tr.dataset.problem = "";
        tr.append(this.h("td", { colSpan: columns.length + 2 + lessons.length + steps.length, className: "class-problem" }, `not graded: ${row.problem}`));
        return tr;
      }
      if (row.duplicate) {
        tr.dataset.duplicate = "";
        who.append(this.h("span", { className: "class-duplicate" }, ` (same name twice: ${row.file})`));
      }
      if (row.flags.length) tr.dataset.flags = row.flags.join(" ");
      if (row.failure) {
        tr.dataset.failure = "";
        who.append(this.h("span", { className: "class-failure" }, ` (${row.failure})`));
      }
      tr.dataset.graded = String(row.graded);
      tr.append(...columns.map((name) => this.exerciseCell(row, name)));
      const counted = row.graded ? `${row.passed} of ${row.total}` : "not graded";
      tr.append(this.h("td", {}, counted), this.h("td", {}, row.handed_in.replace("T", " ").slice(0, 16)));
      tr.append(...lessons.map((name) => this.lessonCell(row, name)), ...steps.map((step) => this.stepCell(row, step)));
      return tr;
    });
    this.table.replaceChildren(this.h("thead", {}, head), this.h("tbody", {}, ...body));
  }

  // The reasons of a cell's flags, in words (the page table's code_flags).
  flagReasons(flags) {
    return flags.map((code) => (this.codeFlags[code] ? t(this.codeFlags[code]) : code)).join("; ");
  }

  // An exercise's cell: its status, the checks passed where they ran (not for code that never
  // answered), and ⚑ with the reasons where the code reaches outside its exercise.
  exerciseCell(row, name) {
    const cell = row.cells[name];
    const counted = cell.total && RAN.includes(cell.status) ? ` ${cell.passed}/${cell.total}` : "";
    const flagged = cell.flags.length ? `, flagged: ${this.flagReasons(cell.flags)}` : "";
    const button = this.h("button", { type: "button", className: `class-cell status-${cell.status}`,
      "aria-label": `${row.name}, ${name}: ${STATUS_TEXT[cell.status]}${flagged}` }, `${STATUS_MARK[cell.status]}${counted}`);
    button.addEventListener("click", () => this.showDetail(row, name));
    const td = this.h("td", { data: { exercise: name, status: cell.status } }, button);
    if (cell.flags.length) {
      td.dataset.flags = cell.flags.join(" ");
      td.append(this.h("span", { className: "class-flag", testid: "class-flag" }, `${FLAG_MARK} ${this.flagReasons(cell.flags)}`));
    }
    return td;
  }

  lessonCell(row, name) {
    const cell = row.lessons[name];
    const said = cell.status === "missing" ? "" : ` ${cell.prediction + 1}${cell.ran ? "" : " (not run)"}`;
    return this.h("td", {
      className: `class-lesson status-${cell.status}`, title: cell.choice,
      data: { lesson: name, status: cell.status, prediction: cell.prediction, ran: cell.ran },
      "aria-label": `${row.name}, lesson ${name}: ${LESSON_TEXT[cell.status]}${cell.choice ? `: ${cell.choice}` : ""}${cell.ran ? ", run" : ""}`,
    }, `${LESSON_MARK[cell.status]}${said}`);
  }

  // A derivation step's cell: its fresh check (✓, ✗ with the mistake's identifier), "?" for a step
  // an old hand-in cannot have checked again, "–" for no answer; the hints used.
  stepCell(row, step) {
    const cell = row.derivation[step];
    const hints = cell.hints ? ` ${cell.hints}h` : "";
    const why = cell.mistake ? ` (${cell.mistake})` : "";
    return this.h("td", {
      className: `class-step status-${cell.status}`, title: cell.mistake,
      data: { step, status: cell.status, claimed: cell.claimed, hints: cell.hints, mistake: cell.mistake },
      "aria-label": `${row.name}, step ${step}: ${STATUS_TEXT[cell.status]}${why}, ${cell.hints} hints`,
    }, `${STATUS_MARK[cell.status]}${hints}`);
  }

  // One student's code for one exercise, read-only, with each check's message.
  showDetail(row, exercise) {
    const cell = row.cells[exercise];
    const index = this.grading.entries.findIndex((item) => item.file === row.file);
    const code = this.grading.entries[index]?.handin?.exercises?.[exercise]?.code;
    const checks = this.grading.results[index]?.exercises?.[exercise]?.checks ?? [];
    const parts = [this.h("h3", {}, `${row.name} — ${exercise}`)];
    if (cell.status === "missing") {
      parts.push(this.h("p", {}, "Not in this hand-in."));
    } else {
      const counted = cell.total && RAN.includes(cell.status) ? ` (${cell.passed} of ${cell.total} checks)` : "";
      parts.push(this.h("p", { testid: "class-detail-status" },
        `Checked again here: ${STATUS_TEXT[cell.status]}${counted}. The file said: ${cell.claimed}. ` +
        `Check pressed ${cell.tries} times; equations ${cell.equations_shown ? "opened" : "not opened"}; ` +
        `solution ${cell.solution_shown ? "shown" : "not shown"}.`));
      if (cell.flags.length) {
        parts.push(this.h("p", { className: "class-flag", testid: "class-detail-flags" },
          `${FLAG_MARK} This code reaches outside its exercise: ${this.flagReasons(cell.flags)}. Its grade is what it computed; read it.`));
      }
      if (cell.error) parts.push(this.h("p", { className: "result-error" }, cell.error));
      if (checks.length) {
        parts.push(this.h("ul", { className: "result-checks" }, ...checks.map((line) => {
          const [kind, mark] = line.passed ? ["check-ok", "✓"] : line.skipped ? ["check-skip", "–"] : ["check-bad", "✗"];
          return this.h("li", { className: kind, data: { check: line.name } }, `${mark} `, this.h("strong", {}, `${line.name}: `), line.message);
        })));
      }
      parts.push(this.h("pre", { className: "class-code", testid: "class-code", "aria-label": "The student's code (read-only)" }, code ?? ""));
    }
    this.detail.replaceChildren(...parts);
    this.detail.hidden = false;
  }

  showMistakes({ columns, mistakes }) {
    const parts = [];
    for (const name of columns) {
      const found = mistakes[name] ?? [];
      if (!found.length) continue;
      parts.push(this.h("div", { data: { exercise: name } }, this.h("h4", {}, name), this.h("ul", {}, ...found.map((item) =>
        this.h("li", { data: { mistake: item.id, count: item.count } },
          `${item.label === item.id ? item.id : `${item.label} (${item.id})`} — ${item.count} ${item.count === 1 ? "student" : "students"} `,
          this.h("details", {}, this.h("summary", {}, "names"), item.names.join(", ")))))));
    }
    if (!parts.length) parts.push(this.h("p", { className: "hint" }, "No named mistake in the hand-ins graded so far."));
    this.mistakes.replaceChildren(...parts);
  }
}

// --- the assignment form ----------------------------------------------------------------------

// The QR code of `text` on `canvas`: qrcode-generator's modules (dist/vendor/qrcode.js), `scale`
// pixels each, with the four-module quiet zone a reader needs.
export function drawQr(qrcode, canvas, text, scale = 4) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const size = (count + 8) * scale;
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, size, size);
  context.fillStyle = "#000";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) context.fillRect((col + 4) * scale, (row + 4) * scale, scale, scale);
    }
  }
  return count;
}

export class AssignmentForm {
  // table: dist/settings.js; state: makeState(table); current(): { settings, hide } of the page now;
  // base: the page's address without its hash; clipboard: navigator.clipboard; loadQr(): the
  // module dist/vendor/qrcode.js.
  constructor({ root, table, state, current, base, clipboard, loadQr = () => import("../vendor/qrcode.js"), doc = globalThis.document }) {
    this.h = elementMaker(doc);
    this.root = root;
    this.table = table;
    this.state = state;
    this.current = current;
    this.base = base;
    this.clipboard = clipboard;
    this.loadQr = loadQr;
    this.assignment = makeAssignment(table);
    this.order = [...table.exercises.order];
    this.build();
    this.update();
  }

  build() {
    const keys = this.assignment.KEYS;
    const changed = () => this.update();
    this.title = this.h("input", { type: "text", testid: "assign-title", maxlength: keys.assign.max_chars, autocomplete: "off" });
    this.title.addEventListener("input", changed);
    this.exerciseList = this.h("ol", { className: "assign-exercises" });
    this.exerciseBoxes = {};
    for (const name of this.table.exercises.order) {
      const box = this.h("input", { type: "checkbox", checked: true, testid: `assign-exercise-${name}` });
      box.addEventListener("change", changed);
      this.exerciseBoxes[name] = box;
    }
    this.solutions = this.h("input", { type: "checkbox", checked: true, testid: "assign-solutions" });
    this.solutions.addEventListener("change", changed);
    this.equations = this.h("select", { testid: "assign-equations" },
      this.h("option", { value: "shown" }, "shown at once"), this.h("option", { value: "ask" }, "only on request (each request is recorded)"));
    this.equations.value = "shown";
    this.equations.addEventListener("change", changed);
    const checkboxes = (names, prefix, label, checked) => names.map((name) => {
      const box = this.h("input", { type: "checkbox", checked, testid: `${prefix}-${name}` });
      box.addEventListener("change", changed);
      return { name, box, node: this.h("label", { className: "assign-check" }, box, ` ${label(name)}`) };
    });
    this.hideBoxes = checkboxes(this.state.KEYS, "assign-hide", (name) => name, false);
    const lessonTitle = (name) => this.table.lessons?.find((lesson) => lesson.name === name)?.title ?? name;
    this.lessonBoxes = checkboxes(keys.lessons.choices, "assign-lesson", (name) => `${lessonTitle(name)} (${name})`, false);
    this.panelBoxes = checkboxes(Object.keys(this.table.panels), "assign-panel", (name) => t(this.table.panels[name]), true);
    this.setup = this.h("p", { className: "hint", testid: "assign-setup" });
    this.link = this.h("input", { type: "text", readOnly: true, testid: "assign-link", "aria-label": "The assignment link" });
    this.copyButton = this.h("button", { type: "button", className: "button small", testid: "assign-copy" }, "Copy");
    this.copyStatus = this.h("span", { className: "hint", role: "status", testid: "assign-copy-status" });
    this.copyButton.addEventListener("click", () => this.copy());
    this.qr = this.h("canvas", { className: "assign-qr", testid: "assign-qr", role: "img", "aria-label": "QR code of the assignment link" });
    this.root.replaceChildren(
      this.h("h2", { className: "card-title" }, "Make an assignment"),
      this.h("label", { className: "assign-field" }, "Title ", this.title),
      this.h("fieldset", {}, this.h("legend", {}, "Exercises, in this order"), this.exerciseList),
      this.h("label", { className: "assign-check" }, this.solutions, " offer “Show solution”"),
      this.h("label", { className: "assign-field" }, "Equations ", this.equations),
      this.h("fieldset", {}, this.h("legend", {}, "Hide these controls"), ...this.hideBoxes.map((item) => item.node)),
      this.h("fieldset", {}, this.h("legend", {}, "Show these panels"), ...this.panelBoxes.map((item) => item.node)),
      this.h("fieldset", { testid: "assign-lessons" }, this.h("legend", {}, "Lessons (their predictions go into the hand-in)"),
        ...this.lessonBoxes.map((item) => item.node)),
      this.setup,
      this.h("p", { className: "assign-out" }, this.link, " ", this.copyButton, " ", this.copyStatus),
      this.qr,
    );
    this.showOrder();
  }

  showOrder() {
    this.exerciseList.replaceChildren(...this.order.map((name, i) => {
      const up = this.h("button", { type: "button", className: "button small quiet", testid: `assign-up-${name}`, disabled: i === 0, "aria-label": `Move ${name} up` }, "↑");
      const down = this.h("button", { type: "button", className: "button small quiet", testid: `assign-down-${name}`, disabled: i === this.order.length - 1, "aria-label": `Move ${name} down` }, "↓");
      up.addEventListener("click", () => this.move(name, -1));
      down.addEventListener("click", () => this.move(name, 1));
      return this.h("li", { data: { exercise: name } }, this.h("label", { className: "assign-check" }, this.exerciseBoxes[name], ` ${name}`), " ", up, down);
    }));
  }

  move(name, by) {
    const from = this.order.indexOf(name);
    const to = from + by;
    if (to < 0 || to >= this.order.length) return;
    [this.order[from], this.order[to]] = [this.order[to], this.order[from]];
    this.showOrder();
    this.update();
  }

  // The assignment the form describes.
  chosen() {
    const exercises = this.order.filter((name) => this.exerciseBoxes[name].checked);
    const panels = this.panelBoxes.filter((item) => item.box.checked).map((item) => item.name);
    return {
      assign: this.title.value.trim(),
      exercises: exercises.length ? exercises : [...this.table.exercises.order],
      solutions: this.solutions.checked ? "on" : "off",
      equations: this.equations.value,
      panels: panels.length ? panels : Object.keys(this.table.panels),
      lessons: this.lessonBoxes.filter((item) => item.box.checked).map((item) => item.name),
    };
  }

  // The link: the page's current settings (a fixed setup), the controls hidden, the assignment.
  linkText() {
    const { settings } = this.current();
    const hide = this.hideBoxes.filter((item) => item.box.checked).map((item) => item.name);
    return `${this.base}#${this.state.serialiseHash(settings, { hide })}&${this.assignment.serialise(this.chosen())}`;
  }

  update() {
    const { settings } = this.current();
    this.setup.textContent = `Setup (the page's current settings): ${this.state.KEYS.filter((key) => this.state.applies(key, settings.dataset))
      .map((key) => `${key} ${settings[key]}`).join(", ")}.`;
    const link = this.linkText();
    this.link.value = link;
    this.copyStatus.textContent = "";
    this.drawn = this.loadQr().then(({ qrcode }) => {
      if (this.link.value === link) drawQr(qrcode, this.qr, link);
    }).catch((error) => {
      this.copyStatus.textContent = `The QR code could not be drawn: ${error.message}`;
    });
  }

  async copy() {
    try {
      await this.clipboard.writeText(this.link.value);
      this.copyStatus.textContent = "Copied.";
    } catch {
      this.link.select?.();
      this.copyStatus.textContent = "Select the link and copy it (the browser did not allow it).";
    }
  }
}

// The teacher's page: the form above the class view.
export class TeacherPage {
  constructor({ root, table, state, current, base, clipboard, python, check, checkStep = null, download, loadQr, fresh = null, doc = globalThis.document }) {
    const h = elementMaker(doc);
    const form = h("section", { className: "card teacher-assign", testid: "teacher-assign" });
    const grading = h("section", { className: "card teacher-class", testid: "teacher-class" });
    root.replaceChildren(form, grading);
    this.form = new AssignmentForm({ root: form, table, state, current, base, clipboard, loadQr, doc });
    this.classView = new ClassView({ root: grading, python, check, checkStep, maxBytes: table.handin_max_bytes, download, fresh,
      codeFlags: table.code_flags, doc });
  }
}

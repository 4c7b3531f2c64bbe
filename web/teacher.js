// The teacher's page (#view=teacher): a form that makes an assignment link (with a Copy button and
// a QR code the page draws itself), and the class view that grades the students' hand-ins.
//
// Nothing here understands a hand-in or grades one: pynn.page.handin does, in Python. The module
// is handed two async functions:
//   python(call, args)  calls pynn.page.<call>(**args), e.g. python("handin.read_entry",
//                       { file, text, size }) and python("handin.report", { entries, results })
//   check(name, source) runs pynn.page.exercises.check in the sandbox; resolves with its result
//                       dict { status, passed, total, checks, error }, status "timeout" for code
//                       that did not end
// so node --test drives it with fakes. Every piece of student code is checked again: the statuses
// in a file are never used. Text from a file or from Python reaches the page only through
// textContent.
import { makeAssignment } from "./assignment.js";

const STATUS_MARK = { pass: "✓", fail: "✗", error: "✗ error", timeout: "✗ timeout", missing: "–", ungraded: "·" };
const STATUS_TEXT = {
  pass: "passed", fail: "failed", error: "an error", timeout: "stopped (endless loop?)",
  missing: "not handed in", ungraded: "not graded (stopped)",
};

// An element with properties (className, testid → data-testid, data: {…} → data-*, other keys as
// attributes or properties) and children (text goes in through textContent / text nodes).
function h(doc, tag, props = {}, ...children) {
  const node = doc.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "testid") node.dataset.testid = value;
    else if (key === "data") for (const [name, item] of Object.entries(value)) node.dataset[name] = item;
    else if (key === "text") node.textContent = value;
    else if (key in { value: 1, checked: 1, disabled: 1, hidden: 1, type: 1, multiple: 1, readOnly: 1, colSpan: 1, max: 1 }) node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// --- grading, without a page ---------------------------------------------------------------------

// Reads and grades many hand-in files, one student at a time: each file through
// pynn.page.handin.read_entry (a file over the limit is not read at all), each piece of its code
// through check(), then the whole class again through handin.report after each student, so the
// table fills in as it goes. stop() lets the check under way end, then reads the other files
// without checking them (their cells: "ungraded").
export class Grading {
  constructor({ python, check, maxBytes }) {
    this.python = python;
    this.check = check;
    this.maxBytes = maxBytes;
    this.stopped = false;
    this.running = false;
    this.entries = []; // the files read so far, as handin.read_entry returned them
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
    const results = [];
    let report = null;
    try {
      onProgress(0, list.length, report);
      for (const file of list) {
        entries.push(await this.read(file));
        const checked = {};
        results.push(checked);
        const handin = entries.at(-1).handin;
        for (const [name, given] of Object.entries(handin?.exercises ?? {})) {
          if (this.stopped) break;
          checked[name] = await this.check(name, given.code).catch((error) => (
            { status: "error", passed: 0, total: 0, checks: [], error: { message: `the check did not run: ${error.message}`, line: null } }));
        }
        report = await this.python("handin.report", { entries, results });
        onProgress(entries.length, list.length, report);
      }
    } finally {
      this.running = false;
    }
    return { report, entries };
  }

  async read(file) {
    if (file.size > this.maxBytes) return this.python("handin.read_entry", { file: file.name, text: "", size: file.size });
    let text;
    try {
      text = await file.text();
    } catch (error) {
      return { file: file.name, handin: null, problem: `this file could not be read: ${error.message}` };
    }
    return this.python("handin.read_entry", { file: file.name, text });
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
  // root: the element to fill; download(name, text, type): web/files.js's; doc: the document.
  constructor({ root, python, check, maxBytes, download, doc = globalThis.document }) {
    this.doc = doc;
    this.root = root;
    this.download = download;
    this.grading = new Grading({ python, check, maxBytes });
    this.report = null;
    this.build();
  }

  build() {
    const h_ = (...args) => h(this.doc, ...args);
    this.files = h_("input", { type: "file", multiple: true, accept: ".json,application/json", className: "visually-hidden", testid: "class-files" });
    this.files.addEventListener("change", () => this.grade([...this.files.files]));
    this.drop = h_("div", { className: "class-drop", testid: "class-drop" },
      h_("label", { className: "button file-button" }, "Choose hand-ins…", this.files),
      h_("span", { className: "hint" }, " or drop the files, or their folder, here"));
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
    this.progress = h_("progress", { max: 1, value: 0, testid: "class-progress", "aria-label": "Students graded" });
    this.progressLabel = h_("span", { className: "class-progress-label", testid: "class-progress-label", role: "status" });
    this.stopButton = h_("button", { type: "button", className: "button small", testid: "class-stop", disabled: true }, "Stop");
    this.stopButton.addEventListener("click", () => {
      this.grading.stop();
      this.stopButton.disabled = true;
      this.progressLabel.textContent += " — stopping after this check";
    });
    this.table = h_("table", { className: "class-table", testid: "class-table" });
    this.detail = h_("section", { className: "class-detail", testid: "class-detail", hidden: true, "aria-live": "polite" });
    this.mistakes = h_("section", { className: "class-mistakes", testid: "class-mistakes" });
    this.csvButton = h_("button", { type: "button", className: "button small", testid: "class-csv", disabled: true }, "Download CSV");
    this.csvButton.addEventListener("click", () => this.report && this.download(this.report.csv_name, this.report.csv, "text/csv"));
    this.root.replaceChildren(
      h_("h2", { className: "card-title" }, "Grade the class"),
      h_("p", { className: "hint" },
        "Load the students' hand-in files. Every piece of code is checked again here, in the sandbox — what a file says " +
        "it scored is never used. Nothing leaves this page."),
      this.drop,
      h_("p", { className: "class-progress-row" }, this.progress, " ", this.progressLabel, " ", this.stopButton),
      this.table, this.detail,
      h_("h3", {}, "Mistakes the checks recognised"), this.mistakes,
      h_("p", {}, this.csvButton, h_("span", { className: "hint" }, " name, each exercise, passed, total, handed_in — for a gradebook")),
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
    if (this.grading.stopped) this.progressLabel.textContent += ": stopped; the code left unchecked is marked ·";
    if (report) this.show(report);
  }

  show(report) {
    this.report = report;
    this.showTable(report);
    this.showMistakes(report);
    this.csvButton.disabled = false;
  }

  showTable({ columns, rows }) {
    const h_ = (...args) => h(this.doc, ...args);
    const head = h_("tr", {}, h_("th", { scope: "col" }, "Student"),
      ...columns.map((name) => h_("th", { scope: "col" }, name)),
      h_("th", { scope: "col" }, "Passed"), h_("th", { scope: "col" }, "Handed in"));
    const body = rows.map((row) => {
      const tr = h_("tr", { data: { student: row.name, file: row.file } });
      const who = h_("th", { scope: "row" }, row.name);
      tr.append(who);
      if (row.problem !== null) {
        tr.dataset.problem = "";
        tr.append(h_("td", { colSpan: columns.length + 2, className: "class-problem" }, `not graded: ${row.problem}`));
        return tr;
      }
      if (row.duplicate) {
        tr.dataset.duplicate = "";
        who.append(h_("span", { className: "class-duplicate" }, ` (same name twice: ${row.file})`));
      }
      for (const name of columns) {
        const cell = row.cells[name];
        const counted = cell.total ? ` ${cell.passed}/${cell.total}` : "";
        const button = h_("button", { type: "button", className: `class-cell status-${cell.status}`,
          "aria-label": `${row.name}, ${name}: ${STATUS_TEXT[cell.status]}` }, `${STATUS_MARK[cell.status]}${counted}`);
        button.addEventListener("click", () => this.showDetail(row, name));
        tr.append(h_("td", { data: { exercise: name, status: cell.status } }, button));
      }
      tr.append(h_("td", {}, `${row.passed} of ${row.total}`), h_("td", {}, row.handed_in.replace("T", " ").slice(0, 16)));
      return tr;
    });
    this.table.replaceChildren(h_("thead", {}, head), h_("tbody", {}, ...body));
  }

  // One student's code for one exercise, read-only, with each check's message.
  showDetail(row, exercise) {
    const h_ = (...args) => h(this.doc, ...args);
    const cell = row.cells[exercise];
    const entry = this.grading.entries.find((item) => item.file === row.file);
    const code = entry?.handin?.exercises?.[exercise]?.code;
    const parts = [h_("h3", {}, `${row.name} — ${exercise}`)];
    if (cell.status === "missing") {
      parts.push(h_("p", {}, "Not in this hand-in."));
    } else {
      const counted = cell.total ? ` (${cell.passed} of ${cell.total} checks)` : "";
      parts.push(h_("p", { testid: "class-detail-status" },
        `Checked again here: ${STATUS_TEXT[cell.status]}${counted}. The file said: ${cell.claimed}. ` +
        `Check pressed ${cell.tries} times; equations ${cell.equations_shown ? "opened" : "not opened"}; ` +
        `solution ${cell.solution_shown ? "shown" : "not shown"}.`));
      if (cell.error) parts.push(h_("p", { className: "result-error" }, `${cell.error.line ? `Line ${cell.error.line}: ` : ""}${cell.error.message}`));
      if (cell.checks.length) {
        parts.push(h_("ul", { className: "result-checks" }, ...cell.checks.map((line) => {
          const [kind, mark] = line.passed ? ["check-ok", "✓"] : line.skipped ? ["check-skip", "–"] : ["check-bad", "✗"];
          return h_("li", { className: kind, data: { check: line.name } }, `${mark} `, h_("strong", {}, `${line.name}: `), line.message);
        })));
      }
      parts.push(h_("pre", { className: "class-code", testid: "class-code", "aria-label": "The student's code (read-only)" }, code ?? ""));
    }
    this.detail.replaceChildren(...parts);
    this.detail.hidden = false;
  }

  showMistakes({ columns, mistakes }) {
    const h_ = (...args) => h(this.doc, ...args);
    const parts = [];
    for (const name of columns) {
      const found = mistakes[name] ?? [];
      if (!found.length) continue;
      parts.push(h_("div", { data: { exercise: name } }, h_("h4", {}, name), h_("ul", {}, ...found.map((item) =>
        h_("li", { data: { mistake: item.id, count: item.count } }, `${item.id} — ${item.count} ${item.count === 1 ? "student" : "students"} `,
          h_("details", {}, h_("summary", {}, "names"), item.names.join(", ")))))));
    }
    if (!parts.length) parts.push(h_("p", { className: "hint" }, "No named mistake in the hand-ins graded so far."));
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
  constructor({ root, table, state, current, base, clipboard, loadQr = () => import("./vendor/qrcode.js"), doc = globalThis.document }) {
    this.doc = doc;
    this.root = root;
    this.table = table;
    this.state = state;
    this.current = current;
    this.base = base;
    this.clipboard = clipboard;
    this.loadQr = loadQr;
    this.assignment = makeAssignment(table);
    this.order = [...table.exercises];
    this.build();
    this.update();
  }

  build() {
    const h_ = (...args) => h(this.doc, ...args);
    const keys = this.assignment.KEYS;
    const changed = () => this.update();
    this.title = h_("input", { type: "text", testid: "assign-title", maxlength: keys.assign.max_chars, autocomplete: "off" });
    this.title.addEventListener("input", changed);
    this.exerciseList = h_("ol", { className: "assign-exercises" });
    this.exerciseBoxes = {};
    for (const name of this.table.exercises) {
      const box = h_("input", { type: "checkbox", checked: true, testid: `assign-exercise-${name}` });
      box.addEventListener("change", changed);
      this.exerciseBoxes[name] = box;
    }
    this.solutions = h_("input", { type: "checkbox", checked: true, testid: "assign-solutions" });
    this.solutions.addEventListener("change", changed);
    this.equations = h_("select", { testid: "assign-equations" },
      h_("option", { value: "shown" }, "shown at once"), h_("option", { value: "ask" }, "only on request (each request is recorded)"));
    this.equations.value = "shown";
    this.equations.addEventListener("change", changed);
    const checkboxes = (names, prefix, label, checked) => names.map((name) => {
      const box = h_("input", { type: "checkbox", checked, testid: `${prefix}-${name}` });
      box.addEventListener("change", changed);
      return { name, box, node: h_("label", { className: "assign-check" }, box, ` ${label(name)}`) };
    });
    this.hideBoxes = checkboxes(this.state.KEYS, "assign-hide", (name) => name, false);
    this.panelBoxes = checkboxes(Object.keys(this.table.panels), "assign-panel", (name) => this.table.panels[name], true);
    this.setup = h_("p", { className: "hint", testid: "assign-setup" });
    this.link = h_("input", { type: "text", readOnly: true, testid: "assign-link", "aria-label": "The assignment link" });
    this.copyButton = h_("button", { type: "button", className: "button small", testid: "assign-copy" }, "Copy");
    this.copyStatus = h_("span", { className: "hint", role: "status", testid: "assign-copy-status" });
    this.copyButton.addEventListener("click", () => this.copy());
    this.qr = h_("canvas", { className: "assign-qr", testid: "assign-qr", role: "img", "aria-label": "QR code of the assignment link" });
    this.root.replaceChildren(
      h_("h2", { className: "card-title" }, "Make an assignment"),
      h_("label", { className: "assign-field" }, "Title ", this.title),
      h_("fieldset", {}, h_("legend", {}, "Exercises, in this order"), this.exerciseList),
      h_("label", { className: "assign-check" }, this.solutions, " offer “Show solution”"),
      h_("label", { className: "assign-field" }, "Equations ", this.equations),
      h_("fieldset", {}, h_("legend", {}, "Hide these controls"), ...this.hideBoxes.map((item) => item.node)),
      h_("fieldset", {}, h_("legend", {}, "Show these panels"), ...this.panelBoxes.map((item) => item.node)),
      this.setup,
      h_("p", { className: "assign-out" }, this.link, " ", this.copyButton, " ", this.copyStatus),
      this.qr,
    );
    this.showOrder();
  }

  showOrder() {
    const h_ = (...args) => h(this.doc, ...args);
    this.exerciseList.replaceChildren(...this.order.map((name, i) => {
      const up = h_("button", { type: "button", className: "button small quiet", testid: `assign-up-${name}`, disabled: i === 0, "aria-label": `Move ${name} up` }, "↑");
      const down = h_("button", { type: "button", className: "button small quiet", testid: `assign-down-${name}`, disabled: i === this.order.length - 1, "aria-label": `Move ${name} down` }, "↓");
      up.addEventListener("click", () => this.move(name, -1));
      down.addEventListener("click", () => this.move(name, 1));
      return h_("li", { data: { exercise: name } }, h_("label", { className: "assign-check" }, this.exerciseBoxes[name], ` ${name}`), " ", up, down);
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
      exercises: exercises.length ? exercises : [...this.table.exercises],
      solutions: this.solutions.checked ? "on" : "off",
      equations: this.equations.value,
      panels: panels.length ? panels : Object.keys(this.table.panels),
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
  constructor({ root, table, state, current, base, clipboard, python, check, download, loadQr, doc = globalThis.document }) {
    const form = h(doc, "section", { className: "card teacher-assign", testid: "teacher-assign" });
    const grading = h(doc, "section", { className: "card teacher-class", testid: "teacher-class" });
    root.replaceChildren(form, grading);
    this.form = new AssignmentForm({ root: form, table, state, current, base, clipboard, loadQr, doc });
    this.classView = new ClassView({ root: grading, python, check, maxBytes: table.handin_max_bytes, download, doc });
  }
}

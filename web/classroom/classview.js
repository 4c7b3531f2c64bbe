// The class view of the teacher's page (#view=teacher): load the students' hand-ins, grade them
// (each piece of code and each derivation step checked again: web/classroom/grading.js), show the
// table, one student at a time, the mistakes to explain, and the gradebook's CSVs. The class is
// kept in this browser (web/classroom/keep.js), one per assignment: files added later are added,
// a reload restores it, "Save the class" downloads one class file that loads back (re-graded).
//
// Nothing here understands a hand-in or grades one: pynn.page.handin and pynn.page.gradebook do,
// in Python (the training worker). Text from a file or from Python reaches the page only through
// textContent.
import { elementMaker } from "../dom.js";
import { direction, language, t, tn } from "../lang/text.js";
import { ClassBook } from "./classbook.js";
import { Grading, droppedFiles } from "./grading.js";
import { memoryKeep } from "./keep.js";

const STATUS_MARK = {
  pass: "✓", fail: "✗", error: "✗ error", timeout: "✗ timeout", crashed: "✗ crashed", invalid: "✗ invalid answer",
  missing: "–", ungraded: "· not graded", unchecked: "? not re-checked",
};
const LESSON_MARK = { right: "✓", wrong: "✗", missing: "–" };
// Each status's words (a cell's label, the detail), by its text's id.
const STATUS_TEXT = {
  pass: "class.status.pass", fail: "class.status.fail", error: "class.status.error", timeout: "class.status.timeout",
  crashed: "class.status.crashed", invalid: "class.status.invalid", missing: "class.status.missing",
  ungraded: "class.status.ungraded", unchecked: "class.status.unchecked",
};
const LESSON_TEXT = { right: "class.lesson.right", wrong: "class.lesson.wrong", missing: "class.lesson.missing" };
const FORMAT_TEXT = { plain: "class.csv-format.plain", canvas: "class.csv-format.canvas", moodle: "class.csv-format.moodle" };
const FLAG_MARK = "⚑";
const RAN = ["pass", "fail"]; // the statuses of code whose checks ran: their count means something
const NAMES_SHOWN = 5;

function day(iso, withYear = false) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(language(), { day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}) }).format(date);
}

export class ClassView {
  // root: the element to fill; download(name, text, type): web/data/files.js's; keep: where the
  // classes are kept (web/classroom/keep.js; in memory when none); classMaxBytes: the largest
  // class file read; codeFlags: the page table's code_flags (each flag's reason, by its code).
  constructor({ root, python, check, checkStep = null, maxBytes, classMaxBytes = 20_000_000, download, fresh = null,
    codeFlags = {}, keep = null, doc = globalThis.document }) {
    this.h = elementMaker(doc);
    this.doc = doc;
    this.root = root;
    this.python = python;
    this.download = download;
    this.codeFlags = codeFlags;
    this.classMaxBytes = classMaxBytes;
    this.keep = keep ?? memoryKeep();
    this.grading = new Grading({ python, check, checkStep, maxBytes, fresh });
    this.book = new ClassBook();
    this.report = null;
    this.graded = "";
    this.open = null; // the cell shown: { file, exercise }
    this.build();
  }

  build() {
    const h = this.h;
    this.files = this.fileInput("class-files", true, (chosen) => this.grade(chosen));
    this.classFile = this.fileInput("class-load", false, ([file]) => this.loadClassFile(file));
    this.drop = h("div", { className: "class-drop", testid: "class-drop" },
      h("label", { className: "button file-button" }, t("class.choose"), this.files),
      " ", h("span", { className: "hint" }, t("class.drop-hint")), " ",
      h("label", { className: "button small quiet file-button" }, t("class.load"), this.classFile));
    this.wireDrop();
    this.progress = h("progress", { max: 1, value: 0, testid: "class-progress", "aria-label": t("class.progress-label") });
    this.progressLabel = h("span", { className: "class-progress-label", testid: "class-progress-label", role: "status" });
    this.stopButton = this.button("class-stop", t("class.stop"), () => this.stop(), { disabled: true });
    this.kept = h("ul", { className: "class-kept", testid: "class-kept" });
    this.title = h("h3", { className: "class-title", testid: "class-title" });
    this.forgetAsk = h("span", { className: "class-forget-ask", testid: "class-forget-ask", role: "alert", hidden: true });
    this.tools = h("p", { className: "class-tools" },
      this.button("class-save", t("class.save"), () => this.save()), " ",
      this.button("class-print", t("class.print"), () => this.doc.defaultView?.print()), " ",
      this.button("class-forget", t("class.forget"), () => this.askForget()), " ", this.forgetAsk);
    this.table = h("table", { className: "class-table", testid: "class-table" });
    this.detail = h("section", { className: "class-detail", testid: "class-detail", hidden: true, tabIndex: -1,
      "aria-label": t("class.detail-label") });
    this.detail.addEventListener("keydown", (event) => this.detailKey(event));
    this.detailCell = h("td", {}, this.detail);
    this.detailRow = h("tr", { className: "class-detail-row" }, this.detailCell);
    this.mistakes = h("section", { className: "class-mistakes", testid: "class-mistakes" });
    this.format = h("select", { testid: "class-csv-format", "aria-label": t("class.csv-format") },
      ...Object.entries(FORMAT_TEXT).map(([name, id]) => h("option", { value: name }, t(id))));
    this.csvButton = this.button("class-csv", t("class.csv"), () => this.downloadCsv(), { disabled: true });
    this.root.replaceChildren(
      h("h2", { className: "card-title" }, t("class.heading")),
      h("p", { className: "hint" }, t("class.intro")),
      this.kept, this.drop,
      h("p", { className: "class-progress-row" }, this.progress, " ", this.progressLabel, " ", this.stopButton),
      this.title, this.tools, this.table,
      h("h3", {}, t("class.mistakes-heading")), this.mistakes,
      h("p", { className: "class-csv-row" }, this.format, " ", this.csvButton, h("span", { className: "hint" }, t("class.csv-hint"))),
    );
    this.showTitle();
  }

  button(testid, label, action, { disabled = false } = {}) {
    const node = this.h("button", { type: "button", className: "button small", testid, disabled }, label);
    node.addEventListener("click", action);
    return node;
  }

  fileInput(testid, multiple, take) {
    const input = this.h("input", { type: "file", multiple, accept: ".json,application/json", className: "visually-hidden", testid });
    input.addEventListener("change", () => {
      const chosen = [...input.files];
      input.value = ""; // choosing the same files again adds nothing twice, but is heard
      if (chosen.length) take(chosen);
    });
    return input;
  }

  wireDrop() {
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
  }

  // --- the kept classes ---------------------------------------------------------------------------

  // The classes kept in this browser, listed; the one graded last opened (a reload restores it).
  async restore() {
    const started = performance.now();
    const list = await this.keep.list().catch(() => []);
    this.showKept(list);
    if (list.length && this.book.empty) await this.openKept(list[0].key);
    this.progress.dataset.restoreMs = String(Math.round(performance.now() - started)); // for bench/gradebook.py
  }

  showKept(list) {
    this.kept.replaceChildren(...list.map((item) => {
      const open = this.h("button", { type: "button", className: "button small quiet", testid: "class-kept-open", data: { key: item.key } },
        tn("class.kept-item", item.students, { title: item.title || t("class.untitled"), date: day(item.graded) }));
      open.addEventListener("click", () => this.openKept(item.key));
      return this.h("li", {}, open);
    }));
    this.kept.hidden = !list.length;
  }

  async openKept(key) {
    if (this.grading.running) return;
    const record = await this.keep.get(key).catch(() => null);
    if (!record) return;
    this.book = new ClassBook(record.submissions);
    this.graded = record.graded;
    if (record.report) this.show(record.report);
    else await this.refresh();
    this.progressLabel.textContent = tn("class.restored", this.book.students());
  }

  async store() {
    const assignment = this.book.assignment;
    if (!assignment || !this.report) return;
    this.graded = new Date().toISOString();
    await this.keep.put({ key: assignment.key, title: assignment.title, graded: this.graded, students: this.book.students(),
      submissions: this.book.submissions, report: this.report }).catch(() => {
      this.progressLabel.textContent = t("class.not-kept");
    });
    this.showKept(await this.keep.list().catch(() => []));
  }

  // An empty view (after "Forget", before a class file is loaded).
  startNew() {
    if (this.grading.running) return;
    this.book = new ClassBook();
    this.report = null;
    this.graded = "";
    this.table.replaceChildren();
    this.mistakes.replaceChildren();
    this.closeDetail();
    this.csvButton.disabled = true;
    this.progressLabel.textContent = "";
    this.showTitle();
  }

  // "Forget this class" asks first, beside the button.
  askForget() {
    const assignment = this.book.assignment;
    if (!assignment || this.grading.running) return;
    const yes = this.button("class-forget-confirm", t("class.forget-yes"), async () => {
      this.forgetAsk.hidden = true;
      await this.keep.remove(assignment.key).catch(() => {});
      this.startNew();
      this.showKept(await this.keep.list().catch(() => []));
    });
    const no = this.button("class-forget-cancel", t("class.forget-no"), () => { this.forgetAsk.hidden = true; });
    this.forgetAsk.replaceChildren(tn("class.forget-ask", this.book.students(), { title: assignment.title || t("class.untitled") }), " ", yes, " ", no);
    this.forgetAsk.hidden = false;
    no.focus?.();
  }

  // --- grading ------------------------------------------------------------------------------------

  // Files chosen or dropped are added to the class; when the view is empty, to the class kept for
  // their assignment (files handed in late join their class).
  async grade(files) {
    if (this.grading.running || !files.length) return;
    this.stopButton.disabled = false;
    this.closeDetail();
    const joinKept = async (key) => {
      const record = this.book.empty ? await this.keep.get(key).catch(() => null) : null;
      if (record) this.book = new ClassBook(record.submissions);
      return this.book;
    };
    let report = null;
    try {
      report = await this.grading.grade(files, this.book, (done, total, partial) => {
        this.progress.max = Math.max(total, 1);
        this.progress.value = done;
        this.progressLabel.textContent = t("class.graded-count", { done, total });
        if (partial) this.show(partial);
      }, joinKept);
    } catch (error) {
      this.progressLabel.textContent = t("class.grading-stopped", { why: error.message });
    }
    this.book = this.grading.book ?? this.book;
    this.stopButton.disabled = true;
    this.progress.dataset.freshMs = String(Math.round(this.grading.timings.freshMs)); // for bench/grading.py
    this.progress.dataset.checkMs = String(Math.round(this.grading.timings.checkMs));
    if (this.grading.skipped) this.progressLabel.textContent += ` ${tn("class.skipped", this.grading.skipped)}`;
    if (this.grading.stopped) this.progressLabel.textContent += t("class.stopped-note");
    if (report) {
      this.show(report);
      await this.store();
    }
  }

  stop() {
    this.grading.stop();
    this.stopButton.disabled = true;
    this.progressLabel.textContent += t("class.stopping");
  }

  async refresh() {
    this.show(await this.python("class_report", this.book.payload()));
  }

  async save() {
    const assignment = this.book.assignment;
    if (this.book.empty) return;
    const made = await this.python("class_file", { title: assignment?.title ?? "", hash: assignment?.key ?? "",
      handins: this.book.submissions.map(({ original, text, received }) => ({ file: original, text, received })) });
    this.download(made.filename, made.text, "application/json");
  }

  // A class file: read in Python (bounded before it is parsed), each hand-in in it graded afresh,
  // as a class of its own.
  async loadClassFile(file) {
    if (this.grading.running) return;
    let read;
    try {
      read = file.size > this.classMaxBytes ? await this.python("read_class", { content: "", size: file.size })
        : await this.python("read_class", { content: await file.text() });
    } catch (error) {
      this.progressLabel.textContent = t("class.class-file-refused", { why: error.message });
      return;
    }
    this.startNew();
    await this.grade(read.handins.map((item) => ({ name: item.file, size: item.text.length, received: item.received, text: async () => item.text })));
  }

  downloadCsv() {
    const format = this.format.value || "plain";
    if (this.report) this.download(this.report.csv_name[format], this.report.csv[format], "text/csv");
  }

  // --- the table ----------------------------------------------------------------------------------

  // The page's language changed: the view made again in it, the class as it was (the report's
  // texts that Python said stay as they were said, until the class is graded again); not while
  // grading runs (its progress goes on in the view it started in).
  async languageChanged() {
    if (this.grading.running) return;
    this.build();
    this.showKept(await this.keep.list().catch(() => []));
    if (this.report) this.show(this.report);
  }

  show(report) {
    this.report = report;
    this.showTitle();
    this.showTable(report);
    this.showMistakes(report);
    this.csvButton.disabled = false;
    if (this.open) this.reopen();
  }

  // The class's title and date, also the printed table's heading.
  showTitle() {
    const assignment = this.book.assignment;
    this.title.hidden = !assignment;
    if (assignment) {
      this.title.textContent = tn("class.title", this.book.students(), { title: assignment.title || t("class.untitled"),
        date: day(this.graded || new Date().toISOString(), true) });
    }
  }

  // After the exercises, Passed and Handed in: a column per lesson (the prediction's number, ✓ where
  // it is what the lesson's run shows) and per derivation step (✓ passed when checked again, with
  // the hints used). A row whose code reaches outside its exercise carries data-flags (the codes);
  // each such cell shows ⚑ and the reasons.
  showTable({ columns, rows, lessons = [], steps = [] }) {
    const h = this.h;
    const head = h("tr", {}, h("th", { scope: "col" }, t("class.student")),
      ...columns.map((name) => h("th", { scope: "col" }, name)),
      h("th", { scope: "col" }, t("class.passed")), h("th", { scope: "col" }, t("class.handed-in")),
      ...lessons.map((name) => h("th", { scope: "col", className: "class-lesson", data: { lesson: name } }, t("class.lesson-column", { name }))),
      ...steps.map((step) => h("th", { scope: "col", className: "class-step", data: { step } }, `∂ ${step}`)));
    this.span = columns.length + 3 + lessons.length + steps.length;
    this.detailCell.colSpan = this.span;
    const body = rows.map((row) => this.rowOf(row, columns, lessons, steps));
    this.table.replaceChildren(h("thead", {}, head), h("tbody", {}, ...body));
  }

  rowOf(row, columns, lessons, steps) {
    const h = this.h;
    const tr = h("tr", { data: { student: row.name, file: row.file } });
    const who = h("th", { scope: "row" }, h("span", { className: "class-name", title: row.name }, row.name));
    tr.append(who);
    if (row.problem) {
      tr.dataset.problem = "";
      tr.append(h("td", { colSpan: this.span - 1, className: "class-problem" }, t("class.refused", { why: row.problem })));
      return tr;
    }
    if (row.duplicate) {
      tr.dataset.duplicate = "";
      who.append(h("span", { className: "class-badge class-duplicate", title: t("class.duplicate", { file: row.file }) },
        "2×", h("span", { className: "visually-hidden" }, ` ${t("class.duplicate", { file: row.file })}`)));
    }
    const older = this.book.olderThan(row.file);
    if (older.length) {
      tr.dataset.replaced = String(older.length);
      const see = h("button", { type: "button", className: "class-badge class-older", testid: "class-older",
        title: t("class.replaced", { file: older.at(-1).original }) }, tn("class.replaced-badge", older.length));
      see.addEventListener("click", () => this.showOlder(row, older.at(-1)));
      who.append(" ", see);
    }
    if (row.flags.length) tr.dataset.flags = row.flags.join(" ");
    if (row.failure) {
      tr.dataset.failure = "";
      who.append(h("span", { className: "class-failure" }, ` (${row.failure})`));
    }
    tr.dataset.graded = String(row.graded);
    tr.append(...columns.map((name) => this.exerciseCell(row, name)));
    const counted = row.graded ? t("class.passed-count", { passed: row.passed, total: row.total }) : t("class.not-graded");
    tr.append(h("td", {}, counted), h("td", {}, row.handed_in.replace("T", " ").slice(0, 16)));
    tr.append(...lessons.map((name) => this.lessonCell(row, name)), ...steps.map((step) => this.stepCell(row, step)));
    return tr;
  }

  // The reasons of a cell's flags, in words (the page table's code_flags: each reason's text id).
  flagReasons(flags) {
    return flags.map((code) => (this.codeFlags[code] ? t(this.codeFlags[code]) : code)).join("; ");
  }

  // An exercise's cell: its status, the checks passed where they ran (not for code that never
  // answered), and ⚑ with the reasons where the code reaches outside its exercise.
  exerciseCell(row, name) {
    const cell = row.cells[name];
    const counted = cell.total && RAN.includes(cell.status) ? ` ${cell.passed}/${cell.total}` : "";
    const flagged = cell.flags.length ? t("class.flagged", { reasons: this.flagReasons(cell.flags) }) : "";
    const button = this.h("button", { type: "button", className: `class-cell status-${cell.status}`,
      "aria-label": `${row.name}, ${name}: ${t(STATUS_TEXT[cell.status])}${flagged}` }, `${STATUS_MARK[cell.status]}${counted}`);
    button.addEventListener("click", () => this.showDetail(row, name));
    const td = this.h("td", { data: { exercise: name, status: cell.status } }, button);
    if (cell.flags.length) {
      const reasons = this.flagReasons(cell.flags);
      td.dataset.flags = cell.flags.join(" ");
      td.append(this.h("span", { className: "class-flag", testid: "class-flag", title: reasons }, FLAG_MARK,
        this.h("span", { className: "visually-hidden" }, ` ${reasons}`)));
    }
    return td;
  }

  lessonCell(row, name) {
    const cell = row.lessons[name];
    const said = cell.status === "missing" ? "" : ` ${cell.prediction + 1}${cell.ran ? "" : ` ${t("class.not-run")}`}`;
    return this.h("td", {
      className: `class-lesson status-${cell.status}`, title: cell.choice,
      data: { lesson: name, status: cell.status, prediction: cell.prediction, ran: cell.ran },
      "aria-label": t("class.lesson-cell", { name: row.name, lesson: name, said: t(LESSON_TEXT[cell.status]) }) +
        (cell.choice ? `: ${cell.choice}` : "") + (cell.ran ? `, ${t("class.run")}` : ""),
    }, `${LESSON_MARK[cell.status]}${said}`);
  }

  // A derivation step's cell: its fresh check (✓, ✗ with the mistake's identifier), "?" for a step
  // an old hand-in cannot have checked again, "–" for no answer; the hints used.
  stepCell(row, step) {
    const cell = row.derivation[step];
    const hints = cell.hints ? ` ${cell.hints}h` : "";
    return this.h("td", {
      className: `class-step status-${cell.status}`, title: cell.mistake,
      data: { step, status: cell.status, claimed: cell.claimed, hints: cell.hints, mistake: cell.mistake },
      "aria-label": tn("class.step-cell", cell.hints, { name: row.name, step, status: t(STATUS_TEXT[cell.status]),
        why: cell.mistake ? ` (${cell.mistake})` : "" }),
    }, `${STATUS_MARK[cell.status]}${hints}`);
  }

  // --- one student at a time ------------------------------------------------------------------------

  // One student's code for one exercise, read-only, with each check's message, just under their
  // row (scrolled into view, focus moved there); ↑/↓ the previous/next student, ←/→ the
  // previous/next exercise, Escape back to the cell.
  showDetail(row, exercise) {
    this.open = { file: row.file, exercise };
    const submission = this.book.byFile(row.file);
    this.fillDetail(row, exercise, submission);
    this.place(row.file);
  }

  reopen() {
    const row = this.report.rows.find((item) => item.file === this.open.file);
    if (row && this.report.columns.includes(this.open.exercise)) this.fillDetail(row, this.open.exercise, this.book.byFile(row.file));
    if (row) this.place(row.file, false);
    else this.closeDetail();
  }

  fillDetail(row, exercise, submission) {
    const h = this.h;
    const cell = row.cells[exercise];
    const code = submission?.entry?.handin?.exercises?.[exercise]?.code;
    const checks = submission?.result?.exercises?.[exercise]?.checks ?? [];
    const parts = [h("h3", {}, `${row.name} — ${exercise}`), this.navigation()];
    if (cell.status === "missing") {
      parts.push(h("p", {}, t("class.detail-missing")));
    } else {
      const counted = cell.total && RAN.includes(cell.status) ? t("class.detail-counted", { passed: cell.passed, total: cell.total }) : "";
      parts.push(h("p", { testid: "class-detail-status" }, tn("class.detail-status", cell.tries, {
        status: t(STATUS_TEXT[cell.status]), counted, claimed: cell.claimed,
        equations: t(cell.equations_shown ? "class.detail-equations-opened" : "class.detail-equations-not-opened"),
        solution: t(cell.solution_shown ? "class.detail-solution-shown" : "class.detail-solution-not-shown") })));
      if (cell.flags.length) {
        parts.push(h("p", { className: "class-flag", testid: "class-detail-flags" },
          `${FLAG_MARK} ${t("class.detail-flags", { reasons: this.flagReasons(cell.flags) })}`));
      }
      if (cell.error) parts.push(h("p", { className: "result-error" }, cell.error));
      if (checks.length) parts.push(this.checkLines(checks));
      parts.push(h("pre", { className: "class-code", testid: "class-code", "aria-label": t("class.code-label") }, code ?? ""));
    }
    this.detail.replaceChildren(...parts);
  }

  checkLines(checks) {
    return this.h("ul", { className: "result-checks" }, ...checks.map((line) => {
      const [kind, mark] = line.passed ? ["check-ok", "✓"] : line.skipped ? ["check-skip", "–"] : ["check-bad", "✗"];
      return this.h("li", { className: kind, data: { check: line.name } }, `${mark} `, this.h("strong", {}, `${line.name}: `), line.message);
    }));
  }

  navigation() {
    const h = this.h;
    const go = (testid, label, by, axis) => {
      const node = h("button", { type: "button", className: "button small quiet", testid }, label);
      node.addEventListener("click", () => this.move(by, axis));
      return node;
    };
    const close = h("button", { type: "button", className: "button small quiet", testid: "class-detail-close" }, t("class.detail-close"));
    close.addEventListener("click", () => this.closeDetail(true));
    return h("p", { className: "class-detail-nav" }, go("class-prev-student", t("class.prev-student"), -1, "student"), " ",
      go("class-next-student", t("class.next-student"), 1, "student"), " ",
      go("class-prev-exercise", t("class.prev-exercise"), -1, "exercise"), " ",
      go("class-next-exercise", t("class.next-exercise"), 1, "exercise"), " ", close,
      h("span", { className: "hint" }, ` ${t("class.detail-keys")}`));
  }

  // The previous or next student (the rows that are hand-ins) or exercise of the cell shown.
  move(by, axis) {
    if (!this.open || !this.report) return;
    const rows = this.report.rows.filter((row) => !row.problem);
    const columns = this.report.columns;
    let at = rows.findIndex((row) => row.file === this.open.file);
    let column = columns.indexOf(this.open.exercise);
    if (axis === "student") at = Math.min(rows.length - 1, Math.max(0, at + by));
    else column = Math.min(columns.length - 1, Math.max(0, column + by));
    if (rows[at] && columns[column]) this.showDetail(rows[at], columns[column]);
  }

  detailKey(event) {
    // The arrow along the reading order goes to the next exercise (← right to left, as the columns run).
    const on = direction() === "rtl" ? -1 : 1;
    const keys = { ArrowUp: [-1, "student"], ArrowDown: [1, "student"], ArrowLeft: [-on, "exercise"], ArrowRight: [on, "exercise"] };
    if (event.key === "Escape") {
      event.preventDefault();
      this.closeDetail(true);
    } else if (keys[event.key] && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.move(...keys[event.key]);
    }
  }

  // The detail's row goes under the student's row, in view, with the focus.
  place(file, focus = true) {
    const tr = [...this.table.querySelectorAll("tbody tr")].find((item) => item.dataset.file === file);
    if (!tr) return;
    tr.after(this.detailRow);
    this.detail.hidden = false;
    this.detailRow.hidden = false;
    if (focus) {
      this.detail.focus?.({ preventScroll: true });
      this.detailRow.scrollIntoView?.({ block: "nearest" });
    }
  }

  closeDetail(backToCell = false) {
    const open = this.open;
    this.open = null;
    this.detail.hidden = true;
    this.detailRow.remove();
    if (backToCell && open) {
      const cells = [...this.table.querySelectorAll(`td[data-exercise="${open.exercise}"]`)];
      cells.find((td) => td.parentNode?.dataset.file === open.file)?.querySelector("button")?.focus?.();
    }
  }

  // A student's older file (replaced by a newer one): its code for each exercise, as it was graded.
  showOlder(row, older) {
    const h = this.h;
    this.open = null;
    const handin = older.entry.handin;
    const parts = [h("h3", {}, t("class.older-heading", { name: row.name, file: older.original })),
      h("p", { className: "hint" }, t("class.older-created", { created: handin.created.replace("T", " ").slice(0, 16) }))];
    for (const [exercise, given] of Object.entries(handin.exercises)) {
      const status = older.result?.exercises?.[exercise]?.status ?? "ungraded";
      parts.push(h("h4", {}, `${exercise}: ${t(STATUS_TEXT[status] ?? STATUS_TEXT.invalid)}`),
        h("pre", { className: "class-code", testid: "class-older-code" }, given.code));
    }
    this.detail.replaceChildren(...parts);
    this.place(row.file);
  }

  // --- the mistakes to explain ---------------------------------------------------------------------

  // Per exercise, what went wrong (named mistakes and kinds of error), each student once under
  // the most specific: the label in words, the count, the names inline (five, then "+ n more");
  // the identifier in a tooltip only.
  showMistakes({ columns, mistakes }) {
    const h = this.h;
    const parts = [];
    for (const name of columns) {
      const found = mistakes[name] ?? [];
      if (!found.length) continue;
      parts.push(h("div", { data: { exercise: name } }, h("h4", {}, name), h("ul", {}, ...found.map((item) => {
        const shown = item.names.slice(0, NAMES_SHOWN).join(", ");
        const more = item.names.length - NAMES_SHOWN;
        return h("li", { title: item.id, data: { mistake: item.id, count: item.count, kind: item.kind } },
          h("span", { className: "class-mistake-label" }, item.label), ` — ${tn("class.students", item.count)}: `,
          h("span", { className: "class-mistake-names" }, shown),
          more > 0 ? h("span", { className: "class-mistake-more", title: item.names.join(", ") }, ` ${tn("class.more", more)}`) : null,
          // on paper there is no tooltip: the printed summary names everyone
          more > 0 ? h("span", { className: "class-mistake-rest" }, `, ${item.names.slice(NAMES_SHOWN).join(", ")}`) : null);
      }))));
    }
    if (!parts.length) parts.push(h("p", { className: "hint" }, t("class.no-mistakes")));
    this.mistakes.replaceChildren(...parts);
  }
}

// The student's hand-in (in the exercises panel): a name (kept in localStorage), a preview of what
// the file holds, and a download of pynn-<assignment>-<name>.json, made in Python by
// Session.hand_in (pynn.page.handin: the same checks the teacher's class view reads it with). Each file stands alone: a
// second hand-in replaces nothing. Nothing is sent anywhere; it works offline.
//
// Handed: python(method, args), which calls a Session method as the page's call(method, args)
// does; exercises(), the exercises' state now: { name: { code, status, passed, total, checks (Check pressed), equations_shown,
// solution_shown } }; assignment(): { title, hash } of the link the page was opened with; build:
// the page's build id; download(name, text, type): web/data/files.js's. lessons(): the assignment's
// lessons' { name: { prediction, ran } } or null (none assigned); derivation(): the derivation's
// { step: { passed, hints } } or null (nothing derived yet); catalogue: the lessons (TABLE.lessons),
// for their titles and choices in the preview. idRequired: the assignment asks for the student's
// school id or e-mail (student_id=required; the id is optional otherwise, for the teacher's gradebook).

import { elementMaker } from "../dom.js";
import { t, tn } from "../lang/text.js";
import { STORED } from "../start/storage.js";

// What a student's page may say of an exercise: its text's id.
const STATUS_TEXT = {
  pass: "handin.status.pass", fail: "handin.status.fail", error: "handin.status.error", timeout: "handin.status.timeout",
  crashed: "handin.status.crashed", invalid: "handin.status.invalid", unchecked: "handin.status.unchecked",
};

export class HandInPanel {
  constructor({ root, python, exercises, assignment, build, download, lessons = () => null, derivation = () => null,
    catalogue = [], storage = globalThis.localStorage, idRequired = false, doc = globalThis.document }) {
    this.h = elementMaker(doc);
    this.python = python;
    this.exercises = exercises;
    this.lessons = lessons;
    this.derivation = derivation;
    this.catalogue = catalogue;
    this.assignment = assignment;
    this.build = build;
    this.download = download;
    this.storage = storage;
    this.prepared = null; // the last { handin, filename, text } Python made, for the name shown
    this.asked = 0;
    this.name = this.h("input", { type: "text", testid: "handin-name", autocomplete: "name", maxlength: "100" });
    this.name.value = this.stored(STORED.handinName);
    this.name.addEventListener("input", () => {
      this.store(STORED.handinName, this.name.value);
      this.refresh();
    });
    this.idRequired = idRequired;
    this.studentId = this.h("input", { type: "text", testid: "handin-id", autocomplete: "email", maxlength: "100", required: idRequired });
    this.studentId.value = this.stored(STORED.handinId);
    this.studentId.addEventListener("input", () => {
      this.store(STORED.handinId, this.studentId.value);
      this.refresh();
    });
    this.preview = this.h("table", { className: "handin-preview", testid: "handin-preview" });
    this.lessonPreview = this.h("table", { className: "handin-preview", testid: "handin-lessons", hidden: true });
    this.derivationPreview = this.h("p", { className: "hint", testid: "handin-derivation", hidden: true });
    this.fileName = this.h("p", { className: "hint", testid: "handin-file" });
    this.note = this.h("p", { className: "hint", role: "status", testid: "handin-note" });
    this.button = this.h("button", { type: "button", className: "button", testid: "handin-download", disabled: true }, t("handin.download"));
    this.button.addEventListener("click", () => this.handIn());
    this.section = this.h("section", { className: "handin", testid: "handin", "aria-labelledby": "handin-title" },
      this.h("h3", { id: "handin-title" }, t("handin.heading")),
      this.h("p", { className: "hint" }, t("handin.intro")),
      this.h("label", { className: "handin-field" }, t("handin.name"), " ", this.name),
      this.h("label", { className: "handin-field" }, t(idRequired ? "handin.id-required" : "handin.id"), " ", this.studentId),
      this.preview, this.lessonPreview, this.derivationPreview, this.fileName, this.h("p", {}, this.button), this.note);
    root.replaceChildren(this.section);
    this.refresh();
  }

  stored(key) {
    try {
      return this.storage?.getItem(key) ?? "";
    } catch {
      return "";
    }
  }

  store(key, value) {
    try {
      this.storage?.setItem(key, value);
    } catch {
      // storage blocked: the name and id stay in their boxes for this visit
    }
  }

  // What a hand-in made now would hold, shown before the download. Call it when the exercises'
  // state changes (a Check, the equations or the solution opened).
  async refresh() {
    const ask = ++this.asked;
    const exercises = this.exercises();
    this.prepared = null;
    this.button.disabled = true;
    const extra = { lessons: this.lessons(), derivation: this.derivation() };
    if (!this.name.value.trim() || (this.idRequired && !this.studentId.value.trim())) {
      this.showPreview(exercises, extra);
      this.fileName.textContent = "";
      this.note.textContent = t(this.name.value.trim() ? "handin.type-id" : "handin.type-name");
      return;
    }
    let made;
    try {
      made = await this.make(exercises, extra);
    } catch (error) {
      if (ask !== this.asked) return;
      this.showPreview(exercises, extra);
      this.fileName.textContent = "";
      this.note.textContent = t("handin.refused", { why: error.message });
      return;
    }
    if (ask !== this.asked) return; // a newer refresh is under way
    this.prepared = made;
    this.showPreview(made.handin.exercises, made.handin);
    this.fileName.textContent = tn("handin.file", Object.keys(made.handin.exercises).length, { file: made.filename, name: made.handin.name });
    this.note.textContent = "";
    this.button.disabled = false;
  }

  // The lessons and the derivation go in only where there are some (the file stays as before).
  make(exercises, { lessons, derivation } = { lessons: this.lessons(), derivation: this.derivation() }) {
    return this.python("hand_in", {
      assignment: this.assignment(), name: this.name.value, build: this.build, exercises,
      ...(this.studentId.value.trim() ? { student_id: this.studentId.value } : {}),
      ...(lessons ? { lessons } : {}), ...(derivation ? { derivation } : {}),
    });
  }

  // The lessons' predictions and the derivation's steps, as the file will hold them.
  showExtra({ lessons, derivation }) {
    const names = Object.keys(lessons ?? {});
    this.lessonPreview.hidden = !names.length;
    this.lessonPreview.replaceChildren(this.h("thead", {}, this.h("tr", {},
      ...["handin.table.lesson", "handin.table.prediction", "handin.table.run"].map((id) => this.h("th", { scope: "col" }, t(id))))),
    this.h("tbody", {}, ...names.map((name) => {
      const entry = lessons[name];
      const lesson = this.catalogue.find((item) => item.name === name);
      const row = this.h("tr", {},
        this.h("th", { scope: "row" }, lesson ? t(lesson.title) : name),
        this.h("td", {}, lesson?.choices[entry.prediction] ? t(lesson.choices[entry.prediction]) : String(entry.prediction)),
        this.h("td", {}, t(entry.ran ? "handin.ran" : "handin.not-run")));
      row.dataset.lesson = name;
      row.dataset.prediction = String(entry.prediction);
      row.dataset.ran = String(entry.ran);
      return row;
    })));
    const steps = Object.entries(derivation ?? {});
    this.derivationPreview.hidden = !steps.length;
    const passed = steps.filter(([, step]) => step.passed).map(([name]) => name);
    const hints = steps.reduce((sum, [, step]) => sum + step.hints, 0);
    this.derivationPreview.textContent = steps.length
      ? t("handin.derivation", { steps: tn("handin.steps-passed", passed.length), which: passed.length ? ` (${passed.join(", ")})` : "",
        hints: tn("handin.hints-used", hints) })
      : "";
  }

  showPreview(exercises, extra = {}) {
    this.showExtra(extra);
    const names = Object.keys(exercises);
    const head = this.h("tr", {}, ...["handin.column.exercise", "handin.column.checks-said", "handin.column.check-pressed",
      "handin.column.equations", "handin.column.solution", "handin.column.code"].map((id) => this.h("th", { scope: "col" }, t(id))));
    const rows = names.map((name) => {
      const entry = exercises[name];
      const lines = entry.code ? entry.code.split("\n").length : 0;
      const row = this.h("tr", {},
        this.h("th", { scope: "row" }, name),
        this.h("td", {}, `${Object.hasOwn(STATUS_TEXT, entry.status) ? t(STATUS_TEXT[entry.status]) : entry.status}${
          entry.total ? ` ${t("handin.of", { passed: entry.passed, total: entry.total })}` : ""}`),
        this.h("td", {}, `${entry.checks}×`),
        this.h("td", {}, entry.equations_shown ? t("handin.opened") : "—"),
        this.h("td", {}, entry.solution_shown ? t("handin.shown") : "—"),
        this.h("td", {}, tn("handin.lines", lines)));
      row.dataset.exercise = name;
      row.dataset.status = entry.status;
      return row;
    });
    this.preview.replaceChildren(this.h("thead", {}, head), this.h("tbody", {}, ...rows));
    if (!names.length) this.preview.replaceChildren(this.h("caption", {}, t("handin.none")));
  }

  // Download a fresh hand-in (its time is now), with the name and code as they are.
  async handIn() {
    this.button.disabled = true;
    try {
      const made = await this.make(this.exercises());
      this.showExtra(made.handin);
      this.download(made.filename, `${JSON.stringify(made.handin, null, 1)}\n`, "application/json");
      this.note.textContent = t("handin.downloaded", { file: made.filename });
    } catch (error) {
      this.note.textContent = t("handin.refused", { why: error.message });
    } finally {
      this.button.disabled = !this.prepared;
    }
  }
}

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
// for their titles and choices in the preview.

import { elementMaker } from "../dom.js";
import { t } from "../lang/text.js";
import { STORED } from "../start/storage.js";

const STATUS_TEXT = {
  pass: "passed", fail: "not yet", error: "error", timeout: "stopped", crashed: "crashed", invalid: "no usable answer", unchecked: "not checked",
};

export class HandInPanel {
  constructor({ root, python, exercises, assignment, build, download, lessons = () => null, derivation = () => null,
    catalogue = [], storage = globalThis.localStorage, doc = globalThis.document }) {
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
    this.name.value = this.storedName();
    this.name.addEventListener("input", () => {
      this.storeName(this.name.value);
      this.refresh();
    });
    this.preview = this.h("table", { className: "handin-preview", testid: "handin-preview" });
    this.lessonPreview = this.h("table", { className: "handin-preview", testid: "handin-lessons", hidden: true });
    this.derivationPreview = this.h("p", { className: "hint", testid: "handin-derivation", hidden: true });
    this.fileName = this.h("p", { className: "hint", testid: "handin-file" });
    this.note = this.h("p", { className: "hint", role: "status", testid: "handin-note" });
    this.button = this.h("button", { type: "button", className: "button", testid: "handin-download", disabled: true }, "Download my hand-in");
    this.button.addEventListener("click", () => this.handIn());
    this.section = this.h("section", { className: "handin", testid: "handin", "aria-labelledby": "handin-title" },
      this.h("h3", { id: "handin-title" }, "Hand in"),
      this.h("p", { className: "hint" },
        "One file for your teacher: your code for each exercise, what the checks said, how many times you pressed Check, " +
        "and whether you opened the equations or the solution; the predictions you made in the assignment's lessons and " +
        "the derivation's steps you passed. Your teacher's page checks your code again. Nothing is sent anywhere."),
      this.h("label", { className: "handin-field" }, "Your name ", this.name),
      this.preview, this.lessonPreview, this.derivationPreview, this.fileName, this.h("p", {}, this.button), this.note);
    root.replaceChildren(this.section);
    this.refresh();
  }

  storedName() {
    try {
      return this.storage?.getItem(STORED.handinName) ?? "";
    } catch {
      return "";
    }
  }

  storeName(name) {
    try {
      this.storage?.setItem(STORED.handinName, name);
    } catch {
      // storage blocked: the name stays in the box for this visit
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
    if (!this.name.value.trim()) {
      this.showPreview(exercises, extra);
      this.fileName.textContent = "";
      this.note.textContent = "Type your name to hand in.";
      return;
    }
    let made;
    try {
      made = await this.make(exercises, extra);
    } catch (error) {
      if (ask !== this.asked) return;
      this.showPreview(exercises, extra);
      this.fileName.textContent = "";
      this.note.textContent = `This cannot be handed in: ${error.message}`;
      return;
    }
    if (ask !== this.asked) return; // a newer refresh is under way
    this.prepared = made;
    this.showPreview(made.handin.exercises, made.handin);
    this.fileName.textContent = `The file: ${made.filename} (${made.handin.name}, ${Object.keys(made.handin.exercises).length} exercises)`;
    this.note.textContent = "";
    this.button.disabled = false;
  }

  // The lessons and the derivation go in only where there are some (the file stays as before).
  make(exercises, { lessons, derivation } = { lessons: this.lessons(), derivation: this.derivation() }) {
    return this.python("hand_in", {
      assignment: this.assignment(), name: this.name.value, build: this.build, exercises,
      ...(lessons ? { lessons } : {}), ...(derivation ? { derivation } : {}),
    });
  }

  // The lessons' predictions and the derivation's steps, as the file will hold them.
  showExtra({ lessons, derivation }) {
    const names = Object.keys(lessons ?? {});
    this.lessonPreview.hidden = !names.length;
    this.lessonPreview.replaceChildren(this.h("thead", {}, this.h("tr", {},
      ...["Lesson", "Your prediction", "Run"].map((text) => this.h("th", { scope: "col" }, text)))),
    this.h("tbody", {}, ...names.map((name) => {
      const entry = lessons[name];
      const lesson = this.catalogue.find((item) => item.name === name);
      const row = this.h("tr", {},
        this.h("th", { scope: "row" }, lesson ? t(lesson.title) : name),
        this.h("td", {}, lesson?.choices[entry.prediction] ? t(lesson.choices[entry.prediction]) : String(entry.prediction)),
        this.h("td", {}, entry.ran ? "run" : "not run"));
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
      ? `Derive the gradients: ${passed.length} ${passed.length === 1 ? "step" : "steps"} passed${passed.length ? ` (${passed.join(", ")})` : ""}, ${hints} ${hints === 1 ? "hint" : "hints"} used.`
      : "";
  }

  showPreview(exercises, extra = {}) {
    this.showExtra(extra);
    const names = Object.keys(exercises);
    const head = this.h("tr", {}, ...["Exercise", "Checks said", "Check pressed", "Equations", "Solution", "Code"].map((text) => this.h("th", { scope: "col" }, text)));
    const rows = names.map((name) => {
      const entry = exercises[name];
      const lines = entry.code ? entry.code.split("\n").length : 0;
      const row = this.h("tr", {},
        this.h("th", { scope: "row" }, name),
        this.h("td", {}, `${STATUS_TEXT[entry.status] ?? entry.status}${entry.total ? ` (${entry.passed} of ${entry.total})` : ""}`),
        this.h("td", {}, `${entry.checks}×`),
        this.h("td", {}, entry.equations_shown ? "opened" : "—"),
        this.h("td", {}, entry.solution_shown ? "shown" : "—"),
        this.h("td", {}, `${lines} ${lines === 1 ? "line" : "lines"}`));
      row.dataset.exercise = name;
      row.dataset.status = entry.status;
      return row;
    });
    this.preview.replaceChildren(this.h("thead", {}, head), this.h("tbody", {}, ...rows));
    if (!names.length) this.preview.replaceChildren(this.h("caption", {}, "No exercise to hand in yet."));
  }

  // Download a fresh hand-in (its time is now), with the name and code as they are.
  async handIn() {
    this.button.disabled = true;
    try {
      const made = await this.make(this.exercises());
      this.showExtra(made.handin);
      this.download(made.filename, `${JSON.stringify(made.handin, null, 1)}\n`, "application/json");
      this.note.textContent = `Downloaded ${made.filename}. Give this file to your teacher; a later hand-in is a new file.`;
    } catch (error) {
      this.note.textContent = `This cannot be handed in: ${error.message}`;
    } finally {
      this.button.disabled = !this.prepared;
    }
  }
}

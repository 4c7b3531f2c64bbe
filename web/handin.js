// The student's hand-in (in the exercises panel): a name (kept in localStorage), a preview of what
// the file holds, and a download of pynn-<assignment>-<name>.json, made by pynn.page.handin.hand_in
// in Python (the same checks the teacher's class view reads it with). Each file stands alone: a
// second hand-in replaces nothing. Nothing is sent anywhere; it works offline.
//
// Handed: python(call, args), which calls pynn.page.<call>(**args); exercises(), the exercises'
// state now: { name: { code, status, passed, total, checks (Check pressed), equations_shown,
// solution_shown } }; assignment(): { title, hash } of the link the page was opened with; build:
// the page's build id; download(name, text, type): web/files.js's.

import { elementMaker } from "./dom.js";

const NAME_KEY = "pynn.handin.name";
const STATUS_TEXT = { pass: "passed", fail: "not yet", error: "error", timeout: "stopped", unchecked: "not checked" };

export class HandInPanel {
  constructor({ root, python, exercises, assignment, build, download, storage = globalThis.localStorage, doc = globalThis.document }) {
    this.h = elementMaker(doc);
    this.python = python;
    this.exercises = exercises;
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
    this.fileName = this.h("p", { className: "hint", testid: "handin-file" });
    this.note = this.h("p", { className: "hint", role: "status", testid: "handin-note" });
    this.button = this.h("button", { type: "button", className: "button", testid: "handin-download", disabled: true }, "Download my hand-in");
    this.button.addEventListener("click", () => this.handIn());
    this.section = this.h("section", { className: "handin", testid: "handin", "aria-labelledby": "handin-title" },
      this.h("h3", { id: "handin-title" }, "Hand in"),
      this.h("p", { className: "hint" },
        "One file for your teacher: your code for each exercise, what the checks said, how many times you pressed Check, " +
        "and whether you opened the equations or the solution. Your teacher's page checks your code again. Nothing is sent anywhere."),
      this.h("label", { className: "handin-field" }, "Your name ", this.name),
      this.preview, this.fileName, this.h("p", {}, this.button), this.note);
    root.replaceChildren(this.section);
    this.refresh();
  }

  storedName() {
    try {
      return this.storage?.getItem(NAME_KEY) ?? "";
    } catch {
      return "";
    }
  }

  storeName(name) {
    try {
      this.storage?.setItem(NAME_KEY, name);
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
    if (!this.name.value.trim()) {
      this.showPreview(exercises);
      this.fileName.textContent = "";
      this.note.textContent = "Type your name to hand in.";
      return;
    }
    let made;
    try {
      made = await this.make(exercises);
    } catch (error) {
      if (ask !== this.asked) return;
      this.showPreview(exercises);
      this.fileName.textContent = "";
      this.note.textContent = `This cannot be handed in: ${error.message}`;
      return;
    }
    if (ask !== this.asked) return; // a newer refresh is under way
    this.prepared = made;
    this.showPreview(made.handin.exercises);
    this.fileName.textContent = `The file: ${made.filename} (${made.handin.name}, ${Object.keys(made.handin.exercises).length} exercises)`;
    this.note.textContent = "";
    this.button.disabled = false;
  }

  make(exercises) {
    return this.python("handin.hand_in", { assignment: this.assignment(), name: this.name.value, build: this.build, exercises });
  }

  showPreview(exercises) {
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
      this.download(made.filename, made.text, "application/json");
      this.note.textContent = `Downloaded ${made.filename}. Give this file to your teacher; a later hand-in is a new file.`;
    } catch (error) {
      this.note.textContent = `This cannot be handed in: ${error.message}`;
    } finally {
      this.button.disabled = !this.prepared;
    }
  }
}

// Grading the class, without a page: each file read by pynn.page.handin (Session.read_handin: a
// file over the limit is not read at all) and added to the class (web/classroom/classbook.js),
// each piece of its code checked through check() and each derivation step's expression through
// checkStep() (web/start/checking.js: run in the sandbox, judged in the training worker), then the
// class's table again through Session.class_report after each student, so it fills in as it goes.
// What a file says it scored is never used.
//
// stop() lets the check under way end, then reads the other files without checking them: their
// results are null, their cells "ungraded" (empty in the CSV, never 0). A failure while grading
// one student (a call that broke) is that student's `failure`, and the next student is graded.
// fresh(): called before each student's checks (the page restarts the sandbox there, so one
// student's code cannot change another's outputs); none by default.
import { t } from "../lang/text.js";
import { ClassBook } from "./classbook.js";

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
    this.skipped = 0; // files of the last grading already in the class
    this.book = null;
  }

  stop() {
    this.stopped = true;
  }

  // files: File-like objects ({ name, size, text(), received? }), added to `book` as a new batch;
  // onProgress(done, total, report) after each file; joinKept(key) → the book to add to, once the
  // first readable hand-in names its assignment (the class kept for it, when `book` is empty).
  // Resolves with the last report ({ columns, rows, mistakes, csv, … }).
  async grade(files, book = new ClassBook(), onProgress = () => {}, joinKept = async () => book) {
    const list = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.running = true;
    this.stopped = false;
    this.skipped = 0;
    this.book = book;
    this.timings = { freshMs: 0, checkMs: 0 };
    let report = null;
    try {
      onProgress(0, list.length, report);
      let batched = false;
      for (const [index, file] of list.entries()) {
        const added = await this.add(file, batched, joinKept);
        batched ||= Boolean(added);
        if (added) {
          added.result = this.stopped ? null : await this.gradeOne(added.entry.handin);
          report = await this.python("class_report", this.book.payload()).catch(() => report);
        } else {
          this.skipped += 1;
        }
        onProgress(index + 1, list.length, report);
      }
    } finally {
      this.running = false;
    }
    return report;
  }

  // The file read and added (a new batch begins with the first file added), or null when this
  // very file is in the class already. The first readable hand-in of an empty class names the
  // class it joins (joinKept).
  async add(file, batched, joinKept) {
    const text = file.size > this.maxBytes ? "" : await file.text().catch(() => null);
    const entry = text === null ? { file: file.name, handin: null, problem: t("class.unreadable") } : await this.read(file, text);
    if (this.book.empty && entry.handin) this.book = await joinKept(entry.handin.assignment.hash);
    const name = this.book.nameFor(file.name, text ?? "");
    if (name === null) return null;
    if (!batched) this.book.nextBatch();
    return this.book.add({ file: name, original: file.name, text: text ?? "", received: file.received || new Date().toISOString(),
      entry: { ...entry, file: name } });
  }

  async read(file, text) {
    if (file.size > this.maxBytes) return this.python("read_handin", { file: file.name, text: "", size: file.size });
    return this.python("read_handin", { file: file.name, text }).catch((error) => (
      { file: file.name, handin: null, problem: t("class.unreadable-why", { why: error.message }) }));
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
      result.failure = t("class.grading-failed", { why: error?.message ?? error });
    }
    return result;
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

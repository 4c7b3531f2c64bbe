// The class as the teacher's page keeps it (issue 35): every hand-in received, in the order
// received, with what pynn.page.handin read of it and its fresh grading; which of them make the
// table. Pure: no DOM, no storage (web/classroom/keep.js keeps a book's record).
//
// A student's newer file replaces their older row when it came later (another batch of files):
// the same name (ignoring case and spaces) and the same id, the newer by its `created` time. The
// older stays in the book, viewable. Two files of one batch with the same name are two rows
// ("same name twice"): two students may share a name. The same file received again (its name and
// its text) is not added twice.

const same = (text) => String(text ?? "").split(/\s+/).filter(Boolean).join(" ").toLowerCase();

export class ClassBook {
  // submissions: [{ file, text, received, batch, entry, result }] (a kept record's)
  constructor(submissions = []) {
    this.submissions = submissions.map((item) => ({ ...item }));
    this.batch = Math.max(0, ...this.submissions.map((item) => item.batch ?? 0));
  }

  get empty() {
    return this.submissions.length === 0;
  }

  // The class's assignment: its first readable hand-in's ({ key: the link's assignment hash, title }).
  get assignment() {
    const first = this.submissions.find((item) => item.entry?.handin);
    return first ? { key: first.entry.handin.assignment.hash, title: first.entry.handin.assignment.title } : null;
  }

  // A new batch of files begins (one choice or drop).
  nextBatch() {
    this.batch += 1;
  }

  // The name this file takes in the book (unique: a newer download often has the old name), or
  // null when this very file (name and text) is in the book already.
  nameFor(file, text) {
    if (this.submissions.some((item) => item.original === file && item.text === text)) return null;
    const taken = new Set(this.submissions.map((item) => item.file));
    let name = file;
    for (let n = 2; taken.has(name); n++) name = `${file} (${n})`;
    return name;
  }

  add({ file, original = file, text, received, entry }) {
    const submission = { file, original, text, received, batch: this.batch, entry, result: null };
    this.submissions.push(submission);
    return submission;
  }

  byFile(file) {
    return this.submissions.find((item) => item.file === file) ?? null;
  }

  // Which submission replaced each one ({ file: newer file }); a submission absent is in the table.
  replacements() {
    const groups = new Map();
    for (const item of this.submissions) {
      const handin = item.entry?.handin;
      if (!handin) continue;
      const key = `${same(handin.name)}\u0000${same(handin.student_id)}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    const replaced = {};
    for (const group of groups.values()) {
      const newest = group.reduce((best, item) => (item.entry.handin.created >= best.entry.handin.created ? item : best));
      for (const item of group) if (item.batch !== newest.batch) replaced[item.file] = newest.file;
    }
    return replaced;
  }

  // The submissions in the table, in the order received.
  current() {
    const replaced = this.replacements();
    return this.submissions.filter((item) => !Object.hasOwn(replaced, item.file));
  }

  // The older files a row's submission replaced.
  olderThan(file) {
    const replaced = this.replacements();
    return this.submissions.filter((item) => replaced[item.file] === file);
  }

  // class_report's arguments (pynn.page.handin.report) for the table.
  payload() {
    const table = this.current();
    return { entries: table.map((item) => item.entry), results: table.map((item) => item.result) };
  }

  // The students in the table (readable hand-ins).
  students() {
    return this.current().filter((item) => item.entry?.handin).length;
  }
}

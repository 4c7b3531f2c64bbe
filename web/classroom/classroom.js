// The classroom in the page (issue 27): an assignment link's title, exercises and panels applied to
// the student's page; what the student did per exercise (Check pressed, the solution shown; the
// equations asked for are web/teaching/exercises.js's), for the hand-in; the page's `python(call, args)`
// (Session.hand_in, read_handin and class_report in the training worker: pynn.page.handin reads and writes the files, no
// code of anyone's runs); the teacher's view and the embed's body classes.
//
// Text from the link reaches the page only through textContent.

import { t, tn } from "../lang/text.js";
import { STORED } from "../start/storage.js";
import { BY } from "../state.js";
import { makeAssignment } from "./assignment.js";
import { HandInPanel } from "./handin.js";

// How many clean sandboxes the teacher's grading keeps starting ahead of the student being graded
// (web/start/bridge.js's prepare): a start (about 0.9 s) is most of a student's grading, and one
// started during the previous student's checks has that long a head start. bench/grading.py.
const SPARE_SANDBOXES = 1;

// The page's parts each `panels=` name stands for (pynn/page/settings.py's PANELS).
export const PANEL_PARTS = {
  plane: [".stage", ".metrics"],
  exercises: ["#exercises"],
  diagram: [".network"],
  stepper: ["#backprop-panel"],
  inside: ["#inspect-panel"],
  code: ["#code-panel"],
  units: ["#hidden-units"],
  gradcheck: [".gradcheck"],
};

// The panels an assignment shows: those it lists; when it withholds pynn's implementation (no
// solutions, or the equations only on request), pynn's code only where the link lists panels
// and names it (the teacher ticked it: the form warned).
export function shownPanels(assignment) {
  const withheld = assignment.solutions === "off" || assignment.equations === "ask";
  return withheld && !assignment.given.includes("panels") ? assignment.panels.filter((name) => name !== "code") : assignment.panels;
}

// Show only the panels listed (all when `panels` lists them all); a grid left empty is hidden too.
export function applyPanels(panels, doc = globalThis.document) {
  for (const [name, selectors] of Object.entries(PANEL_PARTS)) {
    for (const selector of selectors) {
      const part = doc.querySelector(selector);
      if (part) part.hidden = !panels.includes(name);
    }
  }
  for (const grid of doc.querySelectorAll(".backprop-grid, .inside-grid")) {
    grid.hidden = [...grid.children].every((child) => child.hidden);
  }
}

// What the student does that ends holding the assignment in place.
const STOPS = ["wheel", "touchstart", "keydown", "pointerdown"];

// Whether the page was reloaded (its own tab's reload, or one that followed another assignment's link).
function reloadedHere() {
  return globalThis.performance?.getEntriesByType?.("navigation")[0]?.type === "reload";
}

function readJson(storage, key) {
  try {
    const value = JSON.parse(storage?.getItem(key) ?? "null");
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

// What the student did per exercise, kept in localStorage across visits: how many times Check was
// pressed, whether the solution was shown; with the equations asked for (web/teaching/exercises.js's), for the hand-in.
export class ExerciseLog {
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
    this.listeners = [];
  }

  all() {
    return readJson(this.storage, STORED.handinLog);
  }

  note(name, change) {
    const all = this.all();
    const entry = { checks: 0, solution_shown: false, ...(all[name] ?? {}) };
    if (change === "check") entry.checks = (Number.isInteger(entry.checks) ? entry.checks : 0) + 1;
    if (change === "solution") entry.solution_shown = true;
    try {
      this.storage?.setItem(STORED.handinLog, JSON.stringify({ ...all, [name]: entry }));
    } catch {
      // storage full or blocked: not recorded
    }
    this.changed();
  }

  changed() {
    for (const listener of this.listeners) listener();
  }

  // The hand-in's exercises: { name: { code, status, passed, total, checks, equations_shown,
  // solution_shown } } for each of `names` the student has touched (code kept, or a Check). `stored`
  // (name) → { code } or null: web/teaching/exercises.js's store; `results`: the last check result per name.
  exercises(names, stored, results) {
    const log = this.all();
    const asked = readJson(this.storage, STORED.equationsAsked);
    const out = {};
    for (const name of names) {
      const kept = stored(name);
      const entry = log[name] ?? {};
      if (!kept && !entry.checks) continue;
      const result = results[name];
      out[name] = {
        code: kept?.code ?? "",
        status: result?.status ?? "unchecked",
        passed: Number.isInteger(result?.passed) ? result.passed : 0,
        total: Number.isInteger(result?.total) ? result.total : 0,
        checks: Number.isInteger(entry.checks) ? entry.checks : 0,
        equations_shown: Boolean(asked[name]),
        solution_shown: Boolean(entry.solution_shown),
      };
    }
    return out;
  }
}

// The page's python(method, args) for web/classroom/teacher.js and web/classroom/handin.js: Session.<method>(**args) in
// the training worker (hand_in, read_handin, class_report: pynn.page.handin), the answer without
// the bridge's envelope.
// Python's None arrives as undefined (Pyodide's toJs): it is null here, as in the JSON the modules
// and their tests read.
export function pagePython(bridgeCall) {
  return async (method, args) => {
    const { type, id, heapBytes, ...answer } = await bridgeCall(method, args);
    return nulls(answer);
  };
}

function nulls(value) {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(nulls);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, nulls(item)]));
  }
  return value;
}

// The body's class for the view: "teacher" or "embed" (or neither).
export function applyLayout(layout, doc = globalThis.document) {
  doc.body.classList.toggle("teacher", layout === "teacher");
  doc.body.classList.toggle("embed", layout === "embed");
  const teacher = doc.getElementById("teacher");
  if (teacher) teacher.hidden = layout !== "teacher";
}

// The classroom's part of the page. As the page opens: the assignment link it was opened with
// (read once: another assignment in the address makes the page again), and the student's log.
// Once the exercises and lessons exist (wire): the hand-in under the exercises, the assignment's
// title, lessons and panels, and the way to the teacher's page (#view=teacher: web/classroom/teacher.js,
// made when first shown).
export class Classroom {
  // state: makeState(table) (web/state.js); hash: the address the page opened with.
  constructor({ table, state, hash, storage }) {
    this.table = table;
    this.reader = makeAssignment(table);
    // The keys an assignment shares with the view (equations=): the view's reader notes them, and
    // the address writes them in the assignment's part only.
    this.shared = this.reader.NAMES.filter((key) => Object.hasOwn(state.VIEW_FIELDS, key));
    const { assignment, notes } = this.reader.parse(hash, { toldElsewhere: this.shared });
    this.assignment = assignment.given.length ? assignment : null;
    this.hash = this.assignment ? this.reader.serialise(this.assignment) : "";
    this.notes = notes;
    this.storage = storage;
    this.log = new ExerciseLog(storage);
    this.teacherPage = null;
    this.layout = "";
    this.cleanSandbox = null; // a sandbox started for the next student graded, no one's code run in it
  }

  // Whether `hash` holds another assignment than the one the page was made for.
  isOther(hash) {
    const next = this.reader.parse(hash).assignment;
    return (next.given.length ? this.reader.serialise(next) : "") !== this.hash;
  }

  // What was wrong with the link's assignment, said once.
  takeNotes() {
    return this.notes.splice(0);
  }

  // page: { store, state, python, sandbox (the sandbox's client), messages, download, derivation():
  // the derivation's hand-in }; exercises, lessons, deriving: their panels (deriving: the
  // derivation's, whose check the teacher's page uses for every step a hand-in carries).
  wire({ doc = document, page, exercises, lessons, deriving }) {
    const $ = (id) => doc.getElementById(id);
    const { assignment, table } = this;
    this.page = page;
    this.exercises = exercises;
    this.deriving = deriving;
    const slot = Object.assign(doc.createElement("div"), { className: "handin-slot" });
    $("exercises").append(slot);
    this.handin = new HandInPanel({
      root: slot, python: page.python, catalogue: table.lessons ?? [],
      lessons: () => (assignment?.lessons.length ? lessons.handIn() : null), derivation: page.derivation,
      exercises: () => this.log.exercises(exercises.names, (name) => exercises.stored(name), exercises.results),
      assignment: () => ({ title: assignment?.assign ?? "", hash: this.hash }), build: "dev", download: page.download,
      storage: this.storage, idRequired: assignment?.student_id === "required",
    });
    this.log.listeners.push(() => this.handin.refresh());
    if (assignment) {
      this.showAssignment(doc, lessons);
      this.followAddress(page.store);
      lessons.home = { settings: () => this.setup, arrive: () => this.arrive() };
      applyPanels(shownPanels(assignment), doc);
      // The build the hand-in names: manifest.json's id (written after every file, so not in settings.js).
      fetch(new URL("manifest.json", location.href)).then((response) => response.json())
        .then(({ build }) => { if (typeof build === "string") this.handin.build = build; }).catch(() => {});
    }
    this.link = $("teacher-link");
    this.link.addEventListener("click", () => {
      const { store } = page;
      store.set({ view: { view: store.view.view === "teacher" ? "" : "teacher" } });
      this.showLayout(store.view.view);
    });
  }

  // The assignment in one place, at the page's foot: its title and lessons just above its exercises
  // (and the hand-in under them); where the title stood, under the header, the way down to it.
  showAssignment(doc, lessons) {
    const title = doc.getElementById("assignment-title");
    title.textContent = this.assignment.assign || t("assignment.untitled");
    title.tabIndex = -1; // focus lands on it: a screen reader starts reading at the assignment
    title.hidden = false;
    const head = Object.assign(doc.createElement("div"), { className: "assignment-head" });
    title.replaceWith(this.wayToAssignment(doc));
    head.append(title);
    if (this.assignment.lessons.length) head.append(lessons.assignedList());
    doc.getElementById("exercises").before(head);
    this.title = title;
  }

  // Under the header: the way to the assignment (its exercises by name, and the count).
  wayToAssignment(doc) {
    const count = this.assignment.exercises.length;
    const go = Object.assign(doc.createElement("button"), { type: "button", className: "button small",
      textContent: tn("assignment.go", count, { names: this.assignment.exercises.join(", ") }) });
    go.dataset.testid = "assignment-go";
    go.addEventListener("click", () => this.arrive());
    const row = Object.assign(doc.createElement("p"), { className: "assignment-go" });
    row.append(go);
    return row;
  }

  // The student at the assignment: its title at the top of the window, the lessons and exercises
  // under it, and the focus on the title (keyboard and screen-reader users land there too).
  arrive() {
    this.title.scrollIntoView({ block: "start" });
    this.title.focus({ preventScroll: true });
  }

  // Each reading of the address with the assignment in it (the link opened; opened again in the
  // same tab) brings the student to it and keeps the setup the link set (for the end of a lesson),
  // unless it opens a lesson or another view; a reload of the student's own keeps where they were
  // and the setup kept when the link was opened (another assignment's link reloads the page:
  // then it is opened, not reloaded).
  followAddress(store) {
    let first = true;
    globalThis.addEventListener("hashchange", () => {
      if (this.isOther(location.hash)) history.scrollRestoration = "manual"; // the reload that follows arrives
    });
    store.subscribe(({ by }) => {
      if (by !== BY.address) return;
      const reloaded = first && reloadedHere();
      first = false;
      const kept = store.view.lesson || reloaded ? this.keptSetup() : null;
      if (!kept && !store.view.lesson) this.keepSetup(store.settings);
      if (store.view.lesson || store.view.view || (reloaded && history.scrollRestoration === "auto")) return;
      history.scrollRestoration = "auto";
      this.arrive();
      this.holdPlace();
    });
  }

  // The setup the assignment's link set, kept in this browser; null when none is kept for it (or
  // what is kept is not one: every setting, a number or a name; Python checks the values).
  keptSetup() {
    const kept = readJson(this.storage, STORED.assignmentSetup);
    const settings = kept.hash === this.hash && kept.settings && typeof kept.settings === "object" ? kept.settings : {};
    const keys = Object.keys(this.table.fields);
    const whole = keys.every((key) => ["number", "string"].includes(typeof settings[key]));
    this.setup = whole ? Object.fromEntries(keys.map((key) => [key, settings[key]])) : null;
    return this.setup;
  }

  keepSetup(settings) {
    this.setup = { ...settings };
    try {
      this.storage?.setItem(STORED.assignmentSetup, JSON.stringify({ hash: this.hash, settings: this.setup }));
    } catch {
      // storage full or blocked: kept for this visit
    }
  }

  // While Python starts, the parts above the assignment take their heights: the title stays where
  // the student arrived (the scroll anchored to it; where the browser does not anchor, moved back),
  // until they scroll, press a key or leave the title.
  holdPlace() {
    const { body } = this.title.ownerDocument;
    const top = this.title.getBoundingClientRect().top;
    const watch = new ResizeObserver(() => {
      if (Math.abs(this.title.getBoundingClientRect().top - top) > 1) globalThis.scrollBy(0, this.title.getBoundingClientRect().top - top);
    });
    const stop = () => {
      watch.disconnect();
      body.classList.remove("assignment-arriving");
      for (const type of STOPS) globalThis.removeEventListener(type, stop, true);
      this.title.removeEventListener("blur", stop);
    };
    body.classList.add("assignment-arriving");
    watch.observe(body);
    for (const type of STOPS) globalThis.addEventListener(type, stop, true);
    this.title.addEventListener("blur", stop);
  }

  // The view's layout: the teacher's page, the embed, or the student's page.
  showLayout(layout, doc = document) {
    applyLayout(layout, doc);
    this.link.textContent = t(layout === "teacher" ? "assignment.leave-teacher" : "assignment.for-teachers");
    const entering = layout === "teacher" && this.layout !== "teacher";
    this.layout = layout;
    if (entering) {
      this.showTeacher(doc).catch((error) => this.page.messages.show([t("assignment.teacher-failed", { why: error.message })], "error"));
    }
    // Away from the teacher's page a Check may run code in the sandbox: no longer clean.
    if (layout !== "teacher") {
      this.cleanSandbox = null;
      this.page.sandbox?.dropSpares();
    }
  }

  // A new sandbox, ready (its first answer); a failed start: each check says so.
  restartSandbox() {
    this.page.sandbox.start();
    return this.page.sandbox.call("exercise_catalogue", {}, { timeoutMs: this.table.timeouts_ms.check }).catch(() => {});
  }

  // Each piece of code and each derivation step is checked as the student's own Check is
  // (web/start/checking.js); grading restarts the sandbox before each student (fresh), so one
  // student's code cannot change another's outputs.
  async showTeacher(doc) {
    if (this.teacherPage) {
      this.cleanSandbox = this.restartSandbox();
      return;
    }
    // Every module of the teacher's page asked for at once, not each after the one importing it
    // (teacher.js → classview.js → classbook.js…): the kept class shows a few round trips sooner.
    const [{ TeacherPage }, { openKeep }] = await Promise.all([import("./teacher.js"), import("./keep.js"),
      import("./classview.js"), import("./classbook.js"), import("./grading.js")]);
    const keep = await openKeep();
    const { page, exercises, deriving } = this;
    this.teacherPage = new TeacherPage({
      root: doc.getElementById("teacher"), table: this.table, state: page.state,
      current: () => ({ settings: page.store.settings, hide: page.store.view.hide }),
      base: location.href.split("#")[0], clipboard: navigator.clipboard, python: page.python, download: page.download, keep,
      check: (name, source) => exercises.checkInSandbox(name, source),
      checkStep: (step, expression) => deriving.check(step, expression),
      fresh: () => { // a sandbox no one's code has run in, ready before the student's first check
        const ready = this.cleanSandbox ?? this.restartSandbox();
        this.cleanSandbox = null;
        this.page.sandbox.prepare(SPARE_SANDBOXES); // the next students' start while this one's checks run
        return ready;
      },
    });
    // Started as the teacher's page opens, so the first student graded (a late file) finds a
    // sandbox ready instead of waiting for its Python to start.
    this.cleanSandbox = this.restartSandbox();
  }
}

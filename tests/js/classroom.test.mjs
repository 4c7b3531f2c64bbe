// node --test tests/js/ — web/classroom/classroom.js: what the student did per exercise, as the hand-in
// carries it (Check pressed, the equations asked for, the solution shown, the last check's
// status); the page's python() without the bridge's envelope; and Grading's fresh() hook, called
// before each student's checks so one student's code cannot change another's result.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Classroom, ExerciseLog, pagePython, shownPanels } from "../../web/classroom/classroom.js";
import { makeAssignment } from "../../web/classroom/assignment.js";
import { makeState } from "../../web/state.js";
import { Grading } from "../../web/classroom/grading.js";
import { TABLE } from "./table.mjs";

class Storage {
  constructor(items = {}) {
    this.items = new Map(Object.entries(items));
  }
  getItem(key) {
    return this.items.get(key) ?? null;
  }
  setItem(key, value) {
    this.items.set(key, String(value));
  }
}

test("the log counts each Check and the solution shown, and the hand-in's entries say so", () => {
  const storage = new Storage({ "pynn.equations-asked": JSON.stringify({ forward: "2026-12-04T08:00:00Z" }) });
  const log = new ExerciseLog(storage);
  let heard = 0;
  log.listeners.push(() => heard++);
  log.note("forward", "check");
  log.note("forward", "check");
  log.note("gradients", "solution");
  assert.equal(heard, 3);
  const code = { forward: "def forward(): ...", gradients: "def gradients(): ..." };
  const entries = log.exercises(["relu", "forward", "gradients"], (name) => (code[name] ? { code: code[name] } : null),
    { forward: { status: "fail", passed: 1, total: 3 } });
  assert.deepEqual(Object.keys(entries), ["forward", "gradients"]); // relu: never touched
  assert.deepEqual(entries.forward, { code: code.forward, status: "fail", passed: 1, total: 3, checks: 2, equations_shown: true, solution_shown: false });
  assert.deepEqual(entries.gradients, { code: code.gradients, status: "unchecked", passed: 0, total: 0, checks: 0, equations_shown: false, solution_shown: true });
  // kept across visits: a new log over the same storage reads the same
  assert.equal(new ExerciseLog(storage).exercises(["forward"], () => ({ code: "" }), {}).forward.checks, 2);
});

test("a log in unreadable storage starts empty and still hands in", () => {
  const log = new ExerciseLog(new Storage({ "pynn.handin.log": "{not json", "pynn.equations-asked": "[1]" }));
  const entries = log.exercises(["relu"], () => ({ code: "x" }), {});
  assert.deepEqual(entries.relu, { code: "x", status: "unchecked", passed: 0, total: 0, checks: 0, equations_shown: false, solution_shown: false });
});

test("python() calls the named Session method and answers without the envelope", async () => {
  const calls = [];
  const python = pagePython(async (method, args) => {
    calls.push([method, args]);
    return { type: "result", id: 7, heapBytes: 1, file: "a.json", handin: { rows: [{ problem: undefined }] }, problem: undefined };
  });
  // Python's None comes through Pyodide as undefined: null here, as the class view reads it
  assert.deepEqual(await python("read_handin", { file: "a.json", text: "x" }), { file: "a.json", handin: { rows: [{ problem: null }] }, problem: null });
  assert.deepEqual(calls, [["read_handin", { file: "a.json", text: "x" }]]);
});

test("grading calls fresh() before each student's checks, not for a file with no code", async () => {
  const order = [];
  const handin = (name) => ({ format: "pynn-handin", name, assignment: { title: "", hash: "" }, created: "2026-12-04T09:00:00+00:00",
    exercises: { forward: { code: `# ${name}` } } });
  const python = async (call, args) => {
    if (call === "read_handin") return args.text === "broken" ? { file: args.file, handin: null, problem: "not JSON" } : { file: args.file, handin: handin(args.text), problem: null };
    return { columns: [], rows: [], mistakes: {}, csv: "" };
  };
  const grading = new Grading({ python, maxBytes: 1000, check: async (name, source) => order.push(source), fresh: async () => order.push("fresh") });
  const file = (name, text) => ({ name, size: text.length, text: async () => text });
  await grading.grade([file("a.json", "Ann"), file("b.json", "broken"), file("c.json", "Cy")]);
  assert.deepEqual(order, ["fresh", "# Ann", "fresh", "# Cy"]);
});

test("an assignment link's keys are not settings: the settings' reader leaves them to assignment.js", () => {
  const hash = "#dataset=spiral&hide=lr&assign=HW&exercises=relu,bogus&solutions=off&equations=ask&panels=plane,exercises&view=embed";
  const { settings, messages } = makeState(TABLE).parseHash(hash);
  assert.equal(settings.dataset, "spiral");
  assert.deepEqual(messages, []);
  const { view, messages: viewNotes } = makeState(TABLE).parseView(hash);
  assert.equal(view.view, "embed");
  assert.deepEqual(viewNotes, []);
  const { assignment, notes } = makeAssignment(TABLE).parse(hash);
  assert.deepEqual(assignment.exercises, ["relu"]);
  assert.equal(notes.length, 1); // the unknown exercise, said once, by the assignment's reader
});

test("solutions off means off: pynn's code panel is left out unless the link names it", () => {
  const { parse } = makeAssignment(TABLE);
  const panels = (hash) => shownPanels(parse(hash).assignment);
  assert.ok(panels("#assign=A&solutions=on").includes("code"));
  assert.ok(!panels("#assign=A&solutions=off").includes("code"));
  assert.ok(!panels("#assign=A&equations=ask").includes("code"));
  assert.ok(!panels("#assign=A&solutions=off&panels=plane,exercises").includes("code"));
  assert.deepEqual(panels("#assign=A&solutions=off&panels=plane,code"), ["plane", "code"]); // ticked by the teacher
});

test("the setup an assignment's link set is kept per assignment and read back whole, or not at all", () => {
  const storage = new Storage();
  const state = makeState(TABLE);
  const open = (hash) => new Classroom({ table: TABLE, state, hash, storage });
  const setup = { ...state.defaults(), dataset: "moons", hidden: 16, lr: 0.3 };
  open("#assign=Week%206&exercises=relu").keepSetup(setup);
  assert.deepEqual(open("#assign=Week%206&exercises=relu").keptSetup(), setup);
  assert.equal(open("#assign=Week%207&exercises=relu").keptSetup(), null); // another assignment's
  const { hash } = JSON.parse(storage.getItem("pynn.assignment.setup"));
  for (const settings of [{ ...setup, hidden: undefined }, { ...setup, lr: [1] }, "moons", null]) {
    storage.setItem("pynn.assignment.setup", JSON.stringify({ hash, settings }));
    assert.equal(open("#assign=Week%206&exercises=relu").keptSetup(), null, JSON.stringify(settings));
  }
  storage.setItem("pynn.assignment.setup", "not json");
  assert.equal(open("#assign=Week%206&exercises=relu").keptSetup(), null);
  const refusing = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); } };
  const classroom = new Classroom({ table: TABLE, state, hash: "#assign=HW", storage: refusing });
  classroom.keepSetup(setup); // kept for the visit only
  assert.deepEqual(classroom.setup, setup);
});

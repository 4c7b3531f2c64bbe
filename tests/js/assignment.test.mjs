// node --test tests/js/ — web/classroom/assignment.js: an assignment link's keys parsed and written over the
// settings table, with the same values and notes as pynn/page/settings.py's parse_assignment.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { makeAssignment } from "../../web/classroom/assignment.js";
import { TABLE } from "./table.mjs";

const SETTINGS_PY = fileURLToPath(new URL("../../pynn/page/settings.py", import.meta.url));
const { parse, serialise, NAMES } = makeAssignment(TABLE);

// Python's parse_assignment of each hash (settings.py loaded by its path: standard library only).
function python(hashes) {
  const script = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("settings", sys.argv[1])
settings = importlib.util.module_from_spec(spec); spec.loader.exec_module(settings)
print(json.dumps([settings.parse_assignment(h) for h in json.load(sys.stdin)]))`;
  const out = execFileSync(process.env.PYTHON ?? "python3", ["-c", script, SETTINGS_PY], {
    input: JSON.stringify(hashes), encoding: "utf8", timeout: 30_000,
  });
  return JSON.parse(out).map(([assignment, notes]) => ({ assignment, notes }));
}

const HASHES = [
  "",
  "#dataset=spiral&hide=lr",
  "#assign=Backprop%20homework&exercises=forward,gradients&solutions=off&equations=ask&panels=plane,exercises",
  "assign=A+b&exercises=relu,backprop,relu&solutions=maybe&equations=&panels=,,",
  `assign=${"t".repeat(101)}&assign=%E0%A4&panels=code,plane,nope`,
  "assign=a%0Ab&exercises=&solutions=on&solutions=off",
  "assign=%zz&equations=ask",
  `assign=${encodeURIComponent("Über, 100% & more: “quoted”")}&exercises=sgd_step,loss`,
  "assign=L&lessons=init,nope,capacity,init",
  "assign=L&lessons=&exercises=relu",
  "lessons=nope",
  "assign=&exercises=relu&student_id=required",
  "student_id=sometimes",
];

test("the page reads an assignment link exactly as pynn does, notes included", () => {
  assert.deepEqual(HASHES.map(parse), python(HASHES));
});

test("an assignment link reads back as written", () => {
  const chosen = { assign: "Back, prop & co: 100%", exercises: ["gradients", "forward"], solutions: "off", equations: "ask", panels: ["plane", "exercises"] };
  const written = serialise(chosen);
  assert.equal(written, "assign=Back%2C%20prop%20%26%20co%3A%20100%25&exercises=gradients,forward&solutions=off&equations=ask&panels=plane,exercises");
  assert.deepEqual(parse(written), { assignment: { ...chosen, lessons: [], student_id: "optional",
    given: NAMES.filter((name) => name !== "lessons" && name !== "student_id") }, notes: [] });
});

test("an assignment's lessons are written only when it has some, in the order given, and read back", () => {
  const chosen = { assign: "L", exercises: ["relu"], solutions: "on", equations: "shown", panels: ["plane"], lessons: ["init", "capacity"] };
  const written = serialise(chosen);
  assert.equal(written, "assign=L&exercises=relu&solutions=on&equations=shown&panels=plane&lessons=init,capacity");
  assert.deepEqual(parse(written), { assignment: { ...chosen, student_id: "optional", given: NAMES.filter((name) => name !== "student_id") }, notes: [] });
  assert.deepEqual(parse("#assign=L").assignment.lessons, []);
  assert.deepEqual(parse("#lessons=nope,init"), {
    assignment: { ...parse("").assignment, lessons: ["init"], given: ["lessons"] },
    notes: [`lessons: ignored unknown "nope"; known: ${TABLE.assignment.lessons.choices.join(", ")}`],
  });
});

test("bad values are ignored, each with a note, and the rest of the link applies", () => {
  const { assignment, notes } = parse("#exercises=relu,nope&solutions=off&panels=plane,stepper");
  assert.deepEqual(assignment.exercises, ["relu"]);
  assert.equal(assignment.solutions, "off");
  assert.deepEqual(assignment.panels, ["plane", "stepper"]);
  assert.deepEqual(notes, [`exercises: ignored unknown "nope"; known: ${TABLE.exercises.order.join(", ")}`]);
});

test("the notes of a key another reader of the hash notes (the view's equations=) are left to it, by key", () => {
  const hash = "#exercises=relu,nope&equations=never";
  assert.equal(parse(hash).notes.length, 2);
  const { assignment, notes } = parse(hash, { toldElsewhere: ["equations"] });
  assert.deepEqual(notes, [parse(hash).notes.find((note) => note.includes("nope"))]);
  assert.equal(assignment.equations, TABLE.assignment.equations.default);
});

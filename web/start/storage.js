// What the page keeps in this browser's localStorage, by key: every key declared here once, read by
// the part that keeps it and by any other that reads what it kept (the hand-in reads the exercises'
// log and the equations asked for). Only the page's JavaScript keeps them; Python never sees them.
// Each value is JSON, read back defensively (a key written by an older page, or by hand, may hold
// anything).
export const STORED = Object.freeze({
  seen: "pynn.seen", // "1" once the first-visit hint is dismissed (web/teaching/tour.js)
  exercise: "pynn.exercise.", // + an exercise's name → { code, passed } (web/teaching/exercises.js)
  equationsAsked: "pynn.equations-asked", // { exercise: when its equations were asked for } (exercises.js)
  derivation: "pynn.derive", // { passed: { step: expression }, hints: { step: count } } (teaching/deriveview.js)
  lessons: "pynn.lessons", // { lesson: the index of the prediction picked } (web/teaching/lessons.js)
  lessonRuns: "pynn.lessons.ran", // { lesson: the prediction its first run was made with } (lessons.js)
  assignmentSetup: "pynn.assignment.setup", // { hash: an assignment's, settings: the setup its link set } (web/classroom/classroom.js)
  handinLog: "pynn.handin.log", // { exercise: { checks, solution_shown } } (web/classroom/classroom.js)
  handinName: "pynn.handin.name", // the student's name on the hand-in (web/classroom/handin.js)
  handinId: "pynn.handin.id", // the student's school id or e-mail on the hand-in (web/classroom/handin.js)
});

// localStorage, or null where the browser denies it (an iframe of another origin with third-party
// storage blocked: even reading globalThis.localStorage throws there); every user of it copes with null.
export function pageStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

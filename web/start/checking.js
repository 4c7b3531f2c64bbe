// One way other people's code is checked — a student's Check, a derivation step, and every cell of
// the teacher's class view alike: the verdict is never computed where that code ran.
//
//   1. page("exercise_plan" | "derive_plan")    the training worker (pynn only) draws the inputs
//                                                afresh: pynn.page.judge.plan, pynn.page.derive.plan
//   2. sandbox "run_exercise" | "run_derivation"  the sandbox runs the code on them and answers
//                                                with data (checked by web/start/messages.js)
//   3. page("exercise_judge" | "derive_judge")   the training worker judges that data
//
// When the sandbox gives no answer, step 3 is told why by a code (FAILURE): its endless loop ran
// past timeoutMs ("timeout": the sandbox is replaced), Python died in it ("crashed": a fresh one
// starts at the next check), its answer was refused ("refused"), it was not running ("stopped"),
// or the call broke there ("error"); pynn says what that means for the student. A call to the
// training worker that fails rejects: the caller says so.
//
// page(method, args): a Session call in the training worker; sandbox: web/start/bridge.js's client
// of the sandbox; onRunning(): called when the sandbox's Python has started and the code is sent to
// it (until then the sandbox starts: the page can say so; timeoutMs counts from here).

const FAILURE = { timeout: "timeout", crashed: "crashed", refused: "refused", stopped: "stopped", superseded: "stopped" };

// The sandbox's answer to a run, or {failure, message} when there is none.
async function run(sandbox, method, args, timeoutMs, onRunning) {
  if (!sandbox.worker || sandbox.failed) sandbox.start();
  try {
    const { type, id, heapBytes, ...answer } = await sandbox.call(method, args, { timeoutMs, onSent: onRunning });
    return answer;
  } catch (error) {
    return { failure: FAILURE[error.kind] ?? "error", message: String(error.message ?? error).slice(0, 1000) };
  }
}

// pynn.page.judge's result for `source` as exercise `name`.
export async function checkExercise({ page, sandbox, name, source, timeoutMs, onRunning = null }) {
  const plan = await page("exercise_plan", { name, source });
  const answer = await run(sandbox, "run_exercise", { name, source, calls: plan.calls }, timeoutMs, onRunning);
  return page("exercise_judge", { name, source, seed: plan.seed, answer });
}

// pynn.page.derive's result for `expression` as the derivation's `step` (an expression refused
// before it runs is never sent to the sandbox).
export async function checkStep({ page, sandbox, step, expression, timeoutMs, onRunning = null }) {
  const plan = await page("derive_plan", { step, expression });
  if (plan.result) return plan.result;
  const answer = await run(sandbox, "run_derivation", { expression, cases: plan.cases, runs: plan.runs }, timeoutMs, onRunning);
  return page("derive_judge", { step, expression, seed: plan.seed, answer });
}

// node --test tests/js/ — web/start/checking.js, the one path of every check: the training worker's
// Python plans the inputs, the sandbox's Python runs the code on them (two Python processes here,
// as in the page), the training worker's judges what came back; when the sandbox answers nothing,
// the judge is told why by a code and says what it means.
import assert from "node:assert/strict";
import { after, test } from "node:test";

import { checkExercise, checkStep } from "../../web/start/checking.js";
import { pagePython } from "./pagepython.mjs";

const page = pagePython();
const sandboxPython = pagePython({ calls: "SANDBOX" });
after(() => {
  page.close();
  sandboxPython.close();
});

// A sandbox client shaped like web/start/bridge.js's: call() answers as the sandbox's worker does,
// or rejects with the error `fails` gives for that call.
function sandbox({ fails = null } = {}) {
  const client = { worker: null, failed: false, starts: 0, sent: [] };
  client.start = () => {
    client.starts += 1;
    client.worker = {};
    client.failed = false;
  };
  client.call = async (method, args, options) => {
    client.sent.push({ method, args, options });
    const error = fails?.(method);
    if (error) throw Object.assign(new Error(error.message), { kind: error.kind });
    return { type: "result", id: 1, heapBytes: 0, ...(await sandboxPython(method, args)) };
  };
  return client;
}

const RELU = "import numpy as np\n\ndef relu(s):\n    return np.maximum(s, 0)\n";

test("a check runs the code in the sandbox on the plan's inputs and the verdict comes from the training worker", async () => {
  const box = sandbox();
  const result = await checkExercise({ page, sandbox: box, name: "relu", source: RELU, timeoutMs: 5000 });
  assert.equal(result.status, "pass");
  assert.equal(result.passed, result.total);
  assert.deepEqual(result.flags, []);
  assert.equal(box.starts, 1, "a sandbox that is not running is started");
  assert.deepEqual(box.sent.map((sent) => [sent.method, Object.keys(sent.args), sent.options.timeoutMs]),
    [["run_exercise", ["name", "source", "calls"], 5000]]);
  const wrong = await checkExercise({ page, sandbox: box, name: "relu", source: RELU.replace("np.maximum(s, 0)", "np.abs(s)") + "import sys\n", timeoutMs: 5000 });
  assert.equal(wrong.status, "fail");
  assert.ok(wrong.checks.some((line) => line.mistake === "absolute-value"));
  assert.deepEqual(wrong.flags, ["imports-sys"]);
});

test("no answer from the sandbox: its reason, by code, decides the cell", async () => {
  const cases = [
    [{ kind: "timeout", message: "stopped after 5 s" }, "timeout", /endless loop/],
    [{ kind: "crashed", message: "Maximum call stack size exceeded" }, "crashed", /crashed/],
    [{ kind: "refused", message: "the sandbox's answer was refused: the message is not plain data" }, "invalid", /not plain data/],
    [{ kind: "stopped", message: "Python did not start: could not fetch sandbox-worker.js (HTTP 404)" }, "error", /HTTP 404.*the sandbox for your code/],
    [{ kind: "error", message: "RangeError: x" }, "error", /could not run in the sandbox: RangeError/],
  ];
  for (const [error, status, words] of cases) {
    const result = await checkExercise({ page, sandbox: sandbox({ fails: () => error }), name: "softmax", source: RELU, timeoutMs: 5000 });
    assert.equal(result.status, status, error.kind);
    assert.match(result.error.message, words);
  }
});

test("a derivation answer refused before it runs never reaches the sandbox; another is evaluated there and judged here", async () => {
  const box = sandbox();
  const refused = await checkStep({ page, sandbox: box, step: "b1", expression: "g1.__class__", timeoutMs: 5000 });
  assert.deepEqual([refused.status, refused.mistake], ["error", "not-allowed"]);
  assert.equal(box.sent.length, 0);
  const right = await checkStep({ page, sandbox: box, step: "W1", expression: "g1 @ h0.T", timeoutMs: 5000 });
  assert.deepEqual([right.status, right.mistake], ["pass", null]);
  const transposed = await checkStep({ page, sandbox: box, step: "W1", expression: "g1 @ h0", timeoutMs: 5000 });
  assert.deepEqual([transposed.status, transposed.mistake], ["fail", "transposed"]);
  assert.deepEqual(box.sent.map((sent) => sent.method), ["run_derivation", "run_derivation"]);
});

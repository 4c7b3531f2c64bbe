// node --test tests/js/ — the one worker client (web/start/bridge.js) as the sandbox uses it: a call with
// a time limit (the start-up not counted) stopped with a fresh worker started; a Python that died
// is "crashed", not a timeout; every message of an untrusted worker checked (web/start/messages.js,
// against the page table's limits) and refused whole when it is not what pynn answers, or answers
// no call waiting.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Bridge } from "../../web/start/bridge.js";
import { checkMessage, sandboxMessages } from "../../web/start/messages.js";
import { FakeWorker, fakeTimers } from "./fakes.mjs";
import { TABLE } from "./table.mjs";

function setup({ check = sandboxMessages(TABLE) } = {}) {
  const workers = [];
  const failures = [];
  const timers = fakeTimers();
  const bridge = new Bridge({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    onMessage: () => {},
    onFailure: (reason) => failures.push(reason),
    timers,
    checkMessage: check,
  });
  bridge.start();
  return { bridge, workers, timers, failures };
}

const ARRAY = { kind: "array", shape: [3, 1], dtype: "float64", data: new Float64Array(3) };
// An answer to run_exercise: outputs as data (pynn.page.wire), no verdict.
const PASS = { type: "result", error: null, heapBytes: 1, outputs: [
  ARRAY, { kind: "number", value: 2.5 }, { kind: "none" }, { kind: "other", type: "str" },
  { kind: "raised", type: "ValueError", message: "no", line: 3 },
  { kind: "dict", items: { W0: ARRAY, b0: { kind: "none" } } }, { kind: "tuple", items: [ARRAY, ARRAY] },
  { kind: "array", shape: [3, 5], dtype: "bool" }] };

test("a call's time counts from when it is sent; past it the worker is replaced and the call answers timeout", async () => {
  const { bridge, workers, timers } = setup();
  const answer = bridge.call("run_exercise", { name: "relu", source: "while True: pass", calls: [] }, { timeoutMs: 5000 });
  timers.fire(5000);
  assert.equal(workers.length, 1, "the start-up is not counted");
  workers[0].say({ type: "ready" });
  assert.equal(workers[0].sent.length, 1);
  timers.fire(5000);
  await assert.rejects(answer, (error) => error.kind === "timeout" && /stopped after 5 s/.test(error.message));
  assert.equal(workers[0].terminated, true);
  assert.equal(workers.length, 2, "a fresh worker starts");
  assert.equal(bridge.starts, 2);
  workers[1].say({ type: "ready" });
  const next = bridge.call("run_exercise", { name: "relu", source: "def relu(s): ...", calls: [] }, { timeoutMs: 5000 });
  workers[1].say({ ...PASS, id: workers[1].sent[0].id });
  assert.equal((await next).outputs.length, 8);
});

test("an answer in time clears its timer", async () => {
  const { bridge, workers, timers } = setup();
  workers[0].say({ type: "ready" });
  const answer = bridge.call("run_exercise", { name: "relu", source: "", calls: [] }, { timeoutMs: 5000 });
  workers[0].say({ ...PASS, id: workers[0].sent[0].id });
  await answer;
  assert.equal([...timers.pending.values()].filter((entry) => entry.ms === 5000).length, 0);
});

test("a forged answer is refused whole: the call fails with the reason, nothing of it is read", async () => {
  const output = (changes) => ({ ...PASS, outputs: [{ ...ARRAY, ...changes }] });
  const forged = [
    [{ ...PASS, outputs: "pass" }, /not shaped as pynn answers it/],
    [{ ...PASS, outputs: undefined }, /not plain data|not shaped/],
    [output({ kind: "verdict" }), /not shaped/],
    [output({ data: [0, 0, 0] }), /not shaped/], // numbers come as a Float64Array
    [output({ data: new Float64Array(2) }), /not shaped/], // as many as the shape holds
    [output({ shape: [3, -1] }), /not shaped/],
    [output({ shape: [1, 1, 1, 1, 1, 1, 1, 1, 1] }), /not shaped/],
    [output({ dtype: "<f8" }), /not shaped/],
    [{ ...PASS, outputs: [{ kind: "dict", items: { W0: { kind: "dict", items: {} } } }] }, /not shaped/],
    [{ ...PASS, outputs: [{ kind: "tuple", items: Array(17).fill({ kind: "none" }) }] }, /not shaped/],
    [{ ...PASS, outputs: [{ kind: "raised", type: "E", message: "x".repeat(4001) }] }, /not shaped/],
    [{ ...PASS, outputs: Array(65).fill({ kind: "none" }) }, /not shaped/],
    [{ ...PASS, error: { message: 3, line: null } }, /not shaped/],
    [{ ...PASS, error: { message: "SyntaxError", line: 1 } }, /not shaped/], // an error comes with no outputs
    [{ ...PASS, epoch: "1" }, /epoch has the wrong type/],
    [{ ...PASS, grid_class: [1, 2] }, /grid_class has the wrong type/],
    [{ ...PASS, extra: { toString: () => "x" } }, /not plain data/],
    [{ ...PASS, message: "x".repeat(200_000) }, /too long/],
  ];
  for (const [message, reason] of forged) {
    const { bridge, workers } = setup();
    workers[0].say({ type: "ready" });
    const answer = bridge.call("run_exercise", { name: "relu", source: "", calls: [] });
    workers[0].say({ ...message, id: workers[0].sent[0].id });
    await assert.rejects(answer, (error) => error.kind === "refused" && reason.test(error.message), String(reason));
  }
  // without the page table's limits no run's answer is taken
  assert.match(checkMessage({ ...PASS, id: 1 }, "run_exercise"), /not shaped/);
});

test("a Python that died is 'crashed', not a timeout: the worker is failed and the next start is a fresh one", async () => {
  const { bridge, workers, failures } = setup();
  workers[0].say({ type: "ready" });
  const answer = bridge.call("run_exercise", { name: "relu", source: "", calls: [] }, { timeoutMs: 5000 });
  workers[0].say({ type: "crashed", id: workers[0].sent[0].id, message: "Maximum call stack size exceeded" });
  await assert.rejects(answer, { kind: "crashed", message: "Maximum call stack size exceeded" });
  assert.equal(bridge.failed, true);
  assert.match(failures[0], /Python crashed: Maximum call stack size exceeded/);
  bridge.start();
  assert.equal(workers.length, 2);
  // a worker that dies under a call without a word (its frame says it failed) crashed too
  workers[1].say({ type: "ready" });
  const next = bridge.call("run_exercise", { name: "relu", source: "", calls: [] });
  workers[1].say({ type: "failed", message: "the sandbox's worker stopped" });
  await assert.rejects(next, { kind: "crashed" });
});

test("an answer must answer the oldest call waiting; other messages are dropped", async () => {
  const { bridge, workers } = setup();
  workers[0].say({ type: "ready" });
  const first = bridge.call("run", { updates: 1 });
  const second = bridge.call("run", { updates: 1 });
  const [a, b] = workers[0].sent;
  workers[0].say({ type: "result", id: b.id, epoch: 1, updates: 1 });
  await assert.rejects(second, /out of order/);
  workers[0].say({ type: "hello", id: a.id });
  workers[0].say({ type: "result", id: 999, epoch: 1 });
  workers[0].say({ type: "result", id: a.id, epoch: 2, updates: 2 });
  assert.equal((await first).epoch, 2);
});

test("checkMessage takes pynn's answers and the sandbox's start-up", () => {
  assert.equal(checkMessage({ type: "ready" }), null);
  assert.equal(checkMessage({ type: "failed", message: "could not fetch x" }), null);
  assert.equal(checkMessage({ ...PASS, id: 1 }, "run_exercise", TABLE.sandbox_answer), null);
  assert.equal(checkMessage({ type: "crashed", id: 1, message: "stack" }), null);
  const run = { type: "result", id: 2, epoch: 3, updates: 40, diverged: null, paused_by_code: false, at: new Float64Array(2),
    train_mean_loss: new Float64Array(2), grid_size: 2, grid_class: new Uint8Array(4), grid_prob: new Float32Array(4), heapBytes: null };
  assert.equal(checkMessage(run, "run"), null);
  assert.match(checkMessage({ type: "failed" }), /without its message/);
  assert.match(checkMessage({ type: "result" }), /without its call's id/);
  assert.match(checkMessage(null), /not plain data/);
  assert.match(checkMessage({ type: "result", id: 1, deep: [[[[[[[1]]]]]]] }), /too deeply/);
});

test("the sandbox's frame says only that its worker stopped: without the browser's reason the page says it in its words", async () => {
  const { createSandbox } = await import("../../web/start/sandbox.js");
  const listeners = [];
  const contentWindow = { postMessage() {} };
  const frame = { dataset: {}, setAttribute() {}, addEventListener() {}, remove() {}, isConnected: true, contentWindow };
  const saved = { document: globalThis.document, addEventListener: globalThis.addEventListener, removeEventListener: globalThis.removeEventListener, fetch: globalThis.fetch };
  globalThis.document = { createElement: () => frame };
  globalThis.addEventListener = (type, listener) => listeners.push([type, listener]);
  globalThis.removeEventListener = () => {};
  globalThis.fetch = () => new Promise(() => {}); // the frame's page never comes: only the frame's word is heard
  try {
    const sandbox = createSandbox({ base: "http://site/", host: { append() {} } });
    const heard = [];
    sandbox.onmessage = ({ data }) => heard.push(data);
    const say = (source, data) => listeners.filter(([type]) => type === "message").forEach(([, listener]) => listener({ source, data }));
    say(contentWindow, { type: "sandbox-failed", message: "" });
    say(contentWindow, { type: "sandbox-failed", message: "RangeError: out of memory" });
    say({}, { type: "sandbox-failed", message: "another window's word" });
    assert.deepEqual(heard, [
      { type: "failed", message: "the Python worker stopped with an error" },
      { type: "failed", message: "RangeError: out of memory" },
    ]);
    sandbox.terminate();
  } finally {
    Object.assign(globalThis, saved);
  }
});

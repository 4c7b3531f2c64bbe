// node --test tests/js/ — the one worker client (web/start/bridge.js) as the sandbox uses it: a call with
// a time limit (the start-up not counted) stopped with a fresh worker started; every message of an
// untrusted worker checked (web/start/messages.js) and refused whole when it is not what pynn
// answers, or answers no call waiting.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Bridge } from "../../web/start/bridge.js";
import { checkMessage } from "../../web/start/messages.js";
import { FakeWorker, fakeTimers } from "./fakes.mjs";

function setup({ check = checkMessage } = {}) {
  const workers = [];
  const timers = fakeTimers();
  const bridge = new Bridge({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    onMessage: () => {},
    onFailure: () => {},
    timers,
    checkMessage: check,
  });
  bridge.start();
  return { bridge, workers, timers };
}

const PASS = { type: "result", name: "relu", status: "pass", passed: 4, total: 4, checks: [{ name: "shape", passed: true, message: "ok" }], error: null, heapBytes: 1 };

test("a call's time counts from when it is sent; past it the worker is replaced and the call answers timeout", async () => {
  const { bridge, workers, timers } = setup();
  const answer = bridge.call("check_exercise", { name: "relu", source: "while True: pass" }, { timeoutMs: 5000 });
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
  const next = bridge.call("check_exercise", { name: "relu", source: "def relu(s): ..." }, { timeoutMs: 5000 });
  workers[1].say({ ...PASS, id: workers[1].sent[0].id });
  assert.equal((await next).status, "pass");
});

test("an answer in time clears its timer", async () => {
  const { bridge, workers, timers } = setup();
  workers[0].say({ type: "ready" });
  const answer = bridge.call("check_exercise", { name: "relu", source: "" }, { timeoutMs: 5000 });
  workers[0].say({ ...PASS, id: workers[0].sent[0].id });
  await answer;
  assert.equal([...timers.pending.values()].filter((entry) => entry.ms === 5000).length, 0);
});

test("a forged answer is refused whole: the call fails with the reason, nothing of it is read", async () => {
  const forged = [
    [{ ...PASS, status: "passed" }, /not shaped as pynn answers it/],
    [{ ...PASS, passed: 5 }, /not shaped/],
    [{ ...PASS, checks: [{ name: "x", passed: "yes", message: "" }] }, /not shaped/],
    [{ ...PASS, error: { message: 3, line: null } }, /not shaped/],
    [{ ...PASS, epoch: "1" }, /epoch has the wrong type/],
    [{ ...PASS, grid_class: [1, 2] }, /grid_class has the wrong type/],
    [{ ...PASS, extra: { toString: () => "x" } }, /not plain data/],
    [{ ...PASS, message: "x".repeat(200_000) }, /too long/],
  ];
  for (const [message, reason] of forged) {
    const { bridge, workers } = setup();
    workers[0].say({ type: "ready" });
    const answer = bridge.call("check_exercise", { name: "relu", source: "" });
    workers[0].say({ ...message, id: workers[0].sent[0].id });
    await assert.rejects(answer, (error) => error.kind === "error" && reason.test(error.message), String(reason));
  }
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
  assert.equal(checkMessage({ ...PASS, id: 1 }, "check_exercise"), null);
  const run = { type: "result", id: 2, epoch: 3, updates: 40, diverged: null, paused_by_code: false, at: new Float64Array(2),
    train_mean_loss: new Float64Array(2), grid_size: 2, grid_class: new Uint8Array(4), grid_prob: new Float32Array(4), heapBytes: null };
  assert.equal(checkMessage(run, "run"), null);
  assert.match(checkMessage({ type: "failed" }), /without its message/);
  assert.match(checkMessage({ type: "result" }), /without its call's id/);
  assert.match(checkMessage(null), /not plain data/);
  assert.match(checkMessage({ type: "result", id: 1, deep: [[[[[[[1]]]]]]] }), /too deeply/);
});

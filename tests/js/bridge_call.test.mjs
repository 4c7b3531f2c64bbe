// node --test tests/js/ — Bridge.call, the one kind of request to the worker.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Bridge } from "../../web/start/bridge.js";
import { FakeWorker } from "./fakes.mjs";

function setup({ timers = { setTimeout: () => 1, clearTimeout: () => {} } } = {}) {
  const workers = [];
  const got = [];
  const bridge = new Bridge({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    onMessage: (message) => got.push(message),
    onFailure: () => {},
    timers,
  });
  bridge.start();
  return { bridge, worker: workers[0], got };
}

test("calls made before ready all wait, none dropped, and resolve with their own result", async () => {
  const { bridge, worker, got } = setup();
  const first = bridge.call("inspect", { x1: 0.5, x2: -1 });
  const second = bridge.call("source");
  assert.deepEqual(worker.sent, []);
  worker.say({ type: "ready" });
  assert.deepEqual(
    worker.sent.map(({ type, method, args }) => ({ type, method, args })),
    [
      { type: "call", method: "inspect", args: { x1: 0.5, x2: -1 } },
      { type: "call", method: "source", args: {} },
    ],
  );
  const [a, b] = worker.sent;
  worker.say({ type: "result", id: b.id, code: "def f(): pass" });
  worker.say({ type: "result", id: a.id, predicted: 2 });
  assert.equal((await first).predicted, 2);
  assert.equal((await second).code, "def f(): pass");
  assert.deepEqual(got.map((m) => m.type), ["ready"]); // results go to their promise only
});

test("a refused call rejects with kind 'invalid'; start-up messages still reach onMessage", async () => {
  const { bridge, worker, got } = setup();
  worker.say({ type: "ready" });
  const answer = bridge.call("inspect", { x1: "a" });
  worker.say({ type: "status", step: "pynn", state: "done" });
  worker.say({ type: "invalid", id: worker.sent[0].id, message: "x1 must be a finite number" });
  await assert.rejects(answer, { kind: "invalid", message: "x1 must be a finite number" });
  assert.deepEqual(got.map((m) => m.type), ["ready", "status"]);
});

test("pending calls reject when the worker stops, and calls after a failure reject at once", async () => {
  const { bridge, worker } = setup();
  worker.say({ type: "ready" });
  const answer = bridge.call("gradcheck");
  bridge.kill("stopped by a test");
  await assert.rejects(answer, { kind: "stopped" });
  await assert.rejects(bridge.call("gradcheck"), { kind: "stopped" });
});

test("a load failure rejects calls that were waiting for ready", async () => {
  const { bridge, worker } = setup();
  const answer = bridge.call("source");
  worker.say({ type: "failed", step: "numpy", message: "404" });
  await assert.rejects(answer, /Python did not start: 404/);
});

test("a call's onSent comes when it is posted to a started worker, and its time counts from then", () => {
  const events = [];
  // the calls' clocks (not start-up's)
  const timers = { setTimeout: (_, ms) => { if (ms === 5000) events.push(["timer", ms]); return 1; }, clearTimeout: () => {} };
  const { bridge, worker } = setup({ timers });
  bridge.call("run_exercise", {}, { timeoutMs: 5000, onSent: () => events.push(["sent", worker.sent.length]) }).catch(() => {});
  assert.deepEqual(events, [], "while Python starts, neither the clock nor onSent");
  worker.say({ type: "ready" });
  assert.deepEqual(events, [["timer", 5000], ["sent", 1]]);
  bridge.call("run_exercise", {}, { timeoutMs: 5000, onSent: () => events.push(["sent", worker.sent.length]) }).catch(() => {});
  assert.deepEqual(events.slice(2), [["timer", 5000], ["sent", 2]], "a ready worker: at once");
});

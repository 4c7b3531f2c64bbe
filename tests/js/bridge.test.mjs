// node --test tests/js/ — web/start/bridge.js with a fake worker and fake timers.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Bridge } from "../../web/start/bridge.js";
import { FakeWorker, fakeTimers } from "./fakes.mjs";

function setup(options = {}) {
  const workers = [];
  const got = [];
  const failures = [];
  const timers = fakeTimers();
  const bridge = new Bridge({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    onMessage: (message) => got.push(message),
    onFailure: (reason) => failures.push(reason),
    timers,
    ...options,
  });
  return { bridge, workers, got, failures, timers };
}

test("calls wait for ready; with replace only the latest configure is sent", async () => {
  const { bridge, workers, got } = setup();
  bridge.start();
  const worker = workers[0];
  const first = bridge.call("configure", { settings: { hidden: 1 } }, { replace: true });
  const second = bridge.call("configure", { settings: { hidden: 2 } }, { replace: true });
  const step = bridge.call("run", { epochs: 1 });
  assert.deepEqual(worker.sent, []);
  await assert.rejects(first, { kind: "superseded" });
  worker.say({ type: "status", step: "runtime", state: "loading" });
  worker.say({ type: "ready" });
  assert.deepEqual(got.map((m) => m.type), ["status", "ready"]);
  assert.deepEqual(
    worker.sent.map(({ type, method, args }) => ({ type, method, args })),
    [
      { type: "call", method: "configure", args: { settings: { hidden: 2 } } },
      { type: "call", method: "run", args: { epochs: 1 } },
    ],
  );
  worker.say({ type: "result", id: worker.sent[0].id, epoch: 0 });
  worker.say({ type: "result", id: worker.sent[1].id, epoch: 1 });
  assert.equal((await second).epoch, 0);
  assert.equal((await step).epoch, 1);
  bridge.call("run", { updates: 1 }, { replace: true }); // once ready, nothing waits: replace changes nothing
  assert.equal(worker.sent.at(-1).method, "run");
});

test("atStart's calls go first to every worker started: the first, and one replacing a timed-out call", () => {
  const made = setup({ atStart: () => made.bridge.call("use_language", { catalogue: { lang: "es" } }).catch(() => {}) });
  const { bridge, workers, timers } = made;
  bridge.start();
  bridge.call("configure", { settings: {} }).catch(() => {});
  workers[0].say({ type: "ready" });
  assert.deepEqual(workers[0].sent.map((call) => call.method), ["use_language", "configure"]);
  bridge.call("run", {}, { timeoutMs: 1000 }).catch(() => {});
  timers.fire(1000); // an endless loop: a fresh worker
  assert.equal(workers.length, 2);
  workers[1].say({ type: "ready" });
  assert.deepEqual(workers[1].sent.map((call) => [call.method, call.args]), [["use_language", { catalogue: { lang: "es" } }]]);
});

test("a load that hangs times out with one failure and stops the worker", () => {
  const { bridge, workers, failures, timers } = setup({ loadTimeoutMs: 45000 });
  bridge.start();
  assert.equal([...timers.pending.values()][0].ms, 45000);
  timers.fire();
  assert.equal(failures.length, 1);
  assert.match(failures[0], /longer than 45 s/);
  assert.ok(workers[0].terminated);
  workers[0].say({ type: "ready" }); // too late: ignored
  bridge.call("run", { seconds: 0.05 }).catch(() => {});
  assert.deepEqual(workers[0].sent, []);
});

test("ready clears the load timeout", () => {
  const { bridge, workers, failures, timers } = setup();
  bridge.start();
  workers[0].say({ type: "ready" });
  assert.equal(timers.pending.size, 0);
  timers.fire();
  assert.deepEqual(failures, []);
});

test("a worker error becomes one failure; restart brings a new worker", () => {
  const { bridge, workers, failures } = setup();
  bridge.start();
  workers[0].say({ type: "ready" });
  let prevented = false;
  workers[0].onerror({ message: "RangeError: out of memory", preventDefault: () => (prevented = true) });
  assert.ok(prevented);
  assert.deepEqual(failures, ["RangeError: out of memory"]);
  assert.ok(workers[0].terminated);
  bridge.start();
  assert.equal(workers.length, 2);
  bridge.call("configure", { settings: {} });
  assert.deepEqual(workers[1].sent, []);
  workers[1].say({ type: "ready" });
  assert.equal(workers[1].sent.length, 1);
});

test("kill (the page's test hook) reports a failure once", () => {
  const { bridge, workers, failures } = setup();
  bridge.start();
  bridge.kill("stopped by a test");
  bridge.kill("again");
  assert.deepEqual(failures, ["stopped by a test"]);
  assert.ok(workers[0].terminated);
});

test("a load failure reported by the worker stops the timeout and later requests", async () => {
  const { bridge, workers, got, timers } = setup();
  bridge.start();
  workers[0].say({ type: "failed", step: "numpy", message: "404" });
  assert.equal(got[0].type, "failed");
  assert.equal(timers.pending.size, 0);
  await assert.rejects(bridge.call("configure", { settings: {} }), { kind: "stopped" });
  assert.deepEqual(workers[0].sent, []);
});

test("a worker started early (boot.js) hands over what it said, in order, after start returns", async () => {
  const early = new FakeWorker();
  early.takeEarly = () => [
    { type: "message", data: { type: "status", step: "runtime", state: "loading" } },
    { type: "message", data: { type: "ready", timings: {} } },
  ];
  const got = [];
  const bridge = new Bridge({ createWorker: () => early, onMessage: (message) => got.push(message.type), onFailure: () => {} });
  bridge.start();
  assert.deepEqual(got, [], "replayed after the caller's own start-up, not inside start()");
  const answer = bridge.call("configure", { settings: {} });
  await Promise.resolve();
  assert.deepEqual(got, ["status", "ready"]);
  assert.equal(bridge.ready, true);
  assert.equal(early.sent.at(-1).method, "configure", "the call waiting for ready is sent once ready is replayed");
  early.say({ type: "result", id: early.sent.at(-1).id, epoch: 0 });
  assert.equal((await answer).epoch, 0);
  clearTimeout(bridge.timer);
});

test("an early worker's error before the page listened fails the load", async () => {
  const early = new FakeWorker();
  early.takeEarly = () => [{ type: "error", message: "worker.js: SyntaxError", preventDefault() {} }];
  const failures = [];
  const bridge = new Bridge({ createWorker: () => early, onMessage: () => {}, onFailure: (reason) => failures.push(reason) });
  bridge.start();
  await Promise.resolve();
  assert.equal(failures.length, 1);
  assert.match(failures[0], /SyntaxError/);
});

test("prepare starts a spare worker ahead of need; start takes it and hears what it said meanwhile", async () => {
  const { bridge, workers, got } = setup({ loadTimeoutMs: 45000 });
  bridge.start();
  workers[0].say({ type: "ready" });
  bridge.prepare(1);
  bridge.prepare(1); // one is waiting already: no second
  assert.equal(workers.length, 2);
  const spare = workers[1];
  spare.say({ type: "status", step: "runtime", state: "loading" });
  spare.say({ type: "ready" }); // before any bridge listens to it
  assert.deepEqual(got.map((m) => m.type), ["ready"]);
  bridge.start(); // takes the spare: no new worker, the old one stopped
  assert.equal(workers.length, 2);
  assert.equal(workers[0].terminated, true);
  assert.equal(spare.terminated, false);
  const answer = bridge.call("exercise_catalogue", {});
  await Promise.resolve(); // the spare's words are replayed after start()'s caller goes on
  assert.deepEqual(got.map((m) => m.type), ["ready", "status", "ready"]);
  assert.equal(spare.sent.at(-1).method, "exercise_catalogue");
  spare.say({ type: "result", id: spare.sent.at(-1).id, names: [] });
  assert.deepEqual((await answer).names, []);
  bridge.start(); // no spare left: a new worker
  assert.equal(workers.length, 3);
});

test("a spare that failed to start fails when taken; dropSpares stops the spares", async () => {
  const { bridge, workers } = setup({ loadTimeoutMs: 45000 });
  bridge.prepare(2);
  assert.equal(workers.length, 2);
  workers[0].say({ type: "failed", message: "no memory" });
  bridge.start();
  const call = bridge.call("exercise_catalogue", {});
  await assert.rejects(call, /no memory/);
  bridge.dropSpares();
  assert.equal(workers[1].terminated, true);
  bridge.start();
  assert.equal(workers.length, 3);
});

test("a spare whose worker errored before it was taken fails once taken", async () => {
  const { bridge, workers, failures } = setup({ loadTimeoutMs: 45000 });
  bridge.prepare(1);
  workers[0].onerror({ message: "the worker script did not load" });
  bridge.start();
  await Promise.resolve();
  assert.equal(failures.length, 1);
  assert.match(failures[0], /did not load/);
});

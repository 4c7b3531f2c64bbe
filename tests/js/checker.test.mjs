// node --test tests/js/ — web/checkerclient.js with a fake worker and fake timers: one check at a
// time, the start-up not counted, a check past the limit stopped with a fresh worker started.
import assert from "node:assert/strict";
import { test } from "node:test";

import { CHECK_TIMEOUT_MS, Checker } from "../../web/checkerclient.js";
import { FakeWorker } from "./fakes.mjs";

function setup() {
  const workers = [];
  const ready = [];
  const failures = [];
  const timers = {
    pending: new Map(),
    next: 1,
    setTimeout(fn, ms) {
      const id = this.next++;
      this.pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout(id) {
      this.pending.delete(id);
    },
    fire(ms) {
      for (const [id, entry] of [...this.pending]) {
        if (entry.ms !== ms) continue;
        this.pending.delete(id);
        entry.fn();
      }
    },
  };
  const checker = new Checker({
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    onReady: (exercises) => ready.push(exercises),
    onFailure: (reason) => failures.push(reason),
    timers,
  });
  return { checker, workers, ready, failures, timers };
}

const CATALOGUE = [{ name: "relu" }];

test("a check waits for the worker to start, then runs there and resolves with its result", async () => {
  const { checker, workers, ready } = setup();
  const answer = checker.check("relu", "def relu(s): ...");
  assert.equal(workers.length, 1);
  assert.deepEqual(workers[0].sent, [], "nothing is sent before Python is ready");
  workers[0].say({ type: "ready", exercises: CATALOGUE });
  assert.deepEqual(ready, [CATALOGUE]);
  const [request] = workers[0].sent;
  assert.deepEqual({ ...request, id: undefined }, { type: "check", id: undefined, name: "relu", source: "def relu(s): ..." });
  workers[0].say({ type: "result", id: request.id, result: { status: "pass" } });
  assert.deepEqual(await answer, { status: "pass" });
});

test("the start-up is not counted: the timeout starts when the check is sent", async () => {
  const { checker, workers, timers } = setup();
  checker.start();
  const answer = checker.check("relu", "x");
  assert.ok(![...timers.pending.values()].some((entry) => entry.ms === CHECK_TIMEOUT_MS));
  workers[0].say({ type: "ready", exercises: CATALOGUE });
  assert.ok([...timers.pending.values()].some((entry) => entry.ms === CHECK_TIMEOUT_MS));
  workers[0].say({ type: "result", id: workers[0].sent[0].id, result: { status: "fail" } });
  assert.equal((await answer).status, "fail");
  assert.ok(![...timers.pending.values()].some((entry) => entry.ms === CHECK_TIMEOUT_MS), "a finished check clears its timer");
});

test("a check past the limit is a timeout: the worker is terminated and a fresh one started", async () => {
  const { checker, workers, timers, ready } = setup();
  checker.start();
  workers[0].say({ type: "ready", exercises: CATALOGUE });
  const answer = checker.check("relu", "while True: pass");
  timers.fire(CHECK_TIMEOUT_MS);
  const result = await answer;
  assert.equal(result.status, "timeout");
  assert.match(result.error.message, /stopped after 5 s/);
  assert.ok(workers[0].terminated);
  assert.equal(workers.length, 2);
  workers[0].say({ type: "result", id: 1, result: { status: "pass" } }); // the old worker is not heard
  const next = checker.check("relu", "ok");
  workers[1].say({ type: "ready", exercises: CATALOGUE });
  assert.equal(ready.length, 1, "onReady runs once, for the first catalogue");
  workers[1].say({ type: "result", id: workers[1].sent[0].id, result: { status: "pass" } });
  assert.equal((await next).status, "pass");
});

test("a worker that fails to start answers the waiting check with an error and reports it", async () => {
  const { checker, workers, failures } = setup();
  const answer = checker.check("relu", "x");
  workers[0].say({ type: "failed", message: "no numpy" });
  const result = await answer;
  assert.equal(result.status, "error");
  assert.match(result.error.message, /no numpy/);
  assert.equal(failures.length, 1);
  assert.ok(workers[0].terminated);
  checker.check("relu", "x");
  assert.equal(workers.length, 2, "the next check starts a new worker");
});

test("a crashed worker and the checker's own error both answer as errors", async () => {
  const { checker, workers } = setup();
  checker.start();
  workers[0].say({ type: "ready", exercises: CATALOGUE });
  const first = checker.check("relu", "x");
  workers[0].say({ type: "error", id: workers[0].sent[0].id, message: "boom" });
  assert.deepEqual((await first).error, { message: "boom", line: null });
  const second = checker.check("relu", "x");
  workers[0].onerror({ message: "out of memory", preventDefault() {} });
  assert.match((await second).error.message, /out of memory/);
});

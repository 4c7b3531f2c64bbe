// The main thread's side of the worker: starts it, holds calls until Python is ready, times out a
// load that hangs, and turns a crashed or stopped worker into one onFailure call.
// No DOM: the worker comes from `createWorker`, so node --test can hand it a fake.
//
// One kind of request: call(method, args) runs a pynn.page.session.Session method in the worker and
// resolves with its result (a plain object, arrays as typed arrays), or rejects with an Error whose
// `kind` is "invalid" (pynn refused the arguments: a ValueError), "error" (anything else that broke
// in Python), "stopped" (no worker) or "superseded" (replaced before Python was ready). The worker
// answers calls in the order they were made. Besides answers, the worker reports its start-up
// ({type: "status" | "ready" | "failed"}) to onMessage.

export const LOAD_TIMEOUT_MS = 60000;

export class Bridge {
  constructor({ createWorker, onMessage, onFailure, loadTimeoutMs = LOAD_TIMEOUT_MS, timers = globalThis }) {
    this.createWorker = createWorker;
    this.onMessage = onMessage;
    this.onFailure = onFailure;
    this.loadTimeoutMs = loadTimeoutMs;
    this.timers = timers;
    this.worker = null;
    this.ready = false;
    this.queue = [];
    this.nextId = 1;
    this.calls = new Map(); // id of a call → its promise's { resolve, reject }
  }

  start() {
    this.stop();
    this.ready = false;
    this.failed = false;
    const worker = this.createWorker();
    this.worker = worker;
    this.timer = this.timers.setTimeout(() => {
      this.fail(`loading took longer than ${Math.round(this.loadTimeoutMs / 1000)} s and was stopped`);
    }, this.loadTimeoutMs);
    worker.onmessage = (event) => {
      if (worker !== this.worker) return;
      const message = event.data;
      const waiting = this.calls.get(message.id);
      if (waiting && ["result", "invalid", "error"].includes(message.type)) {
        this.calls.delete(message.id);
        if (message.type === "result") waiting.resolve(message);
        else waiting.reject(Object.assign(new Error(message.message), { kind: message.type }));
        return;
      }
      if (message.type === "ready") {
        this.timers.clearTimeout(this.timer);
        this.ready = true;
        this.onMessage(message);
        for (const queued of this.queue.splice(0)) worker.postMessage(queued);
        return;
      }
      if (message.type === "failed") {
        this.timers.clearTimeout(this.timer);
        this.failed = true;
        this.queue = [];
        this.rejectCalls(`Python did not start: ${message.message}`);
      }
      this.onMessage(message);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker === this.worker) this.fail(event.message || "the Python worker stopped with an error");
    };
    worker.onmessageerror = () => {
      if (worker === this.worker) this.fail("a message from the Python worker could not be read");
    };
    // A worker started early (web/boot.js) kept what it said before this listened: replay it, as
    // if it arrived now (after the caller's own start-up, as a worker's messages always do).
    const early = worker.takeEarly?.() ?? [];
    if (early.length) {
      queueMicrotask(() => {
        for (const event of early) {
          if (event.type === "message") worker.onmessage(event);
          else if (event.type === "error") worker.onerror(event);
          else worker.onmessageerror(event);
        }
      });
    }
  }

  // Run a Session method in the worker (see the top of this file). Before Python is ready every
  // call waits; with `replace`, a waiting call of the same method is dropped (rejected as
  // "superseded"), so only the latest setup is configured once Python starts.
  call(method, args = {}, { replace = false } = {}) {
    return new Promise((resolve, reject) => {
      if (this.failed || !this.worker) {
        reject(Object.assign(new Error("the Python worker is not running"), { kind: "stopped" }));
        return;
      }
      const request = { type: "call", method, args, id: this.nextId++ };
      this.calls.set(request.id, { resolve, reject });
      if (this.ready) {
        this.worker.postMessage(request);
        return;
      }
      if (replace) {
        for (const queued of this.queue.filter((waiting) => waiting.method === method)) {
          this.calls.get(queued.id)?.reject(Object.assign(new Error(`a later ${method} replaced it`), { kind: "superseded" }));
          this.calls.delete(queued.id);
        }
        this.queue = this.queue.filter((waiting) => waiting.method !== method);
      }
      this.queue.push(request);
    });
  }

  // Stop the worker as if it had crashed (the page's test hook uses this).
  kill(reason = "the Python worker was stopped") {
    this.fail(reason);
  }

  fail(reason) {
    if (this.failed) return;
    this.failed = true;
    this.stop();
    this.onFailure(reason);
  }

  stop() {
    this.timers.clearTimeout(this.timer);
    if (this.worker) {
      this.worker.onmessage = this.worker.onerror = this.worker.onmessageerror = null;
      this.worker.terminate();
    }
    this.worker = null;
    this.ready = false;
    this.queue = [];
    this.rejectCalls("the Python worker stopped");
  }

  rejectCalls(reason) {
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const { reject } of calls) reject(Object.assign(new Error(reason), { kind: "stopped" }));
  }
}

// The page's side of the checker worker (web/checker.js): starts it, runs one check at a time,
// and stops a check that runs past CHECK_TIMEOUT_MS — an endless loop in the student's code
// cannot be interrupted, so the worker is terminated, a fresh one started, and the check answers
// `timeout`. No DOM: the worker comes from `createWorker`, so node --test can hand it a fake.

export const CHECK_TIMEOUT_MS = 5000;
export const START_TIMEOUT_MS = 60000;

export class Checker {
  constructor({ createWorker, onReady = () => {}, onFailure = () => {}, timeoutMs = CHECK_TIMEOUT_MS, startTimeoutMs = START_TIMEOUT_MS, timers = globalThis }) {
    this.createWorker = createWorker;
    this.onReady = onReady;
    this.onFailure = onFailure;
    this.timeoutMs = timeoutMs;
    this.startTimeoutMs = startTimeoutMs;
    this.timers = timers;
    this.worker = null;
    this.ready = false;
    this.exercises = null; // the catalogue, from the first worker that started
    this.waiting = null; // the check awaited: { id, name, source, resolve, sent }
    this.nextId = 1;
    this.problem = null; // why the last worker failed to start
  }

  get started() {
    return this.worker !== null;
  }

  start() {
    this.stop();
    this.problem = null;
    const worker = this.createWorker();
    this.worker = worker;
    this.startTimer = this.timers.setTimeout(() => this.failed("Python took too long to start for the checks"), this.startTimeoutMs);
    worker.onmessage = ({ data }) => {
      if (worker === this.worker) this.receive(data);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker === this.worker) this.failed(event.message || "the checker stopped with an error");
    };
  }

  stop() {
    this.timers.clearTimeout(this.startTimer);
    this.timers.clearTimeout(this.checkTimer);
    if (this.worker) {
      this.worker.onmessage = this.worker.onerror = null;
      this.worker.terminate();
    }
    this.worker = null;
    this.ready = false;
  }

  receive(message) {
    if (message.type === "ready") {
      this.timers.clearTimeout(this.startTimer);
      this.ready = true;
      const first = this.exercises === null;
      this.exercises = message.exercises;
      if (first) this.onReady(message.exercises);
      if (this.waiting && !this.waiting.sent) this.send();
    } else if (message.type === "failed") {
      this.failed(`Python did not start for the checks: ${message.message}`);
    } else if (this.waiting && message.id === this.waiting.id) {
      this.timers.clearTimeout(this.checkTimer);
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve(message.type === "result" ? message.result : { status: "error", checks: [], error: { message: message.message, line: null } });
    }
  }

  failed(reason) {
    this.stop();
    this.problem = reason;
    this.finish({ status: "error", checks: [], error: { message: reason, line: null } });
    this.onFailure(reason);
  }

  // Resolve the awaited check (if any) with `result`.
  finish(result) {
    if (!this.waiting) return;
    const { resolve } = this.waiting;
    this.waiting = null;
    resolve(result);
  }

  // Check `source` for exercise `name`: resolves with pynn.page.exercises.check's result, or
  // { status: "timeout" } after timeoutMs of checking (the worker's start-up is not counted).
  check(name, source) {
    if (this.waiting) this.finish({ status: "error", checks: [], error: { message: "superseded by a newer check", line: null } });
    if (!this.worker) this.start();
    return new Promise((resolve) => {
      this.waiting = { id: this.nextId++, name, source, resolve, sent: false };
      if (this.ready) this.send();
    });
  }

  send() {
    const request = this.waiting;
    request.sent = true;
    this.worker.postMessage({ type: "check", id: request.id, name: request.name, source: request.source });
    this.checkTimer = this.timers.setTimeout(() => {
      const seconds = Math.round(this.timeoutMs / 1000);
      this.start(); // a fresh worker for the next check; this one may be stuck in a loop
      this.finish({
        status: "timeout",
        checks: [],
        error: { message: `stopped after ${seconds} s — is there an endless loop (a while that never ends)?`, line: null },
      });
    }, this.timeoutMs);
  }
}

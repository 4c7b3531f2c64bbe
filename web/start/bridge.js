// The one client of a worker that runs Python — the training worker (web/start/worker.js) and the
// sandbox's (web/start/sandbox.js) alike: starts it, holds calls until Python is ready, times out a
// load that hangs or a call that runs too long, and turns a crashed or stopped worker into one
// onFailure call. No DOM: the worker comes from `createWorker`, so node --test can hand it a fake.
//
// One kind of request: call(method, args) runs a pynn.page.session.Session method in the worker and
// resolves with its result (a plain object, arrays as typed arrays), or rejects with an Error whose
// `kind` is "invalid" (pynn refused the arguments: a ValueError), "error" (anything else that broke
// in Python), "refused" (an answer `checkMessage` refused), "crashed" (Python died: the worker
// failed, onFailure is told; the next start() makes a fresh one), "stopped" (no worker),
// "superseded" (replaced before Python was ready) or "timeout" (it ran past its `timeoutMs`: an
// endless loop cannot be interrupted, so the worker is stopped and a fresh one started). The worker answers calls in the
// order they were made. Besides answers, the worker reports its start-up
// ({type: "status" | "ready" | "failed"}) to onMessage.
//
// checkMessage(message, method) → null or what is wrong: for a worker whose messages are not
// trusted (the sandbox's; web/start/messages.js), every message is checked before it is read, and
// an answer must answer the oldest call still waiting. The messages' types: web/start/protocol.js.
//
// atStart(): called at each start of a worker (a restart, a timed-out worker replaced), before any
// other call can be made to it: what every fresh worker needs first (its language). tell(message)
// posts a message that is not a call (no answer) at once, even while Python starts.
import { t } from "../lang/text.js";
import { ANSWERS, MESSAGE } from "./protocol.js";

export class Bridge {
  // loadTimeoutMs: how long Python may take to start (the page table's timeouts_ms.start).
  constructor({ createWorker, onMessage, onFailure, loadTimeoutMs, timers = globalThis, checkMessage = null, atStart = () => {} }) {
    this.createWorker = createWorker;
    this.atStart = atStart;
    this.checkMessage = checkMessage;
    this.onMessage = onMessage;
    this.onFailure = onFailure;
    this.loadTimeoutMs = loadTimeoutMs;
    this.timers = timers;
    this.worker = null;
    this.ready = false;
    this.queue = [];
    this.nextId = 1;
    this.calls = new Map(); // id of a call → { resolve, reject, method, timeoutMs, timer }, oldest first
    this.spares = []; // workers started ahead of need (prepare), oldest first
  }

  // Start workers ahead of need, up to `count` waiting: start() then takes the oldest instead of
  // making one, and finds its Python started or nearly. The teacher's grading starts the next
  // students' sandboxes while this student's checks run; each spare is a worker no code has run
  // in. What a spare says before start() takes it is kept and replayed, as a worker started early.
  prepare(count = 1) {
    while (this.spares.length < count) this.spares.push(recording(this.createWorker()));
  }

  // Stop the workers prepare() started (their memory is freed).
  dropSpares() {
    for (const spare of this.spares.splice(0)) spare.terminate();
  }

  start() {
    this.stop();
    this.starts = (this.starts ?? 0) + 1; // which worker this is: a restart makes a new one
    this.ready = false;
    this.failed = false;
    const worker = this.spares.shift() ?? this.createWorker();
    this.worker = worker;
    this.timer = this.timers.setTimeout(() => {
      this.fail(t("start.bridge.load-timeout", { seconds: Math.round(this.loadTimeoutMs / 1000) }));
    }, this.loadTimeoutMs);
    worker.onmessage = (event) => {
      if (worker !== this.worker) return;
      const message = event.data;
      const waiting = this.calls.get(message?.id);
      if (this.checkMessage) {
        const problem = this.refusal(message, waiting);
        if (problem) {
          if (waiting && ANSWERS.includes(message?.type)) this.settle(message.id, waiting, Object.assign(new Error(t("start.bridge.refused", { problem })), { kind: "refused" }));
          return;
        }
      }
      if (waiting && ANSWERS.includes(message.type)) {
        if (message.type === MESSAGE.result) this.settle(message.id, waiting, null, message);
        else this.settle(message.id, waiting, Object.assign(new Error(message.message), { kind: message.type }));
        if (message.type === MESSAGE.crashed) this.fail(t("start.bridge.crashed", { reason: message.message }));
        return;
      }
      if (message.type === MESSAGE.ready) {
        this.timers.clearTimeout(this.timer);
        this.ready = true;
        // the calls made while it started go first, in their order (the language, then the setup)
        for (const queued of this.queue.splice(0)) this.send(queued);
        this.onMessage(message);
        return;
      }
      if (message.type === MESSAGE.failed) {
        // after "ready", a worker that says it failed has died under a call: a crash
        this.timers.clearTimeout(this.timer);
        this.failed = true;
        this.queue = [];
        if (this.ready) this.rejectCalls(t("start.bridge.crashed", { reason: message.message }), "crashed");
        else this.rejectCalls(t("start.bridge.not-started", { reason: message.message }));
      }
      this.onMessage(message);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (worker === this.worker) this.fail(event.message || t("start.bridge.worker-error"));
    };
    worker.onmessageerror = () => {
      if (worker === this.worker) this.fail(t("start.bridge.unreadable"));
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
    this.atStart();
  }

  // Post `message` (not a call: web/start/protocol.js's language) to the worker now, if one runs.
  tell(message) {
    if (this.worker && !this.failed) this.worker.postMessage(message);
  }

  // Run a Session method in the worker (see the top of this file). Before Python is ready every
  // call waits; with `replace`, a waiting call of the same method is dropped (rejected as
  // "superseded"), so only the latest setup is configured once Python starts. `onSent()` is called
  // when the call is posted to a started worker (its `timeoutMs` counts from then).
  call(method, args = {}, { replace = false, timeoutMs = 0, onSent = null } = {}) {
    return new Promise((resolve, reject) => {
      if (this.failed || !this.worker) {
        reject(Object.assign(new Error(t("start.bridge.not-running")), { kind: "stopped" }));
        return;
      }
      const request = { type: MESSAGE.call, method, args, id: this.nextId++ };
      this.calls.set(request.id, { resolve, reject, method, timeoutMs, onSent, timer: null });
      if (this.ready) {
        this.send(request);
        return;
      }
      if (replace) {
        for (const queued of this.queue.filter((waiting) => waiting.method === method)) {
          this.calls.get(queued.id)?.reject(Object.assign(new Error(t("start.bridge.superseded", { method })), { kind: "superseded" }));
          this.calls.delete(queued.id);
        }
        this.queue = this.queue.filter((waiting) => waiting.method !== method);
      }
      this.queue.push(request);
    });
  }

  // Post a call; its time (without the worker's start-up) counts from here.
  send(request) {
    const waiting = this.calls.get(request.id);
    if (!waiting) return;
    if (waiting.timeoutMs) {
      waiting.timer = this.timers.setTimeout(() => this.timedOut(request.id), waiting.timeoutMs);
    }
    this.worker.postMessage(request);
    waiting.onSent?.();
  }

  // A call ran past its time: it rejects as "timeout", and the worker (perhaps in an endless loop)
  // is replaced by a fresh one; the other calls waiting on it stop.
  timedOut(id) {
    const waiting = this.calls.get(id);
    if (!waiting) return;
    const seconds = Math.round(waiting.timeoutMs / 1000);
    this.settle(id, waiting, Object.assign(new Error(t("start.bridge.timeout", { seconds })), { kind: "timeout" }));
    this.start();
  }

  settle(id, waiting, error, result) {
    this.calls.delete(id);
    this.timers.clearTimeout(waiting.timer);
    if (error) waiting.reject(error);
    else waiting.resolve(result);
  }

  // Why an untrusted worker's message is refused, or null.
  refusal(message, waiting) {
    const problem = this.checkMessage(message, waiting?.method ?? null);
    if (problem) return problem;
    const answer = ANSWERS.includes(message.type);
    if (answer && (!waiting || message.id !== this.calls.keys().next().value)) return t("start.refusal.order");
    return null;
  }

  // Stop the worker as if it had crashed (the page's test hook uses this).
  kill(reason = t("start.bridge.killed")) {
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
    this.rejectCalls(t("start.bridge.stopped"));
  }

  rejectCalls(reason, kind = "stopped") {
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const { reject, timer } of calls) {
      this.timers.clearTimeout(timer);
      reject(Object.assign(new Error(reason), { kind }));
    }
  }
}

// `worker` keeping what it says until a Bridge listens: its messages, errors and unreadable
// messages, in order, for start()'s replay (worker.takeEarly).
function recording(worker) {
  const early = [];
  worker.onmessage = (event) => early.push(new MessageEvent("message", { data: event.data }));
  worker.onerror = (event) => early.push(Object.assign(new Event("error"), { message: event?.message }));
  worker.onmessageerror = () => early.push(new Event("messageerror"));
  worker.takeEarly = () => early.splice(0);
  return worker;
}

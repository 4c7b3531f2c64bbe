// The status line in the header: Python's start-up step by step (runtime, numpy, pynn), the
// download's bytes (the bar, and the plane's preview note), "Ready" at the first net, and what
// went wrong when Python did not start or stopped, with the Restart button. It also keeps, in the
// line's data attributes, where the start-up time went (for bench/browser.py and the tests).
import { t } from "../lang/text.js";
import { MESSAGE } from "./protocol.js";
import { hideBytes, showBytes } from "./loadbar.js";
import { keepForOffline } from "./offline.js";

const STEPS = ["runtime", "numpy", "pynn"];

// A step as the line names it: the runtime in the page's language; numpy and pynn are names.
function stepName(step) {
  return step === "runtime" ? t("start.step.runtime") : step;
}

export class StatusLine {
  // line: the status element; restart: its button; preview: the plane's preview (web/start/preview.js);
  // messages: the page's message line; onRestart(): start Python again; update: the new-version notice
  // and its reload button (web/start/offline.js).
  constructor({ line, restart, preview, messages, onRestart, update }) {
    this.line = line;
    this.restartButton = restart;
    this.preview = preview;
    this.messages = messages;
    this.notice = update;
    this.loading = {};
    restart.addEventListener("click", () => {
      this.restartButton.hidden = true;
      for (const step of STEPS) delete this.loading[step];
      this.messages.show([]);
      this.set("start.loading");
      onRestart();
    });
    // index.html's "Loading…" until the worker's first word, which comes once the page speaks its
    // language (main.js starts the session after the language's catalogue is in use): nothing
    // here is said in English first.
    this.said = ["start.loading", {}, ""];
  }

  // What the training worker says while it starts (web/start/protocol.js).
  hear(message) {
    switch (message.type) {
      case MESSAGE.status:
        this.loading[message.step] = message.state;
        this.showLoading();
        break;
      case MESSAGE.bytes:
        showBytes(message);
        this.preview.bytes(message);
        break;
      case MESSAGE.ready:
        this.ready(message.timings);
        break;
      case MESSAGE.kept: // the next visit restores Python with numpy and pynn imported (web/start/libsnapshot.js)
        // or, when it could not be stored, starts the ordinary way: why, for developers and tests
        this.line.dataset.kept = String(!message.failed);
        if (message.failed) this.line.dataset.keptWhy = String(message.failed).slice(0, 300);
        break;
      case MESSAGE.failed: {
        hideBytes();
        this.preview.end();
        // pynn's words by id when the worker sent them so (it may have failed before it heard the
        // page's language): said here in the page's; another's (the browser's, Python's) as they came
        const reason = message.text ?? message.message;
        this.set("start.failed", { step: message.step, reason }, "failed");
        this.messages.show([t("start.failed.message", { step: stepName(message.step), reason })], "error");
        this.restartButton.hidden = false;
        break;
      }
    }
  }

  ready(timings) {
    hideBytes(); // everything has arrived, whatever the count says
    for (const step of STEPS) this.loading[step] = "done";
    this.showLoading();
    // Where the start-up time went, for bench/browser.py (ms since the worker started).
    const data = this.line.dataset;
    data.runtimeMs = String(Math.round(timings.runtime));
    data.pynnMs = String(Math.round(timings.pynn));
    data.snapshot = String(timings.snapshot);
    data.workerMs = String(Math.round(timings.origin - performance.timeOrigin)); // since navigation
    for (const step of ["python", "made"]) {
      if (timings[step] !== undefined) data[`${step}Ms`] = String(Math.round(timings[step]));
    }
  }

  // The training worker stopped (crashed, or timed out).
  stopped(reason) {
    this.set("start.stopped", { reason }, "failed");
    this.messages.show([t("start.stopped.message", { reason })], "error");
    this.restartButton.hidden = false;
  }

  // A Session answer: the first fresh net makes the page Ready (then this build's files are kept
  // for offline visits); each answer's heap size, for the soak tests.
  update(message) {
    if (message.type === "configured" && !this.line.classList.contains("ready")) {
      this.set("start.ready", {}, "ready");
      this.line.dataset.readyMs = String(Math.round(performance.now())); // since navigation
      keepForOffline(this.notice);
    }
    if (message.heapBytes) this.line.dataset.heapBytes = String(message.heapBytes);
  }

  // Say the text `id` (with `params`; a `step` named as the line names it) in the line; `state`:
  // "ready", "failed" or "" (loading).
  set(id, params = {}, state = "") {
    this.said = [id, params, state];
    const named = params.step === undefined ? params : { ...params, step: stepName(params.step) };
    this.line.textContent = t(id, named);
    this.line.classList.toggle("ready", state === "ready");
    this.line.classList.toggle("failed", state === "failed");
  }

  showLoading() {
    const parts = STEPS.map((step) => {
      const state = this.loading[step];
      return `${stepName(step)} ${state === "done" ? "✓" : state === "loading" ? "…" : "·"}`;
    });
    this.set("start.loading.steps", { steps: parts.join("  ") });
  }

  // The page's language changed: the line says what it said, in it.
  languageChanged() {
    this.set(...this.said);
  }
}

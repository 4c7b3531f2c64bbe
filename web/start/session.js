// The session client: the page's one owner of the calls to Python (a pynn.page.session.Session
// in the training worker, or in the sandbox while a student's code trains). It sends the setup
// when the store's changes (web/state.js), asks for training one chunk at a time (one round trip
// per chunk, carrying what the open panels want to see after it), and hands every answer that
// sets up data or a net, or trains it, to the parts that draw it: each part's update(answer) hears
// { ...answer, type: "configured" | "edited" | "progress" }; settingsChanged(answer) hears a live
// change of the optimiser; wants(now) says what a part wants along with the next chunk.
//
// Training with your code: while it is on, the Session the page talks to is the sandbox's (the
// training worker's state handed over: pynn.page.handover); `yourCodeIn` is the sandbox's start it
// lives in. If that sandbox stops (an endless loop timed out, a crash), training goes back to the
// training worker, from where it was when the student's code took over.
import { BY } from "../state.js";
import { t } from "../lang/text.js";
import { Bridge } from "./bridge.js";
import { MESSAGE } from "./protocol.js";

// The state a Session answer carries, without the answer's envelope.
function stateOf({ type, id, heapBytes, ...state }) {
  return state;
}

export class SessionClient {
  // createWorker(): the training worker; createSandbox(): the sandbox (web/start/sandbox.js), whose
  // every message checkMessage checks (web/start/messages.js); timeouts: the page table's
  // timeouts_ms; messages: the page's message line; onStart(message): what the training worker
  // says while it starts; onStop(reason): it stopped.
  constructor({ store, state, timeouts, createWorker, createSandbox, checkMessage, messages, onStart, onStop }) {
    this.store = store;
    this.state = state;
    this.messages = messages;
    this.sandboxMs = timeouts.check;
    this.bridge = new Bridge({
      createWorker, loadTimeoutMs: timeouts.start,
      onMessage: (message) => {
        if (message.type === MESSAGE.failed) this.store.set({ running: { failed: true } }, BY.session);
        onStart(message);
      },
      onFailure: (reason) => this.stopped(reason, onStop),
      atStart: () => this.sayLanguage(this.bridge),
    });
    this.sandbox = new Bridge({
      createWorker: createSandbox, loadTimeoutMs: timeouts.start, checkMessage,
      onMessage: () => {}, // its start-up is told by the calls that wait on it (web/teaching/exercises.js)
      onFailure: () => {},
      atStart: () => this.sayLanguage(this.sandbox),
    });
    this.parts = [];
    this.asked = 0; // ticket of the latest call that sets up data or a net: only its settings are shown
    this.yourCode = false;
    this.yourCodeIn = 0;
    this.left = () => {}; // training with your code stopped, and why (the exercises panel says so)
    store.subscribe((change) => {
      if (change.settings.length && change.by !== BY.session) this.configure(change.settings);
    });
  }

  start() {
    this.bridge.start();
  }

  // The training worker again, after it stopped: with pynn's code, the same setup.
  restart() {
    this.store.set({ running: { failed: false, configured: false } }, BY.session);
    this.bridge.start();
    this.yourCode = false;
    this.configure();
  }

  // Python says its texts from `catalogue` (the page's, web/lang/language.js; null: English): the
  // training worker's and the sandbox's, those running and each one started after (their Bridge's
  // atStart). Resolves once the training worker does.
  useLanguage(catalogue) {
    this.language = { catalogue };
    if (this.sandbox.worker && !this.sandbox.failed) this.sayLanguage(this.sandbox);
    return this.sayLanguage(this.bridge);
  }

  // Tell `bridge`'s worker the page's language: its JavaScript at once (what it says while Python
  // starts), its Python first of all calls. Nothing before one was chosen (a worker starts in English).
  sayLanguage(bridge) {
    if (!this.language) return Promise.resolve();
    bridge.tell({ type: MESSAGE.language, catalogue: this.language.catalogue });
    return bridge.call("use_language", this.language).catch((error) => this.refused(error, "start.refused.go-on"));
  }

  stopped(reason, onStop) {
    this.store.set({ running: { failed: true, playing: false } }, BY.session);
    onStop(reason);
  }

  // A Session call, to the worker that holds the net now.
  async call(method, args, options = {}) {
    if (this.yourCode && this.sandbox.starts !== this.yourCodeIn) this.leaveSandbox(t("start.sandbox.restarted"));
    if (!this.yourCode) return this.bridge.call(method, args, options);
    try {
      return await this.sandbox.call(method, args, { ...options, timeoutMs: this.sandboxMs });
    } catch (error) {
      if (error.kind === "invalid" || error.kind === "superseded" || !this.yourCode) throw error;
      this.leaveSandbox(error.kind === "timeout"
        ? t("start.sandbox.timeout", { seconds: Math.round(this.sandboxMs / 1000) })
        : error.message);
      return this.bridge.call(method, args, options);
    }
  }

  // Training with the student's functions (`sources`), in the sandbox's Session, or back with pynn's.
  async useYourCode(sources) {
    if (!this.yourCode || this.sandbox.starts !== this.yourCodeIn) {
      this.yourCode = false;
      if (!this.sandbox.worker || this.sandbox.failed) this.sandbox.start();
      const state = stateOf(await this.bridge.call("export_state"));
      await this.sandbox.call("import_state", state, { timeoutMs: this.sandboxMs });
    }
    const answer = await this.sandbox.call("use_student_code", { sources }, { timeoutMs: this.sandboxMs });
    this.yourCode = true;
    this.yourCodeIn = this.sandbox.starts;
    return answer;
  }

  async usePynnsCode() {
    if (!this.yourCode) return { using: [] };
    this.yourCode = false;
    try {
      const state = stateOf(await this.sandbox.call("export_state", {}, { timeoutMs: this.sandboxMs }));
      this.took(await this.bridge.call("import_state", state));
    } catch (error) {
      if (error.kind === "invalid") this.messages.show([t("start.sandbox.net-kept", { reason: error.message })], "error");
      this.took(await this.bridge.call("edited"));
    }
    return { using: [] };
  }

  leaveSandbox(reason) {
    if (!this.yourCode) return;
    this.yourCode = false;
    this.left(reason);
    this.bridge.call("edited").then((result) => this.took(result)).catch((error) => this.refused(error, "start.refused.go-on"));
  }

  // Send the store's settings to pynn. A change of live settings (pynn/page/settings.py: lr, batch,
  // wd) goes on training the same net; any other change makes a new net, so playing stops until
  // Play is pressed.
  configure(changed = this.state.KEYS) {
    if (!changed.every((key) => this.state.FIELDS[key].live)) this.store.set({ running: { playing: false } }, BY.session);
    const ticket = ++this.asked;
    this.call("configure", { settings: this.store.settings }, { replace: true })
      .then((result) => this.took(result, ticket))
      .catch((error) => this.refused(error, "start.refused.setup"));
  }

  reset() {
    this.store.set({ running: { playing: false } }, BY.session);
    const ticket = ++this.asked;
    this.call("reset")
      .then((result) => this.took(result, ticket))
      .catch((error) => this.refused(error, "start.refused.reset"));
  }

  // The tour's "Set it up and play": these settings and view, a new net from the seed at epoch 0
  // (configure's when it makes one, else a reset: a change of live settings alone keeps the net),
  // then Play. Nothing waits past the answer: a later call that sets up data or a net cancels the Play.
  startFresh(values, shown) {
    this.store.set({ running: { playing: false } }, BY.session);
    this.messages.show([]);
    // a step names the settings it is about; the rest, defaults
    this.store.set({ settings: { ...this.state.defaults(), ...values }, view: shown }, BY.session);
    const ticket = ++this.asked;
    this.bridge
      .call("configure", { settings: this.store.settings }, { replace: true })
      .then((result) => (result.fresh ? result : this.call("reset")))
      .then((result) => {
        if (ticket !== this.asked) return;
        this.took(result, ticket);
        const { failed, configured } = this.store.running;
        this.store.set({ running: { playing: !failed && configured } }, BY.session);
      })
      .catch((error) => this.refused(error, "start.refused.setup"));
  }

  // A Session answer that sets up data or a net (configure, reset, an edit of the points, a CSV, a
  // model file). `fresh`: a new net (the curves start again); false: the same net goes on (after
  // an edit of the points, or a live change of the optimiser, which the chart marks). The settings
  // in it go into the store unless a later such call is on its way.
  took(result, ticket = ++this.asked) {
    if (ticket === this.asked && result.settings) this.store.set({ settings: result.settings }, BY.session);
    if (result.fresh === false && result.changed) {
      for (const part of this.parts) part.settingsChanged?.(result);
      return;
    }
    if (result.fresh) this.store.set({ running: { configured: true } }, BY.session);
    this.tell({ ...result, type: result.fresh ? "configured" : "edited" });
  }

  // Train one chunk (Session.run): `request` its size; `now`: the panels' pictures are wanted
  // whatever they are waiting for; `follow`: slow enough to follow each update. Resolves with the
  // answer, which the parts have heard.
  async run(request, { now = false, follow = false } = {}) {
    const result = await this.ask(request, { now });
    this.progress(result, follow);
    return result;
  }

  // The call of run() alone: the answer, which no part has heard yet (progress() tells them).
  ask(request, { now = false } = {}) {
    return this.call("run", { ...request, ...this.wanted(now) });
  }

  // `follow`: the examples the last update used are ringed on the plane, their loss before → after beside it.
  progress(result, follow = false) {
    if (result.diverged) this.store.set({ running: { playing: false } }, BY.session);
    this.tell({ ...result, type: "progress", follow });
  }

  // What the open panels want to see after the next chunk (Session.run's `also`): they come back
  // with it, one round trip per chunk.
  wanted(now) {
    const also = Object.assign({}, ...this.parts.map((part) => part.wants?.(now) ?? {}));
    return Object.keys(also).length ? { also } : {};
  }

  tell(answer) {
    for (const part of this.parts) part.update?.(answer);
  }

  // `what`: the id of the message that says what was refused, its {reason} the ValueError's.
  refused(error, what) {
    if (error.kind === "stopped" || error.kind === "superseded") return;
    if (error.kind === "invalid") this.messages.show([t(what, { reason: error.message })], "error");
    else this.messages.show([t("start.python-error", { reason: error.message })], "error");
  }
}

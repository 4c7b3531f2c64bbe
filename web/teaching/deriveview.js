// The "Derive the gradients" panel on the page (issue 26): opened by `#derive=STEP` (a link or a
// reload: the panel scrolled into view, the step's answer box focused, as the header's button does),
// closed by its Close button or Escape (the focus goes back where it came from). Its catalogue comes from the training worker
// (Session.derive_catalogue: nothing runs to make it); every answer is evaluated in the sandbox
// (Session.run_derivation, a SANDBOX_ONLY call: the student's expression is Python) and judged in
// the training worker (web/start/checking.js). The steps that passed and the hints used are kept
// in localStorage (STORED.derivation), for the next visit and the classroom's hand-in.
//
// Nothing of the panel is on the path to Ready: web/teaching/derive.js (and through it web/inside/typeset.js, KaTeX)
// and web/teaching/derive.css are loaded the first time the panel opens.
import { checkStep } from "../start/checking.js";
import { STORED } from "../start/storage.js";
import { t } from "../lang/text.js";

// What the page stored of the derivation: { passed, hints }, empty when nothing (or nothing
// readable) is stored.
export function storedDerivation(storage = globalThis.localStorage) {
  try {
    const value = JSON.parse(storage?.getItem(STORED.derivation) ?? "null");
    const plain = (object, valid) => Object.fromEntries(Object.entries(object && typeof object === "object" ? object : {})
      .filter(([, item]) => valid(item)));
    return {
      passed: plain(value?.passed, (item) => typeof item === "string"),
      hints: plain(value?.hints, (item) => Number.isInteger(item) && item > 0),
    };
  } catch {
    return { passed: {}, hints: {} };
  }
}

// The hand-in's "derivation" (pynn/page/handin.py, version 2): { step: { passed, hints, expression } }
// for each step passed or helped by a hint, in `steps`' order (TABLE.derive.steps), with the
// expression that passed ("" for none: the class view checks it again); null when there is none yet.
export function derivationHandIn(stored, steps) {
  const entries = {};
  for (const step of steps) {
    const passed = typeof stored.passed[step] === "string";
    const hints = stored.hints[step] ?? 0;
    if (passed || hints) entries[step] = { passed, hints, expression: passed ? stored.passed[step] : "" };
  }
  return Object.keys(entries).length ? entries : null;
}

// Code from a template whose «step» marks stand for the expressions that passed those steps
// (pynn/page/exercises/gradients.py's FROM_DERIVATION): { source, missing: the steps not passed }.
export function fillDerivation(template, passed) {
  const steps = [...new Set([...template.matchAll(/«(\w+)»/g)].map((match) => match[1]))];
  const missing = steps.filter((step) => typeof passed[step] !== "string");
  const source = missing.length ? "" : template.replace(/«(\w+)»/g, (_, step) => passed[step]);
  return { source, missing };
}

function stylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener("error", () => resolve(), { once: true }); // unstyled, but usable
    document.head.append(link);
  });
}

export class Derivation {
  // root: the panel's section (hidden until opened); openButton: the header's link; call: Session
  // methods in the training worker; sandbox: web/start/bridge.js's client of the sandbox; timeoutMs: how
  // long one check may run; onOpen(step): the hash follows the open step ("" when closed).
  constructor({ root, openButton, call, sandbox, timeoutMs, onOpen, storage = globalThis.localStorage }) {
    this.root = root;
    this.call = call;
    this.sandbox = sandbox;
    this.timeoutMs = timeoutMs;
    this.onOpen = onOpen;
    this.storage = storage;
    this.pythonReady = false;
    this.catalogue = null;
    this.panel = null;
    this.wanted = "";
    this.openButton = openButton;
    this.focusLater = false; // a link's step waits for Python, then takes the focus
    this.returnTo = null; // where the focus goes back when the panel closes
    openButton?.addEventListener("click", () => this.show(this.wanted || "h1", { focus: true }));
    root.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || root.hidden || event.defaultPrevented) return;
      event.preventDefault();
      this.close();
    });
  }

  // The training worker is ready: the catalogue can be asked for, and the sandbox started.
  pageReady() {
    this.pythonReady = true;
    if (this.wanted) this.show(this.wanted, { focus: this.focusLater && this.focusFree() });
  }

  // The address says `step` (a link opened, a reload, the back button): a step newly asked for is
  // scrolled to and focused, as the header's button does; the same step again leaves the focus be.
  follow(step) {
    const fresh = Boolean(step) && (step !== this.wanted || this.root.hidden);
    this.show(step, { focus: fresh });
  }

  // Nobody has put the focus anywhere yet (a link's step may take it once Python is ready).
  focusFree() {
    const active = document.activeElement;
    return !active || active === document.body || this.root.contains(active);
  }

  close() {
    this.show("");
    this.onOpen("");
    const back = this.returnTo?.isConnected && !this.returnTo.closest("[hidden]") ? this.returnTo : this.openButton;
    this.returnTo = null;
    back?.focus();
  }

  // The catalogue, asked for once (null until Python is ready).
  async steps() {
    if (!this.pythonReady) return null;
    this.catalogue ??= this.call("derive_catalogue").catch((error) => {
      this.catalogue = null;
      throw error;
    });
    return this.catalogue;
  }

  // Open the panel at `step` ("" closes it).
  async show(step, { focus = false } = {}) {
    this.wanted = step;
    if (!step) {
      this.root.hidden = true;
      this.focusLater = false;
      return;
    }
    const active = document.activeElement;
    if (focus && active && active !== document.body && !this.root.contains(active)) this.returnTo = active;
    this.root.hidden = false;
    if (!this.panel) {
      if (!this.root.querySelector("[data-derive-waiting]")) {
        const waiting = document.createElement("p");
        waiting.className = "hint";
        waiting.setAttribute("role", "status");
        waiting.dataset.deriveWaiting = "";
        waiting.textContent = t("derive-panel.starting");
        this.root.replaceChildren(waiting);
      }
      if (!this.pythonReady) {
        this.focusLater ||= focus;
        return;
      }
      if (!this.building) this.building = this.build();
      try {
        await this.building;
      } catch (error) {
        this.building = null;
        const failed = document.createElement("p");
        failed.className = "result-error";
        failed.setAttribute("role", "alert");
        failed.textContent = t("derive-panel.failed", { error: error.message });
        this.root.replaceChildren(failed);
        return;
      }
      if (!this.wanted) return;
      step = this.wanted;
    }
    this.focusLater = false;
    if (this.panel.current !== step) this.panel.open(step, { focus });
    else if (focus) this.panel.input.focus({ preventScroll: true });
    if (focus) this.root.scrollIntoView({ block: "start" });
  }

  async build() {
    const [catalogue, { DerivePanel }] = await Promise.all([
      this.steps(), import("./derive.js"), stylesheet(new URL("./derive.css", import.meta.url).href),
    ]);
    this.startSandbox();
    const stored = storedDerivation(this.storage);
    const body = document.createElement("div");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "button small quiet derive-close";
    close.dataset.testid = "derive-close";
    close.textContent = t("derive-panel.close");
    close.addEventListener("click", () => this.close());
    this.root.replaceChildren(close, body);
    this.panel = new DerivePanel({
      root: body,
      catalogue,
      check: (step, expression) => this.check(step, expression),
      onOpen: (name) => this.onOpen(name),
      onChange: () => this.keep(),
    });
    const known = new Set(catalogue.steps.map((item) => item.name));
    for (const [name, expression] of Object.entries(stored.passed)) {
      if (!known.has(name)) continue;
      this.panel.passed[name] = expression;
      this.panel.answers[name] = expression;
      this.panel.stepButtons[name].dataset.status = "pass";
    }
    for (const [name, count] of Object.entries(stored.hints)) {
      if (known.has(name)) this.panel.hints[name] = Math.min(count, catalogue.steps.find((item) => item.name === name).hints.length);
    }
    Object.assign(this.panel.answers, this.carried?.answers);
    Object.assign(this.panel.results, this.carried?.results);
    this.carried = null;
  }

  // The page's language changed: the catalogue (Python's texts) asked for again and the panel made
  // again in it, with what was typed and each check's result (its message stays as it was said
  // until the next check); the passed steps and hints come back from the storage as on a visit.
  languageChanged() {
    this.catalogue = null;
    if (!this.panel) return;
    this.carried = { answers: this.panel.answers, results: this.panel.results };
    this.panel = null;
    this.building = null;
    this.show(this.wanted);
  }

  startSandbox() {
    if (!this.sandbox.worker || this.sandbox.failed) this.sandbox.start();
  }

  // pynn.page.derive's verdict: the expression evaluated in the sandbox, judged in the training
  // worker (web/start/checking.js); an evaluation past timeoutMs stops the sandbox (a fresh one
  // starts). The class view re-checks a hand-in's steps through here too.
  async check(step, expression) {
    try {
      return await checkStep({ page: this.call, sandbox: this.sandbox, step, expression, timeoutMs: this.timeoutMs });
    } catch (error) {
      return { status: "error", message: t("derive-panel.check-failed", { error: error.message }), mistake: null, step };
    }
  }

  // The passed steps and the hints used, for the next visit and the hand-in.
  keep() {
    try {
      const before = storedDerivation(this.storage);
      this.storage?.setItem(STORED.derivation, JSON.stringify({
        passed: { ...before.passed, ...this.panel.derived() },
        hints: { ...before.hints, ...this.panel.hintsUsed() },
      }));
    } catch {
      // storage full or blocked: the derivation stays for this visit
    }
  }
}

// "Derive the gradients": the steps of pynn.page.derive, one at a time — the question and what is
// known (typeset, each with its text alternative), the names the answer may use, an answer typed
// as a numpy expression, Check, and at most three hints a step, counted.
//
// Everything the panel shows comes from the catalogue (pynn.page.derive.catalogue(), Python's
// data), and the check from `check(step, expression)`, an async function the page supplies (the
// sandbox evaluates the expression, pynn judges it: web/start/checking.js): the panel never judges
// an answer itself. Text from Python
// or from the student reaches the page through textContent only. Keyboard: every control is a
// button or the answer's input; Enter in the input checks.
import { renderMaths as typeset } from "../inside/typeset.js";
import { t } from "../lang/text.js";

const STATUS_TEXT = {
  pass: "derive-panel.status.pass", fail: "derive-panel.status.fail", error: "derive-panel.status.error",
  timeout: "derive-panel.status.timeout", crashed: "derive-panel.status.crashed", invalid: "derive-panel.status.invalid",
  checking: "derive-panel.status.checking",
};

export class DerivePanel {
  // root: the element the panel fills; catalogue: pynn.page.derive.catalogue(); check(step,
  // expression): a promise of {status, message, mistake}; onOpen(step): the URL hash follows the
  // open step; onChange(): after a check or a hint (the hand-in reads hintsUsed() and derived());
  // renderMaths(element, tex, text): web/inside/typeset.js's; doc: the document (tests pass their own).
  constructor({ root, catalogue, check, onOpen = () => {}, onChange = () => {}, renderMaths = typeset, doc = globalThis.document }) {
    this.root = root;
    this.steps = catalogue.steps;
    this.maxLength = catalogue.max_length;
    this.check = check;
    this.onOpen = onOpen;
    this.onChange = onChange;
    this.renderMaths = renderMaths;
    this.doc = doc;
    this.current = null;
    this.answers = {}; // step → what was typed, kept while the page is open
    this.results = {}; // step → the last check's result
    this.passed = {}; // step → the expression that passed
    this.hints = {}; // step → how many hints were shown
    this.pending = {}; // step → the check under way (one per step)
    this.build();
  }

  el(tag, { className, testid, text, ...attributes } = {}) {
    const node = this.doc.createElement(tag);
    if (className) node.className = className;
    if (testid) node.dataset.testid = testid;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  build() {
    const title = this.el("h2", { className: "card-title", id: "derive-title", text: t("derive-panel.title") });
    const intro = this.el("p", { className: "hint", text: t("derive-panel.intro") });
    this.nav = this.el("div", { className: "derive-steps", role: "group", "aria-label": t("derive-panel.steps") });
    this.stepButtons = {};
    for (const step of this.steps) {
      const button = this.el("button", { type: "button", className: "button small derive-step", testid: `derive-step-${step.name}` });
      button.textContent = step.name;
      button.addEventListener("click", () => this.open(step.name, { focus: true }));
      this.nav.append(button);
      this.stepButtons[step.name] = button;
    }
    this.body = this.el("div", { className: "derive-body" });
    this.root.replaceChildren(title, intro, this.nav, this.body);
  }

  step(name) {
    return this.steps.find((step) => step.name === name);
  }

  // Open a step (unknown names open the first: the hash may say anything).
  open(name, { focus = false } = {}) {
    const step = this.step(name) ?? this.steps[0];
    if (this.current) this.answers[this.current] = this.input.value;
    this.current = step.name;
    for (const [other, button] of Object.entries(this.stepButtons)) {
      button.setAttribute("aria-current", other === step.name ? "step" : "false");
    }
    this.showStep(step);
    this.onOpen(step.name);
    if (focus) this.input.focus();
  }

  maths(className, { tex, text }, display = false) {
    const node = this.el("div", { className });
    this.renderMaths(node, tex, text, { display });
    return node;
  }

  showStep(step) {
    const question = this.maths("derive-question", step.question, true);
    question.dataset.testid = "derive-question";
    const known = this.el("ul", { className: "derive-known", "aria-label": t("derive-panel.known") });
    for (const item of step.known) {
      const li = this.el("li");
      li.append(this.maths("derive-equation", item));
      known.append(li);
    }
    const names = this.el("p", { className: "hint derive-names", testid: "derive-names" });
    names.append(t("derive-panel.names"), this.el("code", { text: ["np", ...step.names].join(", ") }));

    const label = this.el("label", { className: "derive-label", for: "derive-answer", text: t("derive-panel.answer") });
    this.input = this.el("input", {
      type: "text", id: "derive-answer", className: "derive-answer", testid: "derive-answer",
      maxlength: this.maxLength, autocomplete: "off", spellcheck: "false", autocapitalize: "off",
    });
    this.input.value = this.answers[step.name] ?? "";
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.submit();
      }
    });
    this.checkButton = this.el("button", { type: "button", className: "button primary", testid: "derive-check", text: t("derive-panel.check") });
    this.checkButton.addEventListener("click", () => this.submit());
    this.hintButton = this.el("button", { type: "button", className: "button small", testid: "derive-hint" });
    this.hintButton.addEventListener("click", () => this.nextHint());
    const row = this.el("div", { className: "derive-row" });
    row.append(this.input, this.checkButton, this.hintButton);

    this.result = this.el("div", { className: "derive-result", testid: "derive-result", "aria-live": "polite" });
    this.hintList = this.el("ol", { className: "derive-hints", testid: "derive-hints", "aria-label": t("derive-panel.hints") });
    this.nextButton = this.el("button", { type: "button", className: "button small", testid: "derive-next" });
    this.nextButton.addEventListener("click", () => this.open(this.following(step.name).name, { focus: true }));
    this.body.replaceChildren(question, known, names, label, row, this.result, this.hintList, this.nextButton);
    for (let shown = 0; shown < (this.hints[step.name] ?? 0); shown += 1) this.showHint(step, shown);
    this.showHintButton(step);
    this.showResult(step);
  }

  following(name) {
    return this.steps[this.steps.findIndex((step) => step.name === name) + 1];
  }

  showHint(step, index) {
    const hint = step.hints[index];
    const li = this.el("li", { className: "derive-hint-text" });
    li.append(this.el("p", { text: hint.say }), this.maths("derive-equation", hint, true));
    this.hintList.append(li);
    return li;
  }

  showHintButton(step) {
    const used = this.hints[step.name] ?? 0;
    const left = step.hints.length - used;
    this.hintButton.textContent = left > 0 ? t("derive-panel.hint", { used, count: step.hints.length }) : t("derive-panel.no-hints");
    this.hintButton.disabled = left <= 0;
  }

  nextHint() {
    const step = this.step(this.current);
    const used = this.hints[step.name] ?? 0;
    if (used >= step.hints.length) return;
    this.hints[step.name] = used + 1;
    this.showHint(step, used).scrollIntoView?.({ block: "nearest" }); // a new hint below the fold comes into view
    this.showHintButton(step);
    this.onChange();
  }

  showResult(step) {
    const result = this.results[step.name];
    const status = this.pending[step.name] ? "checking" : result?.status;
    this.checkButton.disabled = Boolean(this.pending[step.name]);
    this.result.dataset.status = status ?? "";
    this.result.dataset.mistake = result?.mistake ?? "";
    const shown = [];
    if (status) shown.push(this.el("strong", { text: Object.hasOwn(STATUS_TEXT, status) ? t(STATUS_TEXT[status]) : status }));
    if (status && status !== "checking") shown.push(this.el("p", { text: result.message }));
    this.result.replaceChildren(...shown);
    const next = this.following(step.name);
    this.nextButton.hidden = !(this.passed[step.name] !== undefined && next);
    if (next) this.nextButton.textContent = t("derive-panel.next", { step: next.name });
    this.stepButtons[step.name].dataset.status = this.passed[step.name] !== undefined ? "pass" : (result?.status ?? "");
  }

  // Check the current step's answer; the result goes to that step even if another is open by then.
  async submit() {
    const name = this.current;
    if (this.pending[name]) return;
    const expression = this.input.value;
    this.answers[name] = expression;
    this.pending[name] = true;
    this.showResult(this.step(name));
    let result;
    try {
      result = await this.check(name, expression);
    } catch (error) {
      result = { status: "error", message: t("derive-panel.check-error", { error: error?.message ?? String(error) }), mistake: null };
    }
    this.pending[name] = false;
    this.results[name] = result;
    if (result.status === "pass") this.passed[name] = expression;
    if (this.current === name) this.showResult(this.step(name));
    else this.stepButtons[name].dataset.status = this.passed[name] !== undefined ? "pass" : result.status;
    this.onChange();
    return result;
  }

  // How many hints each step used (the steps that used none left out).
  hintsUsed() {
    return Object.fromEntries(this.steps.filter((step) => this.hints[step.name]).map((step) => [step.name, this.hints[step.name]]));
  }

  // The expressions that passed, step by step, in the derivation's order.
  derived() {
    return Object.fromEntries(this.steps.filter((step) => this.passed[step.name] !== undefined)
      .map((step) => [step.name, this.passed[step.name]]));
  }
}

// "Write the network yourself": the exercises (the page table's, in order), each with its equations, an editor, Check
// (web/start/checking.js: the code runs in the sandbox, pynn judges what came out), Reset and Show solution;
// the code is kept per exercise in localStorage. Once forward and gradients pass, "Train with your
// code" moves the training into the sandbox's Session, which trains through them
// (Session.use_student_code; web/main.js hands the training over and back).
//
// Code only runs when the student presses Check or turns training with their code on: opening
// the page, a link or a stored exercise never runs anything. Text from Python or from the
// student only reaches the page through textContent.
import TABLE from "../settings.js";
import { t, tn } from "../lang/text.js";
import { checkExercise } from "../start/checking.js";
import { STORED } from "../start/storage.js";
import { fillDerivation, storedDerivation } from "./deriveview.js";

const EXERCISES = TABLE.exercises.order; // pynn.page.exercises.ORDER
const NEEDED = TABLE.exercises.required; // what training with your code needs (pynn.page.yourcode.REQUIRED)

export const CHECK_TIMEOUT_MS = TABLE.timeouts_ms.check; // a check that runs longer stops the sandbox (an endless loop?)
const STATUS_TEXT = {
  pass: "exercise-panel.status.pass", fail: "exercise-panel.status.fail", error: "exercise-panel.status.error",
  timeout: "exercise-panel.status.timeout", crashed: "exercise-panel.status.crashed", invalid: "exercise-panel.status.invalid",
};

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "className") node.className = value;
    else if (key === "testid") node.dataset.testid = value;
    else node.setAttribute(key, value);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

export class ExercisesPanel {
  // root: the section; call: Session methods in the training worker (the catalogue); sandbox: the
  // client (web/start/bridge.js) of the sandbox's Python, where every check runs; yourCode: {on(sources),
  // off()}, training with the student's code (web/main.js); badgeHost: where the "training with
  // your code" badge goes; onOpen(name): the hash follows the open exercise; showMessages: the
  // page's message line; createEditor: web/teaching/editor.js's.
  // equations(): the hash's equations key ("ask" hides each exercise's equations until asked).
  // assignment: an assignment link's { exercises (in order), solutions, equations } (web/classroom/classroom.js),
  // or null; log: web/classroom/classroom.js's ExerciseLog (each Check and each solution shown), or null.
  constructor({ root, call, sandbox, yourCode, badgeHost, onOpen, showMessages, storage = globalThis.localStorage, createEditor, equations = () => "", assignment = null, log = null }) {
    this.equations = equations;
    this.assignment = assignment;
    this.names = assignment?.exercises ?? EXERCISES; // the tabs, in their order
    this.log = log;
    this.results = {}; // the last check result per exercise, for the hand-in
    this.root = root;
    this.call = call;
    this.sandbox = sandbox;
    this.yourCode = yourCode;
    this.onOpen = onOpen;
    this.showMessages = showMessages;
    this.storage = storage;
    this.createEditor = createEditor;
    this.catalogue = null;
    this.current = null;
    this.editor = null;
    this.training = false;
    this.checking = false;
    this.pythonReady = false; // the training worker has started: the sandbox may start too
    this.build(badgeHost);
  }

  build(badgeHost) {
    const head = el("div", { className: "exercises-head" });
    head.append(
      el("h2", { className: "card-title", id: "exercises-title" }, t("exercise-panel.title")),
      (this.progress = el("p", { className: "exercise-progress", testid: "exercise-progress", "aria-live": "polite" })),
    );
    // Training with one's own code needs NEEDED's exercises: an assignment without them neither
    // says so nor shows the button.
    this.canTrain = NEEDED.every((name) => this.names.includes(name));
    const intro = el("p", { className: "hint" }, tn("exercise-panel.intro", this.names.length));
    if (this.canTrain) intro.append(" ", t("exercise-panel.intro-train"));
    this.tabs = el("div", { className: "exercise-tabs", role: "group", "aria-label": t("exercise-panel.tabs") });
    this.tabButtons = {};
    this.names.forEach((name, i) => {
      const button = el("button", { type: "button", className: "button small exercise-tab", testid: `exercise-tab-${name}` });
      button.append(el("span", { className: "tab-number" }, `${i + 1}`), ` ${name}`, el("span", { className: "tab-mark" }));
      button.addEventListener("click", () => this.open(name, { focus: true }));
      this.tabs.append(button);
      this.tabButtons[name] = button;
    });
    this.body = el("div", { className: "exercise-body" });
    this.body.append(el("p", { className: "hint" }, t("exercise-panel.choose")));

    this.trainButton = el("button", { type: "button", className: "button exercise-train", testid: "exercise-train", "aria-pressed": "false" },
      t("exercise-panel.train"));
    this.trainButton.addEventListener("click", () => this.setTraining(!this.training));
    this.trainNote = el("span", { className: "hint", id: "exercise-train-note" });
    this.trainButton.setAttribute("aria-describedby", "exercise-train-note");
    const train = el("div", { className: "exercise-train-row" });
    train.hidden = !this.canTrain;
    train.append(this.trainButton, this.trainNote);

    this.badge = el("span", { className: "yourcode-badge", testid: "exercise-badge", hidden: "" }, t("exercise-panel.badge"));
    badgeHost.append(this.badge);

    this.root.replaceChildren(head, intro, this.tabs, this.body, train);
    this.showProgress();
  }

  // The page's language changed: the panel made again in it, the catalogue (Python's texts) asked
  // for again and the open exercise shown again with the code as the student left it (kept in the
  // storage at each keystroke); a check's result already shown stays as it was said until the next
  // check, as does training with the student's code.
  languageChanged() {
    const { badge, result, shown } = this;
    this.build(badge.parentElement);
    this.badge.remove(); // the one shown keeps its state
    this.badge = badge;
    badge.textContent = t("exercise-panel.badge");
    this.trainButton.setAttribute("aria-pressed", String(this.training));
    if (!this.catalogue) return;
    this.catalogue = null;
    this.shown = null;
    this.call("exercise_catalogue").then(({ exercises }) => {
      this.ready(exercises);
      if (shown && this.shown === shown && result?.childNodes.length) {
        this.result.replaceWith(result);
        this.result = result;
      }
    }).catch((error) => this.checkerFailed(error.message));
  }

  // --- stored code ------------------------------------------------------------------------------

  stored(name) {
    try {
      const value = JSON.parse(this.storage?.getItem(STORED.exercise + name) ?? "null");
      if (value && typeof value.code === "string") {
        return {
          code: value.code,
          passed: typeof value.passed === "string" ? value.passed : null,
          earlier: typeof value.earlier === "string" ? value.earlier : null, // the student's own, while a link's code is in the editor
        };
      }
    } catch {
      // unreadable or blocked storage: start from the skeleton
    }
    return null;
  }

  store(name, entry) {
    try {
      this.storage?.setItem(STORED.exercise + name, JSON.stringify(entry));
    } catch {
      // storage full or blocked: the code stays in the editor for this visit
    }
  }

  passedSource(name) {
    return this.stored(name)?.passed ?? null;
  }

  showProgress() {
    const passed = this.names.filter((name) => this.passedSource(name) !== null);
    this.progress.textContent = t("exercise-panel.progress", { passed: passed.length, count: this.names.length });
    for (const name of this.names) {
      const button = this.tabButtons[name];
      const done = passed.includes(name);
      button.classList.toggle("passed", done);
      button.querySelector(".tab-mark").textContent = done ? " ✓" : "";
      const number = this.names.indexOf(name) + 1; // the label starts with the visible text
      button.setAttribute("aria-label", done ? t("exercise-panel.tab-passed", { number, name }) : `${number} ${name}`);
    }
    const ready = NEEDED.every((name) => passed.includes(name));
    this.trainButton.disabled = !ready && !this.training;
    this.trainNote.textContent = ready
      ? t("exercise-panel.train-uses", { names: passed.filter((name) => name !== "loss").join(", ") })
      : t("exercise-panel.train-needs");
  }

  // --- opening an exercise --------------------------------------------------------------------

  // Open exercise `name`; `code` is code that came with a link: shown in place of the stored
  // code, run only when the student presses Check.
  open(name, { focus = false, code = "" } = {}) {
    if (!this.names.includes(name)) return;
    if (name === this.shown && !code) {
      // open already: keep what the editor holds (code that came with a link included)
      if (focus) this.editor.focus();
      return;
    }
    if (code) this.linked = { name, code };
    this.current = name;
    this.onOpen(name);
    for (const [other, button] of Object.entries(this.tabButtons)) {
      if (other === name) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    }
    if (this.pythonReady) this.startSandbox();
    if (!this.catalogue) {
      this.body.replaceChildren(el("p", { className: "hint", role: "status" }, t("exercise-panel.starting")));
      this.wantFocus = focus;
      return;
    }
    this.show(name, focus);
  }

  // The training worker is ready: the catalogue comes from it (no code of anyone's runs to make
  // it). An exercise opened by the link starts the sandbox only now, so two Pythons never compete
  // for the CPU while the page starts.
  pageReady() {
    this.pythonReady = true;
    if (!this.catalogue) {
      this.call("exercise_catalogue").then(({ exercises }) => this.ready(exercises)).catch((error) => this.checkerFailed(error.message));
    }
    if (this.current) this.startSandbox();
  }

  // The sandbox's Python, started if it is not running (or stopped, or failed to start).
  startSandbox() {
    if (!this.sandbox.worker || this.sandbox.failed) this.sandbox.start();
  }

  ready(exercises) {
    this.catalogue = Object.fromEntries(exercises.map((entry) => [entry.name, entry]));
    if (this.current) this.show(this.current, this.wantFocus);
  }

  // The sandbox (or the catalogue) did not start: say so, and let the student try again (the page
  // keeps working).
  checkerFailed(reason) {
    if (this.catalogue) return; // the open exercise's result says it
    this.shown = null;
    const again = el("button", { type: "button", className: "button small" }, t("exercise-panel.try-again"));
    again.addEventListener("click", () => this.open(this.current, { focus: true }));
    this.body.replaceChildren(el("p", { className: "result-error", role: "alert" }, reason), again);
  }

  show(name, focus) {
    this.shown = name;
    const entry = this.catalogue[name];
    const index = this.names.indexOf(name) + 1;
    const title = el("h3", { className: "exercise-title" }, `${index}. ${entry.title} — `);
    title.append(el("code", {}, `${name}`));
    const maths = this.mathsBlock(name, entry);
    const editorBox = el("div", { className: "exercise-editor" });
    const keys = el("p", { className: "hint" }, t("exercise-panel.keys"));
    const actions = el("div", { className: "exercise-actions" });
    this.checkButton = el("button", { type: "button", className: "button primary", testid: "exercise-check" }, t("exercise-panel.check"));
    const reset = el("button", { type: "button", className: "button small", testid: "exercise-reset" }, t("exercise-panel.reset"));
    const solution = el("button", { type: "button", className: "button small", testid: "exercise-solution" }, t("exercise-panel.solution"));
    const share = el("button", { type: "button", className: "button small", testid: "exercise-link" }, t("exercise-panel.share"));
    actions.append(this.checkButton, reset, solution, share);
    if (entry.from_derivation) {
      const derived = el("button", { type: "button", className: "button small", testid: "exercise-use-derivation" }, t("exercise-panel.use-derivation"));
      derived.addEventListener("click", () => this.useDerivation(entry));
      actions.append(derived);
    }
    if (this.assignment?.solutions === "off") solution.remove();
    this.result = el("div", { className: "exercise-result", testid: "exercise-result", "aria-live": "polite" });
    this.body.replaceChildren(title, el("p", {}, entry.intro), maths, editorBox, keys, actions, this.result);

    const saved = this.stored(name);
    const linked = this.linked?.name === name ? this.linked.code : null;
    this.linked = null;
    // A link's code never takes the place of the student's own: that is kept as `earlier`, one
    // click away, until they bring it back.
    const own = saved?.earlier ?? (saved && saved.code !== entry.skeleton && saved.code !== linked ? saved.code : null);
    this.earlier = linked !== null || saved?.earlier ? own : null;
    this.editor = this.createEditor({
      parent: editorBox,
      doc: linked ?? saved?.code ?? entry.skeleton,
      label: linked !== null ? t("exercise-panel.editor-linked", { name }) : t("exercise-panel.editor", { name }),
      onChange: (code) => this.store(name, { code, passed: this.passedSource(name), ...(this.earlier === null ? {} : { earlier: this.earlier }) }),
    });
    this.checkButton.addEventListener("click", () => this.check());
    reset.addEventListener("click", () => {
      this.editor.set(entry.skeleton);
      this.result.replaceChildren(el("p", { className: "hint" }, t("exercise-panel.reset-done")));
      delete this.result.dataset.status;
    });
    solution.addEventListener("click", () => {
      this.log?.note(name, "solution");
      this.editor.set(entry.solution);
      this.result.replaceChildren(el("p", { className: "hint" },
        t("exercise-panel.solution-shown")));
      delete this.result.dataset.status;
    });
    share.addEventListener("click", () => this.share(name));
    if (linked !== null || this.earlier !== null) this.showLinked(name, linked !== null);
    this.checkButton.disabled = this.checking;
    if (focus) this.editor.focus();
  }

  // The editor holds a link's code: say so, and offer the student's own code back when there is one.
  showLinked(name, fresh) {
    const note = el("div", { className: "exercise-linked", testid: "exercise-linked" });
    if (fresh) note.append(el("p", { className: "hint" }, t("exercise-panel.linked")));
    if (this.earlier !== null) {
      const back = el("button", { type: "button", className: "button small", testid: "exercise-earlier" }, t("exercise-panel.earlier"));
      back.addEventListener("click", () => {
        const code = this.earlier;
        this.earlier = null;
        this.editor.set(code);
        this.store(name, { code, passed: this.passedSource(name) });
        this.result.replaceChildren(el("p", { className: "hint" }, t("exercise-panel.earlier-back")));
      });
      const line = el("p", { className: "hint" }, `${t("exercise-panel.earlier-kept")} `);
      line.append(back);
      note.append(line);
    }
    this.result.replaceChildren(note);
  }

  // The equations, typeset (web/inside/typeset.js, loaded now: not on the way to Ready), each with its text
  // as the alternative; with equations=ask hidden behind "Show the equations" until asked, each
  // request kept (STORED.equationsAsked, for the classroom's hand-in).
  mathsBlock(name, entry) {
    const box = el("div", { className: "exercise-maths", testid: "exercise-maths", role: "group", "aria-label": t("exercise-panel.equations") });
    const lines = entry.equations.map((text) => el("div", { className: "exercise-equation" }, text));
    box.append(...lines);
    const typeset = () => import("../inside/typeset.js").then(({ renderMaths }) => {
      lines.forEach((line, i) => { if (entry.tex?.[i]) renderMaths(line, entry.tex[i], entry.equations[i], { display: true }); });
    }).catch(() => {}); // the text stays
    if (!this.asking() || this.asked()[name]) {
      typeset();
      return box;
    }
    box.hidden = true;
    const show = el("button", { type: "button", className: "button small", testid: "exercise-show-equations" }, t("exercise-panel.show-equations"));
    show.addEventListener("click", () => {
      try {
        this.storage?.setItem(STORED.equationsAsked, JSON.stringify({ ...this.asked(), [name]: new Date().toISOString() }));
      } catch {
        // storage full or blocked: shown, not recorded
      }
      box.hidden = false;
      show.remove();
      typeset();
      this.log?.changed();
      box.setAttribute("tabindex", "-1");
      box.focus();
    });
    const wrap = el("div", { className: "exercise-maths-ask" });
    wrap.append(el("p", { className: "hint" }, t("exercise-panel.equations-hidden")), show, box);
    return wrap;
  }

  // equations=ask, from the hash or from an assignment link.
  asking() {
    return this.equations() === "ask" || this.assignment?.equations === "ask";
  }

  // The exercises whose equations the student asked for: { name: when }.
  asked() {
    try {
      const value = JSON.parse(this.storage?.getItem(STORED.equationsAsked) ?? "null");
      return value && typeof value === "object" ? value : {};
    } catch {
      return {};
    }
  }

  // "Use my derivation": the editor gets the exercise's code built from the steps the student
  // derived (web/teaching/deriveview.js's store); the steps still to derive are named instead.
  useDerivation(entry) {
    const { source, missing } = fillDerivation(entry.from_derivation, storedDerivation(this.storage).passed);
    delete this.result.dataset.status;
    if (missing.length) {
      this.result.replaceChildren(el("p", { className: "hint", testid: "exercise-derivation-missing" },
        t("exercise-panel.derive-first", { steps: missing.join(", ") })));
      return;
    }
    this.editor.set(source);
    this.result.replaceChildren(el("p", { className: "hint" },
      t("exercise-panel.derivation-used")));
  }

  // A link that opens this exercise with the editor's code in it (state.js's code=…).
  async share(name) {
    const link = new URL(location.href);
    link.hash = `${location.hash.replace(/^#/, "").split("&").filter((part) => !/^(exercise|code)=/.test(part)).join("&")}` +
      `&exercise=${name}&code=${encodeURIComponent(this.editor.text)}`;
    const text = link.href.replace("#&", "#");
    const note = el("p", { className: "hint" });
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = t("exercise-panel.link-copied");
    } catch {
      note.textContent = t("exercise-panel.copy-this");
      note.append(el("code", { className: "share-link" }, text));
    }
    delete this.result.dataset.status;
    this.result.replaceChildren(note);
  }

  // --- checking ---------------------------------------------------------------------------------

  async check() {
    if (this.checking || !this.editor) return;
    const name = this.current;
    const source = this.editor.text;
    this.checking = true;
    this.checkButton.disabled = true;
    this.editor.mark(null);
    this.result.setAttribute("aria-busy", "true");
    // While the sandbox's Python starts, the result says so; the check's own time counts once the
    // code is sent to it (data-status "starting", then "running").
    const running = (status, id) => {
      if (name !== this.current || !this.checking) return;
      this.result.dataset.status = status;
      this.result.replaceChildren(el("p", { className: "hint" }, t(id)));
    };
    running(this.sandbox.ready ? "running" : "starting", this.sandbox.ready ? "exercise-panel.checking" : "exercise-panel.checker-starting");
    const result = await this.checkInSandbox(name, source, () => running("running", "exercise-panel.checking"));
    this.results[name] = result;
    this.log?.note(name, "check");
    this.checking = false;
    this.result.removeAttribute("aria-busy");
    if (name !== this.current) return; // another exercise was opened meanwhile
    this.checkButton.disabled = false;
    this.showResult(result);
    if (result.status === "pass" || this.passedSource(name) !== null) {
      this.store(name, { code: this.editor.text, passed: result.status === "pass" ? source : this.passedSource(name) });
    }
    this.showProgress();
    if (result.status === "pass" && this.training) this.sendCode();
  }

  // pynn.page.judge's result for `source`: run in the sandbox, judged in the training worker
  // (web/start/checking.js); a run past CHECK_TIMEOUT_MS stops the sandbox (a fresh one starts) and
  // answers `timeout`. The class view checks every hand-in through here too.
  async checkInSandbox(name, source, onRunning = null) {
    try {
      return await checkExercise({ page: this.call, sandbox: this.sandbox, name, source, timeoutMs: CHECK_TIMEOUT_MS, onRunning });
    } catch (error) {
      return { name, status: "error", checks: [], flags: [], error: { message: t("exercise-panel.check-broke", { error: String(error.message ?? error) }), line: null } };
    }
  }

  showResult(result) {
    this.result.dataset.status = result.status;
    const counted = result.total ? t("exercise-panel.counted", { passed: result.passed, total: result.total }) : "";
    const head = el("p", { className: `result-head status-${result.status}` }, `${Object.hasOwn(STATUS_TEXT, result.status) ? t(STATUS_TEXT[result.status]) : result.status}${counted}`);
    const parts = [head];
    if (result.error) {
      const said = result.error.line ? t("exercise-panel.error-line", { line: result.error.line, error: result.error.message })
        : result.error.message;
      parts.push(el("p", { className: "result-error", testid: "exercise-error" }, said));
      if (result.error.line) this.editor.mark(result.error.line);
    }
    if (result.checks?.length) {
      const list = el("ul", { className: "result-checks" });
      for (const line of result.checks) {
        const [kind, mark, said] = line.passed ? ["check-ok", "✓", t("exercise-panel.check-passed")]
          : line.skipped ? ["check-skip", "–", t("exercise-panel.check-skipped")] : ["check-bad", "✗", t("exercise-panel.check-failed")];
        const item = el("li", { className: kind });
        item.dataset.check = line.name;
        item.append(el("span", { className: "mark", "aria-label": said }, mark), el("strong", {}, ` ${line.name}: `), line.message);
        list.append(item);
      }
      parts.push(list);
    }
    if (result.flags?.length) parts.push(this.flagNotice(result.flags));
    if (result.status === "pass") {
      const next = this.names[this.names.indexOf(result.name) + 1];
      parts.push(el("p", { className: "hint" }, next ? t("exercise-panel.well-done", { next }) : t("exercise-panel.all-done")));
    }
    this.result.replaceChildren(...parts);
  }

  // What the static look at the code found (pynn.page.codeflags): the same words the teacher's class
  // view shows beside the cell.
  flagNotice(flags) {
    const notice = el("div", { className: "result-flags", testid: "exercise-flags", role: "note" });
    notice.dataset.flags = flags.join(" ");
    notice.append(el("p", {}, t("exercise-panel.flags")));
    const list = el("ul", {});
    for (const code of flags) list.append(el("li", {}, TABLE.code_flags[code] ? t(TABLE.code_flags[code]) : code));
    notice.append(list);
    return notice;
  }

  // --- training with your code --------------------------------------------------------------------

  sources() {
    const sources = {};
    for (const name of EXERCISES) {
      const source = this.passedSource(name);
      if (source !== null) sources[name] = source;
    }
    return sources;
  }

  async setTraining(on) {
    this.trainButton.disabled = true;
    try {
      const answer = on ? await this.yourCode.on(this.sources()) : await this.yourCode.off();
      this.training = on;
      this.trainButton.setAttribute("aria-pressed", String(on));
      this.badge.hidden = !on;
      this.badge.title = on ? t("exercise-panel.badge-title", { names: answer.using.join(", ") }) : "";
    } catch (error) {
      this.showMessages([t("exercise-panel.train-failed", { error: error.message })], "error");
    } finally {
      this.showProgress();
    }
  }

  async sendCode() {
    await this.setTraining(true);
  }

  // Training left the sandbox without being asked (the sandbox stopped: an endless loop, a crash):
  // say why; the net trains on with pynn's code.
  trainingLeft(reason) {
    this.showMessages([t("exercise-panel.train-stopped", { reason })], "error");
    this.trainingRestarted();
  }

  // The training worker was started again: it trains with pynn's code.
  trainingRestarted() {
    this.training = false;
    this.trainButton.setAttribute("aria-pressed", "false");
    this.badge.hidden = true;
    this.showProgress();
  }
}

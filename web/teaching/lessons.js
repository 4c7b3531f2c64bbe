// The lessons (`lesson=NAME` in the hash, or the Lessons list in the header): predict, run, explain.
// The catalogue is Python's (pynn/page/lessons.py, in dist/settings.js as TABLE.lessons); this module
// only shows it. A lesson sets the page up with one click (also a link), asks its question, keeps
// Run disabled until a prediction is picked (kept in localStorage), then runs the lesson in Python
// (Session.lesson_run: a fresh net from the seed trained for the lesson's epochs) and shows the
// explanation Python built from that run's numbers, then the follow-up.
// Text from the catalogue or the worker reaches the page through textContent only.

import { el } from "../dom.js";
import { t } from "../lang/text.js";
import { STORED } from "../start/storage.js";

// The predictions kept in `storage` ({} when there are none or storage refuses).
export function keptPredictions(storage, key = STORED.lessons) {
  try {
    const kept = JSON.parse(storage?.getItem(key) ?? "{}");
    return kept && typeof kept === "object" && !Array.isArray(kept) ? kept : {};
  } catch {
    return {};
  }
}

// `kept` with the prediction `choice` for `name`, written back to `storage` (best effort).
export function keepPrediction(storage, kept, name, choice, key = STORED.lessons) {
  const next = { ...kept, [name]: choice };
  try {
    storage?.setItem(key, JSON.stringify(next));
  } catch {
    // without storage the prediction lasts until the page is closed
  }
  return next;
}

// The lessons run, kept in `storage`: { name: the prediction the first run was made with }.
export function keptRuns(storage) {
  return keptPredictions(storage, STORED.lessonRuns);
}

// `runs` with the run of `name` made with `choice`, kept; the first run's prediction stays (the one
// made before the student saw anything).
export function keepRun(storage, runs, name, choice) {
  return Object.hasOwn(runs, name) ? runs : keepPrediction(storage, runs, name, choice, STORED.lessonRuns);
}

// The hand-in's "lessons" (pynn/page/handin.py): { name: { prediction, ran } } for each of `names`
// (an assignment's lessons) known in `lessons` and predicted; the prediction is the one the first
// run was made with, else the one picked now. (One not predicted yet is left out: it says no more.)
export function lessonsHandIn(names, lessons, kept, runs) {
  const entries = {};
  for (const name of names) {
    const lesson = lessons.find((item) => item.name === name);
    if (!lesson) continue;
    const ranWith = predictionOf(runs, lesson);
    const prediction = ranWith ?? predictionOf(kept, lesson);
    if (prediction !== null) entries[name] = { prediction, ran: ranWith !== null };
  }
  return entries;
}

// The prediction kept for `lesson`, or null when none (or one that is not a choice of it).
export function predictionOf(kept, lesson) {
  const choice = kept[lesson.name];
  return Number.isInteger(choice) && choice >= 0 && choice < lesson.choices.length ? choice : null;
}

export class LessonPanel {
  // page: { call(method, args), took(result), progress(result), wanted(now), pause(), setView(patch),
  //         serialise(settings, view), settings(), showMessages(lines, kind) }; assigned: an
  // assignment's lessons (marked in the list); onChange(): after a prediction is picked or a run
  // ends (the hand-in's preview follows).
  // home: on an assignment's page (web/classroom/classroom.js), { settings(): the setup its link set
  // (null when unknown), arrive(): the student brought to the assignment }; leaving a lesson goes
  // back to that setup. Without one (null), the page keeps the lesson's setup as the lesson leaves it.
  constructor({ root, menu, lessons, page, assigned = [], onChange = () => {}, storage = globalThis.localStorage, home = null }) {
    this.root = root;
    this.menu = menu;
    this.lessons = lessons;
    this.page = page;
    this.assigned = assigned;
    this.onChange = onChange;
    this.storage = storage;
    this.kept = keptPredictions(storage);
    this.runs = keptRuns(storage);
    this.home = home;
    this.name = "";
    this.running = false;
    this.fillMenu();
    // A menu: Escape or a click elsewhere closes it.
    this.menu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !this.menu.open) return;
      this.menu.open = false;
      this.menu.querySelector("summary").focus();
    });
    document.addEventListener("click", (event) => {
      if (this.menu.open && !this.menu.contains(event.target)) this.menu.open = false;
    });
  }

  // The page's language changed: the list and the open lesson said in it; a run's explanation
  // already shown stays as Python said it, until the next run.
  languageChanged() {
    this.fillMenu();
    if (!this.name) return;
    const { status, explain, followUp } = this.parts;
    this.render();
    if (!explain.hidden) {
      this.parts.status.textContent = status.textContent;
      this.parts.explain.replaceWith(explain);
      this.parts.explain = explain;
      this.parts.followUp.hidden = followUp.hidden;
    }
  }

  // The hand-in's "lessons" for the assignment's lessons.
  handIn(names = this.assigned) {
    return lessonsHandIn(names, this.lessons, this.kept, this.runs);
  }

  lesson(name = this.name) {
    return this.lessons.find((lesson) => lesson.name === name) ?? null;
  }

  // An assignment's lessons, for its title area: each a link that opens it (as the list's do).
  assignedList() {
    const line = el("p", "assignment-lessons hint");
    line.dataset.testid = "assignment-lessons";
    line.append(t("lesson-panel.assigned-list"));
    this.assigned.forEach((name, i) => {
      const lesson = this.lesson(name);
      if (!lesson) return;
      const link = el("a", "", t(lesson.title));
      link.href = this.link(lesson);
      link.dataset.lesson = name;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.open(name);
      });
      line.append(...(i ? [", "] : []), link);
    });
    return line;
  }

  // The address of a lesson's setup with the lesson open (in the page's language when the address
  // names one): what the setup link and the list point to.
  link(lesson) {
    return `#${this.page.serialise(lesson.settings, { lesson: lesson.name, lang: this.page.view().lang })}`;
  }

  fillMenu() {
    const list = el("ol", "lessons-list");
    for (const lesson of this.lessons) {
      const link = el("a", "", t(lesson.title));
      link.href = this.link(lesson);
      link.dataset.lesson = lesson.name;
      if (this.assigned.includes(lesson.name)) {
        link.classList.add("assigned");
        link.append(el("span", "lesson-assigned", t("lesson-panel.assigned")));
      }
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.menu.open = false;
        this.open(lesson.name);
      });
      const item = el("li");
      item.append(link);
      list.append(item);
    }
    this.menu.querySelector(".lessons-list")?.remove();
    this.menu.append(list);
    if (this.assigned.length) this.menu.querySelector("summary")?.append(t("lesson-panel.assigned-count", { n: this.assigned.length }));
  }

  // After each hash read (main.js applyHash): the view's `lesson`, "" for none. Over the default
  // setup (a bare `#lesson=NAME`) the lesson is set up, so the controls show what its question
  // says; a setup of a link's own is kept (a follow-up's change survives a reload).
  show(name, { setUp = this.atDefaults() } = {}) {
    if (name === this.name) return; // the same lesson stays as it is, its explanation included
    this.name = this.lesson(name) ? name : "";
    this.root.hidden = !this.name;
    if (!this.name) return;
    this.render();
    if (setUp) this.setUpShown();
  }

  // The page's setup is the defaults: nothing a link or the student chose.
  atDefaults() {
    const settings = this.page.settings?.() ?? {};
    return Object.entries(this.page.table?.fields ?? {}).every(([key, field]) => settings[key] === field.default);
  }

  // From the Lessons list (whose links carry the lesson's setup): open it, set up.
  open(name) {
    this.page.setView({ lesson: name });
    this.show(name, { setUp: true });
    this.root.querySelector("h2")?.focus();
  }

  setUpShown() {
    this.setUp().catch((error) => {
      if (this.parts) this.parts.status.textContent = t("lesson-panel.set-up-failed", { error: error.message });
    });
  }

  // The lesson left (closed, or done on an assignment's page): the assignment's setup again.
  close() {
    this.page.setView({ lesson: "" });
    this.show("");
    this.goHome().catch((error) => this.page.showMessages([t("lesson-panel.set-up-failed", { error: error.message })], "error"));
  }

  // Done with the lesson: back at the assignment, with its setup.
  done() {
    this.close();
    this.home.arrive();
  }

  // A fresh net from the assignment's setup, unless the page holds that setup already.
  async goHome() {
    const settings = this.home?.settings();
    const now = this.page.settings();
    if (!settings || Object.keys(settings).every((key) => settings[key] === now[key])) return;
    await this.setUp(settings);
  }

  // A fresh net from the lesson's setup and seed (or `settings`): configure, and reset when the
  // settings were the same already (configure then keeps the net).
  async setUp(settings = this.lesson().settings) {
    this.page.pause();
    let result = await this.page.call("configure", { settings });
    if (!result.fresh) result = await this.page.call("reset");
    this.page.took(result);
  }

  async run() {
    const lesson = this.lesson();
    const choice = predictionOf(this.kept, lesson);
    if (choice === null || this.running) return;
    this.running = true;
    this.parts.run.disabled = true;
    this.parts.status.textContent = t("lesson-panel.running", { epochs: lesson.epochs });
    this.parts.explain.replaceChildren();
    this.parts.followUp.hidden = true;
    try {
      await this.setUp();
      // the open panels' pictures come with the answer: they show the net that ran as it is explained
      const result = await this.page.call("lesson_run", { name: lesson.name, choice, ...this.page.wanted(true) });
      this.runs = keepRun(this.storage, this.runs, lesson.name, choice);
      this.onChange();
      if (this.name !== lesson.name) return; // another lesson was opened meanwhile
      this.page.progress(result);
      this.showExplanation(result);
    } catch (error) {
      if (this.name === lesson.name) this.parts.status.textContent = t("lesson-panel.run-failed", { error: error.message });
    } finally {
      this.running = false;
      if (this.parts && this.name === lesson.name) this.parts.run.disabled = predictionOf(this.kept, lesson) === null;
    }
  }

  showExplanation(result) {
    const { numbers } = result;
    this.parts.status.textContent = numbers.diverged_at == null // Python's None arrives as undefined
      ? t("lesson-panel.ran", { epochs: numbers.epochs, updates: numbers.updates })
      : t("lesson-panel.diverged", { epoch: numbers.diverged_at });
    this.parts.explain.replaceChildren(...result.explanation.map((text) => el("p", "", text)));
    this.parts.explain.hidden = false;
    this.parts.followUp.hidden = false;
    this.parts.explain.scrollIntoView?.({ block: "nearest" });
  }

  pick(choice) {
    this.kept = keepPrediction(this.storage, this.kept, this.name, choice);
    this.onChange();
    this.parts.status.textContent = "";
    if (!this.running) this.parts.run.disabled = false;
  }

  // On an assignment's page, after the run: the way back to the assignment and its setup.
  doneButton() {
    const done = el("button", "button small", t("lesson-panel.done"));
    done.type = "button";
    done.dataset.testid = "lesson-done";
    done.addEventListener("click", () => this.done());
    return done;
  }

  render() {
    const lesson = this.lesson();
    const index = this.lessons.indexOf(lesson) + 1;
    const title = el("h2", "lesson-title", t("lesson-panel.title", { index, count: this.lessons.length, title: t(lesson.title) }));
    title.id = "lesson-title";
    title.tabIndex = -1;
    const close = el("button", "button small quiet", "×");
    close.type = "button";
    close.setAttribute("aria-label", t("lesson-panel.close"));
    close.dataset.testid = "lesson-close";
    close.addEventListener("click", () => this.close());
    const head = el("div", "lesson-head");
    head.append(title, close);

    const setUp = el("button", "button small", t("lesson-panel.set-up"));
    setUp.type = "button";
    setUp.title = t("lesson-panel.set-up-help");
    setUp.dataset.testid = "lesson-setup";
    setUp.addEventListener("click", () => this.setUpShown());
    const link = el("a", "lesson-link", t("lesson-panel.link"));
    link.href = this.link(lesson);
    link.dataset.testid = "lesson-link";
    link.addEventListener("click", (event) => {
      event.preventDefault(); // the same as the button here; the address is for sharing
      setUp.click();
    });
    const setup = el("p", "lesson-setup");
    setup.append(setUp, link);

    const question = el("p", "lesson-question", t(lesson.question));
    question.id = "lesson-question";
    question.dataset.testid = "lesson-question";
    const predict = el("fieldset", "lesson-predict");
    predict.setAttribute("role", "radiogroup");
    predict.dataset.testid = "lesson-predict";
    predict.setAttribute("aria-describedby", question.id);
    predict.append(el("legend", "", t("lesson-panel.predict")));
    const chosen = predictionOf(this.kept, lesson);
    lesson.choices.forEach((key, choice) => {
      const radio = el("input");
      radio.type = "radio";
      radio.name = `lesson-${lesson.name}`;
      radio.value = String(choice);
      radio.checked = choice === chosen;
      radio.addEventListener("change", () => radio.checked && this.pick(choice));
      const label = el("label", "lesson-choice");
      label.append(radio, el("span", "", t(key)));
      predict.append(label);
    });
    const run = el("button", "button primary", t("lesson-panel.run", { epochs: lesson.epochs }));
    run.type = "button";
    run.dataset.testid = "lesson-run";
    run.disabled = chosen === null || this.running;
    run.addEventListener("click", () => this.run());
    const status = el("p", "lesson-status hint");
    status.setAttribute("role", "status");
    status.dataset.testid = "lesson-status";
    status.textContent = chosen === null ? t("lesson-panel.pick") : "";
    const runRow = el("div", "lesson-run");
    runRow.append(run, status);

    const explain = el("div", "lesson-explain");
    explain.dataset.testid = "lesson-explain";
    explain.setAttribute("aria-live", "polite");
    explain.hidden = true;
    const followUp = el("p", "lesson-follow-up");
    followUp.dataset.testid = "lesson-follow-up";
    followUp.append(el("b", "", t("lesson-panel.then-try")), t(lesson.follow_up));
    if (this.home) followUp.append(" ", this.doneButton());
    followUp.hidden = true;
    const write = el("div", "lesson-write"); // the printed worksheet's space to write
    write.append(el("p", "lesson-name", t("print.worksheet-name")), el("p", "", t("print.worksheet-why")),
      el("p", "", t("print.worksheet-showed")));

    this.parts = { run, status, explain, followUp };
    this.root.replaceChildren(head, setup, question, predict, runRow, explain, followUp, write);
  }
}

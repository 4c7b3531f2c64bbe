// The guided tour (`tour` in the hash, or the Tour button): an introduction of the page, one part
// of it per step (outlined and scrolled into view), ending in the lessons, where the experiments
// are. The steps are Python's (pynn/page/tour.py, in dist/settings.js as TABLE.tour.cards); a step
// with a setup sets the page up with one click (it sets the hash, so the setup is also a link): a
// fresh net from the seed at epoch 0, playing. Plus the first-visit hint, which says what to do
// first and is gone once played or dismissed. Text from the table reaches the page by textContent.
import { t } from "../lang/text.js";
import { STORED } from "../start/storage.js";
import { PACES } from "../training/speed.js";

// A newcomer's first Play: SGD updates a second at which the default spiral's boundary takes shape
// over 10–20 s (about 1,200 updates to 0.9, 2,000 to 0.97) instead of being over in a second.
export const WATCHABLE_RATE = 100;

// The settings a step's "Set it up and play" starts from: its setup (the page fills the rest with
// the defaults); null for a step without one.
export function stepSettings(steps, step) {
  const setup = steps[step - 1]?.setup;
  return setup ? { ...setup } : null;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class Tour {
  // page: { view(), setView(patch), startFresh(settings, view), play: the play button, readouts };
  // steps: TABLE.tour.cards; lessons: the LessonPanel (web/teaching/lessons.js) the last step opens.
  // speed: the speed slider, slowed to WATCHABLE_RATE on a first visit that came without a link.
  constructor({ root, openButton, page, hint, hintTour, hintClose, tagline, steps, speed = null, lessons = null, storage = globalThis.localStorage }) {
    this.root = root;
    this.page = page;
    this.steps = steps;
    this.lessons = lessons;
    this.step = 0;
    this.target = null; // the part of the page the step points at (outlined)
    this.hint = hint;
    this.tagline = tagline;
    this.storage = storage;
    openButton.addEventListener("click", () => this.open(this.step || 1));
    hintTour.addEventListener("click", () => {
      this.dismissHint();
      this.open(1);
    });
    hintClose.addEventListener("click", () => this.dismissHint());
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !root.hidden) this.close();
    });
    page.play.addEventListener("click", () => this.dismissHint());
    let seen = true;
    try {
      seen = storage?.getItem(STORED.seen) === "1";
    } catch {
      seen = false; // storage refused (private mode): show the hint, it is dismissed per visit
    }
    if (!seen) {
      hint.hidden = false;
      // keeps its space: the hint lies over it (on a phone it has room of its own from the first
      // paint, web/boot.js's data-first-visit), nothing moves when it goes
      tagline.classList.add("covered");
      if (speed && !globalThis.location?.hash.replace(/^#/, "")) this.slowFirstPlay(speed);
    }
  }

  // The first visit's Play at a pace to watch, full speed one click away (a button beside the
  // slider, gone once the speed is changed either way). A link keeps the speed it always had.
  slowFirstPlay(speed) {
    speed.value = String(PACES.indexOf(WATCHABLE_RATE));
    speed.dispatchEvent(new Event("input"));
    const full = el("button", "button small quiet speed-full", t("tour.full-speed"));
    full.type = "button";
    full.dataset.testid = "speed-full";
    full.title = t("tour.full-speed-help", { rate: WATCHABLE_RATE });
    const done = () => {
      full.remove();
      speed.removeEventListener("input", done);
    };
    full.addEventListener("click", () => {
      speed.value = speed.max;
      speed.dispatchEvent(new Event("input"));
      speed.focus();
    });
    speed.addEventListener("input", done);
    (speed.closest("label") ?? speed).after(full);
  }

  dismissHint() {
    if (this.hint.hidden) return;
    this.hint.hidden = true;
    this.tagline.classList.remove("covered");
    try {
      this.storage?.setItem(STORED.seen, "1");
    } catch {
      // without storage the hint comes back on the next visit; nothing else depends on it
    }
  }

  // After each hash read (main.js applyHash): the view's `tour` is the step to show, 0 for none.
  show(step) {
    this.step = step;
    this.root.hidden = step === 0;
    this.point(step ? this.steps[step - 1].target : null);
    if (step) this.render();
    this.place();
  }

  // On a wide screen the card floats at the bottom, at the reading's end (right; left in Arabic);
  // where it would cover the part the step is about, and that part lies on the card's side, it
  // floats at the reading's start instead (teach.css).
  place() {
    this.root.classList.remove("tour-start");
    if (!this.target || this.root.hidden) return;
    const card = this.root.getBoundingClientRect();
    const part = this.target.getBoundingClientRect();
    const meet = card.left < part.right && part.left < card.right && card.top < part.bottom && part.top < card.bottom;
    const right = (box) => box.left + box.width / 2 > innerWidth / 2;
    if (meet && right(part) === right(card)) this.root.classList.add("tour-start");
  }

  // Outline the step's part of the page (none: no outline).
  point(selector) {
    this.target?.classList.remove("tour-target");
    this.target = selector ? document.querySelector(selector) : null;
    this.target?.classList.add("tour-target");
  }

  open(step) {
    this.dismissHint();
    this.page.setView({ tour: step });
    this.show(step);
    this.root.querySelector("h2")?.focus({ preventScroll: true });
    // The part the step is about in view (on a phone above the sheet: phone.css gives it a scroll
    // margin the sheet's height); nothing moves when it is in view already.
    if (this.target?.getClientRects().length) this.target.scrollIntoView({ block: "nearest" });
    this.place();
  }

  // After a setup, the readouts in view: above the card (on a phone, a sheet along the bottom:
  // phone.css gives them a scroll margin its height); nothing moves when they are in view already.
  showAnswers() {
    this.page.readouts?.scrollIntoView({ block: "nearest" });
  }

  close() {
    this.page.setView({ tour: 0 });
    this.show(0);
  }

  // The step's settings, a fresh net from the seed at epoch 0, playing: whatever changed (a live
  // learning rate or batch size too); the page does it in one go, nothing is left waiting.
  setUp() {
    this.page.startFresh(stepSettings(this.steps, this.step), { ...this.page.view(), tour: this.step });
    this.showAnswers();
  }

  // The last step's way on: the tour closes and the first lesson (or the list) opens.
  openLesson(name) {
    this.close();
    this.lessons.open(name);
  }

  showList(event) {
    event.stopPropagation(); // the menu closes on a click outside it: this one opens it
    this.close();
    this.lessons.menu.open = true;
    this.lessons.menu.querySelector("summary")?.focus();
  }

  render() {
    const step = this.steps[this.step - 1];
    const last = this.steps.length;
    const title = el("h2", "tour-title", t("tour.title", { step: this.step, count: last, title: t(step.title) }));
    title.id = "tour-title";
    title.tabIndex = -1;
    const actions = [];
    if (step.setup) {
      const setUp = el("button", "button primary", t("tour.set-up"));
      setUp.type = "button";
      setUp.dataset.testid = "tour-setup";
      setUp.addEventListener("click", () => this.setUp());
      actions.push(setUp);
    }
    if (step.lessons && this.lessons?.lessons.length) {
      const first = this.lessons.lessons[0];
      const start = el("button", "button primary", t("tour.first-lesson", { title: t(first.title) }));
      start.type = "button";
      start.dataset.testid = "tour-lesson";
      start.addEventListener("click", () => this.openLesson(first.name));
      const list = el("button", "button small", t("tour.all-lessons"));
      list.type = "button";
      list.dataset.testid = "tour-lessons-list";
      list.addEventListener("click", (event) => this.showList(event));
      actions.push(start, list);
    }
    const question = el("p", "tour-question", t(step.question));
    question.dataset.testid = "tour-question";
    const back = el("button", "button small", t("tour.back"));
    back.type = "button";
    back.disabled = this.step === 1;
    back.addEventListener("click", () => this.open(this.step - 1));
    const next = el("button", "button small", this.step === last ? t("tour.finish") : t("tour.next"));
    next.type = "button";
    next.dataset.testid = "tour-next";
    next.addEventListener("click", () => (this.step === last ? this.close() : this.open(this.step + 1)));
    const close = el("button", "button small quiet", "×");
    close.type = "button";
    close.setAttribute("aria-label", t("tour.close"));
    close.dataset.testid = "tour-close";
    close.addEventListener("click", () => this.close());
    const head = el("div", "tour-head");
    head.append(title, close);
    // The step's words scroll between its head and its buttons, which stay in view whatever the
    // language's length (a phone's sheet is a third of the screen: teach.css).
    const body = el("div", "tour-body");
    body.append(el("p", "tour-text", t(step.text)), question);
    const nav = el("div", "tour-nav");
    nav.append(back, ...actions, next);
    this.root.replaceChildren(head, body, nav);
  }
}

// The guided tour (`tour` in the hash, or the Tour button): a few steps, each setting up the page
// with one click (it sets the hash, so the setup is also a link) and asking one question. Plus the
// first-visit hint, which says what to do first and is gone once played or dismissed.

const BASE = { dataset: "spiral", classes: 3, points: 300, noise: 0.1, split: 0.8, hidden: 32, lr: 0.5, batch: 10, wd: 0, seed: 1 };

export const STEPS = [
  {
    title: "One hidden unit",
    setup: { hidden: 1 },
    text: "The spiral with H = 1: one ReLU, one bend.",
    question: "How many straight edges can the boundary have with one hidden unit, and where does the accuracy stall?",
  },
  {
    title: "Enough hidden units",
    setup: { hidden: 64 },
    text: "The same spiral with H = 64.",
    question: "Point at the plane to see which units ReLU zeroes there: how do 64 straight bends add up to a curved boundary?",
  },
  {
    title: "A learning rate too large",
    setup: { hidden: 64, lr: 20 },
    text: "The same net with a learning rate of 20.",
    question: "Why does the loss go up instead of down when each step is this large?",
  },
  {
    title: "Batch 1: pure SGD",
    setup: { hidden: 64, lr: 0.1, batch: 1 },
    text: "Each update uses one random example (batch 1); the faint curve is each epoch, the bold one its average.",
    question: "Why do the faint curves jump about so much with one example per update?",
  },
  {
    title: "Batch 32",
    setup: { hidden: 64, lr: 0.1, batch: 32 },
    text: "Each update averages the gradient of 32 examples.",
    question: "The curves are smoother: does an epoch of batch 32 (fewer, averaged updates) get as far as an epoch of batch 1?",
  },
  {
    title: "Overfitting on few points",
    setup: { dataset: "moons", classes: 2, points: 40, noise: 0.35, hidden: 200, lr: 0.5, batch: 4, wd: 0 },
    text: "40 noisy points, H = 200, no weight decay: let it train a few hundred epochs.",
    question: "The training accuracy reaches 1: is the boundary one you would trust on new points?",
  },
  {
    title: "L2 against overfitting",
    setup: { dataset: "moons", classes: 2, points: 40, noise: 0.35, hidden: 200, lr: 0.5, batch: 4, wd: 0.01 },
    text: "The same points with L2 weight decay λ = 0.01.",
    question: "With every step pulling the weights towards 0, which boundary does better on the test points?",
  },
  {
    title: "Test below training",
    setup: { dataset: "circles", classes: 2, points: 100, noise: 0.5, split: 0.5, hidden: 100, lr: 0.5, batch: 10 },
    text: "Noisy circles, half the points held out as test points (hollow).",
    question: "Why is the test accuracy below the training one?",
  },
];

export function stepSettings(step) {
  return { ...BASE, ...STEPS[step - 1].setup };
}

const SEEN_KEY = "pynn.seen";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class Tour {
  // page: { view(), setView(patch), startFresh(settings, view), play: the play button, readouts }
  constructor({ root, openButton, page, hint, hintTour, hintClose, tagline, storage = globalThis.localStorage }) {
    this.root = root;
    this.page = page;
    this.step = 0;
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
      seen = storage?.getItem(SEEN_KEY) === "1";
    } catch {
      seen = false; // storage refused (private mode): show the hint, it is dismissed per visit
    }
    if (!seen) {
      hint.hidden = false;
      tagline.classList.add("covered"); // keeps its space: the hint lies over it, nothing moves when it goes
    }
  }

  dismissHint() {
    if (this.hint.hidden) return;
    this.hint.hidden = true;
    this.tagline.classList.remove("covered");
    try {
      this.storage?.setItem(SEEN_KEY, "1");
    } catch {
      // without storage the hint comes back on the next visit; nothing else depends on it
    }
  }

  // After each hash read (main.js applyHash): the view's `tour` is the step to show, 0 for none.
  show(step) {
    this.step = step;
    this.root.hidden = step === 0;
    if (step) this.render();
  }

  open(step) {
    this.dismissHint();
    this.page.setView({ tour: step });
    this.show(step);
    this.root.querySelector("h2")?.focus({ preventScroll: true });
    this.showAnswers();
  }

  // The readouts a step asks about in view: above the card (on a phone, a sheet along the bottom:
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
    this.page.startFresh(stepSettings(this.step), { ...this.page.view(), tour: this.step });
    this.showAnswers();
  }

  render() {
    const step = STEPS[this.step - 1];
    const title = el("h2", "tour-title", `Tour ${this.step}/${STEPS.length}: ${step.title}`);
    title.id = "tour-title";
    title.tabIndex = -1;
    const setUp = el("button", "button primary", "Set it up and play");
    setUp.type = "button";
    setUp.dataset.testid = "tour-setup";
    setUp.addEventListener("click", () => this.setUp());
    const question = el("p", "tour-question", step.question);
    question.dataset.testid = "tour-question";
    const back = el("button", "button small", "← Back");
    back.type = "button";
    back.disabled = this.step === 1;
    back.addEventListener("click", () => this.open(this.step - 1));
    const next = el("button", "button small", this.step === STEPS.length ? "Finish" : "Next →");
    next.type = "button";
    next.dataset.testid = "tour-next";
    next.addEventListener("click", () => (this.step === STEPS.length ? this.close() : this.open(this.step + 1)));
    const close = el("button", "button small quiet", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close the tour");
    close.dataset.testid = "tour-close";
    close.addEventListener("click", () => this.close());
    const head = el("div", "tour-head");
    head.append(title, close);
    const nav = el("div", "tour-nav");
    nav.append(back, setUp, next);
    this.root.replaceChildren(head, el("p", "tour-text", step.text), question, nav);
  }
}

// After divergence (Python's Session decides it and says what happened: the loss became infinite,
// or the mean loss stayed too high for several evaluations; one spike does not stop training) the
// net's weights are no use: Play and Step could only do nothing. This panel
// says so on the buttons (they are disabled, with the reason), makes Reset the button to press, and
// offers the fix in one click: a learning rate ten times smaller (a live setting, so the
// diverged net would keep it) and a fresh net.
import { t } from "../lang/text.js";

// Ten times smaller, two significant figures, never below `smallest` (the page table's
// fields.lr.min: pynn/page/settings.py owns it).
export function lowerRate(lr, smallest) {
  return Math.max(smallest, Number((lr / 10).toPrecision(2)));
}

export class DivergedState {
  // page: { settings(), showMessages(lines, kind), reset() }; smallest: the smallest learning rate.
  constructor({ buttons, lrBox, page, smallest }) {
    this.smallest = smallest;
    this.buttons = buttons;
    this.lrBox = lrBox;
    this.page = page;
    this.stuck = false;
    this.resetText = buttons.reset.textContent;
  }

  // A pause by the student's own code (Train with your code) is not divergence: its message says
  // what to fix, and Play stays usable once the code is checked again.
  update(message) {
    if (message.paused_by_code) this.page.showMessages([message.diverged], "error");
    const stuck = Boolean(message.diverged) && !message.paused_by_code;
    if (stuck === this.stuck) return;
    this.stuck = stuck;
    const { play, step, reset } = this.buttons;
    for (const button of [play, step]) {
      if (stuck) {
        button.disabled = true;
        button.title = t("lab.diverged.title");
      } else {
        button.removeAttribute("title");
      }
    }
    reset.classList.toggle("attention", stuck);
    reset.textContent = stuck ? t("lab.diverged.reset") : this.resetText;
    if (stuck) this.explain(message);
  }

  explain(message) {
    const lr = this.page.settings().lr;
    const lower = lowerRate(lr, this.smallest);
    this.page.showMessages(
      [
        t("lab.diverged.why", { reason: message.diverged, lr: String(lr) }),
        t("lab.diverged.fix", { lower: String(lower), reset: t("lab.diverged.reset") }),
      ],
      "error",
      { label: t("lab.diverged.use", { lower: String(lower) }), testid: "fix-lr", run: () => this.fix(lower) },
    );
  }

  fix(lower) {
    this.lrBox.value = String(lower);
    this.lrBox.dispatchEvent(new Event("change"));
    this.page.reset();
  }
}

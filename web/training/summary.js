// A text summary of the training for screen readers: epoch and accuracies in one polite live
// region, rewritten at most every SUMMARY_MS while training so it does not chatter, and at once
// when training stops (pause, a step, a new net), when the news matters.
import { number, t } from "../lang/text.js";

export const SUMMARY_MS = 5000;

function percent(value) {
  return Number.isFinite(value) ? t("lab.summary.percent", { percent: number(100 * value, 1) }) : t("lab.summary.unmeasured");
}

export function summaryText({ epoch, train_accuracy, test_accuracy, diverged }) {
  const last = (values) => (values && values.length ? values[values.length - 1] : NaN);
  // the epoch as the readout beside it shows it (web/training/view.js: its digits, no separators),
  // so that "Epoch 1234" is the same number in both
  const text = t("lab.summary", { epoch: String(epoch), train: percent(last(train_accuracy)), test: percent(last(test_accuracy)) });
  return diverged ? t("lab.summary.diverged", { summary: text }) : text;
}

export class Summary {
  constructor(region, isPlaying, now = () => performance.now()) {
    this.region = region;
    this.isPlaying = isPlaying;
    this.now = now;
    this.last = -Infinity;
    this.timer = null;
    this.latest = null;
  }

  update(message) {
    if (message.epoch === undefined || !message.train_accuracy) return;
    this.latest = message;
    const urgent = !this.isPlaying() || message.type === "configured" || message.diverged;
    const wait = this.last + SUMMARY_MS - this.now();
    clearTimeout(this.timer);
    if (urgent || wait <= 0) this.write();
    else this.timer = setTimeout(() => this.write(), wait);
  }

  write() {
    this.last = this.now();
    const text = summaryText(this.latest);
    if (this.region.textContent !== text) this.region.textContent = text;
  }
}

// The printed handout's setup: every setting with its label, and the link that opens the same
// setup. The element is hidden on screen; web/teaching/print.css shows it, and lays out the rest of the
// handout (the plane and its key, the curves, the equations, the open exercise) with no controls.

import { el } from "../dom.js";
import { t } from "../lang/text.js";

// The text of a setting's <label for=key>, without its range hint ("Learning rate").
function labelOf(key) {
  const label = document.querySelector(`label[for="${key}"]`);
  const first = label?.firstChild?.textContent?.trim();
  return first || key;
}

export class Handout {
  constructor(root, keys) {
    this.root = root;
    this.keys = keys;
  }

  show(settings, href) {
    const list = el("dl", "handout-settings");
    for (const key of this.keys) {
      const value = el("dd", "", String(settings[key]));
      value.dataset.key = key;
      list.append(el("dt", "", labelOf(key)), value);
    }
    const link = el("a", "", href);
    link.href = href;
    const line = el("p", "handout-link", t("print.this-setup"));
    line.append(link);
    this.root.replaceChildren(el("h2", "", t("print.setup")), list, line);
  }
}

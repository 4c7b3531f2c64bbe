// On a phone the settings come right after the plane, folded to one line that says the setup
// (phone.css shows the fold only on narrow screens; elsewhere the settings are always open).
import { t } from "../lang/text.js";

// "spiral · 3 classes · H 32 · lr 0.5 · batch 10": what the folded line says of the settings (the
// values as the address writes them).
export function foldSummary({ dataset, classes, hidden, lr, batch }) {
  return t("lab.settings.fold", { dataset, classes, hidden, lr: String(lr), batch: String(batch) });
}

export class SettingsFold {
  constructor({ button, summary, root }) {
    this.button = button;
    this.summary = summary;
    this.root = root;
    button.addEventListener("click", () => this.open(button.getAttribute("aria-expanded") !== "true"));
  }

  open(on) {
    this.button.setAttribute("aria-expanded", String(on));
    this.root.classList.toggle("open", on);
  }

  show(settings) {
    this.summary.textContent = foldSummary(settings);
  }
}

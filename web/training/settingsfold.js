// On a phone the settings come right after the plane, folded to one line that says the setup
// (phone.css shows the fold only on narrow screens; elsewhere the settings are always open).
import { numeral, t } from "../lang/text.js";

// "spiral · 3 classes · H 32 · lr 0.5 · batch 10": what the folded line says of the settings, the data
// set by its name (`name`: its name in the page's language), the numbers as the language writes them.
export function foldSummary({ dataset, classes, hidden, lr, batch }, name = (value) => value) {
  return t("lab.settings.fold", { dataset: name(dataset), classes, hidden, lr: numeral(String(lr)), batch });
}

export class SettingsFold {
  // name(dataset): the data set's name in the page's language.
  constructor({ button, summary, root, name }) {
    this.button = button;
    this.name = name;
    this.summary = summary;
    this.root = root;
    button.addEventListener("click", () => this.open(button.getAttribute("aria-expanded") !== "true"));
  }

  open(on) {
    this.button.setAttribute("aria-expanded", String(on));
    this.root.classList.toggle("open", on);
  }

  show(settings) {
    this.summary.textContent = foldSummary(settings, this.name);
  }
}

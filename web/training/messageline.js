// The page's message line under the header: what went wrong or what to know now (a bad value, a
// refusal of pynn's, a file loaded), in one place that covers no control; × dismisses it. Text
// reaches it only through textContent.
import { el } from "../dom.js";

export class MessageLine {
  constructor({ box, close }) {
    this.box = box;
    close.addEventListener("click", () => this.show([]));
  }

  // `lines` replace what it says ([] empties it); `kind`: "notice" or "error"; `action`:
  // { label, testid, run } adds a button that does what the message asks.
  show(lines, kind = "notice", action = null) {
    this.box.replaceChildren(...lines.map((line) => el("p", "", line)));
    if (action) {
      const button = el("button", "button small", action.label);
      button.type = "button";
      button.dataset.testid = action.testid;
      button.addEventListener("click", action.run);
      this.box.append(button);
    }
    this.box.classList.toggle("error", kind === "error");
  }
}

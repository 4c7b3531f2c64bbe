// "Gradient check": runs pynn.gradcheck in the worker on the current net and a few training
// examples (Session.gradcheck) and shows each parameter's relative error against central finite
// differences, with the spec's pass mark (below 1e-6).

import { el } from "../dom.js";
import { t } from "../lang/text.js";

export class GradcheckPanel {
  constructor({ button, result, call }) {
    this.button = button;
    this.result = result;
    this.call = call;
    this.epoch = 0;
    this.ready = false;
    this.busy = false;
    button.disabled = true;
    button.addEventListener("click", () => this.run());
  }

  update(message) {
    // A result for other data or another net would be stale: clear it.
    if (message.type === "configured" || message.type === "edited") {
      this.result.replaceChildren();
      delete this.result.dataset.passed;
    }
    this.epoch = message.epoch;
    this.ready = true;
    this.button.disabled = this.busy;
  }

  run() {
    if (this.busy) return;
    this.busy = true;
    this.button.disabled = true;
    const epoch = this.epoch;
    this.result.replaceChildren(el("p", "hint", t("inside.gradcheck.running")));
    this.result.setAttribute("aria-busy", "true");
    this.call("gradcheck")
      .then((answer) => this.show(answer, epoch))
      .catch((error) => this.result.replaceChildren(el("p", "hint", t("inside.gradcheck.failed", { reason: error.message }))))
      .finally(() => {
        this.busy = false;
        this.button.disabled = !this.ready;
        this.result.removeAttribute("aria-busy");
      });
  }

  show({ parameters, errors, passed, threshold, examples }, epoch) {
    const table = document.createElement("table");
    table.className = "gradcheck-table";
    const head = document.createElement("tr");
    head.append(el("th", "", t("inside.gradcheck.parameter")), el("th", "", t("inside.gradcheck.error")),
      el("th", "", `< ${threshold.toExponential(0)}`));
    for (const th of head.children) th.scope = "col";
    const body = document.createElement("tbody");
    for (const name of parameters) {
      const row = document.createElement("tr");
      row.dataset.parameter = name;
      row.dataset.error = String(errors[name]);
      const th = el("th", "", name);
      th.scope = "row";
      const mark = passed[name] ? el("td", "pass", t("inside.gradcheck.pass")) : el("td", "fail", t("inside.gradcheck.fail"));
      row.append(th, el("td", "", errors[name].toExponential(2)), mark);
      body.append(row);
    }
    const thead = document.createElement("thead");
    thead.append(head);
    table.append(thead, body);
    const all = parameters.every((name) => passed[name]);
    const summary = el("p", "hint", t(all ? "inside.gradcheck.agree" : "inside.gradcheck.disagree", { epoch, examples }));
    this.result.replaceChildren(table, summary);
    this.result.dataset.passed = String(all);
  }
}

// "The code": the source of pynn's forward, loss, gradients and sgd_step exactly as the worker
// loaded it (Session.source reads it with inspect.getsource from the installed package), each next
// to the equations of the spec it implements. Text only ever goes in through textContent.

import { el } from "../dom.js";
import { t } from "../lang/text.js";

// What each method's equations leave unsaid, in words. The equations themselves come from Python
// (pynn.page.inside.EQUATIONS, in Session.source's answer), typeset (web/inside/typeset.js, loaded when the
// panel first shows them) with their text as the alternative.
export const NOTES = {
  forward: "inside.code.note.forward",
  loss: "inside.code.note.loss",
  gradients: "inside.code.note.gradients",
  sgd_step: "inside.code.note.sgd-step",
};

// Each method's heading: its call (code, as written) and what it is.
const TITLES = {
  forward: ["net.forward(X)", "inside.code.title.forward"],
  loss: ["net.loss(X, y)", "inside.code.title.loss"],
  gradients: ["net.gradients(X, y)", "inside.code.title.gradients"],
  sgd_step: ["net.sgd_step(X, y, lr)", "inside.code.title.sgd-step"],
};

export class CodePanel {
  constructor({ root, call }) {
    this.root = root;
    this.call = call;
    this.body = root.querySelector(".code-body");
    this.fileLine = root.querySelector(".code-file");
    this.loaded = false;
    this.busy = false;
  }

  // The code does not change while the page runs: ask once, when Python has a session.
  update() {
    if (this.loaded || this.busy) return;
    this.busy = true;
    this.call("source")
      .then((answer) => {
        this.loaded = true;
        this.show(answer);
      })
      .catch((error) => {
        if (error.kind !== "stopped") this.body.replaceChildren(el("p", "hint", t("inside.code.failed", { reason: error.message })));
      })
      .finally(() => {
        this.busy = false;
      });
  }

  show({ file, sections, equations = {} }) {
    const typeset = [];
    this.fileLine.textContent = t("inside.code.file", { file });
    const blocks = sections.map(({ method, parts }) => {
      const section = el("section", "code-section");
      section.dataset.method = method;
      const [call, what] = TITLES[method] ?? [method, null];
      section.append(el("h3", "code-title", what ? t("inside.code.title", { call, what: t(what) }) : call));
      const maths = el("div", "code-maths");
      maths.setAttribute("role", "group");
      maths.setAttribute("aria-label", t("inside.code.equations", { method }));
      for (const { name, tex, text, shape } of equations[method] ?? []) {
        const row = el("div", "code-equation-row");
        const line = el("span", "code-equation", text);
        line.dataset.eq = name;
        row.append(line);
        if (shape) row.append(el("span", "code-shape", `(${shape})`));
        maths.append(row);
        typeset.push([line, tex, text]);
      }
      if (NOTES[method]) maths.append(el("p", "code-note", t(NOTES[method])));
      const code = el("pre", "code-source");
      code.tabIndex = 0; // scrollable: reachable by keyboard
      code.setAttribute("aria-label", t("inside.code.source", { method }));
      for (const part of parts) {
        code.append(el("span", "code-where", `${t("inside.code.where", { name: part.name, file: "pynn/model.py", line: String(part.line) })}\n`));
        const text = el("code", "", part.code.replace(/^\s*\n/, ""));
        text.dataset.name = part.name;
        code.append(text, "\n");
      }
      const pair = el("div", "code-pair");
      pair.append(maths, code);
      section.append(pair);
      return section;
    });
    this.body.replaceChildren(...blocks);
    // Typeset when the panel is first opened (a closed <details> shows no equation).
    const typesetAll = () => import("./typeset.js").then(({ renderMaths }) => {
      for (const [line, tex, text] of typeset) renderMaths(line, tex, text);
    }).catch(() => {}); // the text stays
    if (this.root.open !== false) typesetAll();
    else this.root.addEventListener("toggle", typesetAll, { once: true });
  }
}

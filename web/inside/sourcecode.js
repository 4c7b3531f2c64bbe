// "The code": the source of pynn's forward, loss, gradients and sgd_step exactly as the worker
// loaded it (Session.source reads it with inspect.getsource from the installed package), each next
// to the equations of the spec it implements. Text only ever goes in through textContent.

import { el } from "../dom.js";

// What each method's equations leave unsaid, in words. The equations themselves come from Python
// (pynn.page.inside.EQUATIONS, in Session.source's answer), typeset (web/inside/typeset.js, loaded when the
// panel first shows them) with their text as the alternative.
export const NOTES = {
  forward: "A batch X (D×N) holds one example per column; every formula holds column by column.",
  loss: "Computed from log-softmax (the column max subtracted first), so it stays finite.",
  gradients: "For a batch, the same products with matrices sum over the examples.",
  sgd_step: "for θ in W0, b0, W1, b1, with B examples in the batch (B = 1 is pure SGD); the L2 term λ·θ on W0 and W1 only.",
};

const TITLES = {
  forward: "net.forward(X) — the forward pass",
  loss: "net.loss(X, y) — the loss",
  gradients: "net.gradients(X, y) — the backward pass",
  sgd_step: "net.sgd_step(X, y, lr) — one step of SGD",
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
        if (error.kind !== "stopped") this.body.replaceChildren(el("p", "hint", `Could not read the code: ${error.message}`));
      })
      .finally(() => {
        this.busy = false;
      });
  }

  show({ file, sections, equations = {} }) {
    const typeset = [];
    this.fileLine.textContent = `Read just now from ${file} inside this page's Python, by inspect.getsource.`;
    const blocks = sections.map(({ method, parts }) => {
      const section = el("section", "code-section");
      section.dataset.method = method;
      section.append(el("h3", "code-title", TITLES[method] ?? method));
      const maths = el("div", "code-maths");
      maths.setAttribute("role", "group");
      maths.setAttribute("aria-label", `the spec's equations for ${method}`);
      for (const { name, tex, text, shape } of equations[method] ?? []) {
        const row = el("div", "code-equation-row");
        const line = el("span", "code-equation", text);
        line.dataset.eq = name;
        row.append(line);
        if (shape) row.append(el("span", "code-shape", `(${shape})`));
        maths.append(row);
        typeset.push([line, tex, text]);
      }
      if (NOTES[method]) maths.append(el("p", "code-note", NOTES[method]));
      const code = el("pre", "code-source");
      code.tabIndex = 0; // scrollable: reachable by keyboard
      code.setAttribute("aria-label", `pynn's source of ${method}`);
      for (const part of parts) {
        code.append(el("span", "code-where", `# ${part.name}, pynn/model.py line ${part.line}\n`));
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

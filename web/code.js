// "The code": the source of pynn's forward, loss, gradients and sgd_step exactly as the worker
// loaded it (Session.source reads it with inspect.getsource from the installed package), each next
// to the equations of the spec it implements. Text only ever goes in through textContent.

import { el } from "./dom.js";

// The spec's equations (docs/model.md), one block per public method.
export const EQUATIONS = {
  forward: [
    "s0 = W0 · x + b0        (H×1)",
    "h0 = ReLU(s0)           (H×1)",
    "s1 = W1 · h0 + b1       (C×1)",
    "h1 = softmax(s1)        (C×1)",
    "h1[i] = P(Y = c_i | x)",
    "",
    "A batch X (D×N) holds one example per column; every formula holds column by column.",
  ],
  loss: [
    "L = Σ_i −log h1(X_i)[y_i]",
    "  = Σ_i Σ_j −Yoh[j,i] · log h1(X_i)[j]",
    "",
    "Computed from log-softmax (the column max subtracted first), so it stays finite.",
  ],
  gradients: [
    "g1 = ∂L/∂s1 = h1 − y                (C×1)",
    "∂L/∂W1 = g1 · h0ᵀ                   (C×H)",
    "∂L/∂b1 = g1                         (C×1)",
    "g0 = ∂L/∂s0 = (W1ᵀ · g1) ⊙ [s0 > 0]  (H×1)",
    "∂L/∂W0 = g0 · xᵀ                    (H×D)",
    "∂L/∂b0 = g0                         (H×1)",
    "",
    "For a batch, the same products with matrices sum over the examples.",
  ],
  sgd_step: [
    "θ ← θ − lr · (∂L/∂θ / B + λ·θ)",
    "",
    "for θ in W0, b0, W1, b1, with B examples in the batch (B = 1 is pure SGD); the L2 term λ·θ on W0 and W1 only.",
  ],
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

  show({ file, sections }) {
    this.fileLine.textContent = `Read just now from ${file} inside this page's Python, by inspect.getsource.`;
    const blocks = sections.map(({ method, parts }) => {
      const section = el("section", "code-section");
      section.dataset.method = method;
      section.append(el("h3", "code-title", TITLES[method] ?? method));
      const maths = el("pre", "code-maths");
      maths.setAttribute("aria-label", `the spec's equations for ${method}`);
      maths.textContent = (EQUATIONS[method] ?? []).join("\n");
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
  }
}

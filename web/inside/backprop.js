// The backprop stepper: one pure-SGD step on one training example, walked stage by stage from x to
// the update, each stage's equation with the live values, the shape beside every matrix, small
// heatmaps of the gradients, and its part of the network diagram in focus. pynn computes every
// stage (Session.backprop_pick / backprop_example / backprop_at, pynn.page.backprop.walk) and makes
// the update (Session.backprop_apply, through TwoLayerNet.sgd_step); this module lays them out.

import { heatPixels, maxAbs } from "./diagram.js";
import { el, planeToPixel } from "../dom.js";
import { direction, numeral, t, tn } from "../lang/text.js";
import { fmt, plain, toPlane } from "./inspect.js";

const CHIPS = 32; // entries of a vector listed; the rest are counted

// The diagram's parts in focus at each stage, and which of the stage's values colour its edges
// (full W0- and W1-shaped arrays) and label its hidden and output nodes.
export const FOCUS = {
  x: { parts: ["input"] },
  s0: { parts: ["input", "w0", "hidden"], hidden: "s0" },
  h0: { parts: ["hidden"], hidden: "h0" },
  s1: { parts: ["hidden", "w1", "output"], output: "s1" },
  h1: { parts: ["output"] },
  loss: { parts: ["output"] },
  g1: { parts: ["output"], output: "g1" },
  dW1: { parts: ["hidden", "w1", "output"], w1: "dW1", output: "g1" },
  W1g1: { parts: ["w1", "hidden", "output"], hidden: "W1g1", output: "g1" },
  mask: { parts: ["hidden"], hidden: "mask" },
  g0: { parts: ["hidden"], hidden: "g0" },
  dW0: { parts: ["input", "w0", "hidden"], w0: "dW0", hidden: "g0" },
  update: { parts: ["input", "w0", "hidden", "w1", "output"], w0: "stepW0", w1: "stepW1" },
};

// The stages' names in the trail above the equation: their symbols, and the words of those that are
// named by a word (translated).
const SHORT = { dW1: "∂W1", W1g1: "W1ᵀg1", dW0: "∂W0" };
const WORDS = { loss: "inside.backprop.trail.loss", mask: "inside.backprop.trail.mask", update: "inside.backprop.trail.update" };

// A "rows×cols" shape as numbers.
export function parseShape(shape) {
  const [rows, cols] = shape.split("×").map(Number);
  return { rows, cols };
}

// The diagram's focus for a stage of a walk: its parts and the values that colour them.
export function focusFor(key, walk) {
  const spec = FOCUS[key];
  const pick = (name) => (name ? walk[name] : null);
  return {
    parts: new Set(spec.parts),
    w0: pick(spec.w0),
    w1: pick(spec.w1),
    hidden: pick(spec.hidden),
    output: pick(spec.output),
    caption: caption(spec),
  };
}

// The values' names as the caption says them: maths, or the id of words around it.
const NAMES = { dW0: "∂W0", dW1: "∂W1", W1g1: "W1ᵀ·g1", mask: "[s0 > 0]" };
const STEPS = { stepW0: "∂W0", stepW1: "∂W1" };
const PARTS = { input: "inside.backprop.part.inputs", hidden: "inside.backprop.part.hidden", output: "inside.backprop.part.outputs" };
const WEIGHTS = { w0: "W0", w1: "W1" };

// What the diagram shows at a stage, in words.
export function caption(spec) {
  const name = (value) => (STEPS[value] ? t("inside.backprop.step-of", { gradient: STEPS[value] }) : NAMES[value] ?? value);
  const part = (key) => WEIGHTS[key] ?? t(PARTS[key]);
  const parts = [t("inside.backprop.focus", { parts: spec.parts.map(part).join(", ") })];
  const edges = [spec.w0, spec.w1].filter(Boolean).map(name);
  if (edges.length === 2) parts.push(t("inside.backprop.edges.two", { first: edges[0], second: edges[1] }));
  else if (edges.length) parts.push(t("inside.backprop.edges", { values: edges[0] }));
  if (spec.hidden) parts.push(t("inside.backprop.hidden-bars", { values: name(spec.hidden) }));
  if (spec.output) parts.push(t("inside.backprop.outputs-show", { values: name(spec.output) }));
  return parts.join(" ");
}

// The index of the largest value (the unit a worked line follows).
export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

// The index of the largest |value|, or null when all are 0.
export function argmaxAbs(values) {
  const best = argmax(Array.from(values, Math.abs));
  return values[best] === 0 ? null : best;
}

// One line of the stage's equation with the numbers put in, for one entry: class y (the label),
// unit k (the most active; from g0 on, the one with the largest gradient), input j (the largest).
// Every number is one pynn computed. `image`: the input's image shape [rows, columns], or null for
// a point of the plane.
export function worked(key, w, image = null) {
  const backward = ["g0", "dW0", "update"].includes(key);
  const k = (backward ? argmaxAbs(w.g0) : null) ?? argmax(w.h0);
  const j = argmaxAbs(w.x) ?? 0;
  const y = w.label;
  const D = w.D;
  const H = w.H;
  const C = w.C;
  // The formulas mirror the code, so their numbers are written as it writes them (plain); the values
  // a sentence says on their own (the update's steps and losses) as the page's language writes them.
  const n = (v, d = 3) => (v !== 0 && Math.abs(v) < 10 ** -d ? v.toExponential(2).replace(/-/g, "−") : plain(v, d));
  const said = (v, d) => numeral(n(v, d));
  const p = (v, d = 3) => `(${n(v, d)})`;
  switch (key) {
    case "x":
      return image
        ? t("inside.backprop.x.image", { shape: image.join("×"), y })
        : t("inside.backprop.x", { x: `(${n(w.x[0])}, ${n(w.x[1])})ᵀ`, y, onehot: `(${Array.from(w.y, (v) => v.toFixed(0)).join(", ")})ᵀ` });
    case "s0": {
      const terms = D <= 3 ? Array.from({ length: D }, (_, j) => `${p(w.W0[k * D + j])}·${p(w.x[j])}`).join(" + ") : `Σⱼ W0[${k},j]·x[j]`;
      return `s0[${k}] = ${D <= 3 ? `W0[${k},:]·x + b0[${k}] = ` : ""}${terms} + ${p(w.b0[k])} = ${n(w.s0[k])}`;
    }
    case "h0": {
      const zeroed = Array.from(w.mask).filter((m) => !m).length;
      return t("inside.backprop.h0", { formula: `h0[${k}] = max(${n(w.s0[k])}, 0) = ${n(w.h0[k])}`, zeroed, units: H });
    }
    case "s1": {
      const c = argmax(w.s1);
      const formula = `s1[${c}] = Σₖ W1[${c},k]·h0[k] + b1[${c}] = ${n(w.s1[c])}`;
      return H <= 3 ? formula : t("inside.backprop.s1", { formula, units: H });
    }
    case "h1":
      return t(w.predicted === y ? "inside.backprop.h1.right" : "inside.backprop.h1.wrong",
        { formula: `h1[${y}] = exp(s1[${y}]) / Σ exp(s1) = ${n(w.h1[y])}`, c: w.predicted, y });
    case "loss":
      return `loss = −log h1[${y}] = −log ${n(w.h1[y], 4)} = ${n(w.loss, 4)}`;
    case "g1":
      return `g1 = h1 − y = (${Array.from({ length: C }, (_, c) => `${n(w.h1[c], 2)} − ${w.y[c].toFixed(0)}`).join(", ")})ᵀ = (${Array.from(w.g1, (v) => n(v, 2)).join(", ")})ᵀ`;
    case "dW1":
      return `∂W1[${y},${k}] = g1[${y}]·h0[${k}] = ${p(w.g1[y])}·${p(w.h0[k])} = ${n(w.dW1[y * H + k], 4)}; ∂b1 = g1`;
    case "W1g1":
      return `(W1ᵀ·g1)[${k}] = Σ_c W1[c,${k}]·g1[c] = ${C <= 3 ? Array.from({ length: C }, (_, c) => `${p(w.W1[c * H + k])}·${p(w.g1[c])}`).join(" + ") + " = " : ""}${n(w.W1g1[k], 4)}`;
    case "mask": {
      const passed = Array.from(w.mask).filter(Boolean).length;
      return t("inside.backprop.mask", { formula: `[s0[${k}] > 0] = [${n(w.s0[k])} > 0] = ${w.mask[k].toFixed(0)}`, passed, units: H });
    }
    case "g0":
      return `g0[${k}] = (W1ᵀ·g1)[${k}]·[s0[${k}] > 0] = ${p(w.W1g1[k], 4)}·${w.mask[k].toFixed(0)} = ${n(w.g0[k], 4)}`;
    case "dW0":
      return `∂W0[${k},${j}] = g0[${k}]·x[${j}] = ${p(w.g0[k], 4)}·${p(w.x[j])} = ${n(w.dW0[k * D + j], 4)}; ∂b0 = g0`;
    case "update":
      if (w.update_refused) return t("inside.backprop.refused", { reason: w.update_refused });
      return t("inside.backprop.update", {
        rates: `lr = ${w.lr}${w.wd ? `, λ = ${w.wd}` : ""}`, w1: `W1[${y},${k}]`, w1step: said(w.stepW1[y * H + k], 5),
        w0: `W0[${k},${j}]`, w0step: said(w.stepW0[k * D + j], 5), before: said(w.loss, 4), after: said(w.loss_next, 4),
      });
    default:
      return "";
  }
}

// The stage an arrow key moves to (+1 the next, −1 the one before, 0 for another key): the arrow
// that points along the reading order goes on, → left to right and ← right to left, as the Next
// button sits at the end of the line.
export function stepFor(key, dir) {
  const forward = dir === "rtl" ? "ArrowLeft" : "ArrowRight";
  const back = dir === "rtl" ? "ArrowRight" : "ArrowLeft";
  return key === forward ? 1 : key === back ? -1 : 0;
}

// A value in a chip: two decimals, or two significant digits when it is smaller than 0.005.
export function short(v) {
  if (v === 0 || !(Math.abs(v) < 0.005)) return fmt(v, 2);
  return numeral(v.toExponential(1).replace(/-/g, "−"));
}

// Text that changes only when it differs, so a readout updated many times a second costs no layout.
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export class BackpropPanel {
  // page: { call, took(message, fresh), showMessages(lines, kind), table }
  constructor({ root, canvas, diagram, page }) {
    this.root = root;
    this.canvas = canvas; // the decision plane: a click on a training point picks it
    this.diagram = diagram;
    this.page = page;
    const find = (id) => root.querySelector(`[data-testid="${id}"]`);
    this.buttons = { pick: find("backprop-pick"), prev: find("backprop-prev"), next: find("backprop-next"), apply: find("backprop-apply") };
    this.stageName = find("backprop-stage");
    this.lossBefore = find("backprop-loss-before");
    this.lossAfter = find("backprop-loss-after");
    this.updates = find("backprop-updates");
    this.example = root.querySelector(".backprop-example");
    this.count = root.querySelector(".backprop-count");
    this.equation = root.querySelector(".backprop-equation");
    this.line = root.querySelector(".backprop-worked");
    this.terms = root.querySelector(".backprop-terms");
    this.trail = root.querySelector(".backprop-trail");
    this.stale = root.querySelector(".backprop-stale");
    this.walk = null;
    this.stage = 0;
    this.extent = null;
    this.image = null; // the data set's image shape [rows, columns], null for points of the plane
    this.busy = false;
    this.marker = el("span", "backprop-marker");
    this.marker.hidden = true;
    this.marker.setAttribute("aria-hidden", "true");
    canvas.after(this.marker);
    this.buttons.pick.addEventListener("click", () => this.ask("backprop_pick", {}));
    this.buttons.prev.addEventListener("click", () => this.go(this.stage - 1));
    this.buttons.next.addEventListener("click", () => this.go(this.stage + 1));
    this.buttons.apply.addEventListener("click", () => this.apply());
    root.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || !this.walk) return;
      const step = stepFor(event.key, direction());
      if (step) {
        event.preventDefault();
        this.go(this.stage + step);
      }
    });
    canvas.addEventListener("click", (event) => {
      // Adding or removing a point claims the click (preventDefault); otherwise a training point under it is picked.
      setTimeout(() => {
        if (event.defaultPrevented || this.extent === null) return;
        const box = canvas.getBoundingClientRect();
        this.ask("backprop_at", toPlane(event.clientX - box.left, event.clientY - box.top, box.width, box.height, this.extent));
      });
    });
    new ResizeObserver(() => this.placeMarker()).observe(canvas);
    this.enable(false);
  }

  enable(on) {
    this.buttons.pick.disabled = !on;
    const walked = on && this.walk !== null;
    this.buttons.prev.disabled = !walked || this.stage === 0;
    this.buttons.next.disabled = !walked || this.stage === this.walk.stages.length - 1;
    this.buttons.apply.disabled = !walked || Boolean(this.walk.update_refused);
  }

  // After each answer of the worker: a new net starts on a freshly drawn example; training makes
  // the values shown stale until the next pick.
  update(message) {
    if (message.updates !== undefined) setText(this.updates, String(message.updates));
    const kind = this.page.table.kinds[message.dataset]; // what the data set is, when the answer names it
    if (message.type === "configured") {
      this.extent = kind.plane ? message.extent : null;
      this.image = kind.image;
      this.walk = null;
      this.stage = 0;
      this.lossBefore.textContent = this.lossAfter.textContent = "–";
      this.placeMarker();
      if (message.train_y?.length || !kind.plane) this.ask("backprop_pick", {});
      else this.empty(t("inside.backprop.no-points"));
      return;
    }
    if (message.extent !== undefined && kind.plane) this.extent = message.extent;
    if (this.walk && message.updates !== undefined) {
      const since = message.updates - this.walk.updates;
      this.stale.hidden = since <= 0;
      if (since > 0) {
        setText(this.stale, tn("inside.backprop.stale", since));
      }
    }
  }

  // The page's language changed: the same example walked again by Python (its stages' names and
  // equations are Python's), at the stage shown; on a net trained on since, its numbers are now's.
  languageChanged() {
    if (this.walk) this.ask("backprop_example", { index: this.walk.index });
  }

  // A live change of the optimiser (lr, wd): the update stage must show the step it would make now.
  settingsChanged({ changed }) {
    if (this.walk && changed.some((key) => key === "lr" || key === "wd")) this.ask("backprop_example", { index: this.walk.index });
  }

  ask(method, args) {
    if (this.busy) return;
    this.busy = true;
    this.page
      .call(method, args)
      .then((walk) => {
        if (walk.index === null) return; // a click beside every training point
        this.show(walk);
        this.diagram.ask();
      })
      .catch((error) => {
        if (error.kind !== "stopped") this.empty(t("inside.backprop.failed", { reason: error.message }));
      })
      .finally(() => {
        this.busy = false;
      });
  }

  apply() {
    if (this.busy || !this.walk) return;
    this.busy = true;
    this.page
      .call("backprop_apply", {})
      .then((result) => {
        this.walk = result;
        this.lossBefore.textContent = fmt(result.loss_before, 4);
        this.lossBefore.dataset.value = String(result.loss_before);
        this.lossAfter.textContent = fmt(result.loss_after, 4);
        this.lossAfter.dataset.value = String(result.loss_after);
        this.show(result);
        this.page.took(result, false); // the regions, the readouts and every panel, diagram included
      })
      .catch((error) => {
        if (error.kind !== "stopped") this.page.showMessages([t("inside.backprop.apply-refused", { reason: error.message })], "error");
      })
      .finally(() => {
        this.busy = false;
      });
  }

  empty(text) {
    this.walk = null;
    this.stageName.textContent = "–";
    this.example.textContent = text;
    this.equation.textContent = "";
    this.line.textContent = "";
    this.terms.replaceChildren();
    this.diagram.setFocus(null);
    this.enable(true);
  }

  show(walk) {
    const changed = !this.walk || this.walk.index !== walk.index;
    this.walk = walk;
    if (changed) this.lossBefore.textContent = this.lossAfter.textContent = "–";
    this.stale.hidden = true;
    this.root.dataset.index = String(walk.index);
    this.example.textContent = t("inside.backprop.walking", {
      index: String(walk.index), y: walk.label, rates: `lr = ${walk.lr}${walk.wd ? `, λ = ${walk.wd}` : ""}`,
    });
    this.updates.textContent = String(walk.updates);
    this.fillTrail();
    this.go(Math.min(this.stage, walk.stages.length - 1));
    this.placeMarker();
  }

  fillTrail() {
    this.trail.replaceChildren(
      ...this.walk.stages.map((stage, i) => {
        const item = el("li", "", Object.hasOwn(WORDS, stage.key) ? t(WORDS[stage.key]) : SHORT[stage.key] ?? stage.key);
        item.addEventListener("click", () => this.go(i));
        return item;
      }),
    );
  }

  go(index) {
    if (!this.walk) return;
    const stages = this.walk.stages;
    this.stage = Math.max(0, Math.min(stages.length - 1, index));
    const stage = stages[this.stage];
    this.root.dataset.stage = stage.key;
    this.stageName.textContent = stage.name;
    // The derivation's steps this stage works out (pynn.page.derive's names: s1, W1, …).
    const steps = stage.derive ?? [];
    const count = t("inside.backprop.stage", { stage: this.stage + 1, stages: stages.length });
    this.count.textContent = steps.length
      ? tn("inside.backprop.stage.steps", steps.length, { stage: count, steps: steps.join(", ") }) : count;
    this.root.dataset.derive = steps.join(" ");
    this.equation.textContent = stage.equation;
    this.typeset(stage);
    this.line.textContent = worked(stage.key, this.walk, this.image);
    [...this.trail.children].forEach((item, i) => {
      item.classList.toggle("done", i < this.stage);
      item.classList.toggle("current", i === this.stage);
    });
    this.terms.replaceChildren(...stage.terms.map((term) => this.term(term)));
    this.diagram.setFocus(focusFor(stage.key, this.walk));
    this.enable(true);
  }

  // The stage's equation typeset from its TeX (pynn.page.backprop.TEX), its text the alternative;
  // web/inside/typeset.js (KaTeX) is loaded when the stepper first comes into view, not while the page starts.
  typeset(stage) {
    if (!stage.tex) return;
    const run = () => import("./typeset.js")
      .then(({ renderMaths }) => {
        if (this.walk?.stages[this.stage] === stage) renderMaths(this.equation, stage.tex, stage.equation);
      })
      .catch(() => {}); // the text stays
    if (this.seen) {
      run();
      return;
    }
    this.unseen = run;
    if (this.watching || typeof IntersectionObserver === "undefined") return;
    this.watching = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      this.seen = true;
      this.watching.disconnect();
      this.unseen?.();
    });
    this.watching.observe(this.equation);
  }

  term({ label, value, shape, transposed }) {
    const box = el("figure", "bp-term");
    box.dataset.term = value;
    const head = el("figcaption", "");
    head.append(el("b", "", label), el("span", "bp-shape", shape));
    const data = this.walk[value];
    const { rows, cols } = parseShape(shape);
    if (value === "loss") {
      const number = el("span", "bp-scalar", fmt(data, 4));
      number.dataset.value = String(data);
      box.append(head, number);
    } else if (rows > 1 && cols > 1) {
      box.append(head, this.heatmap(data, rows, cols, transposed));
    } else if (this.image && value === "x" && data.length === this.image[0] * this.image[1]) {
      box.append(head, this.heatmap(data, this.image[0], this.image[1], false, { image: true }));
    } else {
      box.append(head, this.chips(data, value));
    }
    return box;
  }

  chips(values, value) {
    const list = el("div", "bp-chips");
    const shown = Math.min(values.length, CHIPS);
    const top = maxAbs(values);
    for (let i = 0; i < shown; i++) {
      const v = values[i];
      const chip = el("span", "bp-chip", value === "mask" || value === "y" ? numeral(v.toFixed(0)) : short(v));
      chip.dataset.value = String(v);
      if (top > 0 && v !== 0) chip.classList.add(v > 0 ? "pos" : "neg");
      if (top > 0) chip.style.setProperty("--t", (Math.abs(v) / top).toFixed(3));
      list.append(chip);
    }
    if (values.length > shown) list.append(el("span", "more", t("inside.backprop.more", { n: values.length - shown })));
    return list;
  }

  // A small heatmap of a rows×cols matrix (its transpose when `transpose`), white at 0, red +,
  // blue −, scaled to its largest |value|, which the caption gives.
  heatmap(values, rows, cols, transpose, { image = false } = {}) {
    const [dataRows, dataCols] = transpose ? [cols, rows] : [rows, cols];
    const wrap = el("div", "bp-heat");
    const canvas = document.createElement("canvas");
    canvas.width = cols;
    canvas.height = rows;
    const pixels = image
      ? Uint8ClampedArray.from({ length: 4 * rows * cols }, (_, i) => (i % 4 === 3 ? 255 : Math.round(255 * (1 - Math.min(1, values[i >> 2])))))
      : heatPixels(values, dataRows, dataCols, { transpose });
    canvas.getContext("2d").putImageData(new ImageData(pixels, cols, rows), 0, 0);
    const cellW = Math.min(14, 220 / cols);
    const cellH = Math.min(14, 160 / rows);
    canvas.style.width = `${Math.round(cols * (image ? 8 : cellW))}px`;
    canvas.style.height = `${Math.round(rows * (image ? 8 : cellH))}px`;
    const top = maxAbs(values);
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", image ? t("inside.backprop.image", { shape: `${rows}×${cols}` })
      : t("inside.backprop.heatmap", { shape: `${rows}×${cols}`, top: fmt(top, 4) }));
    canvas.dataset.rows = String(rows);
    canvas.dataset.cols = String(cols);
    canvas.dataset.max = String(top);
    wrap.append(canvas);
    if (!image) wrap.append(el("span", "bp-scale", t("inside.backprop.scale", { top: fmt(top, top < 0.01 ? 5 : 3) })));
    return wrap;
  }

  placeMarker() {
    if (!this.walk || this.extent === null || this.walk.D !== 2) {
      this.marker.hidden = true;
      return;
    }
    const [px, py] = planeToPixel(this.walk.x[0], this.walk.x[1], this.extent, this.canvas.clientWidth, this.canvas.clientHeight);
    this.marker.style.left = `${this.canvas.offsetLeft + px}px`;
    this.marker.style.top = `${this.canvas.offsetTop + py}px`;
    this.marker.hidden = false;
  }
}

// "Inside the net": point at the plane (or tap it) and the panel shows the spec's four equations for
// that x with the live values, which pynn computes (Session.inspect runs net.forward on that one
// column). Click pins the spot; Escape or "unpin" lets hovering take over again. This module only
// draws; it never computes the network.

import { el, pixelToPlane, planeToPixel } from "../dom.js";
import { numeral, t } from "../lang/text.js";

const UNITS_SHOWN = 12; // hidden units listed; the rest are counted
const PICK_PX = 8; // a click within this many CSS pixels of a data point inspects that point
const REFRESH_MS = 200; // while training, re-ask for the shown spot at most this often

// A signed number with a real minus sign, as in the equations, written as the code writes it: for
// a value inside a formula or a vector, "x = (0.25, −1.50)", which reads like the code it mirrors.
export function plain(value, digits = 2) {
  if (!Number.isFinite(value)) return "–";
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `−${text}` : text;
}

// A value shown on its own (a chip, a bar, a readout): `plain`'s, as the page's language writes
// numbers ("−0,25" in Spanish).
export function fmt(value, digits = 2) {
  return numeral(plain(value, digits));
}

// The spot (x1, x2) in the plane under a canvas pixel, and the pick radius in the same units.
export function toPlane(px, py, width, height, extent) {
  return { ...pixelToPlane(px, py, extent, width, height), radius: (PICK_PX / width) * 2 * extent };
}

export class InspectPanel {
  // kinds: the page table's `kinds` (what each data set is: points of the plane, or images); names:
  // the text id of each data set's name (the table's fields.dataset.names).
  constructor({ panel, canvas, call, kinds, names }) {
    this.panel = panel;
    this.canvas = canvas;
    this.call = call;
    this.kinds = kinds;
    this.names = names;
    this.extent = null;
    this.spot = null; // { x1, x2, radius } shown now
    this.pinned = false;
    this.busy = false;
    this.queued = null; // a spot asked for while a call was in flight
    this.lastAsk = 0;
    this.centre = false; // showing the plane's centre, as nobody has pointed yet
    this.marker = el("span", "inspect-marker");
    this.marker.hidden = true;
    this.marker.setAttribute("aria-hidden", "true");
    canvas.after(this.marker);
    this.showHint();
    canvas.addEventListener("pointermove", (event) => {
      this.pointedAt();
      if (event.pointerType === "mouse" && !this.pinned) this.ask(this.spotAt(event));
    });
    canvas.addEventListener("click", (event) => {
      this.pointedAt();
      // Another feature may claim the click (e.g. adding a data point) with preventDefault.
      setTimeout(() => {
        if (!event.defaultPrevented) this.pin(this.spotAt(event));
      });
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.pinned) this.unpin();
    });
    new ResizeObserver(() => this.placeMarker()).observe(canvas);
  }

  spotAt(event) {
    if (this.extent === null) return null;
    this.centre = false;
    const box = this.canvas.getBoundingClientRect();
    return toPlane(event.clientX - box.left, event.clientY - box.top, box.width, box.height, this.extent);
  }

  // After a configure or reset (new data or a new net), and after each chunk of training.
  update(message) {
    if (message.type === "configured") {
      // Images (the digits, D = 64) have no plane to point at: the digit pad shows their probabilities.
      const { plane, image } = this.kinds[message.dataset];
      this.extent = plane ? message.extent : null;
      if (plane && !this.idleTypeset) {
        // typeset once the page is idle after its first net, not under the first hover (text → maths: a jump)
        this.idleTypeset = true;
        (globalThis.requestIdleCallback ?? ((run) => setTimeout(run, 1000)))(() => this.pointedAt());
      }
      if (!plane) {
        this.spot = null;
        this.pinned = false;
        this.lastResult = null;
        this.placeMarker();
        this.panel.classList.remove("pinned");
        this.showHint(t("inside.inspect.images", { shape: image.join("×"), dataset: t(this.names[message.dataset]) }));
        return;
      }
      if (!this.spot) {
        // Not an empty box until one points: the plane's centre, then the last spot inspected.
        this.showHint();
        this.centre = true;
        this.ask({ x1: 0, x2: 0, radius: 0 });
        return;
      }
    }
    if (message.type === "progress") {
      const answer = message.also?.inspect;
      if (answer && !this.busy && !this.queued && this.extent !== null) {
        if (answer.error) this.showProblem(answer.error);
        else this.render(answer);
      }
      return;
    }
    if (this.spot) this.ask(this.spot);
  }

  // What the next chunk of training should bring back for this panel (Session.run's `also`; `now`: whenever it was last asked): the
  // shown spot, at most every REFRESH_MS.
  wants(now = false) {
    if (!this.spot || this.extent === null || (!now && (this.busy || performance.now() - this.lastAsk <= REFRESH_MS))) return null;
    this.lastAsk = performance.now();
    return { inspect: this.spot };
  }

  pin(spot) {
    if (!spot) return;
    this.pinned = true;
    this.ask(spot);
  }

  unpin() {
    this.pinned = false;
    this.marker.hidden = true;
    this.panel.classList.remove("pinned");
    if (this.lastResult) this.render(this.lastResult);
  }

  ask(spot) {
    if (!spot) return;
    if (this.busy) {
      this.queued = spot;
      return;
    }
    this.busy = true;
    this.lastAsk = performance.now();
    this.call("inspect", spot)
      .then((result) => {
        if (!this.queued && this.extent !== null) {
          this.spot = spot;
          this.render(result);
        }
      })
      .catch((error) => {
        if (error.kind !== "stopped") this.showProblem(error.message);
      })
      .finally(() => {
        this.busy = false;
        const next = this.queued;
        this.queued = null;
        if (next) this.ask(next);
      });
  }

  showHint(text = t("inside.inspect.hint")) {
    this.panel.replaceChildren(el("h3", "inspect-title", t("inside.inspect.title")), el("p", "hint", text));
  }

  showProblem(text) {
    this.panel.replaceChildren(el("h3", "inspect-title", t("inside.inspect.title")), el("p", "hint", t("inside.inspect.failed", { reason: text })));
  }

  placeMarker() {
    if (!this.pinned || !this.lastResult || this.extent === null) {
      this.marker.hidden = true;
      return;
    }
    const [x1, x2] = this.lastResult.x;
    const [left, top] = planeToPixel(x1, x2, this.extent, this.canvas.clientWidth, this.canvas.clientHeight);
    this.marker.style.left = `${this.canvas.offsetLeft + left}px`;
    this.marker.style.top = `${this.canvas.offsetTop + top}px`;
    this.marker.hidden = false;
  }

  // The four equations, typeset once (their TeX from pynn.page.inside.EQUATIONS, in
  // Session.source's answer; web/inside/typeset.js loaded when the panel first shows them) and moved into
  // every render; `text` shows until then, and stays if KaTeX cannot load.
  formula(name, text) {
    this.formulas ??= {};
    if (!this.formulas[name]) {
      this.formulas[name] = el("span", "formula-tex", text);
      if (this.pointed) this.typesetFormulas();
    }
    return this.formulas[name];
  }

  // The student points at the plane, or the page is idle after its first net: the equations are
  // typeset from now on. Until then they show as text, so the maths code is not fetched on the
  // way to Ready.
  pointedAt() {
    if (this.pointed) return;
    this.pointed = true;
    if (this.formulas) this.typesetFormulas();
  }

  typesetFormulas() {
    this.typesetting ??= Promise.all([this.call("source"), import("./typeset.js")])
      .then(([{ equations }, { renderMaths }]) => {
        for (const { name, tex, text } of equations?.forward ?? []) {
          if (this.formulas[name]) renderMaths(this.formulas[name], tex, text);
        }
      })
      .catch(() => {
        this.typesetting = null; // the text stays; the next new formula tries again
      });
  }

  render(result) {
    this.lastResult = result;
    const { x, point, index } = result;
    const panel = this.panel;
    panel.classList.toggle("pinned", this.pinned);
    panel.dataset.x1 = String(x[0]);
    panel.dataset.x2 = String(x[1]);
    panel.dataset.point = point ?? "";
    panel.dataset.index = index === null ? "" : String(index);
    panel.replaceChildren(this.heading(result), this.where(result), this.equations(result), verdict(result));
    this.placeMarker();
  }

  // The title with x, and an Unpin button while pinned.
  heading({ x }) {
    const title = el("h3", "inspect-title", t("inside.inspect.at"));
    title.append(" ", el("span", "inspect-x", `x = (${plain(x[0], 3)}, ${plain(x[1], 3)})`));
    const head = el("div", "inspect-head");
    head.append(title);
    if (this.pinned) {
      const unpin = el("button", "button small", t("inside.inspect.unpin"));
      unpin.type = "button";
      unpin.setAttribute("aria-label", t("inside.inspect.unpin.label"));
      unpin.addEventListener("click", () => this.unpin());
      head.append(unpin);
    }
    return head;
  }

  // What x is: an empty spot of the plane or a training or test point (with its class); the
  // plane's centre until someone points.
  where({ point, index, label }) {
    const spot = point === null ? t("inside.inspect.empty")
      : t(point === "train" ? "inside.inspect.train-point" : "inside.inspect.test-point", { index: String(index), label });
    return el("p", "inspect-where", this.centre ? t("inside.inspect.centre", { spot }) : spot);
  }

  // The four equations, each beside its values: s0 and h0 per hidden unit, s1 and h1 per class.
  equations({ s0, h0, active, s1, h1, predicted, label }) {
    const H = s0.length;
    const zeroed = Array.from(active.slice(0, H)).filter((a) => !a).length;
    const rows = el("div", "inspect-rows");
    rows.append(
      this.equation("s0", "W0·x + b0", unitChips(s0, active, false)),
      this.equation("h0", "ReLU(s0)", unitChips(h0, active, true), t("inside.inspect.zeroed", { zeroed, units: H })),
      this.equation("s1", "W1·h0 + b1", scoreChips(s1)),
      this.equation("h1", "softmax(s1)", probabilityBars(h1, predicted, label)),
    );
    return rows;
  }

  // One row: the formula (and a note under it) on the left, `body` (its values) on the right.
  equation(name, formula, body, note) {
    const row = el("div", "inspect-row");
    row.dataset.eq = name;
    const left = el("p", "formula");
    left.append(this.formula(name, `${name} = ${formula}`));
    if (note) left.append(el("span", "note", note));
    row.append(left, body);
    return row;
  }
}

// The first UNITS_SHOWN hidden units' values, the rest counted; `zeroedMark`: the units ReLU zeroes
// (not `active`) are marked.
function unitChips(values, active, zeroedMark) {
  const shown = Math.min(values.length, UNITS_SHOWN);
  const more = values.length > shown ? t("inside.inspect.more", { n: values.length - shown }) : "";
  const row = el("div", "chips");
  for (let k = 0; k < shown; k++) {
    const chip = el("span", "chip", fmt(values[k]));
    chip.dataset.value = String(values[k]);
    if (zeroedMark && !active[k]) {
      chip.classList.add("zeroed");
      chip.title = t("inside.inspect.zeroes", { k: String(k) });
    }
    row.append(chip);
  }
  if (more) row.append(el("span", "more", more));
  return row;
}

// The class scores s1, one chip a class in the class's colour.
function scoreChips(s1) {
  const scores = el("div", "chips");
  for (let c = 0; c < s1.length; c++) {
    const chip = el("span", `chip class-chip c${c}`, fmt(s1[c]));
    chip.dataset.value = String(s1[c]);
    scores.append(chip);
  }
  return scores;
}

// The probabilities h1 as bars, the predicted class's marked the winner and the true class "= y".
function probabilityBars(h1, predicted, label) {
  const bars = el("div", "bars");
  bars.setAttribute("role", "list");
  for (let c = 0; c < h1.length; c++) {
    const bar = el("div", "bar-row");
    bar.setAttribute("role", "listitem");
    bar.dataset.value = String(h1[c]);
    const track = el("span", "bar-track");
    const fill = el("span", `bar-fill c${c}`);
    fill.style.width = `${(100 * Math.min(1, Math.max(0, h1[c]))).toFixed(1)}%`;
    track.append(fill);
    const name = el("span", "bar-name", t("lab.class", { c }));
    if (c === predicted) bar.classList.add("winner");
    if (c === label) name.append(el("span", "truth", " = y"));
    bar.append(name, track, el("span", "bar-value", fmt(h1[c], 3)));
    bars.append(bar);
  }
  return bars;
}

// The predicted class and, for a data point, its loss term and whether the prediction is right.
function verdict({ predicted, label, loss, h1 }) {
  const line = el("p", "inspect-verdict");
  const pred = el("span", "predicted", t("inside.inspect.predicted", { c: predicted }));
  pred.dataset.value = String(predicted);
  line.append(pred);
  if (loss !== null) {
    const term = el("span", "loss-term", t("inside.inspect.loss-term", { formula: `−log h1[y] = −log ${h1[label].toFixed(3)} = ${loss.toFixed(3)}` }));
    term.dataset.value = String(loss);
    line.append(term, el("span", predicted === label ? "right" : "wrong", t(predicted === label ? "inside.inspect.right" : "inside.inspect.wrong")));
  }
  return line;
}

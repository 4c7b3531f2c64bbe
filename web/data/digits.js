// Digits mode: the test images the net gets wrong, and a pad to draw a digit on with the mouse, a pen
// or a finger. pynn turns the strokes into an image like the data's (its shape: the page table's
// kinds) and gives the 10 class probabilities (Session.classify_drawing, pynn.page.drawing); this
// module draws and forwards.

import { el } from "../dom.js";
import { number, t } from "../lang/text.js";

const SHOWN_MISTAKES = 48; // misclassified images drawn; the rest are counted
const REDRAW_MS = 250; // while training, redraw the mistakes and re-ask the pad's probabilities at most this often
const MIN_STEP_PX = 2; // a stroke records a point once the pen has moved this far (CSS pixels)
const PEN_PX = 16; // the pad's line width (CSS pixels)

// Append (x, y) to a stroke (flat x, y, x, y, …) if it is at least `minStep` from the last point.
export function extendStroke(stroke, x, y, minStep = MIN_STEP_PX) {
  const n = stroke.length;
  if (n >= 2 && Math.hypot(x - stroke[n - 2], y - stroke[n - 1]) < minStep) return false;
  stroke.push(Math.round(x * 10) / 10, Math.round(y * 10) / 10);
  return true;
}

// RGBA pixels of an image of `count` pixels from `offset` with values 0 … 16: 0 white, 16 black,
// as the digits are shown.
export function imagePixels(values, offset = 0, count = values.length - offset, out = new Uint8ClampedArray(4 * count)) {
  for (let i = 0; i < count; i++) {
    const shade = 255 - Math.round((Math.min(16, values[offset + i]) / 16) * 255);
    out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = shade;
    out[4 * i + 3] = 255;
  }
  return out;
}

// A canvas showing the image of `values` from `offset`, [rows, columns] pixels.
function imageCanvas(values, offset, label, [rows, columns]) {
  const canvas = el("canvas", "digit-image");
  canvas.width = columns;
  canvas.height = rows;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  canvas.getContext("2d").putImageData(new ImageData(imagePixels(values, offset, rows * columns), columns, rows), 0, 0);
  return canvas;
}

export class DigitsView {
  // page: { call, showMessages(lines, kind), table }
  constructor({ pad, clear, probs, preview, mistakes, page }) {
    this.pad = pad;
    this.probs = probs;
    this.preview = preview;
    this.mistakes = mistakes;
    this.page = page;
    this.active = false;
    this.images = null;
    this.labels = null;
    this.wrong = null;
    this.lastDraw = 0;
    this.strokes = [];
    this.drawing = null; // the stroke under the pen
    this.busy = false;
    this.again = false;
    this.lastAsk = 0;
    this.shape = null; // the images' [rows, columns]
    this.setShape(Object.values(page.table.kinds).find((kind) => kind.image)?.image ?? [0, 0]);
    this.buildProbs();
    pad.addEventListener("pointerdown", (event) => this.penDown(event));
    pad.addEventListener("pointermove", (event) => this.penMove(event));
    pad.addEventListener("pointerup", (event) => this.penUp(event));
    pad.addEventListener("pointercancel", (event) => this.penUp(event));
    clear.addEventListener("click", () => this.clearPad());
    new ResizeObserver(() => this.paintPad()).observe(pad);
  }

  // The images' shape, [rows, columns]: the pad's preview is one pixel a pixel.
  setShape(shape) {
    this.shape = shape;
    [this.preview.height, this.preview.width] = shape;
    this.preview.setAttribute("aria-label", t("data.digits.preview", { shape: shape.join("×") }));
  }

  update(message) {
    if (message.dataset !== undefined) {
      const { image } = this.page.table.kinds[message.dataset];
      this.active = Boolean(image);
      if (image && image.join() !== this.shape.join()) this.setShape(image);
      document.body.classList.toggle("digits-mode", this.active);
    }
    if (!this.active) return;
    if (message.digit_images) {
      this.images = message.digit_images;
      this.labels = message.digit_labels;
    }
    if (message.wrong_index) {
      this.wrong = { index: message.wrong_index, pred: message.wrong_pred };
      if (message.type !== "progress" || performance.now() - this.lastDraw > REDRAW_MS) this.showMistakes();
      else this.scheduleMistakes();
    }
    if (this.strokes.length && (message.type !== "progress" || performance.now() - this.lastAsk > REDRAW_MS)) {
      this.classify();
    }
  }

  // --- the misclassified test images -----------------------------------------------------------

  scheduleMistakes() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.showMistakes();
    }, REDRAW_MS);
  }

  showMistakes() {
    if (!this.images || !this.wrong) return;
    this.lastDraw = performance.now();
    const { index, pred } = this.wrong;
    const total = this.labels.length;
    const shown = Math.min(index.length, SHOWN_MISTAKES);
    const figures = [];
    const pixels = this.shape[0] * this.shape[1];
    for (let k = 0; k < shown; k++) {
      const i = index[k];
      const label = this.labels[i];
      const figure = el("figure", "mistake");
      figure.dataset.label = String(label);
      figure.dataset.predicted = String(pred[k]);
      figure.append(
        imageCanvas(this.images, pixels * i, t("data.digits.mistake", { label, predicted: pred[k] }), this.shape),
        el("figcaption", "", t("data.digits.caption", { label, predicted: pred[k] })),
      );
      figures.push(figure);
    }
    const summary = index.length === 0 ? t("data.digits.all-right", { total })
      : index.length > shown ? t("data.digits.wrong.some-shown", { wrong: index.length, total, shown })
        : t("data.digits.wrong", { wrong: index.length, total });
    const grid = el("div", "mistake-grid");
    grid.append(...figures);
    this.mistakes.dataset.count = String(index.length);
    this.mistakes.replaceChildren(el("p", "hint mistakes-summary", summary), grid);
  }

  // --- the pad ----------------------------------------------------------------------------------

  at(event) {
    const box = this.pad.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  penDown(event) {
    if (!this.active || event.button > 0) return;
    event.preventDefault();
    try {
      this.pad.setPointerCapture(event.pointerId); // keep the stroke when the pen leaves the pad
    } catch {
      // a pointer the browser does not track (a synthetic event): the stroke works without capture
    }
    this.drawing = [];
    this.strokes.push(this.drawing);
    extendStroke(this.drawing, ...this.at(event));
    this.paintPad();
    this.classifySoon();
  }

  penMove(event) {
    if (!this.drawing) return;
    event.preventDefault();
    for (const point of event.getCoalescedEvents?.() ?? [event]) extendStroke(this.drawing, ...this.at(point));
    this.paintPad();
    this.classifySoon();
  }

  penUp(event) {
    if (!this.drawing) return;
    if (this.pad.hasPointerCapture(event.pointerId)) this.pad.releasePointerCapture(event.pointerId);
    this.drawing = null;
    this.classify();
  }

  clearPad() {
    this.strokes = [];
    this.drawing = null;
    this.paintPad();
    this.showProbs(null);
    this.preview.getContext("2d").clearRect(0, 0, this.preview.width, this.preview.height);
  }

  paintPad() {
    const ratio = globalThis.devicePixelRatio || 1;
    const size = Math.max(1, Math.round(this.pad.clientWidth * ratio));
    if (this.pad.width !== size) this.pad.width = this.pad.height = size;
    const ctx = this.pad.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = "#1c2330";
    ctx.fillStyle = "#1c2330";
    ctx.lineWidth = PEN_PX;
    ctx.lineCap = ctx.lineJoin = "round";
    for (const stroke of this.strokes) {
      ctx.beginPath();
      if (stroke.length === 2) {
        ctx.arc(stroke[0], stroke[1], PEN_PX / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.moveTo(stroke[0], stroke[1]);
      for (let i = 2; i < stroke.length; i += 2) ctx.lineTo(stroke[i], stroke[i + 1]);
      ctx.stroke();
    }
  }

  // --- asking pynn ------------------------------------------------------------------------------

  classifySoon() {
    if (performance.now() - this.lastAsk > REDRAW_MS / 2) this.classify();
  }

  classify() {
    if (!this.active || !this.strokes.length) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.lastAsk = performance.now();
    this.page
      .call("classify_drawing", { strokes: this.strokes.map((stroke) => [...stroke]) })
      .then((result) => {
        if (!this.strokes.length) return; // cleared meanwhile
        this.showProbs(result.proba);
        const [rows, columns] = this.shape;
        this.preview.getContext("2d").putImageData(new ImageData(imagePixels(result.image, 0, rows * columns), columns, rows), 0, 0);
      })
      .catch((error) => {
        if (error.kind !== "stopped") this.page.showMessages([t("data.digits.pad-failed", { reason: error.message })], "error");
      })
      .finally(() => {
        this.busy = false;
        if (this.again) {
          this.again = false;
          this.classify();
        }
      });
  }

  buildProbs() {
    this.rows = [];
    const rows = [];
    for (let digit = 0; digit < 10; digit++) {
      const row = el("div", "prob");
      row.dataset.digit = String(digit);
      const bar = el("span", "prob-bar");
      const fill = el("span", "prob-fill");
      bar.append(fill);
      const value = el("span", "prob-value", "–");
      row.append(el("span", "prob-digit", String(digit)), bar, value);
      rows.push(row);
      this.rows.push({ row, fill, value });
    }
    this.probs.replaceChildren(...rows);
  }

  showProbs(proba) {
    let best = -1;
    if (proba) for (let d = 0; d < 10; d++) if (best < 0 || proba[d] > proba[best]) best = d;
    this.rows.forEach(({ row, fill, value }, digit) => {
      const p = proba ? proba[digit] : 0;
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      value.textContent = proba ? t("lab.summary.percent", { percent: number(100 * p, 1) }) : "–";
      row.classList.toggle("best", digit === best);
    });
    this.probs.dataset.predicted = proba ? String(best) : "";
  }
}

// The training view: the plane (the points over the net's decision regions, the example just
// used ringed), the class key, the curves with their options, the readouts and the net's shape.
// It draws each Session answer the session client hands it (web/start/session.js), and paints at
// most once a frame, whatever number of answers came.
import { el } from "../dom.js";
import { numeral, t } from "../lang/text.js";
import { BoundaryView } from "./boundary.js";
import { ChartView, Curves } from "./chart.js";
import { markerIcon } from "./markers.js";
import { compactCount, fixedWidth } from "./readouts.js";

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const CHART_OPTIONS = [["chart-log", "log"], ["chart-smooth", "smooth"]];

export class TrainingView {
  // doc: the page; kinds: the page table's `kinds` (an image data set's rows × columns of pixels);
  // preview: the plane's points before Python's first answer (web/start/preview.js).
  constructor({ doc = document, kinds, preview }) {
    const $ = (id) => doc.getElementById(id);
    this.$ = $;
    this.kinds = kinds;
    this.preview = preview;
    this.boundary = new BoundaryView($("boundary"));
    this.chart = new ChartView($("chart"));
    for (const [id, option] of CHART_OPTIONS) {
      this.chart[option] = $(id).checked;
      $(id).addEventListener("change", () => {
        this.chart[option] = $(id).checked;
        this.requestPaint();
      });
    }
    this.curves = new Curves();
    this.readouts = {
      epoch: $("epoch"), updates: $("updates"), trainLoss: $("train-loss"), testLoss: $("test-loss"),
      trainAcc: $("train-accuracy"), testAcc: $("test-accuracy"),
    };
    this.gridPaints = 0;
    this.dirty = false;
  }

  // The canvases repaint at their new size.
  follow() {
    new ResizeObserver(() => this.requestPaint()).observe(this.boundary.canvas);
    new ResizeObserver(() => this.requestPaint()).observe(this.chart.canvas);
  }

  // An answer: "configured" (a fresh net: the curves start again), "edited" (new points or
  // weights, the same net) or "progress" (a chunk of training; `follow`: the last update's
  // examples are ringed, with their loss before → after).
  update(message) {
    if (message.type === "configured") {
      this.preview.end();
      this.curves.clear();
    }
    this.showLastStep(message.type === "progress" && message.follow ? message : {});
    if (message.type !== "progress") {
      this.showData(message);
      this.showShape(message);
    }
    this.curves.add(message.at, {
      trainMeanLoss: message.train_mean_loss,
      testMeanLoss: message.test_mean_loss,
      trainAccuracy: message.train_accuracy,
      testAccuracy: message.test_accuracy,
    });
    if (message.grid_size) this.boundary.setGrid(message.grid_size, message.grid_class, message.grid_prob); // none for the digits
    this.gridPaints += 1;
    this.showReadouts(message);
    this.requestPaint();
  }

  // A live change of the optimiser: the chart marks where.
  settingsChanged({ changed, at, settings }) {
    if (!changed.length) return;
    this.curves.mark(at, changed.map((key) => `${key} ${settings[key]}`).join(", "));
    this.requestPaint();
  }

  // The points (an answer's, or the preview's in BoundaryView.setData's shape) and their key.
  showPoints(data) {
    this.boundary.setData(data);
    this.showClassKey(data.classes);
  }

  showData(message) {
    this.showPoints({
      classes: message.classes, extent: message.extent,
      trainXy: message.train_xy, trainY: message.train_y, testXy: message.test_xy, testY: message.test_y,
    });
  }

  showLastStep({ last_index: index, last_loss_before: before, last_loss_after: after }) {
    this.boundary.setLast(index);
    this.boundary.canvas.dataset.last = index ? Array.from(index).join(",") : "";
    const box = this.$("last-step");
    if (!index) {
      box.textContent = "";
      return;
    }
    const losses = { before: fixedWidth(before, 3), after: fixedWidth(after, 3) };
    box.textContent = index.length === 1
      ? t("lab.last-step.one", { index: String(index[0]), label: this.boundary.data.trainY[index[0]], ...losses })
      : t("lab.last-step.many", { n: index.length, ...losses });
  }

  showReadouts({ epoch, updates }) {
    const { readouts, curves } = this;
    const last = curves.length - 1;
    readouts.epoch.textContent = epoch < 1e5 ? numeral(String(epoch)) : compactCount(epoch);
    readouts.updates.textContent = compactCount(updates);
    readouts.updates.dataset.count = String(updates); // the exact count, for the tests and the tooltip
    readouts.updates.parentElement.title = t("lab.updates.count", { n: updates });
    readouts.trainLoss.textContent = fixedWidth(curves.trainMeanLoss[last], 4);
    readouts.testLoss.textContent = fixedWidth(curves.testMeanLoss[last], 4);
    readouts.trainAcc.textContent = fixedWidth(curves.trainAccuracy[last], 3);
    readouts.testAcc.textContent = fixedWidth(curves.testAccuracy[last], 3);
  }

  showClassKey(classes) {
    const items = [];
    for (let c = 0; c < classes; c++) {
      const item = el("span");
      item.append(markerIcon(c), t("lab.class", { c }));
      items.push(item);
    }
    this.$("classes-key").replaceChildren(...items);
  }

  // The net's shape D-H-C and parameter count, as pynn reports them with a fresh net.
  showShape({ shape, parameters, dataset }) {
    const [inputs, hidden, classes] = shape;
    const power = [...String(inputs)].map((digit) => SUPERSCRIPT[digit]).join("");
    const image = this.kinds[dataset].image; // rows × columns of pixels, or null for points of the plane
    const space = image ? t("lab.shape.image", { space: `ℝ${power}`, rows: image[0], columns: image[1] }) : `ℝ${power}`;
    this.$("shape").textContent = t("lab.shape", { space, hidden, classes, parameters });
  }

  requestPaint() {
    if (this.dirty) return;
    this.dirty = true;
    requestAnimationFrame(() => {
      this.dirty = false;
      this.boundary.paint();
      this.chart.paint(this.curves);
      this.$("chart-note").textContent = this.chart.window > 1
        ? t("lab.chart.smoothed", { n: this.chart.window }) : "";
      this.boundary.canvas.dataset.paints = String(this.gridPaints);
    });
  }
}

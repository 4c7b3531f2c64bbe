// The trained model as a file (export, import), the boundary canvas as a PNG, and the per-epoch
// metrics as CSV (mean loss per example and accuracy). pynn writes and checks the model file (Session.export_model, import_model with
// pynn.page.modelfile); this module only moves files, after checking an import's size before reading it.

import { t, tn } from "../lang/text.js";
import { SERIES } from "../training/chart.js";
import { download, readText } from "./files.js";

export const HISTORY_HEADER = "epoch,train_mean_loss,test_mean_loss,train_accuracy,test_accuracy";

// The chart's rows at whole epochs (web/training/chart.js Curves) as CSV; a missing value is an empty field.
export function historyCsv(curves) {
  const cell = (value) => (Number.isFinite(value) ? String(value) : "");
  const lines = [HISTORY_HEADER];
  for (const i of curves.epochRows()) {
    lines.push([curves.at[i], ...SERIES.map((name) => cell(curves[name][i]))].join(","));
  }
  return `${lines.join("\n")}\n`;
}

// A file name part made of the settings, e.g. "spiral-H32".
export function modelName(settings) {
  return `${settings.dataset}-H${settings.hidden}`;
}

export class ModelFiles {
  // page: { call, took(result), showMessages(lines, kind), pause(), settings(), table }
  constructor({ exportButton, importInput, pictureButton, historyButton, canvas, curves, page }) {
    this.exportButton = exportButton;
    this.importInput = importInput;
    this.pictureButton = pictureButton;
    this.historyButton = historyButton;
    this.canvas = canvas;
    this.curves = curves;
    this.page = page;
    exportButton.addEventListener("click", () => this.exportModel());
    importInput.addEventListener("change", () => this.importModel());
    pictureButton.addEventListener("click", () => this.savePicture());
    historyButton.addEventListener("click", () => this.saveHistory());
    this.enable(false);
  }

  update(message) {
    if (message.type === "configured") this.enable(true);
    if (message.dataset !== undefined) this.pictureButton.disabled = !this.page.table.kinds[message.dataset].plane;
  }

  enable(on) {
    for (const control of [this.exportButton, this.importInput, this.pictureButton, this.historyButton]) {
      control.disabled = !on;
    }
  }

  async exportModel() {
    try {
      const result = await this.page.call("export_model", {});
      download(`pynn-model-${modelName(this.page.settings())}.json`, result.json, "application/json");
    } catch (error) {
      this.failed(error, "data.model.export-failed");
    }
  }

  async importModel() {
    const file = this.importInput.files[0];
    this.importInput.value = "";
    if (!file) return;
    try {
      const text = await readText(file, this.page.table.model_max_bytes);
      this.page.pause();
      const result = await this.page.call("import_model", { text });
      this.page.took(result);
      this.page.showMessages([result.trained_epochs
        ? tn("data.model.imported.trained", result.trained_epochs, { file: file.name })
        : t("data.model.imported", { file: file.name })]);
    } catch (error) {
      this.failed(error, "data.model.import-failed", { file: file.name });
    }
  }

  savePicture() {
    this.canvas.toBlob((blob) => {
      if (blob) download(`pynn-${modelName(this.page.settings())}.png`, blob);
      else this.page.showMessages([t("data.picture.empty")], "error");
    }, "image/png");
  }

  saveHistory() {
    download(`pynn-history-${modelName(this.page.settings())}.csv`, historyCsv(this.curves), "text/csv");
  }

  // `what`: the id of the message that says what failed, its {reason} the error's.
  failed(error, what, params = {}) {
    if (error.kind === "stopped") return;
    this.page.showMessages([t(what, { ...params, reason: error.message })], "error");
  }
}

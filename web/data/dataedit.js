// Your own data: click on the plane to add a point of the chosen class, shift-click to remove the
// nearest, clear them all, upload a CSV of x1,x2,label rows or download the points as one.
// pynn does the work (Session.add_point, remove_point, clear_points, load_csv, data_csv, with the
// CSV rules and limits of pynn.page.csvdata); this module turns clicks and files into those calls.

import { el, pixelToPlane } from "../dom.js";
import { t, tn } from "../lang/text.js";
import { download, readText } from "./files.js";

// The picker's choices: "" (clicks inspect the net) and one per class of the net.
export function pickerChoices(classes) {
  const choices = [{ value: "", label: t("data.pick.nothing") }];
  for (let c = 0; c < classes; c++) choices.push({ value: String(c), label: t("data.pick.class", { c }) });
  choices.push({ value: "remove", label: t("data.pick.remove") }); // shift-click, for touch
  return choices;
}

export class DataEditor {
  // page: { call, took(result), showMessages(lines, kind), pause(), table }; limits: where the CSV's
  // limits are said (the page table's).
  constructor({ canvas, picker, clear, upload, save, count, limits, page }) {
    this.canvas = canvas;
    this.picker = picker;
    this.clearButton = clear;
    this.upload = upload;
    this.save = save;
    this.count = count;
    this.limits = limits;
    this.page = page;
    this.extent = null;
    this.classes = 0;
    this.dataset = null;
    this.plane = false;
    canvas.addEventListener("click", (event) => this.clicked(event));
    clear.addEventListener("click", () => this.edit("clear_points", {}));
    upload.addEventListener("change", () => this.uploaded());
    save.addEventListener("click", () => this.saveCsv());
    this.enable(false);
    this.sayLimits();
  }

  sayLimits() {
    const { csv } = this.page.table;
    this.limits.textContent = t("data.csv.limits", { label: csv.max_label, rows: csv.max_rows });
  }

  // The page's language changed: the limits and the picker's classes said in it (the count follows
  // the next answer).
  languageChanged() {
    this.sayLimits();
    if (this.classes) this.fillPicker(this.classes);
  }

  update(message) {
    if (message.extent === undefined) return; // only answers that carry the points
    this.extent = message.extent;
    this.dataset = message.dataset;
    const { plane, yours } = this.page.table.kinds[message.dataset];
    this.plane = plane;
    const count = tn("data.points.count", message.test_y.length, { train: message.train_y.length });
    if (message.classes !== this.classes) this.fillPicker(message.classes);
    this.enable(plane);
    // An empty plane of your own (e.g. a shared dataset=custom link): a click must add a point.
    const empty = message.train_y.length + message.test_y.length === 0;
    if (yours && empty && this.picker.value === "") this.picker.value = "0";
    const adding = this.picker.value === "remove" || this.picker.value === "" ? null : Number(this.picker.value);
    this.count.textContent = !(empty && yours) ? count
      : adding === null ? t("data.points.empty", { count }) : t("data.points.empty.class", { count, c: adding });
    if (message.notice) this.page.showMessages([t("data.points.notice", { notice: message.notice })]);
  }

  fillPicker(classes) {
    const kept = this.picker.value;
    this.classes = classes;
    this.picker.replaceChildren(
      ...pickerChoices(classes).map(({ value, label }) => {
        const option = el("option", "", label);
        option.value = value;
        return option;
      }),
    );
    this.picker.value = kept === "remove" || Number(kept) < classes ? kept : "";
  }

  enable(on) {
    for (const control of [this.picker, this.clearButton, this.upload, this.save]) control.disabled = !on;
  }

  clicked(event) {
    if (this.extent === null || !this.plane) return;
    const adding = this.picker.value !== "";
    if (!adding && !event.shiftKey) return; // the click is the inspect panel's
    event.preventDefault(); // tells the inspect panel the click was taken
    const box = this.canvas.getBoundingClientRect();
    const { x1, x2 } = pixelToPlane(event.clientX - box.left, event.clientY - box.top, this.extent, box.width, box.height);
    if (event.shiftKey || this.picker.value === "remove") this.edit("remove_point", { x1, x2 });
    else this.edit("add_point", { x1, x2, label: Number(this.picker.value) });
  }

  edit(method, args) {
    this.page
      .call(method, args)
      .then((result) => this.page.took(result))
      .catch((error) => this.failed(error, "data.points.refused"));
  }

  async uploaded() {
    const file = this.upload.files[0];
    this.upload.value = ""; // choosing the same file again still counts as a change
    if (!file) return;
    try {
      const text = await readText(file, this.page.table.csv.max_bytes);
      this.page.pause();
      const result = await this.page.call("load_csv", { text });
      this.page.took(result);
      const points = result.train_y.length + result.test_y.length;
      this.page.showMessages([tn("data.csv.loaded", points, { classes: result.classes, file: file.name })]);
    } catch (error) {
      this.failed(error, "data.csv.failed", { file: file.name });
    }
  }

  async saveCsv() {
    try {
      const result = await this.page.call("data_csv", {});
      download(`pynn-${this.dataset ?? "data"}.csv`, result.csv, "text/csv");
    } catch (error) {
      this.failed(error, "data.csv.save-failed");
    }
  }

  // `what`: the id of the message that says what failed, its {reason} the error's.
  failed(error, what, params = {}) {
    if (error.kind === "stopped") return;
    this.page.showMessages([t(what, { ...params, reason: error.message })], "error");
  }
}

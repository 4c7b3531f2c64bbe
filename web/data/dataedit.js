// Your own data: click on the plane to add a point of the chosen class, shift-click to remove the
// nearest, clear them all, upload a CSV of x1,x2,label rows or download the points as one.
// pynn does the work (Session.add_point, remove_point, clear_points, load_csv, data_csv, with the
// CSV rules and limits of pynn.page.csvdata); this module turns clicks and files into those calls.

import { el, pixelToPlane } from "../dom.js";
import { download, readText } from "./files.js";

// The picker's choices: "" (clicks inspect the net) and one per class of the net.
export function pickerChoices(classes) {
  const choices = [{ value: "", label: "nothing (inspect)" }];
  for (let c = 0; c < classes; c++) choices.push({ value: String(c), label: `a class ${c} point` });
  choices.push({ value: "remove", label: "remove the nearest point" }); // shift-click, for touch
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
    const { csv } = page.table;
    limits.textContent = `, labels 0–${csv.max_label}, at most ${csv.max_rows.toLocaleString("en")} rows`;
  }

  update(message) {
    if (message.extent === undefined) return; // only answers that carry the points
    this.extent = message.extent;
    this.dataset = message.dataset;
    const { plane, yours } = this.page.table.kinds[message.dataset];
    this.plane = plane;
    this.count.textContent = `${message.train_y.length} training · ${message.test_y.length} test points`;
    if (message.classes !== this.classes) this.fillPicker(message.classes);
    this.enable(plane);
    // An empty plane of your own (e.g. a shared dataset=custom link): a click must add a point.
    const empty = message.train_y.length + message.test_y.length === 0;
    if (yours && empty && this.picker.value === "") this.picker.value = "0";
    if (empty && yours) {
      const which = this.picker.value === "remove" || this.picker.value === "" ? "" : `class ${this.picker.value} `;
      this.count.textContent += ` — click on the plane to add ${which}points, or upload a CSV`;
    }
    if (message.notice) this.page.showMessages([`Your points: ${message.notice}.`]);
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
      .catch((error) => this.failed(error, "That change to the points was refused"));
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
      this.page.showMessages([`Loaded ${points} points in ${result.classes} classes from ${file.name}.`]);
    } catch (error) {
      this.failed(error, `Could not load ${file.name}`, " The points already loaded are unchanged.");
    }
  }

  async saveCsv() {
    try {
      const result = await this.page.call("data_csv", {});
      download(`pynn-${this.dataset ?? "data"}.csv`, result.csv, "text/csv");
    } catch (error) {
      this.failed(error, "Could not save the points");
    }
  }

  failed(error, what, after = "") {
    if (error.kind === "stopped") return;
    this.page.showMessages([`${what}: ${error.message}.${after}`], "error");
  }
}

// The setup controls made teachable: a slider beside each number where one fits (the learning rate
// on a log scale), the exact value still typeable in its box; and a short help text for every
// control (what it is, what to try: the page table's `help`, declared with each setting in
// pynn/page/settings.py), linked with aria-describedby and shown in one reserved box while the
// control is pointed at or focused, so nothing moves.
//
// A slider only writes its box and fires the box's "change": the page's one path for a new value
// (main.js controlChanged) does the rest, so a slider and typing behave the same.
import { numeral, t } from "../lang/text.js";

// The sliders, from the page table (pynn/page/settings.py's sliders()): { key: { values } } steps
// through a list of nice values, its setting's range at the ends; { key: { min, max, step } } moves
// linearly. The box beside a slider takes any value in range.

// The slider position of a value on a list of nice values: the nearest entry (on a log scale, so
// 0.15 sits between 0.1 and 0.2 the way the eye expects).
export function nearestIndex(list, value) {
  const key = (v) => Math.log(Math.max(v, 1e-9));
  let best = 0;
  for (let i = 1; i < list.length; i++) {
    if (Math.abs(key(list[i]) - key(value)) < Math.abs(key(list[best]) - key(value))) best = i;
  }
  return best;
}

export function sliderValue(slider, position) {
  if (slider.values) return slider.values[Math.round(position)];
  return Number((Math.round(position / slider.step) * slider.step).toFixed(2));
}

export function sliderPosition(slider, value) {
  return slider.values ? nearestIndex(slider.values, value) : value;
}

export class Controls {
  // table: the page table (dist/settings.js), whose `help` and `sliders` this reads.
  constructor({ doc = document, helpBox, table }) {
    this.doc = doc;
    this.helpBox = helpBox;
    this.table = table.sliders;
    this.sliders = {};
    this.help = table.help;
    helpBox.textContent = t("lab.help.idle");
    for (const [key, id] of Object.entries(table.help)) this.addHelp(key, t(id));
    for (const key of Object.keys(this.table)) this.addSlider(key);
  }

  // The page's language changed: every help, the idle line and the sliders' names in it.
  languageChanged() {
    for (const [key, id] of Object.entries(this.help)) {
      const help = this.doc.getElementById(`${key}-help`);
      if (help) help.textContent = t(id);
    }
    this.helpBox.textContent = t("lab.help.idle");
    for (const [key, slider] of Object.entries(this.sliders)) slider.setAttribute("aria-label", this.sliderName(key));
    this.syncAll();
  }

  // A slider's accessible name: its control's label's.
  sliderName(key) {
    const label = this.doc.getElementById(key)?.closest(".field")?.querySelector("label");
    return t("lab.slider", { control: label ? label.firstChild.textContent.trim() : key });
  }

  addHelp(key, text) {
    const control = this.doc.getElementById(key);
    const field = control?.closest(".field");
    if (!field) return;
    const help = this.doc.createElement("span");
    help.id = `${key}-help`;
    help.className = "visually-hidden";
    help.textContent = text;
    field.append(help);
    control.setAttribute("aria-describedby", help.id);
    const show = () => (this.helpBox.textContent = help.textContent);
    const hide = () => (this.helpBox.textContent = t("lab.help.idle"));
    field.addEventListener("pointerenter", show);
    field.addEventListener("pointerleave", () => {
      if (!field.contains(this.doc.activeElement)) hide();
    });
    field.addEventListener("focusin", show);
    field.addEventListener("focusout", hide);
  }

  addSlider(key) {
    const box = this.doc.getElementById(key);
    const field = box?.closest(".field");
    if (!field) return;
    const slider = this.doc.createElement("input");
    slider.type = "range";
    slider.className = "slider";
    slider.id = `${key}-slider`;
    slider.dataset.testid = `${key}-slider`;
    const stops = this.table[key];
    if (stops.values) {
      slider.min = "0";
      slider.max = String(stops.values.length - 1);
      slider.step = "1";
    } else {
      slider.min = String(stops.min);
      slider.max = String(stops.max);
      slider.step = String(stops.step);
    }
    slider.setAttribute("aria-label", this.sliderName(key));
    slider.setAttribute("aria-describedby", `${key}-help`);
    slider.addEventListener("input", () => {
      const value = sliderValue(stops, Number(slider.value));
      box.value = String(value);
      slider.setAttribute("aria-valuetext", numeral(String(value)));
    });
    slider.addEventListener("change", () => box.dispatchEvent(new Event("change")));
    field.classList.add("has-slider");
    field.append(slider);
    this.sliders[key] = slider;
    // The box's value may change from the hash, a file or the tour: follow it.
    const follow = () => this.sync(key);
    box.addEventListener("change", follow);
    new MutationObserver(follow).observe(box, { attributes: true, attributeFilter: ["disabled"] });
  }

  // Put each slider where its box's value is (after the page filled the boxes).
  sync(key) {
    const slider = this.sliders[key];
    const box = this.doc.getElementById(key);
    const value = Number(box.value);
    if (Number.isFinite(value)) {
      slider.value = String(sliderPosition(this.table[key], value));
      slider.setAttribute("aria-valuetext", numeral(box.value));
    }
    slider.disabled = box.disabled;
    // Points and noise say nothing for the digits or your own points: say so instead of a value.
    const field = box.closest(".field");
    field.classList.toggle("na", box.disabled);
    const dataset = this.doc.getElementById("dataset");
    field.dataset.na = box.disabled ? t("lab.not-used", { dataset: dataset.selectedOptions?.[0]?.textContent ?? dataset.value }) : "";
  }

  syncAll() {
    for (const key of Object.keys(this.sliders)) this.sync(key);
  }
}

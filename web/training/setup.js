// The setup's controls: one per setting of the page table (the ids are the hash's keys), filled
// from the store (web/state.js) once per change of it, and each edit put into the store, which
// writes the address and has the session client send it to pynn. The choices and ranges come
// from the table; a data set's classes from its class range; a setting a data set ignores is
// disabled. Also the help and the sliders (training/controls.js), the phone's folded summary
// (training/settingsfold.js) and present mode's hidden controls (training/hidecontrols.js).
import { el } from "../dom.js";
import { t } from "../lang/text.js";
import { BY, choiceName } from "../state.js";
import { applyHide } from "./hidecontrols.js";
import { Controls } from "./controls.js";
import { SettingsFold } from "./settingsfold.js";

export class SetupControls {
  // state: makeState(table) (web/state.js); messages: the page's message line.
  constructor({ doc = document, store, state, table, messages }) {
    this.doc = doc;
    this.store = store;
    this.state = state;
    this.messages = messages;
    const $ = (id) => doc.getElementById(id);
    this.boxes = Object.fromEntries(state.KEYS.map((key) => [key, $(key)]));
    this.teach = new Controls({ doc, helpBox: $("help-box"), table });
    const { FIELDS, KEYS } = state;
    this.fold = new SettingsFold({ button: $("settings-fold"), summary: $("settings-fold-summary"), root: $("settings-body").parentElement,
      name: (dataset) => choiceName(FIELDS.dataset, dataset) });
    for (const key of KEYS) { // a choice (the data set, init) takes its options, and their names, from the table
      if (FIELDS[key].choices) this.boxes[key].replaceChildren(...FIELDS[key].choices.map((value) => Object.assign(el("option", "", choiceName(FIELDS[key], value)), { value })));
      this.boxes[key].addEventListener("change", () => this.changed(key));
      this.boxes[key].addEventListener("input", () => this.boxes[key].classList.remove("bad"));
      const range = $(`${key}-range`);
      if (range) range.textContent = `${FIELDS[key].min}–${FIELDS[key].max}`;
    }
    store.subscribe(({ settings, view, by }) => {
      if (settings.length || by === BY.address) this.render();
      if (view.includes("hide") || by === BY.address) applyHide(store.view.hide, KEYS, doc);
    });
  }

  // The page's language changed: the menus' names, the controls' help and the sliders' names in it.
  languageChanged() {
    for (const key of this.state.KEYS) {
      if (!this.state.FIELDS[key].choices) continue;
      for (const option of this.boxes[key].options) option.textContent = choiceName(this.state.FIELDS[key], option.value);
    }
    this.teach.languageChanged();
    this.fold.show(this.store.settings);
  }

  // The classes the data set allows; the settings it ignores (points and noise for the digits and
  // your own points: they are not generated) disabled.
  fillClasses() {
    const { settings } = this.store;
    const [low, high] = this.state.CLASS_RANGE[settings.dataset];
    const options = [];
    for (let c = low; c <= high; c++) options.push(Object.assign(el("option", "", String(c)), { value: String(c) }));
    this.boxes.classes.replaceChildren(...options);
    this.boxes.classes.disabled = low === high;
    for (const key of this.state.KEYS) {
      if (key !== "dataset" && key !== "classes") this.boxes[key].disabled = !this.state.applies(key, settings.dataset);
    }
  }

  // Every box from the store, but one being typed in.
  render() {
    const { settings } = this.store;
    this.boxes.dataset.value = settings.dataset;
    this.fillClasses();
    for (const [key, box] of Object.entries(this.boxes)) {
      if (box === this.doc.activeElement && box.value !== String(settings[key])) continue; // being typed in
      box.value = String(settings[key]);
      box.classList.remove("bad");
    }
    this.teach.syncAll();
    this.fold.show(settings);
  }

  // A box's new value (typed, or a slider's): into the store when it is good, else a message and
  // the old value back.
  changed(key) {
    const box = this.boxes[key];
    const { settings } = this.store;
    const parsed = this.state.parseValue(key, box.value);
    if ("error" in parsed) {
      this.messages.show([t("lab.setting.kept", { problem: parsed.error, value: String(settings[key]) })], "error");
      box.value = String(settings[key]);
      box.classList.add("bad");
      return;
    }
    box.classList.remove("bad");
    if (parsed.value === settings[key]) {
      box.value = String(settings[key]);
      return;
    }
    const next = { [key]: parsed.value };
    if (key === "dataset") {
      // A count the new data set allows stays; another (the digits' 10 on the spiral) takes the default.
      const [low, high] = this.state.CLASS_RANGE[parsed.value];
      const kept = settings.classes >= low && settings.classes <= high;
      next.classes = this.state.fitClasses(parsed.value, kept ? settings.classes : this.state.FIELDS.classes.default);
    }
    this.messages.show([]);
    this.store.set({ settings: next });
    box.value = String(this.store.settings[key]);
  }
}

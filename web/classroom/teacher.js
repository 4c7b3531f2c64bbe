// The teacher's page (#view=teacher): a form that makes an assignment link (with a Copy button, a
// QR code the page draws itself and the link full screen for the projector), and the class view
// that grades the students' hand-ins (web/classroom/classview.js).
//
// Nothing here understands a hand-in or grades one: pynn.page.handin does, in Python. The module
// is handed three async functions:
//   python(method, args) calls a Session method (pynn.page.session.PAGE_CALLS) as the page's
//                       call(method, args) does: read_handin({ file, text, size }) and
//                       class_report({ entries, results }), pynn.page.handin's; read_class and
//                       class_file, pynn.page.gradebook's
//   check(name, source) checks a piece of code as the student's Check does (web/start/checking.js:
//                       it runs in the sandbox, pynn judges what came out in the training
//                       worker); resolves with pynn.page.judge's result { status, passed, total,
//                       checks, error, flags }, status "timeout" for code that did not end,
//                       "crashed" for code that killed the sandbox's Python
//   checkStep(step, expression) the same for a derivation step (pynn.page.derive's result)
// so node --test drives it with fakes. Every piece of student code and every step's expression is
// checked again: what a file says it scored is never used. Text from a file or from Python
// reaches the page only through textContent.
import { makeAssignment } from "./assignment.js";
import { ClassView } from "./classview.js";
import { elementMaker } from "../dom.js";
import { t } from "../lang/text.js";

// --- the assignment form ----------------------------------------------------------------------

// A setting's name in words (its key where the page has no words for it: a setting added later).
const SETTING_TEXT = {
  dataset: "assignment.setting.dataset", classes: "assignment.setting.classes", points: "assignment.setting.points",
  noise: "assignment.setting.noise", split: "assignment.setting.split", hidden: "assignment.setting.hidden",
  init: "assignment.setting.init", lr: "assignment.setting.lr", batch: "assignment.setting.batch",
  wd: "assignment.setting.wd", seed: "assignment.setting.seed",
};
const settingName = (key) => (Object.hasOwn(SETTING_TEXT, key) ? t(SETTING_TEXT[key]) : key);
const STUDENT_ID_TEXT = { optional: "assignment.student-id-optional", required: "assignment.student-id-required" };

// The QR code of `text` on `canvas`: qrcode-generator's modules (dist/vendor/qrcode.js), `scale`
// pixels each, with the four-module quiet zone a reader needs.
export function drawQr(qrcode, canvas, text, scale = 4) {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const size = (count + 8) * scale;
  canvas.width = canvas.height = size;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, size, size);
  context.fillStyle = "#000";
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) context.fillRect((col + 4) * scale, (row + 4) * scale, scale, scale);
    }
  }
  return count;
}

// Whether students can reach the page at `base`: not at localhost, 127.x, ::1 or a file: address.
export function unreachable(base) {
  try {
    const url = new URL(base);
    return url.protocol === "file:" || ["localhost", "[::1]"].includes(url.hostname) || /^127\./.test(url.hostname)
      || url.hostname.endsWith(".localhost");
  } catch {
    return true;
  }
}

export class AssignmentForm {
  // table: dist/settings.js; state: makeState(table); current(): { settings, hide } of the page now;
  // base: the page's address without its hash; clipboard: navigator.clipboard; loadQr(): the
  // module dist/vendor/qrcode.js.
  constructor({ root, table, state, current, base, clipboard, loadQr = () => import("../vendor/qrcode.js"), doc = globalThis.document }) {
    this.h = elementMaker(doc);
    this.doc = doc;
    this.root = root;
    this.table = table;
    this.state = state;
    this.current = current;
    this.base = base;
    this.clipboard = clipboard;
    this.loadQr = loadQr;
    this.assignment = makeAssignment(table);
    this.order = [...table.exercises.order];
    this.codeTouched = false; // the teacher ticked or unticked "pynn's code" themselves
    this.build();
    this.update();
  }

  // The page's language changed: the form made again in it, with what the teacher chose (every
  // field has its testid).
  languageChanged() {
    const fields = [...this.root.querySelectorAll("input[data-testid], select[data-testid]")]
      .map((field) => [field.dataset.testid, field.type === "checkbox" ? field.checked : field.value]);
    const { order, codeTouched } = this;
    this.build();
    this.order = order;
    this.codeTouched = codeTouched;
    for (const [testid, value] of fields) {
      const field = this.root.querySelector(`[data-testid="${testid}"]`);
      if (field && field.type === "checkbox") field.checked = value;
      else if (field && field.dataset.testid !== "assign-link") field.value = value;
    }
    this.showOrder();
    this.update();
  }

  // A field with its one-line help under it.
  helped(node, help) {
    return this.h("div", { className: "assign-item" }, node, this.h("p", { className: "hint assign-help" }, t(help)));
  }

  build() {
    const h = this.h;
    const keys = this.assignment.KEYS;
    const changed = () => this.update();
    this.title = h("input", { type: "text", testid: "assign-title", maxlength: keys.assign.max_chars, autocomplete: "off" });
    this.title.addEventListener("input", changed);
    this.exerciseList = h("ol", { className: "assign-exercises" });
    this.exerciseBoxes = {};
    for (const name of this.table.exercises.order) {
      const box = h("input", { type: "checkbox", checked: true, testid: `assign-exercise-${name}` });
      box.addEventListener("change", changed);
      this.exerciseBoxes[name] = box;
    }
    this.solutions = h("input", { type: "checkbox", checked: true, testid: "assign-solutions" });
    this.solutions.addEventListener("change", changed);
    this.equations = h("select", { testid: "assign-equations" },
      h("option", { value: "shown" }, t("assignment.equations-shown")), h("option", { value: "ask" }, t("assignment.equations-ask")));
    this.equations.value = "shown";
    this.equations.addEventListener("change", changed);
    this.studentId = h("select", { testid: "assign-student-id" },
      ...keys.student_id.choices.map((value) => h("option", { value }, t(STUDENT_ID_TEXT[value]))));
    this.studentId.value = keys.student_id.default;
    this.studentId.addEventListener("change", changed);
    this.language = h("select", { testid: "assign-lang" }, h("option", { value: "" }, t("assignment.language-browser")),
      ...Object.entries(this.table.languages).map(([code, name]) => h("option", { value: code, lang: code }, name)));
    this.language.addEventListener("change", changed);
    this.makeBoxes(keys, changed);
    this.buildOut();
    this.root.replaceChildren(
      h("h2", { className: "card-title" }, t("assignment.heading")), this.addressWarning,
      this.helped(h("label", { className: "assign-field" }, t("assignment.title"), " ", this.title), "assignment.help.title"),
      this.helped(h("fieldset", {}, h("legend", {}, t("assignment.exercises")), this.exerciseList), "assignment.help.exercises"),
      this.helped(h("label", { className: "assign-check" }, this.solutions, ` ${t("assignment.solutions")}`), "assignment.help.solutions"),
      this.helped(h("label", { className: "assign-field" }, t("assignment.equations"), " ", this.equations), "assignment.help.equations"),
      this.helped(h("label", { className: "assign-field" }, t("assignment.student-id"), " ", this.studentId), "assignment.help.student-id"),
      this.helped(h("label", { className: "assign-field" }, t("assignment.language"), " ", this.language), "assignment.help.language"),
      this.helped(h("fieldset", {}, h("legend", {}, t("assignment.hide")), ...this.hideBoxes.map((item) => item.node)), "assignment.help.hide"),
      this.helped(h("fieldset", {}, h("legend", {}, t("assignment.panels")), ...this.panelBoxes.map((item) => item.node)), "assignment.help.panels"),
      this.codeWarning,
      this.helped(h("fieldset", { testid: "assign-lessons" }, h("legend", {}, t("assignment.lessons")),
        ...this.lessonBoxes.map((item) => item.node)), "assignment.help.lessons"),
      this.setup,
      h("p", { className: "assign-out" }, this.link, " ", this.copyButton, " ", this.showButton, " ", this.copyStatus),
      this.qr, this.projector,
    );
    this.showOrder();
  }

  makeBoxes(keys, changed) {
    const checkboxes = (names, prefix, label, checked) => names.map((name) => {
      const box = this.h("input", { type: "checkbox", checked, testid: `${prefix}-${name}` });
      if (`${prefix}-${name}` === "assign-panel-code") box.addEventListener("change", () => { this.codeTouched = true; });
      box.addEventListener("change", changed);
      return { name, box, node: this.h("label", { className: "assign-check" }, box, ` ${label(name)}`) };
    });
    this.hideBoxes = checkboxes(this.state.KEYS, "assign-hide", settingName, false);
    const lessonTitle = (name) => { const found = this.table.lessons?.find((lesson) => lesson.name === name); return found ? t(found.title) : name; };
    this.lessonBoxes = checkboxes(keys.lessons.choices, "assign-lesson", (name) => `${lessonTitle(name)} (${name})`, false);
    this.panelBoxes = checkboxes(Object.keys(this.table.panels), "assign-panel", (name) => t(this.table.panels[name]), true);
    this.codeBox = this.panelBoxes.find((item) => item.name === "code")?.box ?? null;
  }

  buildOut() {
    const h = this.h;
    this.addressWarning = h("p", { className: "assign-warning", testid: "assign-address-warning", role: "note",
      hidden: !unreachable(this.base) }, t("assignment.address-warning"));
    this.codeWarning = h("p", { className: "assign-warning", testid: "assign-code-warning", role: "status", hidden: true },
      t("assignment.code-warning"));
    this.setup = h("p", { className: "hint", testid: "assign-setup" });
    this.link = h("input", { type: "text", readOnly: true, testid: "assign-link", "aria-label": t("assignment.link-label") });
    this.copyButton = h("button", { type: "button", className: "button small", testid: "assign-copy" }, t("assignment.copy"));
    this.copyStatus = h("span", { className: "hint", role: "status", testid: "assign-copy-status" });
    this.copyButton.addEventListener("click", () => this.copy());
    this.showButton = h("button", { type: "button", className: "button small", testid: "assign-show" }, t("assignment.show"));
    this.showButton.addEventListener("click", () => this.showToClass());
    this.qr = h("canvas", { className: "assign-qr", testid: "assign-qr", role: "img", "aria-label": t("assignment.qr-label") });
    this.bigQr = h("canvas", { className: "assign-big-qr", role: "img", "aria-label": t("assignment.qr-label") });
    this.bigLink = h("p", { className: "assign-big-link", testid: "assign-big-link" });
    const close = h("button", { type: "button", className: "button", testid: "assign-show-close" }, t("assignment.show-close"));
    close.addEventListener("click", () => this.hideFromClass());
    this.projector = h("div", { className: "assign-projector", testid: "assign-projector", role: "dialog", "aria-modal": "true",
      "aria-label": t("assignment.show"), hidden: true, tabIndex: -1 }, this.bigQr, this.bigLink, close);
    this.projector.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.hideFromClass();
    });
  }

  // The link to the class, full screen for the projector: the QR code as large as the screen
  // allows, the link in large type.
  async showToClass() {
    this.bigLink.textContent = this.link.value;
    this.projector.hidden = false;
    this.projector.focus?.();
    const { qrcode } = await this.loadQr();
    const view = this.doc.defaultView;
    const room = Math.min(view?.innerWidth ?? 800, (view?.innerHeight ?? 600) * 0.7);
    const modules = drawQr(qrcode, this.bigQr, this.link.value, 1);
    drawQr(qrcode, this.bigQr, this.link.value, Math.max(2, Math.floor(room / (modules + 8))));
  }

  hideFromClass() {
    this.projector.hidden = true;
    this.showButton.focus?.();
  }

  showOrder() {
    this.exerciseList.replaceChildren(...this.order.map((name, i) => {
      const up = this.h("button", { type: "button", className: "button small quiet", testid: `assign-up-${name}`, disabled: i === 0,
        "aria-label": t("assignment.move-up", { name }) }, "↑");
      const down = this.h("button", { type: "button", className: "button small quiet", testid: `assign-down-${name}`,
        disabled: i === this.order.length - 1, "aria-label": t("assignment.move-down", { name }) }, "↓");
      up.addEventListener("click", () => this.move(name, -1));
      down.addEventListener("click", () => this.move(name, 1));
      return this.h("li", { data: { exercise: name } }, this.h("label", { className: "assign-check" }, this.exerciseBoxes[name], ` ${name}`), " ", up, down);
    }));
  }

  move(name, by) {
    const from = this.order.indexOf(name);
    const to = from + by;
    if (to < 0 || to >= this.order.length) return;
    [this.order[from], this.order[to]] = [this.order[to], this.order[from]];
    this.showOrder();
    this.update();
  }

  // Whether the assignment keeps pynn's implementation from the students: no solutions, or the
  // equations only on request.
  withheld() {
    return !this.solutions.checked || this.equations.value === "ask";
  }

  // The assignment the form describes.
  chosen() {
    const exercises = this.order.filter((name) => this.exerciseBoxes[name].checked);
    const panels = this.panelBoxes.filter((item) => item.box.checked).map((item) => item.name);
    return {
      assign: this.title.value.trim(),
      exercises: exercises.length ? exercises : [...this.table.exercises.order],
      solutions: this.solutions.checked ? "on" : "off",
      equations: this.equations.value,
      panels: panels.length ? panels : Object.keys(this.table.panels).filter((name) => name !== "code" || !this.withheld()),
      lessons: this.lessonBoxes.filter((item) => item.box.checked).map((item) => item.name),
      student_id: this.studentId.value,
    };
  }

  // The link: the page's current settings (a fixed setup), the controls hidden, the language
  // chosen (none: each student's browser's), the assignment.
  linkText() {
    const { settings } = this.current();
    const hide = this.hideBoxes.filter((item) => item.box.checked).map((item) => item.name);
    const view = { hide, lang: this.language.value };
    return `${this.base}#${this.state.serialiseHash(settings, view)}&${this.assignment.serialise(this.chosen())}`;
  }

  // Solutions off means off: pynn's code panel unticked unless the teacher ticks it, and then a warning.
  guardCode() {
    if (!this.codeBox) return;
    if (!this.codeTouched) this.codeBox.checked = !this.withheld();
    this.codeWarning.hidden = !(this.withheld() && this.codeBox.checked);
  }

  update() {
    const { settings } = this.current();
    this.guardCode();
    this.setup.textContent = t("assignment.setup", { settings: this.state.KEYS.filter((key) => this.state.applies(key, settings.dataset))
      .map((key) => `${settingName(key)} ${settings[key]}`).join(", ") });
    const link = this.linkText();
    this.link.value = link;
    this.copyStatus.textContent = "";
    this.drawn = this.loadQr().then(({ qrcode }) => {
      if (this.link.value === link) drawQr(qrcode, this.qr, link);
    }).catch((error) => {
      this.copyStatus.textContent = t("assignment.qr-failed", { why: error.message });
    });
  }

  async copy() {
    try {
      await this.clipboard.writeText(this.link.value);
      this.copyStatus.textContent = t("assignment.copied");
    } catch {
      this.link.select?.();
      this.copyStatus.textContent = t("assignment.copy-refused");
    }
  }
}

// The teacher's page: the form above the class view.
export class TeacherPage {
  // keep: web/classroom/keep.js's openKeep() (the classes kept in this browser; in memory when null).
  constructor({ root, table, state, current, base, clipboard, python, check, checkStep = null, download, loadQr, fresh = null,
    keep = null, doc = globalThis.document }) {
    const h = elementMaker(doc);
    const form = h("section", { className: "card teacher-assign", testid: "teacher-assign" });
    const grading = h("section", { className: "card teacher-class", testid: "teacher-class" });
    root.replaceChildren(form, grading);
    this.form = new AssignmentForm({ root: form, table, state, current, base, clipboard, loadQr, doc });
    this.classView = new ClassView({ root: grading, python, check, checkStep, maxBytes: table.handin_max_bytes,
      classMaxBytes: table.class_max_bytes, download, fresh, codeFlags: table.code_flags, keep, doc });
    this.restored = this.classView.restore();
  }

  languageChanged() {
    this.form.languageChanged();
    this.classView.languageChanged();
  }
}

// The page's state: its whole setup and view as they live in the URL hash (makeState: the hash's
// parser and writer), and the store that owns them with what is running (Store, at the end: one
// change event the page's parts render from). No DOM, no globals (the store is handed the page's
// location and history), never evaluates anything it parses. Generic over the settings table of
// pynn/page/settings.py, which build.py writes to dist/settings.js (main.js: makeState(TABLE)): the
// hash is parsed with it before Python has started, and the Session checks the values again.
//
//   #dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.1&batch=1&wd=0&seed=1
//
// "digits": the 8×8 images (D = 64, C = 10); "custom": your own points (clicked in or uploaded;
// they are not kept in the hash, so a link to "custom" opens an empty plane).
import { t } from "./lang/text.js";

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const SHOWN = 40; // characters of a bad value quoted back in a message

export const MAX_CODE = 20000; // characters of code a link may carry

function quote(text) {
  const short = text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text;
  return JSON.stringify(short);
}

// Keys a link may carry that are read once when it opens and never written back: `xy`, your own
// points (web/data/share.js).
export const LINK_FIELDS = ["xy"];

// The hash's parser and writer for one settings table:
//   { fields: { name: { kind, default, min, max, live, choices?, quiet? } }, datasets: [...],
//     class_range: { name: [low, high] }, not_applicable: { dataset: [keys it ignores] },
//     exercises: { order }, tour: { steps }, lessons: [{ name, ... }] (pynn/page/lessons.py) }
// A "choice" field takes one of its `choices` (the data set: `datasets`); a `quiet` one is left out
// of the hash while it is at its default.
// What a menu shows for `value` of the choice setting `field` (the table's `fields[key]`): its name
// in the page's language, by the id the table gives it; the value itself is what the address holds.
export function choiceName(field, value) {
  return t(field.names[value]);
}

export function makeState(table) {
  const spec = hashSpec(table);
  const { FIELDS, KEYS, DATASETS, CLASS_RANGE, VIEW_FIELDS, EXERCISES } = spec;
  return Object.freeze({
    FIELDS, KEYS, DATASETS, CLASS_RANGE, VIEW_FIELDS, EXERCISES,
    applies: (key, dataset) => applies(spec, key, dataset),
    defaults: () => defaults(spec),
    parseValue: (key, text) => parseValue(spec, key, text),
    fitClasses: (dataset, classes) => fitClasses(spec, dataset, classes),
    parseHash: (hash) => parseHash(spec, hash),
    serialiseHash: (settings, view) => serialiseHash(spec, settings, view),
    parseView: (hash) => parseView(spec, hash),
  });
}

// What the functions below read of the table, once: the settings' fields and the view's.
function hashSpec(table) {
  const FIELDS = table.fields;
  const KEYS = Object.keys(FIELDS);
  const EXERCISES = table.exercises.order; // pynn.page.exercises.ORDER
  return {
    FIELDS, KEYS, EXERCISES,
    DATASETS: table.datasets,
    NOT_APPLICABLE: table.not_applicable ?? {},
    CLASS_RANGE: table.class_range,
    ASSIGNMENT: table.assignment ?? {},
    VIEW_FIELDS: viewFields(table, KEYS, EXERCISES),
    TABLE_VIEW: Object.keys(table.view ?? {}),
  };
}

// How the page looks, kept in the hash after the settings but never sent to pynn.
//   hide=lr,batch   hides those controls ("present" mode: a teacher fixes a setup for a lesson)
//   view=projector  large type, the plane and the curves side by side, the rest of the page hidden
//   view=teacher    the teacher's page (web/classroom/teacher.js); view=embed: compact, for an iframe
//   tour=3          the guided tour, open at its third step ("tour" alone opens it at the first)
//   exercise=relu   opens that exercise (a teacher links straight to it)
//   code=…          with exercise: code for its editor (percent-encoded), shown but only run on Check
//   lesson=init     opens that lesson (pynn/page/lessons.py)
//   derive=s1       opens "Derive the gradients" at that step ("derive" alone: the first step;
//                   the steps are pynn/page/derive.py's STEP_NAMES)
//   equations=ask   the exercises hide their equations until asked (the classroom's assignment)
//   lang=es         the page's language (the page table's `view`: pynn/page/settings.py's view_keys)
function viewFields(table, KEYS, EXERCISES) {
  return {
    hide: { kind: "list", default: [], choices: KEYS },
    view: { kind: "choice", default: "", choices: ["projector", "teacher", "embed"] },
    tour: { kind: "int", default: 0, min: 1, max: table.tour.steps },
    exercise: { kind: "choice", default: "", choices: EXERCISES },
    code: { kind: "text", default: "" },
    lesson: { kind: "choice", default: "", choices: (table.lessons ?? []).map((lesson) => lesson.name) },
    derive: { kind: "choice", default: "", choices: table.derive?.steps ?? [] },
    // the classroom's assignment key (pynn/page/settings.py's ASSIGNMENT): "ask" hides the exercises' equations
    equations: { kind: "choice", default: "", choices: (table.assignment?.equations?.choices ?? []) },
    ...(table.view ?? {}),
  };
}

// Whether a setting means anything for a data set: points and noise not for the digits or your
// own points (pynn/page/settings.py's NOT_APPLICABLE); those never go into the hash.
function applies({ NOT_APPLICABLE }, key, dataset) {
  return !(NOT_APPLICABLE[dataset] ?? []).includes(key);
}

function defaults({ KEYS, FIELDS }) {
  return Object.fromEntries(KEYS.map((key) => [key, FIELDS[key].default]));
}

// One field from its text: { value } or { error } (a sentence for the message line).
function parseValue({ FIELDS, DATASETS }, key, text) {
  const field = Object.hasOwn(FIELDS, key) ? FIELDS[key] : null;
  if (!field) return { error: t("lab.setting.unknown", { key: quote(String(key)) }) };
  const raw = String(text).trim();
  if (field.kind === "choice") {
    const choices = field.choices ?? DATASETS;
    return choices.includes(raw)
      ? { value: raw }
      : { error: t("lab.setting.not-a-choice", { key, value: quote(raw), choices: choices.join(", ") }) };
  }
  if (raw === "") return { error: t("lab.setting.empty", { key }) };
  const pattern = field.kind === "int" ? INT : FLOAT;
  if (!pattern.test(raw)) {
    return { error: t(field.kind === "int" ? "lab.setting.not-an-int" : "lab.setting.not-a-number", { key, value: quote(raw) }) };
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || value < field.min || value > field.max) {
    return { error: t("lab.setting.outside", { key, value: quote(raw), min: String(field.min), max: String(field.max) }) };
  }
  return { value };
}

// The classes a data set allows, as the closest allowed value to `classes`.
function fitClasses({ CLASS_RANGE }, dataset, classes) {
  const [low, high] = CLASS_RANGE[dataset];
  return Math.min(high, Math.max(low, classes));
}

// Settings from a location hash ("#a=1&b=2" or "a=1&b=2"): { settings, messages }.
// Every key missing or bad takes its default; each bad or unknown part adds one message.
function parseHash(spec, hash) {
  const { FIELDS, KEYS, CLASS_RANGE, VIEW_FIELDS, ASSIGNMENT } = spec;
  const settings = defaults(spec);
  const messages = [];
  const text = String(hash ?? "").replace(/^#/, "");
  const given = new Set();
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    let key = eq < 0 ? part : part.slice(0, eq);
    let value = eq < 0 ? "" : part.slice(eq + 1);
    try {
      key = decodeURIComponent(key.replace(/\+/g, " "));
      value = decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      messages.push(t("lab.link.not-encoded", { part: quote(part) }));
      continue;
    }
    if (Object.hasOwn(VIEW_FIELDS, key) || LINK_FIELDS.includes(key)) continue; // parseView's, share.js's
    if (Object.hasOwn(ASSIGNMENT, key)) continue; // an assignment link's (web/classroom/assignment.js)
    if (!Object.hasOwn(FIELDS, key)) {
      messages.push(t("lab.link.unknown-setting", { key: quote(key), known: KEYS.join(", ") }));
      continue;
    }
    const parsed = parseValue(spec, key, value);
    if ("error" in parsed) {
      messages.push(t("lab.link.using", { problem: parsed.error, value: String(FIELDS[key].default) }));
      settings[key] = FIELDS[key].default;
    } else {
      settings[key] = parsed.value;
    }
    given.add(key);
  }
  const fitted = fitClasses(spec, settings.dataset, settings.classes);
  if (fitted !== settings.classes) {
    if (given.has("classes")) {
      const [low, high] = CLASS_RANGE[settings.dataset];
      messages.push(low === high
        ? t("lab.link.classes.exactly", { dataset: settings.dataset, n: low, using: fitted })
        : t("lab.link.classes.range", { dataset: settings.dataset, low, high, using: fitted }));
    }
    settings.classes = fitted;
  }
  return { settings, messages };
}

// The hash for `settings`, every key that applies to its data set in the fixed order of the
// table (no leading "#"), then the view's `hide` when it hides anything, `view` and `tour`.
function serialiseHash(spec, settings, view = {}) {
  const { FIELDS, KEYS, TABLE_VIEW } = spec;
  const quiet = (key) => FIELDS[key].quiet && (settings[key] ?? FIELDS[key].default) === FIELDS[key].default;
  const shown = (key) => applies(spec, key, settings.dataset) && !quiet(key);
  const parts = KEYS.filter(shown).map((key) => `${key}=${encodeURIComponent(String(settings[key]))}`);
  if (view.hide?.length) parts.push(`hide=${view.hide.join(",")}`);
  if (view.view) parts.push(`view=${view.view}`);
  if (view.tour) parts.push(`tour=${view.tour}`);
  if (view.exercise) parts.push(`exercise=${view.exercise}`);
  if (view.exercise && view.code) parts.push(`code=${encodeURIComponent(view.code)}`);
  if (view.lesson) parts.push(`lesson=${view.lesson}`);
  if (view.derive) parts.push(`derive=${view.derive}`);
  if (view.equations) parts.push(`equations=${view.equations}`);
  for (const key of TABLE_VIEW) if (view[key]) parts.push(`${key}=${encodeURIComponent(view[key])}`);
  return parts.join("&");
}

// derive (alone: the first step), equations (the classroom's key) and the page table's view keys
// (lang) into `learning`; false for any other key.
function readLearningKey(spec, key, part, eq, learning, messages) {
  const { VIEW_FIELDS, ASSIGNMENT } = spec;
  if (key === "derive") {
    const { choices } = VIEW_FIELDS.derive;
    const name = eq < 0 ? choices[0] ?? "" : part.slice(eq + 1);
    if (choices.includes(name)) learning.derive = name;
    else {
      messages.push(t("lab.link.derive", { name: quote(safeDecode(name)), known: choices.join(", ") }));
      learning.derive = choices[0] ?? "";
    }
    return true;
  }
  if (key === "equations" && eq >= 0) {
    const value = part.slice(eq + 1);
    const { choices } = VIEW_FIELDS.equations;
    if (choices.includes(value)) learning.equations = value === ASSIGNMENT.equations.default ? "" : value;
    else messages.push(t("lab.link.equations", { value: quote(safeDecode(value)), known: choices.join(", ") }));
    return true;
  }
  return readTableViewKey(spec, key, part, eq, learning, messages);
}

// A key of the page table's own view (`lang`: a choice) into `learning`; false for any other key.
function readTableViewKey({ VIEW_FIELDS, TABLE_VIEW }, key, part, eq, learning, messages) {
  if (!TABLE_VIEW.includes(key) || eq < 0) return false;
  const value = safeDecode(part.slice(eq + 1));
  const { choices } = VIEW_FIELDS[key];
  if (choices.includes(value)) learning[key] = value;
  else messages.push(t("lang.link.unknown", { key, value: quote(value), known: choices.join(", ") }));
  return true;
}

// The view from a location hash: { view: { hide, view, tour, exercise, code, lesson }, messages }.
// `hide` lists known control names (in the order of KEYS, once each); every unknown name is
// dropped with one message. `view` is "" or "projector"; `tour` is 0 (closed) or its step, 1 for
// a bare "tour"; `exercise` is one of EXERCISES or "" (none open); `code` the text a link carries
// for it, or ""; `lesson` one of the lessons' names or "" (none open).
function parseView(spec, hash) {
  const { KEYS, VIEW_FIELDS, EXERCISES } = spec;
  const hide = new Set();
  const messages = [];
  let layout = VIEW_FIELDS.view.default;
  let tour = VIEW_FIELDS.tour.default;
  let exercise = "";
  let code = "";
  let lesson = "";
  const learning = { derive: "", equations: "", ...Object.fromEntries(spec.TABLE_VIEW.map((key) => [key, VIEW_FIELDS[key].default])) };
  for (const part of String(hash ?? "").replace(/^#/, "").split("&")) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key === "tour") {
      const step = eq < 0 ? 1 : Number(part.slice(eq + 1));
      const { min, max } = VIEW_FIELDS.tour;
      if (Number.isInteger(step) && step >= min && step <= max) tour = step;
      else messages.push(t("lab.link.tour", { value: quote(part.slice(eq + 1)), min, max }));
      if (!tour) tour = min;
      continue;
    }
    if (key === "view" && eq >= 0) {
      const value = part.slice(eq + 1);
      if (VIEW_FIELDS.view.choices.includes(value)) layout = value;
      else messages.push(t("lab.link.view", { value: quote(value), known: VIEW_FIELDS.view.choices.join(", ") }));
      continue;
    }
    if (key === "code" && eq >= 0) {
      let text;
      try {
        text = decodeURIComponent(part.slice(eq + 1));
      } catch {
        messages.push(t("lab.link.code.not-encoded"));
        continue;
      }
      if (text.length > MAX_CODE) messages.push(t("lab.link.code.long", { max: String(MAX_CODE) }));
      else code = text;
      continue;
    }
    if (key === "exercise" && eq >= 0) {
      const name = part.slice(eq + 1);
      if (EXERCISES.includes(name)) exercise = name;
      else messages.push(t("lab.link.exercise", { name: quote(safeDecode(name)), known: EXERCISES.join(", ") }));
      continue;
    }
    if (key === "lesson" && eq >= 0) {
      const name = part.slice(eq + 1);
      const { choices } = VIEW_FIELDS.lesson;
      if (choices.includes(name)) lesson = name;
      else messages.push(t("lab.link.lesson", { name: quote(safeDecode(name)), known: choices.join(", ") }));
      continue;
    }
    if (readLearningKey(spec, key, part, eq, learning, messages)) continue;
    if (eq < 0 || key !== "hide") continue;
    let value;
    try {
      value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      messages.push(t("lab.link.not-encoded", { part: quote(part) }));
      continue;
    }
    for (const name of value.split(",").map((item) => item.trim())) {
      if (name === "") continue;
      if (VIEW_FIELDS.hide.choices.includes(name)) hide.add(name);
      else messages.push(t("lab.link.hide", { name: quote(name), known: KEYS.join(", ") }));
    }
  }
  if (code && !exercise) {
    messages.push(t("lab.link.code.no-exercise"));
    code = "";
  }
  return { view: { hide: KEYS.filter((key) => hide.has(key)), view: layout, tour, exercise, code, lesson, ...learning }, messages };
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// --- the store: the one owner of the page's state --------------------------------------------------

// Who changed the store: the address (a link opened, the back button), the session client (an
// answer of Python's, or a setup it sends Python itself), or the page (a control, a button).
export const BY = Object.freeze({ address: "address", session: "session", page: "page" });

// The keys of `patch` whose values differ from `before`'s (lists compared item by item).
function changedKeys(before, patch) {
  const same = (a, b) => a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]));
  return Object.keys(patch ?? {}).filter((key) => !before || !same(before[key], patch[key]));
}

// The page's state, owned here and nowhere else: the setup (`settings`), the view (`view`: what
// parseView reads) and what is running (`running`: playing, configured, failed). One change event:
// every listener hears each change once, as { settings, view, running } (the keys that changed)
// and `by` (BY: who changed it), and renders from the store. The address follows the setup and the
// view: written on each change of either, read when it changes (read()). `location` and `history`
// are the page's (a test hands fakes); `tail`: an assignment's keys, written after the view's, that
// the page keeps as it opened with them (web/classroom/assignment.js), and `omit` the view's keys
// the tail holds (written there only).
export class Store {
  constructor(state, { location, history, tail = "", omit = [] }) {
    this.state = state;
    this.location = location;
    this.history = history;
    this.tail = tail;
    this.omit = omit;
    this.settings = null; // until the address is first read: then every setting counts as changed
    this.view = state.parseView("").view;
    this.running = { playing: false, configured: false, failed: false };
    this.listeners = [];
  }

  subscribe(listener) {
    this.listeners.push(listener);
  }

  // The address's setup and view into the store (a bad part takes its default); what was wrong
  // with it, a message per bad part.
  read() {
    const hash = this.location.hash;
    const { settings, messages } = this.state.parseHash(hash);
    const { view, messages: more } = this.state.parseView(hash);
    this.set({ settings, view }, BY.address);
    return [...messages, ...more];
  }

  // Merge `patch` ({ settings, view, running }, each in part) into the store; when anything in it
  // differs (or the address was read: the parts that show it show it again), the address is
  // written and every listener hears the change, once. A listener may change the store in turn.
  set({ settings, view, running } = {}, by = BY.page) {
    const change = { settings: changedKeys(this.settings, settings), view: changedKeys(this.view, view),
      running: changedKeys(this.running, running), by };
    if (!change.settings.length && !change.view.length && !change.running.length && by !== BY.address) return;
    if (settings) this.settings = { ...this.settings, ...settings };
    if (view) this.view = { ...this.view, ...view };
    if (running) this.running = { ...this.running, ...running };
    if (change.settings.length || change.view.length || by === BY.address) this.write();
    for (const listener of this.listeners) listener(change);
  }

  // The address of the setup and the view (history.replaceState: no new history entry, no
  // hashchange).
  hash() {
    const view = Object.fromEntries(Object.entries(this.view).filter(([key]) => !(this.tail && this.omit.includes(key))));
    const hash = this.state.serialiseHash(this.settings, view);
    return this.tail ? `#${hash}&${this.tail}` : `#${hash}`;
  }

  write() {
    const hash = this.hash();
    if (this.location.hash !== hash) this.history.replaceState(null, "", hash);
  }
}

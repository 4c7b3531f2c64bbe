// Every text the page shows, by id: one lookup (docs/translating.md).
//   t("lab.play")                      the text in the page's language
//   t("lab.epoch", { epoch: 12 })      {name} placeholders; a number is written as the language
//                                      writes it (Intl), a string is left as it is (code, links)
//   tn("class.students", n, { n })     a plural, by the language's own rules (Intl.PluralRules)
//   number(x, digits)                  a number with `digits` decimals, as the language writes it
//   numeral("-1.2e+5")                 a number JavaScript wrote (toFixed…) in the language's decimal
//                                      sign and digits, for readouts that keep their own width
//   translate(root)                    index.html's elements: data-t="id" (their text) and
//                                      data-t-<attribute>="id" (aria-label, title, placeholder, alt)
//   new TextError("start.fetch.files", { files })   an Error that keeps its text by id (`error.text`:
//                                      {id, params}) for a page that says it in its own language:
//                                      what a worker says before it knows the page's (a param that
//                                      is such a text is said in the language too)
// English is web/lang/en.js's table and index.html's own texts (read from the page the first
// time it is translated); another language is a catalogue build.py compiled from
// locale/<lang>/LC_MESSAGES/pynn.po, given to setLanguage. Code decides on ids, never on the text.
import ENGLISH from "./en.js";

export const ATTRIBUTES = ["aria-label", "title", "placeholder", "alt"];
const ENGLISH_PLURAL = { zero: 1, one: 0, two: 1, few: 1, many: 1, other: 1 };

const state = {
  lang: "en",
  dir: "ltr",
  messages: {},
  plural: ENGLISH_PLURAL,
  numerals: null, // the language's decimal sign and digits, found once per language (numeral)
  fromPage: new Map(), // index.html's English, by id
  fromPython: {}, // Python's English for the ids the page table names (its `texts`), by id
};

// Python's English for the texts the page table names by id (pynn.page.text's registry: a setting's
// help, an exercise's title…), which build.py writes into the table as `texts`.
export function addEnglish(texts) {
  state.fromPython = { ...state.fromPython, ...texts };
}

// Use a catalogue (the JSON build.py writes to dist/lang/<lang>.json), or English for null.
export function setLanguage(catalogue) {
  state.lang = catalogue?.lang ?? "en";
  state.dir = catalogue?.dir ?? "ltr";
  state.messages = catalogue?.messages ?? {};
  state.plural = catalogue?.plural ?? ENGLISH_PLURAL;
  state.numerals = null;
}

export function language() {
  return state.lang;
}

export function direction() {
  return state.dir;
}

function english(id) {
  if (Object.hasOwn(ENGLISH, id)) return ENGLISH[id];
  if (state.fromPage.has(id)) return state.fromPage.get(id);
  if (Object.hasOwn(state.fromPython, id)) return state.fromPython[id];
  console.error(`pynn: no text has the id ${JSON.stringify(id)}`);
  return id;
}

function written(value) {
  return typeof value === "number" ? new Intl.NumberFormat(state.lang, { maximumFractionDigits: 20 }).format(value)
    : String(value);
}

// A text by id, {id, params}, as a worker sends it (TextError's `text`).
function isText(value) {
  return typeof value === "object" && value !== null && typeof value.id === "string" && typeof value.params === "object";
}

// In a right-to-left language a string filled in (code, a shape, a name, a formula, or a sentence
// said before) is isolated (FSI … PDI): "W0 (H×D)" or "h1[y] = …" inside an Arabic sentence keeps
// its own reading order and does not reorder the sentence around it.
function fill(template, params) {
  const isolate = state.dir === "rtl";
  return template.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = isText(params[name]) ? t(params[name].id, params[name].params ?? {}) : params[name];
    return isolate && typeof value !== "number" && String(value) ? `\u2068${value}\u2069` : written(value);
  });
}

// The text `id` in the page's language, its {placeholders} filled from `params`.
export function t(id, params = {}) {
  const own = state.messages[id];
  const text = typeof own === "string" ? own : english(id);
  return fill(Array.isArray(text) ? text[text.length - 1] : text, params);
}

// An Error whose message is the text `id` in the language known where it was made, and which keeps
// the text by id (`text`, plain data a worker can post), for the page to say in its own language.
export class TextError extends Error {
  constructor(id, params = {}) {
    super(t(id, params));
    this.text = { id, params };
  }
}

// The plural text `id` for the count `n` ({n} is filled with n unless params say otherwise).
export function tn(id, n, params = {}) {
  const own = state.messages[id];
  const category = new Intl.PluralRules(state.lang).select(n);
  const forms = Array.isArray(own) ? own : english(id);
  const pick = Array.isArray(own) ? (state.plural[category] ?? forms.length - 1) : (ENGLISH_PLURAL[category] ?? 1);
  const text = Array.isArray(forms) ? (forms[pick] ?? forms[forms.length - 1]) : forms;
  return fill(text, { n, ...params });
}

// `x` with `digits` decimals (fewer for none given), as the page's language writes numbers.
export function number(x, digits) {
  const options = digits === undefined ? { maximumFractionDigits: 20 } : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(state.lang, options).format(x);
}

// `text`, a number as JavaScript writes it ("0.0265", "−1.25", "1.2e+5": toFixed, toPrecision), in
// the page's language's decimal sign and digits; no grouping is added, so a readout keeps its width.
export function numeral(text) {
  if (!state.numerals) {
    const decimal = new Intl.NumberFormat(state.lang).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
    const digits = Array.from({ length: 10 }, (_, d) => new Intl.NumberFormat(state.lang).format(d));
    state.numerals = { decimal, digits, latin: decimal === "." && digits.join("") === "0123456789" };
  }
  const { decimal, digits, latin } = state.numerals;
  return latin ? text : text.replace(/[0-9.]/g, (ch) => (ch === "." ? decimal : digits[Number(ch)]));
}

function remember(id, value) {
  if (id && !state.fromPage.has(id)) state.fromPage.set(id, value);
}

// Put the page's language into `root`'s marked elements (remembering index.html's English first).
export function translate(root) {
  for (const element of root.querySelectorAll("[data-t]")) {
    remember(element.dataset.t, element.textContent.replace(/\s+/g, " ").trim());
    element.textContent = t(element.dataset.t);
  }
  for (const attribute of ATTRIBUTES) {
    for (const element of root.querySelectorAll(`[data-t-${attribute}]`)) {
      const id = element.getAttribute(`data-t-${attribute}`);
      remember(id, element.getAttribute(attribute) ?? "");
      element.setAttribute(attribute, t(id));
    }
  }
}

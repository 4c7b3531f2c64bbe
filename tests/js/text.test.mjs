// node --test tests/js/ — web/lang/text.js, the page's one lookup of texts by id.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import ENGLISH from "../../web/lang/en.js";
import { addEnglish, direction, language, number, numeral, setLanguage, t, TextError, tn, translate } from "../../web/lang/text.js";

afterEach(() => setLanguage(null));

const FRENCH = {
  lang: "fr",
  dir: "ltr",
  plural: { zero: 2, one: 0, two: 2, few: 2, many: 1, other: 2 },
  messages: {
    "lang.menu": "Langue",
    "test.epoch": "époque {epoch} de {name}",
    "test.rows": ["{n} ligne", "{n} de lignes", "{n} lignes"],
  },
};

test("English comes from en.js, a catalogue's language by id, and a missing text stays English", () => {
  assert.equal(t("lang.menu"), ENGLISH["lang.menu"]);
  setLanguage(FRENCH);
  assert.equal(language(), "fr");
  assert.equal(direction(), "ltr");
  assert.equal(t("lang.menu"), "Langue");
  setLanguage({ ...FRENCH, messages: {} });
  assert.equal(t("lang.menu"), ENGLISH["lang.menu"]);
});

test("Python's English for the page table's ids is English too, and a catalogue's text wins over it", () => {
  addEnglish({ "setting.lr.help": "How far each step goes: {lr}" });
  assert.equal(t("setting.lr.help", { lr: 0.5 }), "How far each step goes: 0.5");
  setLanguage({ lang: "fr", messages: { "setting.lr.help": "Longueur du pas : {lr}" } });
  assert.equal(t("setting.lr.help", { lr: 0.5 }), "Longueur du pas : 0,5");
});

test("placeholders take numbers as the language writes them and strings as they are", () => {
  setLanguage(FRENCH);
  assert.equal(t("test.epoch", { epoch: 1234.5, name: "np.maximum(s, 0.5)" }), "époque 1\u202f234,5 de np.maximum(s, 0.5)");
  assert.equal(number(0.90625, 3), "0,906");
  setLanguage(null);
  assert.equal(number(0.90625, 3), "0.906");
  assert.equal(number(12000), "12,000");
});

test("a plural takes the form of the language's category for the count", () => {
  setLanguage(FRENCH);
  assert.equal(tn("test.rows", 1), "1 ligne");
  assert.equal(tn("test.rows", 0), "0 ligne");
  assert.equal(tn("test.rows", 5), "5 lignes");
  assert.equal(tn("test.rows", 1000000), "1\u202f000\u202f000 de lignes");
});

test("an unknown id is shown as itself and reported on the console (the e2e tests fail on it)", (context) => {
  const errors = [];
  context.mock.method(console, "error", (message) => errors.push(message));
  assert.equal(t("no.such.id"), "no.such.id");
  assert.match(errors[0], /no text has the id "no.such.id"/);
});

// Elements that carry data-t / data-t-<attribute>, and a root that finds them.
function element(attributes, text = "") {
  const node = { attributes: { ...attributes }, textContent: text, dataset: {} };
  if (attributes["data-t"]) node.dataset.t = attributes["data-t"];
  node.getAttribute = (name) => node.attributes[name] ?? null;
  node.setAttribute = (name, value) => { node.attributes[name] = value; };
  return node;
}

function root(nodes) {
  return {
    querySelectorAll(selector) {
      const attribute = selector.slice(1, -1);
      return nodes.filter((node) => attribute in node.attributes);
    },
  };
}

test("translate puts the language into index.html's marked elements and brings English back", () => {
  const heading = element({ "data-t": "page.heading" }, "  A neural\n network ");
  const field = element({ "data-t-placeholder": "page.name", placeholder: "Your name" });
  const page = root([heading, field]);
  setLanguage({ ...FRENCH, messages: { "page.heading": "Un réseau de neurones", "page.name": "Votre nom" } });
  translate(page);
  assert.equal(heading.textContent, "Un réseau de neurones");
  assert.equal(field.getAttribute("placeholder"), "Votre nom");
  assert.equal(t("page.heading"), "Un réseau de neurones");
  setLanguage(null);
  translate(page);
  assert.equal(heading.textContent, "A neural network");
  assert.equal(field.getAttribute("placeholder"), "Your name");
});

test("en.js is a JSON object of ids, each a text or a [singular, plural]", () => {
  for (const [id, value] of Object.entries(ENGLISH)) {
    assert.match(id, /^[a-z0-9]+([.-][a-z0-9]+)*$/);
    assert.ok(typeof value === "string" || (Array.isArray(value) && value.length === 2), id);
  }
});

test("a number JavaScript wrote (toFixed) is written with the language's decimal sign, no grouping added", () => {
  assert.equal(numeral("0.0265"), "0.0265");
  setLanguage({ lang: "es", dir: "ltr", messages: {} });
  assert.equal(numeral("0.0265"), "0,0265");
  assert.equal(numeral("−1234.5"), "−1234,5");
  assert.equal(numeral("1.2e+5"), "1,2e+5");
  setLanguage({ lang: "ar-EG", dir: "rtl", messages: {} }); // Egypt's Arabic writes Arabic-Indic digits
  assert.equal(numeral("12.5"), new Intl.NumberFormat("ar-EG", { useGrouping: false, minimumFractionDigits: 1 }).format(12.5));
});

test("right to left, a string filled in is isolated (FSI … PDI), so code keeps its order; a number is not", () => {
  const ARABIC = { lang: "ar", dir: "rtl", messages: { "test.epoch": "الحقبة {epoch} من {name}" } };
  setLanguage(ARABIC);
  assert.equal(t("test.epoch", { epoch: 3, name: "W0 (H×D)" }), "الحقبة 3 من \u2068W0 (H×D)\u2069");
  assert.equal(t("test.epoch", { epoch: 3, name: "" }), "الحقبة 3 من ");
  setLanguage(FRENCH);
  assert.equal(t("test.epoch", { epoch: 3, name: "W0 (H×D)" }), "époque 3 de W0 (H×D)");
});

test("a TextError keeps its text by id, which a page says in its own language, a text in its params too", () => {
  const error = new TextError("start.fetch.files.reason", { files: "manifest.json (HTTP 404)", reason: { id: "start.package.missing", params: { name: "numpy" } } });
  assert.equal(error.message, "could not fetch manifest.json (HTTP 404): the numpy package did not load"); // the language where it was made
  const posted = structuredClone(error.text); // what a worker posts is plain data
  assert.deepEqual(posted, { id: "start.fetch.files.reason", params: { files: "manifest.json (HTTP 404)", reason: { id: "start.package.missing", params: { name: "numpy" } } } });
  setLanguage({ lang: "es", dir: "ltr", messages: {
    "start.failed": "No se pudo cargar {step}: {reason}",
    "start.fetch.files.reason": "no se pudo descargar {files}: {reason}",
    "start.package.missing": "el paquete {name} no se cargó",
  } });
  assert.equal(t("start.failed", { step: "numpy", reason: posted }),
    "No se pudo cargar numpy: no se pudo descargar manifest.json (HTTP 404): el paquete numpy no se cargó");
  assert.equal(t("start.failed", { step: "numpy", reason: "Failed to fetch" }), "No se pudo cargar numpy: Failed to fetch"); // another's words as they came
  setLanguage({ lang: "ar", dir: "rtl", messages: { "start.failed": "{step}: {reason}", "start.package.missing": "{name} لم يُحمَّل" } });
  assert.equal(t("start.failed", { step: "pynn", reason: { id: "start.package.missing", params: { name: "numpy" } } }),
    "\u2068pynn\u2069: \u2068\u2068numpy\u2069 لم يُحمَّل\u2069"); // isolated as any text filled in
});

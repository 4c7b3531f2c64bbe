// node --test tests/js/ — choosing the page's language (web/lang/choose.js) and lang= in the hash
// (web/state.js over the page table's `view`).
import assert from "node:assert/strict";
import { test } from "node:test";

import { chosen, langInHash, matchLanguage, readCatalogue } from "../../web/lang/choose.js";
import { makeState } from "../../web/state.js";
import { TABLE } from "./table.mjs";

// The six languages of issue 36 and the tests' pseudo-language, in the order the page table lists.
const CODES = ["en", "es", "fr", "de", "pt-BR", "zh-Hans", "ar", "en-XA"];

test("a browser language matches a code of the same language and script, its region preferred", () => {
  assert.equal(matchLanguage(["pt"], CODES), "pt-BR");
  assert.equal(matchLanguage(["pt-PT"], CODES), "pt-BR"); // Portuguese before English
  assert.equal(matchLanguage(["zh-CN"], CODES), "zh-Hans");
  assert.equal(matchLanguage(["zh"], CODES), "zh-Hans");
  assert.equal(matchLanguage(["zh-SG"], CODES), "zh-Hans");
  assert.equal(matchLanguage(["ES-mx"], CODES), "es");
  assert.equal(matchLanguage(["ar-EG"], CODES), "ar");
  assert.equal(matchLanguage(["en-GB"], CODES), "en"); // not the pseudo-language, of region XA
  assert.equal(matchLanguage(["en-XA"], CODES), "en-XA"); // only when asked for exactly
});

test("the browser's languages are tried in their order; one the page lacks is passed over", () => {
  assert.equal(matchLanguage(["zh-TW", "fr-CA", "de"], CODES), "fr"); // zh-TW is written in Hant, not Hans
  assert.equal(matchLanguage(["xx-yy", "*", "", "de-AT"], CODES), "de");
  assert.equal(matchLanguage(["sw", "ja"], CODES), null);
  assert.equal(matchLanguage(undefined, CODES), null);
});

test("lang= in the hash wins over the browser's languages; else the browser's; else the first, English", () => {
  assert.equal(chosen("de", ["fr", "es"], CODES), "de");
  assert.equal(chosen("", ["fr", "es"], CODES), "fr");
  assert.equal(chosen("xx", ["fr"], CODES), "fr"); // a code the page does not speak does not win
  assert.equal(chosen("", ["ja"], CODES), "en");
});

test("lang= is a key of the page table's view: read, written after the view, and a bad one named", () => {
  const languages = Object.fromEntries(CODES.map((code) => [code, code]));
  const table = { ...TABLE, languages, view: { lang: { ...TABLE.view.lang, choices: CODES } } };
  const { parseView, serialiseHash, defaults } = makeState(table);
  assert.equal(parseView("#lr=0.5&lang=pt-BR").view.lang, "pt-BR");
  assert.equal(parseView("#lr=0.5").view.lang, ""); // not given: the browser's languages choose
  const bad = parseView("#lang=klingon&tour=2");
  assert.equal(bad.view.lang, "");
  assert.equal(bad.view.tour, 2);
  assert.equal(bad.messages.length, 1);
  assert.match(bad.messages[0], /^lang: .*"klingon".*en, es, fr, de, pt-BR, zh-Hans, ar, en-XA/);
  const hash = serialiseHash(defaults(), { tour: 2, exercise: "relu", lang: "zh-Hans" });
  assert.ok(hash.endsWith("&tour=2&exercise=relu&lang=zh-Hans"), hash);
  assert.equal(parseView(`#${hash}`).view.lang, "zh-Hans");
  assert.ok(!serialiseHash(defaults(), { lang: "" }).includes("lang"));
});

test("web/boot.js reads lang= from the hash as web/state.js does, before state.js has loaded", () => {
  const languages = Object.fromEntries(CODES.map((code) => [code, code]));
  const table = { ...TABLE, languages, view: { lang: { ...TABLE.view.lang, choices: CODES } } };
  const { parseView } = makeState(table);
  const hashes = ["", "#", "#lang=es", "lang=ar", "#lr=0.5&lang=pt-BR&tour=2", "#lang=pt%2DBR", "#lang=klingon",
    "#lang=de&lang=klingon", "#lang=de&lang=fr", "#lang", "#lang=", "#xlang=es", "#lang=%E0%A4%A", "#lang=ES", "#tour&lang=zh-Hans"];
  for (const hash of hashes) assert.equal(langInHash(hash, CODES), parseView(hash).view.lang, hash);
  assert.equal(langInHash("#lang=de&lang=klingon", CODES), "de");
  assert.equal(langInHash("#lang=es", []), ""); // a page without the build's languages: English
});

test("the page table declares lang= as a quiet choice of its languages", () => {
  assert.deepEqual(TABLE.view.lang, { kind: "choice", default: "", choices: Object.keys(TABLE.languages), quiet: true });
  assert.ok(TABLE.catalogue_max_bytes > 0);
});

const GOOD = JSON.stringify({ lang: "es", dir: "ltr", plural: { one: 0, other: 1 }, plural_expr: "(n != 1)", decimal: ",", group: ".",
  messages: { "lab.play": "Entrenar", "handin.rows": ["{n} fila", "{n} filas"] } });

test("a compiled catalogue is read field by field; anything else is refused with what is wrong", () => {
  const read = readCatalogue(GOOD, "es", 10_000);
  assert.equal(read.messages["lab.play"], "Entrenar");
  assert.equal(read.decimal, ",");
  assert.equal(read.plural_expr, "(n != 1)"); // what Python's pynn.page.text picks a plural's form with
  const refused = (text, code = "es", max = 10_000) => {
    const result = readCatalogue(text, code, max);
    assert.ok(result instanceof Error, JSON.stringify(result));
    return result.message;
  };
  assert.match(refused(GOOD, "fr"), /not fr/);
  assert.match(refused(GOOD, "es", 50), /larger than 50/);
  assert.match(refused("{"), /not JSON/);
  assert.match(refused("[]"), /not a JSON object/);
  const change = (patch) => JSON.stringify({ ...JSON.parse(GOOD), ...patch });
  assert.match(refused(change({ dir: "ttb" })), /dir/);
  assert.match(refused(change({ decimal: "a long decimal" })), /decimal/);
  assert.match(refused(change({ plural: { one: "0" } })), /plural/);
  assert.match(refused(change({ plural_expr: 1 })), /plural_expr/);
  assert.match(refused(change({ messages: { "lab.play": { html: "<b>" } } })), /lab.play is not a text/);
  assert.match(refused(change({ messages: { "lab.play": [] } })), /lab.play is not a text/);
  assert.match(refused(change({ messages: ["x"] })), /messages/);
});

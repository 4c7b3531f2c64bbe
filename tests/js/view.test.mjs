// node --test tests/js/ — the `hide` option of web/state.js ("present" mode, issue 4 item 8).
import assert from "node:assert/strict";
import { test } from "node:test";

import { makeState } from "../../web/state.js";
import { TABLE } from "./table.mjs";

const { KEYS, VIEW_FIELDS, applies, defaults, parseHash, parseView, serialiseHash } = makeState(TABLE);

test("hide is a view option over the control keys, not a setting sent to pynn", () => {
  assert.deepEqual(Object.keys(VIEW_FIELDS), ["hide", "view", "tour", "exercise", "code", "lesson", "derive", "equations", "lang"]);
  assert.deepEqual(VIEW_FIELDS.hide.choices, KEYS);
  assert.deepEqual(VIEW_FIELDS.hide.default, []);
  assert.ok(!KEYS.includes("hide"));
});

test("no hide in the hash hides nothing", () => {
  for (const hash of ["", "#", undefined, "#hidden=5&lr=0.5"]) {
    assert.deepEqual(parseView(hash), { view: { hide: [], view: "", tour: 0, exercise: "", code: "", lesson: "", derive: "", equations: "", lang: "" }, messages: [] });
  }
});

test("hide=lr,batch hides those controls, in the order of the keys, once each", () => {
  assert.deepEqual(parseView("#hide=lr,batch").view.hide, ["lr", "batch"]);
  assert.deepEqual(parseView("#hide=batch,lr,batch").view.hide, ["lr", "batch"]);
  assert.deepEqual(parseView("#hide=seed&hide=dataset").view.hide, ["dataset", "seed"]);
  assert.deepEqual(parseView("#hide=lr%2Cbatch").view.hide, ["lr", "batch"]);
  assert.deepEqual(parseView("#hide= lr , ,wd").view.hide, ["lr", "wd"]);
});

test("unknown names are ignored with one message each; the known ones still apply", () => {
  const { view, messages } = parseView("#hide=lr,volume,<script>");
  assert.deepEqual(view.hide, ["lr"]);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /^hide: ignored unknown control "volume"; known: dataset, classes/);
  assert.match(messages[1], /"<script>"/);
  assert.deepEqual(parseView("#hide=%E0%A4%A").messages.length, 1);
});

test("the settings parser leaves hide alone: no 'unknown setting' message", () => {
  assert.deepEqual(parseHash("#hide=lr,batch&hidden=7"), { settings: { ...defaults(), hidden: 7 }, messages: [] });
});

test("serialise keeps hide after the settings, and round-trips", () => {
  const settings = { ...defaults(), hidden: 7 };
  assert.equal(serialiseHash(settings), serialiseHash(settings, { hide: [] }));
  const hash = serialiseHash(settings, { hide: ["lr", "batch"] });
  assert.match(hash, /&seed=1&hide=lr,batch$/);
  assert.deepEqual(parseHash(hash).settings, settings);
  assert.deepEqual(parseView(hash).view.hide, ["lr", "batch"]);
});

test("exercise=NAME opens one of the exercises and stays in the hash; unknown names get a message", () => {
  // the table's order (pynn.page.exercises.ORDER)
  const { EXERCISES: ORDER } = makeState(TABLE);
  assert.deepEqual(ORDER, TABLE.exercises.order);
  for (const name of ORDER) assert.equal(parseView(`#exercise=${name}&lr=0.5`).view.exercise, name);
  const { view, messages } = parseView("#exercise=backprop");
  assert.equal(view.exercise, "");
  assert.equal(messages[0], `exercise: ignored unknown exercise "backprop"; known: ${ORDER.join(", ")}`);
  assert.deepEqual(parseHash("#exercise=relu&hidden=7"), { settings: { ...defaults(), hidden: 7 }, messages: [] });
  assert.match(serialiseHash(defaults(), { hide: ["lr"], exercise: "loss" }), /&hide=lr&exercise=loss$/);
  assert.doesNotMatch(serialiseHash(defaults(), { hide: [], exercise: "" }), /exercise/);
});

test("code=… carries code for the exercise, percent-encoded, and comes back the same", () => {
  const code = "import numpy as np\n\ndef relu(s):\n    return np.maximum(s, 0)  # 100% & more";
  const hash = serialiseHash(defaults(), { hide: [], exercise: "relu", code });
  assert.doesNotMatch(hash.split("&code=")[1], /[\s&#]/);
  assert.deepEqual(parseView(`#${hash}`), { view: { hide: [], view: "", tour: 0, exercise: "relu", code, lesson: "", derive: "", equations: "", lang: "" }, messages: [] });
  assert.deepEqual(parseHash(`#${hash}`).messages, []);
  assert.match(parseView("#code=x").messages[0], /names no exercise/);
  assert.equal(parseView("#code=x").view.code, "");
  assert.match(parseView("#exercise=relu&code=%E0%A4%A").messages[0], /not valid URL encoding/);
  assert.match(parseView(`#exercise=relu&code=${"x".repeat(20001)}`).messages[0], /longer than 20000/);
});

test("view=projector and tour are view options that stay in the hash", () => {
  assert.equal(parseView("#lr=0.5&view=projector").view.view, "projector");
  assert.equal(parseView("#tour").view.tour, 1);
  assert.equal(parseView("#tour=4&lr=1").view.tour, 4);
  const bad = parseView("#view=huge&tour=99");
  assert.equal(bad.view.view, "");
  assert.equal(bad.view.tour, 1);
  assert.equal(bad.messages.length, 2);
  assert.deepEqual(parseHash("#view=projector&tour=2&xy=0,0,1").messages, []);
  const hash = serialiseHash(defaults(), { hide: ["lr"], view: "projector", tour: 3 });
  assert.ok(hash.endsWith("&hide=lr&view=projector&tour=3"), hash);
  assert.deepEqual(parseView(`#${hash}`).view, { hide: ["lr"], view: "projector", tour: 3, exercise: "", code: "", lesson: "", derive: "", equations: "", lang: "" });
});

test("points and noise leave the hash where they do not apply (digits, your own points)", () => {
  for (const dataset of ["digits", "custom"]) {
    const hash = serialiseHash({ ...defaults(), dataset, classes: dataset === "digits" ? 10 : 3 });
    assert.ok(!/(^|&)points=/.test(hash) && !/(^|&)noise=/.test(hash), hash);
    assert.ok(!applies("points", dataset) && !applies("noise", dataset));
  }
  const spiral = serialiseHash(defaults());
  assert.ok(/(^|&)points=300/.test(spiral) && /(^|&)noise=0\.1/.test(spiral), spiral);
  assert.ok(applies("points", "spiral") && applies("split", "digits"));
});

test("lesson=NAME opens one of the lessons and stays in the hash; unknown names get a message", () => {
  const lessons = { ...TABLE, lessons: [{ name: "capacity" }, { name: "lr-large" }] };
  const state = makeState(lessons);
  assert.deepEqual(state.VIEW_FIELDS.lesson.choices, ["capacity", "lr-large"]);
  assert.equal(state.parseView("#lesson=lr-large&hidden=3").view.lesson, "lr-large");
  const { view, messages } = state.parseView("#lesson=<b>");
  assert.equal(view.lesson, "");
  assert.match(messages[0], /^lesson: ignored unknown lesson "<b>"; known: capacity, lr-large$/);
  assert.deepEqual(state.parseHash("#lesson=capacity&hidden=7").messages, []);
  const hash = state.serialiseHash(state.defaults(), { hide: ["lr"], lesson: "capacity" });
  assert.ok(hash.endsWith("&seed=1&hide=lr&lesson=capacity"), hash);
  assert.equal(state.parseView(`#${hash}`).view.lesson, "capacity");
});

test("init is a choice of its own values, left out of the hash at its default", () => {
  const { FIELDS: fields, parseValue: parse } = makeState(TABLE);
  assert.deepEqual(fields.init.choices, ["he", "small", "zero", "large"]);
  assert.deepEqual(parse("init", "zero"), { value: "zero" });
  assert.match(parse("init", "spiral").error, /^init: "spiral" is not one of he, small, zero, large$/);
  assert.match(parse("dataset", "zero").error, /is not one of spiral, circles/);
  assert.ok(!serialiseHash(defaults()).includes("init="));
  const zero = serialiseHash({ ...defaults(), init: "zero" });
  assert.ok(zero.includes("&hidden=32&init=zero&lr="), zero);
  assert.equal(parseHash(`#${zero}`).settings.init, "zero");
  assert.equal(parseHash("#init=xavier").settings.init, "he");
  assert.match(parseHash("#init=xavier").messages[0], /init: "xavier" is not one of he, small, zero, large; using he/);
});

test("derive opens a step of the derivation (alone: the first), equations=ask hides the exercises' equations", () => {
  const steps = TABLE.derive.steps;
  assert.deepEqual(steps.slice(0, 3), ["h1", "s1", "W1"]);
  assert.equal(parseView("#derive").view.derive, "h1");
  assert.equal(parseView("#derive=s0&lr=0.5").view.derive, "s0");
  const unknown = parseView("#derive=W2");
  assert.equal(unknown.view.derive, "h1");
  assert.match(unknown.messages[0], /derive: ignored unknown step/);
  assert.equal(parseView("#equations=ask").view.equations, "ask");
  assert.equal(parseView("#equations=shown").view.equations, "");
  const wrong = parseView("#equations=never");
  assert.equal(wrong.view.equations, "");
  assert.match(wrong.messages[0], /equations: ignored/);
  const hash = serialiseHash(defaults(), { derive: "W0", equations: "ask" });
  assert.match(hash, /&derive=W0&equations=ask$/);
  assert.deepEqual(parseView(`#${hash}`).view.derive, "W0");
  assert.deepEqual(parseHash(`#${hash}`).messages, []);
});

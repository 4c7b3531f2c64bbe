// node --test tests/js/ — the URL hash parser and serialiser of web/state.js.
import assert from "node:assert/strict";
import { test } from "node:test";

import { makeState } from "../../web/state.js";
import { TABLE } from "./table.mjs";

const { CLASS_RANGE, DATASETS, FIELDS, KEYS, defaults, fitClasses, parseHash, parseValue, serialiseHash } = makeState(TABLE);

test("the hash has exactly the keys of the issue", () => {
  assert.deepEqual(KEYS, ["dataset", "classes", "points", "noise", "split", "hidden", "init", "lr", "batch", "wd", "seed"]);
  assert.deepEqual(Object.keys(CLASS_RANGE), DATASETS);
});

test("an empty hash gives the defaults and no message", () => {
  for (const hash of ["", "#", undefined, null]) {
    assert.deepEqual(parseHash(hash), { settings: defaults(), messages: [] });
  }
});

test("the example link of the issue is applied", () => {
  const { settings, messages } = parseHash("#dataset=spiral&classes=3&points=300&hidden=50&lr=0.5&batch=10&seed=1");
  assert.deepEqual(messages, []);
  assert.deepEqual(settings, { ...defaults(), hidden: 50, lr: 0.5, batch: 10, seed: 1 });
});

test("serialise then parse gives the same settings", () => {
  const settings = { dataset: "blobs", classes: 5, points: 77, noise: 0.25, split: 0.5, hidden: 7, init: "he", lr: 0.003, batch: 32, wd: 0.0001, seed: 42 };
  const hash = serialiseHash(settings);
  assert.equal(hash, "dataset=blobs&classes=5&points=77&noise=0.25&split=0.5&hidden=7&lr=0.003&batch=32&wd=0.0001&seed=42");
  assert.deepEqual(parseHash(`#${hash}`), { settings, messages: [] });
  assert.deepEqual(parseHash(serialiseHash({ ...settings, lr: 1e-4 })).settings.lr, 1e-4);
});

test("each bad value gives one message and falls back to its field's default", () => {
  const cases = {
    "hidden=0": "hidden",
    "hidden=100000": "hidden",
    "hidden=2.5": "hidden",
    "hidden=": "hidden",
    "lr=-1": "lr",
    "lr=NaN": "lr",
    "lr=Infinity": "lr",
    "lr=1e999": "lr",
    "lr=0x10": "lr",
    "points=3e2": "points",
    "noise=abc": "noise",
    "split=1": "split",
    "wd=-0.5": "wd",
    "batch=0": "batch",
    "seed=-4": "seed",
    "dataset=%3Cscript%3Ealert(1)%3C%2Fscript%3E": "dataset",
    "dataset=mnist": "dataset",
    "classes=99": "classes",
  };
  for (const [hash, key] of Object.entries(cases)) {
    const { settings, messages } = parseHash(`#${hash}`);
    assert.equal(messages.length, 1, hash);
    assert.ok(messages[0].startsWith(`${key}:`), `${hash}: ${messages[0]}`);
    assert.ok(messages[0].endsWith(`using ${FIELDS[key].default}`), `${hash}: ${messages[0]}`);
    assert.deepEqual(settings, defaults(), hash);
  }
});

test("a bad value never changes the other fields", () => {
  const { settings } = parseHash("#hidden=-3&lr=0.7&dataset=circles&classes=4");
  assert.deepEqual(settings, { ...defaults(), lr: 0.7, dataset: "circles", classes: 4 });
});

test("messages quote a long bad value only in part", () => {
  const { messages } = parseHash(`#dataset=${"x".repeat(5000)}`);
  assert.ok(messages[0].length < 200, messages[0]);
});

test("unknown keys and broken encoding are reported and ignored", () => {
  const { settings, messages } = parseHash("#speed=3&hidden=%E0%A4%A&__proto__=1&constructor=2&hidden=9");
  assert.equal(settings.hidden, 9);
  assert.equal(messages.length, 4);
  assert.match(messages[0], /unknown setting "speed"/);
  assert.match(messages[1], /not valid URL encoding/);
  assert.equal(Object.getPrototypeOf(settings), Object.prototype);
  assert.equal(settings.constructor, Object);
});

test("classes follow the data set's range", () => {
  assert.deepEqual(parseHash("#dataset=moons").settings.classes, 2); // the default 3 does not fit: no message
  assert.deepEqual(parseHash("#dataset=moons").messages, []);
  const { settings, messages } = parseHash("#dataset=xor&classes=4");
  assert.equal(settings.classes, 2);
  assert.match(messages[0], /xor has exactly 2 classes; using 2/);
  assert.equal(fitClasses("spiral", 9), 6);
  assert.equal(fitClasses("blobs", 1), 2);
});

test("parseValue accepts numbers in plain and exponent form within the limits", () => {
  assert.deepEqual(parseValue("lr", " 0.5 "), { value: 0.5 });
  assert.deepEqual(parseValue("lr", "1e-3"), { value: 0.001 });
  assert.deepEqual(parseValue("lr", ".5"), { value: 0.5 });
  assert.deepEqual(parseValue("hidden", "+12"), { value: 12 });
  assert.deepEqual(parseValue("wd", "0"), { value: 0 });
  assert.ok("error" in parseValue("hidden", "12abc"));
  assert.ok("error" in parseValue("nope", "1"));
});

test("plus signs and percent escapes decode as in a query string", () => {
  assert.equal(parseHash("#lr=%2B0.25").settings.lr, 0.25);
  assert.equal(parseHash("#hidden=+12").settings.hidden, 12);
});

test("digits has exactly 10 classes and custom allows 2 to 6", () => {
  assert.equal(parseHash("#dataset=digits").settings.classes, 10);
  assert.deepEqual(parseHash("#dataset=digits&classes=10").messages, []);
  assert.equal(parseHash("#dataset=custom&classes=6").settings.classes, 6);
  const { settings, messages } = parseHash("#dataset=spiral&classes=10");
  assert.equal(settings.classes, 6);
  assert.equal(messages.length, 1);
});

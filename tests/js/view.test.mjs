// node --test tests/js/ — the `hide` option of web/state.js ("present" mode, issue 4 item 8).
import assert from "node:assert/strict";
import { test } from "node:test";

import { makeState } from "../../web/state.js";
import { TABLE } from "./table.mjs";

const { KEYS, VIEW_FIELDS, defaults, parseHash, parseView, serialiseHash } = makeState(TABLE);

test("hide is a view option over the control keys, not a setting sent to pynn", () => {
  assert.deepEqual(Object.keys(VIEW_FIELDS), ["hide"]);
  assert.deepEqual(VIEW_FIELDS.hide.choices, KEYS);
  assert.deepEqual(VIEW_FIELDS.hide.default, []);
  assert.ok(!KEYS.includes("hide"));
});

test("no hide in the hash hides nothing", () => {
  for (const hash of ["", "#", undefined, "#hidden=5&lr=0.5"]) {
    assert.deepEqual(parseView(hash), { view: { hide: [] }, messages: [] });
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

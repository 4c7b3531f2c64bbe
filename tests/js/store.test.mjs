// node --test tests/js/ — the store (web/state.js: the one owner of the page's state, one change
// event, the address following it) and the session client (web/start/session.js: the calls to
// Python), driven with a fake address and a fake worker.
import assert from "node:assert/strict";
import { test } from "node:test";

import { BY, Store, makeState } from "../../web/state.js";
import { SessionClient } from "../../web/start/session.js";
import { FakeWorker } from "./fakes.mjs";
import { TABLE } from "./table.mjs";

const state = makeState(TABLE);

function address(hash = "") {
  const location = { hash };
  const history = { writes: 0, replaceState: (_state, _title, next) => { history.writes += 1; location.hash = next; } };
  return { location, history };
}

function heard(store) {
  const changes = [];
  store.subscribe((change) => changes.push(change));
  return changes;
}

test("the address read into the store is one change: every setting at first, its messages returned, the address written back whole", () => {
  const { location, history } = address("#lr=0.5&hidden=oops&tour=2");
  const store = new Store(state, { location, history });
  const changes = heard(store);
  const messages = store.read();
  assert.equal(changes.length, 1);
  assert.equal(changes[0].by, BY.address);
  assert.deepEqual(changes[0].settings, state.KEYS);
  assert.equal(store.settings.lr, 0.5);
  assert.equal(store.settings.hidden, TABLE.fields.hidden.default);
  assert.equal(store.view.tour, 2);
  assert.equal(messages.length, 1);
  assert.match(messages[0], /^hidden:/);
  assert.equal(location.hash, `#${state.serialiseHash(store.settings, store.view)}`);
  assert.equal(history.writes, 1);
});

test("a change is heard once, with the keys that changed; the same values again are no change", () => {
  const { location, history } = address();
  const store = new Store(state, { location, history });
  store.read();
  const changes = heard(store);
  store.set({ settings: { lr: 2, batch: 8 }, running: { playing: true } });
  assert.deepEqual(changes.map(({ settings, view, running, by }) => ({ settings, view, running, by })),
    [{ settings: ["lr", "batch"], view: [], running: ["playing"], by: BY.page }]);
  assert.match(location.hash, /lr=2&batch=8/);
  store.set({ settings: { ...store.settings }, view: { hide: [] }, running: { playing: true } }, BY.session);
  assert.equal(changes.length, 1);
  store.set({ running: { playing: false } });
  assert.equal(changes.length, 2);
  assert.equal(history.writes, 2, "what is running is not in the address");
});

test("an assignment's keys follow the view in the address, and the view's keys they hold are written there only", () => {
  const { location, history } = address("#dataset=moons&assign=HW&equations=ask");
  const store = new Store(state, { location, history, tail: "assign=HW&equations=ask", omit: ["equations"] });
  store.read();
  assert.equal(store.view.equations, "ask");
  assert.equal(location.hash, `#${state.serialiseHash(store.settings, {})}&assign=HW&equations=ask`);
});

// A session client over a fake training worker, Python ready.
function session(hash, sandboxes = []) {
  const { location, history } = address(hash);
  const store = new Store(state, { location, history });
  const worker = new FakeWorker();
  const client = new SessionClient({
    store, state, timeouts: TABLE.timeouts_ms, createWorker: () => worker,
    createSandbox: () => sandboxes[sandboxes.push(new FakeWorker()) - 1],
    checkMessage: () => null, messages: { show: () => {} }, onStart: () => {}, onStop: () => {},
  });
  const parts = { updates: [], changed: [] };
  client.parts.push({ update: (answer) => parts.updates.push(answer), settingsChanged: (answer) => parts.changed.push(answer) });
  client.start();
  worker.say({ type: "ready", timings: {} });
  return { store, client, worker, parts };
}

const answer = (worker, call, result) => worker.say({ type: "result", id: call.id, ...result });
const settle = () => new Promise((resolve) => setTimeout(resolve));

test("lr from the address reaches Python in one configure, and Python's answer with the same settings renders nothing again", async () => {
  const { store, worker, parts } = session("#lr=0.5");
  const changes = heard(store);
  store.read();
  assert.deepEqual(worker.sent.map(({ method }) => method), ["configure"]);
  assert.equal(worker.sent[0].args.settings.lr, 0.5);
  answer(worker, worker.sent[0], { fresh: true, settings: { ...store.settings }, dataset: "spiral", epoch: 0 });
  await settle();
  assert.deepEqual(changes.filter((change) => change.settings.length).length, 1, "the setup changed once, so it rendered once");
  assert.deepEqual(changes.at(-1).running, ["configured"]);
  assert.deepEqual(parts.updates.map(({ type }) => type), ["configured"]);
});

test("a live setting changed on the page is one configure; its answer is a marker for the parts, not a new net", async () => {
  const { store, worker, parts } = session("");
  store.read();
  answer(worker, worker.sent[0], { fresh: true, settings: { ...store.settings } });
  await settle();
  store.set({ running: { playing: true } });
  store.set({ settings: { lr: 1 } });
  assert.equal(store.running.playing, true, "a live change keeps training");
  const call = worker.sent.at(-1);
  assert.deepEqual([call.method, call.args.settings.lr], ["configure", 1]);
  answer(worker, call, { fresh: false, changed: ["lr"], settings: { ...store.settings }, at: 3 });
  await settle();
  assert.deepEqual(parts.changed.map(({ changed }) => changed), [["lr"]]);
  assert.equal(parts.updates.length, 1);
  store.set({ settings: { hidden: 8 } });
  assert.equal(store.running.playing, false, "any other change makes a new net: playing stops");
});

test("a setup answered after a later one was asked does not put its settings in the store", async () => {
  const { store, worker } = session("");
  store.read();
  store.set({ settings: { hidden: 8 } });
  const late = worker.sent.at(-1);
  store.set({ settings: { hidden: 16 } });
  answer(worker, late, { fresh: true, settings: { ...store.settings, hidden: 8 } });
  await settle();
  assert.equal(store.settings.hidden, 16);
});

test("the page's language reaches both workers: their JavaScript at once, their Python first of all calls, at each start and at a switch", async () => {
  const sandboxes = [];
  const { client, worker } = session("", sandboxes);
  const said = (to) => to.sent.map((message) => (message.type === "language" ? ["language", message.catalogue] : [message.method, message.args]));
  const spanish = { lang: "es", messages: { "running.no-function": "tu código no define ninguna función llamada {name}" } };
  client.useLanguage(spanish);
  assert.deepEqual(said(worker).filter(([what]) => what.includes("language")), [["language", spanish], ["use_language", { catalogue: spanish }]]);
  client.sandbox.start(); // the exercises' Check, Train with your code, a grading
  assert.deepEqual(said(sandboxes[0]), [["language", spanish]]); // while its Python starts
  sandboxes[0].say({ type: "ready" });
  client.sandbox.call("run_exercise", { name: "relu" }).catch(() => {}); // stopped by the restart below
  assert.deepEqual(said(sandboxes[0]), [["language", spanish], ["use_language", { catalogue: spanish }], ["run_exercise", { name: "relu" }]]);
  client.useLanguage(null); // back to English, the sandbox running
  assert.deepEqual(said(sandboxes[0]).slice(-2), [["language", null], ["use_language", { catalogue: null }]]);
  assert.deepEqual(said(worker).slice(-2), [["language", null], ["use_language", { catalogue: null }]]);
  client.sandbox.start(); // a fresh sandbox (a restart): told the language before anything else
  assert.equal(sandboxes.length, 2);
  sandboxes[1].say({ type: "ready" });
  assert.deepEqual(said(sandboxes[1]), [["language", null], ["use_language", { catalogue: null }]]);
});

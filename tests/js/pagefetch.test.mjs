// node --test tests/js/ — the first visit's downloads the page's thread makes for the Python worker
// (web/start/pagefetch.js): the standard library and the wasm at once (not where a cache of the
// site's builds exists), and numpy's wheel then pynn's, pynn's asked for as numpy's nears its end;
// each body reaches the worker whole over a MessagePort.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { PageFetches, serveFetches } from "../../web/start/pagefetch.js";

// A response whose body comes in `chunks` (byte counts) one at a time, each when `next()` is called.
function trickling(chunks) {
  let controller;
  let sent = 0;
  const body = new ReadableStream({ start: (c) => (controller = c) });
  return {
    response: new Response(body),
    next() {
      const size = chunks[sent++];
      controller.enqueue(new Uint8Array(size).fill(sent));
      if (sent === chunks.length) controller.close();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
const SITE = "https://pynn.example/site/";
const AHEAD = ["pyodide/python_stdlib.zip.zst", "pyodide/pyodide.asm.wasm.zst"];

// A page and a worker joined by a port; the page's fetcher answers from `answers` (url → response).
function joined(answers, { ahead = [], cachePrefix = "pynn-" } = {}) {
  const { port1, port2 } = new MessageChannel();
  const asked = [];
  serveFetches(port1, { ahead, cachePrefix, fetcher: async (url) => (asked.push(url), answers(url)) });
  const page = new PageFetches(port2);
  return { page, asked, close: () => (port1.close(), port2.close()) };
}

afterEach(() => {
  delete globalThis.caches;
});

test("pynn's wheel is asked for once numpy's has nearEnd bytes left; both bodies reach the worker whole", async () => {
  const numpy = trickling([40, 40, 15, 5]);
  const pynn = trickling([7]);
  const { page, asked, close } = joined((url) => (url.endsWith("numpy") ? numpy.response : pynn.response));
  assert.equal((await page.ahead(SITE)).size, 0, "nothing asked for ahead");
  const wheels = page.inOrder([`${SITE}numpy`, `${SITE}pynn`], 100, 25);
  await tick();
  assert.deepEqual(asked, [], "nothing until start()");
  wheels.start();
  await tick();
  assert.deepEqual(asked, [`${SITE}numpy`]);
  numpy.next(); // 40 of 100
  await tick();
  assert.deepEqual(asked, [`${SITE}numpy`], "75 bytes left: not yet");
  numpy.next(); // 80: 20 left, within 25
  await tick();
  assert.deepEqual(asked, [`${SITE}numpy`, `${SITE}pynn`]);
  numpy.next();
  numpy.next();
  pynn.next();
  const [numpyResponse, pynnResponse] = await Promise.all(wheels.responses);
  assert.equal(numpyResponse.status, 200);
  assert.equal((await numpyResponse.arrayBuffer()).byteLength, 100);
  assert.deepEqual(Array.from(new Uint8Array(await pynnResponse.arrayBuffer())), [1, 1, 1, 1, 1, 1, 1]);
  close();
});

test("a first download that fails still asks for the second, and the worker hears each failure as fetch would say it", async () => {
  const { page, asked, close } = joined((url) => {
    if (url.endsWith("numpy")) throw new TypeError("Failed to fetch");
    return new Response("missing", { status: 404 });
  });
  const wheels = page.inOrder([`${SITE}numpy`, `${SITE}pynn`], 100, 25);
  wheels.start();
  await assert.rejects(wheels.responses[0], { name: "TypeError", message: "Failed to fetch" });
  assert.equal((await wheels.responses[1]).status, 404);
  assert.deepEqual(asked, [`${SITE}numpy`, `${SITE}pynn`]);
  close();
});

test("a first visit's page asks for the standard library and the wasm at once; a browser with this site's cache does not", async () => {
  globalThis.navigator ??= { onLine: true };
  const urls = AHEAD.map((file) => SITE + file);
  globalThis.caches = { keys: async () => ["another-site"] };
  let visit = joined(() => new Response("x"), { ahead: urls });
  const ahead = await visit.page.ahead(SITE);
  assert.deepEqual([...ahead.keys()], AHEAD, "keyed by their paths in dist/");
  assert.equal(await (await ahead.get(AHEAD[0])).text(), "x");
  await tick();
  assert.deepEqual(visit.asked, urls);
  visit.close();
  // a visit with a cache of this site's builds may restore its kept snapshot and fetch nothing
  globalThis.caches = { keys: async () => ["pynn-0123"] };
  visit = joined(() => new Response("x"), { ahead: urls });
  assert.equal((await visit.page.ahead(SITE)).size, 0);
  visit.close();
  // storage refused: no telling, so nothing ahead
  globalThis.caches = { keys: async () => Promise.reject(new Error("SecurityError")) };
  visit = joined(() => new Response("x"), { ahead: urls });
  assert.equal((await visit.page.ahead(SITE)).size, 0);
  await tick();
  assert.deepEqual(visit.asked, []);
  visit.close();
});

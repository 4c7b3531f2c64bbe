// node --test tests/js/ — the first visit's downloads the page's thread makes for the Python worker
// (web/start/pagefetch.js): the standard library and the wasm at once, then numpy's wheel, then
// pynn's, each asked for as the one before it nears its end (not where a cache of the site's builds exists);
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
const AHEAD = ["pyodide/python_stdlib.zip.zst", "pyodide/pyodide.asm.wasm.zst", "pyodide/numpy.whl.zst", "pyodide/pynn.whl.zst"];

// A page and a worker joined by a port; the page's fetcher answers from `answers` (url → response).
function joined(answers, { ahead = [], cachePrefix = "pynn-", nearEnd = undefined } = {}) {
  const { port1, port2 } = new MessageChannel();
  const asked = [];
  serveFetches(port1, { ahead, cachePrefix, nearEnd, fetcher: async (url) => (asked.push(url), answers(url)) });
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

test("a first visit's page asks for the standard library and the wasm at once, each wheel as the download before it nears its end; a browser with this site's cache asks for nothing", async () => {
  globalThis.navigator ??= { onLine: true };
  const urls = AHEAD.map((file) => SITE + file);
  globalThis.caches = { keys: async () => ["another-site"] };
  const bodies = { wasm: trickling([300, 150, 50]), numpy: trickling([200]), pynn: trickling([9]) };
  const answers = (url) => (url.endsWith("zip.zst") ? new Response("x") : bodies[Object.keys(bodies).find((name) => url.includes(name))].response);
  const chains = [[{ url: urls[0], bytes: 1 }], [{ url: urls[1], bytes: 500 }, { url: urls[2], bytes: 200 }, { url: urls[3], bytes: 9 }]];
  let visit = joined(answers, { ahead: chains, nearEnd: 100 });
  const ahead = await visit.page.ahead(SITE);
  assert.deepEqual([...ahead.keys()], AHEAD, "keyed by their paths in dist/");
  assert.equal(await (await ahead.get(AHEAD[0])).text(), "x");
  await tick();
  assert.deepEqual(visit.asked, urls.slice(0, 2), "the standard library and the wasm at once");
  bodies.wasm.next(); // 300 of 500
  await tick();
  assert.deepEqual(visit.asked, urls.slice(0, 2));
  bodies.wasm.next(); // 450: within 100 of its end
  await tick();
  assert.deepEqual(visit.asked, urls.slice(0, 3), "numpy's as the wasm nears its end");
  bodies.numpy.next();
  await tick();
  assert.deepEqual(visit.asked, urls, "pynn's as numpy's nears its end");
  bodies.wasm.next();
  bodies.pynn.next();
  assert.equal((await (await ahead.get(AHEAD[1])).arrayBuffer()).byteLength, 500);
  assert.equal((await (await ahead.get(AHEAD[3])).arrayBuffer()).byteLength, 9);
  visit.close();
  // a visit with a cache of this site's builds may restore its kept snapshot and fetch nothing
  globalThis.caches = { keys: async () => ["pynn-0123"] };
  visit = joined(() => new Response("x"), { ahead: [urls.map((url) => ({ url }))] });
  assert.equal((await visit.page.ahead(SITE)).size, 0);
  visit.close();
  // storage refused: no telling, so nothing ahead
  globalThis.caches = { keys: async () => Promise.reject(new Error("SecurityError")) };
  visit = joined(() => new Response("x"), { ahead: [urls.map((url) => ({ url }))] });
  assert.equal((await visit.page.ahead(SITE)).size, 0);
  await tick();
  assert.deepEqual(visit.asked, []);
  visit.close();
});

// node --test tests/js/ — how the worker plans Python's start (web/startup.js): the returning
// visit's kept snapshot, read from a stand-in Cache Storage.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { cacheName, plan } from "../../web/startup.js";

const manifest = {
  build: "b1d",
  base: "https://pynn.example/site/",
  numpy: { wheel: "pyodide/numpy.whl" },
  pynn: { wheel: "pyodide/pynn-0.1.0-py3-none-any.whl" },
  files: { "pyodide/pynn-0.1.0-py3-none-any.whl": { sha256: "00".repeat(32), bytes: 3 } },
  snapshot: { file: "pyodide/snapshot.gzip", gzipBytes: 10 },
};
const KEPT = "https://pynn.example/site/pyodide/snapshot-made-here";

// A Cache Storage holding one kept snapshot whose body arrives when `release` is called (or
// fails with `failure`); records what was asked of it.
function storage({ failure = null } = {}) {
  const asked = { matched: [], deleted: [] };
  let release;
  const body = new Promise((resolve, reject) => {
    release = () => (failure ? reject(failure) : resolve(new Uint8Array([1, 2, 3]).buffer));
  });
  globalThis.caches = {
    async match(url, options) {
      asked.matched.push([String(url), options.cacheName]);
      return String(url) === KEPT && options.cacheName === cacheName(manifest) ? { arrayBuffer: () => body } : undefined;
    },
    async open(name) {
      return { delete: async (url) => asked.deleted.push([name, String(url)]) };
    },
  };
  return { asked, release };
}

afterEach(() => {
  delete globalThis.caches;
});

test("a returning visit restores the kept snapshot, its bytes read while the runtime loads", async () => {
  const { asked, release } = storage();
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  assert.equal(visit.kind, "local");
  assert.deepEqual(asked.matched, [[KEPT, "pynn-b1d"]]);
  assert.deepEqual(visit.options.packages, ["numpy", "pynn"]);
  // plan answered before the body was read: loadPyodide gets a promise of the bytes.
  const memory = visit.options._loadSnapshot;
  assert.ok(memory instanceof Promise);
  release();
  assert.deepEqual(await memory, new Uint8Array([1, 2, 3]));
  assert.deepEqual(asked.deleted, []);
});

test("a kept snapshot that cannot be read fails the start with a message and is dropped", async () => {
  const { asked, release } = storage({ failure: new Error("disk gone") });
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  assert.equal(visit.kind, "local");
  release();
  await assert.rejects(visit.options._loadSnapshot, {
    message: "the copy of Python kept in this browser could not be read (disk gone)",
  });
  assert.deepEqual(asked.deleted, [["pynn-b1d", KEPT]]); // the next start (Restart) goes the ordinary way
});

test("without a kept snapshot the visit fetches pynn's wheel first, and names it if that fails", async () => {
  storage();
  globalThis.caches.match = async () => undefined;
  const fetched = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    fetched.push(String(url));
    return new Response("missing", { status: 404 });
  };
  try {
    await assert.rejects(plan(manifest, "https://pynn.example/site/pyodide/"), {
      message: "could not fetch pynn-0.1.0-py3-none-any.whl (HTTP 404)",
    });
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(fetched, ["https://pynn.example/site/pyodide/pynn-0.1.0-py3-none-any.whl"]);
});

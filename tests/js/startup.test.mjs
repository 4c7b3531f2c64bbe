// node --test tests/js/ — how the worker plans Python's start (web/startup.js): the returning
// visit's kept snapshot, read from a stand-in Cache Storage; and that snapshot's format
// (web/libsnapshot.js's pack and read; making and restoring one runs in Pyodide: tests/test_build.py).
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { pack, read } from "../../web/libsnapshot.js";
import { cacheName, plan } from "../../web/startup.js";

const manifest = {
  build: "b1d",
  base: "https://pynn.example/site/",
  numpy: { wheel: "pyodide/numpy.whl" },
  pynn: { wheel: "pyodide/pynn-0.1.0-py3-none-any.whl" },
  files: { "pyodide/pynn-0.1.0-py3-none-any.whl": { sha256: "00".repeat(32), bytes: 3 } },
  snapshot: { file: "pyodide/snapshot.gzip", gzipBytes: 10 },
};
const KEPT = "https://pynn.example/site/pyodide/snapshot-with-numpy";

// A kept snapshot with no side module, whose Pyodide memory is `memory`.
async function keptBytes(memory = new Uint8Array([1, 2, 3])) {
  const record = { version: 1, tableStart: 0, tableLength: 0, libs: [], slots: [], got: {}, handles: [],
    files: [], snapshot: 0, packages: ["numpy", "pynn"] };
  return new Uint8Array(await pack(record, [memory]).arrayBuffer());
}

// A Cache Storage holding one kept snapshot (`kept`) whose body arrives when `release` is called
// (or fails with `failure`); records what was asked of it.
function storage({ failure = null, kept } = {}) {
  const asked = { matched: [], deleted: [] };
  let release;
  const body = new Promise((resolve, reject) => {
    release = async () => (failure ? reject(failure) : resolve((kept ?? (await keptBytes())).buffer));
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
  delete globalThis._createPyodideModule; // libsnapshot.restore's hook for the next Pyodide
});

test("a returning visit restores the kept snapshot, its bytes read while the runtime loads", async () => {
  const { asked, release } = storage();
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  assert.equal(visit.kind, "local");
  assert.deepEqual(asked.matched, [[KEPT, "pynn-b1d"]]);
  assert.equal(visit.options.packages, undefined); // numpy and pynn are in the snapshot
  assert.deepEqual(visit.fetches, ["pyodide/pyodide.asm.js", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"]);
  // plan answered before the body was read: loadPyodide gets a promise of the bytes.
  const memory = visit.options._loadSnapshot;
  assert.ok(memory instanceof Promise);
  release();
  assert.deepEqual(Array.from(await memory), [1, 2, 3]);
  // The next Pyodide runtime created is hooked, to put the side modules back after the memory.
  assert.ok(Object.getOwnPropertyDescriptor(globalThis, "_createPyodideModule")?.set);
  assert.deepEqual(asked.deleted, []);
});

test("a kept snapshot of another format fails the start with a message and is dropped", async () => {
  const old = new Uint8Array(64); // e.g. the Python-only snapshot an earlier version kept
  const { asked, release } = storage({ kept: old });
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  release();
  await assert.rejects(visit.options._loadSnapshot, {
    message: "the copy of Python kept in this browser could not be read (not a pynn snapshot)",
  });
  assert.deepEqual(asked.deleted, [["pynn-b1d", KEPT]]);
});

test("a kept snapshot reads back as packed: its record, Pyodide's memory and each blob, aligned", async () => {
  const memory = Uint8Array.from({ length: 40 }, (_, index) => index);
  const record = { version: 1, libs: [], files: [{ path: "/a.py", blob: 0 }], snapshot: 1, packages: [] };
  const bytes = new Uint8Array(await pack(record, [new Uint8Array([7, 7, 7]), memory]).arrayBuffer());
  const kept = read(bytes);
  assert.deepEqual(Array.from(kept.blob(0)), [7, 7, 7]);
  assert.deepEqual(Array.from(kept.memory), Array.from(memory));
  assert.equal(kept.memory.byteOffset % 16, 0); // Pyodide reads its header as 32-bit words
  assert.deepEqual(kept.record.files, record.files);
  assert.throws(() => read(bytes.subarray(0, bytes.length - 16)), { message: "a pynn snapshot cut short" });
  const newer = new Uint8Array(await pack({ ...record, version: 2 }, [memory]).arrayBuffer());
  assert.throws(() => read(newer), { message: "a pynn snapshot of version 2, not 1" });
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

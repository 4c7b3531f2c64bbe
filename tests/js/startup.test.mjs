// node --test tests/js/ — how the worker plans Python's start (web/start/startup.js): the returning
// visit's kept snapshot, read from a stand-in Cache Storage; and that snapshot's format
// (web/start/libsnapshot.js's pack and read; making and restoring one runs in Pyodide: tests/test_build.py).
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { WRITTEN_FOR, compileAhead, fits, pack, read, readBlob, regions, snapshotOptions } from "../../web/start/libsnapshot.js";
import * as startup from "../../web/start/startup.js";

const { cacheName, keptSnapshot, plan } = startup;

const manifest = {
  build: "b1d",
  cachePrefix: "pynn-",
  pyodide: { version: WRITTEN_FOR },
  base: "https://pynn.example/site/",
  numpy: { wheel: "pyodide/numpy.whl" },
  pynn: { wheel: "pyodide/pynn-0.1.0-py3-none-any.whl" },
  files: Object.fromEntries(["pyodide.asm.wasm", "python_stdlib.zip", "numpy.whl", "pynn-0.1.0-py3-none-any.whl"]
    .flatMap((name) => [`pyodide/${name}`, `pyodide/${name}.zst`]).map((file) => [file, { sha256: "00".repeat(32), bytes: 3 }])),
  // the big files travel packed (web/start/packed.js)
  packed: Object.fromEntries(["pyodide.asm.wasm", "python_stdlib.zip", "numpy.whl", "pynn-0.1.0-py3-none-any.whl"]
    .map((name) => [`pyodide/${name}`, `pyodide/${name}.zst`])),
  snapshot: { file: "pyodide/snapshot.gzip", gzipBytes: 10 },
};
const SITE = "https://pynn.example/site/pyodide/";
const KEPT = "https://pynn.example/site/pyodide/snapshot-with-numpy";

// A kept snapshot with no side module, whose Pyodide snapshot is a 16-byte header (its word 1:
// where the memory starts) and 3 pages of memory, the second all zeros.
const PAGE = 4096;
const HEADER = new Uint8Array(new Uint32Array([0x5e1f, 16, 0, 0]).buffer);
const MEMORY_BYTES = 16 + 3 * PAGE;
async function keptBytes() {
  const pages = new Uint8Array(2 * PAGE).fill(1, 0, PAGE).fill(3, PAGE); // pages 0 and 2
  const record = { version: 1, tableStart: 0, tableLength: 0, libs: [], slots: [], got: {}, handles: [],
    files: [], packages: ["numpy", "pynn"], memory: { bytes: MEMORY_BYTES, header: 0, pages: 1, runs: [[0, 1], [2, 1]] } };
  return new Uint8Array(await pack(record, [HEADER, pages]).arrayBuffer());
}

// A Cache Storage holding one kept snapshot (`kept`, its memory `memoryBytes` long as the response
// header says) whose body arrives when `release` is called (or fails with `failure`); records
// what was asked of it.
function storage({ failure = null, kept, memoryBytes = MEMORY_BYTES } = {}) {
  const asked = { matched: [], deleted: [] };
  let release;
  const body = new Promise((resolve, reject) => {
    release = async () => (failure ? reject(failure) : resolve((kept ?? (await keptBytes())).buffer));
  });
  globalThis.caches = {
    async match(url, options) {
      asked.matched.push([String(url), options.cacheName]);
      if (String(url) !== KEPT || options.cacheName !== cacheName(manifest)) return undefined;
      return { blob: async () => new Blob([await body]), headers: new Headers(memoryBytes ? { "X-Pynn-Memory-Bytes": String(memoryBytes) } : {}) };
    },
    async open(name) {
      return { delete: async (url) => asked.deleted.push([name, String(url)]) };
    },
  };
  return { asked, release };
}

// What loadPyodide does with `_loadSnapshot` once pyodide.asm.js is in: create the runtime (here a
// stand-in with an empty function table and a memory the start wrote 9s all over), then restore
// the memory. Resolves to {header: what Pyodide's own restore was given, memory: the memory then}.
async function startPyodide(loadSnapshot) {
  globalThis._createPyodideModule = async () => Module; // as pyodide.asm.js does
  const buffer = new ArrayBuffer(4 * PAGE);
  const Module = { wasmTable: { length: 0, grow() {}, get() {}, set() {} }, _calloc: () => 64,
    HEAP8: new Int8Array(buffer).fill(9), HEAPU8: new Uint8Array(buffer), HEAPU32: new Uint32Array(buffer), GOT: {},
    LDSO: { loadedLibsByName: {}, loadedLibsByHandle: {} } };
  let header = null;
  const API = { restoreSnapshot: (bytes) => (header = Array.from(bytes)) };
  await globalThis._createPyodideModule({ API });
  API.restoreSnapshot(loadSnapshot);
  return { header, memory: Module.HEAPU8 };
}

afterEach(() => {
  delete globalThis.caches;
  delete globalThis._createPyodideModule; // libsnapshot.restore's hook for the next Pyodide
});

test("a returning visit restores the kept snapshot, the runtime created while its bytes are read", async () => {
  const { asked, release } = storage();
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  assert.equal(visit.kind, "local");
  // the kept snapshot, then the runtime's files as the build keeps them, read from its cache here
  assert.deepEqual(asked.matched, [KEPT, ...["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"].map((name) => SITE + name)]
    .map((url) => [url, "pynn-b1d"]));
  assert.deepEqual([...visit.prefetched.keys()], ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"].map((name) => SITE + name));
  assert.equal(visit.options.packages, undefined); // numpy and pynn are in the snapshot
  assert.deepEqual(visit.fetches, ["pyodide/pyodide.asm.js", "pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"]);
  // plan answered before the body was read: loadPyodide gets a buffer of the memory's length now,
  // and the runtime's creation waits for the kept bytes.
  const memory = visit.options._loadSnapshot;
  assert.ok(memory instanceof Uint8Array && memory.length === MEMORY_BYTES);
  const started = startPyodide(memory);
  release();
  const { header, memory: restored } = await started;
  assert.deepEqual(header, Array.from(HEADER)); // Pyodide's restore reads its header, no memory
  // The kept memory, not the buffer's zeros: its pages, the zero page between them written as
  // zeros over what the start left there, and the page past its length left alone.
  const page = (index) => new Set(restored.subarray(index * PAGE, (index + 1) * PAGE));
  assert.deepEqual([page(0), page(1), page(2), page(3)], [new Set([1]), new Set([0]), new Set([3]), new Set([9])]);
  assert.deepEqual(asked.deleted, []);
});

test("a kept snapshot that cannot be read fails the runtime's creation with a message and is dropped", async () => {
  const { asked, release } = storage({ failure: new Error("disk gone") });
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  assert.equal(visit.kind, "local");
  const started = startPyodide(visit.options._loadSnapshot);
  release();
  await assert.rejects(started, {
    message: "the copy of Python kept in this browser could not be read (disk gone)",
  });
  assert.deepEqual(asked.deleted, [["pynn-b1d", KEPT]]); // the worker then starts the ordinary way
});

test("a kept snapshot of another format fails the start with a message and is dropped", async () => {
  const old = new Uint8Array(64); // e.g. the Python-only snapshot an earlier version kept
  const { asked, release } = storage({ kept: old });
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  const started = startPyodide(visit.options._loadSnapshot);
  release();
  await assert.rejects(started, {
    message: "the copy of Python kept in this browser could not be read (not a pynn snapshot)",
  });
  assert.deepEqual(asked.deleted, [["pynn-b1d", KEPT]]);
});

test("a kept snapshot whose memory is not the length its header says fails the start", async () => {
  const { release } = storage({ memoryBytes: 5 });
  const visit = await plan(manifest, "https://pynn.example/site/pyodide/");
  const started = startPyodide(visit.options._loadSnapshot);
  release();
  await assert.rejects(started, { message: `the memory kept is ${MEMORY_BYTES} bytes, not 5` });
});

test("a kept snapshot without its length is dropped and the visit starts without it", async () => {
  const { asked } = storage({ memoryBytes: 0 });
  const fetched = [];
  const fetcher = async (url) => fetched.push(String(url)) && new Response("missing", { status: 404 });
  // the ordinary start, whose first fetch, the standard library's, fails here and is named
  await assert.rejects(plan(manifest, SITE, { fetcher }), {
    message: "could not fetch python_stdlib.zip.zst (HTTP 404)",
    // and by id, for the page to say in its language (the worker may not have heard it yet)
    text: { id: "start.fetch.failed", params: { file: "python_stdlib.zip.zst", reason: "HTTP 404" } },
  });
  assert.deepEqual(asked.deleted, [["pynn-b1d", KEPT]]);
  assert.deepEqual(fetched, [`${SITE}python_stdlib.zip.zst`, `${SITE}pyodide.asm.wasm.zst`]);
});

test("a kept snapshot reads back as packed: its record and each blob, aligned", async () => {
  const memory = Uint8Array.from({ length: 40 }, (_, index) => index);
  const record = { version: 1, libs: [], files: [{ path: "/a.py", blob: 0 }], packages: [] };
  const bytes = new Uint8Array(await pack(record, [new Uint8Array([7, 7, 7]), new Blob([memory])]).arrayBuffer());
  const kept = read(bytes);
  assert.deepEqual(Array.from(kept.blob(0)), [7, 7, 7]);
  assert.deepEqual(Array.from(kept.blob(1)), Array.from(memory));
  assert.equal(kept.blob(1).byteOffset % 16, 0); // Pyodide reads its header as 32-bit words
  assert.deepEqual(kept.record.files, record.files);
  assert.throws(() => read(bytes.subarray(0, bytes.length - 16)), { message: "a pynn snapshot cut short" });
  const newer = new Uint8Array(await pack({ ...record, version: 2 }, [memory]).arrayBuffer());
  assert.throws(() => read(newer), { message: "a pynn snapshot of version 2, not 1" });
});

test("a kept snapshot in a Blob is read a region at a time: the side modules, the files, the memory", async () => {
  const blobs = [[1, 1], [2], [3, 3, 3], [4], [5, 5]].map((bytes) => new Uint8Array(bytes));
  const record = { version: 1, libs: [{ name: "/a.so", blob: 0 }, { name: "/b.so", blob: 1 }], files: [{ path: "/c.py", blob: 2 }],
    packages: [], memory: { bytes: 3, header: 3, pages: 4, runs: [] } };
  const packed = pack(record, blobs);
  const slices = [];
  const blob = { size: packed.size, slice: (start, end) => (slices.push([start, end]), packed.slice(start, end)) };
  const kept = await readBlob(blob);
  for (const [index, bytes] of blobs.entries()) assert.deepEqual(Array.from(await kept.part(index)), Array.from(bytes));
  assert.equal(kept.owned, true);
  // the first 12 bytes, the record, then one read per region
  assert.equal(slices.length, 5);
  const [libs, files, memory] = slices.slice(2).map(([start, end]) => end - start);
  assert.deepEqual([libs, files, memory], [16 + 1, 3, 16 + 2]);
  await assert.rejects(readBlob(packed.slice(0, packed.size - 16)), { message: "a pynn snapshot cut short" });
  await assert.rejects(readBlob(new Blob([new Uint8Array(5)])), { message: "not a pynn snapshot" });
  const failing = { size: packed.size, slice: (start, end) => (start < 64 ? packed.slice(start, end) : { arrayBuffer: async () => Promise.reject(new Error("disk gone")) }) };
  const broken = await readBlob(failing, async (error) => new Error(`unreadable: ${error.message}`));
  await assert.rejects(broken.part(4), { message: "unreadable: disk gone" });
});

test("where the kept snapshot's regions lie, kept beside it, lets their reads start with the record's", async () => {
  const blobs = [[1, 1], [2], [3, 3, 3], [4], [5, 5]].map((bytes) => new Uint8Array(bytes));
  const record = { version: 1, libs: [{ name: "/a.so", blob: 0 }, { name: "/b.so", blob: 1 }], files: [{ path: "/c.py", blob: 2 }],
    packages: [], memory: { bytes: 3, header: 3, pages: 4, runs: [] } };
  const packed = pack(record, blobs);
  const laidOut = await regions(packed);
  assert.deepEqual(laidOut.map(({ first, last, end, start }) => [first, last, end - start]), [[0, 1, 17], [2, 2, 3], [3, 4, 18]]);
  const slices = [];
  const blob = { size: packed.size, slice: (start, end) => (slices.push(end - start), packed.slice(start, end)) };
  const kept = await readBlob(blob, undefined, laidOut);
  // the three regions asked for first, then the record (its 12 bytes, then the rest); each once
  assert.deepEqual(slices.slice(0, 3), [17, 3, 18]);
  assert.equal(slices[3], 12);
  assert.equal(slices.length, 5);
  for (const [index, bytes] of blobs.entries()) assert.deepEqual(Array.from(await kept.part(index)), Array.from(bytes));
  // a layout that is not this snapshot's is read, but not used
  const wrong = laidOut.map((region) => ({ ...region, start: region.start + 16, end: region.end + 16 }));
  const other = await readBlob(packed, undefined, wrong);
  for (const [index, bytes] of blobs.entries()) assert.deepEqual(Array.from(await other.part(index)), Array.from(bytes));
});

// A fetcher whose every answer is 9 bytes after `delay` ms; records the names it was asked for.
function slowSite(fetched, delay, asked = []) {
  return async (url) => {
    fetched.push(String(url).slice(SITE.length));
    asked.push(performance.now());
    await new Promise((resolve) => setTimeout(resolve, delay));
    return new Response(new Uint8Array(9));
  };
}

test("without a kept snapshot the standard library and the wasm come first, at once; numpy's wheel once the wasm is in, pynn's after numpy's", async () => {
  storage();
  globalThis.caches.match = async () => undefined;
  globalThis.navigator ??= { onLine: true };
  const fetched = [];
  const { packed, ...unpackedBuild } = manifest; // (the order is the same for packed files; unpacking them needs fzstd, which dist/ has)
  // a slow link: the standard library's 3 bytes in 50 ms is no link to fetch a 10 kB snapshot over
  const slowLink = { ...unpackedBuild, snapshot: { ...manifest.snapshot, gzipBytes: 10_000 } };
  const asked = [];
  const visit = await plan(slowLink, SITE, { fetcher: slowSite(fetched, 50, asked) });
  assert.ok(packed);
  assert.equal(visit.kind, "made");
  assert.deepEqual(fetched, ["python_stdlib.zip", "pyodide.asm.wasm"]);
  assert.ok(asked[1] - asked[0] < 20, "the standard library and the wasm at once");
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.equal(fetched.length, 2, "the wheels wait for the runtime's wasm");
  visit.runtimeFetched();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(fetched.slice(2), ["numpy.whl"], "pynn's wheel waits for numpy's");
  await visit.prefetched.get(`${SITE}pynn-0.1.0-py3-none-any.whl`);
  assert.deepEqual(fetched.slice(2), ["numpy.whl", "pynn-0.1.0-py3-none-any.whl"]);
  assert.ok(asked[3] - asked[2] >= 45, "pynn's asked for once numpy's has come (a file not packed: at its end)");
});

// A first visit's plan of `build` with the page's fetches (web/start/pagefetch.js's PageFetches)
// coming late, as the worker gets them: {planned, arrive(fetches), fetched, asked, started}.
function planWithLatePage(build) {
  let arrive;
  const page = new Promise((resolve) => (arrive = resolve));
  const fetched = [];
  const asked = [];
  const started = performance.now();
  const planned = plan(build, SITE, { fetcher: slowSite(fetched, 5, asked), page });
  return { planned, arrive, fetched, asked, started };
}

test("a first visit's plan waits for the page's port where the page asks ahead (no cache of the site's builds), and not where it does not", async () => {
  storage();
  globalThis.caches.match = async () => undefined;
  globalThis.navigator ??= { onLine: true };
  const { packed, ...unpackedBuild } = manifest;
  const slowLink = { ...unpackedBuild, snapshot: { ...manifest.snapshot, gzipBytes: 10_000 } };
  assert.ok(packed && globalThis.crypto?.subtle);
  // no cache of this site: the page asked ahead, so the plan waits for its port before any fetch
  globalThis.caches.keys = async () => ["other-site-1"];
  const { planned, arrive, fetched, asked, started } = planWithLatePage(slowLink);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(fetched, [], "nothing fetched before the page's port came");
  const told = [];
  arrive({ ahead: async (base) => (told.push(base), new Map()), arrivalMs: () => null, inOrder: () => assert.fail("not asked in order: this build is not packed") });
  const visit = await planned;
  assert.deepEqual(told, [slowLink.base], "the page was asked what it fetched ahead");
  assert.deepEqual(fetched.slice(0, 2), ["python_stdlib.zip", "pyodide.asm.wasm"]);
  assert.ok(asked[0] - started >= 55);
  visit.runtimeFetched?.();
  // a cache of an earlier build of this site: the page asked nothing ahead, the plan fetches at once
  globalThis.caches.keys = async () => ["pynn-older"];
  const atOnce = planWithLatePage(slowLink);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(atOnce.fetched, ["python_stdlib.zip", "pyodide.asm.wasm"], "fetched without waiting for the port");
  assert.ok(atOnce.asked[0] - atOnce.started < 25);
  atOnce.arrive(null); // (the wheels, after the runtime, go through the page's port where it came)
  (await atOnce.planned).runtimeFetched?.();
});

test("on a Pyodide the snapshot code was not written for, a kept snapshot is never tried", async () => {
  const { asked } = storage();
  const newer = { ...manifest, pyodide: { version: "314.0.0" } };
  assert.equal(fits("314.0.0"), false);
  assert.equal(fits(WRITTEN_FOR), true);
  assert.equal(await keptSnapshot(newer), null);
  assert.equal(await startup.keptBytes(newer), null);
  const fetcher = async () => new Response("missing", { status: 404 });
  // the ordinary start (its first fetch fails here), not the kept copy
  await assert.rejects(plan(newer, SITE, { fetcher }), { message: /could not fetch python_stdlib/ });
  assert.deepEqual(asked.matched.filter(([url]) => url === KEPT), [], "the kept copy was not even looked up");
  assert.deepEqual(snapshotOptions({ load: 1, make: true }), { _loadSnapshot: 1, _makeSnapshot: true });
  assert.deepEqual(snapshotOptions(), {});
});

test("keeping the snapshot says why it did not: a full store, a newer build, no Cache Storage", async () => {
  const kept = await keptBytes();
  const taken = { memoryBytes: MEMORY_BYTES, pack: async () => new Blob([kept]) };
  const unpacked = new Map([["pyodide/numpy.whl", Promise.resolve(new Blob([new Uint8Array(3)]))]]);
  const put = [];
  let full = null; // the name of the put that fails as a full store does
  globalThis.caches = {
    keys: async () => [cacheName(manifest)],
    open: async () => ({
      put: async (url, response) => {
        if (String(url).endsWith(full ?? "\0")) throw Object.assign(new Error("The quota has been exceeded."), { name: "QuotaExceededError" });
        put.push([String(url), (await response.arrayBuffer()).byteLength]);
        if (String(url) === KEPT) put.push(JSON.parse(response.headers.get("X-Pynn-Regions")));
      },
    }),
  };
  assert.equal(await startup.keepSnapshot(manifest, taken, unpacked), null);
  // kept with where its regions lie (here the memory's only: Pyodide's header and the pages)
  const memoryStart = kept.length - 16 - 2 * PAGE;
  assert.deepEqual(put, [[`${SITE}numpy.whl`, 3], [KEPT, kept.length], [{ first: 0, last: 1, start: memoryStart, end: kept.length }]]);
  full = "snapshot-with-numpy";
  assert.match(await startup.keepSnapshot(manifest, taken, unpacked), /^the snapshot: QuotaExceededError The quota/);
  full = "numpy.whl";
  assert.match(await startup.keepSnapshot(manifest, taken, unpacked), /^pyodide\/numpy\.whl: QuotaExceededError/);
  globalThis.caches.keys = async () => ["pynn-another-build"];
  assert.equal(await startup.keepSnapshot(manifest, taken, unpacked), "a newer build's cache");
  delete globalThis.caches;
  assert.equal(await startup.keepSnapshot(manifest, taken, unpacked), "no Cache Storage");
});

// The origin's private file system, as web/start/keptfile.js uses it: a folder of files, each read
// and written through a synchronous handle that one context holds at a time (`held`: another
// tab's worker holds the snapshot's). Records what was done to it.
function privateFiles({ held = false } = {}) {
  const files = new Map();
  const done = [];
  const reads = []; // [where the read's buffer is: its whole length, bytes read]
  let open = 0;
  const missing = () => Object.assign(new Error("not found"), { name: "NotFoundError" });
  const fileHandle = (name) => ({
    getFile: async () => new File([files.get(name)], name),
    async createSyncAccessHandle() {
      if (held && name === "snapshot") throw Object.assign(new Error("held"), { name: "NoModificationAllowedError" });
      open++;
      done.push(["open", name]);
      return {
        getSize: () => files.get(name).length,
        read(view, { at }) {
          reads.push([view.buffer.byteLength, view.byteLength]);
          const bytes = files.get(name).subarray(at, at + view.length);
          view.set(bytes);
          return bytes.length;
        },
        write(view, { at }) {
          const bytes = new Uint8Array(Math.max(files.get(name).length, at + view.length));
          bytes.set(files.get(name));
          bytes.set(view, at);
          files.set(name, bytes);
          return view.length;
        },
        truncate: (length) => files.set(name, files.get(name).slice(0, length)),
        flush() {},
        close() {
          open--;
          done.push(["close", name]);
        },
      };
    },
  });
  let made = false;
  const folder = {
    async getFileHandle(name, { create = false } = {}) {
      if (!files.has(name)) {
        if (!create) throw missing();
        files.set(name, new Uint8Array(0));
      }
      return fileHandle(name);
    },
    async removeEntry(name) {
      if (!files.delete(name)) throw missing();
      done.push(["remove", name]);
    },
  };
  globalThis.FileSystemSyncAccessHandle = class {};
  Object.defineProperty(globalThis, "navigator", {
    configurable: true,
    value: { storage: { getDirectory: async () => ({
      async getDirectoryHandle(name, { create = false } = {}) {
        assert.equal(name, "pynn-kept");
        if (!made && !create && !files.size) throw missing();
        made = true;
        return folder;
      },
    }) } },
  });
  return { files, done, reads, open: () => open };
}

// Cache Storage for what keepSnapshot keeps there besides (the unpacked files), and a site whose
// files are all missing (an ordinary start fails at its first fetch).
function buildCache() {
  globalThis.caches = { keys: async () => [cacheName(manifest)], open: async () => ({ put: async () => {} }), match: async () => undefined };
}
const missingSite = async () => new Response("missing", { status: 404 });

afterEach(() => {
  delete globalThis.navigator;
  delete globalThis.FileSystemSyncAccessHandle;
});

test("the snapshot is kept in the private file system and a returning visit reads it through a handle it closes", async () => {
  const disk = privateFiles();
  buildCache();
  const kept = await keptBytes();
  const taken = { memoryBytes: MEMORY_BYTES, pack: async () => new Blob([kept]) };
  disk.files.set("about.json", new TextEncoder().encode("{}")); // an earlier visit's, replaced
  assert.equal(await startup.keepSnapshot(manifest, taken, new Map()), null);
  assert.deepEqual(Array.from(disk.files.get("snapshot")), Array.from(kept));
  const about = JSON.parse(new TextDecoder().decode(disk.files.get("about.json")));
  assert.deepEqual(about, { build: "pynn-b1d", memoryBytes: MEMORY_BYTES, size: kept.length,
    regions: [{ first: 0, last: 1, start: kept.length - 16 - 2 * PAGE, end: kept.length }] });
  // the old description goes first and the new one is written last: a snapshot being written is never read
  assert.deepEqual(disk.done, [["remove", "about.json"], ["open", "snapshot"], ["close", "snapshot"], ["open", "about.json"], ["close", "about.json"]]);

  disk.done.length = 0;
  disk.reads.length = 0;
  const visit = await plan(manifest, SITE, { fetcher: missingSite, opened: startup.openKept() });
  assert.equal(visit.kind, "local");
  const { header, memory } = await startPyodide(visit.options._loadSnapshot);
  assert.deepEqual(header, Array.from(HEADER));
  const page = (index) => new Set(memory.subarray(index * PAGE, (index + 1) * PAGE));
  assert.deepEqual([page(0), page(1), page(2), page(3)], [new Set([1]), new Set([0]), new Set([3]), new Set([9])]);
  assert.deepEqual(disk.done, [["open", "snapshot"], ["close", "snapshot"]]);
  assert.equal(disk.open(), 0);
  // the memory's two kept pages read straight into the runtime's memory (4 pages here), no buffer between
  assert.deepEqual(disk.reads.filter(([buffer]) => buffer === 4 * PAGE), [[4 * PAGE, PAGE], [4 * PAGE, PAGE]]);
  assert.ok(disk.reads.every(([buffer, bytes]) => buffer === 4 * PAGE || bytes < PAGE), disk.reads);
  assert.deepEqual(await startup.keptBytes(manifest), { bytes: kept.buffer, memoryBytes: MEMORY_BYTES }); // the sandbox's copy
});

test("a snapshot in the private file system that is another build's, or cut short, is not read", async () => {
  const disk = privateFiles();
  buildCache();
  const kept = await keptBytes();
  await startup.keepSnapshot({ ...manifest, build: "0ld" }, { memoryBytes: MEMORY_BYTES, pack: async () => new Blob([kept]) }, new Map());
  // the ordinary start (whose first fetch fails here), not the kept copy
  await assert.rejects(plan(manifest, SITE, { fetcher: missingSite, opened: startup.openKept() }), { message: /could not fetch python_stdlib/ });
  assert.equal(await startup.keptBytes(manifest), null);
  assert.equal(disk.open(), 0);

  await startup.keepSnapshot(manifest, { memoryBytes: MEMORY_BYTES, pack: async () => new Blob([kept]) }, new Map());
  disk.files.set("snapshot", disk.files.get("snapshot").slice(0, 100));
  await assert.rejects(plan(manifest, SITE, { fetcher: missingSite }), { message: /could not fetch python_stdlib/ });
  assert.equal(await startup.keptBytes(manifest), null);
  assert.equal(disk.open(), 0);
  await startup.dropKeptSnapshot(manifest);
  assert.deepEqual([...disk.files.keys()], []);
});

test("a snapshot whose handle another tab holds is read as a file, and one that does not restore is dropped", async () => {
  const disk = privateFiles({ held: true });
  buildCache();
  const kept = await keptBytes();
  disk.files.set("snapshot", kept);
  disk.files.set("about.json", new TextEncoder().encode(JSON.stringify({ build: "pynn-b1d", memoryBytes: MEMORY_BYTES, size: kept.length })));
  const visit = await plan(manifest, SITE, { fetcher: missingSite });
  assert.equal(visit.kind, "local");
  const { memory } = await startPyodide(visit.options._loadSnapshot);
  assert.deepEqual(new Set(memory.subarray(2 * PAGE, 3 * PAGE)), new Set([3]));

  disk.files.set("snapshot", new Uint8Array(kept.length)); // the same length, not a snapshot
  delete globalThis._createPyodideModule; // (a fresh worker's)
  const failing = await plan(manifest, SITE, { fetcher: missingSite });
  await assert.rejects(startPyodide(failing.options._loadSnapshot), {
    message: "the copy of Python kept in this browser could not be read (not a pynn snapshot)",
  });
  assert.deepEqual([...disk.files.keys()], [], "dropped: the worker then starts the ordinary way");
});

// (module (func (export "f") (result i32) i32.const 42))
const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 6, 1, 4, 0, 65, 42, 11]);
const wasmResponse = () => new Response(WASM, { headers: { "Content-Type": "application/wasm" } });

test("the runtime's wasm is compiled as soon as it is read, and Pyodide's instantiation of it uses that module", async () => {
  const original = WebAssembly.instantiateStreaming;
  let compiledFrom = null;
  const compileStreaming = WebAssembly.compileStreaming;
  WebAssembly.compileStreaming = async (source) => {
    compiledFrom = source;
    return compileStreaming(source);
  };
  try {
    const read = wasmResponse();
    let refetched = 0;
    const standIn = compileAhead(Promise.resolve(read), () => (refetched++, wasmResponse()));
    await new Promise((resolve) => setTimeout(resolve));
    assert.equal(compiledFrom, read, "compiled before anything asked to instantiate it");
    assert.equal(standIn.body, null); // what Pyodide's fetch gets: nothing to read twice
    const { module, instance } = await WebAssembly.instantiateStreaming(Promise.resolve(standIn), {});
    assert.ok(module instanceof WebAssembly.Module);
    assert.equal(instance.exports.f(), 42);
    assert.equal(refetched, 0);
    assert.equal(WebAssembly.instantiateStreaming, original, "put back after its one use");
  } finally {
    WebAssembly.compileStreaming = compileStreaming;
    WebAssembly.instantiateStreaming = original;
  }
});

test("a runtime's wasm that cannot be read ahead is fetched again and streamed as Pyodide would", async () => {
  const original = WebAssembly.instantiateStreaming;
  try {
    let refetched = 0;
    const standIn = compileAhead(Promise.resolve(new Response("gone", { status: 404 })), () => (refetched++, wasmResponse()));
    const { instance } = await WebAssembly.instantiateStreaming(standIn, {});
    assert.equal(instance.exports.f(), 42);
    assert.equal(refetched, 1);
    // anything else is instantiated as before
    const other = await WebAssembly.instantiateStreaming(wasmResponse(), {});
    assert.equal(other.instance.exports.f(), 42);
  } finally {
    WebAssembly.instantiateStreaming = original;
  }
});

test("where the private file system refuses the snapshot, it is kept in Cache Storage and read from there", async () => {
  const disk = privateFiles();
  const kept = await keptBytes();
  const taken = { memoryBytes: MEMORY_BYTES, pack: async () => new Blob([kept]) };
  globalThis.navigator.storage.getDirectory = async () => {
    throw Object.assign(new Error("refused"), { name: "SecurityError" }); // e.g. a private window
  };
  const put = new Map();
  globalThis.caches = {
    keys: async () => [cacheName(manifest)],
    open: async () => ({ put: async (url, response) => put.set(String(url), response) }),
    match: async (url) => put.get(String(url))?.clone(),
  };
  assert.equal(await startup.keepSnapshot(manifest, taken, new Map()), null);
  assert.deepEqual([...put.keys()], [KEPT]);
  assert.equal(disk.files.size, 0);
  const visit = await plan(manifest, SITE, { fetcher: missingSite });
  assert.equal(visit.kind, "local");
  const { memory } = await startPyodide(visit.options._loadSnapshot);
  assert.deepEqual(new Set(memory.subarray(2 * PAGE, 3 * PAGE)), new Set([3]));
});

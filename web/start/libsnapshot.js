// A snapshot of Python *with numpy and pynn imported*: what a returning visit restores, so that it
// skips unpacking the wheels, loading numpy's extension modules afresh and importing numpy and pynn.
//
// Pyodide 0.27's own snapshot is Python's memory alone (pyodide.makeMemorySnapshot): restored into
// a fresh runtime, it cannot hold an extension module, since each (.so, an Emscripten side module)
// also lives outside that memory, as a wasm instance whose data sits at a `memoryBase` in memory
// and whose functions sit at a `tableBase` in the function table, plus the runtime's bookkeeping
// (its GOT, the loaded libraries by name and by handle). So this file keeps those too and, on
// restore, rebuilds them exactly where they were:
//
//   record()   before numpy loads: notes each side module Emscripten instantiates (its bytes, and
//              the memoryBase and tableBase it was given).
//   capture()  after numpy and pynn are imported: Pyodide's snapshot of the memory, the side
//              modules' bytes and places, the function table past Python's own slots, the GOT and
//              the handles Python's dlopen holds, as they are at that moment; its pack(), later,
//              adds site-packages' other files and lays it all out (the format below) as a Blob.
//              make() is the two at once.
//   restore()  before loadPyodide (which it lets create the runtime while the kept bytes are still
//              read): where Pyodide puts the memory back, the side modules are instantiated again
//              at their recorded memoryBase and tableBase (Emscripten's own path for a library
//              whose handle says it is loaded already), in the recorded order; the table slots and
//              GOT values are set as recorded; then the kept memory is written, once, over what
//              instantiating wrote (data segments, relocations, constructors) and what the fresh
//              runtime held. All of this runs before any Python code does.
//   installed() after loadPyodide: site-packages' files written back, numpy and pynn marked loaded.
//   read(), readFrom()  a kept snapshot, from a buffer, or a region at a time from a source
//              (a file's handle, a Blob: blobSource(), readBlob()) (regions(): where they lie,
//              kept beside it so that all are read at once).
//
// Format: "pynnsnap", a uint32 (little-endian) JSON length, the JSON (what capture() notes) padded
// to 16 bytes, then the blobs (their lengths in the JSON), each at the next multiple of 16. Of
// Pyodide's snapshot it keeps the header and the memory's pages that are not all zeros.

import { t } from "../lang/text.js";

// Everything here reaches into Pyodide's internals (the runtime's module, LDSO, the GOT, the
// function table, the layout of Emscripten's struct dso, _createPyodideModule, the snapshot's
// header, loadPyodide's private `_loadSnapshot` and `_makeSnapshot`, HEAPU8), and this is the one
// module that does: the rest of the page calls the functions below. They were written for this
// version of Pyodide, and none of them is tried on another (`fits`): a newer Pyodide (314.x renames
// pyodide.asm.js and replaces _createPyodideModule) starts the ordinary way, with no snapshot.
export const WRITTEN_FOR = "0.27.7";

// Whether the internals here may be used with Pyodide `version` (manifest.json's pyodide.version).
export function fits(version) {
  return version === WRITTEN_FOR;
}

// loadPyodide's options for a snapshot: `load` (a buffer, or a promise of one) is restored,
// `make` asks for the runtime from which a snapshot can be made.
export function snapshotOptions({ load, make = false } = {}) {
  return { ...(load !== undefined ? { _loadSnapshot: load } : {}), ...(make ? { _makeSnapshot: true } : {}) };
}

// The wasm memory's size in bytes (it only grows: over a long run it shows whether Python leaks).
export function heapBytes(pyodide) {
  return pyodide._module?.HEAPU8?.byteLength ?? null;
}

// A mark in the worker's performance timeline, for a trace of the start-up (as web/start/worker.js's).
function mark(step) {
  performance.mark(`pynn:${step}`);
}

const MAGIC = "pynnsnap";
const VERSION = 1;
const HEADER = 12;
const PAGE = 4096;
const SLICE = 1 << 20; // bytes copied in one task while a snapshot is laid out
const SITE_PACKAGES = "/lib/python3.12/site-packages";

// Starts noting the side modules that Emscripten instantiates (WebAssembly.instantiate with a
// "GOT.mem" import and a numeric __memory_base: the main module's is a WebAssembly.Global).
// `stop()` ends it; `loads` is in instantiation order.
export function record() {
  const loads = [];
  const original = WebAssembly.instantiate;
  const noting = function instantiate(binary, imports, ...rest) {
    const env = imports?.env;
    if (imports?.["GOT.mem"] && binary instanceof Uint8Array && typeof env?.__memory_base === "number") {
      loads.push({ binary, memoryBase: env.__memory_base, tableBase: env.__table_base });
    }
    return original.call(this, binary, imports, ...rest);
  };
  WebAssembly.instantiate = noting;
  return {
    loads,
    stop() {
      if (WebAssembly.instantiate === noting) WebAssembly.instantiate = original;
    },
  };
}

// The snapshot to keep (the format above), a promise of a Blob, from `pyodide` with numpy and pynn
// loaded and imported. Throws, saying why, where the state cannot be kept faithfully.
export async function make(pyodide, recorder) {
  return capture(pyodide, recorder).pack();
}

// The state of `pyodide` now (Python's memory, the side modules' places, the table and the GOT),
// copied at once: {memoryBytes, the length of Pyodide's snapshot in it, and pack(), which, later,
// reads site-packages' files and lays it all out as a Blob, a slice per task}.
export function capture(pyodide, recorder) {
  recorder.stop();
  const M = pyodide._module;
  const paths = Object.keys(M.LDSO.loadedLibsByName).filter((name) => name.startsWith("/"));
  const blobs = [];
  const libs = recorder.loads.map((load) => {
    const name = libraryFile(M.FS, paths, load.binary);
    if (!name) throw new Error("a side module was loaded from no file in the file system");
    const { tableSize } = M.getDylinkMetadata(load.binary);
    return { name, global: !!M.LDSO.loadedLibsByName[name].global, memoryBase: load.memoryBase,
      tableBase: load.tableBase, tableSize, blob: blobs.push(load.binary) - 1 };
  });
  const missing = paths.filter((path) => !libs.some((lib) => lib.name === path));
  if (missing.length) throw new Error(`side modules loaded without being noted: ${missing.join(", ")}`);
  if (!libs.length) throw new Error("no side module was noted: record() must start before numpy loads");

  // Every slot of the function table from the first side module's on: inside a side module's own
  // range its instantiation puts it back; any other (a GOT entry's, a dlsym's) is named by the
  // export it holds.
  const table = M.wasmTable;
  const tableStart = Math.min(...libs.map((lib) => lib.tableBase));
  const owners = new Map();
  for (const [name, dso] of Object.entries(M.LDSO.loadedLibsByName)) {
    if (name !== "__main__" && !name.startsWith("/")) continue; // basename aliases
    for (const [symbol, value] of Object.entries(dso.exports ?? {})) {
      if (typeof value === "function" && !owners.has(value)) owners.set(value, [name, symbol]);
    }
  }
  const slots = [];
  for (let index = tableStart; index < table.length; index++) {
    if (libs.some((lib) => index >= lib.tableBase && index < lib.tableBase + lib.tableSize)) continue;
    const value = table.get(index);
    if (value === null) continue;
    const owner = owners.get(value);
    if (!owner) throw new Error(`function table slot ${index} holds a function no library exports`);
    slots.push([index, ...owner]);
  }
  const got = Object.fromEntries(Object.entries(M.GOT).map(([symbol, global]) => [symbol, global.value]));
  const handles = Object.entries(M.LDSO.loadedLibsByHandle)
    .filter(([handle, dso]) => Number(handle) !== 0 && dso.name.startsWith("/"))
    .map(([handle, dso]) => [Number(handle), dso.name]);

  // Pyodide checks that its first JS references are those a fresh start makes; the last of them
  // is the object Python notes loaded packages in (empty at a fresh start; a fresh empty object
  // again on restore), so it is emptied while the memory is copied.
  const noted = M.__hiwire_get(pyodide._api.getExpectedKeys().length - 1);
  const kept = { ...noted };
  for (const key of Object.keys(noted)) delete noted[key];
  let memory;
  try {
    memory = pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(noted, kept);
  }
  const packages = Object.keys(pyodide.loadedPackages);
  const tableLength = table.length;
  return {
    memoryBytes: memory.length, // for restore(), which needs it before the rest is read
    pack: () => layOut(M.FS, memory, blobs, { version: VERSION, tableStart, tableLength, libs, slots, got, handles, packages }),
  };
}

// Resolves to the kept snapshot's Blob (the format above): `record` with site-packages' files
// (read from `FS` now) and the memory's pages. Its 30-odd MB are copied into Blobs of at most SLICE
// bytes, one per task, so that the page's calls to the worker are answered in between.
async function layOut(FS, memory, blobs, record) {
  const parts = [];
  const slices = async (views) => {
    const pieces = [];
    for (const view of views) {
      for (let start = 0; start < view.length; start += SLICE) {
        pieces.push(new Blob([view.subarray(start, start + SLICE)]));
        await nextTask();
      }
    }
    return new Blob(pieces);
  };
  for (const binary of blobs) parts.push(await slices([binary]));
  const files = [];
  for (const { path, bytes } of siteFiles(FS)) files.push({ path, blob: parts.push(bytes) - 1 });
  // Pyodide's snapshot: its header, then the memory's pages that are not all zeros (a third
  // of them are), as runs [first page, pages].
  const offset = new Uint32Array(memory.buffer, memory.byteOffset, 4)[1];
  await nextTask();
  const runs = nonZeroRuns(memory.subarray(offset));
  const header = parts.push(memory.slice(0, offset)) - 1;
  const pages = parts.push(await slices(runs.map(([first, count]) => memory.subarray(offset + first * PAGE, offset + (first + count) * PAGE)))) - 1;
  return pack({ ...record, files, memory: { bytes: memory.length, header, pages, runs } }, parts);
}

function nextTask() {
  return new Promise((resolve) => setTimeout(resolve));
}

// The runs of pages of `memory` (a whole number of pages long) that hold a byte other than 0.
function nonZeroRuns(memory) {
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.length / 4);
  const runs = [];
  for (let page = 0; page < memory.length / PAGE; page++) {
    let zero = true;
    for (let word = page * (PAGE / 4), end = word + PAGE / 4; word < end; word++) {
      if (words[word] !== 0) {
        zero = false;
        break;
      }
    }
    if (zero) continue;
    const last = runs.at(-1);
    if (last && last[0] + last[1] === page) last[1]++;
    else runs.push([page, 1]);
  }
  return runs;
}

// Pyodide's memory as it was kept (`memory`, the record's; its snapshot's header `offset` bytes
// long, its pages in `bytes`): the non-zero pages written, every other byte up to its length 0.
// `bytes`: the pages, or readFrom's pages read straight from their file ({into(view, at)}).
function writeMemory(HEAP8, memory, offset, bytes) {
  const place = typeof bytes.into === "function"
    ? (target, at) => bytes.into(target, at)
    : (target, at) => target.set(bytes.subarray(at, at + target.length));
  let at = 0; // in `bytes`
  let end = 0; // of the last run written, in memory
  for (const [first, count] of memory.runs) {
    HEAP8.fill(0, end, first * PAGE);
    place(HEAP8.subarray(first * PAGE, (first + count) * PAGE), at);
    at += count * PAGE;
    end = (first + count) * PAGE;
  }
  HEAP8.fill(0, end, memory.bytes - offset);
}

// {record, blob(i), part(i)} from a kept buffer; throws if it is not one of this format and version.
// blob(i) is blob i, part(i) a promise of it (as readBlob's).
export function read(bytes) {
  const { record, starts } = parse(bytes.subarray(0, HEADER), (length) => bytes.subarray(HEADER, HEADER + length), bytes.length);
  const blob = (index) => bytes.subarray(starts[index], starts[index] + record.blobs[index]);
  return { record, blob, part: async (index) => blob(index) };
}

// The kept snapshot in a Blob (Cache Storage's: its bytes stay on disk until read): its record
// and its three regions, the side modules, site-packages' files and the memory, each as one read
// and all at once, so that the side modules compile while the memory is still read. `laidOut`
// (regions()'s answer for this Blob, kept beside it) lets the regions' reads start with the
// record's rather than after it; a `laidOut` that does not match the record is not used.
// Resolves to {record, part(i), a promise of blob i, owned: true (no part shares a buffer with
// more than its region)}; throws as read() does. A region that cannot be read rejects its parts
// with the error `failed(error)` resolves to.
export async function readBlob(blob, failed = async (error) => error, laidOut = null) {
  return readFrom(blobSource(blob), failed, laidOut);
}

// The same from `source`: {size, read(start, end): a promise of those bytes (a Uint8Array of its
// own), and optionally into(view, at): fill `view` from byte `at` at once (a file's handle), and
// close()}. A source with into() keeps the memory's pages where they are: restore() reads them
// straight into Python's memory, with no 25 MB buffer between. The answer's done() closes the
// source once nothing more is read (restore calls it; every read but the pages' is made when
// readFrom resolves).
export async function readFrom(source, failed = async (error) => error, laidOut = null) {
  const direct = typeof source.into === "function";
  const reading = new Map();
  const readRegion = ({ first, last, start, end }) => {
    const key = `${first} ${last} ${start} ${end}`;
    if (!reading.has(key)) {
      const bytes = source.read(start, end).then(
        (view) => {
          mark(`kept read ${first}-${last}`);
          return view;
        },
        async (error) => {
          throw await failed(error);
        },
      );
      bytes.catch(() => {}); // told by the part that needs it
      reading.set(key, bytes);
    }
    return reading.get(key);
  };
  if (Array.isArray(laidOut)) {
    const known = laidOut.filter((region) => Number.isInteger(region?.start) && Number.isInteger(region?.end) && Number.isInteger(region?.last));
    const memoryRegion = Math.max(...known.map((region) => region.last)); // the pages are the last blob
    known.filter((region) => !direct || region.last !== memoryRegion).forEach(readRegion);
  }
  const { record, starts } = await readRecord(source);
  mark("kept record read");
  const { header, pages } = record.memory;
  const alone = (index) => ({ first: index, last: index, start: starts[index], end: starts[index] + record.blobs[index] });
  // (read straight into memory: of the memory's region, Pyodide's header alone)
  const holdsPages = ({ first, last }) => pages >= first && pages <= last;
  const regions = (direct ? [...layout(record, starts).filter((region) => !holdsPages(region)), alone(header)] : layout(record, starts))
    .map((region) => ({ ...region, bytes: readRegion(region) }));
  const pagesInPlace = { length: record.blobs[pages], into: (view, at) => source.into(view, starts[pages] + at) };
  const part = async (index) => {
    if (direct && index === pages) return pagesInPlace;
    const holding = regions.find(({ first, last }) => index >= first && index <= last);
    const bytes = await holding.bytes;
    const start = starts[index] - starts[holding.first];
    return bytes.subarray(start, start + record.blobs[index]);
  };
  const done = () => source.close?.();
  if (!direct) done();
  return { record, part, owned: true, done };
}

// Where a kept snapshot's regions lie in `blob`: [{first, last (its blobs), start, end (bytes)}],
// for readBlob's `laidOut`.
export async function regions(blob) {
  const { record, starts } = await readRecord(blobSource(blob));
  return layout(record, starts);
}

// readFrom's source for a Blob.
export function blobSource(blob) {
  return { size: blob.size, read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()) };
}

async function readRecord(source) {
  const head = await source.read(0, Math.min(HEADER, source.size));
  const length = head.length === HEADER ? new DataView(head.buffer, head.byteOffset).getUint32(MAGIC.length, true) : 0;
  const text = await source.read(HEADER, Math.min(HEADER + length, source.size));
  return parse(head, () => text, source.size);
}

function layout(record, starts) {
  return [record.libs.map((lib) => lib.blob), record.files.map((file) => file.blob), [record.memory.header, record.memory.pages]]
    .filter((blobs) => blobs.length)
    .map((blobs) => {
      const first = Math.min(...blobs);
      const last = Math.max(...blobs);
      return { first, last, start: starts[first], end: starts[last] + record.blobs[last] };
    });
}

// {record, starts: where each blob starts and (last) where the snapshot ends} from its first
// HEADER bytes, `json(length)` (the record's bytes) and the snapshot's length; throws if it is not
// one of this format and version, or is cut short.
function parse(head, json, size) {
  const magic = new TextDecoder().decode(head.subarray(0, MAGIC.length));
  if (magic !== MAGIC || head.length < HEADER) throw new Error(t("start.snapshot.not-one"));
  const length = new DataView(head.buffer, head.byteOffset + MAGIC.length, 4).getUint32(0, true);
  if (HEADER + length > size) throw new Error(t("start.snapshot.short"));
  const record = JSON.parse(new TextDecoder().decode(json(length)));
  if (record.version !== VERSION) throw new Error(t("start.snapshot.version", { version: String(record.version), expected: String(VERSION) }));
  const starts = offsets(length, record.blobs);
  if (starts.at(-1) > size) throw new Error(t("start.snapshot.short"));
  return { record, starts };
}

// Arranges for the next Pyodide runtime to be restored from `kept`, a promise of read()'s or
// readBlob()'s result whose Pyodide snapshot is `memoryBytes` long, and returns at once what
// loadPyodide's `_loadSnapshot` takes first: a buffer of that length (Pyodide sizes its memory by
// it). So the runtime is created while the kept bytes are still being read; the side modules are
// compiled as soon as they are in; the runtime, once created, waits for them and the memory, and
// Pyodide then restores the kept memory (not the buffer's zeros). A failure on the way fails the
// runtime's creation.
export function restore(kept, memoryBytes) {
  let ran;
  const runtimeRun = new Promise((resolve) => {
    ran = resolve;
  });
  const ready = kept.then(async (snapshot) => {
    const { record } = snapshot;
    if (record.memory.bytes !== memoryBytes) {
      throw new Error(t("start.snapshot.memory", { kept: String(record.memory.bytes), expected: String(memoryBytes) }));
    }
    const [modules, header, pages] = await Promise.all([
      // compiled once pyodide.asm.js has run: on two cores their compiling held up its own
      runtimeRun.then(() => Promise.all(record.libs.map(async (lib) => WebAssembly.compile(await snapshot.part(lib.blob))))).then((compiled) => {
        mark("side modules compiled");
        return compiled;
      }),
      snapshot.part(record.memory.header),
      snapshot.part(record.memory.pages),
    ]);
    return { record, modules, header, pages, done: () => snapshot.done?.() };
  });
  // reported by loadPyodide, through the runtime's creation; a source still open is closed
  ready.catch(() => kept.then((snapshot) => snapshot.done?.(), () => {}));
  whenCreated(ran, async (Module, API) => {
    const { record, modules, header, pages, done } = await ready;
    const restoreMemory = API.restoreSnapshot;
    API.restoreSnapshot = () => {
      try {
        // Pyodide's own restore, given the header alone (its JS references and checks; no memory)
        const hiwire = restoreMemory(header);
        // The side modules are instantiated into the fresh runtime's memory, then the kept memory is
        // written once over all of it: it undoes what instantiating wrote (data segments,
        // relocations, constructors) and whatever the fresh runtime held.
        mark("restoring");
        reload(Module, record, modules);
        mark("side modules instantiated");
        writeMemory(Module.HEAP8, record.memory, header.length, pages);
        mark("memory written");
        return hiwire;
      } finally {
        done(); // the kept file is read
      }
    };
  });
  return new Uint8Array(memoryBytes);
}

// The runtime's wasm compiled from `response` (a promise of the build's pyodide.asm.wasm) as soon
// as it comes, not once pyodide.asm.js has run and asks for it: V8 reads it and takes its code from
// its cache while pyodide.asm.js is still compiled and run. Returns what to hand Pyodide's fetch
// of the wasm in its place (a response without a body): Pyodide's WebAssembly.instantiateStreaming
// of it instantiates the module compiled here, or, if compiling failed, streams `refetch()` (the
// file fetched again) as it would have.
export function compileAhead(response, refetch) {
  const compiled = response.then((wasm) => {
    if (!wasm.ok) throw new Error(`HTTP ${wasm.status}`);
    return WebAssembly.compileStreaming(wasm);
  });
  compiled.then(() => mark("runtime compiled"), () => {});
  const standIn = new Response(null, { headers: { "Content-Type": "application/wasm" } });
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async function instantiateStreaming(source, imports) {
    if ((await source) !== standIn) return original.call(this, source, imports);
    WebAssembly.instantiateStreaming = original; // once
    let module;
    try {
      module = await compiled;
    } catch {
      return original.call(this, refetch(), imports);
    }
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  return standIn;
}

// After loadPyodide: site-packages' files as they were (the side modules too: a module not
// imported yet is found by its file, then dlopen finds its library loaded already), and the
// packages marked loaded. A snapshot read from a buffer (the sandbox's) is copied, so that the
// buffer (35 MB) can go; one read by regions (readBlob) is not: the files keep their regions.
export async function installed(pyodide, kept) {
  const { FS } = pyodide;
  const files = [...kept.record.files, ...kept.record.libs.map((lib) => ({ path: lib.name, blob: lib.blob }))];
  const contents = await Promise.all(files.map((file) => kept.part(file.blob)));
  const folder = (path) => path.slice(0, path.lastIndexOf("/"));
  for (const path of new Set(files.map((file) => folder(file.path)))) FS.mkdirTree(path);
  files.forEach((file, index) => FS.writeFile(file.path, contents[index], { canOwn: !!kept.owned }));
  for (const name of kept.record.packages) pyodide.loadedPackages[name] = "snapshot";
  mark("files written");
}

// The side modules instantiated again where they were, in the order they were, their bookkeeping
// as it was. Runs where Pyodide restores its snapshot, before the kept memory is written.
function reload(Module, record, modules) {
  const table = Module.wasmTable;
  if (table.length > record.tableStart) {
    throw new Error(t("start.snapshot.table", { slots: table.length, most: record.tableStart }));
  }
  // A handle that says "loaded at memoryBase, tableBase" makes Emscripten instantiate there
  // rather than allocate; it lives in memory that the kept memory, written next, overwrites.
  const handle = Module._calloc(1, 64);
  record.libs.forEach((lib, index) => {
    Module.HEAPU8.fill(0, handle, handle + 64);
    Module.HEAP8[handle + 8] = 1;
    Module.HEAPU32[(handle + 12) >> 2] = lib.memoryBase;
    Module.HEAPU32[(handle + 20) >> 2] = lib.tableBase;
    if (table.length < lib.tableBase) table.grow(lib.tableBase - table.length);
    const dso = Module.newDSO(lib.name, undefined, "loading");
    dso.global = lib.global;
    const scope = lib.global ? null : {};
    const flags = { loadAsync: false, global: lib.global, nodelete: true, allowUndefined: true };
    const exports = Module.loadWebAssemblyModule(modules[index], flags, lib.name, scope, handle);
    if (lib.global) Module.mergeLibSymbols(exports, lib.name);
    dso.exports = exports;
    Module.LDSO.loadedLibsByName[lib.name.slice(lib.name.lastIndexOf("/") + 1)] = dso; // as Pyodide's loadDynlib does
    delete Module.LDSO.loadedLibsByHandle[handle];
  });
  if (table.length < record.tableLength) table.grow(record.tableLength - table.length);
  for (const [index, owner, symbol] of record.slots) {
    const value = Module.LDSO.loadedLibsByName[owner]?.exports?.[symbol];
    if (typeof value !== "function") throw new Error(t("start.snapshot.export", { library: owner, symbol }));
    if (table.get(index) !== value) table.set(index, value);
  }
  for (const [symbol, value] of Object.entries(record.got)) {
    Module.GOT[symbol] ??= new WebAssembly.Global({ value: "i32", mutable: true });
    Module.GOT[symbol].value = value;
  }
  for (const [handleOf, name] of record.handles) Module.LDSO.loadedLibsByHandle[handleOf] = Module.LDSO.loadedLibsByName[name];
}

// Awaits `then(Module, API)` once the next Pyodide runtime is created, before loadPyodide restores
// its memory: pyodide.asm.js sets globalThis._createPyodideModule, which loadPyodide then calls;
// `ran()` once pyodide.asm.js has run.
function whenCreated(ran, then) {
  const wrap = (create) => async function createPyodideModule(settings) {
    globalThis._createPyodideModule = create; // once
    const Module = await create(settings);
    mark("runtime created");
    await then(Module, settings.API);
    return Module;
  };
  const existing = Object.getOwnPropertyDescriptor(globalThis, "_createPyodideModule");
  if (typeof existing?.value === "function") {
    globalThis._createPyodideModule = wrap(existing.value);
    ran();
    return;
  }
  Object.defineProperty(globalThis, "_createPyodideModule", {
    configurable: true,
    set(create) {
      mark("pyodide.asm.js run");
      ran();
      Object.defineProperty(globalThis, "_createPyodideModule", { configurable: true, writable: true, value: wrap(create) });
    },
  });
}

// Every file under site-packages but the side modules (kept apart): numpy's and pynn's modules,
// which later imports, the code panel and the exercises read.
function siteFiles(FS) {
  const files = [];
  const walk = (dir) => {
    for (const name of FS.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const path = `${dir}/${name}`;
      const { mode } = FS.stat(path);
      if (FS.isDir(mode)) walk(path);
      else if (FS.isFile(mode) && !name.endsWith(".so")) files.push({ path, bytes: FS.readFile(path) });
    }
  };
  walk(SITE_PACKAGES);
  return files;
}

// The file a side module's bytes came from: the one of that size, or, if several are, the one
// with those bytes.
function libraryFile(FS, paths, binary) {
  const sized = paths.filter((path) => FS.stat(path).size === binary.length);
  return sized.length === 1 ? sized[0] : sized.find((path) => sameBytes(FS.readFile(path), binary));
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

// The record as JSON (with each blob's length), then the blobs, each at an offset that is a
// multiple of 16 (Pyodide reads its snapshot's header as 32-bit words): the first right after the
// JSON, each next right after the one before.
// A Blob, so that its parts are not copied once more into one buffer here.
export function pack(record, blobs) {
  record.blobs = blobs.map((blob) => blob.length ?? blob.size);
  const text = new TextEncoder().encode(JSON.stringify(record));
  const starts = offsets(text.length, record.blobs);
  const head = new Uint8Array(starts[0]);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(MAGIC.length, text.length, true);
  head.set(text, HEADER);
  const parts = [head];
  blobs.forEach((blob, index) => {
    parts.push(blob);
    const padding = starts[index + 1] - starts[index] - record.blobs[index];
    if (padding) parts.push(new Uint8Array(padding));
  });
  return new Blob(parts);
}

// Where each blob starts, and (last) where the buffer ends.
function offsets(jsonLength, lengths) {
  const align = (n) => Math.ceil(n / 16) * 16;
  const starts = [align(HEADER + jsonLength)];
  for (const length of lengths) starts.push(align(starts.at(-1) + length));
  return starts;
}

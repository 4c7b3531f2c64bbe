// How the worker starts Python, chosen per visit, and what it keeps for the next one.
//
//   "local"    the snapshot this browser made on an earlier visit of this build, from the origin's
//              private file system (web/start/keptfile.js; Cache Storage where that is missing or
//              refused): Python restored with numpy and pynn imported already
//              (web/start/libsnapshot.js), no download, no package to load (the returning visit).
//   "shipped"  a fast link (the first file arrived at ≥ the rate below): the build's gzipped
//              snapshot (Python with its standard library, no numpy) is fetched and restored, as it
//              costs less time than it saves; numpy and pynn are loaded after it.
//   "made"     a slow link: Python starts the ordinary way with numpy and pynn fetched alongside.
//   "none"     no Cache Storage to keep a snapshot in: Python starts the ordinary way.
// Without DecompressionStream the shipped snapshot cannot be unzipped: "made" on any link.
// On "shipped" and "made" the worker, once numpy and pynn are imported, makes the snapshot of the
// returning visit (web/start/libsnapshot.js's make, with the side modules `recorder` noted) and keeps
// it (web/start/keptfile.js; or in the build's cache, named by the build, shared with sw.js), so
// every later visit of this build restores it.

import { t, TextError } from "../lang/text.js";
import * as keptfile from "./keptfile.js";
import * as libsnapshot from "./libsnapshot.js";
import { fetchBuildFile, keepUnpacked, packedName, withCopy } from "./packed.js";
import { worthAsking } from "./pagefetch.js";

// The worker's own fetch, taken before worker.js wraps self.fetch to count bytes: a response
// fetched ahead here is handed to the wrapper by URL, and must not be looked up by it again.
const fetchFile = globalThis.fetch.bind(globalThis);
// The shipped snapshot is fetched only if it arrives in under this many seconds: restoring it
// saves about 1.8 s over starting Python and making the snapshot here (at 2 s: links faster than
// ~21 Mbit/s), and a busy machine reading a fast link slowly should still count it as fast.
const SNAPSHOT_WORTH_SECONDS = 2;
// On the ordinary start pynn's wheel is asked for once numpy's has this much left to come: the
// larger of these bytes and these seconds at the link's rate (a round trip's worth and a margin).
const NEAR_END_BYTES = 48 * 1024;
const NEAR_END_SECONDS = 0.15;
const KEPT_SNAPSHOT = "pyodide/snapshot-with-numpy";
const MEMORY_BYTES = "X-Pynn-Memory-Bytes"; // on the kept response: the length of Pyodide's snapshot in it
const REGIONS = "X-Pynn-Regions"; // and where its regions lie (libsnapshot.regions), to read them at once

// What the build put where (manifest.json under `base`, the site's URL): its id, the files with
// their sizes and hashes, and `base`.
export async function fetchManifest(base) {
  const response = await fetch(new URL("manifest.json", base));
  if (!response.ok) throw new Error(`HTTP ${response.status}`); // named by worker.js's whileWatchingFetches
  return { ...(await response.json()), base };
}

// The build's cache: the page table's cache prefix (manifest.json carries it) and the build's id.
export function cacheName(manifest) {
  return manifest.cachePrefix + manifest.build;
}

// The kept snapshot opened as soon as the worker starts, before the manifest says which build this
// is (web/start/keptfile.js's open): for plan's `opened`.
export function openKept() {
  const opened = keptfile.open();
  opened.catch(() => {});
  return opened;
}

// The snapshot kept on an earlier visit, or null: {memory, for `_loadSnapshot` (web/start/libsnapshot.js's
// restore: the runtime is created while the 35 MB are read; the length it needs first is kept
// beside them), and installed(pyodide), to call after loadPyodide}. From the private file system
// (`opened`: openKept's, or opened here), else from Cache Storage (where that file system is
// missing or refused, keepSnapshot keeps it there).
// A read that fails drops the kept copy and fails the start with a message; the worker then starts
// the ordinary way. The sandbox (web/start/sandbox.js) reads it with keptBytes.
export async function keptSnapshot(manifest, opened = null) {
  if (!libsnapshot.fits(manifest.pyodide?.version)) {
    (await opened)?.close();
    return null;
  }
  const onDisk = await (opened ?? keptfile.open());
  if (onDisk) {
    const { about, source, close } = onDisk;
    if (keptfile.isWhole(about, source.size, cacheName(manifest))) {
      // Read once loadPyodide has asked for pyodide.asm.js (the handle's reads hold this thread),
      // then the handle is closed.
      const reading = new Promise((resolve) => setTimeout(resolve)).then(() => source);
      return restoring(manifest, reading, about.memoryBytes, about.regions, close);
    }
    close(); // another build's, or cut short: not read (keepSnapshot replaces it)
  }
  if (typeof caches === "undefined") return null;
  let response;
  try {
    // caches.match, not caches.open: reading must not make again a cache a new build has deleted.
    response = await caches.match(new URL(KEPT_SNAPSHOT, manifest.base), { cacheName: cacheName(manifest) });
  } catch {
    return null; // storage refused (private mode, quota): start without
  }
  if (!response) return null;
  const memoryBytes = Number(response.headers.get(MEMORY_BYTES));
  if (!(memoryBytes > 0)) {
    await dropKeptSnapshot(manifest);
    return null;
  }
  return restoring(manifest, response.blob().then(libsnapshot.blobSource), memoryBytes, laidOut(response));
}

// keptSnapshot's answer for the kept snapshot in `source` (a promise of libsnapshot.readFrom's
// source), read a region at a time: the side modules compile while the memory is read, and no
// 35 MB buffer is made to be cut up. `close`: the source's, on a failure (on success
// libsnapshot closes it once the memory is restored).
function restoring(manifest, source, memoryBytes, regions, close = () => {}) {
  const unreadable = async (error) => {
    close();
    await dropKeptSnapshot(manifest);
    return new Error(t("start.kept.unreadable", { reason: error?.message ?? String(error) }));
  };
  const kept = source.then((from) => libsnapshot.readFrom(from, unreadable, regions)).catch(async (error) => {
    throw await unreadable(error);
  });
  return { memory: libsnapshot.restore(kept, memoryBytes), installed: async (pyodide) => libsnapshot.installed(pyodide, await kept) };
}

// The kept response's REGIONS, or null.
function laidOut(response) {
  try {
    return JSON.parse(response.headers.get(REGIONS));
  } catch {
    return null;
  }
}

// The kept snapshot's bytes as they are stored, for the sandbox (web/start/sandbox.js), which has no
// Cache Storage of its own: {bytes, memoryBytes} or null.
export async function keptBytes(manifest) {
  if (!libsnapshot.fits(manifest.pyodide?.version)) return null;
  const onDisk = await keptfile.bytesOf(cacheName(manifest));
  if (onDisk || typeof caches === "undefined") return onDisk;
  try {
    const response = await caches.match(new URL(KEPT_SNAPSHOT, manifest.base), { cacheName: cacheName(manifest) });
    const memoryBytes = Number(response?.headers.get(MEMORY_BYTES));
    return memoryBytes > 0 ? { bytes: await response.arrayBuffer(), memoryBytes } : null;
  } catch {
    return null;
  }
}

// Forget the kept snapshot (it failed to restore): the next start is the ordinary way.
export async function dropKeptSnapshot(manifest) {
  await keptfile.drop();
  if (typeof caches === "undefined") return;
  await caches.open(cacheName(manifest)).then((cache) => cache.delete(new URL(KEPT_SNAPSHOT, manifest.base))).catch(() => {});
}

// Keep the snapshot (web/start/libsnapshot.js's capture) for the next visits, and first the files
// this visit unpacked (`unpacked`: web/start/packed.js's keepUnpacked), which a visit that restores
// it reads; null once stored, else why not (for developers: the status line's data-kept-why).
// Failure only costs the next visit its speed.
export async function keepSnapshot(manifest, taken, unpacked = new Map()) {
  if (typeof caches === "undefined") return "no Cache Storage";
  try {
    const name = cacheName(manifest);
    // Another build's cache and not this one's: a newer build has replaced this one (its service
    // worker deleted this cache), so this page must not make it again.
    const names = await caches.keys();
    if (!names.includes(name) && names.some((other) => other.startsWith(manifest.cachePrefix))) return "a newer build's cache";
    const unpackedFailed = await keepUnpacked(manifest, name, unpacked);
    if (unpackedFailed) return unpackedFailed;
    const packed = await taken.pack();
    const laid = await libsnapshot.regions(packed);
    if (keptfile.available()) {
      try {
        await keptfile.keep(packed, { build: name, memoryBytes: taken.memoryBytes, regions: laid });
        return null;
      } catch {
        await keptfile.drop(); // refused (a private window's, a full disk's): kept in Cache Storage instead
      }
    }
    const cache = await caches.open(name);
    const headers = { [MEMORY_BYTES]: String(taken.memoryBytes), [REGIONS]: JSON.stringify(laid) };
    await cache.put(new URL(KEPT_SNAPSHOT, manifest.base), new Response(packed, { headers }));
    return null;
  } catch (error) {
    return `the snapshot: ${error?.name ?? ""} ${error?.message ?? error}`.slice(0, 300); // the next visit starts the way this one did
  }
}

async function gunzip(response, name) {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  try {
    return new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  } catch (error) {
    throw new TextError("start.file.damaged", { file: name, reason: error?.message ?? String(error) });
  }
}

// Bytes per second at which `url`'s body arrived, from the Resource Timing entry of its last
// fetch: from its first byte to its last, so neither the server's time to answer nor a busy
// machine's delay before it counts as a slow link.
// `pageMs`: the same as the page saw it, for a file the page fetched (web/start/pagefetch.js).
function arrivalRate(url, bytes, started, pageMs = null) {
  const entry = performance.getEntriesByName(url).pop();
  const wire = entry?.encodedBodySize || bytes;
  const ms = pageMs ?? (entry ? entry.responseEnd - entry.responseStart : performance.now() - started);
  return wire / (Math.max(ms, 0.1) / 1000);
}

// A response fetched ahead, marked handled: its failure is told when Pyodide asks for the file (the
// worker's fetch names it), not as an unhandled rejection before it does.
function handled(response) {
  response.catch(() => {});
  return response;
}

// The plan for this visit: {kind, options for loadPyodide, the files it fetches, responses
// fetched ahead for loadPackage (`prefetched`), `runtimeFetched()`, which the worker calls once
// the runtime's wasm has arrived, `unpacked` (the files unpacked on the way, to keep),
// `installed` ("local": to call after loadPyodide) and `recorder` ("shipped", "made": for the
// snapshot to keep)}.
//
// On a slow link the order matters more than the bytes: the runtime (the standard library and the
// wasm, then its JavaScript) comes first, so Python starts (and this browser makes its snapshot)
// while the wheels are still downloading; numpy's download starts as the wasm's nears its end
// (where the page foresaw this start) or once the wasm is in, pynn's near numpy's end (orderWheels). The link's
// rate, which decides whether the shipped snapshot is worth fetching, is read from the standard
// library's download.
//
// `page`: the page's fetches for this worker (web/start/pagefetch.js's PageFetches), or null, or a
// promise of either (awaited only where there is no kept snapshot): the first downloads it asked
// for ahead, and the wheels in order. `opened`: the kept snapshot as
// openKept opened it at the worker's start, or null (opened here).
export async function plan(manifest, indexURL, { fetcher = fetchFile, page = null, opened = null } = {}) {
  const files = (names) => names.map((name) => `pyodide/${name}`);
  const core = files(["pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]);
  const wheels = [manifest.numpy.wheel, manifest.pynn.wheel];
  const url = (file) => new URL(file, manifest.base).href;
  const kept = await keptSnapshot(manifest, opened);
  if (kept) {
    // The runtime's files as this build keeps them, read here rather than through the service
    // worker (which would read the same cache and pass 12 MB on); unpacked if a copy is missing.
    const local = core.filter((file) => !file.endsWith(".js"));
    const read = (file) => handled(fetchBuildFile(manifest, file, { cache: cacheName(manifest), fetcher, streamed: true }));
    const prefetched = new Map(local.map((file) => [url(file), read(file)]));
    // the wasm compiled as soon as it is read, while pyodide.asm.js comes and runs
    const wasm = "pyodide/pyodide.asm.wasm";
    prefetched.set(url(wasm), Promise.resolve(libsnapshot.compileAhead(prefetched.get(url(wasm)), () => read(wasm))));
    return { kind: "local", options: libsnapshot.snapshotOptions({ load: kept.memory }), fetches: core, prefetched, installed: kept.installed };
  }
  // The big files come packed (web/start/packed.js), each unpacked as it arrives; a copy of each
  // is kept, for the next visits, with the snapshot (`unpacked`, stored by keepSnapshot). The
  // wasm streams (as before it was packed: it compiles as it arrives); the rest is checked against
  // the manifest's hashes.
  const unpacked = new Map();
  // What the page asked for ahead, where it did (web/start/pagefetch.js): its port may come after the
  // manifest; where it asked for nothing, this worker fetches at once.
  const pageAhead = page && (await worthAsking(manifest.cachePrefix)) ? await page : null;
  const ahead = pageAhead ? await pageAhead.ahead(manifest.base) : new Map();
  // (Not looked up in the build's cache first: that lookup waits for the worker's thread, which a
  // starting Python holds for seconds, and a visit without a kept snapshot has none there.)
  const fetchUnpacked = (file, streamed = false, received = undefined, asked = ahead.get(packedName(manifest, file))) => handled(fetchBuildFile(manifest, file, { fetcher, streamed, received, ahead: asked }).then((response) => {
    if (!response.ok) return response; // the worker's fetch names the file that failed
    const [read, copy] = withCopy(response);
    unpacked.set(file, copy);
    copy.then(() => received?.(Infinity), () => received?.(Infinity)); // the body cut short included
    return read;
  }));
  const arrived = (file) => prefetched.get(url(file)).then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return unpacked.get(file);
  });
  // The standard library and the wasm at once (Python's start needs both; the wasm asked for after
  // the standard library had come left the link half idle for a second while the page's own files
  // came); the standard library times the link, which it shares with the wasm: twice its rate.
  const stdlib = "pyodide/python_stdlib.zip";
  const stdlibSent = packedName(manifest, stdlib) ?? stdlib;
  const started = performance.now();
  const prefetched = new Map([[url(stdlib), fetchUnpacked(stdlib)]]);
  prefetched.set(url("pyodide/pyodide.asm.wasm"), fetchUnpacked("pyodide/pyodide.asm.wasm", true));
  await arrived(stdlib).catch((error) => {
    throw new TextError("start.fetch.failed", { file: stdlibSent.split("/").pop(), reason: error?.message ?? String(error) });
  });
  const rate = 2 * arrivalRate(url(stdlibSent), manifest.files[stdlibSent].bytes, started, pageAhead?.arrivalMs(url(stdlibSent)));
  const snapshot = manifest.snapshot;
  // Offline, the runtime came from the service worker's cache, fast, but the snapshot is not in it.
  // A Pyodide that web/start/libsnapshot.js was not written for starts the ordinary way: no snapshot is
  // restored, made or kept.
  const internals = libsnapshot.fits(manifest.pyodide?.version);
  if (snapshot.gzipBytes / rate < SNAPSHOT_WORTH_SECONDS && internals && navigator.onLine && typeof DecompressionStream === "function") {
    const name = snapshot.file.split("/").pop();
    const memory = fetch(new URL(snapshot.file, manifest.base)).then((response) => gunzip(response, name));
    for (const wheel of wheels) prefetched.set(url(wheel), fetchUnpacked(wheel));
    return {
      kind: "shipped",
      options: { packages: ["numpy", "pynn"], ...libsnapshot.snapshotOptions({ load: memory, make: true }) },
      fetches: [...core, ...wheels, snapshot.file],
      prefetched,
      unpacked,
      recorder: libsnapshot.record(),
    };
  }
  const runtimeFetched = orderWheels({ manifest, wheels, url, ahead, page, rate, prefetched, fetchUnpacked });
  return made(manifest, wheels, core, prefetched, unpacked, internals, runtimeFetched);
}

// The ordinary start's wheels, set in `prefetched`: numpy's once the wasm is in, pynn's once
// numpy's has about one round trip's bytes left to come: numpy, loaded and imported first, comes
// as early as the link allows, and pynn's bytes are the last on the wire, while Python loads and
// imports numpy. The page's thread reads the wheels (web/start/pagefetch.js), as it sees numpy's
// bytes as they come: this worker, busy starting Python then, would see them late and ask for pynn
// late (the link idle meanwhile; asking at numpy's end, it idled 0.9 s in a trace). The page asked
// for them so already where it foresaw this start (its `ahead`). Without the page (or without
// crypto.subtle, to check what it passes on), this worker reads numpy's bytes itself and asks for
// pynn as it sees them. Returns the plan's runtimeFetched.
function orderWheels({ manifest, wheels, url, ahead, page, rate, prefetched, fetchUnpacked }) {
  const [numpy, pynn] = wheels;
  const [numpySent, pynnSent] = wheels.map((wheel) => packedName(manifest, wheel));
  if (ahead.has(numpySent) && ahead.has(pynnSent)) {
    for (const wheel of wheels) prefetched.set(url(wheel), fetchUnpacked(wheel));
    return () => {};
  }
  let runtimeFetched;
  const runtimeIn = new Promise((resolve) => {
    runtimeFetched = resolve;
  });
  const numpyBytes = manifest.files[numpySent ?? numpy]?.bytes ?? 0;
  const nearEnd = Math.max(NEAR_END_BYTES, rate * NEAR_END_SECONDS);
  // the page's in-order fetches, or null (the page, if it is a promise, has long since come by then)
  const helped = runtimeIn.then(() => page).then((fetches) => (fetches && numpySent && pynnSent && globalThis.crypto?.subtle ? fetches.inOrder([url(numpySent), url(pynnSent)], numpyBytes, nearEnd) : null));
  let askPynn;
  const pynnAsked = new Promise((resolve) => {
    askPynn = resolve;
  });
  const numpyReceived = (count) => {
    if (count >= numpyBytes - nearEnd) askPynn();
  };
  prefetched.set(url(numpy), handled(helped.then((helper) => {
    helper?.start();
    return fetchUnpacked(numpy, false, helper ? undefined : numpyReceived, helper?.responses[0]);
  })));
  prefetched.set(url(pynn), handled(helped.then(async (helper) => {
    if (!helper) await pynnAsked;
    return fetchUnpacked(pynn, false, undefined, helper?.responses[1]);
  })));
  return runtimeFetched;
}

// The plan of the ordinary start ("made", or "none" where no snapshot can be kept).
function made(manifest, wheels, core, prefetched, unpacked, internals, runtimeFetched) {
  const plan = { options: { packages: ["numpy", "pynn"] }, fetches: [...core, ...wheels], prefetched, runtimeFetched };
  if (typeof caches === "undefined" || !internals) return { kind: "none", ...plan };
  return { kind: "made", ...plan, options: libsnapshot.snapshotOptions({ make: true }), unpacked, recorder: libsnapshot.record() };
}

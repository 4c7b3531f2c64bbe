// The Python side of the page, in a module worker: Pyodide + numpy + pynn, and a
// pynn.page.session.Session. This file only loads them (web/start/serve.js answers the calls);
// every number comes from pynn.page.session. Its messages (web/start/protocol.js): the page's
// language (heard from the first, for what this file says), the page's calls (pynn.page.calls'
// PAGE) and their answers; start-up's status, bytes, ready (timings:
// {runtime, pynn} ms, snapshot: web/start/startup.js's kind), failed, and kept (the returning
// visit's snapshot is stored, after the first call).
// Calls are answered by web/start/serve.js, one at a time, in the order they came. Python starts
// the one way it starts everywhere (web/start/python.js). No code of a student's runs here: that
// runs only in the sandbox (web/start/sandbox.js).
import { setLanguage, t, TextError } from "../lang/text.js";
import * as libsnapshot from "./libsnapshot.js";
import { importModules, messageOf, startPython } from "./python.js";
import { Bytes } from "./bytes.js";
import { PageFetches } from "./pagefetch.js";
import { MESSAGE, PAGE_FETCHES } from "./protocol.js";
import { serve } from "./serve.js";
import * as startup from "./startup.js";

// What pynn imports of numpy, imported once numpy is in.
const NUMPY_MODULES = ["numpy", "numpy.random", "numpy.linalg"];

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

// A mark in the worker's performance timeline ("pynn:" + step), for a trace of the start-up
// (bench/delivery.py reads them).
function mark(step) {
  performance.mark(`pynn:${step}`);
}

async function boot() {
  mark("boot");
  const started = performance.now();
  const timings = { origin: performance.timeOrigin }; // ms: since the worker started, at `origin`
  let step = "runtime";
  try {
    for (const name of ["runtime", "numpy", "pynn"]) post({ type: MESSAGE.status, step: name, state: "loading" });
    const indexURL = new URL("../pyodide/", import.meta.url).href;
    // numpy and pynn are fetched and unpacked while the runtime starts; failures are collected
    // here so the status can name the package that failed.
    const problems = [];
    const failedFetches = [];
    const bytes = new Bytes(post);
    const base = new URL("../", import.meta.url).href;
    const pyodide = await whileWatchingFetches(failedFetches, bytes, async () => {
      const kept = keptAhead(indexURL);
      const manifest = await startup.fetchManifest(base).catch(async (error) => {
        (await kept.take())?.close();
        throw error;
      });
      mark("manifest");
      const { pyodide: py, visit } = await startPython({
        indexURL,
        plan: async () => startup.plan(manifest, indexURL, { page: pageFetches, opened: kept.take() }),
        dropKept: () => startup.dropKeptSnapshot(manifest),
        stderr: (text) => problems.push(text),
        beforeLoad: (visit) => {
          timings.snapshot = visit.kind;
          mark(`planned ${visit.kind}`);
          bytes.expect(manifest, visit);
        },
        afterRuntime: (py, visit) => {
          visit.runtimeFetched?.(); // numpy's download waits at most until Python has started
          if (visit.kind !== "local") bytes.add(manifest.files["pyodide/pyodide.asm.js"].bytes, "pyodide/pyodide.asm.js"); // imported, not fetched: not counted on the way
          timings.python = performance.now() - started;
          mark("python");
          // While numpy downloads: what the shipped snapshot has imported, for the one kept here.
          if (visit.kind === "made") importModules(py, manifest.snapshot.modules);
          mark("standard library imported");
        },
        // numpy imported as soon as it is in, while pynn, the last download, arrives
        afterPackage: (py, name) => {
          mark(`${name} loaded`);
          if (name === "numpy") importModules(py, NUMPY_MODULES);
        },
      });
      if (visit.recorder) keepForNextVisit(py, manifest, visit, timings, started);
      return py;
    });
    timings.runtime = performance.now() - started;
    post({ type: MESSAGE.status, step: "runtime", state: "done" });
    for (const name of ["numpy", "pynn"]) {
      step = name;
      if (!pyodide.loadedPackages[name]) {
        const fetches = failedFetches.filter((file) => file.startsWith(`${name}-`));
        if (fetches.length) throw new TextError("start.fetch.files", { files: fetches.join(", ") });
        const said = problems.filter((text) => text.includes(name)).join(" "); // Pyodide's, in English
        throw said ? new Error(said) : new TextError("start.package.missing", { name });
      }
      post({ type: MESSAGE.status, step: name, state: name === "numpy" ? "done" : "loading" });
    }
    // From here web/start/serve.js answers the page's calls itself.
    self.onmessage = serve(pyodide, post, "PAGE", () => {
      if (keepAfterFirstCall) setTimeout(keepAfterFirstCall);
      keepAfterFirstCall = null;
    });
    timings.pynn = performance.now() - started;
    mark("serving");
    post({ type: MESSAGE.status, step: "pynn", state: "done" });
    post({ type: MESSAGE.ready, timings });
  } catch (error) {
    // pynn's own words also by id (`text`): the page may not have told this worker its language yet
    // (it starts before the page has read its catalogue), the page says them in it (web/start/status.js)
    post({ type: MESSAGE.failed, step, message: messageOf(error), ...(error?.text && { text: error.text }) });
  }
}

// The kept snapshot opened as the worker starts, while the manifest comes, and on a returning
// visit its runtime code (pyodide.asm.js, which loadPyodide imports: the same module) asked for and
// run meanwhile. take(): the opened snapshot for the first plan, none for a second one (the kept
// snapshot failed).
function keptAhead(indexURL) {
  let opened = startup.openKept();
  opened.then((kept) => kept && import(new URL("pyodide.asm.js", indexURL).href)).catch(() => {});
  return {
    take() {
      const once = opened;
      opened = Promise.resolve(null);
      return once;
    },
  };
}

// The snapshot of the returning visit: Python with numpy and pynn imported (and what a Session
// imports when it starts; the standard library's modules are imported already, by the shipped
// snapshot or on the "made" path), taken before the Session exists; laid out and stored once the
// first call (the page's first configure, which makes it "Ready") is answered, off the first
// visit's way, after the files this visit unpacked (`visit.unpacked`, which the next visits read).
// {type: "kept"} tells the page it is stored, or with `failed` why not. Failing only costs the next
// visit its speed.
let keepAfterFirstCall = null;

function keepForNextVisit(py, manifest, { recorder, unpacked }, timings, started) {
  try {
    if (!py.loadedPackages.numpy || !py.loadedPackages.pynn) return;
    importModules(py, [...NUMPY_MODULES, "pynn.page.calls"]);
    mark("pynn imported");
    const taken = libsnapshot.capture(py, recorder);
    mark("captured");
    timings.made = performance.now() - started;
    keepAfterFirstCall = async () => {
      const failed = await startup.keepSnapshot(manifest, taken, unpacked);
      post(failed === null ? { type: MESSAGE.kept } : { type: MESSAGE.kept, failed });
    };
  } catch (error) {
    console.warn(`pynn: no snapshot kept for the next visit: ${messageOf(error)}`);
  } finally {
    recorder.stop();
  }
}

// Run the load, failing it as soon as a file cannot be fetched; count the bytes as they arrive. Pyodide fetches its .wasm in a
// promise that nothing awaits, so without this a failed download leaves loadPyodide pending until
// the page's load timeout. The names of the files that failed are collected in `failed`.
async function whileWatchingFetches(failed, bytes, load) {
  const fetchFile = self.fetch;
  self.fetch = async (resource, options) => {
    const url = String(resource?.url ?? resource);
    // a file that travels packed is named as it travels (web/start/packed.js): that is what failed
    const name = (bytes.manifest?.packed?.[bytes.fileOf(url)] ?? url).split("/").pop();
    try {
      const early = bytes.prefetched?.get(url);
      bytes.prefetched?.delete(url);
      const response = await (early ?? fetchFile(resource, options));
      if (!response.ok) failed.push(`${name} (HTTP ${response.status})`);
      return bytes.counted(response, url, name.startsWith("pyodide.asm.wasm") ? bytes.runtimeFetched : undefined);
    } catch (error) {
      failed.push(name);
      if (name.startsWith("pyodide.asm.wasm")) bytes.runtimeFetched();
      throw error;
    }
  };
  let onRejection;
  const rejected = new Promise((_, reject) => {
    onRejection = (event) => {
      event.preventDefault();
      reject(event.reason);
    };
    self.addEventListener("unhandledrejection", onRejection);
  });
  try {
    return await Promise.race([load(), rejected]);
  } catch (error) {
    const reason = error?.text ?? messageOf(error);
    if (failed.length) throw new TextError("start.fetch.files.reason", { files: failed.join(", "), reason });
    throw error?.text ? error : new Error(reason);
  } finally {
    self.fetch = fetchFile;
    self.removeEventListener("unhandledrejection", onRejection);
  }
}

// Until Python serves: the page's language, for what this worker says while it starts (it starts
// before the page has read its catalogue: web/boot.js), and the page's port to fetch through; any
// call is too early.
// The page's fetches for this worker (web/start/pagefetch.js), a promise of them or of null: web/boot.js
// names the worker it starts PAGE_FETCHES and posts their port as its first message. That message
// may reach this thread well after the manifest (Chromium hands it over once the page's thread,
// busy with its modules, hears that this script has run: 0.2–1.2 s on localhost), so a first
// visit's plan waits for it: without it, this worker fetched the files the page was fetching already.
let tellPageFetches = null;
const pageFetches = self.name === PAGE_FETCHES ? new Promise((resolve) => (tellPageFetches = resolve)) : Promise.resolve(null);

self.onmessage = ({ data, ports }) => {
  if (data?.type === MESSAGE.language) setLanguage(data.catalogue ?? null);
  else if (data?.type === MESSAGE.fetcher) tellPageFetches?.(ports[0] ? new PageFetches(ports[0]) : null);
  else post({ type: MESSAGE.error, id: data?.id, message: t("start.not-ready") });
};

boot();

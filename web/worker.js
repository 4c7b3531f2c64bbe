// The Python side of the page, in a module worker: Pyodide + numpy + pynn, and a
// pynn.page.session.Session. This file only loads them and forwards calls; every number comes from
// pynn.page.session.
//
// main → worker                              worker → main
//   {type:"call", id, method, args}            {type:"status", step, state}   step: runtime|numpy|pynn
//     a CALLABLE Session method, args as       {type:"ready", timings}        timings: {runtime, pynn} ms,
//     its keyword arguments                                                     snapshot: web/startup.js's kind
//                                              {type:"bytes", loaded, total}  files loaded while starting
//                                              {type:"failed", step, message} loading failed
//                                              {type:"kept"}                  the returning visit's
//                                                snapshot is stored (after the first call)
//                                              {type:"result", id, heapBytes, ...the method's dict}
//                                              {type:"invalid", id, message}  a ValueError: pynn refused
//                                              {type:"error", id, message}    anything else that broke
// Calls are answered one at a time, in the order they came. Arrays in results arrive as typed
// arrays whose buffers are transferred, not copied.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import * as libsnapshot from "./libsnapshot.js";
import * as startup from "./startup.js";

let pyodide = null;

// Session methods a call may reach (anything else is refused), each returning a dict.
const CALLABLE = new Set([
  "configure", // the settings, a reset, training (the page's play loop in main.js)
  "reset",
  "run",
  "inspect", // pynn.page.inside: the inspect panel, hidden units, gradient check, code panel
  "hidden_units",
  "gradcheck",
  "source",
  "add_point", // your own points, the model file, the digit pad (web/dataedit.js, modelio.js, digits.js)
  "remove_point",
  "clear_points",
  "load_csv",
  "data_csv",
  "export_model",
  "import_model",
  "classify_drawing",
  "use_student_code", // train with the exercises' functions (web/exercises.js)
  "backprop_pick", // one SGD step walked stage by stage, and the network diagram (web/backprop.js, diagram.js)
  "backprop_example",
  "backprop_at",
  "backprop_apply",
  "network",
  "lesson_run", // a lesson run and explained (web/lessons.js)
]);
let instance = null; // the Session itself
let invoke = null; // Python's `method(**kwargs)`
const bound = new Map(); // method name → its PyProxy, made once (a fresh proxy per call would leak)

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

async function boot() {
  const started = performance.now();
  const timings = { origin: performance.timeOrigin }; // ms: since the worker started, at `origin`
  let step = "runtime";
  try {
    for (const name of ["runtime", "numpy", "pynn"]) post({ type: "status", step: name, state: "loading" });
    const indexURL = new URL("./pyodide/", import.meta.url).href;
    // numpy and pynn are fetched and unpacked while the runtime starts; failures are collected
    // here so the status can name the package that failed.
    const problems = [];
    const failedFetches = [];
    const bytes = new Bytes();
    pyodide = await whileWatchingFetches(failedFetches, bytes, async () => {
      const manifest = await startup.fetchManifest(new URL("./", import.meta.url).href);
      let visit = await startup.plan(manifest, indexURL);
      const load = async () => {
        timings.snapshot = visit.kind;
        bytes.expect(manifest, visit);
        return loadPyodide({
          indexURL,
          ...visit.options,
          stdout: () => {},
          stderr: (text) => problems.push(text),
        });
      };
      let py;
      try {
        py = await load();
      } catch (error) {
        if (visit.kind !== "local") throw error;
        // The kept snapshot did not restore: forget it and start the ordinary way.
        console.warn(`pynn: starting without the kept snapshot: ${messageOf(error)}`);
        await startup.dropKeptSnapshot(manifest);
        visit = await startup.plan(manifest, indexURL);
        py = await load();
      }
      await visit.installed?.(py);
      visit.runtimeFetched?.(); // numpy's download waits at most until Python has started
      if (visit.kind !== "local") bytes.add(manifest.files["pyodide/pyodide.asm.js"].bytes); // imported, not fetched: not counted on the way
      timings.python = performance.now() - started;
      if (visit.kind === "made") {
        // While numpy downloads: what the shipped snapshot has imported, for the one kept here.
        importModules(py, manifest.snapshot.modules);
      }
      if (!visit.options.packages && visit.kind !== "local") {
        await py.loadPackage(["numpy", "pynn"], { messageCallback: () => {}, errorCallback: (text) => problems.push(text) });
      }
      if (visit.recorder) keepForNextVisit(py, manifest, visit.recorder, timings, started);
      return py;
    });
    timings.runtime = performance.now() - started;
    post({ type: "status", step: "runtime", state: "done" });
    for (const name of ["numpy", "pynn"]) {
      step = name;
      if (!pyodide.loadedPackages[name]) {
        const fetches = failedFetches.filter((file) => file.startsWith(`${name}-`));
        if (fetches.length) throw new Error(`could not fetch ${fetches.join(", ")}`);
        throw new Error(problems.filter((text) => text.includes(name)).join(" ") || `the ${name} package did not load`);
      }
      post({ type: "status", step: name, state: name === "numpy" ? "done" : "loading" });
    }
    const module = pyodide.pyimport("pynn.page.session");
    instance = module.Session(); // lives as long as the worker
    invoke = pyodide.runPython("lambda method, kwargs: method(**kwargs)");
    module.destroy();
    timings.pynn = performance.now() - started;
    post({ type: "status", step: "pynn", state: "done" });
    post({ type: "ready", timings });
  } catch (error) {
    post({ type: "failed", step, message: messageOf(error) });
  }
}

// The snapshot of the returning visit: Python with numpy and pynn imported (and what a Session
// imports when it starts; the standard library's modules are imported already, by the shipped
// snapshot or on the "made" path), taken before the Session exists; laid out and stored once the
// first call (the page's first configure, which makes it "Ready") is answered, off the first
// visit's way. {type: "kept"} tells the page it is stored. Failing only costs the next visit its
// speed.
let keepAfterFirstCall = null;

function keepForNextVisit(py, manifest, recorder, timings, started) {
  try {
    if (!py.loadedPackages.numpy || !py.loadedPackages.pynn) return;
    importModules(py, ["numpy.random", "numpy.linalg", "pynn.page.session"]);
    const taken = libsnapshot.capture(py, recorder);
    timings.made = performance.now() - started;
    keepAfterFirstCall = async () => {
      if (await startup.keepSnapshot(manifest, taken)) post({ type: "kept" });
    };
  } catch (error) {
    console.warn(`pynn: no snapshot kept for the next visit: ${messageOf(error)}`);
  } finally {
    recorder.stop();
  }
}

// Imports the modules named, in order.
function importModules(py, names) {
  py.runPython(`import importlib\nfor name in ${JSON.stringify(names)}: importlib.import_module(name)`);
}

// Bytes loaded of the bytes this visit fetches, posted to the page at most every 100 ms.
class Bytes {
  constructor() {
    this.loaded = 0;
    this.total = 0;
    this.posted = 0;
    this.runtimeFetched = () => {};
  }

  expect(manifest, visit) {
    this.total = visit.kind === "local" ? 0 : visit.fetches.reduce((sum, file) => sum + manifest.files[file].bytes, 0);
    this.prefetched = visit.prefetched ?? new Map();
    this.runtimeFetched = visit.runtimeFetched ?? (() => {});
    this.loaded = visit.early ?? 0;
    this.post(true);
  }

  add(count) {
    this.loaded += count;
    this.post(this.loaded >= this.total);
  }

  post(now) {
    if (!this.total || (!now && performance.now() - this.posted < 100)) return;
    this.posted = performance.now();
    post({ type: "bytes", loaded: Math.min(this.loaded, this.total), total: this.total });
  }

  // The response with its body counted as it is read (a copy of its status and headers);
  // `arrived` is called once the whole body is in.
  counted(response, arrived = () => {}) {
    if (!this.total || !response.ok || !response.body || response.counted) {
      arrived();
      return response;
    }
    const counter = new TransformStream({
      transform: (chunk, controller) => {
        this.add(chunk.byteLength);
        controller.enqueue(chunk);
      },
      flush: () => arrived(),
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  }
}

// Run the load, failing it as soon as a file cannot be fetched; count the bytes as they arrive. Pyodide fetches its .wasm in a
// promise that nothing awaits, so without this a failed download leaves loadPyodide pending until
// the page's load timeout. The names of the files that failed are collected in `failed`.
async function whileWatchingFetches(failed, bytes, load) {
  const fetchFile = self.fetch;
  self.fetch = async (resource, options) => {
    const url = String(resource?.url ?? resource);
    const name = url.split("/").pop();
    try {
      const early = bytes.prefetched?.get(url);
      bytes.prefetched?.delete(url);
      const response = await (early ?? fetchFile(resource, options));
      if (!response.ok) failed.push(`${name} (HTTP ${response.status})`);
      return bytes.counted(response, name === "pyodide.asm.wasm" ? bytes.runtimeFetched : undefined);
    } catch (error) {
      failed.push(name);
      if (name === "pyodide.asm.wasm") bytes.runtimeFetched();
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
    const message = messageOf(error);
    throw new Error(failed.length ? `could not fetch ${failed.join(", ")}: ${message}` : message);
  } finally {
    self.fetch = fetchFile;
    self.removeEventListener("unhandledrejection", onRejection);
  }
}

// A Python dict of plain values and numpy arrays → a plain object of values and typed arrays.
function unpack(result) {
  const out = {};
  const transfer = [];
  const keys = result.keys();
  try {
    for (const key of keys) {
      const value = result.get(key);
      if (value instanceof pyodide.ffi.PyProxy && !(value instanceof pyodide.ffi.PyBuffer)) {
        try {
          out[key] = value.toJs({ dict_converter: Object.fromEntries }); // lists, dicts of plain values
        } finally {
          value.destroy();
        }
      } else if (value instanceof pyodide.ffi.PyProxy) {
        const buffer = value.getBuffer();
        try {
          out[key] = buffer.data.slice();
          transfer.push(out[key].buffer);
        } finally {
          buffer.release();
          value.destroy();
        }
      } else {
        out[key] = value ?? null;
      }
    }
  } finally {
    keys.destroy();
    result.destroy();
  }
  return { out, transfer };
}

function reply(id, result) {
  const { out, transfer } = unpack(result);
  // The wasm memory only grows, so its size over a long run shows whether Python leaks.
  const heapBytes = pyodide._module?.HEAPU8?.byteLength ?? null;
  post({ ...out, type: "result", id, heapBytes }, transfer);
}

self.onmessage = ({ data }) => {
  const { id, method, args } = data;
  if (!instance) {
    post({ type: "error", id, message: "Python is not ready yet" });
    return;
  }
  if (data.type !== "call" || !CALLABLE.has(method)) {
    post({ type: "error", id, message: `unknown request ${JSON.stringify(String(data.type === "call" ? method : data.type))}` });
    return;
  }
  let kwargs = null;
  try {
    if (!bound.has(method)) bound.set(method, instance[method]);
    kwargs = pyodide.toPy(args ?? {});
    reply(id, invoke(bound.get(method), kwargs));
  } catch (error) {
    post({ type: error?.type === "ValueError" ? "invalid" : "error", id, message: messageOf(error) });
  } finally {
    kwargs?.destroy();
    if (keepAfterFirstCall) setTimeout(keepAfterFirstCall);
    keepAfterFirstCall = null;
  }
};

// The last line of a Python traceback without its "ValueError: " prefix, or a JS error's message.
function messageOf(error) {
  const text = String(error?.message ?? error);
  if (error?.type) {
    const lines = text.trim().split("\n");
    return lines[lines.length - 1].replace(/^\w+(Error|Exception): /, "");
  }
  return text;
}

boot();

// The Python side of the page, in a module worker: Pyodide + numpy + pynn, and a pynn.page.session.Session.
// This file only loads them and forwards messages; every number comes from pynn.page.session.
//
// main → worker                              worker → main
//   {type:"configure", id, settings}           {type:"status", step, state}   step: runtime|numpy|pynn
//   {type:"reset", id}                         {type:"ready", info, timings}  info: pynn.page.session.describe(),
//                                                timings: {runtime, pynn} ms, snapshot: restored or not
//   {type:"step", id}     one epoch            {type:"failed", step, message} loading failed
//   {type:"play"}  {type:"pause"}              {type:"configured", id, playing, heapBytes, ...snapshot}
//                                              {type:"progress", id?, playing, heapBytes, ...run result}
//                                              {type:"paused", id}
//                                              {type:"invalid", id, message}  a setting pynn refused
//                                              {type:"error", id, message}    anything else that broke
//   {type:"call", id, method, args}            {type:"result", id, playing, heapBytes, ...its dict}
//     a CALLABLE Session method, args as keyword arguments (a ValueError answers "invalid")
// Arrays in results arrive as typed arrays whose buffers are transferred, not copied.
import { loadPyodide } from "./pyodide/pyodide.mjs";

// Python as build.py saved it, started and with the standard-library modules that numpy, pynn and
// Pyodide's package loader import already imported: restoring this memory snapshot skips Python's
// own start, most of the wait before "Ready". Gzipped; a browser without DecompressionStream
// starts Python the ordinary way. What Python drew at its start is the same on every page (str
// hashing's seed, the random module's state): nothing here uses either, pynn draws from numpy
// Generators seeded by the settings.
const SNAPSHOT = "snapshot.gzip";

// Seconds of training per message while playing: short enough for ≥ 10 grid redraws a second,
// long enough that thousands of SGD steps share one message.
const CHUNK_SECONDS = 0.06;

let pyodide = null;
let session = null; // the Session's methods, each one PyProxy made once (a fresh proxy per call would leak)
let playing = false;

// Session methods a "call" request may reach (anything else is refused), each returning a dict.
const CALLABLE = new Set([
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
  "backprop_pick", // one SGD step walked stage by stage, and the network diagram (web/backprop.js, diagram.js)
  "backprop_example",
  "backprop_at",
  "backprop_apply",
  "network",
]);
let instance = null; // the Session itself, for "call"
let invoke = null; // Python's `method(**kwargs)`
const bound = new Map(); // method name → its PyProxy, made once like `session`'s

// Yield to the event loop between chunks (so "pause" gets in) without setTimeout's 4 ms clamp.
const tick = new MessageChannel();
tick.port1.onmessage = () => play();

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

async function boot() {
  const started = performance.now();
  const timings = {};
  let step = "runtime";
  try {
    for (const name of ["runtime", "numpy", "pynn"]) post({ type: "status", step: name, state: "loading" });
    const indexURL = new URL("./pyodide/", import.meta.url).href;
    // numpy and pynn are fetched and unpacked while the runtime starts; failures are collected
    // here so the status can name the package that failed.
    const problems = [];
    const failedFetches = [];
    timings.snapshot = typeof DecompressionStream === "function";
    pyodide = await whileWatchingFetches(failedFetches, () =>
      loadPyodide({
        indexURL,
        packages: ["numpy", "pynn"],
        _loadSnapshot: timings.snapshot ? fetchSnapshot(indexURL + SNAPSHOT) : undefined,
        stdout: () => {},
        stderr: (text) => problems.push(text),
      }),
    );
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
    session = { configure: instance.configure, reset: instance.reset, run: instance.run };
    const info = JSON.parse(module.describe());
    module.destroy();
    timings.pynn = performance.now() - started;
    post({ type: "status", step: "pynn", state: "done" });
    post({ type: "ready", info, timings });
  } catch (error) {
    post({ type: "failed", step, message: messageOf(error) });
  }
}

// The snapshot's bytes, unzipped as they arrive.
async function fetchSnapshot(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`); // named by whileWatchingFetches
  try {
    return await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
  } catch (error) {
    throw new Error(`${SNAPSHOT} is damaged: ${messageOf(error)}`);
  }
}

// Run the load, failing it as soon as a file cannot be fetched. Pyodide fetches its .wasm in a
// promise that nothing awaits, so without this a failed download leaves loadPyodide pending until
// the page's load timeout. The names of the files that failed are collected in `failed`.
async function whileWatchingFetches(failed, load) {
  const fetchFile = self.fetch;
  self.fetch = async (resource, options) => {
    const name = String(resource?.url ?? resource).split("/").pop();
    try {
      const response = await fetchFile(resource, options);
      if (!response.ok) failed.push(`${name} (HTTP ${response.status})`);
      return response;
    } catch (error) {
      failed.push(name);
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

function reply(type, id, result) {
  const { out, transfer } = unpack(result);
  if (out.diverged) playing = false;
  // The wasm memory only grows, so its size over a long run shows whether Python leaks.
  const heapBytes = pyodide._module?.HEAPU8?.byteLength ?? null;
  post({ ...out, type, id, playing, heapBytes }, transfer);
}

function play() {
  if (!playing) return;
  try {
    reply("progress", undefined, session.run.callKwargs({ seconds: CHUNK_SECONDS }));
  } catch (error) {
    playing = false;
    post({ type: error?.type === "ValueError" ? "invalid" : "error", message: messageOf(error) });
    return;
  }
  if (playing) tick.port2.postMessage(null);
}

self.onmessage = ({ data }) => {
  if (!session) {
    post({ type: "error", id: data.id, message: "Python is not ready yet" });
    return;
  }
  try {
    switch (data.type) {
      case "configure": {
        playing = false;
        const settings = pyodide.toPy(data.settings);
        try {
          reply("configured", data.id, session.configure(settings));
        } finally {
          settings.destroy();
        }
        break;
      }
      case "reset":
        playing = false;
        reply("configured", data.id, session.reset());
        break;
      case "step":
        playing = false;
        reply("progress", data.id, session.run.callKwargs({ epochs: 1 }));
        break;
      case "play":
        if (!playing) {
          playing = true;
          tick.port2.postMessage(null);
        }
        break;
      case "pause":
        playing = false;
        post({ type: "paused", id: data.id, playing });
        break;
      case "call":
        call(data);
        break;
      default:
        post({ type: "error", id: data.id, message: `unknown request ${JSON.stringify(String(data.type))}` });
    }
  } catch (error) {
    const type = error?.type === "ValueError" ? "invalid" : "error";
    post({ type, id: data.id, message: messageOf(error) });
  }
};

// A CALLABLE method with keyword args; a ValueError comes back as "invalid" like a bad setting.
function call({ id, method, args }) {
  if (!CALLABLE.has(method)) {
    post({ type: "error", id, message: `unknown method ${JSON.stringify(String(method))}` });
    return;
  }
  if (!bound.has(method)) bound.set(method, instance[method]);
  const kwargs = pyodide.toPy(args ?? {});
  try {
    reply("result", id, invoke(bound.get(method), kwargs));
  } finally {
    kwargs.destroy();
  }
}

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

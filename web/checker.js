// The exercises' checker: a module worker of its own (never the training worker) with Pyodide,
// numpy and pynn, running pynn.page.exercises.check on the student's code. The page stops it when
// a check runs too long (an endless loop cannot be interrupted from outside) and starts a fresh one.
//
//   page → worker                              worker → page
//                                              {type:"ready", exercises}  pynn.page.exercises.catalogue()
//                                              {type:"failed", message}   Python did not start
//   {type:"check", id, name, source}           {type:"result", id, result}  exercises.check(name, source)
//                                              {type:"error", id, message}  the checker itself broke
import { loadPyodide } from "./pyodide/pyodide.mjs";
import * as startup from "./startup.js";

// The memory snapshot build.py saved, restored as web/worker.js does, so the checker is ready in
// about the time the training worker takes.
const SNAPSHOT = "snapshot.gzip";

let check = null; // Python: (name, source) → the result as JSON text

async function snapshot(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${SNAPSHOT}: HTTP ${response.status}`);
  return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

// Python with numpy and pynn, the quickest way there is: the copy of Python this browser keeps
// (numpy and pynn imported; web/libsnapshot.js), else build.py's snapshot, else the ordinary
// start. Offline the last works too (the service worker keeps the runtime and the wheels, not
// snapshot.gzip), so the exercises do whether or not a copy is kept yet.
async function startPython() {
  const indexURL = new URL("./pyodide/", import.meta.url).href;
  const options = { indexURL, stdout: () => {}, stderr: () => {} };
  const kept = await keptSnapshot();
  if (kept) {
    try {
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: kept.memory });
      await kept.installed(pyodide);
      return pyodide;
    } catch {
      // the training worker drops a kept copy that does not restore; start another way
    }
  }
  const packages = ["numpy", "pynn"];
  if (typeof DecompressionStream === "function") {
    try {
      return await loadPyodide({ ...options, packages, _loadSnapshot: snapshot(indexURL + SNAPSHOT) });
    } catch {
      // offline, or snapshot.gzip damaged: the ordinary start
    }
  }
  return loadPyodide({ ...options, packages });
}

async function keptSnapshot() {
  try {
    return await startup.keptSnapshot(await startup.fetchManifest(new URL("./", import.meta.url).href));
  } catch {
    return null;
  }
}

async function boot() {
  try {
    const pyodide = await startPython();
    const [run, catalogue] = pyodide.runPython(`
import json
from pynn.page import exercises
(lambda name, source: json.dumps(exercises.check(name, source)), json.dumps(exercises.catalogue()))
`).toJs();
    check = run;
    self.postMessage({ type: "ready", exercises: JSON.parse(catalogue) });
  } catch (error) {
    self.postMessage({ type: "failed", message: String(error?.message ?? error) });
  }
}

self.onmessage = ({ data }) => {
  if (data.type !== "check") return;
  if (!check) {
    self.postMessage({ type: "error", id: data.id, message: "the checker is not ready yet" });
    return;
  }
  try {
    self.postMessage({ type: "result", id: data.id, result: JSON.parse(check(String(data.name), String(data.source))) });
  } catch (error) {
    const lines = String(error?.message ?? error).trim().split("\n");
    self.postMessage({ type: "error", id: data.id, message: lines[lines.length - 1] });
  }
};

boot();

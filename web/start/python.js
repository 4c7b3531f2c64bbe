// The one way Python starts, in the training worker (web/start/worker.js) and in the sandbox's worker
// (web/start/sandboxworker.js): Pyodide as a visit's plan says (web/start/startup.js for the training
// worker: the kept snapshot, the shipped one or the ordinary start; the sandbox plans from the
// bytes the page handed it), falling back to the ordinary start when a kept snapshot does not
// restore, then numpy and pynn.
//
//   plan()              the visit: {kind, options for loadPyodide, installed(py)?}; called again
//                       after a kept ("local") snapshot failed, when it must plan without it
//   dropKept()          forget the kept snapshot that failed
//   beforeLoad(visit)   just before loadPyodide;  afterRuntime(py, visit) once the runtime runs,
//                       before numpy and pynn load (a "local" visit has them already);
//                       afterPackage(py, name) once each has loaded, where Python starts the
//                       ordinary way and loads them itself
import { loadPyodide } from "../pyodide/pyodide.mjs";

export const PACKAGES = ["numpy", "pynn"];

export async function startPython({ indexURL, plan, dropKept = async () => {}, stderr = () => {}, beforeLoad = () => {}, afterRuntime = () => {}, afterPackage = () => {} }) {
  let visit = await plan();
  const load = () => {
    beforeLoad(visit);
    return loadPyodide({ indexURL, ...visit.options, stdout: () => {}, stderr });
  };
  let pyodide;
  try {
    pyodide = await load();
  } catch (error) {
    if (visit.kind !== "local") throw error;
    console.warn(`pynn: starting without the kept snapshot: ${messageOf(error)}`);
    await dropKept();
    visit = await plan();
    pyodide = await load();
  }
  performance.mark("pynn:loaded");
  await visit.installed?.(pyodide);
  afterRuntime(pyodide, visit);
  if (!visit.options.packages && visit.kind !== "local") {
    // one at a time, in order: numpy is imported (afterPackage) while pynn may still be on its way
    for (const name of PACKAGES) {
      await pyodide.loadPackage(name, { messageCallback: () => {}, errorCallback: stderr });
      if (pyodide.loadedPackages[name]) afterPackage(pyodide, name);
    }
  }
  return { pyodide, visit };
}

// Imports the modules named, in order.
export function importModules(pyodide, names) {
  pyodide.runPython(`import importlib\nfor name in ${JSON.stringify(names)}: importlib.import_module(name)`);
}

// The last line of a Python traceback without its "ValueError: " prefix, or a JS error's message.
export function messageOf(error) {
  const text = String(error?.message ?? error);
  if (error?.type) {
    const lines = text.trim().split("\n");
    return lines[lines.length - 1].replace(/^\w+(Error|Exception): /, "");
  }
  return text;
}

// The build steps that need the page's own Python: Pyodide, run here by Node. build.py calls
//
//   node tools/pyodide_steps.mjs DIR NUMPY_WHEEL SNAPSHOT
//
// where DIR is the staged dist/pyodide/ (Pyodide's core files, pyodide-lock.json, the numpy and
// pynn wheels). In DIR it
//   1. starts the page's way once (numpy and pynn loaded by name, pynn.page.session imported, a
//      Session configured) and notes the standard-library modules that pulls in;
//   2. replaces NUMPY_WHEEL by its precompiled copy (tools/wheel.py, run in this Pyodide, so
//      the bytecode is that of the CPython the page runs);
//   3. writes SNAPSHOT: the gzipped memory of a fresh interpreter that has imported those modules
//      (Pyodide's `_makeSnapshot`), which the worker restores instead of starting Python anew;
//   4. then, in that interpreter, loads numpy and pynn as the worker will after the restore and
//      checks that numpy imports from its bytecode and a Session trains.
// numpy and pynn are not in the snapshot: extension modules (.so) cannot be, so the worker loads
// both after the restore. Prints a JSON summary on stdout; on failure, the Python error and exit 1.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [dir, numpyWheel, snapshotName] = process.argv.slice(2);
if (!snapshotName) {
  console.error("usage: node tools/pyodide_steps.mjs DIR NUMPY_WHEEL SNAPSHOT");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);

// What the page's worker has, so the snapshot holds no trace of this machine: sys.executable and
// the `_` variable as in a browser (Node would give this script's path), a fixed locale name.
const options = {
  indexURL: dir + "/",
  _sysExecutable: "./this.program",
  env: { LANG: "C.UTF-8" },
  stdout: () => {},
  stderr: (text) => console.error(text),
};

const START_AS_THE_PAGE = `
import numpy
import pynn.page.session

session = pynn.page.session.Session()
session.configure({})
`;

async function main() {
  // 1. What the page's start imports beyond Python's own start.
  const probe = await loadPyodide(options);
  const atStart = new Set(probe.runPython("import sys; list(sys.modules)").toJs());
  await probe.loadPackage(["numpy", "pynn"], { messageCallback: () => {} });
  probe.runPython(START_AS_THE_PAGE);
  const pulledIn = probe
    .runPython(`import sys; [name for name, module in sys.modules.items()
                if getattr(module, "__spec__", None) and "site-packages" not in str(module.__spec__.origin)]`)
    .toJs()
    .filter((name) => !atStart.has(name));

  // 2. Precompile numpy.
  probe.FS.mkdirTree("/build");
  probe.FS.writeFile("/build/in.whl", readFileSync(join(dir, numpyWheel)));
  probe.runPython(readFileSync(new URL("./wheel.py", import.meta.url), "utf8"));
  const counts = probe.runPython('precompile_wheel("/build/in.whl", "/build/out.whl")').toJs();
  writeFileSync(join(dir, numpyWheel), probe.FS.readFile("/build/out.whl"));

  // 3. A fresh interpreter with those modules imported, as a snapshot.
  const fresh = await loadPyodide({ ...options, _makeSnapshot: true });
  fresh.runPython(`import importlib\nfor name in ${JSON.stringify(pulledIn)}: importlib.import_module(name)`);
  const memory = fresh.makeMemorySnapshot();
  const snapshot = gzipSync(memory, { level: 9 });
  writeFileSync(join(dir, snapshotName), snapshot);

  // 4. The worker's next steps, with the precompiled numpy.
  await fresh.loadPackage(["numpy", "pynn"], { messageCallback: () => {} });
  fresh.runPython(START_AS_THE_PAGE + `
if type(numpy.__spec__.loader).__name__ != "SourcelessFileLoader":
    raise RuntimeError(f"numpy was not imported from its bytecode: {numpy.__spec__.loader!r}")
session.run(epochs=1)
`);
  return {
    numpy: Object.fromEntries(counts),
    stdlib: pulledIn,
    snapshotBytes: memory.length,
    snapshotGzipBytes: snapshot.length,
  };
}

try {
  console.log(JSON.stringify(await main()));
} catch (error) {
  console.error(`tools/pyodide_steps.mjs: ${error.message}`);
  process.exit(1);
}

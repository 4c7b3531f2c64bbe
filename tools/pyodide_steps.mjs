// The build steps that need the page's own Python: Pyodide, run here by Node. build.py calls
//
//   node tools/pyodide_steps.mjs DIR LOCK NUMPY_WHEEL SNAPSHOT PYNN_WHEEL
//
// where DIR is the staged dist/pyodide/ (Pyodide's core files, the numpy and pynn wheels) and
// LOCK a pyodide-lock.json listing those two wheels. In DIR it
//   1. starts the page's way once (numpy and pynn loaded by name, pynn.page.session imported, a
//      Session configured and trained, a Python error raised through Pyodide, every module that
//      pynn's source imports imported) and notes the standard-library modules and the numpy
//      subpackages that pulls in;
//   2. replaces python_stdlib.zip by a copy holding only those modules (and STUDENT_MODULES, for
//      code a learner may type), without docstrings and comments (tools/wheel.py);
//   3. replaces NUMPY_WHEEL by its precompiled copy (tools/wheel.py, run in this Pyodide, so the
//      bytecode is that of the CPython the page runs), without the subpackages and modules
//      nothing imported (numpy.testing kept), and PYNN_WHEEL by a copy with each module's
//      bytecode beside its source (the page reads pynn's source: the code panel, the exercises);
//   4. writes SNAPSHOT: the gzipped memory of a fresh interpreter that has imported the
//      standard-library modules of step 1 (Pyodide's `_makeSnapshot`);
//   5. then, in that interpreter, loads numpy and pynn as the worker will after the restore and
//      checks that numpy imports from its bytecode, pynn's modules have theirs, every module of
//      step 1 imports, and a Session trains.
// numpy and pynn are not in this snapshot: Pyodide's own snapshot cannot hold extension modules
// (.so), so the worker loads both after the restore (the snapshot the browser keeps for its next
// visits can: web/start/libsnapshot.js). Prints a JSON summary on stdout; on failure, the Python error and exit 1.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const [dir, lock, numpyWheel, snapshotName, pynnWheel] = process.argv.slice(2);
if (!pynnWheel) {
  console.error("usage: node tools/pyodide_steps.mjs DIR LOCK NUMPY_WHEEL SNAPSHOT PYNN_WHEEL");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);

// What the page's worker has, so the snapshot holds no trace of this machine: sys.executable and
// the `_` variable as in a browser (Node would give this script's path), a fixed locale name.
const options = {
  indexURL: dir + "/",
  lockFileURL: lock,
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
session.run(epochs=1)
`;

// Every feature of the page once, through the Session and the exercises' checker as the workers
// call them: what a feature imports only when it first runs (importlib.resources' readers for the
// digits file, numpy's .npz reader, json, csv text, inspect for the code panel) is then loaded,
// so the trimmed standard library and numpy keep it; step 5 runs it again on the trimmed files.
const WALK_THE_PAGE = `
import pynn.page.exercises as exercises
from pynn.page.calls import call
from pynn.page.session import Session

walker = Session()
walker.configure({"dataset": "digits", "classes": 10})
walker.run(epochs=1)
walker.classify_drawing([[0.2, 0.2, 0.8, 0.8]])
walker.gradcheck()
call(walker, "source", {})
walker.configure({"dataset": "spiral"})
walker.run(updates=3)
walker.inspect(0.1, 0.2, 0.05)
walker.hidden_units()
walker.backprop_pick()
walker.backprop_apply()
walker.network()
walker.load_csv(walker.data_csv()["csv"])
walker.import_model(walker.export_model()["json"])
for item in exercises.catalogue():
    exercises.check(item["name"], item["solution"])
del walker
`;

// Standard-library modules kept for code a learner may type in the page, beyond what pynn needs.
const STUDENT_MODULES = ["random", "statistics", "string", "textwrap", "copy", "pprint", "typing",
  "operator", "bisect", "heapq", "fractions", "timeit", "encodings.latin_1", "encodings.ascii",
  "encodings.utf_8_sig", "encodings.utf_16", "encodings.utf_32"];

// Every standard-library module pynn's source but its command line imports (found by reading
// it), imported; the others
// (numpy, pynn, the command line's optional matplotlib) are not the standard library's.
const IMPORT_WHAT_PYNN_IMPORTS = `
import ast, importlib, pathlib, sys
import pynn

def imported_by(package):
    names = set()
    for path in pathlib.Path(package.__file__).parent.rglob("*.py"):
        if path.name == "__main__.py":
            continue  # the command line, which never runs in the page
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module)
    return sorted(name for name in names if name.split(".")[0] in sys.stdlib_module_names)

for name in imported_by(pynn) + ${JSON.stringify(STUDENT_MODULES)}:
    importlib.import_module(name)
`;

const LOADED = `
import sys
def origin(module):
    return str(getattr(getattr(module, "__spec__", None), "origin", None))
zips = tuple(path + "/" for path in sys.path if path.endswith(".zip"))
sorted(name for name, module in list(sys.modules.items()) if origin(module).startswith(zips))
`;

// Kept whether imported or not: numpy.testing's asserts are what a learner's checks reach for.

// The wheel's modules (.py, extension modules) that step 1 did not import, but packages' __init__.
const NUMPY_UNUSED = `
import sys, zipfile
def module_of(name):
    stem = name.rsplit("/", 1)[-1].split(".")[0]
    return ".".join(name.split("/")[:-1] + [stem])
with zipfile.ZipFile("/build/in.whl") as wheel:
    unused = [name for name in wheel.namelist()
              if name.endswith((".py", ".so")) and not name.endswith("__init__.py")
              and not name.startswith("numpy/testing/") and module_of(name) not in sys.modules]
unused
`;

async function main() {
  // 1. What the page's start and pynn's imports load.
  const probe = await loadPyodide(options);
  const atStart = new Set(probe.runPython("import sys; list(sys.modules)").toJs());
  await probe.loadPackage(["numpy", "pynn"], { messageCallback: () => {} });
  probe.runPython(START_AS_THE_PAGE);
  const pulledIn = probe
    .runPython(`import sys; [name for name, module in sys.modules.items()
                if getattr(module, "__spec__", None) and "site-packages" not in str(module.__spec__.origin)]`)
    .toJs()
    .filter((name) => !atStart.has(name));
  try {
    probe.runPython("raise ValueError('a Python error, formatted for JavaScript')");
  } catch {
    // Formatting the traceback imports what every error in the page will need.
  }
  probe.runPython(IMPORT_WHAT_PYNN_IMPORTS);
  probe.runPython(WALK_THE_PAGE);
  const stdlibModules = probe.runPython(LOADED).toJs();

  // 2. The standard library cut to those modules, and 3. numpy, precompiled.
  probe.FS.mkdirTree("/build");
  probe.runPython(readFileSync(new URL("./wheel.py", import.meta.url), "utf8"));
  probe.FS.writeFile("/build/stdlib.zip", readFileSync(join(dir, "python_stdlib.zip")));
  probe.globals.set("stdlib_modules", probe.toPy(stdlibModules));
  const stdlib = probe.runPython('trim_stdlib("/build/stdlib.zip", "/build/trimmed.zip", stdlib_modules)').toJs();
  probe.FS.writeFile("/build/in.whl", readFileSync(join(dir, numpyWheel)));
  const droppedNumpy = probe.runPython(NUMPY_UNUSED).toJs();
  probe.globals.set("dropped", probe.toPy(droppedNumpy));
  const counts = probe.runPython('precompile_wheel("/build/in.whl", "/build/out.whl", None, tuple(dropped))').toJs();
  probe.FS.writeFile("/build/pynn.whl", readFileSync(join(dir, pynnWheel)));
  // The command line never runs in the page: its source alone.
  const pynnCompiled = probe.runPython('add_bytecode("/build/pynn.whl", "/build/pynn-out.whl", None, ("pynn/__main__.py",))');
  writeFileSync(join(dir, "python_stdlib.zip"), probe.FS.readFile("/build/trimmed.zip"));
  writeFileSync(join(dir, numpyWheel), probe.FS.readFile("/build/out.whl"));
  writeFileSync(join(dir, pynnWheel), probe.FS.readFile("/build/pynn-out.whl"));

  // 4. A fresh interpreter, on the trimmed standard library, with the modules imported, as a snapshot.
  const fresh = await loadPyodide({ ...options, _makeSnapshot: true });
  fresh.runPython(`import importlib\nfor name in ${JSON.stringify(pulledIn)}: importlib.import_module(name)`);
  const memory = fresh.makeMemorySnapshot();
  const snapshot = gzipSync(memory, { level: 9 });
  writeFileSync(join(dir, snapshotName), snapshot);

  // 5. The worker's next steps, with the precompiled numpy and the trimmed standard library.
  await fresh.loadPackage(["numpy", "pynn"], { messageCallback: () => {} });
  fresh.runPython(START_AS_THE_PAGE + IMPORT_WHAT_PYNN_IMPORTS + WALK_THE_PAGE + `
if type(numpy.__spec__.loader).__name__ != "SourcelessFileLoader":
    raise RuntimeError(f"numpy was not imported from its bytecode: {numpy.__spec__.loader!r}")
import os
for name, module in list(sys.modules.items()):
    if name.split(".")[0] == "pynn" and not os.path.isfile(module.__cached__):
        raise RuntimeError(f"{name} has no bytecode beside its source: {module.__cached__}")
`);
  return {
    numpy: { ...Object.fromEntries(counts), droppedModules: droppedNumpy },
    pynnCompiled,
    stdlib: pulledIn,
    stdlibKept: stdlibModules,
    stdlibCounts: Object.fromEntries(stdlib),
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

// The plane's first picture, made by the page's own Python: build.py calls
//
//   node tools/previews.mjs DIR
//
// where DIR is the staged dist/pyodide/ (Pyodide, its lock, the numpy and pynn wheels), and this
// prints pynn.page.previews' JSON (each generated data set's points at its default setup).
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node tools/previews.mjs DIR");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(join(dir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: dir + "/",
  lockFileURL: join(dir, "pyodide-lock.json"),
  stdout: () => {},
  stderr: (text) => console.error(text),
});
await pyodide.loadPackage(["numpy", "pynn"], { messageCallback: () => {} });
process.stdout.write(pyodide.runPython("from pynn.page.previews import previews_json\npreviews_json()"));

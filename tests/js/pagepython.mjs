// pynn.page's Python for node --test: one Python process (the repository's .venv, or $PYTHON) that
// answers python(call, args) as the page's Python does, calling pynn.page.<call>(**args) — e.g.
// python("handin.read_entry", { file, text }). One JSON line each way per call.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VENV = `${ROOT}.venv/bin/python`;

const SERVER = `
import importlib, json, sys
for line in sys.stdin:
    call, args = json.loads(line)
    module, name = call.rsplit(".", 1)
    try:
        answer = {"value": getattr(importlib.import_module("pynn.page." + module), name)(**args)}
    except Exception as error:
        # as the page's worker says it: a ValueError's message alone (pynn refused), else its type too
        answer = {"error": str(error) if isinstance(error, ValueError) else f"{type(error).__name__}: {error}"}
    print(json.dumps(answer), flush=True)
`;

export function pagePython() {
  const python = process.env.PYTHON ?? (existsSync(VENV) ? VENV : "python3");
  const child = spawn(python, ["-c", SERVER], { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT }, stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on("line", (line) => waiting.shift()(JSON.parse(line)));
  const call = (name, args) => new Promise((resolve, reject) => {
    waiting.push((answer) => ("error" in answer ? reject(new Error(answer.error)) : resolve(answer.value)));
    child.stdin.write(`${JSON.stringify([name, args])}\n`);
  });
  call.close = () => child.stdin.end();
  return call;
}

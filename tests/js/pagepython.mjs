// pynn.page's Python for node --test: one Python process (the repository's .venv, or $PYTHON) with
// one Session, answering python(method, args) as the page's worker does (pynn.page.calls.call:
// only the calls of PAGE) — e.g. python("read_handin", { file, text }). One JSON line each way per
// call.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { checkMessage } from "../../web/start/messages.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VENV = `${ROOT}.venv/bin/python`;

const SERVER = `
import json, sys
from pynn.page import calls, session
page = session.Session()
for line in sys.stdin:
    method, args = json.loads(line)
    try:
        answer = {"value": calls.call(page, method, args)}
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
  // As web/start/serve.js hands an answer over: the dict's own None values become null, a None
  // inside a list or a nested dict becomes undefined (Pyodide's toJs).
  const nested = (value) => (value === null ? undefined : Array.isArray(value) ? value.map(nested)
    : typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, nested(item)])) : value);
  const handed = (value) => (value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, item === null ? null : nested(item)])) : value);
  const call = (name, args) => new Promise((resolve, reject) => {
    waiting.push((answer) => ("error" in answer ? reject(new Error(answer.error)) : resolve(handed(answer.value))));
    child.stdin.write(`${JSON.stringify([name, args])}\n`);
  });
  call.close = () => child.stdin.end();
  return call;
}

// pagePython() whose every answer first passes the check the page makes of the sandbox's messages
// (web/start/messages.js): what the class view and the hand-in read, they may read from either Python.
export function checkedPagePython() {
  const session = pagePython();
  const python = async (method, args) => {
    const answer = await session(method, args);
    assert.equal(checkMessage({ ...answer, type: "result", id: 1 }, method), null, method);
    return answer;
  };
  python.close = session.close;
  return python;
}

// What the page accepts from the sandbox (web/start/sandbox.js): every message is checked before
// anything reads it, since the code that runs there (a student's, or anyone's that came with a
// link or a file) could post anything. A message that fails is refused whole: the call it answers
// fails with the reason, and nothing of it reaches the page. A forged answer that passes can at
// most mislead the student whose code forged it. (Text from it still reaches the page only
// through textContent.)
//
// checkMessage(message, method) → null when usable, else what is wrong.
import { ANSWERS, MESSAGE } from "./protocol.js";

const MAX_TEXT = 100_000;
const MAX_ITEMS = 100_000;
const MAX_DEPTH = 6;
const MAX_ARRAY_BYTES = 64 << 20;
const TYPED = [Float64Array, Float32Array, Uint8Array, Int32Array];
const STATUSES = ["pass", "fail", "error"];

const isCount = (value) => Number.isInteger(value) && value >= 0;
const isText = (value) => typeof value === "string" && value.length <= MAX_TEXT;
const isTextOrNull = (value) => value === null || isText(value);
const isPlain = (value) => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
const typed = (Type) => (value) => value instanceof Type && value.byteLength <= MAX_ARRAY_BYTES;
const listOf = (each) => (value) => Array.isArray(value) && value.length <= MAX_ITEMS && value.every(each);
const isNumber = (value) => typeof value === "number";

// Plain data only: no functions, no class instances, no cycles or deep nesting, bounded sizes.
function plainProblem(value, where, depth = 0) {
  if (value === null || typeof value === "boolean" || typeof value === "number") return null;
  if (typeof value === "string") return value.length <= MAX_TEXT ? null : `${where} is too long`;
  if (TYPED.some((Type) => value instanceof Type)) return value.byteLength <= MAX_ARRAY_BYTES ? null : `${where} is too large`;
  if (depth >= MAX_DEPTH) return `${where} is nested too deeply`;
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return `${where} has too many items`;
    for (const [i, item] of value.entries()) {
      const problem = plainProblem(item, `${where}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (!isPlain(value)) return `${where} is not plain data`;
  for (const [key, item] of Object.entries(value)) {
    const problem = plainProblem(item, `${where}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return null;
}

// The fields the page reads, by their type; a field not listed passes as plain data.
const FIELDS = {
  id: isCount,
  message: isText,
  epoch: isCount,
  updates: isCount,
  diverged: isTextOrNull,
  paused_by_code: (value) => typeof value === "boolean",
  fresh: (value) => typeof value === "boolean",
  heapBytes: (value) => value === null || isCount(value),
  at: typed(Float64Array),
  train_mean_loss: typed(Float64Array),
  test_mean_loss: typed(Float64Array),
  train_accuracy: typed(Float64Array),
  test_accuracy: typed(Float64Array),
  grid_size: isCount,
  grid_class: typed(Uint8Array),
  grid_prob: typed(Float32Array),
  classes: isCount,
  extent: isNumber,
  settings: isPlain,
  shape: listOf(isCount),
  using: listOf(isText),
};

const checkLine = (line) =>
  isPlain(line) && isText(line.name) && typeof line.passed === "boolean" && isText(line.message) &&
  (line.skipped === undefined || typeof line.skipped === "boolean");

// The answers that are not a Session's numbers: their whole shape.
const RESULTS = {
  check_exercise: (r) =>
    STATUSES.includes(r.status) && isText(r.name) && isCount(r.passed) && isCount(r.total) && r.passed <= r.total &&
    listOf(checkLine)(r.checks) &&
    (r.error === null || (isPlain(r.error) && isText(r.error.message) && (r.error.line === null || isCount(r.error.line)))),
  check_derivation: (r) =>
    STATUSES.includes(r.status) && isText(r.step) && isText(r.message) && isTextOrNull(r.mistake),
  exercise_catalogue: (r) =>
    listOf((e) => isPlain(e) && ["name", "title", "intro", "skeleton", "solution"].every((key) => isText(e[key])) &&
      listOf(isText)(e.equations) && listOf(isText)(e.checks) &&
      (e.tex === undefined || (listOf(isText)(e.tex) && e.tex.length === e.equations.length)))(r.exercises),
};

const TYPES = [MESSAGE.ready, MESSAGE.failed, ...ANSWERS]; // what the sandbox may say

export function checkMessage(message, method = null) {
  if (!isPlain(message)) return "the message is not plain data";
  if (!TYPES.includes(message.type)) return `unknown message type ${JSON.stringify(String(message.type).slice(0, 40))}`;
  const problem = plainProblem(message, "the message");
  if (problem) return problem;
  for (const [key, valid] of Object.entries(FIELDS)) {
    if (key in message && !valid(message[key])) return `${key} has the wrong type`;
  }
  if (ANSWERS.includes(message.type) && !isCount(message.id)) return "an answer without its call's id";
  if (message.type !== MESSAGE.result && message.type !== MESSAGE.ready && !isText(message.message)) return "a failure without its message";
  if (message.type === MESSAGE.result && RESULTS[method] && !RESULTS[method](message)) return `the answer to ${method} is not shaped as pynn answers it`;
  return null;
}

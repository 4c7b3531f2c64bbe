// What the page accepts from the sandbox (web/start/sandbox.js): every message is checked before
// anything reads it, since the code that runs there (a student's, or anyone's that came with a
// link or a file) could post anything. A message that fails is refused whole: the call it answers
// fails with the reason, and nothing of it reaches the page. What the sandbox answers to a check
// (run_exercise, run_derivation) is data only — outputs, never a verdict: it is checked here
// field by field against the page table's sandbox_answer limits, then read again, and judged, by
// pynn in the training worker (pynn.page.wire, pynn.page.judge). A forged answer that passes can
// at most hand in numbers. (Text from it still reaches the page only through textContent.)
//
// checkMessage(message, method, limits) → null when usable, else what is wrong; limits: the
//   table's sandbox_answer (needed for the answers to run_exercise and run_derivation)
// sandboxMessages(table) → checkMessage with the table's limits, for the sandbox's Bridge
import { t } from "../lang/text.js";
import { ANSWERS, MESSAGE } from "./protocol.js";

const MAX_TEXT = 100_000;
const MAX_ITEMS = 100_000;
const MAX_DEPTH = 6;
const MAX_ARRAY_BYTES = 64 << 20;
const TYPED = [Float64Array, Float32Array, Uint8Array, Int32Array];

const isCount = (value) => Number.isInteger(value) && value >= 0;
const isText = (value) => typeof value === "string" && value.length <= MAX_TEXT;
const isTextOrNull = (value) => value === null || isText(value);
const isPlain = (value) => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
const typed = (Type) => (value) => value instanceof Type && value.byteLength <= MAX_ARRAY_BYTES;
const listOf = (each) => (value) => Array.isArray(value) && value.length <= MAX_ITEMS && value.every(each);
const isNumber = (value) => typeof value === "number";

// Plain data only: no functions, no class instances, no cycles or deep nesting, bounded sizes.
// `where`: the field's path from the message ("the message.outputs[0]"), for the reason.
function plainProblem(value, where, depth = 0) {
  if (value === null || typeof value === "boolean" || typeof value === "number") return null;
  if (typeof value === "string") return value.length <= MAX_TEXT ? null : t("start.refusal.long", { where });
  if (TYPED.some((Type) => value instanceof Type)) return value.byteLength <= MAX_ARRAY_BYTES ? null : t("start.refusal.large", { where });
  if (depth >= MAX_DEPTH) return t("start.refusal.deep", { where });
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return t("start.refusal.items", { where });
    for (const [i, item] of value.entries()) {
      const problem = plainProblem(item, `${where}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (!isPlain(value)) return t("start.refusal.not-plain", { where });
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

// One output of a check's run (pynn.page.wire): "flat" where it sits in a dict or a sequence.
const KINDS = ["array", "number", "none", "other", "raised", "dict", "tuple", "list"];
const FLAT = ["array", "number", "none", "other"];
const isLineOrNone = (value) => value === undefined || value === null || (isCount(value) && value > 0);

function outputOk(value, limits, flat = false) {
  if (!isPlain(value) || !(flat ? FLAT : KINDS).includes(value.kind)) return false;
  const name = (text) => typeof text === "string" && text.length <= limits.max_name;
  switch (value.kind) {
    case "array": {
      const { shape, dtype, data } = value;
      if (!Array.isArray(shape) || shape.length > limits.max_dims || !shape.every(isCount)) return false;
      if (typeof dtype !== "string" || !/^[a-z][a-z0-9_]{0,19}$/.test(dtype)) return false;
      return data === undefined || (data instanceof Float64Array && data.length <= limits.max_elements &&
        data.length === shape.reduce((product, n) => product * n, 1));
    }
    case "number": return typeof value.value === "number";
    case "none": return true;
    case "other": return name(value.type);
    case "raised": return name(value.type) && typeof value.message === "string" && value.message.length <= limits.max_text && isLineOrNone(value.line);
    case "dict": return isPlain(value.items) && Object.keys(value.items).length <= limits.max_items &&
      Object.entries(value.items).every(([key, item]) => name(key) && outputOk(item, limits, true));
    default: return Array.isArray(value.items) && value.items.length <= limits.max_items && value.items.every((item) => outputOk(item, limits, true));
  }
}

// An answer to a run: {error: null | {message, line}, outputs: [output]} (no outputs with an error).
const runAnswer = (r, limits) => Boolean(limits) && Array.isArray(r.outputs) && r.outputs.length <= limits.max_outputs &&
  (r.error === null ? r.outputs.every((output) => outputOk(output, limits))
    : isPlain(r.error) && typeof r.error.message === "string" && r.error.message.length <= limits.max_text &&
      isLineOrNone(r.error.line) && r.outputs.length === 0);

// The answers that are not a Session's numbers: their whole shape.
const RESULTS = {
  run_exercise: runAnswer,
  run_derivation: runAnswer,
  exercise_catalogue: (r) =>
    listOf((e) => isPlain(e) && ["name", "title", "intro", "skeleton", "solution"].every((key) => isText(e[key])) &&
      listOf(isText)(e.equations) && listOf(isText)(e.checks) &&
      (e.tex === undefined || (listOf(isText)(e.tex) && e.tex.length === e.equations.length)))(r.exercises),
};

const TYPES = [MESSAGE.ready, MESSAGE.failed, ...ANSWERS]; // what the sandbox may say

export function checkMessage(message, method = null, limits = null) {
  const root = t("start.refusal.the-message");
  if (!isPlain(message)) return t("start.refusal.not-plain", { where: root });
  if (!TYPES.includes(message.type)) return t("start.refusal.type", { type: JSON.stringify(String(message.type).slice(0, 40)) });
  const problem = plainProblem(message, root);
  if (problem) return problem;
  for (const [key, valid] of Object.entries(FIELDS)) {
    if (key in message && !valid(message[key])) return t("start.refusal.wrong-type", { key });
  }
  if (ANSWERS.includes(message.type) && !isCount(message.id)) return t("start.refusal.no-id");
  if (message.type !== MESSAGE.result && message.type !== MESSAGE.ready && !isText(message.message)) return t("start.refusal.no-message");
  if (message.type === MESSAGE.result && RESULTS[method] && !RESULTS[method](message, limits)) return t("start.refusal.shape", { method });
  return null;
}

export function sandboxMessages(table) {
  return (message, method) => checkMessage(message, method, table.sandbox_answer);
}

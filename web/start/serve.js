// Answers the page's calls in a worker that runs Python: one pynn.page.session.Session, and the
// calls the page makes by name. Which calls a worker answers is declared in Python, in one table
// (pynn.page.calls.PAGE for the training worker, SANDBOX for the sandbox's), and checked there
// (calls.call): nothing is listed here.
//
// The page's language, {type: language, catalogue}, is what this worker's JavaScript says its
// texts in (no answer). A call, {type: call, id, method, args}, is answered with {type: result | invalid | error | crashed,
// id, …} (web/start/protocol.js; crashed: Python itself died, e.g. a C stack overflow, and no call
// is answered again). Calls are answered one at a time, in order. Arrays in results arrive as
// typed arrays whose buffers are transferred, not copied.
import { setLanguage, t } from "../lang/text.js";
import { heapBytes } from "./libsnapshot.js";
import { MESSAGE } from "./protocol.js";
import { messageOf } from "./python.js";

export function serve(pyodide, post, table = "PAGE", afterCall = () => {}) {
  // These live as long as the worker (a fresh proxy per call would leak).
  const calls = pyodide.pyimport("pynn.page.calls");
  const session = calls.Session();
  const dispatch = calls.call;
  const allowed = calls[table];

  // A Python value → a plain value: a dict (a `run`'s `also` holds dicts of its panels' answers)
  // → an object of converted values, a numpy array → a typed array whose buffer is transferred,
  // lists and dicts of plain values as they are. Every proxy is destroyed once read.
  function convert(value, transfer) {
    if (!(value instanceof pyodide.ffi.PyProxy)) return value ?? null;
    try {
      if (value instanceof pyodide.ffi.PyBuffer) {
        const buffer = value.getBuffer();
        try {
          const array = buffer.data.slice();
          transfer.push(array.buffer);
          return array;
        } finally {
          buffer.release();
        }
      }
      if (value.type === "dict") return unpack(value, transfer);
      return value.toJs({ dict_converter: Object.fromEntries });
    } finally {
      value.destroy();
    }
  }

  function unpack(dict, transfer) {
    const out = {};
    const keys = dict.keys();
    try {
      for (const key of keys) out[key] = convert(dict.get(key), transfer);
    } finally {
      keys.destroy();
    }
    return out;
  }

  // After a fatal error Pyodide cannot be used again, and every use of it throws: each later call
  // is answered "crashed" at once.
  let crashed = null;

  // The worker's message handler: each message event is a call.
  return function answer({ data }) {
    const { id, method, args } = data ?? {};
    if (data?.type === MESSAGE.language) {
      setLanguage(data.catalogue ?? null);
      return;
    }
    if (data?.type !== MESSAGE.call) {
      post({ type: MESSAGE.error, id, message: t("start.unknown-request", { type: JSON.stringify(String(data?.type)) }) });
      return;
    }
    if (crashed) {
      post({ type: MESSAGE.crashed, id, message: crashed });
      return;
    }
    let kwargs = null;
    try {
      kwargs = pyodide.toPy(args ?? {});
      const transfer = [];
      const out = convert(dispatch(session, String(method), kwargs, allowed), transfer);
      post({ ...out, type: MESSAGE.result, id, heapBytes: heapBytes(pyodide) }, transfer);
    } catch (error) {
      if (error?.pyodide_fatal_error) crashed = messageOf(error);
      const type = crashed ? MESSAGE.crashed : error?.type === "ValueError" ? MESSAGE.invalid : MESSAGE.error;
      post({ type, id, message: messageOf(error) });
    } finally {
      if (!crashed) kwargs?.destroy();
      afterCall();
    }
  };
}

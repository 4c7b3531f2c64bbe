// Answers the page's calls in a worker that runs Python: one pynn.page.session.Session, whose
// methods the page calls by name. Which methods a worker answers is declared in Python
// (pynn.page.session.PAGE_CALLS for the training worker, SANDBOX_CALLS for the sandbox's) and
// checked there (session.call): nothing is listed here.
//
//   page → worker   {type:"call", id, method, args}    args: the method's keyword arguments
//   worker → page   {type:"result", id, heapBytes, ...the method's dict}
//                   {type:"invalid", id, message}      a ValueError: pynn refused
//                   {type:"error", id, message}        anything else that broke
// Calls are answered one at a time, in order. Arrays in results arrive as typed arrays whose
// buffers are transferred, not copied.
import { heapBytes } from "../libsnapshot.js";
import { messageOf } from "./python.js";

export function serve(pyodide, post, calls = "PAGE_CALLS", afterCall = () => {}) {
  // These live as long as the worker (a fresh proxy per call would leak).
  const module = pyodide.pyimport("pynn.page.session");
  const session = module.Session();
  const dispatch = module.call;
  const allowed = module[calls];

  // A Python dict of plain values and numpy arrays → a plain object of values and typed arrays.
  function unpack(result) {
    const out = {};
    const transfer = [];
    const keys = result.keys();
    try {
      for (const key of keys) {
        const value = result.get(key);
        if (value instanceof pyodide.ffi.PyProxy && !(value instanceof pyodide.ffi.PyBuffer)) {
          try {
            out[key] = value.toJs({ dict_converter: Object.fromEntries }); // lists, dicts of plain values
          } finally {
            value.destroy();
          }
        } else if (value instanceof pyodide.ffi.PyProxy) {
          const buffer = value.getBuffer();
          try {
            out[key] = buffer.data.slice();
            transfer.push(out[key].buffer);
          } finally {
            buffer.release();
            value.destroy();
          }
        } else {
          out[key] = value ?? null;
        }
      }
    } finally {
      keys.destroy();
      result.destroy();
    }
    return { out, transfer };
  }

  return function answer(data) {
    const { id, method, args } = data ?? {};
    if (data?.type !== "call") {
      post({ type: "error", id, message: `unknown request ${JSON.stringify(String(data?.type))}` });
      return;
    }
    let kwargs = null;
    try {
      kwargs = pyodide.toPy(args ?? {});
      const { out, transfer } = unpack(dispatch(session, String(method), kwargs, allowed));
      post({ ...out, type: "result", id, heapBytes: heapBytes(pyodide) }, transfer);
    } catch (error) {
      post({ type: error?.type === "ValueError" ? "invalid" : "error", id, message: messageOf(error) });
    } finally {
      kwargs?.destroy();
      afterCall();
    }
  };
}

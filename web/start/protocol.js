// The messages between the page and a worker that runs Python — the training worker
// (web/start/worker.js) and the sandbox's (web/start/sandboxworker.js) — by type, declared here once:
// the worker client (bridge.js), the check of the sandbox's messages (messages.js), the side that
// answers calls (serve.js) and the workers read them from here.
//
//   page → worker   {type: call, id, method, args}   a call of pynn.page.calls' table (PAGE, SANDBOX),
//                                                     args its keyword arguments
//                   {type: language, catalogue}      the page's language (web/lang/language.js's
//                                                    catalogue; null: English) for what the worker's
//                                                    own JavaScript says (why it did not start):
//                                                    heard whenever it comes, even while Python starts;
//                                                    not answered
//                   {type: fetcher} + a MessagePort  the training worker's first message (web/boot.js):
//                                                    the page fetches for it over it
//                                                    (web/start/pagefetch.js); not answered. A
//                                                    worker named PAGE_FETCHES waits for it before
//                                                    a first visit's downloads (it may come late:
//                                                    see worker.js)
//   worker → page   {type: result, id, heapBytes, ...the method's dict}
//                   {type: invalid, id, message}     a ValueError: pynn refused the arguments
//                   {type: error, id, message}       anything else that broke
//                   {type: crashed, id, message}     Python itself died (Pyodide's fatal error, e.g. a
//                                                    C stack overflow): no call is answered again
//                   {type: status, step, state}      start-up: step runtime | numpy | pynn, state loading | done
//                   {type: bytes, loaded, total}     start-up: the files' bytes arrived so far
//                   {type: ready, timings}           Python and the Session are ready: calls are answered
//                   {type: failed, step, message, text?}  Python did not start; `text`: pynn's
//                                                    words by id ({id, params}, web/lang/text.js's
//                                                    TextError), which the page says in its language:
//                                                    the training worker may fail before it hears it
//                   {type: kept, failed?}            the returning visit's snapshot is stored, or
//                                                    `failed` says why it is not (the next visit
//                                                    starts the ordinary way)
export const MESSAGE = Object.freeze({
  call: "call",
  language: "language",
  fetcher: "fetcher",
  result: "result",
  invalid: "invalid",
  error: "error",
  crashed: "crashed",
  status: "status",
  bytes: "bytes",
  ready: "ready",
  failed: "failed",
  kept: "kept",
});

// The name web/boot.js gives the training worker it starts: its first message brings the port of
// the page's fetches. A worker started otherwise (a restart, main.js without boot.js) has none.
export const PAGE_FETCHES = "pynn-with-page-fetches";

// The types that answer a call (they carry its id).
export const ANSWERS = Object.freeze([MESSAGE.result, MESSAGE.invalid, MESSAGE.error, MESSAGE.crashed]);

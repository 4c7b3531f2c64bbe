// The sandbox's worker: Python for other people's code (the exercises' checks, training with the
// student's functions). It runs in a worker that the sandbox's frame (web/start/sandbox.html)
// made from a blob: URL, so it has the frame's opaque origin (no Cache Storage, IndexedDB,
// cookies or service worker: none of the page's) and the frame's Content-Security-Policy (no
// request to any address). build.py bundles this module (with Pyodide's loader) into
// dist/start/sandbox-worker.js; the page puts pyodide.asm.js before it and hands it to the frame
// as the worker's code (web/start/sandbox.js).
//
// It has no network, so the page hands it the files Python starts from, over the MessagePort that
// is its only line to the page:
//   page → sandbox   {type: language, catalogue} (web/start/protocol.js), whenever it comes
//                    {type:"files", indexURL, files: {url: ArrayBuffer}, kept, snapshot}
//                      kept: {bytes, memoryBytes} (the copy of Python this browser keeps,
//                      web/start/libsnapshot.js) or null; snapshot: the build's snapshot.gzip or null
//                    then calls, as web/start/serve.js answers them (pynn.page.calls.SANDBOX)
//   sandbox → page   ready | failed | the calls' answers (web/start/protocol.js)
// The page checks every message that comes back (web/start/messages.js): nothing here is trusted.
import { setLanguage, t } from "../lang/text.js";
import * as libsnapshot from "./libsnapshot.js";
import { messageOf, startPython } from "./python.js";
import { MESSAGE } from "./protocol.js";
import { serve } from "./serve.js";

const TYPES = { wasm: "application/wasm", json: "application/json" };

// Pyodide fetches its files; here they come from what the page handed over, and nothing else.
function serveFiles(files) {
  self.fetch = async (resource) => {
    const url = String(resource?.url ?? resource);
    const bytes = files[url];
    if (!bytes) throw new TypeError(t("start.sandbox.no-network", { file: url.split("/").pop() }));
    const type = TYPES[url.split(".").pop()] ?? "application/octet-stream";
    return new Response(bytes, { status: 200, headers: { "Content-Type": type } });
  };
}

async function gunzip(bytes) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
}

// The visit, from the bytes the page handed over: the kept copy, else the build's snapshot, else
// the ordinary start.
function planner({ kept, snapshot }) {
  let keptFailed = false;
  return {
    dropKept: async () => {
      keptFailed = true;
    },
    plan: async () => {
      if (kept && !keptFailed) {
        const read = Promise.resolve().then(() => libsnapshot.read(new Uint8Array(kept.bytes)));
        return {
          kind: "local",
          options: libsnapshot.snapshotOptions({ load: libsnapshot.restore(read, kept.memoryBytes) }),
          installed: async (pyodide) => libsnapshot.installed(pyodide, await read),
        };
      }
      if (snapshot && typeof DecompressionStream === "function") {
        return { kind: "shipped", options: { packages: ["numpy", "pynn"], ...libsnapshot.snapshotOptions({ load: gunzip(snapshot) }) } };
      }
      return { kind: "made", options: { packages: ["numpy", "pynn"] } };
    },
  };
}

// The page's language, for what this worker's JavaScript says until Python serves (then serve.js hears it).
function hearLanguage({ data }) {
  if (data?.type === MESSAGE.language) setLanguage(data.catalogue ?? null);
}

async function start(port, message) {
  const post = (answer, transfer = []) => port.postMessage(answer, transfer);
  port.onmessage = hearLanguage;
  try {
    serveFiles(message.files);
    let { pyodide } = await startPython({ indexURL: message.indexURL, ...planner(message) }).catch(async (error) => {
      if (!message.snapshot) throw error;
      // the build's snapshot did not restore: the ordinary start
      return startPython({ indexURL: message.indexURL, ...planner({}) });
    });
    port.onmessage = serve(pyodide, post, "SANDBOX");
    pyodide = null;
    post({ type: MESSAGE.ready });
  } catch (error) {
    post({ type: MESSAGE.failed, message: messageOf(error) });
  }
}

self.onmessage = ({ ports }) => {
  const port = ports?.[0];
  if (!port) return;
  self.onmessage = null;
  port.onmessage = (event) => {
    hearLanguage(event);
    if (event.data?.type === "files") start(port, event.data);
  };
};

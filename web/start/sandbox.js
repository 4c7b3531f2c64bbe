// The sandbox: where every line of code that a student wrote, or that came with a link or a file,
// runs — and nowhere else. The browser enforces it: an iframe sandbox="allow-scripts" (no
// allow-same-origin) gets an opaque origin, so nothing in it reaches this page's storage (Cache
// Storage, IndexedDB, localStorage, cookies, the service worker), its DOM or its files; its
// policy (web/start/sandbox.html) allows no request to any address; popups and navigation of
// this page are not allowed to it. Python runs in a worker the frame makes, which inherits all
// of that. The page talks to it only through a MessagePort, and checks each answer
// (web/start/messages.js).
//
// Having no network, the sandbox gets from the page everything Python starts from: the worker's
// code (pyodide.asm.js, then build.py's bundle of web/start/sandboxworker.js), the runtime's files
// and the wheels, and a snapshot to restore — the copy of Python this browser keeps
// (web/start/libsnapshot.js) or else the build's. They come from this page's origin (the service
// worker keeps them for offline use), read afresh at each start.
//
// createSandbox() → an object shaped like a Worker (postMessage, terminate, onmessage, onerror),
// for the one worker client (web/start/bridge.js). terminate() removes the frame: its worker, even one
// stuck in an endless loop, ends with it.
import { t } from "../lang/text.js";
import { fetchBuildFile } from "./packed.js";
import { MESSAGE } from "./protocol.js";
import { cacheName, fetchManifest, keptBytes } from "./startup.js";

export const FRAME = "start/sandbox.html";
export const WORKER = "start/sandbox-worker.js";
const RUNTIME_FILES = ["pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "pyodide/pyodide-lock.json"];

async function read(url, how, fetching = fetch(url)) {
  const response = await fetching;
  if (!response.ok) throw new Error(t("start.fetch.http", { file: String(url).split("/").pop(), status: String(response.status) }));
  return response[how]();
}

// What the sandbox starts from: the worker's code and {type: "files"}'s message, with the buffers
// to transfer.
async function gather(base) {
  const manifest = await fetchManifest(base);
  const url = (file) => new URL(file, base).href;
  const names = [...RUNTIME_FILES, manifest.numpy.wheel, manifest.pynn.wheel];
  const [asm, bundle, buffers, kept] = await Promise.all([
    read(url("pyodide/pyodide.asm.js"), "text"),
    read(url(WORKER), "text"),
    // as this build keeps them, or their packed copies unpacked (web/start/packed.js)
    Promise.all(names.map((name) => read(url(name), "arrayBuffer", fetchBuildFile(manifest, name, { cache: cacheName(manifest) })))),
    keptBytes(manifest),
  ]);
  // Without a kept copy, the build's snapshot if it can be had (offline it cannot: the service
  // worker leaves it to the page, and the sandbox then starts the ordinary way).
  const snapshot = kept ? null : await read(url(manifest.snapshot.file), "arrayBuffer").catch(() => null);
  const files = Object.fromEntries(names.map((name, i) => [url(name), buffers[i]]));
  const transfer = [...buffers, ...(kept ? [kept.bytes] : []), ...(snapshot ? [snapshot] : [])];
  return {
    code: `${asm}\n;\n${bundle}`,
    files: { type: "files", indexURL: url("pyodide/"), files, kept, snapshot },
    transfer,
  };
}

let frameText = null; // the frame's HTML, fetched once

export function createSandbox({ base = new URL("../", import.meta.url).href, host = document.body } = {}) {
  const channel = new MessageChannel();
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.hidden = true;
  frame.title = t("start.sandbox.title");
  frame.dataset.testid = "sandbox";
  const sandbox = {
    onmessage: null,
    onerror: null,
    onmessageerror: null,
    postMessage: (message) => channel.port1.postMessage(message),
    terminate() {
      frame.remove();
      channel.port1.close();
      removeEventListener("message", fromFrame);
    },
  };
  const deliver = (data) => sandbox.onmessage?.({ data });
  channel.port1.onmessage = ({ data }) => deliver(data);
  channel.port1.onmessageerror = () => sandbox.onmessageerror?.({});
  // The frame's own word: only that its worker could not start or stopped, with the browser's
  // reason (the frame has no texts of its own: without a reason the page says it in its language).
  function fromFrame(event) {
    if (event.source !== frame.contentWindow || event.data?.type !== "sandbox-failed") return;
    const reason = String(event.data.message ?? "").slice(0, 500);
    deliver({ type: MESSAGE.failed, message: reason || t("start.bridge.worker-error") });
  }
  addEventListener("message", fromFrame);
  (async () => {
    try {
      frameText ??= await read(new URL(FRAME, base), "text");
      const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
      frame.srcdoc = frameText;
      host.append(frame);
      const [start] = await Promise.all([gather(base), loaded]);
      if (!frame.isConnected) return; // terminated meanwhile
      frame.contentWindow.postMessage({ type: "start", code: start.code }, "*", [channel.port2]);
      channel.port1.postMessage(start.files, start.transfer);
    } catch (error) {
      deliver({ type: MESSAGE.failed, message: t("start.sandbox.not-started", { reason: error?.message ?? error }) });
    }
  })();
  return sandbox;
}

// Starts the Python worker as the page's very first script: a classic script, so it runs as soon
// as it arrives, before the style sheets and the page's own modules (about 40 files) are fetched
// and run. Python's downloads and start-up then overlap the page's (on a slow link the module
// graph alone takes about a second). What the worker says before main.js listens is kept, in
// order, and handed over with the worker (web/start/bridge.js's start calls `worker.takeEarly()`).
{
  const worker = new Worker(new URL("start/worker.js", document.currentScript.src), { type: "module" });
  const early = [];
  const keep = (event) => early.push(event);
  const types = ["message", "error", "messageerror"];
  for (const type of types) worker.addEventListener(type, keep);
  worker.takeEarly = () => {
    for (const type of types) worker.removeEventListener(type, keep);
    return early.splice(0);
  };
  globalThis.pynnBootWorker = worker;
}

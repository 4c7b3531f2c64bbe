// Two downloads one after the other with no gap between them, read on a thread of their own: a
// small worker that the Python worker starts (from a blob: URL: nothing more to fetch). The ordinary
// start fetches numpy's wheel and then pynn's so (web/start/startup.js): pynn's bytes are the last
// on the wire, while Python loads and imports numpy. The second is asked for once the first has at
// most `nearEnd` bytes left to come, which the helper sees as they come: the Python worker, busy
// starting Python for seconds at a time, would see them late, and the link would idle meanwhile.
// Each body is passed on a chunk at a time as it comes; the Python worker reads them when it can.

// The helper's whole code, run as `(${helper})()` in its worker (so: nothing from outside it).
function helper() {
  const pump = async (id, url, near, next) => {
    let response;
    try {
      response = await fetch(url);
      postMessage({ id, status: response.status, statusText: response.statusText, headers: [...response.headers] });
      if (response.ok && response.body) {
        const reader = response.body.getReader();
        let count = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          count += value.byteLength;
          if (next && count >= near) {
            next();
            next = null;
          }
          const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
          const chunk = whole ? value : value.slice();
          postMessage({ id, chunk }, [chunk.buffer]);
        }
      }
      postMessage({ id, done: true });
    } catch (error) {
      postMessage({ id, failed: String(error?.message ?? error), answered: Boolean(response) });
    }
    next?.();
  };
  onmessage = ({ data: { urls, nearEnd, firstBytes } }) => pump(0, urls[0], firstBytes - nearEnd, () => pump(1, urls[1]));
}

// {start(), responses: [a promise of each url's Response]}, or null where no worker can be made
// (then the caller fetches itself). `firstBytes`: the first file's size, so that its end is known;
// start() asks for the first. Where the helper fails to run, each answer not yet given is fetched
// here, with `fetcher`.
export function inOrder(urls, firstBytes, nearEnd, { fetcher = globalThis.fetch.bind(globalThis) } = {}) {
  let worker;
  try {
    worker = new Worker(URL.createObjectURL(new Blob([`(${helper})()`], { type: "text/javascript" })));
  } catch {
    return null;
  }
  const parts = urls.map((url) => {
    const part = { url, answered: false, ended: false };
    part.response = new Promise((resolve, reject) => Object.assign(part, { resolve, reject }));
    part.response.catch(() => {});
    part.body = new ReadableStream({ start: (controller) => (part.controller = controller) });
    return part;
  });
  const end = () => {
    if (parts.every((part) => part.ended)) worker.terminate();
  };
  worker.onmessage = ({ data }) => {
    const part = parts[data.id];
    if (data.status !== undefined) {
      part.answered = true;
      const { status, statusText, headers } = data;
      part.resolve(new Response(part.body, { status, statusText, headers }));
    } else if (data.chunk) {
      part.controller.enqueue(data.chunk);
    } else if (data.done) {
      part.ended = true;
      part.controller.close();
      end();
    } else if (data.failed !== undefined) {
      part.ended = true;
      const error = new TypeError(data.failed);
      if (data.answered) part.controller.error(error);
      else part.reject(error);
      end();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault?.();
    worker.terminate();
    for (const part of parts) if (!part.answered) part.resolve(fetcher(part.url));
  };
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      worker.postMessage({ urls: urls.map(String), nearEnd, firstBytes });
    },
    responses: parts.map((part) => part.response),
  };
}

// Two downloads one after the other with no gap between them, read on the page's thread. The
// ordinary start fetches numpy's wheel and then pynn's so (web/start/startup.js): pynn's bytes are
// the last on the wire, while Python loads and imports numpy. The second is asked for once the first
// has at most `nearEnd` bytes left to come, which the page sees as they come; the Python worker,
// busy starting Python for seconds at a time, would see them late, and the link would idle
// meanwhile. The page (web/boot.js: serveInOrder) hands the worker a MessagePort at its start
// (protocol.js's `fetcher` message); over it the worker asks (inOrder) and each body comes back a
// chunk at a time as it arrives; the worker reads them when it can.
//
// (A helper worker started by the Python worker would have done as well, but Chromium's DevTools
// throttling does not reach a worker's own workers: bench/delivery.py could not have measured it.)

// The page's side: answers the worker's one request on `port` ({urls, firstBytes, nearEnd}).
export function serveInOrder(port, { fetcher = (url) => fetch(url) } = {}) {
  const pump = async (id, url, near, next) => {
    let response;
    try {
      response = await fetcher(url);
      port.postMessage({ id, status: response.status, statusText: response.statusText, headers: [...response.headers] });
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
          port.postMessage({ id, chunk }, [chunk.buffer]);
        }
      }
      port.postMessage({ id, done: true });
    } catch (error) {
      port.postMessage({ id, failed: String(error?.message ?? error), answered: Boolean(response) });
    }
    next?.();
  };
  port.onmessage = ({ data: { urls, firstBytes, nearEnd } }) => {
    port.onmessage = null; // one request
    pump(0, urls[0], firstBytes - nearEnd, () => pump(1, urls[1]));
  };
}

// The worker's side: {start(), responses: [a promise of each url's Response]} over `port` (the
// page's, from serveInOrder). `firstBytes`: the first file's size, so that its end is known;
// start() asks for both.
export function inOrder(port, urls, firstBytes, nearEnd) {
  const parts = urls.map(() => {
    const part = { answered: false };
    part.response = new Promise((resolve, reject) => Object.assign(part, { resolve, reject }));
    part.response.catch(() => {});
    part.body = new ReadableStream({ start: (controller) => (part.controller = controller) });
    return part;
  });
  port.onmessage = ({ data }) => {
    const part = parts[data.id];
    if (data.status !== undefined) {
      part.answered = true;
      const { status, statusText, headers } = data;
      part.resolve(new Response(part.body, { status, statusText, headers }));
    } else if (data.chunk) {
      part.controller.enqueue(data.chunk);
    } else if (data.done) {
      part.controller.close();
    } else if (data.failed !== undefined) {
      const error = new TypeError(data.failed);
      if (data.answered) part.controller.error(error);
      else part.reject(error);
    }
  };
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      port.postMessage({ urls: urls.map(String), firstBytes, nearEnd });
    },
    responses: parts.map((part) => part.response),
  };
}

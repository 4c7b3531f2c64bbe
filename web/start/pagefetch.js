// The first visit's downloads that the page's thread makes for the Python worker, each body handed
// over a chunk at a time as it comes, over a MessagePort that web/boot.js gives the worker at its
// start (protocol.js's `fetcher` message). Two kinds:
//
//   ahead      what a first visit downloads (packed), asked for as soon as boot.js runs, before the
//              worker has started, fetched manifest.json and planned (0.8 s sooner at 5 Mbit/s, 80 ms):
//              the standard library and, at once, the wasm, then numpy's wheel, then pynn's. Each of
//              the last two is asked for once the download before it has at most NEAR_END_BYTES left
//              to come, which the page sees as they come: the worker, busy starting Python for seconds
//              at a time, would see them late, and the link would idle meanwhile. So pynn's bytes are
//              the last on the wire, while Python loads and imports numpy. Only where no cache of
//              this site's builds exists (a visit with one may restore its kept snapshot and fetch
//              nothing; the worker's plan decides once the manifest is in) and the worker can check
//              what it gets (crypto.subtle: a secure context).
//   in order   numpy's wheel and then pynn's, the same way, when the worker asks (web/start/startup.js:
//              an ordinary start that was not foreseen here, a new build's first visit).
//
// (A helper worker started by the Python worker would have done the second as well, but Chromium's
// DevTools throttling does not reach a worker's own workers: bench/delivery.py could not measure it.)

// A download in a chain is asked for once the one before it has at most this many bytes left to
// come (about a round trip's worth at a school's 5 Mbit/s and 80 ms, and a margin).
export const NEAR_END_BYTES = 96 * 1024;

// The page's side, on `port`: fetches the chains of `ahead` at once (each a list of {url, bytes}:
// each download asked for as the one before it nears its end), tells the worker which URLs (an
// empty list: none), and answers the worker's one in-order request ({urls, firstBytes, nearEnd}).
export function serveFetches(port, { ahead = [], cachePrefix = null, nearEnd = NEAR_END_BYTES, fetcher = (url) => fetch(url) } = {}) {
  const pump = async (chain, near) => {
    const [{ url, bytes = Infinity }, ...rest] = chain;
    let next = rest.length ? () => pump(rest, near) : null;
    let response;
    try {
      response = await fetcher(url);
      port.postMessage({ url, status: response.status, statusText: response.statusText, headers: [...response.headers] });
      if (response.ok && response.body) {
        const reader = response.body.getReader();
        let count = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          count += value.byteLength;
          if (next && count >= bytes - near) {
            next();
            next = null;
          }
          const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
          const chunk = whole ? value : value.slice();
          port.postMessage({ url, chunk }, [chunk.buffer]);
        }
      }
      // how fast it came, from its first byte to its last (the worker reads the link's rate from it)
      const entry = globalThis.performance?.getEntriesByName?.(url).pop();
      port.postMessage({ url, done: true, ms: entry ? entry.responseEnd - entry.responseStart : null });
    } catch (error) {
      port.postMessage({ url, failed: String(error?.message ?? error), answered: Boolean(response) });
    }
    next?.();
  };
  port.onmessage = ({ data: { urls, firstBytes, nearEnd: near } }) => {
    port.onmessage = null; // one request
    pump([{ url: urls[0], bytes: firstBytes }, { url: urls[1] }], near);
  };
  (async () => {
    const asked = ahead.length && (await worthAsking(cachePrefix)) ? ahead : [];
    port.postMessage({ ahead: asked.flat().map(({ url }) => url) });
    for (const chain of asked) pump(chain, nearEnd);
  })();
}

// Whether a first visit's downloads can be asked for before the worker's plan: online, in a secure
// context (crypto.subtle: the worker checks them), and no cache of this site's builds. The worker
// asks the same (web/start/startup.js): only then does it wait for the page's port.
export async function worthAsking(cachePrefix) {
  if (!globalThis.navigator?.onLine || !globalThis.crypto?.subtle) return false;
  if (typeof caches === "undefined") return true;
  const names = await caches.keys().catch(() => null);
  return Boolean(names) && !names.some((name) => name.startsWith(cachePrefix));
}

// The worker's side of `port`.
export class PageFetches {
  constructor(port) {
    this.port = port;
    this.parts = new Map(); // url → {response, resolve, reject, body, controller, answered, ms}
    this.told = new Promise((resolve) => (this.tell = resolve));
    port.onmessage = ({ data }) => this.heard(data);
  }

  part(url) {
    if (!this.parts.has(url)) {
      const part = { answered: false, ms: null };
      part.response = new Promise((resolve, reject) => Object.assign(part, { resolve, reject }));
      part.response.catch(() => {});
      part.body = new ReadableStream({ start: (controller) => (part.controller = controller) });
      this.parts.set(url, part);
    }
    return this.parts.get(url);
  }

  heard(data) {
    if (data.ahead) {
      for (const url of data.ahead) this.part(url);
      this.tell(data.ahead);
      return;
    }
    const part = this.part(data.url);
    if (data.status !== undefined) {
      part.answered = true;
      const { status, statusText, headers } = data;
      part.resolve(new Response(part.body, { status, statusText, headers }));
    } else if (data.chunk) {
      part.controller.enqueue(data.chunk);
    } else if (data.done) {
      part.ms = data.ms;
      part.controller.close();
    } else if (data.failed !== undefined) {
      const error = new TypeError(data.failed);
      if (data.answered) part.controller.error(error);
      else part.reject(error);
    }
  }

  // The files the page asked for ahead: a map from each one's path under `base` to its response's promise.
  async ahead(base) {
    const urls = await this.told;
    return new Map(urls.filter((url) => url.startsWith(base)).map((url) => [url.slice(base.length), this.part(url).response]));
  }

  // {start(), responses}: `urls` fetched one after the other (see above); start() asks the page.
  inOrder(urls, firstBytes, nearEnd) {
    let started = false;
    return {
      start: () => {
        if (started) return;
        started = true;
        this.port.postMessage({ urls: urls.map(String), firstBytes, nearEnd });
      },
      responses: urls.map((url) => this.part(String(url)).response),
    };
  }

  // ms from the first byte of `url`'s body to its last, as the page saw it, or null.
  arrivalMs(url) {
    return this.parts.get(url)?.ms ?? null;
  }
}

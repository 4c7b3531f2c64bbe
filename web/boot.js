// The page's very first script, a classic one (build.py bundles it with what it imports into one
// script in its place, the page table's languages written in), so it runs as soon as it arrives,
// before the style sheets and the page's own modules (about 40 files) are fetched and run:
//
// 1. It starts the Python worker. Python's downloads and start-up then overlap the page's (on a
//    slow link the module graph alone takes about a second). What the worker says before main.js
//    listens is kept, in order, and handed over with the worker (web/start/bridge.js's start calls
//    `worker.takeEarly()`). It hands the worker a port over which this page's thread fetches for it:
//    on a first visit, at once, the standard library, the wasm and after it the wheels
//    (web/start/pagefetch.js).
// 2. It decides the page's language as main.js will (web/lang/choose.js: lang= in the hash, else the
//    browser's languages among the page's), and when that is not English marks <html>
//    data-language-coming: until the language's catalogue is in, index.html's English texts keep
//    their place without showing (page.css), so a Spanish page never flashes English words;
//    web/lang/language.js removes the mark once the page speaks its language.
// 3. On a first visit (the first-visit hint not yet dismissed: web/teaching/tour.js shows it) it
//    marks <html> data-first-visit, so that on a phone the header has the hint's room from the
//    first paint (web/training/teach.css): nothing moves when the hint shows or goes.
import { chosen, langInHash } from "./lang/choose.js";
import { serveFetches } from "./start/pagefetch.js";
import { MESSAGE, PAGE_FETCHES } from "./start/protocol.js";
import { STORED } from "./start/storage.js";

const LANGUAGES = []; // the page table's languages' codes, English first: build.py writes them here
// What a first visit fetches at once, for the worker (web/start/pagefetch.js): build.py writes here
// {cachePrefix, chains: [[{file, bytes}]]} (the packed standard library; the wasm, then the wheels);
// null in web/ (nothing asked for ahead).
const AHEAD = null;

{
  const worker = new Worker(new URL("start/worker.js", document.currentScript.src), { type: "module", name: PAGE_FETCHES });
  const early = [];
  const keep = (event) => early.push(event);
  const types = ["message", "error", "messageerror"];
  for (const type of types) worker.addEventListener(type, keep);
  worker.takeEarly = () => {
    for (const type of types) worker.removeEventListener(type, keep);
    return early.splice(0);
  };
  // the page's thread fetches the first downloads and the wheels for the worker (web/start/pagefetch.js)
  const channel = new MessageChannel();
  const ahead = (AHEAD?.chains ?? []).map((chain) => chain.map(({ file, bytes }) => ({ url: new URL(file, document.currentScript.src).href, bytes })));
  serveFetches(channel.port1, { ahead, cachePrefix: AHEAD?.cachePrefix });
  worker.postMessage({ type: MESSAGE.fetcher }, [channel.port2]);
  globalThis.pynnBootWorker = worker;
}

{
  const code = chosen(langInHash(location.hash, LANGUAGES), navigator.languages, LANGUAGES);
  if (code && code !== LANGUAGES[0]) {
    document.documentElement.dataset.languageComing = code;
    // and its direction, where the browser tells it (Intl.Locale's text info; Firefox 128 does not):
    // an Arabic page is laid out right to left from the first paint, not flipped when the catalogue comes
    try {
      const locale = new Intl.Locale(code);
      if ((locale.getTextInfo?.() ?? locale.textInfo)?.direction === "rtl") document.documentElement.dir = "rtl";
    } catch {
      // no text info: the direction comes with the catalogue (web/lang/language.js)
    }
  }
}

{
  let seen = false; // storage refused (private mode): the hint shows, as tour.js decides
  try {
    seen = localStorage.getItem(STORED.seen) === "1";
  } catch {}
  if (!seen) document.documentElement.dataset.firstVisit = "";
}

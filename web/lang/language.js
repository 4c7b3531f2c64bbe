// The page's language: the header's menu, the catalogue it loads, and everything that follows a
// change of language. Which one: web/lang/choose.js (lang= in the hash wins, then the browser's).
// A language other than English is two files build.py compiled (dist/locale/<code>.json for the
// page's lookup, <code>.mo.gzip for Python's gettext), fetched on first use (an English page fetches
// none) and read within the table's catalogue_max_bytes; the service worker keeps them once used.
// A change of language keeps the page as it is (the setup, the net, the code, the progress): the
// marked texts are translated again, <html lang dir> follow, Python says its texts in the new
// language (the training worker's, the only Python whose texts the page shows), and every
// `onChange` listener redraws what it wrote.
import { chosen, readCatalogue } from "./choose.js";
import { direction, language, setLanguage, t, translate } from "./text.js";

// `url`'s bytes, refusing a file larger than `maxBytes` before or while it arrives.
async function fetchBounded(url, maxBytes) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  if (Number(response.headers.get("content-length")) > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
  return readBounded(response.body, maxBytes);
}

// A stream's bytes, refusing more than `maxBytes`.
async function readBounded(stream, maxBytes) {
  const parts = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel();
      throw new Error(`larger than ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

// The bytes `packed` (gzip) unpacks to, refusing more than `maxBytes`.
function gunzipBounded(packed, maxBytes) {
  return readBounded(new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip")), maxBytes);
}

// A language's two compiled catalogues: { page (the lookup's), python ({mo, code, decimal, group}) }.
async function loadCatalogues(code, { base, folder, maxBytes }) {
  const [json, packed] = await Promise.all(["json", "mo.gzip"].map((kind) => fetchBounded(new URL(`${folder}/${code}.${kind}`, base), maxBytes)));
  const page = readCatalogue(new TextDecoder().decode(json), code, maxBytes);
  if (page instanceof Error) throw page;
  const mo = await gunzipBounded(packed, maxBytes);
  return { page, python: { mo, code, decimal: page.decimal, group: page.group } };
}

export class Languages {
  // menu: the header's <select>; table: the page table (languages, files, catalogue_max_bytes);
  // store: the page's store (view.lang); python(args): Python's use_language call; messages: the
  // message line.
  constructor({ menu, table, store, python, messages, browser = navigator.languages, base = document.baseURI }) {
    this.menu = menu;
    this.codes = Object.keys(table.languages);
    this.store = store;
    this.python = python;
    this.messages = messages;
    this.browser = browser;
    this.where = { base, folder: table.files.locale_dir, maxBytes: table.catalogue_max_bytes };
    this.loaded = new Map([[this.codes[0], { page: null, python: { mo: null, code: this.codes[0], decimal: ".", group: "," } }]]);
    this.listeners = [];
    this.pythonLanguage = this.loaded.get(this.codes[0]).python;
    for (const [code, name] of Object.entries(table.languages)) {
      const option = document.createElement("option");
      option.value = code;
      option.lang = code;
      option.textContent = name;
      menu.append(option);
    }
    menu.setAttribute("aria-label", t("lang.menu"));
    menu.addEventListener("change", () => store.set({ view: { lang: menu.value } }));
    store.subscribe(({ view }) => {
      if (view.includes("lang")) this.use(this.wanted());
    });
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  // The language the hash's `lang` (the store's unless given) and the browser's languages choose.
  wanted(fromHash = this.store.view.lang) {
    return chosen(fromHash, this.browser, this.codes);
  }

  // Speak `code`: its catalogues fetched (once), the lookup, the page's marked texts, <html lang
  // dir>, Python and every listener told. A catalogue that cannot be read leaves the page as it was,
  // with a message saying why.
  async use(code) {
    this.latest = code;
    let catalogues = this.loaded.get(code);
    if (!catalogues) {
      try {
        catalogues = await loadCatalogues(code, this.where);
      } catch (error) {
        this.menu.value = language();
        this.messages.show([t("lang.unreadable", { code, reason: error.message })], "error");
        return;
      }
      this.loaded.set(code, catalogues);
    }
    if (this.latest !== code) return; // another choice came while this one loaded
    const changed = language() !== code;
    setLanguage(catalogues.page);
    document.documentElement.lang = code;
    document.documentElement.dir = direction();
    translate(document);
    this.menu.value = code;
    this.menu.setAttribute("aria-label", t("lang.menu"));
    this.pythonLanguage = catalogues.python;
    if (!changed) return;
    await this.python(catalogues.python).catch(() => {}); // a worker not running hears it when it starts
    for (const listener of this.listeners) listener(code);
  }
}

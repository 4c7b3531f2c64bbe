// The page's language: the header's menu, the catalogue it loads, and everything that follows a
// change of language. Which one: web/lang/choose.js (lang= in the hash wins, then the browser's).
// A language other than English is one file build.py compiled (dist/locale/<code>.json: the page's
// texts and Python's), fetched on first use (an English page fetches none) and read within the
// table's catalogue_max_bytes; the service worker keeps it once used. The page's lookup reads it,
// and hands it to the Pythons (the training worker's and the sandbox's), which say their texts from it.
// A change of language keeps the page as it is (the setup, the net, the code, the progress): the
// marked texts are translated again, <html lang dir> follow, Python says its texts in the new
// language, and every `onChange` listener redraws what it wrote.
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

// A language's compiled catalogue (web/lang/choose.js's readCatalogue).
async function loadCatalogue(code, { base, folder, maxBytes }) {
  const json = await fetchBounded(new URL(`${folder}/${code}.json`, base), maxBytes);
  const catalogue = readCatalogue(new TextDecoder().decode(json), code, maxBytes);
  if (catalogue instanceof Error) throw catalogue;
  return catalogue;
}

// index.html's texts show: they are in the page's language now (web/boot.js hid them on a page
// that does not speak English until then).
function shown() {
  delete document.documentElement.dataset.languageComing;
}

export class Languages {
  // menu: the header's <select>; table: the page table (languages, files, catalogue_max_bytes);
  // store: the page's store (view.lang); python(catalogue): Python's use_language call (null:
  // English); messages: the message line.
  constructor({ menu, table, store, python, messages, browser = navigator.languages, base = document.baseURI }) {
    this.menu = menu;
    this.codes = Object.keys(table.languages);
    this.store = store;
    this.python = python;
    this.messages = messages;
    this.browser = browser;
    this.where = { base, folder: table.files.locale_dir, maxBytes: table.catalogue_max_bytes };
    this.loaded = new Map([[this.codes[0], null]]); // code → its catalogue; English's is none
    this.listeners = [];
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

  // Speak `code`: its catalogue fetched (once), the lookup, the page's marked texts, <html lang
  // dir>, Python and every listener told. A catalogue that cannot be read leaves the page as it was,
  // with a message saying why.
  async use(code) {
    this.latest = code;
    this.menu.value = code; // named while its catalogue comes
    let catalogue = this.loaded.get(code);
    if (catalogue === undefined) {
      try {
        catalogue = await loadCatalogue(code, this.where);
      } catch (error) {
        this.menu.value = language();
        document.documentElement.dir = direction(); // boot.js may have set the wanted language's
        shown();
        this.messages.show([t("lang.unreadable", { code, reason: error.message })], "error");
        return;
      }
      this.loaded.set(code, catalogue);
    }
    if (this.latest !== code) return; // another choice came while this one loaded
    if (language() === code) {
      // spoken already (lang= naming the browser's language): translating index.html again would
      // put its own words back over what the parts wrote since (the status line's "Loading…" over Ready)
      shown();
      return;
    }
    setLanguage(catalogue);
    document.documentElement.lang = code;
    document.documentElement.dir = direction();
    translate(document);
    shown();
    this.menu.setAttribute("aria-label", t("lang.menu"));
    await this.python(catalogue).catch(() => {}); // a worker not running hears it when it starts
    for (const listener of this.listeners) listener(code);
  }
}

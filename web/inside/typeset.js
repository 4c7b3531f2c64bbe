// Typeset maths: KaTeX (dist/vendor/katex/, which build.py fetches from npm, pinned and
// hash-checked), imported the first time a panel shows an equation, never on the path to Ready.
//
// The page's policy allows no inline style (style-src 'self'): KaTeX renders into the DOM here
// (katex.render), which sets its styles through element.style, the CSSOM, which the policy allows;
// its HTML-string rendering would need 'unsafe-inline'. Each equation keeps a text alternative
// (what a screen reader says), from the same place as its TeX (Python: pynn/page/derive.py).
const KATEX_MODULE = new URL("../vendor/katex/katex.js", import.meta.url).href;
const KATEX_CSS = new URL("../vendor/katex/katex.css", import.meta.url).href;
const KATEX_DIR = "vendor/katex/"; // in dist/, as manifest.json names its files

// `load` once: every caller shares the one promise; a load that fails is forgotten, so a later
// call (back online, say) tries again.
export function once(load) {
  let pending = null;
  return () => {
    pending ??= load().catch((error) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

function stylesheet(href) {
  return new Promise((resolve, reject) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.addEventListener("load", () => resolve(), { once: true });
    link.addEventListener("error", () => reject(new Error(`cannot load ${href}`)), { once: true });
    document.head.append(link);
  });
}

// KaTeX's module and its stylesheet, both in before the first equation is drawn (without the
// stylesheet KaTeX's boxes show as a jumble for a moment).
// Offline, KaTeX is asked for only if this build's cache holds it (the service worker keeps it once
// used): a request that cannot be answered would only fail, and the text stays anyway.
export const loadKatex = once(async () => {
  if (!(await reachable())) throw new Error("offline, and KaTeX was not used here before");
  const [module] = await Promise.all([import(KATEX_MODULE), stylesheet(KATEX_CSS)]);
  return module.default;
});

// Online, or offline with the whole of KaTeX kept (the service worker keeps its folder whole once
// used; a font missing offline would fail to load, so a part is as good as none).
async function reachable() {
  if (globalThis.navigator?.onLine !== false) return true;
  try {
    const manifest = await (await caches.match(new URL("../manifest.json", import.meta.url).href))?.json();
    const files = Object.keys(manifest?.files ?? {}).filter((file) => file.startsWith(KATEX_DIR));
    const kept = await Promise.all(files.map((file) => caches.match(new URL(`../${file}`, import.meta.url).href)));
    return files.length > 0 && kept.every(Boolean);
  } catch {
    return false;
  }
}

// KaTeX's options: HTML only, since the element itself carries the text alternative (a screen
// reader reads the label of an image and not its parts, so a MathML copy would go unread);
// a TeX error throws rather than drawing red source, and the plain text stays instead.
export function katexOptions(display) {
  return { displayMode: display, output: "html", throwOnError: true, trust: false };
}

// Show `tex` typeset in `element`, with `text` as its accessible name. The plain text is shown at
// once, and stays if KaTeX cannot be loaded (offline before the first use) or cannot read the TeX.
// Resolves to true once typeset, false if the plain text stayed.
export async function renderMaths(element, tex, text, { display = false, load = loadKatex } = {}) {
  element.textContent = text;
  element.classList.add("maths");
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", text);
  let katex;
  try {
    katex = await load();
  } catch {
    return false;
  }
  try {
    katex.render(tex, element, katexOptions(display));
  } catch {
    element.textContent = text;
    return false;
  }
  return true;
}

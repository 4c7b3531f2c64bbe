// Which language the page speaks: pure functions, no DOM (node --test reads them).
//   chosen(view.lang, navigator.languages, codes)   lang= in the hash wins; else the first of the
//                                                   browser's languages the page speaks; else English
//   langInHash("#lr=0.5&lang=es", codes)            "es": the hash's lang= as web/state.js reads it,
//                                                   for web/boot.js, which decides before state.js loads
//   matchLanguage(["pt-PT", "de"], codes)           "pt-BR": a browser language matches a code of
//                                                   the same language and script (zh-CN, zh → zh-Hans;
//                                                   zh-TW, written in Hant, matches no zh-Hans)
//   readCatalogue(text, code, maxBytes)            a compiled catalogue (dist/locale/<code>.json) checked
//                                                   field by field before the lookup uses it

// A BCP 47 tag's language, script and region, the likely ones filled in (Intl.Locale.maximize:
// "zh" → zh-Hans-CN, "pt" → pt-Latn-BR); null for a tag that is not one.
function likely(tag) {
  try {
    const { language, script, region } = new Intl.Locale(tag).maximize();
    return { language, script, region };
  } catch {
    return null;
  }
}

// The code of `codes` the browser's languages (`wanted`, most wanted first) ask for, or null: for
// each wanted language in turn, the code written the same (case aside), else one of the same
// language, script and region, else of the same language and script.
export function matchLanguage(wanted, codes) {
  const known = codes.map((code) => ({ code, parts: likely(code) })).filter(({ parts }) => parts);
  for (const tag of wanted ?? []) {
    const exact = codes.find((code) => code.toLowerCase() === String(tag).toLowerCase());
    if (exact) return exact;
    const parts = likely(String(tag));
    if (!parts) continue;
    const same = known.filter((entry) => entry.parts.language === parts.language && entry.parts.script === parts.script);
    const best = same.find((entry) => entry.parts.region === parts.region) ?? same[0];
    if (best) return best.code;
  }
  return null;
}

// The language the page speaks: the hash's `lang` when it is one of `codes`, else the browser's,
// else the first code (English).
export function chosen(fromHash, browser, codes) {
  if (fromHash && codes.includes(fromHash)) return fromHash;
  return matchLanguage(browser, codes) ?? codes[0];
}

// The hash's `lang=` when it is one of `codes`, as web/state.js's parseView reads it (percent-decoded;
// of several, the last known one), else "".
export function langInHash(hash, codes) {
  let found = "";
  for (const part of String(hash ?? "").replace(/^#/, "").split("&")) {
    if (!part.startsWith("lang=")) continue;
    let value = part.slice("lang=".length);
    try {
      value = decodeURIComponent(value);
    } catch {
      // left as it is, as state.js leaves it
    }
    if (codes.includes(value)) found = value;
  }
  return found;
}

const DIRECTIONS = ["ltr", "rtl"];

function isText(value, maxChars) {
  return typeof value === "string" && value.length <= maxChars;
}

// The catalogue in `text` (what build.py compiles), or an Error saying what is wrong with it: a JSON
// object of `lang` (= code), `dir`, `plural` (a CLDR category → a form's index), `plural_expr`
// (gettext's plural expression, which Python's pynn.page.text reads), `decimal`, `group` and
// `messages` (id → text, or a plural's list of texts: the page's and Python's).
export function readCatalogue(text, code, maxBytes) {
  if (typeof text !== "string" || text.length > maxBytes) return new Error(`larger than ${maxBytes} bytes`);
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Error(`not JSON: ${error.message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return new Error("not a JSON object");
  if (value.lang !== code) return new Error(`of the language ${JSON.stringify(String(value.lang).slice(0, 20))}, not ${code}`);
  if (!DIRECTIONS.includes(value.dir)) return new Error("dir is neither ltr nor rtl");
  if (!isText(value.decimal, 4) || !isText(value.group, 4)) return new Error("decimal and group are not short texts");
  const plural = value.plural;
  if (!plural || typeof plural !== "object" || !Object.values(plural).every((index) => Number.isInteger(index) && index >= 0 && index < 8)) {
    return new Error("plural is not an object of form indexes");
  }
  if (!isText(value.plural_expr, 300)) return new Error("plural_expr is not a short text");
  const messages = value.messages;
  if (!messages || typeof messages !== "object" || Array.isArray(messages)) return new Error("messages is not an object");
  for (const [id, message] of Object.entries(messages)) {
    const forms = Array.isArray(message) ? message : [message];
    if (!forms.length || forms.length > 8 || !forms.every((form) => isText(form, 20_000))) return new Error(`${id} is not a text`);
  }
  return {
    lang: code, dir: value.dir, plural: { ...plural }, plural_expr: value.plural_expr, decimal: value.decimal, group: value.group,
    messages: { ...messages },
  };
}

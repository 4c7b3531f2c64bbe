// An assignment link's keys (#assign=Backprop%20homework&exercises=forward,gradients&solutions=off
// &equations=ask&panels=plane,exercises&lessons=init): parsed and written over the table that
// pynn/page/settings.py declares (ASSIGNMENT; build.py writes it into dist/settings.js), with the
// same rules as settings.parse_assignment / assignment_hash (tests/js/assignment.test.mjs holds the
// two equal). Pure: no DOM; the hash is only ever read as data.

const QUOTED = 40; // characters of a bad value quoted back in a note

function quote(text) {
  return JSON.stringify(text.length > QUOTED ? `${text.slice(0, QUOTED - 1)}…` : text);
}

// table: dist/settings.js's object; uses table.assignment = { key: { kind, default, choices, max_chars } }.
export function makeAssignment(table) {
  const KEYS = table.assignment;
  const NAMES = Object.keys(KEYS);

  function defaults() {
    return Object.fromEntries(NAMES.map((name) => [name, structuredClone(KEYS[name].default)]));
  }

  // { assignment: { assign, exercises, solutions, equations, panels, lessons, given }, notes }: every key
  // (its default where the hash gives none or a bad value), `given` the keys the hash named, and
  // one note per value ignored, but for the keys in `toldElsewhere` (another reader of the hash
  // notes them: the view's, web/state.js).
  function parse(hash, { toldElsewhere = [] } = {}) {
    const values = new Map();
    const notes = [];
    for (const part of String(hash ?? "").replace(/^#/, "").split("&")) {
      const eq = part.indexOf("=");
      const key = eq < 0 ? part : part.slice(0, eq);
      if (!Object.hasOwn(KEYS, key)) continue;
      try {
        values.set(key, eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " ")));
      } catch {
        notes.push([key, `${key}: ignored, it is not valid URL encoding`]);
      }
    }
    const assignment = defaults();
    for (const [name, raw] of values) {
      const key = KEYS[name];
      const text = raw.trim();
      if (key.kind === "text") {
        if ([...text].length > key.max_chars) notes.push([name, `${name}: ignored, the title is longer than ${key.max_chars} characters`]);
        else if ([...text].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) notes.push([name, `${name}: ignored, the title holds control characters`]);
        else assignment[name] = text;
      } else if (key.kind === "choice") {
        if (key.choices.includes(text)) assignment[name] = text;
        else notes.push([name, `${name}: ignored ${quote(text)}; known: ${key.choices.join(", ")}; using ${key.default}`]);
      } else {
        let chosen = [];
        for (const item of text.split(",").map((each) => each.trim())) {
          if (item === "" || chosen.includes(item)) continue;
          if (key.choices.includes(item)) chosen.push(item);
          else notes.push([name, `${name}: ignored unknown ${quote(item)}; known: ${key.choices.join(", ")}`]);
        }
        if (name === "panels") chosen = key.choices.filter((item) => chosen.includes(item));
        if (chosen.length || !key.default.length) assignment[name] = chosen; // lessons: none by default
        else notes.push([name, `${name}: none of the known names given; using all: ${key.default.join(", ")}`]);
      }
    }
    assignment.given = NAMES.filter((name) => values.has(name));
    return { assignment, notes: notes.filter(([key]) => !toldElsewhere.includes(key)).map(([, text]) => text) };
  }

  // The hash part (no "#") of an assignment: every key in the table's order (a quiet one, e.g. lessons or an
  // empty title, only when it is not its default), the title percent-encoded, lists joined with commas.
  function serialise(assignment) {
    return NAMES.flatMap((name) => {
      const value = assignment[name] ?? KEYS[name].default;
      if (KEYS[name].quiet && JSON.stringify(value) === JSON.stringify(KEYS[name].default)) return [];
      return [`${name}=${KEYS[name].kind === "list" ? value.join(",") : encodeURIComponent(String(value))}`];
    }).join("&");
  }

  return Object.freeze({ KEYS, NAMES, defaults, parse, serialise });
}

// Sharing the setup: "Copy link" copies the page's address with every setting, and, for your own
// points, the points themselves when they are few (`xy=x1,x2,label;…`, at most MAX_LINK_POINTS,
// 3 decimals each); more than that and the link says `xy=missing-N`, so whoever opens it is told.
// A link's points are loaded like an uploaded CSV: split into training and test by split and seed.

export const MAX_LINK_POINTS = 200;

// The `xy` value for the points (x as pairs x1,x2 interleaved, y the labels).
export function encodePoints(xy, y) {
  if (y.length > MAX_LINK_POINTS) return `missing-${y.length}`;
  const items = [];
  for (let i = 0; i < y.length; i++) {
    const a = Number(xy[2 * i].toFixed(3));
    const b = Number(xy[2 * i + 1].toFixed(3));
    items.push(`${a},${b},${y[i]}`);
  }
  return items.join(";");
}

// { csv } with the points as pynn.page.csvdata text, { missing: N }, or { error } for a bad value.
export function decodePoints(text) {
  const missing = /^missing-(\d+)$/.exec(text);
  if (missing) return { missing: Number(missing[1]) };
  const rows = text.split(";").filter((item) => item !== "");
  if (rows.length === 0) return { error: "the link's xy= holds no points" };
  if (rows.length > MAX_LINK_POINTS) return { error: `the link's xy= holds more than ${MAX_LINK_POINTS} points` };
  for (const row of rows) {
    if (!/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,\d$/.test(row)) return { error: `the link's xy= has a bad point ${JSON.stringify(row.slice(0, 30))}` };
  }
  return { csv: `x1,x2,label\n${rows.join("\n")}\n` };
}

export function linkPoints(hash) {
  for (const part of String(hash ?? "").replace(/^#/, "").split("&")) {
    if (part.startsWith("xy=")) {
      try {
        return decodeURIComponent(part.slice(3));
      } catch {
        return "";
      }
    }
  }
  return null;
}

export class Share {
  // page: { call, took, showMessages, settings(), view(), serialise(settings, view), table }
  constructor({ button, status, page }) {
    this.button = button;
    this.status = status;
    this.page = page;
    this.points = null;
    this.pending = linkPoints(location.hash); // read before main.js rewrites the hash
    window.addEventListener("hashchange", () => {
      this.pending = linkPoints(location.hash);
    });
    button.addEventListener("click", () => this.copy());
  }

  link() {
    const settings = this.page.settings();
    let hash = this.page.serialise(settings, this.page.view());
    let note = "";
    if (this.page.table.kinds[settings.dataset].yours && this.points) {
      const { trainXy, trainY, testXy, testY } = this.points;
      const xy = [...trainXy, ...testXy];
      const y = [...trainY, ...testY];
      hash += `&xy=${encodePoints(xy, y)}`;
      note = y.length > MAX_LINK_POINTS // encodePoints then writes only their number
        ? ` — without your ${y.length} points (a link holds at most ${MAX_LINK_POINTS}; share them as a CSV)`
        : ` with your ${y.length} points`;
    }
    return { url: `${location.origin}${location.pathname}#${hash}`, note };
  }

  async copy() {
    const { url, note } = this.link();
    this.button.dataset.link = url;
    try {
      await navigator.clipboard.writeText(url);
      this.say(`Link copied${note}.`);
    } catch {
      this.say(`Copy this link${note}: ${url}`);
    }
  }

  say(text) {
    this.status.textContent = text;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.status.textContent = ""), 6000);
  }

  update(message) {
    if (message.train_xy !== undefined) {
      this.points = { trainXy: message.train_xy, trainY: message.train_y, testXy: message.test_xy, testY: message.test_y };
    }
    if (message.type !== "configured" || this.pending === null) return;
    const text = this.pending;
    this.pending = null;
    if (!this.page.table.kinds[message.dataset].yours) return;
    const points = decodePoints(text);
    if (points.missing !== undefined) {
      this.page.showMessages([
        `This link was made with ${points.missing} points of your own: more than a link holds (${MAX_LINK_POINTS}), so they are not in it. Load them with Upload CSV, or click on the plane to add points.`,
      ]);
      return;
    }
    if (points.error) {
      this.page.showMessages([`${points.error}; the plane starts empty.`], "error");
      return;
    }
    this.page
      .call("load_csv", { text: points.csv })
      .then((result) => this.page.took(result))
      .catch((error) => {
        if (error.kind !== "stopped") this.page.showMessages([`Could not load the link's points: ${error.message}`], "error");
      });
  }
}

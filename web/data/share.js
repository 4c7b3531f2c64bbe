// Sharing the setup: "Copy link" copies the page's address with every setting, and, for your own
// points, the points themselves when they are few (`xy=x1,x2,label;…`, at most MAX_LINK_POINTS,
// 3 decimals each); more than that and the link says `xy=missing-N`, so whoever opens it is told.
// A link's points are loaded like an uploaded CSV: split into training and test by split and seed.

import { t, tn } from "../lang/text.js";

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
  if (rows.length === 0) return { error: t("data.share.no-points") };
  if (rows.length > MAX_LINK_POINTS) return { error: t("data.share.too-many", { max: MAX_LINK_POINTS }) };
  for (const row of rows) {
    if (!/^-?\d+(\.\d+)?,-?\d+(\.\d+)?,\d$/.test(row)) return { error: t("data.share.bad-point", { point: JSON.stringify(row.slice(0, 30)) }) };
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
    let points = null; // what the link says of your own points: { n, kept }
    if (this.page.table.kinds[settings.dataset].yours && this.points) {
      const { trainXy, trainY, testXy, testY } = this.points;
      const xy = [...trainXy, ...testXy];
      const y = [...trainY, ...testY];
      hash += `&xy=${encodePoints(xy, y)}`;
      points = { n: y.length, kept: y.length <= MAX_LINK_POINTS }; // encodePoints writes only the number of more
    }
    return { url: `${location.origin}${location.pathname}#${hash}`, points };
  }

  async copy() {
    const { url, points } = this.link();
    this.button.dataset.link = url;
    const said = (copied) => {
      const id = !points ? (copied ? "data.share.copied" : "data.share.copy")
        : points.kept ? (copied ? "data.share.copied.points" : "data.share.copy.points")
          : copied ? "data.share.copied.without" : "data.share.copy.without";
      return points ? tn(id, points.n, { url, max: MAX_LINK_POINTS }) : t(id, { url });
    };
    try {
      await navigator.clipboard.writeText(url);
      this.say(said(true));
    } catch {
      this.say(said(false));
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
        t("data.share.missing", { n: points.missing, max: MAX_LINK_POINTS }),
      ]);
      return;
    }
    if (points.error) {
      this.page.showMessages([t("data.share.bad-link", { problem: points.error })], "error");
      return;
    }
    this.page
      .call("load_csv", { text: points.csv })
      .then((result) => this.page.took(result))
      .catch((error) => {
        if (error.kind !== "stopped") this.page.showMessages([t("data.share.load-failed", { reason: error.message })], "error");
      });
  }
}

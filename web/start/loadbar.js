// The start-up download as a bar: MB loaded of MB total, shown only while files arrive (a
// returning visit, served from this browser's cache, never shows it). Its row keeps its space
// from the first paint on ("idle": invisible), so the header never moves when it comes or goes.
import { number, t } from "../lang/text.js";

const bar = document.getElementById("load-progress");
const label = document.getElementById("load-label");

const mb = (bytes) => number(bytes / 1e6, 1);

export function showBytes({ loaded, total }) {
  const done = loaded >= total;
  bar.max = total;
  bar.value = loaded;
  label.textContent = t("start.bytes", { loaded: mb(loaded), total: mb(total) });
  bar.parentElement.classList.toggle("idle", done);
}

export function hideBytes() {
  bar.parentElement.classList.add("idle");
}

// Registers sw.js (this build's files kept for offline visits) once the page is Ready, so it
// never competes with the start-up for the link, and says when a new version is in.
import TABLE from "../settings.js";

export function keepForOffline({ notice, reload }) {
  const workers = navigator.serviceWorker;
  if (!workers) return;
  // The page was controlled by an older build's worker: a newer one waits to take over.
  const offer = (registration) => {
    if (!registration.waiting || !workers.controller) return;
    notice.hidden = false;
    reload.onclick = () => registration.waiting?.postMessage(TABLE.take_over);
  };
  let reloading = false;
  workers.addEventListener("controllerchange", () => {
    if (!reloading && !notice.hidden) {
      reloading = true;
      location.reload();
    }
  });
  // What the page loaded before this worker first controlled it (the derivation, KaTeX: loaded
  // soon after Ready) never passed through it, so it was not kept for offline use: asked for again
  // once it takes over, through it (from the HTTP cache: nothing moves twice).
  if (!workers.controller) workers.addEventListener("controllerchange", () => fetchAgain(usedFirstUseFiles()), { once: true });
  workers
    .register("sw.js")
    .then((registration) => {
      offer(registration);
      registration.addEventListener("updatefound", () => {
        registration.installing?.addEventListener("statechange", () => offer(registration));
      });
    })
    .catch(() => {
      // No offline copy (a browser setting, a private window): the page works as before.
    });
}

// The files of TABLE.on_first_use (paths in dist/) this page has loaded, as URLs.
export function usedFirstUseFiles(base = new URL("../", import.meta.url).href, entries = performance.getEntriesByType("resource")) {
  const used = entries.map((entry) => entry.name.split("#")[0]).filter((url) => url.startsWith(base)
    && TABLE.on_first_use.some((prefix) => url.slice(base.length).startsWith(prefix)));
  return [...new Set(used)];
}

function fetchAgain(urls) {
  for (const url of urls) fetch(url, { cache: "force-cache" }).catch(() => {}); // offline meanwhile: kept at the next use
}

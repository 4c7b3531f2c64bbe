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

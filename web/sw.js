// The service worker: this build's files, kept in one cache named by the build, so the page
// loads again without the network and a returning visit reads nothing from it.
//
// A new build is a new sw.js (build.py writes its id below). The browser installs it beside the
// running one; it fetches the new build's files, each checked against the new manifest.json's
// sha256 (a file of any other build fails the install, tried again at the next visit), and
// waits. The page then says a new version is in; its Reload button lets the new worker take
// over, which deletes every other build's cache. Until then the page runs the old build whole.
const BUILD = "dev";
// build.py writes here what this worker needs of the page table (pynn/page/settings.py), which a
// classic worker cannot import: { cache_prefix, take_over (the page's message: take over now), snapshot
// (the shipped snapshot's path), on_first_use }.
const TABLE = {};
const CACHE = `${TABLE.cache_prefix}${BUILD}`;
// The shipped snapshot is fetched only on fast links; the worker keeps its own copy in CACHE.
const LEFT_TO_THE_PAGE = new Set([self.location.pathname.split("/").pop(), TABLE.snapshot]);
// What the page loads only when a panel first needs it (TABLE.on_first_use: build.py's KATEX_DIR,
// the typeset maths): not fetched at install, which would add its bytes to every first visit, but
// kept here, checked against the manifest, once the page has used it.
const onFirstUse = (file) => TABLE.on_first_use.some((prefix) => file.startsWith(prefix));

async function sha256(response) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer()));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function install() {
  // The listing the page's visit just read, if it is this build's; else the network's.
  let listing = await fetch("manifest.json", { cache: "force-cache" }).catch(() => null);
  let manifest = listing?.ok ? await listing.clone().json().catch(() => null) : null;
  if (manifest?.build !== BUILD) {
    listing = await fetch("manifest.json", { cache: "no-cache" });
    manifest = await listing.clone().json();
  }
  if (manifest.build !== BUILD) throw new Error(`manifest.json is of build ${manifest.build}, not ${BUILD}`);
  // A file that travels packed (manifest.packed, web/start/packed.js): its packed copy is kept here,
  // and the page's worker keeps the file itself, unpacked, once it has it.
  const unpackedByThePage = (file) => Object.hasOwn(manifest.packed ?? {}, file);
  const files = Object.keys(manifest.files).filter((file) => !LEFT_TO_THE_PAGE.has(file) && !onFirstUse(file) && !unpackedByThePage(file));
  // Each file from the browser's HTTP cache if the page's visit left it there (no download: the
  // first visit then costs its bytes once, not twice), else, or if that copy is of another build,
  // from the network.
  const responses = await Promise.all(
    files.map(async (file) => {
      const expected = manifest.files[file].sha256;
      // The page itself was fetched as "./" by the visit (its address), not as "index.html".
      for (const url of file === "index.html" ? ["./", file] : [file]) {
        const cached = await fetch(url, { cache: "force-cache" }).catch(() => null);
        if (cached?.ok && (await sha256(cached)) === expected) return [file, cached];
      }
      const response = await fetch(file, { cache: "no-cache" });
      if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
      if ((await sha256(response)) !== expected) throw new Error(`${file} is of another build`);
      return [file, response];
    }),
  );
  const cache = await caches.open(CACHE);
  const page = responses.find(([file]) => file === "index.html")[1];
  await Promise.all([
    cache.put("manifest.json", listing),
    cache.put("./", page.clone()),
    ...responses.map(([file, response]) => cache.put(file, response)),
  ]);
}

self.addEventListener("install", (event) => event.waitUntil(install()));

// Every other build's cache goes: when this worker takes over, and again at each page it serves
// (a page of the old build still open then may have written to its cache after the first sweep).
async function deleteOtherBuilds() {
  for (const name of await caches.keys()) {
    if (name.startsWith(TABLE.cache_prefix) && name !== CACHE) await caches.delete(name);
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      await deleteOtherBuilds();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === TABLE.take_over) self.skipWaiting();
});

// A file of TABLE.on_first_use as the network gave it, into this build's cache if it is this build's.
async function keepFirstUse(file, response) {
  if (!(await caches.has(CACHE))) return; // replaced by a newer build meanwhile: no cache made again
  const cache = await caches.open(CACHE);
  const manifest = await (await cache.match("manifest.json"))?.json();
  if (!manifest?.files[file] || manifest.files[file].sha256 !== (await sha256(response))) return;
  await cache.put(file, response);
  // KaTeX's folder (TABLE.kept_whole) is kept whole once used: an equation seen offline may need a
  // font no equation seen online did. A language's folder is not: each language is kept once used.
  // A filling cut short (the link lost meanwhile) is tried again at the folder's next use.
  const folder = TABLE.kept_whole.find((prefix) => file.startsWith(prefix));
  if (folder) {
    await (keepingFolder[folder] ??= keepFolder(cache, manifest, folder).then((whole) => {
      if (!whole) delete keepingFolder[folder];
    }));
  }
}

const keepingFolder = {}; // a folder's filling, once per worker while it succeeds

// Fetches and keeps each file of `folder` the cache lacks; true if all of them are kept.
async function keepFolder(cache, manifest, folder) {
  const missing = [];
  for (const other of Object.keys(manifest.files).filter((name) => name.startsWith(folder))) {
    if (!(await cache.match(other))) missing.push(other);
  }
  const kept = await Promise.all(missing.map(async (other) => {
    const fetched = await fetch(other).catch(() => null);
    if (!fetched?.ok || manifest.files[other].sha256 !== (await sha256(fetched.clone()))) return false;
    await cache.put(other, fetched);
    return true;
  }));
  return kept.every(Boolean);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  if (request.mode === "navigate") event.waitUntil(deleteOtherBuilds());
  event.respondWith(
    (async () => {
      // caches.match, not caches.open: a worker already replaced must not make its cache again.
      const kept = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === "navigate" });
      if (kept) return kept;
      const fetched = await fetch(request);
      const file = request.url.slice(self.registration.scope.length);
      if (fetched.ok && onFirstUse(file)) event.waitUntil(keepFirstUse(file, fetched.clone()));
      return fetched;
    })(),
  );
});

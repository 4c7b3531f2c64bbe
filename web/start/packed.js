// The big files of a first visit — Pyodide's wasm and standard library, numpy's and pynn's wheels —
// travel packed with Zstandard: beside each, build.py writes FILE.zst (manifest.json's `packed`
// maps one to the other; the zips are stored, so that one stream spans all of their files). Against
// a host's gzip that is 6.45 → 4.79 MB, and no host has to be set up for it: a .zst is sent as it
// is, and unpacked here as it arrives (fzstd, dist/vendor/fzstd.js), so the wasm still compiles
// while it downloads. What the page asks for keeps its name: `fetchBuildFile` answers for FILE.
//
// Once unpacked, the files are kept in the build's cache under their own names (`keepUnpacked`):
// a returning visit, an offline one and the sandbox read them there, as they are, and the service
// worker does not fetch them (web/sw.js): a visit moves each file's bytes once.

// The decoder, loaded when a packed file is first unpacked (build.py bundles it into the worker).
const decoder = () => import("../vendor/fzstd.js");

const TYPES = { wasm: "application/wasm", zip: "application/zip", whl: "application/zip" };

// The packed copy of the build's `file` (a path in dist/), or undefined.
export function packedName(manifest, file) {
  return manifest.packed?.[file];
}

function typeOf(file) {
  return TYPES[file.split(".").pop()] ?? "application/octet-stream";
}

function base64(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((byte) => parseInt(byte, 16))));
}

// Subresource integrity of the build's `file`, from the manifest's sha256.
export function integrity(manifest, file) {
  return `sha256-${base64(manifest.files[file].sha256)}`;
}

// The response of a packed file, unpacked as its body arrives: the file's own bytes, a Response
// of the file's type (Pyodide compiles a wasm response while it streams). With `sha256` (hex) the
// packed bytes are checked against it at their end: a body that is not the build's fails there.
// `received(bytes)` is told the packed bytes in so far as they come, and Infinity at their end.
export async function unpacked(response, file, { sha256 = null, received = () => {} } = {}) {
  const { Decompress } = await decoder();
  let decompress;
  let count = 0;
  const chunks = [];
  const body = response.body.pipeThrough(
    new TransformStream({
      start(controller) {
        decompress = new Decompress((chunk) => controller.enqueue(chunk));
      },
      transform(chunk) {
        count += chunk.byteLength;
        received(count);
        if (sha256) chunks.push(chunk);
        decompress.push(chunk);
      },
      async flush() {
        received(Infinity);
        if (sha256 && (await hexDigest(chunks)) !== sha256) throw new Error(`${file}: not this build's bytes (sha256)`);
        decompress.push(new Uint8Array(0), true);
      },
    }),
  );
  return new Response(body, { status: 200, headers: { "Content-Type": typeOf(file) } });
}

async function hexDigest(chunks) {
  const digest = await crypto.subtle.digest("SHA-256", await new Blob(chunks).arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The build's `file` (a path in dist/) as a Response: the copy kept in `cache` (the build's cache
// name) if there is one, else its packed copy fetched (with `fetcher`) and unpacked, else the
// file itself. Checked against the manifest's hash unless `streamed`: a packed file here, as it is
// unpacked (where this worker has crypto.subtle: a secure context), so that its bytes are read as
// they come (`received`, see unpacked: it tells when a download nears its end); any other file by
// subresource integrity, where the browser holds the body back until it has all of it (the runtime's
// files, which Pyodide reads as they arrive, are not checked).
// `ahead`: a promise of the packed copy's response, asked for already (by the page:
// web/start/pagefetch.js), used in place of a fetch where it needs no subresource integrity.
export async function fetchBuildFile(manifest, file, { cache = null, fetcher = fetch, streamed = false, received = () => {}, ahead = null } = {}) {
  const url = new URL(file, manifest.base);
  if (cache && typeof caches !== "undefined") {
    const kept = await caches.match(url, { cacheName: cache }).catch(() => undefined);
    if (kept) return received(Infinity), kept;
  }
  const packed = packedName(manifest, file);
  const checked = (name) => (streamed ? {} : { integrity: integrity(manifest, name) });
  if (!packed) return fetcher(url, checked(file)).finally(() => received(Infinity));
  const selfChecked = !streamed && typeof crypto !== "undefined" && Boolean(crypto.subtle);
  const asked = ahead && (streamed || selfChecked) ? ahead : fetcher(new URL(packed, manifest.base), selfChecked ? {} : checked(packed));
  const response = await asked.catch((error) => {
    received(Infinity);
    throw error;
  });
  if (!response.ok || !response.body) return received(Infinity), response;
  return unpacked(response, file, { sha256: selfChecked ? manifest.files[packed].sha256 : null, received });
}

// Keeps each unpacked file of `files` (path in dist/ → a promise of its bytes as a Blob) in the
// build's cache under its own name; true once all are stored.
export async function keepUnpacked(manifest, cacheName, files) {
  if (typeof caches === "undefined") return "no Cache Storage";
  let file = null;
  try {
    const cache = await caches.open(cacheName);
    for (const [path, blob] of files) {
      file = path;
      await cache.put(new URL(path, manifest.base), new Response(await blob, { headers: { "Content-Type": typeOf(path) } }));
    }
    return null;
  } catch (error) {
    return `${file ?? "the cache"}: ${error?.name ?? ""} ${error?.message ?? error}`.slice(0, 300);
  }
}

// The response with a copy of its body collected on the way (for keepUnpacked): [the response to
// read, a promise of the body as a Blob].
export function withCopy(response) {
  if (!response.body) return [response, response.blob()];
  const [read, kept] = response.body.tee();
  const { status, statusText, headers } = response;
  return [new Response(read, { status, statusText, headers }), new Response(kept).blob()];
}

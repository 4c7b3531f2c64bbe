// Where the returning visit's snapshot (web/start/libsnapshot.js) is kept: in the origin's private
// file system (OPFS), as two files of a folder of its own:
//
//   pynn-kept/snapshot     the kept snapshot, as libsnapshot.pack lays it out (35-odd MB)
//   pynn-kept/about.json   {build (the build's cache name), memoryBytes, regions, size}: written
//                          last, so a snapshot without it (cut short, being written) is never read
//
// A returning visit reads it with a synchronous access handle, straight from the file into the
// regions' buffers (the memory's pages into Python's memory), without the browser's storage
// process passing 35 MB on: tens of ms, where Cache Storage took 0.4-0.6 s under load in traces of
// Chromium (bench/RESULTS.md). Where the file system or its synchronous handles are missing
// (WebKitGTK 2.50, an old browser) or refused (private mode), the caller keeps the snapshot in
// Cache Storage instead (web/start/startup.js).

import { blobSource } from "./libsnapshot.js";

const FOLDER = "pynn-kept";
const SNAPSHOT = "snapshot";
const ABOUT = "about.json";
const WRITE_SLICE = 1 << 22; // bytes read from the Blob and written at a time

function mark(step) {
  performance.mark(`pynn:${step}`);
}

// Whether this context has the private file system at all (a page's thread may read it as Blobs).
function hasFiles() {
  return typeof navigator !== "undefined" && typeof navigator.storage?.getDirectory === "function";
}

// Whether this context can read and write the kept files (a dedicated worker of a browser with OPFS).
export function available() {
  return hasFiles() && typeof FileSystemSyncAccessHandle !== "undefined";
}

async function folder(create = false) {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(FOLDER, { create });
}

// about.json of the kept snapshot in `dir`, parsed.
async function aboutIn(dir) {
  return JSON.parse(await (await (await dir.getFileHandle(ABOUT)).getFile()).text());
}

// Whether `about` (about.json) tells of a whole snapshot of build `build` (a cache name) in a file
// of `size` bytes: another build's, or one cut short, is not read.
export function isWhole(about, size, build) {
  return about?.build === build && about.memoryBytes > 0 && size === about.size;
}

// Opens the kept snapshot at once (before the build's manifest is in, which says whether it is
// this build's): a promise of {about, source, close()} or null (none kept, or none readable).
// `source` is libsnapshot.readFrom's: a handle's synchronous reads (the memory's pages then go
// straight into Python's memory; the handle is closed once they are in), or, where another
// context holds the file's handle, a Blob's.
export async function open() {
  if (!available()) return null;
  try {
    const dir = await folder();
    const [about, file] = await Promise.all([aboutIn(dir), dir.getFileHandle(SNAPSHOT)]);
    mark("kept opened");
    let handle;
    try {
      handle = await file.createSyncAccessHandle();
    } catch {
      const blob = await file.getFile(); // held by another tab's worker: read it as a Blob
      return { about, source: blobSource(blob), close() {} };
    }
    let open = true;
    const into = (view, at) => {
      const read = handle.read(view, { at });
      if (read !== view.byteLength) throw new Error(`${read} of ${view.byteLength} bytes read`);
    };
    const close = () => {
      if (open) handle.close();
      open = false;
    };
    const source = {
      size: handle.getSize(),
      read: async (start, end) => {
        const view = new Uint8Array(end - start);
        into(view, start);
        return view;
      },
      into,
      close,
    };
    return { about, source, close };
  } catch {
    return null; // none kept (NotFoundError), storage refused, about.json not JSON: start without
  }
}

// Keeps `blob` (the packed snapshot) with `about` ({build, memoryBytes, regions}; its size is
// added): the old about.json goes first, the snapshot is written, then the new about.json.
// Throws where it cannot (the caller says why).
export async function keep(blob, about) {
  const dir = await folder(true);
  await dir.removeEntry(ABOUT).catch(() => {});
  const write = async (name, from) => {
    const handle = await (await dir.getFileHandle(name, { create: true })).createSyncAccessHandle();
    try {
      handle.truncate(0);
      for (let at = 0; at < from.size; at += WRITE_SLICE) {
        const view = new Uint8Array(await from.slice(at, at + WRITE_SLICE).arrayBuffer());
        if (handle.write(view, { at }) !== view.length) throw new Error("the file system wrote less than asked");
      }
      handle.flush();
    } finally {
      handle.close();
    }
  };
  await write(SNAPSHOT, blob);
  await write(ABOUT, new Blob([JSON.stringify({ ...about, size: blob.size })]));
}

// The kept snapshot's bytes whole, if it is build `build`'s: {bytes (an ArrayBuffer), memoryBytes}
// or null. For the sandbox (web/start/sandbox.js), on the page's thread: read as a Blob.
export async function bytesOf(build) {
  if (!hasFiles()) return null;
  try {
    const dir = await folder();
    const about = await aboutIn(dir);
    const file = await (await dir.getFileHandle(SNAPSHOT)).getFile();
    if (!isWhole(about, file.size, build)) return null;
    return { bytes: await file.arrayBuffer(), memoryBytes: about.memoryBytes };
  } catch {
    return null;
  }
}

// Forgets the kept snapshot (it did not restore, or is another build's).
export async function drop() {
  if (!hasFiles()) return;
  const dir = await folder().catch(() => null);
  for (const name of [ABOUT, SNAPSHOT]) await dir?.removeEntry(name).catch(() => {});
}

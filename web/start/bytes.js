// The loading counter's figures: bytes on the wire of what this visit fetches (manifest.json's
// `wire` per file: gzipped where hosts gzip it), posted at most every 100 ms. A response's body
// arrives unpacked, so each chunk counts as its share of the file's bytes on the wire.
import { MESSAGE } from "./protocol.js";

export class Bytes {
  constructor(post, clock = () => performance.now()) {
    this.send = post;
    this.clock = clock;
    this.loaded = 0;
    this.total = 0;
    this.posted = -Infinity;
    this.manifest = null;
    this.runtimeFetched = () => {};
  }

  // What `visit` (web/start/startup.js's plan) fetches; a "local" visit fetches nothing to count.
  expect(manifest, visit) {
    this.manifest = manifest;
    this.total = visit.kind === "local" ? 0 : visit.fetches.reduce((sum, file) => sum + this.wire(file), 0);
    this.prefetched = visit.prefetched ?? new Map();
    this.runtimeFetched = visit.runtimeFetched ?? (() => {});
    this.loaded = 0;
    this.post(true);
  }

  // A file's bytes on the wire (its bytes where the manifest has no such figure); a file that
  // travels packed (web/start/packed.js), its packed copy's.
  wire(file) {
    const entry = this.manifest?.files[this.manifest.packed?.[file] ?? file];
    return entry?.wire ?? entry?.bytes ?? 0;
  }

  // `count` unpacked bytes of `file`, as bytes on the wire: their share of the file's.
  share(count, file = null) {
    const entry = file && this.manifest?.files[file];
    return entry?.bytes ? (count * this.wire(file)) / entry.bytes : count;
  }

  // `count` unpacked bytes of `file` arrived.
  add(count, file = null) {
    this.loaded += this.share(count, file);
    this.post(this.loaded >= this.total);
  }

  post(now) {
    if (!this.total || (!now && this.clock() - this.posted < 100)) return;
    this.posted = this.clock();
    this.send({ type: MESSAGE.bytes, loaded: Math.round(Math.min(this.loaded, this.total)), total: this.total });
  }

  // The manifest's name of the file at `url` (under the site's base), or null.
  fileOf(url) {
    const base = this.manifest?.base;
    return base && url.startsWith(base) ? url.slice(base.length) : null;
  }

  // The response with its body counted as it is read (a copy of its status and headers);
  // `arrived` is called once the whole body is in.
  counted(response, url, arrived = () => {}) {
    if (!this.total || !response.ok || !response.body || response.counted) {
      arrived();
      return response;
    }
    const file = this.fileOf(url);
    const counter = new TransformStream({
      transform: (chunk, controller) => {
        this.add(chunk.byteLength, file);
        controller.enqueue(chunk);
      },
      flush: () => arrived(),
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  }
}

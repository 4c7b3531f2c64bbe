// node --test tests/js/ — what each sandbox is started from (web/start/sandbox.js's copied): the files
// read once are kept for the next starts, and every sandbox gets its own copies to transfer, so
// none shares a byte with the page's kept files or with another sandbox.
import assert from "node:assert/strict";
import { test } from "node:test";

import { copied } from "../../web/start/sandbox.js";

function files(kept) {
  const wasm = new Uint8Array([1, 2, 3]).buffer;
  const zip = new Uint8Array([4, 5]).buffer;
  return {
    code: "code",
    files: { type: "files", indexURL: "x/", files: { "x/a.wasm": wasm, "x/b.zip": zip },
      kept: kept ? { bytes: new Uint8Array([9, 9]).buffer, memoryBytes: 7 } : null, snapshot: kept ? null : new Uint8Array([8]).buffer },
  };
}

test("each start gets its own copy of every buffer and transfers exactly those", () => {
  for (const kept of [true, false]) {
    const read = files(kept);
    const one = copied(read);
    const two = copied(read);
    const originals = [...Object.values(read.files.files), read.files.kept?.bytes, read.files.snapshot].filter(Boolean);
    assert.equal(one.transfer.length, originals.length);
    for (const buffer of one.transfer) {
      assert.ok(!originals.includes(buffer), "a kept buffer would be detached by the transfer");
      assert.ok(!two.transfer.includes(buffer), "two sandboxes would share a buffer");
    }
    assert.deepEqual(new Uint8Array(one.files.files["x/a.wasm"]), new Uint8Array([1, 2, 3]));
    assert.equal(one.files.kept?.memoryBytes, kept ? 7 : undefined);
    assert.equal(one.code, "code");
    assert.equal(one.files.type, "files");
    const structured = structuredClone(one.files, { transfer: one.transfer }); // as postMessage does
    assert.equal(new Uint8Array(structured.files["x/b.zip"])[1], 5);
    assert.equal(read.files.files["x/b.zip"].byteLength, 2, "the kept files stay whole");
  }
});

// node --test tests/js/ — the loading counter (web/start/bytes.js): bytes on the wire, not unpacked.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Bytes } from "../../web/start/bytes.js";

const manifest = {
  base: "https://pynn.example/site/",
  pynn: { wheel: "pyodide/pynn.whl" },
  files: {
    "pyodide/pyodide.asm.wasm": { bytes: 10_000, wire: 3_000 }, // gzipped on the way
    "pyodide/pynn.whl": { bytes: 500, wire: 500 }, // a zip: sent as it is
    "pyodide/python_stdlib.zip": { bytes: 400 }, // an older manifest: no wire figure
  },
};
const visit = { kind: "made", fetches: Object.keys(manifest.files), early: 500 };

test("the total is the files' bytes on the wire, and an unpacked chunk counts as its share of them", async () => {
  const posted = [];
  let now = 0;
  const bytes = new Bytes((message) => posted.push(message), () => now);
  bytes.expect(manifest, visit);
  assert.deepEqual(posted.at(-1), { type: "bytes", loaded: 500, total: 3_900 });
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(new Uint8Array(5_000));
      controller.enqueue(new Uint8Array(5_000));
      controller.close();
    },
  });
  let arrived = false;
  now = 1000;
  const counted = bytes.counted(new Response(body), "https://pynn.example/site/pyodide/pyodide.asm.wasm", () => (arrived = true));
  assert.equal((await counted.arrayBuffer()).byteLength, 10_000, "the body goes through whole");
  assert.equal(arrived, true);
  assert.equal(bytes.loaded, 3_500);
  bytes.add(400, "pyodide/python_stdlib.zip");
  assert.deepEqual(posted.at(-1), { type: "bytes", loaded: 3_900, total: 3_900 });
});

test("posts at most every 100 ms until everything is in, and nothing on a visit that fetches nothing", () => {
  const posted = [];
  let now = 0;
  const bytes = new Bytes((message) => posted.push(message), () => now);
  bytes.expect(manifest, visit);
  bytes.add(1_000, "pyodide/pyodide.asm.wasm");
  assert.equal(posted.length, 1);
  now = 150;
  bytes.add(1_000, "pyodide/pyodide.asm.wasm");
  assert.equal(posted.length, 2);
  const local = new Bytes((message) => posted.push(message));
  local.expect(manifest, { kind: "local", fetches: [] });
  local.add(10);
  assert.equal(posted.length, 2);
});

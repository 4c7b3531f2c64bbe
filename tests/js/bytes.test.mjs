// node --test tests/js/ — the loading counter (web/start/bytes.js): bytes on the wire, not unpacked.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Bytes } from "../../web/start/bytes.js";

const manifest = {
  base: "https://pynn.example/site/",
  pynn: { wheel: "pyodide/pynn.whl" },
  files: {
    "pyodide/pyodide.asm.wasm": { bytes: 10_000, wire: 3_000 }, // gzipped on the way
    "pyodide/pynn.whl": { bytes: 500, wire: 500 }, // travels packed (below): its wire figure is not the one
    "pyodide/pynn.whl.zst": { bytes: 200, wire: 200 }, // sent as it is
    "pyodide/python_stdlib.zip": { bytes: 400 }, // an older manifest: no wire figure
  },
  packed: { "pyodide/pynn.whl": "pyodide/pynn.whl.zst" },
};
const visit = { kind: "made", fetches: ["pyodide/pyodide.asm.wasm", "pyodide/pynn.whl", "pyodide/python_stdlib.zip"] };

test("the total is the files' bytes on the wire, and an unpacked chunk counts as its share of them", async () => {
  const posted = [];
  let now = 0;
  const bytes = new Bytes((message) => posted.push(message), () => now);
  bytes.expect(manifest, visit);
  assert.deepEqual(posted.at(-1), { type: "bytes", loaded: 0, total: 3_600 });
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
  assert.equal(bytes.loaded, 3_000);
  bytes.add(500, "pyodide/pynn.whl"); // unpacked: its packed copy's 200 bytes came
  assert.equal(bytes.loaded, 3_200);
  bytes.add(400, "pyodide/python_stdlib.zip");
  assert.deepEqual(posted.at(-1), { type: "bytes", loaded: 3_600, total: 3_600 });
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

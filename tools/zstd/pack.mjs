// Packs files with Zstandard for build.py: node pack.mjs LEVEL IN OUT [IN OUT ...]. Each OUT is
// one frame holding IN whole (its size in the frame header), made by the reference encoder
// (@bokuweb/zstd-wasm, pinned in package.json); the page unpacks it with fzstd (fzstd.mjs).
import { readFileSync, writeFileSync } from "node:fs";
import { compress, init } from "@bokuweb/zstd-wasm";

const [level, ...pairs] = process.argv.slice(2);
if (!level || pairs.length === 0 || pairs.length % 2) {
  console.error("usage: node pack.mjs LEVEL IN OUT [IN OUT ...]");
  process.exit(2);
}
await init();
for (let index = 0; index < pairs.length; index += 2) {
  writeFileSync(pairs[index + 1], compress(readFileSync(pairs[index]), Number(level)));
}

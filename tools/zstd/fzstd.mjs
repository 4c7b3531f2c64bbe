// What web/start/packed.js uses of fzstd (Arjun Barrett, MIT): Zstandard's decoder in plain
// JavaScript, streaming. build.py bundles this file with esbuild into dist/vendor/fzstd.js (the
// package and its version: tools/zstd/package.json).
export { Decompress } from "fzstd";

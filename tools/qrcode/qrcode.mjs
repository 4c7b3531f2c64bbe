// What web/classroom/teacher.js uses of qrcode-generator (Kazuhiko Arase, MIT): the QR code of an assignment
// link, drawn by the page. build.py bundles this file with esbuild into dist/vendor/qrcode.js
// (the package and its version: tools/qrcode/package.json).
export { qrcode } from "qrcode-generator";

// Files in and out of the page: a download made from text or a Blob, and a chosen file's text read
// only after its size is checked. Nothing here understands a file's content: pynn does.

import { t, tn } from "../lang/text.js";

// A problem with a file's size, as a sentence, or null when it may be read.
export function sizeProblem(file, maxBytes) {
  if (file.size > maxBytes) {
    return t("data.file.too-big", { file: file.name, size: formatBytes(file.size), limit: formatBytes(maxBytes) });
  }
  if (file.size === 0) return t("data.file.empty", { file: file.name });
  return null;
}

export function formatBytes(bytes) {
  if (bytes >= 1e6) return t("data.bytes.mb", { size: Number((bytes / 1e6).toPrecision(3)) });
  if (bytes >= 1e3) return t("data.bytes.kb", { size: Number((bytes / 1e3).toPrecision(3)) });
  return tn("data.bytes", bytes);
}

// The file's text, or an Error saying why it was not read.
export async function readText(file, maxBytes) {
  const problem = sizeProblem(file, maxBytes);
  if (problem) throw new Error(problem);
  return file.text();
}

// Offer `data` (text or a Blob) as a download named `name`.
export function download(name, data, type = "text/plain") {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

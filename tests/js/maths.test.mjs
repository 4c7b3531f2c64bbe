// node --test tests/js/ — web/inside/typeset.js without a DOM: the lazy loader imports once and tries again
// after a failure; renderMaths shows the text at once, names the element by it, and keeps it when
// KaTeX is missing or cannot read the TeX.
import assert from "node:assert/strict";
import { test } from "node:test";

import { katexOptions, once, renderMaths } from "../../web/inside/typeset.js";

class FakeElement {
  constructor() {
    this.textContent = "";
    this.attributes = {};
    this.classes = new Set();
    this.classList = { add: (name) => this.classes.add(name) };
  }
  setAttribute(name, value) {
    this.attributes[name] = String(value);
  }
}

test("the loader imports once however many equations ask, at the same time or later", async () => {
  let imports = 0;
  const load = once(async () => {
    imports += 1;
    return { render() {} };
  });
  const [a, b] = await Promise.all([load(), load()]);
  assert.equal(a, b);
  assert.equal(await load(), a);
  assert.equal(imports, 1);
});

test("a load that failed is tried again by the next equation", async () => {
  let imports = 0;
  const load = once(async () => {
    imports += 1;
    if (imports === 1) throw new Error("offline");
    return "katex";
  });
  await assert.rejects(load(), /offline/);
  assert.equal(await load(), "katex");
  assert.equal(await load(), "katex");
  assert.equal(imports, 2);
});

test("renderMaths typesets into the element with the text as its accessible name", async () => {
  const element = new FakeElement();
  const calls = [];
  const katex = {
    render(tex, target, options) {
      calls.push({ tex, options, textBefore: target.textContent });
      target.textContent = "typeset";
    },
  };
  const done = await renderMaths(element, "g_1 = h_1 - y", "g1 = h1 − y", { display: true, load: async () => katex });
  assert.equal(done, true);
  assert.equal(element.textContent, "typeset");
  assert.equal(element.attributes["aria-label"], "g1 = h1 − y");
  assert.equal(element.attributes.role, "img");
  assert.ok(element.classes.has("maths"));
  assert.deepEqual(calls, [{ tex: "g_1 = h_1 - y", options: katexOptions(true), textBefore: "g1 = h1 − y" }]);
});

test("without KaTeX, or with TeX it cannot read, the plain text stays", async () => {
  const offline = new FakeElement();
  assert.equal(await renderMaths(offline, "x", "x (D×1)", { load: async () => { throw new Error("offline"); } }), false);
  assert.equal(offline.textContent, "x (D×1)");
  const broken = new FakeElement();
  const katex = {
    render(_tex, target) {
      target.textContent = "half drawn";
      throw new Error("KaTeX parse error");
    },
  };
  assert.equal(await renderMaths(broken, "\\frac{", "a fraction", { load: async () => katex }), false);
  assert.equal(broken.textContent, "a fraction");
  assert.equal(broken.attributes["aria-label"], "a fraction");
});

test("KaTeX renders HTML only, throws on bad TeX and trusts no command", () => {
  assert.deepEqual(katexOptions(false), { displayMode: false, output: "html", throwOnError: true, trust: false });
});

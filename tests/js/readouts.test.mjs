import assert from "node:assert/strict";
import { test } from "node:test";

import { setLanguage } from "../../web/lang/text.js";
import { compactCount, fixedWidth } from "../../web/training/readouts.js";

test("counts up to 9,999 are exact, larger ones compact in at most 6 characters", () => {
  const cases = [[0, "0"], [7, "7"], [9999, "9,999"], [10000, "10.0k"], [48372, "48.4k"], [999949, "999.9k"],
    [999950, "1.00M"], [1234567, "1.23M"], [12345678, "12.3M"], [999999999, "1.00G"], [NaN, "–"]];
  for (const [n, text] of cases) assert.equal(compactCount(n), text, `${n}`);
  for (let n = 1e4; n < 1e10; n *= 1.37) assert.ok(compactCount(n).length <= 6, `${n} → ${compactCount(n)}`);
});

test("a metric keeps at most 6 characters, however large", () => {
  const cases = [[0.97741, "0.9774"], [9.99999, "10.000"], [12.86, "12.860"], [1234.56, "1234.6"],
    [99999.4, "99999"], [123456, "1.2e+5"], [Infinity, "–"]];
  for (const [value, text] of cases) assert.equal(fixedWidth(value), text, `${value}`);
  assert.equal(fixedWidth(0.9533, 3), "0.953");
  for (let v = 1e-3; v < 1e9; v *= 1.9) assert.ok(fixedWidth(v).length <= 6, `${v} → ${fixedWidth(v)}`);
});

test("the readouts are written as the page's language writes numbers, as wide as in English", () => {
  setLanguage({ lang: "es", dir: "ltr", messages: {} });
  try {
    assert.equal(fixedWidth(0.02654), "0,0265");
    assert.equal(fixedWidth(0.9533, 3), "0,953");
    assert.equal(fixedWidth(1234.56), "1234,6");
    assert.equal(fixedWidth(123456), "1,2e+5");
    assert.equal(compactCount(48372), "48,4k");
    assert.equal(compactCount(9999), "9999"); // Spanish groups from five digits
  } finally {
    setLanguage(null);
  }
});

// The readouts' text: a number keeps (nearly) the same number of characters whatever it grows to,
// so, with tabular figures, a readout never widens its box; written as the page's language writes numbers
// (0,0265 in Spanish). Pure (node --test).
import { number, numeral } from "../lang/text.js";

// A count in at most 6 characters: "9,999" up to 9,999, then "10.0k", "48.4k", "999.9k", "1.00M",
// "12.3M", "1.00G" (in English).
export function compactCount(n) {
  if (!Number.isFinite(n)) return "–";
  if (Math.abs(n) < 1e4) return number(Math.round(n));
  for (const [size, unit] of [[1e3, "k"], [1e6, "M"], [1e9, "G"]]) {
    const scaled = n / size;
    const text = scaled.toFixed(Math.abs(scaled) < 9.995 ? 2 : 1);
    if (Math.abs(Number(text)) < 1000) return `${numeral(text)}${unit}`;
  }
  return `${numeral((n / 1e9).toFixed(0))}G`;
}

// A metric in 6 characters (for digits = 4): "0.9774" below 10, then 5 significant figures
// ("12.860", "1234.6", "99999"), then an exponent ("1.2e+5").
export function fixedWidth(value, digits = 4) {
  if (!Number.isFinite(value)) return "–";
  const text = value.toFixed(digits);
  if (Math.abs(Number(text)) < 10) return numeral(text);
  if (Math.abs(value) < 99999.5) return numeral(value.toPrecision(5));
  return numeral(value.toExponential(1));
}

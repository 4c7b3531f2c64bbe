// node --test tests/js/ — the page's own texts come from the one lookup (web/lang/text.js): under a
// catalogue where every en.js text is marked ⟦…⟧, what the pure parts of the page say (the hash's
// messages, the speed, the summary, the settings' fold, file sizes, the sandbox check's reasons, the
// stepper's words, the points' picker, a link's points) is marked whole, and the numbers in it are
// written as the catalogue's language writes them.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import ENGLISH from "../../web/lang/en.js";
import { setLanguage, t } from "../../web/lang/text.js";
import { makeState } from "../../web/state.js";
import { paceLabel } from "../../web/training/speed.js";
import { summaryText } from "../../web/training/summary.js";
import { foldSummary } from "../../web/training/settingsfold.js";
import { formatBytes, sizeProblem } from "../../web/data/files.js";
import { pickerChoices } from "../../web/data/dataedit.js";
import { decodePoints } from "../../web/data/share.js";
import { checkMessage } from "../../web/start/messages.js";
import { FOCUS, caption, worked } from "../../web/inside/backprop.js";
import { NOTES } from "../../web/inside/sourcecode.js";
import { TABLE } from "./table.mjs";

const mark = (text) => `⟦${text}⟧`;
const MARKED = {
  lang: "de",
  dir: "ltr",
  plural: { zero: 1, one: 0, two: 1, few: 1, many: 1, other: 1 },
  messages: Object.fromEntries(Object.entries(ENGLISH).map(([id, text]) => [id, Array.isArray(text) ? text.map(mark) : mark(text)])),
};

afterEach(() => setLanguage(null));

// Said whole through the lookup: one marked text (others in it), or marked texts joined by what
// holds no words.
function said(text) {
  let outside = text;
  for (let inner = outside.replace(/⟦[^⟦⟧]*⟧/g, ""); inner !== outside; inner = outside.replace(/⟦[^⟦⟧]*⟧/g, "")) outside = inner;
  return text.includes("⟦") && !/[A-Za-z]{2}/.test(outside);
}

test("what the pure parts of the page say comes whole from the lookup", () => {
  setLanguage(MARKED);
  const { parseHash, parseView } = makeState(TABLE);
  const hash = parseHash("#lr=abc&volume=3&points=%zz&dataset=xor&classes=5").messages;
  const view = parseView("#tour=99&view=wide&hide=volume&exercise=nope&code=x").messages;
  assert.deepEqual([hash.length, view.length], [4, 5]); // one message for each bad part
  const texts = [
    ...hash,
    ...view,
    paceLabel(0),
    paceLabel(5),
    paceLabel(8),
    summaryText({ epoch: 3, train_accuracy: [0.5], test_accuracy: [], diverged: "the loss became infinite" }),
    foldSummary({ dataset: "spiral", classes: 3, hidden: 32, lr: 0.5, batch: 10 }),
    formatBytes(12),
    formatBytes(6_200_000),
    sizeProblem({ name: "big.json", size: 6_200_000 }, 5_000_000),
    ...pickerChoices(2).map((choice) => choice.label),
    decodePoints("").error,
    decodePoints("1,2").error,
    checkMessage(null),
    checkMessage({ type: "shout" }),
    checkMessage({ type: "result", id: 1, message: "x".repeat(100_001) }),
    caption(FOCUS.dW1),
    caption(FOCUS.update),
    t(NOTES.forward),
  ];
  const w = {
    D: 2, H: 2, C: 2, label: 1, predicted: 0, lr: 0.1, wd: 0,
    x: [0.5, -1], y: [0, 1], W0: [1, 2, 3, 4], b0: [0, 0], s0: [-1.5, 2.5], h0: [0, 2.5], mask: [0, 1],
    W1: [1, 1, 1, 1], s1: [0.2, 0.9], h1: [0.7, 0.3], loss: 1.2, g1: [0.7, -0.7], dW1: [0, 0.21, 0, -0.21],
    W1g1: [0, 0], g0: [0, 0.5], dW0: [0, 0, 0, 0], stepW1: [0, 0, 0, 0.021], stepW0: [0, 0, 0, 0], loss_next: 1.1,
  };
  for (const key of ["x", "h0", "h1", "mask", "update"]) texts.push(worked(key, w));
  texts.push(worked("x", { ...w, D: 64 }, [8, 8]), worked("update", { ...w, update_refused: "too large" }));
  for (const text of texts) assert.ok(said(text), `not said through the lookup: ${JSON.stringify(text)}`);
});

test("numbers in the page's texts are written as the catalogue's language writes them", () => {
  setLanguage(MARKED);
  assert.equal(paceLabel(7), "⟦1.000 updates/s⟧");
  assert.equal(formatBytes(6_200_000), "⟦6,2 MB⟧");
  // the epoch is written as its readout shows it (digits only), so the two say the same number
  assert.equal(summaryText({ epoch: 12000, train_accuracy: [0.90625], test_accuracy: [0.5] }),
    "⟦Epoch 12000: training accuracy ⟦90,6 %⟧, test accuracy ⟦50,0 %⟧.⟧");
});

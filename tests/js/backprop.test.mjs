// node --test tests/js/ — the pure parts of the network diagram and the backprop stepper.
import assert from "node:assert/strict";
import { test } from "node:test";

import { FOCUS, argmax, caption, focusFor, parseShape, short, stepFor, worked } from "../../web/inside/backprop.js";
import { NEGATIVE, POSITIVE, diverging, heatPixels, layout, maxAbs } from "../../web/inside/diagram.js";

test("diverging colours: white at 0, red for +, blue for −, saturated at the scale's maximum", () => {
  assert.deepEqual(diverging(0, 1), [255, 255, 255]);
  assert.deepEqual(diverging(2, 1), POSITIVE);
  assert.deepEqual(diverging(-1, 1), NEGATIVE);
  assert.deepEqual(diverging(0.5, 0), [255, 255, 255]); // an all-zero matrix stays white
  assert.deepEqual(diverging(Number.NaN, 1), [255, 255, 255]);
});

test("a heatmap's pixels follow the matrix row by row, or its transpose", () => {
  const m = [1, 0, 0, -1, 0, 0]; // 2×3: m[1][0] = −1
  const plain = heatPixels(m, 2, 3);
  assert.deepEqual([...plain.slice(0, 3)], POSITIVE);
  assert.deepEqual([...plain.slice(4 * 3, 4 * 3 + 3)], NEGATIVE); // row 1, column 0
  assert.deepEqual([...plain.slice(4 * 1, 4 * 1 + 3)], [255, 255, 255]);
  const turned = heatPixels(m, 2, 3, { transpose: true }); // 3×2: its [0][1] is m[1][0]
  assert.deepEqual([...turned.slice(4 * 1, 4 * 1 + 3)], NEGATIVE);
  assert.deepEqual([...turned.slice(4 * 3, 4 * 3 + 3)], [255, 255, 255]);
  assert.equal(maxAbs([0.5, -2, 1]), 2);
});

test("the layout puts inputs on top, the hidden units across the middle, the outputs below, inside the canvas", () => {
  const at = layout({ inputs: 2, hidden: 16, outputs: 3, width: 340, height: 260 });
  assert.equal(at.image, null);
  assert.equal(at.input.length, 2);
  assert.equal(at.hidden.length, 16);
  assert.ok(at.input[0].y < at.hidden[0].y && at.hidden[0].y < at.output[0].y);
  for (const p of [...at.input, ...at.output]) assert.ok(p.x > 0 && p.x < 340);
  assert.ok(at.hidden[0].x - at.hidden[0].size / 2 >= 0 && at.hidden[15].x + at.hidden[15].size / 2 <= 340);
  const digits = layout({ inputs: 64, hidden: 16, outputs: 10, width: 500, height: 300 });
  assert.ok(digits.image && digits.input.length === 0, "64 inputs are drawn as the 8×8 image");
});

test("every stage has its part of the diagram in focus, gradient stages colour the edges by their gradient", () => {
  const keys = ["x", "s0", "h0", "s1", "h1", "loss", "g1", "dW1", "W1g1", "mask", "g0", "dW0", "update"];
  assert.deepEqual(Object.keys(FOCUS), keys);
  const walk = { dW1: [1], dW0: [2], g1: [3], g0: [4], stepW0: [5], stepW1: [6] };
  assert.deepEqual(focusFor("dW1", walk).w1, [1]);
  assert.deepEqual(focusFor("dW0", walk).w0, [2]);
  assert.equal(focusFor("s0", walk).w0, null);
  assert.match(caption(FOCUS.dW1), /Edges coloured by ∂W1/);
});

test("numbers in the stepper: shapes, the most active unit, tiny values in two significant digits", () => {
  assert.deepEqual(parseShape("20×2"), { rows: 20, cols: 2 });
  assert.equal(argmax([0, 3, 1, 3]), 1);
  assert.equal(short(0.123), "0.12");
  assert.equal(short(-0.00021), "−2.1e−4");
  assert.equal(short(0), "0.00");
});

test("the worked line puts pynn's numbers into the stage's equation", () => {
  const w = {
    D: 2, H: 2, C: 2, label: 1, predicted: 1, lr: 0.1, wd: 0,
    x: [0.5, -1], y: [0, 1], W0: [1, 2, 3, 4], b0: [0, 0], s0: [-1.5, -2.5], h0: [0, 0.7], mask: [0, 1],
    W1: [1, 1, 1, 1], s1: [0.2, 0.9], h1: [0.3, 0.7], loss: 0.3567, g1: [0.3, -0.3], dW1: [0, 0.21, 0, -0.21],
    W1g1: [0, 0], g0: [0, 0], dW0: [0, 0, 0, 0], stepW1: [0, 0, 0, 0.021], stepW0: [0, 0, 0, 0], loss_next: 0.3,
  };
  assert.equal(worked("loss", w), "loss = −log h1[1] = −log 0.7000 = 0.3567");
  assert.equal(worked("dW1", w), "∂W1[1,1] = g1[1]·h0[1] = (−0.300)·(0.700) = −0.2100; ∂b1 = g1");
  assert.match(worked("update", w), /from 0\.3567 to 0\.3000/);
  // from g0 on, the unit with the largest gradient and the largest input; tiny numbers in e-notation
  const back = { ...w, g0: [2e-7, 0], dW0: [1e-7, -2e-7, 0, 0] };
  assert.equal(worked("dW0", back), "∂W0[0,1] = g0[0]·x[1] = (2.00e−7)·(−1.000) = −2.00e−7; ∂b0 = g0");
  assert.match(worked("update", { ...w, update_refused: "lower the learning rate" }), /refused/);
});

test("the arrow key pointing along the reading order goes to the next stage: → left to right, ← right to left", () => {
  assert.deepEqual(["ArrowRight", "ArrowLeft", "ArrowUp"].map((key) => stepFor(key, "ltr")), [1, -1, 0]);
  assert.deepEqual(["ArrowRight", "ArrowLeft", "ArrowUp"].map((key) => stepFor(key, "rtl")), [-1, 1, 0]);
});

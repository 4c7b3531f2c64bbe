"""Exercise 3, the forward pass: the whole net on a batch, one example per column.

    forward(W0, b0, W1, b1, X)   (s0, h0, s1, h1): s0, h0 H×N; s1, h1 C×N
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import text
from ... import model
from ...model import TwoLayerNet
from . import softmax
from .kit import (SHAPE_SIZE, Call, Check, Exercise, Mistake, Outputs, Planned, Wrong, as_array, case, kind, must_equal,
                  random_batches, random_net, sayer, shape_of, weights, wrong_type)

NAMES = ("s0", "h0", "s1", "h1")
"""What forward returns, in order (pynn.model.Forward's fields)."""

WHY = {
    "s0": " — W0·X + b0 is (H×D)·(D×N) = H×N, one column per example",
    "h0": " — ReLU(S0), the same shape as S0",
    "s1": " — W1·H0 + b1 is (C×H)·(H×N) = C×N",
    "h1": " — softmax(S1), the same shape as S1",
}

MISTAKES = {
    "s0-no-bias": "you forgot the bias: S0 = W0·X + b0",
    "no-relu": "H0 = ReLU(S0): the negative scores must become 0",
    "s1-uses-s0": "S1 = W1·H0 + b1 uses H0 (after ReLU), not S0",
    "s1-no-bias": "you forgot the bias: S1 = W1·H0 + b1",
    "h1-scores": "H1 = softmax(S1): the probabilities, not the scores",
    "examples-as-rows": "examples are columns here — did you write X.T·W.T (examples as rows) instead of W·X?",
    **{name: softmax.MISTAKES[name] for name in ("rows-not-columns", "whole-matrix", "global-max", "overflow")},
}

TEXT = text.register({
    **{f"exercise.forward.why.{name}": why for name, why in WHY.items()},
    "exercise.forward.not-four": "forward must return the four values (s0, h0, s1, h1) as a tuple; yours returned {kind}",
    "exercise.forward.not-four-long": ("forward must return the four values (s0, h0, s1, h1) as a tuple; yours returned "
                                       "{kind} of {n}"),
    "exercise.forward.case.stable": "with scores s1 up to ±1e4",
    "exercise.forward.check.shapes.passed": "s0, h0 are H×N = {hn}; s1, h1 are C×N = {cn} (D={D}, H={H}, C={C}, N={N})",
    "exercise.forward.check.values.passed": ("s0, h0, s1, h1 equal pynn's on 4 random nets and batches (N = 1 and N > 1, "
                                             "H = 1, C = 2)"),
    "exercise.forward.check.stable-at-1e4.passed": "h1 stays finite and exact with scores s1 up to ±1e4",
})
say = sayer("forward")


def result_tuple(value: Any) -> tuple[Any, ...]:
    """The student's forward's result as the tuple (s0, h0, s1, h1), or a Mistake saying what it is."""
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        said = (say("not-four-long", kind=kind(value), n=len(value)) if isinstance(value, (tuple, list))
                else say("not-four", kind=kind(value)))
        raise Mistake(said, wrong_type(value))
    return tuple(value)


def result_arrays(result: tuple[Any, ...], H: int, C: int, N: int) -> list[np.ndarray]:
    """s0, h0 (H×N), s1, h1 (C×N) as float arrays, or a Mistake naming the first wrong shape."""
    arrays = []
    for name, value in zip(NAMES, result):
        shape = (H, N) if name in ("s0", "h0") else (C, N)
        if shape_of(value) not in (None, shape) and shape_of(value) == shape[::-1]:
            raise Mistake(text.say("exercise.check.wrong-shape-known", what=name, shape=str(shape), why=say("why", name),
                                   found=str(value.shape), hint=say("mistake", "examples-as-rows")), "examples-as-rows")
        arrays.append(as_array(value, name, shape, say("why", name)))
    return arrays


def wrong_answers(net: TwoLayerNet, X: np.ndarray) -> dict[str, list[Wrong]]:
    """What the common mistakes return for s0, h0, s1 and h1, with their identifiers and hints."""
    s0 = net.W0 @ X + net.b0
    h0 = model.relu(s0)
    with np.errstate(all="ignore"):
        answers = {
            "s0": [(net.W0 @ X, "s0-no-bias")],
            "h0": [(s0, "no-relu")],
            "s1": [(net.W1 @ s0 + net.b1, "s1-uses-s0"), (net.W1 @ h0, "s1-no-bias")],
            "h1": [(net.W1 @ h0 + net.b1, "h1-scores")],
        }
        found = {name: [(value, mistake, say("mistake", mistake)) for value, mistake in wrong] for name, wrong in answers.items()}
        found["h1"] += softmax.wrong_answers(net.W1 @ h0 + net.b1)
    return found


def plan_shapes(rng: np.random.Generator) -> Planned:
    D, H, C, N = SHAPE_SIZE
    net, X, _ = random_net(D, H, C, N, rng)
    return Planned([Call((*weights(net), X))])


def shapes(_: None, out: Outputs) -> str:
    D, H, C, N = SHAPE_SIZE
    result_arrays(result_tuple(out[0]), H, C, N)
    return say("check", "shapes", "passed", hn=str((H, N)), cn=str((C, N)), D=D, H=H, C=C, N=N)


def plan_values(rng: np.random.Generator) -> Planned:
    batches = random_batches(rng)
    return Planned([Call((*weights(net), X)) for net, X, _ in batches], batches)


def values(batches: list[tuple[TwoLayerNet, np.ndarray, np.ndarray]], out: Outputs) -> str:
    for i, (net, X, _) in enumerate(batches):
        N = X.shape[1]
        arrays = result_arrays(result_tuple(out[i]), net.n_hidden, net.n_classes, N)
        expected = net.forward_pass(X)
        wrong = wrong_answers(net, X)
        for name, actual, want in zip(NAMES, arrays, expected):
            must_equal(actual, want, name, wrong[name], case(net, N))
    return say("check", "values", "passed")


def plan_stable(rng: np.random.Generator) -> Planned:
    """A net whose largest score s1 is +1e4 (so a softmax without the max overflows there, where one
    with the whole matrix's max does not) and whose scores stay within ±2e4."""
    while True:
        net, X, _ = random_net(2, 5, 3, 6, rng)
        s1 = net.forward_pass(X).s1
        if s1.max() > 0.5 * np.max(np.abs(s1)):
            break
    net.W1 *= 1e4 / s1.max()
    net.b1 *= 1e4 / s1.max()
    return Planned([Call((*weights(net), X))], (net, X))


def stable(planned: tuple[TwoLayerNet, np.ndarray], out: Outputs) -> str:
    net, X = planned
    h1 = result_arrays(result_tuple(out[0]), 5, 3, 6)[3]
    must_equal(h1, net.forward_pass(X).h1, "h1", wrong_answers(net, X)["h1"], say("case", "stable"))
    return say("check", "stable-at-1e4", "passed")


SKELETON = '''import numpy as np


# relu(s) and softmax(s) are defined for you (pynn's); define your own here to use them instead.
def forward(W0, b0, W1, b1, X):
    """The forward pass on the batch X (D×N), one example per column.

    W0 H×D, b0 H×1, W1 C×H, b1 C×1.
    Returns (s0, h0, s1, h1): s0, h0 H×N; s1, h1 C×N.
    """
    # your code here
'''

SOLUTION = '''import numpy as np


# pynn.model.TwoLayerNet.forward_pass, with the weights as arguments;
# relu and softmax are pynn.model's (your own once you define them here).
def forward(W0, b0, W1, b1, X):
    """s0, h0 (H×N), s1, h1 (C×N) for the batch X (D×N)."""
    s0 = W0 @ X + b0
    h0 = relu(s0)
    s1 = W1 @ h0 + b1
    return s0, h0, s1, softmax(s1)
'''

EXERCISE = Exercise(
    "forward", "The forward pass",
    "The whole net on a batch: the examples are the columns of X, and every formula holds column by column "
    "(a bias column is broadcast across the columns). Notation, from here on: lower case for one example "
    "(x, s0, h0, g1: columns), upper case for a batch of N examples (X, S0, H0, G1: one column per "
    "example); in the code both keep Python's lower-case names (s0, h0).",
    ("S0 = W0·X + b0   (H×N),   W0 (H×D), b0 (H×1)",
     "H0 = ReLU(S0)   (H×N)",
     "S1 = W1·H0 + b1   (C×N),   W1 (C×H), b1 (C×1)",
     "H1 = softmax(S1)   (C×N),   H1[j, i] = P(Y = j | x_i)"),
    SKELETON, SOLUTION,
    (Check("shapes", plan_shapes, shapes), Check("values", plan_values, values), Check("stable at ±1e4", plan_stable, stable)),
    MISTAKES,
    tex=(
        r"S_0 = W_0 X + b_0\qquad (H\times N),\quad W_0\ (H\times D),\ b_0\ (H\times 1)",
        r"H_0 = \operatorname{ReLU}(S_0)\qquad (H\times N)",
        r"S_1 = W_1 H_0 + b_1\qquad (C\times N),\quad W_1\ (C\times H),\ b_1\ (C\times 1)",
        r"H_1 = \operatorname{softmax}(S_1)\qquad (C\times N),\quad H_1[j, i] = P(Y = j \mid x_i)",
    ),
)

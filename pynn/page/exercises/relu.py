"""Exercise 1, ReLU: the hidden layer's non-linearity, element by element.

    relu(s)      ReLU(s) = max(s, 0), any shape → the same shape
"""
from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .. import text
from ... import model
from .kit import Call, Check, Exercise, Mistake, Outputs, Planned, Wrong, as_array, close, must_equal, sayer, unchanged

TEXT = text.register({
    "exercise.relu.one-column": "relu(s) of one column",
    "exercise.relu.why.element-by-element": " — the same shape as s, element by element",
    "exercise.relu.why.same-shape": " — the same shape as s",
    "exercise.relu.case.matrix": "on a 3×5 matrix of scores",
    "exercise.relu.case.random": "on random scores of shape {shape}",
    "exercise.relu.check.shape.passed": "relu keeps the shape of s: {shape} and {column}",
    "exercise.relu.check.relu-mask.passed": "negative scores become 0, positive ones pass unchanged (the ReLU mask [s > 0])",
    "exercise.relu.check.values.passed": "equals pynn.model.relu on random scores of shapes (4, 1), (6, 9), (1, 3)",
    "exercise.relu.check.input-unchanged.passed": "leaves its argument s unchanged",
})
say = sayer("relu")

MISTAKES = {
    "nothing-zeroed": "nothing was zeroed: ReLU(s) = max(s, 0) sets every negative entry to 0",
    "absolute-value": "that is |s|: ReLU sets negative entries to 0, it does not flip their sign",
    "mask-not-values": "that is the mask [s > 0]: ReLU keeps the positive values themselves, s ⊙ [s > 0]",
    "min-not-max": "that is min(s, 0): ReLU keeps the positive part, max(s, 0)",
    "whole-columns": "ReLU works element by element, not on whole columns",
    "max-not-maximum": (
        "np.max(s, 0) is the largest score of each column (0 is the axis); ReLU compares every entry "
        "with 0: np.maximum(s, 0)"
    ),
    "changed-input": (
        "relu changed its argument s in place (s[s < 0] = 0?): the backward pass needs S0 as it was "
        "for the mask [S0 > 0]; return a new array, e.g. np.maximum(s, 0)"
    ),
}

VALUE_SHAPES = ((4, 1), (6, 9), (1, 3))


def scores(rng: np.random.Generator) -> np.ndarray:
    """A 3×5 matrix of scores, drawn afresh: each column holds a negative and a positive score and
    one more (0 in two columns), of magnitudes from 1e-3 to 1e4 — so every common mistake differs
    from ReLU somewhere."""
    columns = []
    for column in range(5):
        third = 0.0 if column < 2 else float(rng.choice([-1.0, 1.0]))
        columns.append(rng.permutation([-1.0, 1.0, third]) * 10.0 ** rng.uniform(-3, 4, size=3))
    return np.array(columns).T[:, rng.permutation(5)]


def wrong_answers(s: np.ndarray) -> list[Wrong]:
    """What the common mistakes return for the scores ``s``, with their identifiers and hints."""
    answers = [
        (s, "nothing-zeroed"),
        (np.abs(s), "absolute-value"),
        ((s > 0).astype(float), "mask-not-values"),
        (np.minimum(s, 0), "min-not-max"),
        (np.maximum(s, 0).max(axis=0, keepdims=True) + 0 * s, "whole-columns"),
    ]
    return [(value, name, say("mistake", name)) for value, name in answers]


def result(out: Any, s: np.ndarray, what: str = "relu(s)", why: str = "") -> np.ndarray:
    """relu(s) as a float array of s's shape, or a Mistake; np.max(s, 0) (a column's largest score,
    shape N) is named as such, not only as a wrong shape."""
    if (isinstance(out, np.ndarray) and out.shape != s.shape and out.size == s.shape[-1]
            and close(out.ravel(), s.max(axis=0))):
        raise Mistake(text.say("exercise.check.wrong-shape-known", what=what, shape=str(s.shape), why=why, found=str(out.shape),
                          hint=say("mistake", "max-not-maximum")), "max-not-maximum")
    return as_array(out, what, s.shape, why)


def plan_shape(rng: np.random.Generator) -> Planned:
    s = scores(rng)
    return Planned([Call((s,)), Call((s[:, :1].copy(),))], s)


def shape(s: np.ndarray, out: Outputs) -> str:
    result(out[0], s, "relu(s)", say("why", "element-by-element"))
    column = s[:, :1]
    as_array(out[1], say("one-column"), column.shape, say("why", "same-shape"))
    return say("check", "shape", "passed", shape=str(s.shape), column=str(column.shape))


def plan_one(rng: np.random.Generator) -> Planned:
    s = scores(rng)
    return Planned([Call((s,))], s)


def mask(s: np.ndarray, out: Outputs) -> str:
    must_equal(result(out[0], s), np.maximum(s, 0.0), "relu(s)", wrong_answers(s), say("case", "matrix"))
    return say("check", "relu-mask", "passed")


def plan_values(rng: np.random.Generator) -> Planned:
    arrays = [rng.standard_normal(size) for size in VALUE_SHAPES]
    return Planned([Call((s,)) for s in arrays], arrays)


def values(arrays: list[np.ndarray], out: Outputs) -> str:
    for i, s in enumerate(arrays):
        must_equal(result(out[i], s), model.relu(s), "relu(s)", wrong_answers(s), say("case", "random", shape=str(s.shape)))
    return say("check", "values", "passed")


def plan_in_place(rng: np.random.Generator) -> Planned:
    s = scores(rng)
    return Planned([Call((s,), give="argument")], s)


def keeps_input(s: np.ndarray, out: Outputs) -> str:
    if not unchanged(out[0], s):
        raise Mistake(say("mistake", "changed-input"), "changed-input")
    return say("check", "input-unchanged", "passed")


SKELETON = '''import numpy as np


def relu(s):
    """ReLU(s) = max(s, 0), element by element.

    s: any shape, e.g. the H×N scores S0. Returns an array of the same shape.
    """
    # your code here
'''

EXERCISE = Exercise(
    "relu", "ReLU",
    "The hidden layer's non-linearity: every negative score becomes 0, every positive one passes as it is.",
    (text.Words("ReLU(s) = max(s, 0), element by element, any shape"),
     "H0 = ReLU(S0)   (H×N)",
     text.Words("[S0 > 0]: the mask, 1 where the unit is on, 0 where it is off")),
    SKELETON,
    "import numpy as np\n\n\n# pynn.model.relu\n" + inspect.getsource(model.relu),
    (Check("shape", plan_shape, shape), Check("ReLU mask", plan_one, mask), Check("values", plan_values, values),
     Check("input unchanged", plan_in_place, keeps_input)),
    MISTAKES,
    tex=(r"\operatorname{ReLU}(s) = \max(s, 0)\quad\text{element by element, any shape}",
         r"H_0 = \operatorname{ReLU}(S_0)\qquad (H\times N)",
         r"[S_0 > 0]\quad\text{the mask: 1 where the unit is on, 0 where it is off}"),
)

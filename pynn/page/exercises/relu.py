"""Exercise 1, ReLU: the hidden layer's non-linearity, element by element.

    relu(s)      ReLU(s) = max(s, 0), any shape → the same shape
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np

from ... import model
from .machinery import Exercise, Mistake, Wrong, as_array, call, call_in_place, must_equal

SCORES = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0], [3.0, -3.0, 1e-3, -1e-3, 0.0], [-1e4, 1e4, -7.0, 7.0, 0.25]])

MISTAKES = {
    "nothing-zeroed": "nothing was zeroed: ReLU(s) = max(s, 0) sets every negative entry to 0",
    "absolute-value": "that is |s|: ReLU sets negative entries to 0, it does not flip their sign",
    "mask-not-values": "that is the mask [s > 0]: ReLU keeps the positive values themselves, s ⊙ [s > 0]",
    "min-not-max": "that is min(s, 0): ReLU keeps the positive part, max(s, 0)",
    "whole-columns": "ReLU works element by element, not on whole columns",
    "changed-input": (
        "relu changed its argument s in place (s[s < 0] = 0?): the backward pass needs s0 as it was "
        "for the mask [s0 > 0]; return a new array, e.g. np.maximum(s, 0)"
    ),
}


def wrong_answers(s: np.ndarray) -> list[Wrong]:
    """What the common mistakes return for the scores ``s``, with their identifiers and hints."""
    answers = [
        (s, "nothing-zeroed"),
        (np.abs(s), "absolute-value"),
        ((s > 0).astype(float), "mask-not-values"),
        (np.minimum(s, 0), "min-not-max"),
        (np.maximum(s, 0).max(axis=0, keepdims=True) + 0 * s, "whole-columns"),
    ]
    return [(value, name, MISTAKES[name]) for value, name in answers]


def shape(relu: Callable[..., Any]) -> str:
    s = SCORES
    as_array(call(relu, s), "relu(s)", s.shape, " — the same shape as s, element by element")
    column = s[:, :1]
    as_array(call(relu, column), "relu(s) of one column", column.shape, " — the same shape as s")
    return f"relu keeps the shape of s: {s.shape} and {column.shape}"


def mask(relu: Callable[..., Any]) -> str:
    s = SCORES
    out = as_array(call(relu, s), "relu(s)", s.shape)
    must_equal(out, np.maximum(s, 0.0), "relu(s)", wrong_answers(s), "on a 3×5 matrix of scores")
    return "negative scores become 0, positive ones pass unchanged (the ReLU mask [s > 0])"


def values(relu: Callable[..., Any]) -> str:
    rng = np.random.default_rng(1)
    for size in ((4, 1), (6, 9), (1, 3)):
        s = rng.standard_normal(size)
        out = as_array(call(relu, s), "relu(s)", size)
        must_equal(out, model.relu(s), "relu(s)", wrong_answers(s), f"on random scores of shape {size}")
    return "equals pynn.model.relu on random scores of shapes (4, 1), (6, 9), (1, 3)"


def keeps_input(relu: Callable[..., Any]) -> str:
    s = SCORES.copy()
    call_in_place(relu, s)
    if not np.array_equal(s, SCORES):
        raise Mistake(MISTAKES["changed-input"], "changed-input")
    return "leaves its argument s unchanged"


SKELETON = '''import numpy as np


def relu(s):
    """ReLU(s) = max(s, 0), element by element.

    s: any shape, e.g. the H×N scores s0. Returns an array of the same shape.
    """
    # your code here
'''

EXERCISE = Exercise(
    "relu", "ReLU",
    "The hidden layer's non-linearity: every negative score becomes 0, every positive one passes as it is.",
    ("ReLU(s) = max(s, 0), element by element, any shape",
     "H0 = ReLU(S0)   (H×N)",
     "[S0 > 0]: the mask, 1 where the unit is on, 0 where it is off"),
    SKELETON,
    "import numpy as np\n\n\n# pynn.model.relu\n" + inspect.getsource(model.relu),
    (("shape", shape), ("ReLU mask", mask), ("values", values), ("input unchanged", keeps_input)),
    MISTAKES,
    tex=(r"\operatorname{ReLU}(s) = \max(s, 0)\quad\text{element by element, any shape}",
         r"H_0 = \operatorname{ReLU}(S_0)\qquad (H\times N)",
         r"[S_0 > 0]\quad\text{the mask: 1 where the unit is on, 0 where it is off}"),
)

"""Exercise 2, softmax: scores to probabilities, one column (one example) at a time.

    softmax(s)   column-wise softmax of C×N scores, no overflow at ±1e4
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy as np

from ... import model
from .machinery import Exercise, Mistake, Wrong, as_array, call, call_in_place, must_equal, recognise

SCORES = np.array([[1.0, -2.0, 0.5, 3.0, 0.0], [0.2, 0.1, -1.0, 2.0, 0.0], [-0.3, 1.5, 2.5, -4.0, 0.0]])
EXTREME = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, -1e4, 1.0, 1e4 - 1], [0.0, -1e4 + 2, -1e4, -1e4]])

MISTAKES = {
    "rows-not-columns": "your rows sum to 1: each COLUMN is one example, so normalise over axis=0",
    "whole-matrix": "your whole matrix sums to 1: normalise each column (axis=0) on its own",
    "global-max": ("subtract each column's own max (s.max(axis=0)), not the max of the whole matrix: "
                   "a column far below it underflows to 0/0"),
    "overflow": ("exp overflowed: subtract each column's max before exp — softmax(s) = softmax(s − max), and "
                 "every exponent is then ≤ 0"),
    "not-probabilities": "the columns are not probabilities summing to 1",
    "changed-input": ("softmax changed its argument s in place (s -= s.max(…)?): the caller still needs the "
                      "scores; work on a new array, e.g. e = np.exp(s - s.max(axis=0))"),
}


def wrong_answers(s: np.ndarray) -> list[Wrong]:
    """What the common mistakes return for the scores ``s`` (C×N), with their identifiers and hints.
    The forward exercise recognises them in h1 too."""
    with np.errstate(all="ignore"):
        e = np.exp(s - s.max(axis=1, keepdims=True))
        rows = e / e.sum(axis=1, keepdims=True)
        whole = np.exp(s - s.max())
        whole = whole / whole.sum()
        per_column_global = np.exp(s - s.max()) / np.exp(s - s.max()).sum(axis=0)
        plain = np.exp(s) / np.exp(s).sum(axis=0)
    answers = [(rows, "rows-not-columns"), (whole, "whole-matrix"), (per_column_global, "global-max"), (plain, "overflow")]
    return [(value, name, MISTAKES[name]) for value, name in answers]


def shape(softmax: Callable[..., Any]) -> str:
    s = SCORES
    as_array(call(softmax, s), "softmax(s)", s.shape, " — C×N, one column of probabilities per example")
    as_array(call(softmax, s[:, :1]), "softmax(s) of one column", (3, 1), " — C×1")
    return f"keeps the shape C×N: {s.shape} and (3, 1)"


def columns(softmax: Callable[..., Any]) -> str:
    s = SCORES
    out = as_array(call(softmax, s), "softmax(s)", s.shape)
    sums = out.sum(axis=0)
    if not np.allclose(sums, 1.0) or np.any(out < 0):
        known = recognise(out, wrong_answers(s))
        raise Mistake(f"each column of softmax(s) must be probabilities summing to 1; yours sum to "
                      f"{np.array2string(sums, precision=3)}" + (f" — {known[1]}" if known else ""),
                      known[0] if known else "not-probabilities")
    return "each column is a probability distribution (≥ 0, sums to 1)"


def values(softmax: Callable[..., Any]) -> str:
    rng = np.random.default_rng(2)
    for size in ((3, 5), (2, 1), (6, 4)):
        s = rng.standard_normal(size) * 3
        out = as_array(call(softmax, s), "softmax(s)", size)
        must_equal(out, model.softmax(s), "softmax(s)", wrong_answers(s), f"on random scores of shape {size}")
    return "equals pynn.model.softmax on random scores of shapes (3, 5), (2, 1), (6, 4)"


def stable(softmax: Callable[..., Any]) -> str:
    s = EXTREME
    out = as_array(call(softmax, s), "softmax(s)", s.shape)
    must_equal(out, model.softmax(s), "softmax(s)", wrong_answers(s), "at scores of ±1e4")
    return "stays finite and exact at scores of ±1e4 (no overflow)"


def keeps_input(softmax: Callable[..., Any]) -> str:
    s = SCORES.copy()
    call_in_place(softmax, s)
    if not np.array_equal(s, SCORES):
        raise Mistake(MISTAKES["changed-input"], "changed-input")
    return "leaves its argument s unchanged"


SKELETON = '''import numpy as np


def softmax(s):
    """Column-wise softmax of the C×N scores s: each column becomes probabilities.

    softmax(s)[j, i] = exp(s[j, i]) / Σ_k exp(s[k, i])
    Returns C×N. Must not overflow for scores of ±1e4.
    """
    # your code here
'''

EXERCISE = Exercise(
    "softmax", "Softmax",
    "Scores to probabilities, one column (one example) at a time. Subtracting each column's max first "
    "changes nothing mathematically and keeps exp from overflowing.",
    ("softmax(s)_j = exp(s_j) / Σ_k exp(s_k), per column",
     "= exp(s_j − m) / Σ_k exp(s_k − m),   m = max_k s_k",
     "S (C×N) → C×N, every column sums to 1"),
    SKELETON,
    "import numpy as np\n\n\n# pynn.model.softmax\n" + inspect.getsource(model.softmax),
    (("shape", shape), ("columns sum to 1", columns), ("values", values),
     ("stable at ±1e4", stable), ("input unchanged", keeps_input)),
    MISTAKES,
    tex=(r"\operatorname{softmax}(s)_j = \frac{e^{s_j}}{\sum_k e^{s_k}}\quad\text{per column}",
         r"\phantom{\operatorname{softmax}(s)_j} = \frac{e^{s_j - m}}{\sum_k e^{s_k - m}},\quad m = \max_k s_k",
         r"S\ (C\times N) \to (C\times N)\text{, every column sums to 1}"),
)

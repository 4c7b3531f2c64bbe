"""Exercise 2, softmax: scores to probabilities, one column (one example) at a time.

    softmax(s)   column-wise softmax of C×N scores, no overflow at ±1e4
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import text
from ... import model
from .kit import Call, Check, Exercise, Mistake, Outputs, Planned, Wrong, as_array, must_equal, recognise, sayer, unchanged

TEXT = text.register({
    "exercise.softmax.one-column": "softmax(s) of one column",
    "exercise.softmax.why.columns": " — C×N, one column of probabilities per example",
    "exercise.softmax.why.column": " — C×1",
    "exercise.softmax.case.random": "on random scores of shape {shape}",
    "exercise.softmax.case.extreme": "at scores of ±1e4",
    "exercise.softmax.not-summing": "each column of softmax(s) must be probabilities summing to 1; yours sum to {sums}",
    "exercise.softmax.not-summing-known": ("each column of softmax(s) must be probabilities summing to 1; yours sum to "
                                           "{sums} — {hint}"),
    "exercise.softmax.check.shape.passed": "keeps the shape C×N: {shape} and (3, 1)",
    "exercise.softmax.check.columns-sum-to-1.passed": "each column is a probability distribution (≥ 0, sums to 1)",
    "exercise.softmax.check.values.passed": "equals pynn.model.softmax on random scores of shapes (3, 5), (2, 1), (6, 4)",
    "exercise.softmax.check.stable-at-1e4.passed": "stays finite and exact at scores of ±1e4 (no overflow)",
    "exercise.softmax.check.input-unchanged.passed": "leaves its argument s unchanged",
})
say = sayer("softmax")

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

VALUE_SHAPES = ((3, 5), (2, 1), (6, 4))

# The scores at ±1e4 the stability is checked on, before a fresh shuffle and a little noise: a
# column at the top, one far below it (the whole matrix's max underflows it to 0/0), one around 0,
# one with two scores at the top.
EXTREME = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, -1e4, 1.0, 1e4 - 1], [0.0, -1e4 + 2, -1e4, -1e4]])


def scores(rng: np.random.Generator) -> np.ndarray:
    """C×N = 3×5 scores, drawn afresh."""
    return rng.standard_normal((3, 5)) * 2


def extreme(rng: np.random.Generator) -> np.ndarray:
    """EXTREME with its columns and each column's entries shuffled and up to ±0.5 added."""
    columns = [rng.permutation(column) for column in EXTREME.T]
    return np.array(columns).T[:, rng.permutation(EXTREME.shape[1])] + rng.uniform(-0.5, 0.5, EXTREME.shape)


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
    return [(value, name, say("mistake", name)) for value, name in answers]


def plan_shape(rng: np.random.Generator) -> Planned:
    s = scores(rng)
    return Planned([Call((s,)), Call((s[:, :1].copy(),))], s)


def shape(s: np.ndarray, out: Outputs) -> str:
    as_array(out[0], "softmax(s)", s.shape, say("why", "columns"))
    as_array(out[1], say("one-column"), (3, 1), say("why", "column"))
    return say("check", "shape", "passed", shape=str(s.shape))


def plan_one(rng: np.random.Generator) -> Planned:
    s = scores(rng)
    return Planned([Call((s,))], s)


def columns(s: np.ndarray, out: Outputs) -> str:
    probabilities = as_array(out[0], "softmax(s)", s.shape)
    sums = probabilities.sum(axis=0)
    if not np.allclose(sums, 1.0) or np.any(probabilities < 0):
        known = recognise(probabilities, wrong_answers(s))
        written = np.array2string(sums, precision=3)
        raise Mistake(say("not-summing-known", sums=written, hint=known[1]) if known else say("not-summing", sums=written),
                      known[0] if known else "not-probabilities")
    return say("check", "columns-sum-to-1", "passed")


def plan_values(rng: np.random.Generator) -> Planned:
    arrays = [rng.standard_normal(size) * 3 for size in VALUE_SHAPES]
    return Planned([Call((s,)) for s in arrays], arrays)


def values(arrays: list[np.ndarray], out: Outputs) -> str:
    for i, s in enumerate(arrays):
        got = as_array(out[i], "softmax(s)", s.shape)
        must_equal(got, model.softmax(s), "softmax(s)", wrong_answers(s), say("case", "random", shape=str(s.shape)))
    return say("check", "values", "passed")


def plan_stable(rng: np.random.Generator) -> Planned:
    s = extreme(rng)
    return Planned([Call((s,))], s)


def stable(s: np.ndarray, out: Outputs) -> str:
    must_equal(as_array(out[0], "softmax(s)", s.shape), model.softmax(s), "softmax(s)", wrong_answers(s),
               say("case", "extreme"))
    return say("check", "stable-at-1e4", "passed")


def plan_in_place(rng: np.random.Generator) -> Planned:
    s = scores(rng)
    return Planned([Call((s,), give="argument")], s)


def keeps_input(s: np.ndarray, out: Outputs) -> str:
    if not unchanged(out[0], s):
        raise Mistake(say("mistake", "changed-input"), "changed-input")
    return say("check", "input-unchanged", "passed")


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
    (text.Words("softmax(s)_j = exp(s_j) / Σ_k exp(s_k), per column"),
     "= exp(s_j − m) / Σ_k exp(s_k − m),   m = max_k s_k",
     text.Words("S (C×N) → C×N, every column sums to 1")),
    SKELETON,
    "import numpy as np\n\n\n# pynn.model.softmax\n" + inspect.getsource(model.softmax),
    (Check("shape", plan_shape, shape), Check("columns sum to 1", plan_one, columns), Check("values", plan_values, values),
     Check("stable at ±1e4", plan_stable, stable), Check("input unchanged", plan_in_place, keeps_input)),
    MISTAKES,
    tex=(r"\operatorname{softmax}(s)_j = \frac{e^{s_j}}{\sum_k e^{s_k}}\quad\text{per column}",
         r"\phantom{\operatorname{softmax}(s)_j} = \frac{e^{s_j - m}}{\sum_k e^{s_k - m}},\quad m = \max_k s_k",
         r"S\ (C\times N) \to (C\times N)\text{, every column sums to 1}"),
)

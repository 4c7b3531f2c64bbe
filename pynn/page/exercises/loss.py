"""Exercise 4, the loss: the summed negative log-likelihood of a batch, from log-softmax.

    loss(s1, Yoh)   L = Σ_i −log softmax(s1)[y_i, i], one float; s1, Yoh C×N
"""
from __future__ import annotations

import inspect
import math
import numbers
from typing import Any

import numpy as np

from .. import text
from ... import model
from ...model import TwoLayerNet
from .kit import Call, Check, Exercise, Mistake, Outputs, Planned, case, kind, random_batches, random_net, sayer, wrong_type

MISTAKES = {
    "mean-not-sum": "that is the mean over the {N} examples; the spec's loss is the SUM Σ_i (do not divide by N)",
    "wrong-sign": "wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
    "all-classes": "you added −log h1 of every class; only the true class counts: multiply by Yoh first",
    "log-softmax-axis": "log-softmax runs over each column (axis=0)",
    "not-summed": "add up the per-example terms (.sum())",
    "log-of-softmax": ("compute log-softmax directly, s − max − log Σ exp(s − max) per column, not log(softmax(s)): "
                       "a probability that underflows to 0 gives log 0 = −inf"),
}

TEXT = text.register({
    "exercise.loss.not-one-number": ("loss must return one number, the sum over all {N} examples; yours is an array of shape "
                                     "{shape}: {hint}"),
    "exercise.loss.not-a-float": "loss must return a float; yours returned {kind}",
    "exercise.loss.known": "loss is {value:.6g} {where}, pynn's {expected:.6g} — {hint}",
    "exercise.loss.not-finite": "loss is {value} {where}, pynn's {expected:.6g} — {hint}",
    "exercise.loss.differs": "loss is {value:.6g} {where}, pynn's is {expected:.6g}",
    "exercise.loss.case.ten": "on 10 examples",
    "exercise.loss.case.extreme": "at scores of ±1e4",
    "exercise.loss.check.one-number.passed": "returns one number",
    "exercise.loss.check.values.passed": "equals pynn's summed NLL on 4 random nets and batches (N = 1 and N > 1, C = 2)",
    "exercise.loss.check.sum-not-mean.passed": "is the sum over the examples, not the mean",
    "exercise.loss.check.stable-at-1e4.passed": "stays finite and exact at scores of ±1e4 (log-softmax)",
})
say = sayer("loss")

_SCORER = TwoLayerNet(1, 1, 2)


def reference(s1: np.ndarray, Yoh: np.ndarray) -> float:
    """pynn's summed NLL (TwoLayerNet.loss_of, which reads only the scores) of the scores s1 (C×N)."""
    return _SCORER.loss_of(model.Forward(s1, s1, s1, s1), Yoh.argmax(axis=0))


def number(value: Any, N: int) -> float:
    """The student's loss as one float, or a Mistake: an array of several values, or not a number."""
    if isinstance(value, np.ndarray) and value.size != 1:
        raise Mistake(say("not-one-number", N=N, shape=str(value.shape), hint=say("mistake", "not-summed")), "not-summed")
    if isinstance(value, np.ndarray):
        return float(value.reshape(()))
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Mistake(say("not-a-float", kind=kind(value)), wrong_type(value))
    return float(value)


def wrong_answers(s1: np.ndarray, Yoh: np.ndarray) -> list[tuple[float, str, str]]:
    """What the common mistakes return for the scores s1 and labels Yoh, with identifiers and hints."""
    N = s1.shape[1]
    true = -float((Yoh * model.log_softmax(s1)).sum())
    everything = -float(model.log_softmax(s1).sum())
    answers = [
        (true / N, "mean-not-sum"),
        (-true, "wrong-sign"),
        (everything, "all-classes"),
        (-float((Yoh * model.log_softmax(s1.T).T).sum()) if s1.shape[0] == N else math.nan, "log-softmax-axis"),
    ]
    return [(value, name, say("mistake", name, N=N)) for value, name in answers]


def must_equal(value: float, s1: np.ndarray, Yoh: np.ndarray, where: str) -> None:
    """Nothing if ``value`` is pynn's loss of (s1, Yoh); else a Mistake naming the mistake if known."""
    expected = reference(s1, Yoh)
    if math.isclose(value, expected, rel_tol=1e-7, abs_tol=1e-9):
        return
    for wrong, name, hint in wrong_answers(s1, Yoh):
        if math.isclose(value, wrong, rel_tol=1e-7, abs_tol=1e-9):
            raise Mistake(say("known", value=value, where=where, expected=expected, hint=hint), name)
    if not math.isfinite(value):
        raise Mistake(say("not-finite", value=value, where=where, expected=expected, hint=say("mistake", "log-of-softmax")),
                      "log-of-softmax")
    raise Mistake(say("differs", value=value, where=where, expected=expected), "wrong-values")


def plan_one_number(rng: np.random.Generator) -> Planned:
    net, X, Yoh = random_net(2, 4, 3, 6, rng)
    return Planned([Call((net.forward_pass(X).s1, Yoh))])


def one_number(_: None, out: Outputs) -> str:
    number(out[0], 6)
    return say("check", "one-number", "passed")


def plan_values(rng: np.random.Generator) -> Planned:
    cases = [(net, net.forward_pass(X).s1, Yoh) for net, X, Yoh in random_batches(rng)]
    return Planned([Call((s1, Yoh)) for _, s1, Yoh in cases], cases)


def values(cases: list[tuple[TwoLayerNet, np.ndarray, np.ndarray]], out: Outputs) -> str:
    for i, (net, s1, Yoh) in enumerate(cases):
        must_equal(number(out[i], s1.shape[1]), s1, Yoh, case(net, s1.shape[1]))
    return say("check", "values", "passed")


def plan_summed(rng: np.random.Generator) -> Planned:
    net, X, Yoh = random_net(2, 4, 3, 10, rng)
    s1 = net.forward_pass(X).s1
    return Planned([Call((s1, Yoh))], (s1, Yoh))


def summed(planned: tuple[np.ndarray, np.ndarray], out: Outputs) -> str:
    s1, Yoh = planned
    must_equal(number(out[0], 10), s1, Yoh, say("case", "ten"))
    return say("check", "sum-not-mean", "passed")


def plan_stable(rng: np.random.Generator) -> Planned:
    s1 = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, 1e4, 3.0, 1e4 - 1], [0.0, -1e4, -1e4, -1e4]])
    s1 = s1[:, rng.permutation(4)] + rng.uniform(-0.5, 0.5, s1.shape)
    y = rng.integers(0, 3, 4)
    far = int(rng.integers(4))
    y[far] = int(s1[:, far].argmin())  # a true class whose probability underflows: log(softmax) gives −inf
    Yoh = model.one_hot(y, 3)
    return Planned([Call((s1, Yoh))], (s1, Yoh))


def stable(planned: tuple[np.ndarray, np.ndarray], out: Outputs) -> str:
    s1, Yoh = planned
    must_equal(number(out[0], 4), s1, Yoh, say("case", "extreme"))
    return say("check", "stable-at-1e4", "passed")


SKELETON = '''import numpy as np


def loss(s1, Yoh):
    """The summed negative log-likelihood L = Σ_i −log softmax(s1)[y_i, i].

    s1: C×N scores; Yoh: C×N one-hot labels (Yoh[j, i] = 1 where example i is of class j).
    Returns one float. Compute it from log-softmax, so it stays finite for scores of ±1e4.
    """
    # your code here
'''

SOLUTION = '''import numpy as np


# pynn.model.log_softmax
''' + inspect.getsource(model.log_softmax) + '''

# pynn.model.TwoLayerNet.loss_of, with the labels as the one-hot Yoh (C×N)
def loss(s1, Yoh):
    """L = Σ_i −log softmax(s1)[y_i, i], from log-softmax so it stays finite."""
    y = Yoh.argmax(axis=0)
    return float(-log_softmax(s1)[y, np.arange(y.shape[0])].sum())
'''

EXERCISE = Exercise(
    "loss", "The loss",
    "The negative log-likelihood of the batch: the sum (not the mean) over the examples of −log of the "
    "probability the net gives the true class. From log-softmax, so it is finite for any finite scores.",
    ("L = −Σ_i log H1[y_i, i] = −Σ_i Σ_j Yoh[j, i] · log softmax(S1)[j, i]",
     "log softmax(s)_j = s_j − m − log Σ_k exp(s_k − m),   m = max_k s_k",
     text.Words("S1, Yoh (C×N) → L: one number")),
    SKELETON, SOLUTION,
    (Check("one number", plan_one_number, one_number), Check("values", plan_values, values),
     Check("sum, not mean", plan_summed, summed), Check("stable at ±1e4", plan_stable, stable)),
    MISTAKES,
    tex=(
        r"L = -\sum_i \log H_1[y_i, i] = -\sum_i \sum_j Y_{\mathrm{oh}}[j, i]\, \log \operatorname{softmax}(S_1)[j, i]",
        r"\log \operatorname{softmax}(s)_j = s_j - m - \log \sum_k e^{s_k - m},\quad m = \max_k s_k",
        r"S_1,\ Y_{\mathrm{oh}}\ (C\times N) \to L\text{: one number}",
    ),
)

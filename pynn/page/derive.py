"""Derive it yourself: the gradients of docs/model.md worked out one step at a time, each step's
answer a numpy expression that pynn checks on random nets.

The steps, in order (their names are contracts: the page opens one with ``#derive=STEP``). One
example at a time, x D×1 and yoh C×1; the last step takes a batch X D×N and the summed loss:

    step   asks for                                  shape   later steps call it
    h1     ∂L/∂h1 = −yoh ⊘ h1 (entry by entry)       C×1     dh1
    s1     ∂L/∂s1 = h1 − yoh                         C×1     g1
    W1     ∂L/∂W1 = g1·h0ᵀ                           C×H     dW1
    b1     ∂L/∂b1 = g1                               C×1     db1
    h0     ∂L/∂h0 = W1ᵀ·g1                           H×1     dh0
    s0     ∂L/∂s0 = dh0 ⊙ [s0 > 0]                   H×1     g0
    W0     ∂L/∂W0 = g0·xᵀ                            H×D     dW0
    b0     ∂L/∂b0 = g0                               H×1     db0
    batch  ∂L/∂b0 = Σ_i G0[:, i],                    H×1     —
           G0 = (W1ᵀ·G1) ⊙ [S0 > 0]  (H×N)

    catalogue()               every step as JSON-able data for the page: the question and what is
                              known (TeX, with a plain-text alternative each), the shape asked
                              for, the names the answer may use, the hints (at most three: the
                              scalar case, the shape argument, the expression)
    check(step, expression)   {"status": "pass" | "fail" | "error", "message", "mistake", ...}

``check`` evaluates the student's expression with numpy as ``np`` and the step's names, on
several random pynn nets of different sizes, and compares it with the true derivative: pynn's own
gradients for the parameters, and for h1, s1, h0 and s0 the chain rule's value, itself checked
against central finite differences of the loss on every net. A wrong answer that matches a common
mistake is named by ``mistake``, a stable identifier (the class view counts them):

    shape            not the shape asked for (denominator layout: a gradient has the shape of
                     what it differentiates by)
    transposed       the transpose of the answer, or an expression numpy cannot evaluate that one
                     more transpose (of one of its names) makes right
    sign             −1 times the answer (on the s1 step: yoh − h1 for h1 − yoh)
    mask-missing     the ReLU's mask [s0 > 0] left out
    mask-wrong-side  a mask where the chain has no ReLU (on h0, or [s1 > 0] on g1)
    mask-is-h0       h0 itself, not the mask [s0 > 0], multiplied in
    mask-inverted    [s0 < 0] for [s0 > 0]
    relu-of-gradient ReLU applied to the gradient, not its mask
    pre-activation   s0 where the layer's input is h0
    softmax-skipped  ∂L/∂h1 given for ∂L/∂s1: the softmax not gone through
    softmax-diagonal the softmax differentiated entry by entry, like a sigmoid
    loss-not-derivative  the loss's terms, not their derivative
    mean-not-sum     the mean over the batch where the loss is the sum
    not-summed       one column per example: the batch's gradient not added up
    not-yet-derived  a name that a later step (or this one) derives
    shapes-do-not-fit    numpy cannot combine the shapes, and no single transpose mends it

and, with status "error", the expression could not be judged: ``syntax``, ``empty``,
``too-long``, ``unknown-name``, ``raised``, ``not-a-number``. Any other wrong value fails with
mistake None.

The expression is Python evaluated here, in the page's sandbox (a worker of its own, stopped
after a few seconds); nothing in this module tries to make ``eval`` safe.
"""
from __future__ import annotations

import ast
import builtins
import functools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..model import TwoLayerNet, log_softmax, one_hot, relu

MAX_LENGTH = 400
"""The longest expression check() evaluates (characters); the longest right answer is ~60."""

NETS = 3
"""How many random nets an answer is checked on."""

FD_EPS = 1e-6
FD_AGREE = 1e-6
"""The spec's bound for a derivative against central finite differences (relative error)."""

ONE_EXAMPLE = ("x", "yoh", "s0", "h0", "s1", "h1", "W0", "b0", "W1", "b1")
BATCH = ("X", "Yoh", "S0", "H0", "S1", "H1", "G1", "W0", "b0", "W1", "b1")


@dataclass(frozen=True)
class Maths:
    """One equation: its TeX (what the page typesets) and its plain-text alternative (what a
    screen reader says)."""

    tex: str
    text: str

    def data(self) -> dict[str, str]:
        return {"tex": self.tex, "text": self.text}


@dataclass(frozen=True)
class Hint:
    """One hint: a sentence in words, and the equation it leads to."""

    say: str
    maths: Maths

    def data(self) -> dict[str, str]:
        return {"say": self.say, **self.maths.data()}


@dataclass(frozen=True)
class Step:
    """One step of the derivation.

    ``wrt`` is what L is differentiated by, ``shape`` the answer's shape in letters (its
    parameter's or quantity's shape: denominator layout), ``result`` the name later steps know the
    answer by (None for the last step).
    """

    name: str
    wrt: str
    shape: tuple[str, str]
    result: str | None
    question: Maths
    known: tuple[Maths, ...]
    hints: tuple[Hint, ...]
    batch: bool = False


YOH = r"y_{\mathrm{oh}}"
YOH_I, YOH_J = r"y_{\mathrm{oh},i}", r"y_{\mathrm{oh},j}"

STEPS: tuple[Step, ...] = (
    Step(
        "h1", "h1", ("C", "1"), "dh1",
        Maths(r"\frac{\partial L}{\partial h_1} = \;?\qquad (C\times 1)", "∂L/∂h1 = ?   (C×1)"),
        (
            Maths(rf"L = -\sum_{{j=1}}^{{C}} {YOH_J} \log h_{{1,j}}", "L = −Σ_j yoh_j · log h1_j"),
            Maths(r"h_1 = \operatorname{softmax}(s_1)\qquad (C\times 1)", "h1 = softmax(s1)   (C×1)"),
            Maths(rf"{YOH}\qquad (C\times 1)\text{{: 1 for the true class, 0 for the others}}",
              "yoh   (C×1): 1 for the true class, 0 for the others"),
        ),
        (
            Hint("The scalar case: one class j, where the loss's term is −y·log u with u = h1_j.",
                 Maths(r"\frac{d}{du}\bigl(-y \log u\bigr) = -\frac{y}{u}", "d/du (−y · log u) = −y / u")),
            Hint("Denominator layout: ∂L/∂h1 has h1's shape, C×1, entry j being ∂L/∂h1_j. "
                 "Entry j of L depends on h1_j only, so each entry is its own scalar case.",
                 Maths(r"\left(\frac{\partial L}{\partial h_1}\right)_j = -\frac{y_{\mathrm{oh},j}}{h_{1,j}}",
                   "(∂L/∂h1)_j = −yoh_j / h1_j")),
            Hint("Entry by entry: numpy's / divides two C×1 columns entry by entry.",
                 Maths(rf"\frac{{\partial L}}{{\partial h_1}} = -\,{YOH} \oslash h_1 \qquad\texttt{{-yoh / h1}}",
                   "∂L/∂h1 = −yoh ⊘ h1, entry by entry: -yoh / h1")),
        ),
    ),
    Step(
        "s1", "s1", ("C", "1"), "g1",
        Maths(r"g_1 = \frac{\partial L}{\partial s_1} = \;?\qquad (C\times 1)", "g1 = ∂L/∂s1 = ?   (C×1)"),
        (
            Maths(r"h_{1,j} = \frac{e^{s_{1,j}}}{\sum_k e^{s_{1,k}}}", "h1_j = exp(s1_j) / Σ_k exp(s1_k)"),
            Maths(r"\frac{\partial h_{1,j}}{\partial s_{1,i}} = h_{1,j}\,(\delta_{ij} - h_{1,i})",
              "∂h1_j/∂s1_i = h1_j · (δ_ij − h1_i), δ_ij being 1 when i = j, else 0"),
            Maths(rf"\frac{{\partial L}}{{\partial h_1}} = -\,{YOH} \oslash h_1 \quad(\texttt{{dh1}})",
              "∂L/∂h1 = −yoh ⊘ h1   (dh1)"),
            Maths(rf"\textstyle\sum_j {YOH_J} = 1", "Σ_j yoh_j = 1"),
        ),
        (
            Hint("Every h1_j depends on every s1_i (the softmax divides by a sum over all classes), so "
                 "the chain rule sums over j.",
                 Maths(r"\frac{\partial L}{\partial s_{1,i}} = \sum_j \frac{\partial L}{\partial h_{1,j}}\,"
                   r"\frac{\partial h_{1,j}}{\partial s_{1,i}}",
                   "∂L/∂s1_i = Σ_j ∂L/∂h1_j · ∂h1_j/∂s1_i")),
            Hint("Put in what is known; h1_j cancels, and the sum of yoh is 1. The answer is a C×1 column, "
                 "like s1.",
                 Maths(rf"\sum_j -\frac{{{YOH_J}}}{{h_{{1,j}}}}\, h_{{1,j}}(\delta_{{ij}} - h_{{1,i}}) "
                   rf"= -{YOH_I} + h_{{1,i}} \sum_j {YOH_J}",
                   "Σ_j −(yoh_j / h1_j) · h1_j · (δ_ij − h1_i) = −yoh_i + h1_i · Σ_j yoh_j")),
            Hint("The probabilities minus the one-hot labels.",
                 Maths(rf"g_1 = h_1 - {YOH} \qquad\texttt{{h1 - yoh}}", "g1 = h1 − yoh: h1 - yoh")),
        ),
    ),
    Step(
        "W1", "W1", ("C", "H"), "dW1",
        Maths(r"\frac{\partial L}{\partial W_1} = \;?\qquad (C\times H)", "∂L/∂W1 = ?   (C×H)"),
        (
            Maths(r"s_1 = W_1 h_0 + b_1\qquad (C\times 1)", "s1 = W1·h0 + b1   (C×1)"),
            Maths(rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
              "g1 = ∂L/∂s1 = h1 − yoh   (C×1)"),
            Maths(r"h_0\qquad (H\times 1)", "h0   (H×1)"),
        ),
        (
            Hint("The scalar case: W1[i, j] appears only in s1_i = Σ_k W1[i, k]·h0_k + b1_i, "
                 "multiplied by h0_j.",
                 Maths(r"\frac{\partial L}{\partial W_{1,ij}} = \frac{\partial L}{\partial s_{1,i}}\,"
                   r"\frac{\partial s_{1,i}}{\partial W_{1,ij}} = g_{1,i}\, h_{0,j}",
                   "∂L/∂W1[i, j] = g1_i · h0_j")),
            Hint("Denominator layout: ∂L/∂W1 has W1's shape, C×H. From the column g1 (C×1) and the "
                 "column h0 (H×1), the product that is C×H is a column times a row.",
                 Maths(r"(C\times 1)\cdot(1\times H) = (C\times H)", "(C×1)·(1×H) = (C×H)")),
            Hint("g1 times h0 transposed (an outer product).",
                 Maths(r"\frac{\partial L}{\partial W_1} = g_1\, h_0^\top \qquad\texttt{g1 @ h0.T}",
                   "∂L/∂W1 = g1·h0ᵀ: g1 @ h0.T")),
        ),
    ),
    Step(
        "b1", "b1", ("C", "1"), "db1",
        Maths(r"\frac{\partial L}{\partial b_1} = \;?\qquad (C\times 1)", "∂L/∂b1 = ?   (C×1)"),
        (
            Maths(r"s_1 = W_1 h_0 + b_1\qquad (C\times 1)", "s1 = W1·h0 + b1   (C×1)"),
            Maths(rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
              "g1 = ∂L/∂s1 = h1 − yoh   (C×1)"),
        ),
        (
            Hint("The scalar case: b1_i appears only in s1_i, with factor 1.",
                 Maths(r"\frac{\partial s_{1,i}}{\partial b_{1,i}} = 1", "∂s1_i/∂b1_i = 1")),
            Hint("Denominator layout: ∂L/∂b1 has b1's shape, C×1, the same as g1's.",
                 Maths(r"\frac{\partial L}{\partial b_{1,i}} = g_{1,i}\cdot 1", "∂L/∂b1_i = g1_i · 1")),
            Hint("It is g1 itself.",
                 Maths(r"\frac{\partial L}{\partial b_1} = g_1 \qquad\texttt{g1}", "∂L/∂b1 = g1: g1")),
        ),
    ),
    Step(
        "h0", "h0", ("H", "1"), "dh0",
        Maths(r"\frac{\partial L}{\partial h_0} = \;?\qquad (H\times 1)", "∂L/∂h0 = ?   (H×1)"),
        (
            Maths(r"s_1 = W_1 h_0 + b_1\qquad W_1\ (C\times H)", "s1 = W1·h0 + b1,   W1 (C×H)"),
            Maths(rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
              "g1 = ∂L/∂s1 = h1 − yoh   (C×1)"),
        ),
        (
            Hint("The scalar case: h0_j enters every s1_i, through W1[i, j]; the chain rule sums over i.",
                 Maths(r"\frac{\partial L}{\partial h_{0,j}} = \sum_i W_{1,ij}\, g_{1,i}",
                   "∂L/∂h0_j = Σ_i W1[i, j] · g1_i")),
            Hint("Denominator layout: ∂L/∂h0 has h0's shape, H×1. The sum runs over the rows i of W1, "
                 "so it is W1 transposed (H×C) times g1 (C×1).",
                 Maths(r"(H\times C)\cdot(C\times 1) = (H\times 1)", "(H×C)·(C×1) = (H×1)")),
            Hint("W1 transposed times g1.",
                 Maths(r"\frac{\partial L}{\partial h_0} = W_1^\top g_1 \qquad\texttt{W1.T @ g1}",
                   "∂L/∂h0 = W1ᵀ·g1: W1.T @ g1")),
        ),
    ),
    Step(
        "s0", "s0", ("H", "1"), "g0",
        Maths(r"g_0 = \frac{\partial L}{\partial s_0} = \;?\qquad (H\times 1)", "g0 = ∂L/∂s0 = ?   (H×1)"),
        (
            Maths(r"h_0 = \operatorname{ReLU}(s_0) = \max(s_0, 0)\quad\text{entry by entry}",
              "h0 = ReLU(s0) = max(s0, 0), entry by entry"),
            Maths(r"\frac{\partial L}{\partial h_0} = W_1^\top g_1\qquad (H\times 1)\quad(\texttt{dh0})",
              "∂L/∂h0 = W1ᵀ·g1   (H×1)   (dh0)"),
        ),
        (
            Hint("The scalar case: the derivative of max(u, 0) is 1 where u > 0 and 0 where u < 0.",
                 Maths(r"\frac{d}{du}\max(u, 0) = [u > 0]", "d/du max(u, 0) = [u > 0]")),
            Hint("h0_j depends on s0_j only, so the chain rule multiplies entry by entry (⊙): the answer is "
                 "H×1, like s0.",
                 Maths(r"\frac{\partial L}{\partial s_{0,j}} = \frac{\partial L}{\partial h_{0,j}}\,[s_{0,j} > 0]",
                   "∂L/∂s0_j = ∂L/∂h0_j · [s0_j > 0]")),
            Hint("∂L/∂h0 masked by [s0 > 0]; in numpy (s0 > 0) is True/False, which multiplies as 1/0.",
                 Maths(r"g_0 = (W_1^\top g_1) \odot [s_0 > 0] \qquad\texttt{dh0 * (s0 > 0)}",
                   "g0 = (W1ᵀ·g1) ⊙ [s0 > 0]: dh0 * (s0 > 0)")),
        ),
    ),
    Step(
        "W0", "W0", ("H", "D"), "dW0",
        Maths(r"\frac{\partial L}{\partial W_0} = \;?\qquad (H\times D)", "∂L/∂W0 = ?   (H×D)"),
        (
            Maths(r"s_0 = W_0 x + b_0\qquad (H\times 1)", "s0 = W0·x + b0   (H×1)"),
            Maths(r"g_0 = \frac{\partial L}{\partial s_0} = (W_1^\top g_1) \odot [s_0 > 0]\qquad (H\times 1)",
              "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]   (H×1)"),
            Maths(r"x\qquad (D\times 1)", "x   (D×1)"),
        ),
        (
            Hint("The scalar case: W0[i, j] appears only in s0_i, multiplied by x_j.",
                 Maths(r"\frac{\partial L}{\partial W_{0,ij}} = g_{0,i}\, x_j", "∂L/∂W0[i, j] = g0_i · x_j")),
            Hint("Denominator layout: ∂L/∂W0 has W0's shape, H×D: the column g0 (H×1) times a row (1×D).",
                 Maths(r"(H\times 1)\cdot(1\times D) = (H\times D)", "(H×1)·(1×D) = (H×D)")),
            Hint("g0 times x transposed.",
                 Maths(r"\frac{\partial L}{\partial W_0} = g_0\, x^\top \qquad\texttt{g0 @ x.T}",
                   "∂L/∂W0 = g0·xᵀ: g0 @ x.T")),
        ),
    ),
    Step(
        "b0", "b0", ("H", "1"), "db0",
        Maths(r"\frac{\partial L}{\partial b_0} = \;?\qquad (H\times 1)", "∂L/∂b0 = ?   (H×1)"),
        (
            Maths(r"s_0 = W_0 x + b_0\qquad (H\times 1)", "s0 = W0·x + b0   (H×1)"),
            Maths(r"g_0 = \frac{\partial L}{\partial s_0} = (W_1^\top g_1) \odot [s_0 > 0]\qquad (H\times 1)",
              "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]   (H×1)"),
        ),
        (
            Hint("The scalar case: b0_i appears only in s0_i, with factor 1.",
                 Maths(r"\frac{\partial s_{0,i}}{\partial b_{0,i}} = 1", "∂s0_i/∂b0_i = 1")),
            Hint("Denominator layout: ∂L/∂b0 has b0's shape, H×1, the same as g0's.",
                 Maths(r"\frac{\partial L}{\partial b_{0,i}} = g_{0,i}\cdot 1", "∂L/∂b0_i = g0_i · 1")),
            Hint("It is g0 itself.",
                 Maths(r"\frac{\partial L}{\partial b_0} = g_0 \qquad\texttt{g0}", "∂L/∂b0 = g0: g0")),
        ),
    ),
    Step(
        "batch", "b0", ("H", "1"), None,
        Maths(r"\text{A batch: }\frac{\partial L}{\partial b_0} = \;?\qquad (H\times 1)",
          "A batch: ∂L/∂b0 = ?   (H×1)"),
        (
            Maths(r"X\ (D\times N),\quad Y_{\mathrm{oh}}\ (C\times N)\text{: one column per example}",
              "X (D×N), Yoh (C×N): one column per example"),
            Maths(r"L = \sum_{i=1}^{N} L_i\quad\text{(the sum, not the mean)}", "L = Σ_i L_i (the sum, not the mean)"),
            Maths(r"S_0 = W_0 X + b_0,\ H_0 = \operatorname{ReLU}(S_0),\ S_1 = W_1 H_0 + b_1,\ "
              r"H_1 = \operatorname{softmax}(S_1)",
              "S0 = W0·X + b0, H0 = ReLU(S0), S1 = W1·H0 + b1, H1 = softmax(S1), column by column "
              "(b0 and b1 added to every column)"),
            Maths(rf"G_1 = H_1 - Y_{{\mathrm{{oh}}}}\qquad (C\times N)", "G1 = H1 − Yoh   (C×N)"),
            Maths(r"\text{one example: }\frac{\partial L_i}{\partial b_0} = g_0 = (W_1^\top g_1) \odot [s_0 > 0]",
              "one example: ∂L_i/∂b0 = g0 = (W1ᵀ·g1) ⊙ [s0 > 0]"),
        ),
        (
            Hint("The loss is a sum over the examples, so its gradient is the sum of each example's: "
                 "example i adds its own g0.",
                 Maths(r"\frac{\partial L}{\partial b_0} = \sum_{i=1}^{N} \frac{\partial L_i}{\partial b_0}",
                   "∂L/∂b0 = Σ_i ∂L_i/∂b0")),
            Hint("Every example's g0 at once is the H×N matrix G0, one column per example. "
                 "Denominator layout: ∂L/∂b0 has b0's shape, H×1, so add up G0's columns "
                 "(axis=1, keepdims=True keeps the column).",
                 Maths(r"G_0 = (W_1^\top G_1) \odot [S_0 > 0]\qquad (H\times N)",
                   "G0 = (W1ᵀ·G1) ⊙ [S0 > 0]   (H×N)")),
            Hint("The sum of G0's columns.",
                 Maths(r"\frac{\partial L}{\partial b_0} = \sum_{i=1}^{N} G_{0}[:, i] \qquad"
                   r"\texttt{((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)}",
                   "∂L/∂b0 = Σ_i G0[:, i]: ((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)")),
        ),
        batch=True,
    ),
)

ORDER = tuple(step.name for step in STEPS)

STEP_NAMES = ("h1", "s1", "W1", "b1", "h0", "s0", "W0", "b0", "batch")
"""The steps' names in ORDER, as a literal: pynn.page.settings reads it from this source for the
page's hash (``derive=STEP``; the build runs without numpy). tests/test_derive.py holds it equal."""
_BY_NAME = {step.name: step for step in STEPS}
RESULTS = tuple(step.result for step in STEPS if step.result)


def names(step: str) -> tuple[str, ...]:
    """The names an answer to ``step`` may use besides ``np``: the net's quantities and what the
    earlier steps derived (the batch step: the batch's quantities, upper case, and G1)."""
    found = _step(step)
    if found.batch:
        return BATCH
    earlier = ORDER.index(step)
    return ONE_EXAMPLE + tuple(s.result for s in STEPS[:earlier] if s.result)


def catalogue() -> dict[str, Any]:
    """The steps as JSON-able data for the page, in ORDER."""
    return {
        "max_length": MAX_LENGTH,
        "steps": [
            {
                "name": step.name,
                "wrt": step.wrt,
                "shape": "×".join(step.shape),
                "result": step.result,
                "batch": step.batch,
                "question": step.question.data(),
                "known": [maths.data() for maths in step.known],
                "hints": [hint.data() for hint in step.hints],
                "names": list(names(step.name)),
            }
            for step in STEPS
        ],
    }


def _step(name: str) -> Step:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"no derivation step {name!r}; the steps are {', '.join(ORDER)}") from None


# -- the random nets and the true derivatives ----------------------------------------------------


@dataclass
class Case:
    """One random net with one example (or a batch): every quantity a step may name, the true
    answer of every step, and the sizes."""

    sizes: dict[str, int]
    values: dict[str, np.ndarray]
    answers: dict[str, np.ndarray]


def _loss_of_scores(s1: np.ndarray, Yoh: np.ndarray) -> float:
    """L = −Σ Yoh ⊙ log softmax(S1), the summed NLL, from pynn's log-softmax."""
    return float(-(Yoh * log_softmax(s1)).sum())


def _numerical(function: Callable[[np.ndarray], float], at: np.ndarray) -> np.ndarray:
    """Central finite differences (f(a + ε) − f(a − ε)) / 2ε of a scalar function, entry by entry."""
    grad = np.zeros_like(at)
    for index in np.ndindex(at.shape):
        plus, minus = at.copy(), at.copy()
        plus[index] += FD_EPS
        minus[index] -= FD_EPS
        grad[index] = (function(plus) - function(minus)) / (2 * FD_EPS)
    return grad


def _agree(analytic: np.ndarray, numeric: np.ndarray) -> bool:
    """Relative error ‖a − n‖ / (‖a‖ + ‖n‖) below the spec's bound."""
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return scale == 0 or float(np.linalg.norm(analytic - numeric) / scale) < FD_AGREE


def _random_net(rng: np.random.Generator, D: int, H: int, C: int) -> TwoLayerNet:
    net = TwoLayerNet(D, H, C, seed=int(rng.integers(2**31)))
    net.b0 = rng.standard_normal((H, 1)) * 0.5
    net.b1 = rng.standard_normal((C, 1)) * 0.5
    return net


@functools.lru_cache(maxsize=16)
def make_case(seed: int) -> Case:
    """A random net with every size different (D, H, C, N from 2 to 7, so a transposed or
    unsummed answer shows in its shape), one example x (D×1) with its one-hot yoh (C×1), a batch
    X (D×N), and the true answer of every step.

    Kept per seed (the same seed gives the same case), so a student's second check costs only the
    evaluation; nothing writes into a case (check() hands the expression copies).

    The example is drawn so that s0 has units on and off, none within 0.01 of the ReLU's kink
    (a finite difference there would straddle it), and likewise every column of the batch.
    """
    rng = np.random.default_rng(seed)
    D, H, C, N = (int(v) for v in rng.choice(np.arange(2, 8), size=4, replace=False))
    H, C = max(H, C), min(H, C)  # H ≥ 3, so the mask has room to have units on and off
    net = _random_net(rng, D, H, C)
    while True:
        x = rng.standard_normal((D, 1))
        X = rng.standard_normal((D, N))
        s0, S0 = net.W0 @ x + net.b0, net.W0 @ X + net.b0
        if all(np.any(s > 0) and np.any(s < 0) and np.all(np.abs(s) > 0.01) for s in (s0, S0)):
            break
    y = rng.integers(0, C, 1)
    Y = rng.integers(0, C, N)
    yoh, Yoh = one_hot(y, C), one_hot(Y, C)
    f, F = net.forward(x), net.forward(X)
    W0, b0, W1, b1 = net.W0, net.b0, net.W1, net.b1
    values = {"x": x, "yoh": yoh, "s0": f.s0, "h0": f.h0, "s1": f.s1, "h1": f.h1,
              "W0": W0, "b0": b0, "W1": W1, "b1": b1,
              "X": X, "Yoh": Yoh, "S0": F.s0, "H0": F.h0, "S1": F.s1, "H1": F.h1, "G1": F.h1 - Yoh}

    # The chain rule, step by step, as the derivation asks for it ...
    dh1 = -yoh / f.h1
    g1 = f.h1 - yoh
    dh0 = W1.T @ g1
    g0 = dh0 * (f.s0 > 0)
    G0 = (W1.T @ (F.h1 - Yoh)) * (F.s0 > 0)
    answers = {"h1": dh1, "s1": g1, "W1": g1 @ f.h0.T, "b1": g1, "h0": dh0, "s0": g0, "W0": g0 @ x.T,
               "b0": g0, "batch": G0.sum(axis=1, keepdims=True)}
    # ... is the true derivative: pynn's gradients for the parameters, finite differences of the
    # loss for the quantities in between. A disagreement is a bug here or in pynn, not the student's.
    _, grads = net.gradients(x, y)
    _, batch_grads = net.gradients(X, Y)
    truth = {"W1": grads["W1"], "b1": grads["b1"], "W0": grads["W0"], "b0": grads["b0"], "batch": batch_grads["b0"],
             "h1": _numerical(lambda h: float(-(yoh * np.log(h)).sum()), f.h1),
             "s1": _numerical(lambda s: _loss_of_scores(s, yoh), f.s1),
             "h0": _numerical(lambda h: _loss_of_scores(W1 @ h + b1, yoh), f.h0),
             "s0": _numerical(lambda s: _loss_of_scores(W1 @ relu(s) + b1, yoh), f.s0)}
    for name, true in truth.items():
        if not _agree(answers[name], true):
            raise RuntimeError(f"the derivation's {name} step disagrees with pynn (seed {seed}): a bug in pynn")
    sizes = {"D": D, "H": H, "C": C, "N": N}
    return Case(sizes=sizes, values={**values, **{s.result: answers[s.name] for s in STEPS if s.result}},
                answers=answers)


# -- the mistakes --------------------------------------------------------------------------------


def _wrong(step: Step, v: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, str]]:
    """The named wrong answers of a step on one case: (mistake, value, message)."""
    mask, dh0 = v["s0"] > 0, v["dh0"]
    if step.name == "h1":
        return [("loss-not-derivative", -v["yoh"] * np.log(v["h1"]),
                 "that is the loss's terms −yoh ⊙ log h1, not their derivative: d/du (−y·log u) = −y/u")]
    if step.name == "s1":
        h1, yoh = v["h1"], v["yoh"]
        return [
            ("sign", yoh - h1, "the sign of h1 − yoh: yours is yoh − h1. Raising the true class's score "
                               "lowers the loss, so that entry of ∂L/∂s1 is h1 − 1 < 0; the others are h1 > 0"),
            ("softmax-skipped", -yoh / h1, "that is ∂L/∂h1 (dh1); ∂L/∂s1 goes on through the softmax: "
                                          "Σ_j ∂L/∂h1_j · ∂h1_j/∂s1_i"),
            ("softmax-diagonal", -yoh / h1 * h1 * (1 - h1),
             "you differentiated the softmax entry by entry, like a sigmoid (h1 ⊙ (1 − h1)); but every h1_j "
             "depends on every s1_i: sum over j with ∂h1_j/∂s1_i = h1_j(δ_ij − h1_i)"),
        ]
    if step.name == "W1":
        return [("pre-activation", v["g1"] @ v["s0"].T,
                 "∂L/∂W1 = g1·h0ᵀ uses h0, the hidden layer after the ReLU (what W1 multiplies), not s0")]
    if step.name == "h0":
        return [("mask-wrong-side", dh0 * mask,
                 "that is ∂L/∂s0: the ReLU's mask [s0 > 0] belongs on the s0 side of the ReLU (the next step); "
                 "∂L/∂h0 = W1ᵀ·g1 has no mask")]
    if step.name == "s0":
        return [
            ("mask-missing", dh0, "the ReLU's mask is missing: that is ∂L/∂h0; through h0 = max(s0, 0) "
                                  "multiply by [s0 > 0], entry by entry"),
            ("mask-is-h0", dh0 * v["h0"], "multiply by the mask [s0 > 0] (1 or 0), not by h0 itself: "
                                          "the ReLU's derivative is [s0 > 0]"),
            ("mask-inverted", dh0 * (v["s0"] < 0), "the mask is inverted: the gradient passes where the unit "
                                                   "is on, [s0 > 0], not where it is off"),
            ("relu-of-gradient", relu(dh0), "that is ReLU applied to the gradient; the chain rule multiplies by "
                                           "the ReLU's derivative, the mask [s0 > 0]"),
            ("mask-wrong-side", v["W1"].T @ (v["g1"] * (v["s1"] > 0)),
             "the mask is on the wrong side: layer 1 has no ReLU, so no [s1 > 0] on g1; the mask [s0 > 0] "
             "comes after W1ᵀ, on the hidden side: (W1ᵀ·g1) ⊙ [s0 > 0]"),
        ]
    if step.name in ("W0", "b0"):
        through = (lambda g: g @ v["x"].T) if step.name == "W0" else (lambda g: g)
        return [
            ("mask-missing", through(dh0), "the ReLU's mask is missing: use g0 = (W1ᵀ·g1) ⊙ [s0 > 0], "
                                           "not W1ᵀ·g1"),
            ("mask-is-h0", through(dh0 * v["h0"]), "multiply by the mask [s0 > 0] (1 or 0), not by h0 itself"),
        ]
    if step.name == "batch":
        back = v["W1"].T @ v["G1"]
        G0 = back * (v["S0"] > 0)
        N = v["X"].shape[1]
        return [
            ("mean-not-sum", G0.mean(axis=1, keepdims=True),
             f"that is the mean over the {N} examples; the loss is the sum, L = Σ_i L_i, so its gradient is the "
             "sum of theirs: do not divide by N"),
            ("not-summed", G0, f"that is G0, one column per example (H×N = {G0.shape[0]}×{N}); ∂L/∂b0 has b0's "
                               f"shape H×1 (denominator layout): add up the columns, axis=1, keepdims=True"),
            ("mask-missing", back.sum(axis=1, keepdims=True),
             "the ReLU's mask is missing: G0 = (W1ᵀ·G1) ⊙ [S0 > 0]"),
            ("mask-is-h0", (back * v["H0"]).sum(axis=1, keepdims=True),
             "multiply by the mask [S0 > 0] (1 or 0), not by H0 itself"),
        ]
    return []


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-6, atol=1e-9 * scale))


def _shape(array: np.ndarray) -> str:
    """D×1 for a matrix, (D,) for numpy's 1-D arrays (neither a column nor a row)."""
    if array.ndim == 0:
        return "a single number"
    if array.ndim == 1:
        return f"({array.shape[0]},), a 1-D array"
    return "×".join(str(n) for n in array.shape)


def _expected(step: Step, sizes: dict[str, int]) -> str:
    rows, cols = step.shape
    return f"{rows}×{cols} (here {sizes.get(rows, rows)}×{sizes.get(cols, cols)})"


def _what(step: Step) -> str:
    return f"∂L/∂{step.wrt}" + (" for the batch" if step.batch else "")


def _diagnose(step: Step, got: np.ndarray, case: Case) -> tuple[str | None, str] | None:
    """None if ``got`` is the right answer, else (mistake or None, message)."""
    want = case.answers[step.name]
    if _close(got, want):
        return None
    for mistake, value, message in _wrong(step, case.values):
        if _close(got, np.asarray(value, dtype=np.float64)):
            return mistake, message
    what, expected = _what(step), _expected(step, case.sizes)
    layout = (f"in denominator layout a gradient has the shape of what it differentiates by, so {what} has "
              f"{step.wrt}'s shape, {expected}")
    if _close(got, -want):
        after_g1 = ORDER.index(step.name) > ORDER.index("s1")
        return "sign", f"the sign is flipped: yours is −1 times {what}" + (
            " — g1 = h1 − yoh, not yoh − h1" if after_g1 else "")
    if got.shape == want.T.shape and _close(got.T, want):
        return "transposed", f"that is {what} transposed ({_shape(got)}): {layout}"
    if got.shape != want.shape:
        if got.size == want.size and _close(got.reshape(want.shape), want):
            return "shape", (f"the numbers are right but the shape is {_shape(got)}: {layout} — keep it a "
                             f"column (keepdims=True, or .reshape)")
        return "shape", f"your expression gives {_shape(got)}; {layout}"
    if not np.all(np.isfinite(got)):
        return None, f"your expression gives NaN or infinite values where {what} is finite"
    gap = np.abs(got - want)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = ", ".join(str(int(i)) for i in index)
    return None, (f"not {what} yet: the shape is right, the values are not; at [{where}] the true value is "
                  f"{want[index]:.4g}, yours {got[index]:.4g}")


# -- the check -------------------------------------------------------------------------------------


def _result(status: str, message: str, mistake: str | None = None, **more: Any) -> dict[str, Any]:
    return {"status": status, "message": message[0].upper() + message[1:], "mistake": mistake, **more}


def _used_names(tree: ast.AST) -> list[str]:
    """The free names an expression reads (not those its own comprehensions or lambdas bind), in order."""
    bound = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)}
    bound |= {arg.arg for node in ast.walk(tree) if isinstance(node, ast.arguments)
              for arg in (*node.posonlyargs, *node.args, *node.kwonlyargs)}
    loads = [node for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)]
    used = [node.id for node in sorted(loads, key=lambda node: (node.lineno, node.col_offset))]
    return list(dict.fromkeys(name for name in used if name not in bound))


def _refuse_names(step: Step, used: list[str]) -> dict[str, Any] | None:
    """A result for a name the step does not offer, or None."""
    allowed = set(names(step.name)) | {"np"}
    later = [s.result for s in STEPS[ORDER.index(step.name):] if s.result]
    for name in used:
        if name in allowed:
            continue
        if name in later and not step.batch:
            owner = next(s for s in STEPS if s.result == name)
            when = "this step's own answer" if owner is step else f"what the {owner.name} step derives, later"
            return _result("fail", f"Not derived yet: {name} is {when}. Write it from what is known: "
                                   f"{', '.join(names(step.name))}", "not-yet-derived", name=name)
        offered = ", ".join(names(step.name))
        if step.batch and (name in ONE_EXAMPLE or name in RESULTS):
            why = (f"Not a name in the batch step: {name} is one example's, and the batch's quantities are upper "
                   f"case (X, not x; S0, not s0). You can use: {offered}")
        elif not step.batch and name in BATCH:
            why = (f"Not a name in this step: {name} is the batch's, and this step is about one example, in lower "
                   f"case. You can use: {offered}")
        else:
            why = f"Not a name here: {name}. You can use np and {offered}"
        return _result("error", why, "unknown-name", name=name)
    return None


def _shapes_of(used: list[str], values: dict[str, np.ndarray]) -> str:
    return ", ".join(f"{name} {_shape(values[name])}" for name in used if name in values)


def _evaluate(code: Any, values: dict[str, np.ndarray]) -> Any:
    """The compiled expression's value, with np and copies of the values as its only names.

    Of the builtins only ``__import__`` is there: numpy's methods import lazily (ndarray.mean
    does), and an import looks ``__import__`` up in the calling frame's builtins.
    """
    scope: dict[str, Any] = {"__builtins__": {"__import__": builtins.__import__}, "np": np}
    scope.update((name, value.copy()) for name, value in values.items())
    with np.errstate(all="ignore"):
        return eval(code, scope)


def check(step: str, expression: str, *, seed: int = 0, nets: int = NETS) -> dict[str, Any]:
    """Evaluate ``expression`` for ``step`` on ``nets`` random nets and compare it with the truth.

    Returns ``{"status", "message", "mistake", "step", ...}``: status "pass" (equal on every net),
    "fail" (a wrong answer; mistake names it when it is a known one, else None) or "error" (not
    an answer that can be judged: too long, not Python, an unknown name, it raised). A failing
    answer's result also holds ``sizes``, the net's D, H, C (and N) it failed on.
    """
    found = _step(step)
    base = {"step": step}
    if not isinstance(expression, str) or not expression.strip():
        return _result("error", "write a numpy expression over the names shown", "empty", **base)
    if len(expression) > MAX_LENGTH:
        return _result("error", f"the expression is {len(expression)} characters long; at most {MAX_LENGTH} are "
                                "checked — the right answer fits in one short line", "too-long", **base)
    source = expression.strip()
    try:
        tree = ast.parse(source, mode="eval")
        code = compile(tree, "<your answer>", "eval")
    except SyntaxError as error:
        where = f" (at character {error.offset})" if error.offset else ""
        assignment = " — write only the expression, without a name and =" if _is_assignment(source) else ""
        return _result("error", f"Python cannot read this expression: {error.msg}{where}{assignment}", "syntax", **base)
    used = _used_names(tree)
    refused = _refuse_names(found, used)
    if refused is not None:
        return {**refused, **base}
    allowed = names(step)
    for number in range(nets):
        case = make_case(seed * 1000 + number)
        values = {name: case.values[name] for name in allowed}
        sizes = {key: value for key, value in case.sizes.items() if key != "N" or found.batch}
        more = {**base, "sizes": sizes}
        try:
            got = _evaluate(code, values)
        except (ValueError, IndexError) as error:
            if _about_shapes(error):
                missing = _missing_transpose(code, values, used, case.answers[step])
                if missing is not None:
                    return _result("fail", f"a transpose is missing: with {missing}ᵀ ({missing}.T) in place of "
                                           f"{missing}, your expression is {_what(found)}. In denominator layout "
                                           f"it has {found.wrt}'s shape, {_expected(found, case.sizes)}",
                                   "transposed", **more)
                return _result("fail", f"the shapes do not fit together ({_shapes_of(used, values)}): in A @ B "
                                       "the columns of A must equal the rows of B, and A * B needs equal sizes "
                                       "(or 1) in each dimension; a transpose (.T) turns a column into a row. "
                                       f"numpy says: {error}", "shapes-do-not-fit", **more)
            return _result("error", f"your expression raised {type(error).__name__}: {error}", "raised", **more)
        except Exception as error:  # the student's expression: any exception is theirs to see
            return _result("error", f"your expression raised {type(error).__name__}: {error}", "raised", **more)
        try:
            array = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return _result("error", f"your expression gives {type(got).__name__}, not an array of numbers",
                           "not-a-number", **more)
        diagnosis = _diagnose(found, array, case)
        if diagnosis is not None:
            mistake, message = diagnosis
            return _result("fail", message, mistake, shape=list(array.shape), **more)
    return _result("pass", f"Right: {_what(found)} on {nets} random nets, equal to pynn's (checked against finite "
                           "differences of the loss too)", None, **base)


def _missing_transpose(code: Any, values: dict[str, np.ndarray], used: list[str], want: np.ndarray) -> str | None:
    """The name whose transpose makes an expression that numpy could not evaluate right, if any."""
    for name in used:
        if name not in values or values[name].ndim != 2:
            continue
        try:
            got = np.asarray(_evaluate(code, {**values, name: values[name].T}), dtype=np.float64)
        except Exception:  # the same expression with one name transposed: any failure means no
            continue
        if _close(got, want):
            return name
    return None


def _is_assignment(source: str) -> bool:
    try:
        return isinstance(ast.parse(source).body[0], (ast.Assign, ast.AugAssign, ast.AnnAssign))
    except (SyntaxError, IndexError):
        return False


def _about_shapes(error: Exception) -> bool:
    text = str(error)
    return any(words in text for words in ("matmul", "broadcast", "aligned", "mismatch in its core dimension"))

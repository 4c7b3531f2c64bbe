"""What a derivation step is made of: equations (TeX with a plain-text alternative), hints, the
answer, how its truth is checked, and the wrong answers it recognises. Plain data: the standard
library only, so the content needs neither numpy nor the checker (pynn.page.derive) to be read.

The expressions (``answer``, ``loss``, each Wrong's ``value``) are numpy over the names of one
case of the checker (pynn.page.derive.make_case): the net's quantities (x, yoh, s0, h0, s1, h1,
W0, b0, W1, b1; for a batch X, Yoh, S0, H0, S1, H1, G1) and what the steps derived (dh1, g1, dW1,
db1, dh0, g0, dW0, db0), with ``np``, and for ``loss`` ``nll(scores, yoh)`` (the summed NLL, from
log-softmax) and ``relu``. They are pynn's own expressions: the checker evaluates them, never a
student's.
"""
from __future__ import annotations

from dataclasses import dataclass


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
class Wrong:
    """A wrong answer a step recognises: its identifier (the class view counts them), its value as
    an expression, and what the student is told ({N}, {H}: the case's sizes)."""

    mistake: str
    value: str
    message: str


@dataclass(frozen=True)
class Step:
    """One step of the derivation.

    ``wrt`` is what L is differentiated by, ``shape`` the answer's shape in letters (its
    parameter's or quantity's shape: denominator layout), ``result`` the name later steps know the
    answer by (None for the last step). ``answer`` is the right answer; ``loss``, the loss as an
    expression of ``wrt``, whose finite differences the answer must match — empty for a parameter,
    whose answer must match pynn's own gradient (of one example, or of the batch).
    """

    name: str
    wrt: str
    shape: tuple[str, str]
    result: str | None
    question: Maths
    known: tuple[Maths, ...]
    hints: tuple[Hint, ...]
    batch: bool = False
    answer: str = ""
    loss: str = ""
    wrong: tuple[Wrong, ...] = ()


YOH = r"y_{\mathrm{oh}}"
YOH_I, YOH_J = r"y_{\mathrm{oh},i}", r"y_{\mathrm{oh},j}"

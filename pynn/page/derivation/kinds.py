"""What a derivation step is made of: equations (TeX with a plain-text alternative), hints, the
answer, how its truth is checked, and the wrong answers it recognises. Plain data: the standard
library only, so the content needs neither numpy nor the checker (pynn.page.derive) to be read.

The expressions (``answer``, ``loss``, each Wrong's ``value``) are numpy over the names of one
case of the checker (pynn.page.derive.make_case): the net's quantities (x, yoh, s0, h0, s1, h1,
W0, b0, W1, b1; for a batch X, Yoh, S0, H0, S1, H1, G1) and what the steps derived (dh1, g1, dW1,
db1, dh0, g0, dW0, db0), with ``np``, and for ``loss`` ``nll(scores, yoh)`` (the summed NLL, from
log-softmax) and ``relu``. They are pynn's own expressions: the checker evaluates them, never a
student's.

Every text is said by id (pynn.page.text), the ids derived from the step's name (``Step.texts``,
registered by the package): ``derive.<step>.question``, ``derive.<step>.known.<n>`` (an equation's
plain-text alternative in words, text.Words; maths is said as it is, like its TeX),
``derive.<step>.hint.<n>`` (and ``….hint.<n>.maths``), ``derive.<step>.mistake.<id>``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import text


@dataclass(frozen=True)
class Maths:
    """One equation: its TeX (what the page typesets) and its plain-text alternative (what a
    screen reader says)."""

    tex: str
    text: str
    """Maths, or text.Words: said in the page's language by its id."""

    def data(self, key: str) -> dict[str, str]:
        """The equation for the page, its alternative in words said by the id ``key``."""
        return {"tex": self.tex, "text": text.say(key) if isinstance(self.text, text.Words) else str(self.text)}


@dataclass(frozen=True)
class Hint:
    """One hint: a sentence in words, and the equation it leads to."""

    say: str
    maths: Maths

    def data(self, key: str) -> dict[str, str]:
        """The hint for the page: its sentence said by the id ``key``, its equation's by ``key.maths``."""
        return {"say": text.say(key), **self.maths.data(f"{key}.maths")}


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

    def key(self, *parts: str) -> str:
        """The id of one of this step's texts: ``derive.<step>.<parts…>`` (as text.name_part writes them)."""
        return ".".join(("derive", *map(text.name_part, (self.name, *parts))))

    def texts(self) -> dict[str, str]:
        """The step's texts by id: the question and what is known where they are in words, each hint
        (and its equation in words), each wrong answer's message."""
        maths = [("question", self.question), *((f"known.{n}", known) for n, known in enumerate(self.known, 1)),
                 *((f"hint.{n}.maths", hint.maths) for n, hint in enumerate(self.hints, 1))]
        return {
            **{self.key(*where.split(".")): str(said.text) for where, said in maths if isinstance(said.text, text.Words)},
            **{self.key("hint", str(n)): hint.say for n, hint in enumerate(self.hints, 1)},
            **{self.key("mistake", wrong.mistake): wrong.message for wrong in self.wrong},
        }

    def data(self) -> dict[str, Any]:
        """The question, what is known and the hints for the page, said in the page's language."""
        return {
            "question": self.question.data(self.key("question")),
            "known": [known.data(self.key("known", str(n))) for n, known in enumerate(self.known, 1)],
            "hints": [hint.data(self.key("hint", str(n))) for n, hint in enumerate(self.hints, 1)],
        }

    def message(self, wrong: Wrong, **sizes: int) -> str:
        """What a student whose answer is ``wrong`` is told, in the page's language ({N}, {H}: ``sizes``)."""
        return text.say(self.key("mistake", wrong.mistake), **sizes)


YOH = r"y_{\mathrm{oh}}"
YOH_I, YOH_J = r"y_{\mathrm{oh},i}", r"y_{\mathrm{oh},j}"

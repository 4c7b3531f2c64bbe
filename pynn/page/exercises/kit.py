"""What the exercises are written with: an exercise, its checks, the named mistakes, pynn's random
nets, and the comparisons that judge what a student's function gave back.

A check is two halves, so that no verdict is ever computed where a student's code ran:

    plan(rng) → Planned(calls, context)
        the inputs to run the student's function on, drawn from ``rng`` (fresh for every Check
        and every grading), each a Call; ``context``: what the judgement needs besides them
    judge(context, outputs) → what passed, in words; or raises Mistake
        ``outputs[i]`` is what call i gave back, as pynn.page.wire read it from the sandbox: an
        ndarray (float64), wire.Opaque, a float, None, a dict, tuple or list, wire.Other. Reading
        an output that raised raises StudentRaised, so a check stops at the first call of its own
        that raised, as it would have stopped calling.

A Mistake's message says what was expected, what came back and, when it recognises the mistake,
why; its ``mistake`` is a short stable identifier ("W1-transposed", "mean-not-sum") that a class
view can count: a key of the exercise's ``mistakes`` or of GENERIC.

Every text is said by id (pynn.page.text), the ids derived from the exercise's own names: the
package registers each exercise's title, intro, equations in words (text.Words), check names and
mistakes (``Exercise.texts``: ``exercise.<name>.title``, ``exercise.<name>.check.<check>``,
``exercise.<name>.mistake.<id>``…); a module registers at its top the messages its checks say
(``exercise.<name>.check.<check>.passed``…) and says them with ``sayer(<name>)``. The sentences
any check says are this module's (``exercise.check.…``), GENERIC's mistakes ``exercise.mistake.<id>``.

Examples are columns: X is D×N, Yoh C×N; W0 H×D, b0 H×1, W1 C×H, b1 C×1. Every comparison is with
pynn itself (pynn.model) on random nets and batches. ``as_array``, ``kind`` and ``wrong_type``
also read live values (pynn.page.yourcode checks the student's functions with them while it trains).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from .. import text
from ... import model
from ...model import PARAMETERS, TwoLayerNet
from ..wire import Opaque, Other, Raised

# (D, H, C, N) of the random nets the values are checked on: N = 1 and N > 1, H = 1, C = 2.
SIZES = ((2, 5, 3, 7), (3, 1, 2, 1), (4, 6, 2, 5), (2, 4, 3, 1))
# The net the shapes are checked on: every dimension different, so a transposed result shows.
SHAPE_SIZE = (2, 32, 3, 8)

GENERIC = {
    "no-return": "the function returned None",
    "wrong-type": "the result is not of the type asked for",
    "wrong-shape": "an array of the wrong shape",
    "not-real": "an array that does not hold real numbers",
    "missing-key": "a dict without one of the keys asked for",
    "not-finite": "NaN or infinite values where pynn's are finite",
    "wrong-values": "values that differ from pynn's, for no reason recognised",
}
"""The mistakes any check may name, beside each exercise's own ``mistakes`` (ids ``exercise.mistake.<id>``)."""

TEXT = text.register({
    **{f"exercise.mistake.{name}": what for name, what in GENERIC.items()},
    "exercise.check.kind.none": "None — did you forget the return?",
    "exercise.check.kind.type": "a {type}",
    "exercise.check.not-an-array": "{what} must be a numpy array of shape {shape}{why}; yours is {kind}",
    "exercise.check.wrong-shape": "{what} must have shape {shape}{why}; yours is {found}",
    "exercise.check.wrong-shape-known": "{what} must have shape {shape}{why}; yours is {found}: {hint}",
    "exercise.check.not-real": "{what} must hold real numbers; yours has dtype {dtype}",
    "exercise.check.difference": "at {where} pynn has {expected:.6g}, yours {actual:.6g}",
    "exercise.check.not-finite": "{what} has NaN or infinite values {case}, where pynn's are finite",
    "exercise.check.differs": "{what} differs from pynn's {case}: {difference}",
    "exercise.check.differs-known": "{what} differs from pynn's {case}: {difference} — {hint}",
})


def sayer(exercise: str) -> Callable[..., str]:
    """text.say for the texts of ``exercise``: ``sayer("relu")("mistake", "min-not-max")`` says
    ``exercise.relu.mistake.min-not-max`` (its placeholders filled from the keyword arguments; the
    name and parts as text.name_part writes them: ``exercise.sgd-step.…``, ``…mistake.w1-transposed``)."""

    def say(*parts: str, **params: Any) -> str:
        return text.say(".".join(("exercise", *map(text.name_part, (exercise, *parts)))), **params)

    return say


def slug(title: str) -> str:
    """A check's name as a text id's part: its title in lower case, every run of other characters
    one dash ("stable at ±1e4" → "stable-at-1e4")."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class Mistake(Exception):
    """A check failed; the message says what was expected, what came back and, when recognised,
    why. ``mistake`` names it: a key of the exercise's ``mistakes`` or of GENERIC."""

    def __init__(self, message: str, mistake: str) -> None:
        super().__init__(message)
        self.mistake = mistake


class StudentRaised(Exception):
    """The student's function raised on one of a check's calls (``raised``: what the sandbox said)."""

    def __init__(self, raised: Raised) -> None:
        super().__init__(raised.text())
        self.raised = raised


class Call(NamedTuple):
    """One call of the student's function: its arguments, and what comes back — "result" (what it
    returns) or "argument" (its first argument after the call, to see whether it changed it)."""

    args: tuple[Any, ...]
    give: str = "result"


class Planned(NamedTuple):
    """A check's inputs: the calls to run, and what its judgement needs besides them."""

    calls: list[Call]
    context: Any = None


class Outputs:
    """What a check's calls gave back, in order; reading one that raised raises StudentRaised."""

    def __init__(self, values: Sequence[Any]) -> None:
        self.values = list(values)

    def __getitem__(self, index: int) -> Any:
        value = self.values[index]
        if isinstance(value, Raised):
            raise StudentRaised(value)
        return value

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Check:
    """One check: its title, the inputs it runs (``plan``) and its judgement of what came back."""

    title: str
    plan: Callable[[np.random.Generator], Planned]
    judge: Callable[[Any, Outputs], str]

    @property
    def name(self) -> str:
        """The check's name in its text ids (``exercise.<exercise>.check.<name>``)."""
        return slug(self.title)


@dataclass(frozen=True)
class Exercise:
    """One exercise: what the page shows (title, intro, equations, skeleton, solution), its checks
    in order (the first checks the type and shapes the others need) and its named mistakes
    (identifier → what it is). The texts are English, registered by id (``texts``) and said in the
    page's language (``say``, ``spoken``); an equation is maths unless it is text.Words."""

    name: str
    title: str
    intro: str
    equations: tuple[str, ...]
    skeleton: str
    solution: str
    checks: tuple[Check, ...]
    mistakes: dict[str, str] = field(default_factory=dict)
    tex: tuple[str, ...] = ()
    """The equations typeset: one TeX per entry of ``equations``, which stays their plain-text
    alternative (what a screen reader says, and what shows if KaTeX cannot load)."""
    from_derivation: str = ""
    """Code built from the student's derivation (pynn.page.derive): ``«step»`` stands for the
    expression that passed that step; the page fills it in ("Use my derivation")."""

    def texts(self) -> dict[str, str]:
        """The exercise's texts by id: title, intro, each equation in words (by its number from 1),
        each check's name and each mistake."""
        key = f"exercise.{text.name_part(self.name)}"
        return {
            f"{key}.title": self.title, f"{key}.intro": self.intro,
            **{f"{key}.equation.{n}": str(equation) for n, equation in enumerate(self.equations, 1)
               if isinstance(equation, text.Words)},
            **{f"{key}.check.{check.name}": check.title for check in self.checks},
            **{f"{key}.mistake.{text.name_part(mistake)}": what for mistake, what in self.mistakes.items()},
        }

    def say(self, *parts: str, **params: Any) -> str:
        """This exercise's text ``exercise.<name>.<parts…>`` in the page's language."""
        return sayer(self.name)(*parts, **params)

    def spoken(self) -> list[str]:
        """The equations' plain-text alternatives: those in words said in the page's language, the
        maths as it is."""
        return [self.say("equation", str(n)) if isinstance(equation, text.Words) else str(equation)
                for n, equation in enumerate(self.equations, 1)]


# -- pynn, the reference -------------------------------------------------------------------------


def random_net(D: int, H: int, C: int, N: int, rng: np.random.Generator) -> tuple[TwoLayerNet, np.ndarray, np.ndarray]:
    """A pynn net with random weights and non-zero biases, a batch X (D×N) and one-hot labels Yoh
    (C×N), all drawn from ``rng``."""
    net = TwoLayerNet(D, H, C, seed=int(rng.integers(2**31)))
    net.b0 = rng.standard_normal((H, 1)) * 0.5
    net.b1 = rng.standard_normal((C, 1)) * 0.5
    X = rng.standard_normal((D, N))
    y = rng.integers(0, C, N)
    return net, X, model.one_hot(y, C)


def random_batches(rng: np.random.Generator) -> list[tuple[TwoLayerNet, np.ndarray, np.ndarray]]:
    """The four random nets and batches of SIZES that the values are checked on."""
    return [random_net(*size, rng=rng) for size in SIZES]


def net_of(weights: Sequence[np.ndarray]) -> TwoLayerNet:
    """A pynn net holding W0, b0, W1, b1 (copies), in that order."""
    W0, b0, W1, b1 = weights
    net = TwoLayerNet(W0.shape[1], W0.shape[0], W1.shape[0])
    for name, value in zip(PARAMETERS, weights):
        setattr(net, name, np.array(value, dtype=np.float64))
    return net


def params(net: TwoLayerNet) -> dict[str, np.ndarray]:
    """Copies of the net's W0, b0, W1, b1 as the exercises' params dict."""
    return {name: getattr(net, name).copy() for name in PARAMETERS}


def weights(net: TwoLayerNet) -> tuple[np.ndarray, ...]:
    """Copies of the net's W0, b0, W1, b1, in that order: the arguments of forward and gradients."""
    return tuple(getattr(net, name).copy() for name in PARAMETERS)


def reference_gradients(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> dict[str, np.ndarray]:
    """pynn's ∂L/∂θ of the summed loss."""
    return net.backward_pass(X, net.forward_pass(X), Yoh)


def case(net: TwoLayerNet, N: int, lr: float | None = None) -> str:
    """The sizes of a checked case (and its learning rate), as the messages name them."""
    step = "" if lr is None else f", lr={lr}"
    return f"(D={net.n_inputs}, H={net.n_hidden}, C={net.n_classes}, N={N}{step})"


# -- comparing -----------------------------------------------------------------------------------


def kind(value: Any) -> str:
    """What the student's function returned, in words."""
    if value is None:
        return text.say("exercise.check.kind.none")
    return text.say("exercise.check.kind.type", type=value.type if isinstance(value, Other) else type(value).__name__)


def wrong_type(value: Any) -> str:
    """The mistake of a result that is not of the type asked for: no return at all, or another type."""
    return "no-return" if value is None else "wrong-type"


def shape_of(value: Any) -> tuple[int, ...] | None:
    """An array's shape (with its numbers or without, wire.Opaque), None for anything else."""
    return tuple(value.shape) if isinstance(value, (np.ndarray, Opaque)) else None


def close(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Whether two arrays have one shape and agree to 1e-6 relative (NaN equal to NaN)."""
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    return actual.shape == expected.shape and bool(np.allclose(actual, expected, rtol=1e-6, atol=1e-9 * scale, equal_nan=True))


def as_array(value: Any, what: str, shape: tuple[int, ...], why: str = "") -> np.ndarray:
    """``value`` as a float array of ``shape``, or a Mistake naming the shape expected and why."""
    if shape_of(value) is None:
        raise Mistake(text.say("exercise.check.not-an-array", what=what, shape=str(shape), why=why, kind=kind(value)),
                      wrong_type(value))
    if value.shape != shape:
        raise Mistake(text.say("exercise.check.wrong-shape", what=what, shape=str(shape), why=why, found=str(value.shape)),
                      "wrong-shape")
    if isinstance(value, Opaque) or not np.issubdtype(value.dtype, np.number) or np.issubdtype(value.dtype, np.complexfloating):
        raise Mistake(text.say("exercise.check.not-real", what=what, dtype=str(value.dtype)), "not-real")
    return value.astype(np.float64)


def difference(actual: np.ndarray, expected: np.ndarray) -> str:
    """Where two arrays of one shape differ most, as a sentence."""
    with np.errstate(invalid="ignore"):
        gap = np.abs(actual - expected)
    gap = np.where(np.isnan(gap), np.inf, gap)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = f"[{', '.join(str(int(i)) for i in index)}]"
    return text.say("exercise.check.difference", where=where, expected=float(expected[index]), actual=float(actual[index]))


Wrong = tuple[np.ndarray, str, str]
"""A wrong answer a check recognises: its value, its mistake's identifier and the hint shown."""


def recognise(actual: np.ndarray, candidates: list[Wrong]) -> tuple[str, str] | None:
    """(identifier, hint) of the first wrong answer ``actual`` equals, if any."""
    for wrong, mistake, hint in candidates:
        if close(actual, np.asarray(wrong, dtype=np.float64)):
            return mistake, hint
    return None


def must_equal(actual: np.ndarray, expected: np.ndarray, what: str, candidates: list[Wrong], case: str) -> None:
    """Nothing if ``actual`` equals pynn's ``expected``; else a Mistake saying where they differ
    most and, when ``actual`` is one of the ``candidates``, which mistake that is."""
    if close(actual, expected):
        return
    known = recognise(actual, candidates)
    if not np.all(np.isfinite(actual)) and np.all(np.isfinite(expected)):
        if known:
            raise Mistake(known[1], known[0])
        raise Mistake(text.say("exercise.check.not-finite", what=what, case=case), "not-finite")
    if known:
        raise Mistake(text.say("exercise.check.differs-known", what=what, case=case, difference=difference(actual, expected),
                               hint=known[1]), known[0])
    raise Mistake(text.say("exercise.check.differs", what=what, case=case, difference=difference(actual, expected)),
                  "wrong-values")


def unchanged(after: Any, before: np.ndarray) -> bool:
    """Whether an argument the student's function was given came back as it was."""
    return isinstance(after, np.ndarray) and after.shape == before.shape and bool(np.array_equal(after, before))

"""Derive it yourself — the checker: each step's answer, a numpy expression, judged on random
nets without trusting the place it was evaluated. The steps themselves (questions, hints, right
answers, named mistakes) are content: pynn.page.derivation, imported here.

One check, in the page and in the class view alike, is three steps:

    plan(step, expression)        here (the training worker, where no student code runs): the
                                  expression read (length, syntax, the names it may use); NETS
                                  random nets drawn from a fresh seed, each the values of the
                                  step's names as pynn.page.wire data, and the runs to evaluate
                                  (each net as it is, and once more with each name the
                                  expression uses transposed). Or, for an expression refused
                                  before it runs, {"step", "result"}.
    running.run_expression(…)     in the sandbox: the expression's value on each run, as data
    judge(step, expression, seed, answer)   here again: the nets from the seed, every comparison
                                  with the true derivative and every named mistake

    catalogue()                   every step as JSON-able data for the page: the question and what
                                  is known (TeX, with a plain-text alternative each), the shape
                                  asked for, the names the answer may use, the hints

A result is ``{"status": "pass" | "fail" | "error" | "timeout" | "crashed" | "invalid", "message",
"mistake", "step", ...}``. The true derivative is pynn's own gradient for the parameters, and for
h1, s1, h0 and s0 the chain rule's value (the step's ``answer``), itself checked against central
finite differences of the loss on every net. A wrong answer that matches a common mistake is named
by ``mistake``, a stable identifier (the class view counts them): the step's own (its ``wrong``:
loss-not-derivative, sign, softmax-skipped, softmax-diagonal, pre-activation, mask-missing,
mask-wrong-side, mask-is-h0, mask-inverted, relu-of-gradient, mean-not-sum, not-summed) and

    shape            not the shape asked for (denominator layout: a gradient has the shape of
                     what it differentiates by)
    transposed       the transpose of the answer, or an expression numpy cannot evaluate that one
                     more transpose (of one of its names) makes right
    sign             −1 times the answer
    not-yet-derived  a name that a later step (or this one) derives
    another-step     the answer of another step (h1 - yoh at step h1: the next step's)
    xor              ^ in the expression: Python's bitwise xor, not a transpose nor a power
    shapes-do-not-fit    numpy cannot combine the shapes, and no single transpose mends it

and, with status "error", the expression could not be judged: ``syntax``, ``empty``,
``too-long``, ``unknown-name``, ``not-allowed`` (an attribute or name starting with "_": Python's
machinery, not numpy's maths), ``raised``, ``not-a-number``. Any other wrong value fails with
mistake None.
"""
from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from . import text, wire
from .derivation import ORDER, STEPS
from .derivation.kinds import Step
from .judge import check_seed, failure, fresh_seed
from ..model import TwoLayerNet, log_softmax, one_hot, relu

TEXT = text.register({
    "derive.unknown": "no derivation step {name}; the steps are {steps}",
    "derive.shape.scalar": "a single number",
    "derive.shape.vector": "({n},), a 1-D array",
    "derive.expected": "{rows}×{cols} (here {row_size}×{col_size})",
    "derive.what.batch": "∂L/∂{wrt} for the batch",
    "derive.layout": "in denominator layout a gradient has the shape of what it differentiates by, so {what} has {wrt}'s shape, {expected}",
    "derive.sign": "the sign is flipped: yours is −1 times {what}",
    "derive.sign.g1": "the sign is flipped: yours is −1 times {what} — g1 = h1 − yoh, not yoh − h1",
    "derive.transposed": "that is {what} transposed ({shape}): {layout}",
    "derive.reshape": "the numbers are right but the shape is {shape}: {layout} — keep it a column (keepdims=True, or .reshape)",
    "derive.gives-shape": "your expression gives {shape}; {layout}",
    "derive.not-finite": "your expression gives NaN or infinite values where {what} is finite",
    "derive.values": "not {what} yet: the shape is right, the values are not; at [{where}] the true value is {want:.4g}, yours {got:.4g}",
    "derive.own-answer": "this step's own answer",
    "derive.later": "what the {step} step derives, later",
    "derive.not-yet": "Not derived yet: {name} is {when}. Write it from what is known: {names}",
    "derive.name.batch": "Not a name in the batch step: {name} is one example's, and the batch's quantities are upper case (X, not x; S0, not s0). You can use: {names}",
    "derive.name.example": "Not a name in this step: {name} is the batch's, and this step is about one example, in lower case. You can use: {names}",
    "derive.name.unknown": "Not a name here: {name}. You can use np and {names}",
    "derive.empty": "write a numpy expression over the names shown",
    "derive.too-long": "the expression is {chars} characters long; at most {limit} are checked — the right answer fits in one short line",
    "derive.syntax": "Python cannot read this expression: {error}",
    "derive.syntax.at": "{error} (at character {offset})",
    "derive.syntax.assignment": "{error} — write only the expression, without a name and =",
    "derive.private": "Not allowed here: {name}. Names and attributes starting with _ are Python's machinery; a derivative needs only numpy and the names shown",
    "derive.raised": "your expression raised {error}",
    "derive.missing-transpose": "a transpose is missing: with {name}ᵀ ({name}.T) in place of {name}, your expression is {what}. In denominator layout it has {wrt}'s shape, {expected}",
    "derive.shapes-do-not-fit": "the shapes do not fit together ({shapes}): in A @ B the columns of A must equal the rows of B, and A * B needs equal sizes (or 1) in each dimension; a transpose (.T) turns a column into a row. numpy says: {error}",
    "derive.opaque-shape": "your expression gives {shape}; in denominator layout {what} has {wrt}'s shape, {expected}",
    "derive.not-numbers": "your expression gives {kind}, not an array of numbers",
    "derive.pass": "Right: {what} on {nets} random nets, equal to pynn's (checked against finite differences of the loss too)",
    "derive.pass.mean": "Right: {what} on {nets} random nets, equal to pynn's (checked against finite differences of the loss too). Note: .mean over one example's single column changes nothing here; for a batch the loss is a sum over the examples, so there the mean would be N times too small — the batch step takes the sum",
    "derive.another-step": "that is ∂L/∂{wrt}, the answer of the {step} step; this step asks for {what}",
    "derive.another-step.next": "that is ∂L/∂{wrt}, the answer of the next step ({step}); this step asks for {what}",
    "derive.xor": "^ is not a transpose (nor a power) in Python: it is bitwise xor. A transpose is .T (h0.T), a power ** (x ** 2)",
})


MAX_LENGTH = 400
"""The longest expression check() evaluates (characters); the longest right answer is ~60."""

NETS = 3
"""How many random nets an answer is checked on."""

FD_EPS = 1e-6
FD_AGREE = 1e-6
"""The spec's bound for a derivative against central finite differences (relative error)."""
FD_ROUNDOFF = 1e-8
"""What central differences cannot resolve, whatever the derivative (absolute, as a norm): each
entry's difference quotient carries round-off of about machine ε · |L| / FD_EPS ≈ 1e-9 for the
losses drawn here, so a derivative whose only nonzero entries are that small (a unit barely on,
through a nearly saturated softmax) is checked to round-off, not to 1e-6 of its own size."""
PROBABLE = 0.01
"""The least probability of a class in a drawn example: ∂L/∂h1 = −yoh ⊘ h1 is checked by finite
differences of log h1, which near 0 is too steep for them (at h1 = 1e-8, h1 − ε is negative)."""

ONE_EXAMPLE = ("x", "yoh", "s0", "h0", "s1", "h1", "W0", "b0", "W1", "b1")
BATCH = ("X", "Yoh", "S0", "H0", "S1", "H1", "G1", "W0", "b0", "W1", "b1")

_BY_NAME = {step.name: step for step in STEPS}
RESULTS = tuple(step.result for step in STEPS if step.result)
SHAPE_ERRORS = ("ValueError", "IndexError")
"""The exceptions numpy raises for shapes that do not fit (matmul, broadcasting, reshape, an index):
an expression that raises one is judged on its shapes — by the exception's type, never its message."""
MISTAKES = (*dict.fromkeys(wrong.mistake for step in STEPS for wrong in step.wrong),
            "shape", "transposed", "sign", "not-yet-derived", "another-step", "shapes-do-not-fit",
            "syntax", "xor", "empty", "too-long", "unknown-name", "not-allowed", "raised", "not-a-number")
"""Every identifier a result's ``mistake`` may hold: the steps' own, then the checker's."""


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
                **step.data(),
                "names": list(names(step.name)),
            }
            for step in STEPS
        ],
    }


def _step(name: str) -> Step:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(text.say("derive.unknown", name=repr(name), steps=", ".join(ORDER))) from None


# -- the random nets and the true derivatives ----------------------------------------------------


@dataclass
class Case:
    """One random net with one example (or a batch): every quantity a step may name, the true
    answer of every step, and the sizes."""

    sizes: dict[str, int]
    values: dict[str, np.ndarray]
    answers: dict[str, np.ndarray]


def _nll(s1: np.ndarray, Yoh: np.ndarray) -> float:
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
    """Relative error ‖a − n‖ / (‖a‖ + ‖n‖) below the spec's bound, or ‖a − n‖ within the finite
    differences' round-off."""
    error = float(np.linalg.norm(analytic - numeric))
    return error < FD_ROUNDOFF or error < FD_AGREE * float(np.linalg.norm(analytic) + np.linalg.norm(numeric))


def _random_net(rng: np.random.Generator, D: int, H: int, C: int) -> TwoLayerNet:
    net = TwoLayerNet(D, H, C, seed=int(rng.integers(2**31)))
    net.b0 = rng.standard_normal((H, 1)) * 0.5
    net.b1 = rng.standard_normal((C, 1)) * 0.5
    return net


def _pynns(expression: str, values: dict[str, Any]) -> Any:
    """One of the content's own expressions (pynn.page.derivation: an answer, a loss, a wrong
    answer) on a case's values, with np, nll and relu: pynn's code, never a student's."""
    with np.errstate(all="ignore"):
        return eval(expression, {"__builtins__": {"__import__": __import__}, "np": np, "nll": _nll, "relu": relu}, dict(values))


def _drawn(rng: np.random.Generator) -> tuple[TwoLayerNet, dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """A net with every size different (D, H, C, N from 2 to 7, H ≥ 3), one example x with its label
    y and a batch X with its labels Y, drawn so that s0 has units on and off, none within 0.01 of
    the ReLU's kink (a finite difference there would straddle it), and likewise every column of the
    batch, and no class of x less probable than PROBABLE; the net's quantities by name."""
    D, H, C, N = (int(v) for v in rng.choice(np.arange(2, 8), size=4, replace=False))
    H, C = max(H, C), min(H, C)  # H ≥ 3, so the mask has room to have units on and off
    while True:
        net = _random_net(rng, D, H, C)
        x = rng.standard_normal((D, 1))
        X = rng.standard_normal((D, N))
        s0, S0 = net.W0 @ x + net.b0, net.W0 @ X + net.b0
        sure = net.forward(x).h1.min() < PROBABLE  # log h1 too steep for a finite difference of it
        if not sure and all(np.any(s > 0) and np.any(s < 0) and np.all(np.abs(s) > 0.01) for s in (s0, S0)):
            break
    y, Y = rng.integers(0, C, 1), rng.integers(0, C, N)
    yoh, Yoh = one_hot(y, C), one_hot(Y, C)
    f, F = net.forward(x), net.forward(X)
    values = {"x": x, "yoh": yoh, "s0": f.s0, "h0": f.h0, "s1": f.s1, "h1": f.h1,
              "W0": net.W0, "b0": net.b0, "W1": net.W1, "b1": net.b1,
              "X": X, "Yoh": Yoh, "S0": F.s0, "H0": F.h0, "S1": F.s1, "H1": F.h1, "G1": F.h1 - Yoh}
    return net, values, y, Y


@functools.lru_cache(maxsize=16)
def make_case(seed: int) -> Case:
    """A random net (``_drawn``) with one example and a batch, and the true answer of every step:
    each step's ``answer`` in ORDER, its result known to the later steps by its name, checked
    against pynn's gradients (the parameters) or central finite differences of the step's
    ``loss`` (the quantities in between). A disagreement is a bug in the content or in pynn, not
    the student's.

    Kept per seed (the same seed gives the same case), so the judgement of a plan finds the case
    its plan drew; nothing writes into a case (the sandbox gets copies, the checker reads).
    """
    net, values, y, Y = _drawn(np.random.default_rng(seed))
    _, grads = net.gradients(values["x"], y)
    _, batch_grads = net.gradients(values["X"], Y)
    answers = {}
    for step in STEPS:
        answers[step.name] = np.asarray(_pynns(step.answer, values), dtype=np.float64)
        if step.loss:
            def loss(at: np.ndarray, step: Step = step) -> float:
                return float(_pynns(step.loss, {**values, step.wrt: at}))

            truth = _numerical(loss, values[step.wrt])
        else:
            truth = (batch_grads if step.batch else grads)[step.wrt]
        if not _agree(answers[step.name], truth):
            raise RuntimeError(f"the derivation's {step.name} step disagrees with pynn (seed {seed}): a bug")
        if step.result:
            values[step.result] = answers[step.name]
    sizes = {"D": net.n_inputs, "H": net.n_hidden, "C": net.n_classes, "N": int(values["X"].shape[1])}
    return Case(sizes=sizes, values=values, answers=answers)


def _wrong(step: Step, case: Case) -> list[tuple[str, np.ndarray, str]]:
    """The step's named wrong answers on one case: (mistake, value, message)."""
    return [(wrong.mistake, np.asarray(_pynns(wrong.value, case.values), dtype=np.float64), step.message(wrong, **case.sizes))
            for wrong in step.wrong]


# -- the mistakes --------------------------------------------------------------------------------


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-6, atol=1e-9 * scale))


def _shape(array: np.ndarray | wire.Opaque) -> str:
    """D×1 for a matrix, (D,) for numpy's 1-D arrays (neither a column nor a row)."""
    if array.ndim == 0:
        return text.say("derive.shape.scalar")
    if array.ndim == 1:
        return text.say("derive.shape.vector", n=array.shape[0])
    return "×".join(str(n) for n in array.shape)


def _expected(step: Step, sizes: dict[str, int]) -> str:
    rows, cols = step.shape
    return text.say("derive.expected", rows=rows, cols=cols, row_size=sizes.get(rows, rows), col_size=sizes.get(cols, cols))


def _what(step: Step) -> str:
    return text.say("derive.what.batch", wrt=step.wrt) if step.batch else f"∂L/∂{step.wrt}"


def _diagnose(step: Step, got: np.ndarray, case: Case, prefer: str | None = None) -> tuple[str | None, str] | None:
    """None if ``got`` is the right answer, else (mistake or None, message); ``prefer``: the named
    wrong answer to try first (``_consistent``)."""
    want = case.answers[step.name]
    if _close(got, want):
        return None
    for mistake, value, message in sorted(_wrong(step, case), key=lambda wrong: wrong[0] != prefer):
        if _close(got, value):
            return mistake, message
    what, expected = _what(step), _expected(step, case.sizes)
    other = next((other for other in STEPS if other is not step and other.batch == step.batch
                  and _close(got, case.answers[other.name])), None)
    if other is not None:
        next_one = ORDER.index(other.name) == ORDER.index(step.name) + 1
        return "another-step", text.say("derive.another-step.next" if next_one else "derive.another-step",
                                        wrt=other.wrt, step=other.name, what=what)
    layout = text.say("derive.layout", what=what, wrt=step.wrt, expected=expected)
    if _close(got, -want):
        after_g1 = ORDER.index(step.name) > ORDER.index("s1")
        return "sign", text.say("derive.sign.g1" if after_g1 else "derive.sign", what=what)
    if got.shape == want.T.shape and _close(got.T, want):
        return "transposed", text.say("derive.transposed", what=what, shape=_shape(got), layout=layout)
    if got.shape != want.shape:
        if got.size == want.size and _close(got.reshape(want.shape), want):
            return "shape", text.say("derive.reshape", shape=_shape(got), layout=layout)
        return "shape", text.say("derive.gives-shape", shape=_shape(got), layout=layout)
    if not np.all(np.isfinite(got)):
        return None, text.say("derive.not-finite", what=what)
    gap = np.abs(got - want)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = ", ".join(str(int(i)) for i in index)
    # + 0.0: a true value of -0.0 is said as 0, not "-0"
    return None, text.say("derive.values", what=what, where=where, want=float(want[index]) + 0.0, got=float(got[index]) + 0.0)


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
            when = text.say("derive.own-answer") if owner is step else text.say("derive.later", step=owner.name)
            return _result("fail", text.say("derive.not-yet", name=name, when=when, names=", ".join(names(step.name))),
                           "not-yet-derived", name=name)
        offered = ", ".join(names(step.name))
        if step.batch and (name in ONE_EXAMPLE or name in RESULTS):
            why = text.say("derive.name.batch", name=name, names=offered)
        elif not step.batch and name in BATCH:
            why = text.say("derive.name.example", name=name, names=offered)
        else:
            why = text.say("derive.name.unknown", name=name, names=offered)
        return _result("error", why, "unknown-name", name=name)
    return None


def _shapes_of(used: list[str], values: dict[str, np.ndarray]) -> str:
    return ", ".join(f"{name} {_shape(values[name])}" for name in used if name in values)


def _private(tree: ast.AST) -> str | None:
    """The first attribute or name of an expression that starts with "_" (__class__, __globals__,
    …: Python's machinery, which no derivative needs), or None."""
    for node in ast.walk(tree):
        name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
        if name.startswith("_"):
            return name
    return None


def _read(step: Step, expression: Any) -> tuple[list[str], dict[str, Any] | None]:
    """The names an expression reads, or (with them) a result refusing it before anything runs:
    empty, too long, not Python, reaching "_" names, or using a name the step does not offer."""
    base = {"step": step.name}
    if not isinstance(expression, str) or not expression.strip():
        return [], _result("error", text.say("derive.empty"), "empty", **base)
    if len(expression) > MAX_LENGTH:
        return [], _result("error", text.say("derive.too-long", chars=len(expression), limit=MAX_LENGTH), "too-long", **base)
    source = expression.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError) as error:
        said = getattr(error, "msg", str(error))
        if getattr(error, "offset", None):
            said = text.say("derive.syntax.at", error=said, offset=error.offset)
        if _is_assignment(source):
            said = text.say("derive.syntax.assignment", error=said)
        return [], _result("error", text.say("derive.syntax", error=said), "syntax", **base)
    if any(isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor) for node in ast.walk(tree)):
        return [], _result("error", text.say("derive.xor"), "xor", **base)
    private = _private(tree)
    if private is not None:
        return [], _result("error", text.say("derive.private", name=private), "not-allowed", **base)
    used = _used_names(tree)
    refused = _refuse_names(step, used)
    return used, None if refused is None else {**refused, **base}


def _runs(step: Step, used: list[str]) -> list[dict[str, Any]]:
    """What the sandbox evaluates: on each of the NETS cases the expression as written, then with
    each name it uses transposed in turn (to tell a missing transpose from shapes that do not fit)."""
    offered = [name for name in used if name in names(step.name)]
    return [{"case": k, **({"transpose": name} if name else {})} for k in range(NETS) for name in ("", *offered)]


def plan(step: str, expression: str, seed: int | None = None) -> dict[str, Any]:
    """The cases the sandbox evaluates ``expression`` on for ``step`` — {"step", "seed", "cases" (the
    values of the step's names on each random net, as wire data), "runs"} from a fresh seed (only
    a test gives one) — or {"step", "result"} for an expression refused before it runs."""
    found = _step(step)
    used, refused = _read(found, expression)
    if refused is not None:
        return {"step": step, "result": refused}
    seed = fresh_seed() if seed is None else check_seed(seed)
    cases = [{name: wire.array(make_case(seed * NETS + k).values[name]) for name in names(step)} for k in range(NETS)]
    return {"step": step, "seed": seed, "cases": cases, "runs": _runs(found, used)}


def _consistent(step: Step, values: list[tuple[Case, Any]]) -> str | None:
    """The first of the step's named wrong answers that the values equal on every net where they
    are wrong: on one small net two wrong answers can be equal (no unit with s1 ≤ 0 makes the mask
    on the wrong side no mask at all); the nets together tell them apart."""
    candidates = [wrong.mistake for wrong in step.wrong]
    wrong_somewhere = False
    for case, got in values:
        if not isinstance(got, np.ndarray) or _close(got, case.answers[step.name]):
            continue
        wrong_somewhere = True
        matching = {mistake for mistake, value, _ in _wrong(step, case) if _close(got, value)}
        candidates = [mistake for mistake in candidates if mistake in matching]
    return candidates[0] if wrong_somewhere and candidates else None


def _judge_case(step: Step, case: Case, got: Any, transposed: dict[str, Any], prefer: str | None) -> dict[str, Any] | None:
    """None when the value ``got`` on ``case`` is the step's answer; else the result that says why.
    ``transposed``: the values with one name transposed, by that name; ``prefer``: the named wrong
    answer the values are on every net (``_consistent``)."""
    sizes = {key: value for key, value in case.sizes.items() if key != "N" or step.batch}
    more = {"step": step.name, "sizes": sizes}
    want = case.answers[step.name]
    if isinstance(got, wire.Raised):
        if got.type not in SHAPE_ERRORS:
            return _result("error", text.say("derive.raised", error=got.text()), "raised", **more)
        missing = next((name for name, value in transposed.items() if isinstance(value, np.ndarray) and _close(value, want)), None)
        if missing is not None:
            return _result("fail", text.say("derive.missing-transpose", name=missing, what=_what(step), wrt=step.wrt,
                                            expected=_expected(step, case.sizes)), "transposed", **more)
        values = {name: case.values[name] for name in names(step.name)}
        return _result("fail", text.say("derive.shapes-do-not-fit", shapes=_shapes_of(list(transposed), values),
                                        error=got.message), "shapes-do-not-fit", **more)
    if isinstance(got, wire.Opaque):
        return _result("fail", text.say("derive.opaque-shape", shape=_shape(got), what=_what(step), wrt=step.wrt,
                                        expected=_expected(step, case.sizes)), "shape", shape=list(got.shape), **more)
    if not isinstance(got, np.ndarray):
        kind = got.type if isinstance(got, wire.Other) else type(got).__name__
        return _result("error", text.say("derive.not-numbers", kind=kind), "not-a-number", **more)
    diagnosis = _diagnose(step, got, case, prefer)
    if diagnosis is None:
        return None
    mistake, message = diagnosis
    return _result("fail", message, mistake, shape=list(got.shape), **more)


def judge(step: str, expression: str, seed: int, answer: Any) -> dict[str, Any]:
    """The verdict on ``answer`` (the sandbox's values of ``expression`` on ``plan``'s runs for
    ``seed``, or the page's {"failure", "message"}): see the module's doc. ValueError only for an
    unknown step or a seed that is not one; whatever the answer holds, a result."""
    found = _step(step)
    used, refused = _read(found, expression)
    if refused is not None:
        return refused
    seed = check_seed(seed)
    stopped = failure(answer)
    if stopped is not None:
        return _result(stopped[0], stopped[1], None, step=step)
    runs = _runs(found, used)
    try:
        read = wire.read_answer(answer, len(runs))
    except ValueError as error:
        return _result("invalid", text.say("judge.not-usable", error=str(error)), None, step=step)
    if read["error"] is not None:
        return _result("error", text.say("derive.syntax", error=read["error"]["message"]), "syntax", step=step)
    per = len(runs) // NETS
    cases = [make_case(seed * NETS + k) for k in range(NETS)]
    values = [read["outputs"][k * per] for k in range(NETS)]
    prefer = _consistent(found, list(zip(cases, values)))
    for k, (case, got) in enumerate(zip(cases, values)):
        others = read["outputs"][k * per + 1: (k + 1) * per]
        transposed = {run["transpose"]: value for run, value in zip(runs[k * per + 1: (k + 1) * per], others)}
        verdict = _judge_case(found, case, got, transposed, prefer)
        if verdict is not None:
            return verdict
    said = "derive.pass.mean" if _one_example_mean(found, expression) else "derive.pass"
    return _result("pass", text.say(said, what=_what(found), nets=NETS), None, step=step)


def _one_example_mean(step: Step, expression: str) -> bool:
    """A one-example answer with a .mean in it: right here only because one example is one column;
    the batch step, where the loss sums over the examples, refuses the mean (its pass says so)."""
    tree = ast.parse(expression.strip(), mode="eval")
    return not step.batch and any(isinstance(node, ast.Attribute) and node.attr == "mean" for node in ast.walk(tree))


def _is_assignment(source: str) -> bool:
    try:
        return isinstance(ast.parse(source).body[0], (ast.Assign, ast.AugAssign, ast.AnnAssign))
    except (SyntaxError, IndexError):
        return False

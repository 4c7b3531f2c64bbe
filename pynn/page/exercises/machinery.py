"""The machinery every exercise shares: load the student's code, call it, compare what it returns
with pynn's, name the mistake, and run an exercise's checks.

    check(name, source)   runs the student's source in a fresh namespace and returns
                          {"name", "status": "pass" | "fail" | "error", "checks": [...], "error": ...}
    catalogue()           the exercises for the page (title, text, equations, skeleton, solution, checks)
    helpers(name)         pynn's own versions of the exercises before ``name``, for the student to call

An exercise is a module of this package that defines ``EXERCISE`` (an Exercise); the package's
ORDER lists them. A check is a function of the student's function that returns what passed, in
words, or raises Mistake, whose message says what was expected, what came back and, when it
recognises the mistake, why; its ``mistake`` is a short stable identifier ("W1-transposed",
"mean-not-sum") that a class view can count. The identifiers of an exercise's own mistakes are the
keys of its ``mistakes`` table; the ones any check may raise are GENERIC.

Examples are columns: X is D×N, Yoh C×N; W0 H×D, b0 H×1, W1 C×H, b1 C×1. Every comparison is with
pynn itself (pynn.model) on random nets and batches. An exception or SyntaxError in the student's
code comes back with its message and its line in the student's source. The page runs ``check`` in
a worker of its own and stops it after a few seconds, so nothing here guards against an endless loop.
"""
from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ... import model
from ...model import PARAMETERS, TwoLayerNet

FILENAME = "<your code>"

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
"""The mistakes any check may name, beside each exercise's own ``mistakes``."""


class StudentError(Exception):
    """The student's code raised: ``message`` and the ``line`` in their source (or None)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Mistake(Exception):
    """A check failed; the message says what was expected, what came back and, when recognised,
    why. ``mistake`` names it: a key of the exercise's ``mistakes`` or of GENERIC."""

    def __init__(self, message: str, mistake: str) -> None:
        super().__init__(message)
        self.mistake = mistake


Check = Callable[[Callable[..., Any]], str]
"""A check: the student's function in, what passed (in words) out, or Mistake raised."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: what the page shows (title, intro, equations, skeleton, solution), its checks
    in order (the first checks the type and shapes the others need) and its named mistakes
    (identifier → what it is)."""

    name: str
    title: str
    intro: str
    equations: tuple[str, ...]
    skeleton: str
    solution: str
    checks: tuple[tuple[str, Check], ...]
    mistakes: dict[str, str] = field(default_factory=dict)
    tex: tuple[str, ...] = ()
    """The equations typeset: one TeX per entry of ``equations``, which stays their plain-text
    alternative (what a screen reader says, and what shows if KaTeX cannot load)."""
    from_derivation: str = ""
    """Code built from the student's derivation (pynn.page.derive): ``«step»`` stands for the
    expression that passed that step; the page fills it in ("Use my derivation")."""


# -- running the student's code ------------------------------------------------------------------


def line_in_source(tb: Any) -> int | None:
    """The last line of the student's source in a traceback (the deepest frame that is theirs)."""
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == FILENAME:
            line = frame.lineno
    return line


def raised(error: BaseException) -> StudentError:
    """The StudentError for an exception the student's code raised: its type, text and line."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return StudentError(text, line_in_source(error.__traceback__))


def call(function: Callable[..., Any], *args: Any) -> Any:
    """The student's function on copies of ``args`` (so a result is never compared with an input
    it changed in place); any exception becomes a StudentError with its line."""
    copies = [{k: v.copy() for k, v in a.items()} if isinstance(a, dict) else a.copy() if isinstance(a, np.ndarray) else a
              for a in args]
    try:
        with np.errstate(all="ignore"):
            return function(*copies)
    except Exception as error:  # the student's code may raise anything: report it, with its line
        raise raised(error) from None


def call_in_place(function: Callable[..., Any], s: np.ndarray) -> None:
    """The student's function on ``s`` itself (not a copy), to see whether it changes its argument."""
    try:
        with np.errstate(all="ignore"):
            function(s)
    except Exception as error:  # the student's code: report it, with its line
        raise raised(error) from None


def load(name: str, source: str, helpers: dict[str, Any] | None = None) -> Callable[..., Any]:
    """Execute ``source`` in a fresh namespace (holding ``helpers``) and return its function ``name``.

    Raises StudentError for a SyntaxError, an exception while defining, or no such function.
    """
    if not isinstance(source, str):
        raise ValueError(f"the source must be text, got {type(source).__name__}")
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as error:
        raise StudentError(f"SyntaxError: {error.msg}", error.lineno) from None
    namespace: dict[str, Any] = {"__name__": "exercise", **(helpers or {})}
    try:
        with np.errstate(all="ignore"):
            exec(code, namespace)
    except Exception as error:  # the module level of the student's code: report it, with its line
        raise raised(error) from None
    function = namespace.get(name)
    if not callable(function):
        raise StudentError(f"your code defines no function named {name}: write def {name}(…):", None)
    return function


# -- pynn, the reference -------------------------------------------------------------------------


def random_net(D: int, H: int, C: int, N: int, seed: int) -> tuple[TwoLayerNet, np.ndarray, np.ndarray]:
    """A pynn net with random weights and non-zero biases, a batch X (D×N) and one-hot labels Yoh (C×N)."""
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(D, H, C, seed=seed)
    net.b0 = rng.standard_normal((H, 1)) * 0.5
    net.b1 = rng.standard_normal((C, 1)) * 0.5
    X = rng.standard_normal((D, N))
    y = rng.integers(0, C, N)
    return net, X, model.one_hot(y, C)


def random_batches() -> list[tuple[TwoLayerNet, np.ndarray, np.ndarray]]:
    """The four random nets and batches of SIZES that the values are checked on."""
    return [random_net(*size, seed=10 + i) for i, size in enumerate(SIZES)]


def params(net: TwoLayerNet) -> dict[str, np.ndarray]:
    """Copies of the net's W0, b0, W1, b1 as the exercises' params dict."""
    return {name: getattr(net, name).copy() for name in PARAMETERS}


def weights(net: TwoLayerNet) -> tuple[np.ndarray, ...]:
    """Copies of the net's W0, b0, W1, b1, in that order: the arguments of forward and gradients."""
    return tuple(getattr(net, name).copy() for name in PARAMETERS)


def reference_gradients(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> dict[str, np.ndarray]:
    """pynn's ∂L/∂θ of the summed loss."""
    return net.backward_pass(X, net.forward_pass(X), Yoh)


def case(net: TwoLayerNet, N: int) -> str:
    """The sizes of a checked case, as the messages name them."""
    return f"(D={net.n_inputs}, H={net.n_hidden}, C={net.n_classes}, N={N})"


# -- comparing -----------------------------------------------------------------------------------


def kind(value: Any) -> str:
    """What the student's function returned, in words."""
    if value is None:
        return "None — did you forget the return?"
    return f"a {type(value).__name__}"


def wrong_type(value: Any) -> str:
    """The mistake of a result that is not of the type asked for: no return at all, or another type."""
    return "no-return" if value is None else "wrong-type"


def close(actual: np.ndarray, expected: np.ndarray) -> bool:
    """Whether two arrays have one shape and agree to 1e-6 relative (NaN equal to NaN)."""
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    return actual.shape == expected.shape and bool(np.allclose(actual, expected, rtol=1e-6, atol=1e-9 * scale, equal_nan=True))


def as_array(value: Any, what: str, shape: tuple[int, ...], why: str = "") -> np.ndarray:
    """``value`` as a float array of ``shape``, or a Mistake naming the shape expected and why."""
    if not isinstance(value, np.ndarray):
        raise Mistake(f"{what} must be a numpy array of shape {shape}{why}; yours is {kind(value)}", wrong_type(value))
    if value.shape != shape:
        raise Mistake(f"{what} must have shape {shape}{why}; yours is {value.shape}", "wrong-shape")
    if not np.issubdtype(value.dtype, np.number) or np.issubdtype(value.dtype, np.complexfloating):
        raise Mistake(f"{what} must hold real numbers; yours has dtype {value.dtype}", "not-real")
    return value.astype(np.float64)


def difference(actual: np.ndarray, expected: np.ndarray) -> str:
    """Where two arrays of one shape differ most, as a sentence."""
    with np.errstate(invalid="ignore"):
        gap = np.abs(actual - expected)
    gap = np.where(np.isnan(gap), np.inf, gap)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = f"[{', '.join(str(int(i)) for i in index)}]"
    return f"at {where} pynn has {expected[index]:.6g}, yours {actual[index]:.6g}"


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
        raise Mistake(f"{what} has NaN or infinite values {case}, where pynn's are finite", "not-finite")
    if known:
        raise Mistake(f"{what} differs from pynn's {case}: {difference(actual, expected)} — {known[1]}", known[0])
    raise Mistake(f"{what} differs from pynn's {case}: {difference(actual, expected)}", "wrong-values")


def named(mistakes: dict[str, str], *names: str) -> list[tuple[str, str]]:
    """(identifier, hint) for each of ``names`` in an exercise's ``mistakes``."""
    return [(name, mistakes[name]) for name in names]


# -- the exercises -------------------------------------------------------------------------------


def registry() -> dict[str, Exercise]:
    """Every exercise of the package's ORDER, by name: the EXERCISE of the module of that name."""
    package = importlib.import_module(__package__)
    return {name: importlib.import_module(f"{__package__}.{name}").EXERCISE for name in package.ORDER}


def helpers(name: str) -> dict[str, Callable[..., Any]]:
    """pynn's own versions of the exercises before ``name`` (solutions in the exercises' form), which
    the student's code may call: forward may use relu and softmax, gradients forward, and so on."""
    exercises = registry()
    order = list(exercises)
    found: dict[str, Callable[..., Any]] = {}
    for earlier in order[: order.index(name)]:
        found[earlier] = load(earlier, exercises[earlier].solution, dict(found))
    return found


def catalogue() -> list[dict[str, Any]]:
    """The exercises for the page: name, title, intro, equations (text) with their TeX, skeleton,
    solution and the checks' names."""
    return [
        {"name": e.name, "title": e.title, "intro": e.intro, "equations": list(e.equations), "tex": list(e.tex), "from_derivation": e.from_derivation,
         "skeleton": e.skeleton, "solution": e.solution, "checks": [title for title, _ in e.checks]}
        for e in registry().values()
    ]


def check(name: str, source: str) -> dict[str, Any]:
    """Run ``source`` (the student's code for exercise ``name``) and every check of that exercise.

    Returns ``status``: "pass" (every check passed), "fail" (some did not; each line says why) or
    "error" (the code raised or does not compile: ``error`` = {"message", "line"}, the line in the
    student's source or None); ``checks``: [{"name", "passed", "message"}] in order, a failed one
    with ``mistake`` too (its identifier), and ``passed``/``total`` counts. A check the error
    stopped is not listed; when the first check (the return type and shapes) fails, the others are
    listed with ``skipped`` and not run.
    """
    exercises = registry()
    if name not in exercises:
        raise ValueError(f"unknown exercise {str(name)[:40]!r}; known: {', '.join(exercises)}")
    exercise = exercises[name]
    result: dict[str, Any] = {"name": name, "status": "pass", "checks": [], "error": None,
                              "passed": 0, "total": len(exercise.checks)}
    try:
        function = load(name, source, helpers(name))
        for index, (title, run) in enumerate(exercise.checks):
            if index > 0 and not result["checks"][0]["passed"]:
                # every later check needs what the first one (the type and shapes) checks
                result["checks"].append({"name": title, "passed": False, "skipped": True,
                                         "message": f"not run until the {exercise.checks[0][0]} check passes"})
                continue
            try:
                message = run(function)
            except Mistake as mistake:
                result["checks"].append({"name": title, "passed": False, "message": str(mistake),
                                         "mistake": mistake.mistake})
                result["status"] = "fail"
            else:
                result["checks"].append({"name": title, "passed": True, "message": message})
                result["passed"] += 1
    except StudentError as error:
        result["status"] = "error"
        result["error"] = {"message": error.message, "line": error.line}
    return result

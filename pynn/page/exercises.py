"""Write the network yourself: six exercises, each a plain function over numpy arrays, checked
against pynn.

    relu(s)                               ReLU element by element
    softmax(s)                            column-wise softmax of C×N scores, no overflow at ±1e4
    forward(W0, b0, W1, b1, X)            (s0, h0, s1, h1)
    loss(s1, Yoh)                         the summed NLL (a float), from log-softmax
    gradients(W0, b0, W1, b1, X, Yoh)     {"W0", "b0", "W1", "b1"}: ∂L/∂θ of the summed loss, shaped like θ
    sgd_step(params, x, yoh, lr)          the updated params after one step on one example

Examples are columns: X is D×N, Yoh C×N; W0 H×D, b0 H×1, W1 C×H, b1 C×1.

    check(name, source)   runs the student's source in a fresh namespace and returns
                          {"name", "status": "pass" | "fail" | "error", "checks": [...], "error": ...}

Every check compares with pynn itself (pynn.model) on random nets and batches, and a failing one
names the common mistake it recognises. An exception or SyntaxError in the student's code comes back
with its message and its line in the student's source. The page runs ``check`` in a worker of its own
and stops it after a few seconds, so nothing here guards against an endless loop.
"""
from __future__ import annotations

import inspect
import math
import numbers
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .. import model
from ..gradcheck import numerical_gradients, relative_error
from ..model import PARAMETERS, TwoLayerNet

ORDER = ("relu", "softmax", "forward", "loss", "gradients", "sgd_step")
FILENAME = "<your code>"
GRADCHECK_PASS = 1e-6
"""The spec's bound for gradients against central finite differences."""

# (D, H, C, N) of the random nets the values are checked on: N = 1 and N > 1, H = 1, C = 2.
SIZES = ((2, 5, 3, 7), (3, 1, 2, 1), (4, 6, 2, 5), (2, 4, 3, 1))
# The net the shapes are checked on: every dimension different, so a transposed result shows.
SHAPE_SIZE = (2, 32, 3, 8)


class StudentError(Exception):
    """The student's code raised: ``message`` and the ``line`` in their source (or None)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Mistake(Exception):
    """A check failed; the message says what was expected, what came back and, when recognised, why."""


@dataclass(frozen=True)
class Exercise:
    name: str
    title: str
    intro: str
    equations: tuple[str, ...]
    skeleton: str
    solution: str
    checks: tuple[tuple[str, Callable[[Callable[..., Any]], str]], ...]


# -- running the student's code ------------------------------------------------------------------


def _line_in_source(tb: Any) -> int | None:
    """The last line of the student's source in a traceback (the deepest frame that is theirs)."""
    line = None
    for frame in traceback.extract_tb(tb):
        if frame.filename == FILENAME:
            line = frame.lineno
    return line


def _raised(error: BaseException) -> StudentError:
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return StudentError(text, _line_in_source(error.__traceback__))


def _call(function: Callable[..., Any], *args: Any) -> Any:
    """The student's function on copies of ``args`` (so a result is never compared with an input
    it changed in place); any exception becomes a StudentError with its line."""
    copies = [{k: v.copy() for k, v in a.items()} if isinstance(a, dict) else a.copy() if isinstance(a, np.ndarray) else a
              for a in args]
    try:
        with np.errstate(all="ignore"):
            return function(*copies)
    except Exception as error:  # the student's code may raise anything: report it, with its line
        raise _raised(error) from None


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
        raise _raised(error) from None
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


def _params(net: TwoLayerNet) -> dict[str, np.ndarray]:
    return {name: getattr(net, name).copy() for name in PARAMETERS}


def _weights(net: TwoLayerNet) -> tuple[np.ndarray, ...]:
    return tuple(getattr(net, name).copy() for name in PARAMETERS)


def reference_gradients(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> dict[str, np.ndarray]:
    """pynn's ∂L/∂θ of the summed loss."""
    return net._backward(X, net._forward(X), Yoh)


def reference_loss(s1: np.ndarray, Yoh: np.ndarray) -> float:
    """pynn's summed NLL (TwoLayerNet._loss, which reads only the scores) of the scores s1 (C×N)."""
    return _SCORER._loss(model.Forward(s1, s1, s1, s1), Yoh.argmax(axis=0))


_SCORER = TwoLayerNet(1, 1, 2)


def reference_step(net: TwoLayerNet, x: np.ndarray, yoh: np.ndarray, lr: float) -> dict[str, np.ndarray]:
    """The params after pynn's one update rule (TwoLayerNet._step) on one example, no weight decay."""
    copy = TwoLayerNet(net.n_inputs, net.n_hidden, net.n_classes)
    for name in PARAMETERS:
        setattr(copy, name, getattr(net, name).copy())
    copy._step(x, yoh, lr, 0.0)
    return _params(copy)


def _batches() -> list[tuple[TwoLayerNet, np.ndarray, np.ndarray]]:
    return [random_net(*size, seed=10 + i) for i, size in enumerate(SIZES)]


# -- comparing -----------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    """What the student's function returned, in words."""
    if value is None:
        return "None — did you forget the return?"
    return f"a {type(value).__name__}"


def _close(actual: np.ndarray, expected: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(expected)))) if expected.size else 1.0
    return actual.shape == expected.shape and bool(np.allclose(actual, expected, rtol=1e-6, atol=1e-9 * scale, equal_nan=True))


def _array(value: Any, what: str, shape: tuple[int, ...], why: str = "") -> np.ndarray:
    """``value`` as a float array of ``shape``, or a Mistake naming the shape expected and why."""
    if not isinstance(value, np.ndarray):
        raise Mistake(f"{what} must be a numpy array of shape {shape}{why}; yours is {_kind(value)}")
    if value.shape != shape:
        raise Mistake(f"{what} must have shape {shape}{why}; yours is {value.shape}")
    if not np.issubdtype(value.dtype, np.number) or np.issubdtype(value.dtype, np.complexfloating):
        raise Mistake(f"{what} must hold real numbers; yours has dtype {value.dtype}")
    return value.astype(np.float64)


def _difference(actual: np.ndarray, expected: np.ndarray) -> str:
    """Where two arrays of one shape differ most, as a sentence."""
    with np.errstate(invalid="ignore"):
        gap = np.abs(actual - expected)
    gap = np.where(np.isnan(gap), np.inf, gap)
    index = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = f"[{', '.join(str(int(i)) for i in index)}]"
    return f"at {where} pynn has {expected[index]:.6g}, yours {actual[index]:.6g}"


def _recognise(actual: np.ndarray, candidates: list[tuple[np.ndarray, str]]) -> str | None:
    """The hint of the first wrong answer ``actual`` equals, if any."""
    for wrong, hint in candidates:
        if _close(actual, np.asarray(wrong, dtype=np.float64)):
            return hint
    return None


def _must_equal(actual: np.ndarray, expected: np.ndarray, what: str, candidates: list[tuple[np.ndarray, str]],
                case: str) -> None:
    if _close(actual, expected):
        return
    if not np.all(np.isfinite(actual)):
        if np.all(np.isfinite(expected)):
            hint = _recognise(actual, candidates)
            raise Mistake(hint or f"{what} has NaN or infinite values {case}, where pynn's are finite")
    hint = _recognise(actual, candidates)
    raise Mistake(f"{what} differs from pynn's {case}: {_difference(actual, expected)}" + (f" — {hint}" if hint else ""))


def _case(net: TwoLayerNet, N: int) -> str:
    return f"(D={net.n_inputs}, H={net.n_hidden}, C={net.n_classes}, N={N})"


# -- relu ------------------------------------------------------------------------------------------

RELU_SCORES = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0], [3.0, -3.0, 1e-3, -1e-3, 0.0], [-1e4, 1e4, -7.0, 7.0, 0.25]])


def _relu_wrong(s: np.ndarray) -> list[tuple[np.ndarray, str]]:
    return [
        (s, "nothing was zeroed: ReLU(s) = max(s, 0) sets every negative entry to 0"),
        (np.abs(s), "that is |s|: ReLU sets negative entries to 0, it does not flip their sign"),
        ((s > 0).astype(float), "that is the mask [s > 0]: ReLU keeps the positive values themselves, s ⊙ [s > 0]"),
        (np.minimum(s, 0), "that is min(s, 0): ReLU keeps the positive part, max(s, 0)"),
        (np.maximum(s, 0).max(axis=0, keepdims=True) + 0 * s, "ReLU works element by element, not on whole columns"),
    ]


def relu_shape(relu: Callable[..., Any]) -> str:
    s = RELU_SCORES
    _array(_call(relu, s), "relu(s)", s.shape, " — the same shape as s, element by element")
    column = s[:, :1]
    _array(_call(relu, column), "relu(s) of one column", column.shape, " — the same shape as s")
    return f"relu keeps the shape of s: {s.shape} and {column.shape}"


def relu_mask(relu: Callable[..., Any]) -> str:
    s = RELU_SCORES
    out = _array(_call(relu, s), "relu(s)", s.shape)
    _must_equal(out, np.maximum(s, 0.0), "relu(s)", _relu_wrong(s), "on a 3×5 matrix of scores")
    return "negative scores become 0, positive ones pass unchanged (the ReLU mask [s > 0])"


def relu_values(relu: Callable[..., Any]) -> str:
    rng = np.random.default_rng(1)
    for shape in ((4, 1), (6, 9), (1, 3)):
        s = rng.standard_normal(shape)
        out = _array(_call(relu, s), "relu(s)", shape)
        _must_equal(out, model.relu(s), "relu(s)", _relu_wrong(s), f"on random scores of shape {shape}")
    return "equals pynn.model.relu on random scores of shapes (4, 1), (6, 9), (1, 3)"


def relu_keeps_input(relu: Callable[..., Any]) -> str:
    s = RELU_SCORES.copy()
    try:
        with np.errstate(all="ignore"):
            relu(s)
    except Exception as error:  # the student's code: report it, with its line
        raise _raised(error) from None
    if not np.array_equal(s, RELU_SCORES):
        raise Mistake(
            "relu changed its argument s in place (s[s < 0] = 0?): the backward pass needs s0 as it was "
            "for the mask [s0 > 0]; return a new array, e.g. np.maximum(s, 0)"
        )
    return "leaves its argument s unchanged"


# -- softmax ---------------------------------------------------------------------------------------

SOFTMAX_SCORES = np.array([[1.0, -2.0, 0.5, 3.0, 0.0], [0.2, 0.1, -1.0, 2.0, 0.0], [-0.3, 1.5, 2.5, -4.0, 0.0]])
SOFTMAX_EXTREME = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, -1e4, 1.0, 1e4 - 1], [0.0, -1e4 + 2, -1e4, -1e4]])


def _softmax_wrong(s: np.ndarray) -> list[tuple[np.ndarray, str]]:
    with np.errstate(all="ignore"):
        e = np.exp(s - s.max(axis=1, keepdims=True))
        rows = e / e.sum(axis=1, keepdims=True)
        whole = np.exp(s - s.max())
        whole = whole / whole.sum()
        per_column_global = np.exp(s - s.max()) / np.exp(s - s.max()).sum(axis=0)
        plain = np.exp(s) / np.exp(s).sum(axis=0)
    return [
        (rows, "your rows sum to 1: each COLUMN is one example, so normalise over axis=0"),
        (whole, "your whole matrix sums to 1: normalise each column (axis=0) on its own"),
        (per_column_global, "subtract each column's own max (s.max(axis=0)), not the max of the whole matrix: "
                            "a column far below it underflows to 0/0"),
        (plain, "exp overflowed: subtract each column's max before exp — softmax(s) = softmax(s − max), and "
                "every exponent is then ≤ 0"),
    ]


def softmax_shape(softmax: Callable[..., Any]) -> str:
    s = SOFTMAX_SCORES
    _array(_call(softmax, s), "softmax(s)", s.shape, " — C×N, one column of probabilities per example")
    _array(_call(softmax, s[:, :1]), "softmax(s) of one column", (3, 1), " — C×1")
    return f"keeps the shape C×N: {s.shape} and (3, 1)"


def softmax_columns(softmax: Callable[..., Any]) -> str:
    s = SOFTMAX_SCORES
    out = _array(_call(softmax, s), "softmax(s)", s.shape)
    sums = out.sum(axis=0)
    if not np.allclose(sums, 1.0) or np.any(out < 0):
        hint = _recognise(out, _softmax_wrong(s))
        raise Mistake(f"each column of softmax(s) must be probabilities summing to 1; yours sum to "
                      f"{np.array2string(sums, precision=3)}" + (f" — {hint}" if hint else ""))
    return "each column is a probability distribution (≥ 0, sums to 1)"


def softmax_values(softmax: Callable[..., Any]) -> str:
    rng = np.random.default_rng(2)
    for shape in ((3, 5), (2, 1), (6, 4)):
        s = rng.standard_normal(shape) * 3
        out = _array(_call(softmax, s), "softmax(s)", shape)
        _must_equal(out, model.softmax(s), "softmax(s)", _softmax_wrong(s), f"on random scores of shape {shape}")
    return "equals pynn.model.softmax on random scores of shapes (3, 5), (2, 1), (6, 4)"


def softmax_stable(softmax: Callable[..., Any]) -> str:
    s = SOFTMAX_EXTREME
    out = _array(_call(softmax, s), "softmax(s)", s.shape)
    _must_equal(out, model.softmax(s), "softmax(s)", _softmax_wrong(s), "at scores of ±1e4")
    return "stays finite and exact at scores of ±1e4 (no overflow)"


def softmax_keeps_input(softmax: Callable[..., Any]) -> str:
    s = SOFTMAX_SCORES.copy()
    try:
        with np.errstate(all="ignore"):
            softmax(s)
    except Exception as error:  # the student's code: report it, with its line
        raise _raised(error) from None
    if not np.array_equal(s, SOFTMAX_SCORES):
        raise Mistake("softmax changed its argument s in place (s -= s.max(…)?): the caller still needs the "
                      "scores; work on a new array, e.g. e = np.exp(s - s.max(axis=0))")
    return "leaves its argument s unchanged"


# -- forward ---------------------------------------------------------------------------------------

FORWARD_NAMES = ("s0", "h0", "s1", "h1")
FORWARD_WHY = {
    "s0": " — W0·X + b0 is (H×D)·(D×N) = H×N, one column per example",
    "h0": " — ReLU(s0), the same shape as s0",
    "s1": " — W1·h0 + b1 is (C×H)·(H×N) = C×N",
    "h1": " — softmax(s1), the same shape as s1",
}


def _forward_result(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, (tuple, list)) or len(value) != 4:
        got = _kind(value) + (f" of {len(value)}" if isinstance(value, (tuple, list)) else "")
        raise Mistake(f"forward must return the four values (s0, h0, s1, h1) as a tuple; yours returned {got}")
    return tuple(value)


def _forward_shapes(result: tuple[Any, ...], H: int, C: int, N: int) -> list[np.ndarray]:
    arrays = []
    for name, value in zip(FORWARD_NAMES, result):
        shape = (H, N) if name in ("s0", "h0") else (C, N)
        if isinstance(value, np.ndarray) and value.shape != shape and value.shape == shape[::-1]:
            raise Mistake(f"{name} must have shape {shape}{FORWARD_WHY[name]}; yours is {value.shape}: examples "
                          "are columns here — did you write X.T·W.T (examples as rows) instead of W·X?")
        arrays.append(_array(value, name, shape, FORWARD_WHY[name]))
    return arrays


def _forward_wrong(net: TwoLayerNet, X: np.ndarray) -> dict[str, list[tuple[np.ndarray, str]]]:
    s0 = net.W0 @ X + net.b0
    h0 = model.relu(s0)
    with np.errstate(all="ignore"):
        return {
            "s0": [(net.W0 @ X, "you forgot the bias: s0 = W0·X + b0")],
            "h0": [(s0, "h0 = ReLU(s0): the negative scores must become 0")],
            "s1": [(net.W1 @ s0 + net.b1, "s1 = W1·h0 + b1 uses h0 (after ReLU), not s0"),
                   (net.W1 @ h0, "you forgot the bias: s1 = W1·h0 + b1")],
            "h1": [(net.W1 @ h0 + net.b1, "h1 = softmax(s1): the probabilities, not the scores"),
                   *_softmax_wrong(net.W1 @ h0 + net.b1)],
        }


def forward_shapes(forward: Callable[..., Any]) -> str:
    D, H, C, N = SHAPE_SIZE
    net, X, _ = random_net(D, H, C, N, seed=3)
    result = _forward_result(_call(forward, *_weights(net), X))
    _forward_shapes(result, H, C, N)
    return f"s0, h0 are H×N = {(H, N)}; s1, h1 are C×N = {(C, N)} (D={D}, H={H}, C={C}, N={N})"


def forward_values(forward: Callable[..., Any]) -> str:
    for net, X, _ in _batches():
        N = X.shape[1]
        result = _forward_result(_call(forward, *_weights(net), X))
        arrays = _forward_shapes(result, net.n_hidden, net.n_classes, N)
        expected = net._forward(X)
        wrong = _forward_wrong(net, X)
        for name, actual, want in zip(FORWARD_NAMES, arrays, expected):
            _must_equal(actual, want, name, wrong[name], _case(net, N))
    return "s0, h0, s1, h1 equal pynn's on 4 random nets and batches (N = 1 and N > 1, H = 1, C = 2)"


def forward_stable(forward: Callable[..., Any]) -> str:
    net, X, _ = random_net(2, 5, 3, 6, seed=4)
    s1 = net._forward(X).s1
    net.W1 *= 1e4 / np.max(np.abs(s1))
    net.b1 *= 1e4 / np.max(np.abs(s1))
    result = _forward_result(_call(forward, *_weights(net), X))
    h1 = _forward_shapes(result, 5, 3, 6)[3]
    _must_equal(h1, net._forward(X).h1, "h1", _forward_wrong(net, X)["h1"], "with scores s1 up to ±1e4")
    return "h1 stays finite and exact with scores s1 up to ±1e4"


# -- loss ------------------------------------------------------------------------------------------


def _loss_number(value: Any, N: int) -> float:
    if isinstance(value, np.ndarray) and value.ndim > 0:
        if value.size == 1:
            return float(value.reshape(()))
        raise Mistake(f"loss must return one number, the sum over all {N} examples; yours is an array of shape "
                      f"{value.shape}: add up the per-example terms (.sum())")
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise Mistake(f"loss must return a float; yours returned {_kind(value)}")
    return float(value)


def _loss_wrong(s1: np.ndarray, Yoh: np.ndarray) -> list[tuple[float, str]]:
    N = s1.shape[1]
    true = -float((Yoh * model.log_softmax(s1)).sum())
    everything = -float(model.log_softmax(s1).sum())
    return [
        (true / N, f"that is the mean over the {N} examples; the spec's loss is the SUM Σ_i (do not divide by N)"),
        (-true, "wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)"),
        (everything, "you added −log h1 of every class; only the true class counts: multiply by Yoh first"),
        (-float((Yoh * model.log_softmax(s1.T).T).sum()) if s1.shape[0] == N else math.nan,
         "log-softmax runs over each column (axis=0)"),
    ]


def _loss_must_equal(value: float, s1: np.ndarray, Yoh: np.ndarray, case: str) -> None:
    expected = reference_loss(s1, Yoh)
    if math.isclose(value, expected, rel_tol=1e-7, abs_tol=1e-9):
        return
    for wrong, hint in _loss_wrong(s1, Yoh):
        if math.isclose(value, wrong, rel_tol=1e-7, abs_tol=1e-9):
            raise Mistake(f"loss is {value:.6g} {case}, pynn's {expected:.6g} — {hint}")
    if not math.isfinite(value):
        raise Mistake(f"loss is {value} {case}, pynn's {expected:.6g} — compute log-softmax directly, "
                      "s − max − log Σ exp(s − max) per column, not log(softmax(s)): a probability that "
                      "underflows to 0 gives log 0 = −inf")
    raise Mistake(f"loss is {value:.6g} {case}, pynn's is {expected:.6g}")


def loss_type(loss: Callable[..., Any]) -> str:
    net, X, Yoh = random_net(2, 4, 3, 6, seed=5)
    value = _call(loss, net._forward(X).s1, Yoh)
    _loss_number(value, 6)
    return "returns one number"


def loss_values(loss: Callable[..., Any]) -> str:
    for net, X, Yoh in _batches():
        s1 = net._forward(X).s1
        _loss_must_equal(_loss_number(_call(loss, s1, Yoh), X.shape[1]), s1, Yoh, _case(net, X.shape[1]))
    return "equals pynn's summed NLL on 4 random nets and batches (N = 1 and N > 1, C = 2)"


def loss_sum(loss: Callable[..., Any]) -> str:
    net, X, Yoh = random_net(2, 4, 3, 10, seed=6)
    s1 = net._forward(X).s1
    _loss_must_equal(_loss_number(_call(loss, s1, Yoh), 10), s1, Yoh, "on 10 examples")
    return "is the sum over the examples, not the mean"


def loss_stable(loss: Callable[..., Any]) -> str:
    s1 = np.array([[1e4, -1e4, 0.0, 1e4], [-1e4, 1e4, 3.0, 1e4 - 1], [0.0, -1e4, -1e4, -1e4]])
    Yoh = model.one_hot(np.array([1, 0, 2, 1]), 3)
    _loss_must_equal(_loss_number(_call(loss, s1, Yoh), 4), s1, Yoh, "at scores of ±1e4")
    return "stays finite and exact at scores of ±1e4 (log-softmax)"


# -- gradients -------------------------------------------------------------------------------------

GRAD_WHY = {
    "W0": "W0's shape {shape} — denominator layout",
    "b0": "b0's shape {shape} — a column, like b0",
    "W1": "W1's shape {shape} — denominator layout",
    "b1": "b1's shape {shape} — a column, like b1",
}
TRANSPOSED = {"W0": "did you write X·g0ᵀ instead of g0·Xᵀ?", "W1": "did you write h0·g1ᵀ instead of g1·h0ᵀ?"}


def _gradient_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Mistake(f'gradients must return a dict with keys "W0", "b0", "W1", "b1"; yours returned {_kind(value)}')
    missing = [name for name in PARAMETERS if name not in value]
    if missing:
        raise Mistake(f"the dict gradients returned has no key {missing[0]!r}; it needs W0, b0, W1 and b1")
    return value


def _gradient_shapes(grads: dict[str, Any], net: TwoLayerNet, N: int, what: str = "∂L/∂") -> dict[str, np.ndarray]:
    arrays = {}
    for name in PARAMETERS:
        shape = getattr(net, name).shape
        value = grads[name]
        why = GRAD_WHY[name].format(shape=shape)
        label = f"{what}{name}"
        if isinstance(value, np.ndarray) and value.shape != shape:
            hint = ""
            if name in TRANSPOSED and value.shape == shape[::-1]:
                hint = f": {TRANSPOSED[name]}"
            elif name.startswith("b") and value.shape == (shape[0],):
                hint = ": keep it a column — sum over the examples with axis=1, keepdims=True"
            elif name.startswith("b") and value.shape == (shape[0], N):
                hint = f": that is one column per example — ∂L/∂{name} sums them (axis=1)"
            elif name.startswith("b") and value.shape in ((1, shape[0]), (N,), (1, N)):
                hint = ": summed over the wrong axis — axis=1 adds up the examples"
            raise Mistake(f"{label} must have {why}; yours is {value.shape}{hint}")
        arrays[name] = _array(value, label, shape, f" ({why})")
    return arrays


def _gradient_wrong(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> dict[str, list[tuple[np.ndarray, str]]]:
    f = net._forward(X)
    G1 = f.h1 - Yoh
    N = X.shape[1]
    right = reference_gradients(net, X, Yoh)
    no_mask = (net.W1.T @ G1)
    by_value = (net.W1.T @ G1) * f.h0
    wrong = {name: [(right[name] / N, f"yours are 1/N of pynn's (N = {N}): that is the gradient of the mean; "
                                      "the spec's L is the sum, so do not divide by N")] if N > 1 else []
             for name in PARAMETERS}
    for name in PARAMETERS:
        wrong[name].append((-right[name], "the sign is flipped: g1 = ∂L/∂s1 = h1 − Yoh, not Yoh − h1"))
    wrong["W0"] += [(no_mask @ X.T, "g0 needs the ReLU mask: g0 = (W1ᵀ·g1) ⊙ [s0 > 0]"),
                    (by_value @ X.T, "multiply by the mask [s0 > 0] (0 or 1), not by h0 itself")]
    wrong["b0"] += [(no_mask.sum(axis=1, keepdims=True), "g0 needs the ReLU mask: g0 = (W1ᵀ·g1) ⊙ [s0 > 0]"),
                    (by_value.sum(axis=1, keepdims=True), "multiply by the mask [s0 > 0] (0 or 1), not by h0 itself")]
    wrong["W1"] += [(G1 @ f.s0.T, "∂L/∂W1 = g1·h0ᵀ uses h0 (after ReLU), not s0")]
    return wrong


def gradients_shapes(gradients: Callable[..., Any]) -> str:
    D, H, C, N = SHAPE_SIZE
    net, X, Yoh = random_net(D, H, C, N, seed=7)
    _gradient_shapes(_gradient_dict(_call(gradients, *_weights(net), X, Yoh)), net, N)
    return f"each gradient has its parameter's shape: W0 {(H, D)}, b0 {(H, 1)}, W1 {(C, H)}, b1 {(C, 1)}"


def gradients_values(gradients: Callable[..., Any]) -> str:
    for net, X, Yoh in _batches():
        N = X.shape[1]
        grads = _gradient_shapes(_gradient_dict(_call(gradients, *_weights(net), X, Yoh)), net, N)
        expected = reference_gradients(net, X, Yoh)
        wrong = _gradient_wrong(net, X, Yoh)
        for name in PARAMETERS:
            _must_equal(grads[name], expected[name], f"∂L/∂{name}", wrong[name], _case(net, N))
    return "equal pynn's on 4 random nets and batches (N = 1 and N > 1, H = 1, C = 2)"


def gradients_sum(gradients: Callable[..., Any]) -> str:
    net, X, Yoh = random_net(2, 4, 3, 10, seed=8)
    grads = _gradient_shapes(_gradient_dict(_call(gradients, *_weights(net), X, Yoh)), net, 10)
    expected = reference_gradients(net, X, Yoh)
    for name in PARAMETERS:
        if _close(grads[name], expected[name] / 10):
            raise Mistake(f"∂L/∂{name} is 1/10 of pynn's on 10 examples: that is the gradient of the mean loss; "
                          "the spec's L is the sum over the examples")
    return "are the gradients of the summed loss, not of the mean"


def gradients_mask(gradients: Callable[..., Any]) -> str:
    net, X, Yoh = random_net(2, 5, 3, 6, seed=9)
    net.b0[0, 0] = -100.0  # unit 0 is off (s0 < 0) for every example
    net.b0[1, 0] = 100.0  # unit 1 is on for every example
    grads = _gradient_shapes(_gradient_dict(_call(gradients, *_weights(net), X, Yoh)), net, 6)
    if np.any(grads["W0"][0] != 0) or grads["b0"][0, 0] != 0:
        raise Mistake("hidden unit 0 is off (s0 < 0 for every example), yet your ∂L/∂W0 row 0 or ∂L/∂b0[0] is "
                      "not 0: g0 = (W1ᵀ·g1) ⊙ [s0 > 0] — the ReLU mask stops the gradient at a unit that is off")
    expected = reference_gradients(net, X, Yoh)
    if not _close(grads["b0"][1:2], expected["b0"][1:2]):
        raise Mistake("hidden unit 1 is on for every example, so ∂L/∂b0[1] = Σ_i (W1ᵀ·g1)[1, i]; yours differs — "
                      "the mask is 1 where s0 > 0, not h0's value")
    return "the ReLU mask [s0 > 0] stops the gradient at a unit that is off and passes it where the unit is on"


def gradients_gradcheck(gradients: Callable[..., Any]) -> str:
    net, X, Yoh = random_net(3, 4, 3, 5, seed=11)
    grads = _gradient_shapes(_gradient_dict(_call(gradients, *_weights(net), X, Yoh)), net, 5)
    numeric = numerical_gradients(net, X, Yoh.argmax(axis=0))
    errors = {name: relative_error(grads[name], numeric[name]) for name in PARAMETERS}
    shown = ", ".join(f"{name} {errors[name]:.1e}" for name in PARAMETERS)
    failed = [name for name in PARAMETERS if not errors[name] < GRADCHECK_PASS]
    if failed:
        raise Mistake(f"relative error against central finite differences of the loss: {shown}; "
                      f"{', '.join(failed)} above {GRADCHECK_PASS:.0e}")
    return f"relative error against central finite differences of the loss: {shown} (pass below {GRADCHECK_PASS:.0e})"


# -- sgd_step --------------------------------------------------------------------------------------

LR = 0.3


def _step_wrong(net: TwoLayerNet, x: np.ndarray, yoh: np.ndarray, lr: float) -> dict[str, list[tuple[np.ndarray, str]]]:
    grads = reference_gradients(net, x, yoh)
    wrong: dict[str, list[tuple[np.ndarray, str]]] = {}
    for name in PARAMETERS:
        theta = getattr(net, name)
        wrong[name] = [
            (theta + lr * grads[name], "you moved uphill: θ ← θ − lr·∂L/∂θ, with a minus"),
            (theta - grads[name], "the learning rate is missing: θ ← θ − lr·∂L/∂θ"),
            (lr * grads[name], "that is the step lr·∂L/∂θ; return the updated parameters θ − lr·∂L/∂θ"),
            (grads[name], "that is the gradient; return the updated parameters θ − lr·∂L/∂θ"),
            (theta, "the parameters did not change: θ ← θ − lr·∂L/∂θ"),
        ]
    return wrong


def _step_result(value: Any, net: TwoLayerNet) -> dict[str, np.ndarray]:
    if not isinstance(value, dict):
        raise Mistake(f'sgd_step must return the updated params dict (keys "W0", "b0", "W1", "b1"); yours returned '
                      f"{_kind(value)}")
    missing = [name for name in PARAMETERS if name not in value]
    if missing:
        raise Mistake(f"the dict sgd_step returned has no key {missing[0]!r}; it needs W0, b0, W1 and b1")
    return _gradient_shapes(value, net, 1, what="the new ")


def sgd_step_shapes(sgd_step: Callable[..., Any]) -> str:
    D, H, C, _ = SHAPE_SIZE
    net, X, Yoh = random_net(D, H, C, 1, seed=12)
    _step_result(_call(sgd_step, _params(net), X, Yoh, LR), net)
    return f"returns params shaped as before: W0 {(H, D)}, b0 {(H, 1)}, W1 {(C, H)}, b1 {(C, 1)}"


def sgd_step_values(sgd_step: Callable[..., Any]) -> str:
    for (net, X, Yoh), lr in zip(_batches(), (0.1, 0.5, 1.0, 0.05)):
        x, yoh = X[:, :1], Yoh[:, :1]
        new = _step_result(_call(sgd_step, _params(net), x, yoh, lr), net)
        expected = reference_step(net, x, yoh, lr)
        wrong = _step_wrong(net, x, yoh, lr)
        for name in PARAMETERS:
            _must_equal(new[name], expected[name], f"the new {name}", wrong[name], f"{_case(net, 1)[:-5]}, lr={lr})")
    return "equals pynn's update θ − lr·∂L/∂θ (TwoLayerNet._step) on one example, 4 random nets and learning rates"


def sgd_step_descends(sgd_step: Callable[..., Any]) -> str:
    net, X, Yoh = random_net(2, 6, 3, 1, seed=13)
    y = Yoh.argmax(axis=0)
    before = net._loss(net._forward(X), y)
    new = _step_result(_call(sgd_step, _params(net), X, Yoh, 0.01), net)
    after_net = TwoLayerNet(2, 6, 3)
    for name in PARAMETERS:
        setattr(after_net, name, new[name])
    after = after_net._loss(after_net._forward(X), y)
    if not after < before:
        raise Mistake(f"a small step (lr = 0.01) must lower the example's loss; it went from {before:.6g} to "
                      f"{after:.6g} — θ ← θ − lr·∂L/∂θ")
    return f"a small step lowers the example's loss ({before:.4f} → {after:.4f})"


# -- the exercises -----------------------------------------------------------------------------------


def _source(function: Callable[..., Any]) -> str:
    return inspect.getsource(function)


SOLUTIONS = {
    "relu": "import numpy as np\n\n\n# pynn.model.relu\n" + _source(model.relu),
    "softmax": "import numpy as np\n\n\n# pynn.model.softmax\n" + _source(model.softmax),
    "forward": '''import numpy as np


# pynn.model.TwoLayerNet._forward, with the weights as arguments;
# relu and softmax are pynn.model's (your own once you define them here).
def forward(W0, b0, W1, b1, X):
    """s0, h0 (H×N), s1, h1 (C×N) for the batch X (D×N)."""
    s0 = W0 @ X + b0
    h0 = relu(s0)
    s1 = W1 @ h0 + b1
    return s0, h0, s1, softmax(s1)
''',
    "loss": '''import numpy as np


# pynn.model.log_softmax
''' + _source(model.log_softmax) + '''

# pynn.model.TwoLayerNet._loss, with the labels as the one-hot Yoh (C×N)
def loss(s1, Yoh):
    """L = Σ_i −log softmax(s1)[y_i, i], from log-softmax so it stays finite."""
    y = Yoh.argmax(axis=0)
    return float(-log_softmax(s1)[y, np.arange(y.shape[0])].sum())
''',
    "gradients": '''import numpy as np


# pynn.model.TwoLayerNet._backward (with its forward pass), the weights as arguments
def gradients(W0, b0, W1, b1, X, Yoh):
    """∂L/∂θ of the summed loss, each shaped like θ (denominator layout)."""
    s0, h0, s1, h1 = forward(W0, b0, W1, b1, X)
    G1 = h1 - Yoh                         # C×N
    G0 = (W1.T @ G1) * np.sign(h0)        # H×N: the sign of h0 = ReLU(s0) is the mask [s0 > 0]
    return {
        "W0": G0 @ X.T,                   # H×D
        "b0": G0.sum(axis=1, keepdims=True),
        "W1": G1 @ h0.T,                  # C×H
        "b1": G1.sum(axis=1, keepdims=True),
    }
''',
    "sgd_step": '''import numpy as np


# pynn.model.TwoLayerNet._step on one example (B = 1), no weight decay
def sgd_step(params, x, yoh, lr):
    """θ ← θ − lr · ∂L/∂θ for θ in W0, b0, W1, b1, on the example x (D×1), yoh (C×1)."""
    grads = gradients(params["W0"], params["b0"], params["W1"], params["b1"], x, yoh)
    return {name: params[name] - lr * grads[name] for name in ("W0", "b0", "W1", "b1")}
''',
}

SKELETONS = {
    "relu": '''import numpy as np


def relu(s):
    """ReLU(s) = max(s, 0), element by element.

    s: any shape, e.g. the H×N scores s0. Returns an array of the same shape.
    """
    # your code here
''',
    "softmax": '''import numpy as np


def softmax(s):
    """Column-wise softmax of the C×N scores s: each column becomes probabilities.

    softmax(s)[j, i] = exp(s[j, i]) / Σ_k exp(s[k, i])
    Returns C×N. Must not overflow for scores of ±1e4.
    """
    # your code here
''',
    "forward": '''import numpy as np


# relu(s) and softmax(s) are defined for you (pynn's); define your own here to use them instead.
def forward(W0, b0, W1, b1, X):
    """The forward pass on the batch X (D×N), one example per column.

    W0 H×D, b0 H×1, W1 C×H, b1 C×1.
    Returns (s0, h0, s1, h1): s0, h0 H×N; s1, h1 C×N.
    """
    # your code here
''',
    "loss": '''import numpy as np


def loss(s1, Yoh):
    """The summed negative log-likelihood L = Σ_i −log softmax(s1)[y_i, i].

    s1: C×N scores; Yoh: C×N one-hot labels (Yoh[j, i] = 1 where example i is of class j).
    Returns one float. Compute it from log-softmax, so it stays finite for scores of ±1e4.
    """
    # your code here
''',
    "gradients": '''import numpy as np


# forward(W0, b0, W1, b1, X) is defined for you (pynn's), as are relu and softmax.
def gradients(W0, b0, W1, b1, X, Yoh):
    """∂L/∂θ of the summed loss for θ in W0, b0, W1, b1 (denominator layout).

    X: D×N, Yoh: C×N. Returns a dict {"W0": H×D, "b0": H×1, "W1": C×H, "b1": C×1},
    each gradient shaped like its parameter.
    """
    # your code here
''',
    "sgd_step": '''import numpy as np


# gradients(W0, b0, W1, b1, X, Yoh) is defined for you (pynn's), as are forward, relu and softmax.
def sgd_step(params, x, yoh, lr):
    """One step of SGD on one example: θ ← θ − lr · ∂L/∂θ.

    params: {"W0": H×D, "b0": H×1, "W1": C×H, "b1": C×1}; x: D×1; yoh: C×1 (one-hot); lr: a float.
    Returns the updated params dict (same keys and shapes).
    """
    # your code here
''',
}

EXERCISES: dict[str, Exercise] = {
    "relu": Exercise(
        "relu", "ReLU",
        "The hidden layer's non-linearity: every negative score becomes 0, every positive one passes as it is.",
        ("ReLU(s) = max(s, 0)          element by element, any shape",
         "h0 = ReLU(s0)                 (H×N)",
         "[s0 > 0]                      the mask: 1 where the unit is on, 0 where it is off"),
        SKELETONS["relu"], SOLUTIONS["relu"],
        (("shape", relu_shape), ("ReLU mask", relu_mask), ("values", relu_values), ("input unchanged", relu_keeps_input)),
    ),
    "softmax": Exercise(
        "softmax", "Softmax",
        "Scores to probabilities, one column (one example) at a time. Subtracting each column's max first "
        "changes nothing mathematically and keeps exp from overflowing.",
        ("softmax(s)[j] = exp(s[j]) / Σ_k exp(s[k])     per column",
         "             = exp(s[j] − m) / Σ_k exp(s[k] − m),   m = max_k s[k]",
         "s: C×N  →  C×N, every column sums to 1"),
        SKELETONS["softmax"], SOLUTIONS["softmax"],
        (("shape", softmax_shape), ("columns sum to 1", softmax_columns), ("values", softmax_values),
         ("stable at ±1e4", softmax_stable), ("input unchanged", softmax_keeps_input)),
    ),
    "forward": Exercise(
        "forward", "The forward pass",
        "The whole net on a batch: the examples are the columns of X, and every formula holds column by column "
        "(a bias column is broadcast across the columns).",
        ("s0 = W0·X + b0      (H×N)      W0 H×D, b0 H×1",
         "h0 = ReLU(s0)       (H×N)",
         "s1 = W1·h0 + b1     (C×N)      W1 C×H, b1 C×1",
         "h1 = softmax(s1)    (C×N)      h1[j, i] = P(Y = j | x_i)"),
        SKELETONS["forward"], SOLUTIONS["forward"],
        (("shapes", forward_shapes), ("values", forward_values), ("stable at ±1e4", forward_stable)),
    ),
    "loss": Exercise(
        "loss", "The loss",
        "The negative log-likelihood of the batch: the sum (not the mean) over the examples of −log of the "
        "probability the net gives the true class. From log-softmax, so it is finite for any finite scores.",
        ("L = Σ_i −log h1(x_i)[y_i] = −Σ_i Σ_j Yoh[j, i] · log softmax(s1)[j, i]",
         "log softmax(s)[j] = s[j] − m − log Σ_k exp(s[k] − m),   m = max_k s[k]",
         "s1, Yoh: C×N  →  L: one float"),
        SKELETONS["loss"], SOLUTIONS["loss"],
        (("one number", loss_type), ("values", loss_values), ("sum, not mean", loss_sum), ("stable at ±1e4", loss_stable)),
    ),
    "gradients": Exercise(
        "gradients", "The gradients",
        "The backward pass, by the chain rule, in denominator layout: each gradient has its parameter's shape. "
        "For a batch the products with matrices sum over the examples.",
        ("G1 = ∂L/∂S1 = H1 − Yoh                (C×N)",
         "∂L/∂W1 = G1 · H0ᵀ                     (C×H)",
         "∂L/∂b1 = Σ_i G1[:, i]                 (C×1)",
         "G0 = ∂L/∂S0 = (W1ᵀ · G1) ⊙ [S0 > 0]    (H×N)",
         "∂L/∂W0 = G0 · Xᵀ                      (H×D)",
         "∂L/∂b0 = Σ_i G0[:, i]                 (H×1)"),
        SKELETONS["gradients"], SOLUTIONS["gradients"],
        (("shapes", gradients_shapes), ("values", gradients_values), ("sum, not mean", gradients_sum),
         ("ReLU mask", gradients_mask), ("gradient check", gradients_gradcheck)),
    ),
    "sgd_step": Exercise(
        "sgd_step", "One step of SGD",
        "Stochastic gradient descent: one example, one step downhill on every parameter.",
        ("θ ← θ − lr · ∂L/∂θ        for θ in W0, b0, W1, b1",
         "x: D×1, yoh: C×1 (one example)"),
        SKELETONS["sgd_step"], SOLUTIONS["sgd_step"],
        (("shapes", sgd_step_shapes), ("values", sgd_step_values), ("goes downhill", sgd_step_descends)),
    ),
}


def helpers(name: str) -> dict[str, Callable[..., Any]]:
    """pynn's own versions of the exercises before ``name`` (solutions in the exercises' form), which
    the student's code may call: forward may use relu and softmax, gradients forward, and so on."""
    found: dict[str, Callable[..., Any]] = {}
    for earlier in ORDER[: ORDER.index(name)]:
        found[earlier] = load(earlier, SOLUTIONS[earlier], dict(found))
    return found


def catalogue() -> list[dict[str, Any]]:
    """The exercises for the page: name, title, intro, equations, skeleton, solution and the checks' names."""
    return [
        {"name": e.name, "title": e.title, "intro": e.intro, "equations": list(e.equations),
         "skeleton": e.skeleton, "solution": e.solution, "checks": [title for title, _ in e.checks]}
        for e in EXERCISES.values()
    ]


def check(name: str, source: str) -> dict[str, Any]:
    """Run ``source`` (the student's code for exercise ``name``) and every check of that exercise.

    Returns ``status``: "pass" (every check passed), "fail" (some did not; each line says why) or
    "error" (the code raised or does not compile: ``error`` = {"message", "line"}, the line in the
    student's source or None); ``checks``: [{"name", "passed", "message"}] in order, and
    ``passed``/``total`` counts. A check the error stopped is not listed; when the first check (the
    return type and shapes) fails, the others are listed with ``skipped`` and not run.
    """
    if name not in EXERCISES:
        raise ValueError(f"unknown exercise {str(name)[:40]!r}; known: {', '.join(ORDER)}")
    exercise = EXERCISES[name]
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
                result["checks"].append({"name": title, "passed": False, "message": str(mistake)})
                result["status"] = "fail"
            else:
                result["checks"].append({"name": title, "passed": True, "message": message})
                result["passed"] += 1
    except StudentError as error:
        result["status"] = "error"
        result["error"] = {"message": error.message, "line": error.line}
    return result

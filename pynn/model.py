"""The two-layer network of docs/model.md, its loss and its hand-derived gradients.

Shapes (examples are columns):

    X  D×N    W0 H×D   b0 H×1   W1 C×H   b1 C×1

    S0 = W0·X + b0        H×N
    H0 = ReLU(S0)         H×N
    S1 = W1·H0 + b1       C×N
    H1 = softmax(S1)      C×N    (column by column)
    L  = Σ_i −log H1[y_i, i]
"""
from __future__ import annotations

import os
from typing import Any, NamedTuple

import numpy as np

from . import _checks

PARAMETERS = ("W0", "b0", "W1", "b1")
FORMAT = "pynn.TwoLayerNet"
INITS = ("he", "small", "zero", "large")
"""The initialisations of TwoLayerNet(init=…); ``init_scales`` gives their standard deviations."""


class DivergenceError(ValueError):
    """A step produced non-finite weights or loss: the learning rate is too large for this net and data."""


class Forward(NamedTuple):
    """The values of one forward pass, named as in the spec; each has N columns."""

    s0: np.ndarray  # H×N
    h0: np.ndarray  # H×N
    s1: np.ndarray  # C×N
    h1: np.ndarray  # C×N


def relu(s: np.ndarray) -> np.ndarray:
    """ReLU(s) = max(s, 0), element by element."""
    return np.maximum(s, 0.0)


# The column reductions below give shape (N,), which broadcasts against C×N column by column:
# the same numbers as keepdims=True (shape 1×N) at two thirds of the cost for one column.


def log_softmax(s: np.ndarray) -> np.ndarray:
    """log softmax(s) per column: s − max − log Σ exp(s − max).

    Subtracting the column max first keeps every exponent ≤ 0, so no overflow for any finite s.
    """
    shifted = s - np.maximum.reduce(s, axis=0)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=0))


def softmax(s: np.ndarray) -> np.ndarray:
    """softmax(s)[j] = exp(s[j]) / Σ_k exp(s[k]), per column (C×N → C×N)."""
    e = np.exp(s - np.maximum.reduce(s, axis=0))
    e /= np.add.reduce(e, axis=0)
    return e


def column_sum(G: np.ndarray) -> np.ndarray:
    """Σ_i G[:, i] as a column (K×N → K×1); one column is its own sum (the pure-SGD fast path)."""
    return G if G.shape[1] == 1 else np.add.reduce(G, axis=1, keepdims=True)


def one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Yoh (C×N): Yoh[j, i] = 1 where y[i] = j, else 0."""
    Yoh = np.zeros((n_classes, y.shape[0]))
    Yoh[y, np.arange(y.shape[0])] = 1.0
    return Yoh


def _overflow() -> ValueError:
    """The error for scores s1 that overflowed float64."""
    return ValueError(
        "the scores s1 overflow float64: X is too large for this net; "
        "scale the inputs first (e.g. pynn.datasets.standardize)"
    )


def init_scales(init: str, n_inputs: int, n_hidden: int) -> tuple[float, float]:
    """(σ0, σ1): the standard deviations of W0 (H×D) and W1 (C×H) under ``init``.

        he     σ0 = √(2/D), σ1 = √(1/H)   (He: keeps the size of s0 and s1 near that of x)
        small  σ0 = σ1 = 0.01
        zero   σ0 = σ1 = 0                 (every weight 0: the hidden units start, and stay, equal)
        large  σ0 = σ1 = 3

    Refuses an unknown name with a ValueError that lists INITS.
    """
    if not isinstance(init, str) or init not in INITS:
        raise ValueError(f"unknown init {str(init)[:40]!r}; known: {', '.join(INITS)}")
    return {
        "he": (np.sqrt(2.0 / n_inputs), np.sqrt(1.0 / n_hidden)),
        "small": (0.01, 0.01),
        "zero": (0.0, 0.0),
        "large": (3.0, 3.0),
    }[init]


class TwoLayerNet:
    """s0 = W0·x + b0, h0 = ReLU(s0), s1 = W1·h0 + b1, h1 = softmax(s1).

    Weights are drawn from ``numpy.random.default_rng(seed)``, W0 first, as W = σ · N(0, 1) with
    the σ0, σ1 of ``init`` (``init_scales``): "he" (the default) W0 ~ N(0, 2/D), W1 ~ N(0, 1/H);
    "small" N(0, 0.01²); "large" 3 · N(0, 1); "zero" every weight 0. Biases start at zero. The
    same seed and init give the same weights bit for bit.
    """

    def __init__(
        self, n_inputs: int, n_hidden: int, n_classes: int, *, seed: int | None = None, init: str = "he"
    ) -> None:
        D = _checks.count("n_inputs", n_inputs, 1)
        H = _checks.count("n_hidden", n_hidden, 1)
        C = _checks.count("n_classes", n_classes, 2)
        sigma0, sigma1 = init_scales(init, D, H)
        rng = np.random.default_rng(seed)
        self.W0 = rng.standard_normal((H, D)) * sigma0 if sigma0 else np.zeros((H, D))
        self.b0 = np.zeros((H, 1))
        self.W1 = rng.standard_normal((C, H)) * sigma1 if sigma1 else np.zeros((C, H))
        self.b1 = np.zeros((C, 1))

    @property
    def n_inputs(self) -> int:
        """D, the length of an example."""
        return self.W0.shape[1]

    @property
    def n_hidden(self) -> int:
        """H, the number of hidden units."""
        return self.W0.shape[0]

    @property
    def n_classes(self) -> int:
        """C, the number of classes."""
        return self.W1.shape[0]

    def __repr__(self) -> str:
        return f"TwoLayerNet(n_inputs={self.n_inputs}, n_hidden={self.n_hidden}, n_classes={self.n_classes})"

    # -- the maths, unchecked: callers have validated X (D×N float64) and y (validate) ----------
    # forward, loss, gradients and sgd_step below are these after their checks; pynn.train, the
    # gradient check and the page call these directly, once their data is checked.

    def forward_pass(self, X: np.ndarray) -> Forward:
        """The forward pass on X (D×N), unchecked: s0, h0 (H×N), s1, h1 (C×N).

            S0 = W0·X + b0,  H0 = ReLU(S0),  S1 = W1·H0 + b1,  H1 = softmax(S1)
        """
        s0 = self.W0 @ X + self.b0
        h0 = relu(s0)
        s1 = self.W1 @ h0 + self.b1
        return Forward(s0, h0, s1, softmax(s1))

    def backward_pass(self, X: np.ndarray, f: Forward, Yoh: np.ndarray, scale: float = 1.0) -> dict[str, np.ndarray]:
        """Gradients of scale·L (the summed loss), each shaped like its parameter (denominator layout).

        Every gradient is linear in G1, so scaling G1 scales them all: an SGD step passes
        scale = lr/B and gets its updates directly, without a multiplication per parameter.

            G1 = ∂L/∂S1 = H1 − Yoh              C×N
            ∂L/∂W1 = G1 · H0ᵀ                   C×H
            ∂L/∂b1 = Σ_i G1[:, i]               C×1
            G0 = ∂L/∂S0 = (W1ᵀ · G1) ⊙ [S0 > 0]  H×N
            ∂L/∂W0 = G0 · Xᵀ                    H×D
            ∂L/∂b0 = Σ_i G0[:, i]               H×1
        """
        G1 = f.h1 - Yoh
        if scale != 1.0:
            G1 *= scale
        # [S0 > 0] as 0.0 / 1.0: the sign of H0 = ReLU(S0). A float factor, where the bool mask
        # (f.s0 > 0) would make numpy cast it first: 0.6 µs instead of 1.7 µs for one example.
        G0 = (self.W1.T @ G1) * np.sign(f.h0)
        return {
            "W0": G0 @ X.T,
            "b0": column_sum(G0),
            "W1": G1 @ f.h0.T,
            "b1": column_sum(G1),
        }

    def loss_of(self, f: Forward, y: np.ndarray) -> float:
        """L = Σ_i −log softmax(S1)[y_i, i] of the forward pass ``f`` (its s1, C×N) and the labels
        y (N,), from log-softmax so it stays finite."""
        return float(-log_softmax(f.s1)[y, np.arange(y.shape[0])].sum())

    def _update(self, steps: dict[str, np.ndarray], decay: float) -> None:
        """θ ← θ − step_θ, and W ← W − decay·W (the L2 term) on W0 and W1, never on biases."""
        if decay:
            self.W0 *= 1.0 - decay
            self.W1 *= 1.0 - decay
        self.W0 -= steps["W0"]
        self.b0 -= steps["b0"]
        self.W1 -= steps["W1"]
        self.b1 -= steps["b1"]

    def step(self, X: np.ndarray, Yoh: np.ndarray, lr: float, weight_decay: float) -> Forward:
        """One SGD update on the batch X (D×B), Yoh (C×B); returns the forward pass before it.

            θ ← θ − lr · (∂L/∂θ / B + λ·θ)      (the λ term on W0 and W1 only)

        The one update rule: ``sgd_step`` and ``pynn.train`` both make every step through here.
        """
        f = self.forward_pass(X)
        self._update(self.backward_pass(X, f, Yoh, lr / X.shape[1]), lr * weight_decay)
        return f

    # -- the public API: validates, then does the maths ----------------------------------------

    def forward(self, X: np.ndarray) -> Forward:
        """The forward pass on X (D×N): s0, h0 (H×N), s1, h1 (C×N)."""
        return self._finite_forward(_checks.examples(X, self.n_inputs))

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """The summed negative log-likelihood L = Σ_i −log h1(X_i)[y_i] (a float)."""
        X, y = self.validate(X, y)
        return self.loss_of(self._finite_forward(X), y)

    def gradients(self, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
        """(L, grads): the summed loss and ∂L/∂θ for θ in W0, b0, W1, b1, shaped like θ."""
        X, y = self.validate(X, y)
        f = self._finite_forward(X)
        return self.loss_of(f, y), self.backward_pass(X, f, one_hot(y, self.n_classes))

    def sgd_step(self, X: np.ndarray, y: np.ndarray, lr: float, *, weight_decay: float = 0.0) -> float:
        """One update from the batch (X, y) of B examples; returns the batch's summed loss before it.

            θ ← θ − lr · (∂L/∂θ / B + λ·θ)      (the λ term on W0 and W1 only)

        A step whose scores overflow (ValueError) or whose weights come out non-finite
        (DivergenceError) leaves the net as it was.
        """
        X, y = self.validate(X, y)
        lr = _checks.positive("lr", lr)
        weight_decay = _checks.non_negative("weight_decay", weight_decay)
        before = [getattr(self, name).copy() for name in PARAMETERS]
        with np.errstate(over="ignore", invalid="ignore"):
            f = self.step(X, one_hot(y, self.n_classes), lr, weight_decay)
        if not np.all(np.isfinite(f.s1)):
            self.restore(before)
            raise _overflow()
        if not all(np.all(np.isfinite(getattr(self, name))) for name in PARAMETERS):
            self.restore(before)
            raise DivergenceError(f"this step would make the weights infinite or NaN: lower the learning rate (now {lr:g})")
        return self.loss_of(f, y)

    def restore(self, values: list[np.ndarray]) -> None:
        """Put back W0, b0, W1, b1 as saved (in PARAMETERS order): after a step that diverged."""
        for name, value in zip(PARAMETERS, values):
            setattr(self, name, value)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """h1 for every column of X: the C×N matrix of class probabilities."""
        return self.forward(X).h1

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class of each column of X, shape (N,)."""
        return self.forward(X).s1.argmax(axis=0)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        """The fraction of columns of X whose predicted class is y."""
        X, y = self.validate(X, y)
        return float(np.mean(self._finite_forward(X).s1.argmax(axis=0) == y))

    def _finite_forward(self, X: np.ndarray) -> Forward:
        """The forward pass, refusing scores that overflowed float64 (absurdly large X or weights)."""
        with np.errstate(over="ignore", invalid="ignore"):
            f = self.forward_pass(X)
        if not np.all(np.isfinite(f.s1)):
            raise _overflow()
        return f

    def validate(self, X: object, y: object, names: tuple[str, str] = ("X", "y")) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) checked for this net: X as D×N float64, y as N integer labels in 0..C−1; ValueError
        (naming ``names``) otherwise. What the unchecked methods above expect."""
        X = _checks.examples(X, self.n_inputs, names[0])
        return X, _checks.labels(y, X.shape[1], self.n_classes, names[1])

    # -- persistence ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The net as plain JSON-able data: shapes and nested lists of floats."""
        return {
            "format": FORMAT,
            "version": 1,
            "n_inputs": self.n_inputs,
            "n_hidden": self.n_hidden,
            "n_classes": self.n_classes,
            **{name: getattr(self, name).tolist() for name in PARAMETERS},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TwoLayerNet":
        """The net that ``to_dict`` described; ValueError for anything that is not one."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a pynn model: expected a dict with format {FORMAT!r}")
        return cls._from_arrays({name: data.get(name) for name in PARAMETERS}, dict(data))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write W0, b0, W1, b1 to an .npz file."""
        np.savez(path, **{name: getattr(self, name) for name in PARAMETERS})

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "TwoLayerNet":
        """Read a net written by ``save``; ValueError for a file that is not one."""
        try:
            with np.load(path, allow_pickle=False) as archive:
                arrays = {name: archive[name] if name in archive.files else None for name in PARAMETERS}
        except (OSError, ValueError, EOFError) as error:
            raise ValueError(f"cannot read a pynn model from {os.fspath(path)!r}: {error}") from None
        return cls._from_arrays(arrays, {})

    @classmethod
    def _from_arrays(cls, arrays: dict[str, object], sizes: dict[str, Any]) -> "TwoLayerNet":
        params = {}
        for name in PARAMETERS:
            if arrays[name] is None:
                raise ValueError(f"malformed pynn model: {name} is missing")
            try:
                params[name] = np.array(arrays[name], dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"malformed pynn model: {name} is not an array of numbers") from None
            if params[name].ndim != 2:
                raise ValueError(f"malformed pynn model: {name} must be 2-D, got shape {params[name].shape}")
            if not np.all(np.isfinite(params[name])):
                raise ValueError(f"malformed pynn model: {name} contains NaN or infinite values")
        H, D = params["W0"].shape
        C = params["W1"].shape[0]
        expected = {"W0": (H, D), "b0": (H, 1), "W1": (C, H), "b1": (C, 1)}
        for name, shape in expected.items():
            if params[name].shape != shape:
                raise ValueError(
                    f"malformed pynn model: {name} has shape {params[name].shape}, expected {shape} "
                    f"for D={D}, H={H}, C={C}"
                )
        for key, value in (("n_inputs", D), ("n_hidden", H), ("n_classes", C)):
            if key in sizes and sizes[key] != value:
                raise ValueError(f"malformed pynn model: {key} is {sizes[key]!r} but the weights say {value}")
        if D < 1 or H < 1 or C < 2:
            raise ValueError(f"malformed pynn model: needs D ≥ 1, H ≥ 1 and C ≥ 2, got D={D}, H={H}, C={C}")
        net = cls(D, H, C)
        for name in PARAMETERS:
            setattr(net, name, params[name])
        return net

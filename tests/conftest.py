"""The spec's formulas (SPEC.md), written out one example at a time, as the tests' source of truth.

Nothing here calls pynn: a test that compares pynn's weights with these numbers checks the code
against the maths, not against itself.
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

import numpy as np
import pytest

# Helpers the tests share as plain modules beside them (tests/judged.py: a check by the page's three
# steps); pytest imports test files by path (--import-mode=importlib), so this folder is put on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def forward(params: dict[str, np.ndarray], x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """s0, h0, s1, h1 for one example x (D×1)."""
    s0 = params["W0"] @ x + params["b0"]
    h0 = np.where(s0 > 0, s0, 0.0)
    s1 = params["W1"] @ h0 + params["b1"]
    e = np.exp(s1 - s1.max())
    return s0, h0, s1, e / e.sum()


def gradients(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """∂L/∂θ of the summed loss, as the sum over the columns of the one-example formulas."""
    grads = {name: np.zeros_like(value) for name, value in params.items()}
    for i in range(X.shape[1]):
        x = X[:, i : i + 1]
        s0, h0, _, h1 = forward(params, x)
        onehot = np.zeros_like(h1)
        onehot[y[i]] = 1.0
        g1 = h1 - onehot
        g0 = (params["W1"].T @ g1) * (s0 > 0)
        grads["W1"] += g1 @ h0.T
        grads["b1"] += g1
        grads["W0"] += g0 @ x.T
        grads["b0"] += g0
    return grads


def loss(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> float:
    """L = Σ_i −log h1(X_i)[y_i]."""
    return float(sum(-np.log(forward(params, X[:, i : i + 1])[3][y[i], 0]) for i in range(X.shape[1])))


def step(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, lr: float, wd: float = 0.0) -> dict[str, np.ndarray]:
    """One mini-batch SGD step on the B columns of X: θ − lr·(∂L/∂θ / B + λ·θ), the λ term on W0 and W1 only."""
    grads = gradients(params, X, y)
    B = X.shape[1]
    return {
        name: value - lr * (grads[name] / B + (wd * value if name.startswith("W") else 0.0))
        for name, value in params.items()
    }


def params_of(net) -> dict[str, np.ndarray]:
    """Copies of a net's W0, b0, W1, b1."""
    return {name: getattr(net, name).copy() for name in ("W0", "b0", "W1", "b1")}


def assert_params(net, expected: dict[str, np.ndarray], rtol: float = 1e-12) -> None:
    for name, value in expected.items():
        np.testing.assert_allclose(getattr(net, name), value, rtol=rtol, atol=1e-14, err_msg=name)


@pytest.fixture
def spec() -> types.SimpleNamespace:
    """The formulas above, for tests: ``spec.step(params, X, y, lr, wd)`` and friends."""
    return types.SimpleNamespace(
        forward=forward, gradients=gradients, loss=loss, step=step, params_of=params_of, assert_params=assert_params
    )

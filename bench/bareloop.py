"""The spec's per-example SGD as a bare numpy loop: no validation, no metrics, no History. The
reference pynn's pure SGD is timed against, in one copy: bench/native.py calls it natively, and
bench/browser.py sends this file's source to Pyodide with the page's benchmark. numpy only."""
from __future__ import annotations

import numpy as np


def bare_sgd_epoch(W0: np.ndarray, b0: np.ndarray, W1: np.ndarray, b1: np.ndarray, X: np.ndarray, labels: list[int],
                   order: list[int], lr: float) -> None:
    """One epoch: for each example i of ``order`` (x = X[:, i], D×1), one step of the spec's
    formulas, W0 H×D, b0 H×1, W1 C×H, b1 C×1 updated in place."""
    for i in order:
        x = X[:, i : i + 1]
        s0 = W0 @ x + b0
        h0 = np.maximum(s0, 0.0)
        s1 = W1 @ h0 + b1
        e = np.exp(s1 - s1.max())
        g1 = e / e.sum()
        g1[labels[i]] -= 1.0
        g0 = (W1.T @ g1) * (s0 > 0)
        W1 -= lr * (g1 @ h0.T)
        b1 -= lr * g1
        W0 -= lr * (g0 @ x.T)
        b0 -= lr * g0

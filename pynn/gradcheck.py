"""Gradient check: the hand-derived backward pass against central finite differences."""
from __future__ import annotations

import numpy as np

from .model import PARAMETERS, TwoLayerNet


def numerical_gradients(net: TwoLayerNet, X: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> dict[str, np.ndarray]:
    """∂L/∂θ ≈ (L(θ + ε) − L(θ − ε)) / 2ε, one element at a time, for every parameter θ."""
    X, y = net.validate(X, y)
    grads = {}
    for name in PARAMETERS:
        theta = getattr(net, name)
        grad = np.zeros_like(theta)
        for index in np.ndindex(theta.shape):
            original = theta[index]
            theta[index] = original + eps
            plus = net.loss_of(net.forward_pass(X), y)
            theta[index] = original - eps
            minus = net.loss_of(net.forward_pass(X), y)
            theta[index] = original
            grad[index] = (plus - minus) / (2 * eps)
        grads[name] = grad
    return grads


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖) over all elements of one parameter (0 when both are zero).

    Measured over the whole parameter, not element by element: a finite difference carries an
    absolute round-off error of about 1e-16·|L|/ε, which swamps any element whose true gradient is
    near zero (a unit that barely fires), while the parameter as a whole is measured to ~1e-9.
    """
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0


def gradcheck(net: TwoLayerNet, X: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> dict[str, float]:
    """For W0, b0, W1, b1: the relative error of ``net.gradients`` against finite differences."""
    _, analytic = net.gradients(X, y)
    numeric = numerical_gradients(net, X, y, eps)
    return {name: relative_error(analytic[name], numeric[name]) for name in PARAMETERS}

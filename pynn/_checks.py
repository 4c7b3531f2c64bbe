"""Input validation shared by pynn's public entry points.

Every check raises ``ValueError`` with a message a student can act on, and returns a clean
float64 / int64 array so the maths below it never has to look at dtypes again.
"""
from __future__ import annotations

import numbers

import numpy as np


def count(name: str, value: object, minimum: int) -> int:
    """An integer hyperparameter that must be at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {short(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def positive(name: str, value: object) -> float:
    """A real hyperparameter that must be finite and > 0 (a learning rate, say)."""
    number = real(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0, got {number}")
    return number


def non_negative(name: str, value: object) -> float:
    """A real hyperparameter that must be finite and >= 0 (a weight decay, say)."""
    number = real(name, value)
    if number < 0:
        raise ValueError(f"{name} must be 0 or more, got {number}")
    return number


def real(name: str, value: object) -> float:
    """A finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {short(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number}")
    return number


def examples(X: object, n_inputs: int, name: str = "X") -> np.ndarray:
    """A D×N float64 matrix of finite values whose columns are examples."""
    try:
        array = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be an array of numbers ({error})") from None
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (D, N) = ({n_inputs}, N) with one example per "
            f"column; got {array.ndim}-D shape {array.shape}"
        )
    if array.shape[0] != n_inputs:
        hint = " (examples must be columns: did you mean to pass X.T?)" if array.shape[1] == n_inputs else ""
        raise ValueError(
            f"{name} must have {n_inputs} rows (one per input feature); got shape {array.shape}{hint}"
        )
    if array.shape[1] == 0:
        raise ValueError(f"{name} has no examples (0 columns)")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def labels(y: object, n_examples: int, n_classes: int, name: str = "y") -> np.ndarray:
    """An (N,) int64 vector of class indices in [0, C)."""
    array = np.asarray(y)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of N = {n_examples} labels; got shape {array.shape}")
    if array.shape[0] != n_examples:
        raise ValueError(f"{name} has {array.shape[0]} labels for {n_examples} examples (columns); give one label per example")
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(f"{name} must hold integer class labels, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.floating):
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise ValueError(f"{name} must hold whole-number class labels, found a non-integer value")
    if array.size and (array.min() < 0 or array.max() >= n_classes):
        raise ValueError(
            f"{name} labels must be in 0..{n_classes - 1} (C = {n_classes} classes); "
            f"found values from {array.min():g} to {array.max():g}"
        )
    return array.astype(np.int64)


def short(value: object, limit: int = 40) -> str:
    """``repr(value)`` cut to ``limit`` characters, so an error never echoes huge input."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."

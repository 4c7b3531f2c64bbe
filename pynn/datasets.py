"""Data sets for pynn: five 2-D toy problems, the 8×8 digits, and two helpers.

Every data set is returned as ``(X, y)`` with the examples as COLUMNS, as in ``docs/model.md``:

- ``X``: float64, shape (D, N) — D = 2 for the toy problems, 64 for the digits;
- ``y``: int64, shape (N,), the class of each column, with values in [0, C).

The 2-D generators share one signature, ``(n, classes, noise, seed)``:

- ``n`` points in all, split among the classes as evenly as possible: every class gets
  ``n // classes`` points and the first ``n % classes`` classes get one more (``n=10``,
  ``classes=3`` gives 4, 3, 3). The columns come in a random order, not grouped by class.
- ``classes`` in ``CLASS_RANGE[name]`` (moons and xor have exactly 2).
- ``noise`` ≥ 0: the standard deviation of Gaussian noise, in the plane's units (for the spiral,
  in radians along the arm, as in CS231n). ``noise=0`` gives the exact shape.
- ``seed``: None (fresh randomness) or an integer ≥ 0; the same seed gives the same data.

The shapes lie roughly within [-1, 1]²; noise can push points a little outside, so a plot of
[-EXTENT, EXTENT]² shows them all.

Typical use::

    X, y = spiral(300, classes=3, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, seed=0)
    mean, std = mean_std(X_train)
    X_train, X_test = standardize(X_train, mean, std), standardize(X_test, mean, std)
"""

from __future__ import annotations

import importlib.resources
import io
import math
import numbers
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import _checks

EXTENT = 1.5
"""Half-width of the square [-EXTENT, EXTENT]² that holds every 2-D data set (for plots)."""

MAX_POINTS = 1_000_000
"""Largest ``n`` the 2-D generators accept (16 MB of float64), so a typo cannot exhaust memory."""

SPIRAL_TURN = 4.0
"""Radians each spiral arm turns from its centre to its tip (CS231n's arms turn 4 radians)."""

BLOB_RADIUS = 0.6
"""Distance of the blob centres from the origin."""

XOR_MARGIN = 0.1
"""Smallest distance of an xor point from the axes before noise, so the quadrants stay apart."""

Dataset = tuple[np.ndarray, np.ndarray]


# --- checking arguments ------------------------------------------------------------------------


def _rng(seed: object) -> np.random.Generator:
    """A numpy Generator from ``seed``: None (fresh randomness) or an integer >= 0."""
    return np.random.default_rng(None if seed is None else _checks.count("seed", seed, 0))


def _check_args(name: str, n: object, classes: object, noise: object, seed: object) -> tuple[
    int, int, float, np.random.Generator
]:
    """Validate the arguments shared by the 2-D generators; return them clean, with a Generator."""
    classes = _checks.count("classes", classes, 0)
    low, high = CLASS_RANGE[name]
    if not low <= classes <= high:
        if low == high:
            raise ValueError(f"{name} has exactly {low} classes, got classes={classes}")
        raise ValueError(f"{name} allows {low} to {high} classes, got classes={classes}")
    n = _checks.count("n", n, classes)  # at least one point per class
    if n > MAX_POINTS:
        raise ValueError(f"n={n} is too many points: at most {MAX_POINTS:,} are allowed")
    noise = _checks.non_negative("noise", noise)
    return n, classes, noise, _rng(seed)


def _class_sizes(n: int, classes: int) -> list[int]:
    """Points per class: ``n // classes`` each, one more for the first ``n % classes`` classes."""
    base, extra = divmod(n, classes)
    return [base + (k < extra) for k in range(classes)]


def _shuffled(parts: list[np.ndarray], rng: np.random.Generator) -> Dataset:
    """Stack the per-class point sets (each 2×m) into ``(X, y)`` with the columns shuffled."""
    X = np.concatenate(parts, axis=1)
    y = np.concatenate([np.full(p.shape[1], k, dtype=np.int64) for k, p in enumerate(parts)])
    order = rng.permutation(y.size)
    return np.ascontiguousarray(X[:, order]), y[order]


def _on_circle(radius: float | np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Points (2×m) at ``radius`` and ``angle`` (radians) around the origin."""
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)])


# --- the 2-D data sets -------------------------------------------------------------------------


def spiral(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int | None = None) -> Dataset:
    """Interleaved spiral arms, one per class, as in Stanford's CS231n notes.

    Arm k starts near the origin at angle 2πk/C and turns SPIRAL_TURN radians while its radius
    grows evenly from 0 to 1: point i of m has radius r = (i + ½)/m and angle
    2πk/C + SPIRAL_TURN·r + noise·ε, with ε standard normal — the noise moves points along the
    circle, in radians. Classes: 2 to 6.
    """
    n, classes, noise, rng = _check_args("spiral", n, classes, noise, seed)
    parts = []
    for k, m in enumerate(_class_sizes(n, classes)):
        radius = (np.arange(m) + 0.5) / m
        angle = 2 * np.pi * k / classes + SPIRAL_TURN * radius + noise * rng.standard_normal(m)
        parts.append(_on_circle(radius, angle))
    return _shuffled(parts, rng)


def circles(n: int = 300, classes: int = 2, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """Concentric rings, one per class: ring k has radius (k + 1)/C, so the outer one has radius 1.

    Points lie at uniformly random angles on their ring, then each coordinate gets Gaussian noise
    of standard deviation ``noise``. Classes: 2 to 6.
    """
    n, classes, noise, rng = _check_args("circles", n, classes, noise, seed)
    parts = []
    for k, m in enumerate(_class_sizes(n, classes)):
        ring = _on_circle((k + 1) / classes, rng.uniform(0, 2 * np.pi, m))
        parts.append(ring + noise * rng.standard_normal((2, m)))
    return _shuffled(parts, rng)


def moons(n: int = 300, classes: int = 2, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """Two interleaving half moons (scikit-learn's ``make_moons``, scaled into [-1, 1]²).

    Class 0 is the upper half of the circle of radius 2/3 around (-1/3, -1/6); class 1 the lower
    half of the circle of the same radius around (1/3, 1/6). Points lie at uniformly random angles,
    then each coordinate gets Gaussian noise of standard deviation ``noise``. Exactly 2 classes.
    """
    n, classes, noise, rng = _check_args("moons", n, classes, noise, seed)
    radius = 2 / 3
    upper, lower = _class_sizes(n, classes)
    parts = [
        np.array([[-1 / 3], [-1 / 6]]) + _on_circle(radius, rng.uniform(0, np.pi, upper)),
        np.array([[1 / 3], [1 / 6]]) - _on_circle(radius, rng.uniform(0, np.pi, lower)),
    ]
    return _shuffled([p + noise * rng.standard_normal(p.shape) for p in parts], rng)


def xor(n: int = 300, classes: int = 2, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """The four quadrants of [-1, 1]²: class 0 where x1·x2 > 0, class 1 where x1·x2 < 0.

    Each coordinate is drawn uniformly at a distance XOR_MARGIN to 1 from the axis, on a random
    side, then gets Gaussian noise of standard deviation ``noise``; the label is that of the
    quadrant before the noise. Exactly 2 classes.
    """
    n, classes, noise, rng = _check_args("xor", n, classes, noise, seed)
    parts = []
    for k, m in enumerate(_class_sizes(n, classes)):
        size = rng.uniform(XOR_MARGIN, 1, (2, m))
        side = rng.choice([-1.0, 1.0], m)
        # class 0: both coordinates on the same side of their axes; class 1: opposite sides.
        signs = np.stack([side, side if k == 0 else -side])
        parts.append(signs * size + noise * rng.standard_normal((2, m)))
    return _shuffled(parts, rng)


def blobs(n: int = 300, classes: int = 3, noise: float = 0.15, seed: int | None = None) -> Dataset:
    """Round Gaussian blobs, one per class, centred on the circle of radius BLOB_RADIUS.

    Blob k is centred at angle 2πk/C; each coordinate of a point is its centre's plus Gaussian
    noise of standard deviation ``noise`` (so ``noise=0`` puts every point on its centre).
    Classes: 2 to 6.
    """
    n, classes, noise, rng = _check_args("blobs", n, classes, noise, seed)
    parts = []
    for k, m in enumerate(_class_sizes(n, classes)):
        centre = _on_circle(BLOB_RADIUS, np.array([2 * np.pi * k / classes]))
        parts.append(centre + noise * rng.standard_normal((2, m)))
    return _shuffled(parts, rng)


class Generator(NamedTuple):
    """A 2-D data set: the function that makes it and the smallest and largest number of classes it allows."""

    function: Callable[..., Dataset]
    classes: tuple[int, int]


GENERATORS: dict[str, Generator] = {
    "spiral": Generator(spiral, (2, 6)),
    "circles": Generator(circles, (2, 6)),
    "moons": Generator(moons, (2, 2)),
    "xor": Generator(xor, (2, 2)),
    "blobs": Generator(blobs, (2, 6)),
}
"""The 2-D data sets by name, in the order a menu should list them: the one list of them. A new data
set is its function and one entry here; the command line, the page's table and the tests follow
(pynn.page.settings reads the names and class ranges from this source, without numpy: keep each
entry ``"name": Generator(function, (low, high))``)."""

CLASS_RANGE: dict[str, tuple[int, int]] = {name: generator.classes for name, generator in GENERATORS.items()}
"""Smallest and largest number of classes each 2-D data set allows."""


def make(
    name: str,
    n: int = 300,
    classes: int | None = None,
    noise: float | None = None,
    seed: int | None = None,
) -> Dataset:
    """Generate the 2-D data set called ``name``; ``classes`` or ``noise`` None means its default.

    ``make("spiral", 300, 3, 0.2, seed=1)`` is ``spiral(300, 3, 0.2, seed=1)``.
    """
    if not isinstance(name, str) or name not in GENERATORS:
        raise ValueError(
            f"unknown data set {_checks.short(name)}: choose one of {', '.join(GENERATORS)}"
        )
    options = {"classes": classes, "noise": noise}
    return GENERATORS[name].function(n, seed=seed, **{k: v for k, v in options.items() if v is not None})


# --- the digits --------------------------------------------------------------------------------


def digits() -> Dataset:
    """The 8×8 handwritten digits: X float64 (64, 1797) with pixel values 0 to 16, y int64 (1797,).

    Each column is one image, its 8 rows of 8 pixels one after the other; ``X[:, i].reshape(8, 8)``
    shows it. Ten classes, the digits 0 to 9, about 180 images each. Source: UCI "Optical
    Recognition of Handwritten Digits" (Alpaydin & Kaynak, 1998), via scikit-learn; the file
    ``data/digits.npz`` and how it was made are described in ``data/README.md``.
    """
    if __package__:
        # importlib.resources also finds the file inside a zipped or Pyodide-installed package.
        raw = (importlib.resources.files(__package__) / "data" / "digits.npz").read_bytes()
    else:  # loaded as a plain module, outside the package
        raw = (Path(__file__).parent / "data" / "digits.npz").read_bytes()
    with np.load(io.BytesIO(raw)) as data:
        return data["X"].astype(np.float64), data["y"].astype(np.int64)


# --- splitting and scaling ---------------------------------------------------------------------


def _check_X(X: object, name: str = "X") -> np.ndarray:
    """Return ``X`` as a 2-D float array (D, N), or raise ValueError saying what is wrong."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (D, N), one example per column; "
            f"got {X.ndim} dimension(s) with shape {_checks.short(X.shape)}"
        )
    if not (np.issubdtype(X.dtype, np.number) or X.dtype == bool) or np.iscomplexobj(X):
        raise ValueError(f"{name} must hold real numbers, got values of type {X.dtype}")
    return X


def _check_fraction(test_fraction: object) -> Fraction:
    """Return the test fraction as an exact fraction (0.3 means 3/10), or raise ValueError."""
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, numbers.Real):
        raise ValueError(f"test_fraction must be a number, got {_checks.short(test_fraction)}")
    value = float(test_fraction)
    if not 0 < value < 1:  # also false for NaN
        raise ValueError(f"test_fraction must be between 0 and 1 (exclusive), got {value}")
    return Fraction(value).limit_denominator(1_000_000)


def _stratified_test_sizes(counts: np.ndarray, fraction: Fraction) -> np.ndarray:
    """Test examples per class: ⌈fraction·N⌉ in all, each class as close to its share as can be.

    Every class first gets ⌊fraction·count⌋; the examples still missing go, one each, to the
    classes with the largest remainders (ties to the lower class). This is the largest-remainder
    rule, which never gives a class more than its share rounded up.
    """
    shares = [fraction * int(c) for c in counts]
    sizes = np.array([math.floor(s) for s in shares], dtype=np.int64)
    missing = math.ceil(fraction * int(counts.sum())) - int(sizes.sum())
    remainders = [s - math.floor(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda k: -remainders[k])
    sizes[order[:missing]] += 1
    return sizes


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float = 0.25,
    seed: int | None = None,
    stratify: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split the columns of ``X`` (D, N) and the labels ``y`` (N,) into a training and a test set.

    Returns ``X_train, X_test, y_train, y_test`` (new arrays; the inputs are not changed). The test
    set has ⌈test_fraction·N⌉ examples. With ``stratify`` (the default) each class keeps its share
    in both parts as closely as whole numbers allow; without it the test examples are drawn at
    random. Which examples go where depends only on ``seed``; both parts keep the original order.
    """
    X = _check_X(X)
    y = np.asarray(y)
    if y.ndim != 1 or y.shape[0] != X.shape[1]:
        raise ValueError(
            f"y must be a 1-D array with one label per column of X: X has {X.shape[1]} columns, "
            f"y has shape {_checks.short(y.shape)}"
        )
    whole_floats = np.issubdtype(y.dtype, np.floating) and bool(
        np.all(np.isfinite(y) & (y == np.round(y)))
    )
    if y.dtype == bool or not (np.issubdtype(y.dtype, np.integer) or whole_floats):
        raise ValueError(f"y must hold whole-number class labels, got values of type {y.dtype}")
    fraction = _check_fraction(test_fraction)
    rng = _rng(seed)
    n = y.size
    n_test = math.ceil(fraction * n)
    if n_test == 0 or n_test == n:
        empty = "test" if n_test == 0 else "training"
        raise ValueError(
            f"test_fraction={float(fraction):g} of {n} examples leaves the {empty} set empty; "
            f"use more examples or a different test_fraction"
        )
    if stratify:
        labels, members = np.unique(y, return_inverse=True)
        sizes = _stratified_test_sizes(np.bincount(members, minlength=labels.size), fraction)
        test = np.concatenate(
            [rng.permutation(np.flatnonzero(members == k))[:size] for k, size in enumerate(sizes)]
        )
    else:
        test = rng.permutation(n)[:n_test]
    is_test = np.zeros(n, dtype=bool)
    is_test[test] = True
    return X[:, ~is_test], X[:, is_test], y[~is_test], y[is_test]


def mean_std(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of each feature (row) of ``X`` (D, N), each of shape (D, 1).

    Compute them on the training set only and pass them to ``standardize`` for every set. A
    feature that is constant gets std 1 rather than 0, so standardizing maps it to 0 instead of
    dividing by zero.
    """
    X = _check_X(X)
    if X.shape[1] == 0:
        raise ValueError("X has no examples (0 columns): cannot compute a mean")
    X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values")
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return mean, std


def standardize(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Return (X − mean) / std feature by feature: X (D, N); mean, std (D, 1) from ``mean_std``."""
    X = _check_X(X).astype(np.float64)
    mean = np.asarray(mean, dtype=np.float64)
    std = np.asarray(std, dtype=np.float64)
    expected = (X.shape[0], 1)
    if mean.shape != expected or std.shape != expected:
        raise ValueError(
            f"mean and std must have shape {expected} to match X's {X.shape[0]} features; "
            f"got {_checks.short(mean.shape)} and {_checks.short(std.shape)} (use mean_std on the training set)"
        )
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std)) and np.all(std > 0)):
        raise ValueError("mean must be finite and std finite and > 0 (use mean_std)")
    return (X - mean) / std

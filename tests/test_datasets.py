"""Tests for pynn.datasets: shapes, geometry, determinism, digits, splitting, scaling, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from pynn import datasets
from pynn.datasets import (
    CLASS_RANGE,
    EXTENT,
    GENERATORS,
    circles,
    digits,
    make,
    mean_std,
    moons,
    spiral,
    standardize,
    train_test_split,
    xor,
)

NAMES = list(GENERATORS)


def class_choices(name: str) -> list[int]:
    low, high = CLASS_RANGE[name]
    return list(range(low, high + 1))


# --- the 2-D generators ------------------------------------------------------------------------


def test_registry_lists_the_sets_with_their_class_ranges() -> None:
    assert NAMES[:5] == ["spiral", "circles", "moons", "xor", "blobs"]  # the names links carry, in the menu's order
    assert CLASS_RANGE == {name: generator.classes for name, generator in GENERATORS.items()}
    assert CLASS_RANGE["moons"] == CLASS_RANGE["xor"] == (2, 2)
    for name in ("spiral", "circles", "blobs"):
        assert CLASS_RANGE[name] == (2, 6)
    for low, high in CLASS_RANGE.values():
        assert 2 <= low <= high


@pytest.mark.parametrize("name", NAMES)
def test_shapes_dtypes_and_labels(name: str) -> None:
    for classes in class_choices(name):
        X, y = make(name, 101, classes, seed=3)
        assert X.shape == (2, 101) and X.dtype == np.float64
        assert y.shape == (101,) and y.dtype == np.int64
        assert set(np.unique(y)) == set(range(classes))
        assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", NAMES)
def test_points_are_split_evenly_with_the_remainder_on_the_first_classes(name: str) -> None:
    classes = CLASS_RANGE[name][1]
    n = 10 * classes + 1
    _, y = make(name, n, classes, seed=0)
    expected = [11] + [10] * (classes - 1)
    assert np.bincount(y, minlength=classes).tolist() == expected
    _, y = make(name, classes, classes, seed=0)  # the smallest n: one point per class
    assert np.bincount(y).tolist() == [1] * classes


@pytest.mark.parametrize("name", NAMES)
def test_columns_are_not_grouped_by_class(name: str) -> None:
    _, y = make(name, 200, seed=0)
    assert np.any(np.diff(y) < 0)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_other_seed_other_data(name: str) -> None:
    X1, y1 = make(name, 150, seed=7)
    X2, y2 = make(name, 150, seed=7)
    X3, _ = make(name, 150, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_no_seed_gives_fresh_data(name: str) -> None:
    assert not np.array_equal(make(name, 100)[0], make(name, 100)[0])


@pytest.mark.parametrize("name", NAMES)
def test_noiseless_sets_lie_within_the_unit_square(name: str) -> None:
    for classes in class_choices(name):
        X, _ = make(name, 600, classes, noise=0.0, seed=1)
        assert np.all(np.abs(X) <= 1.0 + 1e-12)
    X, _ = make(name, 2000, seed=1)  # default noise
    assert np.mean(np.all(np.abs(X) <= EXTENT, axis=0)) > 0.99


def test_make_uses_each_generators_defaults() -> None:
    for name, generator in GENERATORS.items():
        np.testing.assert_array_equal(make(name, seed=4)[0], generator.function(seed=4)[0])
    np.testing.assert_array_equal(make("spiral", 90, 2, 0.5, 4)[0], spiral(90, 2, 0.5, 4)[0])


def test_spiral_without_noise_follows_its_arms() -> None:
    for classes in range(2, 7):
        X, y = spiral(300, classes, noise=0.0, seed=0)
        radius = np.hypot(X[0], X[1])
        angle = np.arctan2(X[1], X[0])
        arm = 2 * np.pi * y / classes + datasets.SPIRAL_TURN * radius
        off = np.angle(np.exp(1j * (angle - arm)))  # angle difference wrapped to (-π, π]
        np.testing.assert_allclose(off, 0.0, atol=1e-9)
        assert 0 < radius.min() and radius.max() < 1


def test_circles_without_noise_have_one_radius_per_class() -> None:
    for classes in range(2, 7):
        X, y = circles(240, classes, noise=0.0, seed=0)
        np.testing.assert_allclose(np.hypot(X[0], X[1]), (y + 1) / classes, atol=1e-12)


def test_moons_without_noise_are_two_half_circles() -> None:
    X, y = moons(400, noise=0.0, seed=0)
    upper, lower = X[:, y == 0], X[:, y == 1]
    np.testing.assert_allclose(np.hypot(upper[0] + 1 / 3, upper[1] + 1 / 6), 2 / 3, atol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[0] - 1 / 3, lower[1] - 1 / 6), 2 / 3, atol=1e-12)
    assert np.all(upper[1] >= -1 / 6 - 1e-12) and np.all(lower[1] <= 1 / 6 + 1e-12)


def test_xor_without_noise_labels_the_quadrants() -> None:
    X, y = xor(400, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[0] * X[1] < 0).astype(np.int64))
    assert np.all(np.abs(X) >= datasets.XOR_MARGIN)
    assert len({(a, b) for a, b in np.sign(X.T)}) == 4  # all four quadrants are used


def test_blobs_without_noise_sit_on_their_centres() -> None:
    for classes in range(2, 7):
        X, y = datasets.blobs(60, classes, noise=0.0, seed=0)
        angle = 2 * np.pi * y / classes
        centres = datasets.BLOB_RADIUS * np.stack([np.cos(angle), np.sin(angle)])
        np.testing.assert_allclose(X, centres, atol=1e-12)


def test_noise_spreads_the_points() -> None:
    X, y = datasets.blobs(3000, 2, noise=0.1, seed=0)
    spread = X[:, y == 0] - X[:, y == 0].mean(axis=1, keepdims=True)
    np.testing.assert_allclose(spread.std(axis=1), 0.1, rtol=0.1)


# --- bad arguments -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"n": 1, "classes": 2}, "n must be at least 2"),
        ({"n": 0}, "n must be at least"),
        ({"n": -5}, "n must be at least"),
        ({"n": 10**9}, "too many points"),
        ({"n": 100.0}, "whole number"),
        ({"n": "100"}, "whole number"),
        ({"n": True}, "whole number"),
        ({"classes": 2.0}, "whole number"),
        ({"classes": 1}, "classes"),
        ({"classes": 7}, "classes"),
        ({"noise": -0.1}, "noise must be 0 or more"),
        ({"noise": float("nan")}, "finite"),
        ({"noise": float("inf")}, "finite"),
        ({"noise": "0.1"}, "must be a number"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "whole number"),
    ],
)
def test_bad_arguments_raise_value_error(name: str, kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        GENERATORS[name].function(**kwargs)


@pytest.mark.parametrize("name", ["moons", "xor"])
def test_two_class_sets_say_they_have_exactly_two(name: str) -> None:
    with pytest.raises(ValueError, match=f"{name} has exactly 2 classes"):
        make(name, 100, 3)


def test_class_range_error_names_the_allowed_range() -> None:
    with pytest.raises(ValueError, match="spiral allows 2 to 6 classes, got classes=9"):
        spiral(classes=9)


def test_numpy_integers_are_accepted() -> None:
    X, y = spiral(np.int64(30), np.int32(3), np.float32(0.1), np.int64(2))
    np.testing.assert_array_equal(X, spiral(30, 3, float(np.float32(0.1)), 2)[0])


def test_unknown_name_lists_the_valid_names_and_stays_short() -> None:
    with pytest.raises(ValueError, match=", ".join(NAMES)) as info:
        make("x" * 100_000)
    assert len(str(info.value)) < 200
    with pytest.raises(ValueError, match="unknown data set"):
        make(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown data set"):
        make("digits")


# --- digits ------------------------------------------------------------------------------------


def test_digits_shape_values_and_classes() -> None:
    X, y = digits()
    assert X.shape == (64, 1797) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(X, np.round(X))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_returns_fresh_arrays() -> None:
    X, y = digits()
    X[:] = -1
    y[:] = -1
    assert digits()[0].min() == 0 and digits()[1].min() == 0


def test_digits_file_is_small() -> None:
    from pathlib import Path

    assert (Path(datasets.__file__).parent / "data" / "digits.npz").stat().st_size < 100_000


def test_digits_match_scikit_learn_exactly() -> None:
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    reference = sklearn_datasets.load_digits()
    X, y = digits()
    np.testing.assert_array_equal(X, reference.data.T)
    np.testing.assert_array_equal(y, reference.target)


# --- train_test_split --------------------------------------------------------------------------


def _columns(X: np.ndarray) -> set[tuple[float, ...]]:
    return {tuple(column) for column in X.T}


@pytest.mark.parametrize("stratify", [True, False])
def test_split_is_disjoint_and_complete(stratify: bool) -> None:
    X = np.arange(3 * 40, dtype=np.float64).reshape(3, 40)  # every column different
    y = np.arange(40) % 4
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=0, stratify=stratify)
    assert X_train.shape == (3, 30) and X_test.shape == (3, 10)
    assert y_train.shape == (30,) and y_test.shape == (10,)
    assert _columns(X_train).isdisjoint(_columns(X_test))
    assert _columns(X_train) | _columns(X_test) == _columns(X)
    # labels travel with their columns, and each part keeps the original order
    for part, labels in ((X_train, y_train), (X_test, y_test)):
        index = part[0].astype(int)  # row 0 holds each column's original index
        np.testing.assert_array_equal(labels, y[index])
        assert np.all(np.diff(index) > 0)


def test_stratified_split_keeps_each_class_share() -> None:
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = np.arange(100, dtype=np.float64)[None, :]
    _, _, y_train, y_test = train_test_split(X, y, 0.3, seed=1)
    assert np.bincount(y_test).tolist() == [18, 9, 3]
    assert np.bincount(y_train).tolist() == [42, 21, 7]


def test_stratified_split_rounds_by_largest_remainder() -> None:
    # A quarter of each class is 1.25, 1.25 and 0.75; the test set needs ⌈13/4⌉ = 4: each class
    # gets its whole part (1, 1, 0), then the largest remainders (0.75, then the first 0.25) one more.
    y = np.repeat([0, 1, 2], [5, 5, 3])
    X = np.zeros((1, 13))
    _, _, _, y_test = train_test_split(X, y, 0.25, seed=0)
    assert np.bincount(y_test, minlength=3).tolist() == [2, 1, 1]


def test_stratified_split_of_digits_keeps_proportions() -> None:
    X, y = digits()
    _, X_test, _, y_test = train_test_split(X, y, 0.25, seed=0)
    assert X_test.shape == (64, 450)
    share = np.bincount(y_test) / np.bincount(y)
    assert np.all(np.abs(share - 0.25) < 1 / 170)


def test_split_works_with_any_integer_labels() -> None:
    y = np.array([7, -3, 7, -3, 7, -3, 7, -3])
    _, _, y_train, y_test = train_test_split(np.zeros((2, 8)), y, 0.5, seed=0)
    assert sorted(y_test.tolist()) == [-3, -3, 7, 7] and sorted(y_train.tolist()) == [-3, -3, 7, 7]


def test_split_is_deterministic_given_the_seed() -> None:
    X, y = spiral(200, seed=0)
    first = train_test_split(X, y, seed=5)
    for a, b in zip(first, train_test_split(X, y, seed=5)):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], train_test_split(X, y, seed=6)[1])


def test_split_does_not_change_its_inputs() -> None:
    X, y = spiral(60, seed=0)
    X_copy, y_copy = X.copy(), y.copy()
    X_train, *_ = train_test_split(X, y, seed=0)
    X_train[:] = 0
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.5, 1.5, float("nan"), float("inf"), "0.2", None])
def test_split_rejects_fractions_outside_zero_one(fraction: object) -> None:
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(np.zeros((2, 10)), np.arange(10) % 2, fraction)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "n, fraction, words",
    [(0, 0.5, "test set empty"), (5, 0.9, "training set empty"), (1, 0.01, "training set empty")],
)
def test_split_refuses_to_leave_a_part_empty(n: int, fraction: float, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        train_test_split(np.zeros((2, n)), np.zeros(n, dtype=int), fraction)


@pytest.mark.parametrize(
    "X, y, words",
    [
        (np.zeros(10), np.zeros(10, dtype=int), "2-D array"),
        (np.zeros((2, 10)), np.zeros(9, dtype=int), "one label per column"),
        (np.zeros((10, 2)), np.zeros(10, dtype=int), "one label per column"),
        (np.zeros((2, 10)), np.zeros((10, 1), dtype=int), "one label per column"),
        (np.zeros((2, 4)), np.array([0, 1, 0.5, 1]), "whole-number"),
        (np.zeros((2, 4)), np.array([True, False, True, False]), "whole-number"),
        (np.zeros((2, 2)), np.array([0.0, np.inf]), "whole-number"),
        (np.zeros((2, 4)), np.array(["a", "b", "a", "b"]), "whole-number"),
        (np.array([["a", "b"], ["c", "d"]]), np.array([0, 1]), "real numbers"),
    ],
)
def test_split_rejects_bad_arrays(X: np.ndarray, y: np.ndarray, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        train_test_split(X, y)


def test_split_accepts_whole_float_labels() -> None:
    y = np.array([0.0, 1.0] * 4)
    _, _, _, y_test = train_test_split(np.zeros((2, 8)), y, 0.5, seed=0)
    assert sorted(y_test.tolist()) == [0.0, 0.0, 1.0, 1.0]


def test_split_rejects_a_bad_seed() -> None:
    with pytest.raises(ValueError, match="seed"):
        train_test_split(np.zeros((2, 8)), np.arange(8) % 2, seed=-3)


# --- mean_std and standardize ------------------------------------------------------------------


def test_standardize_gives_zero_mean_unit_std_on_the_training_set() -> None:
    X, _ = datasets.blobs(500, seed=0)
    X = X * np.array([[3.0], [0.01]]) + np.array([[5.0], [-2.0]])
    mean, std = mean_std(X)
    assert mean.shape == std.shape == (2, 1)
    Z = standardize(X, mean, std)
    np.testing.assert_allclose(Z.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=1), 1.0, rtol=1e-12)


def test_standardize_uses_the_training_statistics_for_other_sets() -> None:
    X_train = np.array([[0.0, 2.0, 4.0], [1.0, 1.0, 1.0]])
    mean, std = mean_std(X_train)
    np.testing.assert_array_equal(mean, [[2.0], [1.0]])
    np.testing.assert_allclose(std, [[np.sqrt(8 / 3)], [1.0]])  # constant feature: std 1
    Z = standardize(np.array([[2.0], [5.0]]), mean, std)
    np.testing.assert_allclose(Z, [[0.0], [4.0]])


def test_standardize_handles_the_constant_pixels_of_digits() -> None:
    X, _ = digits()
    mean, std = mean_std(X)
    Z = standardize(X, mean, std)
    assert np.all(np.isfinite(Z))
    constant = X.std(axis=1) == 0
    assert constant.any() and np.all(Z[constant] == 0)


def test_standardize_does_not_change_its_inputs() -> None:
    X = np.array([[1.0, 2.0, 3.0]])
    mean, std = mean_std(X)
    saved = X.copy(), mean.copy(), std.copy()
    standardize(X, mean, std)
    for before, after in zip(saved, (X, mean, std)):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize(
    "X, words",
    [
        (np.zeros(5), "2-D array"),
        (np.zeros((2, 0)), "no examples"),
        (np.array([[1.0, np.nan]]), "NaN or infinite"),
        (np.array([[1.0, np.inf]]), "NaN or infinite"),
    ],
)
def test_mean_std_rejects_bad_input(X: np.ndarray, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        mean_std(X)


@pytest.mark.parametrize(
    "mean, std, words",
    [
        (np.zeros((3, 1)), np.ones((3, 1)), r"shape \(2, 1\)"),
        (np.zeros(2), np.ones(2), r"shape \(2, 1\)"),
        (np.zeros((2, 1)), np.zeros((2, 1)), "> 0"),
        (np.zeros((2, 1)), np.full((2, 1), np.nan), "> 0"),
    ],
)
def test_standardize_rejects_bad_statistics(
    mean: np.ndarray, std: np.ndarray, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        standardize(np.zeros((2, 4)), mean, std)

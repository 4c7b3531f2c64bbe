"""pynn.page.drawing: strokes from the page's pad become 8×8 images made like the UCI digits."""
from __future__ import annotations

import numpy as np
import pytest

from pynn import datasets
from pynn.page import drawing
from pynn.page.drawing import bitmap, digit_from_strokes


def ellipse(cx, cy, rx, ry, n=60):
    t = np.linspace(0, 2 * np.pi, n)
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)]).ravel().tolist()


def test_an_empty_drawing_is_all_zero() -> None:
    assert digit_from_strokes([]).shape == (64,)
    assert not digit_from_strokes([]).any()
    assert not digit_from_strokes([[]]).any()


def test_values_are_counts_of_a_4x4_block_from_0_to_16() -> None:
    image = digit_from_strokes([ellipse(100, 100, 40, 70)])
    assert image.dtype == np.float64
    assert image.min() >= 0 and image.max() <= 16
    assert np.array_equal(image, np.round(image))
    np.testing.assert_array_equal(image, bitmap([ellipse(100, 100, 40, 70)]).reshape(8, 4, 8, 4).sum(axis=(1, 3)).ravel())


def test_the_drawing_is_scaled_to_fill_the_box_and_centred_whatever_its_size_and_place() -> None:
    small = digit_from_strokes([ellipse(30, 30, 5, 9)])
    large = digit_from_strokes([ellipse(500, 300, 50, 90)])
    np.testing.assert_array_equal(small, large)
    rows = small.reshape(8, 8).any(axis=1)
    assert rows.all(), "a tall digit spans every row, as the UCI digits do"
    cols = small.reshape(8, 8).any(axis=0)
    assert not cols[0] and not cols[-1], "a narrow digit keeps its aspect ratio, centred"


def test_a_vertical_line_is_a_centred_one() -> None:
    image = digit_from_strokes([[50, 10, 50, 200]]).reshape(8, 8)
    assert image[:, 3:5].min() > 0
    assert not image[:, :3].any() and not image[:, 5:].any()


def test_a_dot_and_several_strokes_are_drawn() -> None:
    assert digit_from_strokes([[5, 5]]).sum() > 0
    plus = digit_from_strokes([[0, 50, 100, 50], [50, 0, 50, 100]]).reshape(8, 8)
    assert plus[3:5, :].all() and plus[:, 3:5].all()


def test_ink_is_about_that_of_the_uci_digits() -> None:
    X, _ = datasets.digits()
    mean_ink = X.sum(axis=0).mean()
    zero = digit_from_strokes([ellipse(50, 50, 30, 45)]).sum()
    assert 0.7 * mean_ink < zero < 1.4 * mean_ink


@pytest.mark.parametrize(
    "strokes, words",
    [
        ("1,2", "list of strokes"),
        ([[1, 2, 3]], "even count"),
        ([[1, "a"]], "finite numbers"),
        ([[1, float("nan")]], "finite numbers"),
        ([[True, 2]], "finite numbers"),
        ([list(range(2 * drawing.MAX_POINTS + 2))], "more than"),
    ],
)
def test_bad_strokes_are_refused(strokes, words) -> None:
    with pytest.raises(ValueError, match=words):
        digit_from_strokes(strokes)

"""pynn.page.csvdata: the page's CSV of x1,x2,label rows, read with line-numbered errors and written back."""
from __future__ import annotations

import numpy as np
import pytest

from pynn.page import csvdata
from pynn.page.csvdata import MAX_ROWS, parse_csv, to_csv


def test_reads_rows_with_or_without_a_header() -> None:
    X, y = parse_csv("x1,x2,label\n0.5,-1.25,0\n1e-3,2,1\n")
    np.testing.assert_array_equal(X, [[0.5, 1e-3], [-1.25, 2.0]])
    np.testing.assert_array_equal(y, [0, 1])
    assert X.dtype == np.float64 and y.dtype == np.int64
    X2, y2 = parse_csv("0.5,-1.25,0\n1e-3,2,1")
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_accepts_crlf_cr_blank_lines_spaces_a_bom_and_whole_float_labels() -> None:
    X, y = parse_csv("\ufeff\r\n  x1 , x2 , label \r\n\r\n 1 , 2 , 3.0 \r -1,-2,0\n\n")
    np.testing.assert_array_equal(X, [[1, -1], [2, -2]])
    np.testing.assert_array_equal(y, [3, 0])


@pytest.mark.parametrize(
    "text, message",
    [
        ("0,0,0\n1,1\n", "line 2: expected 3 values (x1,x2,label), found 2"),
        ("0,0,0\n1,1,1,1\n", "line 2: expected 3 values"),
        ("x1,x2,label\n\n0,zero,0\n", "line 3: x2 is not a number: 'zero'"),
        ("0,0,0\ninf,1,1\n", "line 2: x1 is not a number"),
        ("0,0,0\nnan,1,1\n", "line 2: x1 is not a number"),
        ("0,0,0\n0x10,1,1\n", "line 2: x1 is not a number"),
        ("0,0,0\n1_000,1,1\n", "line 2: x1 is not a number"),
        ("0,0,0\n1,1e999,1\n", "line 2: x2 = 1e999 is outside ±1,000,000"),
        ("0,0,0\n1,-1000001,1\n", "line 2: x2 = -1000001 is outside"),
        ("0,0,0\n1,1,6\n", "line 2: label '6' is not a whole number from 0 to 5"),
        ("0,0,0\n1,1,-1\n", "line 2: label '-1'"),
        ("0,0,0\n1,1,1.5\n", "line 2: label '1.5'"),
        ("0,0,0\n1,1,one\n", "line 2: label 'one'"),
        ("a,b\n0,0,0\n", "line 1: a header must name 3 columns"),
        ("0,0,0\nx1,x2,label\n", "line 2: x1 is not a number: 'x1'"),
        ("x1,x2,label\n", "no data rows"),
        ("", "no data rows"),
        ("0,0,1\n1,1,1\n", "every row has label 1: at least 2 different labels"),
        (42, "must be text"),
    ],
)
def test_bad_files_name_the_first_bad_line(text, message) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        parse_csv(text)
    assert message in str(caught.value)


def test_the_first_of_several_bad_lines_is_named() -> None:
    with pytest.raises(ValueError, match="^line 3: "):
        parse_csv("0,0,0\n1,1,1\n2,x,1\n3,3,9\n")


def test_row_and_size_limits() -> None:
    rows = "".join(f"{i},{i},{i % 2}\n" for i in range(MAX_ROWS))
    X, _ = parse_csv(rows)
    assert X.shape == (2, MAX_ROWS)
    with pytest.raises(ValueError, match=f"line {MAX_ROWS + 2}: more than 5,000 rows"):
        parse_csv("x1,x2,label\n" + rows + "1,1,1\n")
    with pytest.raises(ValueError, match="larger than"):
        parse_csv("0" * (csvdata.MAX_BYTES + 1))


def test_long_bad_values_are_shortened_in_the_message() -> None:
    with pytest.raises(ValueError) as caught:
        parse_csv("0,0,0\n" + "y" * 500 + ",1,1\n")
    assert len(str(caught.value)) < 100


def test_to_csv_round_trips_exactly() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 50)) * 10.0 ** rng.integers(-8, 6, size=(2, 50))
    y = rng.integers(0, 6, size=50)
    text = to_csv(X, y)
    assert text.startswith("x1,x2,label\n") and text.endswith("\n")
    X2, y2 = parse_csv(text)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_check_points_limits() -> None:
    X, y = csvdata.check_points([[0.0, 1.0], [2.0, 3.0]], [0, 5])
    assert y.dtype == np.int64
    for X_bad, y_bad, words in [
        ([[0.0], [np.inf]], [0], "finite"),
        ([[0.0], [1.0]], [6], "labels"),
        ([[0.0], [1.0]], [0.5], "labels"),
        ([[0.0, 1.0]], [0, 1], "2 coordinates"),
        ([["a"], [1]], [0], "numbers"),
    ]:
        with pytest.raises(ValueError, match=words):
            csvdata.check_points(X_bad, y_bad)

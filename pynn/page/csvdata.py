"""Your own 2-D data as CSV: ``x1,x2,label`` rows, read and written for the page's upload and download.

    X, y = parse_csv("x1,x2,label\\n0.5,-1.2,0\\n1.0,0.3,1\\n")   # X (2, N) float64, y (N,) int64
    text = to_csv(X, y)                                          # the same format back

The rules (the README repeats them):

- one example per line, three comma-separated values: x1, x2 (numbers) and label (a whole number);
  spaces around values are ignored, blank lines are skipped, and the first line may be a header
  (it is one when none of its values is a number, e.g. ``x1,x2,label``);
- ``|x1|, |x2| ≤ MAX_ABS`` and labels from 0 to MAX_LABEL (the page draws at most 6 classes);
- at most MAX_ROWS rows, at most MAX_BYTES characters, and at least two different labels;
- labels are used as given, not renumbered, so class k keeps its colour and a downloaded file has
  the same labels; the net gets one output per label up to the largest (a label with no rows
  is allowed).

A malformed file raises ValueError naming the FIRST bad line (counted from 1, header and blank lines
included, as an editor shows them) and what is wrong with it.
"""
from __future__ import annotations

import re

import numpy as np

from . import text
from .settings import CSV_MAX_ABS as MAX_ABS
from .settings import CSV_MAX_BYTES as MAX_BYTES
from .settings import CSV_MAX_LABEL as MAX_LABEL
from .settings import CSV_MAX_ROWS as MAX_ROWS
from .text import say  # by name: `text` is the CSV's argument here

TEXT = text.register({
    "csvdata.not-text": "the CSV must be text, got {type}",
    "csvdata.too-large": "the file is larger than {chars:,} characters; the limit is {rows:,} rows",
    "csvdata.header": "line {line}: a header must name 3 columns (x1,x2,label), found {found}",
    "csvdata.too-many-rows": "line {line}: more than {limit:,} rows; the limit is {limit:,}",
    "csvdata.no-rows": "the file has no data rows: expected lines like 0.5,-1.2,0",
    "csvdata.values": "line {line}: expected 3 values (x1,x2,label), found {found}",
    "csvdata.not-a-number": "line {line}: {name} is not a number: {value}",
    "csvdata.outside": "line {line}: {name} = {value} is outside ±{limit:,.0f}",
    "csvdata.label": "line {line}: label {value} is not a whole number from 0 to {last}",
    "csvdata.one-label": "every row has label {label}: at least 2 different labels are needed",
    "csvdata.points.numbers": "{where}: points must be numbers",
    "csvdata.points.shape": "{where}: expected 2 coordinates and a label per point",
    "csvdata.points.too-many": "{where}: more than {limit:,} points",
    "csvdata.points.outside": "{where}: coordinates must be finite and within ±{limit:,.0f}",
    "csvdata.points.labels": "{where}: labels must be whole numbers from 0 to {last}",
})

HEADER = "x1,x2,label"

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_LINES = re.compile(r"\r\n|\r|\n")
_SHOWN = 30  # characters of a bad value quoted back


def _quote(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def _number(text: str) -> float | None:
    """The value of a plain decimal number (no inf, nan, hex or underscores), else None."""
    return float(text) if _NUMBER.fullmatch(text) else None


def parse_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """X (2, N) float64 and y (N,) int64 from CSV text; ValueError naming the first bad line."""
    if not isinstance(text, str):
        raise ValueError(say("csvdata.not-text", type=type(text).__name__))
    if len(text) > MAX_BYTES:
        raise ValueError(say("csvdata.too-large", chars=MAX_BYTES, rows=MAX_ROWS))
    rows: list[tuple[float, float, int]] = []
    seen_content = False
    for number, line in enumerate(_LINES.split(text.removeprefix("\ufeff")), start=1):
        if not line.strip():
            continue
        fields = [field.strip() for field in line.split(",")]
        first = not seen_content
        seen_content = True
        if first and all(_number(field) is None for field in fields):
            if len(fields) != 3:
                raise ValueError(say("csvdata.header", line=number, found=len(fields)))
            continue
        if len(rows) == MAX_ROWS:
            raise ValueError(say("csvdata.too-many-rows", line=number, limit=MAX_ROWS))
        rows.append(_row(number, fields))
    if not rows:
        raise ValueError(say("csvdata.no-rows"))
    X = np.array([row[:2] for row in rows], dtype=np.float64).T
    y = np.array([row[2] for row in rows], dtype=np.int64)
    check_classes(y)
    return X, y


def _row(number: int, fields: list[str]) -> tuple[float, float, int]:
    if len(fields) != 3:
        raise ValueError(say("csvdata.values", line=number, found=len(fields)))
    values = []
    for name, field in zip(("x1", "x2"), fields):
        value = _number(field)
        if value is None:
            raise ValueError(say("csvdata.not-a-number", line=number, name=name, value=_quote(field)))
        if not abs(value) <= MAX_ABS:
            raise ValueError(say("csvdata.outside", line=number, name=name, value=field, limit=MAX_ABS))
        values.append(value)
    label = _number(fields[2])
    if label is None or label != int(label) or not 0 <= label <= MAX_LABEL:
        raise ValueError(say("csvdata.label", line=number, value=_quote(fields[2]), last=MAX_LABEL))
    return values[0], values[1], int(label)


def check_classes(y: np.ndarray) -> None:
    """At least two different labels: one class alone gives the net nothing to tell apart."""
    present = np.unique(y)
    if present.size < 2:
        raise ValueError(say("csvdata.one-label", label=int(present[0])))


def check_points(X: object, y: object, where: str = "data") -> tuple[np.ndarray, np.ndarray]:
    """X (2, N) and y (N,) within the CSV limits (for data that arrives another way, e.g. a model file);
    a refusal starts with ``where`` (the caller's words for what holds the points)."""
    try:
        X = np.asarray(X, dtype=np.float64)
        y_raw = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(say("csvdata.points.numbers", where=where)) from None
    if X.ndim != 2 or X.shape[0] != 2 or y_raw.shape != (X.shape[1],):
        raise ValueError(say("csvdata.points.shape", where=where))
    if X.shape[1] > MAX_ROWS:
        raise ValueError(say("csvdata.points.too-many", where=where, limit=MAX_ROWS))
    if not np.all(np.abs(X) <= MAX_ABS):
        raise ValueError(say("csvdata.points.outside", where=where, limit=MAX_ABS))
    if not np.all((y_raw == np.round(y_raw)) & (y_raw >= 0) & (y_raw <= MAX_LABEL)):
        raise ValueError(say("csvdata.points.labels", where=where, last=MAX_LABEL))
    return X, y_raw.astype(np.int64)


def to_csv(X: np.ndarray, y: np.ndarray) -> str:
    """The header and one ``x1,x2,label`` line per column of X; numbers written so they read back exactly."""
    lines = [HEADER]
    lines += [f"{x1!r},{x2!r},{label}" for x1, x2, label in zip(X[0].tolist(), X[1].tolist(), y.tolist())]
    return "\n".join(lines) + "\n"

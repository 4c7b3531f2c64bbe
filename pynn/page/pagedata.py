"""The page's data beyond the generated 2-D sets: your own points ("custom") and the 8×8 digits.

``pynn.page.session.Session`` calls these; they are plain functions of numpy arrays, tested by pytest.

- ``custom``: 2-D points you add by clicking, remove, clear or upload as CSV (pynn.page.csvdata). Switching
  a generated set to custom keeps its points and split. Points you click in are training points;
  an uploaded file is split into training and test points by the settings' split and seed, and so
  is everything when split or seed change. The classes setting (2 … 6) is the net's number of
  outputs, and points of a class at or above it are dropped when it is lowered.
- ``digits``: ``datasets.digits()`` with pixel values divided by 16 (inputs 0 … 1), D = 64, C = 10;
  the classes, points and noise settings do not apply. The page shows the misclassified test
  images instead of decision regions.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import csvdata, text
from .. import datasets
from ..model import TwoLayerNet

TEXT = text.register({
    "pagedata.no-points": "there are no training points yet: click on the plane to add some, or upload a CSV",
    "pagedata.removed": ("removed {n} point of classes {classes} and above", "removed {n} points of classes {classes} and above"),
    "pagedata.coordinate": "{name} must be a number within ±{limit:,.0f}, got {value}",
    "pagedata.label": "label must be a class from 0 to {last}, got {value}",
    "pagedata.full": "there are already {limit:,} points, the most the page takes",
    "pagedata.not-finite": "x1 and x2 must be finite numbers",
    "pagedata.nothing-to-remove": "there are no points to remove",
})


DIGIT_SCALE = 16.0
"""The digits' largest pixel value: inputs are pixels / DIGIT_SCALE, from 0 to 1."""

NO_POINTS = "pagedata.no-points"
"""The id of the message that says there are no training points yet (and how to add some)."""


class Data(NamedTuple):
    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    extent: float
    notice: str | None = None


def empty() -> Data:
    no_points = np.zeros((2, 0))
    no_labels = np.zeros(0, dtype=np.int64)
    return Data(no_points, no_points.copy(), no_labels, no_labels.copy(), float(datasets.EXTENT))


def split(X: np.ndarray, y: np.ndarray, fraction: float, seed: int, extent: float) -> Data:
    """Training and test parts (stratified, by seed); all training when there are too few points."""
    try:
        X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_fraction=1.0 - fraction, seed=seed)
    except ValueError:  # 0 or 1 points, or a split that would leave one part empty
        return Data(X, np.zeros((X.shape[0], 0)), y, np.zeros(0, dtype=np.int64), extent)
    return Data(X_train, X_test, y_train, y_test, extent)


def extent_of(X: np.ndarray) -> float:
    """Half-width of the square the page shows: the generated sets' EXTENT, wider for data beyond it."""
    largest = float(np.abs(X).max()) if X.size else 0.0
    return max(float(datasets.EXTENT), 1.1 * largest)


def make(settings: dict[str, Any], old: Data | None, old_settings: dict[str, Any]) -> Data:
    """The data for checked ``settings``; ``old`` is the session's current data (for custom)."""
    name = settings["dataset"]
    if name == "digits":
        X, y = datasets.digits()
        return split(X / DIGIT_SCALE, y, settings["split"], settings["seed"], float(datasets.EXTENT))
    if name == "custom":
        return custom(settings, old, old_settings)
    X, y = datasets.make(name, settings["points"], settings["classes"], settings["noise"], settings["seed"])
    X_train, X_test, y_train, y_test = datasets.train_test_split(
        X, y, test_fraction=1.0 - settings["split"], seed=settings["seed"]
    )
    return Data(X_train, X_test, y_train, y_test, float(datasets.EXTENT))


def custom(settings: dict[str, Any], old: Data | None, old_settings: dict[str, Any]) -> Data:
    """Your own points under new settings: kept from the current 2-D data (re-split when split or
    seed changed), minus any point whose class the new number of classes no longer has."""
    if old is None or old.X_train.shape[0] != 2:
        return empty()
    data = old
    if old_settings.get("dataset") == "custom" and (
        old_settings["split"] != settings["split"] or old_settings["seed"] != settings["seed"]
    ):
        X = np.hstack([old.X_train, old.X_test])
        y = np.concatenate([old.y_train, old.y_test])
        data = split(X, y, settings["split"], settings["seed"], old.extent)
    classes = settings["classes"]
    keep_train, keep_test = data.y_train < classes, data.y_test < classes
    dropped = int((~keep_train).sum() + (~keep_test).sum())
    notice = None
    if dropped:
        notice = text.say_n("pagedata.removed", dropped, n=dropped, classes=classes)
    return Data(
        data.X_train[:, keep_train], data.X_test[:, keep_test],
        data.y_train[keep_train], data.y_test[keep_test], data.extent, notice,
    )


def from_csv(text: str, settings: dict[str, Any]) -> tuple[Data, int]:
    """Uploaded points, split by the settings, and the number of classes they need (≥ 2)."""
    X, y = csvdata.parse_csv(text)
    classes = max(2, int(y.max()) + 1)
    return split(X, y, settings["split"], settings["seed"], extent_of(X)), classes


# --- editing your own points -----------------------------------------------------------------------


def add_point(data: Data, x1: object, x2: object, label: object, classes: int) -> Data:
    """``data`` with a training point of class ``label`` at (x1, x2)."""
    point = []
    for name, value in (("x1", x1), ("x2", x2)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= csvdata.MAX_ABS:
            raise ValueError(text.say("pagedata.coordinate", name=name, limit=csvdata.MAX_ABS, value=repr(str(value)[:20])))
        point.append(float(value))
    if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < classes:
        raise ValueError(text.say("pagedata.label", last=classes - 1, value=repr(str(label)[:20])))
    if data.y_train.shape[0] + data.y_test.shape[0] >= csvdata.MAX_ROWS:
        raise ValueError(text.say("pagedata.full", limit=csvdata.MAX_ROWS))
    return data._replace(
        X_train=np.hstack([data.X_train, np.array(point).reshape(2, 1)]),
        y_train=np.append(data.y_train, np.int64(label)),
        notice=None,
    )


def remove_nearest(data: Data, x1: object, x2: object) -> Data:
    """``data`` without the point (training or test) nearest to (x1, x2)."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in (x1, x2)):
        raise ValueError(text.say("pagedata.not-finite"))
    n_train = data.y_train.shape[0]
    X = np.hstack([data.X_train, data.X_test])
    if X.shape[1] == 0:
        raise ValueError(text.say("pagedata.nothing-to-remove"))
    nearest = int(np.argmin((X[0] - x1) ** 2 + (X[1] - x2) ** 2))
    if nearest < n_train:
        return data._replace(
            X_train=np.delete(data.X_train, nearest, axis=1), y_train=np.delete(data.y_train, nearest), notice=None
        )
    i = nearest - n_train
    return data._replace(X_test=np.delete(data.X_test, i, axis=1), y_test=np.delete(data.y_test, i), notice=None)


def to_csv(data: Data) -> str:
    """The 2-D points, training then test, as pynn.page.csvdata's CSV text."""
    X = np.hstack([data.X_train, data.X_test])
    y = np.concatenate([data.y_train, data.y_test])
    return csvdata.to_csv(X, y)


# --- what the page draws -------------------------------------------------------------------------


def mean_metrics(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Mean loss per example and accuracy; NaN for an empty set (the page shows "–")."""
    if y.shape[0] == 0:
        return float("nan"), float("nan")
    return net.loss(X, y) / y.shape[0], net.accuracy(X, y)


def points(data: Data) -> dict[str, np.ndarray]:
    """The 2-D points as the page draws them (x1, x2 interleaved); none for the digits."""
    if data.X_train.shape[0] != 2:
        return {
            "train_xy": np.zeros(0, dtype=np.float32), "train_y": np.zeros(0, dtype=np.uint8),
            "test_xy": np.zeros(0, dtype=np.float32), "test_y": np.zeros(0, dtype=np.uint8),
        }
    return {
        "train_xy": data.X_train.T.astype(np.float32).ravel(),
        "train_y": data.y_train.astype(np.uint8),
        "test_xy": data.X_test.T.astype(np.float32).ravel(),
        "test_y": data.y_test.astype(np.uint8),
    }


def digit_images(X_test: np.ndarray, y_test: np.ndarray) -> dict[str, np.ndarray]:
    """The test images (0 … 16, 64 per image, one after the other) and their labels, sent once."""
    return {
        "digit_images": np.rint(X_test.T * DIGIT_SCALE).astype(np.uint8).ravel(),
        "digit_labels": y_test.astype(np.uint8),
    }


def misclassified(net: TwoLayerNet, X_test: np.ndarray, y_test: np.ndarray) -> dict[str, np.ndarray]:
    """Which test images the net gets wrong (indices into the test set) and what it says they are."""
    predicted = net.predict(X_test)
    wrong = np.flatnonzero(predicted != y_test)
    return {"wrong_index": wrong.astype(np.uint16), "wrong_pred": predicted[wrong].astype(np.uint8)}

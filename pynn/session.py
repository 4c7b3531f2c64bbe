"""The page's Python side: one data set, one net, trained a chunk at a time.

The browser's worker only forwards messages here; every number the page shows is computed by pynn.
A ``Session`` is configured from the page's settings (the keys of the URL hash), trains in chunks of
whole epochs (a fixed count, or as many as fit in a time budget, so one worker message carries many
SGD steps), and answers with plain values and flat numpy arrays (float64 / float32 / uint8) that the worker
turns into transferable typed arrays without a per-element conversion.

    session = Session()
    session.configure({"dataset": "spiral", "classes": 3, "points": 300, "hidden": 32})
    result = session.run(seconds=0.05)      # metrics of the new epochs + the decision grid
"""
from __future__ import annotations

import json
import math
import numbers
import time
from typing import Any

import numpy as np

from . import datasets, inside
from .model import TwoLayerNet
from .train import DivergenceError, train

GRID = 100
"""Cells per side of the decision grid: GRID² points through one batched forward pass."""

# name: (kind, default, minimum, maximum). The page's web/state.js mirrors this table.
FIELDS: dict[str, tuple[str, Any, Any, Any]] = {
    "dataset": ("choice", "spiral", None, None),
    "classes": ("int", 3, 2, 6),
    "points": ("int", 300, 20, 2000),
    "noise": ("float", 0.1, 0.0, 1.0),
    "split": ("float", 0.8, 0.1, 0.95),
    "hidden": ("int", 32, 1, 512),
    "lr": ("float", 0.1, 0.0001, 100.0),
    "batch": ("int", 1, 1, 2000),
    "wd": ("float", 0.0, 0.0, 1.0),
    "seed": ("int", 1, 0, 2**31 - 1),
}

DIVERGED = "training diverged — lower the learning rate, then press reset"

DIVERGENCE_FACTOR = 10.0
"""Training counts as diverged when the mean training loss passes DIVERGENCE_FACTOR · ln C.

ln C is the mean loss of a uniform guess (about where an untrained net starts). pynn.train stops on a
non-finite loss; a too-large learning rate more often kills every ReLU and freezes the net at a huge
but finite loss (lr = 100 on the spiral: 40 to 70 times ln C, for ever). Healthy runs stay below
4 · ln C, so the page pauses such runs too, with the same advice.
"""


def defaults() -> dict[str, Any]:
    """The settings a page with an empty hash starts from."""
    return {name: spec[1] for name, spec in FIELDS.items()}


def describe() -> str:
    """The fields, their limits and the data sets' class ranges, as JSON for the page."""
    return json.dumps(
        {
            "fields": {
                name: {"kind": kind, "default": default, "min": low, "max": high}
                for name, (kind, default, low, high) in FIELDS.items()
            },
            "datasets": list(datasets.GENERATORS),
            "class_range": {name: list(datasets.CLASS_RANGE[name]) for name in datasets.GENERATORS},
        }
    )


def validate(settings: dict[str, Any]) -> dict[str, Any]:
    """A complete, checked copy of ``settings`` (missing keys take their defaults).

    Raises ValueError naming the first bad field and its allowed range; unknown keys are an error
    too, so a typo never passes silently.
    """
    if not isinstance(settings, dict):
        raise ValueError(f"settings must be a dict, got {type(settings).__name__}")
    unknown = sorted(set(settings) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r}; known: {', '.join(FIELDS)}")
    clean = defaults()
    for name, value in settings.items():
        kind, _default, low, high = FIELDS[name]
        if kind == "choice":
            if value not in datasets.GENERATORS:
                raise ValueError(f"dataset must be one of {', '.join(datasets.GENERATORS)}; got {str(value)[:40]!r}")
        elif kind == "int":
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or value != int(value):
                raise ValueError(f"{name} must be a whole number, got {str(value)[:40]!r}")
            value = int(value)
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low} and {high}, got {value}")
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {str(value)[:40]!r}")
            value = float(value)
            if not low <= value <= high:
                raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value:g}")
        clean[name] = value
    low, high = datasets.CLASS_RANGE[clean["dataset"]]
    if not low <= clean["classes"] <= high:
        raise ValueError(f"{clean['dataset']} allows {low} to {high} classes, got {clean['classes']}")
    return clean


class Session:
    """Holds the data (split into train and test) and the net, and trains it on request."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] = {}
        self.net: TwoLayerNet | None = None
        self.epoch = 0
        self.diverged: str | None = None

    def configure(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Make the data and a fresh net from ``settings``; returns ``snapshot()``.

        A ValueError leaves the session exactly as it was.
        """
        clean = validate(settings)
        X, y = datasets.make(clean["dataset"], clean["points"], clean["classes"], clean["noise"], clean["seed"])
        X_train, X_test, y_train, y_test = datasets.train_test_split(
            X, y, test_fraction=1.0 - clean["split"], seed=clean["seed"]
        )
        self.settings = clean
        self.X_train, self.y_train, self.X_test, self.y_test = X_train, y_train, X_test, y_test
        self.extent = float(datasets.EXTENT)
        centres = (np.arange(GRID) + 0.5) * (2 * self.extent / GRID) - self.extent
        gx, gy = np.meshgrid(centres, centres[::-1])  # row 0 is the top of the picture: largest x2
        self.grid_X = np.vstack([gx.ravel(), gy.ravel()])
        return self.reset()

    def reset(self) -> dict[str, Any]:
        """A new net from the seed, epoch 0, no divergence; returns ``snapshot()``."""
        if not self.settings:
            raise ValueError("configure the session before resetting it")
        s = self.settings
        self.net = TwoLayerNet(2, s["hidden"], s["classes"], seed=s["seed"])
        self.epoch = 0
        self.diverged = None
        return self.snapshot()

    def snapshot(self) -> dict[str, Any]:
        """Everything the page draws after a (re)configure: the points, the grid, the metrics."""
        return {
            **self._metrics(),
            "extent": self.extent,
            "classes": self.settings["classes"],
            "train_xy": self.X_train.T.astype(np.float32).ravel(),  # x1, x2 interleaved
            "train_y": self.y_train.astype(np.uint8),
            "test_xy": self.X_test.T.astype(np.float32).ravel(),
            "test_y": self.y_test.astype(np.uint8),
            **self.grid(),
        }

    def run(self, *, epochs: int | None = None, seconds: float | None = None) -> dict[str, Any]:
        """Train whole epochs: exactly ``epochs``, or as many as start within ``seconds`` (at least one).

        Returns the epoch reached, the per-epoch metrics of the epochs just run (float64 arrays,
        mean loss per example), the decision grid, and ``diverged``: None, or the message to show.
        Each epoch draws its order from (seed, epoch), so a run does not depend on how it was chunked.
        Training stops as diverged on a non-finite loss (the net keeps its weights from before that
        epoch) or on a mean training loss above DIVERGENCE_FACTOR · ln C (that epoch is reported).
        """
        if self.net is None:
            raise ValueError("configure the session before training")
        if (epochs is None) == (seconds is None):
            raise ValueError("give either epochs or seconds")
        if epochs is not None and (isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1):
            raise ValueError(f"epochs must be a whole number ≥ 1, got {epochs!r}")
        if seconds is not None and not (isinstance(seconds, numbers.Real) and seconds > 0):
            raise ValueError(f"seconds must be a number > 0, got {seconds!r}")
        s = self.settings
        columns: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "train_acc": [], "test_acc": []}
        deadline = time.perf_counter() + seconds if seconds is not None else math.inf
        done = 0
        while self.diverged is None and (done < epochs if epochs is not None else True):
            try:
                history = train(
                    self.net, self.X_train, self.y_train,
                    lr=s["lr"], epochs=1, batch_size=s["batch"], weight_decay=s["wd"],
                    X_val=self.X_test, y_val=self.y_test, seed=[s["seed"], self.epoch],
                )
            except DivergenceError:
                self.diverged = DIVERGED
                break
            self.epoch += 1
            done += 1
            columns["train_loss"] += history.mean_loss
            columns["test_loss"] += history.val_mean_loss
            columns["train_acc"] += history.accuracy
            columns["test_acc"] += history.val_accuracy
            if not history.mean_loss[-1] <= DIVERGENCE_FACTOR * math.log(s["classes"]):
                self.diverged = DIVERGED
                break
            if time.perf_counter() >= deadline:
                break
        return {
            "epoch": self.epoch,
            "diverged": self.diverged,
            **{name: np.array(values, dtype=np.float64) for name, values in columns.items()},
            **self.grid(),
        }

    def grid(self) -> dict[str, np.ndarray]:
        """The decision regions from ONE forward pass over the GRID×GRID cell centres.

        ``grid_class`` (uint8) is the winning class of each cell, ``grid_prob`` (float32) its
        probability; both are GRID² long, row by row from the top-left corner.
        """
        try:
            proba = self.net.predict_proba(self.grid_X)
        except ValueError:  # scores overflow: only a diverged net gets here; show no regions
            return {
                "grid_size": GRID,
                "grid_class": np.zeros(GRID * GRID, dtype=np.uint8),
                "grid_prob": np.zeros(GRID * GRID, dtype=np.float32),
            }
        winner = proba.argmax(axis=0)
        return {
            "grid_size": GRID,
            "grid_class": winner.astype(np.uint8),
            "grid_prob": proba[winner, np.arange(winner.shape[0])].astype(np.float32),
        }

    # -- looking inside, for the page's classroom panels (the maths is in pynn.inside) ----------

    def inspect(self, x1: float, x2: float, radius: float = 0.0) -> dict[str, Any]:
        """The spec's four equations with the current net's values at x = (x1, x2), or at the data
        point nearest to it when one lies within ``radius`` (then with its label and loss term)."""
        self._need_net()
        sets = {"train": (self.X_train, self.y_train), "test": (self.X_test, self.y_test)}
        return inside.inspect_at(self.net, sets, x1, x2, radius)

    def hidden_units(self) -> dict[str, Any]:
        """ReLU(s0_k) over the plane for the first hidden units, from one forward pass."""
        self._need_net()
        return inside.hidden_units(self.net, self.extent)

    def gradcheck(self) -> dict[str, Any]:
        """pynn.gradcheck of the current net on the first few training examples."""
        self._need_net()
        n = inside.GRADCHECK_EXAMPLES
        return inside.check(self.net, self.X_train[:, :n], self.y_train[:n])

    def source(self) -> dict[str, Any]:
        """The code of forward, loss, gradients and sgd_step, read from the installed package."""
        return inside.sources()

    def _need_net(self) -> None:
        if self.net is None:
            raise ValueError("configure the session first")

    def _metrics(self) -> dict[str, Any]:
        """The current net's numbers (epoch 0 after a reset), shaped like ``run``'s."""
        f_train = self.net.loss(self.X_train, self.y_train) / self.y_train.shape[0]
        f_test = self.net.loss(self.X_test, self.y_test) / self.y_test.shape[0]
        return {
            "epoch": self.epoch,
            "diverged": self.diverged,
            "train_loss": np.array([f_train]),
            "test_loss": np.array([f_test]),
            "train_acc": np.array([self.net.accuracy(self.X_train, self.y_train)]),
            "test_acc": np.array([self.net.accuracy(self.X_test, self.y_test)]),
        }

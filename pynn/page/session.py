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

from . import backprop, csvdata, diagram, drawing, inside, modelfile, pagedata
from ..model import TwoLayerNet
from ..training import DivergenceError, train

GRID = 100
"""Cells per side of the decision grid: GRID² points through one batched forward pass."""

# name: (kind, default, minimum, maximum). The page's web/state.js mirrors this table.
FIELDS: dict[str, tuple[str, Any, Any, Any]] = {
    "dataset": ("choice", "spiral", None, None),
    "classes": ("int", 3, 2, 10),  # 10 only for the digits; 2-D data sets allow at most 6
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
            "datasets": list(pagedata.DATASETS),
            "class_range": {name: list(pagedata.CLASS_RANGE[name]) for name in pagedata.DATASETS},
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
            if value not in pagedata.DATASETS:
                raise ValueError(f"dataset must be one of {', '.join(pagedata.DATASETS)}; got {str(value)[:40]!r}")
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
    low, high = pagedata.CLASS_RANGE[clean["dataset"]]
    if not low <= clean["classes"] <= high:
        raise ValueError(f"{clean['dataset']} allows {low} to {high} classes, got {clean['classes']}")
    return clean


class Session:
    """Holds the data (split into train and test) and the net, and trains it on request."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] = {}
        self.net: TwoLayerNet | None = None
        self.epoch = 0
        self.updates = 0  # SGD updates made to the net since its reset, however they were made
        self.diverged: str | None = None
        self.picked: int | None = None  # the training example the backprop stepper walks
        self._picks = np.random.default_rng()

    def configure(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Make the data and a fresh net from ``settings``; returns ``snapshot()``.

        A ValueError leaves the session exactly as it was.
        """
        clean = validate(settings)
        data = pagedata.make(clean, self._data() if self.settings else None, self.settings)
        self.settings = clean
        self._take(data)
        return {**self.reset(), "notice": data.notice}

    def _data(self) -> pagedata.Data:
        return pagedata.Data(self.X_train, self.X_test, self.y_train, self.y_test, self.extent)

    def _take(self, data: pagedata.Data) -> None:
        """Hold ``data`` and the grid of cell centres over its square."""
        self.X_train, self.y_train, self.X_test, self.y_test = data.X_train, data.y_train, data.X_test, data.y_test
        self.extent = data.extent
        self.picked = None
        centres = (np.arange(GRID) + 0.5) * (2 * self.extent / GRID) - self.extent
        gx, gy = np.meshgrid(centres, centres[::-1])  # row 0 is the top of the picture: largest x2
        self.grid_X = np.vstack([gx.ravel(), gy.ravel()])

    def reset(self) -> dict[str, Any]:
        """A new net from the seed, epoch 0, no divergence; returns ``snapshot()``."""
        if not self.settings:
            raise ValueError("configure the session before resetting it")
        s = self.settings
        self.net = TwoLayerNet(pagedata.n_inputs(s), s["hidden"], pagedata.n_classes(s), seed=s["seed"])
        self.epoch = 0
        self.updates = 0
        self.diverged = None
        self._picks = np.random.default_rng(s["seed"])
        return self.snapshot()

    def snapshot(self) -> dict[str, Any]:
        """Everything the page draws after a (re)configure: the points, the grid, the metrics."""
        return {
            **self._metrics(),
            "extent": self.extent,
            "classes": self.net.n_classes,
            "dataset": self.settings["dataset"],
            **pagedata.points(self._data()),  # x1, x2 interleaved; none for the digits
            **(pagedata.digit_images(self.X_test, self.y_test) if self.net.n_inputs != 2 else {}),
            **self.view(),
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
        if self.y_train.shape[0] == 0:
            raise ValueError(pagedata.NO_POINTS)
        s = self.settings
        test = {"X_val": self.X_test, "y_val": self.y_test} if self.y_test.shape[0] else {}
        columns: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "train_acc": [], "test_acc": []}
        deadline = time.perf_counter() + seconds if seconds is not None else math.inf
        done = 0
        while self.diverged is None and (done < epochs if epochs is not None else True):
            try:
                history = train(
                    self.net, self.X_train, self.y_train,
                    lr=s["lr"], epochs=1, batch_size=s["batch"], weight_decay=s["wd"],
                    **test, seed=[s["seed"], self.epoch],
                )
            except DivergenceError:
                self.diverged = DIVERGED
                break
            self.epoch += 1
            self.updates += math.ceil(self.y_train.shape[0] / min(s["batch"], self.y_train.shape[0]))
            done += 1
            columns["train_loss"] += history.mean_loss
            columns["test_loss"] += history.val_mean_loss if test else [math.nan]
            columns["train_acc"] += history.accuracy
            columns["test_acc"] += history.val_accuracy if test else [math.nan]
            if not history.mean_loss[-1] <= DIVERGENCE_FACTOR * math.log(self.net.n_classes):
                self.diverged = DIVERGED
                break
            if time.perf_counter() >= deadline:
                break
        return {
            "epoch": self.epoch,
            "updates": self.updates,
            "diverged": self.diverged,
            **{name: np.array(values, dtype=np.float64) for name, values in columns.items()},
            **self.view(),
        }

    def view(self) -> dict[str, np.ndarray]:
        """What the page draws of the net: the decision grid in 2-D, the misclassified test images for
        the digits."""
        if self.net.n_inputs == 2:
            return self.grid()
        try:
            return pagedata.misclassified(self.net, self.X_test, self.y_test)
        except ValueError:  # scores overflow: only a diverged net gets here; keep the last picture
            return {}

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

    # -- looking inside, for the page's classroom panels (the maths is in pynn.page.inside) ----------

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
        if self.y_train.shape[0] == 0:
            raise ValueError("the gradient check needs training points: add some first")
        n = inside.GRADCHECK_EXAMPLES
        return inside.check(self.net, self.X_train[:, :n], self.y_train[:n])

    def source(self) -> dict[str, Any]:
        """The code of forward, loss, gradients and sgd_step, read from the installed package."""
        return inside.sources()

    # -- one SGD step walked stage by stage, and the network diagram (pynn.page.backprop, diagram) ---

    def backprop_pick(self) -> dict[str, Any]:
        """A training example drawn at random, as pure SGD draws them (a Generator seeded by the
        seed at reset), walked stage by stage: ``backprop_example`` of it."""
        self._need_net()
        if self.y_train.shape[0] == 0:
            raise ValueError(pagedata.NO_POINTS)
        return self.backprop_example(int(self._picks.integers(self.y_train.shape[0])))

    def backprop_example(self, index: int) -> dict[str, Any]:
        """Every stage of one SGD step on training example ``index`` (pynn.page.backprop.walk at the
        page's learning rate and weight decay); the example stays picked for ``backprop_apply``."""
        self._need_net()
        n = self.y_train.shape[0]
        if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= index < n:
            raise ValueError(f"index must be a whole number from 0 to {n - 1} (a training example), got {index!r}")
        self.picked = int(index)
        return self._walk()

    def backprop_at(self, x1: float, x2: float, radius: float) -> dict[str, Any]:
        """``backprop_example`` of the training point nearest to (x1, x2) within ``radius``;
        ``{"index": None}`` (and the pick unchanged) when there is none."""
        self._need_net()
        if self.net.n_inputs != 2:
            raise ValueError("picking a point of the plane needs 2-D data, not the digits")
        for name, value in (("x1", x1), ("x2", x2), ("radius", radius)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {str(value)[:40]!r}")
        index = backprop.nearest(self.X_train, x1, x2, radius)
        return {"index": None} if index is None else self.backprop_example(index)

    def backprop_apply(self) -> dict[str, Any]:
        """Exactly one pure-SGD update on the picked example at the page's learning rate and weight
        decay (``sgd_step``, counted in ``updates``); returns the example's loss before and after,
        its stages on the updated net, and ``edited()`` (the new regions and metrics)."""
        self._need_net()
        if self.picked is None:
            raise ValueError("pick a training example first")
        s = self.settings
        before, after = backprop.apply(self.net, self.X_train[:, self.picked], int(self.y_train[self.picked]), s["lr"], s["wd"])
        self.updates += 1
        return {**self.edited(), **self._walk(), "loss_before": before, "loss_after": after}

    def _walk(self) -> dict[str, Any]:
        s = self.settings
        values = backprop.walk(self.net, self.X_train[:, self.picked], int(self.y_train[self.picked]), s["lr"], s["wd"])
        return {**values, "index": self.picked, "updates": self.updates}

    def network(self) -> dict[str, Any]:
        """The network diagram's numbers (pynn.page.diagram) with the nodes' values at the picked
        example, or without values when none is picked."""
        self._need_net()
        x = None if self.picked is None else self.X_train[:, self.picked]
        return {**diagram.diagram(self.net, x, self.extent if self.net.n_inputs == 2 else None),
                "index": self.picked, "updates": self.updates}

    def _need_net(self) -> None:
        if self.net is None:
            raise ValueError("configure the session first")

    # -- your own points, the model file and the digit pad (the work is in pynn.page.pagedata, ---------
    # -- pynn.page.csvdata, pynn.page.modelfile and pynn.page.drawing) -------------------------------------------

    def add_point(self, x1: float, x2: float, label: int) -> dict[str, Any]:
        """Add a training point of class ``label`` at (x1, x2); returns ``edited()``."""
        return self._edit(lambda data: pagedata.add_point(data, x1, x2, label, self.net.n_classes))

    def remove_point(self, x1: float, x2: float) -> dict[str, Any]:
        """Remove the point (training or test) nearest to (x1, x2); returns ``edited()``."""
        return self._edit(lambda data: pagedata.remove_nearest(data, x1, x2))

    def clear_points(self) -> dict[str, Any]:
        """Remove every point; returns ``edited()``."""
        return self._edit(lambda data: pagedata.empty()._replace(extent=data.extent))

    def _edit(self, change) -> dict[str, Any]:
        """Apply ``change`` to the 2-D data, which becomes your own ("custom") if it was generated.
        The net and the epoch stay: training goes on with the new points."""
        self._need_net()
        if self.net.n_inputs != 2:
            raise ValueError("points can be added or removed on 2-D data only, not on the digits")
        data = change(self._data())
        self.settings = {**self.settings, "dataset": "custom"}
        self._take(data)
        return self.edited()

    def edited(self) -> dict[str, Any]:
        """After an edit of the points: the points, the metrics now, the grid and the settings."""
        return {**self.snapshot(), "settings": dict(self.settings)}

    def load_csv(self, text: str) -> dict[str, Any]:
        """Your own points from CSV text (pynn.page.csvdata's format and limits), split by the settings, and
        a fresh net with one output per label up to the largest; returns ``snapshot()`` with the
        settings. A ValueError naming the first bad line leaves everything as it was."""
        self._need_net()
        data, classes = pagedata.from_csv(text, self.settings)
        self.settings = validate({**self.settings, "dataset": "custom", "classes": classes})
        self._take(data)
        return {**self.reset(), "settings": dict(self.settings)}

    def data_csv(self) -> dict[str, Any]:
        """The current 2-D points, training then test, as pynn.page.csvdata's CSV text."""
        self._need_net()
        if self.net.n_inputs != 2:
            raise ValueError("the digits are not 2-D points: CSV download is for 2-D data")
        X = np.hstack([self.X_train, self.X_test])
        y = np.concatenate([self.y_train, self.y_test])
        return {"csv": csvdata.to_csv(X, y), "rows": int(y.shape[0])}

    def export_model(self) -> dict[str, Any]:
        """The net, the settings and the epoch as pynn.page.modelfile's JSON (your own points included)."""
        self._need_net()
        data = None
        if self.settings["dataset"] == "custom":
            data = (self.X_train, self.X_test, self.y_train, self.y_test)
        return {"json": modelfile.dumps(self.net, self.settings, self.epoch, data)}

    def import_model(self, text: str) -> dict[str, Any]:
        """Take the net of a model file, with the setup it names (its data set, its hyperparameters; a
        bare to_dict() keeps the page's setup and must fit its data). Returns ``snapshot()`` with the
        settings, at epoch 0. A ValueError saying what is wrong leaves everything as it was."""
        self._need_net()
        file = modelfile.parse(text)
        net = file.net
        if file.settings is None:
            settings = {**self.settings, "hidden": net.n_hidden}
            if net.n_inputs != self.net.n_inputs:
                raise ValueError(
                    f"this model takes {net.n_inputs} inputs but the page's data has {self.net.n_inputs}; "
                    f"choose {'the digits' if net.n_inputs == 64 else 'a 2-D data set'} first"
                )
            if net.n_inputs == 2:
                settings["classes"] = net.n_classes
        else:
            settings = dict(file.settings)
        try:
            clean = validate(settings)
        except ValueError as error:
            raise ValueError(f"the model file's settings are not usable: {error}") from None
        expected = (pagedata.n_inputs(clean), clean["hidden"], pagedata.n_classes(clean))
        found = (net.n_inputs, net.n_hidden, net.n_classes)
        if found != expected:
            raise ValueError(
                "the model's shape D-H-C = {}-{}-{} does not match its settings ({}-{}-{})".format(*found, *expected)
            )
        if clean["dataset"] == "custom" and file.data is not None:
            X_train, X_test, y_train, y_test = file.data
            extent = pagedata.extent_of(np.hstack([X_train, X_test]))
            data = pagedata.Data(X_train, X_test, y_train, y_test, extent)
        else:
            data = pagedata.make(clean, self._data(), self.settings)
        if np.any(data.y_train >= net.n_classes) or np.any(data.y_test >= net.n_classes):
            raise ValueError(f"the data has labels the model's {net.n_classes} classes do not cover")
        self.settings = clean
        self._take(data)
        self.net, self.epoch, self.updates, self.diverged = net, 0, 0, None
        return {**self.snapshot(), "settings": dict(self.settings), "trained_epochs": file.epoch}

    def classify_drawing(self, strokes: list) -> dict[str, Any]:
        """A digit drawn on the page's pad (strokes of x, y, x, y, … in pad pixels, y down) as the net
        sees it, 8×8 values 0 … 16 (pynn.page.drawing), and its 10 class probabilities."""
        self._need_net()
        if self.net.n_inputs != 64:
            raise ValueError("the drawing pad needs the digits data set")
        image = drawing.digit_from_strokes(strokes)
        proba = self.net.predict_proba(image.reshape(64, 1) / pagedata.DIGIT_SCALE)[:, 0]
        return {"image": image.astype(np.uint8), "proba": proba.astype(np.float64), "empty": not image.any()}

    def _metrics(self) -> dict[str, Any]:
        """The current net's numbers (epoch 0 after a reset), shaped like ``run``'s."""
        try:
            f_train, a_train = pagedata.mean_metrics(self.net, self.X_train, self.y_train)
            f_test, a_test = pagedata.mean_metrics(self.net, self.X_test, self.y_test)
        except ValueError:  # scores overflow: a diverged net whose data was just edited
            f_train = a_train = f_test = a_test = math.nan
        return {
            "epoch": self.epoch,
            "updates": self.updates,
            "diverged": self.diverged,
            "train_loss": np.array([f_train]),
            "test_loss": np.array([f_test]),
            "train_acc": np.array([a_train]),
            "test_acc": np.array([a_test]),
        }

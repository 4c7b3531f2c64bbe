"""The page's Python side: one data set, one net, trained a chunk of SGD updates at a time.

The browser's workers call it through pynn.page.calls; every number the page shows is computed by
pynn. A ``Session`` holds the data (a pynn.page.pagedata.Data, whole) and the net. It is configured
from the page's settings (the keys of the URL hash, declared in pynn.page.settings), trains in
chunks (whole epochs, a number of SGD updates, or as many updates as fit in a time budget, so one
call carries many steps), and answers with plain values and flat numpy arrays (float64 / float32 /
uint8) that the worker turns into transferable typed arrays without a per-element conversion.

    session = Session()
    session.configure({"dataset": "spiral", "classes": 3, "points": 300, "hidden": 32})
    result = session.run(seconds=0.05)      # metrics measured during the chunk + the decision grid
    session.configure({**session.settings, "lr": 0.01})   # live: the same net trains on
"""
from __future__ import annotations

import math
import numbers
import time
from typing import Any, Callable

import numpy as np

from . import backprop, diagram, drawing, inside, modelfile, pagedata, text, yourcode
from .pagedata import Data
from .settings import FIELDS, n_classes, n_inputs, validate
from .text import say, say_n  # by name: `text` is also the argument of load_csv and import_model
from ..model import PARAMETERS, TwoLayerNet, one_hot
from ..training import batches, measure

TEXT = text.register({
    "session.diverged.infinite": "the loss became infinite at epoch {epoch}",
    "session.diverged.epochs": ("the mean loss stayed above {threshold:.3g} for {n} epoch", "the mean loss stayed above {threshold:.3g} for {n} epochs"),
    "session.diverged.updates": ("the mean loss stayed above {threshold:.3g} for {n} update", "the mean loss stayed above {threshold:.3g} for {n} updates"),
    "session.configure-before-reset": "configure the session before resetting it",
    "session.configure-before-training": "configure the session before training",
    "session.one-budget": "give one of epochs, updates or seconds",
    "session.whole-budget": "{name} must be a whole number ≥ 1, got {value}",
    "session.seconds": "seconds must be a number > 0, got {value}",
    "session.also-dict": "also must be a dict of panel method → its arguments",
    "session.also-unknown": "also can ask for {known}, not {name}",
    "session.gradcheck-points": "the gradient check needs training points: add some first",
    "session.index": "index must be a whole number from 0 to {last} (a training example), got {value}",
    "session.pick-2d": "picking a point of the plane needs 2-D data, not the digits",
    "session.finite": "{name} must be a finite number, got {value}",
    "session.pick-first": "pick a training example first",
    "session.configure-first": "configure the session first",
    "session.edit-2d": "points can be added or removed on 2-D data only, not on the digits",
    "session.csv-2d": "the digits are not 2-D points: CSV download is for 2-D data",
    "session.model-inputs.digits": "this model takes {found} inputs but the page's data has {page}; choose the digits first",
    "session.model-inputs.plane": "this model takes {found} inputs but the page's data has {page}; choose a 2-D data set first",
    "session.model-settings": "the model file's settings are not usable: {error}",
    "session.model-shape": "the model's shape D-H-C = {found} does not match its settings ({expected})",
    "session.model-labels": "the data has labels the model's {classes} classes do not cover",
    "session.pad-digits": "the drawing pad needs the digits data set",
})


GRID = 100
"""Cells per side of the decision grid: GRID² points through one batched forward pass."""

DIVERGENCE_FACTOR = 10.0
"""The mean training loss counts as too high above DIVERGENCE_FACTOR · ln C.

ln C is the mean loss of a uniform guess (about where an untrained net starts). pynn.train stops on a
non-finite loss; a too-large learning rate more often kills every ReLU and freezes the net at a huge
but finite loss (lr = 100 on the spiral: 40 to 70 times ln C, for ever). Healthy runs stay below
4 · ln C, so the page pauses such runs too, with the same advice, once the loss stays that high.
"""

CLOCK_EVERY = 8
"""Updates between two reads of the clock in a ``run(seconds=…)``: a read and its test cost about
a tenth of a pure-SGD step in Pyodide, and eight steps overrun a 60 ms chunk by under 0.3 ms."""

SUSTAINED = 5
"""Evaluations in a row above the threshold that stop training.

Pure SGD at a large but workable rate spikes: one unlucky example throws the loss above the
threshold (12.9 > 10 · ln 3 on the spiral at lr 0.3, batch 1) and the next updates bring it back.
A spike is drawn on the curves and training goes on; a net stuck at a huge loss stays there.
"""


def infinite(epoch: int) -> str:
    """The stop message when the loss or the weights stopped being finite during ``epoch`` (from 1)."""
    return say("session.diverged.infinite", epoch=epoch)


def stayed_above(threshold: float, epochs: float, updates: int) -> str:
    """The stop message when the mean loss stayed above ``threshold`` for ``epochs`` (``updates``)."""
    if epochs >= 1:
        n = round(epochs)
        return say_n("session.diverged.epochs", n, threshold=threshold, n=n)
    return say_n("session.diverged.updates", updates, threshold=threshold, n=updates)


ALSO = ("network", "hidden_units", "inspect")
"""What the page's open panels may ask ``run`` for along with a chunk (one round trip per chunk)."""


METRICS = ("train_mean_loss", "test_mean_loss", "train_accuracy", "test_accuracy")
"""The rows every result carries, with ``at``: the mean loss per example and the accuracy."""


class Session:
    """Holds the data (``data``: split into train and test) and the net, and trains it on request.

    Training state: ``epoch`` (whole epochs done), ``position`` (examples of the current epoch
    already used) and ``updates`` (SGD steps since the net was made). Epoch e visits the training
    examples in the order ``default_rng([seed, e]).permutation(N)``, in batches of the current
    batch size, so a run does not depend on how it was chunked, and a run of whole epochs is
    exactly ``pynn.train(..., epochs=1, seed=[seed, e])`` epoch after epoch.
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.settings: dict[str, Any] = {}
        self.net: TwoLayerNet | None = None
        self.data: Data | None = None
        self.epoch = self.position = self.updates = 0
        self.order: np.ndarray | None = None
        self.diverged: str | None = None  # the message of what stopped training, or None
        self.paused_by_code = False  # whether the student's code stopped it (not divergence)
        self.above, self.calm = 0, (0.0, 0)
        self.student: dict | None = None  # the student's exercise functions, while training with them
        self.picked: int | None = None  # the training example the backprop stepper walks
        self._picks = np.random.default_rng()
        self._columns: tuple | None = None  # what _examples made, and for which data and class count

    def configure(self, settings: dict[str, Any]) -> dict[str, Any]:
        """Apply the page's settings; a ValueError leaves the session exactly as it was.

        When only live settings (lr, batch, wd: pynn.page.settings) differ from the current ones, the
        net, the data and the epoch stay and training goes on with them: the answer is
        ``{"fresh": False, "changed": [names], "settings", "epoch", "updates", "at"}``, ``at`` being
        the epochs done at the change. Otherwise it makes the data and a fresh net: ``snapshot()``
        with ``fresh: True`` and ``notice`` (a note on your own points, or None).
        """
        clean = validate(settings)
        changed = [name for name in FIELDS if self.settings.get(name) != clean[name]]
        if self.net is not None and all(FIELDS[name].live for name in changed):
            self.settings = clean
            return {
                "fresh": False, "changed": changed, "settings": dict(clean),
                "epoch": self.epoch, "updates": self.updates, "at": self._at(),
            }
        data = pagedata.make(clean, self.data, self.settings)
        self.settings = clean
        self.take(data)
        return {**self.reset(), "notice": data.notice}

    def take(self, data: Data) -> None:
        """Hold ``data`` and the grid of cell centres over its square; the current epoch starts over."""
        self.data = data
        self.position, self.order = 0, None
        self.picked = None
        extent = data.extent
        centres = (np.arange(GRID) + 0.5) * (2 * extent / GRID) - extent
        gx, gy = np.meshgrid(centres, centres[::-1])  # row 0 is the top of the picture: largest x2
        self.grid_X = np.vstack([gx.ravel(), gy.ravel()])

    def reset(self) -> dict[str, Any]:
        """A new net from the seed, epoch 0, no divergence; returns ``snapshot()`` with ``fresh``."""
        if not self.settings:
            raise ValueError(say("session.configure-before-reset"))
        s = self.settings
        self.start(TwoLayerNet(n_inputs(s), s["hidden"], n_classes(s), seed=s["seed"], init=s["init"]))
        return {**self.snapshot(), "fresh": True}

    def start(self, net: TwoLayerNet) -> None:
        self.net = yourcode.StudentNet.of(net, self.student) if self.student else net
        self.epoch = self.position = self.updates = 0
        self.order = None
        self.diverged, self.paused_by_code = None, False
        self.above, self.calm = 0, (0.0, 0)  # evaluations in a row above the threshold; the last below it
        self._picks = np.random.default_rng(self.settings["seed"])  # the stepper's draws, like SGD's

    def end_pause(self) -> None:
        """A pause that the student's code caused ends (their code changed, or pynn's took over again);
        a divergence stays."""
        if self.paused_by_code:
            self.diverged, self.paused_by_code = None, False

    def snapshot(self) -> dict[str, Any]:
        """Everything the page draws after a (re)configure: the settings, the net's shape, the points,
        the grid, the metrics now."""
        net, data = self.net, self.data
        return {
            **self._metrics(),
            "settings": dict(self.settings),
            "shape": [net.n_inputs, net.n_hidden, net.n_classes],
            "parameters": sum(getattr(net, name).size for name in PARAMETERS),
            "extent": data.extent,
            "classes": net.n_classes,
            "dataset": self.settings["dataset"],
            **pagedata.points(data),  # x1, x2 interleaved; none for the digits
            **(pagedata.digit_images(data.X_test, data.y_test) if net.n_inputs != 2 else {}),
            **self.view(),
        }

    def run(self, *, epochs: int | None = None, updates: int | None = None, seconds: float | None = None,
            also: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        """Train with SGD: to the end of the ``epochs``-th epoch boundary from here, exactly
        ``updates`` steps, or as many steps as fit in ``seconds`` (at least one). Give one of them.

        ``also``: the pictures the page's open panels want after this chunk, by method (ALSO) and
        its arguments, e.g. ``{"network": {}, "inspect": {"x1": 0, "x2": 1}}``; their answers come
        back in ``also`` (a ValueError as ``{"error": message}``), so one chunk is one round trip.

        Returns ``epoch``, ``updates``, ``diverged`` (None, or the message to show), the decision
        grid, ``_last_step`` of the chunk's last update when ``updates`` was given (a page training
        slowly shows the example just used), and the metric rows measured during the chunk: ``at``
        (epochs done, fractional when measured inside an epoch) and METRICS (float64). A row is
        measured after each epoch and, when the chunk ends inside an epoch, once at its end.
        Training stops as diverged on a non-finite loss or weights (the net goes back to its weights
        from before that epoch, or before this chunk), or when the mean training loss stays above
        DIVERGENCE_FACTOR · ln C for SUSTAINED evaluations in a row (those rows are reported); a
        single spike is just a row.
        """
        self._check_budget(epochs, updates, seconds)
        also = self._also(also)
        rows: dict[str, list[float]] = {name: [] for name in ("at", *METRICS)}
        last_epoch = self.epoch + epochs if epochs is not None else math.inf
        steps = updates if updates is not None else math.inf
        deadline = self.clock() + seconds if seconds is not None else math.inf
        s = self.settings
        X, Yoh, examples = self._examples()
        n, lr, wd, batch = X.shape[1], s["lr"], s["wd"], min(s["batch"], X.shape[1])
        step, clock, timed = self.net.step, self.clock, seconds is not None
        done, last = 0, {}
        saved = self._save()
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                while self.diverged is None and self.epoch < last_epoch and done < steps:
                    if self.order is None:  # a new epoch: its order, and the weights to go back to
                        self.order = np.random.default_rng([s["seed"], self.epoch]).permutation(n)
                        saved = self._save()
                    # The rest of this epoch's batches, cut as pynn.train cuts them (at the batch size now),
                    # as many as the budget allows; a timed run reads the clock every CLOCK_EVERY of them.
                    rest = self.order[self.position :]
                    pairs = [examples[i] for i in rest.tolist()] if batch == 1 else batches(X, Yoh, rest, batch)
                    pairs = pairs if updates is None else pairs[: updates - done]
                    stride = CLOCK_EVERY if timed else len(pairs)
                    k = 0
                    while k < len(pairs) and not (timed and done + k and clock() >= deadline):
                        for Xb, Yb in pairs[k : k + stride]:
                            f = step(Xb, Yb, lr, wd)
                        k = min(k + stride, len(pairs))
                    if updates is not None and done + k == updates:  # the chunk's last update: Xb, f
                        last = self._last_step(f, Xb, self.order[self.position + (k - 1) * batch :][: Xb.shape[1]])
                    done += k
                    self.updates += k
                    self.position = min(n, self.position + k * batch)
                    if self.position < n:
                        break
                    self.epoch += 1
                    self.position, self.order = 0, None
                    self._measure(rows, saved)
                if self.diverged is None and self.position:
                    self._measure(rows, saved)
            except yourcode.StudentCodeError as error:  # training with the student's code
                weights, self.epoch, self.position, self.updates, self.order = saved
                self.net.restore(weights)
                self.diverged, self.paused_by_code = yourcode.paused(error), True
        return {
            "epoch": self.epoch,
            "updates": self.updates,
            "diverged": self.diverged,
            "paused_by_code": self.paused_by_code,
            **{name: np.array(values, dtype=np.float64) for name, values in rows.items()},
            **(last if self.diverged is None else {}),
            **self.view(),
            **({"also": {name: self._picture(name, kwargs) for name, kwargs in also.items()}} if also else {}),
        }

    def _examples(self) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
        """X_train, its one-hot labels Yoh and every training example as the pair (X[:, i:i+1],
        Yoh[:, i:i+1]): the column views ``batches`` cuts for pure SGD, made once per data and class
        count, so that an epoch takes them in its order instead of slicing 2N views again (in Pyodide
        that slicing cost as much as a dozen SGD steps an epoch)."""
        data, classes = self.data, self.net.n_classes
        if self._columns is None or self._columns[0] is not data or self._columns[1] != classes:
            X, Yoh = data.X_train, one_hot(data.y_train, classes)
            examples = [(X[:, i : i + 1], Yoh[:, i : i + 1]) for i in range(X.shape[1])]
            self._columns = (data, classes, (X, Yoh, examples))
        return self._columns[2]

    def _check_budget(self, epochs: Any, updates: Any, seconds: Any) -> None:
        """``run``'s refusals: no net or no points yet, not exactly one budget, or a bad one."""
        if self.net is None:
            raise ValueError(say("session.configure-before-training"))
        given = [name for name, value in (("epochs", epochs), ("updates", updates), ("seconds", seconds)) if value is not None]
        if len(given) != 1:
            raise ValueError(say("session.one-budget"))
        for name, value in (("epochs", epochs), ("updates", updates)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1):
                raise ValueError(say("session.whole-budget", name=name, value=repr(value)))
        if seconds is not None and not (isinstance(seconds, numbers.Real) and seconds > 0):
            raise ValueError(say("session.seconds", value=repr(seconds)))
        if self.data.y_train.shape[0] == 0:
            raise ValueError(say(pagedata.NO_POINTS))

    def _last_step(self, f, Xb: np.ndarray, picked: np.ndarray) -> dict[str, Any]:
        """The update just made on the training examples ``picked`` (B of them, columns Xb), from the
        forward pass ``f`` before it: ``last_index`` (int32, B), ``last_loss_before`` and
        ``last_loss_after``, the batch's mean loss L/B = −(1/B) Σ_i log h1(x_i)[y_i] before and after."""
        y = self.data.y_train[picked]
        n = picked.shape[0]
        return {
            "last_index": picked.astype(np.int32),
            "last_loss_before": self.net.loss_of(f, y) / n,
            "last_loss_after": self.net.loss_of(self.net.forward_pass(Xb), y) / n,
        }

    @staticmethod
    def _also(also: Any) -> dict[str, dict[str, Any]]:
        """``run``'s ``also``, checked: method names of ALSO, each with a dict of arguments."""
        if also is None:
            return {}
        if not isinstance(also, dict) or not all(isinstance(kwargs, dict) for kwargs in also.values()):
            raise ValueError(say("session.also-dict"))
        unknown = sorted(set(also) - set(ALSO))
        if unknown:
            raise ValueError(say("session.also-unknown", known=", ".join(ALSO), name=repr(str(unknown[0])[:40])))
        return also

    def _picture(self, name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        """One panel's answer after a chunk; what pynn refuses (a ValueError) is that panel's to say."""
        try:
            return getattr(self, name)(**kwargs)
        except (ValueError, TypeError) as error:
            return {"error": str(error)}

    def _save(self) -> tuple:
        """What ``_measure`` puts back when the loss stops being finite."""
        return [getattr(self.net, name).copy() for name in PARAMETERS], self.epoch, self.position, self.updates, self.order

    def _measure(self, rows: dict[str, list[float]], saved: tuple) -> None:
        """Append the metrics now to ``rows``, or mark the run diverged (see ``run``)."""
        data = self.data
        test = (data.X_test, data.y_test) if data.y_test.shape[0] else None
        m = measure(self.net, data.X_train, data.y_train, test)
        finite = all(math.isfinite(value) for value in m.values())  # floats: no numpy call
        if not (finite and all(np.isfinite(getattr(self.net, name)).all() for name in PARAMETERS)):
            epoch = math.ceil(self._at())
            weights, self.epoch, self.position, self.updates, self.order = saved
            self.net.restore(weights)
            self.diverged = infinite(epoch)
            return
        rows["at"].append(self._at())
        rows["train_mean_loss"].append(m["mean_loss"])
        rows["test_mean_loss"].append(m.get("val_mean_loss", math.nan))
        rows["train_accuracy"].append(m["accuracy"])
        rows["test_accuracy"].append(m.get("val_accuracy", math.nan))
        threshold = DIVERGENCE_FACTOR * math.log(self.net.n_classes)
        if m["mean_loss"] <= threshold:
            self.above, self.calm = 0, (self._at(), self.updates)
            return
        self.above += 1
        if self.above >= SUSTAINED:
            at, updates = self.calm
            self.diverged = stayed_above(threshold, self._at() - at, self.updates - updates)

    def _at(self) -> float:
        """Epochs done, with the current epoch's fraction: where the page's curves put a row."""
        n = self.data.y_train.shape[0]
        return self.epoch + (self.position / n if n else 0.0)

    def view(self) -> dict[str, np.ndarray]:
        """What the page draws of the net: the decision grid in 2-D, the misclassified test images for
        the digits."""
        if self.net.n_inputs == 2:
            return self.grid()
        try:
            return pagedata.misclassified(self.net, self.data.X_test, self.data.y_test)
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
        return {
            "grid_size": GRID,
            "grid_class": proba.argmax(axis=0).astype(np.uint8),
            "grid_prob": proba.max(axis=0).astype(np.float32),  # the winner's: no index array to make
        }

    # -- looking inside, for the page's classroom panels (the maths is in pynn.page.inside) ----------

    def inspect(self, x1: float, x2: float, radius: float = 0.0) -> dict[str, Any]:
        """The spec's four equations with the current net's values at x = (x1, x2), or at the data
        point nearest to it when one lies within ``radius`` (then with its label and loss term)."""
        self.need_net()
        data = self.data
        sets = {"train": (data.X_train, data.y_train), "test": (data.X_test, data.y_test)}
        return inside.inspect_at(self.net, sets, x1, x2, radius)

    def hidden_units(self) -> dict[str, Any]:
        """ReLU(s0_k) over the plane for the first hidden units, from one forward pass."""
        self.need_net()
        return inside.hidden_units(self.net, self.data.extent)

    def gradcheck(self) -> dict[str, Any]:
        """pynn.gradcheck of the current net on the first few training examples."""
        self.need_net()
        if self.data.y_train.shape[0] == 0:
            raise ValueError(say("session.gradcheck-points"))
        n = inside.GRADCHECK_EXAMPLES
        return inside.check(self.net, self.data.X_train[:, :n], self.data.y_train[:n])

    def use_student_code(self, sources: dict[str, str] | None = None) -> dict[str, Any]:
        """Train with the student's exercise functions from ``sources`` (pynn.page.yourcode), or with
        pynn's again when it is empty; the weights and the epoch stay, a pause their code caused ends.
        Returns the names of the functions in use and the decision grid they draw."""
        self.need_net()
        functions = yourcode.build(sources) if sources else None
        base = self.net.plain() if isinstance(self.net, yourcode.StudentNet) else self.net
        self.student = functions
        self.net = yourcode.StudentNet.of(base, functions) if functions else base
        self.end_pause()
        return {"using": list(functions or ()), **self.view()}

    # -- one SGD step walked stage by stage, and the network diagram (pynn.page.backprop, diagram) ---

    def backprop_pick(self) -> dict[str, Any]:
        """A training example drawn at random, as pure SGD draws them (a Generator seeded by the
        seed at reset), walked stage by stage: ``backprop_example`` of it."""
        self.need_net()
        n = self.data.y_train.shape[0]
        if n == 0:
            raise ValueError(say(pagedata.NO_POINTS))
        return self.backprop_example(int(self._picks.integers(n)))

    def backprop_example(self, index: int) -> dict[str, Any]:
        """Every stage of one SGD step on training example ``index`` (pynn.page.backprop.walk at the
        page's learning rate and weight decay); the example stays picked for ``backprop_apply``."""
        self.need_net()
        n = self.data.y_train.shape[0]
        if isinstance(index, bool) or not isinstance(index, numbers.Integral) or not 0 <= index < n:
            raise ValueError(say("session.index", last=n - 1, value=repr(index)))
        self.picked = int(index)
        return self._walk()

    def backprop_at(self, x1: float, x2: float, radius: float) -> dict[str, Any]:
        """``backprop_example`` of the training point nearest to (x1, x2) within ``radius``;
        ``{"index": None}`` (and the pick unchanged) when there is none."""
        self.need_net()
        if self.net.n_inputs != 2:
            raise ValueError(say("session.pick-2d"))
        for name, value in (("x1", x1), ("x2", x2), ("radius", radius)):
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(say("session.finite", name=name, value=repr(str(value)[:40])))
        index = backprop.nearest(self.data.X_train, x1, x2, radius)
        return {"index": None} if index is None else self.backprop_example(index)

    def backprop_apply(self) -> dict[str, Any]:
        """Exactly one pure-SGD update on the picked example at the page's learning rate and weight
        decay (``sgd_step``, counted in ``updates``); returns the example's loss before and after,
        its stages on the updated net, and ``edited()`` (the new regions and metrics)."""
        self.need_net()
        if self.picked is None:
            raise ValueError(say("session.pick-first"))
        s = self.settings
        x, y = self._picked()
        before, after = backprop.apply(self.net, x, y, s["lr"], s["wd"])
        self.updates += 1
        return {**self.edited(), **self._walk(), "loss_before": before, "loss_after": after}

    def _picked(self) -> tuple[np.ndarray, int]:
        """The picked training example: x (D) and its label."""
        return self.data.X_train[:, self.picked], int(self.data.y_train[self.picked])

    def _walk(self) -> dict[str, Any]:
        s = self.settings
        values = backprop.walk(self.net, *self._picked(), s["lr"], s["wd"])
        return {**values, "index": self.picked, "updates": self.updates}

    def network(self) -> dict[str, Any]:
        """The network diagram's numbers (pynn.page.diagram) with the nodes' values at the picked
        example, or without values when none is picked."""
        self.need_net()
        x = None if self.picked is None else self._picked()[0]
        return {**diagram.diagram(self.net, x, self.data.extent if self.net.n_inputs == 2 else None),
                "index": self.picked, "updates": self.updates}

    def need_net(self) -> None:
        """A ValueError unless the session has been configured (it has data and a net)."""
        if self.net is None:
            raise ValueError(say("session.configure-first"))

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
        self.need_net()
        if self.net.n_inputs != 2:
            raise ValueError(say("session.edit-2d"))
        data = change(self.data)
        self.settings = {**self.settings, "dataset": "custom"}
        self.take(data)
        return self.edited()

    def edited(self) -> dict[str, Any]:
        """After an edit of the points: the points, the metrics now, the grid and the settings; the
        net is not fresh (it trains on)."""
        return {**self.snapshot(), "fresh": False}

    def load_csv(self, text: str) -> dict[str, Any]:
        """Your own points from CSV text (pynn.page.csvdata's format and limits), split by the settings, and
        a fresh net with one output per label up to the largest; returns ``snapshot()`` with the
        settings. A ValueError naming the first bad line leaves everything as it was."""
        self.need_net()
        data, classes = pagedata.from_csv(text, self.settings)
        self.settings = validate({**self.settings, "dataset": "custom", "classes": classes})
        self.take(data)
        return self.reset()

    def data_csv(self) -> dict[str, Any]:
        """The current 2-D points, training then test, as pynn.page.csvdata's CSV text."""
        self.need_net()
        if self.net.n_inputs != 2:
            raise ValueError(say("session.csv-2d"))
        return {"csv": pagedata.to_csv(self.data), "rows": int(self.data.y_train.shape[0] + self.data.y_test.shape[0])}

    def export_model(self) -> dict[str, Any]:
        """The net, the settings and the epoch as pynn.page.modelfile's JSON (your own points included)."""
        self.need_net()
        d = self.data
        data = (d.X_train, d.X_test, d.y_train, d.y_test) if self.settings["dataset"] == "custom" else None
        return {"json": modelfile.dumps(self.net, self.settings, self.epoch, data)}

    def import_model(self, text: str) -> dict[str, Any]:
        """Take the net of a model file, with the setup it names (its data set, its hyperparameters; a
        bare to_dict() keeps the page's setup and must fit its data). Returns ``snapshot()`` with the
        settings, at epoch 0. A ValueError saying what is wrong leaves everything as it was."""
        self.need_net()
        file = modelfile.parse(text)
        net = file.net
        if file.settings is None:
            settings = {**self.settings, "hidden": net.n_hidden}
            if net.n_inputs != self.net.n_inputs:
                key = "session.model-inputs.digits" if net.n_inputs == 64 else "session.model-inputs.plane"
                raise ValueError(say(key, found=net.n_inputs, page=self.net.n_inputs))
            if net.n_inputs == 2:
                settings["classes"] = net.n_classes
        else:
            settings = dict(file.settings)
        try:
            clean = validate(settings)
        except ValueError as error:
            raise ValueError(say("session.model-settings", error=str(error))) from None
        expected = (n_inputs(clean), clean["hidden"], n_classes(clean))
        found = (net.n_inputs, net.n_hidden, net.n_classes)
        if found != expected:
            raise ValueError(say("session.model-shape", found="-".join(map(str, found)),
                                      expected="-".join(map(str, expected))))
        if clean["dataset"] == "custom" and file.data is not None:
            X_train, X_test, y_train, y_test = file.data
            extent = pagedata.extent_of(np.hstack([X_train, X_test]))
            data = Data(X_train, X_test, y_train, y_test, extent)
        else:
            data = pagedata.make(clean, self.data, self.settings)
        if np.any(data.y_train >= net.n_classes) or np.any(data.y_test >= net.n_classes):
            raise ValueError(say("session.model-labels", classes=net.n_classes))
        self.settings = clean
        self.take(data)
        self.start(net)
        return {**self.snapshot(), "fresh": True, "trained_epochs": file.epoch}

    def classify_drawing(self, strokes: list) -> dict[str, Any]:
        """A digit drawn on the page's pad (strokes of x, y, x, y, … in pad pixels, y down) as the net
        sees it, 8×8 values 0 … 16 (pynn.page.drawing), and its 10 class probabilities."""
        self.need_net()
        if self.net.n_inputs != 64:
            raise ValueError(say("session.pad-digits"))
        image = drawing.digit_from_strokes(strokes)
        proba = self.net.predict_proba(image.reshape(64, 1) / pagedata.DIGIT_SCALE)[:, 0]
        return {"image": image.astype(np.uint8), "proba": proba.astype(np.float64), "empty": not image.any()}

    def _metrics(self) -> dict[str, Any]:
        """The current net's numbers, one row shaped like ``run``'s."""
        try:
            f_train, a_train = pagedata.mean_metrics(self.net, self.data.X_train, self.data.y_train)
            f_test, a_test = pagedata.mean_metrics(self.net, self.data.X_test, self.data.y_test)
        except ValueError:  # scores overflow: a diverged net whose data was just edited
            f_train = a_train = f_test = a_test = math.nan
        values = (f_train, f_test, a_train, a_test)
        return {
            "epoch": self.epoch,
            "updates": self.updates,
            "diverged": self.diverged,
            "paused_by_code": self.paused_by_code,
            "at": np.array([self._at()]),
            **{name: np.array([value]) for name, value in zip(METRICS, values)},
        }


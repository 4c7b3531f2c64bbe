"""The lessons' runner: a lesson (pynn.page.lessons) run on the page's Session, and what it showed (a
pynn.page.lessons.Run), read from the Session after it.

    result = run(session, "init", choice=2)   # "lesson_run": what the worker calls (pynn.page.calls)
    result["explanation"]                     # paragraphs quoting this run's numbers

The run is ``lesson.epochs`` whole epochs of ``Session.run`` on a fresh net from the lesson's setup
(the seed's net: the same numbers every time); each of the lesson's ``compare`` runs is the same on
a Session of its own with one setting changed, so the page's net is the lesson's own. What a lesson
measures of the net itself (its ``measure``) is one of MEASURES.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from . import lessons, pagedata
from .lessons import Run
from .session import DIVERGENCE_FACTOR, METRICS, Session



def run(session: Session, name: str, choice: int, also: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Train the lesson ``name`` on ``session`` and explain it against the prediction ``choice``.

    Returns ``Session.run``'s answer for the page's net (its rows, from the fresh net's epoch 0 on;
    ``also``: the open panels' pictures of the net that ran, as ``Session.run`` gives them) with
    ``lesson``, ``explanation`` (a list of paragraphs) and ``numbers`` (the page net's final
    metrics and epochs, as quoted). ValueError for an unknown lesson or choice, before any training.
    """
    lesson = lessons.get(name)
    lesson.check_choice(choice)  # before any training
    measure = MEASURES[lesson.measure] if lesson.measure else None
    measured, result = train(session, lesson.settings, lesson.epochs, measure, also)
    arms = {
        label: train(Session(session.clock), {**lesson.settings, **change}, lesson.epochs, None)[0]
        for label, change in lesson.compare.items()
    }
    measured = measured._replace(arms=arms)
    numbers = {key: value for key, value in measured._asdict().items() if key not in ("extra", "arms")}
    return {**result, "lesson": name, "explanation": lesson.explain(choice, measured), "numbers": numbers}


def train(session: Session, settings: dict[str, Any], epochs: int, extra: Callable | None,
          also: dict[str, dict[str, Any]] | None = None) -> tuple[Run, dict[str, Any]]:
    """A fresh net from ``settings`` on ``session``, ``epochs`` epochs of ``session.run`` (``also``:
    the pictures its answer carries): what the run showed, and ``run``'s answer."""
    if not session.configure(settings)["fresh"]:
        session.reset()  # same settings as before: a fresh net all the same
    start = session.net.W0.copy()
    data = session.data
    start_loss = pagedata.mean_metrics(session.net, data.X_train, data.y_train)[0]
    result = session.run(epochs=epochs, also=also)
    rows = {name: result[name] for name in METRICS}
    if rows["train_mean_loss"].size:
        final = {name: float(values[-1]) for name, values in rows.items()}
    else:  # diverged within the first epoch: the net went back to its start
        train_loss, train_acc = pagedata.mean_metrics(session.net, data.X_train, data.y_train)
        test_loss, test_acc = pagedata.mean_metrics(session.net, data.X_test, data.y_test)
        final = {"train_mean_loss": train_loss, "test_mean_loss": test_loss, "train_accuracy": train_acc, "test_accuracy": test_acc}
    n = data.y_train.shape[0]
    measured = Run(
        epochs=session.epoch,
        updates=session.updates,
        diverged_at=diverged_at(session, rows["train_mean_loss"]) if result["diverged"] else None,
        train_accuracy=final["train_accuracy"],
        test_accuracy=final["test_accuracy"],
        train_loss=final["train_mean_loss"],
        test_loss=final["test_mean_loss"],
        start_loss=float(start_loss),
        rises=int(np.sum(np.diff(rows["train_mean_loss"]) > 0)),
        updates_per_epoch=math.ceil(n / min(settings["batch"], n)),
        train_points=n,
        extra=extra(session, start) if extra else {},
        arms={},
    )
    return measured, result


def diverged_at(session: Session, train_losses: np.ndarray) -> int:
    """The epoch a diverged run stopped at. A loss past the Session's limit is reported at the epoch
    it was measured; a non-finite one is not, and the net goes back to the epoch before it."""
    limit = DIVERGENCE_FACTOR * math.log(session.net.n_classes)
    reported = train_losses.size and not train_losses[-1] <= limit
    return session.epoch if reported else session.epoch + 1


def init_extra(session: Session, start: np.ndarray) -> dict[str, float]:
    """How different the hidden units are: unit k is (W0[k, :], b0[k], W1[:, k]); ``unit_spread`` is
    the largest |difference| between any unit and unit 0, ``largest_weight`` the largest |parameter|
    of the first layer and W1, ``majority`` the largest class's share of the training points."""
    net = session.net
    units = np.hstack([net.W0, net.b0, net.W1.T])  # H × (D + 1 + C): one row per hidden unit
    counts = np.unique(session.data.y_train, return_counts=True)[1]  # (bincount wants intp: int32 in Pyodide)
    return {
        "unit_spread": float(np.max(np.abs(units - units[0]))),
        "largest_weight": float(np.max(np.abs(units))),
        "majority": float(counts.max() / counts.sum()),
        "units": float(net.n_hidden),
    }


def dead_units(session: Session, start: np.ndarray) -> dict[str, float]:
    """``dead_units``: hidden units whose ReLU gives 0 on every training point (no gradient reaches
    their weights again), of ``units``."""
    s0 = session.net.forward(session.data.X_train).s0
    return {"dead_units": float(np.sum(np.all(s0 <= 0, axis=1))), "units": float(session.net.n_hidden)}


def digits_extra(session: Session, start: np.ndarray) -> dict[str, float]:
    """What the digits' hidden units became: each unit's 64 input weights W0[k] against each digit's
    mean training image (Pearson correlation; a unit's best match is its largest), how far W0 moved
    (‖W0 − W0_start‖ / ‖W0_start‖), and how many different digits the units vote for most
    (argmax over c of W1[c, k])."""
    net, X, y = session.net, session.data.X_train, session.data.y_train
    means = np.stack([X[:, y == digit].mean(axis=1) for digit in range(net.n_classes)])  # 10 × 64

    def best_match(W: np.ndarray) -> np.ndarray:
        a = W - W.mean(axis=1, keepdims=True)
        b = means - means.mean(axis=1, keepdims=True)
        r = (a @ b.T) / np.outer(np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1))
        return r.max(axis=1)

    def median(values: np.ndarray) -> float:  # (np.median imports numpy.ma, which the page's build leaves out)
        ordered = np.sort(values)
        return float(ordered[(ordered.size - 1) // 2] + ordered[ordered.size // 2]) / 2

    now = best_match(net.W0)
    return {
        "template_median": median(now),
        "template_max": float(now.max()),
        "template_start": median(best_match(start)),
        "weight_change": float(np.linalg.norm(net.W0 - start) / np.linalg.norm(start)),
        "units": float(net.n_hidden),
        "digits_voted": float(len(set(net.W1.argmax(axis=0).tolist()))),
    }


MEASURES: dict[str, Callable[[Session, np.ndarray], dict[str, float]]] = {
    "units-alike": init_extra, "dead-units": dead_units, "templates": digits_extra,
}
"""What a lesson may measure of the net itself, beyond its metrics (its ``measure``), each from the
Session after the run and the first layer's weights W0 at its start."""

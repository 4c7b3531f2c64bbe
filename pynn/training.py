"""The training loop: stochastic gradient descent over the spec's summed loss.

Each step takes a batch of B examples (B = 1 is the seed's pure SGD: one random example per step)
and moves every parameter by −lr · (∂L/∂θ / B + λ·θ). An epoch visits every training example once,
in a fresh random order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import _checks
from .model import PARAMETERS, DivergenceError, TwoLayerNet, one_hot


@dataclass
class History:
    """Per-epoch metrics, measured on the whole set after each epoch.

    ``loss`` is the spec's summed NLL over the training set; ``mean_loss`` is it divided by N.
    The ``val_*`` lists are filled only when validation data was given.
    """

    loss: list[float] = field(default_factory=list)
    mean_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_mean_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """How many epochs were completed."""
        return len(self.loss)


Callback = Callable[[int, History], "bool | None"]


def train(
    net: TwoLayerNet,
    X: np.ndarray,
    y: np.ndarray,
    *,
    lr: float,
    epochs: int,
    batch_size: int = 1,
    weight_decay: float = 0.0,
    lr_decay: float = 1.0,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    seed: int | None = None,
    callback: Callback | None = None,
) -> History:
    """Train ``net`` in place on X (D×N) and y (N,) and return its History.

    Epoch e (from 0) uses the learning rate lr · lr_decay**e. A batch_size above N is taken as N.
    ``callback(epoch, history)`` runs after each epoch; returning True stops training.
    A non-finite loss raises DivergenceError, and the net keeps the weights it had before that epoch.
    """
    X, y = net.validate(X, y)
    lr = _checks.positive("lr", lr)
    epochs = _checks.count("epochs", epochs, 1)
    batch_size = min(_checks.count("batch_size", batch_size, 1), X.shape[1])
    weight_decay = _checks.non_negative("weight_decay", weight_decay)
    lr_decay = _checks.positive("lr_decay", lr_decay)
    if lr_decay > 1:
        raise ValueError(f"lr_decay must be in (0, 1], got {lr_decay}")
    if (X_val is None) != (y_val is None):
        raise ValueError("give both X_val and y_val, or neither")
    validation = net.validate(X_val, y_val, ("X_val", "y_val")) if X_val is not None else None

    rng = np.random.default_rng(seed)
    Yoh = one_hot(y, net.n_classes)
    history = History()
    for epoch in range(epochs):
        before = [getattr(net, name).copy() for name in PARAMETERS]
        step = lr * lr_decay**epoch
        with np.errstate(over="ignore", invalid="ignore"):
            _epoch(net, batches(X, Yoh, rng.permutation(X.shape[1]), batch_size), step, weight_decay)
            metrics = measure(net, X, y, validation)
        if not all(np.isfinite(value) for value in metrics.values()):
            net.restore(before)
            raise DivergenceError(
                f"training diverged in epoch {history.epochs + 1}: the loss is not finite. "
                f"Lower the learning rate (now {lr:g})."
            )
        for name, value in metrics.items():
            getattr(history, name).append(value)
        if callback is not None and callback(epoch, history):
            break
    return history


def _epoch(
    net: TwoLayerNet, pairs: list[tuple[np.ndarray, np.ndarray]], lr: float, weight_decay: float
) -> None:
    """One pass of SGD over the (X_batch, Yoh_batch) pairs, in the order given (``TwoLayerNet.step``)."""
    for Xb, Yb in pairs:
        net.step(Xb, Yb, lr, weight_decay)


def batches(X: np.ndarray, Yoh: np.ndarray, order: np.ndarray, batch_size: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split the examples, taken in ``order``, into batches of batch_size columns (the last may be short).

    X is D×N, Yoh C×N, ``order`` a permutation of 0..N−1; each pair is (D×B, C×B). pynn.train and
    the page's Session both cut an epoch with it, so they visit the examples alike.
    """
    if batch_size == 1:  # pure SGD: column slices are views, so no example is copied
        return [(X[:, i : i + 1], Yoh[:, i : i + 1]) for i in order.tolist()]
    return [(X[:, b], Yoh[:, b]) for b in (order[s : s + batch_size] for s in range(0, order.shape[0], batch_size))]


def measure(
    net: TwoLayerNet, X: np.ndarray, y: np.ndarray, validation: tuple[np.ndarray, np.ndarray] | None
) -> dict[str, float]:
    """The History fields for the whole training (and validation) set, keyed as in History:
    ``loss`` L = Σ_i −log h1(x_i)[y_i], ``mean_loss`` L / N and ``accuracy``, from one unchecked
    forward pass of X (D×N) with labels y (N,); ``val_*`` the same for ``validation``."""
    metrics = {}
    for prefix, Xs, ys in [("", X, y)] + ([("val_", *validation)] if validation else []):
        f = net.forward_pass(Xs)
        loss = net.loss_of(f, ys)
        metrics[prefix + "loss"] = loss
        metrics[prefix + "mean_loss"] = loss / ys.shape[0]
        metrics[prefix + "accuracy"] = float(np.mean(f.s1.argmax(axis=0) == ys))
    return metrics

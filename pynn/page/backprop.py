"""One SGD step on one training example (x, y), walked stage by stage, for the page's stepper.

The forward pass comes from ``net.forward`` and the parameter gradients from ``net.gradients``
(the very code that trains); the values in between, which pynn's backward pass never keeps, are
the spec's formulas written out:

    x                                 D×1    the example, y its one-hot label (C×1)
    s0 = W0·x + b0                    H×1
    h0 = ReLU(s0)                     H×1
    s1 = W1·h0 + b1                   C×1
    h1 = softmax(s1)                  C×1
    loss = −log h1[y]                 1×1
    g1 = ∂loss/∂s1 = h1 − y           C×1
    ∂W1 = g1·h0ᵀ,  ∂b1 = g1           C×H, C×1
    W1ᵀ·g1                            H×1
    [s0 > 0]                          H×1    the ReLU mask
    g0 = (W1ᵀ·g1) ⊙ [s0 > 0]          H×1
    ∂W0 = g0·xᵀ,   ∂b0 = g0           H×D, H×1
    θ ← θ − lr·∂θ                     (and −lr·λ·W on W0, W1 with weight decay λ)

The update stage is previewed on a copy of the net through ``TwoLayerNet.sgd_step``, and ``apply``
makes the same call on the net itself, so what the stepper shows is the update that trains.
Results are dicts of plain values and flat float64 arrays (matrices row by row).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import text
from ..model import PARAMETERS, TwoLayerNet

TEXT = text.register({
    "backprop.stage.x": "the input x",
    "backprop.equation.x": "x and its label y (one-hot)",
    "backprop.stage.loss": "the loss term −log h1[y]",
    "backprop.stage.dw1": "∂W1 = g1·h0ᵀ and ∂b1 = g1",
    "backprop.stage.mask": "the ReLU mask [s0 > 0]",
    "backprop.stage.dw0": "∂W0 = g0·xᵀ and ∂b0 = g0",
    "backprop.stage.update": "the update θ ← θ − lr·∂θ",
    "backprop.equation.update-decay": "θ ← θ − lr·(∂θ + λθ)   (λθ on W0 and W1 only)",
    "backprop.infinite": "the update made the loss infinite: lower the learning rate",
})


# key, the stage's name, its equation, and the terms it shows: (label, value, shape in D, H, C).
# A label ending in ᵀ shows its value transposed. A name or an equation with words in it is a text's
# id (TEXT), said in the page's language; maths stays as it is.
STAGES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("x", "backprop.stage.x", "backprop.equation.x", (("x", "x", "D×1"), ("y", "y", "C×1"))),
    ("s0", "s0 = W0·x + b0", "s0 = W0·x + b0",
     (("W0", "W0", "H×D"), ("x", "x", "D×1"), ("b0", "b0", "H×1"), ("s0", "s0", "H×1"))),
    ("h0", "h0 = ReLU(s0)", "h0 = ReLU(s0) = max(s0, 0)", (("s0", "s0", "H×1"), ("h0", "h0", "H×1"))),
    ("s1", "s1 = W1·h0 + b1", "s1 = W1·h0 + b1",
     (("W1", "W1", "C×H"), ("h0", "h0", "H×1"), ("b1", "b1", "C×1"), ("s1", "s1", "C×1"))),
    ("h1", "h1 = softmax(s1)", "h1 = softmax(s1) = exp(s1) / Σ exp(s1)", (("s1", "s1", "C×1"), ("h1", "h1", "C×1"))),
    ("loss", "backprop.stage.loss", "loss = −log h1[y]", (("h1", "h1", "C×1"), ("loss", "loss", "1×1"))),
    ("g1", "g1 = h1 − y", "g1 = ∂loss/∂s1 = h1 − y", (("h1", "h1", "C×1"), ("y", "y", "C×1"), ("g1", "g1", "C×1"))),
    ("dW1", "backprop.stage.dw1", "∂W1 = g1·h0ᵀ,  ∂b1 = g1",
     (("g1", "g1", "C×1"), ("h0ᵀ", "h0", "1×H"), ("∂W1", "dW1", "C×H"), ("∂b1", "db1", "C×1"))),
    ("W1g1", "W1ᵀ·g1", "∂loss/∂h0 = W1ᵀ·g1", (("W1ᵀ", "W1", "H×C"), ("g1", "g1", "C×1"), ("W1ᵀ·g1", "W1g1", "H×1"))),
    ("mask", "backprop.stage.mask", "∂h0/∂s0 = [s0 > 0]", (("s0", "s0", "H×1"), ("[s0 > 0]", "mask", "H×1"))),
    ("g0", "g0 = (W1ᵀ·g1) ⊙ [s0 > 0]", "g0 = ∂loss/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]",
     (("W1ᵀ·g1", "W1g1", "H×1"), ("[s0 > 0]", "mask", "H×1"), ("g0", "g0", "H×1"))),
    ("dW0", "backprop.stage.dw0", "∂W0 = g0·xᵀ,  ∂b0 = g0",
     (("g0", "g0", "H×1"), ("xᵀ", "x", "1×D"), ("∂W0", "dW0", "H×D"), ("∂b0", "db0", "H×1"))),
    ("update", "backprop.stage.update", "θ ← θ − lr·∂θ",
     (("−lr·∂W1", "stepW1", "C×H"), ("−lr·∂b1", "stepb1", "C×1"), ("−lr·∂W0", "stepW0", "H×D"), ("−lr·∂b0", "stepb0", "H×1"))),
)

# The update stage when the L2 weight decay λ is on: the step of W includes −lr·λ·W.
DECAY_UPDATE = (
    "backprop.equation.update-decay",
    (("−lr·(∂W1 + λW1)", "stepW1", "C×H"), ("−lr·∂b1", "stepb1", "C×1"),
     ("−lr·(∂W0 + λW0)", "stepW0", "H×D"), ("−lr·∂b0", "stepb0", "H×1")),
)


YOH = r"y_{\mathrm{oh}}"

TEX: dict[str, str] = {
    "x": rf"x\ (D\times 1),\quad {YOH}\ (C\times 1)\text{{: the label, one-hot}}",
    "s0": r"s_0 = W_0 x + b_0\qquad (H\times 1)",
    "h0": r"h_0 = \operatorname{ReLU}(s_0) = \max(s_0, 0)\qquad (H\times 1)",
    "s1": r"s_1 = W_1 h_0 + b_1\qquad (C\times 1)",
    "h1": r"h_1 = \operatorname{softmax}(s_1) = \frac{e^{s_1}}{\sum_j e^{s_{1,j}}}\qquad (C\times 1)",
    "loss": r"L = -\log h_1[y]",
    "g1": rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
    "dW1": r"\frac{\partial L}{\partial W_1} = g_1 h_0^\top\ (C\times H),\quad \frac{\partial L}{\partial b_1} = g_1\ (C\times 1)",
    "W1g1": r"\frac{\partial L}{\partial h_0} = W_1^\top g_1\qquad (H\times 1)",
    "mask": r"\frac{\partial h_0}{\partial s_0} = [s_0 > 0]\qquad (H\times 1)",
    "g0": r"g_0 = \frac{\partial L}{\partial s_0} = (W_1^\top g_1) \odot [s_0 > 0]\qquad (H\times 1)",
    "dW0": r"\frac{\partial L}{\partial W_0} = g_0 x^\top\ (H\times D),\quad \frac{\partial L}{\partial b_0} = g_0\ (H\times 1)",
    "update": r"\theta \leftarrow \theta - \mathrm{lr}\cdot\frac{\partial L}{\partial \theta}",
}
"""Each stage's equation typeset (one example: lower case); its ``equation`` is the text alternative."""

DECAY_TEX = (r"\theta \leftarrow \theta - \mathrm{lr}\cdot\Bigl(\frac{\partial L}{\partial \theta} + \lambda\theta\Bigr)"
             r"\quad(\lambda\theta\text{ on } W_0, W_1\text{ only})")

DERIVE: dict[str, tuple[str, ...]] = {
    "g1": ("s1",), "dW1": ("W1", "b1"), "W1g1": ("h0",), "mask": ("s0",), "g0": ("s0",), "dW0": ("W0", "b0"),
}
"""The steps of "Derive the gradients" (pynn.page.derive) each backward stage works out."""


def stage_list(D: int, H: int, C: int, weight_decay: float = 0.0) -> list[dict[str, Any]]:
    """The stages in order, each with its key, name, equation and terms' shapes for this net."""
    sizes = {"D": str(D), "H": str(H), "C": str(C)}
    out = []
    for key, name, equation, terms in STAGES:
        if key == "update" and weight_decay:
            equation, terms = DECAY_UPDATE
        shaped = [
            {"label": label, "value": value, "shape": "×".join(sizes.get(n, n) for n in shape.split("×"))}
            for label, value, shape in terms
        ]
        tex = DECAY_TEX if key == "update" and weight_decay else TEX[key]
        out.append({"key": key, "name": _said(name), "equation": _said(equation), "tex": tex, "derive": list(DERIVE.get(key, ())),
                    "terms": shaped})
    return out


def _said(name: str) -> str:
    """A stage's name or equation: the text of an id of TEXT (it has words), else the maths itself."""
    return text.say(name) if name in TEXT else name


def _copy(net: TwoLayerNet) -> TwoLayerNet:
    twin = TwoLayerNet(net.n_inputs, net.n_hidden, net.n_classes, seed=0)
    for name in PARAMETERS:
        setattr(twin, name, getattr(net, name).copy())
    return twin


def walk(net: TwoLayerNet, x: np.ndarray, label: int, lr: float, weight_decay: float = 0.0) -> dict[str, Any]:
    """Every stage's values for the example (x, label) on ``net`` as it is now (the net is unchanged).

    ``step*`` are the changes one ``sgd_step`` at ``lr`` (and ``weight_decay``) makes to each
    parameter, θ_after − θ; ``loss_next`` is the example's loss after that step. A step that would
    diverge leaves the steps at 0, ``loss_next`` NaN and says why in ``update_refused``.
    """
    X = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    y = np.array([int(label)])
    f = net.forward(X)
    loss, grads = net.gradients(X, y)
    onehot = np.zeros((net.n_classes, 1))
    onehot[int(label), 0] = 1.0
    g1 = f.h1 - onehot
    W1g1 = net.W1.T @ g1
    mask = (f.s0 > 0).astype(np.float64)
    g0 = W1g1 * mask
    twin = _copy(net)
    refused = None
    try:
        twin.sgd_step(X, y, lr, weight_decay=weight_decay)
        loss_next = twin.loss(X, y)
    except ValueError as error:  # the step would diverge: the stages before it still hold
        refused, loss_next = str(error), math.nan
    steps = {f"step{name}": (getattr(twin, name) - getattr(net, name)).ravel() for name in PARAMETERS}
    values = {
        "x": X, "y": onehot, "W0": net.W0, "b0": net.b0, "s0": f.s0, "h0": f.h0,
        "W1": net.W1, "b1": net.b1, "s1": f.s1, "h1": f.h1,
        "g1": g1, "dW1": grads["W1"], "db1": grads["b1"], "W1g1": W1g1, "mask": mask, "g0": g0,
        "dW0": grads["W0"], "db0": grads["b0"],
    }
    return {
        **{name: np.array(value, dtype=np.float64).ravel() for name, value in values.items()},
        **steps,
        "label": int(label),
        "loss": float(loss),
        "loss_next": loss_next,
        "update_refused": refused,
        "predicted": int(f.s1[:, 0].argmax()),
        "lr": float(lr),
        "wd": float(weight_decay),
        "D": net.n_inputs,
        "H": net.n_hidden,
        "C": net.n_classes,
        "stages": stage_list(net.n_inputs, net.n_hidden, net.n_classes, weight_decay),
    }


def apply(net: TwoLayerNet, x: np.ndarray, label: int, lr: float, weight_decay: float = 0.0) -> tuple[float, float]:
    """One pure-SGD update of ``net`` on the example (x, label) through ``sgd_step``:
    θ ← θ − lr·(∂θ + λθ). Returns the example's loss (before, after)."""
    X = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    y = np.array([int(label)])
    before = net.sgd_step(X, y, lr, weight_decay=weight_decay)
    after = net.loss(X, y)
    if not math.isfinite(after):
        raise ValueError(text.say("backprop.infinite"))
    return before, after


def nearest(X: np.ndarray, x1: float, x2: float, radius: float) -> int | None:
    """The column of X (2×N) nearest to (x1, x2) if it lies within ``radius``, else None."""
    if X.shape[1] == 0:
        return None
    distances = np.hypot(X[0] - x1, X[1] - x2)
    i = int(distances.argmin())
    return i if distances[i] <= radius else None

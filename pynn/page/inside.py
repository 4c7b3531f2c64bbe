"""Looking inside a net, for the page's classroom panels: every number comes from the net itself.

    explain(net, x, label)        the four equations of the spec for one example x, with its values
    inspect_at(net, sets, x1, x2) the same at a spot of the plane, or at the data point nearest to it
    hidden_units(net, extent)     ReLU(s0_k) over the plane for the first hidden units, one forward pass
    check(net, X, y)              pynn.gradcheck on a small batch, with the pass mark of the spec
    sources()                     the source of forward, loss, gradients and sgd_step as loaded, with
                                  the spec's equations (EQUATIONS: TeX and its text alternative)

Results are dicts of plain values and flat numpy arrays, as pynn.page.session returns them to the page.
"""
from __future__ import annotations

import inspect
import math
import numbers
from typing import Any

import numpy as np

from . import text
from .. import model
from ..gradcheck import gradcheck
from ..model import PARAMETERS, TwoLayerNet

TEXT = text.register({
    "inside.plane-only.inspect": "looking inside at a spot of the plane needs 2-D data (points in the plane); this net has {inputs} inputs",
    "inside.plane-only.units": "picturing the hidden units over the plane needs 2-D data (points in the plane); this net has {inputs} inputs",
    "inside.finite": "{name} must be a finite number, got {value}",
    "inside.radius": "radius must be ≥ 0, got {radius:g}",
})


UNITS_GRID = 24
"""Cells per side of each hidden unit's picture."""

UNITS_SHOWN = 16
"""At most this many hidden units are pictured (the first ones)."""

GRADCHECK_EXAMPLES = 8
GRADCHECK_PASS = 1e-6
"""The spec's bound: hand-derived gradients agree with finite differences below this relative error."""

# What the code panel shows: for each of the four public methods, the functions it runs, in order.
SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("forward", ("TwoLayerNet.forward", "TwoLayerNet._finite_forward", "TwoLayerNet.forward_pass", "relu", "softmax")),
    ("loss", ("TwoLayerNet.loss", "TwoLayerNet.loss_of", "log_softmax")),
    ("gradients", ("TwoLayerNet.gradients", "TwoLayerNet.backward_pass", "one_hot", "column_sum")),
    ("sgd_step", ("TwoLayerNet.sgd_step", "TwoLayerNet.step", "TwoLayerNet._update")),
)


YOH = r"y_{\mathrm{oh}}"

# The spec's equations (docs/model.md) as the page shows them beside the code and in the inspect
# panel: for each public method, (name, TeX, plain-text alternative, shape), one example (lower
# case); the shape is shown beside the equation ("" when it has none).
EQUATIONS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "forward": (
        ("s0", r"s_0 = W_0 x + b_0", "s0 = W0·x + b0", "H×1"),
        ("h0", r"h_0 = \operatorname{ReLU}(s_0)", "h0 = ReLU(s0)", "H×1"),
        ("s1", r"s_1 = W_1 h_0 + b_1", "s1 = W1·h0 + b1", "C×1"),
        ("h1", r"h_1 = \operatorname{softmax}(s_1)", "h1 = softmax(s1)", "C×1"),
        ("p", r"h_1[i] = P(Y = c_i \mid x)", "h1[i] = P(Y = c_i | x)", ""),
    ),
    "loss": (
        ("L", r"L = -\sum_i \log h_1(x_i)[y_i] = -\sum_i \sum_j Y_{\mathrm{oh}}[j, i]\,\log h_1(x_i)[j]",
         "L = −Σ_i log h1(x_i)[y_i] = −Σ_i Σ_j Yoh[j, i] · log h1(x_i)[j]", ""),
    ),
    "gradients": (
        ("g1", rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}", "g1 = ∂L/∂s1 = h1 − yoh", "C×1"),
        ("W1", r"\frac{\partial L}{\partial W_1} = g_1 h_0^\top", "∂L/∂W1 = g1·h0ᵀ", "C×H"),
        ("b1", r"\frac{\partial L}{\partial b_1} = g_1", "∂L/∂b1 = g1", "C×1"),
        ("g0", r"g_0 = \frac{\partial L}{\partial s_0} = (W_1^\top g_1) \odot [s_0 > 0]",
         "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]", "H×1"),
        ("W0", r"\frac{\partial L}{\partial W_0} = g_0 x^\top", "∂L/∂W0 = g0·xᵀ", "H×D"),
        ("b0", r"\frac{\partial L}{\partial b_0} = g_0", "∂L/∂b0 = g0", "H×1"),
    ),
    "sgd_step": (
        ("theta", r"\theta \leftarrow \theta - \mathrm{lr}\cdot\Bigl(\frac{1}{B}\,\frac{\partial L}{\partial \theta} + \lambda\theta\Bigr)",
         "θ ← θ − lr·(∂L/∂θ / B + λ·θ)", ""),
    ),
}


def equations() -> dict[str, list[dict[str, str]]]:
    """EQUATIONS as the page reads them: method → [{"name", "tex", "text", "shape"}]."""
    return {method: [{"name": name, "tex": tex, "text": text, "shape": shape} for name, tex, text, shape in rows]
            for method, rows in EQUATIONS.items()}


def _plane_only(net: TwoLayerNet, refusal: str) -> None:
    """Nothing for a net of the plane (D = 2); else the ValueError of the text ``refusal``."""
    if net.n_inputs != 2:
        raise ValueError(text.say(refusal, inputs=net.n_inputs))


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(text.say("inside.finite", name=name, value=repr(str(value)[:40])))
    return float(value)


def explain(net: TwoLayerNet, x: np.ndarray, label: int | None = None) -> dict[str, Any]:
    """One column x (length D) through ``net.forward``: s0, h0, s1, h1, the predicted class and,
    when the true ``label`` y is known, the loss term −log h1[y] (from ``net.loss``, so log-softmax).

    ``active`` marks the hidden units that ReLU passes (s0 > 0); the others are zeroed.
    """
    X = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    f = net.forward(X)
    result: dict[str, Any] = {
        "x": X[:, 0].copy(),
        "s0": f.s0[:, 0].copy(),
        "h0": f.h0[:, 0].copy(),
        "active": (f.s0[:, 0] > 0).astype(np.uint8),
        "s1": f.s1[:, 0].copy(),
        "h1": f.h1[:, 0].copy(),
        "predicted": int(f.s1[:, 0].argmax()),
        "label": None,
        "loss": None,
    }
    if label is not None:
        result["label"] = int(label)
        result["loss"] = net.loss(X, np.array([label]))
    return result


def inspect_at(
    net: TwoLayerNet, sets: dict[str, tuple[np.ndarray, np.ndarray]], x1: object, x2: object, radius: object = 0.0
) -> dict[str, Any]:
    """``explain`` at the spot (x1, x2); if a point of one of the data ``sets`` (name → (X, y)) lies
    within ``radius`` of it, at the nearest such point instead, with its label and loss term.

    ``point`` names the set of that point (None for an empty spot) and ``index`` its column.
    """
    _plane_only(net, "inside.plane-only.inspect")
    spot = np.array([[_number("x1", x1)], [_number("x2", x2)]])
    radius = _number("radius", radius)
    if radius < 0:
        raise ValueError(text.say("inside.radius", radius=radius))
    best: tuple[float, str, int] | None = None
    for name, (X, _y) in sets.items():
        if X.shape[1] == 0:
            continue
        distances = np.hypot(X[0] - spot[0, 0], X[1] - spot[1, 0])
        i = int(distances.argmin())
        if distances[i] <= radius and (best is None or distances[i] < best[0]):
            best = (float(distances[i]), name, i)
    if best is None:
        return {**explain(net, spot[:, 0]), "point": None, "index": None}
    _, name, i = best
    X, y = sets[name]
    return {**explain(net, X[:, i], int(y[i])), "point": name, "index": i}


def plane(extent: float, size: int) -> np.ndarray:
    """The centres of a size×size grid over [−extent, extent]², as columns (2×size²), row by row
    from the top-left corner (row 0 has the largest x2), like the page's decision grid."""
    centres = (np.arange(size) + 0.5) * (2 * extent / size) - extent
    gx, gy = np.meshgrid(centres, centres[::-1])
    return np.vstack([gx.ravel(), gy.ravel()])


def hidden_units(net: TwoLayerNet, extent: float, size: int = UNITS_GRID, shown: int = UNITS_SHOWN) -> dict[str, Any]:
    """h0_k = ReLU(s0_k) over the plane for the first ``shown`` hidden units, from ONE forward pass.

    ``units`` (float32) holds the pictures one after another, each size² values row by row from the
    top-left; ``units_max`` (float32) is each picture's largest value (0: the unit is dead here).
    """
    _plane_only(net, "inside.plane-only.units")
    count = min(shown, net.n_hidden)
    h0 = net.forward(plane(extent, size)).h0[:count]
    return {
        "units_size": size,
        "units_shown": count,
        "units_total": net.n_hidden,
        "units": h0.astype(np.float32).ravel(),
        "units_max": h0.max(axis=1).astype(np.float32),
    }


def check(net: TwoLayerNet, X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """``pynn.gradcheck`` on (X, y): the relative error of each parameter's gradient, and whether it
    is below the spec's 1e-6. The net is left as it was."""
    errors = gradcheck(net, X, y)
    return {
        "parameters": list(PARAMETERS),
        "errors": {name: float(errors[name]) for name in PARAMETERS},
        "passed": {name: bool(errors[name] < GRADCHECK_PASS) for name in PARAMETERS},
        "threshold": GRADCHECK_PASS,
        "examples": int(X.shape[1]),
    }


def sources() -> dict[str, Any]:
    """The source text of the functions in SOURCES, read from the installed pynn.model module by
    ``inspect`` (so the page shows the very code that trains), with the file and first line."""
    sections = []
    for method, names in SOURCES:
        parts = []
        for name in names:
            target: Any = model
            for attribute in name.split("."):
                target = getattr(target, attribute)
            lines, first = inspect.getsourcelines(target)
            parts.append({"name": name, "line": first, "code": "".join(lines)})
        sections.append({"method": method, "parts": parts})
    return {"file": inspect.getsourcefile(model), "sections": sections, "equations": equations()}

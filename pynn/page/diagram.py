"""What the page's network diagram draws: the weights of the units shown and the nodes' values.

    strongest(net, shown)            the hidden units with the largest ‖W0[k]‖·‖W1[:, k]‖
    diagram(net, x, extent, shown)   their weights, the nodes' values at x, their pictures

A unit's strength ‖W0[k]‖·‖W1[:, k]‖ bounds how much a change of the input can move the scores
through it (ignoring ReLU), so for large H these are the units that matter most to the output.
Results are dicts of plain values and flat arrays, as pynn.page.session returns them to the page.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import inside
from ..model import TwoLayerNet

SHOWN = 16
"""At most this many hidden units are drawn: the strongest."""


def strongest(net: TwoLayerNet, shown: int = SHOWN) -> np.ndarray:
    """The indices of the ``shown`` hidden units with the largest ‖W0[k]‖·‖W1[:, k]‖, in index order
    (so a unit keeps its place in the diagram while the set stays the same)."""
    if net.n_hidden <= shown:
        return np.arange(net.n_hidden)
    strength = np.linalg.norm(net.W0, axis=1) * np.linalg.norm(net.W1, axis=0)
    # A stable sort, so equal strengths (e.g. all zero) keep the lower indices.
    return np.sort(np.argsort(-strength, kind="stable")[:shown])


def diagram(net: TwoLayerNet, x: np.ndarray | None, extent: float | None, shown: int = SHOWN) -> dict[str, Any]:
    """The diagram of ``net`` with its nodes' values at the example x (length D, or None for none).

    ``units`` are the hidden units drawn (``strongest``); ``W0`` (shown×D) and ``W1`` (C×shown) their
    weights, row by row; ``x``, ``h0`` (of the units drawn) and ``h1`` the nodes' values (empty
    without x). For 2-D data ``pictures`` holds each drawn unit's ReLU(s0_k) over the plane, one
    ``picture_size``² picture after another, and ``pictures_max`` each one's largest value.
    """
    units = strongest(net, shown)
    result: dict[str, Any] = {
        "D": net.n_inputs,
        "H": net.n_hidden,
        "C": net.n_classes,
        "units": units.astype(np.int32),
        "W0": net.W0[units].astype(np.float64).ravel(),
        "W1": net.W1[:, units].astype(np.float64).ravel(),
        "x": np.zeros(0),
        "h0": np.zeros(0),
        "h1": np.zeros(0),
    }
    if x is not None:
        f = net.forward(np.asarray(x, dtype=np.float64).reshape(-1, 1))
        result.update(x=np.asarray(x, dtype=np.float64).ravel().copy(), h0=f.h0[units, 0].copy(), h1=f.h1[:, 0].copy())
    if net.n_inputs == 2 and extent is not None:
        size = inside.UNITS_GRID
        h0 = net.forward(inside.plane(extent, size)).h0[units]
        result.update(picture_size=size, pictures=h0.astype(np.float32).ravel(), pictures_max=h0.max(axis=1).astype(np.float32))
    return result

"""A Session's training state handed from one Python to the other, as plain values and flat arrays.

While the student trains with their own code, the page's training runs in the sandbox's Python
(web/start/sandbox.js), not in the training worker: turning it on hands the training worker's
state over (``export``, then ``restore`` in the sandbox), turning it off hands it back. The data,
the weights, the settings and the counters travel; the current epoch's order is drawn again from
the seed and the epoch, as ``Session.run`` draws it.

What comes back from the sandbox was made next to the student's code, so ``restore`` trusts
nothing in it: every value is checked (types, shapes against the settings, lengths, ranges) and a
ValueError says what is wrong, leaving the Session as it was.

    state = export(session)            # {"settings", "epoch", …, "X_train": float64 D·N, "shapes": {…}}
    restore(other, **state)            # the same net and data in another Session
    take_over(other, **state)          # the same, with pynn's code, answered as the page expects

The workers call ``export`` and ``take_over`` as ``export_state`` and ``import_state``
(pynn.page.calls).
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from . import text
from ..model import PARAMETERS, TwoLayerNet
from .pagedata import Data
from .session import Session
from .settings import n_classes, n_inputs, validate

TEXT = text.register({
    "handover.count": "{what} must be a whole number from 0, got {value}",
    "handover.buffer": "{name} must be a buffer of {dtype} values",
    "handover.size": "{name} has {found} values, its shape {shape} needs {needed}",
    "handover.shapes": "shapes must be a dict of array name → shape",
    "handover.shape-list": "shapes[{name}] must be a list of whole numbers",
    "handover.shape": "{name} has shape {found}, the settings (D={d}, H={h}, C={c}) need {expected}",
    "handover.too-many": "{n} examples are more than the page holds ({limit})",
    "handover.unknown": "unknown part of the state {name}",
    "handover.settings": "settings must be a dict",
    "handover.diverged": "diverged must be None or a message",
    "handover.paused": "paused_by_code must be true or false, and true only with a message",
    "handover.extent": "extent must be a number > 0, got {value}",
    "handover.labels": "{name} has labels outside 0 … {last}",
    "handover.not-finite": "the data has values that are not finite",
})


DATA = ("X_train", "X_test", "y_train", "y_test")
"""The data's arrays: X as float64 (D×N, flattened row by row), y as int32 labels."""

MAX_POINTS = 20_000
"""More examples than any data set of the page has (the digits: 1,797)."""


def export(session: Session) -> dict[str, Any]:
    """The state training goes on from: ``settings``, ``epoch``, ``position``, ``updates``,
    ``extent``, ``diverged`` (with ``paused_by_code``), ``picked``, the data (DATA) and the weights
    (PARAMETERS), each array flat with its shape in ``shapes``."""
    session.need_net()
    net, data = session.net, session.data
    arrays = {
        "X_train": data.X_train, "X_test": data.X_test,
        "y_train": data.y_train.astype(np.int32), "y_test": data.y_test.astype(np.int32),
        **{name: getattr(net, name) for name in PARAMETERS},
    }
    return {
        "settings": dict(session.settings),
        "epoch": session.epoch,
        "position": session.position,
        "updates": session.updates,
        "extent": float(data.extent),
        "diverged": session.diverged,
        "paused_by_code": session.paused_by_code,
        "picked": session.picked,
        "shapes": {name: list(array.shape) for name, array in arrays.items()},
        **{name: np.ascontiguousarray(array, dtype=np.int32 if name.startswith("y") else np.float64).ravel()
           for name, array in arrays.items()},
    }


def _short(value: Any) -> str:
    return repr(value)[:40]


def _count(value: Any, what: str, high: float = math.inf) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 0 <= value <= high:
        raise ValueError(text.say("handover.count", what=what, value=_short(value)))
    return int(value)


def _array(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` (a buffer of float64, or int32 for labels) as an array of ``shape``."""
    dtype = np.int32 if name.startswith("y") else np.float64
    try:
        flat = np.frombuffer(value, dtype=dtype) if not isinstance(value, (list, np.ndarray)) else np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(text.say("handover.buffer", name=name, dtype=np.dtype(dtype).name)) from None
    if flat.ndim != 1 or flat.size != math.prod(shape):
        raise ValueError(text.say("handover.size", name=name, found=flat.size, shape="×".join(map(str, shape)),
                                  needed=math.prod(shape)))
    return flat.reshape(shape).copy()


def _shapes(shapes: Any, settings: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    """The arrays' shapes, checked against each other and against the settings' D, H and C."""
    if not isinstance(shapes, dict):
        raise ValueError(text.say("handover.shapes"))
    D, H, C = n_inputs(settings), settings["hidden"], n_classes(settings)
    found: dict[str, tuple[int, ...]] = {}
    for name in (*DATA, *PARAMETERS):
        shape = shapes.get(name)
        if not isinstance(shape, (list, tuple)) or not all(isinstance(n, int) and not isinstance(n, bool) for n in shape):
            raise ValueError(text.say("handover.shape-list", name=repr(name)))
        found[name] = tuple(shape)
    n_train, n_test = (found[name][-1] if len(found[name]) == 2 else -1 for name in ("X_train", "X_test"))
    expected = {
        "X_train": (D, n_train), "X_test": (D, n_test), "y_train": (n_train,), "y_test": (n_test,),
        "W0": (H, D), "b0": (H, 1), "W1": (C, H), "b1": (C, 1),
    }
    for name, shape in expected.items():
        if found[name] != shape or min(shape, default=0) < 0:
            raise ValueError(text.say("handover.shape", name=name, found=str(found[name]), d=D, h=H, c=C, expected=str(shape)))
    if n_train + n_test > MAX_POINTS:
        raise ValueError(text.say("handover.too-many", n=n_train + n_test, limit=MAX_POINTS))
    return found


def restore(session: Session, *, settings: Any, epoch: Any, position: Any, updates: Any, extent: Any,
            diverged: Any, paused_by_code: Any, picked: Any, shapes: Any, **arrays: Any) -> None:
    """Make ``session`` train on from an ``export``ed state (its own or another Python's), with
    pynn's code; a ValueError says what is wrong and leaves ``session`` as it was."""
    unknown = sorted(set(arrays) - set(DATA) - set(PARAMETERS))
    if unknown:
        raise ValueError(text.say("handover.unknown", name=repr(unknown[0][:40])))
    clean = validate(settings) if isinstance(settings, dict) else None
    if clean is None:
        raise ValueError(text.say("handover.settings"))
    found = _shapes(shapes, clean)
    values = {name: _array(arrays.get(name), name, found[name]) for name in found}
    n = found["y_train"][0]
    epoch, updates = _count(epoch, "epoch"), _count(updates, "updates")
    position = _count(position, "position", max(n - 1, 0))
    if picked is not None:
        picked = _count(picked, "picked", n - 1)
    if diverged is not None and not isinstance(diverged, str):
        raise ValueError(text.say("handover.diverged"))
    if not isinstance(paused_by_code, bool) or (paused_by_code and diverged is None):
        raise ValueError(text.say("handover.paused"))
    if isinstance(extent, bool) or not isinstance(extent, numbers.Real) or not 0 < extent < 1e6:
        raise ValueError(text.say("handover.extent", value=_short(extent)))
    C = n_classes(clean)
    for name in ("y_train", "y_test"):
        if values[name].size and not (0 <= values[name].min() and values[name].max() < C):
            raise ValueError(text.say("handover.labels", name=name, last=C - 1))
    if not all(np.isfinite(values[name]).all() for name in ("X_train", "X_test")):
        raise ValueError(text.say("handover.not-finite"))
    net = TwoLayerNet(n_inputs(clean), clean["hidden"], C)
    for name in PARAMETERS:
        setattr(net, name, values[name])
    session.settings, session.student = clean, None
    session.take(Data(values["X_train"], values["X_test"], values["y_train"].astype(np.intp),
                      values["y_test"].astype(np.intp), float(extent)))
    session.start(net)
    session.epoch, session.position, session.updates = epoch, position, updates
    session.order = np.random.default_rng([clean["seed"], epoch]).permutation(n) if position else None
    session.diverged, session.paused_by_code, session.picked = diverged, paused_by_code, picked


def take_over(session: Session, **state: Any) -> dict[str, Any]:
    """``restore`` ``state`` into ``session``, where a pause that the student's code caused in the
    other Python ends; returns ``session.edited()``. A ValueError leaves the session as it was."""
    restore(session, **state)
    session.end_pause()
    return session.edited()

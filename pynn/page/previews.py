"""What the page draws on the plane before Python has started: each generated 2-D data set at its
default setup, made by pynn's own generators when the site is built (build.py runs this module in
Pyodide under Node and writes dist/previews.json). The page never generates points itself.

    previews() == {"keys": ["dataset", "classes", ...],          # the settings the points depend on
                   "datasets": {"spiral": {"settings": {...}, "extent": 1.5, "classes": 3,
                                           "train_xy": [x1, x2, x1, x2, ...], "train_y": [...],
                                           "test_xy": [...], "test_y": [...]}, ...}}
"""
from __future__ import annotations

import json
from typing import Any

from . import pagedata
from .settings import GENERATED, defaults, validate

DATA_KEYS = ("dataset", "classes", "points", "noise", "split", "seed")
"""The settings pagedata.make reads: a link that differs in any of them shows a preview, not its points."""

DECIMALS = 4
"""Places kept of each coordinate: well under a pixel of a 1000-pixel plane."""


def previews() -> dict[str, Any]:
    """DATA_KEYS, and each generated 2-D data set (not the digits, not your own points) at the page's defaults,
    with the default class count fitted to its range: the points exactly as a Session makes them
    (pagedata.make, then pagedata.points), rounded to DECIMALS places."""
    out = {}
    for name, (low, high) in GENERATED.items():
        settings = validate({**defaults(), "dataset": name, "classes": min(high, max(low, defaults()["classes"]))})
        data = pagedata.make(settings, None, {})
        drawn = pagedata.points(data)
        out[name] = {
            "settings": settings,
            "extent": data.extent,
            "classes": settings["classes"],
            **{key: [round(float(v), DECIMALS) for v in drawn[key]] for key in ("train_xy", "test_xy")},
            **{key: drawn[key].tolist() for key in ("train_y", "test_y")},
        }
    return {"keys": list(DATA_KEYS), "datasets": out}


def previews_json() -> str:
    """``previews()`` as compact JSON text (dist/previews.json)."""
    return json.dumps(previews(), separators=(",", ":"))

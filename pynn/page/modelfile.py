"""The page's model file: a trained net as JSON, with the setup that trained it.

    {"format": "pynn.TwoLayerNet", "version": 1, "n_inputs": 2, "n_hidden": 32, "n_classes": 3,
     "W0": [[…], …], "b0": …, "W1": …, "b1": …,          ← TwoLayerNet.to_dict()
     "settings": {"dataset": "spiral", "classes": 3, …},  ← the page's settings (the URL hash's keys)
     "epoch": 120,                                        ← how long it had trained
     "data": {"train": [[x1, x2, label], …], "test": […]}} ← only for your own points (dataset "custom")

``parse`` accepts such a file, or a bare ``to_dict()`` (no settings: the page keeps its own setup);
anything else — not JSON, not pynn's, truncated, inconsistent, over MAX_BYTES, nested deeper than
pynn.page.jsonfile allows (checked before it is parsed) — is a ValueError saying what is wrong, and
nothing is changed.
"""
from __future__ import annotations

import json
from typing import Any, NamedTuple

import numpy as np

from . import csvdata, jsonfile, text
from ..model import TwoLayerNet
from .text import say  # by name: `text` is the file's argument here
from .settings import MODEL_MAX_BYTES as MAX_BYTES  # the page checks the size before reading too; a 64-512-10 net is ~0.7 MB

TEXT = text.register({
    "modelfile.not-text": "a model file must be text, got {type}",
    "modelfile.too-large": "the file is larger than {mb} MB: not a pynn model",
    "modelfile.this-file": "this model file",
    "modelfile.truncated": "it ends too early (truncated?)",
    "modelfile.where": "line {line}, column {column}",
    "modelfile.not-json": "not a pynn model: the file is not valid JSON ({where}: {error})",
    "modelfile.not-object": "not a pynn model: expected a JSON object with W0, b0, W1, b1",
    "modelfile.settings": "malformed pynn model: settings must be an object",
    "modelfile.epoch": "malformed pynn model: epoch must be a whole number ≥ 0, got {value}",
    "modelfile.data": "malformed pynn model: data must hold train and test lists of [x1, x2, label]",
    "modelfile.point": "malformed pynn model: each {part} point must be [x1, x2, label]",
    "modelfile.numbers": "malformed pynn model: the {part} points must be numbers",
    "modelfile.part": "malformed pynn model: {part} data",
    "modelfile.too-many": "malformed pynn model: more than {limit:,} points",
})



class ModelFile(NamedTuple):
    net: TwoLayerNet
    settings: dict[str, Any] | None
    epoch: int
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None  # X_train, X_test, y_train, y_test


def dumps(net: TwoLayerNet, settings: dict[str, Any], epoch: int, data: tuple | None = None) -> str:
    """The file's text; ``data`` (X_train, X_test, y_train, y_test) is written when given."""
    content: dict[str, Any] = {**net.to_dict(), "settings": dict(settings), "epoch": int(epoch)}
    if data is not None:
        X_train, X_test, y_train, y_test = data
        content["data"] = {
            "train": [[x1, x2, label] for x1, x2, label in zip(*X_train.tolist(), y_train.tolist())],
            "test": [[x1, x2, label] for x1, x2, label in zip(*X_test.tolist(), y_test.tolist())],
        }
    return json.dumps(content, separators=(",", ":"))


def parse(text: str) -> ModelFile:
    """The net, settings, epoch and data of a model file's text; ValueError for anything else."""
    if not isinstance(text, str):
        raise ValueError(say("modelfile.not-text", type=type(text).__name__))
    if len(text) > MAX_BYTES:
        raise ValueError(say("modelfile.too-large", mb=MAX_BYTES // 1_000_000))
    jsonfile.check(text, say("modelfile.this-file"), MAX_BYTES)
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        truncated = error.pos >= len(text.rstrip()) or jsonfile.unclosed_string(text, error.pos)
        where = say("modelfile.truncated") if truncated else say("modelfile.where", line=error.lineno, column=error.colno)
        raise ValueError(say("modelfile.not-json", where=where, error=say(jsonfile.reason(error)))) from None
    if not isinstance(content, dict):
        raise ValueError(say("modelfile.not-object"))
    net = TwoLayerNet.from_dict(content)
    settings = content.get("settings")
    if settings is not None and not isinstance(settings, dict):
        raise ValueError(say("modelfile.settings"))
    epoch = content.get("epoch", 0)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise ValueError(say("modelfile.epoch", value=repr(str(epoch)[:20])))
    data = content.get("data")
    if data is not None:
        data = _data(data)
    return ModelFile(net, settings, epoch, data)


def _data(data: object) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if not isinstance(data, dict) or not all(isinstance(data.get(part), list) for part in ("train", "test")):
        raise ValueError(say("modelfile.data"))
    parts = []
    for part in ("train", "test"):
        rows = data[part]
        if not all(isinstance(row, list) and len(row) == 3 for row in rows):
            raise ValueError(say("modelfile.point", part=part))
        try:
            X = np.array([row[:2] for row in rows], dtype=np.float64).reshape(-1, 2).T
            y = np.array([row[2] for row in rows], dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(say("modelfile.numbers", part=part)) from None
        X, y = csvdata.check_points(X, y, say("modelfile.part", part=part))
        parts.append((X, y))
    (X_train, y_train), (X_test, y_test) = parts
    if X_train.shape[1] + X_test.shape[1] > csvdata.MAX_ROWS:
        raise ValueError(say("modelfile.too-many", limit=csvdata.MAX_ROWS))
    return X_train, X_test, y_train, y_test

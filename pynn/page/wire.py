"""What crosses between the sandbox and the judge: plain data, never a verdict.

The sandbox runs a student's function on inputs the judge chose and sends back what came out;
the judge (in the training worker, where no student code runs) reads it here, field by field,
before anything compares it. One value, in either direction, is one of:

    {"kind": "array", "shape": [n, …], "dtype": "float64", "data": numbers}
                     an ndarray: its shape, its dtype's name and its numbers (float64, in C
                     order, as a list, a buffer or a float64 array); no "data" for a dtype that
                     holds no numbers (bool, complex, object, …) or past SANDBOX_ANSWER's max_elements
    {"kind": "number", "value": 1.5}        an int or a float (not a bool)
    {"kind": "none"}                        None
    {"kind": "dict", "items": {"W0": value, …}}          string keys, each value flat (no dict,
    {"kind": "tuple" | "list", "items": [value, …]}       tuple or list inside)
    {"kind": "other", "type": "str"}        anything else, by its type's name
    {"kind": "raised", "type": "ValueError", "message": "…", "line": 3, "cause": "arrays"}   the call
                     raised (no "line" where none of the student's lines is in its traceback; "cause":
                     pynn.page.causes' code, "" for none)

    encode(value)          a Python value as such data (the sandbox's side)
    read(data, where)      the data as a Python value the judge can look at: an ndarray (float64),
                           Opaque (an array without numbers), a float, None, a dict, tuple or list,
                           Other, Raised; ValueError naming ``where`` and what is wrong
    read_answer(answer, count)   a sandbox's whole answer to a run: {"error", "outputs"}

No field is ever None in data written here: Pyodide hands a None inside a list to JavaScript as
undefined, which the page's check of messages refuses; a field left out says "none". Read back, a
null (JSON) or a missing field are the same.

Every limit is SANDBOX_ANSWER's (pynn.page.settings; web/start/messages.js checks the same ones
before the answer reaches Python). Nothing read here is trusted to be what the student's code
returned: a forged answer can at most hand in other numbers, which are then judged as numbers.
"""
from __future__ import annotations

import math
import numbers
import re
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import causes, text
from .settings import SANDBOX_ANSWER

TEXT = text.register({
    "wire.kind.null": "null",
    "wire.kind.boolean": "true/false",
    "wire.kind.whole": "a whole number",
    "wire.kind.number": "a number",
    "wire.kind.text": "text",
    "wire.kind.list": "a list",
    "wire.kind.object": "an object",
    "wire.text": "{where} must be text, not {kind}",
    "wire.text-long": "{where} is {chars:,} characters; at most {limit:,}",
    "wire.whole": "{where} must be a whole number, not {kind}",
    "wire.whole-range": "{where} must be from {low:,} to {high:,}, not {value:,.0f}",
    "wire.number": "{where} must be a number, not {kind}",
    "wire.too-large": "{where} is too large for a float",
    "wire.object": "{where} must be an object, not {kind}",
    "wire.field": "{where} has no {field}",
    "wire.float64-row": "{where} must be float64 numbers in one row",
    "wire.float64-buffer": "{where} must be float64 numbers (a Float64Array), not format {format}",
    "wire.count": "{where} holds {found:,} numbers, not {size:,}",
    "wire.numbers": "{where} must be a list of numbers, not {kind}",
    "wire.shape-list": "{where}.shape must be a list, not {kind}",
    "wire.shape-dims": "{where}.shape has {dims} dimensions; at most {limit}",
    "wire.dtype": "{where}.dtype is not a dtype's name",
    "wire.no-numbers": "{where} holds real numbers but came without them",
    "wire.opaque-numbers": "{where} must come without numbers (dtype {dtype}, {size:,} elements)",
    "wire.where.value": "the value",
    "wire.kind-choice": "{where}.kind must be one of {kinds}, not {kind}",
    "wire.items-object": "{where}.items must be an object, not {kind}",
    "wire.items-keys": "{where}.items has {found} keys; at most {limit}",
    "wire.where.key": "a key of {where}.items",
    "wire.items-list": "{where}.items must be a list, not {kind}",
    "wire.items-count": "{where}.items has {found} items; at most {limit}",
    "wire.where.answer": "the answer",
    "wire.outputs": "the answer's outputs must be a list, not {kind}",
    "wire.where.error": "the answer's error",
    "wire.where.error-line": "the answer's error.line",
    "wire.error-and-outputs": "an answer with an error has no outputs",
    "wire.where.error-message": "the answer's error.message",
    "wire.output-count": "the answer holds {found} outputs for {count} calls",
    "wire.where.output": "output {index}",
    "wire.cause": "{where}.cause must be one of {causes}",
    "wire.where.error-type": "the answer's error.type",
})


MAX_ELEMENTS = SANDBOX_ANSWER["max_elements"]
MAX_ITEMS = SANDBOX_ANSWER["max_items"]
MAX_DIMS = SANDBOX_ANSWER["max_dims"]
MAX_TEXT = SANDBOX_ANSWER["max_text"]
MAX_NAME = SANDBOX_ANSWER["max_name"]
MAX_OUTPUTS = SANDBOX_ANSWER["max_outputs"]
KINDS = ("array", "number", "none", "dict", "tuple", "list", "other", "raised")
FLAT = ("array", "number", "none", "other")
"""The kinds a dict's or a sequence's items may be (one level of nesting: what the exercises return)."""
_DTYPE = re.compile(r"[a-z][a-z0-9_]{0,19}")
_REAL = re.compile(r"(u?int|float)(8|16|32|64|128)")
_MAX_DIM = 2**31


@dataclass(frozen=True)
class Opaque:
    """An array that came without its numbers: its dtype holds none a check can use, or it is
    larger than any answer can be."""

    shape: tuple[int, ...]
    dtype: str


@dataclass(frozen=True)
class Other:
    """A value that is neither an array, a number, None, a dict nor a sequence: its type's name."""

    type: str


@dataclass(frozen=True)
class Raised:
    """The student's function raised: the exception's type, its message, the line in their code and
    what it was about (pynn.page.causes' code, "" for nothing recognised)."""

    type: str
    message: str
    line: int | None
    cause: str = ""

    def text(self) -> str:
        """The exception as the page shows it: "ValueError: …", or the type alone."""
        return f"{self.type}: {self.message}" if self.message else self.type


# -- the sandbox's side: a Python value as data -----------------------------------------------------


def _real_dtype(name: str) -> bool:
    """Whether a dtype of this name holds real numbers (ints and floats, not bool or complex)."""
    return bool(_REAL.fullmatch(name))


def array(value: np.ndarray) -> dict[str, Any]:
    """An ndarray as data. A subclass is read as the plain ndarray it is a view of (its own methods,
    which may say anything, are not asked), its numbers as float64."""
    plain = np.ndarray.view(value, np.ndarray)
    dtype = plain.dtype.name if _DTYPE.fullmatch(plain.dtype.name) else "unsupported"
    shape = [int(n) for n in plain.shape]
    found = {"kind": "array", "shape": shape, "dtype": dtype}
    if _real_dtype(dtype) and plain.size <= MAX_ELEMENTS:
        found["data"] = np.ascontiguousarray(plain, dtype=np.float64).reshape(-1)
    return found


def type_name(value: Any) -> str:
    """The name of the value's type, cut to MAX_NAME ("object" where it cannot be read)."""
    try:
        return str(type(value).__name__)[:MAX_NAME]
    except Exception:  # a class whose name cannot be read: it is still "something else"
        return "object"


def _flat(value: Any) -> dict[str, Any]:
    if value is None:
        return {"kind": "none"}
    if isinstance(value, np.ndarray):
        return array(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        try:
            return {"kind": "number", "value": float(value)}
        except OverflowError:  # an int too large for a float: not a number a check can use
            pass
    return {"kind": "other", "type": type_name(value)}


def encode(value: Any) -> dict[str, Any]:
    """What the student's function returned, as data: a dict's string keys and a tuple's or list's
    items one level deep (at most MAX_ITEMS), anything else flat."""
    try:
        if isinstance(value, dict):
            items = {key: _flat(item) for key, item in list(value.items())[:MAX_ITEMS]
                     if isinstance(key, str) and len(key) <= MAX_NAME}
            return {"kind": "dict", "items": items}
        if isinstance(value, (tuple, list)):
            return {"kind": "tuple" if isinstance(value, tuple) else "list", "items": [_flat(item) for item in value[:MAX_ITEMS]]}
        return _flat(value)
    except Exception:  # a value whose own methods raise while it is read: it is "something else"
        return {"kind": "other", "type": type_name(value)}


def raised(error: BaseException, filename: str) -> dict[str, Any]:
    """An exception the student's code raised, as data: its type, message (cut to MAX_TEXT) and the
    deepest line of ``filename`` (the student's source) in its traceback, and its cause's code."""
    try:
        message = str(error)
    except Exception:  # an exception whose message cannot be read
        message = ""
    found = {"kind": "raised", "type": type_name(error), "message": message[:MAX_TEXT], "cause": causes.cause(error, filename)}
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filename:
            found["line"] = frame.lineno
    return found


# -- the judge's side: data read back, field by field ---------------------------------------------


def _kind_of(value: Any) -> str:
    """What a field holds, in words, for a refusal."""
    kinds = ((type(None), "null"), (bool, "boolean"), (int, "whole"), (numbers.Number, "number"), (str, "text"),
             ((list, tuple), "list"), (dict, "object"))
    kind = next((kind for types, kind in kinds if isinstance(value, types)), None)
    return text.say(f"wire.kind.{kind}") if kind else type(value).__name__


def _text(value: Any, where: str, most: int) -> str:
    if not isinstance(value, str):
        raise ValueError(text.say("wire.text", where=where, kind=_kind_of(value)))
    if len(value) > most:
        raise ValueError(text.say("wire.text-long", where=where, chars=len(value), limit=most))
    return value


def _whole(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) and not (isinstance(value, float) and value.is_integer()):
        raise ValueError(text.say("wire.whole", where=where, kind=_kind_of(value)))
    if not low <= value <= high:
        raise ValueError(text.say("wire.whole-range", where=where, low=low, high=high, value=value))
    return int(value)


def _real(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(text.say("wire.number", where=where, kind=_kind_of(value)))
    try:
        return float(value)
    except OverflowError:
        raise ValueError(text.say("wire.too-large", where=where)) from None


def _fields(data: Any, where: str, fields: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(text.say("wire.object", where=where, kind=_kind_of(data)))
    for field in fields:
        if field not in data:
            raise ValueError(text.say("wire.field", where=where, field=repr(field)))
    return data


def _numbers(data: Any, where: str, size: int) -> np.ndarray:
    """An array's numbers: a list of numbers, a float64 buffer (a typed array handed over) or a
    float64 ndarray, exactly ``size`` of them."""
    if isinstance(data, np.ndarray):
        if data.dtype != np.float64 or data.ndim != 1:
            raise ValueError(text.say("wire.float64-row", where=where))
        found = data
    elif isinstance(data, memoryview):
        if data.format != "d" or data.ndim != 1:
            raise ValueError(text.say("wire.float64-buffer", where=where, format=repr(data.format)))
        found = np.frombuffer(data, dtype=np.float64)
    elif isinstance(data, (list, tuple)):
        if len(data) != size:
            raise ValueError(text.say("wire.count", where=where, found=len(data), size=size))
        found = np.array([_real(item, f"{where}[{i}]") for i, item in enumerate(data)], dtype=np.float64)
    else:
        raise ValueError(text.say("wire.numbers", where=where, kind=_kind_of(data)))
    if found.size != size:
        raise ValueError(text.say("wire.count", where=where, found=found.size, size=size))
    return found.copy()


def _array(data: dict[str, Any], where: str) -> np.ndarray | Opaque:
    _fields(data, where, ("shape", "dtype"))
    numbers = data.get("data")
    shape_data = data["shape"]
    if not isinstance(shape_data, (list, tuple)):
        raise ValueError(text.say("wire.shape-list", where=where, kind=_kind_of(shape_data)))
    if len(shape_data) > MAX_DIMS:
        raise ValueError(text.say("wire.shape-dims", where=where, dims=len(shape_data), limit=MAX_DIMS))
    shape = tuple(_whole(n, f"{where}.shape[{i}]", 0, _MAX_DIM) for i, n in enumerate(shape_data))
    dtype = _text(data["dtype"], f"{where}.dtype", 20)
    if not _DTYPE.fullmatch(dtype):
        raise ValueError(text.say("wire.dtype", where=where))
    size = math.prod(shape)
    if _real_dtype(dtype) and size <= MAX_ELEMENTS:
        if numbers is None:
            raise ValueError(text.say("wire.no-numbers", where=where))
        return _numbers(numbers, f"{where}.data", size).reshape(shape)
    if numbers is not None:
        raise ValueError(text.say("wire.opaque-numbers", where=where, dtype=dtype, size=size))
    return Opaque(shape, dtype)


def _cause(value: Any, where: str) -> str:
    """A raised value's cause: one of pynn.page.causes.CAUSES, or "" (also for none sent)."""
    if value is None or value == "":
        return ""
    if value not in causes.CAUSES:
        raise ValueError(text.say("wire.cause", where=where, causes=", ".join(causes.CAUSES)))
    return value


def read(data: Any, where: str | None = None, kinds: tuple[str, ...] = KINDS) -> Any:
    """The value ``data`` describes (see the module's doc), checked field by field; ValueError
    saying where (``where``: said text; "the value" unless given) and what is wrong. ``kinds``: the
    kinds allowed here."""
    where = text.say("wire.where.value") if where is None else where
    _fields(data, where, ("kind",))
    kind = data["kind"]
    if kind not in kinds:
        shown = repr(kind)[:40] if isinstance(kind, str) else _kind_of(kind)
        raise ValueError(text.say("wire.kind-choice", where=where, kinds=", ".join(kinds), kind=shown))
    if kind == "array":
        return _array(data, where)
    if kind == "number":
        return _real(_fields(data, where, ("value",))["value"], f"{where}.value")
    if kind == "none":
        return None
    if kind == "other":
        return Other(_text(_fields(data, where, ("type",))["type"], f"{where}.type", MAX_NAME))
    if kind == "raised":
        _fields(data, where, ("type", "message"))
        line = None if data.get("line") is None else _whole(data["line"], f"{where}.line", 1, 10**6)
        return Raised(_text(data["type"], f"{where}.type", MAX_NAME), _text(data["message"], f"{where}.message", MAX_TEXT), line,
                      _cause(data.get("cause"), where))
    items = _fields(data, where, ("items",))["items"]
    if kind == "dict":
        if not isinstance(items, dict):
            raise ValueError(text.say("wire.items-object", where=where, kind=_kind_of(items)))
        if len(items) > MAX_ITEMS:
            raise ValueError(text.say("wire.items-keys", where=where, found=len(items), limit=MAX_ITEMS))
        return {_text(key, text.say("wire.where.key", where=where), MAX_NAME): read(item, f"{where}.items[{key!r}]", FLAT)
                for key, item in items.items()}
    if not isinstance(items, (list, tuple)):
        raise ValueError(text.say("wire.items-list", where=where, kind=_kind_of(items)))
    if len(items) > MAX_ITEMS:
        raise ValueError(text.say("wire.items-count", where=where, found=len(items), limit=MAX_ITEMS))
    found = [read(item, f"{where}.items[{i}]", FLAT) for i, item in enumerate(items)]
    return tuple(found) if kind == "tuple" else found


def read_answer(answer: Any, count: int) -> dict[str, Any]:
    """A sandbox's answer to a run of ``count`` calls: {"error": None or {"message", "line"} (the
    code did not load: no outputs then, and "raised": {"type", "cause"}, its exception's codes, ""
    where not sent), "outputs": one value per call}. Other fields of the answer
    are not read. ValueError, beginning with what is wrong, for anything else."""
    _fields(answer, text.say("wire.where.answer"), ("error", "outputs"))
    outputs = answer["outputs"]
    if not isinstance(outputs, (list, tuple)):
        raise ValueError(text.say("wire.outputs", kind=_kind_of(outputs)))
    error = answer["error"]
    if error is not None:
        _fields(error, text.say("wire.where.error"), ("message",))
        line = None if error.get("line") is None else _whole(error["line"], text.say("wire.where.error-line"), 1, 10**6)
        if outputs:
            raise ValueError(text.say("wire.error-and-outputs"))
        message = _text(error["message"], text.say("wire.where.error-message"), MAX_TEXT)
        kind = _text(error.get("type", ""), text.say("wire.where.error-type"), MAX_NAME)
        return {"error": {"message": message, "line": line}, "outputs": [],
                "raised": {"type": kind, "cause": _cause(error.get("cause"), text.say("wire.where.error"))}}
    if len(outputs) != count or count > MAX_OUTPUTS:
        raise ValueError(text.say("wire.output-count", found=len(outputs), count=count))
    return {"error": None, "outputs": [read(output, text.say("wire.where.output", index=i)) for i, output in enumerate(outputs)]}

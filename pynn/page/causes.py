"""What an exception of the student's code was about, as a code: read from the exception and the
values its failing operation used, never from its message (Python's and numpy's words).

    cause(error, filename)   "none" (a None where a value was needed: a function that returned
                             nothing), "arrays" (numpy refused to combine or reshape arrays), or ""
                             (nothing recognised: a None that no name holds, ``g(x)[0]``, is not)

It runs where the exception is at hand, in the sandbox (pynn.page.wire.raised sends the code with
the exception's type): a forged answer can at most file its error under another kind in the
class's summary, never change a verdict (pynn.page.judge decides those on the outputs alone).

The failing operation is the instruction the traceback stopped at in the deepest frame of the
student's file (``tb_lasti``); the values it used are those of the names loaded within its span
of the source (``dis``'s positions): ``W1 @ h0`` uses W1 and h0, ``np.dot(W1, h0)`` np, W1 and h0.
"""
from __future__ import annotations

import dis
from types import FrameType, TracebackType
from typing import Any

import numpy as np

CAUSES = ("none", "arrays")
"""The codes ``cause`` gives besides "" (nothing recognised)."""
_OPERATIONS = {"BINARY_OP", "BINARY_SUBSCR", "STORE_SUBSCR", "CALL", "CALL_FUNCTION_EX"}
"""The instructions that combine, index or pass arrays: a ValueError from one of them, with an
array among its values, is numpy refusing their shapes (a truth value asked of an array fails at
a jump, an unpacking at UNPACK_SEQUENCE: other errors)."""
_LOADS = {"LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_NAME", "LOAD_GLOBAL", "LOAD_DEREF"}
_UNBOUND = object()


def _deepest(error: BaseException, filename: str) -> TracebackType | None:
    """The traceback's entry of the deepest frame of ``filename``, None where it has none."""
    found, entry = None, error.__traceback__
    while entry is not None:
        if entry.tb_frame.f_code.co_filename == filename:
            found = entry
        entry = entry.tb_next
    return found


def _value(frame: FrameType, name: str) -> Any:
    """The value a name had in ``frame`` (its locals, then its globals); _UNBOUND where neither holds it."""
    for scope in (frame.f_locals, frame.f_globals):
        if name in scope:
            return scope[name]
    return _UNBOUND


def _operation(entry: TracebackType) -> tuple[str, list[Any]]:
    """The failing instruction's name and the values of the names loaded within its span."""
    instructions = list(dis.get_instructions(entry.tb_frame.f_code))
    failing = next((each for each in instructions if each.offset == entry.tb_lasti), None)
    span = failing.positions if failing is not None else None
    if span is None or None in (span.lineno, span.end_lineno, span.col_offset, span.end_col_offset):
        return (failing.opname if failing is not None else ""), []
    start, end = (span.lineno, span.col_offset), (span.end_lineno, span.end_col_offset)
    values = [_value(entry.tb_frame, each.argval) for each in instructions
              if each.opname in _LOADS and isinstance(each.argval, str) and each.positions is not None
              and None not in (each.positions.lineno, each.positions.col_offset)
              and start <= (each.positions.lineno, each.positions.col_offset)
              and (each.positions.end_lineno, each.positions.end_col_offset) <= end]
    return failing.opname, values


def cause(error: BaseException, filename: str) -> str:
    """The code of what ``error`` (raised in the student's code, ``filename``) was about: see the
    module's doc."""
    if isinstance(error, AttributeError) and getattr(error, "obj", _UNBOUND) is None:
        return "none"
    if not isinstance(error, (TypeError, AttributeError, ValueError)):
        return ""
    entry = _deepest(error, filename)
    if entry is None:
        return ""
    try:
        opname, values = _operation(entry)
    except Exception:  # a frame whose code or names cannot be read: nothing recognised
        return ""
    if any(value is None for value in values):  # numpy reads a None as a 0-d array: a ValueError then
        return "none"
    if isinstance(error, ValueError) and opname in _OPERATIONS and any(isinstance(value, np.ndarray) for value in values):
        return "arrays"
    return ""

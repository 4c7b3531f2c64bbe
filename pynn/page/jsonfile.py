"""JSON from a file the page reads (a hand-in, a model file), bounded before it is parsed.

Python's ``json.loads`` recurses once per level of nesting, in C: in the browser's worker a file of
5,000 nested ``[`` overflows the JavaScript stack before Python's own recursion guard fires, and
Pyodide cannot be used again. So the text is measured first, without recursing: its size, then
how deep its arrays and objects nest (a scan of its brackets outside strings, one loop). Only a
text within both limits reaches ``json.loads``.

    loads(text, what, max_bytes)   the value, or ValueError saying which limit the file passed

``what`` names the file in the message ("this hand-in", "this model file").
"""
from __future__ import annotations

import json
import re
from typing import Any

from . import text
from .settings import JSON_MAX_BYTES, JSON_MAX_DEPTH
from .text import say  # by name: `text` is the file's argument here

TEXT = text.register({
    "jsonfile.not-text": "{what} must be text, not {type}",
    "jsonfile.too-large": "{what} is {size:,} bytes; the limit is {limit:,} bytes",
    "jsonfile.too-deep": "{what} nests its lists and objects more than {limit} levels deep; a pynn file nests a few levels, so it is not read",
    "jsonfile.not-json": "{what} is not JSON ({error} at line {line}, column {column})",
    "jsonfile.reason.unterminated-string": "Unterminated string starting",
    "jsonfile.reason.control-character": "Invalid control character",
    "jsonfile.reason.escape": "Invalid \\escape",
    "jsonfile.reason.unicode-escape": "Invalid \\uXXXX escape",
    "jsonfile.reason.value": "Expecting value",
    "jsonfile.reason.property-name": "Expecting property name enclosed in double quotes",
    "jsonfile.reason.colon": "Expecting ':' delimiter",
    "jsonfile.reason.comma": "Expecting ',' delimiter",
    "jsonfile.reason.trailing-comma": "Illegal trailing comma before end of object/array",
    "jsonfile.reason.extra-data": "Extra data",
    "jsonfile.reason.other": "a syntax error",
})

REASONS = {
    "Unterminated string starting at": "jsonfile.reason.unterminated-string",
    "Invalid control character at": "jsonfile.reason.control-character",
    "Invalid \\escape": "jsonfile.reason.escape",
    "Invalid \\uXXXX escape": "jsonfile.reason.unicode-escape",
    "Expecting value": "jsonfile.reason.value",
    "Expecting property name enclosed in double quotes": "jsonfile.reason.property-name",
    "Expecting ':' delimiter": "jsonfile.reason.colon",
    "Expecting ',' delimiter": "jsonfile.reason.comma",
    "Illegal trailing comma before end of object/array": "jsonfile.reason.trailing-comma",
    "Extra data": "jsonfile.reason.extra-data",
}
"""json's JSONDecodeError.msg (a constant of the json module's C scanner, which CPython and Pyodide
use) → the id of the reason the page says: never json's own words (nor its "at", which the page's
sentence says itself). Python 3.13 added the trailing comma."""


# A JSON string (escapes included) or one bracket: the scan skips strings whole, so a bracket
# inside one is not counted.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKENS = re.compile(_STRING + r"|[\[\]{}]", re.DOTALL)


def size(text: str) -> int:
    """The text's size in bytes, as UTF-8 (a lone surrogate counted as a file would hold it)."""
    return len(text.encode("utf-8", errors="surrogatepass"))


def depth_over(text: str, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether the arrays and objects of ``text`` nest deeper than ``limit`` anywhere. Stops at the
    first level past it, so a file nested 100,000 deep costs no more than one nested 65 deep."""
    depth = 0
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > limit:
                return True
        elif mark in "]}":
            depth -= 1
    return False


def unclosed_string(text: str, position: int) -> bool:
    """Whether a JSON string opens at ``position`` of ``text`` and is never closed: a file cut short
    inside a string (what json's "Unterminated string" means, told by position, not by its words)."""
    return text[position:position + 1] == '"' and re.compile(_STRING, re.DOTALL).match(text, position) is None


def check(text: str, what: str, max_bytes: int = JSON_MAX_BYTES) -> None:
    """Nothing when ``text`` may be parsed; else ValueError: it is not text, larger than
    ``max_bytes``, or nested deeper than JSON_MAX_DEPTH. ``what`` names the file (said text: "this
    model file")."""
    if not isinstance(text, str):
        raise ValueError(say("jsonfile.not-text", what=what, type=type(text).__name__))
    bytes_ = size(text)
    if bytes_ > max_bytes:
        raise ValueError(say("jsonfile.too-large", what=what, size=bytes_, limit=max_bytes))
    if depth_over(text):
        raise ValueError(say("jsonfile.too-deep", what=what, limit=JSON_MAX_DEPTH))


def loads(text: str, what: str, max_bytes: int = JSON_MAX_BYTES) -> Any:
    """The JSON value of ``text`` once ``check`` passes; ValueError for a file over a limit or not
    JSON ("is not JSON (… at line L, column C)", the reason said by its id: ``reason``)."""
    check(text, what, max_bytes)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(say("jsonfile.not-json", what=what, error=say(reason(error)),
                             line=error.lineno, column=error.colno)) from None


def reason(error: json.JSONDecodeError) -> str:
    """The text id of why json refused a text, from the error's ``msg`` field compared whole with
    the json module's constants (REASONS); "jsonfile.reason.other" for one it did not have when
    this was written."""
    return REASONS.get(error.msg, "jsonfile.reason.other")

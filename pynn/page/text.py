"""Every text the page's Python says, by id: one lookup, English declared once, other languages
from the page's catalogue (compiled from gettext's PO files).

A module declares its texts at its top, ids to English, and says them by id::

    TEXT = text.register({
        "session.diverged.infinite": "the loss became infinite at epoch {epoch}",
        "handin.rows": ("{n} row", "{n} rows"),          # a plural: (singular, plural)
    })
    text.say("session.diverged.infinite", epoch=12)
    text.say_n("handin.rows", 3, n=3)

Ids are dotted, lower case, ``-`` allowed (``exercise.relu.mistake.absolute-value``); code decides
on ids and codes, never on the English. Placeholders are ``str.format``'s (``{name}``,
``{name:.3f}``). Numbers are passed as numbers and written with the language's decimal and group
separators; what is meant to be copied (code, shapes, file names, links) is passed as a string and
never touched.

``use(catalogue)`` switches the language: ``catalogue`` is the page's, which build.py compiles from
``locale/<lang>/LC_MESSAGES/pynn.po`` into dist/locale/<lang>.json (docs/translating.md): its
``messages`` by id (a plural as its list of forms, picked by gettext's ``plural_expr``), the
language's code and number symbols. One file carries the page's texts and Python's, so a language
costs a visit one download; ``None`` is English. A text the catalogue lacks is said in English.

Standard library only (the sandbox and the build import nothing else of it).
"""
from __future__ import annotations

import gettext
import re
import inspect
import string
from pathlib import PurePath
from typing import Any, Callable, Iterable, Mapping

Entry = str | tuple[str, str]
"""An English text, or a plural's (singular, plural)."""

ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")

ENGLISH: dict[str, Entry] = {}
"""Every id registered so far and its English (the modules that say texts register at import)."""
ORIGIN: dict[str, str] = {}
"""Where each id is declared (pynn/…/module.py): what the catalogues tell translators."""


def _english_plural(n: int) -> int:
    return int(n != 1)


class _Language:
    """The texts in use (id → text, or a plural's forms), which form a count takes, the number separators."""

    messages: Mapping[str, str | list[str]] = {}
    plural: Callable[[int], int] = staticmethod(_english_plural)
    code = "en"
    decimal = "."
    group = ","
    isolate = False  # a right-to-left language: a text value keeps its own direction (FSI … PDI)


_language = _Language()


def register(table: Mapping[str, Entry]) -> Mapping[str, Entry]:
    """Add ``table`` (id → English, or id → (singular, plural)) to ENGLISH and return it.

    Raises ValueError for an id that is not dotted lower case, an id already registered with other
    English, or an entry that is neither a text nor a pair of texts.
    """
    for key, entry in table.items():
        if not isinstance(key, str) or not ID.fullmatch(key):
            raise ValueError(f"a text id is dotted lower case (a-z, 0-9, '.', '-'), got {key!r}")
        plural = isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
        if not (isinstance(entry, str) or plural):
            raise ValueError(f"text {key!r} must be a str or a (singular, plural) pair, got {entry!r}")
        if ENGLISH.get(key, entry) != entry:
            raise ValueError(f"text {key!r} is registered twice with different English")
        ENGLISH[key] = entry
        ORIGIN.setdefault(key, _caller_file())
    return table


def _caller_file() -> str:
    """The file of register's caller, from its package's top (pynn/page/…)."""
    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    parts = PurePath((caller.f_globals.get("__file__") if caller else None) or "pynn").parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index("pynn"):]) if "pynn" in parts else parts[-1]


def english_of(ids: Iterable[str]) -> dict[str, Entry]:
    """The English of each of ``ids``, sorted by id (a plural as its (singular, plural)): what the page
    table carries as ``texts`` for the ids it names. KeyError for an id nobody registered."""
    return {key: _english(key) for key in sorted(set(ids))}


def named(value: Any) -> list[str]:
    """The registered ids among the strings of ``value`` (a JSON-like value: dicts' values and lists'
    items, nested), each once, in the order met: the texts a table of the page names by id."""
    found: dict[str, None] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item in ENGLISH:
                found.setdefault(item)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
    return list(found)


def use(catalogue: Mapping[str, Any] | None) -> None:
    """Say texts from ``catalogue`` (the page's: ``lang``, ``decimal``, ``group``, ``plural_expr`` and
    ``messages``, id → text or a plural's list of forms); ``None``: English. Raises ValueError for
    anything else, and the language in use stays."""
    if catalogue is None:
        messages, plural, code, decimal, group = {}, _english_plural, "en", ".", ","
        isolate = False
    else:
        isolate = catalogue.get("dir") == "rtl" if isinstance(catalogue, Mapping) else False
        try:
            messages, plural = _messages(catalogue["messages"]), gettext.c2py(str(catalogue["plural_expr"])[:300])
            code, decimal, group = (catalogue[key] for key in ("lang", "decimal", "group"))
        except (KeyError, TypeError, ValueError, SyntaxError, RecursionError) as error:
            raise ValueError(f"not a catalogue: {error!r}"[:200]) from None
        if not all(isinstance(value, str) and 0 < len(value) <= limit for value, limit in ((code, 35), (decimal, 4), (group, 4))):
            raise ValueError(f"not a catalogue: a code and number symbols are short texts, got {code!r:.40}")
    _language.messages, _language.plural, _language.code = messages, plural, code
    _language.decimal, _language.group, _language.isolate = decimal, group, isolate


def _messages(found: Any) -> dict[str, str | list[str]]:
    """``found`` as the catalogue's messages, checked: every id a text, every value a text or a list
    of them."""
    if not isinstance(found, Mapping):
        raise TypeError(f"messages are a dict, got {type(found).__name__}")
    for key, value in found.items():
        forms = value if isinstance(value, list) and value else [value]
        if not isinstance(key, str) or not all(isinstance(form, str) for form in forms):
            raise TypeError(f"message {key!r:.60} is not a text or a list of texts")
    return dict(found)


def language() -> str:
    """The code of the language texts are said in ("en" unless ``use`` chose another)."""
    return _language.code


def _english(key: str) -> Entry:
    try:
        return ENGLISH[key]
    except KeyError:
        raise KeyError(f"no text has the id {key!r}: register it where it is said") from None


def say(key: str, /, **params: Any) -> str:
    """The text ``key`` in the current language, its placeholders filled from ``params``."""
    english = _english(key)
    if not isinstance(english, str):
        raise TypeError(f"text {key!r} is a plural: use say_n")
    return _fill(_translated(key, english), english, params)


def unfilled(key: str) -> str:
    """The text ``key`` in the current language, its placeholders left as they are (``{N}``): for a
    label that leaves out what only a student's own numbers would fill in."""
    english = _english(key)
    if not isinstance(english, str):
        raise TypeError(f"text {key!r} is a plural: use say_n")
    return _translated(key, english)


def say_n(key: str, n: int, /, **params: Any) -> str:
    """The plural text ``key`` for the count ``n`` in the current language (the language's own
    plural forms), its placeholders filled from ``params``."""
    english = _english(key)
    if isinstance(english, str):
        raise TypeError(f"text {key!r} is not a plural: use say")
    singular, plural = english
    english_form = singular if n == 1 else plural
    forms = _language.messages.get(key)
    if not isinstance(forms, list):
        return _fill(english_form, english_form, params)
    return _fill(forms[min(max(_language.plural(n), 0), len(forms) - 1)], english_form, params)


def _translated(key: str, english: str) -> str:
    """The catalogue's text for ``key``, else the English."""
    said = _language.messages.get(key)
    return said if isinstance(said, str) else english


class _Numbers(string.Formatter):
    """str.format that writes a number's decimal point and group commas as the language does."""

    def format_field(self, value: Any, format_spec: str) -> str:
        written = format(value, format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return written.translate({ord("."): _language.decimal, ord(","): _language.group})
        # In a right-to-left sentence a value of its own (code, a shape, a name) is isolated, so that
        # "W0 (H×D)" or "h1[y] = …" is not reordered by the sentence around it (as web/lang/text.js).
        return f"\u2068{written}\u2069" if _language.isolate and written else written


_NUMBERS = _Numbers()


def _fill(template: str, english: str, params: Mapping[str, Any]) -> str:
    """``template`` with its placeholders filled from ``params``. A translation whose placeholders
    do not fit (the catalogue tests refuse such a catalogue; this keeps a page that got one working)
    falls back to the English; a placeholder the English lacks is the caller's KeyError."""
    try:
        return _NUMBERS.vformat(template, (), params)
    except (KeyError, ValueError, IndexError):
        if template == english:
            raise
        return _NUMBERS.vformat(english, (), params)


class Words(str):
    """A text in words where maths is usual: an equation's plain-text alternative that a screen
    reader says as a sentence ("the mask, 1 where the unit is on"). Content marks such an alternative
    so, registers it and says it by id; a plain ``str`` beside it is maths, shown as it is in every
    language (as its TeX is)."""


def name_part(name: str) -> str:
    """A content's own name (an exercise's, a derivation step's, a lesson's) as a part of its texts'
    ids: lower case, ``_`` as ``-`` (``sgd_step`` → ``exercise.sgd-step.title``, ``W1`` →
    ``derive.w1.question``). ValueError for a name that gives no valid part."""
    part = name.lower().replace("_", "-")
    if not ID.fullmatch(part) or "." in part:
        raise ValueError(f"{name!r} cannot name texts: a content's name is letters, digits, '_' and '-'")
    return part

"""Every text the page's Python says, by id: one lookup, English declared once, other languages
from a gettext catalogue.

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

``use(mo)`` switches the language: ``mo`` is a catalogue compiled by build.py from
``locale/<lang>/LC_MESSAGES/pynn.po`` (msgctxt = id, msgid = the English) into an MO file keyed by
the id alone (msgid = id: the English is here already, and the file is half the size), read by the
standard ``gettext``; ``None`` is English. A text the catalogue lacks is said in English.

Standard library only (the sandbox and the build import nothing else of it).
"""
from __future__ import annotations

import gettext
import io
import re
import inspect
import string
from pathlib import PurePath
from typing import Any, Iterable, Mapping

Entry = str | tuple[str, str]
"""An English text, or a plural's (singular, plural)."""

ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")

ENGLISH: dict[str, Entry] = {}
"""Every id registered so far and its English (the modules that say texts register at import)."""
ORIGIN: dict[str, str] = {}
"""Where each id is declared (pynn/…/module.py): what the catalogues tell translators."""


class _Language:
    """The catalogue in use and its number separators."""

    catalogue: gettext.NullTranslations = gettext.NullTranslations()
    code = "en"
    decimal = "."
    group = ","


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


def use(mo: bytes | None, code: str = "en", decimal: str = ".", group: str = ",") -> None:
    """Say texts from the compiled catalogue ``mo`` (language ``code``, writing numbers with
    ``decimal`` and ``group``); ``None``: English. Raises ValueError for bytes that are not a
    gettext catalogue."""
    if mo is None:
        catalogue: gettext.NullTranslations = gettext.NullTranslations()
    else:
        try:
            catalogue = gettext.GNUTranslations(io.BytesIO(mo))
        except (OSError, ValueError, UnicodeDecodeError, IndexError, KeyError) as error:
            raise ValueError(f"not a gettext catalogue: {error}") from None
    _language.catalogue, _language.code = catalogue, code
    _language.decimal, _language.group = decimal, group


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
    said = _language.catalogue.ngettext(key, key, n)
    return _fill(english_form if said == key else said, english_form, params)


def _translated(key: str, english: str) -> str:
    """The catalogue's text for ``key`` (its msgid is the id: build.py's MO), else the English."""
    said = _language.catalogue.gettext(key)
    return english if said == key else said


class _Numbers(string.Formatter):
    """str.format that writes a number's decimal point and group commas as the language does."""

    def format_field(self, value: Any, format_spec: str) -> str:
        written = format(value, format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return written.translate({ord("."): _language.decimal, ord(","): _language.group})
        return written


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

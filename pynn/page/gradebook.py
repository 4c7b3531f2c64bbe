"""The class's gradebook (issue 35): what the class view exports and keeps beside its table.

    summary(table, names)          the mistakes a teacher explains in the next lesson, per exercise:
                                   each student counted once per exercise, under the most specific
                                   thing that went wrong (a named mistake, or the kind of error)
    canvas(table, title, total)    the CSV Canvas's gradebook imports (one points column)
    moodle(table, names)           the CSV Moodle's grade import maps (one column per exercise)
    read_class(text), class_file(…)   the class file: every hand-in as received, to load again

``table`` is pynn.page.handin.rows' table (one row per file); nothing here reads a student's file
itself. A class file is hostile like any file: measured before it is parsed (pynn.page.jsonfile),
each field checked, and each hand-in in it read again by pynn.page.handin and graded afresh (what
the class file holds is never a grade).
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

from pynn.page import exercises as exercise_modules
from pynn.page import jsonfile, text
from pynn.page.settings import CLASS_MAX_BYTES, CLASS_MAX_HANDINS, HANDIN_MAX_BYTES

text.register({
    "gradebook.same-name": "same name twice",
    "gradebook.kind.shape-mismatch": "shape mismatch (numpy refused to combine the arrays)",
    "gradebook.kind.name-not-defined": "a name that is not defined",
    "gradebook.kind.no-return": "no return value (the function returned None)",
    "gradebook.kind.does-not-compile": "the code does not compile",
    "gradebook.kind.other-error": "another error",
    "gradebook.kind.timeout": "ran too long (stopped: an endless loop?)",
    "gradebook.kind.crashed": "crashed the sandbox's Python",
    "gradebook.kind.invalid": "an invalid answer",
    "gradebook.class.not-object": "this class file is not a pynn class: it holds no object",
    "gradebook.class.format": "this file is not a pynn class file: its format is not \"pynn-class\"",
    "gradebook.class.version": "this class file's version is not 1; this page reads version 1",
    "gradebook.class.field": "this class file's '{field}' must be text of at most {most:,} characters",
    "gradebook.class.list": "this class file's 'handins' must be a list",
    "gradebook.class.too-many": "this class file holds {count:,} hand-ins; at most {most:,} are read",
    "gradebook.class.handin": "hand-in {index} of this class file must be an object with 'file' and 'text' (text)",
    "gradebook.class.too-large": "this class file is {size:,} bytes; a class file is at most {most:,} bytes",
    "gradebook.class.this-file": "this class file",
})

FORMAT = "pynn-class"
VERSION = 1
ERROR_KINDS = ("shape-mismatch", "name-not-defined", "no-return", "does-not-compile", "other-error")
"""What an error cell is grouped under, most specific first."""
FAILED_KINDS = ("timeout", "crashed", "invalid")
"""The cells whose code gave no answer to judge, each a kind of its own."""
KINDS = (*ERROR_KINDS, *FAILED_KINDS)
FORMATS = ("plain", "canvas", "moodle")
"""The CSV downloads the class view offers (``data-testid="class-csv-format"``'s options)."""
BOM = "\ufeff"
"""Written first in every CSV: Excel then reads the file as UTF-8."""

NAME_ERRORS = ("NameError", "UnboundLocalError")
COMPILE_ERRORS = ("SyntaxError", "IndentationError", "TabError")
CAUSE_KINDS = {"arrays": "shape-mismatch", "none": "no-return"}
"""An error's cause (pynn.page.causes' code, found where the exception was raised) → its kind."""
LABEL_VALUES = {"N": "N", "name": "b", "sizes": ""}
"""What a mistake's hint says in place of a student's own numbers when it is a label: "the mean
over the N examples", "∂L/∂b sums them", and no "(N = 7)" (gradients' ``sizes``)."""
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A CSV cell that a spreadsheet will not run: text starting like a formula gets a "'"."""
    return f"'{value}" if value.startswith(_FORMULA) else value


def error_kind(status: str, error_type: str = "", cause: str = "") -> str:
    """The kind of an error cell (ERROR_KINDS, FAILED_KINDS) from its codes: its status, its
    exception's type and its cause (pynn.page.causes); "" for a cell whose code ran (pass, fail) or
    is missing. Never from the error's sentence, which is said in the page's language."""
    if status in FAILED_KINDS:
        return status
    if status != "error":
        return ""
    if error_type in NAME_ERRORS:
        return "name-not-defined"
    if error_type in COMPILE_ERRORS:
        return "does-not-compile"
    return CAUSE_KINDS.get(cause, "other-error")


def _specificity(exercise: str, identifier: str) -> int:
    """Where a named mistake ranks: an exercise's ``mistakes`` table lists its mistakes most
    specific first; the mistakes any check may name (GENERIC) come after them."""
    own = list(exercise_modules.EXERCISES[exercise].mistakes)
    return own.index(identifier) if identifier in own else len(own) + list(exercise_modules.GENERIC).index(identifier)


def cell_mistake(exercise: str, cell: dict[str, Any]) -> str:
    """The one thing a cell is counted under: its most specific named mistake, else its error's
    kind; "" for a cell that passed, is missing or was not graded, or failed with no mistake named."""
    if cell["status"] == "fail" and cell["mistakes"]:
        return min(cell["mistakes"], key=lambda identifier: _specificity(exercise, identifier))
    return error_kind(cell["status"], cell["error_type"], cell["error_cause"])


def label(exercise: str, identifier: str) -> str:
    """A mistake's or a kind's label for the teacher, in plain words and the page's language: the
    kind's text, or the mistake's hint said by its id with LABEL_VALUES where a student's own
    numbers go; an identifier no table knows, as it is."""
    if identifier in KINDS:
        return text.say(f"gradebook.kind.{identifier}")
    if identifier in exercise_modules.EXERCISES[exercise].mistakes:
        return exercise_modules.EXERCISES[exercise].say("mistake", identifier, **LABEL_VALUES)
    if identifier in exercise_modules.GENERIC:
        return text.say(f"exercise.mistake.{identifier}", **LABEL_VALUES)
    return identifier


def summary(table: list[dict[str, Any]], names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per exercise of ``names``: [{"id", "kind" ("mistake" or "error"), "label", "count", "names"}],
    most frequent first (then by id): each student once per exercise, under ``cell_mistake``."""
    found: dict[str, dict[str, list[str]]] = {name: {} for name in names}
    for row in table:
        for exercise, cell in row["cells"].items():
            identifier = cell_mistake(exercise, cell)
            if identifier and exercise in found:
                found[exercise].setdefault(identifier, []).append(row["name"])
    return {
        exercise: sorted(({"id": identifier, "kind": "error" if identifier in KINDS else "mistake",
                           "label": label(exercise, identifier), "count": len(students),
                           "names": sorted(students, key=str.casefold)}
                          for identifier, students in found[exercise].items()),
                         key=lambda item: (-item["count"], item["id"]))
        for exercise in names
    }


def student_mistakes(row: dict[str, Any]) -> str:
    """A row's mistakes for the plain CSV: ``exercise:id`` for each cell counted in the summary."""
    return " ".join(f"{exercise}:{found}" for exercise, cell in row["cells"].items()
                    if (found := cell_mistake(exercise, cell)))


def _rows(out: io.StringIO) -> Any:
    out.write(BOM)
    return csv.writer(out, lineterminator="\n")


def _ids(row: dict[str, Any]) -> tuple[str, str]:
    """A student's id as (school id, e-mail): a text with an @ is an e-mail address."""
    given = row.get("student_id", "")
    return ("", given) if "@" in given else (given, "")


def _note(row: dict[str, Any]) -> str:
    if row["problem"]:
        return spreadsheet_safe(text.say("handin.csv.refused", problem=row["problem"]))
    if row["failure"]:
        return spreadsheet_safe(text.say("handin.csv.not-graded", failure=row["failure"]))
    return text.say("gradebook.same-name") if row["duplicate"] else ""


def canvas(table: list[dict[str, Any]], title: str, total: int) -> str:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one points
    column (the assignment's title: the exercises passed), after a "Points Possible" row. Canvas
    matches a row by its IDs: the hand-in's id goes to SIS Login ID when it is an e-mail, else to
    SIS User ID. A student not graded has an empty score, never 0; a duplicate's or a refused file's
    name says so (Canvas ignores the name when an ID matches, and reports a row it cannot match)."""
    out = io.StringIO()
    writer = _rows(out)
    column = spreadsheet_safe(title or "pynn")
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
    writer.writerow(["    Points Possible", "", "", "", "", total])
    for row in table:
        school, email = _ids(row)
        note = _note(row)
        name = spreadsheet_safe(row["name"] + (f" ({note})" if note else ""))
        writer.writerow([name, "", spreadsheet_safe(school), spreadsheet_safe(email), "",
                         row["passed"] if row["graded"] and not row["problem"] else ""])
    return out.getvalue()


def _exercise_points(cell: dict[str, Any]) -> str | int:
    return "" if cell["status"] == "ungraded" else int(cell["status"] == "pass")


def moodle(table: list[dict[str, Any]], names: list[str]) -> str:
    """Moodle's grade import (CSV): "ID number" and "Email address" (map either to the user's
    field), "Full name", one column per exercise (1 passed, 0 not: failed, an error, missing;
    empty where not graded), then "note" (refused, not graded, same name twice)."""
    out = io.StringIO()
    writer = _rows(out)
    writer.writerow(["ID number", "Email address", "Full name", *names, "note"])
    for row in table:
        school, email = _ids(row)
        points = [""] * len(names) if row["problem"] else [_exercise_points(row["cells"][name]) for name in names]
        writer.writerow([spreadsheet_safe(school), spreadsheet_safe(email), spreadsheet_safe(row["name"]), *points,
                         _note(row)])
    return out.getvalue()


# --- the class file --------------------------------------------------------------------------


def _field(value: Any, field: str, max_chars: int) -> str:
    if not isinstance(value, str) or len(value) > max_chars:
        raise ValueError(text.say("gradebook.class.field", field=field, most=max_chars))
    return value


def read_class(content: str, size: int | None = None) -> dict[str, Any]:
    """The class file in ``content``: {"title", "hash", "saved", "handins": [{"file", "text",
    "received"}]}, each hand-in's text still to be read (pynn.page.handin.read_entry) and graded;
    ValueError saying why it is refused: over CLASS_MAX_BYTES (``size``: the file's, where the page
    read none of it), nested too deeply or not JSON (pynn.page.jsonfile), another format, too many
    hand-ins, a field of the wrong type."""
    if size is not None and size > CLASS_MAX_BYTES:
        raise ValueError(text.say("gradebook.class.too-large", size=size, most=CLASS_MAX_BYTES))
    value = jsonfile.loads(content, text.say("gradebook.class.this-file"), CLASS_MAX_BYTES)
    if not isinstance(value, dict):
        raise ValueError(text.say("gradebook.class.not-object"))
    if value.get("format") != FORMAT:
        raise ValueError(text.say("gradebook.class.format"))
    if value.get("version") != VERSION or isinstance(value.get("version"), bool):
        raise ValueError(text.say("gradebook.class.version"))
    handins = value.get("handins")
    if not isinstance(handins, list):
        raise ValueError(text.say("gradebook.class.list"))
    if len(handins) > CLASS_MAX_HANDINS:
        raise ValueError(text.say("gradebook.class.too-many", count=len(handins), most=CLASS_MAX_HANDINS))
    read = []
    for index, item in enumerate(handins, 1):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not isinstance(item.get("text"), str):
            raise ValueError(text.say("gradebook.class.handin", index=index))
        received = item.get("received", "")
        read.append({"file": _field(item["file"], "file", 300), "text": _field(item["text"], "text", HANDIN_MAX_BYTES),
                     "received": received if isinstance(received, str) and len(received) <= 40 else ""})
    return {"title": _field(value.get("title", ""), "title", 100), "hash": _field(value.get("hash", ""), "hash", 2_000),
            "saved": _field(value.get("saved", ""), "saved", 40), "handins": read}


def class_file(title: str, hash: str, handins: list[dict[str, str]], saved: str | None = None) -> dict[str, str]:
    """The class file of ``handins`` ([{"file", "text", "received"}], every hand-in as received):
    {"text", "filename"} (``pynn-<title>-class.json``); ``read_class`` reads it back."""
    made = {"format": FORMAT, "version": VERSION, "title": title, "hash": hash,
            "saved": saved or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "handins": [{"file": item["file"], "received": item.get("received", ""), "text": item["text"]}
                        for item in handins]}
    slug = re.sub(r"[^\w]+", "-", title).strip("-_")[:40].strip("-_")
    return {"text": json.dumps(made, ensure_ascii=False, indent=1) + "\n", "filename": f"pynn-{slug or 'class'}-class.json"}

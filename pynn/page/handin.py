"""Hand-ins: the file a student downloads, and the class view's grading of many of them.

A hand-in is one JSON file that stands alone (a second one replaces nothing)::

    {"format": "pynn-handin", "version": 1,
     "assignment": {"title": "Backprop homework", "hash": "assign=Backprop%20homework&exercises=…"},
     "name": "Ada", "created": "2026-12-04T09:00:00+00:00", "build": "<the page's build id>",
     "exercises": {"forward": {"code": "…", "status": "pass", "passed": 3, "total": 3,
                               "checks": 2, "equations_shown": true, "solution_shown": false}, …}}

``checks`` counts the student's presses of Check; ``status``/``passed``/``total`` are what the
student's page last said, and the class view never uses them: it checks every piece of code again
(``pynn.page.exercises.check``, in the sandbox) and builds its table, its mistakes and its CSV
from those fresh results (``report``).

Standard library only (with pynn.page.settings): the page calls it in whichever Python it has at
hand. Every refusal is a ValueError whose message is a whole sentence for the teacher's table.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

from pynn.page.exercises import ORDER as EXERCISES
from pynn.page.settings import ASSIGNMENT, CODE_MAX_CHARS, HANDIN_MAX_BYTES, parse_assignment

FORMAT = "pynn-handin"
VERSION = 1
STATUSES = ("pass", "fail", "error", "timeout", "unchecked")
"""What a student's page may say of an exercise ("unchecked": Check was never pressed)."""
GRADES = ("pass", "fail", "error", "timeout", "missing", "ungraded")
"""A cell of the class table: a fresh check's status, "missing" (not in the hand-in) or
"ungraded" (the grading was stopped before it)."""
NAME_MAX_CHARS = 100
TITLE_MAX_CHARS = ASSIGNMENT["assign"].max_chars  # the link's title
TEXT_MAX_CHARS = 2_000  # the assignment's hash, the build id, the created time

ENTRY_FIELDS = {
    "code": "text", "status": "status", "passed": "count", "total": "count", "checks": "count",
    "equations_shown": "flag", "solution_shown": "flag",
}
"""Every field of one exercise's entry, with its kind."""


def _kind(value: Any) -> str:
    """The JSON kind of ``value``, as a teacher would say it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _text(value: Any, where: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be text, not {_kind(value)}")
    if len(value) > max_chars:
        raise ValueError(f"{where} is {len(value):,} characters; at most {max_chars:,} are allowed")
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{where} must be a whole number, not {_kind(value)}")
    if value < 0:
        raise ValueError(f"{where} must be 0 or more, not {value}")
    return value


def _object(value: Any, where: str, fields: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object, not {_kind(value)}")
    for field in fields:
        if field not in value:
            raise ValueError(f"{where} has no field {field!r}")
    return value


def _entry(name: str, value: Any) -> dict[str, Any]:
    """One exercise's entry, checked field by field."""
    where = f"exercise {name!r}"
    _object(value, where, tuple(ENTRY_FIELDS))
    entry: dict[str, Any] = {}
    for field, kind in ENTRY_FIELDS.items():
        item = value[field]
        at = f"{field!r} of {where}"
        if kind == "text":
            if not isinstance(item, str):
                raise ValueError(f"{at} must be text, not {_kind(item)}")
            if len(item) > CODE_MAX_CHARS:
                raise ValueError(f"the code of {where} is {len(item):,} characters; "
                                 f"the page's limit is {CODE_MAX_CHARS:,}")
        elif kind == "status":
            if item not in STATUSES:
                shown = json.dumps(item)[:40] if isinstance(item, str) else _kind(item)
                raise ValueError(f"{at} must be one of {', '.join(STATUSES)}, not {shown}")
        elif kind == "count":
            _count(item, at)
        elif not isinstance(item, bool):
            raise ValueError(f"{at} must be true or false, not {_kind(item)}")
        entry[field] = item
    if entry["passed"] > entry["total"]:
        raise ValueError(f"{where} says {entry['passed']} of {entry['total']} checks passed")
    return entry


def validate(handin: Any) -> dict[str, Any]:
    """A checked copy of a hand-in (only the fields of the format, fields of later extensions
    dropped); ValueError with a whole sentence for the first thing that is wrong."""
    if not isinstance(handin, dict):
        raise ValueError(f"this file is not a pynn hand-in: it holds {_kind(handin)}, not an object")
    if handin.get("format") != FORMAT:
        if "format" not in handin:
            raise ValueError(f'this file is not a pynn hand-in: it has no "format": "{FORMAT}"')
        shown = json.dumps(handin["format"], ensure_ascii=False)[:40]
        raise ValueError(f"this file is not a pynn hand-in: its format is {shown}, not \"{FORMAT}\"")
    version = handin.get("version")
    if isinstance(version, bool) or version != VERSION:
        shown = json.dumps(version)[:40] if "version" in handin else "missing"
        raise ValueError(f"this hand-in's version is {shown}; this page reads version {VERSION}")
    _object(handin, "the hand-in", ("assignment", "name", "created", "build", "exercises"))
    assignment = _object(handin["assignment"], "'assignment'", ("title", "hash"))
    title = _text(assignment["title"], "the assignment's 'title'", TITLE_MAX_CHARS)
    hash_ = _text(assignment["hash"], "the assignment's 'hash'", TEXT_MAX_CHARS)
    name = _text(handin["name"], "'name'", NAME_MAX_CHARS).strip()
    if not name:
        raise ValueError("'name' is empty: a hand-in needs the student's name")
    created = _text(handin["created"], "'created'", TEXT_MAX_CHARS)
    try:
        datetime.fromisoformat(created)
    except ValueError:
        raise ValueError(f"'created' must be an ISO date and time, not {json.dumps(created)[:40]}") from None
    build = _text(handin["build"], "'build'", TEXT_MAX_CHARS)
    exercises = handin["exercises"]
    if not isinstance(exercises, dict):
        raise ValueError(f"'exercises' must be an object, not {_kind(exercises)}")
    for exercise in exercises:
        if exercise not in EXERCISES:
            raise ValueError(f"unknown exercise {json.dumps(exercise, ensure_ascii=False)[:40]}; "
                             f"known: {', '.join(EXERCISES)}")
    return {
        "format": FORMAT, "version": VERSION, "assignment": {"title": title, "hash": hash_},
        "name": name, "created": created, "build": build,
        "exercises": {exercise: _entry(exercise, exercises[exercise]) for exercise in EXERCISES if exercise in exercises},
    }


def _size(size: int, max_bytes: int = HANDIN_MAX_BYTES) -> None:
    if size > max_bytes:
        raise ValueError(f"this file is {size:,} bytes; a hand-in is at most {max_bytes:,} bytes")


def read(text: str, max_bytes: int = HANDIN_MAX_BYTES) -> dict[str, Any]:
    """The hand-in in ``text`` (a file's content), checked; ValueError saying why it is refused:
    over ``max_bytes`` (in UTF-8), not JSON, another format or version, a field of the wrong type
    or missing, code over the page's limit, an unknown exercise."""
    _size(len(text.encode("utf-8", errors="surrogatepass")), max_bytes)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"this file is not JSON ({error.msg} at line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise ValueError("this file is not a pynn hand-in: it is nested too deeply") from None
    return validate(value)


def make(*, assignment: dict[str, str], name: str, build: str, exercises: dict[str, dict[str, Any]],
         created: str | None = None) -> dict[str, Any]:
    """A hand-in of ``exercises`` ({name: {code, status, passed, total, checks, equations_shown,
    solution_shown}}) by the student ``name``; ``created`` defaults to now (UTC). Refused with
    read's messages when read would refuse it, so a student never downloads a file the class view
    cannot read."""
    handin = validate({
        "format": FORMAT, "version": VERSION, "assignment": assignment, "name": name,
        "created": created or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build": build, "exercises": exercises,
    })
    size = len(dumps(handin).encode("utf-8"))
    if size > HANDIN_MAX_BYTES:
        raise ValueError(f"this hand-in would be {size:,} bytes; a hand-in is at most {HANDIN_MAX_BYTES:,} bytes: "
                         "make your code shorter")
    return handin


def dumps(handin: dict[str, Any]) -> str:
    """The file's text."""
    return json.dumps(handin, ensure_ascii=False, indent=1) + "\n"


def _slug(text: str) -> str:
    """``text`` as a piece of a file name: letters, digits and single hyphens, at most 40."""
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")[:40].strip("-_")


def filename(title: str, name: str) -> str:
    """``pynn-<assignment>-<name>.json``, each made safe for a file name."""
    return f"pynn-{_slug(title) or 'exercises'}-{_slug(name) or 'student'}.json"


def hand_in(*, assignment: dict[str, str], name: str, build: str, exercises: dict[str, dict[str, Any]],
            created: str | None = None) -> dict[str, Any]:
    """What the student's download button needs in one call: {"handin", "filename", "text"}."""
    handin = make(assignment=assignment, name=name, build=build, exercises=exercises, created=created)
    return {"handin": handin, "filename": filename(handin["assignment"]["title"], handin["name"]),
            "text": dumps(handin)}


# --- the class view ---------------------------------------------------------------------------


def read_entry(file: str, text: str, size: int | None = None) -> dict[str, Any]:
    """One file of the class: {"file", "handin", "problem": None}, or {"file", "handin": None,
    "problem"} (read's refusal). ``size``: the file's size in bytes where the page read none of
    it, as it was larger than a hand-in can be."""
    try:
        if size is not None:
            _size(size)
        return {"file": str(file), "handin": read(text), "problem": None}
    except ValueError as error:
        return {"file": str(file), "handin": None, "problem": str(error)}


def columns(entries: list[dict[str, Any]]) -> list[str]:
    """The class table's exercises: those of the hand-ins' assignments, in the order of the first
    assignment that names them, then any other exercise handed in, in ORDER."""
    named: list[str] = []
    for entry in entries:
        if entry["handin"]:
            assigned, _notes = parse_assignment(entry["handin"]["assignment"]["hash"])
            named += [name for name in assigned["exercises"] if name not in named]
    handed = {name for entry in entries if entry["handin"] for name in entry["handin"]["exercises"]}
    return named + [name for name in EXERCISES if name in handed and name not in named]


def _grade(result: dict[str, Any] | None) -> str:
    """A cell's status from a fresh check's result (None: not checked)."""
    if result is None:
        return "ungraded"
    status = result.get("status")
    return status if status in GRADES[:4] else "error"


def _same(name: str) -> str:
    return " ".join(name.split()).casefold()


def rows(entries: list[dict[str, Any]], results: list[dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The class table: one row per file, sorted by name (a refused file by its file name).

    ``results[i]`` holds the fresh check results of ``entries[i]`` by exercise; the statuses in
    the files are never used. Each row: {"file", "name", "problem", "duplicate" (another row has
    the same name, ignoring case and spaces), "cells": {exercise: {"status", "passed", "total",
    "checks", "error", "claimed", "tries", "equations_shown", "solution_shown"}}, "passed" (cells
    that pass), "total" (exercises in the table), "handed_in"}.
    """
    if len(results) != len(entries):
        raise ValueError(f"{len(entries)} files but {len(results)} sets of results")
    names = columns(entries)
    table = []
    for entry, checked in zip(entries, results):
        handin = entry["handin"]
        if handin is None:
            table.append({"file": entry["file"], "name": entry["file"], "problem": entry["problem"],
                          "duplicate": False, "cells": {}, "passed": 0, "total": len(names), "handed_in": ""})
            continue
        cells = {}
        for exercise in names:
            given = handin["exercises"].get(exercise)
            if given is None:
                cells[exercise] = {"status": "missing", "passed": 0, "total": 0, "checks": [], "error": None,
                                   "claimed": None, "tries": 0, "equations_shown": False, "solution_shown": False}
                continue
            result = checked.get(exercise)
            cells[exercise] = {
                "status": _grade(result),
                "passed": int((result or {}).get("passed") or 0),
                "total": int((result or {}).get("total") or 0),
                "checks": list((result or {}).get("checks") or []),
                "error": (result or {}).get("error"),
                "claimed": given["status"], "tries": given["checks"],
                "equations_shown": given["equations_shown"], "solution_shown": given["solution_shown"],
            }
        table.append({"file": entry["file"], "name": handin["name"], "problem": None, "duplicate": False,
                      "cells": cells, "passed": sum(cell["status"] == "pass" for cell in cells.values()),
                      "total": len(names), "handed_in": handin["created"]})
    counts: dict[str, int] = {}
    for row in table:
        if row["problem"] is None:
            counts[_same(row["name"])] = counts.get(_same(row["name"]), 0) + 1
    for row in table:
        row["duplicate"] = row["problem"] is None and counts[_same(row["name"])] > 1
    table.sort(key=lambda row: (_same(row["name"]), row["file"]))
    return table


def _identifier(check_line: dict[str, Any]) -> str | None:
    """The named mistake a failed check recognised, if the check names one."""
    mistake = check_line.get("mistake")
    if isinstance(mistake, dict):
        mistake = mistake.get("id")
    return mistake if isinstance(mistake, str) and mistake else None


def mistakes(table: list[dict[str, Any]], names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per exercise ``names``, each named mistake the fresh checks recognised: [{"id", "count",
    "names"}], most frequent first (then by id). A student is counted once per mistake however
    many checks named it; checks that name no mistake are not counted."""
    found: dict[str, dict[str, list[str]]] = {}
    for row in table:
        for exercise, cell in row["cells"].items():
            seen = {_identifier(line) for line in cell["checks"] if not line.get("passed")} - {None}
            for identifier in seen:
                found.setdefault(exercise, {}).setdefault(identifier, []).append(row["name"])
    return {
        exercise: sorted(({"id": identifier, "count": len(students), "names": sorted(students, key=_same)}
                          for identifier, students in found.get(exercise, {}).items()),
                         key=lambda item: (-item["count"], item["id"]))
        for exercise in names
    }


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run: text starting like a formula gets a "'"."""
    return f"'{text}" if text.startswith(_FORMULA) else text


def csv_text(table: list[dict[str, Any]], names: list[str]) -> str:
    """The gradebook's CSV: ``name,<exercise>…,passed,total,handed_in`` (``names``: the exercises),
    one line per row of the table, each exercise's fresh status; a refused file has its file name,
    empty cells and, under handed_in, why it was refused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", *names, "passed", "total", "handed_in"])
    for row in table:
        if row["problem"] is not None:
            writer.writerow([_cell(row["name"]), *([""] * len(names)), "", "", _cell(f"refused: {row['problem']}")])
        else:
            writer.writerow([_cell(row["name"]), *(row["cells"][name]["status"] for name in names),
                             row["passed"], row["total"], row["handed_in"]])
    return out.getvalue()


def report(entries: list[dict[str, Any]], results: list[dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """Everything the class view shows, from the files read and their fresh check results:
    {"columns", "rows", "mistakes", "csv", "csv_name"}; the CSV's file name is
    ``pynn-<assignment>-grades.csv``, the assignment being the first hand-in's."""
    names = columns(entries)
    table = rows(entries, results)
    title = next((entry["handin"]["assignment"]["title"] for entry in entries if entry["handin"]), "")
    return {"columns": names, "rows": table, "mistakes": mistakes(table, names), "csv": csv_text(table, names),
            "csv_name": f"pynn-{_slug(title) or 'class'}-grades.csv"}

"""Hand-ins: the file a student downloads, and the class view's grading of many of them.

A hand-in is one JSON file that stands alone (a second one replaces nothing)::

    {"format": "pynn-handin", "version": 2,
     "assignment": {"title": "Backprop homework", "hash": "assign=Backprop%20homework&exercises=…"},
     "name": "Ada", "created": "2026-12-04T09:00:00+00:00", "build": "<the page's build id>",
     "exercises": {"forward": {"code": "…", "status": "pass", "passed": 3, "total": 3,
                               "checks": 2, "equations_shown": true, "solution_shown": false}, …},
     "lessons": {"init": {"prediction": 2, "ran": true}, …},
     "derivation": {"h1": {"passed": true, "hints": 0, "expression": "-yoh / h1"},
                    "W1": {"passed": false, "hints": 2, "expression": ""}, …}}

``lessons`` (an assignment's lessons, pynn.page.lessons: the prediction picked before the first run,
as the index of the lesson's choice, null for none; whether the lesson was run) and ``derivation``
(pynn.page.derivation's steps: passed or not, hints used, and the expression that passed, "" for
none) are optional: a file without them is read as before, and ``make`` writes them only when
given. Version 1 files are still read: their steps carry no expression, so the class view shows
them "not re-checked" and never counts one as passed. A lesson whose prediction is null says no more
than a lesson left out (the class table shows both as "missing"): the checked copy leaves it out,
so nothing handed to the page holds a None (Pyodide would hand it over as undefined).

``checks`` counts the student's presses of Check; ``status``/``passed``/``total`` (and a step's
``passed``) are what the student's page last said, and the class view never uses them: it checks
every piece of code and every step's expression again (pynn.page.judge, pynn.page.derive: the
code runs in the sandbox, the verdict is computed in the training worker) and builds its table,
its mistakes, the flags and its CSV from those fresh results (``report``).

Every refusal is a ValueError whose message is a whole sentence for the teacher's table. Reading
and grading never run a student's code.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from typing import Any

from pynn.page import causes, derive, gradebook, jsonfile, text
from pynn.page import exercises as exercise_modules
from pynn.page import lessons as lesson_catalogue
from pynn.page.exercises import ORDER as EXERCISES
from pynn.page.settings import ASSIGNMENT, CODE_FLAGS, CODE_MAX_CHARS, HANDIN_MAX_BYTES, parse_assignment
from pynn.page.text import say  # by name: `text` is a file's content in read and read_entry

TEXT = text.register({
    "handin.student-id-required": "your teacher asks for your school id or e-mail: type it in",
    "handin.where.exercise": "exercise {name}",
    "handin.where.field": "{field} of {where}",
    "handin.where.lesson": "lesson {name}",
    "handin.where.step": "derivation step {name}",
    "handin.where.handin": "the hand-in",
    "handin.where.title": "the assignment's 'title'",
    "handin.where.hash": "the assignment's 'hash'",
    "handin.this-file": "this file",
    "handin.text": "{where} must be text, not {kind}",
    "handin.text-long": "{where} is {chars:,} characters; at most {limit:,} are allowed",
    "handin.count": "{where} must be a whole number, not {kind}",
    "handin.count-negative": "{where} must be 0 or more, not {value}",
    "handin.object": "{where} must be an object, not {kind}",
    "handin.field": "{where} has no field {field}",
    "handin.code-long": "the code of {where} is {chars:,} characters; the page's limit is {limit:,}",
    "handin.status": "{where} must be one of {statuses}, not {value}",
    "handin.boolean": "{where} must be true or false, not {kind}",
    "handin.passed-total": "{where} says {passed} of {total} checks passed",
    "handin.prediction": "'prediction' of {where} must be a choice 0 to {last} or null, not {value}",
    "handin.ran-without": "{where} says it ran without a prediction: the page runs a lesson only after one",
    "handin.hints": "{where} says {hints} hints were shown; it has {most}",
    "handin.unknown.exercise": "unknown exercise {name}; known: {known}",
    "handin.unknown.lesson": "unknown lesson {name}; known: {known}",
    "handin.unknown.step": "unknown derivation step {name}; known: {known}",
    "handin.not-object": "this file is not a pynn hand-in: it holds {kind}, not an object",
    "handin.no-format": 'this file is not a pynn hand-in: it has no "format": "{format}"',
    "handin.format": 'this file is not a pynn hand-in: its format is {value}, not "{format}"',
    "handin.version": "this hand-in's version is {value}; this page reads versions 1 and 2",
    "handin.version.missing": "missing",
    "handin.name-empty": "'name' is empty: a hand-in needs the student's name",
    "handin.created": "'created' must be an ISO date and time, not {value}",
    "handin.too-large": "this file is {size:,} bytes; a hand-in is at most {limit:,} bytes",
    "handin.would-be": "this hand-in would be {size:,} bytes; a hand-in is at most {limit:,} bytes: make your code shorter",
    "handin.error-at-line": "Line {line}: {message}",
    "handin.results": "{files} files but {results} sets of results",
    "handin.csv.not-run": "{status} (not run)",
    "handin.csv.passed": "passed",
    "handin.csv.unchecked": "not re-checked",
    "handin.csv.not-passed": "not passed",
    "handin.csv.hints": ("{said} ({n} hint)", "{said} ({n} hints)"),
    "handin.csv.refused": "refused: {problem}",
    "handin.csv.not-graded": "not graded: {failure}",
})


FORMAT = "pynn-handin"
VERSION = 2
VERSIONS = (1, 2)
"""The versions read: 1, whose derivation steps carry no expression, and 2."""
CHECKED = ("pass", "fail", "error", "timeout", "crashed", "invalid")
"""What a check can say (pynn.page.judge): passed, failed, raised, ran too long, crashed the
sandbox, or came back as an answer that could not be used."""
STATUSES = (*CHECKED, "unchecked")
"""What a student's page may say of an exercise ("unchecked": Check was never pressed)."""
GRADES = (*CHECKED, "missing", "ungraded")
"""A cell of the class table: a fresh check's status, "missing" (not in the hand-in) or
"ungraded" (the grading was stopped before it, or failed for that student)."""
STEP_GRADES = (*CHECKED, "missing", "unchecked", "ungraded")
"""A derivation step's cell: its fresh check's status, "missing" (no expression handed in),
"unchecked" (a version 1 file: the step cannot be checked again) or "ungraded"."""
NAME_MAX_CHARS = 100
TITLE_MAX_CHARS = ASSIGNMENT["assign"].max_chars  # the link's title
TEXT_MAX_CHARS = 2_000  # the assignment's hash, the build id, the created time
_EXCEPTION = re.compile(r"[A-Za-z_]\w{0,39}")
"""An exception's type as a result names it (a class's name: a code, never a sentence)."""

ENTRY_FIELDS = {
    "code": "text", "status": "status", "passed": "count", "total": "count", "checks": "count",
    "equations_shown": "flag", "solution_shown": "flag",
}
"""Every field of one exercise's entry, with its kind."""

LESSON_FIELDS = ("prediction", "ran")
"""Every field of one lesson's entry: the choice predicted (its index, or null), whether it ran."""
STEP_FIELDS = {1: ("passed", "hints"), 2: ("passed", "hints", "expression")}
"""Every field of one derivation step's entry, by the file's version: passed or not (the student's
page's word), how many of its hints were shown, and (version 2) the expression that passed, ""
for none."""
LESSON_GRADES = ("right", "wrong", "missing")
"""A lesson's cell of the class table: the prediction against what the lesson's run shows (its
``answer``, the same for every student: a fresh net from the seed), or "missing" (no prediction in
the hand-in)."""


def _kind(value: Any) -> str:
    """The JSON kind of ``value``, as a teacher would say it (pynn.page.wire's words for the kinds)."""
    kinds = ((type(None), "null"), (bool, "boolean"), (int, "whole"), (float, "number"), (str, "text"), (list, "list"))
    return text.say(f"wire.kind.{next((kind for types, kind in kinds if isinstance(value, types)), 'object')}")


def _text(value: Any, where: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise ValueError(text.say("handin.text", where=where, kind=_kind(value)))
    if len(value) > max_chars:
        raise ValueError(text.say("handin.text-long", where=where, chars=len(value), limit=max_chars))
    return value


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(text.say("handin.count", where=where, kind=_kind(value)))
    if value < 0:
        raise ValueError(text.say("handin.count-negative", where=where, value=value))
    return value


def _object(value: Any, where: str, fields: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(text.say("handin.object", where=where, kind=_kind(value)))
    for field in fields:
        if field not in value:
            raise ValueError(text.say("handin.field", where=where, field=repr(field)))
    return value


def _entry(name: str, value: Any) -> dict[str, Any]:
    """One exercise's entry, checked field by field."""
    where = text.say("handin.where.exercise", name=repr(name))
    _object(value, where, tuple(ENTRY_FIELDS))
    entry: dict[str, Any] = {}
    for field, kind in ENTRY_FIELDS.items():
        item = value[field]
        at = text.say("handin.where.field", field=repr(field), where=where)
        if kind == "text":
            if not isinstance(item, str):
                raise ValueError(text.say("handin.text", where=at, kind=_kind(item)))
            if len(item) > CODE_MAX_CHARS:
                raise ValueError(text.say("handin.code-long", where=where, chars=len(item), limit=CODE_MAX_CHARS))
        elif kind == "status":
            if item not in STATUSES:
                shown = json.dumps(item)[:40] if isinstance(item, str) else _kind(item)
                raise ValueError(text.say("handin.status", where=at, statuses=", ".join(STATUSES), value=shown))
        elif kind == "count":
            _count(item, at)
        elif not isinstance(item, bool):
            raise ValueError(text.say("handin.boolean", where=at, kind=_kind(item)))
        entry[field] = item
    if entry["passed"] > entry["total"]:
        raise ValueError(text.say("handin.passed-total", where=where, passed=entry["passed"], total=entry["total"]))
    return entry


def _lesson(name: str, value: Any) -> dict[str, Any]:
    """One lesson's entry, checked field by field."""
    where = text.say("handin.where.lesson", name=repr(name))
    _object(value, where, LESSON_FIELDS)
    last = len(lesson_catalogue.get(name).choices) - 1
    prediction = value["prediction"]
    if prediction is not None:
        if isinstance(prediction, bool) or not isinstance(prediction, int):
            raise ValueError(text.say("handin.prediction", where=where, last=last, value=_kind(prediction)))
        if not 0 <= prediction <= last:
            raise ValueError(text.say("handin.prediction", where=where, last=last, value=prediction))
    if not isinstance(value["ran"], bool):
        raise ValueError(text.say("handin.boolean", where=text.say("handin.where.field", field="'ran'", where=where),
                                  kind=_kind(value["ran"])))
    if value["ran"] and prediction is None:
        raise ValueError(text.say("handin.ran-without", where=where))
    return {"prediction": prediction, "ran": value["ran"]}


def _step(name: str, value: Any, version: int) -> dict[str, Any]:
    """One derivation step's entry, checked field by field (``version``: the file's)."""
    where = text.say("handin.where.step", name=repr(name))
    _object(value, where, STEP_FIELDS[version])
    if not isinstance(value["passed"], bool):
        raise ValueError(text.say("handin.boolean", where=text.say("handin.where.field", field="'passed'", where=where),
                                  kind=_kind(value["passed"])))
    hints = _count(value["hints"], text.say("handin.where.field", field="'hints'", where=where))
    most = next(len(step.hints) for step in derive.STEPS if step.name == name)
    if hints > most:
        raise ValueError(text.say("handin.hints", where=where, hints=hints, most=most))
    if version == 1:
        return {"passed": value["passed"], "hints": hints}
    return {"passed": value["passed"], "hints": hints,
            "expression": _text(value["expression"], text.say("handin.where.field", field="'expression'", where=where),
                                derive.MAX_LENGTH)}


def _named_entries(value: Any, field: str, unknown: str, known: tuple[str, ...], check: Any) -> dict[str, Any]:
    """An optional object of entries by name (``lessons``, ``derivation``), in ``known``'s order;
    ``unknown``: the id of the refusal of a name not known."""
    if not isinstance(value, dict):
        raise ValueError(text.say("handin.object", where=repr(field), kind=_kind(value)))
    for name in value:
        if name not in known:
            raise ValueError(text.say(unknown, name=json.dumps(name, ensure_ascii=False)[:40], known=", ".join(known)))
    return {name: check(name, value[name]) for name in known if name in value}


def validate(handin: Any) -> dict[str, Any]:
    """A checked copy of a hand-in (only the fields of the format, fields of later extensions
    dropped; ``lessons`` and ``derivation`` kept only where the file has them); ValueError with a
    whole sentence for the first thing that is wrong."""
    if not isinstance(handin, dict):
        raise ValueError(text.say("handin.not-object", kind=_kind(handin)))
    if handin.get("format") != FORMAT:
        if "format" not in handin:
            raise ValueError(text.say("handin.no-format", format=FORMAT))
        shown = json.dumps(handin["format"], ensure_ascii=False)[:40]
        raise ValueError(text.say("handin.format", value=shown, format=FORMAT))
    version = handin.get("version")
    if isinstance(version, bool) or version not in VERSIONS:
        shown = json.dumps(version)[:40] if "version" in handin else text.say("handin.version.missing")
        raise ValueError(text.say("handin.version", value=shown))
    _object(handin, text.say("handin.where.handin"), ("assignment", "name", "created", "build", "exercises"))
    assignment = _object(handin["assignment"], "'assignment'", ("title", "hash"))
    title = _text(assignment["title"], text.say("handin.where.title"), TITLE_MAX_CHARS)
    hash_ = _text(assignment["hash"], text.say("handin.where.hash"), TEXT_MAX_CHARS)
    name = _text(handin["name"], "'name'", NAME_MAX_CHARS).strip()
    if not name:
        raise ValueError(text.say("handin.name-empty"))
    created = _text(handin["created"], "'created'", TEXT_MAX_CHARS)
    try:
        datetime.fromisoformat(created)
    except ValueError:
        raise ValueError(text.say("handin.created", value=json.dumps(created)[:40])) from None
    build = _text(handin["build"], "'build'", TEXT_MAX_CHARS)
    student_id = _text(handin.get("student_id", ""), "'student_id'", NAME_MAX_CHARS).strip()
    exercises = handin["exercises"]
    if not isinstance(exercises, dict):
        raise ValueError(text.say("handin.object", where="'exercises'", kind=_kind(exercises)))
    for exercise in exercises:
        if exercise not in EXERCISES:
            raise ValueError(text.say("handin.unknown.exercise", name=json.dumps(exercise, ensure_ascii=False)[:40],
                                      known=", ".join(EXERCISES)))
    checked = {
        "format": FORMAT, "version": version, "assignment": {"title": title, "hash": hash_},
        "name": name, **({"student_id": student_id} if student_id else {}), "created": created, "build": build,
        "exercises": {exercise: _entry(exercise, exercises[exercise]) for exercise in EXERCISES if exercise in exercises},
    }
    if "lessons" in handin:
        given = _named_entries(handin["lessons"], "lessons", "handin.unknown.lesson", lesson_catalogue.ORDER, _lesson)
        checked["lessons"] = {name: entry for name, entry in given.items() if entry["prediction"] is not None}
    if "derivation" in handin:
        checked["derivation"] = _named_entries(handin["derivation"], "derivation", "handin.unknown.step", derive.ORDER,
                                               lambda name, value: _step(name, value, version))
    return checked


def _size(size: int, max_bytes: int = HANDIN_MAX_BYTES) -> None:
    if size > max_bytes:
        raise ValueError(text.say("handin.too-large", size=size, limit=max_bytes))


def read(text: str, max_bytes: int = HANDIN_MAX_BYTES) -> dict[str, Any]:
    """The hand-in in ``text`` (a file's content), checked; ValueError saying why it is refused:
    over ``max_bytes`` (in UTF-8), not JSON, another format or version, a field of the wrong type
    or missing, code over the page's limit, an unknown exercise."""
    _size(jsonfile.size(text), max_bytes)
    return validate(jsonfile.loads(text, say("handin.this-file"), max_bytes))


def make(*, assignment: dict[str, str], name: str, build: str, exercises: dict[str, dict[str, Any]],
         created: str | None = None, lessons: dict[str, dict[str, Any]] | None = None,
         derivation: dict[str, dict[str, Any]] | None = None, student_id: str = "") -> dict[str, Any]:
    """A hand-in of ``exercises`` ({name: {code, status, passed, total, checks, equations_shown,
    solution_shown}}) by the student ``name``, in this page's VERSION; ``created`` defaults to now
    (UTC); ``lessons`` ({name: {prediction, ran}}) and ``derivation`` ({step: {passed, hints,
    expression}}) written only when given.
    Refused with read's messages when read would refuse it, so a student never downloads a file the
    class view cannot read. ``student_id``: the student's school id or e-mail, for a gradebook
    (written only when given; refused when empty and the assignment's ``student_id=required``)."""
    if not str(student_id).strip() and parse_assignment(str(assignment.get("hash", "")))[0]["student_id"] == "required":
        raise ValueError(text.say("handin.student-id-required"))
    handin = validate({
        "format": FORMAT, "version": VERSION, "assignment": assignment, "name": name,
        **({"student_id": student_id} if str(student_id).strip() else {}),
        "created": created or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "build": build, "exercises": exercises,
        **({"lessons": lessons} if lessons is not None else {}),
        **({"derivation": derivation} if derivation is not None else {}),
    })
    size = len(dumps(handin).encode("utf-8"))
    if size > HANDIN_MAX_BYTES:
        raise ValueError(text.say("handin.would-be", size=size, limit=HANDIN_MAX_BYTES))
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
            created: str | None = None, lessons: dict[str, dict[str, Any]] | None = None,
            derivation: dict[str, dict[str, Any]] | None = None, student_id: str = "") -> dict[str, Any]:
    """What the student's download button needs in one call: {"handin", "filename"}; the file is
    the hand-in as JSON (``dumps``, or the page's JSON.stringify: read takes either)."""
    handin = make(assignment=assignment, name=name, build=build, exercises=exercises, created=created,
                  lessons=lessons, derivation=derivation, student_id=student_id)
    return {"handin": handin, "filename": filename(handin["assignment"]["title"], handin["name"])}


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


def lesson_columns(entries: list[dict[str, Any]]) -> list[str]:
    """The class table's lessons: those the hand-ins' assignments name (``lessons=``), in the order
    of the first that names them, then any other lesson handed in, in pynn.page.lessons' order."""
    named: list[str] = []
    for entry in entries:
        if entry["handin"]:
            assigned, _notes = parse_assignment(entry["handin"]["assignment"]["hash"])
            named += [name for name in assigned["lessons"] if name not in named]
    handed = {name for entry in entries if entry["handin"] for name in entry["handin"].get("lessons", {})}
    return named + [name for name in lesson_catalogue.ORDER if name in handed and name not in named]


def step_columns(entries: list[dict[str, Any]]) -> list[str]:
    """The class table's derivation steps: every step (in pynn.page.derive's order) when some
    hand-in carries a step of the derivation, else none."""
    carried = any(entry["handin"] and entry["handin"].get("derivation") for entry in entries)
    return list(derive.ORDER) if carried else []


def _lesson_cell(name: str, given: dict[str, Any] | None) -> dict[str, Any]:
    """A lesson's cell: {"status" (LESSON_GRADES), "prediction" (the choice's index, -1 for none),
    "choice" (its text, "" for none), "ran"}."""
    if given is None:
        return {"status": "missing", "prediction": -1, "choice": "", "ran": False}
    lesson = lesson_catalogue.get(name)
    prediction = given["prediction"]
    return {"status": "right" if prediction == lesson.answer else "wrong", "prediction": prediction,
            "choice": lesson.choice(prediction), "ran": given["ran"]}


def _status(result: Any, known: tuple[str, ...]) -> str:
    """A cell's status from a fresh check's result (None: not checked): its status if it is one a
    check gives, "invalid" for anything else."""
    if result is None:
        return "ungraded"
    status = result.get("status") if isinstance(result, dict) else None
    return status if isinstance(status, str) and status in known else "invalid"


def _error_text(error: Any) -> str:
    """A result's error as the sentence shown: "Line 3: NameError: …", the message alone where no
    line is known, "" for none (cut to TEXT_MAX_CHARS)."""
    if not isinstance(error, dict) or not isinstance(error.get("message"), str) or not error["message"]:
        return ""
    line = error.get("line")
    at_line = isinstance(line, int) and not isinstance(line, bool) and line > 0
    said = text.say("handin.error-at-line", line=line, message=error["message"]) if at_line else error["message"]
    return said[:TEXT_MAX_CHARS]


def _error_codes(raised: Any) -> tuple[str, str]:
    """A result's ``raised`` as codes: (the exception's type, its cause: pynn.page.causes.CAUSES),
    each "" where the result holds none that is one."""
    if not isinstance(raised, dict):
        return "", ""
    kind, cause = raised.get("type"), raised.get("cause")
    return (kind if isinstance(kind, str) and _EXCEPTION.fullmatch(kind) else "",
            cause if isinstance(cause, str) and cause in causes.CAUSES else "")


def _same(name: str) -> str:
    return " ".join(name.split()).casefold()


def _known_mistakes(exercise: str) -> tuple[str, ...]:
    return (*exercise_modules.EXERCISES[exercise].mistakes, *exercise_modules.GENERIC)


def _named(checks: Any, known: tuple[str, ...]) -> list[str]:
    """The named mistakes (identifiers) that a result's failed checks recognised, each once: only
    identifiers the exercise knows (anything else in a result is not counted)."""
    if not isinstance(checks, list):
        return []
    found = [line.get("mistake") for line in checks if isinstance(line, dict) and line.get("passed") is False]
    return sorted({name for name in found if isinstance(name, str) and name in known})


def _flags(result: Any) -> list[str]:
    """The codes a result's static look found (pynn.page.codeflags), in the table's order; none
    but CODE_FLAGS' own."""
    found = result.get("flags") if isinstance(result, dict) else None
    return [code for code in CODE_FLAGS if isinstance(found, list) and code in found]


def _count_of(result: Any, field: str) -> int:
    value = result.get(field) if isinstance(result, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100 else 0


def _exercise_cell(exercise: str, given: dict[str, Any] | None, result: Any) -> dict[str, Any]:
    """An exercise's cell: {"status", "passed", "total", "error" (its sentence, or ""), "error_type"
    and "error_cause" (its codes: _error_codes), "mistakes"
    (the identifiers its failed checks named), "flags", "claimed" (the file's status, "" where
    missing), "tries", "equations_shown", "solution_shown"}; every field read from the fresh
    result field by field, never from the file's word."""
    if given is None:
        return {"status": "missing", "passed": 0, "total": 0, "error": "", "mistakes": [], "flags": [], "claimed": "",
                "tries": 0, "equations_shown": False, "solution_shown": False, "error_type": "", "error_cause": ""}
    checks = result.get("checks") if isinstance(result, dict) else None
    error = result.get("error") if isinstance(result, dict) else None
    error_type, error_cause = _error_codes(result.get("raised") if isinstance(result, dict) else None)
    return {
        "status": _status(result, CHECKED), "passed": _count_of(result, "passed"), "total": _count_of(result, "total"),
        "error": _error_text(error), "error_type": error_type, "error_cause": error_cause,
        "mistakes": _named(checks, _known_mistakes(exercise)), "flags": _flags(result),
        "claimed": given["status"], "tries": given["checks"],
        "equations_shown": given["equations_shown"], "solution_shown": given["solution_shown"],
    }


def _step_cell(given: dict[str, Any] | None, result: Any, version: int) -> dict[str, Any]:
    """A derivation step's cell: {"status" (STEP_GRADES), "hints", "claimed" (the file's word:
    passed or not), "mistake" (the fresh check's identifier, "" for none)}."""
    if given is None:
        return {"status": "missing", "hints": 0, "claimed": False, "mistake": ""}
    cell = {"hints": given["hints"], "claimed": given["passed"], "mistake": ""}
    if version == 1:
        return {**cell, "status": "unchecked"}
    if not given["expression"].strip():
        return {**cell, "status": "missing"}
    mistake = result.get("mistake") if isinstance(result, dict) else None
    return {**cell, "status": _status(result, CHECKED),
            "mistake": mistake if isinstance(mistake, str) and mistake in derive.MISTAKES else ""}


def _refused_row(entry: dict[str, Any], total: int) -> dict[str, Any]:
    return {"file": entry["file"], "name": entry["file"], "student_id": "", "problem": str(entry["problem"]), "failure": "",
            "duplicate": False, "graded": False, "cells": {}, "flags": [], "passed": 0, "total": total, "handed_in": "",
            "lessons": {}, "derivation": {}}


def _row(entry: dict[str, Any], checked: Any, names: list[str], lesson_names: list[str], steps: list[str]) -> dict[str, Any]:
    """One hand-in's row from its fresh results ``checked`` ({"exercises", "steps", "failure"}, or
    None where the grading never reached it)."""
    handin = entry["handin"]
    checked = checked if isinstance(checked, dict) else {}
    results = checked.get("exercises") if isinstance(checked.get("exercises"), dict) else {}
    step_results = checked.get("steps") if isinstance(checked.get("steps"), dict) else {}
    failure = checked.get("failure") if isinstance(checked.get("failure"), str) else ""
    cells = {name: _exercise_cell(name, handin["exercises"].get(name), results.get(name)) for name in names}
    given_steps = handin.get("derivation", {})
    derivation = {step: _step_cell(given_steps.get(step), step_results.get(step), handin["version"]) for step in steps}
    given_lessons = handin.get("lessons", {})
    graded = bool(checked) and not failure and all(cell["status"] != "ungraded" for cell in cells.values()) and all(
        cell["status"] != "ungraded" for cell in derivation.values())
    return {"file": entry["file"], "name": handin["name"], "student_id": handin.get("student_id", ""), "problem": "",
            "failure": failure[:TEXT_MAX_CHARS],
            "duplicate": False, "graded": graded, "cells": cells,
            "flags": [code for code in CODE_FLAGS if any(code in cell["flags"] for cell in cells.values())],
            "passed": sum(cell["status"] == "pass" for cell in cells.values()), "total": len(names),
            "handed_in": handin["created"],
            "lessons": {name: _lesson_cell(name, given_lessons.get(name)) for name in lesson_names},
            "derivation": derivation}


def rows(entries: list[dict[str, Any]], results: list[Any]) -> list[dict[str, Any]]:
    """The class table: one row per file, sorted by name, the refused files after the students (by
    their file names).

    ``results[i]`` holds the fresh results of ``entries[i]``: {"exercises": {exercise: a
    pynn.page.judge result}, "steps": {step: a pynn.page.derive result}, "failure": why grading
    this student stopped, "" for none}, or None where the grading never reached it (stopped);
    the statuses in the files are never used, and every result is read field by field. Each row:
    {"file", "name", "student_id" ("" for none), "problem" ("" for a hand-in read), "failure", "duplicate" (another row has the
    same name, ignoring case and spaces), "graded" (every piece checked), "cells": {exercise:
    ``_exercise_cell``}, "flags" (every code of its cells, in the table's order), "passed" (cells
    that pass), "total" (exercises in the table), "handed_in", "lessons": {lesson
    (``lesson_columns``): ``_lesson_cell``}, "derivation": {step (``step_columns``):
    ``_step_cell``}} (a refused file: no cells, lessons or steps). (The checks' own lines stay with
    the page, which has the results: a row is nested no deeper than the sandbox's messages may be,
    and holds no None below its top, which Pyodide would hand the page as undefined.)
    """
    if len(results) != len(entries):
        raise ValueError(text.say("handin.results", files=len(entries), results=len(results)))
    names, lesson_names, steps = columns(entries), lesson_columns(entries), step_columns(entries)
    table = [_refused_row(entry, len(names)) if entry["handin"] is None else _row(entry, checked, names, lesson_names, steps)
             for entry, checked in zip(entries, results)]
    counts: dict[str, int] = {}
    for row in table:
        if not row["problem"]:
            counts[_same(row["name"])] = counts.get(_same(row["name"]), 0) + 1
    for row in table:
        row["duplicate"] = not row["problem"] and counts[_same(row["name"])] > 1
    table.sort(key=lambda row: (bool(row["problem"]), _same(row["name"]), row["file"]))
    return table


def _lesson_text(cell: dict[str, Any]) -> str:
    """A lesson's CSV cell: right, wrong or missing, and "(not run)" after a prediction not run."""
    not_run = cell["status"] in ("right", "wrong") and not cell["ran"]
    return text.say("handin.csv.not-run", status=cell["status"]) if not_run else cell["status"]


def _step_text(cell: dict[str, Any]) -> str:
    """A derivation step's CSV cell: passed (checked again), not passed, not re-checked (a version 1
    file), with the hints shown; empty where it was not graded."""
    if cell["status"] == "ungraded":
        return ""
    said = text.say({"pass": "handin.csv.passed", "unchecked": "handin.csv.unchecked"}.get(cell["status"], "handin.csv.not-passed"))
    hints = cell["hints"]
    return text.say_n("handin.csv.hints", hints, said=said, n=hints) if hints else said


def _exercise_text(cell: dict[str, Any]) -> str:
    """An exercise's CSV cell: the fresh check's status; empty where it was not graded (never a 0)."""
    return "" if cell["status"] == "ungraded" else cell["status"]


def csv_text(table: list[dict[str, Any]], names: list[str], lesson_names: list[str] = (),
             steps: list[str] = ()) -> str:
    """The gradebook's plain CSV (UTF-8 with a BOM, for Excel): ``name,id,<exercise>…,passed,total,
    handed_in,flags,mistakes`` (``names``: the exercises; ``id``: the hand-in's student_id;
    ``flags``: the codes of what the code reaches outside its exercise, pynn.page.codeflags;
    ``mistakes``: ``exercise:id`` of what the mistakes summary counts each cell under,
    pynn.page.gradebook), then ``lesson:<lesson>…`` and ``derive:<step>…`` when the class has them
    (``_lesson_text``, ``_step_text``); one line per row of the table (the refused files last), each
    exercise's fresh status. A refused file has its file name, empty cells and, under handed_in,
    why it was refused; a student not graded (the grading stopped before them, or failed for them:
    its reason under handed_in) has empty cells where nothing was graded, and passed and total
    empty — never a 0. A duplicate name says "same name twice" under flags."""
    safe = gradebook.spreadsheet_safe
    out = io.StringIO()
    out.write(gradebook.BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "id", *names, "passed", "total", "handed_in", "flags", "mistakes",
                     *(f"lesson:{name}" for name in lesson_names), *(f"derive:{step}" for step in steps)])
    extra = len(lesson_names) + len(steps)
    for row in table:
        if row["problem"]:
            writer.writerow([safe(row["name"]), "", *([""] * len(names)), "", "", safe(text.say("handin.csv.refused", problem=row["problem"])),
                             "", "", *([""] * extra)])
            continue
        counted = [row["passed"], row["total"]] if row["graded"] else ["", ""]
        handed_in = safe(text.say("handin.csv.not-graded", failure=row["failure"])) if row["failure"] else row["handed_in"]
        flags = " ".join([*row["flags"], *(["same-name-twice"] if row["duplicate"] else [])])
        writer.writerow([safe(row["name"]), safe(row["student_id"]), *(_exercise_text(row["cells"][name]) for name in names),
                         *counted, handed_in, flags, gradebook.student_mistakes(row),
                         *(_lesson_text(row["lessons"][name]) for name in lesson_names),
                         *(_step_text(row["derivation"][step]) for step in steps)])
    return out.getvalue()


def report(entries: list[dict[str, Any]], results: list[Any]) -> dict[str, Any]:
    """Everything the class view shows, from the files read and their fresh check results (``rows``):
    {"columns", "lessons", "steps", "rows", "mistakes" (pynn.page.gradebook.summary), "title",
    "csv": {format: text} for each of gradebook.FORMATS, "csv_name": {format: file name}}
    (``lessons`` and ``steps``: the lesson and derivation columns); the CSVs' file names are
    ``pynn-<assignment>-grades.csv`` (``-canvas``, ``-moodle`` before ``.csv``), the assignment
    being the first hand-in's."""
    names = columns(entries)
    lesson_names = lesson_columns(entries)
    steps = step_columns(entries)
    table = rows(entries, results)
    title = next((entry["handin"]["assignment"]["title"] for entry in entries if entry["handin"]), "")
    stem = f"pynn-{_slug(title) or 'class'}-grades"
    return {"columns": names, "lessons": lesson_names, "steps": steps, "rows": table, "title": title,
            "mistakes": gradebook.summary(table, names),
            "csv": {"plain": csv_text(table, names, lesson_names, steps), "canvas": gradebook.canvas(table, title, len(names)),
                    "moodle": gradebook.moodle(table, names)},
            "csv_name": {"plain": f"{stem}.csv", "canvas": f"{stem}-canvas.csv", "moodle": f"{stem}-moodle.csv"}}

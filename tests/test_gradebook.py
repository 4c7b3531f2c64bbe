"""pynn.page.gradebook (issue 35): the mistakes summary, the Canvas and Moodle CSVs, the class file."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from pynn.page import gradebook, handin
from pynn.page.settings import CLASS_MAX_BYTES, CLASS_MAX_HANDINS

HASH = "assign=Week%206&exercises=forward,gradients"
CREATED = "2026-12-04T09:00:00+00:00"


def hand_in(name: str, student_id: str = "", exercises: tuple[str, ...] = ("forward", "gradients")) -> str:
    made = handin.make(assignment={"title": "Week 6", "hash": HASH}, name=name, build="t", created=CREATED,
                       student_id=student_id,
                       exercises={e: {"code": "x", "status": "pass", "passed": 1, "total": 1, "checks": 1,
                                      "equations_shown": False, "solution_shown": False} for e in exercises})
    return handin.dumps(made)


def graded(**cells: Any) -> dict[str, Any]:
    return {"exercises": cells, "steps": {}, "failure": ""}


def error(message: str) -> dict[str, Any]:
    return {"status": "error", "error": {"message": message, "line": 3}}


def lines(text: str) -> list[list[str]]:
    assert text.startswith(gradebook.BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(gradebook.BOM))))


@pytest.mark.parametrize(("status", "message", "kind"), [
    ("error", "ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0", "shape-mismatch"),
    ("error", "ValueError: operands could not be broadcast together with shapes (3,4) (5,4)", "shape-mismatch"),
    ("error", "NameError: name 'G0' is not defined", "name-not-defined"),
    ("error", "UnboundLocalError: cannot access local variable 'x'", "name-not-defined"),
    ("error", "SyntaxError: invalid syntax", "does-not-compile"),
    ("error", "TypeError: unsupported operand type(s) for -: 'NoneType' and 'float'", "no-return"),
    ("error", "ZeroDivisionError: division by zero", "other-error"),
    ("error", "", "other-error"),
    ("timeout", "", "timeout"), ("crashed", "", "crashed"), ("invalid", "", "invalid"),
    ("pass", "", ""), ("fail", "", ""), ("missing", "", ""), ("ungraded", "", ""),
])
def test_an_error_is_grouped_by_its_exceptions_type(status: str, message: str, kind: str) -> None:
    assert gradebook.error_kind(status, f"Line 3: {message}" if message else "") == kind


def test_the_summary_counts_errors_and_timeouts_each_student_once_under_the_most_specific() -> None:
    names = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]
    entries = [handin.read_entry(f"{n}.json", hand_in(n)) for n in names]
    shape = error("ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0")
    results = [
        graded(forward=shape, gradients={"status": "fail", "checks": [
            {"name": "a", "passed": False, "message": "m", "mistake": "gradient-check"},
            {"name": "b", "passed": False, "message": "m", "mistake": "W1-transposed"}]}),
        graded(forward=shape, gradients={"status": "timeout"}),
        graded(forward=error("NameError: name 'h0' is not defined"), gradients={"status": "crashed"}),
        graded(forward={"status": "pass"}, gradients={"status": "fail", "checks": [
            {"name": "a", "passed": False, "message": "m", "mistake": "wrong-values"},
            {"name": "b", "passed": False, "message": "m", "mistake": "mean-not-sum"}]}),
        graded(forward={"status": "pass"}, gradients={"status": "timeout"}),
        graded(forward={"status": "fail", "checks": []}, gradients={"status": "pass"}),
        None,
    ]
    found = gradebook.summary(handin.rows(entries, results), ["forward", "gradients"])
    assert [(item["id"], item["kind"], item["names"]) for item in found["forward"]] == [
        ("shape-mismatch", "error", ["Ada", "Bo"]), ("name-not-defined", "error", ["Cy"])]
    assert [(item["id"], item["names"]) for item in found["gradients"]] == [
        ("timeout", ["Bo", "Ed"]), ("W1-transposed", ["Ada"]), ("crashed", ["Cy"]), ("mean-not-sum", ["Di"])]
    assert found["forward"][0]["label"] == "shape mismatch (numpy refused to combine the arrays)"
    counted = [name for items in found.values() for item in items for name in item["names"]]
    assert len(counted) == len(set((exercise, name) for exercise, items in found.items()
                                   for item in items for name in item["names"]))  # once per exercise


def test_a_label_is_plain_words_without_a_students_own_numbers() -> None:
    assert "(N = " not in gradebook.label("gradients", "mean-not-sum")
    assert "{" not in gradebook.label("loss", "mean-not-sum")
    assert gradebook.label("gradients", "timeout") == "ran too long (stopped: an endless loop?)"


def class_of(*students: tuple[str, str]) -> tuple[list[dict[str, Any]], list[Any]]:
    entries = [handin.read_entry(f"{name}.json", hand_in(name, sid)) for name, sid in students]
    entries.append(handin.read_entry("notes.json", "{ not json"))
    results = [graded(forward={"status": "pass"}, gradients={"status": "fail"}) for _ in students] + [None]
    return entries, results


def test_the_canvas_csv_has_canvass_import_columns_and_one_row_per_student() -> None:
    entries, results = class_of(("Ada", "ada@school.org"), ("Bo", "12345"), ("=cmd", ""), ("Bo", "999"))
    results[1] = None  # Bo not graded: no score, never 0
    report = handin.report(entries, results)
    rows = lines(report["csv"]["canvas"])
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 6"]
    assert rows[1] == ["    Points Possible", "", "", "", "", "2"]
    by_name = {row[0]: row for row in rows[2:]}
    assert by_name["Ada"] == ["Ada", "", "", "ada@school.org", "", "1"]
    assert by_name["Bo (same name twice)"][2:] == ["12345", "", "", ""] or by_name["Bo (same name twice)"][2:] == ["999", "", "", "1"]
    assert "'=cmd" in by_name
    assert rows[-1][0].startswith("notes.json (refused: this file is not JSON") and rows[-1][-1] == ""
    assert len(rows) == 2 + 5
    assert report["csv_name"]["canvas"] == "pynn-Week-6-grades-canvas.csv"


def test_the_moodle_csv_has_the_id_and_email_columns_and_one_column_per_exercise() -> None:
    entries, results = class_of(("Ada", "ada@school.org"), ("Bo", "12345"))
    report = handin.report(entries, results)
    rows = lines(report["csv"]["moodle"])
    assert rows[0] == ["ID number", "Email address", "Full name", "forward", "gradients", "note"]
    assert rows[1:3] == [["", "ada@school.org", "Ada", "1", "0", ""], ["12345", "", "Bo", "1", "0", ""]]
    assert rows[3][:3] == ["", "", "notes.json"] and rows[3][3:5] == ["", ""] and rows[3][5].startswith("refused: ")
    assert report["csv_name"]["moodle"] == "pynn-Week-6-grades-moodle.csv"


def test_the_hand_ins_id_is_read_and_a_required_id_is_asked_for() -> None:
    assert handin.read(hand_in("Ada", " ada@school.org "))["student_id"] == "ada@school.org"
    assert "student_id" not in handin.read(hand_in("Ada"))
    with pytest.raises(ValueError, match="'student_id' must be text"):
        handin.validate({**json.loads(hand_in("Ada")), "student_id": 5})
    required = {"title": "W", "hash": "assign=W&exercises=relu&student_id=required"}
    with pytest.raises(ValueError, match="school id or e-mail"):
        handin.make(assignment=required, name="Ada", build="t", exercises={})
    assert handin.make(assignment=required, name="Ada", build="t", exercises={}, student_id="7")["student_id"] == "7"


def test_a_class_file_reads_back_every_hand_in_as_received() -> None:
    handins = [{"file": "ada.json", "text": hand_in("Ada"), "received": CREATED},
               {"file": "notes.json", "text": "{ not json", "received": ""}]
    made = gradebook.class_file("Week 6", HASH, handins, saved=CREATED)
    assert made["filename"] == "pynn-Week-6-class.json"
    read = gradebook.read_class(made["text"])
    assert read == {"title": "Week 6", "hash": HASH, "saved": CREATED, "handins": handins}


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 5_000 + "]" * 5_000, "more than 64 levels deep"),
    ("[]", "not a pynn class"),
    ('{"format": "pynn-handin"}', 'format is not "pynn-class"'),
    ('{"format": "pynn-class", "version": true, "handins": []}', "version is not 1"),
    ('{"format": "pynn-class", "version": 1, "handins": {}}', "'handins' must be a list"),
    ('{"format": "pynn-class", "version": 1, "handins": [{"file": "a", "text": 3}]}', "hand-in 1 of this class file"),
    ('{"format": "pynn-class", "version": 1, "handins": [], "title": ["x"]}', "'title' must be text"),
    ("{ nope", "is not JSON"),
    (json.dumps({"format": "pynn-class", "version": 1, "handins": [{"file": "a", "text": ""}] * (CLASS_MAX_HANDINS + 1)}),
     "at most 1,000 are read"),
])
def test_a_hostile_class_file_is_refused_with_a_reason(content: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gradebook.read_class(content)


def test_a_class_file_over_its_limit_is_refused_unread() -> None:
    with pytest.raises(ValueError, match="a class file is at most 20,000,000 bytes"):
        gradebook.read_class("", size=CLASS_MAX_BYTES + 1)

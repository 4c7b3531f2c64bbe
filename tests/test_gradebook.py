"""pynn.page.gradebook (issue 35): the mistakes summary, the Canvas and Moodle CSVs, the class file;
the summary decides on codes (the exception's type, its cause, the mistakes' ids), never on a
sentence, so a catalogue in use changes its labels and none of its decisions (issue 34)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from judged import check
from pseudo import pseudo_language
from pynn.page import exercises, gradebook, handin
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


def error(message: str, type_: str, cause: str = "") -> dict[str, Any]:
    return {"status": "error", "error": {"message": message, "line": 3}, "raised": {"type": type_, "cause": cause}}


def lines(text: str) -> list[list[str]]:
    assert text.startswith(gradebook.BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(gradebook.BOM))))


@pytest.mark.parametrize(("status", "type_", "cause", "kind"), [
    ("error", "ValueError", "arrays", "shape-mismatch"),
    ("error", "TypeError", "none", "no-return"),
    ("error", "NameError", "", "name-not-defined"),
    ("error", "UnboundLocalError", "", "name-not-defined"),
    ("error", "SyntaxError", "", "does-not-compile"),
    ("error", "IndentationError", "", "does-not-compile"),
    ("error", "ValueError", "", "other-error"),
    ("error", "ZeroDivisionError", "", "other-error"),
    ("error", "", "", "other-error"),
    ("timeout", "", "", "timeout"), ("crashed", "", "", "crashed"), ("invalid", "", "", "invalid"),
    ("pass", "", "", ""), ("fail", "", "", ""), ("missing", "", "", ""), ("ungraded", "", "", ""),
])
def test_an_error_is_grouped_by_its_codes(status: str, type_: str, cause: str, kind: str) -> None:
    assert gradebook.error_kind(status, type_, cause) == kind


def test_the_summary_counts_errors_and_timeouts_each_student_once_under_the_most_specific() -> None:
    names = ["Ada", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"]
    entries = [handin.read_entry(f"{n}.json", hand_in(n)) for n in names]
    shape = error("ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0", "ValueError", "arrays")
    results = [
        graded(forward=shape, gradients={"status": "fail", "checks": [
            {"name": "a", "passed": False, "message": "m", "mistake": "gradient-check"},
            {"name": "b", "passed": False, "message": "m", "mistake": "W1-transposed"}]}),
        graded(forward=shape, gradients={"status": "timeout"}),
        graded(forward=error("NameError: name 'h0' is not defined", "NameError"), gradients={"status": "crashed"}),
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
    assert gradebook.label("gradients", "mean-not-sum") == (
        "yours are 1/N of pynn's: that is the gradient of the mean; the spec's L is the sum, so do not divide by N")
    assert gradebook.label("loss", "mean-not-sum").startswith("that is the mean over the N examples;")
    assert gradebook.label("gradients", "b-per-example") == "that is one column per example — ∂L/∂b sums them (axis=1)"
    assert gradebook.label("gradients", "timeout") == "ran too long (stopped: an endless loop?)"


@pytest.mark.parametrize("name", exercises.ORDER)
def test_every_mistake_of_every_exercise_has_a_label_said_by_its_id(name: str) -> None:
    found = exercises.EXERCISES[name]
    for mistake in (*found.mistakes, *exercises.GENERIC):
        label = gradebook.label(name, mistake)
        assert label and "{" not in label and label != mistake


# -- the same decisions in another language -------------------------------------------------------

BROKEN = {
    "shape-mismatch": "def forward(W0, b0, W1, b1, X):\n    s0 = W0.T @ X + b0\n    return s0, s0, s0, s0\n",
    "no-return": ("def act(s):\n    np.maximum(s, 0)\n\n"
                  "def forward(W0, b0, W1, b1, X):\n    h0 = act(W0 @ X + b0)\n    s1 = W1 @ h0 + b1\n    return s1, h0, s1, s1\n"),
    "name-not-defined": "def forward(W0, b0, W1, b1, X):\n    return s0, h0, s1, h1\n",
    "does-not-compile": "def forward(W0, b0, W1, b1, X)\n    return 1\n",
    "other-error": "def forward(W0, b0, W1, b1, X):\n    return 1 / 0\n",
}
"""Code that raises, by the kind its error is counted under: each a real check of real code."""
BROKEN_NUMPY = "import numpy as np\n"


def class_summary() -> dict[str, list[dict[str, Any]]]:
    """The forward exercise's summary of a class whose students each broke it another way (and one
    who got the gradients' mean wrong), checked afresh as the class view does."""
    mean = exercises.SOLUTIONS["gradients"].replace("@ h0.T", "@ h0.T / X.shape[1]", 1)
    assert mean != exercises.SOLUTIONS["gradients"]
    codes = {kind: BROKEN_NUMPY + code for kind, code in BROKEN.items()}
    entries = [handin.read_entry(f"{kind}.json", handin.dumps(handin.make(
        assignment={"title": "Week 6", "hash": HASH}, name=kind, build="t", created=CREATED,
        exercises={"forward": {"code": code, "status": "error", "passed": 0, "total": 1, "checks": 1,
                               "equations_shown": False, "solution_shown": False},
                   "gradients": {"code": mean, "status": "fail", "passed": 0, "total": 1, "checks": 1,
                                 "equations_shown": False, "solution_shown": False}})))
               for kind, code in codes.items()]
    results = [graded(forward=check("forward", code, seed=7), gradients=check("gradients", mean, seed=7))
               for code in codes.values()]
    return gradebook.summary(handin.rows(entries, results), ["forward", "gradients"])


def test_real_errors_are_counted_under_their_kinds() -> None:
    found = class_summary()
    assert {item["id"]: item["names"] for item in found["forward"]} == {kind: [kind] for kind in BROKEN}
    assert [item["id"] for item in found["gradients"]] == ["mean-not-sum"]


def test_a_catalogue_changes_the_labels_and_none_of_the_decisions() -> None:
    with pseudo_language() as said:
        found = class_summary()
    english = class_summary()
    decided = lambda summary: {name: [(item["id"], item["kind"], item["names"]) for item in items]  # noqa: E731
                               for name, items in summary.items()}
    assert decided(found) == decided(english)
    labels = {item["id"]: item["label"] for items in found.values() for item in items}
    assert labels["shape-mismatch"] == said("gradebook.kind.shape-mismatch")
    assert labels["mean-not-sum"] == said("exercise.gradients.mistake.mean-not-sum", **gradebook.LABEL_VALUES)
    assert labels["mean-not-sum"] != english["gradients"][0]["label"]


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

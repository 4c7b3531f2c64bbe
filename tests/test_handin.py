"""pynn.page.handin: the hand-in file (every refusal by its whole message) and the class view's
grading from fresh check results (rows, duplicates, mistakes, CSV); the assignment link's keys."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from judged import check, check_step
from pynn.page import exercises, gradebook, handin, lessons, settings

HASH = "assign=Backprop%20homework&exercises=forward,gradients&solutions=off&equations=ask&panels=plane,exercises"
CREATED = "2026-12-04T09:00:00+00:00"
TRANSPOSED = exercises.SOLUTIONS["gradients"].replace("G1 @ h0.T", "h0 @ G1.T")


def entry(code: str = "x = 1", status: str = "pass", **changes: Any) -> dict[str, Any]:
    return {"code": code, "status": status, "passed": 3, "total": 3, "checks": 2,
            "equations_shown": True, "solution_shown": False, **changes}


def valid(**changes: Any) -> dict[str, Any]:
    return {"format": "pynn-handin", "version": 2,
            "assignment": {"title": "Backprop homework", "hash": HASH},
            "name": "Ada", "created": CREATED, "build": "abc123",
            "exercises": {"forward": entry(exercises.SOLUTIONS["forward"]), "gradients": entry(TRANSPOSED)},
            **changes}


def plain(report: dict[str, Any]) -> list[list[str]]:
    """The plain CSV's lines, read as a spreadsheet reads a UTF-8 file with a BOM."""
    return list(csv.reader(io.StringIO(report["csv"]["plain"].removeprefix("\ufeff"))))


def text(value: Any) -> str:
    return json.dumps(value)


def test_an_assignments_exercises_are_the_exercises_order() -> None:
    assert settings.ASSIGNMENT["exercises"].choices == tuple(exercises.ORDER)


def test_a_valid_hand_in_reads_back_as_made() -> None:
    made = handin.make(assignment={"title": "Backprop homework", "hash": HASH}, name=" Ada ", build="abc123",
                       exercises=valid()["exercises"], created=CREATED)
    assert made == {**valid(), "name": "Ada"}
    assert handin.read(handin.dumps(made)) == made
    assert list(made["exercises"]) == ["forward", "gradients"]


def test_make_stamps_the_time_now_when_none_is_given() -> None:
    made = handin.make(assignment={"title": "", "hash": ""}, name="Ada", build="b", exercises={})
    assert made["created"].endswith("+00:00") and made["created"][:2] == "20"


def test_fields_of_later_extensions_are_dropped_not_refused() -> None:
    value = valid(notes={"steps": 3})
    value["exercises"]["forward"]["hints"] = 2
    value["lessons"] = {"init": {"prediction": 2, "ran": True, "seconds": 40}}
    read = handin.read(text(value))
    assert "notes" not in read and "hints" not in read["exercises"]["forward"]
    assert read["lessons"] == {"init": {"prediction": 2, "ran": True}}


LESSONS = {"noise": {"prediction": None, "ran": False}, "init": {"prediction": 2, "ran": True},
           "capacity": {"prediction": 0, "ran": False}}
DERIVATION = {"W1": {"passed": False, "hints": 2, "expression": ""}, "h1": {"passed": True, "hints": 0, "expression": "-yoh / h1"}}


def test_a_hand_in_carries_the_lessons_predictions_and_the_derivations_steps_when_given() -> None:
    made = handin.make(assignment={"title": "Backprop homework", "hash": HASH + "&lessons=init"}, name="Ada",
                       build="abc123", exercises={}, created=CREATED, lessons=LESSONS, derivation=DERIVATION)
    assert list(made) == ["format", "version", "assignment", "name", "created", "build", "exercises", "lessons",
                          "derivation"]
    assert list(made["lessons"]) == ["capacity", "init"]  # the lessons' order; one not predicted says nothing
    assert made["lessons"] == {"capacity": LESSONS["capacity"], "init": LESSONS["init"]}
    assert made["derivation"] == DERIVATION
    assert list(made["derivation"]) == ["h1", "W1"]  # the derivation's order
    assert handin.read(handin.dumps(made)) == made
    plain = handin.make(assignment={"title": "", "hash": ""}, name="Ada", build="b", exercises={}, created=CREATED)
    assert "lessons" not in plain and "derivation" not in plain


def wrong(**changes: Any) -> str:
    return text(valid(**changes))


def with_entry(**changes: Any) -> str:
    value = valid()
    value["exercises"]["forward"] = {**value["exercises"]["forward"], **changes}
    return text(value)


def without(field: str) -> str:
    value = valid()
    del value[field]
    return text(value)


REFUSALS = [
    ("{", "this file is not JSON (Expecting property name enclosed in double quotes at line 1, column 2)"),
    ("", "this file is not JSON (Expecting value at line 1, column 1)"),
    ("[1, 2]", "this file is not a pynn hand-in: it holds a list, not an object"),
    (text({"W0": []}), 'this file is not a pynn hand-in: it has no "format": "pynn-handin"'),
    (wrong(format="pynn-model"), 'this file is not a pynn hand-in: its format is "pynn-model", not "pynn-handin"'),
    (wrong(version=3), "this hand-in's version is 3; this page reads versions 1 and 2"),
    (wrong(version=True), "this hand-in's version is true; this page reads versions 1 and 2"),
    (without("version"), "this hand-in's version is missing; this page reads versions 1 and 2"),
    (without("build"), "the hand-in has no field 'build'"),
    (wrong(assignment="Backprop"), "'assignment' must be an object, not text"),
    (wrong(assignment={"title": "x"}), "'assignment' has no field 'hash'"),
    (wrong(assignment={"title": 3, "hash": ""}), "the assignment's 'title' must be text, not a whole number"),
    (wrong(assignment={"title": "t" * 101, "hash": ""}), "the assignment's 'title' is 101 characters; at most 100 are allowed"),
    (wrong(name=None), "'name' must be text, not null"),
    (wrong(name="  "), "'name' is empty: a hand-in needs the student's name"),
    (wrong(name="n" * 101), "'name' is 101 characters; at most 100 are allowed"),
    (wrong(created="yesterday"), "'created' must be an ISO date and time, not \"yesterday\""),
    (wrong(build=[1]), "'build' must be text, not a list"),
    (wrong(exercises=[]), "'exercises' must be an object, not a list"),
    (wrong(exercises={"backprop": entry()}), f'unknown exercise "backprop"; known: {", ".join(exercises.ORDER)}'),
    (wrong(exercises={"relu": "def relu(s): ..."}), "exercise 'relu' must be an object, not text"),
    (wrong(exercises={"relu": {"code": ""}}), "exercise 'relu' has no field 'status'"),
    (with_entry(code=3.5), "'code' of exercise 'forward' must be text, not a number"),
    (with_entry(code="x" * 20_001), "the code of exercise 'forward' is 20,001 characters; the page's limit is 20,000"),
    (with_entry(status="passed"), "'status' of exercise 'forward' must be one of pass, fail, error, timeout, crashed, invalid, unchecked, not \"passed\""),
    (with_entry(status=1), "'status' of exercise 'forward' must be one of pass, fail, error, timeout, crashed, invalid, unchecked, not a whole number"),
    (with_entry(passed="3"), "'passed' of exercise 'forward' must be a whole number, not text"),
    (with_entry(total=True), "'total' of exercise 'forward' must be a whole number, not true/false"),
    (with_entry(checks=-1), "'checks' of exercise 'forward' must be 0 or more, not -1"),
    (with_entry(passed=4, total=3), "exercise 'forward' says 4 of 3 checks passed"),
    (with_entry(equations_shown="yes"), "'equations_shown' of exercise 'forward' must be true or false, not text"),
    (with_entry(solution_shown=0), "'solution_shown' of exercise 'forward' must be true or false, not a whole number"),
    ("[" * 100_000, "this file nests its lists and objects more than 64 levels deep; a pynn file nests a few levels, "
                    "so it is not read"),
]


@pytest.mark.parametrize(("content", "message"), REFUSALS)
def test_every_refusal_says_why_in_a_whole_sentence(content: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        handin.read(content)
    assert str(caught.value) == message


def with_lesson(**changes: Any) -> str:
    return text(valid(lessons={"init": {"prediction": 2, "ran": True, **changes}}))


def with_step(**changes: Any) -> str:
    return text(valid(derivation={"W1": {"passed": True, "hints": 1, "expression": "g1 @ h0.T", **changes}}))


LESSON_REFUSALS = [
    (wrong(lessons=["init"]), "'lessons' must be an object, not a list"),
    (wrong(lessons={"momentum": {"prediction": 0, "ran": False}}),
     f'unknown lesson "momentum"; known: {", ".join(lessons.ORDER)}'),
    (wrong(lessons={"init": 2}), "lesson 'init' must be an object, not a whole number"),
    (wrong(lessons={"init": {"prediction": 2}}), "lesson 'init' has no field 'ran'"),
    (wrong(lessons={"init": {"ran": True}}), "lesson 'init' has no field 'prediction'"),
    (with_lesson(prediction="2"), "'prediction' of lesson 'init' must be a choice 0 to 3 or null, not text"),
    (with_lesson(prediction=True), "'prediction' of lesson 'init' must be a choice 0 to 3 or null, not true/false"),
    (with_lesson(prediction=1.0), "'prediction' of lesson 'init' must be a choice 0 to 3 or null, not a number"),
    (with_lesson(prediction=4), "'prediction' of lesson 'init' must be a choice 0 to 3 or null, not 4"),
    (with_lesson(prediction=-1), "'prediction' of lesson 'init' must be a choice 0 to 3 or null, not -1"),
    (with_lesson(ran="yes"), "'ran' of lesson 'init' must be true or false, not text"),
    (with_lesson(prediction=None), "lesson 'init' says it ran without a prediction: the page runs a lesson only after one"),
    (wrong(derivation="h1"), "'derivation' must be an object, not text"),
    (wrong(derivation={"W2": {"passed": True, "hints": 0}}),
     'unknown derivation step "W2"; known: h1, s1, W1, b1, h0, s0, W0, b0, batch'),
    (wrong(derivation={"W1": None}), "derivation step 'W1' must be an object, not null"),
    (wrong(derivation={"W1": {"passed": True}}), "derivation step 'W1' has no field 'hints'"),
    (wrong(derivation={"W1": {"passed": True, "hints": 0}}), "derivation step 'W1' has no field 'expression'"),
    (with_step(expression=["g1"]), "'expression' of derivation step 'W1' must be text, not a list"),
    (with_step(expression="g1 + " * 100), "'expression' of derivation step 'W1' is 500 characters; at most 400 are allowed"),
    (with_step(passed=1), "'passed' of derivation step 'W1' must be true or false, not a whole number"),
    (with_step(hints=0.5), "'hints' of derivation step 'W1' must be a whole number, not a number"),
    (with_step(hints=-2), "'hints' of derivation step 'W1' must be 0 or more, not -2"),
    (with_step(hints=99), "derivation step 'W1' says 99 hints were shown; it has 3"),
]


@pytest.mark.parametrize(("content", "message"), LESSON_REFUSALS)
def test_every_refusal_of_the_lessons_and_the_derivation_says_why_in_a_whole_sentence(content: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        handin.read(content)
    assert str(caught.value) == message


def test_make_refuses_the_lessons_and_the_derivation_as_read_does() -> None:
    with pytest.raises(ValueError) as caught:
        handin.make(assignment={"title": "", "hash": ""}, name="Ada", build="b", exercises={},
                    lessons={"init": {"prediction": 9, "ran": False}})
    assert str(caught.value) == "'prediction' of lesson 'init' must be a choice 0 to 3 or null, not 9"


def test_a_file_over_200_kB_is_refused_before_it_is_parsed() -> None:
    big = " " * 200_001
    with pytest.raises(ValueError) as caught:
        handin.read(big)
    assert str(caught.value) == "this file is 200,001 bytes; a hand-in is at most 200,000 bytes"
    assert handin.read(" " * (200_000 - len(text(valid()))) + text(valid()))["name"] == "Ada"
    with pytest.raises(ValueError) as caught:
        handin.read("é" * 100_001)  # 200,002 bytes in UTF-8
    assert str(caught.value) == "this file is 200,002 bytes; a hand-in is at most 200,000 bytes"
    unread = handin.read_entry("huge.json", "", size=5_000_000)
    assert unread == {"file": "huge.json", "handin": None,
                      "problem": "this file is 5,000,000 bytes; a hand-in is at most 200,000 bytes"}


def test_the_limits_are_the_settings_tables() -> None:
    table = settings.table()
    assert table["handin_max_bytes"] == handin.HANDIN_MAX_BYTES == 200_000
    assert table["code_max_chars"] == handin.CODE_MAX_CHARS == 20_000
    assert table["exercises"]["order"] == list(exercises.ORDER)


def test_make_refuses_what_read_would_refuse() -> None:
    with pytest.raises(ValueError, match="^'name' is empty: a hand-in needs the student's name$"):
        handin.make(assignment={"title": "", "hash": ""}, name="", build="b", exercises={})
    big = {name: entry("é" * 19_000) for name in exercises.ORDER}  # 2 bytes a character in UTF-8
    with pytest.raises(ValueError) as caught:
        handin.make(assignment={"title": "", "hash": ""}, name="Ada", build="b", exercises=big)
    assert str(caught.value).startswith("this hand-in would be ") and str(caught.value).endswith(
        " bytes; a hand-in is at most 200,000 bytes: make your code shorter")


def test_the_file_name_is_pynn_assignment_name() -> None:
    assert handin.filename("Backprop homework", "Ada Lovelace") == "pynn-Backprop-homework-Ada-Lovelace.json"
    assert handin.filename("", "../../etc/passwd") == "pynn-exercises-etc-passwd.json"
    assert handin.filename("Ü/1", "") == "pynn-Ü-1-student.json"
    out = handin.hand_in(assignment={"title": "HW 1", "hash": ""}, name="Bo", build="b", exercises={}, created=CREATED)
    assert out == {"handin": handin.read(handin.dumps(out["handin"])), "filename": "pynn-HW-1-Bo.json"}


# --- grading ------------------------------------------------------------------------------------


def student(name: str, handed: dict[str, str], status: str = "pass", hash_: str = HASH) -> str:
    return text(valid(name=name, assignment={"title": "Backprop homework", "hash": hash_},
                      exercises={exercise: entry(code, status) for exercise, code in handed.items()}))


def fresh(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the class view does: check every handed-in piece of code and every step's expression
    again (the page's three steps: tests/judged.py)."""
    return [{"exercises": {exercise: check(exercise, given["code"])
                           for exercise, given in (item["handin"] or {"exercises": {}})["exercises"].items()},
             "steps": {step: check_step(step, given["expression"])
                       for step, given in (item["handin"] or {}).get("derivation", {}).items() if given.get("expression")},
             "failure": ""}
            for item in entries]


def graded(**exercises_: Any) -> dict[str, Any]:
    """One student's fresh results, as the page hands them to class_report."""
    return {"exercises": exercises_, "steps": {}, "failure": ""}


def test_the_class_table_grades_the_fresh_checks_never_the_files_statuses() -> None:
    entries = [
        handin.read_entry("ada.json", student("Ada", {"forward": exercises.SOLUTIONS["forward"],
                                                      "gradients": exercises.SOLUTIONS["gradients"]})),
        # claims "pass" for W1's gradient transposed, and leaves forward out
        handin.read_entry("bo.json", student("Bo", {"gradients": TRANSPOSED}, status="pass")),
        handin.read_entry("broken.json", "{not json"),
    ]
    assert entries[2] == {"file": "broken.json", "handin": None,
                          "problem": "this file is not JSON (Expecting property name enclosed in double quotes at line 1, column 2)"}
    report = handin.report(entries, fresh(entries))
    assert report["columns"] == ["forward", "gradients"]
    by_name = {row["name"]: row for row in report["rows"]}
    assert [row["name"] for row in report["rows"]] == ["Ada", "Bo", "broken.json"]
    assert {name: cell["status"] for name, cell in by_name["Ada"]["cells"].items()} == {"forward": "pass", "gradients": "pass"}
    bo = by_name["Bo"]["cells"]
    assert bo["forward"]["status"] == "missing"
    assert bo["gradients"]["status"] == "fail" and bo["gradients"]["claimed"] == "pass"
    assert bo["gradients"]["mistakes"] == ["W1-transposed"] and bo["gradients"]["passed"] == 0
    assert (by_name["Ada"]["passed"], by_name["Bo"]["passed"], by_name["Bo"]["total"]) == (2, 0, 2)
    assert by_name["broken.json"]["problem"].startswith("this file is not JSON")
    assert by_name["broken.json"]["cells"] == {}


def test_a_timeout_a_crash_an_error_and_a_stopped_grading_each_have_their_cell() -> None:
    entries = [handin.read_entry("a.json", student("Ann", {"forward": "x", "gradients": "y"}))]
    results = [graded(forward={"status": "timeout", "checks": [], "error": {"message": "stopped after 5 s", "line": None}})]
    row = handin.rows(entries, results)[0]
    assert row["cells"]["forward"]["status"] == "timeout" and row["cells"]["forward"]["error"] == "stopped after 5 s"
    assert row["cells"]["gradients"]["status"] == "ungraded" and not row["graded"]
    crashed = [graded(forward={"status": "crashed", "error": {"message": "the sandbox's Python crashed", "line": None}},
                      gradients={"status": "invalid", "error": {"message": "the sandbox's answer was refused: x"}})]
    cells = handin.rows(entries, crashed)[0]["cells"]
    assert (cells["forward"]["status"], cells["gradients"]["status"]) == ("crashed", "invalid")
    forged = [graded(forward={"status": "excellent"}, gradients={"status": "error", "error": {"message": "x", "line": 1}})]
    cells = handin.rows(entries, forged)[0]["cells"]
    assert (cells["forward"]["status"], cells["gradients"]["status"]) == ("invalid", "error")
    assert (cells["forward"]["error"], cells["gradients"]["error"]) == ("", "Line 1: x")
    never = handin.rows(entries, [None])[0]
    assert {cell["status"] for cell in never["cells"].values()} == {"ungraded"} and not never["graded"]
    with pytest.raises(ValueError, match="^1 files but 0 sets of results$"):
        handin.rows(entries, [])


@pytest.mark.parametrize("result", [
    {"status": "fail", "checks": [{"name": "values", "passed": False, "message": "…", "mistake": ["W1-transposed"]}]},
    {"status": "fail", "checks": [{"name": "values", "passed": False, "message": "…", "mistake": {"a": 1}}]},
    {"status": "fail", "checks": "W1-transposed", "flags": "imports-js dunder"},
    {"status": ["pass"], "passed": "5", "total": True, "error": ["x"], "flags": [{"x": 1}, "no-such-flag"]},
    "pass",
    [1, 2],
])
def test_a_poisoned_result_is_read_field_by_field_and_never_stops_the_report(result) -> None:
    """What came back for a cell is read field by field: a mistake that is not one of the exercise's
    identifiers (a list, an object) is not counted, unknown flags are dropped, a status that is not
    one a check gives is "invalid"; the other students' rows are made as ever."""
    entries = [handin.read_entry("a.json", student("Ann", {"gradients": "x"})),
               handin.read_entry("b.json", student("Bo", {"gradients": "y"}))]
    report = handin.report(entries, [graded(gradients=result), graded(gradients={"status": "pass", "passed": 5, "total": 5})])
    ann, bo = report["rows"]
    assert ann["cells"]["gradients"]["mistakes"] == [] and ann["cells"]["gradients"]["flags"] == []
    assert ann["cells"]["gradients"]["status"] in ("fail", "invalid")
    assert (bo["cells"]["gradients"]["status"], bo["passed"]) == ("pass", 1)
    assert [item["id"] for item in report["mistakes"]["gradients"]] in ([], ["invalid"])  # never a poisoned id


def depth(value: Any) -> int:
    """How deeply objects and lists nest in ``value`` (a string or number: 0)."""
    if isinstance(value, dict):
        return 1 + max((depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(item) for item in value), default=0)
    return 0


def nones(value: Any) -> bool:
    """Whether a None is anywhere in ``value``."""
    if isinstance(value, dict):
        return any(nones(item) for item in value.values())
    if isinstance(value, list):
        return any(nones(item) for item in value)
    return value is None


def test_every_answer_fits_the_sandboxs_messages() -> None:
    """web/start/messages.js refuses a message (the answer's fields are the message's) with an
    object or list 6 levels below it, and text over 100,000 characters (tests/js/teacher.test.mjs
    passes real answers through it too)."""
    entries = [handin.read_entry("bo.json", student("Bo", {"gradients": TRANSPOSED})), handin.read_entry("x.json", "")]
    report = handin.report(entries, fresh(entries))
    made = handin.hand_in(assignment={"title": "t", "hash": ""}, name="Bo", build="b",
                          exercises={name: entry("x" * 20_000) for name in exercises.ORDER})
    for answer in (report, entries[0], entries[1], made):
        assert depth(answer) <= 6, answer
        assert not any(isinstance(item, (dict, list)) and nones(item) for item in answer.values()), answer  # Pyodide: None → undefined below the top
    assert all(len(item) <= 100_000 for item in (*made["handin"]["exercises"].values(),) for item in item.values() if isinstance(item, str))


def test_the_same_name_twice_keeps_both_rows_marked() -> None:
    entries = [handin.read_entry(f"{i}.json", student(name, {"forward": "x"}))
               for i, name in enumerate(["Ada", "ada ", "Bo", "A  da"])]
    table = handin.rows(entries, [{} for _ in entries])
    assert [(row["file"], row["duplicate"]) for row in table] == [
        ("3.json", False), ("0.json", True), ("1.json", True), ("2.json", False)]


def test_the_columns_follow_the_assignments_order_then_any_other_exercise_handed_in() -> None:
    one = handin.read_entry("a.json", student("A", {"relu": "x"}, hash_="exercises=gradients,forward"))
    two = handin.read_entry("b.json", student("B", {"relu": "x"}, hash_="exercises=loss,forward"))
    assert handin.columns([one, two]) == ["gradients", "forward", "loss", "relu"]
    assert handin.columns([handin.read_entry("c.json", "")]) == []


def check_line(mistake: Any, passed: bool = False) -> dict[str, Any]:
    return {"name": "values", "passed": passed, "message": "…", "mistake": mistake}


def test_mistakes_count_each_student_once_per_named_mistake() -> None:
    entries = [handin.read_entry(f"{name}.json", student(name, {"gradients": "x", "loss": "y"}))
               for name in ("Cy", "Ada", "Bo", "Di")]
    results = [
        graded(gradients={"status": "fail", "checks": [check_line("W1-transposed"), check_line("W1-transposed")]},
               loss={"status": "fail", "checks": [check_line("mean-not-sum")]}),
        graded(gradients={"status": "fail", "checks": [check_line("W1-transposed"), check_line("no-relu-mask")]}),
        graded(gradients={"status": "fail", "checks": [check_line("no-relu-mask"), check_line(None),
                                                       {"name": "x", "passed": False, "message": "no id"},
                                                       check_line("not an identifier of gradients")]}),
        graded(gradients={"status": "pass", "checks": [check_line("W1-transposed", passed=True)]}),
    ]
    found = gradebook.summary(handin.rows(entries, results), ["gradients", "loss"])
    label = gradebook.label
    # Ada's W1 transposed and missing mask: counted once, under the more specific (W1-transposed
    # comes first in gradients' table)
    assert found == {
        "gradients": [{"id": "W1-transposed", "kind": "mistake", "label": label("gradients", "W1-transposed"), "count": 2,
                       "names": ["Ada", "Cy"]},
                      {"id": "no-relu-mask", "kind": "mistake", "label": label("gradients", "no-relu-mask"), "count": 1,
                       "names": ["Bo"]}],
        "loss": [{"id": "mean-not-sum", "kind": "mistake", "label": label("loss", "mean-not-sum"), "count": 1, "names": ["Cy"]}],
    }


def test_the_checks_own_identifiers_are_counted_with_their_hints() -> None:
    """Real checks of real code: W1's gradient transposed by two students, the mean by one."""
    transposed = student("Bo", {"gradients": TRANSPOSED, "loss": exercises.SOLUTIONS["loss"]})
    mean = exercises.SOLUTIONS["loss"].replace(".sum())", ".mean())")
    assert mean != exercises.SOLUTIONS["loss"]
    entries = [handin.read_entry("bo.json", transposed),
               handin.read_entry("cy.json", student("Cy", {"gradients": TRANSPOSED, "loss": mean})),
               handin.read_entry("ada.json", student("Ada", {name: exercises.SOLUTIONS[name] for name in ("gradients", "loss")}))]
    found = handin.report(entries, fresh(entries))["mistakes"]
    assert found["gradients"] == [{"id": "W1-transposed", "kind": "mistake", "label": "did you write H0·G1ᵀ instead of G1·H0ᵀ?",
                                   "count": 2, "names": ["Bo", "Cy"]}]
    assert [(item["id"], item["names"]) for item in found["loss"]] == [("mean-not-sum", ["Cy"])]
    assert found["loss"][0]["label"].startswith("that is the mean over the N examples")
    assert found["forward"] == []
    assert gradebook.label("loss", "no-return") == "no return value (the function returned None)"
    assert gradebook.label("loss", "something-new") == "something-new"


def test_the_csv_is_name_exercises_passed_total_handed_in_flags() -> None:
    entries = [
        handin.read_entry("ada.json", student("Ada, L.", {"forward": "x", "gradients": "y"})),
        handin.read_entry("evil.json", student("=HYPERLINK(\"x\")", {"forward": "x"})),
        handin.read_entry("old.json", wrong(version=0)),
    ]
    results = [graded(forward={"status": "pass", "flags": ["imports-js", "dunder"]}, gradients={"status": "fail", "flags": ["dunder"]}),
               graded(forward={"status": "timeout"}), None]
    report = handin.report(entries, results)
    assert report["csv"]["plain"].startswith("\ufeffname,")  # a BOM: Excel reads UTF-8
    lines = plain(report)
    assert lines == [
        ["name", "id", "forward", "gradients", "passed", "total", "handed_in", "flags", "mistakes"],
        ["'=HYPERLINK(\"x\")", "", "timeout", "missing", "0", "2", CREATED, "", "forward:timeout"],
        ["Ada, L.", "", "pass", "fail", "1", "2", CREATED, "imports-js dunder", ""],
        ["old.json", "", "", "", "", "", "refused: this hand-in's version is 0; this page reads versions 1 and 2", "", ""],
    ]
    assert report["csv"]["plain"].count("\n") == 4
    assert report["csv_name"]["plain"] == "pynn-Backprop-homework-grades.csv"
    assert handin.report([entries[2]], [None])["csv_name"]["plain"] == "pynn-class-grades.csv"
    ada = next(row for row in report["rows"] if row["name"] == "Ada, L.")
    assert ada["flags"] == ["imports-js", "dunder"] and ada["cells"]["gradients"]["flags"] == ["dunder"]


def test_students_not_graded_leave_their_cells_empty_never_0() -> None:
    """Stop: a student the grading never reached, and one stopped halfway, have empty cells where
    nothing was graded and no passed or total; a student whose grading failed says why."""
    entries = [handin.read_entry(f"{name}.json", student(name, {"forward": "x", "gradients": "y"}))
               for name in ("Ada", "Bo", "Cy", "Di")]
    results = [graded(forward={"status": "pass"}, gradients={"status": "pass"}), graded(forward={"status": "fail"}), None,
               {"exercises": {}, "steps": {}, "failure": "the training worker did not answer"}]
    report = handin.report(entries, results)
    lines = plain(report)
    assert lines[1:] == [
        ["Ada", "", "pass", "pass", "2", "2", CREATED, "", ""],
        ["Bo", "", "fail", "", "", "", CREATED, "", ""],
        ["Cy", "", "", "", "", "", CREATED, "", ""],
        ["Di", "", "", "", "", "", "not graded: the training worker did not answer", "", ""],
    ]
    graded_ = {row["name"]: row["graded"] for row in report["rows"]}
    assert graded_ == {"Ada": True, "Bo": False, "Cy": False, "Di": False}
    assert report["rows"][3]["failure"] == "the training worker did not answer"


def test_the_class_report_has_a_column_per_lesson_and_derivation_step() -> None:
    def student(name: str, **more: Any) -> dict[str, Any]:
        value = valid(name=name, assignment={"title": "Lessons", "hash": "assign=Lessons&exercises=relu&lessons=init,batch"},
                      exercises={}, **more)
        return handin.read_entry(f"{name}.json", text(value))

    entries = [
        student("Ada", lessons={"init": {"prediction": 2, "ran": True}, "noise": {"prediction": 1, "ran": False}},
                derivation={"W1": {"passed": True, "hints": 1, "expression": "g1 @ h0.T"},
                            "h1": {"passed": True, "hints": 0, "expression": "yoh / h1"}}),
        student("Bob", lessons={"init": {"prediction": 0, "ran": True}, "batch": {"prediction": None, "ran": False}}),
        student("Cy"),
        handin.read_entry("old.json", wrong(version=0)),
    ]
    report = handin.report(entries, fresh(entries))
    assert report["columns"] == ["relu"]
    assert report["lessons"] == ["init", "batch", "noise"]  # the assignment's, then any other handed in
    assert report["steps"] == list(handin.derive.ORDER)
    ada, bob, cy, old = report["rows"]
    assert ada["lessons"]["init"] == {"status": "right", "prediction": 2, "ran": True,
                                      "choice": lessons.get("init").choices[2]}
    assert lessons.get("init").answer == 2
    assert ada["lessons"]["noise"] == {"status": "wrong", "prediction": 1, "ran": False,
                                       "choice": lessons.get("noise").choices[1]}
    assert ada["lessons"]["batch"]["status"] == "missing"
    assert bob["lessons"]["init"]["status"] == "wrong" and bob["lessons"]["batch"]["status"] == "missing"
    assert ada["derivation"]["W1"] == {"status": "pass", "hints": 1, "claimed": True, "mistake": ""}
    # the file says passed; checked again, yoh / h1 is −1 times ∂L/∂h1
    assert ada["derivation"]["h1"] == {"status": "fail", "hints": 0, "claimed": True, "mistake": "sign"}
    assert cy["derivation"]["h1"] == {"status": "missing", "hints": 0, "claimed": False, "mistake": ""}
    assert old["lessons"] == {} and old["derivation"] == {}
    lines = plain(report)
    assert lines[0] == ["name", "id", "relu", "passed", "total", "handed_in", "flags", "mistakes", "lesson:init", "lesson:batch",
                        "lesson:noise", *(f"derive:{step}" for step in handin.derive.ORDER)]
    assert lines[1][:11] == ["Ada", "", "missing", "0", "1", CREATED, "", "", "right", "missing", "wrong (not run)"]
    assert lines[1][11:] == ["not passed", "not passed", "passed (1 hint)", *["not passed"] * 6]
    assert lines[2][8:11] == ["wrong", "missing", "missing"]
    assert lines[4] == ["old.json", "", "", "", "", "refused: this hand-in's version is 0; this page reads versions 1 and 2",
                        "", "", *[""] * 12]


def test_a_version_1_files_steps_are_not_re_checked_and_never_passed() -> None:
    """A version 1 hand-in's steps carry no expression: whatever the file says, each is shown "not
    re-checked" (its hints kept), never passed, in the table and in the CSV."""
    value = valid(version=1, exercises={}, derivation={step: {"passed": True, "hints": 1} for step in handin.derive.ORDER})
    entries = [handin.read_entry("v1.json", text(value))]
    assert entries[0]["handin"]["version"] == 1
    report = handin.report(entries, fresh(entries))
    row = report["rows"][0]
    assert {cell["status"] for cell in row["derivation"].values()} == {"unchecked"}
    assert all(cell["claimed"] for cell in row["derivation"].values())
    line = plain(report)[1]
    assert line[-9:] == ["not re-checked (1 hint)"] * 9


def test_claimed_steps_are_graded_by_their_expressions_alone() -> None:
    """Nine steps claimed passed: only the expressions that are right pass when checked again."""
    claimed = {step: {"passed": True, "hints": 0, "expression": "g1"} for step in handin.derive.ORDER}
    entries = [handin.read_entry("c.json", text(valid(exercises={}, derivation=claimed)))]
    row = handin.report(entries, fresh(entries))["rows"][0]
    passed = [step for step, cell in row["derivation"].items() if cell["status"] == "pass"]
    assert passed == ["b1"]  # ∂L/∂b1 = g1; no other step's answer is g1
    assert row["derivation"]["h1"]["mistake"] == "not-yet-derived"


def test_a_class_without_lessons_or_derivation_has_no_such_columns() -> None:
    report = handin.report([handin.read_entry("ada.json", text(valid()))], [graded()])
    assert report["lessons"] == [] and report["steps"] == []
    assert report["rows"][0]["lessons"] == {} and report["rows"][0]["derivation"] == {}
    assert plain(report)[0] == ["name", "id", "forward", "gradients", "passed", "total", "handed_in", "flags", "mistakes"]


def test_an_assignment_link_reads_back_as_written() -> None:
    chosen = {"assign": "Back, prop & co: 100%", "exercises": ["gradients", "forward"], "solutions": "off",
              "equations": "ask", "panels": ["exercises", "plane"]}
    written = settings.assignment_hash(chosen)
    assert written == ("assign=Back%2C%20prop%20%26%20co%3A%20100%25&exercises=gradients,forward&solutions=off"
                       "&equations=ask&panels=exercises,plane")
    parsed, notes = settings.parse_assignment("#hidden=3&" + written)
    assert notes == []
    assert parsed == {**chosen, "panels": ["plane", "exercises"], "lessons": [], "student_id": "optional",
                      "given": [name for name in settings.ASSIGNMENT if name not in ("lessons", "student_id")]}


def test_an_assignment_names_its_lessons_only_when_it_has_some() -> None:
    chosen = {"assign": "L", "exercises": ["relu"], "solutions": "on", "equations": "shown", "panels": ["plane"],
              "lessons": ["init", "capacity"]}
    written = settings.assignment_hash(chosen)
    assert written == "assign=L&exercises=relu&solutions=on&equations=shown&panels=plane&lessons=init,capacity"
    assert settings.parse_assignment(written) == (
        {**chosen, "student_id": "optional", "given": [name for name in settings.ASSIGNMENT if name != "student_id"]}, [])
    assert "lessons" not in settings.assignment_hash({**chosen, "lessons": []})
    assert settings.parse_assignment("assign=L&lessons=")[0]["lessons"] == []
    assert settings.parse_assignment("assign=L&lessons=")[1] == []
    parsed, notes = settings.parse_assignment("lessons=init,nope,init")
    assert parsed["lessons"] == ["init"]
    assert notes == [f'lessons: ignored unknown "nope"; known: {", ".join(lessons.ORDER)}']


def test_the_assignment_knows_every_lesson_by_its_name() -> None:
    assert settings.ASSIGNMENT["lessons"].choices == tuple(lesson.name for lesson in lessons.LESSONS) == lessons.ORDER


def test_no_assignment_keys_give_the_defaults() -> None:
    parsed, notes = settings.parse_assignment("#dataset=spiral&hide=lr")
    assert notes == [] and parsed["given"] == []
    assert parsed["exercises"] == list(exercises.ORDER) and parsed["panels"] == list(settings.PANELS)
    assert parsed["lessons"] == []
    assert (parsed["assign"], parsed["solutions"], parsed["equations"]) == ("", "on", "shown")


def test_bad_or_unknown_assignment_values_are_ignored_each_with_a_note() -> None:
    parsed, notes = settings.parse_assignment(
        "assign=" + "t" * 101 + "&exercises=relu,backprop,relu&solutions=maybe&equations=&panels=,,&assign=%E0%A4")
    assert notes == [
        "assign: ignored, it is not valid URL encoding",
        "assign: ignored, the title is longer than 100 characters",
        f'exercises: ignored unknown "backprop"; known: {", ".join(exercises.ORDER)}',
        'solutions: ignored "maybe"; known: on, off; using on',
        'equations: ignored ""; known: shown, ask; using shown',
        "panels: none of the known names given; using all: plane, exercises, diagram, stepper, inside, code, units, gradcheck",
    ]
    assert parsed["assign"] == "" and parsed["exercises"] == ["relu"] and parsed["solutions"] == "on"
    assert settings.parse_assignment("assign=a%0Ab")[1] == ["assign: ignored, the title holds control characters"]
    assert settings.parse_assignment("assign=%zz")[1] == ["assign: ignored, it is not valid URL encoding"]
    assert settings.parse_assignment("assign=A+b")[0]["assign"] == "A b"


# --- the page's way in: the Session's hand_in, read_handin and class_report (the training worker) --


def test_the_page_reaches_the_handin_functions_only_through_the_named_session_calls() -> None:
    from pynn.page.calls import PAGE, call
    from pynn.page.session import Session

    assert {"hand_in", "read_handin", "class_report"} <= set(PAGE)
    session = Session()
    made = call(session, "hand_in", {
        "assignment": {"title": "HW", "hash": "assign=HW"}, "name": "Ada", "build": "b1",
        "exercises": {"relu": {"code": "x", "status": "pass", "passed": 1, "total": 1, "checks": 2,
                               "equations_shown": False, "solution_shown": True}}})
    assert made["filename"] == "pynn-HW-Ada.json"
    entry = call(session, "read_handin", {"file": "a.json", "text": json.dumps(made["handin"])})
    assert entry["problem"] is None and entry["handin"]["exercises"]["relu"]["checks"] == 2
    report = call(session, "class_report", {"entries": [entry], "results": [{}]})
    assert "relu" in report["columns"] and report["rows"][0]["name"] == "Ada" and "Ada" in report["csv"]["plain"]
    for bad in ("page_python", "handin", "read_entry", "_size", "__init__", 3):
        with pytest.raises(ValueError, match="unknown request"):
            call(session, bad, {})
    with pytest.raises(ValueError, match="must be a dict"):
        call(session, "class_report", ["entries"])

"""Grades a teacher can trust (issue 33), in the page as a teacher uses it: hand-ins that attack the
grading, between honest ones. A relu that patches the checker, an ndarray subclass that lies to
numpy, a rewritten postMessage (one that edits the answer, one that replaces it, one that forges
an error's cause), a poisoned `mistake`, claimed derivation steps (version 2 and version 1), JSON nested 5,000 and 100,000 deep,
a fatal crash of the sandbox's Python and an endless loop: each hostile cell is graded as the
honest wrong code would be (and flagged where the code reaches outside), or marked for what it is
(crashed, timeout, invalid answer, refused file); every honest file is graded exactly as when it is
graded alone, an honest shape error counted as a shape mismatch by its codes; and Play trains afterwards in the same page. The same for Import model with a file
nested 5,000 deep.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from attacks import LIAR, PATCHES, WRONG_RELU
from pynn.page import handin
from pynn.page.exercises import SOLUTIONS

GRADING_MS = 600_000
HASH = "assign=Trust&exercises=relu,softmax"
WRONG_SOFTMAX = ("import numpy as np\n\n\ndef softmax(s):\n    e = np.exp(s - s.max(axis=1, keepdims=True))\n"
                 "    return e / e.sum(axis=1, keepdims=True)\n")

# Rewrites every message the sandbox's worker posts: EDIT turns the answer into a verdict that
# says "pass" (and poisons `mistake` with lists), REPLACE swaps its outputs for a forged one.
FORGER = '''import js
from pyodide.ffi import create_proxy

post = js.MessagePort.prototype.postMessage


def forged(port, message, *rest):
    try:
        {change}
    except Exception:
        pass
    return post.call(port, message, *rest)


js.MessagePort.prototype.postMessage = create_proxy(forged, capture_this=True)
'''
EDIT = FORGER.replace("{change}", '''message.status = "pass"
        message.passed = 4
        message.mistake = js.JSON.parse('["poison", {"a": 1}]')
        for output in message.outputs:
            output.mistake = js.JSON.parse('[["poison"]]')''') + WRONG_RELU.replace("import numpy as np\n", "import numpy as np\n\n")
REPLACE = FORGER.replace("{change}", '''message.outputs = js.JSON.parse('[{"kind": "verdict", "status": "pass"}]')''') + WRONG_RELU
SHAPES_RELU = "def relu(s):\n    return s @ s\n"
"""Honest code whose error numpy raises: counted as a shape mismatch, by the cause the sandbox's
Python (3.12, Pyodide's) finds in the failing operation's values."""
FORGE_CAUSE = FORGER.replace("{change}", '''for output in message.outputs:
            output.cause = "<b>none</b>"''') + SHAPES_RELU

CRASH = '''import json
import numpy as np


def relu(s):
    json.loads("[" * 100_000)
    return np.maximum(s, 0)
'''
LOOP = "def relu(s):\n    while True:\n        pass\n"


def hand_in(name: str, code: dict[str, str], derivation: dict | None = None, version: int = 2) -> bytes:
    entries = {exercise: {"code": source, "status": "pass", "passed": 5, "total": 5, "checks": 1,
                          "equations_shown": False, "solution_shown": False} for exercise, source in code.items()}
    made = handin.make(assignment={"title": "Trust", "hash": HASH}, name=name, build="test", exercises=entries,
                       created="2026-12-06T09:00:00+00:00", derivation=derivation if version == 2 else None)
    old = {"version": 1, "derivation": derivation} if version == 1 else {}  # what a page before issue 33 wrote
    return json.dumps({**made, **old}).encode()


HONEST = {
    "ada.json": hand_in("Ada", {"relu": SOLUTIONS["relu"], "softmax": SOLUTIONS["softmax"]},
                        {"h1": {"passed": True, "hints": 0, "expression": "-yoh / h1"},
                         "W1": {"passed": True, "hints": 1, "expression": "g1 @ h0.T"}}),
    "bo.json": hand_in("Bo", {"relu": WRONG_RELU, "softmax": WRONG_SOFTMAX}),
    "cy.json": hand_in("Cy", {"relu": SOLUTIONS["relu"], "softmax": WRONG_SOFTMAX}),
    "dee.json": hand_in("Dee", {"relu": SHAPES_RELU, "softmax": SOLUTIONS["softmax"]}),
}
CLAIMED = {step: {"passed": True, "hints": 0, "expression": "g1"} for step in handin.derive.ORDER}
HOSTILE = {
    "patched.json": hand_in("Patched", {"relu": PATCHES, "softmax": WRONG_SOFTMAX}),
    "liar.json": hand_in("Liar", {"relu": LIAR, "softmax": WRONG_SOFTMAX}),
    "edits.json": hand_in("Edits", {"relu": EDIT, "softmax": WRONG_SOFTMAX}),
    "replaces.json": hand_in("Replaces", {"relu": REPLACE, "softmax": WRONG_SOFTMAX}),
    "cause.json": hand_in("Cause", {"relu": FORGE_CAUSE, "softmax": WRONG_SOFTMAX}),
    "claims.json": hand_in("Claims", {"softmax": WRONG_SOFTMAX}, CLAIMED),
    "old.json": hand_in("Old", {"softmax": WRONG_SOFTMAX},
                        {step: {"passed": True, "hints": 0} for step in handin.derive.ORDER}, version=1),
    "deep5000.json": b"[" * 5_000 + b"]" * 5_000,
    "deep100000.json": b"[" * 100_000,
    "crash.json": hand_in("Crash", {"relu": CRASH, "softmax": WRONG_SOFTMAX}),
    "loop.json": hand_in("Loop", {"relu": LOOP, "softmax": WRONG_SOFTMAX}),
}


def expect_the_sandboxs_crash(guard) -> None:
    """Pyodide logs its fatal error where it happened, in the sandbox's worker (blob:null): expected
    here; any other console error is still the page misbehaving."""
    said = ("Pyodide has suffered a fatal error", "The cause of the fatal error was", "RangeError: Maximum call stack size exceeded")
    guard.console_errors[:] = [text for text in guard.console_errors
                               if not ("blob:null/" in text and any(words in text for words in said))]


def grade(page, ui, files: dict[str, bytes]) -> None:
    ui.hook("class-files").set_input_files(
        [{"name": name, "mimeType": "application/json", "buffer": data} for name, data in files.items()])
    page.wait_for_function(  # the progress bar's numbers, not its label's words (said in the page's language)
        "(n) => { const bar = document.querySelector('[data-testid=\"class-progress\"]');"
        " return bar.max === n && bar.value === n && document.querySelector('[data-testid=\"class-stop\"]').disabled; }",
        arg=len(files), timeout=GRADING_MS)


READ_TABLE = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="class-table"] tbody tr')].map((tr) => [
  tr.dataset.student, {
    problem: tr.hasAttribute("data-problem") ? tr.textContent : null,
    flags: tr.dataset.flags ?? "",
    cells: Object.fromEntries([...tr.querySelectorAll("td[data-exercise]")].map((td) => [td.dataset.exercise,
      { status: td.dataset.status, text: td.querySelector("button").textContent, flags: td.dataset.flags ?? "" }])),
    steps: Object.fromEntries([...tr.querySelectorAll("td[data-step]")].map((td) => [td.dataset.step, td.dataset.status])),
  }]))"""

READ_MISTAKES = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="class-mistakes"] li[data-mistake]')].map((li) => [
  `${li.closest("[data-exercise]").dataset.exercise}:${li.dataset.mistake}`,
  li.querySelector(".class-mistake-more")?.title ?? li.querySelector(".class-mistake-names").textContent]))"""


def graded_alone(row: dict) -> dict:
    """What of a row must not change when other files are graded beside it (the inputs are drawn
    afresh, so the numbers in the messages may; the statuses and counts may not)."""
    return {"cells": {name: {key: cell[key] for key in ("status", "text")} for name, cell in row["cells"].items()},
            "steps": row["steps"]}


def test_hostile_hand_ins_are_graded_as_the_code_they_are_and_the_others_as_alone(ready_page, ui, page, guard):
    ready_page("view=teacher&dataset=spiral&points=120&hidden=16&batch=10")
    grade(page, ui, HONEST)
    alone = page.evaluate(READ_TABLE)
    assert alone["Ada"]["cells"]["relu"]["status"] == "pass" and alone["Bo"]["cells"]["relu"]["status"] == "fail"
    assert alone["Ada"]["steps"]["h1"] == alone["Ada"]["steps"]["W1"] == "pass"
    assert page.evaluate(READ_MISTAKES)["relu:shape-mismatch"] == "Dee"

    ui.click("class-forget")  # all graded afresh, side by side (kept, the honest files would not be graded again)
    ui.click("class-forget-confirm")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"class-table\"] tbody tr')")
    grade(page, ui, {**HONEST, **HOSTILE})
    table = page.evaluate(READ_TABLE)
    for name in ("Ada", "Bo", "Cy", "Dee"):
        assert graded_alone(table[name]) == graded_alone(alone[name]), name

    honest_wrong_relu = table["Bo"]["cells"]["relu"]
    honest_wrong_softmax = table["Bo"]["cells"]["softmax"]
    for name in ("Patched", "Liar", "Edits"):
        assert {k: table[name]["cells"]["relu"][k] for k in ("status", "text")} == \
               {k: honest_wrong_relu[k] for k in ("status", "text")}, name
    for name in ("Patched", "Liar", "Edits", "Claims", "Old", "Crash", "Loop"):
        assert {k: table[name]["cells"]["softmax"][k] for k in ("status", "text")} == \
               {k: honest_wrong_softmax[k] for k in ("status", "text")}, name
    named = page.evaluate(READ_MISTAKES)
    assert {"Bo", "Patched", "Liar", "Edits"} <= set(named["relu:absolute-value"].split(", "))
    assert table["Dee"]["cells"]["relu"]["status"] == "error" and named["relu:shape-mismatch"] == "Dee"
    assert table["Cause"]["cells"]["relu"]["status"] == "invalid"  # a cause that is no code: the answer refused

    # flagged where the code reaches outside: the row's codes and a visible mark with the reason
    assert set(table["Patched"]["flags"].split()) >= {"imports-pynn", "dunder", "patches-module"}
    assert table["Liar"]["flags"] == "dunder"
    assert set(table["Edits"]["flags"].split()) >= {"imports-js", "imports-pyodide"}
    assert table["Crash"]["flags"] == "imports-other"
    assert table["Ada"]["flags"] == table["Bo"]["flags"] == ""
    mark = page.locator('tr[data-student="Patched"] td[data-exercise="relu"] [data-testid="class-flag"]')
    assert mark.is_visible() and "uses pynn" in mark.text_content()

    # an answer replaced on its way out is marked, not graded (the rewrite stays for the student's next answers)
    assert table["Replaces"]["cells"]["relu"]["status"] == table["Replaces"]["cells"]["softmax"]["status"] == "invalid"
    assert table["Crash"]["cells"]["relu"]["status"] == "crashed"  # not "endless loop?"
    assert table["Loop"]["cells"]["relu"]["status"] == "timeout"
    assert [step for step, status in table["Claims"]["steps"].items() if status == "pass"] == ["b1"]  # "g1" is b1's answer only
    assert set(table["Old"]["steps"].values()) == {"unchecked"}
    for name in ("deep5000.json", "deep100000.json"):
        assert "more than 64 levels deep" in table[name]["problem"], table[name]

    with page.expect_download() as caught:
        ui.click("class-csv")
    rows = {row[0]: row for row in csv.reader(io.StringIO(Path(caught.value.path()).read_text(encoding="utf-8-sig")))}
    header = rows["name"]
    assert header[:9] == ["name", "id", "relu", "softmax", "passed", "total", "handed_in", "flags", "mistakes"]
    assert rows["Claims"][header.index("derive:b1")] == "passed" and rows["Claims"][header.index("derive:h1")] == "not passed"
    assert rows["Old"][header.index("derive:h1")] == "not re-checked"
    assert rows["Crash"][2] == "crashed" and "imports-other" in rows["Crash"][7]

    ui.click("teacher-link")  # back to the training view: the page's Python is alive
    ui.assert_trains()
    expect_the_sandboxs_crash(guard)


def test_a_model_file_nested_5000_deep_is_refused_and_play_trains(ready_page, ui):
    ready_page("dataset=spiral&points=120&hidden=16&batch=10")
    ui.hook("import-model").set_input_files(
        files=[{"name": "deep.json", "mimeType": "application/json", "buffer": b"[" * 5_000 + b"]" * 5_000}])
    message = ui.wait_message()
    assert "more than 64 levels deep" in message, message
    ui.assert_trains()


def test_a_students_check_shows_the_same_flags_and_a_crash_is_a_crash(ready_page, ui, page, guard):
    """The student's Check takes the class view's path: the code's flags are shown with the same
    reasons, and code that kills the sandbox's Python is "crashed"; the next Check runs in a
    fresh sandbox."""
    ready_page("exercise=relu")
    ui.open_exercise("relu")
    ui.set_code(PATCHES)
    status, text = ui.press_check(timeout_ms=60_000)
    assert status == "fail" and "that is |s|" in text
    notice = ui.hook("exercise-flags")
    assert notice.get_attribute("data-flags") == "imports-pynn dunder patches-module"
    assert "uses pynn, the checker's own package" in notice.text_content()
    ui.set_code(CRASH)
    assert ui.press_check(timeout_ms=60_000)[0] == "crashed"
    ui.set_code(SOLUTIONS["relu"])
    assert ui.press_check(timeout_ms=120_000)[0] == "pass"
    ui.assert_trains()
    expect_the_sandboxs_crash(guard)

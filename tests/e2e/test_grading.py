"""The class view (web/classroom/teacher.js) in the built page, grading real hand-ins: each piece of
code run again in the real sandbox and judged in a training worker (a file claiming "pass" for W1's
gradient transposed fails), an endless loop a timeout cell within the check's limit and the grading
going on, a file that is not a hand-in a row that says why, the named mistakes counted, the CSV.
The test mounts the modules themselves (the page's own wiring is tests/e2e/test_classroom_loop.py's),
with the two workers made as the page makes its own (web/main.js; the check web/start/checking.js):
the grading without the page around it.
"""
from __future__ import annotations

import csv
import io
import json

from pynn.page import handin
from pynn.page.exercises import SOLUTIONS

HASH = "assign=Backprop%20homework&exercises=forward,gradients&solutions=off"
TRANSPOSED = SOLUTIONS["gradients"].replace("G1 @ h0.T", "h0 @ G1.T")
LOOP = "def forward(W0, b0, W1, b1, X):\n    while True:\n        pass\n"

MOUNT = """async () => {
  const { Bridge } = await import("./start/bridge.js");
  const { createSandbox } = await import("./start/sandbox.js");
  const { sandboxMessages } = await import("./start/messages.js");
  const { checkExercise } = await import("./start/checking.js");
  const { ClassView } = await import("./classroom/classview.js");
  const { HandInPanel } = await import("./classroom/handin.js");
  const TABLE = (await import("./settings.js")).default;
  const quiet = { loadTimeoutMs: TABLE.timeouts_ms.start, onMessage: () => {}, onFailure: () => {} };
  const worker = new Bridge({ ...quiet, createWorker: () => new Worker(new URL("./start/worker.js", location.href), { type: "module" }) });
  worker.start();
  const sandbox = new Bridge({ ...quiet, createWorker: () => createSandbox(), checkMessage: sandboxMessages(TABLE) });
  sandbox.start();
  const python = (method, args) => worker.call(method, args);
  const check = (name, source) => checkExercise({ page: python, sandbox, name, source, timeoutMs: TABLE.timeouts_ms.check });
  const root = document.createElement("section");
  root.className = "card";
  document.body.prepend(root);
  window.__downloads = [];
  const download = (name, text) => window.__downloads.push({ name, text });
  new ClassView({ root, python, check, maxBytes: TABLE.handin_max_bytes, download, codeFlags: TABLE.code_flags });
  const student = document.createElement("section");
  student.id = "mounted-student"; // the page has its own hand-in panel too (in the exercises)
  document.body.prepend(student);
  new HandInPanel({ root: student, python, download, build: "test", exercises: () => window.__state,
    assignment: () => ({ title: "Backprop homework", hash: "assign=Backprop%20homework&exercises=forward,gradients" }) });
}"""


def hand_in(name: str, code: dict[str, str], status: str = "pass") -> bytes:
    entries = {exercise: {"code": source, "status": status, "passed": 3, "total": 3, "checks": 1,
                          "equations_shown": False, "solution_shown": False} for exercise, source in code.items()}
    made = handin.make(assignment={"title": "Backprop homework", "hash": HASH}, name=name, build="test",
                       exercises=entries, created="2026-12-04T09:00:00+00:00")
    return handin.dumps(made).encode()


def status(page, student: str, exercise: str) -> str:
    return page.get_attribute(f'[data-testid="class-table"] tr[data-student="{student}"] td[data-exercise="{exercise}"]',
                              "data-status")


def test_the_class_view_grades_hand_ins_again_in_the_sandbox(ready_page):
    page = ready_page()
    page.evaluate("() => { window.__state = {}; }")
    page.evaluate(MOUNT)
    files = [
        ("ada.json", hand_in("Ada", {"forward": SOLUTIONS["forward"], "gradients": SOLUTIONS["gradients"]})),
        ("bo.json", hand_in("Bo", {"gradients": TRANSPOSED}, status="pass")),  # claims pass; forward missing
        ("cy.json", hand_in("Cy", {"forward": LOOP, "gradients": TRANSPOSED}, status="fail")),
        ("notes.json", b"{ not a hand-in"),
    ]
    page.set_input_files('[data-testid="class-files"]',
                         [{"name": name, "mimeType": "application/json", "buffer": data} for name, data in files])
    page.wait_for_function("() => document.querySelector('[data-testid=\"class-progress-label\"]').textContent"
                           ".startsWith('4 of 4 students')", timeout=180_000)

    assert (status(page, "Ada", "forward"), status(page, "Ada", "gradients")) == ("pass", "pass")
    assert (status(page, "Bo", "forward"), status(page, "Bo", "gradients")) == ("missing", "fail")
    assert (status(page, "Cy", "forward"), status(page, "Cy", "gradients")) == ("timeout", "fail")
    broken = page.locator('tr[data-student="notes.json"]')
    assert broken.get_attribute("data-problem") == ""
    assert "this file is not JSON" in broken.text_content()

    page.click('tr[data-student="Bo"] td[data-exercise="gradients"] button')
    detail = page.locator('[data-testid="class-detail"]')
    assert "did you write H0·G1ᵀ instead of G1·H0ᵀ?" in detail.text_content()
    assert page.locator('[data-testid="class-code"]').text_content() == TRANSPOSED

    mistake = page.locator('[data-testid="class-mistakes"] li[data-mistake="W1-transposed"]')
    assert mistake.get_attribute("data-count") == "2"

    page.click('[data-testid="class-csv"]')
    download = page.evaluate("() => window.__downloads[0]")
    assert download["name"] == "pynn-Backprop-homework-grades.csv"
    assert download["text"].startswith("\ufeff")  # a BOM: Excel reads UTF-8
    lines = list(csv.reader(io.StringIO(download["text"].removeprefix("\ufeff"))))
    assert lines[0] == ["name", "id", "forward", "gradients", "passed", "total", "handed_in", "flags", "mistakes"]
    assert lines[1:4] == [["Ada", "", "pass", "pass", "2", "2", "2026-12-04T09:00:00+00:00", "", ""],
                          ["Bo", "", "missing", "fail", "0", "2", "2026-12-04T09:00:00+00:00", "", "gradients:W1-transposed"],
                          ["Cy", "", "timeout", "fail", "0", "2", "2026-12-04T09:00:00+00:00", "",
                           "forward:timeout gradients:W1-transposed"]]
    assert lines[4][0] == "notes.json" and lines[4][-3].startswith("refused: this file is not JSON")
    assert json.loads(files[1][1])["exercises"]["gradients"]["status"] == "pass"  # what Bo's file claimed


def test_a_students_download_is_a_hand_in_the_class_view_grades(ready_page):
    page = ready_page()
    page.evaluate("""(state) => { window.__state = state; }""", {
        "gradients": {"code": TRANSPOSED, "status": "pass", "passed": 5, "total": 5, "checks": 3,
                      "equations_shown": True, "solution_shown": False}})
    page.evaluate(MOUNT)
    page.fill('#mounted-student [data-testid="handin-name"]', "Dee")
    page.wait_for_function("() => !document.querySelector('#mounted-student [data-testid=\"handin-download\"]').disabled", timeout=120_000)
    assert "not yet" not in page.locator('#mounted-student [data-testid="handin-preview"]').text_content()
    page.click('#mounted-student [data-testid="handin-download"]')
    page.wait_for_function("() => window.__downloads.length === 1")
    made = page.evaluate("() => window.__downloads[0]")
    assert made["name"] == "pynn-Backprop-homework-Dee.json"
    assert handin.read(made["text"])["exercises"]["gradients"]["equations_shown"] is True
    page.set_input_files('[data-testid="class-files"]',
                         [{"name": made["name"], "mimeType": "application/json", "buffer": made["text"].encode()}])
    page.wait_for_function("() => document.querySelector('[data-testid=\"class-progress-label\"]').textContent"
                           ".startsWith('1 of 1 students')", timeout=120_000)
    assert status(page, "Dee", "gradients") == "fail" and status(page, "Dee", "forward") == "missing"

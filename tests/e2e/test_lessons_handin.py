"""Lessons in an assignment (issues 27 and 28): the teacher's form adds a lesson to the link; a
student who opens it sees the lesson listed, predicts, runs it and hands in; the file carries the
prediction (and the derivation's steps the page kept), and the teacher's class table and CSV show
them as columns."""
from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

from pynn.page import lessons

RUN_MS = 120_000
INIT = lessons.get("init")


def test_an_assignments_lesson_is_predicted_run_handed_in_and_shown_in_the_class_table(
        browser, site_url, ready_page, ui, e2e_tools, tmp_path):
    page = ready_page("")
    ui.click("teacher-link")
    ui.hook("teacher-assign").wait_for()
    ui.hook("assign-title").fill("Lessons week")
    for name in ("softmax", "forward", "loss", "gradients", "sgd_step"):
        ui.hook(f"assign-exercise-{name}").uncheck()
    ui.hook("assign-lesson-init").check()
    link = ui.hook("assign-link").input_value()
    assert link.endswith("&lessons=init"), link

    guard = e2e_tools.Guard(site_url)
    student = e2e_tools.new_context(browser, site_url, guard)
    try:
        mine = student.new_page()
        started = time.monotonic()
        mine.goto(link)
        e2e_tools.wait_ready(mine, started)
        me = e2e_tools.Ui(mine)
        assert me.message() == ""  # lessons= understood
        listed = me.hook("assignment-lessons")
        assert listed.is_visible() and INIT.title in listed.text_content()
        assert "1 assigned" in me.hook("lessons").locator("summary").text_content()
        assert me.hook("lessons").locator('a[data-lesson="init"].assigned').count() == 1
        # The derivation the page kept from an earlier visit: it goes into the hand-in too.
        mine.evaluate("""() => localStorage.setItem('pynn.derive',
            JSON.stringify({ passed: { h1: 'P - Y' }, hints: { h1: 1, W1: 2 } }))""")
        listed.locator('a[data-lesson="init"]').click()
        mine.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('lesson') === 'init'")
        assert me.hook("lesson-run").is_disabled()
        me.hook("lesson-predict").get_by_role("radio").nth(INIT.answer).check()
        me.click("lesson-run")
        me.hook("lesson-explain").wait_for(state="visible", timeout=RUN_MS)
        assert "that is what this run showed" in me.text("lesson-explain")

        me.hook("handin-name").fill("Ada")
        row = me.hook("handin-lessons").locator('tr[data-lesson="init"]')
        row.wait_for()
        mine.wait_for_function("() => !document.querySelector('[data-testid=\"handin-download\"]').disabled")
        assert (row.get_attribute("data-prediction"), row.get_attribute("data-ran")) == (str(INIT.answer), "true")
        assert INIT.choices[INIT.answer] in row.text_content()
        assert me.text("handin-derivation") == "Derive the gradients: 1 step passed (h1), 3 hints used."
        with mine.expect_download() as caught:
            me.click("handin-download")
        path = tmp_path / caught.value.suggested_filename
        caught.value.save_as(path)
    finally:
        student.close()
    guard.check()
    handed = json.loads(path.read_text())
    assert handed["lessons"] == {"init": {"prediction": INIT.answer, "ran": True}}
    assert handed["derivation"] == {"h1": {"passed": True, "hints": 1, "expression": "P - Y"},
                                    "W1": {"passed": False, "hints": 2, "expression": ""}}
    assert handed["assignment"]["hash"].endswith("&lessons=init")

    ui.hook("class-files").set_input_files([path])
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"class-progress-label\"]')?.textContent.startsWith('1 of 1')",
        timeout=120_000)
    table = ui.hook("class-table")
    cell = table.locator('tr[data-student="Ada"] td[data-lesson="init"]')
    assert (cell.get_attribute("data-status"), cell.get_attribute("data-prediction"), cell.get_attribute("data-ran")) \
        == ("right", str(INIT.answer), "true")
    assert cell.text_content() == f"✓ {INIT.answer + 1}"
    step = table.locator('tr[data-student="Ada"] td[data-step="W1"]')
    assert (step.get_attribute("data-status"), step.get_attribute("data-hints")) == ("missing", "2")
    # h1 was kept as passed with "P - Y", which no step offers: checked again, it does not pass
    h1 = table.locator('tr[data-student="Ada"] td[data-step="h1"]')
    assert (h1.get_attribute("data-status"), h1.get_attribute("data-claimed")) == ("error", "true")
    with page.expect_download() as caught:
        ui.click("class-csv")
    rows = list(csv.reader(io.StringIO(Path(caught.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:9] == ["name", "id", "relu", "passed", "total", "handed_in", "flags", "mistakes", "lesson:init"]
    assert rows[1][0] == "Ada" and rows[1][8] == "right"
    assert rows[1][rows[0].index("derive:h1")] == "not passed (1 hint)"
    assert rows[1][rows[0].index("derive:W1")] == "not passed (2 hints)"

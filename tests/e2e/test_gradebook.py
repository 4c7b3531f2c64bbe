"""A gradebook that lasts (issue 35), in the built page at #view=teacher: the class kept in the
browser (two files, then one more, a reload, Forget), the class file saved and loaded in a fresh
profile (re-graded), the mistakes summary with an error and a timeout, the Canvas and Moodle CSVs,
the printed table, one student at a time in a class of 30, and an assignment that withholds the
solutions showing no pynn code.

A class of 30 is put into the browser's IndexedDB as the page keeps it (its report made by
pynn.page.handin from results given here), so the layout tests need no grading. Every test also
fails when the page requested another origin, threw, logged a console error, opened a dialog or
violated its CSP (see conftest.py).
"""
from __future__ import annotations

import csv
import importlib.util
import io
import time
from pathlib import Path
from typing import Any

from pynn.page import handin
from pynn.page.exercises import ORDER, SOLUTIONS

HASH = "assign=Week%206&exercises=relu,forward"
SETUP = "dataset=spiral&points=120&hidden=16&batch=10"
NAME_ERROR = "def relu(s):\n    return np.maximum(s, zero)\n"
LOOP = "def forward(W0, b0, W1, b1, X):\n    while True:\n        pass\n"
GRADING_MS = 180_000


def hand_in(name: str, code: dict[str, str], student_id: str = "", created: str = "2026-12-04T09:00:00+00:00",
            hash_: str = HASH, title: str = "Week 6") -> bytes:
    entries = {exercise: {"code": source, "status": "pass", "passed": 1, "total": 1, "checks": 1,
                          "equations_shown": False, "solution_shown": False} for exercise, source in code.items()}
    made = handin.make(assignment={"title": title, "hash": hash_}, name=name, build="test", exercises=entries,
                       created=created, student_id=student_id)
    return handin.dumps(made).encode()


def files(**named: bytes) -> list[dict[str, Any]]:
    return [{"name": f"{name}.json", "mimeType": "application/json", "buffer": data} for name, data in named.items()]


def grade(page, ui, chosen: list[Any], testid: str = "class-files", count: int | None = None) -> None:
    ui.hook(testid).set_input_files(chosen)
    n = len(chosen) if count is None else count
    try:
        page.wait_for_function(
            "(n) => document.querySelector('[data-testid=\"class-progress-label\"]')?.textContent.startsWith(`${n} of ${n}`)"
            " && document.querySelector('[data-testid=\"class-stop\"]').disabled", arg=n, timeout=GRADING_MS)
    except Exception as error:
        label = page.locator('[data-testid="class-progress-label"]').text_content()
        raise AssertionError(f"the grading did not end: {label!r}") from error


READ_TABLE = """() => Object.fromEntries([...document.querySelectorAll('[data-testid="class-table"] tbody tr[data-student]')].map(
  (tr) => [tr.dataset.student, Object.fromEntries([...tr.querySelectorAll("td[data-exercise]")].map((td) => [td.dataset.exercise, td.dataset.status]))]))"""


def test_the_class_is_kept_added_to_restored_saved_loaded_elsewhere_and_forgotten(ready_page, ui, page, browser, site_url, e2e_tools):
    ready_page(f"view=teacher&{SETUP}")
    grade(page, ui, files(ada=hand_in("Ada", {"relu": SOLUTIONS["relu"]}, "ada@school.org"),
                          bo=hand_in("Bo", {"relu": NAME_ERROR})))
    grade(page, ui, files(cy=hand_in("Cy", {"relu": SOLUTIONS["relu"], "forward": SOLUTIONS["forward"]})))  # handed in late
    table = page.evaluate(READ_TABLE)
    assert table == {"Ada": {"relu": "pass", "forward": "missing"}, "Bo": {"relu": "error", "forward": "missing"},
                     "Cy": {"relu": "pass", "forward": "pass"}}
    assert "Week 6 — 3 students" in ui.text("class-title")

    page.reload()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"class-table\"] tbody tr').length === 3")
    assert page.evaluate(READ_TABLE) == table  # restored as it was, without grading again
    assert ui.hook("class-kept-open").count() == 1 and "Week 6 — 3 students, graded" in ui.text("class-kept")

    with page.expect_download() as caught:
        ui.click("class-save")
    saved = Path(caught.value.path())
    assert caught.value.suggested_filename == "pynn-Week-6-class.json"

    guard = e2e_tools.Guard(site_url)
    fresh = e2e_tools.new_context(browser, site_url, guard)  # another profile: nothing kept there
    try:
        other = fresh.new_page()
        other.goto(f"{site_url}#view=teacher&{SETUP}")
        e2e_tools.wait_ready(other, time.monotonic())
        other_ui = e2e_tools.Ui(other)
        assert other_ui.hook("class-kept-open").count() == 0
        grade(other, other_ui, [saved], testid="class-load", count=3)  # every hand-in graded afresh
        assert other.evaluate(READ_TABLE) == table
        guard.check()
    finally:
        fresh.close()

    ui.click("class-forget")
    assert page.locator('[data-testid="class-table"] tbody tr').count() == 3  # it asks first
    ui.click("class-forget-confirm")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"class-table\"] tbody tr')")
    page.reload()
    e2e_tools.wait_ready(page, time.monotonic())
    assert ui.hook("class-kept-open").count() == 0
    assert page.locator('[data-testid="class-table"] tbody tr').count() == 0


def test_a_newer_file_replaces_the_older_row_which_stays_viewable(ready_page, ui, page):
    ready_page(f"view=teacher&{SETUP}")
    grade(page, ui, files(ada=hand_in("Ada", {"relu": NAME_ERROR})))
    grade(page, ui, files(ada=hand_in("Ada", {"relu": SOLUTIONS["relu"]}, created="2026-12-05T09:00:00+00:00")))
    assert page.evaluate(READ_TABLE) == {"Ada": {"relu": "pass", "forward": "missing"}}
    ui.click("class-older")
    assert ui.text("class-older-code") == NAME_ERROR.strip()


def test_the_mistakes_csvs_and_the_printed_table(ready_page, ui, page, tmp_path):
    ready_page(f"view=teacher&{SETUP}")
    grade(page, ui, files(
        ada=hand_in("Ada", {"relu": NAME_ERROR, "forward": SOLUTIONS["forward"]}, "ada@school.org"),
        bo=hand_in("Bo", {"relu": SOLUTIONS["relu"], "forward": LOOP}, "12345"),
        cy=hand_in("=Cy", {"relu": NAME_ERROR, "forward": SOLUTIONS["forward"]}),
        notes=b"{ not a hand-in"))
    mistakes = page.evaluate("""() => [...document.querySelectorAll('[data-testid="class-mistakes"] li')].map((li) => [
      li.closest("[data-exercise]").dataset.exercise, li.dataset.mistake, li.getAttribute("title"), li.textContent])""")
    assert mistakes == [
        ["relu", "name-not-defined", "name-not-defined", "a name that is not defined — 2 students: =Cy, Ada"],
        ["forward", "timeout", "timeout", "ran too long (stopped: an endless loop?) — 1 student: Bo"],
    ]

    def download(format_: str) -> list[list[str]]:
        ui.hook("class-csv-format").select_option(format_)
        with page.expect_download() as caught:
            ui.click("class-csv")
        raw = Path(caught.value.path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))

    canvas = download("canvas")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 6"]
    assert canvas[1][0].strip() == "Points Possible" and canvas[1][5] == "2"
    assert canvas[2:5] == [["'=Cy", "", "", "", "", "1"], ["Ada", "", "", "ada@school.org", "", "1"], ["Bo", "", "12345", "", "", "1"]]
    assert canvas[5][0].startswith("notes.json (refused") and len(canvas) == 6  # one row per student, the refused file last
    moodle = download("moodle")
    assert moodle[0] == ["ID number", "Email address", "Full name", "relu", "forward", "note"]
    assert [row[:5] for row in moodle[1:4]] == [["", "", "'=Cy", "0", "1"], ["", "ada@school.org", "Ada", "0", "1"],
                                               ["12345", "", "Bo", "1", "0"]]
    plain = download("plain")
    assert plain[0][:2] == ["name", "id"] and plain[-1][0] == "notes.json"

    page.emulate_media(media="print")
    for hidden in ("teacher-assign", "class-drop", "class-csv-format", "assign-qr"):
        assert not ui.hook(hidden).is_visible(), hidden
    assert ui.hook("class-title").is_visible() and "Week 6" in ui.text("class-title")
    cells = page.evaluate("""() => [...document.querySelectorAll('[data-testid="class-table"] td[data-exercise]')].map((td) =>
      [td.dataset.status, td.innerText.trim(), td.querySelector("button").getBoundingClientRect().width > 0])""")
    assert sorted((status, text.split(" ")[0]) for status, text, _ in cells) == sorted(
        [("error", "✗"), ("pass", "✓"), ("pass", "✓"), ("timeout", "✗"), ("error", "✗"), ("pass", "✓")])
    assert all(shown for *_, shown in cells) and {text for status, text, _ in cells if status != "pass"} == {"✗ error", "✗ timeout"}
    pdf = page.pdf(prefer_css_page_size=True)
    (tmp_path / "class.pdf").write_bytes(pdf)
    media = pdf.split(b"/MediaBox", 1)[1].split(b"]", 1)[0].strip(b" [").split()
    width, height = float(media[2]), float(media[3])
    assert round(width) == 842 and round(height) == 595  # A4 landscape, in points


def kept_record(students: int) -> dict[str, Any]:
    """A class of `students` as the page keeps it (web/classroom/classroom.js's record): each
    hand-in's text, what pynn.page.handin read of it, results as the checks give them, the report."""
    statuses = ("pass", "fail", "error", "timeout", "pass", "pass")
    submissions, entries, results = [], [], []
    for i in range(students):
        name = f"Student {i:02d} " + ("with a very long family name indeed" if i == 3 else "")
        text = hand_in(name.strip(), {e: SOLUTIONS[e] for e in ORDER}, f"s{i:05d}@school.org").decode()
        entry = handin.read_entry(f"student-{i:02d}.json", text)
        result = {"exercises": {e: {"status": statuses[(i + k) % len(statuses)], "passed": 1, "total": 2, "flags": [],
                                    "error": {"message": "NameError: name 'x' is not defined", "line": 2},
                                    "checks": [{"name": "shapes", "passed": False, "message": "…", "mistake": "wrong-shape"}]}
                                for k, e in enumerate(ORDER)}, "steps": {}, "failure": ""}
        submissions.append({"file": entry["file"], "original": entry["file"], "text": text, "received": "2026-12-04T10:00:00Z",
                            "batch": 1, "entry": entry, "result": result})
        entries.append(entry)
        results.append(result)
    return {"key": entries[0]["handin"]["assignment"]["hash"], "title": "Week 6", "graded": "2026-12-03T10:00:00Z",
            "students": students, "submissions": submissions, "report": handin.report(entries, results)}


PUT_RECORD = """async (record) => {
  const { openKeep } = await import("./classroom/keep.js");
  await (await openKeep()).put(record);
}"""


def test_one_student_at_a_time_in_a_class_of_30_that_fits_1280_px(ready_page, ui, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    ready_page(SETUP)
    page.evaluate(PUT_RECORD, kept_record(30))
    page.goto(page.url.split("#")[0] + f"#view=teacher&{SETUP}")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"class-table\"] tbody tr').length === 30")
    assert "Press ▶" not in page.locator("body").inner_text()  # the first visit's hint is the student's page's
    widths = page.evaluate("""() => { const t = document.querySelector('[data-testid="class-table"]');
      return [t.scrollWidth, t.clientWidth, document.documentElement.scrollWidth]; }""")
    assert widths[0] <= widths[1] and widths[2] <= 1280, widths
    long_name = page.locator('tr[data-student^="Student 03"] .class-name')
    assert long_name.get_attribute("title") == "Student 03 with a very long family name indeed"

    page.click('tr[data-student="Student 20"] td[data-exercise="forward"] button')
    detail = ui.hook("class-detail")
    page.wait_for_function("() => document.activeElement?.dataset.testid === 'class-detail'")
    box = detail.bounding_box()
    assert box["y"] >= 0 and box["y"] < 800, box  # in view
    row = page.locator('tr[data-student="Student 20"]').bounding_box()
    assert 0 <= box["y"] - (row["y"] + row["height"]) < 40  # just under the row
    assert "Student 20 — forward" in detail.locator("h3").text_content()
    page.keyboard.press("ArrowDown")
    assert "Student 21 — forward" in detail.locator("h3").text_content()
    page.keyboard.press("ArrowRight")  # the columns: the assignment's exercises, then the others handed in
    assert "Student 21 — softmax" in detail.locator("h3").text_content()
    page.keyboard.press("Escape")
    assert not detail.is_visible()
    assert page.evaluate("() => document.activeElement.closest('tr')?.dataset.student") == "Student 21"


def test_the_mistakes_summary_names_five_on_screen_and_everyone_on_paper(ready_page, page):
    ready_page(SETUP)
    page.evaluate(PUT_RECORD, kept_record(42))  # seven students under each kind of mistake
    page.goto(page.url.split("#")[0] + f"#view=teacher&{SETUP}")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"class-table\"] tbody tr').length === 42")
    names = """() => [...document.querySelectorAll('[data-testid="class-mistakes"] li')].map((li) =>
      [Number(li.dataset.count), li.innerText])"""
    on_screen = page.evaluate(names)
    assert on_screen and all(count == 7 for count, _ in on_screen), on_screen
    assert all(text.count("Student ") == 5 and text.endswith("+ 2 more") for _, text in on_screen), on_screen
    page.emulate_media(media="print")
    on_paper = page.evaluate(names)
    assert all(text.count("Student ") == 7 and "more" not in text for _, text in on_paper), on_paper


def test_an_assignment_without_solutions_shows_no_pynn_code_and_leads_to_its_exercises(ready_page, page):
    # (equations=ask withholds them too, and a link without an assignment shows the code: tests/js/classroom.test.mjs)
    for hash_, shown in [("assign=HW&exercises=relu&solutions=off", False),
                         ("assign=HW&exercises=relu&solutions=off&panels=plane,exercises,code", True)]:
        ready_page(f"{SETUP}&{hash_}")
        assert page.locator("#code-panel").is_visible() == shown, hash_
        if not shown:  # the way from the title to the assignment's exercises, at the page's foot
            go = page.locator('[data-testid="assignment-go"]')
            assert go.text_content() == "Go to the exercise ↓ (relu)"
            go.click()
            top, height = page.evaluate("() => [document.getElementById('exercises').getBoundingClientRect().top, innerHeight]")
            assert 0 <= top < height / 2, (top, height)  # in view (at the top, or as far up as the page scrolls)
        page.goto("about:blank")


def test_training_with_ones_own_code_is_offered_only_by_an_assignment_that_has_its_exercises(ready_page, page):
    spec = importlib.util.spec_from_file_location("pynn_i18n_tools_e2e", Path(__file__).resolve().parents[2] / "tools" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    texts = i18n.page_table()
    train_sentence = texts["exercise-panel.intro-train"]
    intro = page.locator("#exercises p.hint").first
    for exercises, offered in [("relu,softmax", False), ("forward,loss,gradients", True)]:
        ready_page(f"{SETUP}&assign=HW&exercises={exercises}")
        text = intro.text_content()
        assert text.startswith(texts["exercise-panel.intro"][1].replace("{n}", str(len(exercises.split(","))))), text
        assert (train_sentence in text) == offered, (exercises, text)
        assert page.locator('[data-testid="exercise-train"]').is_visible() == offered, exercises
        page.goto("about:blank")


# --- an assignment link brings the student to the assignment; after a lesson, its setup again ------

LINK = "dataset=moons&classes=2&points=120&noise=0.2&split=0.8&hidden=16&lr=0.3&batch=10&wd=0&seed=3"
ASSIGNED = "assign=Week%206&exercises=forward,loss&lessons=capacity"
LESSON_MS = 120_000  # a lesson's run is one call: seconds natively, more on a busy machine

# Every frame as drawn, from the first script on (read just after the frame's rendering: a message
# posted from requestAnimationFrame): where the assignment's title is in the window and what has the
# focus, so a test can see the student land there and the title not move while Python starts.
FRAMES = """(() => {
  const frames = [];
  Object.defineProperty(window, "__e2eFrames", { value: frames });
  const after = new MessageChannel();
  after.port1.onmessage = () => {
    const title = document.querySelector('[data-testid="assignment-title"]');
    if (title && !title.hidden) frames.push([title.getBoundingClientRect().top, document.activeElement === title]);
  };
  const look = () => {
    after.port2.postMessage(0);
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""

AT_ASSIGNMENT = """() => {
  const box = (testid) => document.querySelector(`[data-testid="${testid}"]`).getBoundingClientRect();
  const inView = (rect) => rect.top >= 0 && rect.bottom <= innerHeight;
  return { title: document.querySelector('[data-testid="assignment-title"]').textContent,
           focused: document.activeElement?.dataset.testid ?? "", scrolled: scrollY,
           inView: ["assignment-title", "assignment-lessons", "exercise-tab-forward", "exercise-tab-loss"].filter((id) => inView(box(id))) };
}"""


def at_assignment(page, title: str) -> None:
    seen = page.evaluate(AT_ASSIGNMENT)
    assert seen["title"] == title and seen["focused"] == "assignment-title", seen
    assert seen["inView"] == ["assignment-title", "assignment-lessons", "exercise-tab-forward", "exercise-tab-loss"], seen
    assert seen["scrolled"] > 1000, seen  # not left at the top of the page


def test_an_assignment_link_brings_the_student_to_its_title_lessons_and_exercises(page, ready_page, e2e_tools):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.add_init_script(FRAMES)
    ready_page(f"{LINK}&{ASSIGNED}")
    page.wait_for_timeout(1500)  # the parts above draw what Python's first answer holds
    at_assignment(page, "Week 6")
    tops = [top for top, focused in page.evaluate("() => window.__e2eFrames") if focused]
    assert tops and max(tops) - min(tops) <= 1, (min(tops), max(tops))  # no jump while Python started

    # The same link again in the same tab (the hash changes, the page stays): at the assignment again.
    page.evaluate("() => { scrollTo(0, 0); document.activeElement.blur(); }")
    page.evaluate("(hash) => { location.hash = hash; }", f"{LINK}&{ASSIGNED}")
    page.wait_for_function("() => document.activeElement?.dataset.testid === 'assignment-title'")
    at_assignment(page, "Week 6")

    # The student's own reload keeps where they were (the browser's place, not the assignment).
    page.evaluate("() => scrollTo(0, 0)")
    started = time.monotonic()
    page.reload()
    e2e_tools.wait_ready(page, started)
    page.wait_for_timeout(500)
    assert page.evaluate("() => [scrollY, document.activeElement?.dataset.testid ?? '']") == [0, ""]

    # Another assignment's link in the same tab makes the page again, and brings the student to it.
    started = time.monotonic()
    page.evaluate("(hash) => { location.hash = hash; }", f"{LINK}&{ASSIGNED.replace('Week%206', 'Week%207')}")
    page.wait_for_function("() => document.querySelector('[data-testid=\"assignment-title\"]')?.textContent === 'Week 7'")
    e2e_tools.wait_ready(page, started)
    page.wait_for_function("() => document.activeElement?.dataset.testid === 'assignment-title'")
    at_assignment(page, "Week 7")


def test_after_a_lesson_the_student_has_the_assignments_setup_again(page, ready_page, ui, e2e_tools):
    from pynn.page import lessons

    lesson = next(item for item in lessons.LESSONS if item.name == "capacity")
    ready_page(f"{LINK}&{ASSIGNED}")
    link = ui.values()
    ours = {key: ui.value(key) for key in ("dataset", "hidden", "lr", "seed")}
    assert ours == {"dataset": "moons", "hidden": "16", "lr": "0.3", "seed": "3"}

    def lesson_setup() -> None:  # the controls show the lesson's setup
        page.wait_for_function("(h) => document.querySelector('[data-testid=\"hidden\"]').value === h",
                               arg=str(lesson.settings["hidden"]))
        assert ui.value("dataset") == lesson.settings["dataset"]

    def back_at(values: dict[str, str]) -> None:
        page.wait_for_function("(h) => document.querySelector('[data-testid=\"hidden\"]').value === h", arg=values["hidden"])
        assert ui.values() == values and "lesson" not in ui.hash_params()

    # The lesson's link in the assignment: its setup; run, then done: the assignment's setup and place.
    ui.hook("assignment-lessons").locator('a[data-lesson="capacity"]').click()
    lesson_setup()
    ui.hook("lesson-predict").get_by_role("radio").first.check()
    ui.click("lesson-run")
    ui.hook("lesson-explain").wait_for(state="visible", timeout=LESSON_MS)
    lesson_setup()  # the run keeps the lesson's setup while its explanation is read
    ui.click("lesson-done")
    back_at(link)
    page.wait_for_function("() => document.activeElement?.dataset.testid === 'assignment-title'")

    # Closed after a reload in the lesson (the address then holds the lesson's setup): the link's again.
    ui.hook("assignment-lessons").locator('a[data-lesson="capacity"]').click()
    lesson_setup()
    started = time.monotonic()
    page.reload()
    e2e_tools.wait_ready(page, started)
    assert ui.hook("lesson").is_visible()
    lesson_setup()
    ui.click("lesson-close")
    back_at(link)

    # Without an assignment, as before: closing the lesson keeps its setup.
    page.goto("about:blank")
    ready_page(LINK)
    ui.hook("lessons").locator("summary").click()
    ui.hook("lessons").locator('a[data-lesson="capacity"]').click()
    lesson_setup()
    ui.click("lesson-close")
    page.wait_for_timeout(1000)
    assert not ui.hook("lesson").is_visible() and ui.value("hidden") == str(lesson.settings["hidden"])
    assert ui.hook("lesson-done").count() == 0

"""Your own data (issue 4, item 4): click to add points, shift-click to remove, clear, CSV upload and
download; a malformed CSV names its first bad line and loses nothing.

Every test also fails when the page requested another origin, threw, logged a console error,
opened a dialog or violated its CSP (see conftest.py).
"""
from __future__ import annotations

import re

import pytest

SMALL = "dataset=spiral&classes=3&points=60&noise=0.1&split=0.8&hidden=16&lr=0.5&batch=10&wd=0&seed=2"

GOOD_CSV = (
    "x1,x2,label\n"
    "-1.0,-1.0,0\n-0.9,-1.1,0\n-1.1,-0.8,0\n-0.8,-0.9,0\n-1.2,-1.0,0\n"
    "1.0,1.0,1\n0.9,1.1,1\n1.1,0.8,1\n0.8,0.9,1\n1.2,1.0,1\n"
    "1.0,-1.0,2\n0.9,-1.1,2\n1.1,-0.8,2\n0.8,-0.9,2\n1.2,-1.0,2\n"
)


def counts(ui) -> tuple[int, int]:
    """(training points, test points) from the point-count readout."""
    text = ui.text("point-count")
    found = re.match(r"(\d+) training · (\d+) test points", text)
    assert found, f"the point count reads {text!r}"
    return int(found.group(1)), int(found.group(2))


def wait_counts(ui, train: int, test: int | None = None, timeout_ms: int = 10_000) -> None:
    want = f"{train} training · {test} test points" if test is not None else f"{train} training ·"
    ui.page.wait_for_function(
        """(want) => (document.querySelector('[data-testid="point-count"]').textContent || "").startsWith(want)""",
        arg=want,
        timeout=timeout_ms,
    )


def click_plane(ui, fx: float, fy: float, shift: bool = False) -> None:
    """Click the boundary canvas at a fraction (fx, fy) of its width and height from the top left."""
    box = ui.hook("boundary-canvas").bounding_box()
    ui.hook("boundary-canvas").click(
        position={"x": fx * box["width"], "y": fy * box["height"]}, modifiers=["Shift"] if shift else []
    )


def upload(ui, text: str | bytes, name: str = "points.csv", testid: str = "csv-upload") -> None:
    data = text.encode() if isinstance(text, str) else text
    ui.hook(testid).set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def download_text(ui, testid: str) -> tuple[str, str]:
    with ui.page.expect_download() as info:
        ui.click(testid)
    download = info.value
    return download.suggested_filename, open(download.path(), encoding="utf-8").read()


def rows_of(csv_text: str) -> list[tuple[float, float, int]]:
    lines = [line for line in csv_text.splitlines() if line.strip()]
    assert lines[0] == "x1,x2,label", lines[0]
    return sorted((float(a), float(b), int(c)) for a, b, c in (line.split(",") for line in lines[1:]))


def test_click_adds_a_point_of_the_chosen_class_and_training_goes_on(ready_page, ui):
    ready_page(SMALL)
    train, test = counts(ui)
    assert (train, test) == (48, 12)
    ui.click("step")
    ui.wait_epoch("e === 1")
    ui.choose("point-class", "2")
    click_plane(ui, 0.1, 0.1)
    wait_counts(ui, train + 1, test)
    # The generated points became your own: the data set control and the hash say so.
    assert ui.value("dataset") == "custom"
    ui.page.wait_for_function("() => location.hash.includes('dataset=custom')", timeout=5000)
    assert ui.hook("points").is_disabled() and ui.hook("noise").is_disabled()
    # The net was kept: the epoch did not go back to 0, and training goes on.
    assert ui.epoch() == 1
    click_plane(ui, 0.9, 0.1)
    wait_counts(ui, train + 2, test)
    ui.assert_trains()


def test_shift_click_removes_the_nearest_point(ready_page, ui):
    ready_page(SMALL)
    ui.click("clear-points")
    wait_counts(ui, 0, 0)
    ui.choose("point-class", "0")
    click_plane(ui, 0.2, 0.2)
    ui.choose("point-class", "1")
    click_plane(ui, 0.8, 0.8)
    wait_counts(ui, 2, 0)
    _, text = download_text(ui, "csv-download")
    assert [row[2] for row in sorted(rows_of(text), key=lambda r: r[0])] == [0, 1]
    click_plane(ui, 0.75, 0.75, shift=True)  # nearest is the class 1 point
    wait_counts(ui, 1, 0)
    _, text = download_text(ui, "csv-download")
    assert [row[2] for row in rows_of(text)] == [0]


def test_clear_leaves_no_points_and_training_asks_for_some(ready_page, ui):
    ready_page(SMALL)
    before = ui.canvas()
    ui.click("clear-points")
    wait_counts(ui, 0, 0)
    ui.wait_canvas_change(before, fraction=0.01)
    ui.clear_message()
    ui.click("step")
    message = ui.wait_message()
    assert "no training points" in message, message
    assert ui.epoch() == 0
    # Two classes clicked in: it trains again.
    ui.choose("point-class", "0")
    for fx in (0.2, 0.25, 0.3):
        click_plane(ui, fx, 0.3)
    ui.choose("point-class", "1")
    for fx in (0.7, 0.75, 0.8):
        click_plane(ui, fx, 0.7)
    wait_counts(ui, 6, 0)
    ui.assert_trains()
    assert ui.text("test-loss") == "–", "with no test points the test loss should read –"


def test_csv_upload_then_download_gives_the_same_points(ready_page, ui):
    ready_page(SMALL)
    upload(ui, GOOD_CSV)
    wait_counts(ui, 12, 3)
    assert ui.value("dataset") == "custom"
    assert ui.value("classes") == "3"
    assert "Loaded 15 points in 3 classes" in ui.message(), ui.message()
    name, text = download_text(ui, "csv-download")
    assert name.endswith(".csv")
    assert rows_of(text) == rows_of(GOOD_CSV)
    ui.assert_trains()


def test_csv_without_header_with_crlf_and_blank_lines_loads(ready_page, ui):
    ready_page(SMALL)
    upload(ui, "\r\n0.5,0.5,0\r\n\r\n-0.5,-0.5,1\r\n0.4,0.6,0\r\n-0.6,-0.4,1\r\n0.1,0.2,4\r\n")
    wait_counts(ui, 4, 1)
    assert ui.value("classes") == "5", "labels up to 4 need 5 classes"


def test_generated_points_download_as_csv(ready_page, ui):
    ready_page(SMALL)
    name, text = download_text(ui, "csv-download")
    rows = rows_of(text)
    assert len(rows) == 60 and {row[2] for row in rows} == {0, 1, 2}
    assert "spiral" in name


BAD_CSV = [
    ("x1,x2,label\n0,0,0\n1,1,1\n0.5,abc,1\n", "line 4", "x2 is not a number"),
    ("0,0,0\n1,1,1\n2,2\n", "line 3", "expected 3 values"),
    ("x1,x2,label\n0,0,0\n\n1,1,7\n", "line 4", "label"),
    ("x1,x2,label\n0,0,0\n1,1,1.5\n", "line 3", "label"),
    ("x1,x2,label\n0,0,0\n1,nan,1\n", "line 3", "x2 is not a number"),
    ("x1,x2,label\n0,0,0\n1e7,1,1\n", "line 3", "outside"),
    ("x1;x2;label\n0;0;0\n", "line 1", "header"),
    ("x1,x2,label\n0,0,1\n1,1,1\n", "", "at least 2 different labels"),
    ("x1,x2,label\n", "", "no data rows"),
    ("<script>alert(1)</script>,1,1\n", "line 1", "x1 is not a number"),
]


@pytest.mark.parametrize("text, line, why", BAD_CSV, ids=[f"{i}-{why}" for i, (_, _, why) in enumerate(BAD_CSV)])
def test_malformed_csv_names_the_first_bad_line_and_keeps_the_data(ready_page, ui, text, line, why):
    ready_page(SMALL)
    upload(ui, GOOD_CSV)
    wait_counts(ui, 12, 3)
    ui.click("step")
    ui.wait_epoch("e === 1")
    before = ui.settled_canvas()  # (redrawn after the readout: CI once read it before)
    ui.clear_message()
    upload(ui, text, name="bad.csv")
    message = ui.wait_message()
    assert "Could not load bad.csv" in message, message
    assert line in message and why in message, message
    assert "unchanged" in message, message
    assert ui.hook("message").evaluate("(el) => el.classList.contains('error')")
    # Nothing loaded is lost: the same points, the same net, the same picture.
    assert counts(ui) == (12, 3)
    assert ui.epoch() == 1
    assert ui.changed_fraction(before, ui.canvas()) == 0
    assert ui.page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0


def test_csv_over_the_size_limit_is_refused_before_reading(ready_page, ui):
    ready_page(SMALL)
    ui.clear_message()
    upload(ui, b"0,0,0\n" * 200_000, name="huge.csv")  # 1.2 MB
    message = ui.wait_message()
    assert "huge.csv" in message and "limit" in message, message
    assert counts(ui) == (48, 12)


def test_too_many_rows_names_the_first_line_over_the_limit(ready_page, ui):
    ready_page(SMALL)
    rows = "".join(f"{i % 7 / 10},{i % 5 / 10},{i % 2}\n" for i in range(5001))
    ui.clear_message()
    upload(ui, "x1,x2,label\n" + rows, name="long.csv")
    message = ui.wait_message()
    assert "line 5002" in message and "5,000" in message, message


def test_own_points_stay_when_hyperparameters_change_and_go_with_the_data_set(ready_page, ui):
    ready_page(SMALL)
    upload(ui, GOOD_CSV)
    wait_counts(ui, 12, 3)
    ui.type_into("hidden", "9")
    ui.page.wait_for_function("() => location.hash.includes('hidden=9')", timeout=5000)
    ui.wait_epoch("e === 0")
    wait_counts(ui, 12, 3)
    ui.type_into("lr", "0.3")
    ui.page.wait_for_function("() => location.hash.includes('lr=0.3')", timeout=5000)
    wait_counts(ui, 12, 3)
    assert ui.value("dataset") == "custom"
    ui.choose("dataset", "moons")
    wait_counts(ui, 48, 12)
    assert ui.value("classes") == "2"
    ui.assert_trains()


def test_fewer_classes_drop_the_points_of_the_classes_gone(ready_page, ui):
    ready_page(SMALL)
    upload(ui, GOOD_CSV)
    wait_counts(ui, 12, 3)
    ui.choose("classes", "2")
    wait_counts(ui, 8, 2)
    assert "removed 5 points" in ui.wait_message()
    options = ui.hook("point-class").locator("option").all_text_contents()
    assert options == ["nothing (inspect)", "a class 0 point", "a class 1 point", "remove the nearest point"], options


def test_a_custom_link_opens_an_empty_plane_ready_for_points(ready_page, ui):
    ready_page("dataset=custom&classes=2&hidden=8&lr=0.5&batch=1&seed=1")
    wait_counts(ui, 0, 0)
    assert ui.value("dataset") == "custom"
    ui.choose("point-class", "1")
    click_plane(ui, 0.5, 0.5)
    wait_counts(ui, 1, 0)

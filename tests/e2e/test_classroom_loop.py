"""The classroom loop in the page (issue 27): a teacher makes an assignment link in the teacher's
page; two students open it (one right, one with W1's gradient transposed and an exercise left
out) and hand in; the class view grades their files, a broken one and one whose statuses claim
"pass" for wrong code, every piece of code checked again in the sandbox; and the embed trains
inside an iframe of another origin."""
from __future__ import annotations

import csv
import http.server
import io
import json
import re
import threading
import time
from pathlib import Path
from urllib.parse import unquote

from pynn.page.exercises import SOLUTIONS

CHECKER_MS = 120_000
TRANSPOSED = SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T')
ASSIGNED = ["relu", "gradients", "forward"]  # gradients moved up: the order given is the tabs' order


def make_link(page, ui) -> str:
    ui.click("teacher-link")
    ui.hook("teacher-assign").wait_for()
    assert not ui.hook("exercises").is_visible()  # the teacher's page alone
    ui.hook("assign-title").fill("Backprop homework")
    for name in ("softmax", "loss", "sgd_step"):
        ui.hook(f"assign-exercise-{name}").uncheck()
    ui.click("assign-up-gradients")
    ui.click("assign-up-gradients")
    ui.hook("assign-solutions").uncheck()
    ui.hook("assign-equations").select_option("ask")
    for panel in ("diagram", "stepper", "units", "gradcheck", "code", "inside"):
        ui.hook(f"assign-panel-{panel}").uncheck()
    link = ui.hook("assign-link").input_value()
    page.wait_for_function("() => document.querySelector('[data-testid=\"assign-qr\"]').width > 0")
    return link


def hand_in(student, e2e, link: str, name: str, code: dict[str, str], folder: Path, ask: str | None = None) -> Path:
    """A student opens the link, writes `code` per exercise (Check pressed), hands in."""
    page = student.new_page()
    started = time.monotonic()
    page.goto(link)
    e2e.wait_ready(page, started)
    ui = e2e.Ui(page)
    assert ui.text("assignment-title") == "Backprop homework"
    assert ui.message() == ""  # every key of the link understood
    tabs = page.locator(".exercise-tab").evaluate_all("(tabs) => tabs.map((tab) => tab.dataset.testid)")
    assert tabs == [f"exercise-tab-{each}" for each in ASSIGNED]
    assert page.locator("#hidden-units").is_hidden() and page.locator("#backprop-panel").is_hidden()
    assert ui.hook("play").is_visible()
    ui.hook("handin-name").fill(name)
    for exercise, source in code.items():
        ui.open_exercise(exercise, CHECKER_MS)
        assert ui.hook("exercise-solution").count() == 0  # solutions=off
        if exercise == ask:
            assert page.locator(".exercise-maths").is_hidden()
            ui.click("exercise-show-equations")
            assert page.locator(".exercise-maths").is_visible()
        ui.set_code(source)
        ui.press_check(CHECKER_MS)
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-testid=\"handin-preview\"] tbody tr').length === n"
        " && !document.querySelector('[data-testid=\"handin-download\"]').disabled", arg=len(code))
    with page.expect_download() as caught:
        ui.click("handin-download")
    download = caught.value
    assert download.suggested_filename == f"pynn-Backprop-homework-{name}.json"
    path = folder / download.suggested_filename
    download.save_as(path)
    page.close()
    return path


def test_assign_hand_in_grade_the_class(browser, site_url, ready_page, ui, e2e_tools, tmp_path):
    page = ready_page("")
    link = make_link(page, ui)
    assert "#" in link and "assign=Backprop%20homework" in link and "solutions=off" in link

    guards, files = [], []
    for name, code, ask in [
        ("Ann", {each: SOLUTIONS[each] for each in ASSIGNED}, "forward"),
        ("Bob", {"relu": SOLUTIONS["relu"], "gradients": TRANSPOSED}, None),  # forward left out
    ]:
        guard = e2e_tools.Guard(site_url)
        guards.append(guard)
        student = e2e_tools.new_context(browser, site_url, guard)
        try:
            files.append(hand_in(student, e2e_tools, link, name, code, tmp_path, ask))
        finally:
            student.close()
    ann = json.loads(files[0].read_text())
    assert ann["format"] == "pynn-handin" and ann["assignment"]["title"] == "Backprop homework"
    assert re.fullmatch(r"[0-9a-f]{16}", ann["build"])  # manifest.json's build id
    assert ann["exercises"]["forward"]["equations_shown"] is True and ann["exercises"]["relu"]["equations_shown"] is False
    assert all(entry["checks"] == 1 and entry["status"] == "pass" for entry in ann["exercises"].values())
    bob = json.loads(files[1].read_text())
    assert sorted(bob["exercises"]) == ["gradients", "relu"] and bob["exercises"]["gradients"]["status"] == "fail"
    liar = {**bob, "name": "Liar", "exercises": {name: {**entry, "status": "pass", "passed": 5, "total": 5}
                                                 for name, entry in bob["exercises"].items()}}
    (tmp_path / "liar.json").write_text(json.dumps(liar))
    (tmp_path / "broken.json").write_text("{this is not a hand-in")

    ui.hook("class-files").set_input_files([*files, tmp_path / "liar.json", tmp_path / "broken.json"])
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"class-progress-label\"]')?.textContent.startsWith('4 of 4')",
        timeout=240_000)
    table = ui.hook("class-table")
    status = {row.get_attribute("data-student"): {cell.get_attribute("data-exercise"): cell.get_attribute("data-status")
                                                  for cell in row.locator("td[data-exercise]").all()}
              for row in table.locator("tbody tr").all()}
    assert status["Ann"] == {"relu": "pass", "gradients": "pass", "forward": "pass"}
    assert status["Bob"] == {"relu": "pass", "forward": "missing", "gradients": "fail"}
    assert status["Liar"] == status["Bob"]  # the statuses in the file are never trusted
    broken = table.locator("tbody tr[data-problem]")
    assert broken.count() == 1 and "broken.json" in (broken.get_attribute("data-file") or "")
    mistake = ui.hook("class-mistakes").locator('[data-exercise="gradients"] [data-mistake="W1-transposed"]')
    assert mistake.get_attribute("data-count") == "2"

    with page.expect_download() as caught:
        ui.click("class-csv")
    rows = list(csv.reader(io.StringIO(Path(caught.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["name", "id", *ASSIGNED, "passed", "total", "handed_in", "flags", "mistakes"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Ann"][2:5] == ["pass", "pass", "pass"]
    assert by_name["Bob"][2:5] == ["pass", "fail", "missing"]
    for guard in guards:
        guard.check()


class _Host(http.server.BaseHTTPRequestHandler):
    """A course page on another origin that embeds the site in an iframe."""

    target = ""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        body = (f'<!doctype html><title>Course</title><h1>A course page</h1>'
                f'<iframe src="{self.target}" width="900" height="640" title="pynn"></iframe>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_embed_trains_in_an_iframe_of_another_origin(browser, site_url):
    handler = type("Host", (_Host,), {"target": site_url + "#dataset=spiral&view=embed&hide=lr"})
    server = http.server.ThreadingHTTPServer(("localhost", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(error.message))
        page.goto(f"http://localhost:{server.server_address[1]}/")
        frame = page.frame_locator("iframe")
        frame.locator("body.embed").wait_for(state="attached")
        assert frame.locator('[data-testid="play"]').is_visible()
        assert frame.locator("header.top").is_hidden() and frame.locator('[data-testid="exercises"]').is_hidden()
        assert frame.locator("#lr").is_hidden() and frame.locator("#hidden").is_visible()
        play = frame.locator('[data-testid="play"]')
        play.wait_for(state="visible")
        page.wait_for_function(
            "() => !document.querySelector('iframe').contentDocument", timeout=1000)  # another origin: not readable
        deadline = time.monotonic() + 90
        while play.is_disabled() and time.monotonic() < deadline:
            time.sleep(0.2)
        play.click()
        epoch = frame.locator('[data-testid="epoch"]')
        while time.monotonic() < deadline and int(epoch.text_content() or 0) < 2:
            time.sleep(0.2)
        assert int(epoch.text_content()) >= 2
        assert unquote(frame.locator("body").evaluate("() => location.hash")).find("view=embed") >= 0
        assert not errors
    finally:
        context.close()
        server.shutdown()
        server.server_close()

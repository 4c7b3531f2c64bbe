"""Grading the class (issues 27 and 33): 30 hand-ins of 6 exercises each, graded in the teacher's page.

    python bench/grading.py SITE [--students 30]

Makes `students` hand-in files with pynn.page.handin (each exercise pynn's solution, or for every
third student a gradients with W1's gradient transposed), opens SITE#view=teacher in Chromium, loads
them all into the class view (class-files) and times until the progress says every student is
graded: the whole grading, and of it the time in fresh() (a new sandbox before each student, ready
before their first check: one student's code cannot change another's outputs) and in the checks
(each one plan and one verdict in the training worker, the run in the sandbox: web/start/checking.js).
While it grades, the page's main thread is sampled: the longest gap between two animation frames
(the page stays responsive when it is short). Prints one JSON object with the machine's load.
Goals (issue 33): 30 hand-ins of 6 exercises in ≤ 30 s on a quiet 2-core machine, the longest frame
gap ≤ 100 ms.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import READY, ROOT, chromium_serving, machine  # noqa: E402

sys.path.insert(0, str(ROOT))
from pynn.page import handin  # noqa: E402
from pynn.page.exercises import ORDER, SOLUTIONS  # noqa: E402

TRANSPOSED = SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T')
FRAME_GAPS = """() => { window.__gaps = []; let last = performance.now();
  const tick = (now) => { window.__gaps.push(now - last); last = now; if (!window.__stopGaps) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""


def make_files(folder: Path, students: int) -> list[Path]:
    paths = []
    for i in range(students):
        code = {name: SOLUTIONS[name] for name in ORDER}
        if i % 3 == 2:
            code["gradients"] = TRANSPOSED
        exercises = {name: {"code": source, "status": "pass", "passed": 1, "total": 1, "checks": 1,
                            "equations_shown": False, "solution_shown": False} for name, source in code.items()}
        made = handin.hand_in(assignment={"title": "Bench", "hash": "assign=Bench"}, name=f"Student {i:02d}",
                              build="bench", exercises=exercises)
        path = folder / f"student-{i:02d}.json"
        path.write_text(json.dumps(made["handin"], indent=1) + "\n")  # as web/classroom/handin.js downloads it
        paths.append(path)
    return paths


def run(site: Path, students: int) -> dict:
    out = {"machine": machine(), "students": students, "exercises_each": len(ORDER)}
    with tempfile.TemporaryDirectory() as folder, chromium_serving(site, out) as (browser, url):
        files = make_files(Path(folder), students)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "#view=teacher")
        page.wait_for_function(READY, timeout=120_000)
        page.locator('[data-testid="class-files"]').wait_for(state="attached")
        page.evaluate(FRAME_GAPS)
        started = time.perf_counter()
        page.locator('[data-testid="class-files"]').set_input_files(files)
        page.wait_for_function(  # the progress bar full (its numbers, not its label's words) and its timings written
            "(n) => { const bar = document.querySelector('[data-testid=\"class-progress\"]');"
            " return bar.max === n && bar.value === n && Boolean(bar.dataset.checkMs); }",
            arg=students, timeout=600_000, polling=50)
        out["grading_s"] = round(time.perf_counter() - started, 2)
        page.evaluate("() => { window.__stopGaps = true; }")
        progress = page.locator('[data-testid="class-progress"]')
        out["fresh_s"] = round(int(progress.get_attribute("data-fresh-ms")) / 1000, 2)
        out["checks_s"] = round(int(progress.get_attribute("data-check-ms")) / 1000, 2)
        out["per_student_s"] = round(out["grading_s"] / students, 2)
        gaps = page.evaluate("() => window.__gaps")
        out["longest_frame_gap_ms"] = round(max(gaps), 1)
        out["frames"] = len(gaps)
        statuses = page.locator('[data-testid="class-table"] td[data-status]').evaluate_all(
            "(cells) => cells.map((cell) => cell.dataset.status)")
        out["cells"] = {status: statuses.count(status) for status in sorted(set(statuses))}
        out["W1_transposed_counted"] = page.locator('[data-mistake="W1-transposed"]').get_attribute("data-count")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()
    print(json.dumps(run(args.site, args.students), indent=2))


if __name__ == "__main__":
    main()

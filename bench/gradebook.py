"""The class kept (issue 35): restoring a kept class of 30 after a reload, and adding one late file
to a graded class of 30, in the teacher's page.

    python bench/gradebook.py SITE [--students 30] [--runs 3]

Puts a graded class of `students` (each hand-in six exercises; results as the checks give them, the
table made by pynn.page.handin.report) into the browser's IndexedDB as the page keeps it, then for
each run: reloads SITE#view=teacher and times until the table shows every row (from the
navigation's start; and in the page, from the class view's restore() to the table drawn), then,
once the page is Ready, chooses one more student's file and times
until it is graded and the table has one row more (--settle: seconds to wait before choosing it,
as a teacher looks at the table first; the sandbox for the next student starts as the teacher's
page opens). Prints one JSON object with the machine's load.
Goals (issue 35): restore ≤ 1 s, one late file ≤ 3 s.
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
from grading import make_files  # noqa: E402

sys.path.insert(0, str(ROOT))
from pynn.page import handin  # noqa: E402
from pynn.page.exercises import ORDER  # noqa: E402

PUT = """async (record) => { const { openKeep } = await import("./classroom/keep.js"); await (await openKeep()).put(record); }"""
ROWS = "(n) => document.querySelectorAll('[data-testid=\"class-table\"] tbody tr[data-student]').length === n"


def record(paths: list[Path]) -> dict:
    """The class as web/classroom/classview.js keeps it, each hand-in graded (every exercise passed)."""
    submissions, entries, results = [], [], []
    for path in paths:
        text = path.read_text()
        entry = handin.read_entry(path.name, text)
        result = {"exercises": {name: {"status": "pass", "passed": 3, "total": 3, "flags": [], "checks": []} for name in ORDER},
                  "steps": {}, "failure": ""}
        submissions.append({"file": path.name, "original": path.name, "text": text, "received": "2026-12-04T10:00:00Z",
                            "batch": 1, "entry": entry, "result": result})
        entries.append(entry)
        results.append(result)
    return {"key": entries[0]["handin"]["assignment"]["hash"], "title": "Bench", "graded": "2026-12-04T10:00:00Z",
            "students": len(paths), "submissions": submissions, "report": handin.report(entries, results)}


def run(site: Path, students: int, runs: int, settle: float = 0.0) -> dict:
    out = {"machine": machine(), "students": students, "settle_s": settle, "restore_s": [], "restore_view_s": [],
           "late_file_s": [], "late_fresh_s": [], "late_checks_s": []}
    with tempfile.TemporaryDirectory() as folder, chromium_serving(site, out) as (browser, url):
        paths = make_files(Path(folder), students + runs)
        kept = record(paths[:students])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(url)
        page.wait_for_function(READY, timeout=120_000)
        for late in paths[students:]:
            page.evaluate(PUT, kept)
            page.goto("about:blank")
            started = time.perf_counter()
            page.goto(url + "#view=teacher")
            page.wait_for_function(ROWS, arg=students, timeout=60_000, polling=10)
            out["restore_s"].append(round(time.perf_counter() - started, 3))
            out["restore_view_s"].append(round(int(page.locator('[data-testid="class-progress"]').get_attribute("data-restore-ms")) / 1000, 3))
            page.wait_for_function(READY, timeout=120_000)
            time.sleep(settle)  # the teacher looks at the table before choosing the file
            started = time.perf_counter()
            page.locator('[data-testid="class-files"]').set_input_files([late])
            page.wait_for_function(ROWS, arg=students + 1, timeout=120_000, polling=10)
            page.wait_for_function("() => document.querySelector('[data-testid=\"class-stop\"]').disabled", polling=10)
            out["late_file_s"].append(round(time.perf_counter() - started, 3))
            progress = page.locator('[data-testid="class-progress"]')
            out["late_fresh_s"].append(round(int(progress.get_attribute("data-fresh-ms")) / 1000, 3))
            out["late_checks_s"].append(round(int(progress.get_attribute("data-check-ms")) / 1000, 3))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--settle", type=float, default=0.0, help="seconds between Ready and choosing the late file")
    args = parser.parse_args()
    print(json.dumps(run(args.site, args.students, args.runs, args.settle), indent=2))


if __name__ == "__main__":
    main()

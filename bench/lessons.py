"""How long each lesson's Run takes: lessonrun.run natively, and in the page (Run pressed →
the explanation shown; the worker is busy all that time, so it is how long the page waits).

    python bench/lessons.py              # natively, median of --repeats runs
    python bench/lessons.py --browser    # ... and in the built page (builds dist/ first)

A benchmark, not a test: nothing here fails; the figures go in bench/RESULTS.md by hand.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

from pynn.page import lessonrun, lessons
from pynn.page.session import Session

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def native(repeats: int) -> dict[str, float]:
    """Seconds per lesson_run (the lesson's run and its comparison runs), the median of `repeats`."""
    times = {}
    for lesson in lessons.LESSONS:
        runs = []
        for _ in range(repeats):
            session = Session()
            started = time.perf_counter()
            lessonrun.run(session, lesson.name, 0)
            runs.append(time.perf_counter() - started)
        times[lesson.name] = statistics.median(runs)
    return times


def browser() -> dict[str, float]:
    """Seconds from pressing Run to the explanation shown, once per lesson, in the built page."""
    from playwright.sync_api import sync_playwright

    spec = importlib.util.spec_from_file_location("pynn_build", ROOT / "build.py")
    build = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build
    spec.loader.exec_module(build)
    server, url = build.serve(build.build(ROOT / "dist").out, 0, quiet=True)
    times = {}
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = chromium.new_page()
            for lesson in lessons.LESSONS:
                page.goto(f"{url}#lesson={lesson.name}")
                page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)",
                                       timeout=120_000)
                page.locator('[data-testid="lesson-predict"] input').first.check()
                started = time.perf_counter()
                page.click('[data-testid="lesson-run"]')
                page.wait_for_selector('[data-testid="lesson-explain"]:not([hidden])', timeout=300_000)
                times[lesson.name] = time.perf_counter() - started
            chromium.close()
    finally:
        server.shutdown()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    here = native(args.repeats)
    there = browser() if args.browser else {}
    print(f"{'lesson':<12} {'native s':>9} {'page s':>7}")
    for name, seconds in here.items():
        page = f"{there[name]:7.2f}" if name in there else "      –"
        print(f"{name:<12} {seconds:9.2f} {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

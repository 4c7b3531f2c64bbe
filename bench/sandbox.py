"""The sandbox's speed (issue: student code in a real sandbox), in Chromium on a returning visit.

    python bench/sandbox.py SITE [--rounds 5] [--seconds 8]

One first visit (the service worker installs the build, the worker keeps its snapshot), then
`rounds` returning visits, each in a new tab of that profile: Ready, then relu's tab opened and a
correct relu checked at once — `first_check_ms`, from the tab's click to the result (the sandbox
starts from the kept snapshot meanwhile) — then checked again, `check_ms`, and gradients (the
heaviest check: its judgement takes finite differences) checked twice, the second
`check_gradients_ms`. Each check is the page's three steps (web/start/checking.js: inputs planned in
the training worker, the code run in the sandbox, the verdict computed in the training worker). In the last visit,
forward and gradients are passed and the spiral trains at full speed for `seconds` with pynn's
code (the training worker) and then as long with the student's (the same solutions, in the
sandbox): updates per second of each, and their ratio. Prints one JSON object with every figure
and the medians. Goals: first check ≤ 3 s, a check ≤ 1 s (issue 33: the verdict outside the sandbox), the student's
code ≥ 0.5 × pynn's rate.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import READY, ROOT, chromium_serving, machine  # noqa: E402

sys.path.insert(0, str(ROOT))
from pynn.page.exercises import SOLUTIONS  # noqa: E402

RESULT = "() => ['pass', 'fail', 'error', 'timeout', 'crashed', 'invalid'].includes(document.querySelector('[data-testid=\"exercise-result\"]')?.dataset.status)"
EDITOR = '[data-testid="exercise-editor"] .cm-content'
PASTE = """(content, text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  content.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def hook(page, testid: str):
    return page.locator(f'[data-testid="{testid}"]')


def check(page, source: str) -> tuple[str, float]:
    """Put `source` in the editor and press Check: (status, ms until the result)."""
    page.locator(EDITOR).click()
    page.keyboard.press("Control+A")
    page.locator(EDITOR).evaluate(PASTE, source)
    hook(page, "exercise-result").evaluate("(el) => delete el.dataset.status")
    started = time.perf_counter()
    hook(page, "exercise-check").click()
    page.wait_for_function(RESULT, timeout=60_000, polling=20)
    ms = (time.perf_counter() - started) * 1000
    return hook(page, "exercise-result").get_attribute("data-status"), ms


def open_exercise(page, name: str) -> float:
    started = time.perf_counter()
    hook(page, f"exercise-tab-{name}").click()
    page.wait_for_function(f"() => document.querySelector('.exercise-title code')?.textContent === '{name}'"
                           " && document.querySelector('[data-testid=\"exercise-check\"]')", timeout=60_000, polling=20)
    return started


def rate(page, seconds: float) -> float:
    """SGD updates per second at full speed over `seconds` of play."""
    def updates() -> float:
        text = hook(page, "updates").text_content().replace(",", "").strip()
        return float(text[:-1]) * 1000 if text.endswith("k") else float(text or 0)

    hook(page, "play").click()
    page.wait_for_timeout(1000)  # the loop runs
    first, started = updates(), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    last, ended = updates(), time.perf_counter()
    hook(page, "play").click()
    page.wait_for_timeout(500)
    return (last - first) / (ended - started)


def visit(context, url: str, *, train_seconds: float | None) -> dict:
    page = context.new_page()
    page.goto(url + "#dataset=spiral&classes=3&points=300&hidden=64&lr=0.3&batch=1&seed=1")
    page.wait_for_function(READY, timeout=120_000, polling=50)
    snapshot = hook(page, "status").get_attribute("data-snapshot")
    started = open_exercise(page, "relu")
    status, _ = check(page, SOLUTIONS["relu"])
    first = (time.perf_counter() - started) * 1000
    assert status == "pass", status
    status, again = check(page, SOLUTIONS["relu"])
    assert status == "pass", status
    open_exercise(page, "gradients")
    assert check(page, SOLUTIONS["gradients"])[0] == "pass"
    status, heaviest = check(page, SOLUTIONS["gradients"])
    assert status == "pass", status
    out = {"snapshot": snapshot, "first_check_ms": round(first), "check_ms": round(again), "check_gradients_ms": round(heaviest)}
    if train_seconds:
        for name in ("forward", "gradients"):
            open_exercise(page, name)
            assert check(page, SOLUTIONS[name])[0] == "pass"
        out["pynn_updates_per_s"] = round(rate(page, train_seconds))
        hook(page, "exercise-train").click()
        hook(page, "exercise-badge").wait_for(state="visible")
        out["student_updates_per_s"] = round(rate(page, train_seconds))
        out["ratio"] = round(out["student_updates_per_s"] / out["pynn_updates_per_s"], 2)
    page.close()
    return out


def run(site: Path, rounds: int, seconds: float) -> dict:
    out = {"machine": machine(), "visits": []}
    with chromium_serving(site, out) as (browser, url):
        context = browser.new_context(service_workers="allow", viewport={"width": 1280, "height": 900})
        first = context.new_page()
        first.goto(url)
        first.wait_for_function("() => document.querySelector('[data-testid=\"status\"]')?.dataset.kept === 'true'",
                                timeout=180_000, polling=100)
        first.wait_for_timeout(1500)
        first.close()
        for index in range(rounds):
            out["visits"].append(visit(context, url, train_seconds=seconds if index == rounds - 1 else None))
    for key in ("first_check_ms", "check_ms", "check_gradients_ms"):
        out[f"median_{key}"] = statistics.median(v[key] for v in out["visits"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    print(json.dumps(run(args.site, args.rounds, args.seconds), indent=2))


if __name__ == "__main__":
    main()

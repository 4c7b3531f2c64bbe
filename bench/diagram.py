"""Frames per second of the page while it trains with the network diagram and the stepper in view.

    python bench/diagram.py                  # build into a temporary directory, measure, print a table
    python bench/diagram.py --site dist      # measure a site already built there
    python bench/diagram.py --seconds 10     # a longer window per setup

For each setup the page is opened at 1280×800 in Debian's Chromium, the diagram scrolled into view
with the stepper on its ∂W1 stage (edges coloured by the gradient), and play pressed. Over the
window a requestAnimationFrame loop counts the main thread's frames, the diagram's data-paints
counts its redraws and the epoch readout the training. Issue 13's budget: ≥ 30 frames/s. A
benchmark, not a test: it prints PASS or MISS and exits 0 whenever it could measure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/common.py
from common import CHROMIUM, CHROMIUM_ARGS, load_build  # noqa: E402
SETUPS = {
    "spiral, H = 32, batch 1": "dataset=spiral&classes=3&points=300&hidden=32&lr=0.1&batch=1&seed=1",
    "spiral, H = 200, batch 10": "dataset=spiral&classes=5&points=1000&hidden=200&lr=0.3&batch=10&seed=1",
    "digits, H = 100, batch 1": "dataset=digits&classes=10&hidden=100&lr=0.05&batch=1&seed=1",
}
COUNT_FRAMES = """() => {
  window.__frames = 0;
  const frame = () => { window.__frames += 1; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
}"""
READ = """() => ({
  frames: window.__frames,
  paints: Number(document.querySelector('[data-testid="network-diagram"]').dataset.paints || 0),
  epoch: Number(document.querySelector('[data-testid="epoch"]').textContent),
  t: performance.now(),
})"""


def measure(page, url: str, hash_: str, seconds: float) -> dict[str, float]:
    page.goto(f"{url}#{hash_}")
    page.wait_for_function("() => /^Ready/.test(document.querySelector('[data-testid=status]').textContent)",
                           timeout=90_000)
    page.wait_for_function("() => document.querySelector('[data-testid=backprop-panel]').dataset.stage", timeout=30_000)
    page.locator('[data-testid="network-diagram"]').scroll_into_view_if_needed()
    while page.locator('[data-testid="backprop-panel"]').get_attribute("data-stage") != "dW1":
        page.click('[data-testid="backprop-next"]')
    page.evaluate(COUNT_FRAMES)
    page.click('[data-testid="play"]')
    page.wait_for_timeout(1000)  # past the first chunks
    start = page.evaluate(READ)
    time.sleep(seconds)
    end = page.evaluate(READ)
    page.click('[data-testid="play"]')
    elapsed = (end["t"] - start["t"]) / 1000
    return {
        "fps": (end["frames"] - start["frames"]) / elapsed,
        "diagram": (end["paints"] - start["paints"]) / elapsed,
        "epochs": (end["epoch"] - start["epoch"]) / elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary directory)")
    parser.add_argument("--seconds", type=float, default=5.0, help="the measuring window per setup")
    args = parser.parse_args(argv)
    build = load_build()
    with tempfile.TemporaryDirectory() as temporary:
        site = args.site or build.build(Path(temporary) / "site").out
        server, url = build.serve(site, 0, quiet=True)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                print(f"{'setup':28} {'frames/s':>9} {'diagram redraws/s':>18} {'epochs/s':>9}")
                for name, hash_ in SETUPS.items():
                    r = measure(page, url, hash_, args.seconds)
                    verdict = "PASS" if r["fps"] >= 30 else "MISS"
                    print(f"{name:28} {r['fps']:9.1f} {r['diagram']:18.1f} {r['epochs']:9.1f}  {verdict} (≥ 30 frames/s)")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

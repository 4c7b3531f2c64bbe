"""The README's and docs/' pictures of the page: build dist/, serve it, train a spiral a little and
take a screenshot at each of the sizes a class meets (laptop, phone, projector).

    .venv/bin/python tools/screenshots.py [--out docs] [--hash 'dataset=spiral&...']
    .venv/bin/python tools/screenshots.py --views message readouts handout [--only 1280x800 ...]

--views takes the views issue 25 fixed instead (docs/view-NAME-SIZE.png): the divergence message
in the flow with the tour open, the readouts past 10,000 updates, and the printed handout (A4's
first page, docs/handout-A4.png, needs pdftoppm from poppler-utils).
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"1280x800": (1280, 800), "390x844": (390, 844), "1024x768": (1024, 768), "1920x1080": (1920, 1080)}
SPIRAL = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=64&lr=0.5&batch=10&wd=0&seed=1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def load_build():
    spec = importlib.util.spec_from_file_location("pynn_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def shoot(browser, url: str, size: tuple[int, int], path: Path, epochs: int) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)",
                           timeout=60_000)
    page.click('[data-testid="play"]')
    page.wait_for_function(f"() => Number(document.querySelector('[data-testid=epoch]').textContent) >= {epochs}",
                           timeout=60_000)
    page.click('[data-testid="play"]')
    page.wait_for_timeout(300)
    box = page.locator('[data-testid="boundary-canvas"]').bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.35)
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    context.close()
    print(f"wrote {path}")


def ready(browser, url: str, size: tuple[int, int]):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)",
                           timeout=60_000)
    return context, page


def view_message(browser, url: str, size: tuple[int, int], path: Path) -> None:
    """lr = 50 stopped with its message (in the flow, above the layout), and the tour open."""
    context, page = ready(browser, f"{url}#{SPIRAL.replace('lr=0.5', 'lr=50')}", size)
    page.click('[data-testid="play"]')
    page.wait_for_selector('[data-testid="fix-lr"]', timeout=30_000)
    page.click('[data-testid="tour-button"]')
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    context.close()


def view_readouts(browser, url: str, size: tuple[int, int], path: Path) -> None:
    """Past 10,000 updates ("12.3k"), with a learning-rate mark at the curves' right-hand end."""
    tiny = "dataset=spiral&classes=3&points=40&noise=0.1&split=0.8&hidden=8&lr=0.5&batch=32&wd=0&seed=1"
    context, page = ready(browser, f"{url}#{tiny}", size)
    page.click('[data-testid="play"]')
    page.wait_for_function("() => Number(document.querySelector('[data-testid=updates]').dataset.count) > 12000",
                           timeout=180_000)
    if page.locator('[data-testid="settings-fold"]').is_visible():  # a phone: the settings are folded
        page.click('[data-testid="settings-fold"]')
    page.fill('[data-testid="lr"]', "5")
    page.press('[data-testid="lr"]', "Tab")
    page.wait_for_timeout(600)
    page.click('[data-testid="play"]')
    page.wait_for_timeout(300)
    page.locator(".metrics").screenshot(path=str(path))
    context.close()


def view_handout(browser, url: str, size: tuple[int, int], path: Path) -> None:
    """The printed handout (an A4 PDF) with the gradients exercise open, its first page as a PNG."""
    context, page = ready(browser, f"{url}#{SPIRAL}", size)
    page.click('[data-testid="play"]')
    page.wait_for_function("() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 40",
                           timeout=60_000)
    page.click('[data-testid="play"]')
    page.click('[data-testid="exercise-tab-gradients"]')
    page.wait_for_selector(".exercise-maths", timeout=60_000)
    page.emulate_media(media="print")
    page.wait_for_timeout(500)  # the curves redrawn at the paper's width
    with tempfile.TemporaryDirectory() as scratch:
        pdf = Path(scratch) / "handout.pdf"
        pdf.write_bytes(page.pdf(format="A4", print_background=True))
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(path.with_suffix(""))], check=True)
    context.close()


def shoot_view(browser, url: str, view: str, size: tuple[int, int], path: Path) -> None:
    """The views issue 25 fixed: "tour" (its first step set up and playing: the tour card, a bottom
    sheet on a phone), "slow" (1 update a second: the example just used ringed, its loss before → after, the
    curves in the first epoch) and "loading" (at 5 Mbit/s: pynn's preview of the points under the
    download's count)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    if view == "loading":
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": 40, "downloadThroughput": 5e6 / 8, "uploadThroughput": 5e6 / 8})
        page.goto(url)
        page.wait_for_function("() => /MB/.test(document.querySelector('[data-testid=plane-loading]').textContent)",
                               timeout=60_000)
        page.wait_for_timeout(1500)
    elif view == "tour":
        page.goto(f"{url}&tour=1")
        page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)",
                               timeout=60_000)
        page.click('[data-testid="tour-setup"]')
        page.wait_for_function("() => Number(document.querySelector('[data-testid=epoch]').textContent) >= 12",
                               timeout=60_000)
        # Pause from the page: Playwright's click would scroll the button into view, and the step
        # has scrolled the plane and the readouts above the card.
        page.evaluate("() => document.querySelector('[data-testid=play]').click()")
    elif view == "slow":
        page.goto(url.replace("batch=10", "batch=1"))
        page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)",
                               timeout=60_000)
        page.locator('[data-testid="speed"]').focus()
        page.keyboard.press("Home")
        page.click('[data-testid="play"]')
        page.wait_for_function("() => Number(document.querySelector('[data-testid=updates]').dataset.count) >= 6",
                               timeout=60_000)
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    context.close()


VIEWS = {
    "message": view_message, "readouts": view_readouts, "handout": view_handout,
    **{view: (lambda view: lambda browser, url, size, path: shoot_view(browser, f"{url}#{SPIRAL}", view, size, path))(view)
       for view in ("tour", "slow", "loading")},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--hash", default=SPIRAL)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--only", nargs="*", default=list(SIZES))
    parser.add_argument("--views", nargs="*", choices=list(VIEWS), default=[])
    args = parser.parse_args()
    if "handout" in args.views and shutil.which("pdftoppm") is None:
        parser.error("the handout view needs pdftoppm (apt-get install poppler-utils)")
    build = load_build()
    site = build.build(ROOT / "dist").out
    server, url = build.serve(site, 0, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for view in args.views:
                for name in ["1280x800"] if view == "handout" else args.only:  # the paper, whatever the window
                    path = args.out / ("handout-A4.png" if view == "handout" else f"view-{view}-{name}.png")
                    VIEWS[view](browser, url, SIZES[name], path)
                    print(f"wrote {path}")
            for name in [] if args.views else args.only:
                shoot(browser, f"{url}#{args.hash}", SIZES[name], args.out / f"screenshot-{name}.png", args.epochs)
            for name in ("1920x1080", "1024x768"):
                if name in args.only and not args.views:
                    shoot(browser, f"{url}#{args.hash}&view=projector", SIZES[name],
                          args.out / f"screenshot-projector-{name}.png", args.epochs)
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

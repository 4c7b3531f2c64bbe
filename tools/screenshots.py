"""The README's and docs/' pictures of the page: build dist/, serve it, train a spiral a little and
take a screenshot at each of the sizes a class meets (laptop, phone, projector).

    .venv/bin/python tools/screenshots.py [--out docs] [--hash 'dataset=spiral&...']
    .venv/bin/python tools/screenshots.py --derive [--only 1280x800 390x844]   # the derivation panel
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
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


def shoot_derive(browser, url: str, size: tuple[int, int], path: Path) -> None:
    """"Derive the gradients" at the s1 step: a wrong answer checked (its message), one hint shown."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{url}#derive=s1")
    page.wait_for_selector('[data-testid="derive-question"] .katex', timeout=120_000)
    page.fill('[data-testid="derive-answer"]', "yoh - h1")
    page.click('[data-testid="derive-check"]')
    page.wait_for_function("() => document.querySelector('[data-testid=derive-result]').dataset.status === 'fail'",
                           timeout=120_000)
    page.click('[data-testid="derive-hint"]')
    page.wait_for_selector('[data-testid="derive-hints"] .katex')
    page.evaluate("() => document.fonts.ready")
    page.locator('[data-testid="derive"]').evaluate("(panel) => panel.scrollIntoView({ block: 'start' })")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    context.close()
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--hash", default=SPIRAL)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--only", nargs="*", default=list(SIZES))
    parser.add_argument("--derive", action="store_true", help="only the derivation panel's pictures")
    args = parser.parse_args()
    build = load_build()
    site = build.build(ROOT / "dist").out
    server, url = build.serve(site, 0, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            if args.derive:
                for name in args.only:
                    shoot_derive(browser, url, SIZES[name], args.out / f"screenshot-derive-{name}.png")
                browser.close()
                return 0
            for name in args.only:
                shoot(browser, f"{url}#{args.hash}", SIZES[name], args.out / f"screenshot-{name}.png", args.epochs)
            for name in ("1920x1080", "1024x768"):
                if name in args.only:
                    shoot(browser, f"{url}#{args.hash}&view=projector", SIZES[name],
                          args.out / f"screenshot-projector-{name}.png", args.epochs)
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What the benchmarks share: the checkout's root, Debian's Chromium with the project's flags,
build.py loaded as a module (its build() and serve()), and the frame of a benchmark in the page:
the site served, Chromium started, the machine and its load before and after. Standard library
only (Playwright is imported where a browser starts).

Each script in bench/ puts its own directory on sys.path and imports this, so it also works when a
test loads a script by its path (tests/test_build.py loads loadtest.py).
"""
from __future__ import annotations

import importlib.util
import os
import platform
import sys
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's (apt-get); Playwright's own download cannot work here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY = "() => document.querySelector('[data-testid=\"status\"]')?.classList.contains('ready')"
"""A page function true once the page's Python is ready (its status says so)."""


def load_build() -> ModuleType:
    """build.py as a module, loaded once by path (it is a script, not a package)."""
    name = "pynn_build_for_bench"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_average() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes, to two places."""
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, Any]:
    """The machine a figure was measured on, and its load as the benchmark starts."""
    return {"platform": platform.platform(), "cpus": os.cpu_count(), "load_average_start": load_average()}


@contextmanager
def chromium_serving(site: Path, out: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """(Chromium, the URL of ``site`` served by build.py's serve()) for the ``with`` block; after it
    the browser is closed, the server stopped and ``out["machine"]["load_average_end"]`` written."""
    from playwright.sync_api import sync_playwright

    server, url = load_build().serve(site, 0, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser, url
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
        out["machine"]["load_average_end"] = load_average()

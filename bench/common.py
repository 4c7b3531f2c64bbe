"""What the benchmarks share: the checkout's root, Debian's Chromium with the project's flags, and
build.py loaded as a module (its build() and serve()). Standard library only.

Each script in bench/ puts its own directory on sys.path and imports this, so it also works when a
test loads a script by its path (tests/test_build.py loads loadtest.py).
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's (apt-get); Playwright's own download cannot work here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def load_build() -> ModuleType:
    """build.py as a module, loaded once by path (it is a script, not a package)."""
    name = "pynn_build_for_bench"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "build.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]

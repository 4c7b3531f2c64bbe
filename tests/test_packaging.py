"""`pip install .` installs what the docs cite: pynn's wheel, built from this checkout and installed
in a clean venv (numpy from the registry), imports every dotted `pynn.…` name in README.md and docs/."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NAME = re.compile(r"(?<![\w/.-])pynn(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
"""A dotted name of the package; not a file's name inside a path (locale/pynn.pot)."""

# Imports each name given: the longest prefix that is a module, then attributes; prints what fails.
RESOLVE = """
import importlib, sys
missing = []
for name in sys.argv[1:]:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        try:
            for part in parts[cut:]:
                thing = getattr(thing, part)
        except AttributeError:
            missing.append(name)
        break
    else:
        missing.append(name)
import pynn
print("FROM", pynn.__file__)
print("MISSING", " ".join(missing))
"""


def cited_names() -> list[str]:
    """Every dotted pynn name the README and the docs cite (a module, a function, a constant)."""
    return sorted({name for path in DOCS for name in NAME.findall(path.read_text(encoding="utf-8"))})


def test_the_docs_cite_the_page_s_python() -> None:
    names = cited_names()
    assert any(name.startswith("pynn.page.") for name in names), names


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pynn's wheel, built by pip as `pip install .` builds it, from a copy of what the build reads
    (a build in the checkout itself would reuse whatever an earlier build left in build/)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "pynn", source / "pynn", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check",
                    "-w", str(out), str(source)], check=True, capture_output=True, text=True)
    (built,) = out.glob("pynn-*.whl")
    return built


def test_the_wheel_holds_every_package_of_the_checkout(wheel: Path) -> None:
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "pynn").rglob("__init__.py")}
    inside = {str(Path(name).parent) for name in zipfile.ZipFile(wheel).namelist() if name.endswith("/__init__.py")}
    assert packages >= {"pynn", "pynn/page", "pynn/page/exercises"} and packages <= inside, packages - inside
    assert "pynn/data/digits.npz" in zipfile.ZipFile(wheel).namelist()


def test_every_name_the_docs_cite_imports_from_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                   check=True, capture_output=True, text=True)
    run = subprocess.run([str(python), "-I", "-c", RESOLVE, *cited_names()], cwd=tmp_path,
                         check=True, capture_output=True, text=True)
    where = run.stdout.split("FROM ", 1)[1].split("\n", 1)[0]
    assert where.startswith(str(tmp_path / "venv")), f"pynn came from {where}, not the clean venv"
    assert run.stdout.rstrip().endswith("MISSING"), run.stdout

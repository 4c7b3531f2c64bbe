"""build.py's QR code step: qrcode-generator and esbuild pinned in tools/qrcode/, bundled into one
self-contained ES module, dist/vendor/qrcode.js, that draws an assignment link's QR code; cached."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
SOURCES = ROOT / "tools" / "qrcode"

_spec = importlib.util.spec_from_file_location("pynn_build_qrcode", ROOT / "build.py")
build_py = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = build_py
_spec.loader.exec_module(build_py)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    stage = tmp_path_factory.mktemp("stage")
    build_py.bundle_qrcode(CACHE, stage)
    return stage / "vendor" / "qrcode.js"


def test_every_package_is_pinned_to_one_version_and_locked_at_it() -> None:
    pinned = json.loads((SOURCES / "package.json").read_text())["dependencies"]
    assert set(pinned) == {"qrcode-generator", "esbuild"}
    lock = json.loads((SOURCES / "package-lock.json").read_text())["packages"]
    for name, version in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version!r}"
        assert lock[f"node_modules/{name}"]["version"] == version
        assert lock[f"node_modules/{name}"]["integrity"].startswith("sha512-")


def test_the_bundle_is_one_module_that_draws_a_link_as_a_qr_code(bundle: Path) -> None:
    text = bundle.read_text()
    assert not re.search(r"^\s*import\b|\bimport\(", text, re.MULTILINE), "one self-contained module"
    assert 5_000 < len(text) < 60_000
    script = ("const { qrcode } = await import(process.argv[1]);"
              "const q = qrcode(0, 'M'); q.addData(process.argv[2]); q.make();"
              "const n = q.getModuleCount(); let dark = 0;"
              "for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) dark += q.isDark(r, c);"
              "console.log(JSON.stringify([n, q.isDark(0, 0), q.isDark(7, 7), dark]));")
    link = "http://192.168.1.20:8000/#assign=Backprop%20homework&exercises=forward,gradients&solutions=off"
    out = subprocess.run(["node", "--input-type=module", "-e", script, bundle.as_uri(), link],
                         capture_output=True, text=True, timeout=60, check=True)
    size, corner, separator, dark = json.loads(out.stdout)
    # a version-5 to -6 symbol (37 to 41 modules) for ~100 bytes at level M; finder patterns at the
    # corners: dark at (0, 0), light on the separator at (7, 7)
    assert size in (37, 41) and corner is True and separator is False
    assert 0.3 < dark / size**2 < 0.7


def test_a_second_bundle_comes_from_the_cache(bundle: Path, tmp_path: Path, monkeypatch) -> None:
    def refuse(command, cwd):
        raise AssertionError(f"ran {command} although the bundle is cached")

    monkeypatch.setattr(build_py, "run", refuse)
    build_py.bundle_qrcode(CACHE, tmp_path)
    assert (tmp_path / "vendor" / "qrcode.js").read_bytes() == bundle.read_bytes()

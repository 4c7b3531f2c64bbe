"""build.py: the assembled dist/, the pynn wheel, the numpy hash check and the server.

Builds reuse the checkout's .cache/ (filled by the first build, which needs the network), so the
tests are quick once it is warm.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import importlib.util
import io
import json
import shutil
import socket
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"


def load_build_module():
    """Import build.py by path: the name `build` may be PyPA's build package."""
    spec = importlib.util.spec_from_file_location("pynn_build", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["pynn_build"] = module
    spec.loader.exec_module(module)
    return module


build_py = load_build_module()


def make_web(directory: Path) -> Path:
    """A stand-in page with a nested file."""
    (directory / "css").mkdir(parents=True)
    (directory / "index.html").write_text("<!doctype html><title>t</title>\n")
    (directory / "css" / "style.css").write_text("body { margin: 0 }\n")
    (directory / ".hidden").write_text("not shipped\n")
    return directory


def make_package(directory: Path, version: str = "1.2.3") -> Path:
    """A fake package with a data file and build leftovers that must not ship."""
    package = directory / "fakepkg"
    (package / "data").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "__init__.py").write_text(f'"""Fake package for tests."""\n__version__ = "{version}"\n')
    (package / "core.py").write_text("def f():\n    return 1\n")
    (package / "data" / "table.npz").write_bytes(bytes(range(256)))
    (package / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"\0")
    (package / "stray.pyc").write_bytes(b"\0")
    return package


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build of the checkout's pynn with a stand-in page."""
    base = tmp_path_factory.mktemp("site")
    return build_py.build(base / "dist", web=make_web(base / "web"), cache=CACHE)


def sha256_hex(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dist_holds_the_page_pyodide_numpy_and_pynn_only(built):
    out = built.out
    assert (out / "index.html").is_file()
    assert (out / "css" / "style.css").is_file()
    assert not (out / ".hidden").exists()
    shipped = sorted(p.name for p in (out / "pyodide").iterdir())
    assert shipped == sorted([
        "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
        "pyodide-lock.json", build_py.NUMPY_WHEEL, built.pynn_wheel,
    ])
    assert sha256_hex(out / "pyodide" / build_py.NUMPY_WHEEL) == build_py.NUMPY_WHEEL_SHA256


def test_lock_file_lists_exactly_the_shipped_wheels_with_their_hashes(built):
    lock = json.loads((built.out / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == build_py.PYODIDE_VERSION
    assert set(lock["packages"]) == {"numpy", "pynn"}
    for entry in lock["packages"].values():
        assert sha256_hex(built.out / "pyodide" / entry["file_name"]) == entry["sha256"]
    assert lock["packages"]["pynn"]["depends"] == ["numpy"]


def test_manifest_points_at_the_files(built):
    manifest = json.loads((built.out / "manifest.json").read_text())
    assert (built.out / manifest["pyodide"]["module"]).is_file()
    assert (built.out / manifest["pyodide"]["indexURL"] / "pyodide.asm.wasm").is_file()
    wheel = built.out / manifest["pynn"]["wheel"]
    assert wheel.name == built.pynn_wheel
    assert sha256_hex(wheel) == manifest["pynn"]["sha256"]


def check_record(archive: zipfile.ZipFile, dist_info: str) -> None:
    """Every member is in RECORD with its size and sha256, and nothing else is."""
    rows = list(csv.reader(io.StringIO(archive.read(f"{dist_info}/RECORD").decode())))
    recorded = {row[0]: row[1:] for row in rows}
    assert set(recorded) == set(archive.namelist())
    for name, (digest, size) in recorded.items():
        if name == f"{dist_info}/RECORD":
            assert digest == size == ""
            continue
        data = archive.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}"
        assert int(size) == len(data)


def test_checkout_wheel_is_valid(built):
    with zipfile.ZipFile(built.out / "pyodide" / built.pynn_wheel) as archive:
        assert archive.testzip() is None
        version = built.pynn_wheel.split("-")[1]
        check_record(archive, f"pynn-{version}.dist-info")
        names = archive.namelist()
        assert "pynn/__init__.py" in names
        assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def test_wheel_of_a_package_ships_data_and_drops_caches(tmp_path):
    package = make_package(tmp_path / "src")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    wheel = build_py.build_wheel(package, tmp_path / "a")
    assert wheel.name == "fakepkg-1.2.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.testzip() is None
        check_record(archive, "fakepkg-1.2.3.dist-info")
        assert sorted(n for n in archive.namelist() if n.startswith("fakepkg/")) == [
            "fakepkg/__init__.py", "fakepkg/core.py", "fakepkg/data/table.npz",
        ]
        metadata = archive.read("fakepkg-1.2.3.dist-info/METADATA").decode()
        wheel_file = archive.read("fakepkg-1.2.3.dist-info/WHEEL").decode()
    assert "Name: fakepkg\n" in metadata and "Version: 1.2.3\n" in metadata
    assert "Root-Is-Purelib: true\n" in wheel_file and "Tag: py3-none-any\n" in wheel_file
    again = build_py.build_wheel(package, tmp_path / "b")
    assert again.read_bytes() == wheel.read_bytes()


def test_wheel_metadata_comes_from_pyproject_when_there_is_one(tmp_path):
    package = make_package(tmp_path / "src")
    (tmp_path / "src" / "pyproject.toml").write_text(
        '[project]\nname = "fakepkg"\nversion = "2.0"\ndescription = "A fake."\n'
        'requires-python = ">=3.11"\ndependencies = ["numpy>=1.24"]\n'
    )
    wheel = build_py.build_wheel(package, tmp_path)
    assert wheel.name == "fakepkg-2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("fakepkg-2.0.dist-info/METADATA").decode()
    assert "Summary: A fake.\n" in metadata
    assert "Requires-Python: >=3.11\n" in metadata
    assert "Requires-Dist: numpy>=1.24\n" in metadata


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args],
                          capture_output=True, text=True, timeout=300)


def test_tampered_numpy_wheel_fails_the_build(built, tmp_path):
    tampered = tmp_path / build_py.NUMPY_WHEEL
    shutil.copyfile(CACHE / build_py.NUMPY_WHEEL, tampered)
    with tampered.open("ab") as f:
        f.write(b"\0")
    out = tmp_path / "dist"
    done = run_build("--numpy-wheel", str(tampered), "--out", str(out),
                     "--web", str(make_web(tmp_path / "web")), "--cache", str(CACHE))
    assert done.returncode == 1
    assert "does not match pyodide-lock.json" in done.stderr
    assert build_py.NUMPY_WHEEL_SHA256 in done.stderr
    assert not out.exists()


def test_genuine_numpy_wheel_is_accepted(built, tmp_path):
    result = build_py.build(tmp_path / "dist", web=make_web(tmp_path / "web"), cache=CACHE,
                            numpy_wheel=CACHE / build_py.NUMPY_WHEEL)
    assert sha256_hex(result.out / "pyodide" / build_py.NUMPY_WHEEL) == build_py.NUMPY_WHEEL_SHA256


def test_refuses_to_replace_a_directory_it_did_not_make(built, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n")
    with pytest.raises(build_py.BuildError, match="not made by build.py"):
        build_py.build(out, web=make_web(tmp_path / "web"), cache=CACHE)
    assert (out / "notes.txt").read_text() == "keep me\n"


def test_page_files_may_not_clash_with_the_build(built, tmp_path):
    web = make_web(tmp_path / "web")
    (web / "manifest.json").write_text("{}\n")
    with pytest.raises(build_py.BuildError, match="clashes"):
        build_py.build(tmp_path / "dist", web=web, cache=CACHE)


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read()


def test_server_sends_the_types_pyodide_needs(built):
    server, url = build_py.serve(built.out, 0)
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        headers, body = fetch(url + "pyodide/pyodide.asm.wasm")
        assert headers["Content-Type"] == "application/wasm"
        assert headers["Cache-Control"] == "no-cache"
        assert body[:4] == b"\0asm"
        assert fetch(url + "pyodide/pyodide.mjs")[0]["Content-Type"] == "text/javascript"
        wheel_headers = fetch(url + "pyodide/" + built.pynn_wheel)[0]
        assert wheel_headers["Content-Type"] == "application/octet-stream"
    finally:
        server.shutdown()
        server.server_close()


def test_busy_port_falls_back_to_a_free_one(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        server, url = build_py.serve(built.out, busy)
        try:
            assert server.server_address[1] != busy
            assert fetch(url + "index.html")[1].startswith(b"<!doctype html>")
        finally:
            server.shutdown()
            server.server_close()


def test_serve_command_prints_the_address(tmp_path):
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--serve", "--port", "0", "--out",
         str(tmp_path / "dist"), "--web", str(make_web(tmp_path / "web")), "--cache", str(CACHE)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        for line in process.stdout:
            if line.startswith("Serving"):
                break
        url = line.split(" at ")[1].split()[0]
        assert fetch(url + "manifest.json")[0]["Content-Type"] == "application/json"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_syntax_error_in_the_package_fails_the_build(tmp_path):
    package = make_package(tmp_path / "src")
    (package / "broken.py").write_text("def f(:\n")
    with pytest.raises(build_py.BuildError, match="broken.py"):
        build_py.build_wheel(package, tmp_path)

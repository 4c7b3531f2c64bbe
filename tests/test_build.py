"""build.py: the assembled dist/, the pynn wheel, the numpy hash check, the precompiled numpy,
the memory snapshot and the server.

Builds reuse the checkout's .cache/ (filled by the first build, which needs the network and runs
Pyodide under Node), so the tests are quick once it is warm.
"""
from __future__ import annotations

import ast
import base64
import csv
import gzip
import hashlib
import importlib.util
import io
import json
import queue
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import urllib.error
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
    assert (out / build_py.SETTINGS_JS).is_file()
    shipped = sorted(p.name for p in (out / "pyodide").iterdir())
    packed = ["pyodide.asm.wasm", "python_stdlib.zip", build_py.NUMPY_WHEEL, built.pynn_wheel]
    assert shipped == sorted([
        "pyodide.mjs", "pyodide.asm.js", "pyodide-lock.json", build_py.SNAPSHOT,
        *packed, *(f"{name}.zst" for name in packed),
    ])


# Unpacks each packed copy with the page's own decoder (dist/vendor/fzstd.js, streaming, in chunks
# as a download brings them) and prints its sha256 and size.
UNPACK_JS = """
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
const { Decompress } = await import(process.argv[1]);
const out = {};
for (const path of process.argv.slice(2)) {
  const hash = createHash("sha256");
  let size = 0;
  const decoder = new Decompress((chunk) => { hash.update(chunk); size += chunk.length; });
  const packed = readFileSync(path);
  for (let at = 0; at < packed.length; at += 65536) decoder.push(packed.subarray(at, at + 65536));
  decoder.push(new Uint8Array(0), true);
  out[path] = [hash.digest("hex"), size];
}
console.log(JSON.stringify(out));
"""


def test_the_big_files_travel_packed_and_unpack_to_themselves_with_the_pages_decoder(built):
    """manifest.json's `packed`: the wasm, the standard library and the two wheels, each beside its
    Zstandard copy, which the page's fzstd unpacks to the file byte for byte; the zips are stored
    (one stream spans their files), and each copy is smaller than a host's gzip of the file."""
    manifest = json.loads((built.out / "manifest.json").read_text())
    files = ["pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", f"pyodide/{build_py.NUMPY_WHEEL}",
             f"pyodide/{built.pynn_wheel}"]
    assert manifest["packed"] == {file: f"{file}.zst" for file in files}
    paths = [str(built.out / packed) for packed in manifest["packed"].values()]
    done = subprocess.run(["node", "--input-type=module", "-e", UNPACK_JS, (built.out / build_py.FZSTD_BUNDLE).as_uri(),
                           *paths], capture_output=True, text=True, check=True)
    unpacked = json.loads(done.stdout)
    for file, path in zip(files, paths):
        assert unpacked[path] == [manifest["files"][file]["sha256"], manifest["files"][file]["bytes"]], file
        assert manifest["files"][f"{file}.zst"]["wire"] < manifest["files"][file]["wire"], file
    for file in files[1:]:
        with zipfile.ZipFile(built.out / file) as archive:
            assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}, file


def test_the_page_gets_the_python_settings_table(built):
    """dist/settings.js is pynn.page.settings.table(), the one the Session validates with, and the
    lessons of pynn.page.lessons.table(), with the English of the texts both name, and what the
    service worker keeps on first use (build.py's FIRST_USE)."""
    from pynn.page import lessons, settings

    text = (built.out / build_py.SETTINGS_JS).read_text()
    body = re.fullmatch(r"(?s)//[^\n]*\nexport default Object\.freeze\((.*)\);\n", text)
    assert body, text[:200]
    assert json.loads(body.group(1)) == json.loads(json.dumps(settings.with_texts(
        {**settings.table(), "lessons": lessons.table(), "on_first_use": build_py.FIRST_USE})))


def test_the_planes_previews_are_the_points_pynn_makes(built):
    """dist/previews.json: pynn.page.previews run in the shipped Pyodide gives what it gives here."""
    from pynn.page.previews import previews

    shown = json.loads((built.out / build_py.PREVIEWS).read_text())
    assert shown == json.loads(json.dumps(previews()))
    assert build_py.PREVIEWS in json.loads((built.out / build_py.MANIFEST).read_text())["files"]


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
        # Beside each module's source (which the page reads), its bytecode for the page's
        # CPython 3.12, used without checking the source; no other bytecode.
        # The command line, which never runs in the page, is left as source.
        sources = [name for name in names if name.endswith(".py") and name != "pynn/__main__.py"]
        assert len(sources) > 15

        def cached(name: str) -> str:
            folder, _, file = name.rpartition("/")
            return f"{folder}/__pycache__/{file.removesuffix('.py')}.cpython-312.pyc"

        assert sorted(name for name in names if name.endswith(".pyc")) == sorted(map(cached, sources))
        for name in sources:
            pyc = archive.read(cached(name))
            assert pyc[:4] == PYTHON_312_MAGIC, name
            assert int.from_bytes(pyc[4:8], "little") == UNCHECKED_HASH_PYC


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
    shipped = result.out / "pyodide" / build_py.NUMPY_WHEEL
    assert shipped.read_bytes() == (built.out / "pyodide" / build_py.NUMPY_WHEEL).read_bytes()
    manifest = json.loads((result.out / "manifest.json").read_text())
    assert manifest["numpy"]["official_sha256"] == build_py.NUMPY_WHEEL_SHA256


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
    (web / "manifest.json").unlink()
    (web / "settings.js").write_text("export default {};\n")
    with pytest.raises(build_py.BuildError, match="clashes"):
        build_py.build(tmp_path / "dist", web=web, cache=CACHE)
    (web / "settings.js").unlink()
    (web / "previews.json").write_text("{}\n")
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
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        line = lines.get(timeout=120)  # queue.Empty fails the test if the server never says where it is
        while not line.startswith("Serving"):
            line = lines.get(timeout=120)
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


# -- the precompiled numpy and the snapshot (tools/wheel.py, tools/pyodide_steps.mjs) ---------------

wheels = build_py.wheels  # tools/wheel.py, as build.py loaded it

PYTHON_312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"  # importlib.util.MAGIC_NUMBER of 3.12
UNCHECKED_HASH_PYC = 0b01  # the pyc's flags word: hash-based, source not checked


def make_wheel(path: Path, files: dict[str, bytes]) -> Path:
    """A wheel of `files` with a RECORD (its hashes are not checked by precompile_wheel)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("fake-1.0.dist-info/RECORD", "".join(f"{name},,\n" for name in files))
    return path


def test_precompile_wheel_turns_modules_into_bytecode_and_drops_build_files(tmp_path, monkeypatch):
    binary = bytes(range(256)) * 4
    source = make_wheel(tmp_path / "fake-1.0-py3-none-any.whl", {
        "fake/__init__.py": b"from .core import twice\n",
        "fake/core.py": b"def twice(x):\n    '''Two times x.'''\n    return 2 * x\n",
        "fake/core.pyi": b"def twice(x: int) -> int: ...\n",
        "fake/include/fake.h": b"int twice(int);\n",
        "fake/lib/libfake.a": b"!<arch>\n",
        "fake/_ext.cpython-312-wasm32-emscripten.so": binary,
        "fake/data/table.txt": b"1 2 3\n",
        "fake-1.0.dist-info/METADATA": b"Name: fake\nVersion: 1.0\n",
    })
    target = tmp_path / "precompiled.whl"
    counts = wheels.precompile_wheel(str(source), str(target), "/site")
    assert counts == {"compiled": 2, "dropped": 3, "copied": 3}
    with zipfile.ZipFile(target) as archive:
        check_record(archive, "fake-1.0.dist-info")
        assert sorted(archive.namelist()) == sorted([
            "fake/__init__.pyc", "fake/core.pyc", "fake/_ext.cpython-312-wasm32-emscripten.so",
            "fake/data/table.txt", "fake-1.0.dist-info/METADATA", "fake-1.0.dist-info/RECORD",
        ])
        assert archive.read("fake/_ext.cpython-312-wasm32-emscripten.so") == binary
        pyc = archive.read("fake/core.pyc")
    assert pyc[:4] == importlib.util.MAGIC_NUMBER  # this interpreter's bytecode (the build: Pyodide's)
    assert int.from_bytes(pyc[4:8], "little") == UNCHECKED_HASH_PYC
    # The modules import from the bytecode alone, docstrings and all, and tracebacks name the
    # installed path.
    monkeypatch.syspath_prepend(str(target))
    monkeypatch.delitem(sys.modules, "fake", raising=False)
    monkeypatch.delitem(sys.modules, "fake.core", raising=False)
    import fake  # noqa: PLC0415
    assert fake.twice(21) == 42
    assert fake.twice.__doc__ == "Two times x."
    assert fake.twice.__code__.co_filename == "/site/fake/core.py"
    assert type(fake.__spec__.loader).__name__ == "zipimporter"


def test_add_bytecode_puts_an_unchecked_pyc_beside_each_source(tmp_path, monkeypatch):
    core = b"def twice(x):\n    '''Two times x.'''\n    return 2 * x\n"
    source = make_wheel(tmp_path / "fake-1.0-py3-none-any.whl", {
        "fake/__init__.py": b"from .core import twice\n",
        "fake/core.py": core,
        "fake/cli.py": b"print('the command line')\n",
        "fake/data/table.txt": b"1 2 3\n",
        "fake-1.0.dist-info/METADATA": b"Name: fake\nVersion: 1.0\n",
    })
    target = tmp_path / "with-bytecode.whl"
    assert wheels.add_bytecode(str(source), str(target), "/site", ("fake/cli.py",)) == 2
    tag = sys.implementation.cache_tag  # this interpreter's (in the build: Pyodide's, cpython-312)
    with zipfile.ZipFile(target) as archive:
        check_record(archive, "fake-1.0.dist-info")
        assert sorted(archive.namelist()) == sorted([
            "fake/__init__.py", "fake/core.py", "fake/cli.py", f"fake/__pycache__/__init__.{tag}.pyc",
            f"fake/__pycache__/core.{tag}.pyc", "fake/data/table.txt",
            "fake-1.0.dist-info/METADATA", "fake-1.0.dist-info/RECORD",
        ])
        assert archive.read("fake/core.py") == core
        pyc = archive.read(f"fake/__pycache__/core.{tag}.pyc")
        archive.extractall(tmp_path / "site")
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(pyc[4:8], "little") == UNCHECKED_HASH_PYC
    # Installed, the modules come from their bytecode without the source being read: a source
    # that no longer even parses does not stop the import.
    (tmp_path / "site" / "fake" / "core.py").write_text("def twice(:\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "fake", raising=False)
    monkeypatch.delitem(sys.modules, "fake.core", raising=False)
    import fake  # noqa: PLC0415
    assert fake.twice(21) == 42
    assert fake.twice.__doc__ is None  # the bytecode leaves the docstrings out (the source keeps them)
    assert fake.twice.__code__.co_filename == str(tmp_path / "site" / "fake" / "core.py")  # where it is


@pytest.mark.parametrize("rewrite", ["precompile_wheel", "add_bytecode"])
def test_a_wheel_rewrite_refuses_a_zip_that_is_not_a_wheel(tmp_path, rewrite):
    source = tmp_path / "plain.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("mod.py", "x = 1\n")
    with pytest.raises(ValueError, match="no .dist-info/RECORD"):
        getattr(wheels, rewrite)(str(source), str(tmp_path / "out.whl"), "/site")


def test_shipped_numpy_is_the_official_wheel_precompiled_for_the_pages_python(built):
    official = zipfile.ZipFile(CACHE / build_py.NUMPY_WHEEL)
    shipped = zipfile.ZipFile(built.out / "pyodide" / build_py.NUMPY_WHEEL)
    check_record(shipped, f"numpy-{build_py.NUMPY_VERSION}.dist-info")
    names = set(shipped.namelist())
    manifest = json.loads((built.out / "manifest.json").read_text())
    unused = set(manifest["numpy"]["precompiled"]["droppedModules"])
    assert {"numpy/f2py/crackfortran.py", "numpy/fft/_pocketfft_umath.cpython-312-wasm32-emscripten.so"} <= unused
    assert not any(name.startswith(("numpy/_core/_multiarray_umath", "numpy/random/_generator", "numpy/testing/"))
                   for name in unused)
    modules = 0
    for info in official.infolist():
        name = info.filename
        if name.endswith(".dist-info/RECORD"):
            continue
        if name in unused:
            assert name not in names and name + "c" not in names
            continue
        if name.endswith(wheels.DROPPED_SUFFIXES):
            assert name not in names
        elif name.endswith(".py"):
            pyc = shipped.read(name + "c")
            assert pyc[:4] == PYTHON_312_MAGIC, name
            assert int.from_bytes(pyc[4:8], "little") == UNCHECKED_HASH_PYC
            assert name not in names
            modules += 1
        else:
            assert shipped.read(name) == official.read(name), name
    assert modules > 90  # numpy's Python modules that the page imports, every one precompiled
    assert {name for name in names if name.endswith(".so")} == {
        name for name in official.namelist() if name.endswith(".so")} - unused
    assert manifest["numpy"]["precompiled"]["compiled"] == modules


# Run in Node from the built dist/: Python restored from the snapshot, then the worker's steps,
# against Python started the ordinary way; prints both as JSON.
SNAPSHOT_CHECK = r"""
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
const dir = process.argv[2];
const { loadPyodide } = await import(`${dir}/pyodide.mjs`);
const PROBE = `
import json, sys, numpy, pynn.page.session
s = pynn.page.session.Session()
s.configure({"dataset": "spiral", "classes": 3, "points": 120, "hidden": 16, "lr": 0.5, "batch": 4, "seed": 7})
r = s.run(epochs=5)
# pynn's modules come from the bytecode beside their source: a module not imported yet still
# imports once its source no longer parses.
import pathlib
assert "pynn.page.judge" not in sys.modules
pathlib.Path(pynn.__file__).with_name("page").joinpath("judge.py").write_text("def broken(:\\n")
import pynn.page.judge
json.dumps({"loss": r["train_mean_loss"].tolist(), "grid": r["grid_prob"][:50].tolist(),
            "numpy_loader": type(numpy.__spec__.loader).__name__, "executable": sys.executable,
            "path": sys.path, "exercises": len(pynn.page.judge.catalogue())})
`;
const result = {};
for (const kind of ["snapshot", "fresh"]) {
  const options = { indexURL: dir + "/", packages: ["numpy", "pynn"], stdout() {}, stderr() {} };
  if (kind === "snapshot") options._loadSnapshot = gunzipSync(readFileSync(`${dir}/snapshot.gzip`));
  const py = await loadPyodide(options);
  const before = py.runPython("import sys; list(sys.modules)").toJs();
  result[kind] = { modules: before, ...JSON.parse(py.runPython(PROBE)) };
}
console.log(JSON.stringify(result));
"""


def test_snapshot_restores_a_python_that_runs_pynn_as_a_fresh_start_does(built, tmp_path):
    script = tmp_path / "check.mjs"
    script.write_text(SNAPSHOT_CHECK)
    done = subprocess.run(["node", str(script), str(built.out / "pyodide")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    snapshot, fresh = result["snapshot"], result["fresh"]
    # The same training, number for number, from the precompiled numpy in both.
    assert snapshot["loss"] == fresh["loss"] and len(snapshot["loss"]) == 5
    assert snapshot["grid"] == fresh["grid"]
    assert snapshot["exercises"] == fresh["exercises"] > 0  # imported from bytecode alone
    assert snapshot["numpy_loader"] == fresh["numpy_loader"] == "SourcelessFileLoader"
    # The standard-library modules the build found were already imported when Python came back,
    # and nothing of the machine that built it shows.
    manifest = json.loads((built.out / "manifest.json").read_text())
    assert {"json", "dataclasses", "email", "decimal"} <= set(manifest["snapshot"]["modules"])
    assert set(manifest["snapshot"]["modules"]) <= set(snapshot["modules"])
    assert not set(manifest["snapshot"]["modules"]) <= set(fresh["modules"])
    assert snapshot["executable"] == "/home/pyodide/this.program"
    assert str(ROOT) not in json.dumps(snapshot)


# Run in Node from the built dist/: the returning visit's snapshot (web/start/libsnapshot.js) made as
# the worker makes it on a first visit (the shipped snapshot restored, numpy and pynn loaded), then
# restored into a fresh runtime; the same probe in both, and what the restore found and did.
LIBSNAPSHOT_CHECK = r"""
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
const [dir, web] = process.argv.slice(2);
const { loadPyodide } = await import(`${dir}/pyodide.mjs`);
const libsnapshot = await import(`${web}/start/libsnapshot.js`);
const PROBE = `
import gc, json, sys, numpy as np, pynn.page.session as ps, pynn.page.calls as pc, pynn.page.judge as judge, pynn.page.running as running
gc.collect()  # walks numpy's objects: their type slots must point at the right functions
s = ps.Session()
s.configure({"dataset": "spiral", "classes": 3, "points": 120, "hidden": 16, "lr": 0.5, "batch": 4, "seed": 7})
r = s.run(epochs=5)
softmax = next(item for item in judge.catalogue() if item["name"] == "softmax")
plan = judge.plan("softmax", softmax["solution"])
check = judge.judge("softmax", softmax["solution"], plan["seed"], running.run_exercise("softmax", softmax["solution"], plan["calls"]))
json.dumps({"loss": r["train_mean_loss"].tolist(), "grid": r["grid_prob"][:50].tolist(),
            "rng": np.random.default_rng(3).random(3).tolist(), "solve": np.linalg.solve(np.eye(3) * 2, np.ones(3)).tolist(),
            "source": pc.call(s, "source", {})["file"], "check": check["status"] if "status" in check else sorted(check)})
`;
const options = { indexURL: dir + "/", stdout() {}, stderr() {} };
const recorder = libsnapshot.record();
const first = await loadPyodide({ ...options, packages: ["numpy", "pynn"], _makeSnapshot: true,
  _loadSnapshot: gunzipSync(readFileSync(`${dir}/snapshot.gzip`)) });
first.runPython("import numpy.random, numpy.linalg, pynn.page.calls");
const bytes = new Uint8Array(await (await libsnapshot.make(first, recorder)).arrayBuffer());
const made = JSON.parse(first.runPython(PROBE));

const kept = libsnapshot.read(bytes);
const py = await loadPyodide({ ...options, _loadSnapshot: libsnapshot.restore(Promise.resolve(kept), kept.record.memory.bytes) });
await libsnapshot.installed(py, kept);
const modules = py.runPython("import sys; [name for name in ('numpy', 'numpy.random', 'pynn.page.session') if name in sys.modules]").toJs();
const restored = JSON.parse(py.runPython(PROBE));
const pages = kept.record.memory.runs.reduce((sum, [, count]) => sum + count, 0);
console.log(JSON.stringify({ made, restored, modules, bytes: bytes.length, memoryBytes: kept.record.memory.bytes, pages, libs: kept.record.libs.map((lib) => lib.name),
  slots: kept.record.slots.length, packages: Object.keys(py.loadedPackages),
  instantiateRestored: WebAssembly.instantiate.name }));
"""


def test_the_returning_visits_snapshot_restores_numpy_and_pynn_imported_and_trains_alike(built, tmp_path):
    script = tmp_path / "libsnapshot.mjs"
    script.write_text(LIBSNAPSHOT_CHECK)
    done = subprocess.run(["node", str(script), str(built.out / "pyodide"), str(ROOT / "web")],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    made, restored = result["made"], result["restored"]
    # numpy and pynn came back imported: nothing was unpacked or loaded after the restore.
    assert result["modules"] == ["numpy", "numpy.random", "pynn.page.session"]
    assert sorted(result["packages"]) == ["numpy", "pynn"]
    # Every extension module of the shipped numpy, and the same numbers from the restored Python.
    shipped = zipfile.ZipFile(built.out / "pyodide" / build_py.NUMPY_WHEEL).namelist()
    assert sorted(name.rsplit("/", 1)[1] for name in result["libs"]) == sorted(
        name.rsplit("/", 1)[1] for name in shipped if name.endswith(".so"))
    assert restored == made
    assert len(made["loss"]) == 5 and made["rng"] and made["solve"] == [0.5, 0.5, 0.5]
    assert made["source"].endswith("pynn/model.py")  # pynn's files are back on the file system
    assert made["check"] == "pass"
    assert result["slots"] > 0  # GOT and dlsym slots outside the side modules' own ranges
    assert result["instantiateRestored"] == "instantiate"  # record() let go of WebAssembly.instantiate
    # Only the memory's pages that are not all zeros are kept: the whole kept snapshot, side
    # modules and files included, is smaller than Python's memory alone.
    assert 0 < result["pages"] * 4096 < result["memoryBytes"]
    assert result["bytes"] < result["memoryBytes"]


def test_pyodide_steps_run_once_per_input_and_fail_with_their_output(tmp_path, monkeypatch):
    runs = []

    def fake_run(command, cwd):
        runs.append(command)
        pyodide_dir = Path(command[2])
        assert json.loads(Path(command[3]).read_text())["packages"]  # the steps' own lock
        (pyodide_dir / command[4]).write_bytes(b"precompiled numpy")
        (pyodide_dir / build_py.STDLIB).write_bytes(b"trimmed standard library")
        (pyodide_dir / command[5]).write_bytes(b"snapshot")
        (pyodide_dir / command[6]).write_bytes(b"pynn with bytecode")
        return json.dumps({"numpy": {}, "stdlib": ["json"], "snapshotBytes": 8})

    monkeypatch.setattr(build_py, "run", fake_run)
    stage, cache = tmp_path / "stage", tmp_path / "cache"
    stage.mkdir()
    cache.mkdir()
    pynn_wheel = stage / "pynn.whl"
    pynn_wheel.write_bytes(b"one")
    lock = tmp_path / "pyodide-lock.json"
    lock.write_text('{"packages": {"numpy": {}}}')
    for _ in range(2):
        (stage / build_py.NUMPY_WHEEL).write_bytes(b"official numpy")
        pynn_wheel.write_bytes(b"one")
        summary = build_py.pyodide_steps(stage, lock, cache, "numpy-sha", pynn_wheel)
        assert summary["stdlib"] == ["json"]
        assert (stage / build_py.NUMPY_WHEEL).read_bytes() == b"precompiled numpy"
        assert (stage / build_py.SNAPSHOT).read_bytes() == b"snapshot"
        assert pynn_wheel.read_bytes() == b"pynn with bytecode"
    assert len(runs) == 1
    pynn_wheel.write_bytes(b"two")  # a changed pynn may import other modules: run again
    build_py.pyodide_steps(stage, lock, cache, "numpy-sha", pynn_wheel)
    assert len(runs) == 2
    assert len(list((cache / "pyodide-steps").iterdir())) == 1  # one result kept

    monkeypatch.undo()
    monkeypatch.setattr(build_py, "PYODIDE_STEPS", tmp_path / "missing.mjs")
    monkeypatch.setattr(build_py, "PYODIDE_STEPS_SOURCES", ())
    with pytest.raises(build_py.BuildError, match="missing.mjs.*failed"):
        build_py.pyodide_steps(stage, lock, tmp_path / "empty-cache", "numpy-sha", pynn_wheel)


def test_the_page_finds_the_snapshot_where_the_build_writes_it(built):
    manifest = json.loads((built.out / "manifest.json").read_text())
    assert manifest["snapshot"]["file"] == f"{build_py.PYODIDE_DIR}/{build_py.SNAPSHOT}"
    assert manifest["snapshot"]["gzipBytes"] == (built.out / manifest["snapshot"]["file"]).stat().st_size
    assert "manifest.snapshot" in (ROOT / "web" / "start/startup.js").read_text()
    # The service worker leaves it to the page (fetched on fast links only), by the name the build
    # writes into it (test_the_service_worker_is_stamped_with_the_build_it_caches).
    assert "TABLE.snapshot" in (ROOT / "web" / "sw.js").read_text()


def test_the_service_worker_is_stamped_with_the_build_it_caches(tmp_path):
    from pynn.page import settings

    web = make_web(tmp_path / "web")
    (web / "sw.js").write_text((ROOT / "web" / "sw.js").read_text())
    first = build_py.build(tmp_path / "a", web=web, cache=CACHE).out
    (web / "css" / "style.css").write_text("body { margin: 1px }\n")
    second = build_py.build(tmp_path / "b", web=web, cache=CACHE).out
    ids = [json.loads((out / "manifest.json").read_text())["build"] for out in (first, second)]
    assert ids[0] != ids[1]
    for out, build_id in zip((first, second), ids):
        assert f'const BUILD = "{build_id}";' in (out / "sw.js").read_text()
        # and the page table's cache prefix (web/start/startup.js names its caches with it too) and the
        # shipped snapshot's path, where the manifest says the build wrote it
        stamped = re.search(r"^const TABLE = (\{.*\});$", (out / "sw.js").read_text(), re.MULTILINE)
        snapshot = json.loads((out / "manifest.json").read_text())["snapshot"]["file"]
        assert json.loads(stamped.group(1)) == {"cache_prefix": settings.CACHE_PREFIX, "take_over": settings.TAKE_OVER, "snapshot": snapshot,
                                                    "on_first_use": [f"{build_py.KATEX_DIR}/", *build_py.ON_FIRST_USE],
                                                    "kept_whole": [f"{build_py.KATEX_DIR}/"]}
        files = json.loads((out / "manifest.json").read_text())["files"]
        assert files["sw.js"]["sha256"] == sha256_hex(out / "sw.js")


def stdlib_imports_of(package: Path) -> set[str]:
    """Every standard-library module the package's source imports, its command line excepted."""
    names = set()
    for path in package.rglob("*.py"):
        if path.name == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module)
    return {name for name in names if name.split(".")[0] in sys.stdlib_module_names}


IMPORT_CHECK = r"""
const [dir, names] = [process.argv[2], JSON.parse(process.argv[3])];
const { loadPyodide } = await import(`${dir}/pyodide.mjs`);
const py = await loadPyodide({ indexURL: dir + "/", stdout() {}, stderr() {} });
py.globals.set("names", py.toPy(names));
console.log(py.runPython(`
import importlib, json
failed = {}
for name in names:
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed[name] = str(error)
json.dumps(failed)
`));
"""


def test_the_trimmed_standard_library_holds_every_module_pynn_and_the_page_import(built, tmp_path):
    names = stdlib_imports_of(ROOT / "pynn")
    assert {"json", "inspect", "dataclasses"} <= names  # what the scan must find, at least
    script = tmp_path / "imports.mjs"
    script.write_text(IMPORT_CHECK)
    done = subprocess.run(["node", str(script), str(built.out / "pyodide"), json.dumps(sorted(names))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {}
    shipped = zipfile.ZipFile(built.out / "pyodide" / "python_stdlib.zip").namelist()
    original = tarfile.open(CACHE / build_py.PYODIDE_TARBALL).extractfile("package/python_stdlib.zip").read()
    assert len(shipped) < len(zipfile.ZipFile(io.BytesIO(original)).namelist()) / 2
    assert "pydoc.py" not in shipped and "json/__init__.py" in shipped


def load_bench(name: str):
    spec = importlib.util.spec_from_file_location(f"pynn_bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_server_gzips_text_and_wasm_and_answers_304_to_a_browser_that_has_the_file(built):
    server, url = build_py.serve(built.out, 0)
    try:
        wasm = built.out / "pyodide" / "pyodide.asm.wasm"
        request = urllib.request.Request(url + "pyodide/pyodide.asm.wasm", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"] == "application/wasm"
            etag = response.headers["ETag"]
            body = response.read()
        assert len(body) < wasm.stat().st_size / 2 and gzip.decompress(body) == wasm.read_bytes()
        request = urllib.request.Request(url + "pyodide/pyodide.asm.wasm",
                                         headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as unchanged:
            urllib.request.urlopen(request, timeout=30)
        assert unchanged.value.code == 304
        wheel = urllib.request.Request(url + "pyodide/" + built.pynn_wheel, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(wheel, timeout=30) as response:  # compressed already: sent as it is
            assert response.headers["Content-Encoding"] is None
            assert response.read() == (built.out / "pyodide" / built.pynn_wheel).read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_serving_every_network_lists_the_addresses_students_can_type():
    shown = build_py.server_module.addresses(8123, "0.0.0.0")
    assert shown[0] == "http://127.0.0.1:8123/" and all(re.fullmatch(r"http://[\d.]+:8123/", a) for a in shown)
    assert build_py.server_module.addresses(8123, "127.0.0.1") == ["http://127.0.0.1:8123/"]


def test_server_summarises_traffic_in_one_line_instead_of_one_per_request():
    traffic = build_py.server_module.Traffic()
    assert traffic.take() is None
    for status in (200, 200, 404):
        traffic.add("10.0.0.7", status, "/x.js" if status == 404 else "/", 1_500_000)
    line = traffic.take()
    assert "3 requests from 1 browser address" in line and "4.5 MB" in line and "404 /x.js" in line
    assert traffic.take() is None


def test_a_few_simultaneous_first_visits_each_get_every_file_intact(built):
    loadtest = load_bench("loadtest")
    result = loadtest.load_test(built.out, visits=4, connections=3)
    assert result["complete_and_intact"] == 4, result["problems"]
    # "/" for index.html, manifest.json, every listed file but the snapshot (a slow link's visit) and
    # the files that travel packed (their packed copies instead).
    manifest = json.loads((built.out / "manifest.json").read_text())
    assert result["files_per_visit"] == len(manifest["files"]) - len(manifest["packed"])


def test_the_sandbox_script_is_allowed_by_its_hash_in_both_policies(tmp_path):
    stage = tmp_path / "stage"
    (stage / "start").mkdir(parents=True)
    shutil.copyfile(ROOT / "web" / "start" / "sandbox.html", stage / build_py.SANDBOX_FRAME)
    (stage / "index.html").write_text((ROOT / "web" / "index.html").read_text())
    digest = build_py.stamp_sandbox(stage)
    script = re.search(r"<script>(.*?)</script>", (ROOT / "web" / "start" / "sandbox.html").read_text(), re.S).group(1)
    assert digest == "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    frame = (stage / build_py.SANDBOX_FRAME).read_text()
    assert f"default-src 'none'; script-src '{digest}' 'wasm-unsafe-eval'; worker-src blob:;" in frame
    page = (stage / "index.html").read_text()
    assert f"script-src 'self' 'wasm-unsafe-eval' '{digest}'; worker-src 'self' blob:;" in page
    assert "unsafe-inline" not in page and "'unsafe-eval'" not in page
    with pytest.raises(build_py.BuildError, match="no 'sha256-SANDBOX-SCRIPT'"):
        build_py.stamp_sandbox(stage)  # stamped already: a page without the place for it is refused


# Runs the built boot.js as the browser runs a classic script, with the address's hash and the
# browser's languages given, and localStorage holding `stored` (null: a storage that refuses), and
# prints what it marked on <html> (null: nothing), that it started the worker, whether it marked
# a first visit, and what it told the worker (the port the page fetches the wheels over).
BOOT_JS = r"""
const [path, hash, wanted, stored] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3]), JSON.parse(process.argv[4])];
const html = { dataset: {}, dir: "" };
let started = null;
globalThis.document = { documentElement: html, currentScript: { src: "http://site/boot.js" } };
globalThis.location = { hash };
Object.defineProperty(globalThis, "navigator", { value: { languages: wanted } });
Object.defineProperty(globalThis, "localStorage", {
  get() { if (stored === null) throw new Error("SecurityError"); return { getItem: (key) => stored[key] ?? null }; },
});
let told = null;
globalThis.Worker = class {
  constructor(url) { started = String(url); }
  addEventListener() {}
  postMessage(message, transfer) { told = [message.type, transfer.map((port) => port.constructor.name)]; }
};
new Function((await import("node:fs")).readFileSync(path, "utf8"))();
console.log(JSON.stringify([html.dataset.languageComing ?? null, started, "firstVisit" in html.dataset, html.dir, told]));
process.exit(0); // the page's end of the port (web/start/pagefetch.js) would keep node waiting
"""


def test_the_first_script_marks_a_page_that_will_not_speak_english_before_any_module_loads(tmp_path):
    """web/boot.js, bundled with web/lang/choose.js into one classic script (no import left), with
    the table's languages written in: it decides the language as main.js will, and marks <html>
    only when that is not English (page.css then hides index.html's English until the catalogue)."""
    stage = tmp_path / "stage"
    (stage / "lang").mkdir(parents=True)
    shutil.copyfile(ROOT / "web" / "boot.js", stage / build_py.BOOT)
    shutil.copyfile(ROOT / "web" / "lang" / "choose.js", stage / "lang" / "choose.js")
    (stage / "start").mkdir()
    for name in ("storage.js", "pagefetch.js", "protocol.js"):
        shutil.copyfile(ROOT / "web" / "start" / name, stage / "start" / name)
    codes = ["en", "es", "fr", "de", "pt-BR", "zh-Hans", "ar"]
    # the packed files, as stage_packed leaves them (packed_files' order), each of a size of its own
    names = ("pyodide.asm.wasm", "python_stdlib.zip", "numpy.whl", "pynn.whl")
    packed = {f"pyodide/{name}": f"pyodide/{name}.zst" for name in names}
    (stage / "pyodide").mkdir()
    for size, name in enumerate(names, start=1):
        (stage / "pyodide" / f"{name}.zst").write_bytes(b"z" * size)
    build_py.bundle_boot(CACHE, stage, codes, packed)
    script = (stage / build_py.BOOT).read_text()
    assert not re.search(r"^\s*(import|export)\b", script, re.MULTILINE) and json.dumps(codes, separators=(",", ":")) in script
    # what a first visit's page asks for at once, for the worker: the standard library; beside it the
    # wasm, then numpy's wheel, then pynn's (web/start/pagefetch.js), with their sizes
    assert ('chains:[[{file:"pyodide/python_stdlib.zip.zst",bytes:2}],[{file:"pyodide/pyodide.asm.wasm.zst",bytes:1},'
            '{file:"pyodide/numpy.whl.zst",bytes:3},{file:"pyodide/pynn.whl.zst",bytes:4}]]') in script

    def run(hash_: str, wanted: list[str], stored: dict | None) -> list:
        out = subprocess.run(["node", "--input-type=module", "-e", BOOT_JS, str(stage / build_py.BOOT), hash_, json.dumps(wanted),
                              json.dumps(stored)], capture_output=True, text=True, check=True).stdout
        mark, worker, first_visit, direction, told = json.loads(out)
        assert worker == "http://site/start/worker.js"
        assert told == ["fetcher", ["MessagePort"]]  # web/start/pagefetch.js: the first downloads come over it
        return [mark, first_visit, direction]

    def marked(hash_: str, wanted: list[str]) -> str | None:
        return run(hash_, wanted, {})[0]

    # a first visit (the hint not dismissed yet; a storage that refuses shows the hint too) is marked
    # for the phone's header to keep the hint's room from the first paint
    assert run("", ["en"], {})[1] is True
    assert run("", ["en"], None)[1] is True
    assert run("", ["en"], {"pynn.seen": "1"})[1] is False
    # a right-to-left language's page is laid out so from the first paint (Intl's text info)
    assert run("#lang=ar", ["en"], {})[2] == "rtl"
    assert run("", ["ar-EG"], {})[2] == "rtl"
    assert run("#lang=es", ["en"], {})[2] == "" and run("", ["en"], {})[2] == ""

    assert marked("#lang=es&tour=1", ["en-US"]) == "es"
    assert marked("#lang=en", ["de-DE", "de"]) is None
    assert marked("", ["pt-PT", "en"]) == "pt-BR"
    assert marked("", ["en-GB", "fr"]) is None
    assert marked("#lang=klingon", ["ja", "ar-EG"]) == "ar"
    assert marked("", ["ja"]) is None
    with pytest.raises(build_py.BuildError, match="no line 'const LANGUAGES = \\[\\];'"):
        build_py.bundle_boot(CACHE, stage, codes)  # bundled already: a script without the line is refused


def test_the_manifest_says_each_files_bytes_on_the_wire(built):
    files = json.loads((built.out / "manifest.json").read_text())["files"]
    wasm = files["pyodide/pyodide.asm.wasm"]
    assert wasm["wire"] == len(gzip.compress((built.out / "pyodide/pyodide.asm.wasm").read_bytes(), compresslevel=6, mtime=0))
    assert wasm["wire"] < wasm["bytes"] / 2, "the wasm is sent gzipped"
    wheel = next(name for name in files if name.endswith(".whl"))
    assert files[wheel]["wire"] == files[wheel]["bytes"], "a wheel (a zip) is sent as it is"


def test_a_build_waits_while_another_holds_the_cache(tmp_path, monkeypatch):
    """Two builds at once share .cache/ (test.sh's two unit runs): the second waits for the first,
    and its stages run while it alone holds the cache (a race here once broke CI: one build's
    `npm ci` deleted the node_modules the other was running)."""
    import fcntl
    import time

    cache = tmp_path / "cache"
    seen = []

    def stages(out, web, package_dir, cache_dir, numpy_wheel, pseudo=False):
        with open(cache_dir / ".lock", "a") as other:  # a third party finds the lock taken
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append("unlocked")
            except BlockingIOError:
                seen.append("locked")
        return "built"

    monkeypatch.setattr(build_py, "build_locked", stages)
    cache.mkdir()
    with open(cache / ".lock", "a") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        waiting = threading.Thread(target=lambda: seen.append(build_py.build(tmp_path / "dist", cache=cache)))
        waiting.start()
        time.sleep(0.5)
        assert seen == [], "the build ran while another held the cache"
        fcntl.flock(holder, fcntl.LOCK_UN)
    waiting.join(timeout=10)
    assert seen == ["locked", "built"]

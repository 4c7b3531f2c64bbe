"""Writing wheels, and precompiling a wheel's Python modules to bytecode. Standard library only:
build.py imports it to write pynn's wheel, and runs precompile_wheel inside Pyodide (under Node,
see tools/pyodide_steps.mjs), so the bytecode is that of the very CPython the page runs.

    write_wheel(path, entries)            a wheel of (name, bytes) entries and a fresh RECORD
    precompile_wheel(source, target)      a wheel's modules as bytecode
    add_bytecode(source, target)          a wheel with each module's bytecode beside its source
    trim_stdlib(source, target, modules)  the standard-library zip cut to `modules`, docstrings
                                          and comments left out

precompile_wheel: each `pkg/mod.py` becomes `pkg/mod.pyc` in its place (a sourceless module, as
in Pyodide's own python_stdlib.zip): importing it reads and unmarshals the code instead of
compiling the source, which for numpy is most of `import numpy`. Files that nothing reads at run
time in the page are left out (DROPPED_SUFFIXES: type stubs, C headers and static libraries for
building against numpy, Cython declarations, build templates); every other file, the extension
modules (.so) included, is copied byte for byte.
"""
from __future__ import annotations

import ast
import base64
import hashlib
import importlib.util
import posixpath
import sysconfig
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# Used only to type-check or to compile against numpy, never imported.
DROPPED_SUFFIXES = (".pyi", ".h", ".a", ".pxd", ".pyx", ".c", ".template", ".build", ".pc")
# Fixed zip timestamp: the same files give the same wheel, byte for byte.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# The zips are stored, not deflated: build.py packs each whole with Zstandard (one stream over all
# of its files, which finds what they share: numpy's wheel 2.46 MB deflated file by file, 1.75 MB
# so), and the page unpacks it as it arrives (web/start/packed.js); importing from a stored zip
# inflates nothing.
ZIP_METHOD = zipfile.ZIP_STORED


def record_hash(data: bytes) -> str:
    """A RECORD hash: sha256, urlsafe base64 without padding."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def write_wheel(path: str, entries: list[tuple[str, bytes]], dist_info: str) -> None:
    """Write the (name, bytes) entries and `dist_info`/RECORD, which lists each with its hash and
    size, as a zip with fixed timestamps: the same entries give the same archive."""
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data in entries)
    entries = [*entries, (f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode())]
    with zipfile.ZipFile(path, "w", ZIP_METHOD) as wheel:
        for name, data in entries:
            wheel.writestr(zip_entry(name), data)


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with the fixed date, a plain file's mode and ZIP_METHOD."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.external_attr = 0o644 << 16
    info.compress_type = ZIP_METHOD
    return info


def without_docstrings(tree: ast.Module) -> ast.Module:
    """The module with the docstrings of itself, its classes and functions removed (`__doc__`
    becomes None, as under `python -OO`; asserts stay): docs nobody in the page reads."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                # A `from __future__` import must stay first: delete rather than replace.
                node.body[:1] = [] if len(node.body) > 1 else [ast.copy_location(ast.Pass(), first)]
    return tree


def bytecode(source: bytes, path: str, docstrings: bool = True) -> bytes:
    """The .pyc of a module's source: an unchecked-hash pyc (the page never edits the source).

    `path` is where the module will be installed; tracebacks name it (their lines come from the
    source, so they are the same without the docstrings: `docstrings=False`, as under -OO).
    """
    tree = ast.parse(source, path) if docstrings else without_docstrings(ast.parse(source, path))
    code = compile(tree, path, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def wheel_files(wheel: zipfile.ZipFile, source: str) -> tuple[list[zipfile.ZipInfo], str]:
    """The files of an open wheel (directories and its RECORD left out, as write_wheel writes a
    fresh one) and its .dist-info directory; ValueError if it has no .dist-info/RECORD."""
    files: list[zipfile.ZipInfo] = []
    record_name = None
    for info in wheel.infolist():
        if info.is_dir():
            continue
        if info.filename.endswith(".dist-info/RECORD"):
            record_name = info.filename
        else:
            files.append(info)
    if record_name is None:
        raise ValueError(f"{source} is not a wheel: it has no .dist-info/RECORD")
    return files, record_name.removesuffix("/RECORD")


def precompile_wheel(
    source: str, target: str, site_packages: str | None = None, dropped: tuple[str, ...] = ()
) -> dict[str, int]:
    """Write the precompiled copy of the wheel at `source` to `target`.

    `site_packages` is where the wheel will be installed (this interpreter's purelib directory by
    default), for the file names in tracebacks. The files named in `dropped` (directories such
    as "numpy/f2py" or files) are left out. Returns counts: modules compiled, files dropped, files copied
    unchanged.
    """
    if site_packages is None:
        site_packages = sysconfig.get_path("purelib")
    counts = {"compiled": 0, "dropped": 0, "copied": 0}
    entries: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(source) as wheel:
        files, dist_info = wheel_files(wheel, source)
        for info in files:
            name = info.filename
            if name.endswith(DROPPED_SUFFIXES) or name in dropped or name.startswith(tuple(d + "/" for d in dropped)):
                counts["dropped"] += 1
                continue
            data = wheel.read(info)
            if name.endswith(".py"):
                entries.append((name + "c", bytecode(data, posixpath.join(site_packages, name))))
                counts["compiled"] += 1
            else:
                entries.append((name, data))
                counts["copied"] += 1
    write_wheel(target, entries, dist_info)
    return counts


def add_bytecode(
    source: str, target: str, site_packages: str | None = None, source_only: tuple[str, ...] = ()
) -> int:
    """Write to `target` the wheel at `source` with, beside each module's source, its bytecode
    where this interpreter's import looks for it first (`pkg/__pycache__/mod.cpython-312.pyc`).

    An unchecked-hash pyc (PEP 552): import reads it without comparing it with the source, so it
    works whatever times the installer gives the files; the source stays, for `inspect` (the
    page's code panel, the exercises' checks) and tracebacks. The bytecode leaves the docstrings
    out (`__doc__` is None, as under -OO; asserts stay): nobody in the page reads them (the wheel
    a first visit fetches: 397 → 364 KB). For pynn, whose page reads its own
    source. `site_packages` as for precompile_wheel; the modules named in `source_only` (such as
    a command line the page never runs) get no bytecode. Returns the number of modules compiled.
    """
    if site_packages is None:
        site_packages = sysconfig.get_path("purelib")
    entries: list[tuple[str, bytes]] = []
    compiled = 0
    with zipfile.ZipFile(source) as wheel:
        files, dist_info = wheel_files(wheel, source)
        for info in files:
            name = info.filename
            data = wheel.read(info)
            entries.append((name, data))
            if name.endswith(".py") and name not in source_only:
                pyc = importlib.util.cache_from_source(name)
                entries.append((pyc, bytecode(data, posixpath.join(site_packages, name), docstrings=False)))
                compiled += 1
    write_wheel(target, entries, dist_info)
    return compiled


def module_files(name: str) -> tuple[str, str]:
    """The two places a module can live in a zip: `a/b.py` or `a/b/__init__.py`."""
    path = name.replace(".", "/")
    return f"{path}.py", f"{path}/__init__.py"


def trim_stdlib(source: str, target: str, modules: list[str]) -> dict[str, int]:
    """Write to `target` the standard-library zip `source` with only the modules named in
    `modules` (and the packages holding them), each as source without docstrings and comments
    (`ast.unparse`): 0.5 MB over the wire where their bytecode would be 1.3 MB. (numpy, which
    needs its docstrings, ships as bytecode.) Returns counts: modules kept, files dropped.
    """
    wanted = set()
    for name in modules:
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            wanted.update(module_files(".".join(parts[:depth])))
    kept: list[tuple[str, bytes]] = []
    dropped = 0
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.filename in wanted:
                tree = without_docstrings(ast.parse(archive.read(info), info.filename))
                kept.append((info.filename, (ast.unparse(tree) + "\n").encode()))
            else:
                dropped += 1
    with zipfile.ZipFile(target, "w", ZIP_METHOD) as archive:
        for name, data in sorted(kept):
            archive.writestr(zip_entry(name), data)
    return {"kept": len(kept), "dropped": dropped}

"""Writing wheels, and precompiling a wheel's Python modules to bytecode. Standard library only:
build.py imports it to write pynn's wheel, and runs precompile_wheel inside Pyodide (under Node,
see tools/pyodide_steps.mjs), so the bytecode is that of the very CPython the page runs.

    write_wheel(path, entries)            a wheel of (name, bytes) entries and a fresh RECORD
    precompile_wheel(source, target)      a wheel's modules as bytecode

precompile_wheel: each `pkg/mod.py` becomes `pkg/mod.pyc` in its place (a sourceless module, as
in Pyodide's own python_stdlib.zip): importing it reads and unmarshals the code instead of
compiling the source, which for numpy is most of `import numpy`. Files that nothing reads at run
time in the page are left out (DROPPED_SUFFIXES: type stubs, C headers and static libraries for
building against numpy, Cython declarations, build templates); every other file, the extension
modules (.so) included, is copied byte for byte.
"""
from __future__ import annotations

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


def record_hash(data: bytes) -> str:
    """A RECORD hash: sha256, urlsafe base64 without padding."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def write_wheel(path: str, entries: list[tuple[str, bytes]], dist_info: str) -> None:
    """Write the (name, bytes) entries and `dist_info`/RECORD, which lists each with its hash and
    size, as a zip with fixed timestamps: the same entries give the same archive."""
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data in entries)
    entries = [*entries, (f"{dist_info}/RECORD", (record + f"{dist_info}/RECORD,,\n").encode())]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)


def bytecode(source: bytes, path: str) -> bytes:
    """The .pyc of a module's source: an unchecked-hash pyc (the page never edits the source).

    `path` is where the module will be installed; tracebacks name it.
    """
    code = compile(source, path, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def precompile_wheel(source: str, target: str, site_packages: str | None = None) -> dict[str, int]:
    """Write the precompiled copy of the wheel at `source` to `target`.

    `site_packages` is where the wheel will be installed (this interpreter's purelib directory by
    default), for the file names in tracebacks. Returns counts: modules compiled, files dropped,
    files copied unchanged.
    """
    if site_packages is None:
        site_packages = sysconfig.get_path("purelib")
    counts = {"compiled": 0, "dropped": 0, "copied": 0}
    entries: list[tuple[str, bytes]] = []
    record_name = None
    with zipfile.ZipFile(source) as wheel:
        for info in wheel.infolist():
            name = info.filename
            if info.is_dir():
                continue
            if name.endswith(".dist-info/RECORD"):
                record_name = name
                continue
            if name.endswith(DROPPED_SUFFIXES):
                counts["dropped"] += 1
                continue
            data = wheel.read(info)
            if name.endswith(".py"):
                entries.append((name + "c", bytecode(data, posixpath.join(site_packages, name))))
                counts["compiled"] += 1
            else:
                entries.append((name, data))
                counts["copied"] += 1
    if record_name is None:
        raise ValueError(f"{source} is not a wheel: it has no .dist-info/RECORD")
    write_wheel(target, entries, record_name.removesuffix("/RECORD"))
    return counts

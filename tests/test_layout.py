"""The code's layout rules, measured: no module reaches into another's underscore names, and no
function of pynn/, build.py or tools/ runs over 80 lines (bench/ aside)."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from pynn import model

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sorted([*ROOT.glob("pynn/**/*.py"), ROOT / "build.py", *ROOT.glob("tools/**/*.py")])
LONGEST = 80

# Underscore names that are not another module's private ones:
ALLOWED = {
    "_replace",  # NamedTuple's own public method (the underscore keeps it apart from the fields)
    "_checks",  # pynn/_checks.py: the package's input checks, private to pynn, shared by its modules
    "importlib._bootstrap_external",  # the standard library's pyc writer: tools/wheel.py writes
    "_code_to_hash_pyc",  # unchecked-hash pycs exactly as importlib does
}


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def foreign_private_names(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of every underscore name a module takes from another: imported, or read as an
    attribute of anything but self, cls or super()."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, a.name) for a in node.names if private(a.name)]
            if node.module and any(private(part) for part in node.module.split(".")):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if any(private(p) for p in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and private(node.attr):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                continue
            found.append((node.lineno, ast.unparse(node)))
    return [(line, name) for line, name in found if name not in ALLOWED and name.rsplit(".", 1)[-1] not in ALLOWED]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_uses_another_modules_underscore_names(path: Path) -> None:
    assert foreign_private_names(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_the_scan_finds_an_underscore_name_taken_from_another_module() -> None:
    code = "from .training import _batches\nimport pynn._private\nnet._step(X)\nself._own()\nsuper()._step()\n"
    assert foreign_private_names(ast.parse(code)) == [(1, "_batches"), (2, "pynn._private"), (3, "net._step")]


def functions(tree: ast.AST) -> list[tuple[str, int]]:
    return [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_runs_over_80_lines(path: Path) -> None:
    assert [(name, lines) for name, lines in functions(ast.parse(path.read_text(encoding="utf-8"))) if lines > LONGEST] == []


def test_the_length_counts_every_line_of_a_function_with_its_decorators_left_out() -> None:
    code = "@wrap\ndef short():\n    return 1\n\n\ndef long():\n" + "    x = 1\n" * 80
    assert functions(ast.parse(code)) == [("short", 2), ("long", 81)]


def test_the_nets_unchecked_maths_is_public_and_documented_with_its_shapes() -> None:
    """What pynn.train, the gradient check, the exercises and the page call on a TwoLayerNet."""
    for name in ("forward_pass", "backward_pass", "loss_of", "step", "validate", "restore"):
        doc = inspect.getdoc(getattr(model.TwoLayerNet, name))
        assert doc, name
    for name in ("forward_pass", "backward_pass", "loss_of", "step", "validate"):
        assert "×" in inspect.getdoc(getattr(model.TwoLayerNet, name)), name

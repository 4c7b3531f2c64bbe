"""The code's layout rules, measured: no module reaches into another's underscore names, and no
function of pynn/, build.py, tools/ or web/ runs over 80 lines (bench/ aside)."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from pynn import model

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sorted([*ROOT.glob("pynn/**/*.py"), ROOT / "build.py", *ROOT.glob("tools/**/*.py")])
LONGEST = 80

# Underscore names that are not another module's private ones:
ALLOWED = {
    "_replace",  # NamedTuple's own public method (the underscore keeps it apart from the fields)
    "_asdict",  # NamedTuple's own public method too
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


# -- web/ -------------------------------------------------------------------------------------------

WEB = sorted((ROOT / "web").rglob("*.js"))

# The functions of web/ still over 80 lines, each waiting for its owner's change on another branch
# (issue 24, item 7), by file name and function: empty this once those are merged. (main.js's
# top-level statements are not measured here.)
LONG_PENDING = {("state.js", "makeState"), ("inspect.js", "render")}


def blank_strings(src: str) -> str:
    """JavaScript with its comments and the insides of its strings blanked (newlines kept), so the
    braces left are the code's."""
    out=[];i=0;n=len(src)
    while i<n:
        c=src[i]
        if src.startswith("//",i):
            j=src.find("\n",i); j=n if j<0 else j; out.append(" "*(j-i)); i=j; continue
        if src.startswith("/*",i):
            j=src.find("*/",i+2); j=n if j<0 else j+2; out.append(re.sub(r"[^\n]"," ",src[i:j])); i=j; continue
        if c in "\"'`":
            j=i+1
            while j<n and src[j]!=c:
                if src[j]=="\\": j+=1
                elif c=="`" and src.startswith("${",j):
                    depth=1; j+=2
                    while j<n and depth:
                        if src[j]=="{": depth+=1
                        elif src[j]=="}": depth-=1
                        j+=1
                    continue
                j+=1
            out.append(c+re.sub(r"[^\n]"," ",src[i+1:j])+c); i=j+1; continue
        out.append(c); i+=1
    return "".join(out)
# What stands before a function body's "{": function …(…), an arrow, or a method's name(…).
HEAD = re.compile(r"(function\b[^;{}]*\)|=>|^\s*(?:async\s+|static\s+|get\s+|set\s+)*(?!if\b|for\b|while\b|switch\b|catch\b|return\b)[A-Za-z_$][\w$]*\s*\([^;{}]*\))\s*$")
def js_functions(src: str) -> list[tuple[str, int, int]]:
    """(name, first line, lines) of every function, method and arrow function with a body in ``src``."""
    code=blank_strings(src); found=[]
    stack=[]
    lines=code.split("\n")
    for ln, line in enumerate(lines,1):
        for col,ch in enumerate(line):
            if ch=="{":
                before=line[:col]
                m=HEAD.search(before)
                name=None
                if m:
                    nm=re.search(r"function\s*\*?\s*([\w$]+)",before) or re.search(r"([\w$]+)\s*(?:=|:)\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)",before) or re.search(r"^\s*(?:async\s+|static\s+|get\s+|set\s+)*([\w$]+)\s*\(",before)
                    name=nm.group(1) if nm else "(anonymous)"
                stack.append((name,ln))
            elif ch=="}":
                if stack:
                    name,start=stack.pop()
                    if name: found.append((name,start,ln-start+1))
    return found


@pytest.mark.parametrize("path", WEB, ids=lambda p: str(p.relative_to(ROOT / "web")))
def test_no_javascript_function_runs_over_80_lines(path: Path) -> None:
    long = [(name, start, lines) for name, start, lines in js_functions(path.read_text(encoding="utf-8"))
            if lines > LONGEST and (path.name, name) not in LONG_PENDING]
    assert long == []


def test_every_long_function_pending_is_still_long():
    """An entry of LONG_PENDING that is 80 lines or fewer now (or gone) leaves the list."""
    measured = {(path.name, name): lines for path in WEB for name, _, lines in js_functions(path.read_text(encoding="utf-8"))}
    assert {entry: measured.get(entry, 0) for entry in LONG_PENDING if measured.get(entry, 0) <= LONGEST} == {}


def test_the_javascript_measure_finds_functions_methods_and_arrows_and_skips_braces_in_text():
    code = """// a comment with { a brace
export function outer(a) {
  const s = "}{";
  const t = `${a + 1} }`;
  return [1].map((x) => {
    return x;
  });
}
class Panel {
  render(message) {
    if (message) {
      return 1;
    }
  }
}
"""
    assert js_functions(code) == [("(anonymous)", 5, 3), ("outer", 2, 7), ("render", 10, 5)]

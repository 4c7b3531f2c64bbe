"""pynn's imports run one way: no module of pynn imports one that imports it back, directly or round
a longer loop — every import statement counted, wherever it stands (a function's body, an ``if
TYPE_CHECKING:`` block). A package's ``__init__.py`` importing its own modules is no loop: a module
that imports a sibling (``from . import softmax``) imports that module, not the package's face.
(Modules loaded by a computed name, importlib.import_module, are not statements and not followed.)"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` under ``root`` by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that the module ``name`` (in ``path``) names in any import statement."""
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` where c is a name in a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def circles(root: Path, package: str = "pynn") -> list[list[str]]:
    """Each set of modules that import each other round a loop (Tarjan's strongly connected
    components of more than one module), sorted."""
    known = modules(root, package)
    graph = {name: imported(name, path, known) for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(graph[name]):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            component = []
            while not component or component[-1] != name:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


def test_no_module_of_pynn_imports_one_that_imports_it_back() -> None:
    assert circles(ROOT) == []


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_search_finds_a_loop_through_a_function_body_and_a_type_checking_block(tmp_path: Path) -> None:
    write(tmp_path, {
        "p/__init__.py": "from . import engine, content\n",
        "p/engine.py": "from .content import ORDER\n\ndef run():\n    from .runner import go\n    return go()\n",
        "p/runner.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from p.engine import run\n",
        "p/content.py": "ORDER = ()\n",
        "p/items/__init__.py": "from .one import ITEM\nfrom . import two\n",
        "p/items/one.py": "from . import two\nfrom ..content import ORDER\nITEM = 1\n",
        "p/items/two.py": "import p.content\n",
    })
    assert circles(tmp_path, "p") == [["p.engine", "p.runner"]]
    assert imported("p.items.one", tmp_path / "p/items/one.py", modules(tmp_path, "p")) == {"p.items.two", "p.content"}

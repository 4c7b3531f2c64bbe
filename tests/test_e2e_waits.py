"""Playwright's wait_for_function does not await its predicate: an async one returns a promise,
which is truthy, so the wait ends at once and the test races what it meant to wait for (the
maths' offline test did: the service worker was still keeping KaTeX's fonts when the page went
offline). Async predicates go through tests/e2e/conftest.py's wait_until, which polls with evaluate."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def predicate_texts(tree: ast.Module) -> list[tuple[int, str]]:
    """Each wait_for_function call's first argument as the text it is known to be (a literal, an
    f-string's literal parts, or a module constant), with its line."""
    constants = {
        target.id: node.value.value
        for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets if isinstance(target, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "wait_for_function" and node.args):
            continue
        argument = node.args[0]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.append((node.lineno, argument.value))
        elif isinstance(argument, ast.JoinedStr):
            found.append((node.lineno, "".join(part.value for part in argument.values if isinstance(part, ast.Constant))))
        elif isinstance(argument, ast.Name) and argument.id in constants:
            found.append((node.lineno, constants[argument.id]))
    return found


def is_async(predicate: str) -> bool:
    return predicate.lstrip().startswith("async") or "await " in predicate


def test_no_wait_for_function_is_given_an_async_predicate() -> None:
    files = sorted([*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("bench").rglob("*.py")])
    waits = [(path, line, text) for path in files for line, text in predicate_texts(ast.parse(path.read_text()))]
    assert len(waits) > 20  # the scan sees the suite's waits
    offending = [f"{path.relative_to(ROOT)}:{line}" for path, line, text in waits if is_async(text)]
    assert offending == []


def test_the_scan_finds_an_async_predicate_in_each_form() -> None:
    source = '''
KEPT = "async () => (await caches.keys()).length > 0"
page.wait_for_function(KEPT)
page.wait_for_function("async () => true")
page.wait_for_function(f"async () => {{ await {name}() }}")
page.wait_for_function("() => document.title !== ''")
'''
    found = [is_async(text) for _, text in predicate_texts(ast.parse(source))]
    assert found == [True, True, True, False]

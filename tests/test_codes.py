"""Codes, not sentences (issue 34): no code of the page decides anything by searching, comparing or
cutting the words of a message — an exception's text, a json error's msg, a sentence on the page.
Those words are said in the page's language (or are a library's English); a decision reads a code:
an exception's type, an error's fields, a text's id, a data attribute."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sorted((ROOT / "pynn" / "page").rglob("*.py"))
JAVASCRIPT = sorted(path for path in (ROOT / "web").rglob("*.js") if path.name != "en.js")

WORDS = {"msg", "message", "args", "text_content", "textContent", "innerText"}
"""Attributes that hold a message's words."""
SEARCHES = {"startswith", "endswith", "removeprefix", "removesuffix", "find", "index", "split", "partition"}
"""Methods of str that look into its words."""


def _words(node: ast.AST) -> bool:
    """Whether ``node`` is a message's words: an error, a message or a hint by its name (``error``,
    ``message``, ``str(exc)``…), or an attribute ``x.msg``, ``x.message``…"""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("str", "repr") and node.args:
        return _words(node.args[0])
    if isinstance(node, ast.Name):
        return node.id.lower().endswith(("error", "message", "msg", "hint")) or node.id in ("e", "exc", "err")
    return isinstance(node, ast.Attribute) and node.attr in WORDS


def decisions_on_words(source: str) -> list[int]:
    """The lines of ``source`` (Python) that decide on a message's words: ``"…" in str(error)``,
    ``error.msg.removesuffix(…)``, ``re.search(…, str(error))``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) for op in node.ops):
            if any(_words(side) for side in (node.left, *node.comparators)):
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SEARCHES and _words(node.func.value):
                found.append(node.lineno)
            elif node.func.attr in ("search", "match", "fullmatch", "findall", "sub") and any(_words(arg) for arg in node.args):
                found.append(node.lineno)
    return sorted(set(found))


JS_WORDS = re.compile(r"\b(?:message|textContent|innerText|reason)\??\.(?:includes|startsWith|endsWith|match|indexOf|search|split)\("
                      r"|\b(?:message|textContent|innerText)\s*[!=]==?\s*[\"'`][^\"'`]*[A-Za-z]{2,} [A-Za-z]")
"""A JavaScript decision on a message's words: ``error.message.includes("…")``, ``el.textContent === "Some words"``."""


def test_the_scans_find_each_kind_of_decision_on_words() -> None:
    source = '''
import re
def f(error, text):
    if "NoneType" in str(error):
        return error.msg.removesuffix(" at")
    if re.search("could not be broadcast", str(error)) or error.message == "boom":
        return 1
    return type(error).__name__ in ("NameError",) or text.startswith("#")
'''
    assert decisions_on_words(source) == [4, 5, 6]
    assert JS_WORDS.search('if (error.message.includes("timed out")) retry();')
    assert JS_WORDS.search('label.textContent === "Grading stopped"')
    assert not JS_WORDS.search('if (error.kind === "timeout") retry();')


@pytest.mark.parametrize("path", PYTHON, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_of_the_pages_python_decides_on_a_messages_words(path: Path) -> None:
    assert decisions_on_words(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", JAVASCRIPT, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_of_the_page_decides_on_a_messages_words(path: Path) -> None:
    found = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if JS_WORDS.search(line)]
    assert found == []

"""The page's engine (the modules directly in pynn/page/) says every text a user reads through
pynn.page.text: no English sentence reaches a ValueError, an answer's text field or a list of notes
without text.say; and with a catalogue in use (the tests' pseudo-language, built with Babel by
tools/i18n.py) the Session's messages and refusals come out in that language."""
from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest

from pynn.page import calls, handin, judge, text
from pynn.page.session import Session
from pseudo import i18n  # tools/i18n.py, loaded once for all the tests

ROOT = Path(__file__).resolve().parents[1]
ENGINE = sorted(path for path in (ROOT / "pynn" / "page").glob("*.py") if path.name not in {"text.py", "tour.py"})
"""The engine's modules: the content (the packages exercises/, derivation/ and lessons/, and the
tour's cards in tour.py) is converted by its own half of the work."""


WORDS = re.compile(r"[A-Za-z]{2,}[ ,;:'’]+[A-Za-z]{2,}")
"""Two words in a row: a sentence (or a piece of one), not a name, a code or maths."""

ERRORS = {"ValueError", "StudentError", "StudentCodeError"}
"""The exceptions whose message a user reads."""
TEXT_FIELDS = {"message", "notice", "note", "problem", "reason", "error", "diverged", "failure", "explanation",
               "hint", "why", "title", "text", "label"}
"""The fields of an answer that hold a text a user reads."""
LISTS = {"notes", "problems", "messages", "explanation"}
"""Lists of texts a user reads: an append to one is a text."""
BUILDERS = {"_result"}
"""Functions that make an answer from its status and its message (pynn.page.derive's)."""


def _literal(node: ast.AST) -> str | None:
    """The English a node writes itself: a string, an f-string's fixed parts, a concatenation or a
    ``.format`` of them; None for anything else (a call of text.say, a name, …)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return " ".join(filter(None, (_literal(node.left), _literal(node.right)))) or None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _literal(node.func.value)
    if isinstance(node, ast.IfExp):
        return " ".join(filter(None, (_literal(node.body), _literal(node.orelse)))) or None
    return None


def _english(node: ast.AST | None) -> bool:
    """Whether ``node`` writes a sentence itself (a comment of JavaScript the build writes is code)."""
    found = _literal(node) if node is not None else None
    return found is not None and not found.startswith("//") and WORDS.search(found) is not None


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def unsaid(source: str) -> list[tuple[int, str]]:
    """(line, what) of every English text ``source`` hands a user without text.say: a raised
    error's message, an answer's text field, an item appended to a list of notes, a returned
    sentence."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in ERRORS and node.args and _english(node.args[0]):
            found.append((node.lineno, _name(node.func)))
        elif isinstance(node, ast.Call) and _name(node.func) in BUILDERS and any(map(_english, node.args)):
            found.append((node.lineno, _name(node.func)))
        elif isinstance(node, ast.Dict):
            found += [(node.lineno, key.value) for key, value in zip(node.keys, node.values)
                      if isinstance(key, ast.Constant) and key.value in TEXT_FIELDS and _english(value)]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
              and _name(node.func.value) in LISTS and node.args and _english(node.args[0])):
            found.append((node.lineno, f"{_name(node.func.value)}.append"))
        elif isinstance(node, ast.Return) and _english(node.value):
            found.append((node.lineno, "return"))
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and any(map(_english, node.value.elts)):
            found.append((node.lineno, "return"))
    return found


def test_the_scan_finds_each_kind_of_text_said_without_the_lookup() -> None:
    planted = '''
def f(x, notes):
    if x:
        raise ValueError(f"the loss is {x}, far too large")
    notes.append("ignored, it is not valid")
    if x is None:
        return "timeout", f"stopped after {x} s"
    if x == 0:
        return _result("fail", f"your expression gives {x}", "shape")
    return {"status": "error", "message": "the check could not run"}
'''
    assert sorted(unsaid(planted)) == [(4, "ValueError"), (5, "notes.append"), (7, "return"), (9, "_result"),
                                       (10, "message")]
    said = '''
def f(x, notes):
    if x:
        raise ValueError(text.say("m.large", loss=x))
    notes.append(text.say("m.ignored"))
    if x is None:
        return "timeout", text.say("m.stopped", seconds=x)
    return {"status": "error", "message": text.say("m.ran"), "mistake": "sign", "shape": f"{x}×1"}
'''
    assert unsaid(said) == []


@pytest.mark.parametrize("path", ENGINE, ids=lambda path: path.name)
def test_no_engine_module_hands_a_user_english_without_the_lookup(path: Path) -> None:
    assert unsaid(path.read_text(encoding="utf-8")) == []


# -- with a catalogue in use: the pseudo-language -----------------------------------------------------


@pytest.fixture
def pseudo():
    """Every registered text in the tests' pseudo-language (a Babel catalogue compiled as build.py
    compiles a language's), as the page's Python would use a language's catalogue."""
    text.use({**i18n.compiled("en", i18n.pseudo(i18n.messages())), "lang": "en-XA"})
    yield lambda key, **params: i18n.pseudo_text(text.ENGLISH[key]).format(**params)
    text.use(None)


def test_the_pseudo_language_accents_every_letter_it_can_and_keeps_placeholders() -> None:
    assert i18n.pseudo_text("configure the session first") == "[çóñfígúré thé séssíóñ fírst ~~~~~~~~~~~]"
    assert i18n.pseudo_text("{name} must be a finite number, got {value}").startswith("[{name} múst bé á")


def test_the_session_refuses_and_answers_in_the_language_in_use(pseudo) -> None:
    session = Session()
    with pytest.raises(ValueError) as refused:
        calls.call(session, "run", {"epochs": 1})
    assert str(refused.value) == pseudo("session.configure-before-training")
    calls.call(session, "configure", {"settings": {"dataset": "moons", "classes": 2, "points": 40}})
    answer = calls.call(session, "run", {"epochs": 1, "also": {"inspect": {"x1": "a", "x2": 0.0}}})
    assert answer["also"]["inspect"]["error"] == pseudo("inside.finite", name="x1", value="'a'")
    with pytest.raises(ValueError) as refused:
        calls.call(session, "import_model", {"text": '{"format": "pynn'})
    assert str(refused.value) == pseudo("modelfile.not-json", where=pseudo("modelfile.truncated"),
                                        error=pseudo("jsonfile.reason.unterminated-string"))
    with pytest.raises(ValueError) as refused:
        calls.call(session, "configure", {"settings": {"hidden": 0}})
    assert str(refused.value) == pseudo("settings.range", name="hidden", low=1, high=512, value=0)


def test_verdicts_and_a_hand_in_s_problem_come_out_in_the_language_in_use(pseudo) -> None:
    plan = judge.plan("relu", "def relu(s):\n    return s\n", seed=1)
    verdict = judge.judge("relu", "def relu(s):\n    return s\n", plan["seed"], {"failure": "timeout"})
    assert verdict["status"] == "timeout" and verdict["error"]["message"] == pseudo("judge.timeout", seconds=5)
    entry = handin.read_entry("a.json", "[]")
    assert entry["problem"] == pseudo("handin.not-object", kind=pseudo("wire.kind.list"))

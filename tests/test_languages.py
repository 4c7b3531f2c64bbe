"""The page's languages in the build (issue 36): the pseudo-language only in a build that asks for
it, one file a language (the page's texts and Python's, each once), and the workers' use_language
call: the training worker's and the sandbox's, whose texts (a student's code that does not load,
training with it paused) come in the page's language too."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from pynn.page import calls, settings, text

ROOT = Path(__file__).resolve().parents[1]


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return load("pynn_build_for_languages", ROOT / "build.py")


def table_of(stage: Path) -> dict:
    found = re.search(r"Object\.freeze\((\{.*\})\);", (stage / "settings.js").read_text(encoding="utf-8"), re.DOTALL)
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def staged(build, tmp_path_factory):
    """dist/'s settings.js and locale/ as a normal build and a pseudo build stage them."""
    out = {}
    for pseudo in (False, True):
        stage = tmp_path_factory.mktemp("pseudo" if pseudo else "normal")
        i18n = build.load_i18n(ROOT / ".cache")
        build.write_settings(ROOT / "pynn", stage, {i18n.PSEUDO: i18n.PSEUDO_NAME} if pseudo else None)
        build.stage_languages(ROOT / ".cache", stage, pseudo=pseudo)
        out[pseudo] = stage
    return out


def test_only_a_build_that_asks_has_the_pseudo_language(staged) -> None:
    normal, pseudo = table_of(staged[False]), table_of(staged[True])
    assert normal["languages"] == settings.LANGUAGES and normal["view"]["lang"]["choices"] == list(settings.LANGUAGES)
    assert not list((staged[False] / "locale").glob("en-XA.*"))
    assert pseudo["languages"] == {**settings.LANGUAGES, "en-XA": "[Pséúdó ~~]"}
    assert pseudo["view"]["lang"]["choices"] == [*settings.LANGUAGES, "en-XA"]
    page = json.loads((staged[True] / "locale" / "en-XA.json").read_text(encoding="utf-8"))
    assert page["lang"] == "en-XA" and page["dir"] == "ltr"
    assert page["messages"]["lab.play"].startswith("[Pláý") and page["messages"]["lab.play"].endswith("~~]")


def catalogue(stage: Path, code: str) -> dict:
    return json.loads((stage / "locale" / f"{code}.json").read_text(encoding="utf-8"))


def test_python_says_the_pseudo_language_from_the_page_s_catalogue(staged) -> None:
    text.use(catalogue(staged[True], "en-XA"))
    try:
        said = text.say("settings.range", name="lr", low=0, high=1, value=5)
        assert re.fullmatch(r"\[lr múst bé bétwééñ 0 áñd 1, gót 5 ~+\]", said), said
    finally:
        text.use(None)


def test_a_language_is_one_file_with_the_page_s_texts_and_python_s(staged) -> None:
    assert sorted(path.name for path in (staged[False] / "locale").iterdir()) == sorted(
        f"{code}.json" for code in [*settings.LANGUAGES][1:])
    for code in [*settings.LANGUAGES][1:]:
        page = catalogue(staged[False], code)
        assert "lab.play" in page["messages"]  # the page's own
        assert "settings.help.lr" in page["messages"]  # Python's, which the page table names
        assert "settings.range" in page["messages"]  # Python's alone
        text.use(page)
        try:
            assert text.say("settings.range", name="lr", low=0, high=1, value=5) != "lr must be between 0 and 1, got 5"
        finally:
            text.use(None)


def test_use_language_switches_python_and_refuses_what_is_not_a_language(staged) -> None:
    es = catalogue(staged[False], "es")
    try:
        assert calls.call(None, "use_language", {"catalogue": es}) == {"language": "es"}
        assert text.say("settings.range-float", name="lr", low=0.5, high=1.5, value=2.5).count(",") >= 2
        refusal = re.escape(text.unfilled("calls.language").split("{")[0])  # said in Spanish now
        assert "idioma" in refusal
        with pytest.raises(ValueError, match=refusal):
            calls.call(None, "use_language", {"catalogue": {**es, "lang": ""}})
        with pytest.raises(ValueError, match=refusal):
            calls.call(None, "use_language", {"catalogue": {**es, "decimal": "a long one"}})
        with pytest.raises(ValueError, match=refusal):
            calls.call(None, "use_language", {"catalogue": b"not a catalogue"})
        assert text.language() == "es"
        assert calls.call(None, "use_language", {"catalogue": None}) == {"language": "en"}
    finally:
        text.use(None)


def test_the_sandbox_s_python_says_its_texts_in_the_page_s_language(staged) -> None:
    """What the sandbox's Python says, told the page's language as the page tells it
    (web/start/session.js: use_language first at each of its starts): a check's message for code
    that defines no function, training with your code refused and paused."""
    from pynn.page.exercises import SOLUTIONS
    from pynn.page.session import Session

    es = catalogue(staged[False], "es")
    sandbox = Session()
    try:
        assert calls.call(sandbox, "use_language", {"catalogue": es}, calls.SANDBOX) == {"language": "es"}
        spanish = es["messages"]
        # a check of code that defines no relu: the sandbox's answer carries its message
        answer = calls.call(sandbox, "run_exercise", {"name": "relu", "source": "x = 1\n", "calls": []}, calls.SANDBOX)
        assert answer["error"]["message"] == spanish["running.no-function"].format(name="relu")
        # training with your code, without the functions it needs
        calls.call(sandbox, "configure", {"settings": {"dataset": "spiral", "classes": 3, "points": 150, "seed": 1}},
                   calls.SANDBOX)
        with pytest.raises(ValueError) as refused:
            calls.call(sandbox, "use_student_code", {"sources": {"relu": SOLUTIONS["relu"]}}, calls.SANDBOX)
        assert str(refused.value).startswith(spanish["yourcode.needs"].split("{")[0])
        # training with your code, paused by it
        broken = SOLUTIONS["forward"].replace("return s0, h0, s1, softmax(s1)", "return softmax(s1)")
        calls.call(sandbox, "use_student_code", {"sources": {"forward": broken, "gradients": SOLUTIONS["gradients"]}},
                   calls.SANDBOX)
        paused = calls.call(sandbox, "run", {"epochs": 1}, calls.SANDBOX)
        assert paused["paused_by_code"] is True
        assert paused["diverged"].startswith(spanish["yourcode.paused"].split("{")[0]), paused["diverged"]
        assert "forward" in paused["diverged"] and "Training paused" not in paused["diverged"]
    finally:
        text.use(None)


def test_python_picks_a_plural_s_form_by_the_catalogue_s_plural_expression(staged) -> None:
    """Arabic's six forms (gettext's order: 0, 1, 2, 3-10, 11-99, the rest), from the JSON's plural_expr."""
    ar = catalogue(staged[False], "ar")
    forms = ar["messages"]["session.diverged.epochs"]
    text.use(ar)
    try:
        for n, form in [(0, 0), (1, 1), (2, 2), (7, 3), (11, 4), (100, 5), (103, 3), (102, 5)]:
            assert text.say_n("session.diverged.epochs", n, threshold=5.0, n=n) == forms[form].format(threshold=5.0, n=n)
    finally:
        text.use(None)

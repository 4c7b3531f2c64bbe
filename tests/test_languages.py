"""The page's languages in the build (issue 36): the pseudo-language only in a build that asks for
it, each text of a language fetched once (the page's in its JSON, Python's in its MO), and the
training worker's use_language call."""
from __future__ import annotations

import gzip
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


def test_python_says_the_pseudo_language_from_its_mo(staged) -> None:
    text.use(gzip.decompress((staged[True] / "locale" / "en-XA.mo.gzip").read_bytes()), "en-XA")
    try:
        said = text.say("settings.range", name="lr", low=0, high=1, value=5)
        assert re.fullmatch(r"\[lr múst bé bétwééñ 0 áñd 1, gót 5 ~+\]", said), said
    finally:
        text.use(None)


def test_each_text_is_fetched_once_the_page_s_in_the_json_python_s_in_the_mo(staged) -> None:
    for code in [*settings.LANGUAGES][1:]:
        page = json.loads((staged[False] / "locale" / f"{code}.json").read_text(encoding="utf-8"))["messages"]
        assert "lab.play" in page  # the page's own
        assert "settings.help.lr" in page  # Python's, which the page table names
        assert "settings.range" not in page  # Python's alone
        text.use(gzip.decompress((staged[False] / "locale" / f"{code}.mo.gzip").read_bytes()), code)
        try:
            assert text.say("settings.range", name="lr", low=0, high=1, value=5) != "lr must be between 0 and 1, got 5"
        finally:
            text.use(None)


def test_use_language_switches_python_and_refuses_what_is_not_a_language(staged) -> None:
    mo = gzip.decompress((staged[False] / "locale" / "es.mo.gzip").read_bytes())
    try:
        assert calls.call(None, "use_language", {"mo": memoryview(mo), "code": "es", "decimal": ",", "group": "."}) == {"language": "es"}
        assert text.say("settings.range-float", name="lr", low=0.5, high=1.5, value=2.5).count(",") >= 2
        refusal = re.escape(text.unfilled("calls.language").split("{")[0])  # said in Spanish now
        assert "idioma" in refusal
        with pytest.raises(ValueError, match=refusal):
            calls.call(None, "use_language", {"mo": mo, "code": "", "decimal": ",", "group": "."})
        with pytest.raises(ValueError, match=refusal):
            calls.call(None, "use_language", {"mo": mo, "code": "es", "decimal": "a long one", "group": "."})
        with pytest.raises(ValueError, match="not a gettext catalogue"):
            calls.call(None, "use_language", {"mo": b"not a catalogue", "code": "es", "decimal": ",", "group": "."})
        assert calls.call(None, "use_language", {"mo": None, "code": "en", "decimal": ".", "group": ","}) == {"language": "en"}
    finally:
        text.use(None)

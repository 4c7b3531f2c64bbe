"""pynn.page.text, the Python side's one lookup, and tools/i18n.py, the catalogues' tools (Babel)."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from pynn.page import settings, text
from pseudo import i18n  # tools/i18n.py, loaded once for all the tests

ROOT = Path(__file__).resolve().parents[1]

TABLE = text.register({
    "test.text.epoch": "the loss became infinite at epoch {epoch}",
    "test.text.accuracy": "accuracy {value:.3f} after {n:,} updates",
    "test.text.code": "write {code} instead",
    "test.text.rows": ("{n:,} row", "{n:,} rows"),
})


def catalogue(lang: str, translations: dict[str, str | tuple[str, ...]], decimal: str = ".", group: str = ",") -> dict:
    """A compiled catalogue for ``lang`` (Babel's rules) as build.py writes it: the page's JSON."""
    catalog = Catalog(locale=lang, domain="pynn")
    for key, translated in translations.items():
        english = TABLE[key]
        catalog.add(english, translated, context=key)
    return {**i18n.compiled(lang, catalog), "decimal": decimal, "group": group}


@pytest.fixture
def spanish():
    text.use(catalogue("es", {
        "test.text.epoch": "la pérdida se volvió infinita en la época {epoch}",
        "test.text.accuracy": "exactitud {value:.3f} tras {n:,} actualizaciones",
        "test.text.rows": ("{n:,} fila", "{n:,} de filas", "{n:,} filas"),
    }, decimal=",", group="."))
    yield
    text.use(None)


def test_english_is_the_registered_text_with_its_placeholders_filled() -> None:
    assert text.say("test.text.epoch", epoch=12) == "the loss became infinite at epoch 12"
    assert text.say("test.text.accuracy", value=0.90625, n=12000) == "accuracy 0.906 after 12,000 updates"
    assert [text.say_n("test.text.rows", n, n=n) for n in (1, 2, 0)] == ["1 row", "2 rows", "0 rows"]
    assert text.language() == "en"


def test_a_catalogue_translates_by_id_and_writes_numbers_as_the_language_does(spanish) -> None:
    assert text.language() == "es"
    assert text.say("test.text.epoch", epoch=12) == "la pérdida se volvió infinita en la época 12"
    assert text.say("test.text.accuracy", value=0.90625, n=12000) == "exactitud 0,906 tras 12.000 actualizaciones"
    assert text.say_n("test.text.rows", 1, n=1) == "1 fila"
    assert text.say_n("test.text.rows", 1_000_000, n=1_000_000) == "1.000.000 de filas"  # Spanish's "many"
    assert text.say_n("test.text.rows", 3, n=3) == "3 filas"


def test_what_is_meant_to_be_copied_is_passed_as_text_and_never_touched(spanish) -> None:
    assert text.say("test.text.code", code="np.maximum(s, 0.5)") == "write np.maximum(s, 0.5) instead"


def test_in_a_right_to_left_language_a_text_value_is_isolated_and_a_number_is_not() -> None:
    text.use(catalogue("ar", {"test.text.code": "اكتب {code} بدلًا من ذلك", "test.text.epoch": "صارت الخسارة لانهائية عند الحقبة {epoch}"}))
    try:
        assert text.say("test.text.code", code="W0 (H×D)") == "اكتب \u2068W0 (H×D)\u2069 بدلًا من ذلك"
        assert text.say("test.text.epoch", epoch=12) == "صارت الخسارة لانهائية عند الحقبة 12"
    finally:
        text.use(None)
    assert text.say("test.text.code", code="W0") == "write W0 instead"  # left to right: nothing added


def test_a_text_the_catalogue_lacks_is_said_in_english(spanish) -> None:
    assert text.say("test.text.code", code="x") == "write x instead"


def test_a_translation_with_a_broken_placeholder_falls_back_to_english() -> None:
    text.use(catalogue("de", {"test.text.epoch": "Epoche {epoche}"}))
    try:
        assert text.say("test.text.epoch", epoch=3) == "the loss became infinite at epoch 3"
    finally:
        text.use(None)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"Test.Upper": "x"}, "dotted lower case"),
        ({"test text": "x"}, "dotted lower case"),
        ({"test.text.epoch": "something else"}, "registered twice with different English"),
        ({"test.text.list": ["a", "b"]}, r"a str or a \(singular, plural\) pair"),
        ({"test.text.three": ("a", "b", "c")}, r"a str or a \(singular, plural\) pair"),
    ],
)
def test_register_refuses_what_is_not_a_text_by_id(table, words) -> None:
    with pytest.raises(ValueError, match=words):
        text.register(table)


def test_an_unknown_id_or_the_wrong_call_says_what_to_do() -> None:
    with pytest.raises(KeyError, match="no text has the id 'test.text.nothing'"):
        text.say("test.text.nothing")
    with pytest.raises(TypeError, match="use say_n"):
        text.say("test.text.rows")
    with pytest.raises(TypeError, match="use say"):
        text.say_n("test.text.epoch", 2)


@pytest.mark.parametrize(
    "change",
    [
        {"messages": ["a list"]},
        {"messages": {"test.text.epoch": 3}},
        {"messages": {"test.text.rows": ["uno", None]}},
        {"plural_expr": "__import__('os')"},
        {"plural_expr": "n +"},
        {"lang": ""},
        {"decimal": "a long one"},
        {"group": None},
        {"messages": None},
    ],
)
def test_what_is_not_a_catalogue_is_refused_with_a_message_and_the_language_stays(change) -> None:
    good = catalogue("es", {"test.text.epoch": "época {epoch}"})
    with pytest.raises(ValueError, match="not a catalogue"):
        text.use({**good, **change})
    with pytest.raises(ValueError, match="not a catalogue"):
        text.use(b"\x00" * 40)
    assert text.language() == "en" and text.say("test.text.epoch", epoch=1).startswith("the loss")


def test_register_records_where_each_id_is_declared() -> None:
    assert text.ORIGIN["test.text.epoch"].endswith("test_text.py")


# -- tools/i18n.py ---------------------------------------------------------------------------------


def test_index_html_texts_are_read_by_id_with_their_white_space_collapsed(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text('<p data-t="a.b">Two\n   words</p><input data-t-placeholder="a.c" placeholder="Your name">'
                    '<button data-t-aria-label="a.d" aria-label="Play" data-t="a.e">▶</button>', encoding="utf-8")
    assert i18n.html_table(page) == {"a.b": "Two words", "a.c": "Your name", "a.d": "Play", "a.e": "▶"}


def test_an_element_whose_text_is_translated_may_not_hold_other_elements(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text('<p data-t="a.b">Press <kbd>Space</kbd></p>', encoding="utf-8")
    with pytest.raises(ValueError, match="holds only text"):
        i18n.html_table(page)


def test_the_page_table_is_json_after_export_default(tmp_path: Path) -> None:
    table = tmp_path / "en.js"
    table.write_text('// x\nexport default Object.freeze({\n "a.b": "B",\n "a.c": ["{n} C", "{n} Cs"]\n});\n')
    assert i18n.page_table(table) == {"a.b": "B", "a.c": ("{n} C", "{n} Cs")}
    table.write_text('export default { a: "B" };\n')
    with pytest.raises(ValueError, match="holding a JSON object"):
        i18n.page_table(table)


def test_the_template_holds_every_id_once_as_context_with_its_english() -> None:
    found = i18n.messages()
    ids = [message.id for message in found]
    assert len(ids) == len(set(ids)) and "test.text.rows" in ids and "lang.menu" in ids
    catalog = i18n.template(found)
    assert catalog.get(("{n:,} row", "{n:,} rows"), context="test.text.rows") is not None
    assert catalog.get("Language", context="lang.menu") is not None


def test_a_catalogue_s_problems_are_each_named() -> None:
    base = Catalog(domain="pynn")
    base.add("epoch {epoch}", context="a.epoch")
    base.add(("{n} row", "{n} rows"), context="a.rows")
    base.add("Play", context="a.play")
    base.add("Stop", context="a.stop")
    spanish = Catalog(locale="es", domain="pynn")
    spanish.add("epoch {epoch}", "época {epoca}", context="a.epoch")
    spanish.add(("{n} row", "{n} rows"), ("{n} fila", "{n} filas"), context="a.rows")
    spanish.add("Play", "Jugar", context="a.play", flags=("fuzzy",))
    found = i18n.problems(spanish, base)
    assert "a.epoch: placeholders ['epoca'], the English has ['epoch']" in found
    assert "a.rows: 2 plural forms, the language has 3" in found
    assert "a.play: fuzzy (the English changed)" in found
    assert "a.stop: no translation" in found
    assert len(found) == 4


def test_a_plural_s_form_for_one_may_leave_out_the_count_but_no_other_placeholder() -> None:
    """gettext's convention: "una fila" needs no 1; every other form, and every other placeholder
    in the form for one, stays. Chinese's one form says every count, so it keeps {n}."""
    base = Catalog(domain="pynn")
    base.add(("{n} row of {file}", "{n} rows of {file}"), context="a.rows")
    spanish = Catalog(locale="es", domain="pynn")
    spanish.add(("{n} row of {file}", "{n} rows of {file}"), ("una fila de {file}", "{n} de filas de {file}", "{n} filas de {file}"),
                context="a.rows")
    assert i18n.problems(spanish, base) == []
    spanish = Catalog(locale="es", domain="pynn")
    spanish.add(("{n} row of {file}", "{n} rows of {file}"), ("una fila", "{n} de filas de {file}", "filas de {file}"), context="a.rows")
    assert i18n.problems(spanish, base) == ["a.rows: placeholders [], the English has ['file', 'n']",
                                            "a.rows: placeholders ['file'], the English has ['file', 'n']"]
    arabic = Catalog(locale="ar", domain="pynn")
    arabic.add(("{n} row of {file}", "{n} rows of {file}"), ("{n} {file}", "صف واحد من {file}", *["{n} {file}"] * 4), context="a.rows")
    assert i18n.problems(arabic, base) == []
    chinese = Catalog(locale="zh_Hans", domain="pynn")
    chinese.add(("{n} row of {file}", "{n} rows of {file}"), ("{file} 的行",), context="a.rows")
    assert i18n.problems(chinese, base) == ["a.rows: placeholders ['file'], the English has ['file', 'n']"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", {"one": 0, "other": 1}),
        ("es", {"one": 0, "many": 1, "other": 2}),
        ("fr", {"one": 0, "many": 1, "other": 2}),
        ("zh_Hans", {"other": 0}),
        ("ar", {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 4, "other": 5}),
    ],
)
def test_each_plural_category_takes_the_catalogue_s_form_for_it(lang, expected) -> None:
    index = i18n.plural_index(lang)
    assert {category: index[category] for category in expected} == expected
    assert set(index) == set(i18n.CATEGORIES)


def test_a_compiled_catalogue_is_one_json_for_the_page_and_for_python(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    catalog = Catalog(locale="fr", domain="pynn")
    catalog.add("the loss became infinite at epoch {epoch}", "la perte est devenue infinie à l'époque {epoch}",
                context="test.text.epoch")
    catalog.add(("{n:,} row", "{n:,} rows"), ("{n:,} ligne", "{n:,} de lignes", "{n:,} lignes"), context="test.text.rows")
    catalog.add("Play", "Jouer", context="a.play", flags=("fuzzy",))
    i18n.write(catalog, i18n.catalogue_path("fr"))
    page = i18n.compiled("fr")
    assert page["lang"] == "fr" and page["dir"] == "ltr" and page["decimal"] == "," and page["group"] == "\u202f"
    assert page["messages"] == {"test.text.epoch": "la perte est devenue infinie à l'époque {epoch}",
                                "test.text.rows": ["{n:,} ligne", "{n:,} de lignes", "{n:,} lignes"]}
    assert set(page) == {"lang", "dir", "plural", "plural_expr", "decimal", "group", "messages"}  # nothing else
    text.use(json.loads(json.dumps(page)))
    try:
        assert text.say("test.text.epoch", epoch=4) == "la perte est devenue infinie à l'époque 4"
        assert text.say_n("test.text.rows", 0, n=0) == "0 ligne"
    finally:
        text.use(None)


# -- build.py's languages stage ----------------------------------------------------------------------


def load_build():
    """build.py by path (its dataclasses look their module up in sys.modules)."""
    spec = importlib.util.spec_from_file_location("pynn_build_for_text", ROOT / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_build_compiles_each_language_of_the_table_for_the_page_and_for_python(tmp_path: Path, monkeypatch) -> None:
    build = load_build()
    locale, stage = tmp_path / "locale", tmp_path / "dist"
    stage.mkdir()
    catalog = Catalog(locale="pt_BR", domain="pynn")
    catalog.add("the loss became infinite at epoch {epoch}", "a perda ficou infinita na época {epoch}",
                context="test.text.epoch")
    monkeypatch.setattr(i18n, "LOCALE", locale)
    i18n.write(catalog, i18n.catalogue_path("pt_BR"))
    monkeypatch.setattr(build.page_table, "LANGUAGES", {"en": "English", "pt-BR": "Português (Brasil)"})
    assert build.stage_languages(ROOT / ".cache", stage, locale) == ["pt-BR"]
    page = json.loads((stage / "locale" / "pt-BR.json").read_text(encoding="utf-8"))
    assert page["lang"] == "pt-BR" and page["messages"] == {"test.text.epoch": "a perda ficou infinita na época {epoch}"}
    assert [path.name for path in (stage / "locale").iterdir()] == ["pt-BR.json"]  # one file a language
    text.use(page)
    try:
        assert text.say("test.text.epoch", epoch=2) == "a perda ficou infinita na época 2"
    finally:
        text.use(None)


def test_the_build_fails_on_a_language_without_a_catalogue_or_a_catalogue_without_its_line(tmp_path: Path, monkeypatch) -> None:
    build = load_build()
    locale = tmp_path / "locale"
    monkeypatch.setattr(i18n, "LOCALE", locale)
    i18n.write(Catalog(locale="de", domain="pynn"), i18n.catalogue_path("de"))
    monkeypatch.setattr(build.page_table, "LANGUAGES", {"en": "English"})
    with pytest.raises(build.BuildError, match=r"names no other language, locale/ has catalogues for \['de'\]"):
        build.stage_languages(ROOT / ".cache", tmp_path, locale)
    monkeypatch.setitem(build.page_table.LANGUAGES, "de", "Deutsch")
    monkeypatch.setitem(build.page_table.LANGUAGES, "fr", "Français")
    with pytest.raises(build.BuildError, match="one catalogue and one line"):
        build.stage_languages(ROOT / ".cache", tmp_path, locale)


def test_the_committed_template_holds_exactly_the_messages_of_the_sources(tmp_path: Path) -> None:
    """locale/pynn.pot is what `python tools/i18n.py extract` writes now (run it after changing a text)."""
    import subprocess

    script = ("import sys; sys.path.insert(0, 'tools'); import i18n; from pathlib import Path; "
              f"i18n.write(i18n.template(), Path({str(tmp_path / 'now.pot')!r}))")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True)

    def entries(path: Path) -> list[tuple]:
        return [(m.context, m.id, tuple(m.locations)) for m in i18n.read(path) if m.id]

    assert entries(i18n.TEMPLATE) == entries(tmp_path / "now.pot"), "run: python tools/i18n.py extract"


# What names a setting's option in prose: its help, the lessons, the tour (the derivation's "bitwise
# xor" and the code's own words are not about the menus).
ABOUT_THE_SETTINGS = ("settings.help.", "lesson.", "tour.")


@pytest.mark.parametrize("lang", i18n.languages())
def test_a_help_a_lesson_or_the_tour_names_a_menu_s_option_as_the_menu_shows_it(lang) -> None:
    """Where a language's menu renames an option (spiral → espiral, small → pequeña), its texts say
    the name, not the address's key, which the student would look for in the menu in vain. Keys stay
    in links and in the lessons' comparison labels (`init = he`), which the code writes."""
    catalog = i18n.read(i18n.catalogue_path(lang))
    shown = {message.context: message.string for message in catalog if message.context}
    renamed = [value for name, values in settings.CHOICE_NAMES.items() for value in values
               if (shown.get(f"settings.choice.{name}.{value}") or value).casefold() != value.casefold()]  # untranslated: English
    key = re.compile(r"(?<![\w.=`-])(" + "|".join(renamed) + r")(?![\w=`(-])")
    found = []
    for message in catalog:
        if not (message.context or "").startswith(ABOUT_THE_SETTINGS):
            continue
        for said in message.string if isinstance(message.string, tuple) else (message.string,):
            prose = re.sub(r"\{[^}]*\}|\w+ = [\w.]+", "", said)  # placeholders, labels such as init = he
            found += [f"{message.context}: {hit!r} in {said!r}" for hit in key.findall(prose)]
    assert not found, "\n".join(found)

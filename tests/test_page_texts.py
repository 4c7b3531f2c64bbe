"""The page's texts go through the one lookup (issue 34, docs/translating.md): every id the page's
JavaScript asks t()/tn() for exists exactly once, every id of web/lang/en.js is asked for, and
the page's own parts (index.html outside the teaching and classroom panels, web/'s training, start,
inside, data and lang folders) write no English text straight into the page."""
from __future__ import annotations

import html.parser
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
SPEC = importlib.util.spec_from_file_location("pynn_i18n_tools", ROOT / "tools" / "i18n.py")
i18n = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(i18n)

OWN_FOLDERS = ("training", "start", "inside", "data", "lang")
OWN_FILES = ("main.js", "dom.js", "state.js", "sw.js")
OTHER_PANELS = {"exercises", "derive", "tour", "lesson", "teacher", "handout-setup", "assignment-title"}
"""index.html's teaching and classroom panels (their owners' texts, filled by their modules)."""

ID = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
LITERAL = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)"""
ASKED = re.compile(r"""\b(?:t|tn)\(\s*(["'])([a-z0-9.-]+)\1""")
NAMED = re.compile(r"""(["'])((?:page|start|lab|inside|data)\.[a-z0-9-]+(?:\.[a-z0-9-]+)*)\1""")
"""A literal id of the page's own prefixes, wherever it stands (handed on to be said by t() later)."""
FOR_LATER: dict[str, str] = {}
"""en.js ids no module asks for yet, each with what will."""


def scripts() -> list[Path]:
    return sorted(path for path in WEB.rglob("*.js") if path.name != "en.js")


def own_scripts() -> list[Path]:
    found = [WEB / name for name in OWN_FILES if (WEB / name).exists()]
    for folder in OWN_FOLDERS:
        found += sorted(path for path in (WEB / folder).rglob("*.js") if path.name != "en.js")
    return found


def code(path: Path) -> str:
    """A module's source without its comment lines."""
    return re.sub(r"^\s*//.*$", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


def asked_ids() -> dict[str, str]:
    """Every id a module of web/ passes to t() or tn() as a literal, or names with one of the page's
    own prefixes, with the first file asking."""
    asked: dict[str, str] = {}
    for path in scripts():
        source = code(path)
        for match in [*ASKED.finditer(source), *NAMED.finditer(source)]:
            asked.setdefault(match.group(2), str(path.relative_to(ROOT)))
    return asked


def test_every_id_the_page_asks_for_is_declared_exactly_once() -> None:
    declared = i18n.messages()  # en.js, index.html and Python's registry; raises on an id declared twice
    known = {message.id for message in declared}
    missing = {key: where for key, where in asked_ids().items() if key not in known}
    assert not missing, f"ids asked for but declared nowhere: {missing}"


def test_every_id_of_en_js_is_asked_for_somewhere() -> None:
    sources = "\n".join(code(path) for path in scripts())
    unused = [key for key in i18n.page_table() if f'"{key}"' not in sources and f"'{key}'" not in sources]
    assert unused == list(FOR_LATER), f"en.js ids no module asks for: {unused}"


# -- English written straight into the page --------------------------------------------------------


def is_english(literal: str) -> bool:
    """A string literal that reads as words: two letters in a row once ${…} parts are taken out, and
    not an id, a class list or a CSS/HTML name."""
    body = re.sub(r"\$\{[^}]*\}", " ", literal[1:-1])
    if ID.match(body) or not re.search(r"[A-Za-z]{2}", body):
        return False
    return True


def texts_outside_lookup(source: str) -> list[str]:
    """The English literals `source` writes into the page: assigned to textContent, title,
    aria-label or placeholder, passed to dom.js's el() as its text (the third argument) or to an
    element maker as `text`/`title`/`aria-label`/`placeholder`. What t() and tn() are handed (an id,
    and placeholders' values: maths, code, names) and a literal compared with === or !== (a code)
    are not texts written into the page."""
    source = re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)
    literals: list[str] = []

    def token(match: re.Match[str]) -> str:
        literals.append(match.group(0))
        return f"\u00a7{len(literals) - 1}\u00a7"

    source = re.sub(LITERAL, token, source)
    source = re.sub(r"(?:[!=]==\s*\u00a7\d+\u00a7|\u00a7\d+\u00a7\s*[!=]==)", "CODE", source)
    for _ in range(3):  # t(id, { … }) within t(id, { … })
        source = re.sub(r"\bt(?:n)?\(\s*\u00a7\d+\u00a7\s*(?:,[^(){}]*(?:\{[^{}]*\})?[^(){}]*)?\)", "SAID", source)
    item = r"\u00a7\d+\u00a7"
    sinks = [
        r"\.(?:textContent|title|placeholder|ariaLabel)\s*=\s*((?:[^;\n]|\n\s+[?:])*)",
        r"""setAttribute\(\s*\u00a7\d+\u00a7\s*,\s*([^;\n]*)""",
        rf"""\bel\(\s*{item}\s*,\s*(?:{item}|[\w.]+|\{{[^{{}}]*\}})\s*,\s*([^)]*)""",
        rf"""(?:\btext|\btitle|\u00a7\d+\u00a7(?=\s*:\s*\S)|placeholder)\s*:\s*({item}(?:\s*\+\s*{item})*|[^,}}\n(]*\?[^,}}\n]*)""",
    ]
    found = []
    for sink in sinks:
        for match in re.finditer(sink, source):
            named = re.match(r"(?:setAttribute\(\s*)?\u00a7(\d+)\u00a7", match.group(0))
            if named and not re.match(r"""^["'](?:aria-label|title|placeholder|alt|aria-valuetext|aria-description)["']$""",
                                      literals[int(named.group(1))]):
                continue  # another attribute, or another key of an object
            found += [literals[int(n)] for n in re.findall(r"\u00a7(\d+)\u00a7", match.group(1))
                      if is_english(literals[int(n)])]
    return found


PLANTED = '''
  status.textContent = "Python is ready";
  button.title = playing ? t("lab.pause") : "Play";
  box.append(el("p", "hint", `Epoch ${epoch} of the run`));
  note.setAttribute("aria-label", "The network");
  const b = h("button", { className: "button", text: "Check the gradients" });
  const c = h("input", { type: "text", "aria-label": "The assignment link" });
'''


def test_the_scan_catches_english_written_into_the_page() -> None:
    assert sorted(texts_outside_lookup(PLANTED)) == sorted([
        '"Python is ready"', '"Play"', "`Epoch ${epoch} of the run`", '"The network"', '"Check the gradients"',
        '"The assignment link"',
    ])
    fine = 'status.textContent = t("start.ready"); box.append(el("p", "hint", t("lab.epoch", { epoch })));' \
           ' x.textContent = `${a} · ${b}`; y.setAttribute("aria-label", t("inside.network"));' \
           ' el("span", "chip", value === "mask" ? v : w); el("span", "term", t("inside.term", { formula: `−log h1` }));' \
           ' new Preview({ text: $("plane-loading-text") }); h("a", { "data-kind": "plain words" });'
    assert texts_outside_lookup(fine) == []


@pytest.mark.parametrize("path", own_scripts(), ids=lambda path: str(path.relative_to(WEB)))
def test_the_page_s_own_modules_write_no_english_into_the_page(path: Path) -> None:
    assert texts_outside_lookup(path.read_text(encoding="utf-8")) == []


class _Untranslated(html.parser.HTMLParser):
    """index.html's words outside the lookup: text not inside a data-t element, and text attributes
    without their data-t-<attribute>, skipping the other panels, code, keys and maths."""

    SKIP_TAGS = {"script", "style", "code", "kbd", "svg", "h1"}
    VOID = {"meta", "link", "input", "br", "img", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: its text is the lookup's or not ours
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = (bool(self.stack) and self.stack[-1]) or tag in self.SKIP_TAGS or values.get("id") in OTHER_PANELS \
            or "equations" in (values.get("class") or "").split() or "data-t" in values
        if not skipped:
            for attribute in i18n.ATTRIBUTES:
                if values.get(attribute) and re.search(r"[A-Za-z]{2}", values[attribute]) \
                        and f"data-t-{attribute}" not in values:
                    self.found.append(f"<{tag}> {attribute}={values[attribute]!r}")
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        words = " ".join(data.split())
        if (not self.stack or not self.stack[-1]) and re.search(r"[A-Za-z]{2}", words) and words not in NAMES:
            self.found.append(words)


NAMES = {"numpy", "Pyodide"}
"""Names that stay as they are in every language."""


def untranslated(page: str) -> list[str]:
    parser = _Untranslated()
    parser.feed(page)
    return parser.found


def test_the_html_scan_catches_a_text_outside_the_lookup() -> None:
    assert untranslated('<p data-t="a.b">Fine</p><p>Not <b data-t="a.c">fine</b></p>'
                        '<button aria-label="Close">×</button><section id="tour"><p>theirs</p></section>') == \
        ["Not", "<button> aria-label='Close'"]


def test_index_html_s_own_texts_go_through_the_lookup() -> None:
    assert untranslated((WEB / "index.html").read_text(encoding="utf-8")) == []

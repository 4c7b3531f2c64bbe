"""The catalogues of pynn's texts (docs/translating.md): extract the template, update and check the
languages' catalogues, compile one for the page, make the tests' pseudo-language. Babel does the
reading and writing of PO files and the languages' rules (plural forms, number symbols).

    python tools/i18n.py extract     # locale/pynn.pot from the sources
    python tools/i18n.py update      # merge the template into every locale/<lang>/LC_MESSAGES/pynn.po
    python tools/i18n.py check       # what a catalogue misses or breaks, per language; exit 1 if any

The texts come from three places, each id declared once: the Python registry
(pynn.page.text.ENGLISH, filled as pynn.page's modules are imported), the page's table
(web/lang/en.js) and index.html's ``data-t*`` attributes. In a catalogue every message has its id as
msgctxt and the English as msgid (msgid_plural for a plural).
"""
from __future__ import annotations

import html.parser
import importlib
import io
import json
import pkgutil
import re
import string
import sys
from pathlib import Path
from typing import NamedTuple

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po
from babel.numbers import get_decimal_symbol, get_group_symbol

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
TEMPLATE = LOCALE / "pynn.pot"
DOMAIN = "pynn"
EN_JS = ROOT / "web" / "lang" / "en.js"
INDEX_HTML = ROOT / "web" / "index.html"
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
"""The attributes index.html's elements may take a text for: data-t-<attribute>="id"."""
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""The plural categories of Unicode's CLDR (what Intl.PluralRules answers)."""

Entry = str | tuple[str, str]

HEADER = """\
# The texts of pynn's page and of its Python, to translate (docs/translating.md): msgctxt is the
# text's id, msgid its English. Written by `python tools/i18n.py extract`: do not edit by hand."""


class Message(NamedTuple):
    id: str
    english: Entry
    where: str  # the file that declares it, relative to the checkout


# -- the sources ---------------------------------------------------------------------------------


def python_messages() -> list[Message]:
    """Every text pynn.page's modules register (each imported once; a package's __main__, a script,
    is not run)."""
    sys.path.insert(0, str(ROOT))
    import pynn.page
    from pynn.page import text

    for module in pkgutil.walk_packages(pynn.page.__path__, "pynn.page."):
        if not module.name.endswith(".__main__"):
            importlib.import_module(module.name)
    return [Message(key, english, text.ORIGIN.get(key, "pynn/page")) for key, english in text.ENGLISH.items()]


def page_table(path: Path = EN_JS) -> dict[str, Entry]:
    """web/lang/en.js's table: a JSON object after ``export default``, a plural a [singular, plural]."""
    source = path.read_text(encoding="utf-8")
    found = re.search(r"export default Object\.freeze\((\{.*\})\);\s*$", source, re.DOTALL)
    if found is None:
        raise ValueError(f"{path}: expected `export default Object.freeze({{…}});` holding a JSON object")
    table = json.loads(found.group(1))
    return {key: tuple(value) if isinstance(value, list) else value for key, value in table.items()}


class _Texts(html.parser.HTMLParser):
    """index.html's ids: data-t="id" (the element's text) and data-t-<attribute>="id"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.open: list[tuple[str, str, list[str]]] = []  # (id, tag, text parts) of the element being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for attribute in ATTRIBUTES:
            key = values.get(f"data-t-{attribute}")
            if key:
                self.found.append((key, values.get(attribute) or ""))
        if self.open:
            raise ValueError(f"index.html: <{tag}> inside the element of data-t={self.open[-1][0]!r}: an element "
                             "whose text is translated holds only text (translating it replaces what it holds)")
        if values.get("data-t"):
            self.open.append((values["data-t"], tag, []))

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1][1] == tag:
            key, _, parts = self.open.pop()
            self.found.append((key, " ".join("".join(parts).split())))

    def handle_data(self, data: str) -> None:
        for _, _, parts in self.open:
            parts.append(data)


def html_table(path: Path = INDEX_HTML) -> dict[str, str]:
    """index.html's texts by id (white space collapsed, as the browser shows it)."""
    parser = _Texts()
    parser.feed(path.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for key, english in parser.found:
        if table.get(key, english) != english:
            raise ValueError(f"{path.name}: the id {key!r} stands for two texts")
        table[key] = english
    return table


def messages() -> list[Message]:
    """Every message of the three sources, sorted by id. Raises ValueError for an id declared in two
    of them."""
    found = python_messages()
    found += [Message(key, english, "web/lang/en.js") for key, english in page_table().items()]
    found += [Message(key, english, "web/index.html") for key, english in html_table().items()]
    seen: dict[str, str] = {}
    for message in found:
        if message.id in seen:
            raise ValueError(f"the id {message.id!r} is declared in {seen[message.id]} and {message.where}")
        seen[message.id] = message.where
    return sorted(found, key=lambda message: message.id)


# -- catalogues ----------------------------------------------------------------------------------

_ACCENTS = str.maketrans("aeiouycnAEIOUYCN", "áéíóúýçñÁÉÍÓÚÝÇÑ")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")


def pseudo_text(english: str) -> str:
    """``english`` in the tests' pseudo-language: every letter that has an accented form accented,
    about 40 % longer, in brackets; its placeholders left as they are (they are filled in after)."""
    parts = _PLACEHOLDER.split(english)
    body = "".join(part if _PLACEHOLDER.fullmatch(part) else part.translate(_ACCENTS) for part in parts)
    return f"[{body} {'~' * max(1, round(len(english) * 0.4))}]"


PSEUDO = "en-XA"
"""The pseudo-language's code (BCP 47's private region XA, as Android and Chromium name theirs): a
build for the tests adds it (build.py --pseudo), a normal build never does."""
PSEUDO_NAME = pseudo_text("Pseudo")
"""The pseudo-language named in itself, as the language menu lists it."""


def template_messages(path: Path = TEMPLATE) -> list[Message]:
    """The template's messages (what ``extract`` wrote): the build reads them without importing pynn."""
    return [Message(message.context, message.id, message.locations[0][0] if message.locations else "")
            for message in read(path) if message.id]


def pseudo(found: list[Message] | None = None) -> Catalog:
    """A catalogue translating every message into the pseudo-language (``pseudo_text``): a page or
    a Python that shows a text not from its catalogue shows it plainly, among accented ones."""
    catalog = Catalog(locale="en", domain=DOMAIN, project="pynn")
    for message in found if found is not None else messages():
        english = message.english
        catalog.add(english, tuple(map(pseudo_text, english)) if isinstance(english, tuple) else pseudo_text(english),
                    context=message.id)
    return catalog



def template(found: list[Message] | None = None) -> Catalog:
    """The template: every message, msgctxt its id, msgid its English."""
    catalog = Catalog(project="pynn", domain=DOMAIN, charset="utf-8", fuzzy=False, copyright_holder="pynn's authors",
                      header_comment=HEADER)
    for message in found if found is not None else messages():
        catalog.add(message.english, context=message.id, locations=[(message.where, None)],
                    flags=("python-brace-format",))
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    """``catalog`` as a PO file at ``path`` (sorted by id, lines as long as they come)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=True, include_lineno=False, omit_header=False)
    path.write_bytes(out.getvalue())


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale, domain=DOMAIN)


def languages() -> list[str]:
    """The languages that have a catalogue: locale/<lang>/LC_MESSAGES/pynn.po."""
    return sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalogue_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(lang: str, base: Catalog) -> Catalog:
    """The language's catalogue with the template merged in (a new language starts empty);
    changed English marks its translation fuzzy, as gettext's msgmerge does."""
    path = catalogue_path(lang)
    catalog = read(path, lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN, project="pynn")
    catalog.update(base, update_header_comment=False)
    catalog.obsolete.clear()
    return catalog


def placeholders(text: str) -> set[str]:
    """The names of ``text``'s str.format fields."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(catalog: Catalog, base: Catalog) -> list[str]:
    """What a language's catalogue misses or breaks against the template: a message without a
    translation (or a fuzzy one), a translation whose placeholders differ from the English's (a
    plural's form for one alone may leave out the count, ``{n}``), a plural without the language's
    number of forms, a Plural-Forms header not the language's."""
    found = []
    expected = get_plural(str(catalog.locale))
    if catalog.num_plurals != expected.num_plurals or catalog.plural_expr != expected.plural_expr:
        found.append(f"Plural-Forms is {catalog.plural_forms!r}, expected {expected.plural_forms!r}")
    singular = singular_forms(str(catalog.locale))
    for message in base:
        if not message.id:
            continue
        key = message.context
        mine = catalog.get(message.id, context=key)
        if mine is None or not mine.string or (isinstance(mine.string, tuple) and not all(mine.string)):
            found.append(f"{key}: no translation")
            continue
        if mine.fuzzy:
            found.append(f"{key}: fuzzy (the English changed)")
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = mine.string if isinstance(mine.string, tuple) else (mine.string,)
        if isinstance(message.id, tuple) and len(forms) != expected.num_plurals:
            found.append(f"{key}: {len(forms)} plural forms, the language has {expected.num_plurals}")
        names = set().union(*(placeholders(text) for text in english))
        for index, form in enumerate(forms):
            mayomit = {COUNT} if isinstance(message.id, tuple) and index in singular else set()
            if not names - mayomit <= placeholders(form) <= names:
                found.append(f"{key}: placeholders {sorted(placeholders(form))}, the English has {sorted(names)}")
    return found


COUNT = "n"
"""The count's placeholder in a plural text (``say_n(key, n, n=n)``, ``tn(id, n)``)."""


def singular_forms(lang: str) -> set[int]:
    """The plural forms of ``lang``'s catalogue said for the category "one" alone, which may leave
    the count out ("une ligne", gettext's own convention: "one row" needs no 1); a form another
    category shares (Chinese's only form) says the count."""
    index = plural_index(lang)
    one = index["one"]
    return {one} if all(form != one for category, form in index.items() if category != "one") else set()


def plural_index(lang: str) -> dict[str, int]:
    """Which of the catalogue's plural forms each CLDR category (Intl.PluralRules) takes: read off
    the catalogue's own Plural-Forms and Unicode's rules, counted over many numbers."""
    import gettext

    rule = gettext.c2py(get_plural(lang).plural_expr)
    cldr = Locale.parse(lang).plural_form
    index: dict[str, int] = {}
    for n in [*range(0, 2001), 10_000, 100_000, 1_000_000, 2_000_000, 10_000_000]:
        index.setdefault(cldr(n), rule(n))
    return {category: index.get(category, index.get("other", 0)) for category in CATEGORIES}


def compiled(lang: str, catalog: Catalog | None = None) -> dict:
    """A language's catalogue, the one file a page in that language fetches: the JSON the page's
    lookup reads and hands to its Pythons (pynn.page.text.use). Its translated messages by id (a
    plural as its list of forms), which form each plural category (Intl.PluralRules) takes and
    gettext's plural expression (for Python), the number symbols, the text's direction. One file for
    both, each text once: the page's texts and Python's share their words and their ids' parts, and
    gzip finds them once. ``catalog``: the catalogue itself (the pseudo-language's, in ``lang``'s
    rules), else locale/<lang>'s."""
    catalog = catalog if catalog is not None else read(catalogue_path(lang), lang)
    locale = Locale.parse(lang)
    messages_by_id: dict[str, str | list[str]] = {}
    for message in catalog:
        if message.id and message.context and message.string and not message.fuzzy:
            messages_by_id[message.context] = list(message.string) if isinstance(message.string, tuple) else message.string
    return {
        "lang": lang,
        "dir": locale.text_direction,
        "plural": plural_index(lang),
        "plural_expr": get_plural(lang).plural_expr,
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
        "messages": dict(sorted(messages_by_id.items())),
    }


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extract":
        write(template(), TEMPLATE)
        print(f"wrote {TEMPLATE.relative_to(ROOT)}")
        return 0
    if command == "update":
        base = read(TEMPLATE)
        for lang in languages():
            write(update(lang, base), catalogue_path(lang))
            print(f"updated {catalogue_path(lang).relative_to(ROOT)}")
        return 0
    if command == "check":
        base, status = read(TEMPLATE), 0
        for lang in languages():
            found = problems(read(catalogue_path(lang), lang), base)
            print(f"{lang}: {len(found)} problem(s)" + "".join(f"\n  {line}" for line in found[:50]))
            status |= bool(found)
        return status
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""The tests' pseudo-language for the page's Python: tools/i18n.py's catalogue (every registered
text accented, longer, in brackets; placeholders kept), compiled as build.py compiles a language's
and put in use with pynn.page.text.use, as the page's Python uses a language's catalogue."""
from __future__ import annotations

import importlib.util
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from pynn.page import text

SPEC = importlib.util.spec_from_file_location("pynn_i18n_tools_pseudo", Path(__file__).resolve().parents[1] / "tools" / "i18n.py")
i18n = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(i18n)


def said(key: str, **params: Any) -> str:
    """The text ``key`` as the pseudo-language says it, its placeholders filled from ``params``."""
    return i18n.pseudo_text(text.ENGLISH[key]).format(**params)


@contextmanager
def pseudo_language() -> Iterator[Callable[..., str]]:
    """The pseudo-language in use for the ``with`` block (English again after it); yields ``said``."""
    text.use({**i18n.compiled("en", i18n.pseudo(i18n.messages())), "lang": "en-XA"})
    try:
        yield said
    finally:
        text.use(None)

"""pynn.page.jsonfile: a JSON file is measured before it is parsed — its size, then how deep it
nests, by a loop over its brackets (never recursion) — and refused with a message that says which
limit it passed."""
from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given, strategies as st

from pseudo import pseudo_language
from pynn.page import jsonfile, text
from pynn.page.settings import JSON_MAX_DEPTH


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_the_deepest_file_allowed_is_read_and_one_level_more_is_refused():
    assert jsonfile.loads(nested(JSON_MAX_DEPTH), "this file") is not None
    with pytest.raises(ValueError, match=f"more than {JSON_MAX_DEPTH} levels deep"):
        jsonfile.loads(nested(JSON_MAX_DEPTH + 1), "this file")


@pytest.mark.parametrize("depth", [5_000, 100_000, 1_000_000])
def test_a_very_deep_file_is_refused_without_recursing(depth):
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(60)  # a scan that recursed per level would fail here, not refuse
    try:
        assert jsonfile.depth_over("{\"a\": " * depth)
        assert jsonfile.depth_over(nested(depth))
    finally:
        sys.setrecursionlimit(limit)
    with pytest.raises(ValueError) as caught:
        jsonfile.loads(nested(depth), "this hand-in")
    assert str(caught.value) == ("this hand-in nests its lists and objects more than 64 levels deep; a pynn file nests "
                                 "a few levels, so it is not read")


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"code": "[" * 500 + "{" * 500 + '\\" [[[ "', "x": [[1]]})
    assert not jsonfile.depth_over(text)
    assert jsonfile.loads(text, "this file")["x"] == [[1]]


def test_an_escaped_quote_does_not_end_a_string():
    text = '["a\\"[[[[", 1]'
    assert not jsonfile.depth_over(text, limit=1)
    assert jsonfile.depth_over('[["a\\"", 1]]', limit=1)


def test_the_size_is_measured_in_utf8_bytes_and_its_limit_named():
    text = json.dumps("é" * 60, ensure_ascii=False)  # 120 bytes of letters + 2 quotes
    assert jsonfile.size(text) == 122
    with pytest.raises(ValueError) as caught:
        jsonfile.loads(text, "this model file", max_bytes=121)
    assert str(caught.value) == "this model file is 122 bytes; the limit is 121 bytes"


def test_what_is_not_json_or_not_text_says_so():
    with pytest.raises(ValueError, match=r"this file is not JSON \(Expecting value at line 1, column 1\)"):
        jsonfile.loads("nope", "this file")
    with pytest.raises(ValueError, match="this file must be text, not bytes"):
        jsonfile.loads(b"[]", "this file")


JSON = st.recursive(st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=20)


def depth_of(value) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(item) for item in value.values()), default=0)
    return 0


@given(JSON)
def test_the_scan_measures_the_depth_the_parser_would_reach(value):
    text = json.dumps(value)
    depth = depth_of(value)
    assert not jsonfile.depth_over(text, limit=depth)
    assert jsonfile.depth_over(text, limit=depth - 1) == (depth > 0)


def test_an_unterminated_string_says_at_once() -> None:
    """json's own message ends with "at"; the sentence says it once (issue 35)."""
    with pytest.raises(ValueError, match=r"\(Unterminated string starting at line 1, column 7\)$"):
        jsonfile.loads('{"a": "open', "this file")


@pytest.mark.parametrize(("broken", "reason"), [
    ('"abc', "Unterminated string starting at line 1, column 1"),
    ('["a\x01"]', "Invalid control character at line 1, column 4"),
    ('["\\q"]', "Invalid \\escape at line 1, column 3"),
    ('["\\u12"]', "Invalid \\uXXXX escape at line 1, column 4"),
    ("[1 2]", "Expecting ',' delimiter at line 1, column 4"),
    ('{"a" 1}', "Expecting ':' delimiter at line 1, column 6"),
    ("{1: 2}", "Expecting property name enclosed in double quotes at line 1, column 2"),
    ("1 2", "Extra data at line 1, column 3"),
    ("[", "Expecting value at line 1, column 2"),
])
def test_why_json_refused_a_file_is_said_by_the_id_of_its_msg(broken, reason):
    """Each of json's reasons is a text of the page's (said in its language), chosen by the error's
    ``msg`` field whole: the English the user reads is json's own, its "at" said once."""
    with pytest.raises(ValueError) as caught:
        jsonfile.loads(broken, "this file")
    assert str(caught.value) == f"this file is not JSON ({reason})"
    assert all(key in text.ENGLISH for key in jsonfile.REASONS.values())


def test_a_reason_json_did_not_have_is_a_syntax_error():
    error = json.JSONDecodeError("Some new complaint", "[", 0)
    assert jsonfile.reason(error) == "jsonfile.reason.other"


def test_a_catalogue_says_the_reason_in_its_language():
    """The reason is chosen by json's msg, then said by id: in the tests' pseudo-language the whole
    refusal is that language's."""
    with pseudo_language() as said, pytest.raises(ValueError) as caught:
        jsonfile.loads("[1 2]", "x")
    assert str(caught.value) == said("jsonfile.not-json", what="x", error=said("jsonfile.reason.comma"), line=1, column=4)

"""pynn.page.codeflags: the static look at a student's code — what reaches outside the exercise is
named by its code, plain exercise code by none, and a source nested too deeply to parse safely is
flagged "unreadable" without being parsed."""
from __future__ import annotations

import ast
import sys

import pytest

from pynn.page import codeflags
from pynn.page.exercises import SOLUTIONS
from pynn.page.settings import CODE_FLAGS


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_pynns_own_solutions_raise_no_flag(name):
    assert codeflags.flags(SOLUTIONS[name]) == []


@pytest.mark.parametrize(("source", "expected"), [
    ("import numpy as np\nimport numpy.linalg\nfrom numpy import maximum\nimport math\nfrom __future__ import annotations\n", []),
    ("from pynn.page import exercises\n", ["imports-pynn"]),
    ("import pynn.model as m\n", ["imports-pynn"]),
    ("import js\n", ["imports-js"]),
    ("from pyodide.ffi import create_proxy\n", ["imports-pyodide"]),
    ("import sys\n", ["imports-sys"]),
    ("import numpy as np\nx = np.sys\n", ["imports-sys"]),
    ("import gc\ngc.get_objects()\n", ["imports-gc"]),
    ("import importlib\n", ["imports-importlib"]),
    ("import builtins\n", ["imports-builtins"]),
    ("import os\n", ["imports-other"]),
    ("import json\njson.loads('[' * 100000)\n", ["imports-other"]),
    ("from . import x\n", ["imports-other"]),
    ("eval('1')\n", ["eval"]),
    ("exec('x = 1')\n", ["eval"]),
    ("compile('1', 'x', 'eval')\n", ["eval"]),
    ("f = (lambda: 0).__globals__\n", ["dunder"]),
    ("__import__('js')\n", ["dunder"]),
    ("object.__setattr__(a, 'checks', ())\n", ["dunder"]),
    ("class Liar(np.ndarray):\n    def __array_function__(self, *a):\n        return True\n", ["dunder"]),
    ("if __name__ == '__main__':\n    pass\n", []),
    ("getattr(np, 'x')\n", ["reflection"]),
    ("globals()['relu'] = None\n", ["reflection"]),
    ("import numpy as np\nnp.allclose = lambda *a, **k: True\n", ["patches-module"]),
    ("import numpy as np\nnp.random.default_rng = None\n", ["patches-module"]),
    ("import math\ndel math.pi\n", ["patches-module"]),
    ("import numpy as np\nx = np.zeros(3)\nx.shape = (3, 1)\n", []),  # an array's attribute is the student's own
    ("# import js\ns = 'import sys; eval(1)'\n", []),  # comments and text are not code
    ("def relu(s:\n", []),  # does not compile: runs nowhere
])
def test_each_reach_outside_has_its_code(source, expected):
    assert codeflags.flags(source) == expected


def test_several_flags_come_in_the_tables_order():
    source = "import js\nfrom pynn import model\nx = (lambda: 0).__globals__\nimport os\n"
    assert codeflags.flags(source) == ["imports-pynn", "imports-js", "imports-other", "dunder"]
    assert list(CODE_FLAGS)[:2] == ["imports-pynn", "imports-js"]


def test_every_code_a_look_can_give_has_a_reason_in_the_table():
    seen = {f"imports-{module}" for module in codeflags.WATCHED_MODULES}
    seen |= {"imports-other", "eval", "dunder", "reflection", "patches-module", "unreadable"}
    assert seen == set(CODE_FLAGS)
    assert all(reason and reason[0].islower() for reason in CODE_FLAGS.values())


@pytest.mark.parametrize("source", [
    "x = " + "-" * 20_000 + "1\n",
    "x = " + "not " * 5_000 + "1\n",
    "x = " + "lambda: " * 3_000 + "1\n",
    "x = " + "1 if 1 else " * 3_000 + "1\n",
    "x = " + "(" * 199 + "1" + ")" * 199 + "\n",
    "x = " + "(lambda: " * 100 + "-" * 400 + "1" + ")" * 100 + "\n",
    "".join(" " * i + "if x:\n" for i in range(50)) + " " * 50 + "pass\n",
])
def test_a_source_too_deep_to_parse_safely_is_unreadable_and_not_parsed(source, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(ast, "parse", never)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(80)  # the weighing is a loop: it needs no depth of its own
    try:
        assert codeflags.flags(source) == ["unreadable"]
    finally:
        sys.setrecursionlimit(limit)


def test_long_but_flat_code_is_read():
    data = "[" + ", ".join(f"-{i}.5" for i in range(3_000)) + "]"
    source = f"import numpy as np\nTABLE = np.array([{data}, {data}])\nx = " + " - ".join(["1"] * 300) + "\n"
    assert codeflags.flags(source) == []
    assert codeflags.flags(source + "import js\n") == ["imports-js"]


def test_code_that_is_not_text_is_refused():
    with pytest.raises(ValueError, match="the code must be text, not bytes"):
        codeflags.flags(b"import js")

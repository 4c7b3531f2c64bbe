"""The judging side (pynn.page.judge, pynn.page.derive, pynn.page.wire): every verdict computed from
the sandbox's outputs alone, on inputs drawn afresh for each check; every malformed answer refused
with its message, and any answer at all either read as data or refused — never an exception; and
code that attacks the checker where it runs changes nothing where the verdict is made."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from attacks import LIAR, PATCHES
from judged import check, through_json
from pynn import model
from pynn.model import PARAMETERS
from pynn.page import derive, judge, running, wire
from pynn.page.exercises import ORDER, SOLUTIONS
from pynn.page.exercises.kit import net_of

ROOT = Path(__file__).resolve().parent.parent
STATUSES = {"pass", "fail", "error", "timeout", "crashed", "invalid"}


# -- pynn's own answers, as data: no student code in them ----------------------------------------------


def reference(name: str) -> Callable[..., Any]:
    """pynn's own function for exercise ``name`` (its solution, with pynn's earlier ones): what a
    right answer computes, run here only to write that answer as data."""
    return running.load(name, SOLUTIONS[name], running.helpers(name))


def _forward(W0, b0, W1, b1, X):
    return tuple(net_of([W0, b0, W1, b1]).forward_pass(X))


def _loss(s1, Yoh):
    return model.TwoLayerNet(1, 1, 2).loss_of(model.Forward(s1, s1, s1, s1), Yoh.argmax(axis=0))


def _gradients(W0, b0, W1, b1, X, Yoh):
    net = net_of([W0, b0, W1, b1])
    return net.backward_pass(X, net.forward_pass(X), Yoh)


def _sgd_step(params, x, yoh, lr):
    net = net_of([params[name] for name in PARAMETERS])
    net.step(x, yoh, lr, 0.0)
    return {name: getattr(net, name) for name in PARAMETERS}


def answer_of(plan: dict[str, Any], function: Callable[..., Any]) -> dict[str, Any]:
    """The sandbox's answer to ``plan`` had it run ``function`` (trusted: pynn's), as plain JSON."""
    outputs = []
    for call in through_json(plan)["calls"]:
        args = [wire.read(arg) for arg in call["args"]]
        value = function(*args)
        outputs.append(wire.encode(args[0] if call["give"] == "argument" else value))
    return through_json({"error": None, "outputs": outputs})


def verdict(name: str, function: Callable[..., Any], source: str = "") -> dict[str, Any]:
    plan = judge.plan(name, source)
    return judge.judge(name, source, plan["seed"], answer_of(plan, function))


def numbers_off(value: Any) -> Any:
    """``value`` with 0.25 added to its numbers (each array of a dict or a tuple too)."""
    if isinstance(value, dict):
        return {key: numbers_off(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(numbers_off(item) for item in value)
    return value + 0.25


@pytest.mark.parametrize("name", ORDER)
def test_every_exercises_verdict_comes_from_its_outputs_alone(name):
    """pynn's own answer, handed in as data, passes every check; the same answer with its numbers
    moved fails, with a named mistake — nothing but the numbers decides."""
    right = reference(name)
    result = verdict(name, right)
    assert result["status"] == "pass", result
    assert result["passed"] == result["total"] >= 1
    wrong = verdict(name, lambda *args: numbers_off(right(*args)))
    assert wrong["status"] == "fail", wrong
    assert any(line.get("mistake") for line in wrong["checks"] if not line["passed"])


# A named mistake of each exercise, written with pynn's maths: (exercise, outputs, its identifier).
NAMED = [
    ("relu", lambda s: np.abs(s), "absolute-value"),
    ("softmax", lambda s: np.exp(s - s.max(axis=1, keepdims=True)) / np.exp(s - s.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
     "rows-not-columns"),
    ("forward", lambda W0, b0, W1, b1, X: (W0 @ X, *_forward(W0, 0 * b0, W1, b1, X)[1:]), "s0-no-bias"),
    ("loss", lambda s1, Yoh: _loss(s1, Yoh) / s1.shape[1], "mean-not-sum"),
    ("gradients", lambda *args: {**_gradients(*args), "W1": _gradients(*args)["W1"].T}, "W1-transposed"),
    ("sgd_step", lambda params, x, yoh, lr: {name: 2 * params[name] - value for name, value in _sgd_step(params, x, yoh, lr).items()},
     "uphill"),
]


@pytest.mark.parametrize(("name", "function", "mistake"), NAMED, ids=[item[0] for item in NAMED])
def test_every_exercises_named_mistake_comes_from_its_outputs_alone(name, function, mistake):
    result = verdict(name, function)
    assert result["status"] == "fail"
    assert mistake in [line.get("mistake") for line in result["checks"]], result["checks"]


def test_the_inputs_are_drawn_afresh_for_every_check_and_a_stored_answer_fails_the_next():
    first, second = judge.plan("relu", ""), judge.plan("relu", "")
    assert first["seed"] != second["seed"]
    assert first["calls"][0]["args"][0]["data"].tolist() != second["calls"][0]["args"][0]["data"].tolist()
    stored = answer_of(first, reference("relu"))
    assert judge.judge("relu", "", first["seed"], stored)["status"] == "pass"
    replayed = judge.judge("relu", "", second["seed"], stored)
    assert replayed["status"] == "fail"


@pytest.mark.parametrize("step", derive.ORDER)
def test_every_derivation_steps_verdict_comes_from_its_values_alone(step):
    """The true derivative as the sandbox's values passes; each of the step's named wrong answers,
    given as values, fails with its identifier."""
    found = next(each for each in derive.STEPS if each.name == step)
    planned = derive.plan(step, found.answer)
    cases = [derive.make_case(planned["seed"] * derive.NETS + k) for k in range(derive.NETS)]

    def values(of: Callable[[derive.Case], np.ndarray]) -> dict[str, Any]:
        per = len(planned["runs"]) // derive.NETS
        outputs = [wire.array(np.asarray(of(case), dtype=np.float64)) for case in cases for _ in range(per)]
        return through_json({"error": None, "outputs": outputs})

    right = derive.judge(step, found.answer, planned["seed"], values(lambda case: case.answers[step]))
    assert right["status"] == "pass", right
    for wrong in found.wrong:
        result = derive.judge(step, found.answer, planned["seed"],
                              values(lambda case: eval(wrong.value, {"np": np}, dict(case.values))))
        assert (result["status"], result["mistake"]) == ("fail", wrong.mistake), result


# -- every refusal of a malformed answer, with its message ----------------------------------------------


def relu_answer(change: Callable[[dict[str, Any]], Any]) -> tuple[dict[str, Any], Any]:
    """A plan for relu and a right answer to it, changed by ``change`` (which returns the answer to send)."""
    plan = judge.plan("relu", "")
    answer = answer_of(plan, reference("relu"))
    return plan, change(answer)


def first_output(answer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    answer["outputs"][0] = {**answer["outputs"][0], **fields}
    return answer


REFUSED = [
    (lambda a: [], "the answer must be an object, not a list"),
    (lambda a: {"outputs": a["outputs"]}, "the answer has no 'error'"),
    (lambda a: {**a, "outputs": "x"}, "the answer's outputs must be a list, not text"),
    (lambda a: {**a, "outputs": a["outputs"][:-1]}, "the answer holds 6 outputs for 7 calls"),
    (lambda a: {**a, "error": {"message": "SyntaxError"}}, "an answer with an error has no outputs"),
    (lambda a: {"error": {"message": 3}, "outputs": []}, "the answer's error.message must be text, not a whole number"),
    (lambda a: {"error": {"message": "x", "line": "3"}, "outputs": []}, "the answer's error.line must be a whole number, not text"),
    (lambda a: first_output(a, kind="verdict"),
     "output 0.kind must be one of array, number, none, dict, tuple, list, other, raised, not 'verdict'"),
    (lambda a: first_output(a, kind=["array"]), "output 0.kind must be one of array, number, none, dict, tuple, list, other, raised, not a list"),
    (lambda a: first_output(a, shape="3x5"), "output 0.shape must be a list, not text"),
    (lambda a: first_output(a, shape=[3, -5]), "output 0.shape[1] must be from 0 to 2,147,483,648, not -5"),
    (lambda a: first_output(a, shape=[3, True]), "output 0.shape[1] must be a whole number, not true/false"),
    (lambda a: first_output(a, shape=[1] * 9), "output 0.shape has 9 dimensions; at most 8"),
    (lambda a: first_output(a, dtype="<f8"), "output 0.dtype is not a dtype's name"),
    (lambda a: first_output(a, dtype=64), "output 0.dtype must be text, not a whole number"),
    (lambda a: first_output(a, data=None), "output 0 holds real numbers but came without them"),
    (lambda a: first_output(a, data=[1.0] * 14), "output 0.data holds 14 numbers, not 15"),
    (lambda a: first_output(a, data=[True] * 15), "output 0.data[0] must be a number, not true/false"),
    (lambda a: first_output(a, data="1,2,3"), "output 0.data must be a list of numbers, not text"),
    (lambda a: first_output(a, dtype="bool"), "output 0 must come without numbers (dtype bool, 15 elements)"),
    (lambda a: first_output(a, kind="number", value="0.5"), "output 0.value must be a number, not text"),
    (lambda a: first_output(a, kind="other", type="x" * 101), "output 0.type is 101 characters; at most 100"),
    (lambda a: first_output(a, kind="raised", type="ValueError", message="m" * 4_001),
     "output 0.message is 4,001 characters; at most 4,000"),
    (lambda a: first_output(a, kind="dict", items=[1]), "output 0.items must be an object, not a list"),
    (lambda a: first_output(a, kind="dict", items={"W0": {"kind": "dict", "items": {}}}),
     "output 0.items['W0'].kind must be one of array, number, none, other, not 'dict'"),
    (lambda a: first_output(a, kind="tuple", items=[{"kind": "none"}] * 17), "output 0.items has 17 items; at most 16"),
    (lambda a: first_output(a, kind="tuple", items=[{"kind": "raised", "type": "E", "message": ""}]),
     "output 0.items[0].kind must be one of array, number, none, other, not 'raised'"),
]


@pytest.mark.parametrize(("change", "message"), REFUSED, ids=[item[1][:50] for item in REFUSED])
def test_a_malformed_answer_is_refused_with_its_message_and_the_cell_is_invalid(change, message):
    plan, answer = relu_answer(change)
    result = judge.judge("relu", "", plan["seed"], answer)
    assert result["status"] == "invalid"
    assert result["error"] == {"message": f"the sandbox's answer was not usable: {message}", "line": None}
    assert result["checks"] == [] and result["passed"] == 0


@pytest.mark.parametrize(("failure", "status", "words"), [
    ({"failure": "timeout"}, "timeout", "stopped after 5 s — is there an endless loop"),
    ({"failure": "crashed", "message": "Maximum call stack size exceeded"}, "crashed", "crashed while running this code"),
    ({"failure": "refused", "message": "the sandbox's answer was refused: the message is not plain data"}, "invalid",
     "refused: the message is not plain data"),
    ({"failure": "stopped", "message": "the sandbox could not start"}, "error", "the sandbox could not start (the sandbox for your code)"),
    ({"failure": "error", "message": "RangeError"}, "error", "could not run in the sandbox: RangeError"),
    ({"failure": "bribe"}, "invalid", "unknown failure 'bribe'"),
])
def test_what_the_page_says_instead_of_an_answer_has_its_status(failure, status, words):
    plan = judge.plan("softmax", "import js")
    result = judge.judge("softmax", "import js", plan["seed"], failure)
    assert result["status"] == status and words in result["error"]["message"]
    assert result["flags"] == ["imports-js"]  # the static look does not need the run
    step = derive.plan("W1", "g1 @ h0.T")
    assert derive.judge("W1", "g1 @ h0.T", step["seed"], failure)["status"] == status


def test_fields_a_forged_answer_adds_are_not_read():
    """A rewritten postMessage may add a verdict to the answer: only the outputs are read."""
    plan = judge.plan("relu", "")
    forged = {**answer_of(plan, np.abs), "status": "pass", "passed": 4, "mistake": ["x"],
              "checks": [{"name": "shape", "passed": True, "message": "ok"}]}
    result = judge.judge("relu", "", plan["seed"], forged)
    assert result["status"] == "fail" and result["passed"] < result["total"]
    assert "absolute-value" in [line.get("mistake") for line in result["checks"]]


def test_the_code_that_did_not_load_or_raised_is_an_error_with_its_line():
    plan = judge.plan("relu", "")
    loaded = judge.judge("relu", "", plan["seed"], {"error": {"message": "SyntaxError: invalid syntax", "line": 2}, "outputs": []})
    assert (loaded["status"], loaded["error"]) == ("error", {"message": "SyntaxError: invalid syntax", "line": 2})
    answer = answer_of(plan, reference("relu"))
    answer["outputs"][0] = {"kind": "raised", "type": "ZeroDivisionError", "message": "division by zero", "line": 4}
    raised = judge.judge("relu", "", plan["seed"], answer)
    assert (raised["status"], raised["error"]) == ("error", {"message": "ZeroDivisionError: division by zero", "line": 4})


def test_a_request_the_page_never_makes_is_refused():
    with pytest.raises(ValueError, match="seed must be a whole number"):
        judge.judge("relu", "", -1, {})
    with pytest.raises(ValueError, match="the code is 20,001 characters; the page's limit is 20,000"):
        judge.plan("relu", "x" * 20_001)
    with pytest.raises(ValueError, match="unknown exercise"):
        judge.plan("backprop", "")


# -- what runs in the sandbox: only data comes out ------------------------------------------------------

def test_an_ndarray_subclass_is_sent_as_the_numbers_it_holds():
    plan = through_json(judge.plan("relu", LIAR))
    answer = running.run_exercise("relu", LIAR, plan["calls"])
    result = judge.judge("relu", LIAR, plan["seed"], through_json(answer))
    assert result["status"] == "fail"
    assert "absolute-value" in [line.get("mistake") for line in result["checks"]]
    assert result["flags"] == ["dunder"]


SANDBOX = """
import json, sys
from pynn.page import running
request = json.load(sys.stdin)
answer = running.run_exercise(request["name"], request["source"], request["calls"])
print(json.dumps(answer, default=lambda array: array.tolist()))
"""


def in_another_python(name: str, source: str, calls: list[Any]) -> dict[str, Any]:
    """run_exercise in a Python of its own, as the sandbox's worker runs it: what the code patches
    there stays there."""
    ran = subprocess.run([sys.executable, "-c", SANDBOX], input=json.dumps({"name": name, "source": source, "calls": calls}),
                         capture_output=True, text=True, timeout=120, cwd=ROOT, check=True)
    return json.loads(ran.stdout)


def test_code_that_patches_the_checker_where_it_runs_is_judged_as_the_wrong_code_it_is():
    """Issue 33's first attack: relu's module replaces every exercise's checks, the judge, the
    reader and np.allclose — in the sandbox's Python. The verdict, made elsewhere, is the wrong
    relu's, and the static look names what the code reached."""
    plan = through_json(judge.plan("relu", PATCHES))
    result = judge.judge("relu", PATCHES, plan["seed"], in_another_python("relu", PATCHES, plan["calls"]))
    assert result["status"] == "fail"
    assert "absolute-value" in [line.get("mistake") for line in result["checks"]]
    assert result["flags"] == ["imports-pynn", "dunder", "patches-module"]
    honest = "import numpy as np\n\n\ndef relu(s):\n    return np.abs(s)\n"
    plan = through_json(judge.plan("relu", honest))
    alone = judge.judge("relu", honest, plan["seed"], in_another_python("relu", honest, plan["calls"]))
    assert [(line["name"], line["passed"], line.get("mistake")) for line in alone["checks"]] == [
        (line["name"], line["passed"], line.get("mistake")) for line in result["checks"]]


def test_a_derivation_answer_reaching_pythons_machinery_is_refused_before_it_runs():
    """Issue 33: (lambda: 0).__globals__ reached __import__ and replaced the checker; such an answer
    is refused here, and never sent to run."""
    planned = derive.plan("W1", "(lambda: 0).__globals__['__builtins__']")
    assert set(planned) == {"step", "result"}
    assert (planned["result"]["status"], planned["result"]["mistake"]) == ("error", "not-allowed")


# -- any answer at all: read as data of the declared shape, or refused with a message --------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)
KEYS = st.sampled_from(["kind", "shape", "dtype", "data", "value", "items", "type", "message", "line", "W0", "b1"])
SHAPES = st.lists(st.integers(-1, 9), max_size=3)
FLAT_VALUE = st.one_of(
    st.builds(lambda shape, dtype, data: {"kind": "array", "shape": shape, "dtype": dtype, "data": data},
              SHAPES, st.sampled_from(["float64", "int64", "bool", "complex128", "x"]),
              st.none() | st.lists(st.floats() | st.integers(-10, 10), max_size=90)),
    st.builds(lambda value: {"kind": "number", "value": value}, st.floats() | st.integers(-2**70, 2**70) | st.booleans()),
    st.just({"kind": "none"}),
    st.builds(lambda name: {"kind": "other", "type": name}, st.text(max_size=5)),
    st.builds(lambda message, line: {"kind": "raised", "type": "ValueError", "message": message, "line": line},
              st.text(max_size=30), st.none() | st.integers(-2, 5)),
    st.dictionaries(KEYS, JSON, max_size=4),
)
VALUE = st.one_of(
    FLAT_VALUE,
    st.builds(lambda items: {"kind": "dict", "items": items}, st.dictionaries(st.sampled_from(PARAMETERS), FLAT_VALUE, max_size=4)),
    st.builds(lambda kind, items: {"kind": kind, "items": items}, st.sampled_from(["tuple", "list"]), st.lists(FLAT_VALUE, max_size=5)),
)
ANSWER = st.one_of(
    JSON,
    st.builds(lambda outputs: {"error": None, "outputs": outputs}, st.lists(VALUE, max_size=8)),
    st.builds(lambda error, outputs: {"error": error, "outputs": outputs}, st.dictionaries(KEYS, JSON, max_size=3), st.lists(VALUE, max_size=2)),
    st.builds(lambda failure, message: {"failure": failure, "message": message}, JSON, JSON),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=ANSWER, count=st.integers(0, 8))
def test_any_json_value_is_read_as_data_or_refused_with_a_message(answer, count):
    try:
        read = wire.read_answer(answer, count)
    except ValueError as error:
        assert str(error)
        return
    assert len(read["outputs"]) == (0 if read["error"] else count)


@st.composite
def right_but_any_numbers(draw: Callable[[Any], Any], right: dict[str, Any]) -> dict[str, Any]:
    """A right answer's shapes and kinds, its numbers any floats."""
    return {"error": None, "outputs": [any_numbers(item, draw) for item in right["outputs"]]}


def any_numbers(value: Any, draw: Callable[[Any], Any]) -> Any:
    """``value`` (wire data) with every array's numbers replaced by any floats: NaN, ±inf, huge, tiny."""
    if isinstance(value, dict) and value.get("kind") == "array" and "data" in value:
        return {**value, "data": draw(st.lists(st.floats(), min_size=len(value["data"]), max_size=len(value["data"])))}
    if isinstance(value, dict) and isinstance(value.get("items"), dict):
        return {**value, "items": {key: any_numbers(item, draw) for key, item in value["items"].items()}}
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        return {**value, "items": [any_numbers(item, draw) for item in value["items"]]}
    if isinstance(value, dict) and value.get("kind") == "number":
        return {**value, "value": draw(st.floats())}
    return value


@pytest.mark.parametrize("name", ORDER)
def test_any_json_value_as_an_exercises_answer_gets_a_verdict_never_an_exception(name):
    plan = judge.plan(name, "")
    count = len(plan["calls"])
    right = answer_of(plan, reference(name))
    near = st.builds(lambda outputs: {"error": None, "outputs": outputs}, st.lists(VALUE, min_size=count, max_size=count))
    shaped = right_but_any_numbers(right)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answer=ANSWER | near | shaped)
    def judged(answer):
        result = judge.judge(name, "", plan["seed"], answer)
        assert result["status"] in STATUSES
        json.dumps(result)

    judged()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=ANSWER | st.builds(lambda outputs: {"error": None, "outputs": outputs}, st.lists(VALUE, min_size=9, max_size=9)))
def test_any_json_value_as_a_derivation_answer_gets_a_verdict_never_an_exception(answer):
    planned = derive.plan("W1", "g1 @ h0")  # g1 and h0: each net as it is, then each transposed: 9 runs
    result = derive.judge("W1", "g1 @ h0", planned["seed"], answer)
    assert result["status"] in STATUSES
    json.dumps(result)


# -- an error's codes: what it was about, from the exception and its values, never its message ---------

RAISING = {
    ("ValueError", "arrays"): "def relu(s):\n    return s @ s\n",
    ("ValueError", "arrays", "dot"): "import numpy as np\ndef relu(s):\n    return np.dot(s, s)\n",
    ("ValueError", "arrays", "reshape"): "def relu(s):\n    return s.reshape(s.size + 1)\n",
    ("AttributeError", "none"): "def keep(s):\n    s * 1\n\ndef relu(s):\n    return keep(s).T\n",
    ("TypeError", "none"): "def keep(s):\n    s * 1\n\ndef relu(s):\n    kept = keep(s)\n    return kept - 1.0\n",
    ("ValueError", "none"): "def keep(s):\n    s * 1\n\ndef relu(s):\n    kept = keep(s)\n    return s @ kept\n",
    ("ValueError", "", "truth"): "def relu(s):\n    if s > 0:\n        return s\n    return s\n",
    ("ValueError", "", "unpack"): "def relu(s):\n    a, b = s\n    return a\n",
    ("NameError", ""): "def relu(s):\n    return t\n",
    ("ZeroDivisionError", ""): "def relu(s):\n    return 1 / 0\n",
    ("NameError", "", "module"): "t = undefined\ndef relu(s):\n    return s\n",
    ("SyntaxError", "", "compile"): "def relu(s)\n    return s\n",
}
"""Code that raises, by the (type, cause) its error is sent with (a third item names a variant)."""


@pytest.mark.parametrize("codes", list(RAISING), ids=lambda codes: "-".join(filter(None, codes)))
def test_an_error_carries_its_type_and_cause_as_codes(codes: tuple[str, ...]) -> None:
    result = check("relu", RAISING[codes], seed=3)
    assert result["status"] == "error"
    assert result["raised"] == {"type": codes[0], "cause": codes[1]}


def test_a_forged_cause_is_refused_and_a_missing_one_is_none() -> None:
    plan = judge.plan("relu", "")
    answer = answer_of(plan, reference("relu"))
    answer["outputs"][0] = {"kind": "raised", "type": "ValueError", "message": "m", "cause": "<b>shapes</b>"}
    assert judge.judge("relu", "", plan["seed"], answer)["status"] == "invalid"
    del answer["outputs"][0]["cause"]
    assert judge.judge("relu", "", plan["seed"], answer)["raised"] == {"type": "ValueError", "cause": ""}
    loaded = judge.judge("relu", "", plan["seed"], {"error": {"message": "m", "line": None, "type": 5}, "outputs": []})
    assert loaded["status"] == "invalid" and loaded["raised"] == {"type": "", "cause": ""}

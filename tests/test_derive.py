"""The derivation's steps (pynn/page/derivation/, checked by pynn/page/derive.py): the right answer passes however it is written, each
named mistake gets its message and its identifier, and the catalogue is the contract's order."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from pynn.gradcheck import numerical_gradients
from pynn.model import TwoLayerNet
from judged import check, check_step
from pynn.page import derive

CONTRACT = ["h1", "s1", "W1", "b1", "h0", "s0", "W0", "b0", "batch"]

# Each step's answer written two ways: with @ and with np.outer (or, where no product is needed,
# as the chain rule's Jacobian times the incoming gradient, with @).
RIGHT = {
    "h1": ["-yoh / h1", "-np.diag(1 / h1.ravel()) @ yoh"],
    "s1": ["h1 - yoh", "(np.diag(h1.ravel()) - h1 @ h1.T) @ dh1"],
    "W1": ["g1 @ h0.T", "np.outer(g1, h0)"],
    "b1": ["g1", "np.outer(g1, [1.0])"],
    "h0": ["W1.T @ g1", "np.outer(g1.T @ W1, [1.0])"],
    "s0": ["dh0 * (s0 > 0)", "np.diag((s0 > 0).ravel() * 1.0) @ W1.T @ g1"],
    "W0": ["g0 @ x.T", "np.outer(g0, x)"],
    "b0": ["g0", "np.outer(g0, [1.0])"],
    "batch": ["((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)",
              "((W1.T @ G1) * (S0 > 0)) @ np.ones((X.shape[1], 1))"],
}


def test_the_catalogue_lists_the_steps_in_the_contracts_order():
    assert [step["name"] for step in derive.catalogue()["steps"]] == CONTRACT
    assert list(derive.ORDER) == CONTRACT


def test_the_catalogue_is_json_with_typeset_questions_text_alternatives_and_at_most_three_hints():
    catalogue = json.loads(json.dumps(derive.catalogue()))
    assert catalogue["max_length"] == derive.MAX_LENGTH
    for step in catalogue["steps"]:
        for maths in [step["question"], *step["known"], *step["hints"]]:
            assert maths["tex"].strip() and maths["text"].strip()
            assert "\\" not in maths["text"], f"the text alternative of {step['name']} holds TeX: {maths['text']}"
        assert 1 <= len(step["hints"]) <= 3
        assert all(hint["say"].strip() for hint in step["hints"])
    shapes = {step["name"]: step["shape"] for step in catalogue["steps"]}
    assert shapes == {"h1": "C×1", "s1": "C×1", "W1": "C×H", "b1": "C×1", "h0": "H×1", "s0": "H×1",
                      "W0": "H×D", "b0": "H×1", "batch": "H×1"}


def test_each_step_offers_the_nets_quantities_and_what_the_earlier_steps_derived():
    steps = {step["name"]: step for step in derive.catalogue()["steps"]}
    base = ["x", "yoh", "s0", "h0", "s1", "h1", "W0", "b0", "W1", "b1"]
    assert steps["h1"]["names"] == base
    assert steps["W1"]["names"] == base + ["dh1", "g1"]
    assert steps["b0"]["names"] == base + ["dh1", "g1", "dW1", "db1", "dh0", "g0", "dW0"]
    assert [steps[name]["result"] for name in ("s1", "s0")] == ["g1", "g0"]
    assert steps["batch"]["names"] == ["X", "Yoh", "S0", "H0", "S1", "H1", "G1", "W0", "b0", "W1", "b1"]


@pytest.mark.parametrize("step,expression", [(step, e) for step, ways in RIGHT.items() for e in ways])
def test_the_right_answer_passes_however_it_is_written(step, expression):
    result = check_step(step, expression)
    assert result["status"] == "pass", result
    assert result["mistake"] is None
    json.dumps(result)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_right_answers_pass_on_other_random_nets(seed):
    for step, ways in RIGHT.items():
        assert check_step(step, ways[0], seed=seed)["status"] == "pass"


def test_an_answer_right_for_one_net_only_fails():
    case = derive.make_case(0)
    hard_coded = np.array2string(case.answers["b1"].ravel(), separator=",", floatmode="unique")
    result = check_step("b1", f"np.array({hard_coded}).reshape(-1, 1)")
    assert result["status"] == "fail"


def test_a_derivative_of_round_off_size_agrees_with_its_finite_differences():
    """Seed 12891999872165777 draws one unit barely on behind a nearly saturated softmax: g0's only
    nonzero entry is −6.8e-6, and the finite difference misses it by 5.8e-11 (round-off), which is
    4e-6 of its size. Found by the hypothesis test of test_judge; the case is made, not refused."""
    case = derive.make_case(12891999872165777)
    assert 0 < np.abs(case.answers["s0"]).max() < 1e-5


def test_the_true_derivatives_are_pynns_and_the_finite_differences():
    for seed in range(5):
        case = derive.make_case(seed)
        v = case.values
        D, H, C, N = (case.sizes[k] for k in "DHCN")
        assert len({D, H, C, N}) == 4 and H >= 3
        assert np.any(v["s0"] > 0) and np.any(v["s0"] < 0)
        x, y = v["x"], v["yoh"].argmax(axis=0)
        net = TwoLayerNet(D, H, C)
        net.W0, net.b0, net.W1, net.b1 = (v[name].copy() for name in ("W0", "b0", "W1", "b1"))
        numeric = numerical_gradients(net, x, y)
        for name in ("W0", "b0", "W1", "b1"):
            assert np.allclose(case.answers[name], numeric[name], rtol=1e-5, atol=1e-7)
        batch = numerical_gradients(net, v["X"], v["Yoh"].argmax(axis=0))
        assert np.allclose(case.answers["batch"], batch["b0"], rtol=1e-5, atol=1e-7)
        assert np.allclose(case.answers["s1"], v["h1"] - v["yoh"])


# (step, expression, mistake, words the message must hold)
MISTAKES = [
    ("W1", "h0 @ g1.T", "transposed", ["transposed", "denominator layout", "C×H"]),
    ("W0", "x @ g0.T", "transposed", ["transposed", "W0's shape", "H×D"]),
    ("h0", "g1.T @ W1", "transposed", ["transposed", "h0's shape", "H×1"]),
    ("W1", "g1 @ h0", "transposed", ["transpose is missing", "h0.T", "denominator layout", "C×H"]),
    ("W1", "g1 * h0", "transposed", ["transpose is missing", "h0.T"]),
    ("h0", "W1 @ g1", "transposed", ["transpose is missing", "W1.T", "H×1"]),
    ("W1", "g1.T @ h0", "shapes-do-not-fit", ["(g1 ", "h0 ", "columns of A must equal the rows of B"]),
    ("b1", "g1.sum()", "shape", ["denominator layout", "b1's shape", "C×1", "single number"]),
    ("W1", "g1 @ x.T", "shape", ["denominator layout", "C×H"]),
    ("b0", "g0.ravel()", "shape", ["denominator layout", "column", "1-D"]),
    ("s1", "yoh - h1", "sign", ["sign", "h1 − yoh", "yoh − h1"]),
    ("h1", "yoh / h1", "sign", ["sign"]),
    ("W1", "(yoh - h1) @ h0.T", "sign", ["sign", "h1 − yoh"]),
    ("s0", "dh0", "mask-missing", ["mask", "missing", "[s0 > 0]"]),
    ("W0", "(W1.T @ g1) @ x.T", "mask-missing", ["mask", "missing"]),
    ("b0", "W1.T @ g1", "mask-missing", ["mask", "missing"]),
    ("batch", "(W1.T @ G1).sum(axis=1, keepdims=True)", "mask-missing", ["mask", "missing", "[S0 > 0]"]),
    ("s0", "W1.T @ (g1 * (s1 > 0))", "mask-wrong-side", ["wrong side", "[s0 > 0]"]),
    ("h0", "(W1.T @ g1) * (s0 > 0)", "mask-wrong-side", ["side", "no mask"]),
    ("s0", "dh0 * h0", "mask-is-h0", ["mask", "not by h0"]),
    ("s0", "dh0 * (s0 < 0)", "mask-inverted", ["inverted"]),
    ("s0", "np.maximum(dh0, 0)", "relu-of-gradient", ["ReLU", "mask"]),
    ("W1", "g1 @ s0.T", "pre-activation", ["h0", "not s0"]),
    ("s1", "dh1", "softmax-skipped", ["∂L/∂h1", "softmax"]),
    ("s1", "dh1 * h1 * (1 - h1)", "softmax-diagonal", ["sigmoid", "every"]),
    ("h1", "-yoh * np.log(h1)", "loss-not-derivative", ["loss", "derivative"]),
    ("batch", "((W1.T @ G1) * (S0 > 0)).mean(axis=1, keepdims=True)", "mean-not-sum", ["mean", "sum"]),
    ("batch", "np.mean((W1.T @ G1) * (S0 > 0), axis=1, keepdims=True)", "mean-not-sum", ["mean", "sum"]),
    ("batch", "(W1.T @ G1) * (S0 > 0)", "not-summed", ["column", "H×1", "denominator layout"]),
    ("batch", "((W1.T @ G1) * (S0 > 0)).sum(axis=1)", "shape", ["keepdims", "H×1"]),
    ("W1", "g1 @ dh0.T", "not-yet-derived", ["dh0", "Not derived yet", "h0 step"]),
    ("W0", "dW0", "not-yet-derived", ["dW0", "this step's own answer"]),
    ("h1", "g1", "not-yet-derived", ["g1", "s1 step"]),
    ("h1", "h1 - yoh", "another-step", ["∂L/∂s1", "next step", "∂L/∂h1"]),
]


@pytest.mark.parametrize("step,expression,mistake,words", MISTAKES, ids=[f"{m[0]}-{m[2]}" for m in MISTAKES])
def test_each_named_mistake_gets_its_message(step, expression, mistake, words):
    result = check_step(step, expression)
    assert result["status"] == "fail", result
    assert result["mistake"] == mistake, result
    for word in words:
        assert word in result["message"], (word, result["message"])


def test_a_wrong_answer_that_is_no_known_mistake_fails_without_a_name_and_says_where():
    result = check_step("W1", "g1 @ h0.T + 1")
    assert (result["status"], result["mistake"]) == ("fail", None)
    assert re.search(r"at \[\d+, \d+\] the true value is", result["message"]), result["message"]
    assert set(result["sizes"]) == {"D", "H", "C"}


# (step, expression, mistake, words): answers that cannot be judged
ERRORS = [
    ("h1", "-yoh /", "syntax", ["Python cannot read"]),
    ("b1", "db1 = g1", "syntax", ["without a name and ="]),
    ("b1", "   ", "empty", ["expression"]),
    ("b1", "g1 + 0 * " + "g1 + " * 100 + "g1", "too-long", ["characters", str(derive.MAX_LENGTH)]),
    ("W1", "g1 @ hidden.T", "unknown-name", ["hidden", "g1", "h0"]),
    ("W1", "g1 @ H0.T", "unknown-name", ["batch", "lower case"]),
    ("batch", "G1.sum(axis=1, keepdims=True) * g1", "unknown-name", ["one example", "upper case"]),
    ("b1", "sum(g1)", "unknown-name", ["sum", "np"]),
    ("b1", "g1.T()", "raised", ["TypeError"]),
    ("b1", "'g1'", "not-a-number", ["str"]),
    ("W1", "g1 @ h0^T", "xor", ["^", "not a transpose", "h0.T"]),
]


def test_a_mean_over_one_examples_column_passes_with_a_note_the_batch_step_refuses_it():
    result = check_step("b1", "g1.mean(axis=1, keepdims=True)")
    assert result["status"] == "pass" and "the batch step takes the sum" in result["message"], result
    assert "Note" not in check_step("b1", "g1")["message"]


def test_a_true_value_of_zero_is_said_as_0_not_minus_0():
    for seed in range(4):  # the largest gap where the mask is 0: there ∂L/∂s0 is dh0 · 0, often −0.0
        result = check_step("s0", "dh0 * (s0 > 0) + (s0 <= 0)", seed)
        assert "the true value is 0, yours 1" in result["message"], result["message"]


@pytest.mark.parametrize("step,expression,mistake,words", ERRORS, ids=[f"{e[0]}-{e[2]}" for e in ERRORS])
def test_an_answer_that_cannot_be_judged_is_an_error_that_says_why(step, expression, mistake, words):
    result = check_step(step, expression)
    assert result["status"] == "error", result
    assert result["mistake"] == mistake, result
    for word in words:
        assert word in result["message"], (word, result["message"])


def test_numpys_lazy_imports_work_in_the_expressions_namespace():
    # ndarray.mean imports a module the first time; an empty __builtins__ would break it.
    assert check_step("b1", "np.mean(np.hstack([g1, g1]), axis=1, keepdims=True)")["status"] == "pass"


def test_an_expression_that_writes_into_a_quantity_does_not_change_the_truth():
    assert check_step("s1", "np.subtract(h1, yoh, out=h1)")["status"] == "pass"
    assert check_step("W1", "np.multiply(g1, 0, out=g1) @ h0.T")["status"] == "fail"
    assert check_step("W1", "g1 @ h0.T")["status"] == "pass"


def test_an_unknown_step_is_refused():
    with pytest.raises(ValueError, match="h1, s1, W1"):
        check_step("W2", "g1")


def test_the_gradients_exercise_built_from_a_derivation_passes_when_every_step_did():
    """"Use my derivation": the one-example answers, given the batch, are the gradients exercise's."""
    from pynn.page.exercises import EXERCISES

    template = EXERCISES["gradients"].from_derivation
    used = re.findall(r"«(\w+)»", template)
    assert used and set(used) <= set(derive.ORDER) and "batch" not in used
    for way in (0, 1):
        answers = {step: RIGHT[step][way] for step in used}
        if any("np.outer" in answers[step] or "np.diag" in answers[step] for step in used):
            continue  # written for one column only: the exercise's check says so
        source = re.sub(r"«(\w+)»", lambda match: answers[match.group(1)], template)
        assert check("gradients", source)["status"] == "pass", source
    wrong = re.sub(r"«(\w+)»", lambda match: "yoh - h1" if match.group(1) == "s1" else RIGHT[match.group(1)][0], template)
    assert check("gradients", wrong)["status"] == "fail"


def test_the_steps_are_content_that_imports_without_numpy_or_the_checker():
    """pynn/page/derivation/ is plain data: loaded from pynn/page/'s folder alone (as build.py loads the
    page's content, pynn's __init__ never runs), with Python's standard library alone (-I -S: no
    site-packages, so no numpy), it holds every step in ORDER; the checker (pynn.page.derive)
    imports it, never the other way."""
    import subprocess
    import sys
    from pathlib import Path

    pynn = Path(derive.__file__).parent.parent
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from page import derivation; "
             "print(','.join(step.name for step in derivation.STEPS)); print('numpy' in sys.modules)")
    ran = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(pynn)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split() == [",".join(CONTRACT), "False"]

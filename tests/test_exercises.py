"""The exercises' checks: a correct solution passes every check, each known mistake gets its own
hint, exceptions and syntax errors come back with their line, wrong return types and shapes fail."""
from __future__ import annotations

import textwrap

import numpy as np
import pytest

from pynn import model
from pynn.page import exercises
from pynn.page.exercises import ORDER, SKELETONS, SOLUTIONS, check


def code(text: str) -> str:
    return "import numpy as np\n\n" + textwrap.dedent(text)


def failed(result: dict) -> list[dict]:
    return [line for line in result["checks"] if not line["passed"]]


@pytest.mark.parametrize("name", ORDER)
def test_the_solution_passes_every_check(name):
    result = check(name, SOLUTIONS[name])
    assert result["status"] == "pass", failed(result) or result["error"]
    assert result["passed"] == result["total"] == len(exercises.EXERCISES[name].checks) >= 3
    assert all(line["message"] for line in result["checks"])


@pytest.mark.parametrize("name", ORDER)
def test_the_skeleton_fails_and_says_nothing_was_returned(name):
    result = check(name, SKELETONS[name])
    assert result["status"] == "fail"
    assert "None — did you forget the return?" in failed(result)[0]["message"]


def test_the_solutions_are_pynns_own_code():
    import inspect

    assert inspect.getsource(model.relu) in SOLUTIONS["relu"]
    assert inspect.getsource(model.softmax) in SOLUTIONS["softmax"]
    assert inspect.getsource(model.log_softmax) in SOLUTIONS["loss"]
    forward = inspect.getsource(model.TwoLayerNet._forward).replace("self.", "")
    for statement in ("s0 = W0 @ X + b0", "h0 = relu(s0)", "s1 = W1 @ h0 + b1"):
        assert statement in forward and statement in SOLUTIONS["forward"]


def test_the_solution_functions_equal_pynn_on_a_random_net():
    net, X, Yoh = exercises.random_net(3, 7, 4, 9, seed=0)
    fns = exercises.helpers("sgd_step")
    fns["sgd_step"] = exercises.load("sgd_step", SOLUTIONS["sgd_step"], dict(fns))
    weights = [getattr(net, name) for name in model.PARAMETERS]
    for got, want in zip(fns["forward"](*weights, X), net._forward(X)):
        np.testing.assert_array_equal(got, want)
    grads = fns["gradients"](*weights, X, Yoh)
    _, want = net.gradients(X, Yoh.argmax(axis=0))
    for name in model.PARAMETERS:
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-12)


# (exercise, the student's code, a phrase of the hint that mistake must get)
MISTAKES = [
    ("relu", "def relu(s):\n    return s\n", "nothing was zeroed"),
    ("relu", "def relu(s):\n    return np.abs(s)\n", "that is |s|"),
    ("relu", "def relu(s):\n    return (s > 0) * 1.0\n", "that is the mask [s > 0]"),
    ("relu", "def relu(s):\n    return np.minimum(s, 0)\n", "that is min(s, 0)"),
    ("relu", "def relu(s):\n    s[s < 0] = 0\n    return s\n", "changed its argument s in place"),
    ("relu", "def relu(s):\n    return s.tolist()\n", "yours is a list"),
    ("relu", "def relu(s):\n    return np.maximum(s, 0).ravel()\n", "must have shape (3, 5)"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)\n",
     "your rows sum to 1"),
    ("softmax", "def softmax(s):\n    e = np.exp(s)\n    return e / e.sum(axis=0)\n", "exp overflowed"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max())\n    return e / e.sum(axis=0)\n",
     "not the max of the whole matrix"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max())\n    return e / e.sum()\n", "whole matrix sums to 1"),
    ("softmax", "def softmax(s):\n    s -= s.max(axis=0)\n    e = np.exp(s)\n    return e / e.sum(axis=0)\n",
     "changed its argument s in place"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X\n    h0 = relu(s0)\n    s1 = W1 @ h0 + b1\n"
                "    return s0, h0, s1, softmax(s1)\n", "you forgot the bias: s0 = W0·X + b0"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = s0\n    s1 = W1 @ h0 + b1\n"
                "    return s0, h0, s1, softmax(s1)\n", "h0 = ReLU(s0)"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = relu(s0)\n    s1 = W1 @ s0 + b1\n"
                "    return s0, h0, s1, softmax(s1)\n", "uses h0 (after ReLU), not s0"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = relu(s0)\n    s1 = W1 @ h0 + b1\n"
                "    return s0, h0, s1, s1\n", "the probabilities, not the scores"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = X.T @ W0.T + b0.T\n    h0 = relu(s0)\n"
                "    s1 = h0 @ W1.T + b1.T\n    return s0, h0, s1, softmax(s1)\n", "did you write X.T·W.T"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    return s0, relu(s0)\n",
     "yours returned a tuple of 2"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = relu(s0)\n    s1 = W1 @ h0 + b1\n"
                "    e = np.exp(s1)\n    return s0, h0, s1, e / e.sum(axis=0)\n", "exp overflowed"),
    ("loss", "def loss(s1, Yoh):\n    h1 = np.exp(s1 - s1.max(axis=0)) / np.exp(s1 - s1.max(axis=0)).sum(axis=0)\n"
             "    return float(-(Yoh * np.log(h1)).sum() / s1.shape[1])\n", "that is the mean"),
    ("loss", "def loss(s1, Yoh):\n    ls = s1 - s1.max(axis=0) - np.log(np.exp(s1 - s1.max(axis=0)).sum(axis=0))\n"
             "    return float((Yoh * ls).sum())\n", "wrong sign"),
    ("loss", "def loss(s1, Yoh):\n    ls = s1 - s1.max(axis=0) - np.log(np.exp(s1 - s1.max(axis=0)).sum(axis=0))\n"
             "    return float(-ls.sum())\n", "only the true class counts"),
    ("loss", "def loss(s1, Yoh):\n    ls = s1 - s1.max(axis=0) - np.log(np.exp(s1 - s1.max(axis=0)).sum(axis=0))\n"
             "    return -(Yoh * ls).sum(axis=0)\n", "add up the per-example terms"),
    ("loss", "def loss(s1, Yoh):\n    h1 = np.exp(s1 - s1.max(axis=0)) / np.exp(s1 - s1.max(axis=0)).sum(axis=0)\n"
             "    return float(-(Yoh * np.log(h1)).sum())\n", "compute log-softmax directly"),
    ("loss", "def loss(s1, Yoh):\n    return 'low'\n", "yours returned a str"),
    ("loss", SOLUTIONS["loss"].replace("return float(-log_softmax", "return float(log_softmax"),
     "wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)"),
    ("loss", SOLUTIONS["loss"].replace("[y, np.arange(y.shape[0])].sum()", ".sum()"),
     "you added −log h1 of every class; only the true class counts: multiply by Yoh first"),
    ("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T'),
     "∂L/∂W1 must have W1's shape (3, 32) — denominator layout; yours is (32, 3): did you write h0·g1ᵀ instead of g1·h0ᵀ?"),
    ("gradients", SOLUTIONS["gradients"].replace('"W0": G0 @ X.T', '"W0": X @ G0.T'),
     "∂L/∂W0 must have W0's shape (32, 2) — denominator layout; yours is (2, 32): did you write X·g0ᵀ instead of g0·Xᵀ?"),
    ("gradients", SOLUTIONS["gradients"].replace('G1.sum(axis=1, keepdims=True)', 'G1.sum(axis=1)'),
     "keep it a column"),
    ("gradients", SOLUTIONS["gradients"].replace('"b1": G1.sum(axis=1, keepdims=True)', '"b1": G1'),
     "one column per example"),
    ("gradients", SOLUTIONS["gradients"].replace('"b1": G1.sum(axis=1, keepdims=True)', '"b1": G1.sum(axis=0, keepdims=True)'),
     "summed over the wrong axis"),
    ("gradients", SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", "G1 = (h1 - Yoh) / X.shape[1]"),
     "the gradient of the mean"),
    ("gradients", SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", "G1 = Yoh - h1"), "the sign is flipped"),
    ("gradients", SOLUTIONS["gradients"].replace("* np.sign(h0)", ""), "g0 needs the ReLU mask"),
    ("gradients", SOLUTIONS["gradients"].replace("* np.sign(h0)", "* h0"), "not by h0 itself"),
    ("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": G1 @ s0.T'), "uses h0 (after ReLU), not s0"),
    ("gradients", "def gradients(W0, b0, W1, b1, X, Yoh):\n    return [W0, b0, W1, b1]\n", "yours returned a list"),
    ("gradients", SOLUTIONS["gradients"].replace('"b1": G1.sum(axis=1, keepdims=True),', ''), "no key 'b1'"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr", "params[name] + lr"), "you moved uphill"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "params[name] - grads[name]"),
     "the learning rate is missing"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "lr * grads[name]"),
     "that is the step lr·∂L/∂θ"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "grads[name]"), "that is the gradient"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("return {", "new = {"), "did you forget the return?"),
]


@pytest.mark.parametrize(("name", "source", "hint"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_each_mistake_gets_its_hint(name, source, hint):
    source = source if source.startswith("import") else code(source)
    result = check(name, source)
    assert result["status"] == "fail", result
    messages = [line["message"] for line in failed(result)]
    assert any(hint in message for message in messages), messages
    assert result["passed"] < result["total"]


def test_in_place_sgd_step_is_fine():
    source = code("""
        def sgd_step(params, x, yoh, lr):
            grads = gradients(params["W0"], params["b0"], params["W1"], params["b1"], x, yoh)
            for name in params:
                params[name] -= lr * grads[name]
            return params
    """)
    assert check("sgd_step", source)["status"] == "pass"


def test_a_students_own_helpers_are_used_and_may_be_their_own():
    source = code("""
        def softmax(s):
            return np.full_like(s, 0.5)

        def forward(W0, b0, W1, b1, X):
            s0 = W0 @ X + b0
            h0 = relu(s0)
            s1 = W1 @ h0 + b1
            return s0, h0, s1, softmax(s1)
    """)
    result = check("forward", source)
    assert result["status"] == "fail"
    assert any("h1 differs" in line["message"] for line in failed(result))


def test_a_syntax_error_gives_its_message_and_line():
    result = check("relu", "import numpy as np\n\ndef relu(s)\n    return s\n")
    assert result["status"] == "error"
    assert result["error"]["line"] == 3
    assert result["error"]["message"].startswith("SyntaxError:")
    assert result["checks"] == []


def test_an_exception_gives_its_message_and_the_line_in_the_students_code():
    source = code("""
        def softmax(s):
            e = np.exp(s - s.max(axis=0))
            return e / e.sum(axis=0) @ np.ones((7, 7))
    """)
    result = check("softmax", source)
    assert result["status"] == "error"
    assert result["error"]["line"] == 6  # the return line
    assert result["error"]["message"].startswith("ValueError: matmul")


def test_an_exception_in_a_helper_of_the_student_is_reported_at_its_line():
    source = code("""
        def helper(s):
            return 1 / 0

        def relu(s):
            return helper(s)
    """)
    result = check("relu", source)
    assert result["error"] == {"message": "ZeroDivisionError: division by zero", "line": 5}


def test_an_exception_at_module_level_is_reported():
    result = check("relu", "import numpy as np\nundefined_name\n")
    assert result["status"] == "error"
    assert result["error"] == {"message": "NameError: name 'undefined_name' is not defined", "line": 2}


def test_a_missing_function_is_an_error_naming_it():
    result = check("loss", "import numpy as np\n\ndef los(s1, Yoh):\n    return 0.0\n")
    assert result["status"] == "error"
    assert "no function named loss" in result["error"]["message"]
    assert result["error"]["line"] is None


def test_a_mistake_in_one_check_still_runs_the_others():
    # exp without the max: right on small scores, wrong at ±1e4
    result = check("softmax", code("def softmax(s):\n    e = np.exp(s)\n    return e / e.sum(axis=0)\n"))
    by_name = {line["name"]: line["passed"] for line in result["checks"]}
    assert by_name == {"shape": True, "columns sum to 1": True, "values": True, "stable at ±1e4": False,
                       "input unchanged": True}


def test_the_gradient_check_shows_the_relative_error_per_parameter():
    result = check("gradients", SOLUTIONS["gradients"])
    line = next(line for line in result["checks"] if line["name"] == "gradient check")
    for name in model.PARAMETERS:
        assert f"{name} " in line["message"]
    wrong = check("gradients", SOLUTIONS["gradients"].replace('"b0": G0.sum(axis=1, keepdims=True)', '"b0": 1.01 * G0.sum(axis=1, keepdims=True)'))
    line = next(line for line in wrong["checks"] if line["name"] == "gradient check")
    assert not line["passed"] and "b0 above 1e-06" in line["message"]


def test_unknown_exercise_and_non_text_source_are_refused():
    with pytest.raises(ValueError, match="unknown exercise"):
        check("backprop", "")
    with pytest.raises(ValueError, match="must be text"):
        check("relu", 42)


def test_the_catalogue_lists_the_six_exercises_in_order():
    listed = exercises.catalogue()
    assert [entry["name"] for entry in listed] == list(ORDER)
    for entry in listed:
        assert entry["skeleton"].startswith("import numpy as np")
        assert f"def {entry['name']}(" in entry["skeleton"]
        assert entry["equations"] and entry["intro"] and entry["checks"]


def test_when_the_shapes_are_wrong_the_other_checks_wait():
    result = check("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T'))
    first, *rest = result["checks"]
    assert not first["passed"] and "did you write h0·g1ᵀ" in first["message"]
    assert rest and all(line.get("skipped") and "not run until the shapes check passes" in line["message"] for line in rest)
    assert len(result["checks"]) == result["total"]

"""Train with your code: the Session trains through the student's functions, and code that raises or
returns something wrong pauses training with its message."""
from __future__ import annotations

import re

import numpy as np
import pytest

from pynn.page import yourcode
from pynn.page.exercises import ORDER, SOLUTIONS
from pynn.page.session import Session

SETTINGS = {"dataset": "spiral", "classes": 3, "points": 150, "hidden": 32, "lr": 0.5, "batch": 1, "seed": 1}
MINE = {name: SOLUTIONS[name] for name in ("forward", "gradients")}


def session() -> Session:
    s = Session()
    s.configure(SETTINGS)
    return s


def whole(message: str) -> str:
    return f"^{re.escape(message)}$"


def test_forward_and_gradients_are_required():
    with pytest.raises(ValueError, match=whole("sources must be a dict of exercise name → code, got str")):
        yourcode.build("def forward(): pass")
    with pytest.raises(ValueError, match=whole("training with your code needs your forward and gradients: pass its checks first")):
        yourcode.build({"relu": SOLUTIONS["relu"]})
    with pytest.raises(ValueError, match=whole(f"unknown exercise 'backprop'; known: {', '.join(ORDER)}")):
        yourcode.build({**MINE, "backprop": ""})
    with pytest.raises(ValueError, match="needs your gradients"):
        yourcode.build({"forward": SOLUTIONS["forward"]})
    with pytest.raises(ValueError, match="your forward does not load: SyntaxError"):
        yourcode.build({**MINE, "forward": "def forward(:\n"})


def test_training_with_the_solutions_follows_pynn():
    pynn, mine = session(), session()
    assert mine.use_student_code(MINE)["using"] == ["forward", "gradients"]
    assert isinstance(mine.net, yourcode.StudentNet)
    a, b = pynn.run(epochs=2), mine.run(epochs=2)
    np.testing.assert_allclose(b["train_mean_loss"], a["train_mean_loss"], rtol=1e-9)
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_allclose(getattr(mine.net, name), getattr(pynn.net, name), rtol=1e-8, atol=1e-12)


def test_the_students_own_net_learns_the_spiral():
    mine = Session()
    mine.configure({**SETTINGS, "points": 300, "hidden": 64, "lr": 0.3})
    mine.use_student_code({**MINE, "sgd_step": SOLUTIONS["sgd_step"], "softmax": SOLUTIONS["softmax"]})
    result = mine.run(epochs=20)
    assert result["diverged"] is None
    assert result["train_accuracy"][-1] >= 0.9


def test_reset_keeps_training_with_your_code_and_off_returns_to_pynns():
    mine = session()
    mine.use_student_code(MINE)
    mine.reset()
    assert isinstance(mine.net, yourcode.StudentNet)
    weights = mine.net.W0.copy()
    assert mine.use_student_code({})["using"] == []
    assert type(mine.net).__name__ == "TwoLayerNet"
    np.testing.assert_array_equal(mine.net.W0, weights)


FIX = " Fix it and press Check, or turn off “Train with your code”."
# (exercise, the student's broken code, the whole message that pauses training)
BROKEN = {
    "raises": ("gradients", SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", "G1 = (h1 - Yoh) / 0 if X.size == 0 else 1 / 0"),
               "your gradients raised ZeroDivisionError: division by zero (line 8)."),
    "wrong shape": ("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T'),
                    "your gradients returned a wrong value: ∂L/∂W1 must have shape (3, 32); yours is (32, 3)."),
    "not a dict": ("gradients", "def gradients(W0, b0, W1, b1, X, Yoh):\n    return [W0, b0, W1, b1]\n",
                   'your gradients did not return a dict with keys "W0", "b0", "W1", "b1".'),
    "not a tuple": ("forward", SOLUTIONS["forward"].replace("return s0, h0, s1, softmax(s1)", "return softmax(s1)"),
                    "your forward returned a wrong value: forward must return the four values (s0, h0, s1, h1) as a "
                    "tuple; yours returned a ndarray."),
    "nan": ("forward", SOLUTIONS["forward"].replace("return s0, h0, s1, softmax(s1)",
                                                    "return s0, h0, s1, softmax(s1) * np.nan"),
            "your forward returned NaN or infinite values in h1."),
    "step not a dict": ("sgd_step", "def sgd_step(params, X, Yoh, lr):\n    return list(params.values())\n",
                        'your sgd_step did not return the params dict with keys "W0", "b0", "W1", "b1".'),
    "step shape": ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "(params[name] - lr * grads[name]).T"),
                   "your sgd_step returned a wrong value: the new W0 must have shape (32, 2); yours is (2, 32)."),
    "step complex": ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "(params[name] - lr * grads[name]) + 0j"),
                     "your sgd_step returned a wrong value: the new W0 must hold real numbers; yours has dtype complex128."),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_code_pauses_training_with_its_message(case):
    name, source, phrase = BROKEN[case]
    mine = session()
    mine.use_student_code({**MINE, name: source})
    result = mine.run(epochs=3)
    assert result["epoch"] == 0
    assert result["diverged"] == "Training paused: " + phrase + FIX
    assert mine.run(epochs=1)["epoch"] == 0, "a paused session must not train on"
    mine.use_student_code({})
    assert mine.diverged is None
    assert mine.run(epochs=1)["epoch"] == 1


def test_the_students_sgd_step_runs_for_one_example_at_a_time_only():
    raising = SOLUTIONS["sgd_step"].replace("grads = ", "1 / 0\n    grads = ")
    mine = session()
    mine.use_student_code({**MINE, "sgd_step": raising})
    assert "your sgd_step raised ZeroDivisionError" in mine.run(epochs=1)["diverged"]
    batched = Session()
    batched.configure({**SETTINGS, "batch": 10})
    batched.use_student_code({**MINE, "sgd_step": raising})
    assert batched.run(epochs=1)["diverged"] is None


# --- a student's own forward and gradients, written out here rather than taken from pynn's solutions

MY_FORWARD = """import numpy as np

def forward(W0, b0, W1, b1, X):
    s0 = W0 @ X + b0
    h0 = np.maximum(s0, 0.0)
    s1 = W1 @ h0 + b1
    e = np.exp(s1 - s1.max(axis=0))
    return s0, h0, s1, e / e.sum(axis=0)
"""
MY_GRADIENTS = """import numpy as np

def gradients(W0, b0, W1, b1, X, Yoh):
    s0, h0, s1, h1 = forward(W0, b0, W1, b1, X)
    G1 = h1 - Yoh
    G0 = (W1.T @ G1) * (s0 > 0)
    return {"W0": G0 @ X.T, "b0": G0.sum(axis=1, keepdims=True), "W1": G1 @ h0.T, "b1": G1.sum(axis=1, keepdims=True)}
"""
OWN = {"forward": MY_FORWARD, "gradients": MY_GRADIENTS}


def test_the_students_code_trains_the_same_net_and_pynns_comes_back_with_the_weights():
    mine, pynns = Session(), Session()
    for s in (mine, pynns):
        s.configure({"dataset": "moons", "classes": 2, "points": 60, "hidden": 6, "lr": 0.3, "seed": 5})
    answer = mine.use_student_code(OWN)
    assert answer["using"] == ["forward", "gradients"] and isinstance(mine.net, yourcode.StudentNet)
    assert answer["grid_class"].tolist() == pynns.grid()["grid_class"].tolist()
    mine.run(updates=7)
    pynns.run(updates=7)
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_allclose(getattr(mine.net, name), getattr(pynns.net, name), rtol=1e-10, atol=1e-12)
    trained = mine.net.W1.copy()
    back = mine.use_student_code({})
    assert back["using"] == [] and type(mine.net) is type(pynns.net)
    np.testing.assert_array_equal(mine.net.W1, trained)  # the weights stay


def test_a_students_forward_that_forgets_the_bias_trains_another_net():
    mine, pynns = Session(), Session()
    for s in (mine, pynns):
        s.configure({"dataset": "moons", "classes": 2, "points": 60, "hidden": 6, "lr": 0.3, "seed": 5})
    mine.use_student_code({**OWN, "forward": MY_FORWARD.replace("W0 @ X + b0", "W0 @ X")})
    mine.run(updates=3)
    pynns.run(updates=3)
    assert not np.allclose(mine.net.W0, pynns.net.W0)


def test_a_pause_the_students_code_caused_ends_when_the_code_changes():
    session = Session()
    session.configure({"dataset": "spiral", "classes": 3, "points": 60, "hidden": 8, "lr": 0.5, "seed": 3})
    session.diverged, session.paused_by_code = "Training paused: your forward raised", True
    session.use_student_code(OWN)
    assert session.diverged is None
    session.diverged, session.paused_by_code = "training diverged", False
    session.use_student_code({})
    assert session.diverged == "training diverged"  # a divergence is not the code's pause


def test_the_page_learns_whether_training_stopped_for_the_students_code_or_for_divergence():
    session = Session()
    session.configure({"dataset": "spiral", "classes": 3, "points": 60, "hidden": 8, "lr": 0.5, "seed": 3})
    assert session.run(updates=1)["paused_by_code"] is False and session.snapshot()["paused_by_code"] is False
    session.use_student_code({**OWN, "forward": MY_FORWARD.replace("return s0, h0, s1, e / e.sum(axis=0)", "return s0")})
    paused = session.run(updates=1)
    assert paused["diverged"].startswith("Training paused: ") and paused["paused_by_code"] is True
    assert session.snapshot()["paused_by_code"] is True

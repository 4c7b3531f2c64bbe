"""Exercise 5, the gradients: the backward pass by the chain rule, in denominator layout.

    gradients(W0, b0, W1, b1, X, Yoh)   {"W0", "b0", "W1", "b1"}: ∂L/∂θ of the summed loss, shaped like θ
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import text
from ...gradcheck import numerical_gradients, relative_error
from ...model import PARAMETERS, TwoLayerNet
from .kit import (SHAPE_SIZE, Call, Check, Exercise, Mistake, Outputs, Planned, Wrong, as_array, case, close, kind,
                  must_equal, random_batches, random_net, reference_gradients, sayer, shape_of, weights, wrong_type)

GRADCHECK_PASS = 1e-6
"""The spec's bound for gradients against central finite differences."""

WHY = {
    "W0": "W0's shape {shape} — denominator layout",
    "b0": "b0's shape {shape} — a column, like b0",
    "W1": "W1's shape {shape} — denominator layout",
    "b1": "b1's shape {shape} — a column, like b1",
}

MISTAKES = {
    "W0-transposed": "did you write X·G0ᵀ instead of G0·Xᵀ?",
    "W1-transposed": "did you write H0·G1ᵀ instead of G1·H0ᵀ?",
    "b-not-column": "keep it a column — sum over the examples with axis=1, keepdims=True",
    "b-per-example": "that is one column per example — ∂L/∂{name} sums them (axis=1)",
    "b-wrong-axis": "summed over the wrong axis — axis=1 adds up the examples",
    "mean-not-sum": ("yours are 1/N of pynn's{sizes}: that is the gradient of the mean; "
                     "the spec's L is the sum, so do not divide by N"),
    "wrong-sign": "the sign is flipped: G1 = ∂L/∂S1 = H1 − Yoh, not Yoh − H1",
    "no-relu-mask": "G0 needs the ReLU mask: G0 = (W1ᵀ·G1) ⊙ [S0 > 0]",
    "mask-by-h0": "multiply by the mask [S0 > 0] (0 or 1), not by H0 itself",
    "unit-on": "where a unit is on, the mask is 1 and G0 = W1ᵀ·G1 passes whole",
    "W1-uses-s0": "∂L/∂W1 = G1·H0ᵀ uses H0 (after ReLU), not S0",
    "gradient-check": "the relative error against central finite differences is above the spec's 1e-6",
}

TEXT = text.register({
    **{f"exercise.gradients.why.{text.name_part(name)}": why for name, why in WHY.items()},
    "exercise.gradients.why-aside": " ({why})",
    "exercise.gradients.sizes": " (N = {N})",
    "exercise.gradients.not-a-dict": 'gradients must return a dict with keys "W0", "b0", "W1", "b1"; yours returned {kind}',
    "exercise.gradients.missing-key": "the dict gradients returned has no key {key}; it needs W0, b0, W1 and b1",
    "exercise.gradients.wrong-shape": "{what} must have {why}; yours is {found}",
    "exercise.gradients.wrong-shape-known": "{what} must have {why}; yours is {found}: {hint}",
    "exercise.gradients.mean": ("∂L/∂{name} is 1/10 of pynn's on 10 examples: that is the gradient of the mean loss; "
                                "the spec's L is the sum over the examples"),
    "exercise.gradients.unit-off": ("hidden unit 0 is off (S0 < 0 for every example), yet your ∂L/∂W0 row 0 or ∂L/∂b0[0] is "
                                    "not 0: G0 = (W1ᵀ·G1) ⊙ [S0 > 0] — the ReLU mask stops the gradient at a unit that is off"),
    "exercise.gradients.unit-on": ("hidden unit 1 is on for every example, so ∂L/∂b0[1] = Σ_i (W1ᵀ·G1)[1, i]; yours differs — "
                                   "{hint}"),
    "exercise.gradients.errors": "relative error against central finite differences of the loss: {errors}; {failed} above {bound}",
    "exercise.gradients.check.shapes.passed": ("each gradient has its parameter's shape: W0 {W0}, b0 {b0}, W1 {W1}, b1 {b1}"),
    "exercise.gradients.check.values.passed": "equal pynn's on 4 random nets and batches (N = 1 and N > 1, H = 1, C = 2)",
    "exercise.gradients.check.sum-not-mean.passed": "are the gradients of the summed loss, not of the mean",
    "exercise.gradients.check.relu-mask.passed": ("the ReLU mask [S0 > 0] stops the gradient at a unit that is off and passes "
                                                  "it where the unit is on"),
    "exercise.gradients.check.gradient-check.passed": ("relative error against central finite differences of the loss: "
                                                       "{errors} (pass below {bound})"),
})
say = sayer("gradients")


def as_dict(value: Any) -> dict[str, Any]:
    """The student's gradients as a dict with every parameter's key, or a Mistake."""
    if not isinstance(value, dict):
        raise Mistake(say("not-a-dict", kind=kind(value)), wrong_type(value))
    missing = [name for name in PARAMETERS if name not in value]
    if missing:
        raise Mistake(say("missing-key", key=repr(missing[0])), "missing-key")
    return value


def shaped(grads: dict[str, Any], net: TwoLayerNet, N: int,
           what: Callable[[str], str] = "∂L/∂{}".format) -> dict[str, np.ndarray]:
    """Each value of ``grads`` as a float array of its parameter's shape, or a Mistake that names a
    transposed product or a bias that is not one column; ``what(name)`` names the value of the
    parameter ``name``. sgd_step's new parameters are checked so too."""
    arrays = {}
    for name in PARAMETERS:
        shape = getattr(net, name).shape
        value = grads[name]
        why = say("why", name, shape=str(shape))
        label = what(name)
        found = shape_of(value)
        if found not in (None, shape):
            mistake = "wrong-shape"
            if name in ("W0", "W1") and found == shape[::-1]:
                mistake = f"{name}-transposed"
            elif name.startswith("b") and found == (shape[0],):
                mistake = "b-not-column"
            elif name.startswith("b") and found == (shape[0], N):
                mistake = "b-per-example"
            elif name.startswith("b") and found in ((1, shape[0]), (N,), (1, N)):
                mistake = "b-wrong-axis"
            said = (say("wrong-shape", what=label, why=why, found=str(found)) if mistake == "wrong-shape" else
                    say("wrong-shape-known", what=label, why=why, found=str(found), hint=say("mistake", mistake, name=name)))
            raise Mistake(said, mistake)
        arrays[name] = as_array(value, label, shape, say("why-aside", why=why))
    return arrays


def wrong_answers(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> dict[str, list[Wrong]]:
    """What the common mistakes return for each gradient, with their identifiers and hints."""
    f = net.forward_pass(X)
    G1 = f.h1 - Yoh
    N = X.shape[1]
    right = reference_gradients(net, X, Yoh)
    no_mask = (net.W1.T @ G1)
    by_value = (net.W1.T @ G1) * f.h0
    answers: dict[str, list[tuple[np.ndarray, str]]] = {
        name: ([(right[name] / N, "mean-not-sum")] if N > 1 else []) + [(-right[name], "wrong-sign")]
        for name in PARAMETERS
    }
    answers["W0"] += [(no_mask @ X.T, "no-relu-mask"), (by_value @ X.T, "mask-by-h0")]
    answers["b0"] += [(no_mask.sum(axis=1, keepdims=True), "no-relu-mask"),
                      (by_value.sum(axis=1, keepdims=True), "mask-by-h0")]
    answers["W1"] += [(G1 @ f.s0.T, "W1-uses-s0")]
    return {name: [(value, mistake, say("mistake", mistake, N=N, sizes=say("sizes", N=N))) for value, mistake in wrong]
            for name, wrong in answers.items()}


Case = tuple[TwoLayerNet, np.ndarray, np.ndarray]
"""A net, a batch X (D×N) and its one-hot labels Yoh (C×N)."""


def student_gradients(value: Any, net: TwoLayerNet, X: np.ndarray) -> dict[str, np.ndarray]:
    """The student's gradients for this net and batch, checked for type, keys and shapes."""
    return shaped(as_dict(value), net, X.shape[1])


def call(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> Call:
    return Call((*weights(net), X, Yoh))


def plan_one(net: TwoLayerNet, X: np.ndarray, Yoh: np.ndarray) -> Planned:
    return Planned([call(net, X, Yoh)], (net, X, Yoh))


def plan_shapes(rng: np.random.Generator) -> Planned:
    return plan_one(*random_net(*SHAPE_SIZE, rng))


def shapes(planned: Case, out: Outputs) -> str:
    net, X, _ = planned
    student_gradients(out[0], net, X)
    D, H, C, _ = SHAPE_SIZE
    return say("check", "shapes", "passed", W0=str((H, D)), b0=str((H, 1)), W1=str((C, H)), b1=str((C, 1)))


def plan_values(rng: np.random.Generator) -> Planned:
    batches = random_batches(rng)
    return Planned([call(*batch) for batch in batches], batches)


def values(batches: list[Case], out: Outputs) -> str:
    for i, (net, X, Yoh) in enumerate(batches):
        grads = student_gradients(out[i], net, X)
        expected = reference_gradients(net, X, Yoh)
        wrong = wrong_answers(net, X, Yoh)
        for name in PARAMETERS:
            must_equal(grads[name], expected[name], f"∂L/∂{name}", wrong[name], case(net, X.shape[1]))
    return say("check", "values", "passed")


def plan_summed(rng: np.random.Generator) -> Planned:
    return plan_one(*random_net(2, 4, 3, 10, rng))


def summed(planned: Case, out: Outputs) -> str:
    net, X, Yoh = planned
    grads = student_gradients(out[0], net, X)
    expected = reference_gradients(net, X, Yoh)
    for name in PARAMETERS:
        if close(grads[name], expected[name] / 10):
            raise Mistake(say("mean", name=name), "mean-not-sum")
    return say("check", "sum-not-mean", "passed")


def plan_mask(rng: np.random.Generator) -> Planned:
    net, X, Yoh = random_net(2, 5, 3, 6, rng)
    net.b0[0, 0] = -100.0  # unit 0 is off (s0 < 0) for every example
    net.b0[1, 0] = 100.0  # unit 1 is on for every example
    return plan_one(net, X, Yoh)


def mask(planned: Case, out: Outputs) -> str:
    net, X, Yoh = planned
    grads = student_gradients(out[0], net, X)
    if np.any(grads["W0"][0] != 0) or grads["b0"][0, 0] != 0:
        raise Mistake(say("unit-off"), "no-relu-mask")
    expected = reference_gradients(net, X, Yoh)
    on, right, N = grads["b0"][1:2], expected["b0"][1:2], X.shape[1]
    # The mean (1/N of the sum) or a flipped sign leaves the mask right: "values" and "sum, not mean" say why.
    if not any(close(on, factor * right) for factor in (1.0, 1.0 / N, -1.0)):
        f = net.forward_pass(X)
        by_h0 = ((net.W1.T @ (f.h1 - Yoh)) * f.h0).sum(axis=1, keepdims=True)[1:2]
        mistake = "mask-by-h0" if close(on, by_h0) else "unit-on"
        raise Mistake(say("unit-on", hint=say("mistake", mistake)), mistake)
    return say("check", "relu-mask", "passed")


KINK = 1e-3
"""How far from the ReLU's kink every score s0 of the gradient check's net is: a finite difference
that straddles the kink would differ from any right gradient."""


def plan_gradient_check(rng: np.random.Generator) -> Planned:
    while True:
        net, X, Yoh = random_net(3, 4, 3, 5, rng)
        if np.all(np.abs(net.W0 @ X + net.b0) > KINK):
            return plan_one(net, X, Yoh)


def gradient_check(planned: Case, out: Outputs) -> str:
    net, X, Yoh = planned
    grads = student_gradients(out[0], net, X)
    numeric = numerical_gradients(net, X, Yoh.argmax(axis=0))
    errors = {name: relative_error(grads[name], numeric[name]) for name in PARAMETERS}
    shown = ", ".join(f"{name} {errors[name]:.1e}" for name in PARAMETERS)
    failed = [name for name in PARAMETERS if not errors[name] < GRADCHECK_PASS]
    bound = f"{GRADCHECK_PASS:.0e}"
    if failed:
        raise Mistake(say("errors", errors=shown, failed=", ".join(failed), bound=bound), "gradient-check")
    return say("check", "gradient-check", "passed", errors=shown, bound=bound)


SKELETON = '''import numpy as np


# forward(W0, b0, W1, b1, X) is defined for you (pynn's), as are relu and softmax.
def gradients(W0, b0, W1, b1, X, Yoh):
    """∂L/∂θ of the summed loss for θ in W0, b0, W1, b1 (denominator layout).

    X: D×N, Yoh: C×N. Returns a dict {"W0": H×D, "b0": H×1, "W1": C×H, "b1": C×1},
    each gradient shaped like its parameter.
    """
    # your code here
'''

SOLUTION = '''import numpy as np


# pynn.model.TwoLayerNet.backward_pass (with its forward pass), the weights as arguments
def gradients(W0, b0, W1, b1, X, Yoh):
    """∂L/∂θ of the summed loss, each shaped like θ (denominator layout)."""
    s0, h0, s1, h1 = forward(W0, b0, W1, b1, X)
    G1 = h1 - Yoh                         # C×N
    G0 = (W1.T @ G1) * np.sign(h0)        # H×N: the sign of h0 = ReLU(s0) is the mask [s0 > 0]
    return {
        "W0": G0 @ X.T,                   # H×D
        "b0": G0.sum(axis=1, keepdims=True),
        "W1": G1 @ h0.T,                  # C×H
        "b1": G1.sum(axis=1, keepdims=True),
    }
'''

FROM_DERIVATION = '''import numpy as np


# Built from your derivation ("Derive the gradients"): each line is the expression you derived
# for one example (x D×1), here given the whole batch (X D×N, one column per example) in its place.
# The products with h0ᵀ and xᵀ then add up the examples; the biases add up the columns.
def gradients(W0, b0, W1, b1, X, Yoh):
    s0, h0, s1, h1 = forward(W0, b0, W1, b1, X)
    x, yoh = X, Yoh
    dh1 = «h1»
    g1 = «s1»
    dW1 = «W1»
    db1 = («b1»).sum(axis=1, keepdims=True)
    dh0 = «h0»
    g0 = «s0»
    dW0 = «W0»
    db0 = («b0»).sum(axis=1, keepdims=True)
    return {"W0": dW0, "b0": db0, "W1": dW1, "b1": db1}
'''
"""The gradients from the derivation's steps (pynn.page.derive.ORDER; «step» is the expression
that passed it), each step's result under the name later steps use (pynn.page.derive: g1, g0, …)."""

EXERCISE = Exercise(
    "gradients", "The gradients",
    "The backward pass, by the chain rule, in denominator layout: each gradient has its parameter's shape. "
    "For a batch the products with matrices sum over the examples.",
    ("G1 = ∂L/∂S1 = H1 − Yoh   (C×N)",
     "∂L/∂W1 = G1·H0ᵀ   (C×H)",
     "∂L/∂b1 = Σ_i G1[:, i]   (C×1)",
     "G0 = ∂L/∂S0 = (W1ᵀ·G1) ⊙ [S0 > 0]   (H×N)",
     "∂L/∂W0 = G0·Xᵀ   (H×D)",
     "∂L/∂b0 = Σ_i G0[:, i]   (H×1)"),
    SKELETON, SOLUTION,
    (Check("shapes", plan_shapes, shapes), Check("values", plan_values, values), Check("sum, not mean", plan_summed, summed),
     Check("ReLU mask", plan_mask, mask), Check("gradient check", plan_gradient_check, gradient_check)),
    MISTAKES,
    tex=(
        r"G_1 = \frac{\partial L}{\partial S_1} = H_1 - Y_{\mathrm{oh}}\qquad (C\times N)",
        r"\frac{\partial L}{\partial W_1} = G_1 H_0^\top\qquad (C\times H)",
        r"\frac{\partial L}{\partial b_1} = \sum_i G_1[:, i]\qquad (C\times 1)",
        r"G_0 = \frac{\partial L}{\partial S_0} = (W_1^\top G_1) \odot [S_0 > 0]\qquad (H\times N)",
        r"\frac{\partial L}{\partial W_0} = G_0 X^\top\qquad (H\times D)",
        r"\frac{\partial L}{\partial b_0} = \sum_i G_0[:, i]\qquad (H\times 1)",
    ),
    from_derivation=FROM_DERIVATION,
)

"""Exercise 6, one step of SGD: one example, one step downhill on every parameter.

    sgd_step(params, x, yoh, lr)   the updated params after θ ← θ − lr · ∂L/∂θ on one example
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import text
from ...model import PARAMETERS, TwoLayerNet
from . import gradients
from .kit import (SHAPE_SIZE, Call, Check, Exercise, Mistake, Outputs, Planned, Wrong, case, close, kind, must_equal, net_of,
                  params, random_batches, random_net, reference_gradients, sayer, wrong_type)

LR = 0.3

MISTAKES = {
    "uphill": "you moved uphill: θ ← θ − lr·∂L/∂θ, with a minus",
    "no-lr": "the learning rate is missing: θ ← θ − lr·∂L/∂θ",
    "returned-step": "that is the step lr·∂L/∂θ; return the updated parameters θ − lr·∂L/∂θ",
    "returned-gradient": "that is the gradient; return the updated parameters θ − lr·∂L/∂θ",
    "unchanged": "the parameters did not change: θ ← θ − lr·∂L/∂θ",
    "not-downhill": "a small step must lower the example's loss: θ ← θ − lr·∂L/∂θ",
    **{name: gradients.MISTAKES[name] for name in ("W0-transposed", "W1-transposed", "b-not-column", "b-per-example",
                                                   "b-wrong-axis")},
}

TEXT = text.register({
    "exercise.sgd-step.new": "the new {name}",
    "exercise.sgd-step.not-a-dict": ('sgd_step must return the updated params dict (keys "W0", "b0", "W1", "b1"); yours '
                                     "returned {kind}"),
    "exercise.sgd-step.missing-key": "the dict sgd_step returned has no key {key}; it needs W0, b0, W1 and b1",
    "exercise.sgd-step.uphill": ("a small step (lr = {lr}) must lower the example's loss; it went from {before:.6g} to "
                                 "{after:.6g} — θ ← θ − lr·∂L/∂θ"),
    "exercise.sgd-step.check.shapes.passed": "returns params shaped as before: W0 {W0}, b0 {b0}, W1 {W1}, b1 {b1}",
    "exercise.sgd-step.check.values.passed": ("equals pynn's update θ − lr·∂L/∂θ (TwoLayerNet.step) on one example, 4 "
                                              "random nets and learning rates"),
    "exercise.sgd-step.check.goes-downhill.passed": "a small step lowers the example's loss ({before:.4f} → {after:.4f})",
})
say = sayer("sgd_step")


def reference(net: TwoLayerNet, x: np.ndarray, yoh: np.ndarray, lr: float) -> dict[str, np.ndarray]:
    """The params after pynn's one update rule (TwoLayerNet.step) on one example, no weight decay."""
    copy = TwoLayerNet(net.n_inputs, net.n_hidden, net.n_classes)
    for name in PARAMETERS:
        setattr(copy, name, getattr(net, name).copy())
    copy.step(x, yoh, lr, 0.0)
    return params(copy)


def wrong_answers(net: TwoLayerNet, x: np.ndarray, yoh: np.ndarray, lr: float) -> dict[str, list[Wrong]]:
    """What the common mistakes return for each new parameter, with their identifiers and hints."""
    grads = reference_gradients(net, x, yoh)
    wrong: dict[str, list[Wrong]] = {}
    for name in PARAMETERS:
        theta = getattr(net, name)
        answers = [(theta + lr * grads[name], "uphill"), (theta - grads[name], "no-lr"),
                   (lr * grads[name], "returned-step"), (grads[name], "returned-gradient"), (theta, "unchanged")]
        wrong[name] = [(value, mistake, say("mistake", mistake)) for value, mistake in answers]
    return wrong


def telling_first(new: dict[str, np.ndarray], wrong: dict[str, list[Wrong]]) -> list[str]:
    """The parameters in the order they are compared: first those where the student's value is at
    most one of the known mistakes, then the rest, each group in PARAMETERS' order. When every hidden
    unit is off for the example, ∂L/∂W0 is 0, so the step lr·∂L/∂θ and the gradient are the same
    (zero) array there, and W0 cannot tell which of the two the student returned; b1 always can."""
    def ambiguous(name: str) -> bool:
        return sum(close(new[name], np.asarray(value, dtype=np.float64)) for value, _, _ in wrong[name]) > 1
    return sorted(PARAMETERS, key=ambiguous)


def new_params(value: Any, net: TwoLayerNet) -> dict[str, np.ndarray]:
    """The student's new params as float arrays of the parameters' shapes, or a Mistake."""
    if not isinstance(value, dict):
        raise Mistake(say("not-a-dict", kind=kind(value)), wrong_type(value))
    missing = [name for name in PARAMETERS if name not in value]
    if missing:
        raise Mistake(say("missing-key", key=repr(missing[0])), "missing-key")
    return gradients.shaped(value, net, 1, what=lambda name: say("new", name=name))


Case = tuple[TwoLayerNet, np.ndarray, np.ndarray, float]
"""A net, one example x (D×1), its one-hot yoh (C×1) and the learning rate."""


def call(net: TwoLayerNet, x: np.ndarray, yoh: np.ndarray, lr: float) -> Call:
    return Call((params(net), x, yoh, lr))


def plan_shapes(rng: np.random.Generator) -> Planned:
    D, H, C, _ = SHAPE_SIZE
    net, x, yoh = random_net(D, H, C, 1, rng)
    return Planned([call(net, x, yoh, LR)], net)


def shapes(net: TwoLayerNet, out: Outputs) -> str:
    new_params(out[0], net)
    D, H, C, _ = SHAPE_SIZE
    return say("check", "shapes", "passed", W0=str((H, D)), b0=str((H, 1)), W1=str((C, H)), b1=str((C, 1)))


def plan_values(rng: np.random.Generator) -> Planned:
    cases = [(net, X[:, :1], Yoh[:, :1], lr) for (net, X, Yoh), lr in zip(random_batches(rng), (0.1, 0.5, 1.0, 0.05))]
    return Planned([call(*each) for each in cases], cases)


def values(cases: list[Case], out: Outputs) -> str:
    for i, (net, x, yoh, lr) in enumerate(cases):
        new = new_params(out[i], net)
        expected = reference(net, x, yoh, lr)
        wrong = wrong_answers(net, x, yoh, lr)
        for name in telling_first(new, wrong):
            must_equal(new[name], expected[name], say("new", name=name), wrong[name], case(net, 1, lr=lr))
    return say("check", "values", "passed")


DOWNHILL_LR = 0.01


def loss_at(net: TwoLayerNet, x: np.ndarray, yoh: np.ndarray) -> float:
    return net.loss_of(net.forward_pass(x), yoh.argmax(axis=0))


def plan_descends(rng: np.random.Generator) -> Planned:
    """A net and an example on which pynn's own small step lowers the loss measurably (a net sure
    of the example already has almost no gradient to follow)."""
    while True:
        net, x, yoh = random_net(2, 6, 3, 1, rng)
        before = loss_at(net, x, yoh)
        if before - loss_at(net_of(reference(net, x, yoh, DOWNHILL_LR).values()), x, yoh) > 1e-6 * max(1.0, before):
            return Planned([call(net, x, yoh, DOWNHILL_LR)], (net, x, yoh))


def descends(planned: tuple[TwoLayerNet, np.ndarray, np.ndarray], out: Outputs) -> str:
    net, x, yoh = planned
    before = loss_at(net, x, yoh)
    new = new_params(out[0], net)
    with np.errstate(all="ignore"):
        after = loss_at(net_of([new[name] for name in PARAMETERS]), x, yoh)
    if not after < before:
        raise Mistake(say("uphill", lr=DOWNHILL_LR, before=before, after=after), "not-downhill")
    return say("check", "goes-downhill", "passed", before=before, after=after)


SKELETON = '''import numpy as np


# gradients(W0, b0, W1, b1, X, Yoh) is defined for you (pynn's), as are forward, relu and softmax.
def sgd_step(params, x, yoh, lr):
    """One step of SGD on one example: θ ← θ − lr · ∂L/∂θ.

    params: {"W0": H×D, "b0": H×1, "W1": C×H, "b1": C×1}; x: D×1; yoh: C×1 (one-hot); lr: a float.
    Returns the updated params dict (same keys and shapes).
    """
    # your code here
'''

SOLUTION = '''import numpy as np


# pynn.model.TwoLayerNet.step on one example (B = 1), no weight decay
def sgd_step(params, x, yoh, lr):
    """θ ← θ − lr · ∂L/∂θ for θ in W0, b0, W1, b1, on the example x (D×1), yoh (C×1)."""
    grads = gradients(params["W0"], params["b0"], params["W1"], params["b1"], x, yoh)
    return {name: params[name] - lr * grads[name] for name in ("W0", "b0", "W1", "b1")}
'''

EXERCISE = Exercise(
    "sgd_step", "One step of SGD",
    "Stochastic gradient descent: one example, one step downhill on every parameter.",
    (text.Words("θ ← θ − lr·∂L/∂θ   for θ in W0, b0, W1, b1"),
     text.Words("x (D×1), yoh (C×1): one example")),
    SKELETON, SOLUTION,
    (Check("shapes", plan_shapes, shapes), Check("values", plan_values, values), Check("goes downhill", plan_descends, descends)),
    MISTAKES,
    tex=(
        r"\theta \leftarrow \theta - \mathrm{lr}\cdot\frac{\partial L}{\partial \theta}\quad\text{for } \theta \in W_0, b_0, W_1, b_1",
        r"x\ (D\times 1),\ y_{\mathrm{oh}}\ (C\times 1)\text{: one example}",
    ),
)

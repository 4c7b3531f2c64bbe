"""Train with your code: a TwoLayerNet whose forward pass, gradients and (one example at a time)
SGD step are the student's exercise functions, so pynn.train runs them and the page's plane shows
the student's own net learning.

    functions = build({"forward": source, "gradients": source})   # the sources that passed their checks
    net = StudentNet.of(TwoLayerNet(2, 32, 3, seed=1), functions)

Everything else (the data, the loss that is reported, the epochs, weight decay for batches) stays
pynn's. Each call of a student function is checked on the way out: an exception, a wrong type or
shape, or NaN where pynn's maths gives numbers raises StudentCodeError, which the Session turns
into a pause with that message.
"""
from __future__ import annotations

from functools import reduce
from typing import Any, Callable

import numpy as np

from . import exercises, running, text
from ..model import PARAMETERS, Forward, TwoLayerNet

TEXT = text.register({
    "yourcode.paused": "Training paused: {error}. Fix it and press Check, or turn off “Train with your code”.",
    "yourcode.sources": "sources must be a dict of exercise name → code, got {type}",
    "yourcode.unknown": "unknown exercise {name}; known: {known}",
    "yourcode.needs": "training with your code needs your {names}: pass its checks first",
    "yourcode.and": "{first} and {second}",
    "yourcode.does-not-load": "your {name} does not load: {error}",
    "yourcode.at-line": "{error} (line {line})",
    "yourcode.raised": "your {name} raised {error}",
    "yourcode.wrong-value": "your {name} returned a wrong value: {mistake}",
    "yourcode.not-finite": "your {name} returned NaN or infinite values in {what}",
    "yourcode.gradients-dict": 'your gradients did not return a dict with keys "W0", "b0", "W1", "b1"',
    "yourcode.sgd-step-dict": 'your sgd_step did not return the params dict with keys "W0", "b0", "W1", "b1"',
    "yourcode.new-parameter": "the new {name}",
})


REQUIRED = ("forward", "gradients")
"""The exercises that must pass before training can use the student's code (the page reads them
from pynn.page.settings.table(), which reads this line: keep it a literal). Any exercise of
pynn.page.exercises.ORDER may be given besides."""


class StudentCodeError(ValueError):
    """A student function raised or returned something that is not what the net needs."""


def paused(error: StudentCodeError) -> str:
    """The page's message for a training run that the student's code stopped (the Session marks the
    stop as the code's in ``paused_by_code``: nothing reads this text to tell)."""
    return text.say("yourcode.paused", error=str(error))


def build(sources: dict[str, str]) -> dict[str, Callable[..., Any]]:
    """The student's functions from their sources, in exercise order: each source runs with pynn's
    earlier pieces, replaced by the student's own where given (their forward calls their softmax).

    ValueError names an unknown exercise, a missing forward or gradients, or code that does not load.
    """
    if not isinstance(sources, dict):
        raise ValueError(text.say("yourcode.sources", type=type(sources).__name__))
    unknown = sorted(set(sources) - set(exercises.ORDER))
    if unknown:
        raise ValueError(text.say("yourcode.unknown", name=repr(unknown[0]), known=", ".join(exercises.ORDER)))
    missing = [name for name in REQUIRED if name not in sources]
    if missing:
        names = reduce(lambda first, second: text.say("yourcode.and", first=first, second=second), missing)
        raise ValueError(text.say("yourcode.needs", names=names))
    functions: dict[str, Callable[..., Any]] = {}
    known = running.helpers(exercises.ORDER[-1])
    known["sgd_step"] = running.load("sgd_step", exercises.SOLUTIONS["sgd_step"], dict(known))
    for name in exercises.ORDER:
        if name in sources:
            try:
                known[name] = running.load(name, sources[name], dict(known))
            except running.StudentError as error:
                raise ValueError(text.say("yourcode.does-not-load", name=name, error=error.message)) from None
            functions[name] = known[name]
    return functions


def _where(error: running.StudentError) -> str:
    return text.say("yourcode.at-line", error=error.message, line=error.line) if error.line else error.message


class StudentNet(TwoLayerNet):
    """A TwoLayerNet that trains through the student's forward, gradients and, for one example
    without weight decay, sgd_step."""

    functions: dict[str, Callable[..., Any]]

    @classmethod
    def of(cls, net: TwoLayerNet, functions: dict[str, Callable[..., Any]]) -> "StudentNet":
        """A StudentNet with ``net``'s weights (copied) and the student's ``functions``."""
        student = cls(net.n_inputs, net.n_hidden, net.n_classes)
        for name in PARAMETERS:
            setattr(student, name, getattr(net, name).copy())
        student.functions = functions
        return student

    def plain(self) -> TwoLayerNet:
        """A pynn TwoLayerNet with these weights, for training with pynn's code again."""
        net = TwoLayerNet(self.n_inputs, self.n_hidden, self.n_classes)
        for name in PARAMETERS:
            setattr(net, name, getattr(self, name).copy())
        return net

    def _run(self, name: str, *args: Any) -> Any:
        try:
            return running.call(self.functions[name], *args)
        except running.StudentError as error:
            raise StudentCodeError(text.say("yourcode.raised", name=name, error=_where(error))) from None

    def _array(self, name: str, what: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
        try:
            array = exercises.as_array(value, what, shape)
        except exercises.Mistake as mistake:
            raise StudentCodeError(text.say("yourcode.wrong-value", name=name, mistake=str(mistake))) from None
        if not np.all(np.isfinite(array)):
            raise StudentCodeError(text.say("yourcode.not-finite", name=name, what=what))
        return array

    def forward_pass(self, X: np.ndarray) -> Forward:
        result = self._run("forward", self.W0, self.b0, self.W1, self.b1, X)
        try:
            result = exercises.forward_result(result)
        except exercises.Mistake as mistake:
            raise StudentCodeError(text.say("yourcode.wrong-value", name="forward", mistake=str(mistake))) from None
        H, C, N = self.n_hidden, self.n_classes, X.shape[1]
        shapes = {"s0": (H, N), "h0": (H, N), "s1": (C, N), "h1": (C, N)}
        return Forward(*(self._array("forward", name, value, shapes[name])
                         for name, value in zip(exercises.FORWARD_NAMES, result)))

    def backward_pass(self, X: np.ndarray, f: Forward, Yoh: np.ndarray, scale: float = 1.0) -> dict[str, np.ndarray]:
        grads = self._run("gradients", self.W0, self.b0, self.W1, self.b1, X, Yoh)
        if not isinstance(grads, dict) or any(name not in grads for name in PARAMETERS):
            raise StudentCodeError(text.say("yourcode.gradients-dict"))
        return {name: self._array("gradients", f"∂L/∂{name}", grads[name], getattr(self, name).shape) * scale
                for name in PARAMETERS}

    def step(self, X: np.ndarray, Yoh: np.ndarray, lr: float, weight_decay: float) -> Forward:
        if "sgd_step" not in self.functions or X.shape[1] != 1 or weight_decay:
            return super().step(X, Yoh, lr, weight_decay)
        f = self.forward_pass(X)
        params = {name: getattr(self, name) for name in PARAMETERS}
        new = self._run("sgd_step", params, X, Yoh, lr)
        if not isinstance(new, dict) or any(name not in new for name in PARAMETERS):
            raise StudentCodeError(text.say("yourcode.sgd-step-dict"))
        for name in PARAMETERS:
            setattr(self, name, self._array("sgd_step", text.say("yourcode.new-parameter", name=name), new[name],
                                            getattr(self, name).shape))
        return f

"""Write the network yourself: six exercises, each a plain function over numpy arrays, checked
against pynn.

    relu(s)                               ReLU element by element
    softmax(s)                            column-wise softmax of C×N scores, no overflow at ±1e4
    forward(W0, b0, W1, b1, X)            (s0, h0, s1, h1)
    loss(s1, Yoh)                         the summed NLL (a float), from log-softmax
    gradients(W0, b0, W1, b1, X, Yoh)     {"W0", "b0", "W1", "b1"}: ∂L/∂θ of the summed loss, shaped like θ
    sgd_step(params, x, yoh, lr)          the updated params after one step on one example

Examples are columns: X is D×N, Yoh C×N; W0 H×D, b0 H×1, W1 C×H, b1 C×1.

This package is the exercises' content: one module per exercise (relu.py, …), each holding its
EXERCISE — title, text, equations, skeleton, solution, checks (each the inputs it runs and its
judgement of what came back: kit.py) and named mistakes — and ORDER, the one list of their names.
Their texts are said by id (pynn.page.text): this package registers what each EXERCISE declares
(``exercise.<name>.title``, ``….check.<check>``, ``….mistake.<id>``…), each module the messages
its checks say.
The engines import it, never the other way: pynn.page.judge plans and judges a check,
pynn.page.running runs the student's code in the sandbox. A seventh exercise is one module more
and one line in ORDER: the page's tabs and its table (pynn.page.settings) follow.
"""
from __future__ import annotations

import importlib

ORDER = (
    "relu",
    "softmax",
    "forward",
    "loss",
    "gradients",
    "sgd_step",
)
"""The exercises in the page's order, each the name of a module of this package. pynn.page.settings
reads this assignment from the source (the build runs without numpy): keep it a literal."""

from .. import text  # noqa: E402  (ORDER first: the build reads it alone)
from .kit import GENERIC, Exercise, Mistake, as_array, random_net  # noqa: E402
from .forward import NAMES as FORWARD_NAMES, result_tuple as forward_result  # noqa: E402
from .gradients import GRADCHECK_PASS  # noqa: E402

EXERCISES: dict[str, Exercise] = {name: importlib.import_module(f"{__name__}.{name}").EXERCISE for name in ORDER}
"""Every exercise of ORDER, by name: the EXERCISE of the module of that name."""
TEXT = text.register({key: english for exercise in EXERCISES.values() for key, english in exercise.texts().items()})
"""Each exercise's title, intro, equations in words, checks' names and mistakes, by id (Exercise.texts)."""
SOLUTIONS = {name: exercise.solution for name, exercise in EXERCISES.items()}
SKELETONS = {name: exercise.skeleton for name, exercise in EXERCISES.items()}

__all__ = [
    "ORDER", "EXERCISES", "SOLUTIONS", "SKELETONS", "GENERIC", "FORWARD_NAMES", "GRADCHECK_PASS",
    "Exercise", "Mistake", "as_array", "forward_result", "random_net",
]

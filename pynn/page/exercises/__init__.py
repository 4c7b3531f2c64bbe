"""Write the network yourself: six exercises, each a plain function over numpy arrays, checked
against pynn.

    relu(s)                               ReLU element by element
    softmax(s)                            column-wise softmax of C×N scores, no overflow at ±1e4
    forward(W0, b0, W1, b1, X)            (s0, h0, s1, h1)
    loss(s1, Yoh)                         the summed NLL (a float), from log-softmax
    gradients(W0, b0, W1, b1, X, Yoh)     {"W0", "b0", "W1", "b1"}: ∂L/∂θ of the summed loss, shaped like θ
    sgd_step(params, x, yoh, lr)          the updated params after one step on one example

Examples are columns: X is D×N, Yoh C×N; W0 H×D, b0 H×1, W1 C×H, b1 C×1.

    check(name, source)   runs the student's source in a fresh namespace and returns
                          {"name", "status": "pass" | "fail" | "error", "checks": [...], "error": ...}
    catalogue()           the exercises for the page, in ORDER

Each exercise is a module of this package (relu.py, …) holding its title, text, equations,
skeleton, solution, checks and named mistakes; machinery.py runs them. A seventh exercise is one
module more and one line in ORDER: the page's tabs and its table (pynn.page.settings) follow.
"""
from __future__ import annotations

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

from .machinery import (  # noqa: E402  (ORDER first: the machinery's registry reads it)
    FILENAME, GENERIC, Exercise, Mistake, StudentError, as_array, call, catalogue, check, helpers, load, random_net,
    registry,
)
from .forward import NAMES as FORWARD_NAMES, result_tuple as forward_result  # noqa: E402
from .gradients import GRADCHECK_PASS  # noqa: E402

EXERCISES = registry()
SOLUTIONS = {name: exercise.solution for name, exercise in EXERCISES.items()}
SKELETONS = {name: exercise.skeleton for name, exercise in EXERCISES.items()}

__all__ = [
    "ORDER", "EXERCISES", "SOLUTIONS", "SKELETONS", "FILENAME", "GENERIC", "FORWARD_NAMES", "GRADCHECK_PASS",
    "Exercise", "Mistake", "StudentError", "as_array", "call", "forward_result", "catalogue", "check", "helpers", "load", "random_net", "registry",
]

"""The lesson “All weights zero”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

import math

from .. import text
from .lesson import BASE, Lesson, Run, acc

TEXT = text.register({
    "lesson.init.story.1": (
        "After {epochs} epochs ({updates} updates) the training accuracy is {train} — the share of the "
        "largest class, {majority}: the net guesses one class everywhere. W0, b0 and W1 are still exactly 0 "
        "(largest |weight| {largest:g}), and the largest difference between two hidden units is {spread:g}: "
        "all {units:g} units are the same unit (their pictures under Hidden units are equal)."),
    "lesson.init.story.2": (
        "Why: with every weight 0, s0 = 0 for every point, so h0 = ReLU(0) = 0. The gradient of W1 is g1·h0ᵀ "
        "= 0, and the gradient reaching s0 is (W1ᵀ·g1) ⊙ [s0 > 0] = 0 twice over (W1 = 0, and ReLU's slope at"
        " 0 is taken as 0). Only b1 learns: the class frequencies. Even a start that were not 0 but the same "
        "for every unit would keep the units equal, as each would get the same gradient — random initial "
        "weights are what make the units different."),
    "lesson.init.story.3": "With {label} the same net reached a training accuracy of {train}.",
})


def shown(run: Run) -> int:
    if not math.isfinite(run.train_loss):
        return 3
    if run.train_accuracy >= 0.9:
        return 0
    return 2 if run.train_accuracy <= 0.5 and run.extra["unit_spread"] == 0.0 else 1


def story(run: Run) -> list[str]:
    label, he = next(iter(run.arms.items()))
    return [
        text.say("lesson.init.story.1", epochs=run.epochs, updates=run.updates, train=acc(run.train_accuracy),
                 majority=acc(run.extra["majority"]), largest=run.extra["largest_weight"], spread=run.extra["unit_spread"],
                 units=run.extra["units"]),
        text.say("lesson.init.story.2"),
        text.say("lesson.init.story.3", label=label, train=acc(he.train_accuracy)),
    ]


LESSON = Lesson(
    title="All weights zero",
    settings={**BASE, "init": "zero"},
    question="Every weight and bias starts at 0 (init = zero). Where is the training accuracy after "
    "100 epochs?",
    choices=(
        "Above 0.9, as with the usual random start",
        "Lower: zero is just a slow start",
        "Stuck at chance (about 1/3): the hidden units never become different",
        "Nowhere: the net divides by zero and gives NaN",
    ),
    answer=2,
    epochs=100,
    compare={"init = he": {"init": "he"}},
    follow_up="Set init to small (tiny random weights) and press Play: the units differ, so they can "
    "learn different things. Then try large.",
    measure="units-alike",
    shown=shown,
    story=story,
)

"""The lesson “What the hidden units learn”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .lesson import BASE, Lesson, Run, acc


def shown(run: Run) -> int:
    if run.extra["template_median"] >= 0.8:
        return 0
    return 1 if run.extra["weight_change"] < 0.1 else 2


def story(run: Run) -> list[str]:
    x = run.extra
    return [
        f"After {run.epochs} epochs the net classifies {acc(run.train_accuracy)} of the training images and "
        f"{acc(run.test_accuracy)} of the test images correctly.",
        f"The first-layer weights moved far from their random start (by {x['weight_change']:.2f} times their "
        f"initial size). Compared with each digit's mean image, a unit's weight picture matches its best "
        f"digit with a correlation of {x['template_median']:.2f} in the median (at most "
        f"{x['template_max']:.2f}; the random start: {x['template_start']:.2f}) \u2014 no unit is a template "
        "of one digit.",
        f"Each unit is a detector of strokes and blobs: positive weights where some digits have ink, "
        f"negative where others do. The output layer adds the units up: between them the "
        f"{x['units']:g} units are the strongest vote for {x['digits_voted']:g} different digits.",
    ]


LESSON = Lesson(
    title="What the hidden units learn",
    settings={**BASE, "dataset": "digits", "classes": 10, "hidden": 16, "lr": 0.1},
    question="On the 8\u00d78 digits each hidden unit has 64 input weights, one per pixel: an 8\u00d78 "
    "picture (the network diagram shows them). After 10 epochs, what do most of these pictures look like?",
    choices=(
        "A clean copy of one digit each: a template",
        "Random noise: the weights hardly move from their start",
        "Strokes and blobs, positive where some digits have ink and negative where others do",
    ),
    answer=2,
    epochs=10,
    compare={},
    follow_up="Look at the network diagram's pictures, then draw a digit on the pad: which units light "
    "up? Try H = 4: can four units still tell ten digits apart?",
    measure="templates",
    shown=shown,
    story=story,
)

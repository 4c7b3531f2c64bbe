"""The lesson “What the hidden units learn”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .. import text
from .lesson import BASE, Lesson, Run, acc

TEXT = text.register({
    "lesson.digits.story.1": (
        "After {epochs} epochs the net classifies {train} of the training images and {test} of the test "
        "images correctly."),
    "lesson.digits.story.2": (
        "The first-layer weights moved far from their random start (by {change:.2f} times their initial "
        "size). Compared with each digit's mean image, a unit's weight picture matches its best digit with a "
        "correlation of {median:.2f} in the median (at most {most:.2f}; the random start: {start:.2f}) — no "
        "unit is a template of one digit."),
    "lesson.digits.story.3": (
        "Each unit is a detector of strokes and blobs: positive weights where some digits have ink, negative "
        "where others do. The output layer adds the units up: between them the {units:g} units are the "
        "strongest vote for {digits:g} different digits."),
})


def shown(run: Run) -> int:
    if run.extra["template_median"] >= 0.8:
        return 0
    return 1 if run.extra["weight_change"] < 0.1 else 2


def story(run: Run) -> list[str]:
    x = run.extra
    return [
        text.say("lesson.digits.story.1", epochs=run.epochs, train=acc(run.train_accuracy), test=acc(run.test_accuracy)),
        text.say("lesson.digits.story.2", change=x["weight_change"], median=x["template_median"], most=x["template_max"],
                 start=x["template_start"]),
        text.say("lesson.digits.story.3", units=x["units"], digits=x["digits_voted"]),
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

"""The lesson “How many hidden units?”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .. import text
from .lesson import BASE, Lesson, Run, acc

TEXT = text.register({
    "lesson.capacity.story.1": (
        "After {epochs} epochs the net on the page (H = 1) reached a training accuracy of {train} (test "
        "{test}); the same run with more hidden units: {arms}."),
    "lesson.capacity.story.arm": "{label}: {accuracy}",
    "lesson.capacity.story.2": (
        "Each hidden unit is one ReLU: a straight line across the plane with the output flat on one side. The"
        " boundary can only bend where some unit's line is, so one unit gives one straight cut — the spiral's"
        " three arms wind round each other and need many bends."),
})


def shown(run: Run) -> int:
    reached = [run.train_accuracy, *(arm.train_accuracy for arm in run.arms.values())]
    return next((i for i, value in enumerate(reached) if value >= 0.9), len(reached) - 1)


def story(run: Run) -> list[str]:
    arms = ", ".join(text.say("lesson.capacity.story.arm", label=label, accuracy=acc(arm.train_accuracy))
                     for label, arm in run.arms.items())
    return [
        text.say("lesson.capacity.story.1", epochs=run.epochs, train=acc(run.train_accuracy), test=acc(run.test_accuracy),
                 arms=arms),
        text.say("lesson.capacity.story.2"),
    ]


LESSON = Lesson(
    title="How many hidden units?",
    settings={**BASE, "hidden": 1},
    question="Which is the smallest H of 1, 2, 5 and 64 hidden units that gets the 3-class spiral "
    "above 0.9 training accuracy in 100 epochs?",
    choices=("H = 1: one unit is enough", "H = 2", "H = 5", "H = 64"),
    answer=3,
    epochs=100,
    compare={"H = 2": {"hidden": 2}, "H = 5": {"hidden": 5}, "H = 64": {"hidden": 64}},
    follow_up="Set H to 5 and press Play, then H = 64: count the bends in the boundary. Point at the "
    "plane to see which units ReLU switches off where.",
    shown=shown,
    story=story,
)

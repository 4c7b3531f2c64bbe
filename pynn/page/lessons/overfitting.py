"""The lesson “Overfitting few points, and L2”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .. import text
from .lesson import BASE, Lesson, Run, acc, loss

TEXT = text.register({
    "lesson.overfitting.story.1": (
        "After {epochs} epochs the training accuracy is {train} and the test accuracy {test}; the mean "
        "training loss {train_loss} against {test_loss} on the test points."),
    "lesson.overfitting.story.2": (
        "200 hidden units can bend the boundary round every one of the {points} noisy training points, noise "
        "included: the net learns the points, not the moons. The test points were never seen, and the bends "
        "made for the noise put some of them on the wrong side."),
    "lesson.overfitting.story.3": (
        "The cure, L2 weight decay: with {label} (every step shrinks each weight by lr·λ of itself) the same "
        "net reached {train} on the training points and {test} on the test points: fewer, gentler bends, "
        "which fit the moons rather than the noise."),
})


def shown(run: Run) -> int:
    gap = run.train_accuracy - run.test_accuracy
    if gap >= 0.1:
        return 1
    return 2 if gap <= -0.05 else 0


def story(run: Run) -> list[str]:
    label, l2 = next(iter(run.arms.items()))
    return [
        text.say("lesson.overfitting.story.1", epochs=run.epochs, train=acc(run.train_accuracy), test=acc(run.test_accuracy),
                 train_loss=loss(run.train_loss), test_loss=loss(run.test_loss)),
        text.say("lesson.overfitting.story.2", points=run.train_points),
        text.say("lesson.overfitting.story.3", label=label, train=acc(l2.train_accuracy), test=acc(l2.test_accuracy)),
    ]


LESSON = Lesson(
    title="Overfitting few points, and L2",
    settings={
        **BASE, "dataset": "moons", "classes": 2, "points": 40, "noise": 0.35, "hidden": 200, "lr": 0.5,
        "batch": 4, "wd": 0.0,
    },
    question="40 noisy points, 200 hidden units, no weight decay: after 150 epochs the training accuracy "
    "is about 1. What is the test accuracy (the points held out)?",
    choices=(
        "About 1 too: the net has learned the moons",
        "Clearly lower than the training accuracy",
        "Higher than the training accuracy",
    ),
    answer=1,
    epochs=150,
    compare={"wd = 0.01": {"wd": 0.01}},
    follow_up="Set L2 weight decay to 0.01 and press Play: watch the boundary smooth out. Then try "
    "0.1: can a net be pulled too hard towards 0?",
    shown=shown,
    story=story,
)

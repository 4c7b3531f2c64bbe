"""The lesson “Training and test accuracy”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .. import text
from .lesson import BASE, Lesson, Run, acc, loss

TEXT = text.register({
    "lesson.noise.story.1": (
        "After {epochs} epochs: training accuracy {train}, test accuracy {test} (mean loss {train_loss} "
        "against {test_loss})."),
    "lesson.noise.story.2": (
        "The net is fitted to the training points, noise and all; the noisy test points it never saw scatter "
        "across the boundary in their own way. A gap between train and test is what noise and few points "
        "cost: no net can predict which way the next noisy point falls."),
    "lesson.noise.story.3": (
        "With {label} the same net scored {train} on the training points and {test} on the test points."),
})


def shown(run: Run) -> int:
    gap = run.train_accuracy - run.test_accuracy
    if abs(gap) <= 0.05:
        return 2
    return 0 if gap > 0 else 1


def story(run: Run) -> list[str]:
    label, clean = next(iter(run.arms.items()))
    return [
        text.say("lesson.noise.story.1", epochs=run.epochs, train=acc(run.train_accuracy), test=acc(run.test_accuracy),
                 train_loss=loss(run.train_loss), test_loss=loss(run.test_loss)),
        text.say("lesson.noise.story.2"),
        text.say("lesson.noise.story.3", label=label, train=acc(clean.train_accuracy), test=acc(clean.test_accuracy)),
    ]


LESSON = Lesson(
    title="Training and test accuracy",
    settings={
        **BASE, "dataset": "circles", "classes": 2, "points": 100, "noise": 0.5, "split": 0.5,
        "hidden": 100,
    },
    question="Noisy circles, half of the 100 points held out as test points (hollow). After 200 epochs, "
    "which accuracy is higher?",
    choices=(
        "The training accuracy",
        "The test accuracy",
        "Neither: they are within 0.05 of each other",
    ),
    answer=0,
    epochs=200,
    compare={"noise = 0.1": {"noise": 0.1}},
    follow_up="Set noise to 0.1 and play, then 0.3: watch the gap between the two accuracies grow "
    "with the noise.",
    shown=shown,
    story=story,
)

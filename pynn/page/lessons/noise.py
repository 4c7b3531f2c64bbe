"""The lesson “Training and test accuracy”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .lesson import BASE, Lesson, Run, acc, loss


def shown(run: Run) -> int:
    gap = run.train_accuracy - run.test_accuracy
    if abs(gap) <= 0.05:
        return 2
    return 0 if gap > 0 else 1


def story(run: Run) -> list[str]:
    label, clean = next(iter(run.arms.items()))
    return [
        f"After {run.epochs} epochs: training accuracy {acc(run.train_accuracy)}, test accuracy "
        f"{acc(run.test_accuracy)} (mean loss {loss(run.train_loss)} against {loss(run.test_loss)}).",
        "The net is fitted to the training points, noise and all; the noisy test points it never saw "
        "scatter across the boundary in their own way. A gap between train and test is what noise "
        "and few points cost: no net can predict which way the next noisy point falls.",
        f"With {label} the same net scored {acc(clean.train_accuracy)} on the training points and "
        f"{acc(clean.test_accuracy)} on the test points.",
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

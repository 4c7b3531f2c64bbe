"""The lesson “A learning rate too large”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

import math

from .lesson import BASE, Lesson, Run, acc, loss


def shown(run: Run) -> int:
    if run.diverged_at is not None or not math.isfinite(run.train_loss):
        return 3
    fixed = next(iter(run.arms.values()))
    if run.train_loss > 0.8 * run.start_loss:
        return 2
    return 0 if run.train_loss <= fixed.train_loss else 1


def story(run: Run) -> list[str]:
    label, fixed = next(iter(run.arms.items()))
    if run.diverged_at is not None:
        what = (
            f"The mean training loss went from {loss(run.start_loss)} to {loss(run.train_loss)}, and the run "
            f"stopped as diverged at epoch {run.diverged_at} (after {run.updates} updates) with a training "
            f"accuracy of {acc(run.train_accuracy)}."
        )
    else:
        what = (
            f"The mean training loss went from {loss(run.start_loss)} to {loss(run.train_loss)} in {run.epochs} "
            f"epochs (training accuracy {acc(run.train_accuracy)}); it rose in {run.rises} of them."
        )
    return [
        what,
        "Each step moves every weight by lr \u00d7 its gradient. With lr = 50 a step overshoots the valley "
        "it is meant to go down into and lands higher up the other side, where the gradient is larger "
        f"still: the next step overshoots further and the weights grow. Here {run.extra['dead_units']:g} of "
        f"the {run.extra['units']:g} hidden units ended dead (ReLU gives 0 on every training point, so "
        "no gradient reaches them again).",
        f"The fix is a smaller learning rate: the same net and data with {label} reached a training "
        f"accuracy of {acc(fixed.train_accuracy)} (mean loss {loss(fixed.train_loss)}) in {fixed.epochs} epochs.",
    ]


LESSON = Lesson(
    title="A learning rate too large",
    settings={**BASE, "lr": 50.0},
    question="The learning rate is 50, a hundred times the 0.5 that trains this net well. What does the "
    "training loss do in the first 60 epochs?",
    choices=(
        "It falls faster than with 0.5",
        "It falls as with 0.5, only jumpier",
        "It stalls near where it started",
        "It blows up: the run diverges within a few epochs",
    ),
    answer=3,
    epochs=60,
    compare={"lr = 0.5": {"lr": 0.5}},
    follow_up="Press the message's button for a learning rate ten times smaller and play; then try "
    "lr = 5: it does not diverge, but does it learn?",
    measure="dead-units",
    shown=shown,
    story=story,
)

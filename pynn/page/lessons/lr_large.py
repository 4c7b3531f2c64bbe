"""The lesson “A learning rate too large”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

import math

from .. import text
from .lesson import BASE, Lesson, Run, acc, loss

TEXT = text.register({
    "lesson.lr-large.story.diverged": (
        "The mean training loss went from {start} to {end}, and the run stopped as diverged at epoch {epoch} "
        "(after {updates} updates) with a training accuracy of {train}."),
    "lesson.lr-large.story.trained": (
        "The mean training loss went from {start} to {end} in {epochs} epochs (training accuracy {train}); it"
        " rose in {rises} of them."),
    "lesson.lr-large.story.why": (
        "Each step moves every weight by lr × its gradient. With lr = 50 a step overshoots the valley it is "
        "meant to go down into and lands higher up the other side, where the gradient is larger still: the "
        "next step overshoots further and the weights grow. Here {dead:g} of the {units:g} hidden units ended"
        " dead (ReLU gives 0 on every training point, so no gradient reaches them again)."),
    "lesson.lr-large.story.fix": (
        "The fix is a smaller learning rate: the same net and data with {label} reached a training accuracy "
        "of {train} (mean loss {loss}) in {epochs} epochs."),
})


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
        what = text.say("lesson.lr-large.story.diverged", start=loss(run.start_loss), end=loss(run.train_loss),
                        epoch=run.diverged_at, updates=run.updates, train=acc(run.train_accuracy))
    else:
        what = text.say("lesson.lr-large.story.trained", start=loss(run.start_loss), end=loss(run.train_loss),
                        epochs=run.epochs, train=acc(run.train_accuracy), rises=run.rises)
    return [
        what,
        text.say("lesson.lr-large.story.why", dead=run.extra["dead_units"], units=run.extra["units"]),
        text.say("lesson.lr-large.story.fix", label=label, train=acc(fixed.train_accuracy), loss=loss(fixed.train_loss),
                 epochs=fixed.epochs),
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

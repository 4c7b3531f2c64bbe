"""The lesson “Batch 1 against batch 32”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .. import text
from .lesson import BASE, Lesson, Run, acc, loss

TEXT = text.register({
    "lesson.batch.story.1": (
        "With batch 1 the mean training loss went up from one epoch to the next in {rises} of "
        "{epochs_between} epochs; with {label}, in {other_rises}. Batch 1 made {updates} updates per epoch, "
        "{label} {other_updates}: after {epochs} epochs the training accuracy was {train} against "
        "{other_train}."),
    "lesson.batch.story.2": (
        "One example's gradient points only roughly downhill: each update helps that example and may hurt the"
        " others, so the loss over all examples wobbles. The mean gradient of 32 examples is a much better "
        "estimate of the true one, so the curve is smooth — but at the same learning rate an epoch of {label}"
        " makes {times:.0f} times fewer steps."),
})


def shown(run: Run) -> int:
    other = next(iter(run.arms.values()))
    if run.rises > other.rises:
        return 0
    return 1 if other.rises > run.rises else 2


def story(run: Run) -> list[str]:
    label, other = next(iter(run.arms.items()))
    return [
        text.say("lesson.batch.story.1", rises=run.rises, epochs_between=run.epochs - 1, label=label, other_rises=other.rises,
                 updates=run.updates_per_epoch, other_updates=other.updates_per_epoch, epochs=run.epochs,
                 train=acc(run.train_accuracy), other_train=acc(other.train_accuracy)),
        text.say("lesson.batch.story.2", label=label, times=run.updates_per_epoch / other.updates_per_epoch),
    ]


LESSON = Lesson(
    title="Batch 1 against batch 32",
    settings={**BASE, "lr": 0.1, "batch": 1},
    question="Batch 1 (one example per update) against batch 32 (the mean gradient of 32), both at "
    "lr = 0.1 for 30 epochs. Which training-loss curve goes up from one epoch to the next more often?",
    choices=("Batch 1", "Batch 32", "Neither: at the same learning rate both fall smoothly"),
    answer=0,
    epochs=30,
    compare={"batch = 32": {"batch": 32}},
    follow_up="Set the batch size to 32 and press Play: the curve is smooth, but count the epochs it "
    "needs. Then try batch 32 with lr = 1.",
    shown=shown,
    story=story,
)

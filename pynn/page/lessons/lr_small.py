"""The lesson “A learning rate too small”: its setup, question and choices, and the story its
run's numbers tell."""
from __future__ import annotations

from .. import text
from .lesson import BASE, Lesson, Run, acc, loss

TEXT = text.register({
    "lesson.lr-small.story.1": (
        "In {epochs} epochs ({updates} updates) the mean training loss only went from {start} to {end} "
        "({fell:.0%} of the way to 0), and the training accuracy reached {train}. With {label} the same net "
        "got to {fast_end} ({fast_fell:.0%}) and {fast_train}."),
    "lesson.lr-small.story.2": (
        "The gradient points the right way, but each step moves the weights by lr × gradient: 500 times "
        "smaller steps need roughly 500 times as many of them. Nothing is wrong with the net — it crawls. The"
        " curve never jumps; it is smooth and slow."),
})


def shown(run: Run) -> int:
    if run.diverged_at is not None:
        return 2
    if run.train_accuracy >= 0.9:
        return 0
    return 3 if run.start_loss - run.train_loss < 0.001 * run.start_loss else 1


def story(run: Run) -> list[str]:
    label, fast = next(iter(run.arms.items()))
    fell = (run.start_loss - run.train_loss) / run.start_loss
    fast_fell = (fast.start_loss - fast.train_loss) / fast.start_loss
    return [
        text.say("lesson.lr-small.story.1", epochs=run.epochs, updates=run.updates, start=loss(run.start_loss),
                 end=loss(run.train_loss), fell=fell, train=acc(run.train_accuracy), label=label,
                 fast_end=loss(fast.train_loss), fast_fell=fast_fell, fast_train=acc(fast.train_accuracy)),
        text.say("lesson.lr-small.story.2"),
    ]


LESSON = Lesson(
    title="A learning rate too small",
    settings={**BASE, "lr": 0.001},
    question="The learning rate is 0.001, 500 times smaller than 0.5. Where is the training accuracy "
    "after 60 epochs?",
    choices=(
        "Above 0.9, as with 0.5, only reached more smoothly",
        "Well below 0.9: the loss has barely begun to fall",
        "Nowhere: the run diverges",
        "Exactly where it started: nothing changes at all",
    ),
    answer=1,
    epochs=60,
    compare={"lr = 0.5": {"lr": 0.5}},
    follow_up="Keep playing at lr = 0.001: how many epochs does it take to pass 0.9? Then try 0.01 "
    "and 0.1.",
    shown=shown,
    story=story,
)

"""The lessons: predict, run, explain — one experiment each, the way physics demonstrations are taught.

Each lesson sets the page up (``settings``: every key of pynn.page.settings.FIELDS), asks a
question with 3–4 predictions to pick from before anything runs, trains a fresh net from the seed
for ``epochs`` (and, for a comparison, the same run with one setting changed: ``compare``), and
then explains what *this* run showed: ``Lesson.explain(choice, run)`` builds its text from the
numbers pynn.page.lessonrun read from the Session after the run (a ``Run``), and says whether the
prediction matched. ``Lesson.shown(run)`` is the prediction the run's numbers support; the marked
``answer`` is the one tests/test_lessons.py checks the real runs give.

Standard library only, like pynn.page.settings: build.py loads this file by path (without numpy)
and writes ``table()`` into dist/settings.js, so the page lists the lessons before Python starts.
"""
from __future__ import annotations

import json
import math
from typing import Any, Callable, NamedTuple

BASE = {
    "dataset": "spiral", "classes": 3, "points": 300, "noise": 0.1, "split": 0.8, "hidden": 32,
    "init": "he", "lr": 0.5, "batch": 10, "wd": 0.0, "seed": 1,
}
"""The setup every lesson starts from: the 3-class spiral, a net that learns it in ~100 epochs."""


class Run(NamedTuple):
    """What one run showed, read from the Session after it (pynn.page.lessonrun.measure).

    Losses are mean losses per example (the summed loss L / N), accuracies fractions 0–1, both at the
    end of the run (the last row the page's curves got); ``start_loss`` is the fresh net's.
    """

    epochs: int  # whole epochs trained
    updates: int  # SGD updates made
    diverged_at: int | None  # the epoch the run stopped at as diverged, or None
    train_accuracy: float
    test_accuracy: float
    train_loss: float
    test_loss: float
    start_loss: float
    rises: int  # epochs whose mean training loss was above the epoch's before
    updates_per_epoch: int
    train_points: int
    extra: dict[str, float]  # what a lesson measures of the net itself (lessonrun.EXTRAS)
    arms: dict[str, "Run"]  # the comparison runs, by their label in the lesson's ``compare``


def acc(value: float) -> str:
    """An accuracy as the page's readouts show it (3 decimals)."""
    return f"{value:.3f}"


def loss(value: float) -> str:
    """A mean loss as the page's readouts show it (4 decimals; large ones as 1.23e+04)."""
    return f"{value:.2e}" if abs(value) >= 1e4 else f"{value:.4f}"


class Lesson(NamedTuple):
    name: str  # the #lesson=NAME of its link (a contract)
    title: str
    settings: dict[str, Any]
    question: str
    choices: tuple[str, ...]
    answer: int  # the index of the choice the run shows
    epochs: int  # the run: this many whole epochs from a fresh net
    compare: dict[str, dict[str, Any]]  # label → the settings changed, for a run beside it
    follow_up: str
    shown: Callable[[Run], int]  # which choice the run's numbers support
    story: Callable[[Run], list[str]]  # what the run showed, with its numbers

    def explain(self, choice: int, run: Run) -> list[str]:
        """Paragraphs for the page: the prediction against what this run showed, then why, every
        number from ``run``. ValueError for a choice that is not one of this lesson's."""
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(self.choices):
            raise ValueError(f"choice must be 0 to {len(self.choices) - 1} for lesson {self.name!r}, got {choice!r}")
        shown = self.shown(run)
        if choice == shown:
            verdict = f"You predicted \u201c{self.choices[choice]}\u201d \u2014 and that is what this run showed."
        else:
            verdict = (
                f"You predicted \u201c{self.choices[choice]}\u201d; this run showed \u201c{self.choices[shown]}\u201d."
            )
        return [verdict, *self.story(run)]


# -- the eight lessons: what each run's numbers support, and the story they tell -------------------


def _capacity_shown(run: Run) -> int:
    reached = [run.train_accuracy, *(arm.train_accuracy for arm in run.arms.values())]
    return next((i for i, value in enumerate(reached) if value >= 0.9), len(reached) - 1)


def _capacity_story(run: Run) -> list[str]:
    arms = ", ".join(f"{label}: {acc(arm.train_accuracy)}" for label, arm in run.arms.items())
    return [
        f"After {run.epochs} epochs the net on the page (H = 1) reached a training accuracy of "
        f"{acc(run.train_accuracy)} (test {acc(run.test_accuracy)}); the same run with more hidden units: {arms}.",
        "Each hidden unit is one ReLU: a straight line across the plane with the output flat on one side. "
        "The boundary can only bend where some unit's line is, so one unit gives one straight cut \u2014 "
        "the spiral's three arms wind round each other and need many bends.",
    ]


def _lr_large_shown(run: Run) -> int:
    if run.diverged_at is not None or not math.isfinite(run.train_loss):
        return 3
    fixed = next(iter(run.arms.values()))
    if run.train_loss > 0.8 * run.start_loss:
        return 2
    return 0 if run.train_loss <= fixed.train_loss else 1


def _lr_large_story(run: Run) -> list[str]:
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


def _lr_small_shown(run: Run) -> int:
    if run.diverged_at is not None:
        return 2
    if run.train_accuracy >= 0.9:
        return 0
    return 3 if run.start_loss - run.train_loss < 0.001 * run.start_loss else 1


def _lr_small_story(run: Run) -> list[str]:
    label, fast = next(iter(run.arms.items()))
    fell = (run.start_loss - run.train_loss) / run.start_loss
    fast_fell = (fast.start_loss - fast.train_loss) / fast.start_loss
    return [
        f"In {run.epochs} epochs ({run.updates} updates) the mean training loss only went from "
        f"{loss(run.start_loss)} to {loss(run.train_loss)} ({fell:.0%} of the way to 0), and the training "
        f"accuracy reached {acc(run.train_accuracy)}. With {label} the same net got to "
        f"{loss(fast.train_loss)} ({fast_fell:.0%}) and {acc(fast.train_accuracy)}.",
        "The gradient points the right way, but each step moves the weights by lr \u00d7 gradient: 500 times "
        "smaller steps need roughly 500 times as many of them. Nothing is wrong with the net \u2014 it crawls. "
        "The curve never jumps; it is smooth and slow.",
    ]


def _batch_shown(run: Run) -> int:
    other = next(iter(run.arms.values()))
    if run.rises > other.rises:
        return 0
    return 1 if other.rises > run.rises else 2


def _batch_story(run: Run) -> list[str]:
    label, other = next(iter(run.arms.items()))
    return [
        f"With batch 1 the mean training loss went up from one epoch to the next in {run.rises} of "
        f"{run.epochs - 1} epochs; with {label}, in {other.rises}. Batch 1 made {run.updates_per_epoch} "
        f"updates per epoch, {label} {other.updates_per_epoch}: after {run.epochs} epochs the training "
        f"accuracy was {acc(run.train_accuracy)} against {acc(other.train_accuracy)}.",
        "One example's gradient points only roughly downhill: each update helps that example and may hurt "
        "the others, so the loss over all examples wobbles. The mean gradient of 32 examples is a much "
        "better estimate of the true one, so the curve is smooth \u2014 but at the same learning rate an "
        f"epoch of {label} makes {run.updates_per_epoch / other.updates_per_epoch:.0f} times fewer steps.",
    ]


def _init_shown(run: Run) -> int:
    if not math.isfinite(run.train_loss):
        return 3
    if run.train_accuracy >= 0.9:
        return 0
    return 2 if run.train_accuracy <= 0.5 and run.extra["unit_spread"] == 0.0 else 1


def _init_story(run: Run) -> list[str]:
    label, he = next(iter(run.arms.items()))
    return [
        f"After {run.epochs} epochs ({run.updates} updates) the training accuracy is {acc(run.train_accuracy)} "
        f"\u2014 the share of the largest class, {acc(run.extra['majority'])}: the net guesses one class "
        f"everywhere. W0, b0 and W1 are still exactly 0 (largest |weight| {run.extra['largest_weight']:g}), "
        f"and the largest difference between two hidden units is {run.extra['unit_spread']:g}: all "
        f"{run.extra['units']:g} units are the same unit (their pictures under Hidden units are equal).",
        "Why: with every weight 0, s0 = 0 for every point, so h0 = ReLU(0) = 0. The gradient of W1 is "
        "g1\u00b7h0\u1d40 = 0, and the gradient reaching s0 is (W1\u1d40\u00b7g1) \u2299 [s0 > 0] = 0 twice over "
        "(W1 = 0, and ReLU's slope at 0 is taken as 0). Only b1 learns: the class frequencies. Even a start "
        "that were not 0 but the same for every unit would keep the units equal, as each would get the "
        "same gradient \u2014 random initial weights are what make the units different.",
        f"With {label} the same net reached a training accuracy of {acc(he.train_accuracy)}.",
    ]


def _overfitting_shown(run: Run) -> int:
    gap = run.train_accuracy - run.test_accuracy
    if gap >= 0.1:
        return 1
    return 2 if gap <= -0.05 else 0


def _overfitting_story(run: Run) -> list[str]:
    label, l2 = next(iter(run.arms.items()))
    return [
        f"After {run.epochs} epochs the training accuracy is {acc(run.train_accuracy)} and the test accuracy "
        f"{acc(run.test_accuracy)}; the mean training loss {loss(run.train_loss)} against "
        f"{loss(run.test_loss)} on the test points.",
        f"200 hidden units can bend the boundary round every one of the {run.train_points} noisy training points, noise "
        "included: the net learns the points, not the moons. The test points were never seen, and the "
        "bends made for the noise put some of them on the wrong side.",
        f"The cure, L2 weight decay: with {label} (every step shrinks each weight by lr\u00b7\u03bb of itself) "
        f"the same net reached {acc(l2.train_accuracy)} on the training points and {acc(l2.test_accuracy)} "
        "on the test points: fewer, gentler bends, which fit the moons rather than the noise.",
    ]


def _noise_shown(run: Run) -> int:
    gap = run.train_accuracy - run.test_accuracy
    if abs(gap) <= 0.05:
        return 2
    return 0 if gap > 0 else 1


def _noise_story(run: Run) -> list[str]:
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


def _digits_shown(run: Run) -> int:
    if run.extra["template_median"] >= 0.8:
        return 0
    return 1 if run.extra["weight_change"] < 0.1 else 2


def _digits_story(run: Run) -> list[str]:
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


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        name="capacity",
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
        shown=_capacity_shown,
        story=_capacity_story,
    ),
    Lesson(
        name="lr-large",
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
        shown=_lr_large_shown,
        story=_lr_large_story,
    ),
    Lesson(
        name="lr-small",
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
        shown=_lr_small_shown,
        story=_lr_small_story,
    ),
    Lesson(
        name="batch",
        title="Batch 1 against batch 32",
        settings={**BASE, "lr": 0.1, "batch": 1},
        question="Batch 1 (one example per update) against batch 32 (the mean gradient of 32), both at "
        "lr = 0.1 for 30 epochs. Which training-loss curve goes up from one epoch to the next more often?",
        choices=("Batch 1", "Batch 32", "Neither: at the same learning rate both fall smoothly"),
        answer=0,
        epochs=30,
        compare={"batch 32": {"batch": 32}},
        follow_up="Set the batch size to 32 and press Play: the curve is smooth, but count the epochs it "
        "needs. Then try batch 32 with lr = 1.",
        shown=_batch_shown,
        story=_batch_story,
    ),
    Lesson(
        name="init",
        title="All weights zero",
        settings={**BASE, "init": "zero"},
        question="Every weight and bias starts at 0 (init = zero). Where is the training accuracy after "
        "100 epochs?",
        choices=(
            "Above 0.9, as with the usual random start",
            "Lower: zero is just a slow start",
            "Stuck at chance (about 1/3): the hidden units never become different",
            "Nowhere: the net divides by zero and gives NaN",
        ),
        answer=2,
        epochs=100,
        compare={"init = he": {"init": "he"}},
        follow_up="Set init to small (tiny random weights) and press Play: the units differ, so they can "
        "learn different things. Then try large.",
        shown=_init_shown,
        story=_init_story,
    ),
    Lesson(
        name="overfitting",
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
        shown=_overfitting_shown,
        story=_overfitting_story,
    ),
    Lesson(
        name="noise",
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
        shown=_noise_shown,
        story=_noise_story,
    ),
    Lesson(
        name="digits",
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
        shown=_digits_shown,
        story=_digits_story,
    ),
)

NAMES = ("capacity", "lr-large", "lr-small", "batch", "init", "overfitting", "noise", "digits")
"""The lessons' names in order, as a literal: pynn.page.settings reads it from this source for an
assignment's ``lessons=`` key (without importing this module). tests/test_lessons.py holds it equal."""
if NAMES != tuple(lesson.name for lesson in LESSONS):
    raise AssertionError("lessons.NAMES must list LESSONS' names in their order")

BY_NAME = {lesson.name: lesson for lesson in LESSONS}


def get(name: str) -> Lesson:
    """The lesson called ``name``; ValueError listing the known names for any other."""
    if not isinstance(name, str) or name not in BY_NAME:
        raise ValueError(f"unknown lesson {str(name)[:40]!r}; known: {', '.join(BY_NAME)}")
    return BY_NAME[name]


def table() -> list[dict[str, Any]]:
    """The lessons as plain JSON values, for the page (dist/settings.js, key ``lessons``)."""
    return [
        {
            "name": lesson.name, "title": lesson.title, "settings": dict(lesson.settings), "question": lesson.question,
            "choices": list(lesson.choices), "epochs": lesson.epochs,
            "compare": list(lesson.compare), "follow_up": lesson.follow_up,
        }
        for lesson in LESSONS
    ]


if __name__ == "__main__":
    print(json.dumps(table()))

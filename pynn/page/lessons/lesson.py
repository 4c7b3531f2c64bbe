"""What a lesson is, and what its run showed: the words every lesson of this package is written in.

``Lesson``: the setup (``settings``: every key of pynn.page.settings.FIELDS), a question with 3–4
predictions to pick from before anything runs, how long the run is (``epochs``) and the runs beside
it (``compare``: labels → one setting changed), and two functions of what the run showed (a
``Run``): ``shown``, the prediction the numbers support, and ``story``, the paragraphs that explain
it with those numbers. ``Lesson.explain`` puts the verdict on the student's prediction in front.

Every text is said by id (pynn.page.text): the package registers what each lesson declares
(``Lesson.texts``: ``lesson.<name>.title``, ``.question``, ``.choice.<n>``, ``.follow-up``), each
lesson's module the paragraphs of its story (``lesson.<name>.story.…``); the verdict and the numbers
are this module's (``lessons.…``).

Standard library only: build.py imports this package without numpy (and without pynn's __init__).
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .. import text

TEXT = text.register({
    "lessons.accuracy": "{value:.3f}",
    "lessons.loss": "{value:.4f}",
    "lessons.loss-large": "{value:.2e}",
    "lessons.verdict.shown": "You predicted \u201c{choice}\u201d \u2014 and that is what this run showed.",
    "lessons.verdict.other": "You predicted \u201c{choice}\u201d; this run showed \u201c{shown}\u201d.",
    "lessons.unknown": "unknown lesson {name}; known: {known}",
    "lessons.choice": "choice must be 0 to {last} for lesson {name}, got {choice}",
})

BASE = {
    "dataset": "spiral", "classes": 3, "points": 300, "noise": 0.1, "split": 0.8, "hidden": 32,
    "init": "he", "lr": 0.5, "batch": 10, "wd": 0.0, "seed": 1,
}
"""The setup every lesson starts from: the 3-class spiral, a net that learns it in ~100 epochs."""


class Run(NamedTuple):
    """What one run showed, read from the Session after it (pynn.page.lessonrun.train).

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
    extra: dict[str, float]  # what the lesson's ``measure`` found in the net itself (lessonrun.MEASURES)
    arms: dict[str, "Run"]  # the comparison runs, by their label in the lesson's ``compare``


def acc(value: float) -> str:
    """An accuracy as the page's readouts show it (3 decimals)."""
    return text.say("lessons.accuracy", value=value)


def loss(value: float) -> str:
    """A mean loss as the page's readouts show it (4 decimals; large ones as 1.23e+04)."""
    return text.say("lessons.loss-large" if abs(value) >= 1e4 else "lessons.loss", value=value)


class Lesson(NamedTuple):
    """One lesson: its module of this package holds it as ``LESSON``; the package's ORDER gives it its name."""

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
    measure: str = ""  # what the runner measures of the net itself for ``story`` (lessonrun.MEASURES), if anything
    name: str = ""  # the #lesson=NAME of its link (a contract): its entry in ORDER

    def key(self, *parts: str) -> str:
        """The id of one of this lesson's texts: ``lesson.<name>.<parts…>``."""
        return ".".join(("lesson", *map(text.name_part, (self.name, *parts))))

    def texts(self) -> dict[str, str]:
        """The lesson's declared texts by id: title, question, each choice (from 1), the follow-up."""
        return {self.key("title"): self.title, self.key("question"): self.question,
                **{self.key("choice", str(n)): choice for n, choice in enumerate(self.choices, 1)},
                self.key("follow-up"): self.follow_up}

    def choice(self, index: int) -> str:
        """The choice ``index`` (from 0), in the page's language."""
        return text.say(self.key("choice", str(index + 1)))

    def check_choice(self, choice: Any) -> None:
        """ValueError unless ``choice`` is the index (from 0) of one of this lesson's choices."""
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(self.choices):
            raise ValueError(text.say("lessons.choice", last=len(self.choices) - 1, name=repr(self.name), choice=repr(choice)))

    def explain(self, choice: int, run: Run) -> list[str]:
        """Paragraphs for the page: the prediction against what this run showed, then why, every
        number from ``run``. ValueError for a choice that is not one of this lesson's."""
        self.check_choice(choice)
        shown = self.shown(run)
        if choice == shown:
            verdict = text.say("lessons.verdict.shown", choice=self.choice(choice))
        else:
            verdict = text.say("lessons.verdict.other", choice=self.choice(choice), shown=self.choice(shown))
        return [verdict, *self.story(run)]

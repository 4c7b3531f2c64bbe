"""The lessons: predict, run, explain — one experiment each, the way physics demonstrations are taught.

Each lesson is a module of this package (``lr-large`` in lr_large.py) that holds its ``LESSON``
(pynn.page.lessons.lesson.Lesson): it sets the page up, asks a question with 3–4 predictions to
pick from before anything runs, trains a fresh net from the seed for ``epochs`` (and, for a
comparison, the same run with one setting changed), and then explains what *this* run showed from
the numbers pynn.page.lessonrun read from the Session after the run (a ``Run``), saying whether
the prediction matched. The marked ``answer`` is the one tests/test_lessons.py checks the real runs
give.

A ninth lesson is one module more and one line in ORDER: the page's list (dist/settings.js, from
``table()``), an assignment's ``lessons=`` key (pynn.page.settings reads ORDER from this source),
the hand-ins and the tests follow.

Standard library only: build.py imports this package from pynn/page/'s folder, without numpy, and
writes ``table()`` into dist/settings.js, so the page lists the lessons before Python starts; the
table names the lessons' texts by id (``lesson.<name>.question``…, registered here from each LESSON)
and dist/settings.js carries their English (``texts``).
"""
from __future__ import annotations

import importlib
from typing import Any

from .. import text
from .lesson import Lesson, Run

ORDER = (
    "capacity",
    "lr-large",
    "lr-small",
    "batch",
    "init",
    "overfitting",
    "noise",
    "digits",
)
"""The lessons in the page's order, by the names of their links (``#lesson=lr-large``): the one list
of them. pynn.page.settings reads this assignment from the source: keep it a literal."""


def _load(name: str) -> Lesson:
    """The LESSON of this package's module for ``name`` (a dash in the name is an underscore in the module's)."""
    return importlib.import_module(f"{__name__}.{name.replace('-', '_')}").LESSON._replace(name=name)


LESSONS: tuple[Lesson, ...] = tuple(_load(name) for name in ORDER)

BY_NAME = {lesson.name: lesson for lesson in LESSONS}

TEXT = text.register({key: english for lesson in LESSONS for key, english in lesson.texts().items()})
"""Each lesson's title, question, choices and follow-up, by id (Lesson.texts)."""


def get(name: str) -> Lesson:
    """The lesson called ``name``; ValueError listing the known names for any other."""
    if not isinstance(name, str) or name not in BY_NAME:
        raise ValueError(text.say("lessons.unknown", name=repr(str(name)[:40]), known=", ".join(BY_NAME)))
    return BY_NAME[name]


def table() -> list[dict[str, Any]]:
    """The lessons as plain JSON values, for the page (dist/settings.js, key ``lessons``): the texts
    by their ids (the table's ``texts`` holds their English; the page says them with t())."""
    return [
        {
            "name": lesson.name, "title": lesson.key("title"), "settings": dict(lesson.settings),
            "question": lesson.key("question"), "choices": [lesson.key("choice", str(n)) for n in range(1, len(lesson.choices) + 1)],
            "epochs": lesson.epochs, "compare": list(lesson.compare), "follow_up": lesson.key("follow-up"),
        }
        for lesson in LESSONS
    ]


__all__ = ["ORDER", "LESSONS", "BY_NAME", "Lesson", "Run", "get", "table"]

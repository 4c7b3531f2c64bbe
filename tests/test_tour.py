"""pynn.page.tour: the tour introduces the page (each step points at a part of web/index.html), its
count is the page table's, a setup is one pynn accepts, and every experiment the tour used to hold
is part of a lesson (pynn.page.lessons)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pynn.page import lessons, settings, text, tour

INDEX = (Path(__file__).resolve().parent.parent / "web" / "index.html").read_text(encoding="utf-8")


def test_the_page_table_hands_the_tours_steps_to_the_page_and_counts_them() -> None:
    assert settings.TOUR == tour.STEPS
    assert settings.TOUR_STEPS == len(tour.STEPS) == settings.table()["tour"]["steps"]
    cards = settings.table()["tour"]["cards"]
    said = [{key: text.ENGLISH[value] if key in tour.TEXTS else value for key, value in card.items()} for card in cards]
    assert said == [dict(step) for step in tour.STEPS]  # the texts by their ids, the rest as it is


def on_the_page(selector: str) -> bool:
    """Whether web/index.html has the element of ``selector`` (the forms the tour uses)."""
    if found := re.fullmatch(r'\[data-testid="([\w-]+)"\]', selector):
        return f'data-testid="{found[1]}"' in INDEX
    # ".a.b" (one element with both classes) or ".a .b" (a descendant): each class on the page
    classes = re.findall(r"\.([\w-]+)", selector)
    return bool(classes) and all(re.search(rf'class="[^"]*\b{name}\b', INDEX) for name in classes)


@pytest.mark.parametrize("step", tour.STEPS, ids=lambda step: step["title"])
def test_each_step_points_at_a_part_of_the_page_says_what_it_is_and_asks_a_question(step: dict) -> None:
    assert set(step) <= {"title", "target", "text", "question", "setup", "lessons"}
    assert on_the_page(step["target"]), step["target"]
    assert step["text"].endswith(".") and step["question"].endswith("?")
    if "setup" in step:
        assert settings.validate(step["setup"]) == {**settings.defaults(), **step["setup"]}


def test_the_tour_starts_with_the_plane_set_up_and_ends_in_the_lessons() -> None:
    assert tour.STEPS[0]["target"] == '[data-testid="boundary-canvas"]' and "setup" in tour.STEPS[0]
    assert tour.STEPS[-1].get("lessons") is True and tour.STEPS[-1]["target"] == '[data-testid="lessons"]'
    assert sum("setup" in step for step in tour.STEPS) == 1, "only a step that needs a setup has one"
    assert len({step["target"] for step in tour.STEPS}) == len(tour.STEPS)


# The old tour's eight experiments (its setups over its base, the spiral with H = 32), each with the
# lesson that holds it now: the lesson's own setup, or one of its comparison runs.
SPIRAL = {"dataset": "spiral", "classes": 3, "points": 300, "noise": 0.1, "split": 0.8, "hidden": 32, "lr": 0.5,
          "batch": 10, "wd": 0.0, "seed": 1}
MOONS = {**SPIRAL, "dataset": "moons", "classes": 2, "points": 40, "noise": 0.35, "hidden": 200, "batch": 4}
OLD_TOUR = [
    ("H = 1", {**SPIRAL, "hidden": 1}, "capacity"),
    ("H = 64", {**SPIRAL, "hidden": 64}, "capacity"),
    ("a learning rate too large", {**SPIRAL, "hidden": 64, "lr": 20}, "lr-large"),
    ("batch 1", {**SPIRAL, "hidden": 64, "lr": 0.1, "batch": 1}, "batch"),
    ("batch 32", {**SPIRAL, "hidden": 64, "lr": 0.1, "batch": 32}, "batch"),
    ("overfitting", MOONS, "overfitting"),
    ("L2", {**MOONS, "wd": 0.01}, "overfitting"),
    ("test below training", {**SPIRAL, "dataset": "circles", "classes": 2, "points": 100, "noise": 0.5,
                             "split": 0.5, "hidden": 100}, "noise"),
]


@pytest.mark.parametrize(("what", "old", "name"), OLD_TOUR, ids=[item[0] for item in OLD_TOUR])
def test_every_experiment_the_tour_held_is_part_of_a_lesson(what: str, old: dict, name: str) -> None:
    """The lesson runs the same experiment: the same data set and the one setting the old step was
    about (H, the learning rate's side of 0.5, the batch size, L2, the test split) in its setup or in
    one of its comparison runs."""
    lesson = lessons.get(name)
    runs = [lesson.settings, *({**lesson.settings, **change} for change in lesson.compare.values())]
    same_data = [run for run in runs if all(run[key] == old[key] for key in ("dataset", "classes", "points", "noise", "split"))]
    assert same_data, f"{what}: {name} has not the old step's data"
    about = {"H = 1": "hidden", "H = 64": "hidden", "batch 1": "batch", "batch 32": "batch", "L2": "wd",
             "overfitting": "wd", "test below training": "split"}.get(what)
    if about:
        assert any(run[about] == old[about] for run in same_data), f"{what}: no run of {name} has {about} = {old[about]}"
    else:  # the learning rate too large: a rate that blows the net up, beside 0.5 that trains it
        assert any(run["lr"] >= 20 for run in same_data) and any(run["lr"] == 0.5 for run in same_data)
    if what.startswith("batch"):
        assert all(run["lr"] == 0.1 for run in same_data)

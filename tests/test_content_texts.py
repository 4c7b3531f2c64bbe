"""The content's texts (issue 34, "codes, not sentences"): every text of the exercises, the derivation's
steps, the lessons and the tour is registered in pynn.page.text under an id derived from the
content's own names — read here from ORDER, the steps, the lessons' list and the tour's steps, never
written out — and said by that id, so a catalogue translates what the page is told."""
from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from judged import check, check_step
from pseudo import i18n
from test_engine_texts import TEXT_FIELDS, _english as english, unsaid
from pynn.page import derive, judge, lessons, settings, text, tour
from pynn.page.derivation import ORDER as STEP_ORDER, STEPS
from pynn.page.exercises import EXERCISES, GENERIC, ORDER
from pynn.page.lessons import Run

ROOT = Path(__file__).resolve().parents[1]


def exercise_ids(name: str) -> dict[str, str]:
    """What the exercise ``name`` declares, by the id it derives: ``exercise.<name>.…``."""
    found = EXERCISES[name]
    key = f"exercise.{text.name_part(name)}"
    ids = {f"{key}.title": found.title, f"{key}.intro": found.intro}
    ids |= {f"{key}.equation.{n}": equation for n, equation in enumerate(found.equations, 1)
            if isinstance(equation, text.Words)}
    ids |= {f"{key}.check.{check.name}": check.title for check in found.checks}
    ids |= {f"{key}.mistake.{text.name_part(mistake)}": what for mistake, what in found.mistakes.items()}
    return ids


@pytest.mark.parametrize("name", ORDER)
def test_each_exercise_registers_its_texts_under_ids_from_its_names(name: str) -> None:
    for key, english in exercise_ids(name).items():
        assert text.ENGLISH.get(key) == english, key
    key = f"exercise.{text.name_part(name)}"
    for check in EXERCISES[name].checks:  # what a check says when it passes: its module's
        assert f"{key}.check.{check.name}.passed" in text.ENGLISH, (name, check.title)
    assert text.ORIGIN[f"{key}.check.{EXERCISES[name].checks[0].name}.passed"].endswith(f"exercises/{name}.py")


def test_the_mistakes_any_check_names_are_registered_too() -> None:
    assert {key: text.ENGLISH.get(f"exercise.mistake.{key}") for key in GENERIC} == GENERIC


@pytest.mark.parametrize("step", STEPS, ids=lambda step: step.name)
def test_each_derivation_step_registers_its_texts_under_ids_from_its_name(step) -> None:
    key = f"derive.{text.name_part(step.name)}"
    for n, hint in enumerate(step.hints, 1):
        assert text.ENGLISH[f"{key}.hint.{n}"] == hint.say
        assert (text.ENGLISH.get(f"{key}.hint.{n}.maths") == hint.maths.text) == isinstance(hint.maths.text, text.Words)
    for n, known in enumerate(step.known, 1):
        assert (text.ENGLISH.get(f"{key}.known.{n}") == known.text) == isinstance(known.text, text.Words)
    assert (text.ENGLISH.get(f"{key}.question") == step.question.text) == isinstance(step.question.text, text.Words)
    for wrong in step.wrong:
        assert text.ENGLISH[f"{key}.mistake.{text.name_part(wrong.mistake)}"] == wrong.message
    assert [item["name"] for item in derive.catalogue()["steps"]] == list(STEP_ORDER)


@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.name)
def test_each_lesson_registers_its_texts_and_the_table_carries_their_ids(lesson) -> None:
    key = f"lesson.{text.name_part(lesson.name)}"
    item = next(item for item in lessons.table() if item["name"] == lesson.name)
    assert (text.ENGLISH[item["title"]], text.ENGLISH[item["question"]], text.ENGLISH[item["follow_up"]]) == (
        lesson.title, lesson.question, lesson.follow_up)
    assert (item["title"], item["question"], item["follow_up"]) == (f"{key}.title", f"{key}.question", f"{key}.follow-up")
    assert item["choices"] == [f"{key}.choice.{n}" for n in range(1, len(lesson.choices) + 1)]
    assert [text.ENGLISH[choice] for choice in item["choices"]] == list(lesson.choices)
    story = [name for name in text.ENGLISH if name.startswith(f"{key}.story.")]
    assert story and all(text.ORIGIN[name].endswith(f"lessons/{lesson.name.replace('-', '_')}.py") for name in story)


def test_the_tours_cards_carry_ids_whose_english_is_each_steps() -> None:
    cards = settings.table()["tour"]["cards"]
    assert len(cards) == len(tour.STEPS)
    for n, (card, step) in enumerate(zip(cards, tour.STEPS), 1):
        for part in tour.TEXTS:
            assert card[part] == f"tour.card.{n}.{part}" and text.ENGLISH[card[part]] == step[part]
        assert {key: value for key, value in card.items() if key not in tour.TEXTS} == {
            key: value for key, value in step.items() if key not in tour.TEXTS}


def test_the_page_table_carries_the_english_of_the_contents_ids() -> None:
    table = settings.javascript({"lessons": lessons.table()})
    for key in ("tour.card.1.title", f"lesson.{text.name_part(lessons.ORDER[0])}.question"):
        assert f'"{key}": ' in table.split('"texts"')[1]


# -- a pseudo-language: every content text said from a catalogue --------------------------------------

ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


def pseudo(english: str) -> str:
    """``english`` accented and bracketed, its {placeholders} kept."""
    parts = re.split(r"(\{[^{}]*\})", english)
    return "⟦" + "".join(part if part.startswith("{") else part.translate(ACCENTS) for part in parts) + "⟧"


@pytest.fixture
def pseudo_language():
    """Every text registered so far, in the pseudo-language (a catalogue as build.py compiles one)."""
    catalog = Catalog(locale="en", domain="pynn")
    for key, english in text.ENGLISH.items():
        if isinstance(english, str):
            catalog.add(english, pseudo(english), context=key)
    text.use({**i18n.compiled("en", catalog), "lang": "en-XA"})
    yield
    text.use(None)


def test_an_exercises_judgement_and_catalogue_come_out_in_the_catalogues_language(pseudo_language) -> None:
    """A function that returns nothing, for the first exercise: the check's name and its judgement
    (the generic mistake), the exercise's title, intro and checks, each said from the catalogue."""
    name = ORDER[0]
    found = EXERCISES[name]
    result = check(name, f"def {name}(*args):\n    pass\n", seed=7)
    first = result["checks"][0]
    assert result["status"] == "fail" and first["mistake"] == "no-return"
    assert first["name"] == pseudo(found.checks[0].title)
    assert first["message"].startswith("⟦") and pseudo("None — did you forget the return?") in first["message"]
    shown = next(item for item in judge.catalogue() if item["name"] == name)
    assert shown["title"] == pseudo(found.title) and shown["intro"] == pseudo(found.intro)
    assert shown["checks"] == [pseudo(check.title) for check in found.checks]


def test_a_wrong_answers_message_comes_out_in_the_catalogues_language(pseudo_language) -> None:
    """The first named wrong answer of the derivation's steps: its message, said from the catalogue."""
    step = next(step for step in STEPS if step.wrong and not re.search(r"\{\w+\}", step.wrong[0].message))
    result = check_step(step.name, step.wrong[0].value, seed=3)
    assert result["mistake"] == step.wrong[0].mistake and result["message"] == pseudo(step.wrong[0].message)
    hints = next(item for item in derive.catalogue()["steps"] if item["name"] == step.name)["hints"]
    assert [hint["say"] for hint in hints] == [pseudo(hint.say) for hint in step.hints]


def test_a_lessons_explanation_comes_out_in_the_catalogues_language(pseudo_language) -> None:
    lesson = lessons.LESSONS[0]
    arm = Run(epochs=3, updates=90, diverged_at=None, train_accuracy=0.5, test_accuracy=0.4, train_loss=0.9,
              test_loss=1.0, start_loss=1.1, rises=0, updates_per_epoch=30, train_points=240,
              extra={name: 1.0 for name in ("dead_units", "units", "majority", "largest_weight", "unit_spread",
                                             "weight_change", "template_median", "template_max", "template_start",
                                             "digits_voted")}, arms={})
    run = arm._replace(arms={label: arm for label in lesson.compare})
    said = lesson.explain(0, run)
    assert all(paragraph.startswith("⟦") for paragraph in said), said
    assert pseudo(lesson.choices[0]) in said[0]
    assert lesson.choice(len(lesson.choices) - 1) == pseudo(lesson.choices[-1])
    shown = lessons.table()[0]  # what the page says with t(), by the ids the table carries
    assert [text.say(shown["question"]), *map(text.say, shown["choices"])] == [pseudo(lesson.question), *map(pseudo, lesson.choices)]


# -- no sentence said without the lookup --------------------------------------------------------------

CONTENT = sorted([*(ROOT / "pynn" / "page").glob("*/*.py"), ROOT / "pynn" / "page" / "tour.py"])
"""The content: the packages' modules (exercises/, derivation/, lessons/) and the tour's cards."""


def codes(node: ast.AST) -> bool:
    """Whether ``node`` is a code or a choice of codes ("no-return" if … else "wrong-type"), no text."""
    if isinstance(node, ast.IfExp):
        return codes(node.body) and codes(node.orelse)
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"[\w-]+", node.value) is not None


def unsaid_in_content(source: str) -> list[tuple[int, str]]:
    """What tests/test_engine_texts.py's scan finds (but declarations: content declares its texts in
    dicts with "title" or "text", which the package registers; and codes returned), and what content
    says besides: a Mistake's message, a list of paragraphs returned (a lesson's story) in English."""
    tree = ast.parse(source)
    returned_codes = {node.lineno for node in ast.walk(tree) if isinstance(node, ast.Return) and codes(node.value)}
    found = [(line, what) for line, what in unsaid(source)
             if what in ("return", "ValueError") and line not in returned_codes or what not in ("return", *TEXT_FIELDS)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Mistake" and node.args and english(node.args[0]):
            found.append((node.lineno, "Mistake"))
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.List) and any(map(english, node.value.elts)):
            found.append((node.lineno, "return"))
    return found


def test_the_content_scan_finds_a_mistake_and_a_story_in_english() -> None:
    planted = '''
def judge(s, out):
    if out is None:
        raise Mistake(f"relu(s) must not be {out}", "no-return")
    return "leaves its argument s unchanged"

def story(run):
    return [f"After {run.epochs} epochs the net learnt", say("lesson.x.story.2")]
'''
    assert sorted(unsaid_in_content(planted)) == [(4, "Mistake"), (5, "return"), (8, "return")]


@pytest.mark.parametrize("path", CONTENT, ids=lambda path: str(path.relative_to(ROOT / "pynn" / "page")))
def test_no_content_module_says_english_without_the_lookup(path: Path) -> None:
    assert unsaid_in_content(path.read_text(encoding="utf-8")) == []

"""Printed (issue 39): the handout carries no control and no hand-in box and ends where its content
does; an open lesson prints as a worksheet with an empty box before each choice and not the
prediction this browser picked; on screen the hand-in box says "nothing yet" in a line."""
from __future__ import annotations

import re

# Each choice's look on paper: the box drawn before it, its background, and the radio.
CHOICES_JS = """() => [...document.querySelectorAll('.lesson-choice')].map((choice) => {
  const box = getComputedStyle(choice, '::before');
  return { content: box.content, border: box.borderTopStyle, width: parseFloat(box.width),
           background: getComputedStyle(choice).backgroundColor,
           radio: choice.querySelector('input').getBoundingClientRect().width };
})"""


def test_the_handout_prints_without_the_hand_in_box_and_a_lesson_as_a_worksheet_with_empty_boxes(ready_page, ui, page):
    ready_page("exercise=gradients")
    page.wait_for_function("() => document.querySelector('.exercise-maths')", timeout=60_000)
    caption = page.locator('[data-testid="handin-preview"] caption')
    assert caption.is_visible() and caption.evaluate("(c) => c.getBoundingClientRect().height") < 40  # one line
    page.emulate_media(media="print")
    assert page.locator('[data-testid="handin"]').is_hidden()
    assert page.locator('[data-testid="handin-name"]').is_hidden()
    assert page.locator(".exercise-maths").is_visible()
    assert page.locator("button:visible, input:visible, select:visible").count() == 0
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf)) == 1
    page.emulate_media(media="screen")

    # with a lesson open, its worksheet: an empty box before each choice, not the prediction picked
    page.evaluate("() => { location.hash = 'lesson=overfitting'; }")
    ui.hook("lesson-predict").get_by_role("radio").nth(1).check()
    page.emulate_media(media="print")
    choices = page.evaluate(CHOICES_JS)
    assert len(choices) == 3
    for choice in choices:
        assert choice["content"] == '""' and choice["border"] == "solid" and choice["width"] > 8, choice
        assert choice["radio"] == 0, "the radio (and what it says was picked) is printed"
        assert choice["background"] in ("rgba(0, 0, 0, 0)", "transparent"), "the picked choice is highlighted"
    assert ui.hook("lesson-question").is_visible() and ui.hook("lesson-run").is_hidden()
    assert page.locator(".lesson-write").is_visible()
    page.emulate_media(media="screen")
    assert page.evaluate(CHOICES_JS)[0]["content"] in ("none", "normal")

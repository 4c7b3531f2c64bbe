"""Derive the gradients, in the page (issue 26): the whole derivation with the keyboard alone, a
wrong then a right answer at each step (checked in the sandbox), a hint at each step, counted and
kept with the passed steps over a reload; the equations typeset in the derivation (the guard fails
the test on any console error or CSP violation)."""
from __future__ import annotations

import json

# The sandbox is a second Python: on a loaded machine its start takes a while.
CHECKER_MS = 120_000
RESULT = '[data-testid="derive-result"]'

# (step, a wrong answer, the mistake it must be named as, a right answer)
STEPS = [
    ("h1", "-yoh * np.log(h1)", "loss-not-derivative", "-yoh / h1"),
    ("s1", "yoh - h1", "sign", "h1 - yoh"),
    ("W1", "h0 @ g1.T", "transposed", "g1 @ h0.T"),
    ("b1", "g1.sum()", "shape", "g1"),
    ("h0", "W1 @ g1", "transposed", "W1.T @ g1"),
    ("s0", "dh0", "mask-missing", "dh0 * (s0 > 0)"),
    ("W0", "x @ g0.T", "transposed", "g0 @ x.T"),
    ("b0", "dh0", "mask-missing", "g0"),
    ("batch", "((W1.T @ G1) * (S0 > 0)).mean(axis=1, keepdims=True)", "mean-not-sum",
     "((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)"),
]


def answer(page, expression: str, timeout_ms: int) -> tuple[str, str, str]:
    """Type `expression` into the focused answer (replacing what is there), press Enter, and wait
    for the result: (status, mistake, message)."""
    focused = page.evaluate("() => document.activeElement?.dataset.testid")
    assert focused == "derive-answer", f"the answer is not focused but {focused}"
    page.keyboard.press("Control+A")
    page.keyboard.type(expression)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => ['pass', 'fail', 'error'].includes(document.querySelector('{RESULT}')?.dataset.status)",
        timeout=timeout_ms)
    result = page.locator(RESULT)
    return result.get_attribute("data-status"), result.get_attribute("data-mistake"), result.inner_text()


def test_a_whole_derivation_by_keyboard_wrong_then_right_with_hints_counted_and_kept(ready_page, ui):
    page = ready_page()
    page.locator('[data-testid="derive-open"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="derive-answer"]:focus', timeout=30_000)
    assert ui.hash_params()["derive"] == "h1"

    for number, (step, wrong, mistake, right) in enumerate(STEPS):
        assert ui.hash_params()["derive"] == step
        question = page.locator('[data-testid="derive-question"]')
        question.locator(".katex").first.wait_for(timeout=30_000)
        assert question.get_attribute("role") == "img" and "?" in question.get_attribute("aria-label")
        timeout = CHECKER_MS if number == 0 else 30_000
        status, named, message = answer(page, wrong, timeout)
        assert (status, named) == ("fail", mistake), f"{step}: {wrong} gave {status} {named}: {message}"
        assert message.strip(), step
        status, _, message = answer(page, right, timeout)
        assert status == "pass", f"{step}: {right} gave {status}: {message}"
        # One hint: Tab from the answer past Check to Hint, Enter; its equation is typeset.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.dataset.testid") == "derive-hint"
        page.keyboard.press("Enter")
        hints = page.locator('[data-testid="derive-hints"] li')
        assert hints.count() == 1
        hints.first.locator(".katex").first.wait_for(timeout=10_000)
        assert "1 of" in page.locator('[data-testid="derive-hint"]').inner_text()
        if step != "batch":
            page.keyboard.press("Tab")
            assert page.evaluate("() => document.activeElement.dataset.testid") == "derive-next"
            page.keyboard.press("Enter")
            page.wait_for_selector('[data-testid="derive-answer"]:focus')

    kept = json.loads(page.evaluate("() => localStorage.getItem('pynn.derive')"))
    assert kept["passed"] == {step: right for step, _, _, right in STEPS}
    assert kept["hints"] == {step: 1 for step, *_ in STEPS}
    assert all(page.locator(f'[data-testid="derive-step-{step}"]').get_attribute("data-status") == "pass"
               for step, *_ in STEPS)
    known = page.locator(".derive-known .katex")
    assert known.count() >= 3

    # Kept over a reload: the steps stay passed, the hints counted; #derive=s0 opens that step.
    page.goto(page.url.split("#")[0] + "#derive=s0")
    page.reload()
    page.wait_for_selector('[data-testid="derive-step-s0"][aria-current="step"]', timeout=CHECKER_MS)
    assert page.locator('[data-testid="derive-answer"]').input_value() == "dh0 * (s0 > 0)"
    assert page.locator('[data-testid="derive-hints"] li').count() == 1
    assert page.locator('[data-testid="derive-step-b0"]').get_attribute("data-status") == "pass"


def test_equations_on_request_use_my_derivation_and_the_stepper_names_the_steps(ready_page, ui, e2e_tools):
    page = ready_page("exercise=gradients&equations=ask")
    assert ui.hash_params()["equations"] == "ask"
    e2e_tools.Ui(page).open_exercise("gradients", CHECKER_MS)
    maths = page.locator('[data-testid="exercise-maths"]')
    assert maths.is_hidden(), "equations=ask shows the equations before they are asked for"
    assert page.evaluate("() => localStorage.getItem('pynn.equations-asked')") is None

    # Nothing derived yet: the button names the steps to derive.
    page.locator('[data-testid="exercise-use-derivation"]').click()
    missing = page.locator('[data-testid="exercise-derivation-missing"]').inner_text()
    assert all(step in missing for step in ("s1", "W1", "b0"))

    # Derived (as the derivation keeps it): the editor gets gradients() from it, and it passes.
    passed = {step: right for step, _, _, right in STEPS}
    page.evaluate("(passed) => localStorage.setItem('pynn.derive', JSON.stringify({ passed, hints: {} }))", passed)
    page.locator('[data-testid="exercise-use-derivation"]').click()
    text = page.locator('[data-testid="exercise-editor"] .cm-content').inner_text()
    assert "g1 = h1 - yoh" in text and "dW0 = g0 @ x.T" in text
    status, said = e2e_tools.Ui(page).press_check(timeout_ms=CHECKER_MS)
    assert status == "pass", said

    # Show the equations: typeset, each with its text alternative; the request is kept.
    page.locator('[data-testid="exercise-show-equations"]').click()
    assert maths.is_visible()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=exercise-maths] .katex').length === 6",
                           timeout=30_000)
    labels = maths.locator("[role=img]").evaluate_all("(nodes) => nodes.map((n) => n.getAttribute('aria-label'))")
    assert labels[0] == "G1 = ∂L/∂S1 = H1 − Yoh   (C×N)"
    asked = json.loads(page.evaluate("() => localStorage.getItem('pynn.equations-asked')"))
    assert list(asked) == ["gradients"]

    # The stepper's backward stages name the derivation's steps, their equations typeset.
    panel = page.locator('[data-testid="backprop-panel"]')
    page.wait_for_function("() => document.querySelector('[data-testid=backprop-stage]').textContent !== '–'",
                           timeout=30_000)
    named = {}
    for _ in range(12):
        named[panel.get_attribute("data-stage")] = panel.get_attribute("data-derive")
        page.locator('[data-testid="backprop-next"]').click()
    assert {key: steps for key, steps in named.items() if steps} == {
        "g1": "s1", "dW1": "W1 b1", "W1g1": "h0", "mask": "s0", "g0": "s0", "dW0": "W0 b0"}
    page.wait_for_selector('[data-testid="backprop-panel"] .backprop-equation .katex', timeout=30_000)
    assert "derivation steps W0, b0" not in panel.locator(".backprop-count").inner_text()  # the update stage
    label = panel.locator(".backprop-equation").get_attribute("aria-label")
    assert label and "θ" in label


IN_VIEW = """(testid) => {
  const box = document.querySelector(`[data-testid="${testid}"]`).getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= innerHeight;
}"""


def test_a_derivation_link_scrolls_to_the_step_and_focuses_its_answer_and_escape_gives_focus_back(ready_page, ui):
    page = ready_page("derive=s1")  # at 1280×800
    page.wait_for_selector('[data-testid="derive-answer"]:focus', timeout=CHECKER_MS)
    assert page.locator('[data-testid="derive-step-s1"]').get_attribute("aria-current") == "step"
    assert page.evaluate(IN_VIEW, "derive-answer") and page.evaluate("() => scrollY") > 0
    # Escape closes the panel; the focus goes to the header's button that opens it again.
    page.keyboard.press("Escape")
    assert page.locator('[data-testid="derive"]').is_hidden() and "derive" not in ui.hash_params()
    assert page.evaluate("() => document.activeElement.dataset.testid") == "derive-open"
    # On a phone: a link followed in the same tab, and a reload with the step in the address.
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate("() => { location.hash = 'derive=b1'; }")
    page.wait_for_selector('[data-testid="derive-step-b1"][aria-current="step"]')
    page.wait_for_selector('[data-testid="derive-answer"]:focus')
    assert page.evaluate(IN_VIEW, "derive-answer")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.reload()
    page.wait_for_selector('[data-testid="derive-step-b1"][aria-current="step"]', timeout=CHECKER_MS)
    page.wait_for_selector('[data-testid="derive-answer"]:focus', timeout=CHECKER_MS)
    assert page.evaluate(IN_VIEW, "derive-answer") and page.evaluate("() => scrollY") > 0
    page.keyboard.press("Escape")
    assert page.locator('[data-testid="derive"]').is_hidden()
    assert page.evaluate("() => document.activeElement.dataset.testid") == "derive-open"

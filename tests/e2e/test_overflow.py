"""Nothing runs off the right-hand edge (issue 39): at 390, 1024, 1280 and 1920 px wide, in every
view and with every hint of the derivation open, the page is no wider than the window
(scrollWidth ≤ innerWidth; tests/e2e/test_lessons.py checks the same after every lesson's run)."""
from __future__ import annotations

CHECKER_MS = 120_000

# Each a view of the page, opened as a link followed in the same tab.
VIEWS = ["view=projector", "hide=lr,batch,wd", "view=teacher", "view=embed", "tour=1", "exercise=gradients",
         "derive=batch", "dataset=digits", "lesson=capacity", "lesson=capacity&view=projector"]


def test_no_view_is_wider_than_the_window(ready_page, ui):
    page = ready_page()
    found = ui.overflows("the default view")
    for view in VIEWS:
        page.evaluate("(hash) => { location.hash = hash; }", view)
        page.wait_for_timeout(400)
        found += ui.overflows(view)
    assert not found, "\n".join(found)


def test_no_derivation_hint_makes_the_page_wider_than_the_window(ready_page, ui):
    page = ready_page("derive=h1")
    page.wait_for_selector('[data-testid="derive-answer"]', timeout=CHECKER_MS)
    steps = page.locator('[data-testid^="derive-step-"]')
    found = []
    for i in range(steps.count()):
        steps.nth(i).click()
        hint = page.locator('[data-testid="derive-hint"]')
        while hint.is_enabled():
            hint.click()
        page.locator('[data-testid="derive-hints"] li').last.locator(".katex").first.wait_for(timeout=30_000)
        found += ui.overflows(f"the derivation's step {steps.nth(i).inner_text()} with its hints")
    assert not found, "\n".join(found)

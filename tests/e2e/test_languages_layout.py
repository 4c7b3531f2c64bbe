"""The page's layout in each of its seven languages (issue 36): longer words must not push the tour's
buttons out of a phone's sheet, nor wrap the header's status or move its language menu.

Positions are measured on the page (bounding boxes, what is drawn at a point), never read from the
style sheets."""
from __future__ import annotations

import pytest

from pynn.page import settings, tour

LANGUAGES = list(settings.LANGUAGES)
SPIRAL = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.5&batch=10&wd=0&seed=1"
READY_MS = 60_000


def speak(page, code: str, hash_: str = "") -> None:
    """The open page in the language `code` (through its address, as a link would), at `hash_`."""
    page.evaluate("(hash) => { location.hash = hash; }", f"{hash_}&lang={code}" if hash_ else f"lang={code}")
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=code)


def settle(page) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


# --- the tour's sheet on a phone ------------------------------------------------------------------------

# Each of the tour card's buttons where it is drawn now: inside the card and the window, and the
# element drawn at its centre (the button itself unless something covers or clips it).
TOUR_BUTTONS_JS = """() => {
  const card = document.querySelector('[data-testid="tour"]');
  const sheet = card.getBoundingClientRect();
  const scrolled = [card, ...card.querySelectorAll("*")].filter((el) => el.scrollTop > 0).map((el) => el.className);
  const buttons = [...card.querySelectorAll("button")].map((button) => {
    const box = button.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      name: button.dataset.testid || button.textContent.trim(),
      inCard: box.top >= sheet.top - 0.5 && box.bottom <= sheet.bottom + 0.5 && box.left >= sheet.left - 0.5 && box.right <= sheet.right + 0.5,
      inWindow: box.top >= 0 && box.bottom <= innerHeight + 0.5 && box.left >= 0 && box.right <= innerWidth + 0.5,
      drawn: button.contains(hit),
      x: box.left + box.width / 2, y: box.top + box.height / 2,
    };
  });
  return { buttons, scrolled };
}"""


@pytest.mark.parametrize("code", LANGUAGES)
def test_on_a_phone_every_step_of_the_tour_shows_its_buttons_without_scrolling_in_the_sheet(page, site_url, code):
    """At 390×844 and 360×740, each step's buttons (Back, Next or Finish, ×, a set-up or the lessons)
    lie inside the sheet and the window, drawn where they are (not under the sheet's edge), the sheet
    not scrolled: Next is pressed where it is drawn, with the mouse, to reach the next step. In
    Spanish, German and Portuguese the buttons' row wraps; the step's words scroll instead."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}#{SPIRAL}")
    page.wait_for_selector('[data-testid="language"] option', state="attached")
    found = []
    for width, height in ((390, 844), (360, 740)):
        page.set_viewport_size({"width": width, "height": height})
        speak(page, code, f"{SPIRAL}&tour=1")
        for step in range(1, len(tour.STEPS) + 1):
            page.wait_for_function("(step) => new URLSearchParams(location.hash.slice(1)).get('tour') === String(step)"
                                   " && !document.querySelector('[data-testid=\"tour\"]').hidden", arg=step)
            settle(page)
            seen = page.evaluate(TOUR_BUTTONS_JS)
            where = f"{code} at {width}×{height}, step {step}"
            if seen["scrolled"]:
                found.append(f"{where}: scrolled inside the card: {seen['scrolled']}")
            names = [button["name"] for button in seen["buttons"]]
            assert {"tour-next", "tour-close"} <= set(names), f"{where}: {names}"
            found += [f"{where}: {button['name']!r} {'outside the card' if not button['inCard'] else ''}"
                      f"{' outside the window' if not button['inWindow'] else ''}{' not drawn at its place' if not button['drawn'] else ''}"
                      for button in seen["buttons"] if not (button["inCard"] and button["inWindow"] and button["drawn"])]
            following = next(button for button in seen["buttons"] if button["name"] == "tour-next")
            if not following["drawn"]:
                break  # no pressing it where it is drawn: the next steps cannot be reached so
            if step < len(tour.STEPS):
                page.mouse.click(following["x"], following["y"])
    assert not found, "\n".join(found)


# --- the header -----------------------------------------------------------------------------------------

# The header's status line (its text's lines) and the language menu's place in its row.
HEADER_JS = """() => {
  const header = document.querySelector("header.top");
  const status = document.querySelector('[data-testid="status"]');
  const menu = document.querySelector('[data-testid="language"]');
  const range = document.createRange();
  range.selectNodeContents(status);
  const tops = new Set([...range.getClientRects()].filter((box) => box.width > 0).map((box) => Math.round(box.top)));
  const style = getComputedStyle(header);
  const rtl = getComputedStyle(document.documentElement).direction === "rtl";
  const start = rtl ? header.getBoundingClientRect().right - parseFloat(style.paddingRight) : header.getBoundingClientRect().left + parseFloat(style.paddingLeft);
  const end = rtl ? header.getBoundingClientRect().left + parseFloat(style.paddingLeft) : header.getBoundingClientRect().right - parseFloat(style.paddingRight);
  const box = menu.getBoundingClientRect();
  const menuEnd = rtl ? box.left : box.right;
  const rowMates = [...header.querySelectorAll("h1, .tagline-box, .view-tools > *, .status-box > *")]
    .map((el) => el.getBoundingClientRect())
    .filter((other) => other.width && other.top < box.bottom && box.top < other.bottom);
  const after = rowMates.filter((other) => (rtl ? other.right <= box.left + 0.5 : other.left >= box.right - 0.5));
  return { text: status.textContent, lines: tops.size, statusHeight: status.getBoundingClientRect().height,
           menuEnd, end, start, after: after.length, width: innerWidth };
}"""


# The longest text the status line says while Python starts (the three steps, web/start/status.js),
# in the language `code`: from its catalogue, else English.
STEPS_TEXT_JS = """async (code) => {
  const english = (await import(new URL("lang/en.js", document.baseURI).href)).default;
  const own = code === "en" ? {} : (await (await fetch(new URL(`locale/${code}.json`, document.baseURI))).json()).messages;
  const say = (id) => own[id] ?? english[id];
  return say("start.loading.steps").replace("{steps}", `${say("start.step.runtime")} ✓  numpy …  pynn ·`);
}"""
# The status line saying it while Ready is kept aside, and Ready said again after.
SAY_STEPS_JS = """(steps) => {
  const line = document.querySelector('[data-testid="status"]');
  window.__ready = line.textContent;
  line.classList.remove("ready");
  line.textContent = steps;
}"""
SAY_READY_JS = """() => {
  const line = document.querySelector('[data-testid="status"]');
  line.classList.add("ready");
  line.textContent = window.__ready;
}"""


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_header_keeps_its_status_on_one_line_and_its_language_menu_at_its_rows_end(ready_page, ui, code):
    """At 1920, 1280 and 390 px, Ready and the start-up's steps, in each language: the status says
    it on one line, and the language menu sits at the end of its row (right; left in Arabic), no
    item of the header after it (at 1920 it stood in the middle of the one row, the status wrapped)."""
    page = ready_page(SPIRAL)
    speak(page, code, SPIRAL)
    page.wait_for_selector('[data-testid="status"].ready')
    steps = page.evaluate(STEPS_TEXT_JS, code)
    found = []
    for width, height in ((1920, 1080), (1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        said = {"ready": page.evaluate(HEADER_JS)}
        page.evaluate(SAY_STEPS_JS, steps)
        said["loading"] = page.evaluate(HEADER_JS)
        page.evaluate(SAY_READY_JS)
        for state, seen in said.items():
            where = f"{code} at {width} px ({state}: {seen['text']!r})"
            if seen["lines"] != 1:
                found.append(f"{where}: the status takes {seen['lines']} lines")
            if abs(seen["menuEnd"] - seen["end"]) > 1.5 or seen["after"]:
                found.append(f"{where}: the language menu ends at {seen['menuEnd']:.0f}, not at its row's end "
                             f"{seen['end']:.0f} ({seen['after']} item(s) after it)")
    assert not found, "\n".join(found)


# --- the first-visit hint on a phone --------------------------------------------------------------------

# Every control of the header outside the hint that the hint's box overlaps, or that something else
# is drawn over at its centre; and where the plane's top is.
HINT_COVERS_JS = """() => {
  const hint = document.querySelector('[data-testid="first-hint"]');
  const h = hint.getBoundingClientRect();
  const covered = [...document.querySelectorAll("header.top button, header.top select, header.top a")]
    .filter((el) => !hint.contains(el) && el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
    .filter((el) => {
      const b = el.getBoundingClientRect();
      const overlaps = b.left < h.right - 0.5 && h.left < b.right - 0.5 && b.top < h.bottom - 0.5 && h.top < b.bottom - 0.5;
      const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      return overlaps || !el.contains(hit);
    })
    .map((el) => el.dataset.testid || el.id || el.textContent.trim());
  return { covered, plane: document.querySelector('[data-testid="boundary-canvas"]').getBoundingClientRect().top };
}"""


def test_on_a_phone_the_first_visit_hint_covers_no_control_and_nothing_moves_when_it_goes(page, site_url):
    """A first visit at 390×844 and 360×740, in each language: the hint (taller than the tagline in
    Spanish and Portuguese) lies over none of the header's controls (it covered the top of the
    language menu); dismissed, it leaves the plane where it was."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}#{SPIRAL}")
    hint = page.locator('[data-testid="first-hint"]')
    hint.wait_for(state="visible")
    found = []
    for code in LANGUAGES:
        speak(page, code, SPIRAL)
        for width, height in ((390, 844), (360, 740)):
            page.set_viewport_size({"width": width, "height": height})
            settle(page)
            seen = page.evaluate(HINT_COVERS_JS)
            if seen["covered"]:
                found.append(f"{code} at {width} px: the hint covers {seen['covered']}")
    assert not found, "\n".join(found)
    before = page.evaluate(HINT_COVERS_JS)["plane"]
    page.locator("#first-hint-close").click()
    settle(page)
    assert not hint.is_visible()
    assert page.evaluate(HINT_COVERS_JS)["plane"] == before, "the page moved when the hint went"

"""Arabic, right to left (issue 36), in the built page with lang=ar: <html dir="rtl">, the layout
mirrored (the header, the setup's labels, the readouts' table, the tour's card, the message),
while the plane, its axes, the canvases and the maths keep their left-to-right reading; no element
is wider than the window at 390 and 1280 px in any view. And long texts: in the pseudo-language
(accented, 40 % longer) and in German (long words), no view at 390, 1280 or 1920 px clips a text
or scrolls sideways.

Positions are measured on the page (bounding boxes of elements and of their text), never read
from the style sheets, so a rule that does not take effect fails the test."""
from __future__ import annotations

import pytest

from pynn.page import settings

# The site built with the tests' pseudo-language (en-XA) beside the six languages.
site_url = pytest.fixture(scope="module")(lambda pseudo_site_url: pseudo_site_url)

ARABIC = "lang=ar"
PSEUDO = "en-XA"
CHECKER_MS = 120_000

# The box of an element's text (not of the element: a label's box fills its grid column).
TEXT_BOX_JS = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const text = range.getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const inner = { left: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
                  right: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth) };
  return { left: text.left, right: text.right, boxLeft: inner.left, boxRight: inner.right };
}"""

# Where each character of an element's first text node is drawn, in reading order (logical).
CHARACTERS_JS = """(el) => {
  const node = [...el.childNodes].find((child) => child.nodeType === Node.TEXT_NODE && child.data.trim());
  const range = document.createRange();
  return [...node.data].map((ch, i) => {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const box = range.getBoundingClientRect();
    return { ch, left: box.left, right: box.right };
  });
}"""

# What sticks out past either edge of the window outside any box that scrolls or clips (in a
# right-to-left page, what is too wide runs off the left-hand edge).
OUTSIDE_JS = """() => {
  const clipped = (node) => {
    for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [...document.querySelectorAll("body *")].filter((node) => {
    const box = node.getBoundingClientRect();
    return box.width && (box.right > innerWidth + 0.5 || box.left < -0.5) && !clipped(node)
      && getComputedStyle(node).position !== "fixed";
  }).slice(-4).map((node) => `${node.tagName.toLowerCase()}.${node.className}: ${node.textContent.trim().slice(0, 40)}`);
  const root = document.scrollingElement;
  return { scroll: root.scrollWidth, client: root.clientWidth, out };
}"""

VIEWS = ["", "tour=1", "exercise=gradients", "derive=batch", "lesson=capacity", "view=projector", "view=teacher",
         "dataset=digits"]


def open_in(ready_page, code: str, hash: str = ""):
    """The page opened with `hash`, then the language `code` chosen in the header's menu (which puts
    lang=<code> in the hash, so the views opened after keep it)."""
    page = ready_page(hash)
    page.locator('[data-testid="language"]').select_option(code)
    page.wait_for_function("(code) => document.documentElement.lang === code && location.hash.includes(`lang=${code}`)",
                           arg=code)
    return page


def open_arabic(ready_page, hash: str = ""):
    page = open_in(ready_page, "ar", hash)
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    return page


def test_the_page_in_arabic_is_right_to_left_and_its_header_setup_and_readouts_mirrored(ready_page, ui):
    page = open_arabic(ready_page)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    width = page.evaluate("() => innerWidth")
    brand = page.locator(".top h1").bounding_box()
    tools = ui.hook("tour-button").bounding_box()
    assert brand["x"] + brand["width"] > width - 40, f"the header's first item (pynn) is not at the right: {brand}"
    assert tools["x"] + tools["width"] < brand["x"] or tools["y"] > brand["y"] + brand["height"] / 2, \
        f"the tools {tools} are not after (left of or under) pynn {brand}"
    order = [ui.hook(testid).bounding_box()["x"] for testid in ("tour-button", "derive-open", "copy-link", "language")]
    assert order == sorted(order, reverse=True), f"the header's tools do not run from right to left: {order}"
    # Three columns at 1280: the setup at the right, the curves at the left.
    setup = page.locator(".card.controls").bounding_box()
    curves = page.locator(".card.metrics").bounding_box()
    assert setup["x"] > curves["x"] + curves["width"], f"the setup {setup} is not right of the curves {curves}"
    # A setting's label at the right of its box, its text lined up on its right-hand edge.
    label = page.locator('label[for="dataset"]')
    text = label.evaluate(TEXT_BOX_JS)
    box = ui.hook("dataset").bounding_box()
    assert text["left"] > box["x"] + box["width"], f"the label {text} is not right of its box {box}"
    assert abs(text["right"] - text["boxRight"]) < 2 < text["left"] - text["boxLeft"], f"the label is not right-aligned: {text}"
    legend = page.locator(".controls legend").first.evaluate(TEXT_BOX_JS)
    fieldset = page.locator(".controls fieldset").first.bounding_box()
    assert abs(legend["right"] - (fieldset["x"] + fieldset["width"])) < 2, f"the legend {legend} is not at the right {fieldset}"
    # The readouts' table: its row names at the right of its numbers.
    row = page.locator(".scores tbody th").first.bounding_box()
    value = ui.hook("train-loss").bounding_box()
    assert row["x"] > value["x"] + value["width"], f"the row's name {row} is not right of its value {value}"


def test_the_tour_card_and_the_message_mirror_in_arabic(ready_page, ui):
    page = open_arabic(ready_page, "lr=50")
    ui.click("tour-button")
    card = ui.hook("tour").bounding_box()
    width = page.evaluate("() => innerWidth")
    title = page.locator(".tour-title").evaluate(TEXT_BOX_JS)
    assert abs(title["right"] - title["boxRight"]) < 2, f"the tour's title is not right-aligned: {title}"
    close = ui.hook("tour-close").bounding_box()
    assert close["x"] < title["left"], f"the tour's close button {close} is not at its left {title}"
    assert card["x"] < 20 or card["x"] + card["width"] > width - 20, f"the tour's card floats off its corners: {card}"
    ui.click("play")
    ui.wait_message(30_000)
    message = ui.hook("message").bounding_box()
    dismiss = ui.hook("message-close").bounding_box()
    assert dismiss["x"] < message["x"] + 60, f"the message's × {dismiss} is not at its left-hand end {message}"


def test_the_plane_its_axes_the_curves_and_an_equation_keep_their_left_to_right_reading(ready_page, ui):
    page = open_arabic(ready_page)
    # x1's ticks run left to right, and −1 is drawn with its minus before the 1.
    ticks = page.locator(".axis-x1 .tick")
    xs = [ticks.nth(i).bounding_box()["x"] for i in range(ticks.count())]
    assert xs == sorted(xs) and len(xs) >= 3, xs
    negative = page.locator(".axis-x1 .tick", has_text="−").first
    minus, digit = negative.evaluate(CHARACTERS_JS)[:2]
    assert minus["ch"] == "−" and minus["right"] <= digit["left"] + 0.5, f"the tick reads {minus} {digit}"
    x2 = page.locator(".axis-x2").bounding_box()
    plane = ui.hook("boundary-canvas").bounding_box()
    assert x2["x"] < plane["x"], "the x2 axis is not at the plane's left"
    # The inspect panel's first equation, s0 = W0 x + b0: s at the left of b, not mirrored.
    maths = page.locator(".inspect .katex-html").first
    maths.wait_for()
    assert maths.evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    letters = maths.evaluate("""(el) => [...el.querySelectorAll('.mord.mathnormal')]
                                  .map((m) => ({ ch: m.textContent, x: m.getBoundingClientRect().left }))""")
    xs = [letter["x"] for letter in letters]
    assert len(xs) >= 3 and xs == sorted(xs), f"the equation is mirrored: {letters}"
    # What the canvases draw (tick labels, the curves' axes, the diagram's values) follows their direction.
    for selector in ("#plane", '[data-testid="boundary-canvas"]', '[data-testid="chart-canvas"]',
                     '[data-testid="network-diagram"]', ".equations"):
        assert page.locator(selector).evaluate("(el) => getComputedStyle(el).direction") == "ltr", selector


def test_an_exercises_code_and_equations_read_left_to_right_at_the_texts_start_in_arabic(ready_page, ui):
    page = open_arabic(ready_page, "exercise=relu")
    page.locator(".exercise-equation .katex-html").first.wait_for(state="attached", timeout=CHECKER_MS)
    gutter = page.locator('[data-testid="exercise-editor"] .cm-gutters').bounding_box()
    code = page.locator(ui.EDITOR)
    assert code.evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    assert gutter["x"] < code.bounding_box()["x"], "the editor's line numbers are not at its left"
    first = page.locator(f"{ui.EDITOR} .cm-line").first.evaluate(TEXT_BOX_JS)
    assert first["left"] - first["boxLeft"] < 8, f"the code's first line does not start at the left: {first}"
    # A displayed equation: left to right, lined up at the right like the text around it.
    box = page.locator(".exercise-maths").evaluate(TEXT_BOX_JS)
    line = page.locator(".exercise-equation .katex-html").first.evaluate(TEXT_BOX_JS)
    assert abs(line["right"] - box["boxRight"]) < 16 < line["left"] - box["boxLeft"], f"the equation {line} is not at the right of {box}"


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_no_view_in_arabic_is_wider_than_the_window(ready_page, ui, width, height):
    page = open_arabic(ready_page)
    page.set_viewport_size({"width": width, "height": height})
    found = []
    for view in VIEWS:
        page.evaluate("(hash) => { location.hash = hash; }", f"{ARABIC}&{view}" if view else ARABIC)
        page.wait_for_timeout(600)
        seen = page.evaluate(OUTSIDE_JS)
        if seen["scroll"] > seen["client"] or seen["out"]:
            found.append(f"{view or 'the default view'} at {width} px: {seen}")
    assert not found, "\n".join(found)


# Every shown element whose text does not fit its box where the box cuts it off (overflow hidden or
# clip, or an ellipsis), sideways or downwards; a box that scrolls shows all of its text.
CLIPPED_JS = """() => {
  const cuts = (value) => value === "hidden" || value === "clip";
  const found = [];
  for (const node of document.querySelectorAll("body *")) {
    if (!node.getClientRects().length || node.closest(".visually-hidden")) continue;
    const style = getComputedStyle(node);
    if (style.visibility === "hidden" || node.clientWidth <= 1) continue;
    const text = [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.data.trim());
    const deep = text || node.textContent.trim();
    if (!deep) continue;
    const wide = node.scrollWidth > node.clientWidth + 1 && (cuts(style.overflowX) || style.textOverflow === "ellipsis");
    // (KaTeX's struts reach a few pixels past a scrolling equation's box, where no glyph is)
    const tall = node.scrollHeight > node.clientHeight + 1 && cuts(style.overflowY) && !node.querySelector(".katex");
    if (wide || tall) {
      found.push(`${node.tagName.toLowerCase()}.${[...node.classList].join(".")}${node.dataset.testid ? `[${node.dataset.testid}]` : ""}`
        + ` ${wide ? `${node.scrollWidth}>${node.clientWidth} wide` : `${node.scrollHeight}>${node.clientHeight} tall`}:`
        + ` ${node.textContent.trim().slice(0, 50)}`);
    }
  }
  return found;
}"""

# Each view with what shows it is there (its texts come from Python or load on first use).
LONG_VIEWS = {
    "": '[data-testid="backprop-panel"]',
    "tour=1": '[data-testid="tour"]:not([hidden])',
    "exercise=gradients": '[data-testid="exercise-check"]',
    "derive=batch": '[data-testid="derive-answer"]',
    "lesson=capacity": '[data-testid="lesson"]:not([hidden])',
    "view=projector": "body.projector",
    "view=teacher": '[data-testid="teacher"]:not([hidden])',
    "dataset=digits": '[data-testid="digit-pad"]',
}


def long_text_problems(page, code: str) -> list[str]:
    """In the language `code`: at 390, 1280 and 1920 px, in every view, what clips a text or makes
    the page scroll sideways."""
    found = []
    for view, shown in LONG_VIEWS.items():
        page.evaluate("(hash) => { location.hash = hash; }", f"lang={code}&{view}")
        page.locator(shown).first.wait_for(state="attached", timeout=CHECKER_MS)
        for width, height in ((390, 844), (1280, 800), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)
            where = f"{code} {view or 'the default view'} at {width} px"
            found += [f"{where}: {clip}" for clip in page.evaluate(CLIPPED_JS)]
            seen = page.evaluate(OUTSIDE_JS)
            if seen["scroll"] > seen["client"] or seen["out"]:
                found.append(f"{where}: the page scrolls sideways {seen}")
    return found


@pytest.mark.parametrize("code", [PSEUDO, "de"])
def test_long_texts_are_never_clipped_nor_push_the_page_sideways(ready_page, code):
    page = open_in(ready_page, code)
    found = long_text_problems(page, code)
    assert not found, "\n".join(found)


SIZES = ((390, 844), (1280, 800), (1920, 1080))

# A readout whose text runs out of its box over its neighbour ("240 actualizaciones" over the table).
SPILLS_JS = """() => [...document.querySelectorAll('.metrics .readouts, .metrics .readouts *')]
  .filter((node) => node.getClientRects().length && node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 0)
  .map((node) => `${node.tagName.toLowerCase()}.${node.className} ${node.scrollWidth}>${node.clientWidth}: ${node.textContent.trim().slice(0, 40)}`)"""


@pytest.mark.parametrize("code", list(settings.LANGUAGES))
def test_in_every_language_the_training_view_with_its_readouts_fits_the_window(ready_page, code):
    """Every shipped language (the pseudo-language and German also in every view, above): after a
    little training, so the readouts hold numbers, nothing clips a text nor makes the page scroll
    sideways at a phone's, a laptop's and a wide screen's width (Spanish's "entrenamiento" over the
    readouts' column once pushed the page to 1,293 px at 1280)."""
    page = open_in(ready_page, code, "dataset=spiral&lr=0.5")
    page.click('[data-testid="step"]')
    page.wait_for_function("() => document.querySelector('[data-testid=\"test-accuracy\"]').textContent !== '–'")
    found = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        found += [f"{code} at {width} px: {clip}" for clip in page.evaluate(CLIPPED_JS)]
        seen = page.evaluate(OUTSIDE_JS)
        if seen["scroll"] > seen["client"] or seen["out"]:
            found.append(f"{code} at {width} px: the page scrolls sideways {seen}")
        found += [f"{code} at {width} px: {spill}" for spill in page.evaluate(SPILLS_JS)]
    assert not found, "\n".join(found)


def test_in_arabic_the_left_arrow_walks_the_stepper_on_and_a_formula_in_a_sentence_keeps_its_order(ready_page, ui):
    """Right to left, ← points along the reading order: it goes to the next stage. A formula filled
    into an Arabic sentence ("{formula}؛ الفئة …") is isolated by the lookup: it reads left to right
    and comes first, at the sentence's right-hand end."""
    page = open_arabic(ready_page)
    panel = page.locator('[data-testid="backprop-panel"]')
    page.wait_for_function("""() => { const p = document.querySelector('[data-testid="backprop-panel"]');
                                      return p.dataset.stage === 'x'; }""")
    ui.hook("backprop-pick").focus()
    for want in ("s0", "h0", "s1", "h1"):
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("(want) => document.querySelector('[data-testid=\"backprop-panel\"]').dataset.stage === want",
                               arg=want)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('[data-testid=\"backprop-panel\"]').dataset.stage === 's1'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('[data-testid=\"backprop-panel\"]').dataset.stage === 'h1'")
    line = panel.locator(".backprop-worked")
    chars = [c for c in line.evaluate(CHARACTERS_JS) if c["right"] > c["left"]]
    text = "".join(c["ch"] for c in chars)
    assert text.startswith("h1["), text
    formula = [c for c in chars if c["ch"].isascii() and c["ch"].strip()]
    arabic = [c for c in chars if "\u0600" <= c["ch"] <= "\u06ff"]
    assert arabic, text
    xs = [c["left"] for c in formula[:8]]
    assert xs == sorted(xs), f"the formula does not read left to right: {formula[:8]}"
    assert min(c["left"] for c in formula[:8]) >= max(c["right"] for c in arabic) - 0.5, \
        f"the formula is not at the sentence's start (its right): {text}"
    # The shape beside a matrix keeps its order too: "W0" … "(H×D)"-like shapes read left to right.
    shape = panel.locator(".bp-shape").first.evaluate(CHARACTERS_JS)
    assert [c["left"] for c in shape] == sorted(c["left"] for c in shape), shape

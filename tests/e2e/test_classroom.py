"""What a 50-minute lesson runs into (issue 25): a spike of the loss does not stop training, messages
never cover a control, readouts keep their width, and the page prints as a handout.

Every test also fails when the page requested another origin, threw, logged a console error,
opened a dialog or violated its CSP (see conftest.py).
"""
from __future__ import annotations

import math
import re
import time

SPIKY = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=64&lr=0.3&batch=1&wd=0&seed=1"
"""Pure SGD at lr 0.3 (issue 25's setup): the mean loss jumps now and then, and where and how high
floating-point details decide, so no assertion here names an epoch or a value of the trajectory.
The rule itself (one spike is drawn and training goes on; a stretch above the threshold stops) is
proven without a trajectory in tests/test_session.py."""

THRESHOLD = 10 * math.log(3)


# --- 1. a spike is not divergence ------------------------------------------------------------------


def test_a_spike_of_the_loss_is_drawn_and_training_goes_on_for_a_minute(ready_page, ui):
    """The issue's setup at full speed for 60 s: it never stops; the history the curves draw (the
    CSV of one row per epoch) has every epoch, finite, and wherever the loss jumped above the
    threshold the accuracy comes back above 0.8 (the setup learns the spiral)."""
    page = ready_page(SPIKY)
    ui.click("play")
    started = time.monotonic()
    while time.monotonic() - started < 60:
        page.wait_for_timeout(500)
        assert ui.is_playing() and ui.hook("fix-lr").count() == 0, (
            f"training stopped after {time.monotonic() - started:.0f} s at epoch {ui.epoch()}: {ui.message()!r}"
        )
    ui.pause()
    with page.expect_download() as info:
        ui.click("download-history")
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()[1:]
    rows = [[float(value) for value in line.split(",")] for line in lines]  # epoch, losses, accuracies
    assert len(rows) > 100, f"only {len(rows) - 1} epochs in 60 s"
    assert [row[0] for row in rows] == list(range(len(rows))), "the history skips an epoch"
    assert all(math.isfinite(row[1]) for row in rows)
    for i in (i for i, row in enumerate(rows) if row[1] > THRESHOLD):
        later = [row[3] for row in rows[i + 1 : i + 11]]
        assert len(later) < 10 or max(later) > 0.8, f"after the spike at epoch {i} the accuracy stayed at {later}"
    assert max(row[3] for row in rows[-10:]) > 0.8


def test_a_huge_learning_rate_still_stops_within_two_seconds_with_what_happened(ready_page, ui):
    page = ready_page(SPIKY.replace("lr=0.3", "lr=50"))
    ui.click("play")
    started = time.monotonic()
    page.wait_for_function("() => document.querySelector('[data-testid=fix-lr]')", timeout=10_000, polling=50)
    elapsed = time.monotonic() - started
    assert elapsed < 2, f"lr=50 stopped only after {elapsed:.1f} s"
    message = ui.message()
    assert re.search(r"^Training diverged: the mean loss stayed above 11 for \d+ (epoch|update)s?,", message), message
    assert "learning rate 50 is too large" in message and "Use learning rate 5" in message
    assert not ui.is_playing()


# --- 3. messages never cover a control ------------------------------------------------------------

OVERLAPS_JS = """() => {
  const message = document.querySelector('[data-testid=message]').getBoundingClientRect();
  const slot = document.querySelector('[data-testid=message]').parentElement;
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const controls = [...document.querySelectorAll('button, input, select, textarea, canvas, [data-testid=tour-next]')]
    .filter((el) => !slot.contains(el) && el.getClientRects().length > 0);
  return controls.filter((el) => meet(message, el.getBoundingClientRect()))
    .map((el) => el.dataset.testid || el.id || el.textContent.trim().slice(0, 20));
}"""


def test_the_error_box_covers_neither_the_tour_card_nor_the_plane_nor_any_control(ready_page, ui, page):
    """The divergence message (three lines and its fix button) with the tour open, at a laptop's and
    a phone's size: its box meets no control's box, the tour's Next and the plane included."""
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("about:blank")  # a fresh page each time (the same hash would not reload it)
        ready_page(SPIKY.replace("lr=0.3", "lr=50"))
        ui.click("play")
        page.wait_for_function("() => document.querySelector('[data-testid=fix-lr]')", timeout=10_000)
        ui.click("tour-button")
        page.wait_for_function("() => document.querySelector('[data-testid=tour-next]')?.getClientRects().length > 0")
        message, plane, next_ = (ui.hook(name).bounding_box() for name in ("message", "boundary-canvas", "tour-next"))
        for name, other in (("the plane", plane), ("the tour's Next", next_)):
            apart = (message["x"] + message["width"] <= other["x"] or other["x"] + other["width"] <= message["x"]
                     or message["y"] + message["height"] <= other["y"] or other["y"] + other["height"] <= message["y"])
            assert apart, f"at {width}×{height} the message {message} covers {name} {other}"
        assert page.evaluate(OVERLAPS_JS) == [], f"at {width}×{height} the message covers controls"
        assert page.evaluate("() => getComputedStyle(document.querySelector('.message-slot')).position") != "fixed"


# --- 7. readouts that keep their width, chart labels inside the chart ----------------------------

TINY = "dataset=spiral&classes=3&points=40&noise=0.1&split=0.8&hidden=8&lr=0.5&batch=32&wd=0&seed=1"
"""32 training points in one batch: one update per epoch, so full speed passes 10,000 of both fast."""

READOUT_BOXES_JS = """() => {
  const r = (sel) => document.querySelector(sel).getBoundingClientRect();
  const box = r('.epoch-box'), updates = r('[data-testid=updates]'), epoch = r('[data-testid=epoch]');
  const line = r('.updates-line'), table = r('.scores');
  const within = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const cells = [...document.querySelectorAll('.scores output')].map((o) => [o, o.closest('td')]);
  return {
    updatesInBox: within(updates, box) && within(line, box), epochInBox: within(epoch, box),
    overlapsTable: meet(box, table),
    cellsFit: cells.every(([o, td]) => within(o.getBoundingClientRect(), td.getBoundingClientRect())),
    widths: [...document.querySelectorAll('.layout > *, .readouts > *')].map((el) => Math.round(el.getBoundingClientRect().width)),
    tabular: getComputedStyle(document.querySelector('[data-testid=updates]')).fontVariantNumeric,
  };
}"""

# Ink in the chart canvas's outermost columns: a label cut by the canvas's edge ("200(" for 2000).
EDGE_INK_JS = """(canvas) => {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  const columns = [0, 1, width - 2, width - 1];
  return columns.filter((x) => { const d = ctx.getImageData(x, 0, 1, height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 40) return true; return false; });
}"""


def test_readouts_keep_their_width_past_ten_thousand_updates_and_labels_stay_in_the_chart(ready_page, ui, page):
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("about:blank")
        ready_page(TINY)
        before = page.evaluate(READOUT_BOXES_JS)
        ui.click("play")
        page.wait_for_function(
            """() => { const u = document.querySelector('[data-testid=updates]');
                       return Number(u.dataset.count ?? u.textContent.replace(/,/g, '')) > 12000; }""",
            timeout=120_000, polling=500)
        if ui.hook("settings-fold").is_visible():  # on a phone the settings are folded under the plane
            ui.click("settings-fold")
        ui.type_into("lr", "5")  # a mark at the right-hand end of the curves, labelled "lr 5"
        page.wait_for_function("() => JSON.parse(document.querySelector('[data-testid=chart-canvas]').dataset.marks).length === 1")
        page.wait_for_timeout(500)
        ui.pause()
        after = page.evaluate(READOUT_BOXES_JS)
        assert after["updatesInBox"] and after["epochInBox"], f"at {width}×{height} a number left its box: {after}"
        assert not after["overlapsTable"], f"at {width}×{height} the epoch box overlaps the scores"
        assert after["cellsFit"], f"at {width}×{height} a score does not fit its cell"
        assert after["widths"] == before["widths"], f"at {width}×{height} the layout widened: {before} → {after}"
        assert ui.hook("chart-canvas").evaluate(EDGE_INK_JS) == [], f"at {width}×{height} a chart label is cut"
        assert after["tabular"] == "tabular-nums"
        text = ui.text("updates")
        assert re.fullmatch(r"\d{2}\.\dk", text), f"the updates readout says {text!r}"
        count = int(ui.hook("updates").get_attribute("data-count"))
        assert abs(float(text[:-1]) * 1000 - count) <= 50, (text, count)


# --- 12. the printed handout ---------------------------------------------------------------------

HANDOUT = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.5&batch=10&wd=0&seed=1"

PRINTED_JS = """() => {
  const shown = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const q = (sel) => document.querySelector(sel);
  const setup = q('[data-testid=handout-setup]');
  return {
    controls: [...document.querySelectorAll('button, input, select, textarea, [contenteditable=true]')]
      .filter(shown).map((el) => el.dataset.testid || el.id || el.className || el.tagName),
    shown: Object.fromEntries(['[data-testid=handout-setup]', '[data-testid=boundary-canvas]', '#classes-key',
      '[data-testid=chart-canvas]', '.model .equations', '.exercise-title', '.exercise-maths', '.exercise-body > p']
      .map((sel) => [sel, shown(q(sel))])),
    settings: setup ? Object.fromEntries([...setup.querySelectorAll('dd')].map((dd) => [dd.dataset.key, dd.textContent])) : {},
    fields: [...document.querySelectorAll('.controls input:not([type=range]), .controls select')].map((el) => el.id),
    link: setup?.querySelector('a')?.href ?? null,
    href: location.href,
  };
}"""


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF Chromium wrote: its page objects (`/Type /Page`, not the `/Pages` tree)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_the_page_prints_as_a_handout_of_at_most_two_pages_without_controls(ready_page, ui, page):
    ready_page(HANDOUT)
    ui.click("play")
    ui.wait_epoch("e >= 20")
    ui.pause()
    page.locator('[data-testid="exercise-tab-gradients"]').click()
    page.wait_for_function("() => document.querySelector('.exercise-maths')", timeout=60_000)
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED_JS)
    assert printed["controls"] == [], f"controls on paper: {printed['controls']}"
    assert all(printed["shown"].values()), printed["shown"]
    values = dict(part.split("=") for part in HANDOUT.split("&"))
    assert set(printed["settings"]) == set(printed["fields"]), "the handout does not list every setting"
    assert {key: printed["settings"][key] for key in values} == values
    assert printed["link"] == printed["href"] and "exercise=gradients" in printed["link"]
    for paper in ("A4", "Letter"):
        pages = pdf_pages(page.pdf(format=paper, print_background=True))
        assert 1 <= pages <= 2, f"the handout takes {pages} pages on {paper}"
    page.emulate_media(media="screen")
    assert not ui.hook("handout-setup").is_visible(), "the handout's setup shows on screen"


# --- 9. the editor keeps what is typed after a click below the skeleton inside the function ------

def test_code_typed_after_a_click_below_the_skeleton_lands_in_the_function_body(ready_page, page):
    ready_page("exercise=relu")
    page.wait_for_function("() => document.querySelector('[data-testid=exercise-check]')", timeout=60_000)
    scroller = page.locator('[data-testid="exercise-editor"] .cm-scroller')
    box = scroller.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] - 8)  # below the last line
    page.keyboard.type("return np.maximum(s, 0)")
    code = page.locator('[data-testid="exercise-editor"] .cm-content').inner_text()
    assert "\n    return np.maximum(s, 0)" in code, code
    page.locator('[data-testid="exercise-result"]').evaluate("(el) => delete el.dataset.status")
    page.locator('[data-testid="exercise-check"]').click()
    page.wait_for_function("() => ['pass', 'fail', 'error', 'timeout'].includes("
                           "document.querySelector('[data-testid=exercise-result]')?.dataset.status)", timeout=60_000)
    result = page.locator('[data-testid="exercise-result"]')
    assert result.get_attribute("data-status") == "pass", result.text_content()
    # A line dedented on purpose (Shift-Tab after Enter) stays at column 0.
    page.locator('[data-testid="exercise-editor"] .cm-line', has_text="return np.maximum").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("x = 1")
    assert "\nx = 1" in page.locator('[data-testid="exercise-editor"] .cm-content').inner_text()

"""A page a teacher can teach with, end to end: controls with sliders and help, the first-visit hint
and the tour, readable plots, a layout that does not jump, projector mode, sharing, the dead ends
fixed, and accessibility (axe-core from npm, keyboard, markers, reduced motion, the summary).

Every test also fails when the page requested another origin, threw, logged a console error,
opened a dialog or violated its CSP (see conftest.py).
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from pynn.page.tour import STEPS as TOUR_STEPS

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"  # test.sh: npm ci --prefix tests/a11y
SPIRAL = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.5&batch=10&wd=0&seed=1"


@pytest.fixture(scope="session")
def axe_source() -> Path:
    """axe-core's axe.min.js at the version tests/a11y/package-lock.json pins (test.sh installs it)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/a11y` (test.sh does)")
    return AXE


AXE_ORIGIN_PATH = "/__e2e__/axe.min.js"
"""Where the test serves axe-core from the page's own origin: the page's CSP (script-src 'self',
no 'unsafe-inline') lets that script tag run, and the guard sees a local request."""


def axe_violations(page, axe_source: Path) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        url = page.evaluate(f"() => new URL({AXE_ORIGIN_PATH!r}, location.origin).href")
        page.route(url, lambda route: route.fulfill(path=str(axe_source), content_type="text/javascript"))
        page.add_script_tag(url=url)
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, { resultTypes: ["violations"] });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`
              + ` (${v.nodes[0].failureSummary.replace(/\\s+/g, " ").slice(0, 160)})`);
        }"""
    )
    return found


def test_axe_is_the_pinned_version(ready_page, axe_source):
    """The lock file pins axe-core; the script the tests inject is that version."""
    import json

    lock = json.loads((ROOT / "tests" / "a11y" / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/axe-core"]["version"]
    assert pinned.startswith("4.14."), pinned
    page = ready_page(SPIRAL)
    axe_violations(page, axe_source)
    assert page.evaluate("() => axe.version") == pinned


def box(ui, testid_or_selector: str) -> dict:
    locator = ui.page.locator(testid_or_selector) if testid_or_selector[0] in ".#" else ui.hook(testid_or_selector)
    found = locator.first.bounding_box()
    assert found is not None, f"{testid_or_selector} is not on the page"
    return found


# --- 2. controls ----------------------------------------------------------------------------------


def test_every_control_has_help_linked_by_aria_describedby(ready_page, ui):
    page = ready_page(SPIRAL)
    missing = page.evaluate(
        """() => [...document.querySelectorAll('.controls input, .controls select')]
            .filter((el) => { const id = el.getAttribute('aria-describedby');
                              const help = id && document.getElementById(id);
                              return !help || help.textContent.trim().length < 30; })
            .map((el) => el.id)"""
    )
    assert missing == []
    ui.hook("lr").focus()
    assert "Learning rate" in ui.text("help-box")
    assert "Try" in ui.text("help-box")


def test_the_learning_rate_slider_is_log_scaled_keyboard_operable_and_the_box_stays_exact(ready_page, ui):
    ready_page(SPIRAL)
    slider = ui.hook("lr-slider")
    slider.focus()
    slider.press("ArrowRight")
    ui.page.wait_for_function("() => location.hash.includes('lr=1&')")
    assert ui.value("lr") == "1"
    slider.press("Home")
    ui.page.wait_for_function("() => location.hash.includes('lr=0.0001&')")
    slider.press("End")
    ui.page.wait_for_function("() => location.hash.includes('lr=100&')")
    # One step of the slider multiplies the rate by about 2–3: a log scale.
    ui.type_into("lr", "0.037")
    ui.page.wait_for_function("() => location.hash.includes('lr=0.037&')")
    assert ui.value("lr") == "0.037"
    assert slider.get_attribute("aria-valuetext") == "0.037"
    for key in ("hidden", "batch", "noise", "split", "points"):
        assert ui.hook(f"{key}-slider").count() == 1, f"no slider for {key}"


def test_a_first_visit_hint_says_what_to_do_first_and_goes_after_play(ready_page, ui):
    ready_page(SPIRAL)
    hint = ui.hook("first-hint")
    assert hint.is_visible() and "Play" in hint.text_content()
    ui.click("play")
    assert not hint.is_visible()
    ui.page.reload()
    ui.page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)")
    assert not ui.hook("first-hint").is_visible(), "the hint came back on the second visit"


def test_a_newcomers_first_play_is_slow_enough_to_watch_and_the_inspect_maths_is_typeset_before_a_hover(ready_page, ui):
    ready_page()  # a first visit, no link
    # the inspect panel's equations typeset before anyone points: the first hover does not jump
    formulas = "[data-testid='inspect-panel'] .formula"
    ui.page.wait_for_function(f"() => document.querySelectorAll(\"{formulas} .katex\").length === 4", timeout=30_000)
    ui.page.evaluate("() => document.fonts.ready.then(() => true)")  # KaTeX's fonts in
    ui.page.wait_for_timeout(300)
    shape = f"() => [...document.querySelectorAll(\"{formulas}\")].map((f) => f.getBoundingClientRect().height)"
    before = ui.page.evaluate(shape)
    box = ui.hook("boundary-canvas").bounding_box()
    ui.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    ui.page.wait_for_timeout(500)
    assert ui.page.evaluate(shape) == before
    label = ui.page.locator("#speed-value")
    assert label.text_content() == "100 updates/s"
    ui.click("play")
    ui.page.wait_for_timeout(2000)
    ui.pause()
    updates = int(ui.hook("updates").get_attribute("data-count"))
    assert 0 < updates <= 300, updates  # 100 a second: the boundary still forming, not 30,000 updates in
    assert ui.number("train-accuracy") < 0.9
    ui.click("speed-full")
    assert ui.hook("speed").input_value() == ui.hook("speed").get_attribute("max")
    assert label.text_content() == "full speed" and ui.hook("speed-full").count() == 0
    # a link keeps its meaning, on a first visit too: full speed, as before
    ui.page.evaluate("() => localStorage.clear()")
    ui.page.goto(ui.page.url.split("#")[0] + "#" + SPIRAL)
    ui.page.reload()
    ui.page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)")
    assert ui.hook("first-hint").is_visible()
    assert ui.hook("speed").input_value() == ui.hook("speed").get_attribute("max")


def test_the_tour_introduces_the_page_points_at_each_part_and_leads_into_the_lessons(ready_page, ui):
    ready_page(SPIRAL.replace("hidden=32", "hidden=8") + "&tour")
    tour = ui.hook("tour")
    assert tour.is_visible()
    assert "1/" in tour.locator("h2").text_content()
    steps = int(tour.locator("h2").text_content().split("/")[1].split(":")[0])
    assert steps == len(TOUR_STEPS)
    assert ui.text("tour-question").endswith("?")
    # The first step sets the page up: the spiral from the seed, a fresh net, playing.
    ui.click("tour-setup")
    ui.page.wait_for_function("() => location.hash.includes('hidden=32&') && location.hash.includes('tour=1')")
    ui.wait_playing(True)
    ui.wait_epoch("e >= 3")
    ui.pause()
    questions, pointed = {ui.text("tour-question")}, []
    for step in range(2, steps + 1):
        ui.click("tour-next")
        ui.page.wait_for_function(f"() => new URLSearchParams(location.hash.slice(1)).get('tour') === '{step}'")
        questions.add(ui.text("tour-question"))
        target = ui.page.locator(".tour-target")
        assert target.count() == 1, f"step {step} outlines one part of the page"
        assert target.evaluate("(el, selector) => el.matches(selector)", TOUR_STEPS[step - 1]["target"])
        assert target.is_visible()
        pointed.append(TOUR_STEPS[step - 1]["target"])
        has_setup = "setup" in TOUR_STEPS[step - 1]
        assert ui.hook("tour-setup").count() == int(has_setup), f"step {step}: a setup button only where it sets up"
    assert len(questions) == steps, "each step asks its own question"
    assert ui.is_playing() is False, "an introduction step changes nothing by itself"
    # The last step leads into the lessons: the first one opens, the tour closes.
    assert ui.hook("tour-lesson").is_visible()
    ui.click("tour-lesson")
    ui.page.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('lesson') === 'capacity'")
    assert ui.hook("lesson").is_visible() and not tour.is_visible()
    assert "tour" not in ui.hash_params() and ui.page.locator(".tour-target").count() == 0
    # Its other way on opens the Lessons list.
    ui.page.evaluate("() => { location.hash = location.hash.replace(/&?lesson=capacity/, '') + '&tour=' + %d; }" % steps)
    tour.wait_for(state="visible")
    ui.click("tour-lessons-list")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=lessons]').open")
    assert not tour.is_visible()
    ui.click("tour-button")
    assert tour.is_visible() and ui.hash_params().get("tour")
    ui.click("tour-close")
    assert not tour.is_visible()
    assert "tour" not in ui.hash_params()


# --- 3. plots -------------------------------------------------------------------------------------


def test_the_plane_has_ticks_and_x1_x2_labels(ready_page, ui):
    page = ready_page(SPIRAL)
    axes = page.evaluate(
        """() => [...document.querySelectorAll('#plane .axis')].map((axis) => ({
             name: axis.querySelector('.axis-title').textContent,
             ticks: [...axis.querySelectorAll('.tick')].map((t) => t.textContent) }))"""
    )
    assert [a["name"] for a in axes] == ["x1", "x2"]
    for axis in axes:
        assert "0" in axis["ticks"] and "1" in axis["ticks"] and "−1" in axis["ticks"], axis
    zero = page.locator("#plane .axis-x1 .tick").get_by_text("0", exact=True).bounding_box()
    canvas = box(ui, "boundary-canvas")
    assert abs(zero["x"] + zero["width"] / 2 - (canvas["x"] + canvas["width"] / 2)) < 3


def test_the_loss_chart_has_epoch_ticks_a_log_scale_and_smoothing_for_batch_1(ready_page, ui):
    ready_page(SPIRAL.replace("batch=10", "batch=1").replace("points=300", "points=120"))
    ui.click("play")
    ui.wait_epoch("e >= 60", timeout_ms=60_000)
    ui.pause()
    chart = ui.hook("chart-canvas")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=chart-canvas]').dataset.window > 1")
    epoch_ticks = [int(t) for t in chart.get_attribute("data-epoch-ticks").split(",")]
    assert epoch_ticks[0] == 0 and len(epoch_ticks) >= 3 and epoch_ticks[-1] <= ui.epoch()
    assert chart.get_attribute("data-scale") == "log"
    loss_ticks = [float(t) for t in chart.get_attribute("data-loss-ticks").split(",")]
    ratios = {round(math.log10(b / a), 6) for a, b in zip(loss_ticks, loss_ticks[1:])}
    assert all(r > 0 for r in ratios) and max(ratios) <= 1, loss_ticks
    assert "moving average" in ui.text("chart-note")
    ui.hook("chart-log").uncheck()
    ui.page.wait_for_function("() => document.querySelector('[data-testid=chart-canvas]').dataset.scale === 'linear'")
    ui.hook("chart-smooth").uncheck()
    ui.page.wait_for_function("() => document.querySelector('[data-testid=chart-canvas]').dataset.window === '1'")
    assert ui.text("chart-note") == ""


# --- 4. stable layout -----------------------------------------------------------------------------

BELOW_PLANE = (".classes-key", "#data-tools", "#hidden-units", ".metrics .file-tools", "chart-canvas")


def positions(ui) -> dict[str, tuple[float, float]]:
    return {name: (round(box(ui, name)["x"]), round(box(ui, name)["y"])) for name in BELOW_PLANE}


def test_nothing_below_the_plane_moves_on_hover_training_or_a_message(ready_page, ui, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    ready_page(SPIRAL)
    before = positions(ui)
    canvas = box(ui, "boundary-canvas")
    page.mouse.move(canvas["x"] + canvas["width"] * 0.3, canvas["y"] + canvas["height"] * 0.3)
    page.wait_for_function("() => document.querySelector('[data-testid=inspect-panel]').dataset.x1 !== undefined")
    assert positions(ui) == before, "hovering the plane moved the page"
    ui.click("play")
    ui.wait_epoch("e >= 5")
    page.mouse.move(canvas["x"] + canvas["width"] * 0.7, canvas["y"] + canvas["height"] * 0.6)
    ui.page.wait_for_timeout(400)
    assert positions(ui) == before, "training moved the page"
    ui.pause()
    ui.type_into("hidden", "99999")
    assert ui.wait_message()
    # A message takes its place in the flow above the layout (issue 25: it must not cover a
    # control): the page moves down as one piece, by the message's height, and nothing reflows.
    # (Positions are rounded to whole pixels: a move of 55.5 px reads 55 or 56.)
    moved = {name: (x - before[name][0], y - before[name][1]) for name, (x, y) in positions(ui).items()}
    across = {dx for dx, _ in moved.values()}
    down = [dy for _, dy in moved.values()]
    assert across == {0} and max(down) - min(down) <= 1, f"a message moved parts of the page differently: {moved}"
    slot = box(ui, ".message-slot")
    assert all(abs(dy - (slot["height"] + 12)) <= 1 for dy in down), (moved, slot)
    # The inspect result sits beside the plane, its equations above the fold at 1280×800.
    inspect = box(ui, "inspect-panel")
    assert inspect["x"] >= canvas["x"] + canvas["width"]
    assert page.locator('[data-testid="inspect-panel"] [data-eq="h1"]').bounding_box()["y"] + 20 < 800


# --- 5. projector ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1024, 768)])
def test_projector_mode_puts_plane_and_curves_side_by_side_in_large_type(ready_page, ui, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    ready_page(SPIRAL + "&hide=lr&view=projector")
    plane = box(ui, "boundary-canvas")
    chart = box(ui, "chart-canvas")
    assert chart["x"] >= plane["x"] + plane["width"], "the curves are not beside the plane"
    card = page.locator(".stage").bounding_box()
    assert plane["x"] + plane["width"] <= card["x"] + card["width"] - 8, ("the plane leaves its card", plane, card)
    for item in (plane, chart):
        assert item["y"] + item["height"] <= height and item["x"] + item["width"] <= width
    assert plane["width"] >= 0.4 * min(width, height)
    if width == 1920:
        assert plane["width"] >= 800 and chart["width"] >= 800
    assert not ui.hook("dataset").is_visible() and not page.locator("footer").is_visible()
    assert float(page.evaluate("() => getComputedStyle(document.body).fontSize")[:-2]) >= 18
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    ui.click("projector")  # leave it: hide= still holds
    assert page.locator(".controls").is_visible()
    assert not ui.hook("lr").is_visible()
    assert ui.hash_params().get("hide") == "lr" and "view" not in ui.hash_params()
    ui.click("projector")
    assert ui.hash_params().get("view") == "projector"


# --- 6. sharing -----------------------------------------------------------------------------------


def test_copy_link_copies_the_setup_and_says_so(ready_page, ui, page, site_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    ready_page(SPIRAL.replace("hidden=32", "hidden=7"))
    ui.click("copy-link")
    page.wait_for_function("() => document.querySelector('[data-testid=copy-status]').textContent.includes('copied')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.evaluate("() => location.href")
    assert "hidden=7" in copied


def test_your_points_travel_in_the_link_when_few(ready_page, ui, page, site_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    xy = "0.5,0.5,0;-0.5,-0.5,1;0.4,0.6,0;-0.6,-0.4,1;0.7,0.2,0;-0.2,-0.7,1;0.3,0.3,0;-0.3,-0.3,1;0.1,0.9,0;-0.9,-0.1,1"
    ready_page(f"dataset=custom&classes=2&hidden=8&lr=0.5&batch=1&split=0.8&seed=1&xy={xy}")
    page.wait_for_function("() => /^\\d+ training · \\d+ test/.test(document.querySelector('[data-testid=point-count]').textContent)"
                           " && !document.querySelector('[data-testid=point-count]').textContent.startsWith('0 training')")
    text = ui.text("point-count")
    assert text.startswith("8 training · 2 test"), text
    ui.click("copy-link")
    page.wait_for_function("() => document.querySelector('[data-testid=copy-status]').textContent.includes('10 points')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    shared = dict(part.split("=", 1) for part in copied.split("#", 1)[1].split("&"))
    assert sorted(shared["xy"].split(";")) == sorted(xy.split(";"))


def test_a_link_whose_points_were_too_many_says_they_are_missing(ready_page, ui):
    ready_page("dataset=custom&classes=2&xy=missing-350")
    message = ui.wait_message()
    assert "350" in message and "200" in message and "Upload CSV" in message


# --- 7. dead ends and stale states ----------------------------------------------------------------


def test_the_gradient_check_is_cleared_when_the_data_set_changes(ready_page, ui):
    ready_page(SPIRAL)
    ui.click("gradcheck")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=gradcheck-result] table')")
    ui.choose("dataset", "moons")
    ui.page.wait_for_function("() => !document.querySelector('[data-testid=gradcheck-result] table')")
    assert ui.text("gradcheck-result") == ""


def test_after_divergence_the_message_and_buttons_say_what_to_do_and_it_works(ready_page, ui):
    ready_page(SPIRAL.replace("lr=0.5", "lr=100").replace("batch=10", "batch=1"))
    ui.click("play")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=fix-lr]')", timeout=60_000)
    assert "diverged" in ui.message() and "learning rate" in ui.message()
    assert ui.hook("play").is_disabled() and ui.hook("step").is_disabled()
    assert "diverged" in ui.hook("play").get_attribute("title").lower()
    assert ui.text("reset") == "Reset the net"
    for _ in range(4):  # each fix is ten times smaller; a spiral trains below about 5
        ui.click("fix-lr")
        ui.page.wait_for_function("() => !document.querySelector('[data-testid=play]').disabled")
        ui.click("play")
        ui.page.wait_for_timeout(1500)
        if ui.hook("fix-lr").count() == 0 and ui.epoch() >= 3:
            break
    assert float(ui.value("lr")) <= 10
    assert ui.epoch() >= 3 and math.isfinite(ui.number("train-loss"))
    ui.pause()
    assert ui.text("reset") == "Reset"


def test_a_custom_link_opens_a_plane_where_a_click_adds_a_point(ready_page, ui):
    ready_page("dataset=custom&classes=2&hidden=8")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=point-count]').textContent.includes('click')")
    assert ui.value("point-class") == "0"
    canvas = box(ui, "boundary-canvas")
    ui.page.mouse.click(canvas["x"] + canvas["width"] * 0.5, canvas["y"] + canvas["height"] * 0.5)
    ui.page.wait_for_function("() => document.querySelector('[data-testid=point-count]').textContent.startsWith('1 training')")


@pytest.mark.parametrize("dataset", ["digits", "custom"])
def test_points_and_noise_say_they_do_not_apply_and_leave_the_hash(ready_page, ui, dataset):
    classes = 10 if dataset == "digits" else 2
    ready_page(f"dataset={dataset}&classes={classes}&points=500&noise=0.3")
    for key in ("points", "noise"):
        assert ui.hook(key).is_disabled()
        field = ui.page.locator(f".field:has(#{key})")
        assert "not used by" in field.get_attribute("data-na")
        assert key not in ui.hash_params()
    assert ui.hook("split").is_enabled()


def test_digit_probabilities_never_wrap(ready_page, ui, page):
    page.set_viewport_size({"width": 390, "height": 844})
    ready_page("dataset=digits&classes=10")
    page.wait_for_function("() => document.querySelectorAll('.prob-value').length === 10")
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.prob-value')].map((el) => {
             el.textContent = '100.0 %';
             const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 18;
             return el.getBoundingClientRect().height / lineHeight; })"""
    )
    assert max(lines) < 1.5, lines


def test_touch_screens_get_a_tap_to_remove_instead_of_shift_click_and_no_key_hints(browser, site_url, guard):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(site_url + "#" + SPIRAL)
        page.wait_for_function("() => /^ready/i.test(document.querySelector('[data-testid=status]').textContent)",
                               timeout=90_000)
        assert not page.locator(".keys-hint").is_visible()
        assert not page.locator(".mouse-only").is_visible()
        assert page.locator(".touch-only").is_visible()
        # "240 training · 60 test points": the sum of the two counts.
        points = "() => { const [train, test] = document.querySelector('[data-testid=point-count]').textContent" \
                 ".match(/\\d+/g).map(Number); return train + test; }"
        before = page.evaluate(points)
        page.locator('[data-testid="point-class"]').select_option("remove")
        canvas = page.locator('[data-testid="boundary-canvas"]')
        canvas.scroll_into_view_if_needed()
        found = canvas.bounding_box()
        page.touchscreen.tap(found["x"] + found["width"] * 0.5, found["y"] + found["height"] * 0.5)
        page.wait_for_function(f"(n) => ({points})() === n - 1", arg=before)
    finally:
        context.close()


# --- 8. accessibility -----------------------------------------------------------------------------


def open_exercise(page) -> None:
    """Open the first exercise (its text, equations, editor and Check button)."""
    page.locator('[data-testid="exercise-tab-relu"]').click()
    page.wait_for_function("() => document.querySelector('[data-testid=exercise-check]')", timeout=60_000)


def open_stepper(page) -> None:
    """Pick an example in the backprop stepper and walk two stages (Back and Next both enabled)."""
    page.locator('[data-testid="backprop-pick"]').click()
    page.wait_for_function("() => !document.querySelector('[data-testid=backprop-next]').disabled")
    for _ in range(2):
        page.locator('[data-testid="backprop-next"]').click()
    page.wait_for_function("() => !document.querySelector('[data-testid=backprop-prev]').disabled")


@pytest.mark.parametrize(
    ("view", "open_it"),
    [(SPIRAL, None), ("dataset=digits&classes=10", None), ("dataset=custom&classes=2", None),
     (SPIRAL + "&view=projector", None), (SPIRAL + "&tour=3", None), (SPIRAL, open_exercise), (SPIRAL, open_stepper)],
    ids=["spiral", "digits", "custom", "projector", "tour", "exercise", "stepper"],
)
def test_no_serious_or_critical_axe_violations(ready_page, ui, axe_source, view, open_it):
    """Every view, with the inside-the-net panel showing the point under the mouse (2-D data)."""
    page = ready_page(view)
    if "custom" not in view:  # an empty plane of your own has nothing to train on
        ui.click("step")
        ui.wait_epoch("e >= 1", timeout_ms=30_000)
    if open_it:
        open_it(page)
    if "digits" not in view:
        ui.hook("boundary-canvas").scroll_into_view_if_needed()  # an open exercise is further down
        canvas = box(ui, "boundary-canvas")
        page.mouse.move(canvas["x"] + canvas["width"] * 0.4, canvas["y"] + canvas["height"] * 0.4)
        page.wait_for_function("() => document.querySelector('[data-testid=inspect-panel]').dataset.x1 !== undefined")
    violations = axe_violations(page, axe_source)
    assert violations == [], "\n".join(violations)


def test_every_control_is_reachable_by_tab_with_a_visible_focus(ready_page, page):
    ready_page(SPIRAL)
    page.locator("body").focus()
    seen = {}
    for _ in range(120):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
                       const label = el.closest('label');
                       const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                         || (label && getComputedStyle(label).outlineStyle !== 'none');
                       if (el === document.body) return { id: "body", ring: false };
                       return { id: el.id || el.dataset.testid || el.textContent.trim().slice(0, 20), ring }; }"""
        )
        if info["id"] in seen or info["id"] == "body":
            break
        seen[info["id"]] = info["ring"]
    for control in ("dataset", "lr", "lr-slider", "play", "step", "reset", "chart-log", "copy-link", "projector",
                    "gradcheck", "point-class", "csv-upload"):
        assert control in seen, f"{control} is not reachable with Tab: {list(seen)}"
    assert [name for name, ring in seen.items() if not ring] == []


def test_classes_differ_by_marker_shape_in_the_key(ready_page):
    page = ready_page(SPIRAL.replace("classes=3", "classes=6"))
    shapes = page.evaluate(
        """() => [...document.querySelectorAll('#classes-key svg.marker')].map((svg) => {
             const s = svg.firstElementChild; return s.tagName + ':' + (s.getAttribute('points') || ''); })"""
    )
    assert len(shapes) == 6 and len(set(shapes)) == 6, shapes


def test_reduced_motion_turns_transitions_off(ready_page, page):
    ready_page(SPIRAL)
    duration = "() => getComputedStyle(document.querySelector('[data-testid=step]')).transitionDuration"
    assert page.evaluate(duration) != "0s"
    page.emulate_media(reduced_motion="reduce")
    assert set(page.evaluate(duration).split(", ")) == {"0s"}


def test_the_screen_reader_summary_is_polite_and_does_not_chatter(ready_page, ui, page):
    ready_page(SPIRAL)
    summary = ui.hook("summary")
    assert summary.get_attribute("aria-live") == "polite"
    page.evaluate(
        """() => { window.__summaryWrites = 0;
                   new MutationObserver(() => window.__summaryWrites++)
                     .observe(document.querySelector('[data-testid=summary]'), { childList: true, characterData: true, subtree: true }); }"""
    )
    ui.click("play")
    ui.wait_epoch("e >= 3")
    page.wait_for_timeout(6000)
    writes = page.evaluate("() => window.__summaryWrites")
    epochs = ui.epoch()
    assert epochs > 10 and writes <= 3, f"{writes} summary updates over {epochs} epochs"
    ui.pause()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=summary]').textContent.startsWith('Epoch ' + document.querySelector('[data-testid=epoch]').textContent + ':')"
    )
    assert "test accuracy" in ui.text("summary")


def test_the_plane_is_operable_by_keyboard(ready_page, ui):
    ready_page(SPIRAL)
    canvas = ui.hook("boundary-canvas")
    canvas.focus()
    panel = ui.hook("inspect-panel")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=inspect-panel]').dataset.x1 !== undefined")
    for _ in range(4):
        canvas.press("Shift+ArrowRight")
    ui.page.wait_for_function("() => Number(document.querySelector('[data-testid=inspect-panel]').dataset.x1) > 0.5")
    canvas.press("Enter")
    ui.page.wait_for_function("() => document.querySelector('[data-testid=inspect-panel]').classList.contains('pinned')")
    ui.choose("point-class", "1")
    canvas.focus()
    before = int(ui.text("point-count").split()[0])
    canvas.press("Enter")
    ui.page.wait_for_function("(n) => parseInt(document.querySelector('[data-testid=point-count]').textContent) === n + 1",
                              arg=before)
    assert panel.is_visible()


"""Looking inside the net (issue 4 items 1, 2, 3, 7, 8): the inspect panel, the hidden units, the
gradient check, the code panel, keyboard shortcuts, small screens, labels and present mode.

The page's numbers are compared with the same pynn run natively here: a net made from the same
settings has the same weights bit for bit, so at epoch 0 the page must show what pynn computes.
"""
from __future__ import annotations

import inspect
import math
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pynn import model
from pynn.page.inside import EQUATIONS
from pynn.page.session import Session

SETTINGS = {"dataset": "spiral", "classes": 3, "points": 120, "noise": 0.1, "split": 0.8,
            "hidden": 20, "lr": 0.5, "batch": 10, "wd": 0.0, "seed": 3}
HASH = "&".join(f"{key}={value}" for key, value in SETTINGS.items())
PANEL = '[data-testid="inspect-panel"]'


@pytest.fixture(scope="module")
def native() -> Session:
    session = Session()
    session.configure(SETTINGS)
    return session


def canvas_box(page) -> dict:
    return page.locator('[data-testid="boundary-canvas"]').bounding_box()


def page_xy(page, x1: float, x2: float, extent: float) -> tuple[float, float]:
    """Where on the page the plane's point (x1, x2) is drawn."""
    box = canvas_box(page)
    return (box["x"] + (x1 + extent) / (2 * extent) * box["width"],
            box["y"] + (extent - x2) / (2 * extent) * box["height"])


def lonely_training_point(native: Session, page) -> int:
    """A training point with no other point within 6 CSS pixels, so a click on it picks it."""
    X = np.hstack([native.data.X_train, native.data.X_test])
    pixels_per_unit = canvas_box(page)["width"] / (2 * native.data.extent)
    for i in range(native.data.X_train.shape[1]):
        d = np.hypot(X[0] - X[0, i], X[1] - X[1, i]) * pixels_per_unit
        d[i] = np.inf
        if d.min() > 6:
            return i
    raise AssertionError("no isolated training point to click")


def panel_numbers(page) -> dict:
    """What the inspect panel shows, read from its elements' data-value attributes."""
    return page.locator(PANEL).evaluate(
        """(panel) => {
          const values = (eq, selector) =>
            [...panel.querySelectorAll(`[data-eq="${eq}"] ${selector}`)].map((e) => Number(e.dataset.value));
          const loss = panel.querySelector(".loss-term");
          return {
            x: [Number(panel.dataset.x1), Number(panel.dataset.x2)],
            point: panel.dataset.point, index: panel.dataset.index,
            s0: values("s0", ".chip"), h0: values("h0", ".chip"),
            zeroed: [...panel.querySelectorAll('[data-eq="h0"] .chip')].map((e) => e.classList.contains("zeroed")),
            s1: values("s1", ".chip"), h1: values("h1", ".bar-row"),
            more: [...panel.querySelectorAll(".more")].map((e) => e.textContent.trim()),
            predicted: Number(panel.querySelector(".predicted").dataset.value),
            loss: loss ? Number(loss.dataset.value) : null,
            // what it says: its text, and the typeset equations' text alternatives
            text: [panel.textContent, ...[...panel.querySelectorAll("[aria-label]")].map((e) => e.getAttribute("aria-label"))].join(" "),
          };
        }"""
    )


def wait_panel(page, predicate_js: str) -> None:
    page.wait_for_function(f"() => {{ const panel = document.querySelector('{PANEL}'); return ({predicate_js}); }}")


def assert_matches_pynn(shown: dict, expected: dict) -> None:
    """The panel shows pynn's values for that x: s0, h0 (zeroed units marked), s1, h1, class, loss."""
    np.testing.assert_allclose(shown["x"], expected["x"], rtol=1e-12)
    shown_units = min(12, expected["s0"].shape[0])
    np.testing.assert_allclose(shown["s0"], expected["s0"][:shown_units], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(shown["h0"], expected["h0"][:shown_units], rtol=1e-9, atol=1e-12)
    assert shown["zeroed"] == [bool(a == 0) for a in expected["active"][:shown_units]]
    np.testing.assert_allclose(shown["s1"], expected["s1"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(shown["h1"], expected["h1"], rtol=1e-9, atol=1e-12)
    assert shown["predicted"] == expected["predicted"]
    if expected["loss"] is None:
        assert shown["loss"] is None
    else:
        assert shown["loss"] == pytest.approx(expected["loss"], rel=1e-9)


def test_clicking_a_training_point_shows_the_four_equations_with_pynns_values(ready_page, ui, native):
    page = ready_page(HASH)
    assert "Point at the plane" in ui.text("inspect-panel")
    i = lonely_training_point(native, page)
    x = native.data.X_train[:, i]
    page.mouse.click(*page_xy(page, x[0], x[1], native.data.extent))
    wait_panel(page, f"panel.dataset.point === 'train' && panel.dataset.index === '{i}'")
    shown = panel_numbers(page)
    expected = native.inspect(float(x[0]), float(x[1]), radius=1e-9)
    assert expected["point"] == "train" and expected["index"] == i
    assert_matches_pynn(shown, expected)
    # H = 20 > 12: the first 12 units, and a count of the rest
    assert len(shown["s0"]) == 12 and shown["more"] == ["… and 8 more", "… and 8 more"]
    text = shown["text"]
    for piece in ("s0 = W0·x + b0", "h0 = ReLU(s0)", "s1 = W1·h0 + b1", "h1 = softmax(s1)",
                  "−log h1[y]", f"predicted class: {expected['predicted']}", f"class y = {expected['label']}"):
        assert piece in text, f"{piece!r} missing from the inspect panel: {text!r}"
    assert 0 < sum(shown["zeroed"]) < 12, "expected some, not all, of the shown units zeroed by ReLU"
    assert page.locator(".inspect-marker").is_visible(), "the pinned spot is not marked on the plane"
    # the four equations typeset (KaTeX), each with its text alternative
    page.wait_for_function(f"() => document.querySelectorAll('{PANEL} .formula .katex').length === 4", timeout=30_000)
    labels = page.locator(f"{PANEL} .formula [role=img]").evaluate_all("(nodes) => nodes.map((n) => n.getAttribute('aria-label'))")
    assert [label.split(" =")[0] for label in labels] == ["s0", "h0", "s1", "h1"]


def test_an_empty_spot_shows_h1_and_the_class_but_no_loss(ready_page, ui, native):
    page = ready_page(HASH)
    e = native.data.extent
    page.mouse.click(*page_xy(page, -0.93 * e, 0.93 * e, e))  # the top-left corner: no data there
    wait_panel(page, "panel.dataset.point === '' && panel.dataset.x1 !== undefined")
    shown = panel_numbers(page)
    assert shown["loss"] is None and "−log" not in shown["text"]
    assert "empty spot" in shown["text"]
    expected = native.inspect(shown["x"][0], shown["x"][1])
    assert expected["point"] is None
    assert_matches_pynn(shown, expected)
    assert sum(shown["h1"]) == pytest.approx(1.0)


def test_hover_follows_the_pointer_click_pins_and_values_follow_training(ready_page, ui, native):
    page = ready_page(HASH)
    e = native.data.extent
    page.mouse.move(*page_xy(page, 0.5 * e, -0.5 * e, e))
    wait_panel(page, "panel.dataset.x1 !== undefined && Number(panel.dataset.x1) > 0")
    page.mouse.move(*page_xy(page, -0.5 * e, -0.5 * e, e))
    wait_panel(page, "Number(panel.dataset.x1) < 0")
    assert not page.locator(".inspect-marker").is_visible()

    page.mouse.click(*page_xy(page, 0.25 * e, 0.6 * e, e))
    wait_panel(page, "panel.classList.contains('pinned') && Number(panel.dataset.x2) > 0")
    pinned = panel_numbers(page)
    page.mouse.move(*page_xy(page, -0.7 * e, -0.7 * e, e))
    ui.settle()  # frames for the hover to be answered, had the panel followed it
    assert panel_numbers(page)["x"] == pinned["x"], "hovering moved a pinned panel"

    before = pinned["h1"]
    ui.click("step")
    ui.wait_epoch("e === 1")
    page.wait_for_function(
        f"""() => {{ const rows = document.querySelectorAll('{PANEL} [data-eq="h1"] .bar-row');
                     return rows.length && Number(rows[0].dataset.value) !== {before[0]!r}; }}"""
    )
    assert panel_numbers(page)["x"] == pinned["x"]

    page.keyboard.press("Escape")
    wait_panel(page, "!panel.classList.contains('pinned')")
    assert not page.locator(".inspect-marker").is_visible()


def test_hidden_units_are_pictured_and_redrawn_while_training(ready_page, ui):
    page = ready_page(HASH)
    strip = ui.hook("hidden-units")
    page.wait_for_function("() => document.querySelector('[data-testid=\"hidden-units\"]').dataset.shown === '16'")
    assert strip.locator("canvas").count() == 16
    assert "first 16 of 20 hidden units" in ui.text("hidden-units")
    pictures = [strip.locator("canvas").nth(k) for k in range(16)]
    before = [picture.evaluate(CANVAS_PIXELS) for picture in pictures]
    assert max(len(set(p)) for p in before) >= 20, "the hidden-unit pictures look blank"
    draws = int(strip.get_attribute("data-draws"))

    ui.click("play")
    ui.wait_epoch("e >= 30", timeout_ms=60_000)
    # Redraws are throttled to a few a second, so wait for three more while training goes on.
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=\"hidden-units\"]').dataset.draws) >= {draws + 3}",
        timeout=30_000,
    )
    ui.pause()
    after = [picture.evaluate(CANVAS_PIXELS) for picture in pictures]
    assert sum(a != b for a, b in zip(before, after)) >= 8, "the hidden-unit pictures did not change with training"


COUNT_CALLS = """
(() => {
  const post = Worker.prototype.postMessage;
  window.__e2eCalls = [];
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message?.type === "call") window.__e2eCalls.push(message.method);
    return post.call(this, message, ...rest);
  };
})();
"""


def test_while_playing_each_chunk_is_one_call_that_brings_the_open_panels_pictures(ready_page, ui, page, native):
    page.add_init_script(COUNT_CALLS)
    page = ready_page(HASH)
    e = native.data.extent
    page.mouse.click(*page_xy(page, 0.25 * e, 0.6 * e, e))  # pin the inspect panel to a spot
    wait_panel(page, "panel.classList.contains('pinned')")
    strip = ui.hook("hidden-units")
    page.wait_for_function("() => document.querySelector('[data-testid=\"hidden-units\"]').dataset.shown === '16'")
    draws = int(strip.get_attribute("data-draws"))
    before = panel_numbers(page)["h1"]
    ui.settle()
    page.evaluate("() => { window.__e2eCalls.length = 0; }")
    ui.click("play")
    ui.wait_epoch("e >= 20", timeout_ms=60_000)
    page.wait_for_function(
        f"() => Number(document.querySelector('[data-testid=\"hidden-units\"]').dataset.draws) >= {draws + 3}",
        timeout=30_000)
    ui.pause()
    calls = page.evaluate("() => [...window.__e2eCalls]")
    assert calls and set(calls) == {"run"}, f"playing asked for more than its chunks: {sorted(set(calls))}"
    assert panel_numbers(page)["h1"] != before, "the pinned panel did not follow training"


# Every pixel of a small canvas, as a list of packed RGBA values.
CANVAS_PIXELS = """
(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const out = [];
  for (let i = 0; i < data.length; i += 4) out.push((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return out;
}
"""


def test_a_small_net_shows_every_hidden_unit_and_they_match_pynn(ready_page, ui, native):
    page = ready_page(HASH.replace("hidden=20", "hidden=5"))
    page.wait_for_function("() => document.querySelector('[data-testid=\"hidden-units\"]').dataset.shown === '5'")
    assert ui.hook("hidden-units").locator("canvas").count() == 5
    assert "all 5 hidden units" in ui.text("hidden-units")
    small = Session()
    small.configure({**SETTINGS, "hidden": 5})
    expected = small.hidden_units()
    size = expected["units_size"]
    for k in range(5):
        pixels = ui.hook("hidden-units").locator("canvas").nth(k).evaluate(CANVAS_PIXELS)
        values = expected["units"][k * size * size:(k + 1) * size * size]
        peak = expected["units_max"][k]
        if peak == 0:
            assert set(pixels) == {0xFFFFFF}
            continue
        # white where the unit is 0, darkest where it peaks
        assert all(p == 0xFFFFFF for p, v in zip(pixels, values) if v == 0)
        assert pixels[int(np.argmax(values))] == min(pixels)


def test_gradient_check_passes_below_1e_6_for_each_parameter(ready_page, ui, native):
    page = ready_page(HASH)
    ui.click("gradcheck")
    result = ui.hook("gradcheck-result")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"gradcheck-result\"] tr[data-parameter]').length === 4")
    rows = result.locator("tr[data-parameter]")
    names = [rows.nth(k).get_attribute("data-parameter") for k in range(4)]
    assert names == ["W0", "b0", "W1", "b1"]
    expected = native.gradcheck()["errors"]
    for k, name in enumerate(names):
        error = float(rows.nth(k).get_attribute("data-error"))
        assert 0 <= error < 1e-6, f"{name}: relative error {error}"
        assert "pass" in rows.nth(k).text_content()
        # the same check natively lands in the same range (finite differences round differently)
        assert error < 100 * max(expected[name], 1e-12)
    assert result.get_attribute("data-passed") == "true"
    assert "epoch 0" in ui.text("gradcheck-result") and "8 training examples" in ui.text("gradcheck-result")

    ui.click("play")
    ui.wait_epoch("e >= 20", timeout_ms=60_000)
    ui.pause()
    ui.click("gradcheck")
    page.wait_for_function(
        "() => /epoch [1-9]/.test(document.querySelector('[data-testid=\"gradcheck-result\"]').textContent)"
    )
    assert result.get_attribute("data-passed") == "true"


def test_code_panel_shows_the_loaded_source_beside_the_equations(ready_page, ui):
    page = ready_page(HASH)
    panel = ui.hook("code-panel")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"code-panel\"] code[data-name]').length >= 8")
    panel.locator("summary").click()
    assert panel.locator(".code-source").first.is_visible()
    sections = panel.locator("[data-method]")
    assert [sections.nth(k).get_attribute("data-method") for k in range(sections.count())] == [
        "forward", "loss", "gradients", "sgd_step"]
    shown = {code.get_attribute("data-name"): code.text_content() for code in panel.locator("code[data-name]").all()}
    for name in ("TwoLayerNet.forward", "TwoLayerNet.forward_pass", "TwoLayerNet.loss", "TwoLayerNet.gradients",
                 "TwoLayerNet.backward_pass", "TwoLayerNet.sgd_step"):
        target = model
        for attribute in name.split("."):
            target = getattr(target, attribute)
        # the wheel is built from this checkout, so the loaded code is this file's code
        assert shown[name].strip("\n") == inspect.getsource(target).strip("\n"), name
    file_line = panel.locator(".code-file").text_content()
    assert "site-packages/pynn/model.py" in file_line and str(Path.cwd()) not in file_line
    # the spec's equations typeset (KaTeX), each with its text alternative from pynn.page.inside
    panel.locator(".code-maths .katex").first.wait_for(timeout=30_000)
    labels = panel.locator(".code-equation").evaluate_all("(lines) => lines.map((line) => line.getAttribute('aria-label'))")
    for equation in ("s0 = W0·x + b0", "h1 = softmax(s1)", "L = −Σ_i log h1(x_i)[y_i]",
                     "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]", "θ ← θ − lr"):
        assert any(label and equation in label for label in labels), equation
    assert panel.locator(".code-maths .katex").count() == len(labels) == sum(len(rows) for rows in EQUATIONS.values())
    assert page.locator('[data-testid="code-panel"] script, [data-testid="code-panel"] [onclick]').count() == 0


def test_keyboard_space_plays_and_pauses_s_steps_r_resets(ready_page, ui):
    page = ready_page(HASH)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("s")
    ui.wait_epoch("e === 1")
    page.keyboard.press("Space")
    ui.wait_epoch("e >= 4")
    page.keyboard.press("Space")
    ui.wait_playing(False)
    stopped = ui.settle()
    assert not ui.is_playing() and ui.epoch() == stopped, "space did not pause"
    assert page.evaluate("() => window.scrollY") == 0, "space scrolled the page"
    page.keyboard.press("r")
    ui.wait_epoch("e === 0")

    # Quick toggles: the play button always tells the truth once things settle.
    for _ in range(4):
        page.keyboard.press("Space")
        ui.wait_playing(True)
        page.keyboard.press("Space")
        ui.wait_playing(False)
        ui.settle()
        assert ui.text("play") == "Play", "paused, but the button still offers Pause"
        assert not ui.is_playing()
    page.keyboard.press("r")
    ui.wait_epoch("e === 0")

    # Not while typing: a text field and a select keep their keys.
    field = ui.hook("hidden")
    field.focus()
    page.keyboard.press("s")
    page.keyboard.press("r")
    page.keyboard.press("Space")
    assert ui.settle() == 0 and not ui.is_playing()
    assert "s" in field.input_value() and "r" in field.input_value()
    field.fill("20")
    field.press("Tab")
    ui.hook("dataset").focus()
    page.keyboard.press("s")
    assert ui.settle() == 0


VIEWPORTS = [(1280, 720), (390, 844)]


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=["1280x720", "390x844"])
def test_no_horizontal_scrolling_with_every_panel_open(ready_page, ui, page, native, width, height, tmp_path):
    page.set_viewport_size({"width": width, "height": height})
    ready_page(HASH.replace("hidden=20", "hidden=200"))
    e = native.data.extent
    page.mouse.click(*page_xy(page, 0.1 * e, 0.1 * e, e))
    wait_panel(page, "panel.classList.contains('pinned')")
    ui.click("gradcheck")
    page.wait_for_function("() => document.querySelector('[data-testid=\"gradcheck-result\"] table')", timeout=30_000)
    ui.hook("code-panel").locator("summary").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"code-panel\"] code').length > 0")
    try:  # the code panel lays out its source as it opens: wait for the page to fit, then measure
        page.wait_for_function(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            " && document.body.scrollWidth <= document.body.clientWidth",
            timeout=5000,
        )
    except PlaywrightTimeoutError:
        pass  # the assertion below says by how much it is too wide
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.body.scrollWidth, document.body.clientWidth]"
    )
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], f"horizontal scrolling at {width}px: {sizes}"
    page.screenshot(path=str(tmp_path / f"inside-{width}.png"), full_page=True)
    for testid in ("inspect-panel", "hidden-units", "gradcheck", "gradcheck-result", "code-panel", "boundary-canvas"):
        box = ui.hook(testid).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{testid} sticks out: {box}"


def test_every_control_has_a_name_for_screen_readers(ready_page):
    page = ready_page(HASH)
    unnamed = page.evaluate(
        """() => {
          const named = (el) => {
            if (el.getAttribute("aria-label")?.trim()) return true;
            const by = el.getAttribute("aria-labelledby");
            if (by && by.split(/\\s+/).some((id) => document.getElementById(id)?.textContent.trim())) return true;
            if (el.labels && [...el.labels].some((label) => label.textContent.trim())) return true;
            if (el.tagName === "BUTTON" || el.tagName === "SUMMARY") return el.textContent.trim() !== "";
            return el.getAttribute("title")?.trim();
          };
          return [...document.querySelectorAll("input, select, textarea, button, summary, canvas[role]")]
            .filter((el) => el.type !== "hidden" && !named(el))
            .map((el) => el.outerHTML.slice(0, 120));
        }"""
    )
    assert unnamed == [], f"controls without a label: {unnamed}"


def test_present_mode_hides_the_named_controls_and_keeps_hide_in_the_hash(ready_page, ui, page):
    page = ready_page(HASH + "&hide=lr,batch,volume")
    assert not ui.hook("lr").is_visible() and not ui.hook("batch").is_visible()
    for key in ("dataset", "hidden", "seed", "wd"):
        assert ui.hook(key).is_visible(), f"{key} was hidden too"
    assert "volume" in ui.message()
    assert "lr, batch" in page.locator("#present-note").text_content()
    assert ui.hash_params()["hide"] == "lr,batch"
    assert ui.hash_params()["lr"] == "0.5"

    ui.type_into("hidden", "7")
    page.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('hidden') === '7'")
    params = ui.hash_params()
    assert params["hide"] == "lr,batch" and params["lr"] == "0.5"
    assert not ui.hook("lr").is_visible()
    ui.assert_trains()

    page.evaluate("() => { location.hash = location.hash.replace(/&hide=[^&]*/, ''); }")
    page.wait_for_function("() => document.querySelector('[data-testid=\"lr\"]').getClientRects().length > 0")
    assert ui.hook("batch").is_visible()
    assert "hide" not in ui.hash_params()
    assert not math.isnan(ui.epoch())


def test_digits_mode_rests_the_plane_panels_and_still_checks_gradients(ready_page, ui):
    page = ready_page("dataset=digits&hidden=16&seed=2")
    page.wait_for_function("() => document.querySelector('[data-testid=\"hidden-units\"]').dataset.shown === '0'")
    assert "needs 2-D data" in ui.text("hidden-units")
    assert "8×8 digits" in ui.text("inspect-panel")
    ui.click("gradcheck")
    page.wait_for_function("() => document.querySelector('[data-testid=\"gradcheck-result\"]').dataset.passed")
    assert ui.hook("gradcheck-result").get_attribute("data-passed") == "true", ui.text("gradcheck-result")

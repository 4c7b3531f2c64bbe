"""The network diagram and the backprop stepper in the page: every stage in order with pynn's values,
apply makes the one SGD update pynn makes, keyboard use, the small-screen layout, the digits.

The page's numbers are compared with the same pynn run natively here: a Session configured with the
same settings has the same data, weights and example draws bit for bit, so the page must show
exactly what it computes.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from pynn.page import backprop, diagram
from pynn.page.session import Session

SETTINGS = {"dataset": "spiral", "classes": 3, "points": 120, "noise": 0.1, "split": 0.8,
            "hidden": 20, "lr": 0.05, "batch": 1, "wd": 0.0, "seed": 3}
PANEL = '[data-testid="backprop-panel"]'
DIAGRAM = '[data-testid="network-diagram"]'


def hash_of(settings: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in settings.items())


def native(settings: dict = SETTINGS) -> Session:
    session = Session()
    session.configure(settings)
    return session


def wait_walked(page, index: int | None = None) -> None:
    """Wait until the stepper shows a walked example (the given one, if any)."""
    want = "true" if index is None else f"panel.dataset.index === '{index}'"
    page.wait_for_function(
        f"""() => {{ const panel = document.querySelector('{PANEL}');
                    return panel && panel.dataset.index !== undefined && {want}
                      && panel.querySelector('[data-testid="backprop-stage"]').textContent !== '–'; }}"""
    )


def shown_terms(page) -> dict:
    """The current stage's terms as the panel shows them: chips' values, a heatmap's size and
    largest |value|, or a scalar."""
    return page.locator(PANEL).evaluate(
        """(panel) => Object.fromEntries([...panel.querySelectorAll('.bp-term')].map((term) => {
             const canvas = term.querySelector('canvas');
             const scalar = term.querySelector('.bp-scalar');
             const chips = [...term.querySelectorAll('.bp-chip')].map((c) => Number(c.dataset.value));
             return [term.dataset.term, canvas
               ? { rows: Number(canvas.dataset.rows), cols: Number(canvas.dataset.cols), max: Number(canvas.dataset.max) }
               : scalar ? { scalar: Number(scalar.dataset.value) } : { chips }];
           }))"""
    )


def stage_key(page) -> str:
    return page.locator(PANEL).get_attribute("data-stage")


def test_every_stage_in_order_shows_the_values_native_pynn_computes(ready_page, ui) -> None:
    page = ready_page(hash_of(SETTINGS))
    reference = native()
    walked = reference.backprop_pick()  # the page's first example is the seed's first draw too
    wait_walked(page, walked["index"])
    names = [stage["name"] for stage in backprop.stage_list(2, 20, 3)]
    assert ui.hook("backprop-prev").is_disabled()
    for i, name in enumerate(names):
        assert ui.text("backprop-stage") == name, f"stage {i + 1}"
        stage = backprop.stage_list(2, 20, 3)[i]
        terms = shown_terms(page)
        assert list(terms) == [term["value"] for term in stage["terms"]]
        for key, shown in terms.items():
            expected = np.asarray(walked[key])
            if "chips" in shown:
                n = len(shown["chips"])
                assert n == min(expected.size, 32), key
                np.testing.assert_allclose(shown["chips"], expected[:n], rtol=1e-12, atol=1e-15, err_msg=f"{name}: {key}")
            elif "scalar" in shown:
                assert shown["scalar"] == pytest.approx(float(expected), rel=1e-12), key
            else:
                assert shown["max"] == pytest.approx(np.abs(expected).max(), rel=1e-12), key
                assert shown["rows"] * shown["cols"] == expected.size, key
        if i < len(names) - 1:
            ui.click("backprop-next")
    assert stage_key(page) == "update" and ui.hook("backprop-next").is_disabled()
    ui.click("backprop-prev")
    assert ui.text("backprop-stage") == names[-2]
    # the worked line puts pynn's numbers in the equation: the loss stage's, to 4 decimals
    while stage_key(page) != "loss":
        ui.click("backprop-prev")
    assert f"{walked['loss']:.4f}" in page.locator(".backprop-worked").text_content()
    assert ui.hook("backprop-panel").evaluate("(el) => getComputedStyle(el).visibility") == "visible"


def test_apply_makes_pynns_one_update_and_lowers_the_examples_loss(ready_page, ui) -> None:
    page = ready_page(hash_of(SETTINGS))
    reference = native()
    first = reference.backprop_pick()
    wait_walked(page, first["index"])
    applied = reference.backprop_apply()
    paints = int(ui.hook("boundary-canvas").get_attribute("data-paints") or 0)
    assert ui.text("backprop-loss-before") == "–" and ui.text("backprop-updates") == "0"
    ui.click("backprop-apply")
    page.wait_for_function("() => document.querySelector('[data-testid=\"backprop-loss-after\"]').dataset.value")
    before = float(ui.hook("backprop-loss-before").get_attribute("data-value"))
    after = float(ui.hook("backprop-loss-after").get_attribute("data-value"))
    assert before == pytest.approx(applied["loss_before"], rel=1e-12)
    assert after == pytest.approx(applied["loss_after"], rel=1e-12)
    assert after < before, "one SGD step at a small learning rate must lower the example's loss"
    assert ui.text("backprop-updates") == "1"
    assert ui.epoch() == 0
    # the regions and the readouts are those of the updated net
    page.wait_for_function(f"() => Number(document.querySelector('[data-testid=\"boundary-canvas\"]').dataset.paints) > {paints}")
    assert ui.text("train-loss") == f"{applied['train_mean_loss'][0]:.4f}"
    # the stages now walk the updated net: its loss term is the loss after
    while stage_key(page) != "loss":
        ui.click("backprop-next")
    assert shown_terms(page)["loss"]["scalar"] == pytest.approx(applied["loss_after"], rel=1e-12)
    # a live change of the learning rate: the update stage shows the step at the new rate
    ui.type_into("lr", "0.02")
    page.wait_for_function("() => document.querySelector('.backprop-example').textContent.includes('lr = 0.02')")
    reference.configure({**SETTINGS, "lr": 0.02})
    rewalked = reference.backprop_example(first["index"])
    while stage_key(page) != "update":
        ui.click("backprop-next")
    np.testing.assert_allclose(shown_terms(page)["stepb1"]["chips"], rewalked["stepb1"], rtol=1e-12, atol=1e-15)


def test_the_stepper_works_from_the_keyboard(ready_page, ui) -> None:
    page = ready_page(hash_of(SETTINGS))
    reference = native()
    reference.backprop_pick()
    second = reference.backprop_pick()
    wait_walked(page)
    names = [stage["name"] for stage in backprop.stage_list(2, 20, 3)]
    ui.hook("backprop-pick").focus()
    page.keyboard.press("Enter")
    wait_walked(page, second["index"])
    page.keyboard.press("Tab")  # Back is disabled on the first stage: Tab goes on to Next
    assert page.evaluate("() => document.activeElement.dataset.testid") == "backprop-next"
    page.keyboard.press("Enter")
    assert ui.text("backprop-stage") == names[1]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert ui.text("backprop-stage") == names[3]
    page.keyboard.press("ArrowLeft")
    assert ui.text("backprop-stage") == names[2]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "backprop-apply"
    page.keyboard.press(" ")
    page.wait_for_function("() => document.querySelector('[data-testid=\"backprop-loss-after\"]').dataset.value")
    assert ui.text("backprop-updates") == "1"
    assert ui.epoch() == 0 and ui.hook("play").get_attribute("aria-pressed") == "false", "space pressed the focused button, not play"


def test_clicking_a_training_point_picks_it(ready_page, ui) -> None:
    page = ready_page(hash_of(SETTINGS))
    reference = native()
    wait_walked(page)
    box = ui.hook("boundary-canvas").bounding_box()
    scale = box["width"] / (2 * reference.data.extent)
    X = np.hstack([reference.data.X_train, reference.data.X_test])
    for i in range(reference.data.X_train.shape[1]):
        d = np.hypot(X[0] - X[0, i], X[1] - X[1, i]) * scale
        d[i] = np.inf
        if d.min() > 6:
            break
    else:
        raise AssertionError("no isolated training point to click")
    x1, x2 = reference.data.X_train[:, i]
    page.mouse.click(box["x"] + (x1 + reference.data.extent) * scale, box["y"] + (reference.data.extent - x2) * scale)
    wait_walked(page, i)
    shown = shown_terms(page)
    np.testing.assert_allclose(shown.get("x", {}).get("chips", reference.backprop_example(i)["x"]), [x1, x2], rtol=1e-12)
    assert page.locator(".backprop-marker").is_visible()


def test_the_diagram_is_large_enough_draws_the_strongest_units_and_follows_training(ready_page, ui) -> None:
    settings = {**SETTINGS, "hidden": 40, "lr": 0.5, "batch": 10}
    ui.page.set_viewport_size({"width": 1280, "height": 800})
    page = ready_page(hash_of(settings))
    wait_walked(page)
    canvas = ui.hook("network-diagram")
    page.wait_for_function(f"() => document.querySelector('{DIAGRAM}').dataset.shown === '16'")
    box = canvas.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 100, box
    reference = native(settings)
    assert canvas.get_attribute("data-units") == ",".join(map(str, diagram.strongest(reference.net).tolist()))
    assert "16 strongest of the 40 hidden units" in ui.text("network-note")
    drawn = ui.canvas("network-diagram")
    assert drawn["distinct"] > 20 and drawn["dominant"] < 0.95, "the diagram looks blank"
    # the gradient stages colour the edges by their gradient and name what is in focus
    while stage_key(page) != "dW1":
        ui.click("backprop-next")
    assert "∂W1" in ui.text("network-focus")
    # the diagram shows the stage at its next frame, once the stage's values have come back
    page.wait_for_function(f"() => document.querySelector('{DIAGRAM}').dataset.focus === 'hidden,w1,output'",
                           timeout=5000)
    ui.click("play")
    ui.wait_epoch("e >= 5")
    ui.wait_canvas_change(drawn, "network-diagram", fraction=0.02)
    ui.pause()
    assert not page.locator(".backprop-stale").is_hidden(), "the stepper says its values are from before training"


def test_a_small_screen_has_no_sideways_scroll_and_shows_the_panel(ready_page, ui) -> None:
    ui.page.set_viewport_size({"width": 390, "height": 844})
    page = ready_page(hash_of(SETTINGS))
    wait_walked(page)
    for _ in range(7):  # to ∂W1: chips, a heatmap and the longest equation line
        ui.click("backprop-next")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"
    panel = ui.hook("backprop-panel")
    panel.scroll_into_view_if_needed()
    assert panel.is_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for testid in ("backprop-pick", "backprop-prev", "backprop-next", "backprop-apply", "network-diagram"):
        hook = ui.hook(testid).bounding_box()
        assert hook["x"] >= 0 and hook["x"] + hook["width"] <= 390, testid
    diagram_box = ui.hook("network-diagram").bounding_box()
    assert diagram_box["width"] >= 150 and diagram_box["height"] >= 100


def test_the_digits_walk_as_8x8_images(ready_page, ui) -> None:
    settings = {"dataset": "digits", "classes": 10, "split": 0.8, "hidden": 30, "lr": 0.01, "batch": 1, "seed": 2}
    page = ready_page(hash_of(settings))
    reference = native(settings)
    walked = reference.backprop_pick()
    wait_walked(page, walked["index"])
    assert shown_terms(page)["x"] == {"rows": 8, "cols": 8, "max": pytest.approx(np.abs(walked["x"]).max())}
    page.wait_for_function(f"() => document.querySelector('{DIAGRAM}').dataset.shown === '16'")
    assert "8×8" in ui.text("network-note") and "64 inputs" in ui.text("network-note")
    while stage_key(page) != "dW0":
        ui.click("backprop-next")
    dW0 = shown_terms(page)["dW0"]
    assert (dW0["rows"], dW0["cols"]) == (30, 64)
    assert dW0["max"] == pytest.approx(np.abs(walked["dW0"]).max(), rel=1e-12)
    applied = reference.backprop_apply()
    ui.click("backprop-apply")
    page.wait_for_function("() => document.querySelector('[data-testid=\"backprop-loss-after\"]').dataset.value")
    after = float(ui.hook("backprop-loss-after").get_attribute("data-value"))
    assert after == pytest.approx(applied["loss_after"], rel=1e-12) and after < applied["loss_before"]
    assert math.isfinite(after)

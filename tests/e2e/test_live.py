"""The play loop end to end: live optimiser settings, the speed control, single SGD updates, and a
value typed just before Play.

- lr, batch and wd (typed or in the hash) change the running optimiser: the same net trains on,
  the epoch and update counters go on, and the chart marks where the change happened;
- any other setting makes a new net at epoch 0;
- the speed control runs from one SGD update at a time to full speed, Step one makes exactly one
  update, and at a slow speed the plane, the inspect panel and the curves follow each update;
- the page gets its settings table from pynn/page/settings.py (dist/settings.js).
"""
from __future__ import annotations

import json

from pynn.page import lessons
from pynn.page import settings as page_settings

# 240 training points, pure SGD: an epoch is 240 updates.
SPIRAL = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.1&batch=1&wd=0&seed=1"


def marks(ui) -> list[dict]:
    return json.loads(ui.hook("chart-canvas").get_attribute("data-marks") or "[]")


def updates(ui) -> int:
    """The exact count (the readout itself says "48.4k" past 10,000)."""
    return int(ui.hook("updates").get_attribute("data-count"))


def wait_updates(ui, predicate_js: str, timeout_ms: int = 15_000) -> int:
    """Wait until `predicate_js` (an expression of the number `u`) holds for the updates readout."""
    ui.page.wait_for_function(
        f"""() => {{ const u = Number(document.querySelector('[data-testid="updates"]').dataset.count);
                     return Number.isFinite(u) && ({predicate_js}); }}""",
        timeout=timeout_ms,
    )
    return updates(ui)


def test_the_page_gets_the_python_settings_table(ready_page, page, build_module):
    ready_page()
    table = page.evaluate("async () => (await import('./settings.js')).default")
    # as build.py writes it: the texts of the lessons' ids too, and what is kept on first use
    assert table == json.loads(json.dumps(page_settings.with_texts(
        {**page_settings.table(), "lessons": lessons.table(), "on_first_use": build_module.FIRST_USE})))


def test_a_learning_rate_typed_while_training_keeps_the_net_and_marks_the_chart(ready_page, ui, page):
    ready_page(SPIRAL)
    ui.click("play")
    ui.wait_epoch("e >= 3")
    ui.type_into("lr", "0.02")
    page.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('lr') === '0.02'", timeout=5000)
    page.wait_for_function(
        """() => JSON.parse(document.querySelector('[data-testid="chart-canvas"]').dataset.marks || "[]").length === 1""",
        timeout=10_000,
    )
    [mark] = marks(ui)
    assert mark["text"] == "lr 0.02" and mark["at"] >= 3, mark
    at_change = ui.epoch()
    assert at_change >= 3, "the learning rate reset the epoch counter"
    ui.wait_epoch(f"e >= {at_change + 2}")  # still playing, with the same net
    assert ui.hook("play").text_content().strip() == "Pause"
    ui.pause()
    assert updates(ui) >= 240 * ui.epoch(), "the update counter started again"


def test_batch_and_weight_decay_apply_while_paused_and_from_the_hash(ready_page, ui, page):
    ready_page(SPIRAL)
    ui.click("step")
    ui.wait_epoch("e === 1")
    ui.type_into("batch", "8")
    page.wait_for_function("() => location.hash.includes('batch=8')", timeout=5000)
    page.wait_for_function(
        """() => (document.querySelector('[data-testid="chart-canvas"]').dataset.marks || "").includes("batch 8")"""
    )
    assert ui.epoch() == 1 and updates(ui) == 240, "a new batch size threw the trained net away"
    ui.click("step-one")
    wait_updates(ui, "u === 241")
    page.evaluate("() => { location.hash = location.hash.replace(/wd=[^&]*/, 'wd=0.001'); }")
    page.wait_for_function(
        """() => (document.querySelector('[data-testid="chart-canvas"]').dataset.marks || "").includes("wd 0.001")"""
    )
    assert ui.value("wd") == "0.001" and ui.epoch() == 1 and updates(ui) == 241
    ui.click("step")  # the rest of epoch 2 in batches of 8: (240 - 8) / 8 updates
    ui.wait_epoch("e === 2")
    assert updates(ui) == 241 + (240 - 8) // 8


def test_other_settings_start_a_new_net_and_clear_the_marks(ready_page, ui, page):
    ready_page(SPIRAL)
    ui.click("step")
    ui.wait_epoch("e === 1")
    ui.type_into("lr", "0.2")
    page.wait_for_function("() => (document.querySelector('[data-testid=\"chart-canvas\"]').dataset.marks || '').includes('lr 0.2')")
    ui.type_into("seed", "5")
    ui.wait_epoch("e === 0")
    wait_updates(ui, "u === 0")
    page.wait_for_function("() => document.querySelector('[data-testid=\"chart-canvas\"]').dataset.marks === '[]'")
    page.evaluate("() => { location.hash = location.hash.replace(/hidden=[^&]*/, 'hidden=9'); }")
    page.wait_for_function("() => /→ 9 hidden/.test(document.getElementById('shape').textContent)")
    assert ui.epoch() == 0


def test_a_value_typed_then_play_clicked_at_once_plays_with_it(ready_page, ui, page):
    ready_page(SPIRAL)
    ui.click("step")
    ui.wait_epoch("e === 1")
    ui.hook("hidden").fill("7")  # no Enter, no Tab: the click on Play is what commits it
    ui.click("play")
    page.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('hidden') === '7'", timeout=5000)
    page.wait_for_function("() => /→ 7 hidden/.test(document.getElementById('shape').textContent)")
    ui.wait_epoch("e >= 2")  # a new net (epoch 0), trained by that same click
    assert ui.hook("play").text_content().strip() == "Pause"
    ui.pause()
    ui.hook("lr").fill("0.05")
    ui.click("play")
    page.wait_for_function("() => (document.querySelector('[data-testid=\"chart-canvas\"]').dataset.marks || '').includes('lr 0.05')")
    before = ui.epoch()
    ui.wait_epoch(f"e >= {before + 1}")
    ui.pause()


def test_step_one_makes_exactly_one_sgd_update(ready_page, ui, page):
    ready_page(SPIRAL)
    paints = int(ui.hook("boundary-canvas").get_attribute("data-paints"))
    for expected in (1, 2, 3):
        ui.click("step-one")
        assert wait_updates(ui, f"u >= {expected}") == expected
    page.wait_for_timeout(300)
    assert updates(ui) == 3 and ui.epoch() == 0
    assert int(ui.hook("boundary-canvas").get_attribute("data-paints")) >= paints + 3
    ui.click("step")
    ui.wait_epoch("e === 1")
    assert updates(ui) == 240, "Step after three single updates did not finish the same epoch"


def test_the_speed_control_is_a_keyboard_operable_range_from_one_update_to_full_speed(ready_page, ui):
    ready_page(SPIRAL)
    speed = ui.hook("speed")
    assert speed.get_attribute("type") == "range"
    assert speed.get_attribute("aria-valuetext") == "full speed"
    speed.focus()
    speed.press("Home")
    assert speed.get_attribute("aria-valuetext") == "1 update/s"
    speed.press("ArrowRight")
    assert speed.get_attribute("aria-valuetext") == "2 updates/s"
    speed.press("End")
    assert speed.get_attribute("aria-valuetext") == "full speed"


def test_at_a_slow_speed_the_plane_the_panel_and_the_curves_follow_each_update(ready_page, ui, page):
    ready_page(SPIRAL)
    speed = ui.hook("speed")
    speed.focus()
    speed.press("Home")
    for _ in range(2):
        speed.press("ArrowRight")  # 5 updates a second
    box = ui.hook("boundary-canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)  # pin a spot
    page.wait_for_function("() => document.querySelector('[data-testid=\"inspect-panel\"] .bar-row')")
    # Record every value the readouts, the plane and the panel take from here on.
    page.evaluate(
        """() => {
          const seen = window.__seen = { updates: [], paints: [], panel: [] };
          const updates = document.querySelector('[data-testid="updates"]');
          const canvas = document.querySelector('[data-testid="boundary-canvas"]');
          const panel = document.querySelector('[data-testid="inspect-panel"]');
          new MutationObserver(() => seen.updates.push(Number(updates.textContent))).observe(updates, { childList: true, characterData: true, subtree: true });
          new MutationObserver(() => seen.paints.push(Number(canvas.dataset.paints))).observe(canvas, { attributes: true, attributeFilter: ["data-paints"] });
          new MutationObserver(() => seen.panel.push(panel.querySelector('.bar-row')?.dataset.value)).observe(panel, { childList: true, subtree: true });
        }"""
    )
    ui.click("play")
    wait_updates(ui, "u >= 6", timeout_ms=20_000)
    ui.click("play")
    seen = page.evaluate("() => window.__seen")
    steps = [b - a for a, b in zip(seen["updates"], seen["updates"][1:])]
    assert seen["updates"][0] == 1 and set(steps) == {1}, f"the counter did not go one update at a time: {seen['updates']}"
    assert ui.epoch() == 0
    assert len(seen["paints"]) >= len(seen["updates"]) - 1, "the plane was not redrawn after each update"
    assert len(set(seen["panel"])) >= 3, f"the pinned inspect panel did not follow the updates: {seen['panel']}"
    page.wait_for_function(  # a row per update, after the epoch-0 row
        f"() => Number(document.querySelector('[data-testid=\"chart-canvas\"]').dataset.rows) >= {1 + updates(ui)}"
    )

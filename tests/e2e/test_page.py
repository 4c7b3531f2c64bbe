"""The browser demo end to end (issue 3): start-up, training, canvases, buttons, the URL hash.

Every test also fails when the page requested another origin, threw, logged a console error,
opened a dialog or violated its CSP (see conftest.py).
"""
from __future__ import annotations

import math

import pytest

# A 3-class spiral the net separates well: 100 points per class, H = 100, mini-batches.
SPIRAL = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=100&lr=0.5&batch=10&wd=0&seed=1"
TRAIN_SECONDS = 120


def test_ready_within_30_seconds_with_buttons_usable(ready_page, ui):
    page = ready_page()
    assert page.e2e_ready_seconds <= 30
    assert ui.text("status").lower().startswith("ready")
    for button in ("play", "step", "reset"):
        assert ui.hook(button).is_enabled(), f"{button} is disabled on a Ready page"
    assert ui.epoch() == 0
    for key in ui.KEYS:
        assert ui.value(key) != "", f"control {key} is empty on a Ready page"


def test_play_trains_a_3_class_spiral_to_90_percent_with_falling_loss(ready_page, ui):
    ready_page(SPIRAL)
    start_loss = ui.number("train-loss")
    if math.isnan(start_loss):  # no readout before the first epoch: take the first one
        ui.click("step")
        ui.wait_epoch("e === 1")
        start_loss = ui.number("train-loss")
    assert math.isfinite(start_loss) and start_loss > 0, ui.text("train-loss")

    ui.click("play")
    ui.page.wait_for_function(
        """() => {
          const text = document.querySelector('[data-testid="train-accuracy"]').textContent.trim();
          const value = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
          return value >= 0.9;
        }""",
        timeout=TRAIN_SECONDS * 1000,
        polling=250,
    )
    ui.pause()
    accuracy = ui.number("train-accuracy")
    end_loss = ui.number("train-loss")
    assert accuracy >= 0.9, ui.text("train-accuracy")
    assert 0 < accuracy <= 1
    assert end_loss < start_loss, f"train loss did not fall: {start_loss} at the start, {end_loss} at the end"
    assert math.isfinite(ui.number("test-loss")), ui.text("test-loss")
    assert 0 <= ui.number("test-accuracy") <= 1, ui.text("test-accuracy")


def test_boundary_canvas_is_painted_and_changes_while_training(ready_page, ui):
    ready_page(SPIRAL)
    before = ui.canvas()
    assert before["width"] > 0 and before["height"] > 0
    assert before["distinct"] >= 16, f"boundary canvas has only {before['distinct']} colours: blank?"
    assert before["dominant"] < 0.95, f"{before['dominant']:.0%} of the boundary canvas is one colour"

    ui.click("play")
    ui.wait_epoch("e >= 5")
    after = ui.wait_canvas_change(before)
    ui.wait_epoch(f"e >= {ui.epoch() + 5}")
    later = ui.wait_canvas_change(after, fraction=0.001)
    ui.pause()
    assert later["distinct"] >= 16


# The chart's pixels, read back: for the lower (accuracy, 0 to 1) panel, the rows of its three grid
# lines and, for each column, the rows painted in a curve's colour. Nothing of chart.js is imported:
# the test sees what a student sees.
CHART_PIXELS_JS = """
async ([train, test]) => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));  // painted
  const canvas = document.querySelector('[data-testid="chart-canvas"]');
  const w = canvas.width, h = canvas.height;
  const data = canvas.getContext("2d").getImageData(0, 0, w, h).data;
  const near = (i, [r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60 && data[i + 3] > 200;
  const half = Math.floor(h / 2);
  const gridRows = [];
  for (let y = half; y < h; y++) {
    let grey = 0;
    for (let x = 0; x < w; x++) {
      const i = 4 * (y * w + x);
      if (data[i + 3] > 0 && data[i] > 200 && data[i] < 245 && Math.abs(data[i] - data[i + 2]) < 16) grey++;
    }
    if (grey > 0.5 * w) gridRows.push(y);
  }
  const columns = (colour, y0, y1) => {
    const rows = [];
    for (let x = 0; x < w; x++) {
      const hit = [];
      for (let y = y0; y < y1; y++) if (near(4 * (y * w + x), colour)) hit.push(y);
      rows.push(hit.length ? (hit[0] + hit[hit.length - 1]) / 2 : null);
    }
    return rows;
  };
  const text = (id) => document.querySelector(`[data-testid="${id}"]`).textContent.trim();
  return { epoch: text("epoch"), accuracy: text("train-accuracy"), width: w, gridRows, trainAcc: columns(train, half, h), testAcc: columns(test, half, h),
           trainLoss: columns(train, 0, half) };
}
"""
TRAIN_COLOUR, TEST_COLOUR = (0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00)


# Noisy moons: the accuracy stays off the grid lines at 0.5 and 1, so the curves never hide them.
NOISY = "dataset=moons&classes=2&points=300&noise=0.4&split=0.8&hidden=8&lr=0.1&batch=10&wd=0&seed=1"


def test_chart_draws_the_curves_up_to_the_accuracy_shown(ready_page, ui):
    ready_page(NOISY)
    ui.click("play")
    ui.wait_epoch("e >= 10")
    ui.pause()
    # A chunk under way when Pause was pressed may still arrive: read until two reads agree.
    chart = ui.page.evaluate(CHART_PIXELS_JS, [TRAIN_COLOUR, TEST_COLOUR])
    for _ in range(50):
        again = ui.page.evaluate(CHART_PIXELS_JS, [TRAIN_COLOUR, TEST_COLOUR])
        if again == chart:
            break
        chart = again
    else:
        raise AssertionError("the chart never settled after Pause")
    bands = [[chart["gridRows"][0]]]
    for row in chart["gridRows"][1:]:  # a grid line may cover two rows: group neighbours
        if row - bands[-1][-1] <= 2:
            bands[-1].append(row)
        else:
            bands.append([row])
    assert len(bands) == 3, f"the accuracy panel should have grid lines at 0, 0.5 and 1; rows {chart['gridRows']}"
    top, middle, bottom = (sum(band) / len(band) for band in bands)  # accuracy 1, 0.5, 0
    assert abs((top + bottom) / 2 - middle) <= 1.5
    for name in ("trainAcc", "testAcc", "trainLoss"):
        drawn = [x for x, y in enumerate(chart[name]) if y is not None]
        assert drawn, f"no {name} curve on the chart"
        share = (drawn[-1] - drawn[0]) / chart["width"]
        assert share > 0.7, f"the {name} curve spans only {share:.0%} of the chart's width: not every epoch drawn?"
    train_acc = [(x, y) for x, y in enumerate(chart["trainAcc"]) if y is not None]
    last_x, last_y = train_acc[-1]
    shown = float(chart["accuracy"].rstrip(" %")) / (100 if chart["accuracy"].endswith("%") else 1)
    expected_y = bottom - shown * (bottom - top)
    assert abs(last_y - expected_y) <= 4, (
        f"the train accuracy curve ends at row {last_y}, the readout {shown:.3f} is row {expected_y:.1f}"
    )
    first_y = train_acc[0][1]
    assert first_y > last_y, "the train accuracy curve does not rise from epoch 0"


def test_step_advances_exactly_one_epoch(ready_page, ui):
    ready_page(SPIRAL)
    assert ui.epoch() == 0
    # The worker answers in order: each step's answer comes after all the work the one before made.
    for presses in (1, 2, 3):
        ui.click("step")
        assert ui.wait_epoch(f"e >= {presses}") == presses, "one press of step ran more than one epoch"
        assert not ui.is_playing(), "step started playing"
    assert ui.settle() == 3, "one press of step ran more than one epoch"
    assert math.isfinite(ui.number("train-loss"))


def test_reset_returns_to_epoch_0(ready_page, ui):
    ready_page(SPIRAL)
    fresh = ui.canvas()
    ui.click("play")
    ui.wait_epoch("e >= 5")
    ui.click("reset")
    assert ui.wait_epoch("e === 0") == 0
    ui.wait_playing(False)
    assert ui.settle() == 0, "training went on after reset"
    # The same seed gives the same fresh net: the regions are those of the untrained net again.
    assert ui.changed_fraction(fresh, ui.canvas()) < 0.01, "after reset the boundary is not the fresh net's"
    ui.assert_trains()


@pytest.mark.parametrize(
    "key, new_value, kind",
    [("hidden", "7", "text"), ("dataset", "circles", "select")],
    ids=["hidden", "dataset"],
)
def test_changing_a_setting_takes_effect(ready_page, ui, key, new_value, kind):
    ready_page(SPIRAL)
    ui.click("step")
    ui.wait_epoch("e === 1")
    before = ui.canvas()
    if kind == "select":
        ui.choose(key, new_value)
    else:
        ui.type_into(key, new_value)
    ui.page.wait_for_function(
        f"() => new URLSearchParams(location.hash.slice(1)).get({key!r}) === {new_value!r}", timeout=5000
    )
    assert ui.value(key) == new_value
    ui.wait_canvas_change(before, fraction=0.05)
    assert ui.wait_epoch("e === 0") == 0, "a new setup did not start a new net at epoch 0"
    ui.assert_trains()


def test_url_hash_is_applied(ready_page, ui):
    ready_page("dataset=circles&classes=2&points=200&hidden=20&lr=0.3&batch=10&seed=7")
    expected = {"dataset": "circles", "classes": 2, "points": 200, "hidden": 20, "lr": 0.3, "batch": 10, "seed": 7}
    for key, value in expected.items():
        shown = ui.value(key)
        if isinstance(value, str):
            assert shown == value, f"{key} shows {shown!r}, the hash said {value!r}"
        else:
            assert float(shown) == value, f"{key} shows {shown!r}, the hash said {value!r}"
    params = ui.hash_params()
    for key, value in expected.items():
        assert key in params and (params[key] == value if isinstance(value, str) else float(params[key]) == value), (
            f"the hash lost {key}={value}: {params}"
        )
    ui.assert_trains()


def test_a_changed_control_writes_the_hash_and_the_link_reopens_it(ready_page, ui, page):
    ready_page()
    ui.type_into("hidden", "13")
    ui.type_into("lr", "0.25")
    ui.choose("dataset", "moons")
    page.wait_for_function("() => location.hash.includes('dataset=moons')", timeout=5000)
    params = ui.hash_params()
    assert params.get("hidden") == "13" and float(params.get("lr", "nan")) == 0.25, params
    shown = ui.values()
    shared = page.evaluate("() => location.hash")
    page.goto("about:blank")
    ready_page(shared)
    assert ui.values() == shown, "opening the shared link did not restore the same setup"


def test_bad_hash_shows_a_message_falls_back_to_defaults_and_still_trains(ready_page, ui, default_values):
    ready_page("hidden=0&lr=NaN&dataset=<script>alert(1)</script>")
    message = ui.wait_message()
    for key in ("hidden", "lr", "dataset"):
        shown = ui.value(key)
        assert shown == default_values[key], f"{key} shows {shown!r}, not its default {default_values[key]!r}"
    assert "hidden" in message.lower() or "learning rate" in message.lower() or "lr" in message.lower(), message
    injected = ui.page.evaluate(
        """() => [...document.querySelectorAll("script, iframe, object, embed, img")]
                 .filter((el) => !el.src || !el.src.startsWith(location.origin) || /alert/.test(el.outerHTML))
                 .map((el) => el.outerHTML)"""
    )
    assert injected == [], f"markup from the hash reached the document: {injected}"
    ui.assert_trains()

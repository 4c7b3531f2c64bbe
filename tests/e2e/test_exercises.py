"""Write the network yourself, in the page: each exercise checked in the sandbox (a correct and
a wrong solution), errors marked at their line, an endless loop stopped, code kept over a reload,
training with your code, the keyboard alone, and a phone-sized screen."""
from __future__ import annotations

import time

import pytest

from pynn.page.exercises import SOLUTIONS

# The sandbox is a second Python: on a loaded machine its start takes a while.
CHECKER_MS = 120_000
RESULT = '[data-testid="exercise-result"]'
SANDBOX_START_MS = 60_000  # the checker's Python starting, on a loaded machine

# (exercise, a wrong solution, a phrase of the hint it must get)
WRONG = {
    "relu": ("import numpy as np\n\ndef relu(s):\n    return np.abs(s)\n", "that is |s|"),
    "softmax": ("import numpy as np\n\ndef softmax(s):\n    e = np.exp(s - s.max(axis=1, keepdims=True))\n"
                "    return e / e.sum(axis=1, keepdims=True)\n", "your rows sum to 1"),
    "forward": (SOLUTIONS["forward"].replace("s0 = W0 @ X + b0", "s0 = W0 @ X"), "you forgot the bias"),
    "loss": (SOLUTIONS["loss"].replace(".sum())", ".sum() / s1.shape[1])"), "that is the mean"),
    "gradients": (SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T'),
                  "∂L/∂W1 must have W1's shape (3, 32) — denominator layout; yours is (32, 3): "
                  "did you write H0·G1ᵀ instead of G1·H0ᵀ?"),
    "sgd_step": (SOLUTIONS["sgd_step"].replace("params[name] - lr", "params[name] + lr"), "you moved uphill"),
}


Ui = None  # conftest's Ui (set below: no test imports conftest)


@pytest.fixture(autouse=True)
def _ui_class(e2e_tools):
    global Ui
    Ui = e2e_tools.Ui


def open_exercise(page, name: str) -> None:
    Ui(page).open_exercise(name, CHECKER_MS)


def set_code(page, source: str) -> None:
    Ui(page).set_code(source)


def editor_text(page) -> str:
    return page.locator('[data-testid="exercise-editor"] .cm-line').evaluate_all(
        "(lines) => lines.map((line) => line.textContent).join('\\n')")


def press_check(page, timeout_ms: int = 15_000) -> tuple[str, str]:
    return Ui(page).press_check(timeout_ms)


def test_each_exercise_fails_a_wrong_solution_with_its_hint_and_passes_pynns(ready_page, ui):
    page = ready_page("exercise=relu")
    assert ui.hash_params()["exercise"] == "relu"
    assert ui.text("exercise-progress") == "0 of 6 passed"
    for done, name in enumerate(WRONG):
        open_exercise(page, name)
        assert ui.hash_params()["exercise"] == name
        source, hint = WRONG[name]
        set_code(page, source)
        status, text = press_check(page)
        assert status == "fail", text
        assert hint in text
        page.locator('[data-testid="exercise-solution"]').click()
        assert f"def {name}(" in editor_text(page)
        status, text = press_check(page)
        assert status == "pass", text
        assert "✗" not in text
        assert ui.text("exercise-progress") == f"{done + 1} of 6 passed"
    assert page.locator(".exercise-tab.passed").count() == 6


def test_an_error_shows_its_message_and_marks_its_line(ready_page, ui):
    page = ready_page("exercise=softmax")
    open_exercise(page, "softmax")
    set_code(page, "import numpy as np\n\ndef softmax(s):\n    e = np.exp(s)\n    return e / e.sum(axis=0) @ np.ones((9, 9))\n")
    status, text = press_check(page)
    assert status == "error"
    assert "Line 5: ValueError: matmul" in ui.text("exercise-error")
    marked = page.locator('[data-testid="exercise-editor"] .cm-error-line')
    assert marked.count() == 1 and "np.ones((9, 9))" in marked.text_content()
    set_code(page, "import numpy as np\n\ndef softmax(s)\n    return s\n")
    status, text = press_check(page)
    assert status == "error" and "Line 3: SyntaxError" in ui.text("exercise-error")
    assert "def softmax(s)" in page.locator('[data-testid="exercise-editor"] .cm-error-line').text_content()


def test_an_endless_loop_is_stopped_within_10_s_and_training_goes_on(ready_page, ui):
    page = ready_page("exercise=relu")
    open_exercise(page, "relu")
    set_code(page, "import numpy as np\n\ndef relu(s):\n    while True:\n        pass\n")
    result = page.locator(RESULT)
    result.evaluate("(el) => delete el.dataset.status")
    ui.hook("exercise-check").click()
    # The checker's own Python may still be starting (it starts when the exercise opens): the result
    # says so, and the check's 10 s count from the moment the code is sent to it.
    page.wait_for_function(f"""() => document.querySelector('{RESULT}').dataset.status === "running" """,
                           timeout=SANDBOX_START_MS)
    started = time.monotonic()
    page.wait_for_function(f"""() => !["starting", "running"].includes(document.querySelector('{RESULT}').dataset.status)""",
                           timeout=10_000)
    assert time.monotonic() - started < 10
    status, text = result.get_attribute("data-status"), result.text_content()
    assert status == "timeout", text
    assert "endless loop" in text
    ui.assert_trains()
    page.locator('[data-testid="exercise-solution"]').click()
    status, text = press_check(page, timeout_ms=CHECKER_MS)  # in the fresh sandbox
    assert status == "pass", text


def test_a_check_pressed_while_the_checker_starts_says_so_and_runs_once_it_is_ready(page, ready_page, ui):
    """The sandbox's Python starts when the exercise opens; a Check pressed before it is ready says
    that the checker starts (not "Checking…" for seconds), then runs the code as soon as it can."""
    held = []
    pattern = "**/start/sandbox-worker.js"
    page.context.route(pattern, lambda route: held.append(route))  # the checker cannot start yet
    ready_page("exercise=relu")
    open_exercise(page, "relu")
    page.locator('[data-testid="exercise-solution"]').click()
    result = page.locator(RESULT)
    ui.hook("exercise-check").click()
    page.wait_for_function(f"""() => document.querySelector('{RESULT}').dataset.status === "starting" """)
    assert "Starting the checker" in result.text_content()
    assert result.get_attribute("aria-busy") == "true"
    started = time.monotonic()
    while not held:
        assert time.monotonic() - started < 30, "the sandbox never asked for its worker's code"
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    assert result.get_attribute("data-status") == "starting", "nothing runs before the checker's Python"
    page.context.unroute(pattern)
    for route in held:
        route.fallback()
    page.wait_for_function(f"""() => ["pass", "fail", "error"].includes(document.querySelector('{RESULT}').dataset.status)""",
                           timeout=SANDBOX_START_MS)
    assert result.get_attribute("data-status") == "pass", result.text_content()
    assert result.get_attribute("aria-busy") is None


def test_the_code_survives_a_reload_and_reset_restores_the_skeleton(ready_page, ui, page):
    ready_page("exercise=loss")
    open_exercise(page, "loss")
    skeleton = editor_text(page)
    mine = "import numpy as np\n\ndef loss(s1, Yoh):\n    return 0.0  # mine"
    set_code(page, mine)
    page.reload()
    open_exercise(page, "loss")
    assert editor_text(page) == mine
    result = page.locator(RESULT)
    assert result.get_attribute("data-status") is None, "code restored from storage must not run by itself"
    page.locator('[data-testid="exercise-reset"]').click()
    assert editor_text(page) == skeleton
    page.reload()
    open_exercise(page, "loss")
    assert editor_text(page) == skeleton


def pass_with_solution(page, name: str, source: str | None = None) -> None:
    open_exercise(page, name)
    if source is None:
        page.locator('[data-testid="exercise-solution"]').click()
    else:
        set_code(page, source)
    status, text = press_check(page)
    assert status == "pass", text


def test_training_with_your_code_reaches_90_percent_on_the_spiral(ready_page, ui):
    page = ready_page("dataset=spiral&classes=3&points=300&hidden=64&lr=0.3&batch=1&seed=1&exercise=forward")
    train = ui.hook("exercise-train")
    assert train.is_disabled(), "training with your code needs forward and gradients to pass"
    pass_with_solution(page, "forward")
    assert train.is_disabled()
    pass_with_solution(page, "gradients")
    pass_with_solution(page, "sgd_step")
    train.click()
    ui.hook("exercise-badge").wait_for(state="visible")
    assert "training with your code" in ui.text("exercise-badge")
    assert train.get_attribute("aria-pressed") == "true"
    ui.click("play")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=\"train-accuracy\"]').textContent) >= 0.9",
        timeout=120_000,
    )
    ui.pause()
    train.click()
    ui.hook("exercise-badge").wait_for(state="hidden")
    assert train.get_attribute("aria-pressed") == "false"
    ui.assert_trains()


def test_code_that_breaks_during_training_pauses_it_with_the_message(ready_page, ui):
    # Batches of 3 never occur in the checks, so this gradients passes them and raises in training.
    breaking = SOLUTIONS["gradients"].replace(
        '    s0, h0, s1, h1 = forward', '    if X.shape[1] == 3:\n        raise RuntimeError("three at once")\n'
        '    s0, h0, s1, h1 = forward')
    page = ready_page("batch=3&exercise=forward")
    pass_with_solution(page, "forward")
    pass_with_solution(page, "gradients", breaking)
    ui.click("exercise-train")
    ui.hook("exercise-badge").wait_for(state="visible")
    ui.click("play")
    message = ui.wait_message(timeout_ms=15_000)
    assert "Training paused: your gradients raised RuntimeError: three at once (line" in message
    assert ui.hook("play").text_content().strip() == "Play"
    assert ui.epoch() == 0
    ui.click("exercise-train")
    ui.hook("exercise-badge").wait_for(state="hidden")
    ui.assert_trains()


def test_keyboard_alone_opens_writes_leaves_the_editor_and_checks(ready_page, ui):
    page = ready_page("")
    tab = ui.hook("exercise-tab-relu")
    tab.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.dataset?.testid === 'exercise-editor'", timeout=CHECKER_MS)
    page.keyboard.press("Control+A")
    page.keyboard.type("import numpy as np\n\ndef relu(s):\n")  # the editor indents the body itself
    page.keyboard.press("Tab")
    assert editor_text(page).endswith("\n        "), "Tab indents one more level"
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("return np.maximum(s, 0.0)")
    assert editor_text(page).endswith("\n    return np.maximum(s, 0.0)")
    assert ui.epoch() == 0, "keys typed in the editor must not reach the page's shortcuts (s steps)"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName")
    assert focused != "exercise-editor", "Escape then Tab must leave the editor"
    for _ in range(4):
        if page.evaluate("() => document.activeElement?.dataset?.testid") == "exercise-check":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement?.dataset?.testid") == "exercise-check"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('{RESULT}')?.dataset.status === 'pass'", timeout=15_000)


def test_a_phone_sized_screen_fits_the_exercise(ready_page, page):
    width = 390
    page.set_viewport_size({"width": width, "height": 844})
    ready_page("exercise=gradients")
    open_exercise(page, "gradients")
    long_line = "G1 = h1 - Yoh  # a long comment that runs well past the right edge of a phone's screen"
    set_code(page, SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", long_line))
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width} px wide on a {width} px screen"
    for testid in ("exercise-editor", "exercise-check", "exercise-result", "exercise-train", "exercise-tab-sgd_step"):
        box = page.locator(f'[data-testid="{testid}"]').bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{testid} does not fit: {box}"
    status, text = press_check(page)
    assert status == "pass", text


def test_code_that_came_with_a_link_is_shown_and_runs_only_on_check(ready_page, ui, page):
    from urllib.parse import quote

    code = "import numpy as np\n\ndef relu(s):\n    return np.maximum(s, 0.0)  # from the teacher"
    ready_page(f"exercise=relu&code={quote(code, safe='')}")
    open_exercise(page, "relu")
    assert editor_text(page) == code
    assert "Nothing has run" in ui.text("exercise-linked")
    assert page.locator(RESULT).get_attribute("data-status") is None
    assert "code" not in ui.hash_params(), "linked code is shown once, not kept in the address"
    assert ui.hash_params()["exercise"] == "relu"
    status, text = press_check(page)
    assert status == "pass", text
    page.locator('[data-testid="exercise-link"]').click()
    page.wait_for_function("() => /Link copied|Copy this link/.test(document.querySelector('[data-testid=\"exercise-result\"]').textContent)")


def test_a_link_followed_in_the_same_tab_keeps_the_students_own_code_one_click_back(ready_page, ui, page):
    from urllib.parse import quote

    own = "import numpy as np\n\ndef relu(s):\n    return s * (s > 0)  # mine"
    page = ready_page("exercise=relu")
    open_exercise(page, "relu")
    set_code(page, own)
    page.wait_for_function("() => JSON.parse(localStorage.getItem('pynn.exercise.relu') || '{}').code?.includes('# mine')")
    linked = "import numpy as np\n\ndef relu(s):\n    return np.maximum(s, 0.0)  # from the teacher"
    page.evaluate("(hash) => { location.hash = hash; }", f"exercise=relu&code={quote(linked, safe='')}")
    page.wait_for_function("() => document.querySelector('[data-testid=\"exercise-linked\"]')")
    assert editor_text(page) == linked
    assert "came with the link" in ui.text("exercise-linked")
    assert "link" in page.locator('[data-testid="exercise-editor"] [aria-label]').first.get_attribute("aria-label")
    # typing in the link's code does not erase the student's own: it is kept, one click away
    page.locator('[data-testid="exercise-editor"] .cm-content').click()
    page.keyboard.press("End")
    page.keyboard.type("  # edited")
    page.wait_for_function("() => JSON.parse(localStorage.getItem('pynn.exercise.relu')).code.includes('# edited')")
    kept = page.evaluate("() => JSON.parse(localStorage.getItem('pynn.exercise.relu'))")
    assert kept["earlier"] == own
    # ... over a reload too
    page.reload()
    open_exercise(page, "relu")
    assert "# edited" in editor_text(page)
    page.locator('[data-testid="exercise-earlier"]').click()
    assert editor_text(page) == own
    page.wait_for_function("() => !('earlier' in JSON.parse(localStorage.getItem('pynn.exercise.relu')))")
    assert page.evaluate("() => JSON.parse(localStorage.getItem('pynn.exercise.relu')).code") == own

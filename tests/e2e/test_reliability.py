"""The page under bad input, divergence, a dead worker, and its Content-Security-Policy (issue 6).

Each bad value, typed or in the URL hash, must give a visible message that names the setting,
leave a sane value in the control (the default for the hash; the previous value or the default
when typed), execute nothing, and leave a page that still trains. The conftest fails any test in
which the page requests another origin, throws, logs a console error, opens a dialog or violates
its CSP.
"""
from __future__ import annotations

import base64
import hashlib
import math
import re
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from pynn.datasets import GENERATORS

DATASETS = set(GENERATORS)

# Words a message about each setting must contain (any one of them).
NAMES = {
    "dataset": ("dataset", "data set"),
    "classes": ("class",),
    "points": ("point",),
    "noise": ("noise",),
    "split": ("split", "fraction", "train"),
    "hidden": ("hidden",),
    "lr": ("lr", "learning rate"),
    "batch": ("batch",),
    "wd": ("wd", "weight decay", "decay"),
    "seed": ("seed",),
}


def as_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def is_whole(value: float) -> bool:
    return math.isfinite(value) and value == int(value)


def sane(key: str, text: str) -> bool:
    """Whether a control's value is one the page can train with (the limits any page needs)."""
    if key == "dataset":
        return text in DATASETS
    value = as_number(text)
    if not math.isfinite(value):
        return False
    return {
        "classes": lambda v: is_whole(v) and 2 <= v <= 6,
        "points": lambda v: is_whole(v) and 2 <= v <= 100_000,
        "noise": lambda v: 0 <= v <= 10,
        "split": lambda v: 0 < v < 1,
        "hidden": lambda v: is_whole(v) and 1 <= v < 100_000,
        "lr": lambda v: 0 < v <= 1000,
        "batch": lambda v: is_whole(v) and 1 <= v <= 100_000,
        "wd": lambda v: 0 <= v <= 100,
        "seed": lambda v: is_whole(v) and v >= 0,
    }[key](value)


def same_value(a: str, b: str) -> bool:
    return a == b or (math.isfinite(as_number(a)) and as_number(a) == as_number(b))


def assert_nothing_injected(page) -> None:
    injected = page.evaluate(
        """() => {
          const bad = [...document.querySelectorAll("script, iframe, object, embed, img, svg image")]
            .filter((el) => !el.src || !el.src.startsWith(location.origin) || /alert|onerror/.test(el.outerHTML));
          const handlers = [...document.querySelectorAll("*")].filter((el) =>
            [...el.attributes].some((attribute) => attribute.name.toLowerCase().startsWith("on")));
          return [...bad, ...handlers].map((el) => el.outerHTML.slice(0, 200));
        }"""
    )
    assert injected == [], f"markup from the input reached the document: {injected}"


def step_once(ui) -> None:
    """One epoch of training works: step advances the epoch by one and the loss is finite."""
    start = ui.epoch()
    ui.click("step")
    ui.wait_epoch(f"e === {start + 1}", timeout_ms=30_000)
    assert math.isfinite(ui.number("train-loss")), f"train loss is {ui.text('train-loss')!r} after a step"


# --- bad values in the URL hash ----------------------------------------------------------------

# Each round is one link with a bad value for every setting (one page load per round keeps the
# suite short); every value must be reported and replaced by its default.
BAD_HASH = {
    "out-of-range": {"dataset": "<script>alert(1)</script>", "classes": "99", "points": "-5", "noise": "abc",
                     "split": "2", "hidden": "0", "lr": "-1", "batch": "0", "wd": "-1", "seed": "1.5"},
    "huge-or-nan": {"dataset": "<img src=x onerror=alert(1)>", "classes": "1", "points": "99999999999",
                    "noise": "-1", "split": "0", "hidden": "100000", "lr": "NaN", "batch": "-2", "wd": "abc",
                    "seed": "-1"},
    "empty": {"dataset": "", "classes": "", "points": "", "noise": "", "split": "", "hidden": "", "lr": "",
              "batch": "", "wd": "", "seed": ""},
    "non-numeric": {"dataset": 'spiral">', "classes": "abc", "points": "abc", "noise": "1e12", "split": "NaN",
                    "hidden": "-3", "lr": "1e309", "batch": "2.5", "wd": "1e309", "seed": "abc"},
}


@pytest.mark.parametrize("round_name", list(BAD_HASH))
def test_bad_hash_values_give_messages_and_the_defaults(ready_page, ui, default_values, round_name):
    bad = BAD_HASH[round_name]
    page = ready_page("&".join(f"{key}={value}" for key, value in bad.items()))  # raw, as a link is typed
    message = ui.wait_message()
    written = ui.hash_params()
    problems = []
    for key, value in bad.items():
        if not any(word in message.lower() for word in NAMES[key]):
            problems.append(f"{key}={value!r}: the message does not name {key}")
        shown = ui.value(key)
        if not same_value(shown, default_values[key]):
            problems.append(f"{key}={value!r}: the control shows {shown!r}, not the default {default_values[key]!r}")
        elif not sane(key, shown):
            problems.append(f"{key}={value!r}: the control shows {shown!r}, which is no usable value")
        if key in written and not same_value(written[key], shown):
            problems.append(f"{key}={value!r}: the hash still says {written[key]!r} while the page uses {shown!r}")
    assert not problems, f"message shown: {message!r}\n  " + "\n  ".join(problems)
    assert_nothing_injected(page)
    step_once(ui)


# --- bad values typed into the controls ------------------------------------------------------------

BAD_TYPED = {
    "points": ["0", "-5", "", "abc", "1000000000000", "12.5"],
    "noise": ["-0.1", "", "abc", "1e12", "NaN"],
    "split": ["2", "0", "-0.5", "", "abc"],
    "hidden": ["0", "100000", "-3", "", "abc", "2.5", "<img src=x onerror=alert(1)>"],
    "lr": ["0", "-1", "NaN", "", "abc", "1e12", "Infinity"],
    "batch": ["0", "-1", "", "abc", "1e12", "3.5"],
    "wd": ["-1", "", "abc", "1e12", "NaN"],
    "seed": ["1.5", "-1", "", "abc", "1e400"],
}
# A valid value for each, different from the defaults, to show the controls still work afterwards.
GOOD_TYPED = {"points": "120", "noise": "0.2", "split": "0.7", "hidden": "9", "lr": "0.3",
              "batch": "5", "wd": "0.001", "seed": "4"}


def test_bad_typed_values_give_messages_and_keep_the_state(ready_page, ui, default_values):
    page = ready_page()
    step_once(ui)  # a net at epoch 1: a bad value must not throw it away
    hash_before = ui.hash_params()
    problems = []
    for key, values in BAD_TYPED.items():
        before = ui.value(key)
        for bad in values:
            case = f"typing {bad!r} into {key}"
            ui.clear_message()
            ui.type_into(key, bad)
            try:
                message = ui.wait_message(timeout_ms=3000)
            except PlaywrightTimeoutError:
                problems.append(f"{case}: no message")
                message = ""
            if message and not any(word in message.lower() for word in NAMES[key]):
                problems.append(f"{case}: the message does not name {key}: {message!r}")
            shown = ui.value(key)
            if not (same_value(shown, before) or same_value(shown, default_values[key])) or not sane(key, shown):
                problems.append(f"{case}: the control shows {shown!r} (was {before!r})")
            if ui.hash_params() != hash_before:
                problems.append(f"{case}: the hash changed to {ui.hash_params()}")
                hash_before = ui.hash_params()
            if ui.epoch() != 1:
                problems.append(f"{case}: the trained net was thrown away (epoch {ui.epoch()})")
    assert not problems, "\n  ".join(["bad typed values:"] + problems)
    assert_nothing_injected(page)
    step_once(ui)

    for key, good in GOOD_TYPED.items():
        ui.type_into(key, good)
        page.wait_for_function(
            f"() => Number(new URLSearchParams(location.hash.slice(1)).get({key!r})) === {float(good)}",
            timeout=5000,
        )
    ui.wait_epoch("e === 0")
    assert ui.values() == {**default_values, **GOOD_TYPED}
    step_once(ui)


# --- divergence -----------------------------------------------------------------------------------


def test_divergence_pauses_with_a_message_and_reset_recovers(ready_page, ui):
    page = ready_page("lr=100")
    ui.click("play")
    page.wait_for_function(
        """() => /learning rate/i.test(document.querySelector('[data-testid="message"]').textContent)""",
        timeout=60_000,
        polling=200,
    )
    assert ui.message_visible()
    stopped_at = ui.epoch()
    assert not ui.is_playing(), "training went on after it diverged"
    assert ui.epoch() == stopped_at

    ui.click("reset")
    ui.wait_epoch("e === 0")
    assert math.isfinite(ui.number("train-loss")), f"after reset the loss shows {ui.text('train-loss')!r}"
    assert ui.hook("play").is_enabled() and ui.hook("step").is_enabled()

    ui.type_into("lr", "0.1")
    page.wait_for_function("() => new URLSearchParams(location.hash.slice(1)).get('lr') === '0.1'", timeout=5000)
    ui.assert_trains(epochs=5)
    assert not re.search(r"diverg|learning rate", ui.message(), re.I), (
        f"the divergence message stayed after recovering: {ui.message()!r}"
    )


# --- a dead worker --------------------------------------------------------------------------------


def test_a_terminated_worker_is_reported_and_restart_brings_it_back(ready_page, ui):
    page = ready_page("dataset=circles&classes=2&hidden=11&lr=0.3&batch=4&seed=5")
    step_once(ui)
    setup = ui.values()
    has_hook = page.evaluate("() => typeof globalThis.pynnTest?.terminateWorker === 'function'")
    assert has_hook, "the page has no test hook pynnTest.terminateWorker() to stop its worker"
    page.evaluate("() => globalThis.pynnTest.terminateWorker()")
    ui.wait_message()
    restart = ui.hook("restart")
    restart.wait_for(state="visible", timeout=5000)
    assert ui.hook("step").is_disabled() or ui.hook("play").is_disabled(), "buttons stay usable with no worker"
    restart.click()
    page.wait_for_function(
        """() => /^ready\\b/i.test(document.querySelector('[data-testid="status"]').textContent.trim())""",
        timeout=30_000,
    )
    assert ui.values() == setup, "restart did not keep the setup"
    ui.assert_trains()


# --- Content-Security-Policy ----------------------------------------------------------------------

ALLOWED_SOURCES = {"'self'", "'none'", "'wasm-unsafe-eval'", "data:", "blob:"}


def parse_csp(content: str) -> dict[str, list[str]]:
    directives = {}
    for part in content.split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), [t.lower() for t in tokens[1:]])
    return directives


def test_csp_meta_allows_only_the_own_origin(site_url):
    html = urllib.request.urlopen(site_url, timeout=10).read().decode("utf-8")
    metas = re.findall(r"<meta\b[^>]*http-equiv\s*=\s*[\"']?content-security-policy[^>]*>", html, re.I)
    assert len(metas) == 1, f"index.html has {len(metas)} CSP meta tags"
    content = re.search(r"content\s*=\s*\"([^\"]*)\"|content\s*=\s*'([^']*)'", metas[0], re.I)
    assert content, metas[0]
    csp = parse_csp(content.group(1) or content.group(2))
    assert csp.get("default-src") == ["'self'"], f"default-src is {csp.get('default-src')}"
    scripts = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, f"script-src {scripts}"
    # Besides the origin: the sandbox frame's one inline script, by its hash (an srcdoc frame keeps
    # the page's policy), and blob: workers (the sandbox's, made in the frame).
    frame = urllib.request.urlopen(site_url + "start/sandbox.html", timeout=10).read().decode("utf-8")
    script = re.search(r"<script>(.*?)</script>", frame, re.S).group(1)
    sandbox = "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode().lower() + "'"
    assert sandbox in scripts, f"script-src {scripts} does not allow the sandbox's script"
    for directive, sources in csp.items():
        for source in sources:
            assert source in ALLOWED_SOURCES or (directive.startswith("style-src") and source == "'unsafe-inline'") \
                or (directive == "script-src" and source == sandbox), (
                f"{directive} allows {source!r}: more than the page's own origin"
            )
    head = html.lower().split("</head>")[0]
    first_script = head.find("<script")
    assert first_script == -1 or head.find(metas[0].lower()) < first_script, "the CSP comes after a script"
    for tag in re.findall(r"<script\b[^>]*>", html, re.I):
        assert re.search(r"\bsrc\s*=", tag), f"inline script: {tag}"
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I), "an inline event handler in index.html"


def test_page_works_under_its_csp_which_is_enforced(ready_page, ui, guard):
    page = ready_page()
    # The policy is in force: an injected inline script is refused (and reported).
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__e2eInline = true";
                   document.body.append(s); }"""
    )
    page.wait_for_function("() => window.__e2eCspViolations.some((entry) => entry.includes('script-src'))")
    assert page.evaluate("() => window.__e2eInline === undefined"), "an inline script ran: no CSP in force"
    recorded = page.evaluate("() => window.__e2eCspViolations.splice(0)")
    assert any("script-src" in entry for entry in recorded), f"no CSP violation was reported: {recorded}"
    guard.console_errors[:] = [e for e in guard.console_errors if "Content Security Policy" not in e]

    ui.assert_trains()
    ui.type_into("hidden", "8")
    ui.wait_epoch("e === 0")
    step_once(ui)
    ui.click("reset")
    ui.wait_epoch("e === 0")
    # the conftest fails this test on any CSP violation or console error from here on

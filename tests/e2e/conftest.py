"""End-to-end fixtures: build the demo once, serve dist/ locally, drive Debian's Chromium.

Every test gets a fresh browser context whose requests are all routed through `guard`: a request
to any host other than the local server is aborted and recorded. After the test body, the test
fails if any such request happened, or the page threw an uncaught error, logged a console error
(from the page or its worker), opened a dialog (alert/confirm/prompt), or reported a
Content-Security-Policy violation.
"""
from __future__ import annotations

import importlib.util
import math
import os
import sys
import time
import types
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="the end-to-end tests need playwright")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

READY_SECONDS = 30
# Default bound for any single wait on the page (a click, a readout, a canvas).
WAIT_MS = 15_000

KEYS = ("dataset", "classes", "points", "noise", "split", "hidden", "lr", "batch", "wd", "seed")

# Records Content-Security-Policy violations where the test can read them (the page's own
# listeners may come and go; this one is installed before any of the page's scripts run).
CSP_RECORDER = """
(() => {
  if (typeof document === "undefined") return;
  const seen = [];
  Object.defineProperty(window, "__e2eCspViolations", { value: seen });
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.push(`${e.effectiveDirective || e.violatedDirective} blocked ${e.blockedURI || "(inline)"}`
      + ` at ${e.sourceFile || "?"}:${e.lineNumber || "?"}`);
  });
})();
"""

# A readout as a number: "0.953", "95.3 %" (→ 0.953 when percent=true), "–" or empty → NaN.
READOUT_JS = """
(el, percent) => {
  const text = (el.textContent || "").trim().replace(/\\u2212/g, "-");
  if (text.endsWith("%")) {
    const value = Number(text.slice(0, -1).trim());
    return percent ? value / 100 : value;
  }
  return text === "" ? NaN : Number(text);
}
"""

# Pixels of a canvas (whatever its context), read by drawing it onto a scratch 2-D canvas, sampled
# every 4th pixel each way: the number of distinct colours, the share of the most common one,
# and the samples themselves for comparing two snapshots.
CANVAS_JS = """
(canvas) => {
  const w = canvas.width, h = canvas.height;
  const scratch = document.createElement("canvas");
  scratch.width = w;
  scratch.height = h;
  const ctx = scratch.getContext("2d");
  ctx.drawImage(canvas, 0, 0);
  const data = ctx.getImageData(0, 0, w, h).data;
  const counts = new Map();
  const sample = [];
  for (let y = 0; y < h; y += 4) {
    for (let x = 0; x < w; x += 4) {
      const i = 4 * (y * w + x);
      const v = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
      counts.set(v, (counts.get(v) || 0) + 1);
      sample.push(v);
    }
  }
  const top = Math.max(0, ...counts.values());
  return { width: w, height: h, distinct: counts.size, dominant: sample.length ? top / sample.length : 1, sample };
}
"""


def load_build_module():
    """build.py, imported from the checkout's root."""
    spec = importlib.util.spec_from_file_location("pynn_build_for_e2e", ROOT / "build.py")
    if spec is None or not (ROOT / "build.py").is_file():
        pytest.fail("build.py is missing: the end-to-end tests need it to assemble dist/")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build_module():
    return load_build_module()


@pytest.fixture(scope="session")
def site(build_module, tmp_path_factory):
    """dist/, built once per test session from the checkout (web/ and pynn/); under pytest-xdist
    (test.sh runs the e2e tests in two processes) each process builds its own, in its temporary
    folder, so that no build replaces a site another process is serving."""
    started = time.monotonic()
    out = tmp_path_factory.mktemp("site") / "dist" if os.environ.get("PYTEST_XDIST_WORKER") else ROOT / "dist"
    try:
        result = build_module.build(out)
    except build_module.BuildError as error:
        pytest.fail(f"build.py could not build the site: {error}")
    print(f"[e2e] built {result.out} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return result.out


@pytest.fixture(scope="session")
def site_url(build_module, site):
    """The built site served on a free 127.0.0.1 port from a background thread."""
    server, url = build_module.serve(site, 0, quiet=True)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def pseudo_site_url(build_module, tmp_path_factory):
    """A site built with the tests' pseudo-language (build.py --pseudo: every language of the page
    and en-XA), served on its own port. A test module uses it as its site by overriding site_url:
    ``site_url = pytest.fixture(scope="module")(lambda pseudo_site_url: pseudo_site_url)``."""
    try:
        result = build_module.build(tmp_path_factory.mktemp("pseudo") / "dist", pseudo=True)
    except build_module.BuildError as error:
        pytest.fail(f"build.py --pseudo could not build the site: {error}")
    server, url = build_module.serve(result.out, 0, quiet=True)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Guard:
    """What a page did that no test allows: foreign requests, errors, dialogs, CSP violations."""

    def __init__(self, origin: str):
        self.netloc = urlsplit(origin).netloc
        self.foreign: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        self.pages: list = []

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc == self.netloc

    def route(self, route) -> None:
        url = route.request.url
        if self.is_local(url):
            route.continue_()
        else:
            if url not in self.foreign:
                self.foreign.append(url)
            route.abort()

    def request(self, request) -> None:
        # Also catches what routing cannot see (e.g. a request the route handler never got).
        if not self.is_local(request.url) and request.url not in self.foreign:
            self.foreign.append(request.url)

    def console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.console_errors.append(f"{message.text} ({where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message!r}")
        dialog.dismiss()

    def collect_csp(self) -> None:
        for page in self.pages:
            if page.is_closed():
                continue
            try:
                seen = page.evaluate("() => [...(window.__e2eCspViolations || [])]")
            except sync_api.Error:
                continue
            self.csp.extend(entry for entry in seen if entry not in self.csp)

    def problems(self) -> list[str]:
        found = []
        found += [f"request to another origin (aborted): {url}" for url in self.foreign]
        found += [f"uncaught page error: {text}" for text in self.page_errors]
        found += [f"console error: {text}" for text in self.console_errors]
        found += [f"dialog opened: {text}" for text in self.dialogs]
        found += [f"CSP violation: {text}" for text in self.csp]
        return found

    def check(self) -> None:
        # Let events already on their way reach the listeners.
        for page in self.pages:
            if not page.is_closed():
                page.wait_for_timeout(100)
        self.collect_csp()
        problems = self.problems()
        if problems:
            raise AssertionError("the page misbehaved during the test:\n  " + "\n  ".join(problems))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail (not error) a test whose page misbehaved, once its own assertions have passed."""
    result = yield
    guard = getattr(item, "_e2e_guard", None)
    if guard is not None:
        guard.check()
    return result


def new_context(browser, site_url: str, guard: Guard, service_workers: str = "block"):
    # No service worker by default: it would answer the requests that tests abort or fault-inject
    # (Playwright's routes do not see what a service worker serves); tests/e2e/test_offline.py
    # opens contexts that allow it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers=service_workers)
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(CSP_RECORDER)
    context.route("**/*", guard.route)
    context.on("request", guard.request)
    context.on("console", guard.console)
    context.on("dialog", guard.dialog)
    context.on("page", lambda page: guard.pages.append(page))
    return context


@pytest.fixture
def guard(request, site_url) -> Guard:
    found = Guard(site_url)
    request.node._e2e_guard = found
    return found


@pytest.fixture
def page(browser, site_url, guard):
    """A fresh page in a fresh context, watched by `guard`."""
    context = new_context(browser, site_url, guard)
    page = context.new_page()
    page.on("pageerror", lambda error: guard.page_errors.append(f"{error.name}: {error.message}"))
    yield page
    context.close()


def wait_ready(page, started: float, seconds: float = READY_SECONDS) -> str:
    """Wait until the status says Ready; a failure shown in the status fails at once."""
    remaining_ms = max(1000, (started + seconds - time.monotonic()) * 1000)
    js = """
    () => {
      const status = document.querySelector('[data-testid="status"]');
      if (!status) return null;
      const text = status.textContent.trim();
      if (/^ready\\b/i.test(text)) return "ready:" + text;
      if (status.classList.contains("failed") || /fail|error|stopped|could not|timed out/i.test(text)) {
        return "failed:" + text;
      }
      return null;
    }
    """
    try:
        handle = page.wait_for_function(js, timeout=remaining_ms, polling=100)
    except sync_api.TimeoutError:
        status = page.locator('[data-testid="status"]')
        message = page.locator('[data-testid="message"]')
        text = status.text_content() if status.count() else "(no status element)"
        shown = message.text_content().strip() if message.count() else ""
        pytest.fail(f"the page was not Ready within {seconds:.0f} s; status says: {text!r}; message says: {shown!r}")
    outcome = handle.json_value()
    if outcome.startswith("failed:"):
        pytest.fail(f"the page failed to start: {outcome[len('failed:'):]!r}")
    return outcome[len("ready:"):]


@pytest.fixture
def ready_page(page, site_url):
    """Open the page with a hash (without '#') and wait until it is Ready (≤ 30 s)."""

    def open_page(hash: str = ""):
        url = site_url + ("#" + hash.lstrip("#") if hash else "")
        started = time.monotonic()
        page.goto(url)
        wait_ready(page, started)
        page.e2e_ready_seconds = time.monotonic() - started
        return page

    return open_page


# --- helpers the tests share, as a fixture so no test imports this module ------------------------


class Ui:
    """Reading and driving the page through its data-testid hooks only."""

    KEYS = KEYS

    def __init__(self, page):
        self.page = page

    def hook(self, testid: str):
        return self.page.locator(f'[data-testid="{testid}"]')

    def text(self, testid: str) -> str:
        return (self.hook(testid).text_content() or "").strip()

    def number(self, testid: str, *, percent: bool = True) -> float:
        """A readout as a float (accuracy in % comes back as a fraction); NaN when not a number."""
        return self.hook(testid).evaluate(READOUT_JS, percent)

    def epoch(self) -> int:
        value = self.number("epoch", percent=False)
        assert not math.isnan(value), f"the epoch readout is not a number: {self.text('epoch')!r}"
        return int(value)

    def value(self, key: str) -> str:
        return self.hook(key).input_value().strip()

    def values(self) -> dict[str, str]:
        return {key: self.value(key) for key in KEYS}

    def hash_params(self) -> dict[str, str]:
        """The URL hash as a dict (values percent-decoded)."""
        fragment = self.page.evaluate("() => location.hash").lstrip("#")
        params = {}
        for part in fragment.split("&"):
            if part:
                key, _, value = part.partition("=")
                params[unquote(key.replace("+", " "))] = unquote(value.replace("+", " "))
        return params

    def message(self) -> str:
        return self.text("message")

    def message_visible(self) -> bool:
        return self.hook("message").is_visible() and self.message() != ""

    def clear_message(self) -> None:
        """Empty the message line, so the next message can be told apart from an old one."""
        self.hook("message").evaluate("(el) => el.replaceChildren()")

    def wait_message(self, timeout_ms: int = 5000) -> str:
        self.page.wait_for_function(
            """() => { const el = document.querySelector('[data-testid="message"]');
                       return el && el.textContent.trim() !== "" && el.getClientRects().length > 0; }""",
            timeout=timeout_ms,
        )
        return self.message()

    def wait_epoch(self, predicate_js: str, timeout_ms: int = WAIT_MS) -> int:
        """Wait until `predicate_js` (an expression of the number `e`) holds for the epoch readout."""
        self.page.wait_for_function(
            f"""() => {{ const el = document.querySelector('[data-testid="epoch"]');
                         const e = el ? Number(el.textContent.trim()) : NaN;
                         return Number.isFinite(e) && ({predicate_js}); }}""",
            timeout=timeout_ms,
        )
        return self.epoch()

    def type_into(self, key: str, text: str) -> None:
        """Type into a text control as a user would, then leave it (Tab), which commits it."""
        control = self.hook(key)
        control.fill(text)
        control.press("Tab")

    def choose(self, key: str, value: str) -> None:
        self.hook(key).select_option(value)

    def click(self, testid: str) -> None:
        self.hook(testid).click()

    # --- the exercises (checked in the sandbox) ---

    EDITOR = '[data-testid="exercise-editor"] .cm-content'
    RESULT = '[data-testid="exercise-result"]'
    PASTE_JS = """(content, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      content.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }"""

    def open_exercise(self, name: str, timeout_ms: int = 120_000) -> None:
        self.hook(f"exercise-tab-{name}").click()
        self.page.wait_for_function(
            """(name) => document.querySelector('.exercise-title code')?.textContent === name
                         && document.querySelector('[data-testid="exercise-check"]')""",
            arg=name, timeout=timeout_ms,
        )

    def set_code(self, source: str) -> None:
        """Replace the editor's text as a student would: select all, then paste."""
        self.page.locator(self.EDITOR).click()
        self.page.keyboard.press("Control+A")
        self.page.locator(self.EDITOR).evaluate(self.PASTE_JS, source)

    def press_check(self, timeout_ms: int = 15_000) -> tuple[str, str]:
        """Press Check and wait for its result: (data-status, the result's text)."""
        result = self.page.locator(self.RESULT)
        result.evaluate("(el) => delete el.dataset.status")
        self.hook("exercise-check").click()
        self.page.wait_for_function(
            f"""() => ["pass", "fail", "error", "timeout", "crashed", "invalid"]
                          .includes(document.querySelector('{self.RESULT}')?.dataset.status)""",
            timeout=timeout_ms,
        )
        return result.get_attribute("data-status"), result.text_content()

    def is_playing(self) -> bool:
        """Whether the play/pause button says training runs (it reads "Pause", aria-pressed true)."""
        return self.hook("play").get_attribute("aria-pressed") == "true"

    def wait_playing(self, playing: bool, timeout_ms: int = WAIT_MS) -> None:
        """Wait until the play/pause button's state is `playing`, and its label agrees."""
        label = "Pause" if playing else "Play"
        self.page.wait_for_function(
            f"""() => {{ const b = document.querySelector('[data-testid="play"]');
                         return b && b.getAttribute("aria-pressed") === "{str(playing).lower()}"
                                  && b.textContent.trim() === "{label}"; }}""",
            timeout=timeout_ms,
        )

    def pause(self) -> None:
        """Stop training with the play/pause button if it runs; returns once the button says Play and
        the epoch readout has stopped moving (a chunk under way when it was pressed may still report)."""
        if self.is_playing():
            self.click("play")
        self.wait_playing(False)
        self.settle()

    def settle(self, frames: int = 10) -> int:
        """The epoch readout once it has stayed the same over `frames` pairs of animation frames."""
        read = """async () => {
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
            return document.querySelector('[data-testid="epoch"]').textContent.trim(); }"""
        last, same = self.page.evaluate(read), 0
        for _ in range(50 * frames):
            now = self.page.evaluate(read)
            same = same + 1 if now == last else 0
            if same >= frames:
                return int(now)
            last = now
        raise AssertionError(f"the epoch readout never settled after Pause (last {last})")

    def canvas(self, testid: str = "boundary-canvas") -> dict:
        return self.hook(testid).evaluate(CANVAS_JS)

    def settled_canvas(self, testid: str = "boundary-canvas", timeout_s: float = 10) -> dict:
        """The canvas once it has stopped changing (the same in two reads 200 ms apart): the
        plane is redrawn a frame or an answer after the epoch readout changes."""
        deadline = time.monotonic() + timeout_s
        last = self.canvas(testid)
        while True:
            self.page.wait_for_timeout(200)
            now = self.canvas(testid)
            if self.changed_fraction(last, now) == 0:
                return now
            if time.monotonic() > deadline:
                raise AssertionError(f"the {testid} kept changing for {timeout_s} s")
            last = now

    @staticmethod
    def changed_fraction(a: dict, b: dict) -> float:
        if (a["width"], a["height"]) != (b["width"], b["height"]):
            return 1.0
        differ = sum(1 for x, y in zip(a["sample"], b["sample"]) if x != y)
        return differ / max(1, len(a["sample"]))

    def wait_canvas_change(self, before: dict, testid: str = "boundary-canvas",
                           fraction: float = 0.01, timeout_s: float = 15) -> dict:
        """Wait until the canvas differs from `before` in at least `fraction` of the samples."""
        deadline = time.monotonic() + timeout_s
        while True:
            now = self.canvas(testid)
            if self.changed_fraction(before, now) >= fraction:
                return now
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{testid} did not change within {timeout_s:.0f} s "
                    f"({self.changed_fraction(before, now):.2%} of the sampled pixels differ)"
                )
            self.page.wait_for_timeout(200)

    def wait_snapshot_kept(self, timeout_ms: int = 20_000) -> None:
        """Wait until the worker says it stored the snapshot the next visit restores (data-kept
        "true"); a failure to store it fails at once, saying why (data-kept-why)."""
        self.page.wait_for_function(
            "() => document.querySelector('[data-testid=\"status\"]').dataset.kept !== undefined",
            timeout=timeout_ms, polling=100)
        line = self.hook("status")
        assert line.get_attribute("data-kept") == "true", (
            f"the snapshot was not kept: {line.get_attribute('data-kept-why')}")

    def assert_trains(self, epochs: int = 3, timeout_ms: int = 30_000) -> None:
        """The page still trains: step advances one epoch, then play runs a few more, with finite loss."""
        start = self.epoch()
        self.click("step")
        self.wait_epoch(f"e === {start + 1}", timeout_ms=timeout_ms)
        loss = self.number("train-loss")
        assert math.isfinite(loss), f"train loss after a step is not a finite number: {self.text('train-loss')!r}"
        self.click("play")
        self.wait_epoch(f"e >= {start + 1 + epochs}", timeout_ms=timeout_ms)
        self.pause()
        loss = self.number("train-loss")
        assert math.isfinite(loss), f"train loss after playing is not a finite number: {self.text('train-loss')!r}"

    # The page's width, and what sticks out past the window's right-hand edge outside any box that
    # scrolls or clips (to say what to fix).
    WIDTH_JS = """() => {
      const clipped = (node) => {
        for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== "visible") return true;
        }
        return false;
      };
      const wide = [...document.querySelectorAll("body *")].filter((node) => {
        const box = node.getBoundingClientRect();
        return box.width && box.right > innerWidth + 0.5 && !clipped(node);
      }).slice(-3).map((node) => `${node.tagName.toLowerCase()}.${node.className}#${node.id}: ${node.textContent.slice(0, 40)}`);
      return { width: document.scrollingElement.scrollWidth, window: innerWidth, wide };
    }"""
    WIDTHS = ((390, 844), (1024, 768), (1280, 800), (1920, 1080))

    def overflows(self, where: str) -> list[str]:
        """At 390, 1024, 1280 and 1920 px wide: where the page is wider than the window (issue 39),
        and what sticks out; the window is 1280×800 again after."""
        found = []
        for width, height in self.WIDTHS:
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            seen = self.page.evaluate(self.WIDTH_JS)
            if seen["width"] > seen["window"]:
                found.append(f"{where} at {width} px: {seen['width']} px wide, past the edge: {seen['wide']}")
        self.page.set_viewport_size({"width": 1280, "height": 800})
        return found


@pytest.fixture
def ui(page) -> Ui:
    return Ui(page)


@pytest.fixture(scope="session")
def default_values(browser, site_url) -> dict[str, str]:
    """What each control shows on a page opened with no hash (the page's defaults)."""
    guard = Guard(site_url)
    context = new_context(browser, site_url, guard)
    try:
        page = context.new_page()
        started = time.monotonic()
        page.goto(site_url)
        wait_ready(page, started)
        return Ui(page).values()
    finally:
        context.close()


def wait_until(page, predicate_js: str, timeout_ms: int = WAIT_MS, interval_ms: int = 100):
    """Poll an async predicate (a function returning a promise) until it resolves truthy; its value.

    Playwright's wait_for_function does not await: a promise is truthy, so it returns at once
    (tests/test_e2e_waits.py keeps async predicates out of it)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = page.evaluate(predicate_js)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_ms} ms: {predicate_js[:200]}")
        page.wait_for_timeout(interval_ms)


@pytest.fixture(scope="session")
def e2e_tools():
    """This module's helpers, for tests that open contexts of their own (no test imports it)."""
    return types.SimpleNamespace(new_context=new_context, wait_ready=wait_ready, wait_until=wait_until, Ui=Ui, Guard=Guard,
                                 READY_SECONDS=READY_SECONDS)

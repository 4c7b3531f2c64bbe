"""The same page in the other engines a class uses: Firefox ESR and WebKitGTK (Safari's engine).

Playwright drives only Debian's Chromium here (its Firefox and WebKit are builds of its own, which
cannot be downloaded), so each engine is driven through what its Debian package ships:

- Firefox ESR (`firefox-esr`) speaks WebDriver BiDi itself: started with
  `--remote-debugging-port`, it is driven over that websocket by `Bidi` below (websocket-client;
  geckodriver is not in Debian and is not needed).
- WebKitGTK through its own WebDriver server, `WebKitWebDriver` (`webkit2gtk-driver`), which
  starts MiniBrowser on an Xvfb display; Selenium speaks classic WebDriver to it, with the
  driver's path given so that Selenium Manager never runs (and SE_OFFLINE set should it ever).

Each test module shares one browser per engine; each test opens its own tab (Firefox) or page
(WebKit) on a server of its own: a fresh origin, so no test sees what another kept.

`PYNN_ENGINES` picks the engines: unset or "all" runs both, "0" none (for a quick local run; each
test is skipped with the reason, which `-rs` lists and test.sh prints), or a comma-separated list
("firefox", "webkit"). An engine that is asked for and cannot start fails its tests.
"""
from __future__ import annotations

import collections
import glob
import json
import os
import re
import subprocess
import threading
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
# Debian's libwebkit2gtk-4.1-0 ships MiniBrowser in the architecture's library folder.
MINIBROWSER = next(iter(glob.glob("/usr/lib/*/webkit2gtk-4.1/MiniBrowser")), "/usr/lib/webkit2gtk-4.1/MiniBrowser")
XVFB = "/usr/bin/Xvfb"
ENGINES = ("firefox", "webkit")
# Starting a browser on a busy 2-core machine (7 engineers, CI) takes seconds, sometimes tens.
START_SECONDS = 90
COMMAND_SECONDS = 60

# Firefox's remote agent already applies its recommended automation preferences
# (remote.prefs.recommended); these keep a fresh profile from reaching out or asking anything.
FIREFOX_PREFS = {
    "app.update.disabledForTesting": True,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
}

# Installed before any of the page's scripts (Firefox only): Content-Security-Policy violations,
# where the check after the test reads them.
CSP_RECORDER = """() => {
  const seen = [];
  Object.defineProperty(window, "__e2eCspViolations", { value: seen });
  document.addEventListener("securitypolicyviolation", (e) => {
    seen.push(`${e.effectiveDirective || e.violatedDirective} blocked ${e.blockedURI || "(inline)"}`
      + ` at ${e.sourceFile || "?"}:${e.lineNumber || "?"}`);
  });
}"""

# How Firefox words a refusal by a Content-Security-Policy in its log.
REFUSAL = re.compile(r"Content-Security-Policy|Content Security Policy", re.I)

CONTROL, ENTER = "\ue009", "\ue007"  # WebDriver's codes for the Control and Enter keys

ELEMENT_JS = """(testid) => {
  const el = document.querySelector(`[data-testid="${testid}"]`);
  if (el) el.scrollIntoView({ block: "center", inline: "center" });
  return el;
}"""


def chosen_engines() -> tuple[str, ...]:
    """The engines PYNN_ENGINES asks for (see the module's docstring)."""
    value = os.environ.get("PYNN_ENGINES", "all").strip().lower()
    if value in ("", "all", "1"):
        return ENGINES
    if value in ("0", "none", "no"):
        return ()
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in ENGINES]
    if unknown:
        raise pytest.UsageError(f"PYNN_ENGINES={value!r}: unknown engine(s) {unknown}; use 0, all or {', '.join(ENGINES)}")
    return names


class EngineError(RuntimeError):
    """A browser that could not be started or answered its driver with an error."""


def pipe_tail(stream, lines: collections.deque, found: threading.Event, marker: str, hold: list) -> None:
    """Keep the last lines a process printed (for error messages); note the first line with marker."""
    for raw in iter(stream.readline, b""):
        line = raw.decode(errors="replace").rstrip()
        lines.append(line)
        if not found.is_set() and marker in line:
            hold.append(line)
            found.set()


def start_process(command: list[str], *, marker: str, env: dict | None = None,
                  stream: str = "stderr") -> tuple[subprocess.Popen, str]:
    """Start command; wait (≤ START_SECONDS) for a line containing marker on its stream, and
    return the process and that line."""
    if not Path(command[0]).is_file():
        raise EngineError(f"{command[0]} is missing (test.sh installs it with apt-get)")
    out = subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL
    err = subprocess.PIPE if stream == "stderr" else subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
    lines: collections.deque = collections.deque(maxlen=40)
    found, hold = threading.Event(), []
    pipe = process.stdout if stream == "stdout" else process.stderr
    threading.Thread(target=pipe_tail, args=(pipe, lines, found, marker, hold), daemon=True).start()
    if not found.wait(START_SECONDS):
        stop_process(process)
        raise EngineError(f"{Path(command[0]).name} did not start within {START_SECONDS} s; it printed:\n"
                          + "\n".join(lines))
    return process, hold[0]


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


# --- Firefox: WebDriver BiDi over the websocket Firefox opens --------------------------------------


def to_local_value(value: Any) -> dict:
    """A Python argument as a BiDi LocalValue (strings, numbers, booleans, None)."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, (int, float)):
        return {"type": "number", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    raise TypeError(f"cannot pass {type(value).__name__} to the page")


def from_remote_value(remote: dict) -> Any:
    """A BiDi RemoteValue as Python: primitives, arrays and objects; a node as its reference."""
    kind = remote["type"]
    if kind in ("undefined", "null"):
        return None
    if kind == "number":
        value = remote["value"]
        return float(value) if isinstance(value, str) else value  # "NaN", "Infinity", "-0"
    if kind in ("string", "boolean", "bigint"):
        return remote["value"]
    if kind == "array":
        return [from_remote_value(item) for item in remote.get("value", [])]
    if kind == "object":
        return {key: from_remote_value(item) for key, item in remote.get("value", [])}
    if kind == "node":
        return {"sharedId": remote["sharedId"]}
    return {"type": kind}


class Bidi:
    """A WebDriver BiDi session: commands answered in order, events kept in lists as they arrive."""

    def __init__(self, url: str):
        import websocket  # websocket-client, which Selenium brings too

        self.socket = websocket.create_connection(url, timeout=COMMAND_SECONDS, suppress_origin=True)
        self.last_id = 0
        self.logs: list[dict] = []
        self.requests: list[str] = []

    def command(self, method: str, params: dict, seconds: float = COMMAND_SECONDS) -> dict:
        self.last_id += 1
        mine = self.last_id
        self.socket.send(json.dumps({"id": mine, "method": method, "params": params}))
        deadline = time.monotonic() + seconds
        while True:
            self.socket.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self.socket.recv())
            except Exception as error:  # a timeout or a closed socket
                raise EngineError(f"Firefox did not answer {method} within {seconds:.0f} s: {error!r}") from error
            if message.get("type") == "event":
                self.event(message["method"], message["params"])
            elif message.get("id") == mine:
                if message.get("type") == "error":
                    raise EngineError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def event(self, method: str, params: dict) -> None:
        if method == "log.entryAdded":
            self.logs.append(params)
        elif method == "network.beforeRequestSent":
            self.requests.append(params["request"]["url"])

    def close(self) -> None:
        try:
            self.command("session.end", {}, seconds=10)
        except EngineError:
            pass
        self.socket.close()


class FirefoxTab:
    """One tab of the shared Firefox; `call` runs a JavaScript function in its page."""

    def __init__(self, browser: "Firefox"):
        self.bidi = browser.bidi
        self.context = self.bidi.command("browsingContext.create", {"type": "tab"})["context"]
        self.first_log = len(self.bidi.logs)
        self.first_request = len(self.bidi.requests)

    def goto(self, url: str) -> None:
        self.bidi.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def reload(self) -> None:
        self.bidi.command("browsingContext.reload", {"context": self.context, "wait": "complete"})

    def call(self, function: str, *args: Any) -> Any:
        result = self.bidi.command("script.callFunction", {
            "functionDeclaration": function, "arguments": [to_local_value(arg) for arg in args],
            "target": {"context": self.context}, "awaitPromise": True, "resultOwnership": "none"})
        if result["type"] == "exception":
            details = result["exceptionDetails"]
            raise EngineError(f"the page threw: {details.get('text')}")
        return from_remote_value(result["result"])

    def go_offline(self) -> bool:
        """The tab's network off, as the browser's offline mode (navigator.onLine false)."""
        self.bidi.command("emulation.setNetworkConditions", {
            "networkConditions": {"type": "offline"}, "contexts": [self.context]})
        return True

    def click(self, testid: str) -> None:
        """A mouse click in the middle of the element, as a user makes it."""
        element = self.call(ELEMENT_JS, testid)
        if element is None:
            raise AssertionError(f'no element with data-testid="{testid}"')
        self.bidi.command("input.performActions", {"context": self.context, "actions": [{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
                {"type": "pointerMove", "x": 0, "y": 0, "origin": {"type": "element", "element": element}},
                {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}]})

    def select_all(self) -> None:
        """Ctrl+A, typed into the element that has the focus."""
        self.bidi.command("input.performActions", {"context": self.context, "actions": [{
            "type": "key", "id": "keyboard", "actions": [
                {"type": "keyDown", "value": CONTROL}, {"type": "keyDown", "value": "a"},
                {"type": "keyUp", "value": "a"}, {"type": "keyUp", "value": CONTROL}]}]})

    def type_keys(self, text: str) -> None:
        """text typed, key by key, into the element that has the focus (a newline is Enter)."""
        keys = [ENTER if char == "\n" else char for char in text]
        self.bidi.command("input.performActions", {"context": self.context, "actions": [{
            "type": "key", "id": "keyboard", "actions": [
                {"type": kind, "value": key} for key in keys for kind in ("keyDown", "keyUp")]}]})

    def problems(self) -> list[str]:
        """What no test allows: errors logged by the page or its workers, requests to another host,
        Content-Security-Policy violations."""
        found = []
        for entry in self.bidi.logs[self.first_log:]:
            if entry.get("level") == "error":
                found.append(f"{entry.get('type')} error: {entry.get('text')}")
        for url in self.bidi.requests[self.first_request:]:
            parts = urlsplit(url)
            if parts.scheme not in ("data", "blob", "about") and parts.hostname != "127.0.0.1":
                found.append(f"request to another host: {url}")
        try:
            found += [f"CSP violation: {text}" for text in self.call("() => [...(window.__e2eCspViolations || [])]")]
        except EngineError:
            pass
        return found

    def expect_refusals(self, address: str) -> None:
        """The refusals logged so far are expected (a test that provokes them): the
        Content-Security-Policy's, and the failed connections to `address`; problems() no longer
        counts them, and any other error still counts."""
        self.bidi.logs[self.first_log:] = [
            entry for entry in self.bidi.logs[self.first_log:]
            if not (REFUSAL.search(str(entry.get("text"))) or address in str(entry.get("text")))]

    def close(self) -> None:
        self.bidi.command("browsingContext.close", {"context": self.context})


class Firefox:
    """Debian's Firefox ESR, headless, on a fresh profile, driven over WebDriver BiDi."""

    name = "firefox"
    sees_errors = True  # BiDi reports the page's and its workers' errors

    def __init__(self, profile: Path):
        profile.mkdir(parents=True, exist_ok=True)
        (profile / "user.js").write_text("".join(
            f"user_pref({json.dumps(key)}, {json.dumps(value)});\n" for key, value in FIREFOX_PREFS.items()))
        env = {**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"}
        self.process, line = start_process(
            [FIREFOX, "--headless", "--no-remote", "-profile", str(profile), "--remote-debugging-port=0",
             "--width=1280", "--height=900", "about:blank"],
            marker="WebDriver BiDi listening on ", env=env)
        try:
            self.bidi = Bidi(line.split("listening on ", 1)[1].strip() + "/session")
            session = self.bidi.command("session.new", {"capabilities": {"alwaysMatch": {
                "unhandledPromptBehavior": {"default": "dismiss"}}}})
            self.version = f"Firefox {session['capabilities']['browserVersion']}"
            self.bidi.command("session.subscribe", {"events": ["log.entryAdded", "network.beforeRequestSent"]})
            self.bidi.command("script.addPreloadScript", {"functionDeclaration": CSP_RECORDER})
        except Exception:
            stop_process(self.process)
            raise

    def new_tab(self) -> FirefoxTab:
        return FirefoxTab(self)

    def close(self) -> None:
        self.bidi.close()
        stop_process(self.process)


# --- WebKitGTK: WebKitWebDriver (classic WebDriver) through Selenium, on Xvfb ------------------------

# Runs a function in the page and hands back {ok: value} or {error: text}; no eval (the page's
# CSP forbids it): the function's source is part of the script WebDriver runs.
SELENIUM_CALL = """const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
Promise.resolve().then(() => (%s).apply(null, args)).then(
  (value) => done({ ok: value === undefined ? null : value }),
  (error) => done({ error: String((error && error.stack) || error) }));"""


class WebKitTab:
    """The WebKit session's one page; a test's tab is that page, sent to about:blank when done."""

    def __init__(self, driver):
        self.driver = driver

    def goto(self, url: str) -> None:
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    def call(self, function: str, *args: Any) -> Any:
        outcome = self.driver.execute_async_script(SELENIUM_CALL % function, *args)
        if outcome is None or "error" in outcome:
            raise EngineError(f"the page threw: {outcome and outcome.get('error')}")
        return outcome["ok"]

    def go_offline(self) -> bool:
        """Classic WebDriver has no network emulation: only the server's being gone tells."""
        return False

    def click(self, testid: str) -> None:
        from selenium.webdriver.common.by import By

        self.call(ELEMENT_JS, testid)
        self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]').click()

    def select_all(self) -> None:
        """Ctrl+A, typed into the element that has the focus."""
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).key_down(CONTROL).send_keys("a").key_up(CONTROL).perform()

    def type_keys(self, text: str) -> None:
        """text typed, key by key, into the element that has the focus (a newline is Enter)."""
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(*(ENTER if char == "\n" else char for char in text)).perform()

    def problems(self) -> list[str]:
        return []  # classic WebDriver in WebKitGTK has no log to read (docs/publish.md)

    def expect_refusals(self, address: str) -> None:
        pass  # nothing is read from WebKit's log (problems())

    def close(self) -> None:
        self.driver.get("about:blank")  # stops the page's workers before the next test


class WebKit:
    """Debian's WebKitGTK: MiniBrowser on an Xvfb display, started by WebKitWebDriver."""

    name = "webkit"
    sees_errors = False

    def __init__(self):
        self.xvfb, display = start_process(
            [XVFB, "-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
            marker="", stream="stdout")
        try:
            self.driver = self.start_driver(":" + display.strip())
        except Exception:
            stop_process(self.xvfb)
            raise
        capabilities = self.driver.capabilities
        self.version = f"WebKitGTK {capabilities.get('browserVersion')} ({capabilities.get('browserName')})"

    @staticmethod
    def start_driver(display: str):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        if not Path(WEBKIT_DRIVER).is_file():
            raise EngineError(f"{WEBKIT_DRIVER} is missing (test.sh installs Debian's webkit2gtk-driver)")
        if not Path(MINIBROWSER).is_file():
            raise EngineError(f"{MINIBROWSER} is missing (Debian's libwebkit2gtk-4.1-0 ships it)")
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        options.set_capability("timeouts", {"script": COMMAND_SECONDS * 1000, "pageLoad": START_SECONDS * 1000})
        env = {**os.environ, "DISPLAY": display, "SE_OFFLINE": "true"}
        os.environ["SE_OFFLINE"] = "true"  # Selenium Manager, should anything call it: download nothing
        service = Service(executable_path=WEBKIT_DRIVER, env=env)
        try:
            with warnings.catch_warnings():  # Selenium's own WebKitGTK class uses a deprecated argument
                warnings.simplefilter("ignore", DeprecationWarning)
                driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception as error:
            raise EngineError(f"WebKitWebDriver could not start MiniBrowser: {error}") from error
        driver.set_window_size(1280, 900)
        return driver

    def new_tab(self) -> WebKitTab:
        return WebKitTab(self.driver)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            stop_process(self.xvfb)


# --- fixtures ------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Mark the tests of the engines PYNN_ENGINES leaves out as skipped, with the reason: at
    collection, so that a quick run neither starts their browser nor builds dist/ for them."""
    here = Path(__file__).parent
    chosen = chosen_engines()
    for item in items:
        name = getattr(item, "callspec", None) and item.callspec.params.get("engine")
        if name and name not in chosen and here in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=f"{name}: left out by PYNN_ENGINES={os.environ.get('PYNN_ENGINES')!r}"))


@pytest.fixture(scope="module", params=ENGINES)
def engine(request, tmp_path_factory):
    """One browser of the engine, shared by the module's tests."""
    name = request.param
    started = time.monotonic()
    try:
        browser = Firefox(tmp_path_factory.mktemp("firefox-profile")) if name == "firefox" else WebKit()
    except EngineError as error:
        pytest.fail(f"{name} could not be started: {error}", pytrace=False)
    print(f"[engines] {browser.version} started in {time.monotonic() - started:.1f} s")
    yield browser
    browser.close()


@pytest.fixture
def own_site(build_module, site):
    """dist/ served on a port of its own: a fresh origin (nothing kept by another test), which the
    test may take offline with `own_site.stop()`."""

    class OwnSite:
        def __init__(self):
            self.server, self.url = build_module.serve(site, 0, quiet=True)
            self.running = True

        def count_paths(self) -> list[str]:
            """From now on, every path the site is asked for, in a list (returned) the test reads."""
            seen: list[str] = []
            add = self.server.traffic.add
            self.server.traffic.add = lambda client, status, path, sent: (seen.append(path), add(client, status, path, sent))
            return seen

        def stop(self) -> None:
            # HTTP/1.0: no connection stays open, so from here on every request is refused.
            if self.running:
                self.server.shutdown()
                self.server.server_close()
                self.running = False

    served = OwnSite()
    yield served
    served.stop()


class Problems:
    """What the tab's engine saw going wrong, checked by tests/e2e/conftest.py's hook after the test."""

    def __init__(self, tab):
        self.tab = tab

    def check(self) -> None:
        found = self.tab.problems()
        if found:
            raise AssertionError("the page misbehaved during the test:\n  " + "\n  ".join(found))


@pytest.fixture
def tab(engine, request):
    """A fresh tab (Firefox) or the session's page (WebKit), closed after the test."""
    opened = engine.new_tab()
    request.node._e2e_guard = Problems(opened)
    yield opened
    opened.close()



# The page's status line: "ready:…", "failed:…", or null while it loads (as tests/e2e/conftest.py reads it).
STATUS_JS = """() => {
  const status = document.querySelector('[data-testid="status"]');
  if (!status) return null;
  const text = status.textContent.trim();
  if (/^ready\\b/i.test(text)) return "ready:" + text;
  if (status.classList.contains("failed") || /fail|error|stopped|could not|timed out/i.test(text)) return "failed:" + text;
  return null;
}"""


class View:
    """The page in a tab, read and driven through its data-testid hooks only."""

    def __init__(self, tab):
        self.tab = tab

    def text(self, testid: str) -> str:
        return self.tab.call(
            "(id) => (document.querySelector(`[data-testid=\"${id}\"]`)?.textContent ?? '').trim()", testid)

    def attribute(self, testid: str, name: str) -> str | None:
        return self.tab.call(
            "(id, name) => document.querySelector(`[data-testid=\"${id}\"]`)?.getAttribute(name) ?? null",
            testid, name)

    def value(self, testid: str) -> str | None:
        """A control's value (what it shows, not its attribute)."""
        return self.tab.call("(id) => document.querySelector(`[data-testid=\"${id}\"]`)?.value ?? null", testid)

    def click(self, testid: str) -> None:
        self.tab.click(testid)

    def wait(self, function: str, *args: Any, seconds: float, what: str) -> Any:
        """Poll function (JavaScript, in the page) until it returns something truthy; return that.
        On a timeout, fail naming what was awaited, with the status and the message shown."""
        deadline = time.monotonic() + seconds
        while True:
            value = self.tab.call(function, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {seconds:.0f} s; status says {self.text('status')!r}, "
                                     f"message says {self.text('message')!r}")
            time.sleep(0.25)

    def open_ready(self, url: str, seconds: float) -> float:
        """Load url and wait until the status says Ready (a failure shown there fails at once);
        returns the seconds it took."""
        started = time.monotonic()
        self.tab.goto(url)
        return self.wait_ready(started, seconds)

    def wait_ready(self, started: float, seconds: float) -> float:
        outcome = self.wait(STATUS_JS, seconds=seconds - (time.monotonic() - started), what="the page reaching Ready")
        if outcome.startswith("failed:"):
            pytest.fail(f"the page failed to start: {outcome[len('failed:'):]!r}; message: {self.text('message')!r}")
        return time.monotonic() - started


@pytest.fixture
def view(tab) -> View:
    return View(tab)

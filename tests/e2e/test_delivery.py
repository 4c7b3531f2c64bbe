"""Delivery: offline after one visit (the service worker), a new build replacing the old one whole,
the site under a sub-path, the download's progress bar on a slow link and the snapshot this
browser makes and keeps.

These tests open their own contexts with service workers allowed (the shared fixtures block
them: a service worker answers requests that Playwright's routes would otherwise see), each
watched by the same guard as every other test.
"""
from __future__ import annotations

import collections
import re
import shutil
import time

import pytest

CONTROLLED_JS = "() => navigator.serviceWorker.controller !== null"
# The service worker fetches and hashes the build's 20 MB after Ready, and each visit here runs
# in a browser with a service worker, its cache and (offline) no HTTP cache: on a busy 2-core
# machine these take several times the shared fixtures' 30 s.
CONTROL_MS = 120_000
CHECKER_MS = 60_000  # the sandbox starts when an exercise is first opened
READY_SECONDS = 90
CACHES_JS = "async () => (await caches.keys()).filter((name) => name.startsWith('pynn-')).sort()"
# Every response kept in the build's cache, hashed, against the manifest the cache holds.
MIXED_JS = """async (name) => {
  const cache = await caches.open(name);
  const manifest = await (await cache.match("manifest.json")).json();
  const wrong = [];
  for (const request of await cache.keys()) {
    const file = new URL(request.url).pathname.split("/pynn-site/").pop().replace(/^\\//, "");
    const entry = manifest.files[file];
    if (!entry) continue;  // "./" (the page) and the worker's own snapshot
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await (await cache.match(request)).arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    if (hex !== entry.sha256) wrong.push(file);
  }
  return { build: manifest.build, wrong, count: (await cache.keys()).length };
}"""


# The bytes on the wire of what a start without the shipped snapshot fetches (web/start/startup.js's
# plan), from the build's manifest: each file's packed copy where it has one.
MADE_PATH_WIRE_JS = """async () => {
  const manifest = await (await fetch("manifest.json")).json();
  const files = ["pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"].map((name) => `pyodide/${name}`);
  return [...files, manifest.numpy.wheel, manifest.pynn.wheel]
    .map((file) => manifest.files[manifest.packed?.[file] ?? file].wire)
    .reduce((sum, bytes) => sum + bytes, 0);
}"""


@pytest.fixture
def tools(e2e_tools):
    return e2e_tools


@pytest.fixture
def open_ready(tools):
    def open_page(page, url: str) -> None:
        started = time.monotonic()
        page.goto(url)
        tools.wait_ready(page, started, seconds=READY_SECONDS)

    return open_page


@pytest.fixture
def sw_context(browser, site_url, guard, tools, request):
    contexts = []

    def make(url: str = site_url):
        watcher = guard
        if not url.startswith(site_url):  # a server of the test's own: its origin is the local one
            watcher = tools.Guard(url)
            request.node._e2e_guard = watcher
        context = tools.new_context(browser, url, watcher, service_workers="allow")
        context.on("page", lambda page: page.on(
            "pageerror", lambda error: watcher.page_errors.append(f"{error.name}: {error.message}")))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def test_after_one_visit_the_page_loads_and_trains_offline(sw_context, site_url, open_ready, tools):
    context = sw_context()
    page = context.new_page()
    open_ready(page, site_url)
    page.wait_for_function(CONTROLLED_JS, timeout=CONTROL_MS)
    tools.Ui(page).wait_snapshot_kept()
    page.close()

    context.set_offline(True)
    page = context.new_page()
    open_ready(page, site_url + "#dataset=moons&hidden=8")
    ui = tools.Ui(page)
    assert ui.hook("status").get_attribute("data-snapshot") == "local"  # kept by the first visit
    assert ui.value("dataset") == "moons"
    ui.assert_trains()
    # The exercises too: the sandbox's Python starts offline, and pynn's solution passes.
    page.locator('[data-testid="exercise-tab-softmax"]').click()
    page.locator('[data-testid="exercise-solution"]').click(timeout=CHECKER_MS)
    page.locator('[data-testid="exercise-check"]').click()
    page.wait_for_function(
        """() => ["pass", "fail", "error", "timeout"].includes(document.querySelector('[data-testid="exercise-result"]')?.dataset.status)""",
        timeout=CHECKER_MS)
    assert page.get_by_test_id("exercise-result").get_attribute("data-status") == "pass", page.get_by_test_id("exercise-result").text_content()


@pytest.fixture
def own_site(build_module, site, tmp_path):
    """A copy of dist/ served under /pynn-site/ from its own server, which a test may rebuild."""
    root = tmp_path / "root"
    shutil.copytree(site, root / "pynn-site")
    server, url = build_module.serve(root, 0, quiet=True)
    yield root / "pynn-site", url + "pynn-site/"
    server.shutdown()
    server.server_close()


def test_under_a_sub_path_the_page_starts_trains_and_keeps_its_cache_in_its_scope(sw_context, own_site, open_ready, tools):
    _, url = own_site
    context = sw_context(url)
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_ready(page, url)
    tools.Ui(page).assert_trains()
    assert all("/pynn-site/" in address for address in requested), [a for a in requested if "/pynn-site/" not in a]
    page.wait_for_function(CONTROLLED_JS, timeout=CONTROL_MS)
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == url


def test_a_new_build_replaces_the_old_cache_whole_and_the_page_says_so(sw_context, own_site, build_module, tmp_path, open_ready, tools):
    served, url = own_site
    context = sw_context(url)
    page = context.new_page()
    open_ready(page, url)
    page.wait_for_function(CONTROLLED_JS, timeout=CONTROL_MS)
    old = page.evaluate(CACHES_JS)
    assert len(old) == 1
    assert page.evaluate(MIXED_JS, old[0])["wrong"] == []

    # A new build: the page's style changes; built aside, then put in place of the served copy.
    web = tmp_path / "web"
    shutil.copytree(build_module.ROOT / "web", web)
    with (web / "training/page.css").open("a") as css:
        css.write("\n.new-build-marker { color: inherit; }\n")
    new = build_module.build(tmp_path / "new-dist", web=web)
    shutil.rmtree(served)
    shutil.copytree(new.out, served)

    page.reload()
    tools.wait_ready(page, time.monotonic(), seconds=READY_SECONDS)
    notice = page.get_by_test_id("update")
    notice.wait_for(state="visible", timeout=60_000)
    assert "new version" in notice.text_content().lower()
    assert "new-build-marker" not in page.evaluate("async () => (await fetch('training/page.css')).text()")  # still the old build

    page.get_by_test_id("update-reload").click()
    # The page reloads itself into the new build: its document then has the new style sheet.
    page.wait_for_function(
        """() => [...document.styleSheets].some((sheet) => {
             try { return [...sheet.cssRules].some((rule) => rule.selectorText === '.new-build-marker'); }
             catch { return false; } })""",
        timeout=READY_SECONDS * 1000, polling=200)
    tools.wait_ready(page, time.monotonic(), seconds=READY_SECONDS)
    assert "new-build-marker" in page.evaluate("async () => (await fetch('training/page.css')).text()")
    caches = page.evaluate(CACHES_JS)
    assert len(caches) == 1 and caches != old, caches
    kept = page.evaluate(MIXED_JS, caches[0])
    assert kept["wrong"] == [] and kept["count"] > 20, kept
    assert page.get_by_test_id("update").is_hidden()


def test_on_a_slow_link_a_bar_shows_the_download_and_this_browser_keeps_the_snapshot(sw_context, site_url, open_ready, tools):
    context = sw_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {  # 10 Mbit/s, 40 ms: too slow for the shipped snapshot
        "offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8})
    started = time.monotonic()
    page.goto(site_url)
    label = page.get_by_test_id("load-label")
    label.wait_for(state="visible", timeout=30_000)
    page.wait_for_function(
        "() => /^[1-9][0-9]*\\.[0-9] of /.test(document.querySelector('[data-testid=load-label]').textContent)",
        timeout=60_000, polling=100)
    shown = label.text_content()
    loaded, total = (float(x) for x in re.findall(r"[\d.]+", shown)[:2])
    # the total is what this start fetches as it travels: the runtime and the wheels packed
    # (web/start/packed.js), the runtime's JavaScript and lock as a host gzips them
    files = page.evaluate(MADE_PATH_WIRE_JS)
    assert 0 < loaded < total and abs(total - files / 1e6) <= 0.05, (shown, files)  # the label's one decimal
    tools.wait_ready(page, started, seconds=READY_SECONDS)
    assert page.get_by_test_id("status").get_attribute("data-snapshot") == "made"
    assert page.get_by_test_id("load-bytes").is_hidden()
    tools.Ui(page).wait_snapshot_kept()
    page.close()

    page = context.new_page()  # no throttling: the snapshot this browser made is restored
    requested = []
    page.on("request", lambda request: requested.append(request.url.rsplit("/", 1)[-1]))
    open_ready(page, site_url)
    assert page.get_by_test_id("status").get_attribute("data-snapshot") == "local"
    assert "snapshot.gzip" not in requested
    tools.Ui(page).assert_trains()


@pytest.fixture
def counting_site(build_module, site):
    """dist/ served by a server of its own, so a test can read what it sent (gzipped bodies)."""
    server, url = build_module.serve(site, 0, quiet=True)
    yield server, url
    server.shutdown()
    server.server_close()


def installed_bytes(server, build_module) -> int:
    """The bytes the server sent of the files a service worker's install keeps: all but those kept
    on first use (the build's FIRST_USE: KaTeX, the derivation, the teacher's page)."""
    first_use = tuple(f"/{prefix}" for prefix in build_module.FIRST_USE)
    return sum(sent for path, sent in server.traffic.by_path.items() if not path.startswith(first_use))


def test_a_first_visit_asks_for_each_packed_download_once(browser, site_url, guard, e2e_tools):
    """The page's thread fetches a first visit's big downloads for the Python worker, over a port it
    posts to the worker as it starts it (web/start/pagefetch.js). That message may reach the worker
    after its manifest (on localhost it always did, later still in a browser that had run the page
    before): the worker then fetched the same files itself, each twice on the wire."""
    for visit in range(2):  # the second in a browser that has run the page: its worker starts faster
        asked = collections.Counter()
        context = e2e_tools.new_context(browser, site_url, guard)
        context.on("request", lambda request, asked=asked: asked.update([request.url.rsplit("/", 1)[-1]]) if request.url.endswith(".zst") else None)
        page = context.new_page()
        started = time.monotonic()
        page.goto(site_url)
        e2e_tools.wait_ready(page, started)
        packed = page.evaluate("async () => Object.values((await (await fetch('manifest.json')).json()).packed)")
        assert sorted(asked) == sorted(name.rsplit("/", 1)[-1] for name in packed), (visit, asked)
        assert set(asked.values()) == {1}, (visit, asked)
        context.close()


def test_a_first_visit_on_a_slow_link_moves_its_bytes_once_offline_copy_included(browser, counting_site, open_ready, build_module):
    server, url = counting_site
    # A context without the shared guard's route: Playwright turns the HTTP cache off where a route
    # is set, and this is about what the HTTP cache saves. The server sees every request it serves.
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {  # 10 Mbit/s, 40 ms: the snapshot is made here
        "offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8})
    open_ready(page, url)
    assert page.get_by_test_id("status").get_attribute("data-snapshot") == "made"
    until_ready = installed_bytes(server, build_module)
    page.wait_for_function(CONTROLLED_JS, timeout=CONTROL_MS)  # the offline copy is complete
    kept = page.evaluate(MIXED_JS, page.evaluate(CACHES_JS)[0])
    assert kept["wrong"] == [] and kept["count"] > 20, kept
    sent = server.traffic.total_bytes
    # The service worker took the files from the HTTP cache the visit filled, not from the network.
    # (What the page itself loads after Ready, the maths it typesets, is kept on first use: not its install's.)
    assert installed_bytes(server, build_module) - until_ready < 100_000, (until_ready, server.traffic.by_path.most_common(12))
    assert sent <= 7_000_000, (sent, server.traffic.by_path.most_common(12))
    context.close()

"""Typeset maths in the built page (web/inside/typeset.js, KaTeX in dist/vendor/katex/): nothing of it loads
on the way to Ready; asked for, it typesets with its stylesheet and fonts under the page's strict
policy (the guard fails the test on any CSP violation or console error), with the text alternative."""
from __future__ import annotations

import time

CONTROLLED_JS = "() => navigator.serviceWorker.controller !== null"
# The service worker's first install fetches and hashes the build's 20 MB (tests/e2e/test_delivery.py).
CONTROL_MS = 120_000
CONTROL_MARK = "controlled-now"
READY_SECONDS = 90
KEPT_JS = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("pynn-"));
  if (names.length !== 1) return null;
  const cache = await caches.open(names[0]);
  return (await cache.keys()).map((request) => new URL(request.url).pathname.replace(/^\\//, ""));
}"""

RENDER_JS = """
async ([tex, text]) => {
  const { renderMaths } = await import("./inside/typeset.js");
  const element = document.createElement("div");
  element.dataset.testid = "maths-probe";
  document.body.append(element);
  const typeset = await renderMaths(element, tex, text, { display: true });
  await document.fonts.ready;
  const styled = [...element.querySelectorAll("[style]")];
  const strut = styled.find((node) => node.style.height);
  return {
    typeset,
    katex: element.querySelectorAll(".katex").length,
    label: element.getAttribute("aria-label"),
    role: element.getAttribute("role"),
    styled: styled.length,
    // The CSSOM styles KaTeX set apply (the policy would block style attributes from HTML text).
    strutHeight: strut ? [strut.style.height, getComputedStyle(strut).height] : null,
    font: getComputedStyle(element.querySelector(".katex")).fontFamily,
    fontLoaded: [...document.fonts].some((face) => face.family.replace(/"/g, "") === "KaTeX_Main" && face.status === "loaded"),
  };
}
"""

TEX = r"\frac{\partial L}{\partial W_1} = g_1\, h_0^\top \qquad (C\times H)"
TEXT = "∂L/∂W1 = g1·h0ᵀ   (C×H)"


def test_katex_loads_only_when_asked_and_typesets_under_the_pages_policy(page, ready_page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    ready_page()
    assert not [url for url in requested if "/vendor/katex/" in url or url.endswith("/inside/typeset.js")], \
        "the maths is loaded on the way to Ready"

    result = page.evaluate(RENDER_JS, [TEX, TEXT])
    assert result["typeset"] is True
    assert result["katex"] == 1
    assert (result["label"], result["role"]) == (TEXT, "img")
    assert result["styled"] > 0 and result["strutHeight"] is not None
    assert result["strutHeight"][1] != "auto"
    assert "KaTeX_Main" in result["font"], "katex.css did not apply"
    assert result["fontLoaded"], "KaTeX's woff2 font did not load"
    katex_files = [url for url in requested if "/vendor/katex/" in url]
    assert any(url.endswith("katex.js") for url in katex_files) and any(url.endswith("katex.css") for url in katex_files)
    assert all(url.endswith((".js", ".css", ".woff2")) for url in katex_files), katex_files

    # A second equation reuses the loaded module: no new request for it.
    before = len([url for url in requested if url.endswith("katex.js")])
    again = page.evaluate(RENDER_JS, ["g_1 = h_1 - y_{\\mathrm{oh}}", "g1 = h1 − yoh"])
    assert again["typeset"] is True and again["katex"] == 1
    assert len([url for url in requested if url.endswith("katex.js")]) == before


EVERY_JS = """
async (equations) => {
  const { renderMaths } = await import("./inside/typeset.js");
  const failed = [];
  let katex = 0; // the page's own panels may typeset too: only these elements count
  for (const { tex, text } of equations) {
    const element = document.createElement("div");
    document.body.append(element);
    if (!(await renderMaths(element, tex, text))) failed.push(tex);
    katex += element.querySelectorAll(".katex").length;
  }
  return { failed, katex };
}
"""


def test_every_equation_of_the_derivation_typesets(page, ready_page):
    from pynn.page.derive import catalogue

    equations = [maths for step in catalogue()["steps"] for maths in (step["question"], *step["known"], *step["hints"])]
    ready_page()
    result = page.evaluate(EVERY_JS, [{"tex": m["tex"], "text": m["text"]} for m in equations])
    assert result == {"failed": [], "katex": len(equations)}


def test_the_install_leaves_the_maths_out_and_keeps_it_once_used_for_offline(browser, site_url, guard, e2e_tools):
    context = e2e_tools.new_context(browser, site_url, guard, service_workers="allow")
    context.on("page", lambda page: page.on("pageerror", lambda error: guard.page_errors.append(f"{error.name}: {error.message}")))
    # Every request in order, by who made it: the page, or the service worker (its install, or
    # passing on and keeping what the page asked for). The page marks the moment the worker takes
    # control with a request of its own: the worker sees the page's requests only from then on, so
    # whatever it fetched before that mark was its install's.
    requests = []
    context.on("request", lambda request: requests.append(("worker" if request.service_worker else "page", request.url)))
    context.add_init_script(f"""navigator.serviceWorker?.addEventListener("controllerchange",
        () => fetch("manifest.json?{CONTROL_MARK}"), {{ once: true }});""")
    try:
        page = context.new_page()
        started = time.monotonic()
        page.goto(site_url)
        e2e_tools.wait_ready(page, started, seconds=READY_SECONDS)
        page.wait_for_function(CONTROLLED_JS, timeout=CONTROL_MS)
        installed = page.evaluate(KEPT_JS)
        assert installed and "index.html" in installed
        # The page typesets an equation of its own once it is idle after Ready, and the worker keeps
        # what the page used once it controls it: what counts is what the install fetched.
        deadline = time.monotonic() + 10
        while not any(CONTROL_MARK in url for _, url in requests) and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        mark = next(i for i, (_, url) in enumerate(requests) if CONTROL_MARK in url)
        assert [url for origin, url in requests[:mark] if origin == "worker"], "no install seen"
        assert not [url for origin, url in requests[:mark] if origin == "worker" and "/vendor/katex/" in url], "the install fetched KaTeX"

        assert page.evaluate(RENDER_JS, [TEX, TEXT])["typeset"] is True
        # Once used, KaTeX is kept whole: an equation seen offline may need a font none seen online did.
        e2e_tools.wait_until(
            page,
            f"""async () => {{ const kept = await ({KEPT_JS})();
                 const manifest = await (await fetch("manifest.json")).json();
                 const katex = Object.keys(manifest.files).filter((path) => path.startsWith("vendor/katex/"));
                 return katex.length > 20 && katex.every((path) => kept.includes(path)); }}""",
            timeout_ms=30_000)
        page.close()

        context.set_offline(True)
        page = context.new_page()
        started = time.monotonic()
        page.goto(site_url)
        e2e_tools.wait_ready(page, started, seconds=READY_SECONDS)
        offline = page.evaluate(RENDER_JS, [TEX, TEXT])
        assert offline["typeset"] is True and offline["katex"] == 1
        assert offline["fontLoaded"] and "KaTeX_Main" in offline["font"]
    finally:
        context.close()

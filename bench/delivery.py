"""First, returning and offline visits over emulated links, in Chromium against a gzip-serving host.

    python bench/delivery.py [--site DIR] [--loads 3] [--profiles localhost,school]

Builds dist/ (or takes --site) and serves it with build.py's own server (tools/serve.py: gzip
level 6 like a static host, `no-cache` + ETag). For each network profile, applied with Chromium's
CDP `Network.emulateNetworkConditions` to the page and its workers:

  - `loads` first visits, each in a fresh browser context (nothing cached, no snapshot kept);
  - then in the last one's context, a returning visit (service worker and kept snapshot in place);
  - then, with the network off, an offline visit.

Each figure: "Ready" in ms since navigation (the page's own `data-ready-ms`), the worker's own marks
(`workerMs`: when it started, since navigation; `pythonMs`, `runtimeMs`, `pynnMs`: Python started,
numpy and pynn loaded, pynn.page.session imported, since the worker started), the bytes the server
sent until Ready and in all (gzipped bodies: the page and its worker, then the service worker's
install, which takes the files from the HTTP cache the visit filled), and how Python started
(`data-snapshot`: shipped, made, local). Over an emulated link also `wire_ms_until_ready`, the time
the bytes until Ready alone take at its rate, and `ready_over_wire`, "Ready" over that. Prints one
JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/common.py
from common import CHROMIUM, CHROMIUM_ARGS, load_build  # noqa: E402
# Bits per second down and up, round-trip latency in ms; None: no emulation.
PROFILES = {
    "localhost": None,
    "school": {"download_bits": 5e6, "upload_bits": 1e6, "latency_ms": 80},  # 30 students on one link
    "home": {"download_bits": 25e6, "upload_bits": 5e6, "latency_ms": 30},
}
READY_JS = """() => {
  const s = document.querySelector('[data-testid="status"]');
  const ms = (key) => (s.dataset[key] === undefined ? null : Number(s.dataset[key]));
  return /^Ready/.test(s.textContent.trim()) ? { readyMs: ms("readyMs"), snapshot: s.dataset.snapshot,
      workerMs: ms("workerMs"), pythonMs: ms("pythonMs"), runtimeMs: ms("runtimeMs"), pynnMs: ms("pynnMs") }
    : s.classList.contains("failed") ? { failed: s.textContent } : null;
}"""


def emulate(cdp, profile: dict | None, offline: bool = False) -> None:
    cdp.send("Network.enable")
    if profile is None and not offline:
        cdp.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        return
    profile = profile or {"download_bits": 0, "upload_bits": 0, "latency_ms": 0}
    cdp.send("Network.emulateNetworkConditions", {
        "offline": offline, "latency": profile["latency_ms"],
        "downloadThroughput": profile["download_bits"] / 8, "uploadThroughput": profile["upload_bits"] / 8})


def visit(context, server, url: str, profile: dict | None, *, offline: bool = False, timeout_s: float = 180,
          settle_s: float = 0) -> dict:
    """Open the page in a new tab of `context` (`settle_s` seconds after the tab opened); Ready, bytes
    the server sent (page, its workers and the service worker's install) and how Python started."""
    page = context.new_page()
    page.wait_for_timeout(settle_s * 1000)
    # DevTools' network domain only where a link is emulated: attached, it watches every request of
    # the page, its workers and its service worker, which a student's browser does not do
    if profile is not None or offline:
        emulate(context.new_cdp_session(page), profile, offline)
    sent_before = server.traffic.total_bytes
    started = time.monotonic()
    page.goto(url)
    handle = page.wait_for_function(READY_JS, timeout=timeout_s * 1000, polling=100)
    result = handle.json_value()
    result["outside_ms"] = round((time.monotonic() - started) * 1000)
    until_ready = server.traffic.total_bytes - sent_before
    result["wire_mb_until_ready"] = round(until_ready / 1e6, 3)
    if profile is not None and not offline:
        # the time those bytes alone take at the profile's rate, and how far "Ready" is past it
        wire_ms = until_ready * 8 / profile["download_bits"] * 1000
        result["wire_ms_until_ready"] = round(wire_ms)
        result["ready_over_wire"] = round(result["readyMs"] / wire_ms, 3)
    page.wait_for_timeout(1500)  # the service worker registers and installs after Ready
    result["wire_mb"] = round((server.traffic.total_bytes - sent_before) / 1e6, 2)
    page.close()
    return result


def run(site: Path, loads: int, profiles: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    build = load_build()
    server, url = build.serve(site, 0, quiet=True)
    out = {"machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                       "load_average_start": [round(x, 2) for x in os.getloadavg()]},
           "server": "build.py's serve(): gzip level 6, Cache-Control no-cache + ETag", "profiles": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in profiles:
                profile = PROFILES[name]
                firsts = []
                for _ in range(loads):
                    context = browser.new_context(service_workers="allow")
                    firsts.append(visit(context, server, url, profile))
                    if len(firsts) < loads:
                        context.close()
                returning = [visit(context, server, url, profile) for _ in range(2)]
                offline = visit(context, server, url, None, offline=True)
                context.close()
                out["profiles"][name] = {
                    "profile": profile,
                    "first": firsts,
                    "first_ready_ms_median": statistics.median(v["readyMs"] for v in firsts),
                    "returning": returning,
                    "offline": offline,
                }
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    out["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built dist/ (default: build one)")
    parser.add_argument("--loads", type=int, default=3, help="first visits per profile")
    parser.add_argument("--profiles", default="localhost,school", help=f"comma-separated, of {', '.join(PROFILES)}")
    args = parser.parse_args()
    if args.site is None:
        args.site = load_build().build(Path(tempfile.mkdtemp(prefix="pynn-delivery-")) / "dist").out
    print(json.dumps(run(args.site, args.loads, args.profiles.split(",")), indent=1))


if __name__ == "__main__":
    main()

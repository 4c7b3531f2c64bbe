"""Returning visits of two or more builds, taking turns, in Chromium against a gzip-serving host.

    python bench/returning.py SITE [SITE ...] [--rounds 7] [--profile localhost]

Each SITE (a built dist/) is served by build.py's own server and gets its own browser context:
one first visit (the service worker installs the build, the worker keeps its snapshot), then
`rounds` returning visits, the sites taking turns visit by visit so that the machine's swings
fall on all of them alike. Prints one JSON object: per site, every returning visit's figures
(bench/delivery.py's: `readyMs` since navigation, the worker's `runtimeMs` and `pynnMs`, ...)
and the median of `readyMs`.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CHROMIUM, CHROMIUM_ARGS, load_build  # noqa: E402
from delivery import PROFILES, visit  # noqa: E402


def run(sites: list[Path], rounds: int, profile: dict | None) -> dict:
    from playwright.sync_api import sync_playwright

    build = load_build()
    servers = [build.serve(site, 0, quiet=True) for site in sites]
    out = {"load_average_start": [round(x, 2) for x in os.getloadavg()], "sites": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            contexts = [browser.new_context(service_workers="allow") for _ in sites]
            firsts = [visit(context, server, url, profile)
                      for context, (server, url) in zip(contexts, servers)]
            visits: list[list[dict]] = [[] for _ in sites]
            for _ in range(rounds):
                for index, (context, (server, url)) in enumerate(zip(contexts, servers)):
                    visits[index].append(visit(context, server, url, profile))
            for site, first, returning in zip(sites, firsts, visits):
                out["sites"][str(site)] = {
                    "first": first,
                    "returning": returning,
                    "returning_ready_ms_median": statistics.median(v["readyMs"] for v in returning),
                }
            browser.close()
    finally:
        for server, _ in servers:
            server.shutdown()
            server.server_close()
    out["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path, nargs="+", help="built dist/ directories")
    parser.add_argument("--rounds", type=int, default=7, help="returning visits per site")
    parser.add_argument("--profile", default="localhost", choices=sorted(PROFILES))
    args = parser.parse_args()
    print(json.dumps(run(args.sites, args.rounds, PROFILES[args.profile]), indent=1))


if __name__ == "__main__":
    main()

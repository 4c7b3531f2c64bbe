"""Returning visits of two or more builds, taking turns, in Chromium against a gzip-serving host.

    python bench/returning.py SITE [SITE ...] [--rounds 7] [--firsts 1] [--profile localhost] [--settle 2]
    python bench/returning.py OLD NEW --firsts 5 --rounds 0 --profile school   first visits only

Each SITE (a built dist/) is served by build.py's own server. First `firsts` first visits per
site, each in a new browser context, the sites taking turns; the last of them stays open (the
service worker installs the build, the worker keeps its snapshot); then `rounds` returning
visits in it, the sites again taking turns visit by visit, so that the machine's swings fall on
all of them alike. Prints one JSON object: per site, every visit's figures (bench/delivery.py's:
`readyMs` since navigation, the worker's `runtimeMs` and `pynnMs`, ...) and the medians of
`readyMs`.

`--settle S`: each returning visit navigates a tab opened S seconds before. Chromium 156 builds its
omnibox popup's WebUI in a renderer of its own for each new tab (about a second of one core): with
no settling, that work falls on the visit, as it would not in a browser whose tab is open already.

`--persistent`: each site in a browser profile of its own on disk (a temporary folder), as a
student's browser is, rather than in an in-memory ("incognito") context: only such a profile keeps
V8's code cache of scripts between visits, and keeps the origin's private file system on disk
(in memory an incognito context reads its files through the browser process).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CHROMIUM, CHROMIUM_ARGS, load_build  # noqa: E402
from delivery import PROFILES, visit  # noqa: E402


def medians(visits: list[dict], kind: str) -> dict:
    """The medians of the visits' "Ready", and over an emulated link of their bytes until Ready and
    of "Ready" over those bytes' time on the link (bench/delivery.py's figures)."""
    keys = {"readyMs": "ready_ms", "wire_mb_until_ready": "wire_mb_until_ready", "ready_over_wire": "ready_over_wire"}
    return {f"{kind}_{name}_median": statistics.median(v[key] for v in visits)
            for key, name in keys.items() if visits and all(key in v for v in visits)}


def run(sites: list[Path], rounds: int, profile: dict | None, firsts: int = 1, settle_s: float = 0,
        persistent: bool = False) -> dict:
    from playwright.sync_api import sync_playwright

    build = load_build()
    servers = [build.serve(site, 0, quiet=True) for site in sites]
    out = {"load_average_start": [round(x, 2) for x in os.getloadavg()], "settle_s": settle_s, "persistent": persistent,
           "sites": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            folders = []

            def new_context():
                if not persistent:
                    return browser.new_context(service_workers="allow")
                folders.append(tempfile.TemporaryDirectory(prefix="pynn-profile-"))
                return playwright.chromium.launch_persistent_context(
                    folders[-1].name, executable_path=CHROMIUM, args=CHROMIUM_ARGS, service_workers="allow")

            first_visits: list[list[dict]] = [[] for _ in sites]
            contexts = []
            for turn in range(firsts):
                contexts = [new_context() for _ in sites]
                for index, (context, (server, url)) in enumerate(zip(contexts, servers)):
                    first_visits[index].append(visit(context, server, url, profile))
                if turn < firsts - 1:
                    for context in contexts:
                        context.close()
            visits: list[list[dict]] = [[] for _ in sites]
            for _ in range(rounds):
                for index, (context, (server, url)) in enumerate(zip(contexts, servers)):
                    visits[index].append(visit(context, server, url, profile, settle_s=settle_s))
            if persistent:
                for context in contexts:
                    context.close()
                for folder in folders:
                    folder.cleanup()
            for site, first, returning in zip(sites, first_visits, visits):
                out["sites"][str(site)] = {"first": first, **medians(first, "first"),
                                           "returning": returning, **medians(returning, "returning")}
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
    parser.add_argument("--firsts", type=int, default=1, help="first visits per site (new contexts)")
    parser.add_argument("--profile", default="localhost", choices=sorted(PROFILES))
    parser.add_argument("--settle", type=float, default=0, help="seconds between opening a returning visit's tab and navigating it")
    parser.add_argument("--persistent", action="store_true", help="each site in a browser profile on disk (see above)")
    args = parser.parse_args()
    print(json.dumps(run(args.sites, args.rounds, PROFILES[args.profile], args.firsts, args.settle, args.persistent), indent=1))


if __name__ == "__main__":
    main()

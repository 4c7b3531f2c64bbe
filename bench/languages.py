"""What a language costs a first visit: the bytes the server sends, with and without `lang=`.

    python bench/languages.py [--site DIR] [--loads 2] [--langs es,ar]

Builds dist/ (or takes --site) and serves it with build.py's server (gzip level 6, as a static host
does). For no `lang=` (English: no catalogue) and each language given, `loads` first visits, each in
a fresh Chromium context with the service worker allowed (as a student's first visit is): the bytes
the server sent until "Ready" (the status line's `ready` class, in any language) and in all after the
service worker's install, and the bytes of dist/locale/ among them. Beside them, each language's
compiled catalogue as files (bytes, gzip -6). Prints one JSON object.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/common.py
from common import CHROMIUM, CHROMIUM_ARGS, load_build  # noqa: E402

BUDGET_GZIP = 40_000  # issue 36: a first visit grows by at most the one catalogue it uses


def visit(browser, server, url: str) -> dict:
    """One first visit: the server's bytes until Ready, in all, and of the catalogues."""
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    before, locale_before = server.traffic.total_bytes, locale_bytes(server)
    page.goto(url)
    page.wait_for_selector('[data-testid="status"].ready', timeout=180_000)
    until_ready = server.traffic.total_bytes - before
    page.wait_for_timeout(3000)  # the service worker installs after Ready
    result = {"lang": page.evaluate("document.documentElement.lang"), "bytes_until_ready": until_ready,
              "bytes": server.traffic.total_bytes - before, "locale_bytes": locale_bytes(server) - locale_before}
    context.close()
    return result


def locale_bytes(server) -> int:
    return sum(sent for path, sent in server.traffic.by_path.items() if "/locale/" in path)


def catalogue_files(site: Path, lang: str) -> dict:
    """A language's files in dist/locale/ (one since the page and Python share it; two before): bytes,
    and on the wire (gzip -6 for JSON, as the server sends it; a .gzip file as it is)."""
    files = {}
    for path in sorted((site / "locale").glob(f"{lang}.*")):
        data = path.read_bytes()
        kind = path.name.removeprefix(f"{lang}.")
        files[kind] = {"bytes": len(data), "gzip": len(data) if kind.endswith("gzip") else len(gzip.compress(data, 6))}
    return files


def run(site: Path, loads: int, langs: list[str]) -> dict:
    from playwright.sync_api import sync_playwright

    build = load_build()
    server, url = build.serve(site, 0, quiet=True)
    out = {"machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                       "load_average_start": [round(x, 2) for x in os.getloadavg()]},
           "budget_catalogue_gzip": BUDGET_GZIP, "visits": {}, "catalogues": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang in ["", *langs]:
                visits = [visit(browser, server, f"{url}#lang={lang}" if lang else url) for _ in range(loads)]
                out["visits"][lang or "en (no lang=)"] = {
                    "each": visits, "bytes_median": statistics.median(v["bytes"] for v in visits),
                    "bytes_until_ready_median": statistics.median(v["bytes_until_ready"] for v in visits)}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    english = out["visits"]["en (no lang=)"]["bytes_median"]
    for lang in langs:
        files = catalogue_files(site, lang)
        gz = sum(file["gzip"] for file in files.values())
        out["catalogues"][lang] = {**files, "gzip_all": gz, "within_budget": gz <= BUDGET_GZIP,
                                   "visit_grows_by": out["visits"][lang]["bytes_median"] - english}
    out["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built dist/ (default: build one)")
    parser.add_argument("--loads", type=int, default=2, help="first visits per language")
    parser.add_argument("--langs", default="es,ar", help="comma-separated codes of LANGUAGES")
    args = parser.parse_args()
    if args.site is None:
        args.site = load_build().build(Path(tempfile.mkdtemp(prefix="pynn-languages-")) / "dist").out
    print(json.dumps(run(args.site, args.loads, args.langs.split(",")), indent=1))


if __name__ == "__main__":
    main()

"""What the page's first script (web/boot.js) costs an English page now that it also decides the
language: its bytes, and the time of that decision in Chromium.

    python bench/firstscript.py [--site DIR] [--runs 2000]

Builds dist/ (or takes --site) and serves it with build.py's server. Prints one JSON object: boot.js's
bytes (as written to dist/, and gzip -6 as the server sends it) and, in an English page (Chromium's
en-US, no `lang=`), the median time of the decision boot.js makes (web/lang/choose.js's
chosen(langInHash(hash, codes), navigator.languages, codes)) over `runs` runs, five rounds.
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

DECIDE_JS = """async (runs) => {
  const { chosen, langInHash } = await import(new URL("lang/choose.js", document.baseURI).href);
  const codes = Object.keys((await import(new URL("settings.js", document.baseURI).href)).default.languages);
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let i = 0; i < runs; i++) chosen(langInHash(location.hash, codes), navigator.languages, codes);
    rounds.push((performance.now() - started) / runs * 1000);
  }
  return { microseconds: rounds, languages: navigator.languages, chose: chosen(langInHash(location.hash, codes), navigator.languages, codes) };
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    build = load_build()
    site = args.site or build.build(Path(tempfile.mkdtemp()) / "dist").out
    boot = (site / "boot.js").read_bytes()
    from playwright.sync_api import sync_playwright
    server, url = build.serve(site, 0, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(service_workers="block", locale="en-US").new_page()
            page.goto(f"{url}#dataset=spiral")
            decided = page.evaluate(DECIDE_JS, args.runs)
            browser.close()
    finally:
        server.shutdown()
    print(json.dumps({
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs",
        "load": os.getloadavg(),
        "boot_js": {"bytes": len(boot), "gzip": len(gzip.compress(boot, 6))},
        "decision": {**decided, "median_microseconds": statistics.median(decided["microseconds"])},
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""In-page pure-SGD speed of two or more builds, taking turns, against pynn.train natively in the same run.

    python bench/training.py OLD NEW [--rounds 5] [--window 8]

Each SITE (a built dist/) is served by build.py's own server. Each round opens each site in turn
(a fresh context, bench/browser.py's settings: the 2-32-3 net on a 300-point spiral, batch 1),
waits for "Ready", presses Play at full speed and, after 2 s of warm-up, reads the epoch readout
over `window` seconds (epochs × 240 training examples / wall time: issue 37's measure), the main
thread's frames, the decision-region redraws, the worker thread's share of a core and its time
waiting for one, and steps per CPU second of the worker thread (which the machine's other jobs
sway far less than the wall clock: on a shared 2-core machine the worker waits for a core for up
to half of the window); between two
sites, `pynn.train(batch_size=1)` runs natively for `window` seconds in this process. Prints one
JSON object: every round's figures, and per site the medians of steps/s, of steps/s over the
native figures next to it (the ratio the issue asks for), and of its steps/s over the first site's
in the same round.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM, CHROMIUM_ARGS, SETTINGS, load_build, native_train, training_run  # noqa: E402


def run(sites: list[Path], rounds: int, window: float) -> dict:
    from playwright.sync_api import sync_playwright

    build = load_build()
    servers = [build.serve(site, 0, quiet=True) for site in sites]
    out = {"load_average_start": [round(x, 2) for x in os.getloadavg()], "window_s": window, "rounds": []}
    n_train = round(SETTINGS["points"] * SETTINGS["split"])
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for turn in range(rounds):
                # Each round's order alternates, so neither build always follows the native run.
                order = list(range(len(sites)))[:: 1 if turn % 2 == 0 else -1]
                row = {"native": [native_train(window)], "sites": {}, "load": os.getloadavg()[0]}
                for index in order:
                    figures = training_run(browser, servers[index][1], 1, n_train, window, 0.0, set())["window"]
                    row["sites"][index] = {key: round(figures[key], 3) for key in
                                           ("steps_per_s", "fps", "redraws_per_s", "results_per_s", "worker_cpu_share",
                                            "worker_waiting_share", "browser_cpu_share", "examples_per_worker_cpu_s")}
                    row["native"].append(native_train(window))
                row["native_steps_per_s"] = statistics.mean(row["native"])
                out["rounds"].append(row)
                print(json.dumps(row), file=sys.stderr)
            browser.close()
    finally:
        for server, _ in servers:
            server.shutdown()
            server.server_close()
    out["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    out["sites"] = {}
    for index, site in enumerate(sites):
        rows = out["rounds"]
        steps = [r["sites"][index]["steps_per_s"] for r in rows]
        out["sites"][str(site)] = {
            "steps_per_s_median": statistics.median(steps),
            "over_native_median": statistics.median(s / r["native_steps_per_s"] for s, r in zip(steps, rows)),
            "over_first_site_median": statistics.median(
                s / r["sites"][0]["steps_per_s"] for s, r in zip(steps, rows)),
            "steps_per_worker_cpu_s_median": statistics.median(r["sites"][index]["examples_per_worker_cpu_s"] for r in rows),
            "redraws_per_s_median": statistics.median(r["sites"][index]["redraws_per_s"] for r in rows),
            "fps_median": statistics.median(r["sites"][index]["fps"] for r in rows),
        }
    out["native_steps_per_s_median"] = statistics.median(r["native_steps_per_s"] for r in out["rounds"])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", type=Path, nargs="+", help="built dist/ directories")
    parser.add_argument("--rounds", type=int, default=5, help="training windows per site (5)")
    parser.add_argument("--window", type=float, default=8.0, help="seconds of each window (8)")
    args = parser.parse_args()
    print(json.dumps(run(args.sites, args.rounds, args.window), indent=1))


if __name__ == "__main__":
    main()

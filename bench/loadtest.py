"""A classroom's first visits against `build.py --serve`'s server, on this machine only.

    python bench/loadtest.py [--visits 30] [--connections 6] [--snapshot] [--site DIR]

Builds dist/ (or takes --site), serves it with build.py's own server (tools/serve.py) on
127.0.0.1, then starts `visits` first visits at once. Each fetches what a browser fetches on a
first visit, as a browser does: the page, then every file of manifest.json but the snapshot
(`--snapshot` adds it: what a fast link fetches) and the unpacked files that travel packed (their
packed copies instead), over `connections` parallel connections (one
request each), accepting gzip. Every response is checked: status 200, its bytes (ungzipped) of the
size and sha256 the manifest lists. Prints one JSON object: per-visit times, the time to serve
them all, MB on the wire, failures. Bounded: at most MAX_VISITS visits, each request timing out
after REQUEST_TIMEOUT_S, and the whole run after RUN_TIMEOUT_S.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import hashlib
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/common.py
from common import ROOT, load_build  # noqa: E402
MAX_VISITS = 60
REQUEST_TIMEOUT_S = 120
RUN_TIMEOUT_S = 600
HOST = "127.0.0.1"  # never another machine


def files_of_a_visit(manifest: dict, snapshot: bool) -> list[str]:
    """What a browser's first visit requests: the page ("" is /), manifest.json, the build's files
    (of a file that travels packed, its packed copy only: web/start/packed.js)."""
    skipped = {"index.html", *manifest.get("packed", {})} | (set() if snapshot else {manifest["snapshot"]["file"]})
    return ["", "manifest.json", *(name for name in manifest["files"] if name not in skipped)]


def expected_files(site: Path, manifest: dict) -> dict[str, dict]:
    """Size and sha256 of each file a visit fetches, manifest.json's own from the file."""
    listing = (site / "manifest.json").read_bytes()
    return {**manifest["files"], "": manifest["files"]["index.html"],
            "manifest.json": {"bytes": len(listing), "sha256": hashlib.sha256(listing).hexdigest()}}


def fetch(port: int, path: str) -> tuple[int, bytes, int]:
    """GET /path with gzip accepted: status, the body ungzipped, bytes on the wire (body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request("GET", "/" + path, headers={"Accept-Encoding": "gzip, deflate"})
        response = connection.getresponse()
        body = response.read()
        wire = len(body)
        if response.getheader("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, body, wire
    except OSError as error:  # refused, reset, timed out: a failed file of this visit
        return 0, str(error).encode(), 0
    finally:
        connection.close()


def visit(port: int, expected: dict, files: list[str], connections: int, start: threading.Event) -> dict:
    """One first visit: its files over `connections` parallel connections, each checked."""
    start.wait()
    began = time.perf_counter()
    wire = 0
    problems = []
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for path, (status, body, sent) in zip(files, pool.map(lambda name: fetch(port, name), files)):
            wire += sent
            want = expected[path]
            if status == 0:
                problems.append(f"{path or '/'}: {body.decode()}")
            elif status != 200:
                problems.append(f"{path or '/'}: HTTP {status}")
            elif len(body) != want["bytes"] or hashlib.sha256(body).hexdigest() != want["sha256"]:
                problems.append(f"{path or '/'}: {len(body)} bytes, not the build's {want['bytes']}")
    return {"seconds": time.perf_counter() - began, "wire_bytes": wire, "problems": problems}


def load_test(site: Path, visits: int = 30, connections: int = 6, snapshot: bool = False) -> dict:
    """`visits` simultaneous first visits of `site`, served by build.py's server on 127.0.0.1."""
    if not 1 <= visits <= MAX_VISITS:
        raise ValueError(f"visits must be 1 to {MAX_VISITS}, not {visits}")
    build = load_build()
    manifest = json.loads((site / "manifest.json").read_text())
    files = files_of_a_visit(manifest, snapshot)
    expected = expected_files(site, manifest)
    server, _ = build.serve(site, 0, host=HOST, quiet=True)
    port = server.server_address[1]
    start = threading.Event()
    try:
        with concurrent.futures.ThreadPoolExecutor(visits) as pool:
            futures = [pool.submit(visit, port, expected, files, connections, start) for _ in range(visits)]
            began = time.perf_counter()
            start.set()
            done = [future.result(timeout=RUN_TIMEOUT_S) for future in futures]
            total = time.perf_counter() - began
    finally:
        server.shutdown()
        server.server_close()
    seconds = sorted(result["seconds"] for result in done)
    return {
        "visits": visits,
        "connections_per_visit": connections,
        "files_per_visit": len(files),
        "snapshot_fetched": snapshot,
        "all_served_seconds": round(total, 2),
        "visit_seconds": {"min": round(seconds[0], 2), "median": round(seconds[len(seconds) // 2], 2),
                          "max": round(seconds[-1], 2)},
        "wire_mb_per_visit": round(done[0]["wire_bytes"] / 1e6, 2),
        "wire_mb_total": round(sum(result["wire_bytes"] for result in done) / 1e6, 1),
        "complete_and_intact": sum(not result["problems"] for result in done),
        "problems": [problem for result in done for problem in result["problems"]][:20],
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=30)
    parser.add_argument("--connections", type=int, default=6, help="parallel connections per visit")
    parser.add_argument("--snapshot", action="store_true", help="also fetch the snapshot (a fast link)")
    parser.add_argument("--site", type=Path, help="a built dist/ (default: build one)")
    args = parser.parse_args()
    if args.site is None:
        args.site = load_build().build(Path(tempfile.mkdtemp(prefix="pynn-loadtest-")) / "dist").out
    print(json.dumps(load_test(args.site, args.visits, args.connections, args.snapshot), indent=1))


if __name__ == "__main__":
    main()

"""Soak (issue 6, item 5): a long run at full speed must not make the page's memory grow without bound.

The page plays a small 3-class spiral (240 training points, H = 32, pure SGD) at full speed until
the epoch readout passes 5,000 epochs, the issue's stand-in for ten minutes of use: 1.2 million SGD
steps, and (at ~60 ms of training per worker message) several hundred worker messages, each
carrying a fresh decision grid that the page redraws. A leak shows in proportion to those repeated
operations, not to wall time. Every few seconds, after forcing a garbage collection through the
DevTools protocol, the test reads three heaps:

- the worker's wasm memory (status's data-heap-bytes, which the worker reports with each answer):
  wasm memory never shrinks and Pyodide grows it in steps of about 20 %, so any leak on the Python
  side (an unreleased PyProxy, a result dict, a numpy array per chunk) shows as growth;
- the worker's JavaScript heap (the typed arrays and proxies made for each message);
- the page's JavaScript heap (the curves, the canvases, the message handlers).

Each heap at the end (paused, after a GC) is compared with the same heap after the first 200
epochs. The only growth the page is meant to have is the curves' history: four numbers per epoch,
a few hundred kB over the run. Run with `pytest -s` to see every sample.
"""
from __future__ import annotations

import json
import math
import time

SOAK_HASH = "dataset=spiral&classes=3&points=300&noise=0.1&split=0.8&hidden=32&lr=0.1&batch=1&wd=0&seed=1"
TARGET_EPOCHS = 5000
WARM_UP_EPOCHS = 200
# The run stops at TARGET_EPOCHS or after SOAK_SECONDS of playing, whichever comes first (about 70 s
# to 5,000 epochs on a loaded 2-core machine). Below MIN_EPOCHS — ten times the warm-up, still
# ~480,000 SGD steps and hundreds of worker messages, enough for a leak of a few kB per message
# or per epoch to cross the margins below — the machine is too slow for the soak to say anything.
SOAK_SECONDS = 150
MIN_EPOCHS = 2000
SAMPLE_SECONDS = 5

MiB = 1 << 20
# Less than one of Pyodide's wasm growth steps (20 % of ~44 MB): in effect no growth after warm-up.
WASM_MARGIN = 4 * MiB
# The curves' history (≈ 0.4 MB for 5,000 epochs) plus the noise of V8's heap accounting.
JS_MARGIN = 4 * MiB


class Heaps:
    """The page's and its worker's JavaScript heaps, measured after a forced GC, over DevTools.

    The worker is reached through a non-flattened target session (Target.sendMessageToTarget),
    the one way to talk to a dedicated worker from Playwright's page-level CDP session.
    """

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.replies: dict[int, dict] = {}
        self.next_id = 1
        self.cdp.on("Target.receivedMessageFromTarget", self._received)
        own = self.cdp.send("Target.getTargetInfo")["targetInfo"]["targetId"]
        workers = [
            target for target in self.cdp.send("Target.getTargets")["targetInfos"]
            if target["type"] == "worker" and target.get("parentFrameId") == own
        ]
        assert len(workers) == 1, f"expected the page to run one worker, found {len(workers)}"
        self.worker = self.cdp.send("Target.attachToTarget", {"targetId": workers[0]["targetId"], "flatten": False})[
            "sessionId"
        ]

    def _received(self, event) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.replies[message["id"]] = message

    def _worker_send(self, method: str, timeout_s: float = 30) -> dict:
        ident = self.next_id
        self.next_id += 1
        self.cdp.send("Target.sendMessageToTarget", {
            "sessionId": self.worker, "message": json.dumps({"id": ident, "method": method}),
        })
        deadline = time.monotonic() + timeout_s
        while ident not in self.replies:
            assert time.monotonic() < deadline, f"the worker did not answer {method} within {timeout_s:.0f} s"
            self.page.wait_for_timeout(20)
        reply = self.replies.pop(ident)
        assert "error" not in reply, f"the worker refused {method}: {reply['error']}"
        return reply["result"]

    def page_used(self) -> int:
        self.cdp.send("HeapProfiler.collectGarbage")
        return int(self.cdp.send("Runtime.getHeapUsage")["usedSize"])

    def worker_used(self) -> int:
        self._worker_send("HeapProfiler.collectGarbage")
        return int(self._worker_send("Runtime.getHeapUsage")["usedSize"])


def sample(ui, heaps: Heaps, started: float) -> dict:
    wasm = ui.hook("status").get_attribute("data-heap-bytes")
    assert wasm and wasm.isdigit(), f"the status does not expose the worker's wasm heap (data-heap-bytes={wasm!r})"
    return {
        "seconds": time.monotonic() - started,
        "epoch": ui.epoch(),
        "messages": int(ui.hook("boundary-canvas").get_attribute("data-paints") or 0),
        "wasm": int(wasm),
        "worker_js": heaps.worker_used(),
        "page_js": heaps.page_used(),
    }


def mb(size: int) -> str:
    return f"{size / 1e6:.2f} MB"


def table(samples: list[dict]) -> str:
    lines = ["    s   epoch  messages     wasm heap  worker JS heap  page JS heap"]
    for s in samples:
        lines.append(
            f"{s['seconds']:5.0f}  {s['epoch']:6d}  {s['messages']:8d}  {mb(s['wasm']):>12}"
            f"  {mb(s['worker_js']):>14}  {mb(s['page_js']):>12}"
        )
    return "\n".join(lines)


def test_a_long_run_keeps_memory_bounded_and_the_page_responsive(ready_page, ui):
    page = ready_page(SOAK_HASH)
    heaps = Heaps(page)
    started = time.monotonic()
    ui.click("play")
    ui.wait_epoch(f"e >= {WARM_UP_EPOCHS}", timeout_ms=60_000)
    samples = [sample(ui, heaps, started)]
    warm = samples[0]
    print(f"\n[soak] after warm-up: {json.dumps(warm)}")

    deadline = started + SOAK_SECONDS
    while samples[-1]["epoch"] < TARGET_EPOCHS and time.monotonic() < deadline:
        page.wait_for_timeout(SAMPLE_SECONDS * 1000)
        samples.append(sample(ui, heaps, started))
        print(f"[soak] {json.dumps(samples[-1])}")
        assert ui.hook("play").text_content().strip().lower() == "pause", (
            f"training stopped by itself at epoch {samples[-1]['epoch']}: {ui.message()!r}"
        )

    ui.pause()  # also checks that pause still stops training after the long run
    end = sample(ui, heaps, started)
    samples.append(end)
    played = end["seconds"]
    report = (
        f"{end['epoch']} epochs ({end['epoch'] * 240:,} SGD steps, {end['messages']} worker messages) "
        f"in {played:.0f} s, {end['epoch'] / played:.0f} epochs/s\n{table(samples)}"
    )
    print(f"[soak] {report}")

    assert end["epoch"] >= MIN_EPOCHS, f"too slow to soak: only {end['epoch']} epochs in {SOAK_SECONDS} s\n{report}"
    peak_wasm = max(s["wasm"] for s in samples)
    assert peak_wasm <= warm["wasm"] + WASM_MARGIN, (
        f"the worker's wasm heap grew from {mb(warm['wasm'])} after {warm['epoch']} epochs to {mb(peak_wasm)} "
        f"(allowed: + {mb(WASM_MARGIN)}): Python-side memory leaks\n{report}"
    )
    assert end["worker_js"] <= warm["worker_js"] + JS_MARGIN, (
        f"the worker's JS heap after GC grew from {mb(warm['worker_js'])} to {mb(end['worker_js'])} "
        f"(allowed: + {mb(JS_MARGIN)})\n{report}"
    )
    assert end["page_js"] <= warm["page_js"] + JS_MARGIN, (
        f"the page's JS heap after GC grew from {mb(warm['page_js'])} to {mb(end['page_js'])} "
        f"(allowed: + {mb(JS_MARGIN)})\n{report}"
    )

    accuracy = ui.number("train-accuracy")
    assert accuracy >= 0.9, f"after {end['epoch']} epochs the training accuracy reads {ui.text('train-accuracy')!r}"
    assert math.isfinite(ui.number("train-loss")), ui.text("train-loss")
    ui.assert_trains()  # the readouts still follow a step and a short play

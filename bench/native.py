"""Native speed of pynn: against scikit-learn at equal work, pure SGD steps/s, scaling, profile.

    python bench/native.py            # everything, printed (takes a few minutes)
    python bench/native.py --write    # ... and put the figures in bench/RESULTS.md, "## Native"
    python bench/native.py --quick    # fewer repeats and epochs, to try the script

Timings are wall-clock medians of --repeats runs (the best run and the median CPU time beside
them), so a busy moment on a shared machine moves the median less than a mean. A benchmark, not a test: nothing here fails
when a goal is missed; the goals are printed beside the figures.

1. Equal work on the digits (standardized, 75 % for training): pynn.train against scikit-learn's
   MLPClassifier(solver="sgd") with the same H, batch size and epochs, and no momentum, L2, early
   stopping or tolerance stop; seconds per epoch and the ratio (goal: pynn ≤ 0.5× sklearn). A
   plain numpy loop of the same mini-batch formulas is shown as a reference.
2. Pure SGD (batch 1) steps per second for a 2-32-3 net on a 3-class spiral through pynn.train
   (goal ≥ 60,000/s), beside a bare numpy loop of the spec's formulas.
3. Seconds per epoch against H (16 … 1024) and against N (digits subsets), pynn and sklearn.
4. A cProfile of pynn.train: where the time goes.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import re
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's pynn, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/bareloop.py

from bareloop import bare_sgd_epoch  # noqa: E402

import pynn  # noqa: E402
from pynn import TwoLayerNet, datasets, train  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Native"
HEADER = (
    "# Benchmark results\n\nEvery figure here was measured by a script in `bench/`, on the machine and with the "
    "command its section names: measurements, not pass/fail tests.\n\n"
)
EQUAL_WORK_GOAL = 0.5
SGD_STEPS_GOAL = 60_000


# -- timing ---------------------------------------------------------------------------------------


Sample = tuple[float, float]  # (wall-clock seconds, CPU seconds of this process) of one run


def timings(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[Sample]]:
    """Wall-clock and CPU seconds of ``repeats`` calls of each run, after one untimed warm-up call of each.

    The runs take turns (a, b, c, a, b, c, ...), so a burst of load from elsewhere on a shared
    machine falls on all of them alike instead of on whichever happened to be running.
    """
    for run in runs.values():
        run()
    samples: dict[str, list[Sample]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            samples[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return samples


class Figure:
    """Median and best wall-clock time, and median CPU time, divided by the units of work one run does.

    With one BLAS thread the CPU time is what the run itself cost: on an idle machine it equals the
    wall-clock time, on a busy one it leaves out the time spent waiting for a core.
    """

    def __init__(self, samples: list[Sample], units: float = 1.0) -> None:
        walls = [wall for wall, _ in samples]
        self.median = statistics.median(walls) / units
        self.best = min(walls) / units
        self.cpu = statistics.median(cpu for _, cpu in samples) / units

    def ms(self) -> str:
        return f"{self.median * 1e3:.2f} ms (best {self.best * 1e3:.2f}; CPU {self.cpu * 1e3:.2f})"


# -- the machine ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    info = {
        "platform": platform.platform(),
        "cpu": _cpu_name(),
        "cpu count": str(os.cpu_count()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "BLAS": _blas(),
        "load average (1, 5, 15 min) at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    try:
        import sklearn

        info["scikit-learn"] = sklearn.__version__
    except ImportError:
        info["scikit-learn"] = "not installed"
    return info


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas() -> str:
    try:
        from threadpoolctl import threadpool_info

        return "; ".join(
            f"{pool['internal_api']} {pool['version']} ({pool.get('architecture', '?')}, {pool['num_threads']} threads by default)"
            for pool in threadpool_info() if pool["user_api"] == "blas"
        ) or "none found"
    except ImportError:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{blas['name']} {blas.get('version', '')} (threadpoolctl not installed: thread count unknown)"


# -- the data ---------------------------------------------------------------------------------------


def digits_split() -> tuple[np.ndarray, np.ndarray]:
    """The digits' 75 % training share (stratified, seed 0), standardized with its own mean and std."""
    X, y = datasets.digits()
    X_train, _, y_train, _ = datasets.train_test_split(X, y, 0.25, seed=0)
    mean, std = datasets.mean_std(X_train)
    return datasets.standardize(X_train, mean, std), y_train


# -- the contenders: each trains from scratch and returns nothing -------------------------------------


def pynn_run(X: np.ndarray, y: np.ndarray, hidden: int, lr: float, epochs: int, batch: int) -> Callable[[], None]:
    classes = int(y.max()) + 1

    def run() -> None:
        net = TwoLayerNet(X.shape[0], hidden, classes, seed=0)
        train(net, X, y, lr=lr, epochs=epochs, batch_size=batch, seed=0)

    return run


def sklearn_run(X: np.ndarray, y: np.ndarray, hidden: int, lr: float, epochs: int, batch: int) -> Callable[[], None]:
    """MLPClassifier doing what pynn.train does: plain SGD, constant lr, a fixed number of epochs."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    rows = np.ascontiguousarray(X.T)  # scikit-learn takes one example per row

    def run() -> None:
        model = MLPClassifier(
            hidden_layer_sizes=(hidden,), activation="relu", solver="sgd", alpha=0.0, batch_size=batch,
            learning_rate="constant", learning_rate_init=lr, max_iter=epochs, shuffle=True, random_state=0,
            tol=0.0, momentum=0.0, nesterovs_momentum=False, early_stopping=False, n_iter_no_change=epochs + 1,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # it ran max_iter epochs, as asked
            model.fit(rows, y)

    return run


def initial_weights(rng: np.random.Generator, D: int, H: int, C: int) -> tuple[np.ndarray, ...]:
    """W0, b0, W1, b1 drawn as pynn draws them (He scale for W0, √(1/H) for W1, zero biases)."""
    W0 = rng.standard_normal((H, D)) * np.sqrt(2.0 / D)
    W1 = rng.standard_normal((C, H)) * np.sqrt(1.0 / H)
    return W0, np.zeros((H, 1)), W1, np.zeros((C, 1))


def numpy_minibatch_run(X: np.ndarray, y: np.ndarray, hidden: int, lr: float, epochs: int, batch: int) -> Callable[[], None]:
    """The spec's mini-batch formulas as a bare loop: no validation, no metrics, no History."""
    D, N = X.shape
    C = int(y.max()) + 1
    Yoh = np.zeros((C, N))
    Yoh[y, np.arange(N)] = 1.0

    def run() -> None:
        rng = np.random.default_rng(0)
        W0, b0, W1, b1 = initial_weights(rng, D, hidden, C)
        for _ in range(epochs):
            order = rng.permutation(N)
            for start in range(0, N, batch):
                b = order[start : start + batch]
                Xb, Yb = X[:, b], Yoh[:, b]
                S0 = W0 @ Xb + b0
                H0 = np.maximum(S0, 0.0)
                S1 = W1 @ H0 + b1
                E = np.exp(S1 - S1.max(axis=0))
                G1 = E / E.sum(axis=0) - Yb
                G0 = (W1.T @ G1) * (S0 > 0)
                step = lr / b.shape[0]
                W1 -= step * (G1 @ H0.T)
                b1 -= step * G1.sum(axis=1, keepdims=True)
                W0 -= step * (G0 @ Xb.T)
                b0 -= step * G0.sum(axis=1, keepdims=True)

    return run


def numpy_sgd_run(X: np.ndarray, y: np.ndarray, hidden: int, lr: float, epochs: int) -> Callable[[], None]:
    """Pure SGD as a bare loop of the spec's per-example formulas: one random example per step."""
    D, N = X.shape
    C = int(y.max()) + 1
    labels = y.tolist()

    def run() -> None:
        rng = np.random.default_rng(0)
        W0, b0, W1, b1 = initial_weights(rng, D, hidden, C)
        for _ in range(epochs):
            bare_sgd_epoch(W0, b0, W1, b1, X, labels, rng.permutation(N).tolist(), lr)

    return run


# -- the benchmarks -----------------------------------------------------------------------------------


def equal_work(repeats: int, epochs: int, hidden: int = 100, batch: int = 32, lr: float = 0.1) -> dict:
    X, y = digits_split()
    runs = {
        "pynn.train": pynn_run(X, y, hidden, lr, epochs, batch),
        "sklearn MLPClassifier": sklearn_run(X, y, hidden, lr, epochs, batch),
        "bare numpy loop (reference)": numpy_minibatch_run(X, y, hidden, lr, epochs, batch),
    }
    per_epoch = {name: Figure(seconds, epochs) for name, seconds in timings(runs, repeats).items()}
    net = TwoLayerNet(X.shape[0], hidden, int(y.max()) + 1, seed=0)
    passes = 20  # the whole-set loss is quick: time a few together
    whole_set = Figure(timings({"loss": lambda: [net.loss(X, y) for _ in range(passes)]}, repeats)["loss"], passes)
    return {
        "whole_set": whole_set,
        "setup": f"digits, {y.size} training examples × 64 features, 10 classes, H={hidden}, batch {batch}, "
        f"lr {lr}, {epochs} epochs per run",
        "per_epoch": per_epoch,
        "ratio": per_epoch["pynn.train"].median / per_epoch["sklearn MLPClassifier"].median,
    }


def pure_sgd(repeats: int, epochs: int, hidden: int = 32) -> dict:
    X, y = datasets.spiral(300, classes=3, noise=0.2, seed=0)
    steps = y.size * epochs
    runs = {"pynn": pynn_run(X, y, hidden, 0.1, epochs, 1), "numpy": numpy_sgd_run(X, y, hidden, 0.1, epochs)}
    figures = {name: Figure(seconds, steps) for name, seconds in timings(runs, repeats).items()}
    return {
        "setup": f"2-{hidden}-3 net, 3-class spiral of {y.size} points, batch 1, lr 0.1, {epochs} epochs "
        f"= {steps:,} steps per run",
        **figures,
    }


def pynn_and_sklearn(X: np.ndarray, y: np.ndarray, hidden: int, epochs: int, repeats: int) -> tuple[Figure, Figure]:
    """Seconds per epoch of pynn and of scikit-learn, batch 32, lr 0.1."""
    runs = {"pynn": pynn_run(X, y, hidden, 0.1, epochs, 32), "sklearn": sklearn_run(X, y, hidden, 0.1, epochs, 32)}
    seconds = timings(runs, repeats)
    return Figure(seconds["pynn"], epochs), Figure(seconds["sklearn"], epochs)


def versus_hidden(repeats: int, epochs: int, sizes: tuple[int, ...]) -> list[tuple[int, Figure, Figure]]:
    X, y = digits_split()
    return [(h, *pynn_and_sklearn(X, y, h, epochs, repeats)) for h in sizes]


def versus_examples(repeats: int, epochs: int, sizes: tuple[int, ...]) -> list[tuple[int, Figure, Figure]]:
    X, y = datasets.digits()
    X = datasets.standardize(X, *datasets.mean_std(X))
    order = np.random.default_rng(0).permutation(y.size)
    return [(n, *pynn_and_sklearn(X[:, order[:n]], y[order[:n]], 100, epochs, repeats)) for n in sizes]


def profile(run: Callable[[], None], top: int) -> str:
    """The ``top`` functions by own time (tottime) of one run, as pstats prints them."""
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    text = out.getvalue()
    text = text[text.index("   ncalls"):] if "   ncalls" in text else text  # drop pstats' preamble
    summary = re.search(r"([\d,]+) function calls.* in ([\d.]+) seconds", out.getvalue())
    head = f"{summary.group(1)} function calls in {summary.group(2)} s (under the profiler)\n" if summary else ""
    root = str(Path(__file__).resolve().parents[1]) + os.sep
    return head + "\n".join(line.rstrip().replace(root, "") for line in text.strip().splitlines())


# -- the report ---------------------------------------------------------------------------------------


def report(args: argparse.Namespace) -> str:
    lines: list[str] = []
    say = lines.append
    info = machine()
    print(f"measuring (median of {args.repeats} runs each) ...", file=sys.stderr)

    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    threads = f"{args.blas_threads} BLAS thread{'s' if args.blas_threads > 1 else ''}" if args.blas_threads else "the BLAS library's default threads"
    with threadpool_limits(args.blas_threads or None):
        eq = equal_work(args.repeats, args.epochs)
        sgd = pure_sgd(args.repeats, args.sgd_epochs)
        hidden = versus_hidden(args.repeats, args.scale_epochs, (16, 32, 64, 128, 256, 512, 1024))
        examples = versus_examples(args.repeats, args.scale_epochs, (225, 450, 900, 1797))
        X, y = digits_split()
        spiral_X, spiral_y = datasets.spiral(300, classes=3, noise=0.2, seed=0)
        profile_batch = profile(pynn_run(X, y, 100, 0.1, args.epochs, 32), args.profile_top)
        profile_sgd = profile(pynn_run(spiral_X, spiral_y, 32, 0.1, args.sgd_epochs, 1), args.profile_top)
    eq_default = equal_work(args.repeats, args.epochs) if args.blas_threads else None
    info["load average (1, 5, 15 min) at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    say(SECTION)
    say("")
    say(f"Measured with `python bench/native.py{' --quick' if args.quick else ''}` on {time.strftime('%Y-%m-%d')}, "
        f"pynn {pynn.__version__}. Each figure is the wall-clock median of {args.repeats} timed runs after one "
        "warm-up, with the best run and the median CPU time of the process in brackets: CPU time well below "
        "wall-clock time means the run waited for a core that other jobs held (see the load averages). "
        f"Every figure but the second equal-work table was measured with {threads} (threadpoolctl): on this "
        "2-core machine, shared with other jobs, OpenBLAS's second thread makes any product big enough to be "
        "split (pynn's per-epoch pass over the whole training set, say) wait for a core another job holds; "
        "seen here: the same runs up to 20× slower from one minute to the next, while one thread gives "
        "steady figures.")
    say("")
    say("Machine:")
    say("")
    for key, value in info.items():
        say(f"- {key}: {value}")
    say("")

    say("### Equal work: pynn against scikit-learn")
    say("")
    say(f"{eq['setup']}. scikit-learn: `MLPClassifier(solver=\"sgd\", hidden_layer_sizes=(100,), batch_size=32, "
        "learning_rate_init=0.1, learning_rate=\"constant\", max_iter=epochs, momentum=0, nesterovs_momentum=False, "
        "alpha=0, tol=0, n_iter_no_change=epochs+1, early_stopping=False, shuffle=True)`. Each run builds a new "
        "net and trains it; pynn.train also measures loss and accuracy on the whole training set after every "
        "epoch (its History), which scikit-learn does not.")
    say("")
    say("| contender | time per epoch | relative to scikit-learn |")
    say("|---|---|---|")
    sk = eq["per_epoch"]["sklearn MLPClassifier"].median
    for name, figure in eq["per_epoch"].items():
        say(f"| {name} | {figure.ms()} | {figure.median / sk:.2f}× |")
    say("")
    verdict = "met" if eq["ratio"] <= EQUAL_WORK_GOAL else "NOT met"
    say(f"Of pynn's epoch, about {eq['whole_set'].ms()} is the pass over the whole training set that "
        "measures its loss and accuracy for the History (timed as `net.loss(X, y)`): scikit-learn reports "
        "the loss summed over the mini-batches instead.")
    say("")
    cpu_ratio = eq["per_epoch"]["pynn.train"].cpu / eq["per_epoch"]["sklearn MLPClassifier"].cpu
    say(f"pynn takes **{eq['ratio']:.2f}×** scikit-learn's time (goal ≤ {EQUAL_WORK_GOAL}×: {verdict}); "
        f"by CPU time {cpu_ratio:.2f}×.")
    say("")
    if eq_default is not None:
        say("The same with the BLAS library's default threads:")
        say("")
        say("| contender | time per epoch | relative to scikit-learn |")
        say("|---|---|---|")
        sk = eq_default["per_epoch"]["sklearn MLPClassifier"].median
        for name, figure in eq_default["per_epoch"].items():
            say(f"| {name} | {figure.ms()} | {figure.median / sk:.2f}× |")
        say("")

    say("### Pure SGD steps per second")
    say("")
    say(f"{sgd['setup']}.")
    say("")
    say("| loop | steps per second (wall clock) | best run | by CPU time | time per step |")
    say("|---|---|---|---|---|")
    for name, figure in (("pynn.train(batch_size=1)", sgd["pynn"]), ("bare numpy loop of the spec's formulas (reference)", sgd["numpy"])):
        say(f"| {name} | {1 / figure.median:,.0f} | {1 / figure.best:,.0f} | {1 / figure.cpu:,.0f} | {figure.median * 1e6:.1f} µs |")
    say("")
    verdict = "met" if 1 / sgd["pynn"].median >= SGD_STEPS_GOAL else "NOT met"
    say(f"pynn: **{1 / sgd['pynn'].median:,.0f} steps/s** (goal ≥ {SGD_STEPS_GOAL:,}: {verdict}), "
        f"{sgd['numpy'].median / sgd['pynn'].median:.2f}× the bare loop's rate.")
    say("")

    say("### Time per epoch against H (digits, 1,347 examples, batch 32)")
    say("")
    say("| H | pynn | scikit-learn | ratio |")
    say("|---|---|---|---|")
    for h, ours, theirs in hidden:
        say(f"| {h} | {ours.ms()} | {theirs.ms()} | {ours.median / theirs.median:.2f}× |")
    say("")

    say("### Time per epoch against N (digits subsets, H=100, batch 32)")
    say("")
    say("| N | pynn | scikit-learn | ratio | pynn µs per example |")
    say("|---|---|---|---|---|")
    for n, ours, theirs in examples:
        say(f"| {n} | {ours.ms()} | {theirs.ms()} | {ours.median / theirs.median:.2f}× | {ours.median / n * 1e6:.1f} |")
    say("")

    say("### Where the time goes (cProfile, top entries by own time)")
    say("")
    say(f"pynn.train on the digits, H=100, batch 32, {args.epochs} epochs:")
    say("")
    say("```")
    say(profile_batch)
    say("```")
    say("")
    say(f"pynn.train pure SGD, 2-32-3 spiral, {args.sgd_epochs} epochs:")
    say("")
    say("```")
    say(profile_sgd)
    say("```")
    return "\n".join(lines) + "\n"


def write_section(markdown: str, path: Path = RESULTS) -> None:
    """Put ``markdown`` (which starts with the SECTION heading) in place of that section of path."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: markdown + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + markdown
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"put the results in {RESULTS.name}, section {SECTION!r}")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and epochs, to try the script")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile-top", type=int, default=14)
    parser.add_argument("--blas-threads", type=int, default=1, help="BLAS threads for the figures (0: the library's default)")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 2
    args.epochs = 5 if args.quick else 20
    args.sgd_epochs = 5 if args.quick else 50
    args.scale_epochs = 2 if args.quick else 5
    markdown = report(args)
    print(markdown)
    if args.write:
        write_section(markdown)
        print(f"wrote the {SECTION!r} section of {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""`python -m pynn train`, run as a user runs it: in a subprocess, reading its output and exit code."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from pynn import TwoLayerNet, datasets, train
import pynn.__main__ as pynn_main
from pynn.__main__ import Progress, build_parser, main
from pynn.model import PARAMETERS

ROOT = Path(__file__).resolve().parents[1]
QUICK = ["train", "--points", "60", "--hidden", "8", "--epochs", "5", "--seed", "1"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI; stdout and stderr decoded as they were written (no newline translation, so \r stays)."""
    result = subprocess.run([sys.executable, "-m", "pynn", *args], cwd=ROOT, env=env, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def call(*args: str) -> subprocess.CompletedProcess[str]:
    """``main(args)`` in this process, its output captured: what ``run`` does, seen by coverage and mutmut."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit:
            code = exit.code
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@pytest.fixture(params=["subprocess", "in-process"])
def runner(request):
    return run if request.param == "subprocess" else call


def accuracies(stdout: str) -> tuple[float, float]:
    train = re.search(r"^train accuracy: ([0-9.]+)$", stdout, re.MULTILINE)
    test = re.search(r"^test accuracy: ([0-9.]+)$", stdout, re.MULTILINE)
    assert train and test, stdout
    return float(train.group(1)), float(test.group(1))


def test_train_prints_accuracies_and_a_progress_line(runner):
    result = runner(*QUICK)
    assert result.returncode == 0, result.stderr
    train, test = accuracies(result.stdout)
    assert 0 <= train <= 1 and 0 <= test <= 1
    assert "spiral: 60 points, 3 classes; 45 train / 15 test; net 2-8-3" in result.stdout
    assert "\repoch 5/5 [" in result.stderr
    assert re.search(r"loss [0-9.]+ +accuracy [0-9.]+ +test accuracy [0-9.]+\n$", result.stderr)


def test_the_issue_example_learns_the_spiral():
    result = run("train", "--dataset", "spiral", "--classes", "3", "--hidden", "100", "--lr", "1", "--epochs", "200", "--batch-size", "32")
    assert result.returncode == 0, result.stderr
    train, test = accuracies(result.stdout)
    assert train >= 0.95 and test >= 0.9


def test_same_seed_same_output():
    first, second = run(*QUICK), run(*QUICK)
    assert accuracies(first.stdout) == accuracies(second.stdout)


@pytest.mark.parametrize("dataset", ["circles", "moons", "xor", "blobs"])
def test_every_2d_set_trains(dataset):
    result = run("train", "--dataset", dataset, "--points", "40", "--hidden", "4", "--epochs", "2", "--noise", "0.05")
    assert result.returncode == 0, result.stderr
    accuracies(result.stdout)


def test_digits_trains_to_a_good_test_accuracy():
    result = run("train", "--dataset", "digits", "--epochs", "10", "--lr", "0.3")
    assert result.returncode == 0, result.stderr
    assert "digits: 1797 images" in result.stdout
    assert accuracies(result.stdout)[1] >= 0.9


def quick_split(seed: int = 1):
    """QUICK's data, split as the CLI splits it, and its seeds for the weights and the order."""
    data_seed, split_seed, init_seed, order_seed = (int(s) for s in np.random.SeedSequence(seed).generate_state(4))
    X, y = datasets.make("spiral", 60, None, None, seed=data_seed)
    return datasets.train_test_split(X, y, 0.25, seed=split_seed), init_seed, order_seed


def test_save_writes_the_trained_weights(tmp_path):
    path = tmp_path / "model.npz"
    result = run(*QUICK, "--batch-size", "4", "--weight-decay", "0.01", "--save", str(path))
    assert result.returncode == 0, result.stderr
    assert f"saved the net to {path}\n" in result.stdout
    (X_train, X_test, y_train, y_test), init_seed, order_seed = quick_split()
    net = TwoLayerNet(2, 8, 3, seed=init_seed)
    history = train(net, X_train, y_train, lr=0.5, epochs=5, batch_size=4, weight_decay=0.01,
                    X_val=X_test, y_val=y_test, seed=order_seed)
    saved = TwoLayerNet.load(path)
    for name in PARAMETERS:
        np.testing.assert_array_equal(getattr(saved, name), getattr(net, name), err_msg=name)
    assert accuracies(result.stdout) == (round(history.accuracy[-1], 4), round(history.val_accuracy[-1], 4))


@pytest.mark.parametrize("weight_decay", ["0", "0.2"])
def test_batch_size_and_weight_decay_are_the_ones_trained_with(tmp_path, capsys, spec, weight_decay):
    """--batch-size 45 = every training point: one full-batch step per epoch, which the spec's formulas
    give by hand: θ − lr·(∂L/∂θ / 45 + λ·θ)."""
    path = tmp_path / "model.npz"
    argv = [*QUICK[:-4], "--epochs", "2", "--seed", "1", "--lr", "0.3", "--batch-size", "45",
            "--weight-decay", weight_decay, "--save", str(path)]
    assert main(argv) == 0
    assert "lr 0.3, batch 45, 2 epochs" in capsys.readouterr().out
    (X_train, _, y_train, _), init_seed, _ = quick_split()
    expected = spec.params_of(TwoLayerNet(2, 8, 3, seed=init_seed))
    for _ in range(2):
        expected = spec.step(expected, X_train, y_train, lr=0.3, wd=float(weight_decay))
    spec.assert_params(TwoLayerNet.load(path), expected, rtol=1e-11)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "--hidden", "0"], "argument --hidden: must be at least 1, got 0"),
        (["train", "--epochs", "ten"], "argument --epochs: expected a whole number, got 'ten'"),
        (["train", "--lr", "-1"], "argument --lr: must be greater than 0"),
        (["train", "--lr", "nan"], "argument --lr: must be a finite number"),
        (["train", "--batch-size", "0"], "argument --batch-size: must be at least 1"),
        (["train", "--weight-decay", "-0.1"], "argument --weight-decay: must be 0 or more"),
        (["train", "--test-fraction", "1"], "argument --test-fraction: must be between 0 and 1"),
        (["train", "--seed", "-3"], "argument --seed: must be at least 0"),
        (["train", "--dataset", "iris"], "argument --dataset: invalid choice: 'iris'"),
        (["train", "--dataset", "moons", "--classes", "3"], "moons has exactly 2 classes, got classes=3"),
        (["train", "--dataset", "spiral", "--classes", "9"], "spiral allows 2 to 6 classes"),
        (["train", "--dataset", "digits", "--classes", "3"], "--classes does not apply to digits"),
        (["train", "--dataset", "digits", "--points", "100"], "--points does not apply to digits"),
        (["train", "--points", "3", "--test-fraction", "0.9"], "leaves the training set empty"),
        (["train", "--no-such-option"], "unrecognized arguments: --no-such-option"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(runner, args, message):
    result = runner(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: python -m pynn")


def test_divergence_exits_1_and_says_to_lower_the_learning_rate(runner):
    result = runner(*QUICK, "--lr", "1e200", "--batch-size", "1")
    assert result.returncode == 1
    assert "training diverged" in result.stderr and "Lower the learning rate" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="matplotlib (pynn[plot]) is not installed")
@pytest.mark.parametrize("dataset", ["spiral", "digits"])
def test_plot_writes_a_png(tmp_path, dataset):
    path = tmp_path / "out.png"
    args = ["train", "--dataset", "digits", "--epochs", "2"] if dataset == "digits" else QUICK
    result = call(*args, "--plot", str(path))
    assert result.returncode == 0, result.stderr
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"saved the plot to {path}" in result.stdout
    import matplotlib.image

    # the 2-D sets get the regions beside the curves; the digits, only the curves
    assert matplotlib.image.imread(path).shape[:2] == ((480, 600) if dataset == "digits" else (480, 1100))


def test_plot_without_matplotlib_exits_2_with_a_clear_message(tmp_path):
    # A matplotlib package that cannot be imported, first on the path, stands for a missing one.
    (tmp_path / "matplotlib").mkdir()
    (tmp_path / "matplotlib" / "__init__.py").write_text("raise ImportError('no matplotlib here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    result = run(*QUICK, "--plot", str(tmp_path / "out.png"), env=env)
    assert result.returncode == 2
    assert "--plot needs matplotlib" in result.stderr and "pip install 'pynn[plot]'" in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_the_regions_picture_shows_each_class_where_the_net_predicts_it_and_each_point_as_itself():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb

    from pynn import TwoLayerNet, datasets
    from pynn.__main__ import PALETTE, draw_regions

    net = TwoLayerNet(2, 2, 2, seed=0)  # class 1 wherever x1 > 0, class 0 where x1 < 0, by hand
    net.W0[:] = [[1.0, 0.0], [-1.0, 0.0]]
    net.b0[:] = 0.0
    net.W1[:] = [[-5.0, 5.0], [5.0, -5.0]]
    net.b1[:] = 0.0
    X_train = np.array([[-1.0, 1.0], [0.0, 0.5]])
    X_test = np.array([[1.5, -1.5, 1.2], [0.0, 0.0, -0.4]])
    y_train, y_test = np.array([0, 1]), np.array([1, 0, 1])
    figure, axis = plt.subplots()
    try:
        draw_regions(axis, net, X_train, y_train, X_test, y_test)
        image = axis.get_images()[0]
        edge = datasets.EXTENT
        assert tuple(image.get_extent()) == (-edge, edge, -edge, edge)
        pixels = image.get_array()
        assert pixels.shape == (200, 200, 3)
        sure = 1 / (1 + np.exp(-10 * edge))  # the net's probability at the left and right edges
        for column, k in ((0, 0), (-1, 1)):  # left edge: class 0's colour, right edge: class 1's
            expected = 1 - (1 - np.array(to_rgb(PALETTE[k]))) * (0.15 + 0.45 * sure)
            assert np.allclose(pixels[100, column], expected, atol=1e-6), (column, pixels[100, column], expected)
        scattered = [c.get_offsets().data.tolist() for c in axis.collections]
        assert scattered[:4] == [[[-1.0, 0.0]], [[-1.5, 0.0]], [[1.0, 0.5]], [[1.5, 0.0], [1.2, -0.4]]]
        assert [c.get_label() for c in axis.collections][::2][:2] == ["class 0", "class 1"]
        # Where the net is unsure (x1 = 0: both classes 1/2), the colour is paler: 0.15 + 0.45 · 1/2.
        columns = np.linspace(-edge, edge, 200)
        middle = np.argmin(np.abs(columns))
        p = net.predict_proba(np.array([[columns[middle]], [0.0]]))[:, 0]
        expected = 1 - (1 - np.array(to_rgb(PALETTE[int(p.argmax())]))) * (0.15 + 0.45 * p.max())
        assert 0.5 < p.max() < 0.6 and np.allclose(pixels[100, middle], expected, atol=1e-6)
        assert image.origin == "lower"  # row 0 is the bottom of the plane, x2 = -edge
        # Training points are dots, test points triangles, each ringed in black; a legend says which is which.
        points = axis.collections[:4]
        assert [c.get_sizes().tolist() for c in points] == [[14], [22], [14], [22]]
        assert [c.get_linewidths().tolist() for c in points] == [[0.4], [0.6], [0.4], [0.6]]
        assert all(np.allclose(c.get_edgecolors(), [[0, 0, 0, 1]]) for c in points)
        assert [np.allclose(c.get_facecolors()[0][:3], to_rgb(PALETTE[k])) for c, k in zip(points, (0, 0, 1, 1))] == [True] * 4
        dot, triangle = (c.get_paths()[0].vertices.shape[0] for c in points[:2])
        assert dot != triangle and axis.collections[4].get_paths()[0].vertices.shape[0] == triangle
        assert [text.get_text() for text in axis.get_legend().get_texts()] == ["class 0", "class 1", "test points"]
        assert (axis.get_xlabel(), axis.get_ylabel(), axis.get_title()) == ("x1", "x2", "decision regions")
        assert axis.get_xlim() == axis.get_ylim() == (-edge, edge)
    finally:
        plt.close(figure)


def test_the_curves_are_the_historys_and_the_png_has_the_size_of_its_panels(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.image
    import matplotlib.pyplot as plt

    from pynn.__main__ import PALETTE, draw_curves, plot

    X, y = datasets.blobs(60, classes=2, seed=0)
    net = TwoLayerNet(2, 4, 2, seed=0)
    history = train(net, X, y, lr=0.1, epochs=3, X_val=X, y_val=y, seed=0)
    figure, axis = plt.subplots()
    try:
        draw_curves(axis, history)
        right = [a for a in figure.axes if a is not axis][0]
        lines = axis.get_lines() + right.get_lines()
        assert [line.get_label() for line in lines] == ["train loss", "test loss", "train accuracy", "test accuracy"]
        for line, values in zip(lines, (history.mean_loss, history.val_mean_loss, history.accuracy, history.val_accuracy)):
            assert line.get_xdata().tolist() == [1, 2, 3] and np.allclose(line.get_ydata(), values)
        assert [line.get_color() for line in lines] == [PALETTE[0], PALETTE[0], PALETTE[1], PALETTE[1]]
        assert [line.get_linestyle() for line in lines] == ["-", "--", "-", "--"]
        assert right.get_ylim() == (0, 1.02) and axis.get_xlabel() == "epoch"
        assert (axis.get_ylabel(), axis.get_title(), right.get_ylabel()) == ("mean loss (NLL per example)", "training", "accuracy")
        legend = axis.get_legend()
        assert [text.get_text() for text in legend.get_texts()] == ["train loss", "test loss", "train accuracy", "test accuracy"]
        assert [handle.get_linestyle() for handle in legend.legend_handles] == ["-", "--", "-", "--"]
    finally:
        plt.close(figure)
    split = (X, y, X, y)
    plot(plt, str(tmp_path / "both.png"), net, history, split, True)
    plot(plt, str(tmp_path / "curves.png"), net, history, split, False)
    assert matplotlib.image.imread(tmp_path / "both.png").shape[:2] == (480, 1100)
    assert matplotlib.image.imread(tmp_path / "curves.png").shape[:2] == (480, 600)


def help_blocks() -> list[str]:
    """The help texts docs/cli.md shows: its code blocks that start with "usage:"."""
    return re.findall(r"^```\n(usage: .*?)^```$", (ROOT / "docs" / "cli.md").read_text(), re.S | re.M)


@pytest.mark.parametrize(("args", "index"), [(["--help"], 0), (["train", "--help"], 1)])
def test_the_help_is_what_docs_cli_md_shows(monkeypatch, args, index):
    """docs/cli.md is the command line's reference: every option, its meaning and its default, as
    --help prints them at 100 columns (regenerate the page if the help changes)."""
    monkeypatch.setenv("COLUMNS", "100")
    result = call(*args)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == help_blocks()[index]


def test_a_run_prints_the_data_the_net_and_the_losses_and_accuracies_of_the_net_it_trained():
    started = time.perf_counter()
    result = call(*QUICK)
    took = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    (X_train, X_test, y_train, y_test), init_seed, order_seed = quick_split()
    h = train(TwoLayerNet(2, 8, 3, seed=init_seed), X_train, y_train, lr=0.5, epochs=5, batch_size=32,
              X_val=X_test, y_val=y_test, seed=order_seed)
    assert h.mean_loss[-1] != h.mean_loss[-2] and h.accuracy[-1] != h.accuracy[0]
    lines = result.stdout.splitlines()
    assert lines[0] == "spiral: 60 points, 3 classes; 45 train / 15 test; net 2-8-3, lr 0.5, batch 32, 5 epochs"
    timing = re.fullmatch(rf"trained 5 epochs in (\d+\.\d\d) s; final mean loss {h.mean_loss[-1]:.4f} \(train\), "
                          rf"{h.val_mean_loss[-1]:.4f} \(test\)", lines[1])
    assert timing and 0 <= float(timing.group(1)) <= took + 0.01, lines[1]
    assert lines[2:] == [f"train accuracy: {h.accuracy[-1]:.4f}", f"test accuracy: {h.val_accuracy[-1]:.4f}"]
    example = re.search(r"^\$ python -m pynn (train .*?)\n(.*?)^```$", (ROOT / "docs" / "cli.md").read_text(), re.S | re.M)
    assert example.group(1).split() == QUICK  # docs/cli.md's example is this run, its output too (but the time)
    assert example.group(2).splitlines()[:1] + example.group(2).splitlines()[2:] == lines[:1] + lines[2:]


def test_the_progress_line_is_drawn_in_place_and_ends_with_a_newline():
    stream = io.StringIO()
    progress = Progress(4, stream)
    history = train(TwoLayerNet(2, 4, 2, seed=0), *datasets.blobs(20, classes=2, seed=0), lr=0.1, epochs=1, seed=0)
    history.val_accuracy = [0.25]
    progress.finish()
    assert stream.getvalue() == ""  # nothing drawn: nothing to end
    progress(0, history)  # the first epoch is drawn at once
    progress(1, history)  # within REFRESH_SECONDS of the last draw: skipped
    progress(2, history)  # so is the one before the last
    progress(3, history)  # the last epoch is always drawn
    progress.finish()
    end = f"loss {history.mean_loss[-1]:.4f}  accuracy {history.accuracy[-1]:.4f}  test accuracy 0.2500"
    assert stream.getvalue() == f"\repoch 1/4 [{'#' * 6:<24}] {end}\repoch 4/4 [{'#' * 24}] {end}\n"


@pytest.mark.parametrize(("option", "lowest", "below", "message"), [
    ("--classes", "2", "1", "must be at least 2, got 1"), ("--points", "2", "1", "must be at least 2, got 1"),
    ("--seed", "0", "-1", "must be at least 0, got -1"), ("--hidden", "1", "0", "must be at least 1, got 0"),
    ("--epochs", "1", "0", "must be at least 1, got 0"), ("--batch-size", "1", "0", "must be at least 1, got 0"),
    ("--noise", "0", "-0.01", "must be 0 or more, got -0.01"), ("--weight-decay", "0", "-0.001", "must be 0 or more, got -0.001"),
    ("--lr", "1e-09", "0", "must be greater than 0, got 0"), ("--test-fraction", "0.01", "0", "must be between 0 and 1 (exclusive), got 0"),
    ("--lr", "1e-09", "fast", "expected a number, got 'fast'"),
])
def test_each_number_option_takes_its_lowest_value_and_refuses_the_one_below(option, lowest, below, message):
    args = build_parser().parse_args(["train", option, lowest])
    value = getattr(args, option[2:].replace("-", "_"))
    assert value == float(lowest) and type(value) is (float if "." in lowest or "e" in lowest or option in ("--noise", "--weight-decay") else int)
    result = call("train", option, below)
    assert result.returncode == 2 and result.stderr.endswith(f"error: argument {option}: {message}\n"), result.stderr


def test_the_noise_and_points_asked_for_are_the_ones_drawn():
    result = call("train", "--dataset", "moons", "--points", "40", "--noise", "0.3", "--epochs", "1", "--seed", "2")
    assert result.stdout.startswith("moons: 40 points, 2 classes; 30 train / 10 test;"), result.stdout
    quiet = call("train", "--dataset", "moons", "--points", "40", "--noise", "0", "--epochs", "1", "--seed", "2")
    assert quiet.stdout.splitlines()[1:] != result.stdout.splitlines()[1:]  # another noise, other data, another net


def test_digits_are_scaled_to_0_1_and_the_saved_net_says_so(tmp_path, monkeypatch):
    seen = {}
    real = pynn_main.TwoLayerNet

    class Recording(real):  # the CLI's net, to see the inputs it trains on
        def forward_pass(self, X):
            seen.setdefault("max", float(X.max()))
            return super().forward_pass(X)

    monkeypatch.setattr(pynn_main, "TwoLayerNet", Recording)
    result = call("train", "--dataset", "digits", "--epochs", "1", "--hidden", "4", "--save", str(tmp_path / "d.npz"))
    assert result.returncode == 0, result.stderr
    assert seen["max"] == 1.0  # pixels 0..16 divided by 16
    assert f"saved the net to {tmp_path / 'd.npz'} (it takes pixels / 16)" in result.stdout.splitlines()
    spiral = call(*QUICK, "--save", str(tmp_path / "s.npz"))
    assert f"saved the net to {tmp_path / 's.npz'}" in spiral.stdout.splitlines()


def test_plot_without_matplotlib_in_process_says_so_on_stderr_and_trains_nothing(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` raises ImportError
    result = call(*QUICK, "--plot", str(tmp_path / "out.png"))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "error: --plot needs matplotlib, which is not installed: pip install 'pynn[plot]' (or matplotlib)\n"


def test_version_prints_the_packages_version():
    import pynn

    result = call("--version")
    assert result.returncode == 0 and result.stdout == f"pynn {pynn.__version__}\n"


def test_without_points_a_2d_set_has_300():
    result = call("train", "--epochs", "1", "--hidden", "2")
    assert result.returncode == 0 and result.stdout.startswith("spiral: 300 points, 3 classes; 225 train / 75 test;"), result.stdout


def test_the_plot_puts_the_regions_left_of_the_curves_and_closes_its_figure(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pynn.__main__ import plot

    class Kept:
        """pyplot, but the figure plot() makes is kept and its close recorded."""
        figure, closed = None, None

        def subplots(self, *args, **kwargs):
            self.figure, axes = plt.subplots(*args, **kwargs)
            return self.figure, axes

        def close(self, figure):
            self.closed = figure

    X, y = datasets.blobs(40, classes=2, seed=0)
    net = TwoLayerNet(2, 4, 2, seed=0)
    history = train(net, X, y, lr=0.1, epochs=2, X_val=X, y_val=y, seed=0)
    for regions, titles in ((True, ["decision regions", "training", ""]), (False, ["training", ""])):
        kept = Kept()
        plot(kept, str(tmp_path / "p.png"), net, history, (X, y, X, y), regions)
        try:
            assert [axis.get_title() for axis in kept.figure.axes] == titles  # "" is the curves' accuracy scale
            lefts = [axis.get_position().x0 for axis in kept.figure.axes]
            assert lefts == sorted(lefts) and kept.closed is kept.figure
        finally:
            plt.close(kept.figure)

"""The command line: train a net on one of pynn's data sets and report how it did.

    python -m pynn train --dataset spiral --classes 3 --hidden 100 --lr 1 --epochs 200 --batch-size 32

A progress line with the loss and accuracy goes to stderr; the final train and test accuracy
go to stdout. ``--save model.npz`` writes the trained net (``TwoLayerNet.load`` reads it back),
``--plot out.png`` draws the decision regions and the loss curves (matplotlib, an optional extra:
``pip install 'pynn[plot]'``). Exit codes: 0 done, 1 training diverged, 2 bad arguments or a
missing optional package.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Any, Callable, Sequence, TextIO

import numpy as np

from . import __version__, datasets
from .model import INITS, TwoLayerNet
from .training import DivergenceError, History, train

DIGITS_SCALE = 16.0
"""The digits' pixels run from 0 to 16; the net sees them divided by this, in [0, 1]."""

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
"""Okabe–Ito colours, told apart with any colour vision; one per class (2-D sets have at most 6)."""

DEFAULT_POINTS = 300

BAR_WIDTH = 24
REFRESH_SECONDS = 0.05  # redraw the progress line at most 20 times a second


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pynn", description="pynn: a two-layer neural network in numpy.")
    parser.add_argument("--version", action="version", version=f"pynn {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", required=True)

    p = commands.add_parser(
        "train",
        help="train a net on a data set and report its train and test accuracy",
        description="Train a two-layer net by SGD and report its train and test accuracy.",
    )
    p.set_defaults(run=run_train, parser=p)
    data = p.add_argument_group("data")
    data.add_argument("--dataset", default="spiral", choices=[*datasets.GENERATORS, "digits"], help="(default %(default)s)")
    data.add_argument("--classes", type=at_least(2), help="number of classes (2-D sets; default: the set's own)")
    data.add_argument("--points", type=at_least(2), help=f"number of points in all (2-D sets; default {DEFAULT_POINTS})")
    data.add_argument("--noise", type=non_negative, help="noise of the 2-D set (default: the set's own)")
    data.add_argument("--test-fraction", type=fraction, default=0.25, help="share of the points held out for testing (default %(default)s)")
    data.add_argument("--seed", type=at_least(0), default=0, help="seed for the data, the split, the weights and the order (default %(default)s)")
    net = p.add_argument_group("net and training")
    net.add_argument("--hidden", type=at_least(1), default=100, help="hidden units H (default %(default)s)")
    net.add_argument("--init", default="he", choices=INITS, help="initial weights (default %(default)s; docs/model.md)")
    net.add_argument("--lr", type=positive, default=0.5, help="learning rate (default %(default)s)")
    net.add_argument("--epochs", type=at_least(1), default=200, help="passes over the training set (default %(default)s)")
    net.add_argument("--batch-size", type=at_least(1), default=32, help="examples per SGD step, 1 = pure SGD (default %(default)s)")
    net.add_argument("--weight-decay", type=non_negative, default=0.0, help="L2 weight decay λ on W0 and W1 (default %(default)s)")
    out = p.add_argument_group("output")
    out.add_argument("--save", metavar="MODEL.npz", help="write the trained net here (TwoLayerNet.load reads it)")
    out.add_argument("--plot", metavar="OUT.png", help="draw the decision regions and loss curves here (needs matplotlib)")
    return parser


# -- argument types: argparse turns their ArgumentTypeError into "argument --x: <message>", exit 2 --


def at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {value:g}")
    return value


def non_negative(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value:g}")
    return value


def fraction(text: str) -> float:
    value = _number(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (exclusive), got {value:g}")
    return value


# -- the train command ------------------------------------------------------------------------------


def run_train(args: argparse.Namespace) -> int:
    pyplot = _pyplot() if args.plot else None
    if args.plot and pyplot is None:
        print("error: --plot needs matplotlib, which is not installed: pip install 'pynn[plot]' (or matplotlib)", file=sys.stderr)
        return 2
    data_seed, split_seed, init_seed, order_seed = (int(s) for s in np.random.SeedSequence(args.seed).generate_state(4))
    try:
        X, y, description = load_data(args, data_seed)
        X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, args.test_fraction, seed=split_seed)
    except ValueError as error:
        args.parser.error(str(error))  # exits with code 2 and the usage line

    net = TwoLayerNet(X.shape[0], args.hidden, int(y.max()) + 1, seed=init_seed, init=args.init)
    print(
        f"{description}; {y_train.size} train / {y_test.size} test; net {net.n_inputs}-{net.n_hidden}-{net.n_classes}, "
        f"lr {args.lr:g}, batch {args.batch_size}, {args.epochs} epochs",
    )
    progress = Progress(args.epochs, sys.stderr)
    started = time.perf_counter()
    try:
        history = train(
            net, X_train, y_train, lr=args.lr, epochs=args.epochs, batch_size=args.batch_size,
            weight_decay=args.weight_decay, X_val=X_test, y_val=y_test, seed=order_seed, callback=progress,
        )
    except DivergenceError as error:
        progress.finish()
        print(f"error: {error}", file=sys.stderr)
        return 1
    progress.finish()
    seconds = time.perf_counter() - started

    print(f"trained {history.epochs} epochs in {seconds:.2f} s; final mean loss {history.mean_loss[-1]:.4f} (train), {history.val_mean_loss[-1]:.4f} (test)")
    print(f"train accuracy: {history.accuracy[-1]:.4f}")
    print(f"test accuracy: {history.val_accuracy[-1]:.4f}")
    if args.save:
        net.save(args.save)
        print(f"saved the net to {args.save}" + ("" if args.dataset != "digits" else f" (it takes pixels / {DIGITS_SCALE:g})"))
    if pyplot is not None:
        plot(pyplot, args.plot, net, history, (X_train, y_train, X_test, y_test), args.dataset != "digits")
        print(f"saved the plot to {args.plot}")
    return 0


def load_data(args: argparse.Namespace, seed: int) -> tuple[np.ndarray, np.ndarray, str]:
    """(X, y, a one-line description) for the data set the arguments ask for."""
    if args.dataset == "digits":
        for option in ("classes", "points", "noise"):
            if getattr(args, option) is not None:
                raise ValueError(f"--{option} does not apply to digits (1,797 images of 8×8 pixels, 10 classes)")
        X, y = datasets.digits()
        return X / DIGITS_SCALE, y, f"digits: {y.size} images of 8×8 pixels, 10 classes"
    points = DEFAULT_POINTS if args.points is None else args.points
    X, y = datasets.make(args.dataset, points, args.classes, args.noise, seed=seed)
    return X, y, f"{args.dataset}: {y.size} points, {int(y.max()) + 1} classes"


class Progress:
    """The callback of train(): one line on ``stream``, redrawn in place with \\r."""

    def __init__(self, epochs: int, stream: TextIO) -> None:
        self.epochs = epochs
        self.stream = stream
        self.last_draw = -np.inf
        self.drawn = False

    def __call__(self, epoch: int, history: History) -> None:
        now = time.perf_counter()
        if now - self.last_draw < REFRESH_SECONDS and epoch + 1 < self.epochs:
            return
        self.last_draw = now
        done = (epoch + 1) / self.epochs
        bar = "#" * round(done * BAR_WIDTH)
        line = (
            f"\repoch {epoch + 1:>{len(str(self.epochs))}}/{self.epochs} [{bar:<{BAR_WIDTH}}] "
            f"loss {history.mean_loss[-1]:.4f}  accuracy {history.accuracy[-1]:.4f}  "
            f"test accuracy {history.val_accuracy[-1]:.4f}"
        )
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


# -- the plot --------------------------------------------------------------------------------------


def _pyplot() -> Any:
    """matplotlib.pyplot drawing to files only, or None when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def plot(
    pyplot: Any,
    path: str,
    net: TwoLayerNet,
    history: History,
    split: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    regions: bool,
) -> None:
    """Write a PNG: the decision regions with the points (2-D sets only) beside the loss curves."""
    figure, axes = pyplot.subplots(1, 2 if regions else 1, figsize=(11 if regions else 6, 4.8), squeeze=False)
    if regions:
        draw_regions(axes[0, 0], net, *split)
    draw_curves(axes[0, -1], history)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def draw_regions(axis: Any, net: TwoLayerNet, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray) -> None:
    """Each point of the plane in its predicted class's colour, paler where the net is less sure."""
    from matplotlib.colors import to_rgb

    edge = datasets.EXTENT
    grid = np.linspace(-edge, edge, 200)
    g1, g2 = np.meshgrid(grid, grid)
    proba = net.predict_proba(np.stack([g1.ravel(), g2.ravel()]))
    colours = np.array([to_rgb(c) for c in PALETTE[: net.n_classes]])
    sure = proba.max(axis=0)[:, None]
    image = 1 - (1 - colours[proba.argmax(axis=0)]) * (0.15 + 0.45 * sure)  # mix with white
    axis.imshow(image.reshape(*g1.shape, 3), origin="lower", extent=(-edge, edge, -edge, edge))
    for k in range(net.n_classes):
        train_k, test_k = X_train[:, y_train == k], X_test[:, y_test == k]
        axis.scatter(*train_k, s=14, color=PALETTE[k], edgecolors="black", linewidths=0.4, label=f"class {k}")
        axis.scatter(*test_k, s=22, color=PALETTE[k], marker="^", edgecolors="black", linewidths=0.6)
    axis.scatter([], [], s=22, marker="^", color="white", edgecolors="black", label="test points")
    axis.set(xlim=(-edge, edge), ylim=(-edge, edge), xlabel="x1", ylabel="x2", title="decision regions", aspect="equal")
    axis.legend(loc="upper right", fontsize="small", framealpha=0.8)


def draw_curves(axis: Any, history: History) -> None:
    """Mean loss per example (left scale) and accuracy (right scale) after each epoch."""
    epochs = np.arange(1, history.epochs + 1)
    axis.plot(epochs, history.mean_loss, color=PALETTE[0], label="train loss")
    axis.plot(epochs, history.val_mean_loss, color=PALETTE[0], linestyle="--", label="test loss")
    axis.set(xlabel="epoch", ylabel="mean loss (NLL per example)", title="training")
    right = axis.twinx()
    right.plot(epochs, history.accuracy, color=PALETTE[1], label="train accuracy")
    right.plot(epochs, history.val_accuracy, color=PALETTE[1], linestyle="--", label="test accuracy")
    right.set(ylabel="accuracy", ylim=(0, 1.02))
    lines = axis.get_lines() + right.get_lines()
    axis.legend(lines, [line.get_label() for line in lines], loc="center right", fontsize="small")


if __name__ == "__main__":
    sys.exit(main())

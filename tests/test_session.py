"""pynn.page.session: the page's Python side, tested without a browser."""
from __future__ import annotations

import itertools
import re
import time

import numpy as np
import pytest

import pynn
from pynn.page.session import CLOCK_EVERY, DIVERGENCE_FACTOR, GRID, METRICS, SUSTAINED, Session
from pynn.page.settings import defaults, validate


@pytest.fixture
def session() -> Session:
    s = Session()
    s.configure({"dataset": "spiral", "classes": 3, "points": 120, "hidden": 16, "lr": 0.5, "seed": 3})
    return s


def test_configure_returns_points_grid_and_epoch_zero_metrics(session: Session, spec) -> None:
    snap = session.snapshot()
    assert snap["epoch"] == 0 and snap["diverged"] is None
    assert snap["train_xy"].dtype == np.float32 and snap["train_y"].dtype == np.uint8
    assert snap["train_xy"].shape == (2 * snap["train_y"].shape[0],)
    assert snap["test_xy"].shape == (2 * snap["test_y"].shape[0],)
    assert snap["train_y"].shape[0] + snap["test_y"].shape[0] == 120
    assert snap["test_y"].shape[0] == 24  # split 0.8 by default
    assert set(np.unique(snap["train_y"])) == {0, 1, 2}
    assert snap["grid_class"].shape == (GRID * GRID,) and snap["grid_class"].dtype == np.uint8
    assert snap["grid_prob"].shape == (GRID * GRID,) and snap["grid_prob"].dtype == np.float32
    params = spec.params_of(session.net)
    step = 2 * session.data.extent / GRID
    for row, col in [(0, 0), (0, GRID - 1), (37, 58), (GRID - 1, 5)]:  # cell centres, row 0 at the top
        x = np.array([[-session.data.extent + (col + 0.5) * step], [session.data.extent - (row + 0.5) * step]])
        h1 = spec.forward(params, x)[3][:, 0]
        assert snap["grid_class"][row * GRID + col] == h1.argmax()
        assert snap["grid_prob"][row * GRID + col] == pytest.approx(h1.max(), rel=1e-6)
    for key in ("at", *METRICS):
        assert snap[key].shape == (1,) and snap[key].dtype == np.float64
    assert snap["at"][0] == 0 and snap["updates"] == 0
    assert snap["shape"] == [2, 16, 3] and snap["parameters"] == 16 * 2 + 16 + 3 * 16 + 3
    assert snap["settings"] == session.settings
    assert snap["train_mean_loss"][0] == pytest.approx(session.net.loss(session.data.X_train, session.data.y_train) / 96, rel=1e-12)


def test_points_are_interleaved_x1_x2(session: Session) -> None:
    snap = session.snapshot()
    np.testing.assert_allclose(snap["train_xy"][0::2], session.data.X_train[0], rtol=1e-6)
    np.testing.assert_allclose(snap["train_xy"][1::2], session.data.X_train[1], rtol=1e-6)


def test_grid_is_one_forward_pass_row_by_row_from_the_top_left(session: Session) -> None:
    grid = session.grid()
    proba = session.net.predict_proba(session.grid_X)
    np.testing.assert_array_equal(grid["grid_class"], proba.argmax(axis=0))
    np.testing.assert_allclose(grid["grid_prob"], proba.max(axis=0), rtol=1e-6)
    top_left, bottom_right = session.grid_X[:, 0], session.grid_X[:, -1]
    e = session.data.extent
    assert top_left[0] < -e + 0.1 and top_left[1] > e - 0.1
    assert bottom_right[0] > e - 0.1 and bottom_right[1] < -e + 0.1


def test_run_epochs_returns_metrics_of_each_new_epoch(session: Session) -> None:
    result = session.run(epochs=3)
    assert result["epoch"] == 3 and session.epoch == 3
    for key in ("at", *METRICS):
        assert result[key].shape == (3,) and result[key].dtype == np.float64
    assert result["at"].tolist() == [1, 2, 3] and result["updates"] == 3 * session.data.y_train.shape[0]
    assert np.all((result["train_accuracy"] >= 0) & (result["train_accuracy"] <= 1))
    assert result["train_mean_loss"][-1] == pytest.approx(
        session.net.loss(session.data.X_train, session.data.y_train) / session.data.y_train.shape[0], rel=1e-12
    )
    assert result["test_accuracy"][-1] == pytest.approx(session.net.accuracy(session.data.X_test, session.data.y_test))
    np.testing.assert_array_equal(result["grid_class"], session.grid()["grid_class"])


class Ticks:
    """A clock that moves one second each time it is read, so a seconds budget is a count of reads."""

    def __init__(self) -> None:
        self.now = itertools.count()

    def __call__(self) -> float:
        return float(next(self.now))


def test_run_seconds_stops_when_the_budget_is_spent_even_inside_an_epoch() -> None:
    s = Session(clock=Ticks())
    s.configure({"points": 120, "hidden": 8, "batch": 1})  # 96 updates per epoch
    # The clock is read at the start, then before every CLOCK_EVERY updates after the first ones.
    result = s.run(seconds=5)
    assert CLOCK_EVERY == 8 and result["updates"] == 40 and result["epoch"] == 0 and s.position == 40
    assert result["at"].tolist() == [40 / 96]  # one row, measured where the chunk ended
    assert s.run(seconds=1e-9)["updates"] == 48  # at least one update (the first CLOCK_EVERY)


def test_run_seconds_on_the_real_clock_stops_inside_a_long_epoch() -> None:
    s = Session()
    s.configure({"dataset": "digits", "classes": 10, "hidden": 256, "batch": 1})  # an epoch is 1,437 updates
    started = time.perf_counter()
    result = s.run(seconds=0.02)
    assert result["epoch"] == 0 and 0 < s.position < s.data.y_train.shape[0], "the budget did not stop the epoch"
    assert time.perf_counter() - started < 5.0


def test_run_updates_makes_exactly_that_many_sgd_steps_across_epochs() -> None:
    s = Session()
    s.configure({"points": 50, "hidden": 8, "batch": 16, "split": 0.8})  # 40 examples: batches 16, 16, 8
    one = s.run(updates=1)
    assert one["updates"] == 1 and s.position == 16 and one["at"].tolist() == [16 / 40]
    result = s.run(updates=4)  # 16 and 8 end epoch 1, then 16 and 16 into epoch 2
    assert result["updates"] == 5 and result["epoch"] == 1 and s.position == 32
    assert result["at"].tolist() == [1, 1 + 32 / 40]


@pytest.mark.parametrize("batch", [1, 16])
def test_a_run_of_updates_names_the_last_batch_and_its_loss_before_and_after(batch) -> None:
    s = Session()
    s.configure({"points": 50, "hidden": 8, "batch": batch, "split": 0.8, "lr": 0.5, "seed": 4})
    s.run(updates=2)
    before = pynn.TwoLayerNet.from_dict(s.net.to_dict())
    order = np.random.default_rng([4, 0]).permutation(40)  # epoch 0's order (Session's docstring)
    result = s.run(updates=1)
    picked = order[2 * batch : 3 * batch] if batch == 1 else order[32:40]  # 16, 16, then the last 8
    assert result["last_index"].dtype == np.int32 and result["last_index"].tolist() == picked.tolist()
    X, y = s.data.X_train[:, picked], s.data.y_train[picked]
    assert result["last_loss_before"] == pytest.approx(before.loss(X, y) / len(picked), rel=1e-12)
    assert result["last_loss_after"] == pytest.approx(s.net.loss(X, y) / len(picked), rel=1e-12)
    assert result["last_loss_after"] < result["last_loss_before"]  # one step downhill on that batch
    assert "last_index" not in s.run(seconds=0.01) and "last_index" not in s.run(epochs=1)


def test_step_from_inside_an_epoch_finishes_that_epoch() -> None:
    s = Session()
    s.configure({"points": 50, "hidden": 8, "batch": 4})
    s.run(updates=3)
    result = s.run(epochs=1)
    assert result["epoch"] == 1 and s.position == 0 and result["at"].tolist() == [1]
    assert result["updates"] == 10  # 40 examples in batches of 4


def test_whole_epochs_are_pynn_train_epoch_by_epoch() -> None:
    """The page trains as pynn.train does: epoch e is train(..., epochs=1, seed=[seed, e])."""
    s = Session()
    s.configure({"points": 90, "hidden": 8, "lr": 0.3, "batch": 5, "wd": 0.01, "seed": 7})
    net = pynn.TwoLayerNet(2, 8, 3, seed=7)
    for size in (1, 7, 2, 30, 3, 100):
        s.run(updates=size)
    s.run(epochs=1)  # to the next boundary
    for e in range(s.epoch):
        pynn.train(net, s.data.X_train, s.data.y_train, lr=0.3, epochs=1, batch_size=5, weight_decay=0.01, seed=[7, e])
    np.testing.assert_array_equal(s.net.W0, net.W0)
    np.testing.assert_array_equal(s.net.b1, net.b1)


def test_pure_sgd_after_an_edit_of_the_points_trains_on_the_points_as_they_are_now() -> None:
    """The examples an epoch of pure SGD takes in its order are the data's now, not the ones before the edit."""
    s = Session()
    s.configure({"points": 60, "hidden": 8, "lr": 0.3, "batch": 1, "seed": 7})
    s.run(epochs=1)
    net = pynn.TwoLayerNet.from_dict(s.net.to_dict())
    n = s.data.y_train.shape[0]
    s.add_point(0.5, -0.5, 1)
    assert s.data.y_train.shape[0] + s.data.y_test.shape[0] == 61
    s.run(epochs=1)
    pynn.train(net, s.data.X_train, s.data.y_train, lr=0.3, epochs=1, seed=[7, 1])
    assert s.updates == n + s.data.y_train.shape[0]
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_array_equal(getattr(s.net, name), getattr(net, name))


def test_training_does_not_depend_on_chunking() -> None:
    a, b, c = Session(), Session(), Session()
    for s in (a, b, c):
        s.configure({"points": 90, "hidden": 8, "lr": 0.3, "seed": 7})  # 72 training examples, batch 1
    a.run(epochs=6)
    for _ in range(6):
        b.run(epochs=1)
    for _ in range(11):
        c.run(updates=37)
    c.run(updates=6 * 72 - 11 * 37)
    assert a.epoch == b.epoch == c.epoch == 6 and c.position == 0
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_array_equal(getattr(a.net, name), getattr(b.net, name))
        np.testing.assert_array_equal(getattr(a.net, name), getattr(c.net, name))


def test_live_settings_change_the_optimiser_of_the_same_net(session: Session) -> None:
    session.run(epochs=2)
    session.run(updates=3)
    net, data, updates = session.net, session.data.X_train, session.updates
    weights = net.W0.copy()
    answer = session.configure({**session.settings, "lr": 0.05, "batch": 4, "wd": 0.001})
    assert answer["fresh"] is False and answer["changed"] == ["lr", "batch", "wd"]
    assert answer["epoch"] == 2 and answer["updates"] == updates and answer["at"] == pytest.approx(2 + 3 / 96)
    assert answer["settings"]["lr"] == 0.05 and session.settings["batch"] == 4
    assert session.net is net and session.data.X_train is data and session.epoch == 2
    np.testing.assert_array_equal(net.W0, weights)
    session.run(updates=1)
    assert session.position == 3 + 4  # the new batch size, in the same epoch's order


def test_after_a_live_change_the_net_trains_as_one_set_up_with_it_there() -> None:
    a, b = Session(), Session()
    for s in (a, b):
        s.configure({"points": 60, "hidden": 6, "lr": 0.5, "seed": 4})
        s.run(epochs=1)
    a.configure({**a.settings, "lr": 0.01})
    a.run(epochs=1)
    pynn.train(b.net, b.data.X_train, b.data.y_train, lr=0.01, epochs=1, seed=[4, 1])
    np.testing.assert_array_equal(a.net.W0, b.net.W0)


@pytest.mark.parametrize(
    "change", [{"dataset": "moons", "classes": 2}, {"classes": 2}, {"points": 100}, {"noise": 0.2},
               {"split": 0.5}, {"hidden": 9}, {"seed": 8}],
)
def test_other_settings_make_a_new_net_at_epoch_zero(session: Session, change) -> None:
    session.run(epochs=2)
    net = session.net
    answer = session.configure({**session.settings, **change, "lr": 0.2})
    assert answer["fresh"] is True and answer["epoch"] == 0 and answer["updates"] == 0
    assert session.net is not net and session.epoch == 0 and session.settings["lr"] == 0.2


def test_the_same_settings_again_change_nothing(session: Session) -> None:
    session.run(epochs=1)
    net = session.net
    answer = session.configure(dict(session.settings))
    assert answer["fresh"] is False and answer["changed"] == [] and session.net is net and session.epoch == 1


def test_pure_sgd_learns_the_spiral() -> None:
    s = Session()
    s.configure({"dataset": "spiral", "classes": 3, "points": 300, "hidden": 32, "lr": 0.1, "batch": 1, "seed": 1})
    result = s.run(epochs=100)
    assert result["train_accuracy"][-1] >= 0.9
    assert result["train_mean_loss"][-1] < result["train_mean_loss"][0]


def test_reset_returns_to_the_seeded_net_at_epoch_zero(session: Session) -> None:
    first = session.net.W0.copy()
    session.run(epochs=2)
    snap = session.reset()
    assert snap["epoch"] == 0 and session.epoch == 0
    np.testing.assert_array_equal(session.net.W0, first)


def test_configure_changes_data_and_net(session: Session) -> None:
    snap = session.configure({"dataset": "blobs", "classes": 5, "points": 50, "hidden": 4})
    assert snap["classes"] == 5 and session.net.n_hidden == 4 and session.net.n_classes == 5
    assert snap["train_y"].shape[0] + snap["test_y"].shape[0] == 50


def test_same_settings_give_the_same_data_and_net() -> None:
    a, b = Session(), Session()
    sa, sb = a.configure({"seed": 11}), b.configure({"seed": 11})
    np.testing.assert_array_equal(sa["train_xy"], sb["train_xy"])
    np.testing.assert_array_equal(a.net.W0, b.net.W0)


def test_divergence_pauses_with_a_message_and_reset_recovers() -> None:
    s = Session()
    s.configure({"points": 60, "hidden": 8, "lr": 100, "wd": 0.5})  # each step scales W by 1 − 50
    result = s.run(epochs=20)
    assert result["diverged"] == f"the loss became infinite at epoch {result['epoch'] + 1}"
    assert result["epoch"] < 20 and result["train_mean_loss"].shape == (result["epoch"],)
    assert result["grid_class"].shape == (GRID * GRID,)
    again = s.run(seconds=0.01)
    assert again["epoch"] == result["epoch"] and again["diverged"] == result["diverged"]
    assert again["train_mean_loss"].shape == (0,) and again["updates"] == result["updates"]
    snap = s.reset()
    assert snap["diverged"] is None and snap["epoch"] == 0
    assert np.all(np.isfinite(s.net.W1))
    s.configure({"points": 60, "hidden": 8, "lr": 0.1})
    assert s.run(epochs=1)["diverged"] is None


def test_a_huge_learning_rate_that_freezes_the_net_at_a_huge_loss_counts_as_divergence() -> None:
    """lr = 100 kills every ReLU: the loss stays finite but far above a uniform guess's ln C, and
    training stops once SUSTAINED evaluations in a row (here whole epochs) were above it."""
    s = Session()
    s.configure({"lr": 100})
    result = s.run(epochs=20)
    assert result["diverged"] == f"the mean loss stayed above 11 for {SUSTAINED} epochs"
    assert result["epoch"] == SUSTAINED
    assert np.all(result["train_mean_loss"] > DIVERGENCE_FACTOR * np.log(3))
    assert np.all(np.isfinite(result["train_mean_loss"]))


def test_a_stretch_measured_inside_an_epoch_is_told_in_updates() -> None:
    s = Session()
    s.configure({"lr": 100})
    results = [s.run(updates=1) for _ in range(SUSTAINED)]
    assert [r["diverged"] for r in results[:-1]] == [None] * (SUSTAINED - 1)
    assert results[-1]["diverged"] == f"the mean loss stayed above 11 for {SUSTAINED} updates"


def test_one_spike_of_the_loss_is_drawn_and_training_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """One evaluation above DIVERGENCE_FACTOR · ln C (made on purpose: the rule is fed the real
    metrics with one mean loss of 20 > 10 · ln 3 at epoch 9) is drawn as a row, and training goes
    on to the end exactly as the same session does without the spike (a reference run here, so no
    trajectory of a particular CPU or numpy decides the outcome)."""
    import pynn.page.session as module

    settings = {"dataset": "spiral", "classes": 3, "points": 120, "hidden": 16, "lr": 0.3, "batch": 1, "seed": 1}
    reference, spiked = Session(), Session()
    reference.configure(settings)
    spiked.configure(settings)
    calm = reference.run(epochs=20)

    real, evaluations = module.measure, itertools.count(1)

    def one_spike(*args):
        metrics = real(*args)
        return {**metrics, "mean_loss": 20.0} if next(evaluations) == 9 else metrics

    monkeypatch.setattr(module, "measure", one_spike)
    result = spiked.run(epochs=20)
    loss = result["train_mean_loss"]
    assert 20.0 > DIVERGENCE_FACTOR * np.log(3)
    assert result["diverged"] is None and result["epoch"] == 20
    assert list(np.flatnonzero(loss > DIVERGENCE_FACTOR * np.log(3))) == [8] and result["at"][8] == 9
    np.testing.assert_array_equal(np.delete(loss, 8), np.delete(calm["train_mean_loss"], 8))
    np.testing.assert_array_equal(result["train_accuracy"], calm["train_accuracy"])
    np.testing.assert_array_equal(spiked.net.W0, reference.net.W0)


def test_a_stretch_above_the_threshold_ends_at_the_first_evaluation_below_it(session: Session) -> None:
    """Four evaluations above, one below, four above again: no stop (the count starts over)."""
    losses = iter([20.0] * (SUSTAINED - 1) + [0.5] + [20.0] * (SUSTAINED - 1) + [20.0])
    import pynn.page.session as module

    real = module.measure
    module.measure = lambda *args: {**real(*args), "mean_loss": next(losses)}
    try:
        verdicts = [session.run(updates=1)["diverged"] for _ in range(2 * SUSTAINED)]
    finally:
        module.measure = real
    assert verdicts[:-1] == [None] * (2 * SUSTAINED - 1)
    assert verdicts[-1] == f"the mean loss stayed above {DIVERGENCE_FACTOR * np.log(3):.3g} for {SUSTAINED} updates"


@pytest.mark.parametrize(
    ("dataset", "classes", "lr", "batch"),
    [("spiral", 3, 0.1, 1), ("spiral", 6, 0.3, 10), ("xor", 2, 0.3, 1), ("moons", 2, 1.0, 10), ("circles", 5, 0.1, 1)],
)
def test_healthy_training_is_never_called_diverged(dataset, classes, lr, batch) -> None:
    s = Session()
    s.configure({"dataset": dataset, "classes": classes, "lr": lr, "batch": batch, "points": 200})
    result = s.run(epochs=40)
    assert result["diverged"] is None and result["epoch"] == 40


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"dataset": "<script>"}, "dataset must be one of"),
        ({"dataset": "digits"}, "digits allows 10 to 10 classes"),
        ({"classes": 99}, "classes must be between 2 and 10"),
        ({"classes": 7}, "spiral allows 2 to 6 classes"),
        ({"dataset": "moons", "classes": 3}, "moons allows 2 to 2 classes"),
        ({"hidden": 0}, "hidden must be between 1 and 512"),
        ({"hidden": 100000}, "hidden must be between"),
        ({"hidden": 2.5}, "hidden must be a whole number"),
        ({"hidden": True}, "hidden must be a whole number"),
        ({"points": "300"}, "points must be a whole number"),
        ({"lr": -1}, "lr must be between"),
        ({"lr": float("nan")}, "lr must be a finite number"),
        ({"lr": float("inf")}, "lr must be a finite number"),
        ({"split": 1.0}, "split must be between"),
        ({"noise": -0.1}, "noise must be between"),
        ({"wd": 2}, "wd must be between"),
        ({"seed": -1}, "seed must be between"),
        ({"batch": 0}, "batch must be between"),
        ({"speed": 3}, "unknown setting 'speed'"),
    ],
)
def test_bad_settings_raise_a_clear_error_and_change_nothing(session: Session, settings, words) -> None:
    net, data = session.net, session.data.X_train
    with pytest.raises(ValueError, match=re.escape(words)):
        session.configure(settings)
    assert session.net is net and session.data.X_train is data


def test_validate_fills_defaults_and_accepts_whole_floats() -> None:
    clean = validate({"hidden": 8.0, "lr": 1})
    assert clean == {**defaults(), "hidden": 8, "lr": 1.0}
    assert isinstance(clean["hidden"], int) and isinstance(clean["lr"], float)
    assert validate({}) == defaults()


def test_run_needs_a_configured_session_and_one_budget(session: Session) -> None:
    with pytest.raises(ValueError, match="configure"):
        Session().run(epochs=1)
    with pytest.raises(ValueError, match="one of epochs, updates or seconds"):
        session.run()
    with pytest.raises(ValueError, match="one of epochs, updates or seconds"):
        session.run(epochs=1, seconds=1)
    with pytest.raises(ValueError, match="updates must be"):
        session.run(updates=0)
    with pytest.raises(ValueError, match="epochs must be"):
        session.run(epochs=0)
    with pytest.raises(ValueError, match="seconds must be"):
        session.run(seconds=-1)


def test_a_non_finite_loss_stops_as_diverged_and_keeps_the_weights_from_before_that_epoch() -> None:
    """lr·λ = 50: each step multiplies W by −49, which overflows within the first epoch of 96 steps."""
    s = Session()
    s.configure({"points": 120, "hidden": 8, "lr": 100, "wd": 0.5})
    before = {name: getattr(s.net, name).copy() for name in ("W0", "b0", "W1", "b1")}
    result = s.run(epochs=5)
    assert result["diverged"] == "the loss became infinite at epoch 1"
    assert result["epoch"] == 0 and result["updates"] == 0  # the diverged epoch is not counted nor reported
    assert result["train_mean_loss"].shape == (0,) and result["test_accuracy"].shape == (0,)
    for name, value in before.items():
        np.testing.assert_array_equal(getattr(s.net, name), value, err_msg=name)
    assert result["grid_class"].shape == (GRID * GRID,)


@pytest.mark.parametrize(("batch", "wd"), [(96, 0.0), (96, 0.2), (1000, 0.05)])
def test_batch_and_weight_decay_are_the_ones_the_page_trains_with(spec, batch, wd) -> None:
    """batch ≥ the 96 training points: one full-batch step per epoch, whatever the order, so the
    weights after two epochs are the spec's two steps θ − lr·(∂L/∂θ / 96 + λ·θ)."""
    s = Session()
    s.configure({"points": 120, "hidden": 8, "lr": 0.3, "batch": batch, "wd": wd, "seed": 5})
    expected = spec.params_of(s.net)
    result = s.run(epochs=2)
    assert result["updates"] == 2
    for _ in range(2):
        expected = spec.step(expected, s.data.X_train, s.data.y_train, lr=0.3, wd=wd)
    spec.assert_params(s.net, expected, rtol=1e-11)
    assert result["train_mean_loss"][-1] == pytest.approx(spec.loss(expected, s.data.X_train, s.data.y_train) / 96, rel=1e-11)


def test_pure_sgd_is_the_default_batch_and_differs_from_full_batch() -> None:
    a, b = Session(), Session()
    a.configure({"points": 120, "hidden": 8, "lr": 0.3, "seed": 5})
    b.configure({"points": 120, "hidden": 8, "lr": 0.3, "seed": 5, "batch": 96})
    assert a.settings["batch"] == 1
    assert a.run(epochs=1)["updates"] == 96 and b.run(epochs=1)["updates"] == 1
    assert not np.allclose(a.net.W0, b.net.W0)

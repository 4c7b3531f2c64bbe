"""train(): SGD and mini-batches, History, callbacks, divergence, validation and convergence."""
import warnings

import numpy as np
import pytest

import pynn
from pynn import DivergenceError, History, TwoLayerNet, train
from pynn.model import PARAMETERS


def blobs(N=60, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(N) % 3
    centres = np.array([[0, 2, -2], [2, -1, -1]], dtype=float)
    return centres[:, y] + 0.3 * rng.standard_normal((2, N)), y


def test_pure_sgd_takes_one_example_per_step(monkeypatch):
    X, y = blobs(N=30)
    net = TwoLayerNet(2, 8, 3, seed=0)
    steps = []
    backward = TwoLayerNet.backward_pass
    monkeypatch.setattr(
        TwoLayerNet, "backward_pass",
        lambda self, Xb, f, Yb, scale=1.0: (steps.append((Xb.shape[1], scale)), backward(self, Xb, f, Yb, scale))[1],
    )
    train(net, X, y, lr=0.1, epochs=2, seed=0)
    assert steps == [(1, 0.1)] * 60  # N steps per epoch, each one example with the full lr (lr / B, B = 1)


def test_minibatch_steps_and_batch_larger_than_n():
    X, y = blobs(N=30)
    steps = []
    net = TwoLayerNet(2, 8, 3, seed=0)
    original = net.backward_pass
    net.backward_pass = lambda Xb, f, Yb, scale=1.0: (steps.append(scale), original(Xb, f, Yb, scale))[1]
    train(net, X, y, lr=0.1, epochs=1, batch_size=8, seed=0)
    assert len(steps) == 4  # 8 + 8 + 8 + 6
    assert steps[:3] == [pytest.approx(0.1 / 8)] * 3 and steps[3] == pytest.approx(0.1 / 6)
    steps.clear()
    train(net, X, y, lr=0.1, epochs=1, batch_size=1000, seed=0)
    assert steps == [pytest.approx(0.1 / 30)]


def test_history_measures_the_whole_set_after_each_epoch():
    X, y = blobs()
    Xv, yv = blobs(seed=1)
    net = TwoLayerNet(2, 16, 3, seed=0)
    h = train(net, X, y, lr=0.05, epochs=5, X_val=Xv, y_val=yv, seed=0)
    assert isinstance(h, History) and h.epochs == 5
    for name in ("loss", "mean_loss", "accuracy", "val_loss", "val_mean_loss", "val_accuracy"):
        assert len(getattr(h, name)) == 5
    assert h.loss[-1] == pytest.approx(net.loss(X, y))
    assert h.mean_loss[-1] == pytest.approx(net.loss(X, y) / 60)
    assert h.val_accuracy[-1] == pytest.approx(net.accuracy(Xv, yv))
    assert h.loss[-1] < h.loss[0]


def test_without_validation_the_val_lists_stay_empty():
    h = train(TwoLayerNet(2, 4, 3, seed=0), *blobs(), lr=0.05, epochs=2, seed=0)
    assert h.val_loss == [] and h.val_accuracy == []


def test_reproducible_bit_for_bit():
    X, y = blobs()
    nets = [TwoLayerNet(2, 16, 3, seed=5) for _ in range(3)]
    for net, seed in zip(nets, (9, 9, 10)):
        train(net, X, y, lr=0.1, epochs=3, batch_size=4, seed=seed)
    for p in PARAMETERS:
        assert np.array_equal(getattr(nets[0], p), getattr(nets[1], p))
    assert not np.array_equal(nets[0].W0, nets[2].W0)


def test_callback_sees_each_epoch_and_can_stop():
    seen = []
    h = train(TwoLayerNet(2, 4, 3, seed=0), *blobs(), lr=0.05, epochs=10, seed=0,
              callback=lambda epoch, history: seen.append((epoch, history.epochs)) or epoch == 2)
    assert seen == [(0, 1), (1, 2), (2, 3)] and h.epochs == 3


def test_lr_decay_shrinks_each_epochs_step():
    steps = []
    net = TwoLayerNet(2, 4, 3, seed=0)
    original = net.backward_pass
    net.backward_pass = lambda Xb, f, Yb, scale=1.0: (steps.append(scale), original(Xb, f, Yb, scale))[1]
    train(net, *blobs(N=6), lr=1.0, epochs=3, batch_size=6, lr_decay=0.5, seed=0)
    assert steps == [1.0 / 6, 0.5 / 6, 0.25 / 6]


def with_biases(net):
    """``net`` with non-zero biases, so that a rule that decays or skips them shows."""
    net.b0 += np.linspace(-0.4, 0.4, net.n_hidden).reshape(-1, 1)
    net.b1 += np.linspace(0.3, -0.3, net.n_classes).reshape(-1, 1)
    return net


def test_full_batch_epochs_are_the_spec_steps_with_decay_and_lr_decay(spec):
    """batch_size = N makes one step per epoch, in any order: θ ← θ − lr·0.5^e·(∂L/∂θ / N + λ·θ)."""
    X, y = blobs(N=12)
    net = with_biases(TwoLayerNet(2, 6, 3, seed=1))
    expected = spec.params_of(net)
    h = train(net, X, y, lr=0.5, epochs=3, batch_size=12, weight_decay=0.2, lr_decay=0.5, seed=0)
    losses = []
    for epoch in range(3):
        expected = spec.step(expected, X, y, lr=0.5 * 0.5**epoch, wd=0.2)
        losses.append(spec.loss(expected, X, y))
    spec.assert_params(net, expected, rtol=1e-11)
    np.testing.assert_allclose(h.loss, losses, rtol=1e-11)
    np.testing.assert_allclose(h.mean_loss, np.array(losses) / 12, rtol=1e-11)


@pytest.mark.parametrize("batch_size", [1, 2, 4])
def test_each_epoch_visits_every_example_once_and_steps_as_the_spec_says(spec, monkeypatch, batch_size):
    X, y = blobs(N=10)
    net = with_biases(TwoLayerNet(2, 5, 3, seed=2))
    start = spec.params_of(net)
    batches = []
    step = TwoLayerNet.step

    def recording(self, Xb, Yb, lr, weight_decay):
        batches.append((Xb.copy(), Yb.argmax(axis=0)))
        return step(self, Xb, Yb, lr, weight_decay)

    monkeypatch.setattr(TwoLayerNet, "step", recording)
    train(net, X, y, lr=0.3, epochs=2, batch_size=batch_size, weight_decay=0.1, seed=4)
    per_epoch = -(-10 // batch_size)  # ⌈N / B⌉ steps, the last one short
    assert len(batches) == 2 * per_epoch
    orders = []
    for epoch in range(2):
        chunk = batches[epoch * per_epoch : (epoch + 1) * per_epoch]
        assert [Xb.shape[1] for Xb, _ in chunk] == [batch_size] * (10 // batch_size) + [10 % batch_size] * (10 % batch_size > 0)
        seen = np.hstack([Xb for Xb, _ in chunk])
        order = [int(np.flatnonzero((X == seen[:, [i]]).all(axis=0))[0]) for i in range(10)]
        assert sorted(order) == list(range(10))  # every example once
        np.testing.assert_array_equal(np.concatenate([yb for _, yb in chunk]), y[order])
        orders.append(order)
    assert orders[0] != orders[1]  # a fresh order each epoch
    expected = start
    for Xb, yb in batches:
        expected = spec.step(expected, Xb, yb, lr=0.3, wd=0.1)
    spec.assert_params(net, expected, rtol=1e-11)


def test_weight_decay_shrinks_the_weights():
    X, y = blobs()
    plain, decayed = TwoLayerNet(2, 32, 3, seed=0), TwoLayerNet(2, 32, 3, seed=0)
    train(plain, X, y, lr=0.05, epochs=20, seed=0)
    train(decayed, X, y, lr=0.05, epochs=20, weight_decay=0.05, seed=0)
    assert np.linalg.norm(decayed.W0) < np.linalg.norm(plain.W0)
    assert np.linalg.norm(decayed.W1) < np.linalg.norm(plain.W1)


def test_divergence_raises_and_keeps_the_weights_of_the_last_finite_epoch():
    """Full batch, lr·λ = 1e5: every epoch multiplies W by about −1e5, finite for some 30 epochs."""
    X, y = blobs()
    net = TwoLayerNet(2, 16, 3, seed=0)
    kept = []
    message = r"^training diverged in epoch \d+: the loss is not finite\. Lower the learning rate \(now 100000\)\.$"
    with warnings.catch_warnings(), pytest.raises(DivergenceError, match=message) as caught:
        warnings.simplefilter("error")  # numpy's overflow is expected and silenced, never a RuntimeWarning
        train(net, X, y, lr=1e5, epochs=100, batch_size=60, weight_decay=1.0, seed=0,
              callback=lambda epoch, history: kept.append({p: getattr(net, p).copy() for p in PARAMETERS}))
    assert 5 < len(kept) < 100
    assert f"epoch {len(kept) + 1}:" in str(caught.value)
    for p in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, p), kept[-1][p], err_msg=p)
    assert np.abs(net.W0).max() > 1e100  # grown for many epochs: neither zeros nor the start


def test_divergence_in_the_first_epoch_keeps_the_weights_it_started_with():
    X, y = blobs()
    net = TwoLayerNet(2, 16, 3, seed=0)
    train(net, X, y, lr=0.1, epochs=2, seed=0)
    trained = {p: getattr(net, p).copy() for p in PARAMETERS}
    with pytest.raises(DivergenceError, match="training diverged in epoch 1:"):
        train(net, X, y, lr=1e5, epochs=50, weight_decay=1e300, seed=0)  # lr·λ = inf
    for p in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, p), trained[p], err_msg=p)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0}, "lr must be greater than 0"),
        ({"lr": float("inf")}, "lr must be a finite"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"epochs": 1.5}, "epochs must be a whole number"),
        ({"batch_size": 0}, "batch_size must be at least 1"),
        ({"weight_decay": -0.1}, "weight_decay must be 0 or more"),
        ({"lr_decay": 0}, "lr_decay must be greater than 0"),
        ({"lr_decay": 1.5}, r"lr_decay must be in \(0, 1\]"),
        ({"X_val": np.zeros((2, 3))}, "both X_val and y_val"),
        ({"X_val": np.zeros((3, 3)), "y_val": [0, 1, 2]}, "X_val must have 2 rows"),
        ({"X_val": np.zeros((2, 3)), "y_val": [0, 1, 5]}, r"labels must be in 0\.\.2"),
    ],
)
def test_bad_arguments_raise_and_change_nothing(kwargs, message):
    net = TwoLayerNet(2, 4, 3, seed=0)
    W0 = net.W0.copy()
    with pytest.raises(ValueError, match=message):
        train(net, *blobs(), **({"lr": 0.1, "epochs": 2} | kwargs))
    assert np.array_equal(net.W0, W0)


def test_spiral_three_classes_reaches_98_percent():
    X, y = pynn.datasets.spiral(n=300, classes=3, noise=0.2, seed=0)
    net = TwoLayerNet(2, 100, 3, seed=0)
    train(net, X, y, lr=1.0, epochs=600, batch_size=32, seed=0)  # reaches 0.997; 300 epochs only just 0.98
    assert net.accuracy(X, y) >= 0.98


def test_digits_held_out_reaches_96_percent():
    X, y = pynn.datasets.digits()
    X_train, X_test, y_train, y_test = pynn.datasets.train_test_split(X, y, test_fraction=0.25, seed=0)
    X_train, X_test = X_train / 16.0, X_test / 16.0
    net = TwoLayerNet(64, 100, 10, seed=0)
    train(net, X_train, y_train, lr=0.05, epochs=30, seed=0)  # pure SGD: 0.976 held out
    assert net.accuracy(X_test, y_test) >= 0.96


def test_validation_data_comes_whole_and_its_errors_name_it():
    X, y = blobs()
    net = TwoLayerNet(2, 4, 3, seed=0)
    with pytest.raises(ValueError, match=r"^give both X_val and y_val, or neither$"):
        train(net, X, y, epochs=1, lr=0.1, X_val=X)
    with pytest.raises(ValueError, match=r"^y_val has 59 labels for 60 examples \(columns\); give one label per example$"):
        train(net, X, y, epochs=1, lr=0.1, X_val=X, y_val=y[:-1])
    with pytest.raises(ValueError, match=r"^X_val "):
        train(net, X, y, epochs=1, lr=0.1, X_val=X[:1], y_val=y)

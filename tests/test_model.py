"""TwoLayerNet against the literal formulas of docs/model.md, its validation and persistence."""
import json

import numpy as np
import pytest

from pynn import TwoLayerNet
from pynn.model import PARAMETERS, log_softmax, softmax


def make_data(D=3, N=7, C=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((D, N)), rng.integers(0, C, N)


def test_shapes_and_initialisation():
    net = TwoLayerNet(5, 7, 3, seed=1)
    assert net.W0.shape == (7, 5) and net.b0.shape == (7, 1)
    assert net.W1.shape == (3, 7) and net.b1.shape == (3, 1)
    assert all(getattr(net, p).dtype == np.float64 for p in PARAMETERS)
    assert not net.b0.any() and not net.b1.any()
    big = TwoLayerNet(400, 500, 3, seed=0)  # He scale √(2/D) for W0, √(1/H) for W1
    assert big.W0.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert big.W1.std() == pytest.approx(np.sqrt(1 / 500), rel=0.1)


def test_same_seed_same_weights_bit_for_bit_and_other_seed_differs():
    a, b, c = TwoLayerNet(2, 8, 3, seed=42), TwoLayerNet(2, 8, 3, seed=42), TwoLayerNet(2, 8, 3, seed=43)
    for p in PARAMETERS:
        assert np.array_equal(getattr(a, p), getattr(b, p))
    assert not np.array_equal(a.W0, c.W0)


def test_forward_matches_the_spec_column_by_column():
    net = TwoLayerNet(3, 5, 4, seed=0)
    net.b0[:] = np.arange(5).reshape(5, 1) * 0.1 - 0.2
    net.b1[:] = np.arange(4).reshape(4, 1) * -0.3
    X, _ = make_data()
    f = net.forward(X)
    for i in range(X.shape[1]):
        x = X[:, [i]]
        s0 = net.W0 @ x + net.b0
        h0 = np.where(s0 > 0, s0, 0.0)
        s1 = net.W1 @ h0 + net.b1
        h1 = np.exp(s1) / np.exp(s1).sum()
        for name, value in zip(("s0", "h0", "s1", "h1"), (s0, h0, s1, h1)):
            np.testing.assert_allclose(getattr(f, name)[:, [i]], value, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(f.h1.sum(axis=0), 1.0)


def test_loss_is_the_summed_nll():
    net = TwoLayerNet(3, 5, 4, seed=0)
    X, y = make_data()
    h1 = net.predict_proba(X)
    assert net.loss(X, y) == pytest.approx(-sum(np.log(h1[y[i], i]) for i in range(len(y))), rel=1e-12)


@pytest.mark.parametrize("scale", [1e4, -1e4, 1e300])
def test_softmax_and_loss_stay_finite_for_huge_scores(scale):
    s = np.array([[scale], [0.0], [-scale]])
    p = softmax(s)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0)
    assert np.all(np.isfinite(log_softmax(s)))
    net = TwoLayerNet(1, 1, 3, seed=0)
    net.W0[:] = 1.0
    net.W1[:] = np.array([[1.0], [0.0], [-1.0]]) * scale / 1e4
    X, y = np.full((1, 3), 1e4), np.array([0, 1, 2])
    loss = net.loss(X, y)
    assert np.isfinite(loss) and loss > 0


def test_predict_and_accuracy():
    net = TwoLayerNet(3, 5, 4, seed=0)
    X, y = make_data(N=50)
    pred = net.predict(X)
    assert pred.shape == (50,) and np.array_equal(pred, net.predict_proba(X).argmax(axis=0))
    assert net.accuracy(X, pred) == 1.0
    assert net.accuracy(X, y) == pytest.approx(np.mean(pred == y))


def test_sgd_step_moves_along_the_mean_gradient_and_lowers_the_loss():
    net = TwoLayerNet(3, 5, 4, seed=0)
    X, y = make_data(N=10)
    before = {p: getattr(net, p).copy() for p in PARAMETERS}
    loss0, grads = net.gradients(X, y)
    assert net.sgd_step(X, y, lr=0.01) == pytest.approx(loss0)
    for p in PARAMETERS:
        np.testing.assert_allclose(getattr(net, p), before[p] - 0.01 * grads[p] / 10, rtol=1e-12, atol=1e-15)
    assert net.loss(X, y) < loss0


def test_weight_decay_applies_to_weights_only():
    net = TwoLayerNet(3, 5, 4, seed=0)
    X, y = make_data(N=10)
    before = {p: getattr(net, p).copy() for p in PARAMETERS}
    _, grads = net.gradients(X, y)
    net.sgd_step(X, y, lr=0.1, weight_decay=0.5)
    for p in PARAMETERS:
        decay = 0.5 * before[p] if p.startswith("W") else 0.0
        np.testing.assert_allclose(getattr(net, p), before[p] - 0.1 * (grads[p] / 10 + decay), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, 5, 3), "n_inputs must be at least 1"),
        ((2, 0, 3), "n_hidden must be at least 1"),
        ((2, 5, 1), "n_classes must be at least 2"),
        ((2.5, 5, 3), "n_inputs must be a whole number"),
        ((2, "5", 3), "n_hidden must be a whole number"),
        ((2, True, 3), "n_hidden must be a whole number"),
    ],
)
def test_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        TwoLayerNet(*args)


@pytest.mark.parametrize(
    "X, y, message",
    [
        (np.zeros(3), [0], "2-D array"),
        (np.zeros((1, 3, 1)), [0], "2-D array"),
        (np.zeros((2, 4)), [0, 0, 0, 0], "must have 3 rows"),
        (np.zeros((4, 3)), [0, 0, 0, 0], "did you mean to pass X.T"),
        (np.zeros((3, 0)), [], "no examples"),
        (np.array([[np.nan], [0], [0]]), [0], "NaN or infinite"),
        (np.array([[np.inf], [0], [0]]), [0], "NaN or infinite"),
        ([["a"], ["b"], ["c"]], [0], "array of numbers"),
        (np.zeros((3, 2)), [0, 4], r"labels must be in 0\.\.3"),
        (np.zeros((3, 2)), [0, -1], r"labels must be in 0\.\.3"),
        (np.zeros((3, 2)), [0.5, 1], "whole-number"),
        (np.zeros((3, 2)), ["a", "b"], "integer class labels"),
        (np.zeros((3, 2)), [0, 1, 2], "3 labels for 2 examples"),
        (np.zeros((3, 2)), [[0, 1]], "1-D array"),
    ],
)
def test_bad_data_raises_and_changes_nothing(X, y, message):
    net = TwoLayerNet(3, 4, 4, seed=0)
    before = {p: getattr(net, p).copy() for p in PARAMETERS}
    for call in (lambda: net.loss(X, y), lambda: net.gradients(X, y), lambda: net.sgd_step(X, y, 0.1), lambda: net.accuracy(X, y)):
        with pytest.raises(ValueError, match=message):
            call()
    for p in PARAMETERS:
        assert np.array_equal(getattr(net, p), before[p])


@pytest.mark.parametrize("kwargs, message", [({"lr": 0}, "lr must be greater than 0"), ({"lr": -1}, "lr must be greater than 0"),
                                             ({"lr": float("nan")}, "lr must be a finite"), ({"lr": 0.1, "weight_decay": -1}, "weight_decay must be 0 or more")])
def test_bad_step_hyperparameters(kwargs, message):
    net = TwoLayerNet(3, 4, 4, seed=0)
    W0 = net.W0.copy()
    with pytest.raises(ValueError, match=message):
        net.sgd_step(*make_data(), **kwargs)
    assert np.array_equal(net.W0, W0)


def test_float_labels_with_whole_values_are_accepted():
    net = TwoLayerNet(3, 4, 4, seed=0)
    X, y = make_data()
    assert net.loss(X, y.astype(float)) == net.loss(X, y)


def test_save_load_round_trip(tmp_path):
    net = TwoLayerNet(3, 6, 4, seed=3)
    net.b0 += 0.5
    net.save(tmp_path / "m.npz")
    again = TwoLayerNet.load(tmp_path / "m.npz")
    for p in PARAMETERS:
        assert np.array_equal(getattr(again, p), getattr(net, p))


def test_dict_round_trip_through_json():
    net = TwoLayerNet(3, 6, 4, seed=3)
    data = json.loads(json.dumps(net.to_dict()))
    assert (data["n_inputs"], data["n_hidden"], data["n_classes"]) == (3, 6, 4)
    again = TwoLayerNet.from_dict(data)
    for p in PARAMETERS:
        assert np.array_equal(getattr(again, p), getattr(net, p))


def _broken(change):
    data = TwoLayerNet(2, 3, 2, seed=0).to_dict()
    change(data)
    return data


@pytest.mark.parametrize(
    "data, message",
    [
        ([1, 2], "not a pynn model"),
        ({"W0": [[1]]}, "not a pynn model"),
        (_broken(lambda d: d.pop("b1")), "b1 is missing"),
        (_broken(lambda d: d.update(W0=[[1, 2]])), "b0 has shape"),
        (_broken(lambda d: d.update(b1=[[0], [0], [0]])), "b1 has shape"),
        (_broken(lambda d: d.update(W1="abc")), "W1 is not an array of numbers|W1 must be 2-D"),
        (_broken(lambda d: d.update(W1=[[1, "x", 2], [1, 2, 3]])), "W1 is not an array of numbers"),
        (_broken(lambda d: d.update(W1=[[1, 2], [1, 2, 3]])), "W1 is not an array of numbers"),
        (_broken(lambda d: d["W0"][0].__setitem__(0, float("nan"))), "NaN or infinite"),
        (_broken(lambda d: d.update(n_hidden=4)), "n_hidden is 4 but the weights say 3"),
        (_broken(lambda d: d.update(b0=[])), "b0 must be 2-D"),
    ],
)
def test_malformed_dicts(data, message):
    with pytest.raises(ValueError, match=message):
        TwoLayerNet.from_dict(data)


def test_malformed_files(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="cannot read a pynn model"):
        TwoLayerNet.load(tmp_path / "junk.npz")
    with pytest.raises(ValueError, match="cannot read a pynn model"):
        TwoLayerNet.load(tmp_path / "missing.npz")
    np.savez(tmp_path / "partial.npz", W0=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="b0 is missing"):
        TwoLayerNet.load(tmp_path / "partial.npz")
    np.savez(tmp_path / "pickled.npz", W0=np.array([object()]), b0=np.zeros((3, 1)), W1=np.zeros((2, 3)), b1=np.zeros((2, 1)))
    with pytest.raises(ValueError, match="cannot read a pynn model|not an array of numbers"):
        TwoLayerNet.load(tmp_path / "pickled.npz")

"""TwoLayerNet against the literal formulas of docs/model.md, its validation and persistence."""
import json
import re
import warnings

import numpy as np
import pytest

from pynn import DivergenceError, TwoLayerNet
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


def test_loss_is_the_summed_nll(spec):
    net = TwoLayerNet(3, 5, 4, seed=0)
    net.b0 += 0.1
    net.b1 -= np.array([[0.2], [0.0], [0.3], [-0.1]])
    X, y = make_data()
    assert net.loss(X, y) == pytest.approx(spec.loss(spec.params_of(net), X, y), rel=1e-12)


def test_loss_of_a_uniform_guess_is_n_ln_c():
    net = TwoLayerNet(3, 5, 4, seed=0)
    net.W1[:] = 0.0  # s1 = b1 = 0 for every example: h1 = 1/C
    X, y = make_data(N=7)
    assert net.loss(X, y) == pytest.approx(7 * np.log(4), rel=1e-12)


@pytest.mark.parametrize("N", [1, 2, 6])
def test_gradients_are_the_spec_formulas_summed_over_examples(spec, N):
    net = TwoLayerNet(3, 5, 4, seed=2)
    net.b0 += np.linspace(-0.3, 0.3, 5).reshape(5, 1)
    net.b1 += np.linspace(0.2, -0.4, 4).reshape(4, 1)
    X, y = make_data(N=N, seed=4)
    loss, grads = net.gradients(X, y)
    assert loss == pytest.approx(spec.loss(spec.params_of(net), X, y), rel=1e-12)
    expected = spec.gradients(spec.params_of(net), X, y)
    for p in PARAMETERS:
        assert grads[p].shape == getattr(net, p).shape
        np.testing.assert_allclose(grads[p], expected[p], rtol=1e-12, atol=1e-14, err_msg=p)


def test_softmax_and_log_softmax_work_column_by_column_at_any_scale():
    """Each column is shifted by its own max: a shared max would underflow the second column to 0/0."""
    s = np.array([[1000.0, -1000.0, 0.0], [999.0, -1001.0, np.log(3.0)]])
    p = np.exp(-1.0) / (1 + np.exp(-1.0))  # softmax([a, a − 1]) = [1 − p, p]
    np.testing.assert_allclose(softmax(s), [[1 - p, 1 - p, 0.25], [p, p, 0.75]], rtol=1e-12)
    np.testing.assert_allclose(log_softmax(s), np.log([[1 - p, 1 - p, 0.25], [p, p, 0.75]]), rtol=1e-12)


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


def biased_net(seed=0):
    """A 3-5-4 net whose biases are not zero, so that a rule that treats them wrongly shows."""
    net = TwoLayerNet(3, 5, 4, seed=seed)
    net.b0 += np.linspace(-0.5, 0.5, 5).reshape(5, 1)
    net.b1 += np.array([[0.3], [-0.2], [0.1], [0.4]])
    return net


@pytest.mark.parametrize(("N", "lr"), [(1, 0.01), (2, 0.01), (10, 0.01), (1, 2.0), (2, 4.0)])
def test_sgd_step_is_the_spec_update(spec, N, lr):
    net = biased_net()
    X, y = make_data(N=N)
    before = spec.params_of(net)
    loss0 = spec.loss(before, X, y)
    assert net.sgd_step(X, y, lr=lr) == pytest.approx(loss0, rel=1e-12)  # the loss before the step
    spec.assert_params(net, spec.step(before, X, y, lr=lr))
    if lr < 1:
        assert net.loss(X, y) < loss0


@pytest.mark.parametrize("N", [1, 10])
def test_weight_decay_is_lr_times_lambda_on_the_weights_only(spec, N):
    net = biased_net()
    X, y = make_data(N=N)
    before = spec.params_of(net)
    net.sgd_step(X, y, lr=0.1, weight_decay=0.5)
    expected = spec.step(before, X, y, lr=0.1, wd=0.5)
    spec.assert_params(net, expected)
    # The decay's share of the step, by itself: lr·λ·W on the weights, nothing on the biases.
    plain = spec.step(before, X, y, lr=0.1)
    for p in PARAMETERS:
        shrink = 0.1 * 0.5 * before[p] if p.startswith("W") else np.zeros_like(before[p])
        np.testing.assert_allclose(plain[p] - getattr(net, p), shrink, rtol=1e-9, atol=1e-14, err_msg=p)


def test_a_step_to_non_finite_weights_raises_and_keeps_the_weights_exactly(spec):
    net = biased_net()
    X, y = make_data(N=4)
    before = spec.params_of(net)
    with pytest.raises(DivergenceError, match=r"^this step would make the weights infinite or NaN: lower the learning rate \(now 1e\+300\)$"):
        net.sgd_step(X, y, lr=1e300, weight_decay=1e10)  # W·(1 − lr·λ) = W·(−inf)
    for p in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, p), before[p], err_msg=p)
    # The net goes on from those weights: the next step is the spec's step from them.
    net.sgd_step(X, y, lr=0.01)
    spec.assert_params(net, spec.step(before, X, y, lr=0.01))


def test_a_step_whose_weights_turn_nan_keeps_no_nan():
    net = biased_net()
    X, y = make_data(N=4)
    before = {p: getattr(net, p).copy() for p in PARAMETERS}
    net.W1[0, 0] = 1e308  # finite scores, but the step's W1ᵀ·G1 overflows: ±inf − inf = NaN in W0
    net.W1[1, 0] = -1e308
    before["W1"] = net.W1.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DivergenceError, match="^this step would make the weights infinite or NaN"):
            net.sgd_step(X, y, lr=1e300)
    for p in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, p), before[p], err_msg=p)


OVERFLOW = ("the scores s1 overflow float64: X is too large for this net; "
            "scale the inputs first (e.g. pynn.datasets.standardize)")


def test_the_overflow_guard_refuses_scores_beyond_float64_and_changes_nothing():
    net = biased_net()
    net.W0[:] = 1.0
    X = np.full((3, 2), 1e308)  # finite inputs whose scores overflow: s0 = 3e308 = inf
    y = np.array([0, 1])
    before = {p: getattr(net, p).copy() for p in PARAMETERS}
    for call in (lambda: net.sgd_step(X, y, lr=0.1), lambda: net.forward(X), lambda: net.loss(X, y),
                 lambda: net.gradients(X, y), lambda: net.accuracy(X, y), lambda: net.predict(X)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no RuntimeWarning on the way: numpy's overflow is expected
            with pytest.raises(ValueError, match=f"^{re.escape(OVERFLOW)}$"):
                call()
    for p in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, p), before[p], err_msg=p)


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
    assert (data["format"], data["version"]) == ("pynn.TwoLayerNet", 1)
    assert sorted(data) == sorted(["format", "version", "n_inputs", "n_hidden", "n_classes", *PARAMETERS])
    again = TwoLayerNet.from_dict(data)
    for p in PARAMETERS:
        assert np.array_equal(getattr(again, p), getattr(net, p))


def _broken(change):
    data = TwoLayerNet(2, 3, 2, seed=0).to_dict()
    change(data)
    return data


M = "malformed pynn model: "


@pytest.mark.parametrize(
    "data, message",
    [
        ([1, 2], "not a pynn model: expected a dict with format 'pynn.TwoLayerNet'"),
        ({"W0": [[1]]}, "not a pynn model: expected a dict with format 'pynn.TwoLayerNet'"),
        (_broken(lambda d: d.pop("b1")), M + "b1 is missing"),
        (_broken(lambda d: d.update(W0=[[1, 2]])), M + "b0 has shape (3, 1), expected (1, 1) for D=2, H=1, C=2"),
        (_broken(lambda d: d.update(b1=[[0], [0], [0]])), M + "b1 has shape (3, 1), expected (2, 1) for D=2, H=3, C=2"),
        (_broken(lambda d: d.update(W1=[[0, 0, 0]], b1=[[0]], n_classes=1)), M + "needs D ≥ 1, H ≥ 1 and C ≥ 2, got D=2, H=3, C=1"),
        (_broken(lambda d: d.update(W0=[[], [], []], n_inputs=0)), M + "needs D ≥ 1, H ≥ 1 and C ≥ 2, got D=0, H=3, C=2"),
        (_broken(lambda d: d.update(W1="abc")), M + "W1 is not an array of numbers"),
        (_broken(lambda d: d.update(W1=7)), M + "W1 must be 2-D, got shape ()"),
        (_broken(lambda d: d.update(W1=[[1, "x", 2], [1, 2, 3]])), M + "W1 is not an array of numbers"),
        (_broken(lambda d: d.update(W1=[[1, 2], [1, 2, 3]])), M + "W1 is not an array of numbers"),
        (_broken(lambda d: d["W0"][0].__setitem__(0, float("nan"))), M + "W0 contains NaN or infinite values"),
        (_broken(lambda d: d["b1"][1].__setitem__(0, float("inf"))), M + "b1 contains NaN or infinite values"),
        (_broken(lambda d: d.update(n_inputs=3)), M + "n_inputs is 3 but the weights say 2"),
        (_broken(lambda d: d.update(n_hidden=4)), M + "n_hidden is 4 but the weights say 3"),
        (_broken(lambda d: d.update(n_classes="2")), M + "n_classes is '2' but the weights say 2"),
        (_broken(lambda d: d.update(b0=[])), M + "b0 must be 2-D, got shape (0,)"),
    ],
)
def test_malformed_dicts(data, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        TwoLayerNet.from_dict(data)


def test_from_dict_takes_whole_numbers_as_float64_and_the_smallest_net():
    data = {"format": "pynn.TwoLayerNet", "W0": [[1]], "b0": [[0]], "W1": [[2], [-1]], "b1": [[0], [1]]}
    net = TwoLayerNet.from_dict(data)
    assert (net.n_inputs, net.n_hidden, net.n_classes) == (1, 1, 2)
    for p in PARAMETERS:
        assert getattr(net, p).dtype == np.float64
    np.testing.assert_array_equal(net.W1, [[2.0], [-1.0]])
    np.testing.assert_array_equal(net.b1, [[0.0], [1.0]])


def test_malformed_files(tmp_path):
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match=f"^cannot read a pynn model from {re.escape(repr(str(tmp_path / 'junk.npz')))}: "):
        TwoLayerNet.load(tmp_path / "junk.npz")
    with pytest.raises(ValueError, match="^cannot read a pynn model from .*missing.npz'"):
        TwoLayerNet.load(tmp_path / "missing.npz")
    np.savez(tmp_path / "partial.npz", W0=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="^malformed pynn model: b0 is missing$"):
        TwoLayerNet.load(tmp_path / "partial.npz")
    np.savez(tmp_path / "pickled.npz", W0=np.array([object()]), b0=np.zeros((3, 1)), W1=np.zeros((2, 3)), b1=np.zeros((2, 1)))
    with pytest.raises(ValueError, match="cannot read a pynn model|not an array of numbers"):
        TwoLayerNet.load(tmp_path / "pickled.npz")

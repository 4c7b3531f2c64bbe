"""The hand-derived gradients agree with central finite differences (docs/model.md: below 1e-6)."""
import numpy as np
import pytest

from pynn import TwoLayerNet, gradcheck
from pynn.gradcheck import numerical_gradients, relative_error


@pytest.mark.parametrize("D, H, C, N", [(2, 1, 2, 5), (1, 3, 2, 1), (3, 5, 4, 10), (5, 20, 3, 30), (64, 16, 10, 20), (2, 100, 6, 40)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_finite_differences(D, H, C, N, seed):
    rng = np.random.default_rng(seed)
    net = TwoLayerNet(D, H, C, seed=seed)
    net.b0 += rng.standard_normal(net.b0.shape) * 0.1
    net.b1 += rng.standard_normal(net.b1.shape) * 0.1
    X, y = rng.standard_normal((D, N)), rng.integers(0, C, N)
    errors = gradcheck(net, X, y)
    assert set(errors) == {"W0", "b0", "W1", "b1"}
    assert max(errors.values()) < 1e-6, errors


def test_gradcheck_catches_a_wrong_gradient(monkeypatch):
    net = TwoLayerNet(3, 4, 3, seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((3, 8)), rng.integers(0, 3, 8)
    backward = TwoLayerNet.backward_pass

    def forgets_the_relu_mask(self, X, f, Yoh):
        grads = backward(self, X, f, Yoh)
        G0 = self.W1.T @ (f.h1 - Yoh)  # the classic bug: no ⊙ [s0 > 0]
        grads["W0"], grads["b0"] = G0 @ X.T, G0.sum(axis=1, keepdims=True)
        return grads

    monkeypatch.setattr(TwoLayerNet, "backward_pass", forgets_the_relu_mask)
    errors = gradcheck(net, X, y)
    assert errors["W0"] > 1e-3 and errors["W1"] < 1e-6


def test_numerical_gradients_leave_the_net_unchanged():
    net = TwoLayerNet(2, 3, 2, seed=0)
    W0 = net.W0.copy()
    numerical_gradients(net, np.ones((2, 3)), np.array([0, 1, 1]))
    assert np.array_equal(net.W0, W0)


def test_numerical_gradients_by_default_agree_with_the_spec_formulas(spec):
    net = TwoLayerNet(3, 4, 3, seed=1)
    net.b0 += 0.1
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((3, 5)), rng.integers(0, 3, 5)
    numeric = numerical_gradients(net, X, y)  # the default eps, 1e-6
    expected = spec.gradients(spec.params_of(net), X, y)
    for name in ("W0", "b0", "W1", "b1"):
        assert relative_error(numeric[name], expected[name]) < 1e-7, name


def test_gradcheck_uses_the_eps_it_is_given():
    net = TwoLayerNet(3, 4, 3, seed=1)
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((3, 5)), rng.integers(0, 3, 5)
    fine, coarse = gradcheck(net, X, y), gradcheck(net, X, y, eps=0.05)
    assert max(fine.values()) < 1e-8 < max(coarse.values())


def test_relative_error():
    assert relative_error(np.array([0.1, 0.0]), np.array([0.2, 0.0])) == pytest.approx(0.1 / 0.3, rel=1e-12)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0
    assert relative_error(np.array([1.0]), np.array([-1.0])) == pytest.approx(1.0)

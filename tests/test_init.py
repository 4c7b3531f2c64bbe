"""TwoLayerNet(init=…): the four initialisations, their statistics, and what init=zero does to training."""
from __future__ import annotations

import numpy as np
import pytest

from pynn import TwoLayerNet, datasets, train
from pynn.model import INITS, init_scales
from pynn.page import settings


def test_he_is_the_default_and_draws_todays_weights_bit_for_bit() -> None:
    D, H, C = 2, 7, 3
    rng = np.random.default_rng(5)
    W0 = rng.standard_normal((H, D)) * np.sqrt(2.0 / D)
    W1 = rng.standard_normal((C, H)) * np.sqrt(1.0 / H)
    for net in (TwoLayerNet(D, H, C, seed=5), TwoLayerNet(D, H, C, seed=5, init="he")):
        assert np.array_equal(net.W0, W0) and np.array_equal(net.W1, W1)
        assert not net.b0.any() and not net.b1.any()


@pytest.mark.parametrize("init", INITS)
def test_each_init_has_the_mean_and_spread_of_its_formula(init: str) -> None:
    D, H, C = 64, 400, 10  # 25,600 and 4,000 weights: sample statistics within a few per cent
    net = TwoLayerNet(D, H, C, seed=0, init=init)
    sigma0, sigma1 = init_scales(init, D, H)
    for W, sigma in ((net.W0, sigma0), (net.W1, sigma1)):
        if sigma == 0:
            assert np.array_equal(W, np.zeros_like(W)) and not np.signbit(W).any()  # +0.0, not −0.0
            continue
        assert abs(W.mean()) < 4 * sigma / np.sqrt(W.size)
        assert W.std() == pytest.approx(sigma, rel=0.05)
    assert not net.b0.any() and not net.b1.any()
    expected = {"he": (np.sqrt(2 / D), np.sqrt(1 / H)), "small": (0.01, 0.01), "zero": (0, 0), "large": (3, 3)}[init]
    assert (sigma0, sigma1) == pytest.approx(expected)


def test_the_same_seed_and_init_give_the_same_weights_and_inits_differ() -> None:
    nets = {init: TwoLayerNet(2, 5, 3, seed=1, init=init) for init in INITS}
    assert np.array_equal(nets["small"].W0, TwoLayerNet(2, 5, 3, seed=1, init="small").W0)
    # small and large are the same draws as each other, scaled: 0.01·z and 3·z
    assert np.allclose(nets["large"].W0 / 3, nets["small"].W0 / 0.01)
    assert not np.allclose(nets["he"].W0, nets["small"].W0)


@pytest.mark.parametrize("bad", ["He", "xavier", "", None, 3])
def test_an_unknown_init_is_refused_with_the_known_ones(bad: object) -> None:
    with pytest.raises(ValueError, match="known: he, small, zero, large"):
        TwoLayerNet(2, 5, 3, seed=0, init=bad)  # type: ignore[arg-type]


def test_the_page_offers_the_librarys_inits() -> None:
    assert settings.INITS == INITS
    assert settings.FIELDS["init"].choices == INITS and settings.FIELDS["init"].default == "he"


def _spiral() -> tuple[np.ndarray, np.ndarray]:
    return datasets.spiral(n=300, classes=3, seed=1)


def test_init_zero_keeps_every_hidden_unit_equal_and_the_accuracy_at_chance() -> None:
    X, y = _spiral()
    net = TwoLayerNet(2, 32, 3, seed=1, init="zero")
    history = train(net, X, y, lr=0.5, epochs=100, batch_size=10, seed=1)
    # A hidden unit is (W0[k], b0[k], W1[:, k]): all equal — all still exactly 0, as s0 = 0 lets no gradient through
    units = np.hstack([net.W0, net.b0, net.W1.T])
    assert np.array_equal(units, np.broadcast_to(units[0], units.shape))
    assert not units.any()
    assert net.b1.any()  # only the output bias learns: the class frequencies
    assert history.accuracy[-1] <= 0.5
    assert np.all(net.predict(X) == net.predict(X)[0])  # one class everywhere


def test_init_he_learns_the_spiral_where_zero_cannot() -> None:
    X, y = _spiral()
    accuracy = {}
    for init in ("he", "zero"):
        net = TwoLayerNet(2, 32, 3, seed=1, init=init)
        accuracy[init] = train(net, X, y, lr=0.5, epochs=100, batch_size=10, seed=1).accuracy[-1]
    assert accuracy["he"] >= 0.9
    assert accuracy["zero"] <= 0.5

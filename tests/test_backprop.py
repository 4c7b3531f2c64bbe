"""pynn.page.backprop, pynn.page.diagram and the Session methods of the backprop stepper and the
network diagram. Expected values are the spec's formulas written out here, never the module's."""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from pynn.model import PARAMETERS, TwoLayerNet
from pynn.page import backprop, diagram, inside
from pynn.page.session import Session

ROOT = Path(__file__).resolve().parents[1]
TOL = 1e-12
KEYS = ["x", "s0", "h0", "s1", "h1", "loss", "g1", "dW1", "W1g1", "mask", "g0", "dW0", "update"]


def by_hand(net: TwoLayerNet, x: np.ndarray, label: int) -> dict[str, np.ndarray]:
    """SPEC.md's forward pass and gradients for one column, in plain numpy."""
    x = x.reshape(-1, 1)
    y = np.zeros((net.n_classes, 1))
    y[label] = 1.0
    s0 = net.W0 @ x + net.b0
    h0 = np.where(s0 > 0, s0, 0.0)
    s1 = net.W1 @ h0 + net.b1
    e = np.exp(s1 - s1.max())
    h1 = e / e.sum()
    g1 = h1 - y
    back = net.W1.T @ g1
    mask = (s0 > 0) * 1.0
    g0 = back * mask
    return {
        "x": x, "y": y, "s0": s0, "h0": h0, "s1": s1, "h1": h1, "loss": -np.log(h1[label, 0]),
        "g1": g1, "dW1": g1 @ h0.T, "db1": g1, "W1g1": back, "mask": mask, "g0": g0,
        "dW0": g0 @ x.T, "db0": g0,
    }


@pytest.fixture
def net() -> TwoLayerNet:
    net = TwoLayerNet(3, 9, 4, seed=7)
    net.b0 += np.linspace(-0.3, 0.3, 9).reshape(9, 1)  # non-zero biases, so b's role shows
    net.b1 += np.linspace(-0.2, 0.2, 4).reshape(4, 1)
    return net


X_ONE = np.array([0.4, -1.1, 0.7])


def close(actual, expected) -> None:
    np.testing.assert_allclose(np.ravel(actual), np.ravel(expected), rtol=TOL, atol=TOL)


def test_every_stage_equals_the_spec_formulas(net: TwoLayerNet) -> None:
    walked = backprop.walk(net, X_ONE, 2, lr=0.1)
    expected = by_hand(net, X_ONE, 2)
    for name in ("x", "y", "s0", "h0", "s1", "h1", "g1", "dW1", "db1", "W1g1", "mask", "g0", "dW0", "db0"):
        close(walked[name], expected[name])
        assert walked[name].dtype == np.float64 and walked[name].ndim == 1, name
    assert walked["loss"] == pytest.approx(expected["loss"], rel=TOL, abs=TOL)
    assert 0 < walked["mask"].sum() < 9, "the example should have some units zeroed and some passed"
    close(walked["W0"], net.W0)
    close(walked["W1"], net.W1)
    assert (walked["label"], walked["D"], walked["H"], walked["C"]) == (2, 3, 9, 4)
    assert walked["predicted"] == int(np.argmax(expected["h1"]))


def test_the_parameter_gradients_are_pynns_own(net: TwoLayerNet) -> None:
    walked = backprop.walk(net, X_ONE, 1, lr=0.1)
    loss, grads = net.gradients(X_ONE.reshape(3, 1), np.array([1]))
    assert walked["loss"] == pytest.approx(loss, rel=TOL, abs=TOL)
    for name in PARAMETERS:
        close(walked["d" + name], grads[name])
    # and the intermediates lead to them: ∂W1 = g1·h0ᵀ, ∂W0 = g0·xᵀ
    close(np.outer(walked["g1"], walked["h0"]), grads["W1"])
    close(np.outer(walked["g0"], walked["x"]), grads["W0"])


def test_the_update_stage_is_one_sgd_step_and_walk_leaves_the_net_alone(net: TwoLayerNet) -> None:
    before = {name: getattr(net, name).copy() for name in PARAMETERS}
    lr, wd = 0.3, 0.01
    walked = backprop.walk(net, X_ONE, 0, lr=lr, weight_decay=wd)
    for name in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, name), before[name])
    grads = by_hand(net, X_ONE, 0)
    for name in PARAMETERS:
        decay = lr * wd * before[name] if name.startswith("W") else 0.0
        close(walked["step" + name], -lr * grads["d" + name] - decay)
    twin = TwoLayerNet.from_dict(net.to_dict())
    twin.sgd_step(X_ONE.reshape(3, 1), np.array([0]), lr, weight_decay=wd)
    assert walked["loss_next"] == twin.loss(X_ONE.reshape(3, 1), np.array([0]))
    assert walked["loss_next"] < walked["loss"] and walked["update_refused"] is None


def test_apply_makes_exactly_the_update_sgd_step_makes(net: TwoLayerNet) -> None:
    twin = TwoLayerNet.from_dict(net.to_dict())
    walked = backprop.walk(net, X_ONE, 3, lr=0.05, weight_decay=0.1)
    before, after = backprop.apply(net, X_ONE, 3, lr=0.05, weight_decay=0.1)
    expected_before = twin.sgd_step(X_ONE.reshape(3, 1), np.array([3]), 0.05, weight_decay=0.1)
    for name in PARAMETERS:
        np.testing.assert_array_equal(getattr(net, name), getattr(twin, name))
    assert before == expected_before == walked["loss"]
    assert after == walked["loss_next"] == twin.loss(X_ONE.reshape(3, 1), np.array([3]))
    assert after < before


def test_a_step_that_would_diverge_is_refused_but_the_stages_before_it_stay(net: TwoLayerNet) -> None:
    x = X_ONE * 100
    walked = backprop.walk(net, x, 1, lr=1e308)
    assert "lower the learning rate" in walked["update_refused"]
    assert math.isnan(walked["loss_next"])
    close(walked["g1"], by_hand(net, x, 1)["g1"])
    before = net.to_dict()
    with pytest.raises(ValueError, match="lower the learning rate"):
        backprop.apply(net, x, 1, lr=1e308)
    assert net.to_dict() == before


def test_the_stage_list_names_every_stage_in_order_with_its_shapes() -> None:
    stages = backprop.stage_list(2, 32, 3)
    assert [stage["key"] for stage in stages] == KEYS
    shapes = {(stage["key"], term["label"]): term["shape"] for stage in stages for term in stage["terms"]}
    assert shapes[("s0", "W0")] == "32×2" and shapes[("s1", "W1")] == "3×32"
    assert shapes[("dW1", "∂W1")] == "3×32" and shapes[("dW0", "∂W0")] == "32×2"
    assert shapes[("dW1", "h0ᵀ")] == "1×32" and shapes[("W1g1", "W1ᵀ")] == "32×3"
    assert stages[-1]["equation"] == "θ ← θ − lr·∂θ"
    assert "λ" in backprop.stage_list(2, 32, 3, weight_decay=0.01)[-1]["equation"]
    walked = backprop.walk(TwoLayerNet(2, 4, 3, seed=0), np.array([0.5, 0.5]), 0, lr=0.1)
    for stage in walked["stages"]:
        for term in stage["terms"]:
            assert term["value"] in walked, f"stage {stage['key']} shows {term['value']}, which walk does not give"


def test_nearest_finds_a_point_within_the_radius_only() -> None:
    X = np.array([[0.0, 1.0, 2.0], [0.0, 0.0, 0.0]])
    assert backprop.nearest(X, 0.9, 0.1, 0.2) == 1
    assert backprop.nearest(X, 0.5, 0.5, 0.2) is None
    assert backprop.nearest(np.zeros((2, 0)), 0.0, 0.0, 1.0) is None


# -- the network diagram ------------------------------------------------------------------------


def test_strongest_units_by_the_product_of_their_weight_norms() -> None:
    net = TwoLayerNet(2, 40, 3, seed=1)
    strength = np.sqrt((net.W0**2).sum(axis=1)) * np.sqrt((net.W1**2).sum(axis=0))
    expected = sorted(sorted(range(40), key=lambda k: -strength[k])[:16])
    assert diagram.strongest(net).tolist() == expected
    assert diagram.strongest(TwoLayerNet(2, 5, 3, seed=1)).tolist() == [0, 1, 2, 3, 4]


def test_diagram_gives_the_drawn_units_weights_values_and_pictures() -> None:
    net = TwoLayerNet(2, 30, 3, seed=2)
    x = np.array([0.3, -0.2])
    shown = diagram.diagram(net, x, extent=1.5)
    units = shown["units"]
    assert units.shape == (16,) and (shown["D"], shown["H"], shown["C"]) == (2, 30, 3)
    close(shown["W0"], net.W0[units])
    close(shown["W1"], net.W1[:, units])
    hand = by_hand(net, x, 0)
    close(shown["x"], x)
    close(shown["h0"], hand["h0"][units])
    close(shown["h1"], hand["h1"])
    size = shown["picture_size"]
    grid = inside.plane(1.5, size)
    expected = np.maximum(net.W0[units] @ grid + net.b0[units], 0)
    np.testing.assert_allclose(shown["pictures"].reshape(16, size * size), expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(shown["pictures_max"], expected.max(axis=1), rtol=1e-6)


def test_diagram_of_the_digits_has_no_plane_pictures_and_no_values_without_an_example() -> None:
    shown = diagram.diagram(TwoLayerNet(64, 100, 10, seed=0), None, None)
    assert "pictures" not in shown and shown["W0"].shape == (16 * 64,) and shown["W1"].shape == (10 * 16,)
    assert shown["x"].size == shown["h0"].size == shown["h1"].size == 0


# -- the Session's methods ------------------------------------------------------------------------

SETTINGS = {"dataset": "spiral", "classes": 3, "points": 100, "hidden": 12, "lr": 0.2, "batch": 8, "seed": 4}


@pytest.fixture
def session() -> Session:
    s = Session()
    s.configure(SETTINGS)
    return s


def test_pick_draws_training_examples_from_the_seeded_generator(session: Session) -> None:
    n = session.data.y_train.shape[0]
    draws = np.random.default_rng(SETTINGS["seed"])
    for _ in range(3):
        picked = session.backprop_pick()
        assert picked["index"] == int(draws.integers(n))
        close(picked["x"], session.data.X_train[:, picked["index"]])
        assert picked["label"] == session.data.y_train[picked["index"]]
    session.reset()
    assert session.backprop_pick()["index"] == int(np.random.default_rng(SETTINGS["seed"]).integers(n))


def test_the_session_walks_at_the_pages_learning_rate(session: Session) -> None:
    walked = session.backprop_example(5)
    hand = by_hand(session.net, session.data.X_train[:, 5], int(session.data.y_train[5]))
    close(walked["dW0"], hand["dW0"])
    close(walked["stepW1"], -SETTINGS["lr"] * hand["dW1"])
    assert walked["lr"] == SETTINGS["lr"] and walked["index"] == 5 and session.picked == 5


@pytest.mark.parametrize("index", [-1, 80, 2.5, True, "3"])
def test_a_bad_example_index_is_refused(session: Session, index) -> None:
    with pytest.raises(ValueError, match="index must be a whole number from 0 to 79"):
        session.backprop_example(index)


def test_backprop_at_picks_the_training_point_under_a_click(session: Session) -> None:
    x1, x2 = session.data.X_train[:, 9]
    assert session.backprop_at(float(x1) + 1e-4, float(x2), 0.01)["index"] == 9
    session.backprop_example(3)
    far = session.backprop_at(50.0, 50.0, 0.01)
    assert far == {"index": None} and session.picked == 3
    with pytest.raises(ValueError, match="x1 must be a finite number"):
        session.backprop_at(float("nan"), 0.0, 0.1)


def test_apply_makes_one_counted_update_on_the_picked_example(session: Session) -> None:
    with pytest.raises(ValueError, match="pick a training example first"):
        session.backprop_apply()
    walked = session.backprop_example(7)
    twin = TwoLayerNet.from_dict(session.net.to_dict())
    applied = session.backprop_apply()
    X, y = session.data.X_train[:, 7:8], session.data.y_train[7:8]
    assert applied["loss_before"] == twin.sgd_step(X, y, SETTINGS["lr"]) == walked["loss"]
    for name in PARAMETERS:
        np.testing.assert_array_equal(getattr(session.net, name), getattr(twin, name))
    assert applied["loss_after"] == twin.loss(X, y) < applied["loss_before"]
    assert applied["loss"] == applied["loss_after"], "the stages after apply are those of the updated net"
    assert applied["updates"] == 1 and applied["epoch"] == 0
    assert applied["grid_size"] == 100 and applied["settings"]["lr"] == SETTINGS["lr"]
    np.testing.assert_allclose(applied["train_mean_loss"], [twin.loss(session.data.X_train, session.data.y_train) / 80])


def test_the_update_counter_counts_every_sgd_step(session: Session) -> None:
    n, batch = session.data.y_train.shape[0], SETTINGS["batch"]
    assert session.snapshot()["updates"] == 0
    assert session.run(epochs=2)["updates"] == 2 * math.ceil(n / batch)
    session.backprop_pick()
    assert session.backprop_apply()["updates"] == 2 * math.ceil(n / batch) + 1
    assert session.reset()["updates"] == 0


def test_network_shows_values_at_the_picked_example(session: Session) -> None:
    assert session.network()["x"].size == 0 and session.network()["index"] is None
    session.backprop_example(2)
    shown = session.network()
    close(shown["x"], session.data.X_train[:, 2])
    close(shown["h1"], by_hand(session.net, session.data.X_train[:, 2], 0)["h1"])
    assert shown["index"] == 2 and shown["units"].tolist() == list(range(12))


def test_the_digits_walk_and_cannot_be_clicked() -> None:
    s = Session()
    s.configure({"dataset": "digits", "classes": 10, "hidden": 20, "seed": 1})
    walked = s.backprop_pick()
    assert walked["dW0"].shape == (20 * 64,) and walked["D"] == 64
    with pytest.raises(ValueError, match="2-D data"):
        s.backprop_at(0.0, 0.0, 0.1)
    assert "pictures" not in s.network()


def test_a_data_edit_drops_the_pick() -> None:
    s = Session()
    s.configure(SETTINGS)
    s.backprop_example(4)
    s.clear_points()
    assert s.picked is None
    with pytest.raises(ValueError, match="training points"):
        s.backprop_pick()


def test_the_worker_may_call_every_stepper_and_diagram_method() -> None:
    from pynn.page.calls import PAGE

    for method in ("backprop_pick", "backprop_example", "backprop_at", "backprop_apply", "network"):
        assert PAGE.get(method) is getattr(Session, method), f"pynn.page.calls.PAGE does not list {method}"


def test_every_stage_is_typeset_with_its_text_beside_and_names_the_derivations_steps():
    from pynn.page import derive

    stages = backprop.stage_list(2, 32, 3)
    assert [stage["key"] for stage in stages] == [key for key, *_ in backprop.STAGES]
    assert all(stage["tex"].strip() and "\\" not in stage["equation"] for stage in stages)
    named = [step for stage in stages for step in stage["derive"]]
    # the backward stages, in order, work out every one-example step after ∂L/∂h1
    assert list(dict.fromkeys(named)) == [step for step in derive.ORDER if step not in ("h1", "batch")]
    assert "lambda" in backprop.stage_list(2, 32, 3, weight_decay=0.01)[-1]["tex"]

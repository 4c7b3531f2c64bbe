"""pynn.page.inside and the Session methods the page's classroom panels call (issue 4 items 1, 2, 3, 7)."""
from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np
import pytest

from pynn import model
from pynn.page import inside
from pynn.page.calls import call
from pynn.model import PARAMETERS, TwoLayerNet
from pynn.page.session import Session


@pytest.fixture
def session() -> Session:
    s = Session()
    s.configure({"dataset": "spiral", "classes": 3, "points": 120, "hidden": 20, "lr": 0.5, "seed": 3})
    return s


def literal_forward(net: TwoLayerNet, x: np.ndarray):
    """The spec's four equations for one column, written out without pynn's helpers."""
    s0 = net.W0 @ x.reshape(2, 1) + net.b0
    h0 = np.where(s0 > 0, s0, 0.0)
    s1 = net.W1 @ h0 + net.b1
    e = np.exp(s1 - s1.max())
    return s0[:, 0], h0[:, 0], s1[:, 0], (e / e.sum())[:, 0]


def test_explain_gives_the_four_equations_of_the_spec_for_one_column() -> None:
    net = TwoLayerNet(2, 7, 4, seed=5)
    x = np.array([0.3, -0.8])
    result = inside.explain(net, x, label=2)
    s0, h0, s1, h1 = literal_forward(net, x)
    np.testing.assert_allclose(result["x"], x)
    np.testing.assert_allclose(result["s0"], s0, rtol=1e-12)
    np.testing.assert_allclose(result["h0"], h0, rtol=1e-12)
    np.testing.assert_allclose(result["s1"], s1, rtol=1e-12)
    np.testing.assert_allclose(result["h1"], h1, rtol=1e-12)
    np.testing.assert_array_equal(result["active"], (s0 > 0).astype(np.uint8))
    assert result["active"].dtype == np.uint8 and 0 < result["active"].sum() < 7  # some units zeroed
    assert result["predicted"] == int(np.argmax(h1)) and isinstance(result["predicted"], int)
    assert result["label"] == 2
    assert result["loss"] == pytest.approx(-np.log(h1[2]), rel=1e-12)
    assert isinstance(result["loss"], float)


def test_explain_without_a_label_has_no_loss_term() -> None:
    result = inside.explain(TwoLayerNet(2, 3, 2, seed=0), np.array([1.0, 1.0]))
    assert result["label"] is None and result["loss"] is None
    assert result["h1"].sum() == pytest.approx(1.0)


def test_inspect_at_an_empty_spot_and_at_a_data_point(session: Session) -> None:
    empty = session.inspect(0.0, 0.0, radius=0.0)
    assert empty["point"] is None and empty["index"] is None and empty["loss"] is None
    np.testing.assert_allclose(empty["x"], [0.0, 0.0])

    x = session.data.X_test[:, 4]
    hit = session.inspect(float(x[0]) + 0.01, float(x[1]) - 0.01, radius=0.05)
    assert hit["point"] == "test" and hit["index"] == 4
    np.testing.assert_array_equal(hit["x"], x)  # the point itself, not the spot clicked
    assert hit["label"] == int(session.data.y_test[4])
    assert hit["loss"] == pytest.approx(session.net.loss(x.reshape(2, 1), session.data.y_test[4:5]), rel=1e-12)

    x = session.data.X_train[:, 7]
    hit = session.inspect(float(x[0]), float(x[1]), radius=1e-9)
    assert (hit["point"], hit["index"], hit["label"]) == ("train", 7, int(session.data.y_train[7]))


def test_inspect_takes_the_nearest_point_across_both_sets() -> None:
    net = TwoLayerNet(2, 4, 2, seed=1)
    sets = {
        "train": (np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([0, 1])),
        "test": (np.array([[0.4], [0.0]]), np.array([1])),
    }
    assert inside.inspect_at(net, sets, 0.3, 0.0, 0.5)["point"] == "test"
    assert inside.inspect_at(net, sets, 0.1, 0.0, 0.5)["index"] == 0
    assert inside.inspect_at(net, sets, 0.9, 0.0, 0.5)["index"] == 1
    assert inside.inspect_at(net, sets, 5.0, 5.0, 0.5)["point"] is None
    empty = {"train": (np.zeros((2, 0)), np.zeros(0, dtype=int)), "test": (np.zeros((2, 0)), np.zeros(0, dtype=int))}
    assert inside.inspect_at(net, empty, 0.0, 0.0, 1.0)["point"] is None


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((float("nan"), 0.0, 0.0), "x1 must be a finite number"),
        ((0.0, float("inf"), 0.0), "x2 must be a finite number"),
        (("1", 0.0, 0.0), "x1 must be a finite number"),
        ((True, 0.0, 0.0), "x1 must be a finite number"),
        ((0.0, 0.0, -1.0), "radius must be ≥ 0"),
        ((0.0, 0.0, None), "radius must be a finite number"),
    ],
)
def test_inspect_refuses_bad_input(session: Session, args, match) -> None:
    with pytest.raises(ValueError, match=match):
        session.inspect(*args)


def test_methods_before_configure_say_so() -> None:
    for call in (lambda s: s.inspect(0.0, 0.0), lambda s: s.hidden_units(), lambda s: s.gradcheck()):
        with pytest.raises(ValueError, match="configure the session first"):
            call(Session())


def test_hidden_units_are_relu_of_s0_over_the_plane_from_one_forward_pass(session: Session, monkeypatch) -> None:
    calls = []
    forward = session.net.forward
    monkeypatch.setattr(session.net, "forward", lambda X: calls.append(X.shape) or forward(X))
    result = session.hidden_units()
    size = inside.UNITS_GRID
    assert calls == [(2, size * size)]
    assert (result["units_size"], result["units_shown"], result["units_total"]) == (size, 16, 20)
    units = result["units"]
    assert units.dtype == np.float32 and units.shape == (16 * size * size,)
    grid = inside.plane(session.data.extent, size)
    expected = np.maximum(session.net.W0 @ grid + session.net.b0, 0.0)[:16]
    np.testing.assert_allclose(units.reshape(16, size * size), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(result["units_max"], expected.max(axis=1), rtol=1e-6)
    # row 0 of each picture is the top of the plane (largest x2), as in the decision grid
    assert grid[1, 0] > 0 > grid[1, -1] and grid[0, 0] < 0 < grid[0, -1]


def test_plane_pictures_need_2d_inputs() -> None:
    net = TwoLayerNet(64, 5, 10, seed=0)
    sets = {"train": (np.zeros((64, 3)), np.zeros(3, dtype=int))}
    with pytest.raises(ValueError, match="needs 2-D data .* 64 inputs"):
        inside.inspect_at(net, sets, 0.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="needs 2-D data .* 64 inputs"):
        inside.hidden_units(net, 1.0)
    assert inside.explain(net, np.zeros(64), 3)["h1"].shape == (10,)  # one digit image works


def test_hidden_units_shows_every_unit_of_a_small_net() -> None:
    result = inside.hidden_units(TwoLayerNet(2, 3, 2, seed=0), extent=1.5, size=8)
    assert result["units_shown"] == 3 and result["units"].shape == (3 * 64,)


def test_gradcheck_passes_on_a_fresh_and_a_trained_net_and_leaves_it_unchanged(session: Session) -> None:
    for _ in range(2):
        before = {name: getattr(session.net, name).copy() for name in PARAMETERS}
        result = session.gradcheck()
        assert result["parameters"] == list(PARAMETERS)
        assert result["examples"] == inside.GRADCHECK_EXAMPLES and result["threshold"] == 1e-6
        for name in PARAMETERS:
            assert 0 <= result["errors"][name] < 1e-6, (name, result["errors"][name])
            assert result["passed"][name] is True
            np.testing.assert_array_equal(getattr(session.net, name), before[name])
        session.run(epochs=20)


def test_gradcheck_without_training_points_says_what_to_do() -> None:
    s = Session()
    s.configure({"dataset": "custom"})
    with pytest.raises(ValueError, match="needs training points"):
        s.gradcheck()


def test_gradcheck_marks_a_wrong_gradient_as_failed(monkeypatch) -> None:
    net = TwoLayerNet(2, 5, 3, seed=2)
    X = np.random.default_rng(0).standard_normal((2, 8))
    y = np.arange(8) % 3
    right = net.backward_pass
    monkeypatch.setattr(net, "backward_pass", lambda *a: {**right(*a), "b1": 1.01 * right(*a)["b1"]})
    result = inside.check(net, X, y)
    assert result["passed"] == {"W0": True, "b0": True, "W1": True, "b1": False}
    assert result["errors"]["b1"] > 1e-3


def test_source_is_the_loaded_code_of_the_four_methods(session: Session) -> None:
    result = call(session, "source", {})
    assert result["file"] == inspect.getsourcefile(model)
    assert [section["method"] for section in result["sections"]] == ["forward", "loss", "gradients", "sgd_step"]
    text = open(result["file"], encoding="utf-8").read().splitlines(keepends=True)
    names = []
    for section in result["sections"]:
        assert section["parts"][0]["name"] == f"TwoLayerNet.{section['method']}"
        for part in section["parts"]:
            names.append(part["name"])
            code = part["code"]
            assert code.lstrip().startswith(f"def {part['name'].split('.')[-1]}(")
            first = part["line"]
            assert "".join(text[first - 1 : first - 1 + code.count("\n")]) == code
            ast.parse(textwrap.dedent(code))
    assert "TwoLayerNet.forward_pass" in names and "TwoLayerNet.backward_pass" in names


def test_the_code_panels_equations_come_with_tex_and_a_text_alternative_in_one_notation() -> None:
    shown = inside.sources()["equations"]
    assert list(shown) == [method for method, _ in inside.SOURCES]
    assert [row["name"] for row in shown["forward"]][:4] == ["s0", "h0", "s1", "h1"]
    for rows in shown.values():
        for row in rows:
            assert row["tex"].strip() and row["text"].strip() and "\\" not in row["text"]
    texts = [row["text"] for rows in shown.values() for row in rows]
    assert "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]" in texts  # ⊙ and ᵀ
    shapes = {row["name"]: row["shape"] for row in shown["gradients"]}
    assert shapes == {"g1": "C×1", "W1": "C×H", "b1": "C×1", "g0": "H×1", "W0": "H×D", "b0": "H×1"}

"""pynn.page.session's own-data, model-file and digits features (issue 4, items 4-6), without a browser."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pynn import datasets
from pynn.page import pagedata, settings
from pynn.page.session import Session

CSV = "x1,x2,label\n" + "".join(
    f"{x},{y},{label}\n" for label, (cx, cy) in enumerate([(-1, -1), (1, 1), (1, -1)])
    for x, y in [(cx, cy), (cx + 0.1, cy), (cx, cy + 0.1), (cx - 0.1, cy), (cx, cy - 0.1)]
)


@pytest.fixture
def session() -> Session:
    s = Session()
    s.configure({"dataset": "spiral", "classes": 3, "points": 60, "hidden": 8, "lr": 0.5, "batch": 10, "seed": 2})
    return s


def test_adding_a_point_makes_the_data_your_own_and_keeps_the_net(session: Session) -> None:
    session.run(epochs=2)
    net, n_train, n_test = session.net, session.data.y_train.size, session.data.y_test.size
    result = session.add_point(0.25, -0.5, 2)
    assert session.net is net and session.epoch == 2
    assert result["settings"]["dataset"] == "custom" and session.settings["dataset"] == "custom"
    assert result["train_y"].size == n_train + 1 and result["test_y"].size == n_test
    assert result["train_xy"][-2:].tolist() == [0.25, -0.5] and result["train_y"][-1] == 2
    assert result["epoch"] == 2 and result["train_mean_loss"].shape == (1,)
    assert result["grid_class"].size == 100 * 100
    assert session.run(epochs=1)["epoch"] == 3


@pytest.mark.parametrize(
    "args, words",
    [((0.0, 0.0, 3), "label must be a class from 0 to 2"), ((0.0, 0.0, -1), "label"), ((0.0, 0.0, 1.0), "label"),
     ((float("nan"), 0.0, 0), "x1 must be a number"), ((0.0, 2e6, 0), "x2 must be a number within"),
     (("1", 0.0, 0), "x1")],
)
def test_bad_points_are_refused_and_change_nothing(session: Session, args, words) -> None:
    before = session.data.X_train
    with pytest.raises(ValueError, match=words):
        session.add_point(*args)
    assert session.data.X_train is before and session.settings["dataset"] == "spiral"


def test_remove_takes_the_nearest_point_training_or_test(session: Session) -> None:
    x1, x2 = session.data.X_test[:, 0]
    n_train, n_test = session.data.y_train.size, session.data.y_test.size
    session.remove_point(float(x1) + 1e-3, float(x2))
    assert (session.data.y_train.size, session.data.y_test.size) == (n_train, n_test - 1)
    x1, x2 = session.data.X_train[:, 5]
    session.remove_point(float(x1), float(x2))
    assert session.data.y_train.size == n_train - 1
    assert not np.any(np.all(session.data.X_train == [[x1], [x2]], axis=0))


def test_clear_then_training_asks_for_points_and_metrics_are_nan(session: Session) -> None:
    result = session.clear_points()
    assert result["train_y"].size == 0 and result["test_y"].size == 0
    assert np.isnan(result["train_mean_loss"][0]) and np.isnan(result["test_accuracy"][0])
    with pytest.raises(ValueError, match="no training points"):
        session.run(epochs=1)
    with pytest.raises(ValueError, match="no points to remove"):
        session.remove_point(0.0, 0.0)
    session.add_point(-1.0, -1.0, 0)
    session.add_point(1.0, 1.0, 1)
    result = session.run(epochs=2)
    assert result["epoch"] == 2 and np.isnan(result["test_mean_loss"]).all() and np.isfinite(result["train_mean_loss"]).all()


def test_load_csv_splits_sets_the_classes_and_makes_a_fresh_net(session: Session) -> None:
    session.run(epochs=3)
    result = session.load_csv(CSV.replace(",2\n", ",4\n"))
    assert result["settings"]["dataset"] == "custom" and result["settings"]["classes"] == 5
    assert session.net.n_classes == 5 and session.epoch == 0 and result["classes"] == 5
    assert result["train_y"].size == 12 and result["test_y"].size == 3
    assert set(result["test_y"].tolist()) == {0, 1, 4}, "stratified: one test point per class"


def test_a_malformed_csv_changes_nothing(session: Session) -> None:
    session.run(epochs=1)
    state = (session.net, session.data.X_train, session.settings, session.epoch)
    with pytest.raises(ValueError, match="^line 3: "):
        session.load_csv("0,0,0\n1,1,1\n2,2,x\n")
    assert (session.net, session.data.X_train, session.settings, session.epoch) == state


def test_uploaded_points_far_out_widen_the_plane(session: Session) -> None:
    result = session.load_csv("0,0,0\n10,-20,1\n1,1,0\n")
    assert result["extent"] == pytest.approx(22.0)
    assert session.grid_X.max() < 22 and session.grid_X.max() > 21


def test_data_csv_round_trips_through_load_csv(session: Session) -> None:
    text = session.data_csv()["csv"]
    X = np.hstack([session.data.X_train, session.data.X_test])
    y = np.concatenate([session.data.y_train, session.data.y_test])
    session.load_csv(text)
    X2 = np.hstack([session.data.X_train, session.data.X_test])
    y2 = np.concatenate([session.data.y_train, session.data.y_test])
    order, order2 = np.lexsort(X), np.lexsort(X2)
    np.testing.assert_array_equal(X[:, order], X2[:, order2])
    np.testing.assert_array_equal(y[order], y2[order2])


def test_own_points_survive_hyperparameter_changes_and_a_new_split_resplits_them(session: Session) -> None:
    session.load_csv(CSV)
    points = lambda: sorted(map(tuple, np.hstack([session.data.X_train, session.data.X_test]).T.tolist()))  # noqa: E731
    before = points()
    session.configure({**session.settings, "hidden": 4, "lr": 0.1})
    assert points() == before and session.net.n_hidden == 4 and session.data.y_test.size == 3
    session.configure({**session.settings, "split": 0.6})
    assert points() == before and session.data.y_test.size == 6
    result = session.configure({**session.settings, "classes": 2})
    assert result["notice"] == "removed 5 points of classes 2 and above"
    assert session.data.y_train.max() == 1 and session.data.y_train.size + session.data.y_test.size == 10
    session.configure({**session.settings, "dataset": "circles"})
    assert session.data.y_train.size + session.data.y_test.size == session.settings["points"]


def test_switching_a_generated_set_to_custom_keeps_its_points_and_split(session: Session) -> None:
    X_train, X_test = session.data.X_train, session.data.X_test
    session.configure({**session.settings, "dataset": "custom"})
    np.testing.assert_array_equal(session.data.X_train, X_train)
    np.testing.assert_array_equal(session.data.X_test, X_test)
    fresh = Session()
    fresh.configure({"dataset": "custom", "classes": 2})
    assert fresh.data.y_train.size == 0


def test_export_then_import_restores_the_net_the_setup_and_own_points(session: Session) -> None:
    session.load_csv(CSV)
    session.run(epochs=5)
    text = session.export_model()["json"]
    weights = {name: getattr(session.net, name).copy() for name in ("W0", "b0", "W1", "b1")}
    settings, points = dict(session.settings), session.data.X_train.copy()
    other = Session()
    other.configure({"dataset": "moons", "classes": 2, "hidden": 3})
    result = other.import_model(text)
    assert result["settings"] == settings and result["trained_epochs"] == 5 and other.epoch == 0
    for name, value in weights.items():
        np.testing.assert_array_equal(getattr(other.net, name), value)
    np.testing.assert_array_equal(other.data.X_train, points)
    assert result["train_accuracy"][0] == pytest.approx(session.net.accuracy(session.data.X_train, session.data.y_train))


def test_import_of_a_generated_setup_remakes_its_data(session: Session) -> None:
    session.run(epochs=2)
    text = session.export_model()["json"]
    X_train = session.data.X_train.copy()
    other = Session()
    other.configure({"dataset": "xor", "classes": 2})
    other.import_model(text)
    np.testing.assert_array_equal(other.data.X_train, X_train)
    assert other.settings == session.settings


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda net, s: json.dumps({**net.to_dict(), "settings": {**s, "hidden": 9}}), "does not match its settings"),
        (lambda net, s: json.dumps({**net.to_dict(), "settings": {**s, "lr": -1}}), "settings are not usable: lr"),
        (lambda net, s: json.dumps({**net.to_dict(), "settings": {**s, "speed": 1}}), "unknown setting"),
        (lambda net, s: json.dumps({**net.to_dict(), "W0": [[1.0]]}), "malformed pynn model: b0 has shape"),
        (lambda net, s: "{}", "not a pynn model"),
        (lambda net, s: net.to_dict().__repr__(), "not valid JSON"),
    ],
)
def test_bad_model_files_change_nothing(session: Session, make, words) -> None:
    session.run(epochs=1)
    text = make(session.net, session.settings)
    state = (session.net, session.data.X_train, dict(session.settings), session.epoch)
    with pytest.raises(ValueError, match=None) as caught:
        session.import_model(text)
    assert words in str(caught.value)
    assert (session.net, session.data.X_train, session.settings, session.epoch) == state


def test_a_bare_to_dict_must_fit_the_page_mode(session: Session) -> None:
    from pynn import TwoLayerNet

    with pytest.raises(ValueError, match="takes 64 inputs but the page's data has 2"):
        session.import_model(json.dumps(TwoLayerNet(64, 8, 10, seed=0).to_dict()))
    result = session.import_model(json.dumps(TwoLayerNet(2, 6, 3, seed=0).to_dict()))
    assert result["settings"]["hidden"] == 6 and session.net.n_hidden == 6


def test_digits_mode_trains_on_the_images_and_shows_its_mistakes() -> None:
    s = Session()
    snap = s.configure({"dataset": "digits", "classes": 10, "hidden": 32, "lr": 0.1, "batch": 10, "seed": 1})
    assert s.net.n_inputs == 64 and s.net.n_classes == 10 and snap["classes"] == 10
    assert s.data.X_train.max() == 1.0 and s.data.X_train.min() == 0.0
    assert snap["train_xy"].size == 0 and "grid_class" not in snap
    n_test = s.data.y_test.size
    assert n_test == 360 and snap["digit_images"].shape == (64 * n_test,) and snap["digit_images"].max() == 16
    np.testing.assert_array_equal(snap["digit_labels"], s.data.y_test)
    assert snap["wrong_index"].size == (s.net.predict(s.data.X_test) != s.data.y_test).sum()
    result = s.run(epochs=10)
    wrong = result["wrong_index"]
    assert result["test_accuracy"][-1] > 0.9 and wrong.size == round((1 - result["test_accuracy"][-1]) * n_test)
    np.testing.assert_array_equal(result["wrong_pred"], s.net.predict(s.data.X_test[:, wrong]))
    assert np.all(result["wrong_pred"] != s.data.y_test[wrong])
    with pytest.raises(ValueError, match="2-D data only"):
        s.add_point(0.0, 0.0, 0)
    with pytest.raises(ValueError, match="CSV download is for 2-D data"):
        s.data_csv()


def test_the_pad_gives_the_image_and_ten_probabilities() -> None:
    s = Session()
    s.configure({"dataset": "digits", "classes": 10, "hidden": 32, "lr": 0.1, "batch": 10, "seed": 1})
    s.run(epochs=10)
    X, y = datasets.digits()
    result = s.classify_drawing([[10, 10, 10, 100]])
    assert result["image"].dtype == np.uint8 and result["image"].shape == (64,)
    assert result["proba"].shape == (10,) and result["proba"].sum() == pytest.approx(1.0)
    assert not result["empty"] and s.classify_drawing([])["empty"]
    assert int(np.argmax(result["proba"])) == 1, "a straight vertical stroke is a 1"
    spiral = Session()
    spiral.configure({"dataset": "spiral"})
    with pytest.raises(ValueError, match="needs the digits"):
        spiral.classify_drawing([[1, 2]])


def test_class_ranges_of_the_new_data_sets() -> None:
    assert settings.CLASS_RANGE["digits"] == (10, 10) and settings.CLASS_RANGE["custom"] == (2, 6)
    with pytest.raises(ValueError, match="digits allows 10 to 10 classes"):
        Session().configure({"dataset": "digits", "classes": 3})

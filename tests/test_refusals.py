"""Each refusal of the estimator and of the page's session, as the user reads it: the exception's
class and its whole message (a mutation run, docs/mutation.md, found that matching a phrase let a
garbled message through), and the state the refusal leaves."""
from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pytest
import scipy.sparse

from pynn import Classifier, TwoLayerNet, datasets
from pynn.page import backprop, csvdata, drawing, modelfile, pagedata
from pynn.page.session import GRID, Session
from pynn.page.settings import defaults


def whole(message: str) -> str:
    return f"^{re.escape(message)}$"


X4 = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
Y4 = np.array([0, 1, 0, 1])


@pytest.mark.parametrize(("X", "y", "error", "message"), [
    (None, Y4, ValueError, "X is None: pass a 2-D array of shape (n_samples, n_features)"),
    (scipy.sparse.csr_matrix(X4), Y4, TypeError, "sparse matrices are not supported: pass a dense array, e.g. X.toarray()"),
    (X4 + 1j, Y4, ValueError, "Complex data not supported: X must hold real numbers"),
    (np.where(X4 == 3.0, np.inf, X4), Y4, ValueError, "X contains NaN or infinite values (inf); remove or replace them first"),
    (X4, None, ValueError, "Classifier requires y to be passed, but the target y is None"),
    (X4, scipy.sparse.csr_matrix(Y4), TypeError, "a sparse y is not supported: pass a dense 1-D array of labels"),
    (X4, Y4 + 0j, ValueError, "Complex data not supported: y must hold class labels"),
    (X4, np.array([0.0, np.nan, 1.0, 1.0]), ValueError, "y contains NaN or infinite values; every example needs a class label"),
    (X4, np.array([0.0, 1.5, 2.5, 1.0]), ValueError,
     "Unknown label type: continuous. y holds non-integer numbers such as 1.5; a classifier needs class labels"),
    (X4, np.array(["a", 1, "b", 2], dtype=object), ValueError,
     "Unknown label type: y mixes labels that cannot be compared, such as strings and numbers"),
    (X4 * 1e307 + 1.4e308, Y4, ValueError, "X's values are too large: their mean or spread overflows float64; scale X down"),
])
def test_fit_refuses_bad_data_with_its_whole_message_and_no_numpy_warning(X, y, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow inside fit must not leak out as a RuntimeWarning
        with pytest.raises(error, match=whole(message)):
            Classifier(epochs=1).fit(X, y)


def test_labels_written_as_whole_floats_are_classes():
    clf = Classifier(hidden=4, epochs=2).fit(X4, np.array([0.0, 1.0, 0.0, 1.0]))
    assert clf.classes_.tolist() == [0.0, 1.0] and clf.predict(X4).shape == (4,)


def test_a_column_of_labels_is_flattened_with_a_warning_that_points_at_the_callers_line():
    with pytest.warns(Warning, match="A column-vector y was passed") as record:
        Classifier(hidden=4, epochs=1).fit(X4, Y4.reshape(-1, 1))
    assert record[0].filename == __file__  # stacklevel: the user's call to fit, not pynn's code


def test_predict_before_fit_says_to_fit_first():
    with pytest.raises(ValueError, match=whole(
            "This Classifier is not fitted yet: call fit(X, y) before predict, predict_proba or score")):
        Classifier().predict(X4)


def test_the_repr_shows_only_the_parameters_changed_from_their_defaults():
    assert repr(Classifier()) == "Classifier()"
    assert repr(Classifier(hidden=100, lr=0.5)) == repr(Classifier(lr=0.5))
    assert repr(Classifier(epochs=True)) != "Classifier()"  # True == 1 but it is not the default's type


def test_get_params_lists_every_parameter_deep_or_not():
    assert Classifier(hidden=7).get_params() == Classifier(hidden=7).get_params(deep=False)
    assert Classifier(hidden=7).get_params()["hidden"] == 7


def test_scikit_learns_tags_call_it_a_classifier_that_needs_y():
    tags = Classifier().__sklearn_tags__()
    assert tags.estimator_type == "classifier" and tags.target_tags.required is True
    assert tags.classifier_tags is not None and tags.regressor_tags is None and tags.transformer_tags is None
    assert tags.input_tags.two_d_array is True and tags.input_tags.sparse is False


# --- the page's session ----------------------------------------------------------------------------


@pytest.fixture
def session() -> Session:
    s = Session()
    s.configure({"dataset": "spiral", "classes": 3, "points": 60, "hidden": 8, "lr": 0.5, "seed": 3})
    return s


def digits() -> Session:
    s = Session()
    s.configure({"dataset": "digits", "classes": 10, "hidden": 8, "seed": 1})
    return s


def test_a_session_not_configured_says_to_configure_it():
    with pytest.raises(ValueError, match=whole("configure the session before training")):
        Session().run(epochs=1)
    with pytest.raises(ValueError, match=whole("configure the session first")):
        Session().network()


@pytest.mark.parametrize("budget", [{}, {"epochs": 1, "updates": 2}, {"epochs": 1, "seconds": 1.0}])
def test_run_takes_exactly_one_budget(session, budget):
    with pytest.raises(ValueError, match=whole("give one of epochs, updates or seconds")):
        session.run(**budget)


@pytest.mark.parametrize(("budget", "message"), [
    ({"epochs": 0}, "epochs must be a whole number ≥ 1, got 0"),
    ({"epochs": True}, "epochs must be a whole number ≥ 1, got True"),
    ({"updates": 1.5}, "updates must be a whole number ≥ 1, got 1.5"),
    ({"seconds": 0}, "seconds must be a number > 0, got 0"),
    ({"seconds": "1"}, "seconds must be a number > 0, got '1'"),
])
def test_run_refuses_a_budget_that_is_not_a_positive_count(session, budget, message):
    with pytest.raises(ValueError, match=whole(message)):
        session.run(**budget)
    assert session.updates == 0


def test_the_2d_only_actions_say_so_on_the_digits():
    s = digits()
    with pytest.raises(ValueError, match=whole("points can be added or removed on 2-D data only, not on the digits")):
        s.add_point(0.0, 0.0, 0)
    with pytest.raises(ValueError, match=whole("the digits are not 2-D points: CSV download is for 2-D data")):
        s.data_csv()


def test_the_drawing_pad_needs_the_digits(session):
    with pytest.raises(ValueError, match=whole("the drawing pad needs the digits data set")):
        session.classify_drawing([])


def test_the_gradient_check_needs_training_points(session):
    session.clear_points()
    with pytest.raises(ValueError, match=whole("the gradient check needs training points: add some first")):
        session.gradcheck()


def test_an_edit_keeps_training_on_and_the_csv_counts_its_rows(session):
    answer = session.add_point(0.5, 0.5, 1)
    assert answer["fresh"] is False and session.settings["dataset"] == "custom"
    csv = session.data_csv()
    assert csv["rows"] == 61 and len(csv["csv"].strip().splitlines()) == 61 + 1  # a header line, then the rows


def test_the_stepper_takes_the_first_and_the_last_training_example_and_nothing_outside(session):
    n = session.data.y_train.shape[0]
    assert session.backprop_example(0)["index"] == 0
    assert session.backprop_example(n - 1)["index"] == n - 1
    for bad in (-1, n):
        with pytest.raises(ValueError, match=whole(f"index must be a whole number from 0 to {n - 1} (a training example), got {bad}")):
            session.backprop_example(bad)


def test_the_stepper_reports_the_update_count(session):
    session.backprop_example(0)
    session.backprop_apply()
    assert session.backprop_example(1)["updates"] == 1 == session.network()["updates"]


def test_a_diverged_net_shows_no_regions_but_a_grid_of_the_full_size(session):
    session.net.W0[:], session.net.W1[:] = 1e200, 1e200  # scores overflow to inf: predict_proba refuses
    grid = session.grid()
    assert grid["grid_size"] == GRID
    assert grid["grid_class"].dtype == np.uint8 and grid["grid_class"].shape == (GRID * GRID,) and not grid["grid_class"].any()
    assert grid["grid_prob"].dtype == np.float32 and grid["grid_prob"].shape == (GRID * GRID,) and not grid["grid_prob"].any()


# --- the page's data: CSV, model files, the drawing pad, the data sets ---------------------------------

@pytest.mark.parametrize(("call", "message"), [
    (lambda: csvdata.parse_csv(b"0,0,0"), "the CSV must be text, got bytes"),
    (lambda: csvdata.parse_csv("x1,x2,label\n\n"), "the file has no data rows: expected lines like 0.5,-1.2,0"),
    (lambda: modelfile.parse(b"{}"), "a model file must be text, got bytes"),
    (lambda: modelfile.parse("[" * 100_000 + "]" * 100_000), "not a pynn model: the JSON is nested too deeply"),
    (lambda: modelfile.parse("[1, 2]"), "not a pynn model: expected a JSON object with W0, b0, W1, b1"),
    (lambda: modelfile.parse('{"W0": [[1, 2]], "b0": [[0]], "W1": [[1], [2]], "b1": [[0], [0]'),
     "not a pynn model: the file is not valid JSON (it ends too early (truncated?): Expecting ',' delimiter)"),
    (lambda: drawing.digit_from_strokes("0,0"), "strokes must be a list of strokes, each a flat list x, y, x, y, …"),
    (lambda: drawing.digit_from_strokes([[0, "1"]]), "each stroke must be a flat list of finite numbers x, y, x, y, …"),
    (lambda: drawing.digit_from_strokes([[0, 1, 2]]), "each stroke needs an x and a y for every point (an even count of numbers)"),
    (lambda: datasets.mean_std(np.zeros((2, 0))), "X has no examples (0 columns): cannot compute a mean"),
    (lambda: datasets.mean_std(np.array([[0.0, np.nan]])), "X contains NaN or infinite values"),
    (lambda: datasets.standardize(np.zeros((3, 4)), np.zeros((3, 1)), np.zeros((3, 1))),
     "mean must be finite and std finite and > 0 (use mean_std)"),
    (lambda: datasets.standardize(np.zeros((3, 4)), np.zeros((3, 1)), np.ones((2, 1))),
     "mean and std must have shape (3, 1) to match X's 3 features; got (3, 1) and (2, 1) (use mean_std on the training set)"),
    (lambda: datasets.standardize(np.zeros((3, 4)), np.zeros((4, 1)), np.ones((3, 1))),
     "mean and std must have shape (3, 1) to match X's 3 features; got (4, 1) and (3, 1) (use mean_std on the training set)"),
])
def test_each_refusal_of_the_pages_data_reads_whole(call, message):
    with pytest.raises(ValueError, match=whole(message)):
        call()


def model_json(**extra) -> str:
    net = TwoLayerNet(2, 3, 2, seed=0)
    return json.dumps({**net.to_dict(), **extra})


def test_a_model_files_settings_and_epoch_are_checked_with_the_value_cut_to_20_characters():
    with pytest.raises(ValueError, match=whole("malformed pynn model: settings must be an object")):
        modelfile.parse(model_json(settings=[1]))
    with pytest.raises(ValueError, match=whole("malformed pynn model: epoch must be a whole number ≥ 0, got '" + "1" * 20 + "'")):
        modelfile.parse(model_json(epoch="1" * 30))
    assert modelfile.parse(model_json(epoch=0)).epoch == 0


def test_a_model_file_of_exactly_the_limit_is_read_and_one_character_more_is_not():
    text = model_json()
    padded = text + " " * (modelfile.MAX_BYTES - len(text))
    assert modelfile.parse(padded).net.n_hidden == 3
    with pytest.raises(ValueError, match="larger than"):
        modelfile.parse(padded + " ")


def test_a_model_files_points_come_back_as_floats_and_labels():
    file = modelfile.parse(model_json(data={"train": [[1, 2, 0], [3, 4, 1]], "test": [[5, 6, 1]]}))
    X_train, X_test, y_train, y_test = file.data
    assert X_train.dtype == np.float64 and X_train.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert X_test.tolist() == [[5.0], [6.0]] and y_train.tolist() == [0, 1] and y_test.tolist() == [1]


def test_a_csv_of_exactly_the_limit_is_read_and_coordinates_may_be_exactly_the_limit():
    line = f"{csvdata.MAX_ABS:.0f},-{csvdata.MAX_ABS:.0f},0\n0,0,1\n"
    text = line + " " * (csvdata.MAX_BYTES - len(line))
    X, y = csvdata.parse_csv(text)
    assert X.dtype == np.float64 and X[:, 0].tolist() == [csvdata.MAX_ABS, -csvdata.MAX_ABS]
    assert y.dtype == np.int64 and y.tolist() == [0, 1]
    with pytest.raises(ValueError, match="larger than"):
        csvdata.parse_csv(text + " ")


def test_a_csv_of_two_labels_needs_two_classes():
    data, classes = pagedata.from_csv("0,0,0\n1,1,1\n2,2,0\n3,3,1\n", defaults())
    assert classes == 2


def test_the_drawing_may_have_exactly_the_limit_of_points_counted_over_all_strokes():
    half = [0.0, 0.0] * (drawing.MAX_POINTS // 2)
    assert drawing.digit_from_strokes([half, half]).shape == (64,)
    with pytest.raises(ValueError, match=whole(f"the drawing has more than {drawing.MAX_POINTS:,} points")):
        drawing.digit_from_strokes([half, half, [0.0, 0.0]])


def test_the_pad_shows_the_net_the_drawing_scaled_as_the_digits_are():
    s = digits()
    answer = s.classify_drawing([[10.0, 10.0, 200.0, 200.0]])
    image = drawing.digit_from_strokes([[10.0, 10.0, 200.0, 200.0]])
    assert answer["image"].tolist() == image.astype(np.uint8).tolist() and not answer["empty"]
    assert answer["proba"].dtype == np.float64
    np.testing.assert_allclose(answer["proba"], s.net.predict_proba(image.reshape(64, 1) / pagedata.DIGIT_SCALE)[:, 0])


def test_the_stepper_without_weight_decay_is_plain_sgd():
    a, b = TwoLayerNet(2, 3, 2, seed=0), TwoLayerNet(2, 3, 2, seed=0)
    backprop.apply(a, np.array([0.5, -0.5]), 1, 0.1)
    backprop.apply(b, np.array([0.5, -0.5]), 1, 0.1, 0.0)
    np.testing.assert_array_equal(a.W0, b.W0)
    walked, plain = backprop.walk(a, np.array([0.5, -0.5]), 1, 0.1), backprop.walk(a, np.array([0.5, -0.5]), 1, 0.1, 0.0)
    assert walked.keys() == plain.keys() and all(np.array_equal(walked[k], plain[k]) for k in walked if isinstance(walked[k], np.ndarray))


def test_the_default_number_of_classes_of_each_2d_set():
    assert [int(datasets.__dict__[name](seed=0)[1].max()) + 1 for name in ("circles", "moons", "xor", "blobs")] == [2, 2, 2, 3]


@pytest.mark.parametrize("name", ["circles", "moons"])
def test_the_points_of_a_ring_or_moon_are_spread_evenly_over_its_angles(name):
    """At noise 0 each point lies on its circle at a uniformly random angle: over all of the circle
    for the rings, over its half for the moons (from 0)."""
    X, y = datasets.__dict__[name](4000, noise=0.0, seed=1)
    centre = {"circles": (0.0, 0.0), "moons": (-1 / 3, -1 / 6)}[name]
    part = X[:, y == 0]
    angle = np.mod(np.arctan2(part[1] - centre[1], part[0] - centre[0]), 2 * np.pi)
    span = {"circles": 2 * np.pi, "moons": np.pi}[name]
    counts = np.histogram(angle, bins=4, range=(0, span))[0] / angle.size
    assert np.all(np.abs(counts - 0.25) < 0.04), counts  # each quarter of the span holds a quarter of them
    assert angle.min() < 0.02 * span and angle.max() > 0.98 * span


@pytest.mark.parametrize("name", ["circles", "moons", "xor", "blobs"])
def test_the_noise_is_a_gaussian_of_the_asked_spread_on_each_coordinate(name):
    quiet, _ = datasets.__dict__[name](3000, noise=0.0, seed=4)
    noisy, _ = datasets.__dict__[name](3000, noise=0.05, seed=4)
    gap = noisy - quiet  # the same points, only the noise differs (the noise is drawn last)
    assert np.all(np.abs(gap.std(axis=1) - 0.05) < 0.005) and np.all(np.abs(gap.mean(axis=1)) < 0.005)
    assert abs(np.corrcoef(gap)[0, 1]) < 0.06  # independent coordinates


def test_a_stroke_is_scaled_to_the_pad_less_the_pens_radius_on_each_side_and_drawn_with_that_radius():
    """A horizontal line of any length is scaled to run from x = R to x = SIDE − R through the middle
    row (R the pen's radius); a pixel is black when its centre is within R of that segment."""
    side, r = drawing.SIDE, drawing.PEN_RADIUS
    black = drawing.bitmap([[0.0, 0.0, 100.0, 0.0]])
    x = np.arange(side) + 0.5
    dx = np.maximum(np.maximum(r - x, x - (side - r)), 0.0)  # horizontal distance to the segment's ends
    dy = np.abs(x - side / 2)
    expected = np.hypot(dx[None, :], dy[:, None]) <= r
    assert black.dtype == bool and black.tolist() == expected.tolist()


def test_the_extent_of_no_points_is_the_generated_sets_and_wider_data_widens_it():
    assert pagedata.extent_of(np.zeros((2, 0))) == datasets.EXTENT
    assert pagedata.extent_of(np.array([[3.0], [-1.0]])) == pytest.approx(3.3)


def custom_data(labels) -> pagedata.Data:
    X = np.vstack([np.arange(len(labels), dtype=float), np.zeros(len(labels))])
    return pagedata.split(X, np.array(labels), 0.5, 0, 1.5)


def test_your_points_stay_as_they_are_until_the_split_or_the_seed_changes():
    old = custom_data([0, 1] * 6)
    settings = {**defaults(), "dataset": "custom", "classes": 2, "split": 0.5, "seed": 0}
    kept = pagedata.custom({**settings, "hidden": 9}, old, settings)
    assert kept.X_train.tolist() == old.X_train.tolist() and kept.X_test.tolist() == old.X_test.tolist()
    resplit = pagedata.custom({**settings, "seed": 7}, old, settings)
    assert resplit.X_train.tolist() != old.X_train.tolist()
    assert sorted(np.hstack([resplit.X_train, resplit.X_test])[0]) == sorted(np.hstack([old.X_train, old.X_test])[0])
    assert resplit.X_train.tolist() == pagedata.split(np.hstack([old.X_train, old.X_test]), np.concatenate(
        [old.y_train, old.y_test]), 0.5, 7, 1.5).X_train.tolist()


@pytest.mark.parametrize(("labels", "notice"), [
    ([0, 1] * 5 + [2], "removed 1 point of classes 2 and above"),
    ([0, 1] * 5 + [2, 2], "removed 2 points of classes 2 and above"),
    ([0, 1] * 5, None),
])
def test_fewer_classes_drop_the_points_of_the_others_and_say_how_many(labels, notice):
    settings = {**defaults(), "dataset": "custom", "classes": 3, "split": 0.5, "seed": 0}
    data = pagedata.custom({**settings, "classes": 2}, custom_data(labels), settings)
    assert data.notice == notice
    assert data.y_train.shape[0] + data.y_test.shape[0] == 10


def test_reset_before_configure_says_so():
    with pytest.raises(ValueError, match=whole("configure the session before resetting it")):
        Session().reset()


def test_an_imported_model_of_another_shape_than_its_settings_says_both():
    s = Session()
    s.configure({"dataset": "spiral", "classes": 3, "points": 60, "hidden": 8, "seed": 3})
    text = json.dumps({**TwoLayerNet(2, 5, 3, seed=0).to_dict(), "settings": {**s.settings, "hidden": 8}})
    with pytest.raises(ValueError, match=whole("the model's shape D-H-C = 2-5-3 does not match its settings (2-8-3)")):
        s.import_model(text)


def test_the_snapshot_names_the_data_set_and_the_test_rows_are_the_test_sets(session):
    assert session.snapshot()["dataset"] == "spiral"
    rows = session.run(epochs=1)
    n = session.data.y_test.shape[0]
    assert n > 0
    assert rows["test_mean_loss"][-1] == pytest.approx(session.net.loss(session.data.X_test, session.data.y_test) / n, rel=1e-12)
    assert rows["test_accuracy"][-1] == pytest.approx(float(np.mean(session.net.predict(session.data.X_test) == session.data.y_test)))

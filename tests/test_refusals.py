"""Each refusal of the estimator and of the page's session, as the user reads it: the exception's
class and its whole message (a mutation run, docs/mutation.md, found that matching a phrase let a
garbled message through), and the state the refusal leaves."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import scipy.sparse

from pynn import Classifier
from pynn.page import yourcode
from pynn.page.session import GRID, Session


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
    n = session.y_train.shape[0]
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


# --- the student's own code in the session (pynn.page.yourcode) ---------------------------------------

MY_FORWARD = """import numpy as np

def forward(W0, b0, W1, b1, X):
    s0 = W0 @ X + b0
    h0 = np.maximum(s0, 0.0)
    s1 = W1 @ h0 + b1
    e = np.exp(s1 - s1.max(axis=0))
    return s0, h0, s1, e / e.sum(axis=0)
"""
MY_GRADIENTS = """import numpy as np

def gradients(W0, b0, W1, b1, X, Yoh):
    s0, h0, s1, h1 = forward(W0, b0, W1, b1, X)
    G1 = h1 - Yoh
    G0 = (W1.T @ G1) * (s0 > 0)
    return {"W0": G0 @ X.T, "b0": G0.sum(axis=1, keepdims=True), "W1": G1 @ h0.T, "b1": G1.sum(axis=1, keepdims=True)}
"""
MINE = {"forward": MY_FORWARD, "gradients": MY_GRADIENTS}


def test_the_students_code_trains_the_same_net_and_pynns_comes_back_with_the_weights():
    mine, pynns = Session(), Session()
    for s in (mine, pynns):
        s.configure({"dataset": "moons", "classes": 2, "points": 60, "hidden": 6, "lr": 0.3, "seed": 5})
    answer = mine.use_student_code(MINE)
    assert answer["using"] == ["forward", "gradients"] and isinstance(mine.net, yourcode.StudentNet)
    assert answer["grid_class"].tolist() == pynns.grid()["grid_class"].tolist()
    mine.run(updates=7)
    pynns.run(updates=7)
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_allclose(getattr(mine.net, name), getattr(pynns.net, name), rtol=1e-10, atol=1e-12)
    trained = mine.net.W1.copy()
    back = mine.use_student_code({})
    assert back["using"] == [] and type(mine.net) is type(pynns.net)
    np.testing.assert_array_equal(mine.net.W1, trained)  # the weights stay


def test_a_students_forward_that_forgets_the_bias_trains_another_net():
    mine, pynns = Session(), Session()
    for s in (mine, pynns):
        s.configure({"dataset": "moons", "classes": 2, "points": 60, "hidden": 6, "lr": 0.3, "seed": 5})
    mine.use_student_code({**MINE, "forward": MY_FORWARD.replace("W0 @ X + b0", "W0 @ X")})
    mine.run(updates=3)
    pynns.run(updates=3)
    assert not np.allclose(mine.net.W0, pynns.net.W0)


def test_a_pause_the_students_code_caused_ends_when_the_code_changes(session):
    session.diverged = yourcode.PAUSED + " your forward raised"
    session.use_student_code(MINE)
    assert session.diverged is None
    session.diverged = "training diverged"
    session.use_student_code({})
    assert session.diverged == "training diverged"  # a divergence is not the code's pause

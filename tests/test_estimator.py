"""pynn.Classifier: scikit-learn's own estimator checks, and its behaviour on its own terms."""
from __future__ import annotations

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest

from pynn import Classifier, DivergenceError, TwoLayerNet, datasets
from pynn.estimator import DataConversionWarning, NotFittedError

sklearn = pytest.importorskip("sklearn")
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import NotFittedError as SklearnNotFittedError  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402


# seed=0 because check_fit_idempotent fixes the randomness only of a parameter called
# random_state: with seed=None (fresh randomness, as everywhere in pynn) two fits rightly differ.
# Every other check is indifferent to the seed. Nothing is skipped or expected to fail.
with warnings.catch_warnings():
    # Not inheriting sklearn's BaseEstimator is the point: pynn must not need scikit-learn.
    warnings.filterwarnings("ignore", "Estimator Classifier does not inherit from", UserWarning)
    all_checks = parametrize_with_checks([Classifier(seed=0)])


@all_checks
def test_scikit_learn_check(estimator, check, monkeypatch):
    # check_array_api_input (the NumPy namespace only: Classifier claims no array API support)
    # skips itself unless this is set.
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    check(estimator)


def spiral_rows(n: int = 300, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    X, y = datasets.spiral(n, classes=classes, noise=0.1, seed=seed)
    return X.T, y


def test_learns_an_easy_problem_and_generalises():
    X, y = datasets.blobs(400, classes=4, noise=0.15, seed=1)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, 0.25, seed=1)
    clf = Classifier(hidden=32, epochs=30, seed=0).fit(X_train.T, y_train)
    assert clf.score(X_train.T, y_train) >= 0.97
    assert clf.score(X_test.T, y_test) >= 0.95


def test_learns_the_spiral():
    X, y = spiral_rows()
    clf = Classifier(hidden=100, lr=1.0, epochs=200, seed=0).fit(X, y)
    assert clf.score(X, y) >= 0.98
    assert clf.history_.epochs == 200
    assert clf.history_.loss[-1] < clf.history_.loss[0]


def test_string_labels_round_trip():
    X, y = spiral_rows(150)
    names = np.array(["cat", "dog", "emu"])[y]
    clf = Classifier(epochs=60, lr=0.5, seed=0).fit(X, names)
    assert list(clf.classes_) == ["cat", "dog", "emu"]
    predicted = clf.predict(X)
    assert predicted.dtype == names.dtype
    assert set(predicted) == {"cat", "dog", "emu"}
    assert np.mean(predicted == names) > 0.8
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], predicted)


def test_arbitrary_integer_labels_keep_their_values():
    X, y = spiral_rows(120, classes=2)
    labels = np.array([-7, 42])[y]
    clf = Classifier(epochs=5, seed=0).fit(X, labels)
    np.testing.assert_array_equal(clf.classes_, [-7, 42])
    predicted = clf.predict(X)
    np.testing.assert_array_equal(predicted, np.where(clf.predict_proba(X)[:, 1] > 0.5, 42, -7))
    assert set(predicted) == {-7, 42}


def test_same_seed_same_model_and_fresh_randomness_without_one():
    X, y = spiral_rows(90)
    a = Classifier(epochs=3, seed=5).fit(X, y)
    b = Classifier(epochs=3, seed=5).fit(X, y)
    c = Classifier(epochs=3).fit(X, y)
    d = Classifier(epochs=3).fit(X, y)
    np.testing.assert_array_equal(a.net_.W0, b.net_.W0)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert not np.array_equal(c.net_.W0, d.net_.W0)


def test_features_of_any_scale_are_standardized():
    X, y = spiral_rows(150)
    clf = Classifier(lr=0.5, epochs=100, seed=0).fit(X * 1e4 + 5e4, y)
    np.testing.assert_allclose(clf.mean_, (X * 1e4 + 5e4).mean(axis=0))
    assert clf.score(X * 1e4 + 5e4, y) > 0.8


def test_get_params_set_params_clone_and_repr():
    clf = Classifier(hidden=7, lr=0.5)
    assert clf.get_params() == {"hidden": 7, "lr": 0.5, "epochs": 50, "batch_size": 32, "weight_decay": 0.0, "seed": None, "init": "he"}
    assert clf.set_params(epochs=3, seed=1) is clf
    assert (clf.epochs, clf.seed) == (3, 1)
    assert repr(clf) == "Classifier(hidden=7, lr=0.5, epochs=3, seed=1)"
    assert repr(Classifier()) == "Classifier()"
    assert clone(clf).get_params() == clf.get_params()
    with pytest.raises(ValueError, match="no parameter 'hiden'.*valid parameters are hidden"):
        clf.set_params(hiden=3)


def test_pickle_round_trip():
    X, y = spiral_rows(90)
    clf = Classifier(epochs=3, seed=0).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"hidden": 0}, "hidden must be at least 1, got 0"),
        ({"hidden": 2.5}, "hidden must be a whole number"),
        ({"lr": 0}, "lr must be greater than 0"),
        ({"lr": float("nan")}, "lr must be a finite number"),
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"batch_size": 0}, "batch_size must be at least 1"),
        ({"weight_decay": -1.0}, "weight_decay must be 0 or more"),
        ({"seed": -1}, "seed must be at least 0"),
        ({"seed": "abc"}, "seed must be a whole number"),
        ({"init": "xavier"}, "unknown init 'xavier'; known: he, small, zero, large"),
    ],
)
def test_bad_parameters_are_reported_by_fit(params, message):
    clf = Classifier(**params)  # setting a bad value is allowed; fit reports it
    X, y = spiral_rows(30)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")


@pytest.mark.parametrize(
    ("X", "y", "error", "message"),
    [
        (np.zeros(10), np.zeros(10), ValueError, "2-D array of shape \\(n_samples, n_features\\).*Reshape"),
        (np.zeros((2, 3, 4)), np.zeros(2), ValueError, "3-D shape"),
        (np.zeros((0, 2)), [], ValueError, "0 sample"),
        (np.zeros((4, 0)), [0, 1, 0, 1], ValueError, "0 feature"),
        ([[0.0, np.nan], [1.0, 2.0]], [0, 1], ValueError, "NaN or infinite"),
        ([[0.0, np.inf], [1.0, 2.0]], [0, 1], ValueError, "NaN or infinite"),
        ([[1 + 2j, 0], [1, 2]], [0, 1], ValueError, "Complex data not supported"),
        ([["a", "b"], ["c", "d"]], [0, 1], ValueError, "could not convert string to float"),
        (np.zeros((4, 2)), None, ValueError, "requires y to be passed"),
        (np.zeros((4, 2)), [0, 1, 0], ValueError, "X has 4 rows but y has 3 labels"),
        (np.zeros((4, 2)), np.zeros((4, 2)), ValueError, "y should be a 1d array"),
        (np.zeros((4, 2)), [0.5, 1.5, 0.5, 1.0], ValueError, "Unknown label type: continuous"),
        (np.zeros((4, 2)), [0, 1, np.nan, 1], ValueError, "y contains NaN"),
        (np.zeros((4, 2)), np.array(["a", 1, "b", 2], dtype=object), ValueError, "cannot be compared"),
        (np.zeros((4, 2)), [3, 3, 3, 3], ValueError, "only 1 class"),
    ],
)
def test_bad_input_to_fit(X, y, error, message):
    clf = Classifier(epochs=1)
    with pytest.raises(error, match=message):
        clf.fit(X, y)
    assert not hasattr(clf, "classes_")


def test_sparse_input_is_refused_with_a_clear_message():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="sparse matrices are not supported"):
        Classifier().fit(sparse.csr_matrix(np.eye(4)), [0, 1, 0, 1])


def test_bad_input_to_predict():
    X, y = spiral_rows(60)
    clf = Classifier(epochs=2, seed=0).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but Classifier is expecting 2"):
        clf.predict(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="Reshape your data"):
        clf.predict_proba(X[0])
    with pytest.raises(ValueError, match="NaN"):
        clf.predict([[np.nan, 0.0]])
    with pytest.raises(ValueError, match="one per row of X"):
        clf.score(X, y[:-1])


def test_column_vector_y_is_flattened_with_a_warning():
    X, y = spiral_rows(60)
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        clf = Classifier(epochs=2, seed=0).fit(X, y[:, None])
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])


def test_unfitted_estimator_raises_not_fitted_error():
    clf = Classifier()
    for method in (clf.predict, clf.predict_proba):
        with pytest.raises(NotFittedError, match="not fitted yet: call fit") as caught:
            method(np.zeros((2, 2)))
        # scikit-learn is loaded here, so the error is also its NotFittedError (which its checks catch).
        assert isinstance(caught.value, SklearnNotFittedError)
    with pytest.raises(NotFittedError):
        clf.score(np.zeros((2, 2)), [0, 1])


def test_divergence_reraises_and_leaves_the_estimator_as_it_was():
    X, y = spiral_rows(150)
    clf = Classifier(epochs=2, seed=0).fit(X, y)
    before = clf.predict_proba(X)
    with pytest.raises(DivergenceError, match="Lower the learning rate"):
        clf.set_params(lr=1e6, epochs=50, batch_size=1).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), before)
    assert clf.history_.epochs == 2 and (clf.lr, clf.epochs) == (1e6, 50)
    assert all(np.all(np.isfinite(getattr(clf.net_, name))) for name in ("W0", "b0", "W1", "b1"))


def test_importing_pynn_does_not_import_scikit_learn():
    code = (
        "import sys, numpy as np, pynn\n"
        "c = pynn.Classifier(epochs=2, seed=0).fit(np.eye(4), [0, 1, 0, 1])\n"
        "c.predict(np.eye(4))\n"
        "try:\n"
        "    pynn.Classifier().predict(np.eye(4))\n"
        "except pynn.estimator.NotFittedError:\n"
        "    pass\n"
        "assert not any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules), 'sklearn imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize(("batch_size", "weight_decay"), [(40, 0.0), (40, 0.3), (500, 0.1)])
def test_fit_takes_the_spec_steps_on_standardized_features(spec, batch_size, weight_decay):
    """batch_size ≥ N: one full-batch step per epoch on (X − mean) / std, whatever the order:
    θ − lr·(∂L/∂θ / N + λ·θ), so the fitted weights follow from the spec's formulas by hand."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((40, 3)) * [1.0, 5.0, 0.1] + [0.0, 3.0, -1.0]
    y = rng.integers(0, 3, 40)
    clf = Classifier(hidden=6, lr=0.4, epochs=2, batch_size=batch_size, weight_decay=weight_decay, seed=3).fit(X, y)
    Z = ((X - X.mean(axis=0)) / X.std(axis=0)).T
    np.testing.assert_allclose(clf.mean_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(clf.scale_, X.std(axis=0), rtol=1e-12)
    # The starting weights: a fresh TwoLayerNet from fit's first seed, as documented in fit.
    start = TwoLayerNet(3, 6, 3, seed=np.random.SeedSequence(3).spawn(2)[0])
    expected = spec.params_of(start)
    for _ in range(2):
        expected = spec.step(expected, Z, y, lr=0.4, wd=weight_decay)
    spec.assert_params(clf.net_, expected, rtol=1e-10)
    np.testing.assert_allclose(clf.history_.loss[-1], spec.loss(expected, Z, y), rtol=1e-10)
    h1 = np.hstack([spec.forward(expected, Z[:, [i]])[3] for i in range(40)])
    np.testing.assert_allclose(clf.predict_proba(X), h1.T, rtol=1e-9)


def test_small_batches_and_weight_decay_change_the_fit():
    X, y = spiral_rows(60)
    base = Classifier(hidden=8, epochs=2, batch_size=60, seed=0).fit(X, y).net_.W0
    assert not np.allclose(Classifier(hidden=8, epochs=2, batch_size=7, seed=0).fit(X, y).net_.W0, base)
    assert not np.allclose(Classifier(hidden=8, epochs=2, batch_size=60, weight_decay=0.5, seed=0).fit(X, y).net_.W0, base)


def test_init_reaches_the_net():
    X, y = spiral_rows(60)
    zero = Classifier(hidden=5, epochs=2, seed=0, init="zero").fit(X, y)
    assert not zero.net_.W0.any() and not zero.net_.W1.any()
    assert Classifier(hidden=5, epochs=2, seed=0).fit(X, y).net_.W0.any()
    assert repr(Classifier(init="small")) == "Classifier(init='small')"

"""A scikit-learn style classifier around pynn's TwoLayerNet and train().

    clf = Classifier(hidden=100, lr=0.1, epochs=50, batch_size=32, seed=0).fit(X, y)
    clf.predict(X_new), clf.predict_proba(X_new), clf.score(X_test, y_test)

Unlike the rest of pynn, X here is N×D, one example per ROW, as in scikit-learn; the estimator
transposes to pynn's columns inside. Labels may be any values numpy can sort: integers, strings,
booleans. scikit-learn is not needed to use this class; it is only imported by
``__sklearn_tags__``, which only scikit-learn itself calls.
"""
from __future__ import annotations

import functools
import inspect
import numbers
import sys
import warnings
from typing import Any

import numpy as np

from . import _checks
from .datasets import mean_std, standardize
from .model import Forward, TwoLayerNet, init_scales
from .training import train


class NotFittedError(ValueError, AttributeError):
    """predict, predict_proba or score was called before fit (like scikit-learn's NotFittedError)."""


class DataConversionWarning(UserWarning):
    """y was a column vector (N×1) and was flattened (like scikit-learn's DataConversionWarning)."""


class Classifier:
    """A two-layer ReLU/softmax net trained by mini-batch SGD, with scikit-learn's estimator API.

    Parameters: ``hidden`` units H, learning rate ``lr``, ``epochs`` passes over the data,
    ``batch_size`` examples per SGD step (1 is pure SGD), L2 ``weight_decay`` on W0 and W1,
    ``seed`` (None for fresh randomness; an integer makes fit reproducible bit for bit), ``init``
    the initial weights (``he``, ``small``, ``zero`` or ``large``: pynn.TwoLayerNet).
    Parameters are checked when fit is called, as scikit-learn requires, not when set.

    fit standardizes each feature with the training set's mean and standard deviation (kept
    in ``mean_`` and ``scale_`` and applied again by predict), so the default learning rate suits
    data of any scale. If the loss becomes infinite or NaN, fit raises ``pynn.DivergenceError``
    (a ValueError saying to lower lr) and the estimator is left exactly as it was before the call.

    Fitted attributes: ``classes_`` (the sorted distinct labels; column j of predict_proba is
    classes_[j]), ``n_features_in_``, ``net_`` (the trained TwoLayerNet, on standardized
    features), ``history_`` (pynn.History: per-epoch loss and accuracy), ``mean_``, ``scale_``.
    """

    def __init__(
        self,
        hidden: int = 100,
        lr: float = 0.1,
        epochs: int = 50,
        batch_size: int = 32,
        weight_decay: float = 0.0,
        seed: int | None = None,
        init: str = "he",
    ) -> None:
        self.hidden = hidden
        self.lr = lr
        self.epochs = epochs
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.seed = seed
        self.init = init

    # -- scikit-learn's parameter protocol --------------------------------------------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor's parameters as a dict (``deep`` is accepted for scikit-learn; no effect)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> "Classifier":
        """Change parameters by name; they are checked at the next fit. Returns self."""
        valid = self._param_names()
        for name in params:
            if name not in valid:
                raise ValueError(f"Classifier has no parameter {name!r}; valid parameters are {', '.join(valid)}")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = [
            f"{name}={value!r}" for name, value in self.get_params().items()
            if not (value is defaults[name] or (type(value) is type(defaults[name]) and value == defaults[name]))
        ]
        return f"Classifier({', '.join(changed)})"

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            transformer_tags=None,
            regressor_tags=None,
            classifier_tags=ClassifierTags(),
            input_tags=InputTags(),
        )

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "net_")

    # -- training and prediction ----------------------------------------------------------------

    def fit(self, X: Any, y: Any) -> "Classifier":
        """Train a new net on X (N×D) and labels y (N,); returns self. Refitting starts afresh."""
        hidden = _checks.count("hidden", self.hidden, 1)
        lr = _checks.positive("lr", self.lr)
        epochs = _checks.count("epochs", self.epochs, 1)
        batch_size = _checks.count("batch_size", self.batch_size, 1)
        weight_decay = _checks.non_negative("weight_decay", self.weight_decay)
        seed = None if self.seed is None else _checks.count("seed", self.seed, 0)
        init_scales(self.init, 1, 1)  # refuses an unknown name before any work
        X = _features(X)
        classes, y_index = _encode_labels(y, X.shape[0])

        with np.errstate(over="ignore", invalid="ignore"):
            mean, std = mean_std(X.T)
        if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std))):
            raise ValueError("X's values are too large: their mean or spread overflows float64; scale X down")
        init_seed, order_seed = np.random.SeedSequence(seed).spawn(2)
        net = TwoLayerNet(X.shape[1], hidden, classes.shape[0], seed=init_seed, init=self.init)
        history = train(
            net, standardize(X.T, mean, std), y_index,
            lr=lr, epochs=epochs, batch_size=batch_size, weight_decay=weight_decay, seed=order_seed,
        )
        # Only now, with training done, does the estimator change: a fit that raises leaves it as it was.
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.mean_, self.scale_ = mean[:, 0], std[:, 0]
        self.net_ = net
        self.history_ = history
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, N×C: row i is h1 for example i, column j is for classes_[j]."""
        return self._forward(X).h1.T

    def predict(self, X: Any) -> np.ndarray:
        """The most probable label of each row of X, shape (N,), taken from classes_."""
        winners = self._forward(X).s1.argmax(axis=0)
        return self.classes_[winners]

    def score(self, X: Any, y: Any) -> float:
        """Mean accuracy: the fraction of rows of X whose predicted label equals y."""
        predicted = self.predict(X)
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != predicted.shape[0]:
            raise ValueError(f"y must be a 1-D array of {predicted.shape[0]} labels, one per row of X; got shape {y.shape}")
        return float(np.mean(predicted == y))

    def _forward(self, X: Any) -> Forward:
        if not self.__sklearn_is_fitted__():
            raise _sklearn_flavoured(NotFittedError)(
                "This Classifier is not fitted yet: call fit(X, y) before predict, predict_proba or score"
            )
        X = _features(X, self.n_features_in_)
        return self.net_.forward(standardize(X.T, self.mean_[:, None], self.scale_[:, None]))


# -- input checks for the N×D layout ----------------------------------------------------------------


def _features(X: Any, n_features: int | None = None) -> np.ndarray:
    """X as an N×D float64 array of finite values, one example per row; ValueError or TypeError if not."""
    if X is None:
        raise ValueError("X is None: pass a 2-D array of shape (n_samples, n_features)")
    if _is_sparse(X):
        raise TypeError("sparse matrices are not supported: pass a dense array, e.g. X.toarray()")
    array = np.asarray(X)
    if array.dtype.kind == "c":
        raise ValueError("Complex data not supported: X must hold real numbers")
    array = array.astype(np.float64)  # a TypeError here names the value that is not a number
    if array.ndim != 2:
        raise ValueError(
            f"X must be a 2-D array of shape (n_samples, n_features), one example per row; got "
            f"{array.ndim}-D shape {array.shape}. Reshape your data either using X.reshape(-1, 1) "
            f"if it has a single feature or X.reshape(1, -1) if it is a single sample."
        )
    if array.shape[0] == 0:
        raise ValueError(f"X has 0 sample(s) (shape={array.shape}) while a minimum of 1 is required.")
    if array.shape[1] == 0:
        raise ValueError(f"X has 0 feature(s) (shape={array.shape}) while a minimum of 1 is required.")
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(
            f"X has {array.shape[1]} features, but Classifier is expecting {n_features} features as input "
            f"(the number it was fitted on)."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError("X contains NaN or infinite values (inf); remove or replace them first")
    return array


def _encode_labels(y: Any, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """(classes_, indices): the sorted distinct labels of y and each label's index in them."""
    if y is None:
        raise ValueError("Classifier requires y to be passed, but the target y is None")
    if _is_sparse(y):
        raise TypeError("a sparse y is not supported: pass a dense 1-D array of labels")
    y = np.asarray(y)
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported: y must hold class labels")
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected; it was flattened to shape (N,)",
            _sklearn_flavoured(DataConversionWarning),
            stacklevel=3,
        )
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y should be a 1d array of labels, got an array of shape {y.shape} instead")
    if y.shape[0] != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {y.shape[0]} labels: give one label per row of X")
    if y.dtype.kind == "f" or y.dtype == object:
        numbers_in_y = y if y.dtype.kind == "f" else [v for v in y if isinstance(v, numbers.Real)]
        numeric = np.asarray(numbers_in_y, dtype=np.float64)
        if not np.all(np.isfinite(numeric)):
            raise ValueError("y contains NaN or infinite values; every example needs a class label")
        if np.any(numeric != np.round(numeric)):
            raise ValueError(
                "Unknown label type: continuous. y holds non-integer numbers such as "
                f"{numeric[numeric != np.round(numeric)][0]:g}; a classifier needs class labels"
            )
    try:
        classes, indices = np.unique(y, return_inverse=True)
    except TypeError:
        raise ValueError("Unknown label type: y mixes labels that cannot be compared, such as strings and numbers") from None
    if classes.shape[0] < 2:
        raise ValueError(f"y has only 1 class ({classes[0]!r}); a classifier needs at least 2 classes to learn from")
    return classes, indices.reshape(-1)


def _is_sparse(a: Any) -> bool:
    return type(a).__module__.startswith("scipy.sparse")


def _sklearn_flavoured(ours: type[Warning] | type[Exception]) -> Any:
    """``ours``, or when the caller has loaded scikit-learn, a class that is also scikit-learn's namesake.

    scikit-learn's checks, warning filters and ``except`` clauses test the class, not its name,
    so NotFittedError and DataConversionWarning must derive from scikit-learn's own to be caught
    there. Nothing is imported here: without scikit-learn in sys.modules the plain class is used.
    """
    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    theirs = getattr(sklearn_exceptions, ours.__name__, None)
    return ours if theirs is None else _both(ours, theirs)


@functools.cache
def _both(ours: type, theirs: type) -> type:
    return type(ours.__name__, (ours, theirs), {"__module__": __name__, "__doc__": ours.__doc__})

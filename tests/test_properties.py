"""Property-based bad input: any shapes and values either work or raise ValueError, never another
exception and never a NaN model (issue 6)."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from pynn import DivergenceError, TwoLayerNet, train
from pynn.model import PARAMETERS

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6), elements=floats)
reasonable = hnp.arrays(np.float64, st.tuples(st.just(2), st.integers(1, 8)), elements=st.floats(-1e6, 1e6))
label_values = st.one_of(
    hnp.arrays(np.int64, st.integers(0, 8), elements=st.integers(-3, 5)),
    hnp.arrays(np.float64, st.integers(0, 8), elements=floats),
    st.lists(st.one_of(st.integers(-2, 4), st.text(max_size=2)), max_size=8),
)


def assert_finite_model(net):
    for name in PARAMETERS:
        assert np.all(np.isfinite(getattr(net, name))), name


@SETTINGS
@given(st.integers(-3, 5), st.integers(-3, 5), st.integers(-3, 5))
def test_construction(D, H, C):
    try:
        net = TwoLayerNet(D, H, C, seed=0)
    except ValueError:
        assert D < 1 or H < 1 or C < 2
    else:
        assert_finite_model(net)


@SETTINGS
@given(st.one_of(arrays, reasonable), label_values, st.floats(allow_nan=True, allow_infinity=True))
def test_public_methods_work_or_raise_value_error(X, y, lr):
    net = TwoLayerNet(2, 4, 3, seed=0)
    for call in (
        lambda: net.forward(X),
        lambda: net.predict(X),
        lambda: net.loss(X, y),
        lambda: net.gradients(X, y),
        lambda: net.accuracy(X, y),
        lambda: net.sgd_step(X, y, lr),
    ):
        try:
            result = call()
        except ValueError:
            pass
        else:
            if isinstance(result, float):
                assert np.isfinite(result)
        assert_finite_model(net)


@SETTINGS
@given(reasonable, st.floats(1e-6, 1e6), st.integers(1, 4), st.floats(0, 10))
def test_train_works_or_diverges_cleanly(X, lr, batch, wd):
    y = np.arange(X.shape[1]) % 3
    net = TwoLayerNet(2, 4, 3, seed=0)
    try:
        history = train(net, X, y, lr=lr, epochs=3, batch_size=batch, weight_decay=wd, seed=0)
    except DivergenceError:
        pass
    except ValueError as error:  # inputs so large that even the first scores overflow
        assert "overflow" in str(error)
    else:
        assert np.all(np.isfinite(history.loss))
    assert_finite_model(net)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["format", "n_inputs", "n_hidden", "n_classes", "W0", "b0", "W1", "b1"]), json_values))
def test_from_dict_builds_a_net_or_raises_value_error(data):
    data.setdefault("format", "pynn.TwoLayerNet")
    try:
        net = TwoLayerNet.from_dict(data)
    except ValueError:
        return
    assert_finite_model(net)

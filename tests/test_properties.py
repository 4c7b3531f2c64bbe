"""Property-based bad input: any shapes and values either work or raise ValueError, never another
exception and never a NaN model; and well-formed input takes the success path most of the time (each
test counts its outcomes and asserts their shares, so a strategy that only ever hits the error path fails)."""
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from pynn import DivergenceError, TwoLayerNet, train
from pynn.model import PARAMETERS

# derandomize: the same 150 examples every run, so the outcome shares asserted below cannot flake.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None, derandomize=True
)

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6), elements=floats)
reasonable = hnp.arrays(np.float64, st.tuples(st.just(2), st.integers(1, 8)), elements=st.floats(-1e6, 1e6))
label_values = st.one_of(
    hnp.arrays(np.int64, st.integers(0, 8), elements=st.integers(-3, 5)),
    hnp.arrays(np.float64, st.integers(0, 8), elements=floats),
    st.lists(st.one_of(st.integers(-2, 4), st.text(max_size=2)), max_size=8),
)


@st.composite
def batches(draw):
    """A well-formed batch (X 2×N of finite values, y N labels in 0..2) three times in four; else junk."""
    if draw(st.integers(0, 3)) == 3:
        return draw(st.one_of(arrays, reasonable)), draw(label_values)
    n = draw(st.integers(1, 8))
    X = draw(hnp.arrays(np.float64, (2, n), elements=st.floats(-1e3, 1e3)))
    return X, draw(hnp.arrays(np.int64, n, elements=st.integers(0, 2)))


def assert_finite_model(net):
    for name in PARAMETERS:
        assert np.all(np.isfinite(getattr(net, name))), name


def record(outcomes: Counter, outcome: str) -> None:
    outcomes[outcome] += 1
    event(outcome)


def assert_share(outcomes: Counter, outcome: str, at_least: float) -> None:
    total = sum(outcomes.values())
    assert outcomes[outcome] >= at_least * total, f"{outcome} in only {outcomes[outcome]} of {total} examples: {dict(outcomes)}"


def test_construction():
    outcomes = Counter()

    @SETTINGS
    @given(st.integers(-1, 6), st.integers(-1, 6), st.integers(-1, 6))
    def check(D, H, C):
        try:
            net = TwoLayerNet(D, H, C, seed=0)
        except ValueError:
            assert D < 1 or H < 1 or C < 2
            record(outcomes, "ValueError")
        else:
            assert D >= 1 and H >= 1 and C >= 2
            assert (net.n_inputs, net.n_hidden, net.n_classes) == (D, H, C)
            assert_finite_model(net)
            record(outcomes, "net")

    check()
    assert_share(outcomes, "net", 0.25)


def test_public_methods_work_or_raise_value_error():
    outcomes = Counter()

    @SETTINGS
    @given(batches(), st.one_of(st.floats(1e-4, 10), st.floats(allow_nan=True, allow_infinity=True)))
    def check(batch, lr):
        X, y = batch
        net = TwoLayerNet(2, 4, 3, seed=0)
        for call in (
            lambda: net.forward(X),
            lambda: net.predict(X),
            lambda: net.loss(X, y),
            lambda: net.gradients(X, y),
            lambda: net.accuracy(X, y),
        ):
            try:
                result = call()
            except ValueError:
                pass
            else:
                if isinstance(result, float):
                    assert np.isfinite(result)
            assert_finite_model(net)
        before = {name: getattr(net, name).copy() for name in PARAMETERS}
        try:
            loss = net.sgd_step(X, y, lr)
        except ValueError:
            for name in PARAMETERS:  # a refused step changes nothing
                np.testing.assert_array_equal(getattr(net, name), before[name])
            record(outcomes, "sgd_step refused")
        else:
            assert np.isfinite(loss) and loss >= 0
            assert any(not np.array_equal(getattr(net, name), before[name]) for name in PARAMETERS)
            record(outcomes, "sgd_step stepped")
        assert_finite_model(net)

    check()
    assert_share(outcomes, "sgd_step stepped", 0.5)
    assert_share(outcomes, "sgd_step refused", 0.1)


def test_train_works_or_diverges_cleanly():
    outcomes = Counter()

    @SETTINGS
    @given(reasonable, st.one_of(st.floats(1e-3, 1.0), st.floats(1e-6, 1e6)), st.integers(1, 4), st.floats(0, 10))
    def check(X, lr, batch, wd):
        y = np.arange(X.shape[1]) % 3
        net = TwoLayerNet(2, 4, 3, seed=0)
        try:
            history = train(net, X, y, lr=lr, epochs=3, batch_size=batch, weight_decay=wd, seed=0)
        except DivergenceError:
            record(outcomes, "diverged")
        except ValueError as error:  # inputs so large that even the first scores overflow
            assert "overflow" in str(error)
            record(outcomes, "overflow")
        else:
            assert history.epochs == 3 and np.all(np.isfinite(history.loss))
            record(outcomes, "trained")
        assert_finite_model(net)

    check()
    assert_share(outcomes, "trained", 0.5)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)


@st.composite
def model_dicts(draw):
    """A net's to_dict() (any D, H, C) three times in four, perhaps with one entry replaced by junk; else junk."""
    if draw(st.integers(0, 3)) == 3:
        data = draw(st.dictionaries(st.sampled_from(["format", "n_inputs", "n_hidden", "n_classes", "W0", "b0", "W1", "b1"]), json_values))
        data.setdefault("format", "pynn.TwoLayerNet")
        return data
    net = TwoLayerNet(draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(2, 4)), seed=draw(st.integers(0, 9)))
    data = net.to_dict()
    if draw(st.booleans()) and draw(st.booleans()):
        data[draw(st.sampled_from(sorted(data)))] = draw(json_values)
    return data


def test_from_dict_builds_a_net_or_raises_value_error():
    outcomes = Counter()

    @SETTINGS
    @given(model_dicts())
    def check(data):
        try:
            net = TwoLayerNet.from_dict(data)
        except ValueError:
            record(outcomes, "ValueError")
            return
        assert_finite_model(net)
        for name in PARAMETERS:
            np.testing.assert_array_equal(getattr(net, name), np.asarray(data[name], dtype=float))
        record(outcomes, "net")

    check()
    assert_share(outcomes, "net", 0.5)

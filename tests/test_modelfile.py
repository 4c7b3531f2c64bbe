"""pynn.page.modelfile: the page's model file (to_dict + settings + epoch + your own points)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pynn import TwoLayerNet
from pynn.page import modelfile


@pytest.fixture
def net() -> TwoLayerNet:
    return TwoLayerNet(2, 5, 3, seed=4)


def test_round_trip_keeps_weights_settings_epoch_and_data(net) -> None:
    data = (np.array([[0.5, 1.0], [-1.0, 2.0]]), np.array([[3.0], [4.0]]), np.array([0, 2]), np.array([1]))
    text = modelfile.dumps(net, {"dataset": "custom", "hidden": 5}, 17, data)
    file = modelfile.parse(text)
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_array_equal(getattr(file.net, name), getattr(net, name))
    assert file.settings == {"dataset": "custom", "hidden": 5} and file.epoch == 17
    for got, want in zip(file.data, data):
        np.testing.assert_array_equal(got, want)
    content = json.loads(text)
    assert content["format"] == net.to_dict()["format"] and content["n_inputs"] == 2


def test_a_bare_to_dict_is_a_model_without_settings(net) -> None:
    file = modelfile.parse(json.dumps(net.to_dict()))
    assert file.settings is None and file.epoch == 0 and file.data is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("not json", "not valid JSON (line 1, column 1"),
        ('{"format": "pynn', "ends too early (truncated?)"),
        ("[1, 2]", "expected a JSON object"),
        ('{"hello": 1}', "not a pynn model"),
        ("[" * 100_000 + "]" * 100_000, "more than 64 levels deep"),
        ("x" * (modelfile.MAX_BYTES + 1), "larger than 5 MB"),
    ],
)
def test_what_is_not_a_model_says_so(text, words) -> None:
    with pytest.raises(ValueError, match=None) as caught:
        modelfile.parse(text)
    assert words in str(caught.value)


def test_wrong_shapes_bad_settings_epoch_or_data_are_refused(net) -> None:
    good = json.loads(modelfile.dumps(net, {"dataset": "spiral"}, 3))
    for change, words in [
        ({"W1": [[1.0, 2.0]]}, "W1 has shape"),
        ({"b0": "zero"}, "b0 is not an array of numbers"),
        ({"n_hidden": 6}, "n_hidden is 6"),
        ({"settings": [1]}, "settings must be an object"),
        ({"epoch": -1}, "epoch must be"),
        ({"epoch": 1.5}, "epoch must be"),
        ({"data": {"train": [[0, 0]], "test": []}}, "[x1, x2, label]"),
        ({"data": {"train": [[0, 0, 9]], "test": []}}, "labels must be whole numbers from 0 to 5"),
        ({"data": {"train": [["a", 0, 0]], "test": []}}, "must be numbers"),
        ({"data": {"train": []}}, "train and test lists"),
    ]:
        with pytest.raises(ValueError) as caught:
            modelfile.parse(json.dumps({**good, **change}))
        assert words in str(caught.value), (change, str(caught.value))

"""pynn.page.previews: the plane's first picture, made by pynn at build time."""
from __future__ import annotations

import json

import numpy as np
import pytest

from pynn.datasets import GENERATORS
from pynn.page.previews import DECIMALS, previews, previews_json
from pynn.page.session import Session


def test_each_generated_data_set_has_a_preview_of_the_points_a_session_makes() -> None:
    shown = previews()["datasets"]
    assert list(shown) == list(GENERATORS)  # every generated set, not the digits or your own points
    for name, preview in shown.items():
        session = Session()
        snap = session.configure({"dataset": name, "classes": preview["classes"]})
        assert preview["settings"] == session.settings
        assert preview["extent"] == snap["extent"] and preview["classes"] == snap["classes"]
        for key in ("train_xy", "test_xy"):
            np.testing.assert_allclose(preview[key], snap[key], atol=10 ** -DECIMALS)
        for key in ("train_y", "test_y"):
            assert preview[key] == snap[key].tolist()


@pytest.mark.parametrize(("name", "classes"), [("spiral", 3), ("moons", 2), ("xor", 2)])
def test_the_default_class_count_is_fitted_to_the_data_set(name, classes) -> None:
    assert previews()["datasets"][name]["classes"] == classes


def test_the_points_depend_on_the_data_keys_only() -> None:
    keys = previews()["keys"]
    base = Session().configure({"dataset": "spiral"})
    for key, value in (("hidden", 7), ("lr", 0.01), ("batch", 3), ("wd", 0.1)):
        assert key not in keys
        other = Session().configure({"dataset": "spiral", key: value})
        assert other["train_xy"].tolist() == base["train_xy"].tolist()
    for key, value in (("classes", 4), ("points", 100), ("noise", 0.2), ("split", 0.5), ("seed", 2)):
        assert key in keys
        other = Session().configure({"dataset": "spiral", key: value})
        assert other["train_xy"].tolist() != base["train_xy"].tolist()


def test_the_json_is_compact_and_small() -> None:
    text = previews_json()
    assert json.loads(text) == previews()
    assert " " not in text and len(text) < 60_000

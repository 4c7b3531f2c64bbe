"""pynn.page.settings: the one table of the page's settings and limits."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pynn import datasets
from pynn.page import csvdata, modelfile, settings

SETTINGS_PY = Path(settings.__file__)


def test_the_table_is_plain_json_with_every_field() -> None:
    table = settings.table()
    assert json.loads(json.dumps(table)) == table
    assert list(table["fields"]) == ["dataset", "classes", "points", "noise", "split", "hidden", "init", "lr", "batch", "wd", "seed"]
    assert [name for name, field in table["fields"].items() if field["live"]] == ["lr", "batch", "wd"]
    assert table["datasets"] == [*datasets.GENERATORS, "digits", "custom"]
    assert table["class_range"]["moons"] == [2, 2] and table["class_range"]["digits"] == [10, 10]
    assert table["class_range"]["custom"] == [2, 6]
    assert table["inputs"]["digits"] == 64 and table["inputs"]["spiral"] == 2


def test_the_generators_class_ranges_are_the_librarys() -> None:
    for name, low_high in datasets.CLASS_RANGE.items():
        assert settings.CLASS_RANGE[name] == low_high, name


def test_the_file_limits_are_the_ones_pynn_enforces() -> None:
    assert csvdata.MAX_BYTES == settings.table()["csv"]["max_bytes"] == 1_000_000
    assert csvdata.MAX_ROWS == settings.table()["csv"]["max_rows"] == 5_000
    assert modelfile.MAX_BYTES == settings.table()["model_max_bytes"] == 5_000_000
    with pytest.raises(ValueError, match="larger than 5 MB"):
        modelfile.parse(" " * (settings.MODEL_MAX_BYTES + 1))


def test_it_runs_on_the_standard_library_alone() -> None:
    """build.py loads it without numpy; -I -S keeps site-packages (and numpy) out."""
    out = subprocess.run(
        [sys.executable, "-I", "-S", str(SETTINGS_PY)], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(out.stdout) == settings.table()


def test_n_inputs_and_n_classes_follow_the_data_set() -> None:
    assert settings.n_inputs({"dataset": "digits"}) == 64 and settings.n_inputs({"dataset": "xor"}) == 2
    assert settings.n_classes({"dataset": "digits", "classes": 3}) == 10
    assert settings.n_classes({"dataset": "spiral", "classes": 4}) == 4


def test_points_and_noise_do_not_apply_where_no_points_are_generated():
    from pynn.page import settings

    generated = [name for name in settings.DATASETS if name not in ("digits", "custom")]
    for name in ("digits", "custom"):
        assert not settings.applies("points", name) and not settings.applies("noise", name)
        assert settings.applies("hidden", name) and settings.applies("split", name)
    for name in generated:
        assert all(settings.applies(key, name) for key in settings.FIELDS)
    table = settings.table()["not_applicable"]
    assert table == {name: (["points", "noise"] if name in ("digits", "custom") else []) for name in settings.DATASETS}


def test_choice_settings_take_their_own_values_and_init_is_quiet_at_its_default():
    assert settings.validate({"init": "zero"})["init"] == "zero"
    assert settings.validate({})["init"] == "he"
    with pytest.raises(ValueError, match="init must be one of he, small, zero, large; got 'spiral'"):
        settings.validate({"init": "spiral"})
    with pytest.raises(ValueError, match="dataset must be one of spiral, circles"):
        settings.validate({"dataset": "zero"})
    fields = settings.table()["fields"]
    assert fields["init"] == {
        "kind": "choice", "default": "he", "min": None, "max": None, "live": False,
        "choices": ["he", "small", "zero", "large"], "quiet": True,
        "names": {value: f"settings.choice.init.{value}" for value in ["he", "small", "zero", "large"]},
    }
    assert fields["dataset"]["choices"] == list(settings.DATASETS) and "quiet" not in fields["dataset"]


def test_every_value_of_a_choice_has_a_name_the_menus_show() -> None:
    """The menus show a text by id for each value (the value stays what the address holds); its
    English is in the table's texts, so a new data set without a name fails here."""
    table = settings.table()
    for name, field in table["fields"].items():
        if field["kind"] != "choice":
            continue
        assert list(settings.CHOICE_NAMES[name]) == field["choices"], name
        assert list(field["names"]) == field["choices"], name
        for value, key in field["names"].items():
            assert key == f"settings.choice.{name}.{value}" and table["texts"][key], key
    assert table["texts"]["settings.choice.dataset.custom"] == "your points"


def test_the_table_says_what_each_data_set_is_and_each_setting_s_help() -> None:
    """The page asks the table (``kinds``) instead of comparing a data set's name: an image's pixels
    are its inputs D, every other data set is points of the plane, and your own points are yours."""
    table = settings.table()
    for name, kind in table["kinds"].items():
        rows_cols = kind["image"]
        assert kind["plane"] == (rows_cols is None) == (table["inputs"][name] == 2), name
        assert rows_cols is None or rows_cols[0] * rows_cols[1] == table["inputs"][name], name
    assert table["kinds"]["digits"] == {"plane": False, "image": [8, 8], "yours": False}
    assert [name for name, kind in table["kinds"].items() if kind["yours"]] == ["custom"]
    assert list(table["help"]) == list(table["fields"])
    assert all("Try:" in table["texts"][key] for key in table["help"].values())

"""Boundaries and messages that a mutation run (docs/mutation.md) found no test held: each limit
checked on both sides, each refusal by its whole message, each value the page reads by its type."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from pynn import Classifier, TwoLayerNet, _checks
from pynn.__main__ import fraction
from pynn.page import backprop, csvdata, inside, modelfile, pagedata, settings
from pynn.page.session import Session


def whole(message: str) -> str:
    """A pytest.raises pattern that matches exactly this message."""
    return f"^{re.escape(message)}$"


def points(n_train: int, n_test: int = 0, notice: str | None = "a note") -> pagedata.Data:
    X = np.vstack([np.arange(n_train + n_test, dtype=float), np.zeros(n_train + n_test)])
    y = np.arange(n_train + n_test) % 2
    return pagedata.Data(X[:, :n_train], X[:, n_train:], y[:n_train], y[n_train:], 2.0, notice)


# --- pynn._checks, the estimator, the command line ---------------------------------------------------


def test_short_keeps_a_repr_up_to_its_limit_and_cuts_a_longer_one_to_exactly_the_limit():
    assert _checks.short("a" * 38) == repr("a" * 38)  # 40 characters with the quotes
    assert _checks.short("a" * 39) == repr("a" * 39)[:37] + "..."
    assert len(_checks.short("a" * 39)) == 40
    assert _checks.short(12) == "12"


def test_set_params_names_the_valid_parameters():
    with pytest.raises(ValueError, match=r"no parameter 'speed'; valid parameters are hidden, "):
        Classifier().set_params(speed=1)


def test_the_test_fraction_is_strictly_between_0_and_1():
    assert fraction("0.5") == 0.5
    for text in ("0", "1"):
        with pytest.raises(Exception, match="between 0 and 1"):
            fraction(text)


# --- the settings table ------------------------------------------------------------------------------


def test_the_table_names_each_fields_keys_as_the_page_reads_them():
    table = settings.table()
    assert table["fields"]["lr"] == {"kind": "float", "default": 0.1, "min": 0.0001, "max": 100.0, "live": True}
    assert table["fields"]["dataset"] == {
        "kind": "choice", "default": "spiral", "min": None, "max": None, "live": False, "choices": list(settings.DATASETS),
        "names": {name: f"settings.choice.dataset.{name}" for name in settings.DATASETS},
    }
    assert table["csv"] == {"max_bytes": 1_000_000, "max_rows": 5_000, "max_label": 5, "max_abs": 1e6}
    assert table["model_max_bytes"] == 5_000_000


# --- your own points ----------------------------------------------------------------------------------


def test_a_point_may_sit_exactly_at_the_coordinate_limit_and_the_notice_goes():
    data = pagedata.add_point(points(3), csvdata.MAX_ABS, -csvdata.MAX_ABS, 1, 2)
    assert data.X_train[:, -1].tolist() == [csvdata.MAX_ABS, -csvdata.MAX_ABS]
    assert data.notice is None


def test_adding_a_point_is_refused_with_the_value_cut_to_20_characters():
    with pytest.raises(ValueError, match=whole("x2 must be a number within ±1,000,000, got '12345678901234567890'")):
        pagedata.add_point(points(3), 0.0, "123456789012345678901234567890", 0, 2)
    with pytest.raises(ValueError, match=whole("label must be a class from 0 to 1, got '12345678901234567890'")):
        pagedata.add_point(points(3), 0.0, 0.0, "123456789012345678901234567890", 2)


def test_the_point_limit_counts_training_and_test_points_together():
    limit = csvdata.MAX_ROWS
    pagedata.add_point(points(limit - 11, 10), 0.0, 0.0, 0, 2)  # limit - 1 points: one more fits
    for n_train, n_test in ((limit - 10, 10), (limit, 0)):
        with pytest.raises(ValueError, match=whole(f"there are already {limit:,} points, the most the page takes")):
            pagedata.add_point(points(n_train, n_test), 0.0, 0.0, 0, 2)


def test_removing_takes_the_nearest_point_from_the_set_it_is_in():
    data = points(3, 2)  # training at x1 = 0, 1, 2; test at 3, 4
    test_removed = pagedata.remove_nearest(data, 3.2, 0.0)
    assert test_removed.X_test.tolist() == [[4.0], [0.0]] and test_removed.y_test.tolist() == [0]
    assert test_removed.X_train.shape == (2, 3) and test_removed.notice is None
    train_removed = pagedata.remove_nearest(data, 0.9, 0.0)
    assert train_removed.X_train.tolist() == [[0.0, 2.0], [0.0, 0.0]] and train_removed.y_train.tolist() == [0, 0]
    assert train_removed.X_test.shape == (2, 2) and train_removed.notice is None


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "1"])
def test_removing_needs_two_finite_numbers(bad):
    with pytest.raises(ValueError, match=whole("x1 and x2 must be finite numbers")):
        pagedata.remove_nearest(points(3), bad, 0.0)


def test_removing_from_no_points_says_so():
    with pytest.raises(ValueError, match=whole("there are no points to remove")):
        pagedata.remove_nearest(points(0), 0.0, 0.0)


# --- CSV and model-file points -------------------------------------------------------------------------


def test_check_points_takes_the_limits_themselves_and_labels_written_as_text():
    X = np.array([[csvdata.MAX_ABS, 0.0], [0.0, -csvdata.MAX_ABS]])
    X_out, y = csvdata.check_points(X, ["1", "0"])
    assert X_out.tolist() == X.tolist() and y.tolist() == [1, 0] and y.dtype == np.int64
    n = csvdata.MAX_ROWS
    assert csvdata.check_points(np.zeros((2, n)), np.zeros(n))[0].shape == (2, n)
    with pytest.raises(ValueError, match=whole(f"data: more than {n:,} points")):
        csvdata.check_points(np.zeros((2, n + 1)), np.zeros(n + 1))


def test_a_bad_csv_value_is_quoted_back_cut_to_30_characters():
    long = "x" * 40
    with pytest.raises(ValueError, match=re.escape(repr("x" * 29 + "…"))):
        csvdata.parse_csv(f"0,0,0\n1,{long},1\n")
    exact = "y" * 30
    with pytest.raises(ValueError, match=re.escape(repr(exact))):
        csvdata.parse_csv(f"0,0,0\n1,{exact},1\n")


def model_text(train: list, test: list) -> str:
    content = json.loads(modelfile.dumps(TwoLayerNet(2, 3, 2, seed=0), {**settings.defaults(), "dataset": "custom", "classes": 2}, 0,
                                         (np.zeros((2, 1)), np.zeros((2, 1)), np.zeros(1, dtype=int), np.zeros(1, dtype=int))))
    content["data"] = {"train": train, "test": test}
    return json.dumps(content)


def test_a_model_file_is_written_compactly():
    text = modelfile.dumps(TwoLayerNet(2, 3, 2, seed=0), settings.defaults(), 4)
    assert ", " not in text and ": " not in text


def test_a_model_files_points_are_checked_whole_and_named():
    with pytest.raises(ValueError, match=whole("malformed pynn model: data must hold train and test lists of [x1, x2, label]")):
        modelfile.parse(model_text([[0, 0, 0]], None))
    with pytest.raises(ValueError, match=whole("malformed pynn model: test data: coordinates must be finite and within ±1,000,000")):
        modelfile.parse(model_text([[0, 0, 0]], [[2e6, 0, 1]]))
    n = csvdata.MAX_ROWS
    half = [[0, 0, 0]] * (n // 2)
    assert modelfile.parse(model_text(half, half)).data[0].shape == (2, n // 2)  # exactly the limit
    with pytest.raises(ValueError, match=whole(f"malformed pynn model: more than {n:,} points")):
        modelfile.parse(model_text(half + [[0, 0, 0]], half))


# --- looking inside -------------------------------------------------------------------------------------


def test_the_planes_grid_is_the_cell_centres_row_by_row_from_the_top_left():
    assert inside.plane(1.0, 2).tolist() == [[-0.5, 0.5, -0.5, 0.5], [0.5, 0.5, -0.5, -0.5]]


def test_a_unit_at_exactly_zero_is_not_active():
    net = TwoLayerNet(2, 2, 2, seed=0)
    net.W0[0] = 0.0
    net.b0[0] = 0.0
    net.W0[1] = [1.0, 0.0]
    net.b0[1] = 0.5
    result = inside.explain(net, np.array([1.0, 1.0]))
    assert result["active"].tolist() == [0, 1]


def test_inspect_at_a_spot_needs_a_point_within_the_radius_which_defaults_to_zero():
    net = TwoLayerNet(2, 3, 2, seed=0)
    train = (np.array([[0.5], [0.0]]), np.array([1]))
    test = (np.array([[-0.5], [0.0]]), np.array([0]))
    assert inside.inspect_at(net, {"train": train}, 0.0, 0.0)["point"] is None
    assert inside.inspect_at(net, {"train": train}, 0.0, 0.0, 0.5)["point"] == "train"  # exactly at the radius
    # an empty set is passed over, not the end of the search; a tie goes to the first set
    empty = (np.zeros((2, 0)), np.zeros(0, dtype=int))
    assert inside.inspect_at(net, {"train": empty, "test": test}, 0.0, 0.0, 1.0)["point"] == "test"
    assert inside.inspect_at(net, {"train": train, "test": test}, 0.0, 0.0, 1.0)["point"] == "train"


def test_the_plane_only_views_say_what_needs_the_plane_and_numbers_are_quoted_to_40_characters():
    digits = TwoLayerNet(64, 3, 10, seed=0)
    sets = {"train": (np.zeros((64, 0)), np.zeros(0, dtype=int))}
    with pytest.raises(ValueError, match=whole("looking inside at a spot of the plane needs 2-D data (points in the plane); this net has 64 inputs")):
        inside.inspect_at(digits, sets, 0.0, 0.0)
    with pytest.raises(ValueError, match=whole("picturing the hidden units over the plane needs 2-D data (points in the plane); this net has 64 inputs")):
        inside.hidden_units(digits, 1.0)
    with pytest.raises(ValueError, match=whole(f"x2 must be a finite number, got {'9' * 40!r}")):
        inside.inspect_at(TwoLayerNet(2, 3, 2), {}, 0.0, "9" * 50)


def test_the_hidden_unit_pictures_are_float32():
    result = inside.hidden_units(TwoLayerNet(2, 3, 2, seed=0), 1.0, size=4)
    assert result["units"].dtype == np.float32 and result["units_max"].dtype == np.float32


# --- the backprop stepper ------------------------------------------------------------------------------


def test_nearest_takes_a_point_exactly_at_the_radius():
    X = np.array([[0.0, 3.0], [0.0, 0.0]])
    assert backprop.nearest(X, 1.0, 0.0, 1.0) == 0
    assert backprop.nearest(X, 1.5, 0.0, 1.0) is None


def session(**changes) -> Session:
    s = Session()
    s.configure({**settings.defaults(), "dataset": "moons", "classes": 2, "points": 40, "hidden": 4, **changes})
    return s


def test_the_steppers_point_arguments_are_checked_by_name():
    s = session()
    for args, message in (
        ((0.0, "a", 1.0), "x2 must be a finite number, got 'a'"),
        ((0.0, 0.0, None), "radius must be a finite number, got 'None'"),
        ((True, 0.0, 1.0), "x1 must be a finite number, got 'True'"),
        ((0.0, "7" * 50, 1.0), f"x2 must be a finite number, got {'7' * 40!r}"),
    ):
        with pytest.raises(ValueError, match=whole(message)):
            s.backprop_at(*args)
    with pytest.raises(ValueError, match=whole("pick a training example first")):
        s.backprop_apply()
    digits = Session()
    digits.configure({**settings.defaults(), "dataset": "digits", "classes": 10, "hidden": 4})
    with pytest.raises(ValueError, match=whole("picking a point of the plane needs 2-D data, not the digits")):
        digits.backprop_at(0.0, 0.0, 1.0)


def test_apply_uses_the_pages_weight_decay():
    s = session(lr=0.5, wd=0.1)
    s.backprop_pick()
    i = s.picked
    expected = TwoLayerNet.from_dict(s.net.to_dict())
    expected.sgd_step(s.data.X_train[:, [i]], s.data.y_train[[i]], lr=0.5, weight_decay=0.1)
    s.backprop_apply()
    for name in ("W0", "b0", "W1", "b1"):
        assert np.allclose(getattr(s.net, name), getattr(expected, name), rtol=0, atol=1e-15), name


def test_the_network_answer_has_the_update_count_and_pictures_for_the_plane():
    s = session()
    s.run(updates=3)
    result = s.network()
    assert result["updates"] == 3
    assert result["pictures"].size > 0


def test_a_bare_model_of_the_other_kind_of_data_says_which_data_set_to_choose():
    s = session()
    digits_net = json.dumps(TwoLayerNet(64, 3, 10, seed=0).to_dict())
    with pytest.raises(ValueError, match=whole("this model takes 64 inputs but the page's data has 2; choose the digits first")):
        s.import_model(digits_net)
    d = Session()
    d.configure({**settings.defaults(), "dataset": "digits", "classes": 10, "hidden": 4})
    with pytest.raises(ValueError, match=whole("this model takes 2 inputs but the page's data has 64; choose a 2-D data set first")):
        d.import_model(json.dumps(TwoLayerNet(2, 3, 2, seed=0).to_dict()))


def test_inspect_takes_no_point_unless_asked_for_a_radius():
    s = session()
    x1, x2 = s.data.X_train[:, 0]
    assert s.inspect(float(x1) + 1e-9, float(x2))["point"] is None
    assert s.inspect(float(x1) + 1e-9, float(x2), 1e-6)["point"] == "train"


def test_the_settings_module_written_for_the_page_is_the_table():
    text = settings.javascript()
    assert text.startswith("// Written by build.py from pynn/page/settings.py")
    body = text[text.index("Object.freeze(") + len("Object.freeze("): text.rindex(");")]
    assert json.loads(body) == settings.table()
    assert settings.live_keys() == ("lr", "batch", "wd")


def test_too_few_points_to_split_all_train_and_an_empty_test_part_of_the_right_shape():
    X, y = np.array([[0.5], [0.25]]), np.array([1])
    data = pagedata.split(X, y, 0.8, 1, 2.0)
    assert data.X_train.tolist() == X.tolist() and data.y_train.tolist() == [1]
    assert data.X_test.shape == (2, 0) and data.y_test.shape == (0,) and data.y_test.dtype == np.int64
    assert data.extent == 2.0 and data.notice is None
    # and a split that works takes the seed: the same seed, the same parts; another, other parts
    X, y = np.arange(40, dtype=float).reshape(2, 20), np.arange(20) % 2
    a, b, c = pagedata.split(X, y, 0.5, 1, 2.0), pagedata.split(X, y, 0.5, 1, 2.0), pagedata.split(X, y, 0.5, 2, 2.0)
    assert a.X_test.tolist() == b.X_test.tolist() and a.X_test.tolist() != c.X_test.tolist()
    assert a.X_train.shape == (2, 10) and a.X_test.shape == (2, 10)


def test_the_walk_names_its_weight_decay_and_lists_the_stages_for_its_shape_and_decay():
    net = TwoLayerNet(2, 3, 4, seed=0)
    walked = backprop.walk(net, np.array([0.2, -0.1]), 1, 0.1, 0.01)
    assert walked["wd"] == 0.01
    assert walked["stages"] == backprop.stage_list(2, 3, 4, 0.01)
    assert walked["stages"] != backprop.stage_list(2, 3, 4, 0.0)
    assert all(value.dtype == np.float64 for key, value in walked.items() if isinstance(value, np.ndarray) and value.dtype.kind == "f")


def test_an_imported_model_is_a_fresh_start_and_must_cover_the_pages_labels():
    s = session(classes=2)
    text = modelfile.dumps(TwoLayerNet(2, 4, 2, seed=3), s.settings, 7)
    result = s.import_model(text)
    assert result["fresh"] is True and result["trained_epochs"] == 7

"""Model files and other downloads (issue 4, item 5): export and import the trained model as JSON with
its setup, refuse bad files without touching the current model, save the picture, download the history.
"""
from __future__ import annotations

import json

import pytest

from pynn.page.settings import FIELDS

SPIRAL = "dataset=spiral&classes=3&points=120&noise=0.1&split=0.8&hidden=20&lr=0.5&batch=10&wd=0&seed=3"


def download(ui, testid: str):
    with ui.page.expect_download() as info:
        ui.click(testid)
    return info.value


def download_json(ui) -> tuple[str, dict, str]:
    saved = download(ui, "export-model")
    text = open(saved.path(), encoding="utf-8").read()
    return saved.suggested_filename, json.loads(text), text


def import_file(ui, data: bytes | str, name: str = "model.json") -> None:
    buffer = data.encode() if isinstance(data, str) else data
    ui.hook("import-model").set_input_files(files=[{"name": name, "mimeType": "application/json", "buffer": buffer}])


def readouts(ui) -> dict[str, str]:
    return {key: ui.text(key) for key in ("epoch", "train-loss", "test-loss", "train-accuracy", "test-accuracy")}


def train_some(ui, epochs: int = 5) -> None:
    ui.click("play")
    ui.wait_epoch(f"e >= {epochs}")
    ui.pause()


def test_export_writes_to_dict_with_the_settings(ready_page, ui):
    ready_page(SPIRAL)
    train_some(ui)
    name, model, _ = download_json(ui)
    assert name.endswith(".json") and "spiral" in name
    assert model["format"] and model["n_inputs"] == 2 and model["n_hidden"] == 20 and model["n_classes"] == 3
    assert len(model["W0"]) == 20 and len(model["W0"][0]) == 2 and len(model["b1"]) == 3
    hash_params = ui.hash_params()
    quiet = {key: field.default for key, field in FIELDS.items() if field.quiet}  # left out of the hash at default
    hash_params = {**{key: default for key, default in quiet.items() if key not in hash_params}, **hash_params}
    for key, value in model["settings"].items():
        assert float(hash_params[key]) == value if not isinstance(value, str) else hash_params[key] == value, key
    assert model["epoch"] == ui.epoch()


def test_import_restores_the_exported_model_and_its_setup(ready_page, ui):
    ready_page(SPIRAL)
    train_some(ui, 8)
    _, _, text = download_json(ui)
    trained = readouts(ui)
    trained_picture = ui.canvas()
    # Somewhere else entirely: another data set, another net.
    ui.choose("dataset", "circles")
    ui.type_into("hidden", "5")
    ui.page.wait_for_function("() => location.hash.includes('hidden=5')", timeout=5000)
    ui.wait_epoch("e === 0")
    ui.clear_message()
    import_file(ui, text, "spiral-model.json")
    ui.page.wait_for_function("() => location.hash.includes('dataset=spiral')", timeout=10_000)
    message = ui.wait_message()
    assert "Imported the model in spiral-model.json" in message, message
    assert ui.value("dataset") == "spiral" and ui.value("hidden") == "20"
    ui.page.wait_for_function(
        "(want) => document.querySelector('[data-testid=\"train-accuracy\"]').textContent.trim() === want",
        arg=trained["train-accuracy"], timeout=10_000,
    )
    now = readouts(ui)
    for key in ("train-loss", "test-loss", "train-accuracy", "test-accuracy"):
        assert now[key] == trained[key], (key, now[key], trained[key])
    assert ui.changed_fraction(trained_picture, ui.canvas()) < 0.02
    ui.assert_trains()


def test_a_digits_model_switches_the_page_to_digits(ready_page, ui, page):
    ready_page("dataset=digits&classes=10&hidden=16&lr=0.1&batch=10&seed=1")
    ui.click("step")
    ui.wait_epoch("e === 1")
    _, model, text = download_json(ui)
    assert model["n_inputs"] == 64 and model["n_classes"] == 10
    accuracy = ui.text("test-accuracy")
    ui.choose("dataset", "spiral")
    ui.page.wait_for_function("() => !document.body.classList.contains('digits-mode')", timeout=10_000)
    import_file(ui, text)
    ui.page.wait_for_function("() => document.body.classList.contains('digits-mode')", timeout=10_000)
    ui.page.wait_for_function(
        "(want) => document.querySelector('[data-testid=\"test-accuracy\"]').textContent.trim() === want",
        arg=accuracy, timeout=10_000,
    )


def bad_files(good: dict, good_text: str) -> list[tuple[str, bytes, str]]:
    wrong_shape = {**good, "W0": [row[:1] for row in good["W0"]]}
    other_hidden = {**good, "settings": {**good["settings"], "hidden": 7}}
    bare_digits = {key: good[key] for key in ("format", "version", "n_inputs", "n_hidden", "n_classes", "W0", "b0", "W1", "b1")}
    bare_digits = {**bare_digits, "n_inputs": 64, "W0": [[0.0] * 64 for _ in good["W0"]]}
    return [
        ("not-json.json", b"this is not JSON", "not valid JSON"),
        ("truncated.json", good_text[: len(good_text) // 2].encode(), "truncated"),
        ("other.json", b'{"name": "a different program", "weights": [1, 2, 3]}', "not a pynn model"),
        ("array.json", b"[1, 2, 3]", "not a pynn model"),
        ("shape.json", json.dumps(wrong_shape).encode(), "malformed pynn model"),
        ("hidden.json", json.dumps(other_hidden).encode(), "does not match its settings"),
        ("bare64.json", json.dumps(bare_digits).encode(), "takes 64 inputs"),
        ("binary.json", bytes(range(256)) * 4, "not"),
        ("<img src=x onerror=alert(1)>.json", b"{}", "not a pynn model"),
    ]


def test_bad_model_files_show_a_message_and_leave_the_model_as_it_was(ready_page, ui, page):
    ready_page(SPIRAL)
    train_some(ui, 4)
    _, good, good_text = download_json(ui)
    before, picture, hash_before = readouts(ui), ui.canvas(), ui.hash_params()
    for name, data, words in bad_files(good, good_text):
        ui.clear_message()
        import_file(ui, data, name)
        message = ui.wait_message()
        assert f"Could not import {name}" in message and words in message, (name, message)
        assert "current model is unchanged" in message, message
        assert readouts(ui) == before, name
        assert ui.changed_fraction(picture, ui.canvas()) == 0, name
        assert ui.hash_params() == hash_before, name
    assert page.evaluate("() => document.querySelectorAll('img, script:not([src])').length") == 0
    ui.assert_trains()


def test_a_huge_model_file_is_refused_before_it_is_read(ready_page, ui):
    ready_page(SPIRAL)
    ui.clear_message()
    import_file(ui, b" " * 5_000_001 + b"{}", "huge.json")
    message = ui.wait_message()
    assert "huge.json" in message and "limit is 5 MB" in message, message
    assert ui.epoch() == 0


def test_save_picture_downloads_a_png_of_the_boundary(ready_page, ui):
    ready_page(SPIRAL)
    saved = download(ui, "save-picture")
    assert saved.suggested_filename.endswith(".png")
    data = open(saved.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    width = int.from_bytes(data[16:20], "big")
    assert width == ui.canvas()["width"]


def test_download_history_has_one_row_per_epoch(ready_page, ui):
    ready_page(SPIRAL)
    train_some(ui, 6)
    paused_at = ui.epoch()
    ui.click("step")  # play pauses inside an epoch; Step ends it, so the readouts are a whole epoch's
    epochs = ui.wait_epoch(f"e === {paused_at + 1}")
    saved = download(ui, "download-history")
    assert saved.suggested_filename.endswith(".csv")
    lines = open(saved.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "epoch,train_mean_loss,test_mean_loss,train_accuracy,test_accuracy"
    assert len(lines) == epochs + 2  # header, epoch 0 … epochs
    rows = [line.split(",") for line in lines[1:]]
    assert [int(row[0]) for row in rows] == list(range(epochs + 1))
    last = [float(value) for value in rows[-1][1:]]
    assert last[2] == pytest.approx(ui.number("train-accuracy"), abs=1e-3)
    assert last[0] == pytest.approx(ui.number("train-loss"), abs=1e-4)
    assert float(rows[-1][1]) < float(rows[0][1]), "the loss fell"

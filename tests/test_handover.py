"""The training state handed between the training worker's Python and the sandbox's
(pynn.page.handover): the same training goes on, bit for bit, and a forged state is refused whole."""
from __future__ import annotations

import numpy as np
import pytest

from pynn.page.calls import PAGE, SANDBOX, call
from pynn.page.session import Session

SETUP = {"dataset": "spiral", "classes": 3, "points": 120, "hidden": 8, "lr": 0.3, "batch": 1, "seed": 4}


def buffers(state: dict) -> dict:
    """The state as the page hands it over: arrays as memoryviews (pyodide.toPy of typed arrays)."""
    return {key: memoryview(value) if isinstance(value, np.ndarray) else value for key, value in state.items()}


def export(session: Session) -> dict:
    """The state as the worker hands it out (``export_state``)."""
    return call(session, "export_state", {})


def take(session: Session, state: dict) -> dict:
    """The worker's ``import_state`` of ``state``."""
    return call(session, "import_state", state)


@pytest.fixture
def trained() -> Session:
    s = Session()
    s.configure(SETUP)
    s.run(updates=150)  # mid-epoch: the order of the epoch must be drawn again
    return s


def test_the_other_session_trains_on_exactly_as_this_one_would(trained):
    other = Session()
    answer = take(other, buffers(export(trained)))
    assert answer["fresh"] is False and answer["epoch"] == trained.epoch and answer["updates"] == 150
    for s in (trained, other):
        s.run(updates=200)
    for name in ("W0", "b0", "W1", "b1"):
        np.testing.assert_array_equal(getattr(other.net, name), getattr(trained.net, name))
    assert (other.epoch, other.position, other.updates) == (trained.epoch, trained.position, trained.updates)


def test_the_digits_travel_too():
    s = Session()
    s.configure({**SETUP, "dataset": "digits", "classes": 10, "hidden": 16})
    s.run(updates=30)
    other = Session()
    take(other, buffers(export(s)))
    np.testing.assert_array_equal(other.data.X_test, s.data.X_test)
    assert other.net.n_inputs == 64


@pytest.mark.parametrize("change, message", [
    (lambda st: st.update(W1=st["W1"][:-1]), "W1 has"),
    (lambda st: st["shapes"].update(W0=[9, 2]), "W0 has shape (9, 2), the settings (D=2, H=8, C=3) need (8, 2)"),
    (lambda st: st.update(settings={**st["settings"], "hidden": 9}), "W0 has shape (8, 2)"),
    (lambda st: st.update(settings="spiral"), "settings must be a dict"),
    (lambda st: st.update(epoch=-1), "epoch must be a whole number from 0, got -1"),
    (lambda st: st.update(position=10**6), "position must be a whole number from 0"),
    (lambda st: st.update(picked=True), "picked must be a whole number"),
    (lambda st: st.update(extent=float("nan")), "extent must be a number > 0"),
    (lambda st: st.update(diverged=3), "diverged must be None or a message"),
    (lambda st: st.update(y_train=np.full_like(st["y_train"], 7)), "y_train has labels outside 0 … 2"),
    (lambda st: st.update(X_test=np.full_like(st["X_test"], np.inf)), "the data has values that are not finite"),
    (lambda st: st.update(extra=np.zeros(2)), "unknown part of the state 'extra'"),
    (lambda st: st.update(X_train="abc"), "X_train must be a buffer of float64 values"),
])
def test_a_forged_state_is_refused_and_leaves_the_session_as_it_was(trained, change, message):
    state = export(trained)
    change(state)
    other = Session()
    other.configure({**SETUP, "seed": 9})
    before = other.net.W0.copy()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        take(other, state)
    np.testing.assert_array_equal(other.net.W0, before)
    assert other.settings["seed"] == 9


def test_only_declared_methods_are_called_and_student_code_only_in_the_sandbox(trained):
    assert call(trained, "run", {"updates": 1})["updates"] == 151
    for method in ("use_student_code", "check_exercise", "check_derivation", "_save", "__init__", "clock"):
        with pytest.raises(ValueError, match="unknown request"):
            call(trained, method, {})
    result = call(trained, "check_exercise", {"name": "relu", "source": "def relu(s):\n    return s"}, SANDBOX)
    assert result["status"] == "fail"
    derived = call(trained, "check_derivation", {"step": "s1", "expression": "yoh - h1"}, SANDBOX)
    assert (derived["status"], derived["mistake"]) == ("fail", "sign")
    assert call(trained, "check_derivation", {"step": "s1", "expression": "h1 - yoh"}, SANDBOX)["status"] == "pass"
    steps = call(trained, "derive_catalogue", {})["steps"]
    assert [step["name"] for step in steps][:2] == ["h1", "s1"]
    assert set(PAGE) < set(SANDBOX)
    assert all(callable(function) for function in SANDBOX.values())


def test_no_student_code_runs_in_a_page_call():
    assert not {"use_student_code", "check_exercise", "check_derivation"} & set(PAGE)


def test_a_pause_the_students_code_caused_ends_when_training_comes_back():
    s = Session()
    s.configure(SETUP)
    s.diverged = "Training paused: your gradients raised RuntimeError. Fix it and press Check, or turn off “Train with your code”."
    s.paused_by_code = True
    other = Session()
    assert take(other, export(s))["diverged"] is None
    s.diverged, s.paused_by_code = "training diverged — lower the learning rate, then press reset", False
    assert take(other, export(s))["diverged"] == s.diverged


def test_a_chunk_carries_the_pictures_the_open_panels_asked_for(trained):
    result = trained.run(updates=5, also={"network": {}, "hidden_units": {}, "inspect": {"x1": 0.1, "x2": -0.2}})
    assert set(result["also"]) == {"network", "hidden_units", "inspect"}
    expected = Session()
    take(expected, export(trained))
    for name, kwargs in (("network", {}), ("hidden_units", {}), ("inspect", {"x1": 0.1, "x2": -0.2})):
        answer = getattr(expected, name)(**kwargs)
        assert answer.keys() == result["also"][name].keys()
    assert "also" not in trained.run(updates=1)
    bad = trained.run(updates=1, also={"inspect": {"x1": "left"}})
    assert "error" in bad["also"]["inspect"]
    with pytest.raises(ValueError, match="also can ask for network, hidden_units, inspect, not 'gradcheck'"):
        trained.run(updates=1, also={"gradcheck": {}})
    with pytest.raises(ValueError, match="also must be a dict"):
        trained.run(updates=1, also=["network"])

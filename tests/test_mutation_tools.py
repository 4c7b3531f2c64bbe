"""tools/mutation.py and tools/mutation_score.py: the two mutmut runs' configurations and the score
table (docs/mutation.md), checked without running mutmut."""
from __future__ import annotations

import importlib.util
import json
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ["pynn/model.py", "pynn/training.py", "pynn/gradcheck.py"]


def tool(name: str):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_run_1_mutates_the_core_without_the_tests_that_read_its_source():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    assert config["only_mutate"] == CORE and "do_not_mutate" not in config
    assert "--ignore=tests/test_exercises.py" in config["pytest_add_cli_args_test_selection"]
    assert "tests/test_inside.py::test_source_is_the_loaded_code_of_the_four_methods" in config["pytest_add_cli_args"]


def test_run_2_mutates_all_but_the_core_with_every_unit_test():
    text = tool("mutation").second_config((ROOT / "pyproject.toml").read_text())
    config = tomllib.loads(text)["tool"]["mutmut"]
    assert config["do_not_mutate"] == CORE and "only_mutate" not in config
    selection = config["pytest_add_cli_args_test_selection"]
    assert "--ignore=tests/e2e" in selection and not any("test_exercises" in arg or "test_yourcode" in arg for arg in selection)
    assert not any("test_source_is" in arg for arg in config["pytest_add_cli_args"])
    assert any("test_it_runs_on_the_standard_library_alone" in arg for arg in config["pytest_add_cli_args"])


def test_the_score_counts_failures_and_timeouts_as_killed_and_the_rest_against_it(tmp_path):
    meta = tmp_path / "pynn" / "page" / "x.py.meta"
    meta.parent.mkdir(parents=True)
    codes = {"a__mutmut_1": 1, "a__mutmut_2": 0, "a__mutmut_3": None, "a__mutmut_4": 33, "a__mutmut_5": -24}
    meta.write_text(json.dumps({"exit_code_by_key": codes}))
    score = tool("mutation_score")
    found = score.scores(tmp_path)
    assert found == {"pynn/page/x.py": Counter({"killed": 2, "survived": 1, "not checked": 1, "no tests": 1})}
    assert score.table(found).splitlines()[-1].split() == ["rest", "(all", "files)", "2", "5", "40.0%"]

"""The mutation score of pynn: mutmut run twice, then the score per file (docs/mutation.md).

    .venv/bin/python tools/mutation.py            # both runs, then the scores
    .venv/bin/python tools/mutation.py --scores   # only the scores, from the runs already made

1. In the checkout, with pyproject.toml's [tool.mutmut]: the core (pynn/model.py, training.py,
   gradcheck.py), against every unit test except the exercises' and the code panel's source test.
2. In mutants-rest/ (a copy of pynn/, tests/, web/, docs/, README.md and pyproject.toml, ignored by
   git): every other module of pynn, against every unit test. The exercises' solutions and the code
   panel are the core's own source (inspect.getsource), which run 1's trampolines rewrite, so their
   tests need a copy of pynn whose core is left as it is.

Each run is `mutmut run --max-children 2` (the project's machines have 2 cores); mutmut keeps its
results in the run's mutants/ directory, so `mutmut results` and `mutmut show NAME` work in each.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mutation_score  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECOND = ROOT / "mutants-rest"
COPIED = ["pynn", "tests", "web", "docs", "README.md", "pyproject.toml"]
HOURS = 3 * 3600  # a run that takes longer than this has hung


def mutmut() -> list[str]:
    return [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", "2"]


def second_config(pyproject: str) -> str:
    """pyproject.toml for run 2: mutate all but the core, with every unit test and the code panel's."""
    text = re.sub(r"only_mutate = (\[[^\]]*\])", r"do_not_mutate = \1", pyproject)
    text = text.replace('    "--ignore=tests/test_exercises.py", "--ignore=tests/test_yourcode.py",\n', "")
    text = text.replace('    "--deselect", "tests/test_inside.py::test_source_is_the_loaded_code_of_the_four_methods",\n', "")
    if text == pyproject or "do_not_mutate" not in text or "test_exercises" in text or "test_source_is" in text:
        raise ValueError("pyproject.toml's [tool.mutmut] is not the one tools/mutation.py knows how to adapt")
    return text


def prepare_second() -> None:
    """The copy for run 2, made afresh but for its mutants/, where mutmut keeps its results (it
    checks again only the functions whose code changed, and the mutants not checked yet)."""
    SECOND.mkdir(exist_ok=True)
    for name in COPIED:
        source, copy = ROOT / name, SECOND / name
        if copy.is_dir():
            shutil.rmtree(copy)
        if source.is_dir():
            shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, copy)
    (SECOND / "pyproject.toml").write_text(second_config((ROOT / "pyproject.toml").read_text()))


def report() -> int:
    found = {name: count for name, count in mutation_score.scores(ROOT / "mutants").items()
             if name in mutation_score.CORE}
    if (SECOND / "mutants").is_dir():
        found.update({name: count for name, count in mutation_score.scores(SECOND / "mutants").items()
                      if name not in mutation_score.CORE})
    if not found:
        print("no mutmut results: run tools/mutation.py first", file=sys.stderr)
        return 1
    print(mutation_score.table(found))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scores", action="store_true", help="only print the scores of the runs already made")
    args = parser.parse_args()
    if not args.scores:
        subprocess.run(mutmut(), cwd=ROOT, check=True, timeout=HOURS)
        prepare_second()
        subprocess.run(mutmut(), cwd=SECOND, check=True, timeout=HOURS)
    return report()


if __name__ == "__main__":
    raise SystemExit(main())

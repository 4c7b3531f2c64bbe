"""The mutation score of pynn: mutmut run twice, then the score per file (docs/mutation.md).

    .venv/bin/python tools/mutation.py            # both runs, then the scores
    .venv/bin/python tools/mutation.py --scores   # only the scores, from the runs already made

1. In the checkout, with pyproject.toml's [tool.mutmut]: every module of pynn except the exercises'
   two (pynn/page/exercises.py, yourcode.py), against every unit test except theirs.
2. In mutants-exercises/ (a copy of pynn/, tests/, web/, README.md and pyproject.toml, ignored by
   git): only those two modules, against every unit test. The exercises' solutions are pynn's own
   source (inspect.getsource), which run 1's trampolines rewrite, so their tests need a copy of
   pynn whose other modules are left as they are.

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
SECOND = ROOT / "mutants-exercises"
EXERCISES = ["pynn/page/exercises.py", "pynn/page/yourcode.py"]
COPIED = ["pynn", "tests", "web", "README.md", "pyproject.toml"]
HOURS = 3 * 3600  # a run that takes longer than this has hung


def mutmut() -> list[str]:
    return [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", "2"]


def second_config(pyproject: str) -> str:
    """pyproject.toml for run 2: mutate only the exercises' modules, with their tests."""
    text = re.sub(r"do_not_mutate = \[[^\]]*\]", f"only_mutate = {EXERCISES!r}".replace("'", '"'), pyproject)
    text = text.replace('    "--ignore=tests/test_exercises.py", "--ignore=tests/test_yourcode.py",\n', "")
    if text == pyproject or "only_mutate" not in text or "test_exercises" in text:
        raise ValueError("pyproject.toml's [tool.mutmut] is not the one tools/mutation.py knows how to adapt")
    return text


def prepare_second() -> None:
    shutil.rmtree(SECOND, ignore_errors=True)
    SECOND.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, SECOND / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, SECOND / name)
    (SECOND / "pyproject.toml").write_text(second_config((ROOT / "pyproject.toml").read_text()))


def report() -> int:
    found = mutation_score.scores(ROOT / "mutants")
    if (SECOND / "mutants").is_dir():
        found.update({name: count for name, count in mutation_score.scores(SECOND / "mutants").items()
                      if name in EXERCISES})
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

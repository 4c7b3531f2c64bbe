"""The mutation score per file, from the results a `mutmut run` left in mutants/ (docs/mutation.md).

    mutmut run --max-children 2 && python tools/mutation_score.py

A mutant counts as killed when a test failed on it or it ran past mutmut's time limit (a mutant
that loops for ever is caught); "no tests" (no unit test runs that code) and "survived" are not.
Standard library only: it reads the .meta JSON files mutmut writes beside each mutated module.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255}  # mutmut's exit codes for a failing test and for a timeout
CORE = ("pynn/model.py", "pynn/training.py", "pynn/gradcheck.py")


def scores(mutants: Path) -> dict[str, Counter]:
    """{source file: Counter of "killed", "survived", "no tests", "not checked"} for every .meta file."""
    found = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        if not codes:
            continue
        found[meta.relative_to(mutants).as_posix()[: -len(".meta")]] = Counter(
            "killed" if code in KILLED else "not checked" if code is None else "no tests" if code in (5, 33)
            else "survived" for code in codes
        )
    return found


def table(found: dict[str, Counter]) -> str:
    """The score of each file, then of the core and of the rest of pynn, as a text table."""
    groups = {"core": Counter(), "rest": Counter()}
    lines = [f"{'file':28} {'killed':>7} {'of':>5} {'score':>7}  survived  no tests  not checked"]
    for path, counts in sorted(found.items()):
        total = sum(counts.values())
        lines.append(f"{path:28} {counts['killed']:7} {total:5} {counts['killed'] / total:7.1%}  "
                     f"{counts['survived']:8}  {counts['no tests']:8}  {counts['not checked']:11}")
        groups["core" if path in CORE else "rest"].update(counts)
    for name, counts in groups.items():
        total = sum(counts.values())
        if total:
            lines.append(f"{name + ' (all files)':28} {counts['killed']:7} {total:5} {counts['killed'] / total:7.1%}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    mutants = Path(argv[1] if len(argv) > 1 else "mutants")
    found = scores(mutants)
    if not found:
        print(f"no mutmut results in {mutants}/: run `mutmut run --max-children 2` first", file=sys.stderr)
        return 1
    print(table(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""tools/quietly, which keeps node --test's per-test output out of `./test.sh -q` unless it fails."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

QUIETLY = Path(__file__).resolve().parents[1] / "tools" / "quietly"
CHATTY = "for i in range(200): print(f'ok {i} - test number {i}')\nprint('# tests 200')\nprint('# pass 200')"


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(QUIETLY), *command], capture_output=True, text=True, timeout=60)


def test_a_passing_command_prints_one_summary_line():
    result = run(sys.executable, "-c", CHATTY)
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    assert "passed" in lines[0] and "tests 200" in lines[0] and "pass 200" in lines[0]
    assert "ok 17" not in result.stdout


def test_a_failing_command_prints_everything_and_keeps_its_status():
    result = run(sys.executable, "-c", CHATTY + "\nimport sys; print('not ok 201 - broken', file=sys.stderr); sys.exit(3)")
    assert result.returncode == 3
    assert "ok 17 - test number 17" in result.stdout
    assert "not ok 201 - broken" in result.stdout
    assert "FAILED (exit 3)" in result.stdout


def test_test_sh_runs_node_through_it():
    script = (QUIETLY.parents[1] / "test.sh").read_text()
    assert "tools/quietly node --test tests/js/" in script

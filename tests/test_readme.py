"""The README's Python example runs as written and prints what it promises."""
from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


def test_the_readme_python_example_trains_the_spiral_and_passes_the_gradient_check():
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "the README has one Python example"
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], str(README), "exec"), namespace)
    accuracy_line, errors_line = out.getvalue().splitlines()
    history, net, X, y = namespace["history"], namespace["net"], namespace["X"], namespace["y"]
    assert X.shape == (2, 300) and history.epochs == 200
    accuracy, predictions = accuracy_line.split(" ", 1)
    assert float(accuracy) == history.accuracy[-1] >= 0.98
    assert predictions == str(net.predict(X[:, :5]))
    assert np.mean(net.predict(X[:, :5]) == y[:5]) >= 0.8
    errors = ast.literal_eval(errors_line)
    assert set(errors) == {"W0", "b0", "W1", "b1"} and max(errors.values()) < 1e-6


def test_the_readme_reads_in_five_minutes_and_its_links_lead_somewhere():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    for name in ("teachers.md", "publish.md", "architecture.md", "model.md", "cli.md", "mutation.md"):
        assert f"(docs/{name}" in text, name
    docs = [README, *sorted((README.parent / "docs").glob("*.md"))]
    for page in docs:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name} links to {target}, which is missing"

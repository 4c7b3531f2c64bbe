"""The three steps of a check, as the page takes them, in one Python for the tests: pynn.page.judge
plans the inputs, pynn.page.running runs the student's code on them (the sandbox's side), and the
judge reads the answer. Between the steps everything goes through JSON, as it goes through the
page's messages (a float64 array's numbers as a list), so what is tested is what crosses."""
from __future__ import annotations

import json
from typing import Any

import numpy as np

from pynn.page import derive, judge, running


def through_json(value: Any) -> Any:
    """``value`` as the other side receives it: numpy arrays as lists, through JSON."""
    def plain(item: Any) -> Any:
        if isinstance(item, np.ndarray):
            return item.tolist()
        raise TypeError(type(item).__name__)

    return json.loads(json.dumps(value, default=plain))


def check(name: str, source: str, seed: int | None = None) -> dict[str, Any]:
    """pynn's verdict on ``source`` for exercise ``name``, by the page's path (inputs drawn from
    ``seed``, fresh when None, as in the page)."""
    planned = through_json(judge.plan(name, source, seed))
    answer = running.run_exercise(name, source, planned["calls"])
    return judge.judge(name, source, planned["seed"], through_json(answer))


def check_step(step: str, expression: str, seed: int | None = None) -> dict[str, Any]:
    """pynn's verdict on ``expression`` for derivation step ``step``, by the page's path (the nets
    drawn from ``seed``, fresh when None, as in the page)."""
    planned = through_json(derive.plan(step, expression, seed))
    if "result" in planned:
        return planned["result"]
    answer = running.run_expression(expression, planned["cases"], planned["runs"])
    return derive.judge(step, expression, planned["seed"], through_json(answer))

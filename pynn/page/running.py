"""Running other people's code: a student's exercise functions and derivation answers, a link's
or a hand-in's code. Only the sandbox's worker calls these (web/start/sandbox.js; pynn.page.calls'
SANDBOX table; the training worker imports this module with that table but never calls them):
whatever the code does there, what leaves is data (pynn.page.wire), and the verdict on it is
computed elsewhere (pynn.page.judge, pynn.page.derive, in the training worker).

    load(name, source, helpers)          the function ``name`` of ``source``, run in a fresh
                                         namespace holding ``helpers``; StudentError
    helpers(name)                        pynn's own versions of the exercises before ``name``
    call(function, *args)                the function on copies of ``args``; StudentError
    run_exercise(name, source, calls)    {"error", "outputs"}: each call's output as wire data
    run_expression(expression, cases, runs)   {"error": None, "outputs"}: a derivation answer's
                                         value on each case (a name transposed in some runs)

Nothing here guards against an endless loop: the page stops the sandbox after a few seconds.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import exercises, text, wire

TEXT = text.register({
    "running.source": "the source must be text, got {type}",
    "running.no-function": "your code defines no function named {name}: write def {name}(…):",
    "running.call.args": "{where} must be an object with a list of args",
    "running.call.give": "{where}'s give must be result or argument",
    "running.unknown": "unknown exercise {name}; known: {known}",
    "running.calls": "calls must be a list of at most {limit}",
    "running.where.call": "call {index}",
    "running.where.case": "case {index}",
    "running.case.names": "{where} must be an object of at most 32 names",
    "running.case.arrays": "{where} must hold arrays of numbers",
    "running.expression": "the expression must be text of at most 1,000 characters",
    "running.runs": "cases and runs must be lists, at most {limit} runs",
    "running.run.case": "run {index} must name one of the {cases} cases",
    "running.run.transpose": "run {index} transposes {name}, a name its case does not have",
})


FILENAME = "<your code>"
ANSWER = "<your answer>"


class StudentError(Exception):
    """The student's code raised: ``message`` and the ``line`` in their source (or None), the
    exception's ``type`` and its cause's code (pynn.page.causes; "" where none)."""

    def __init__(self, message: str, line: int | None, type: str = "", cause: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.type = type
        self.cause = cause


def _raised(error: BaseException) -> StudentError:
    """The StudentError for an exception the student's code raised: its type, text and line."""
    said = wire.raised(error, FILENAME)
    return StudentError(wire.Raised(said["type"], said["message"], said["line"]).text(), said["line"], said["type"],
                        said["cause"])


def call(function: Callable[..., Any], *args: Any) -> Any:
    """The student's function on copies of ``args`` (so a result is never compared with an input
    it changed in place); any exception becomes a StudentError with its line."""
    copies = [{k: v.copy() for k, v in a.items()} if isinstance(a, dict) else a.copy() if isinstance(a, np.ndarray) else a
              for a in args]
    try:
        with np.errstate(all="ignore"):
            return function(*copies)
    except Exception as error:  # the student's code may raise anything: report it, with its line
        raise _raised(error) from None


def load(name: str, source: str, helpers: dict[str, Any] | None = None) -> Callable[..., Any]:
    """Execute ``source`` in a fresh namespace (holding ``helpers``) and return its function ``name``.

    Raises StudentError for a SyntaxError, an exception while defining, or no such function.
    """
    if not isinstance(source, str):
        raise ValueError(text.say("running.source", type=type(source).__name__))
    try:
        code = compile(source, FILENAME, "exec", dont_inherit=True)
    except SyntaxError as error:
        raise StudentError(f"SyntaxError: {error.msg}", error.lineno, "SyntaxError") from None
    except (ValueError, MemoryError, RecursionError) as error:  # a null byte; a source too complex to compile
        raise StudentError(f"{type(error).__name__}: {error}", None, type(error).__name__) from None
    namespace: dict[str, Any] = {"__name__": "exercise", **(helpers or {})}
    try:
        with np.errstate(all="ignore"):
            exec(code, namespace)
    except BaseException as error:  # the module level of the student's code: report it, with its line
        raise _raised(error) from None
    function = namespace.get(name)
    if not callable(function):
        raise StudentError(text.say("running.no-function", name=name), None)
    return function


def helpers(name: str) -> dict[str, Callable[..., Any]]:
    """pynn's own versions of the exercises before ``name`` (solutions in the exercises' form), which
    the student's code may call: forward may use relu and softmax, gradients forward, and so on."""
    order = list(exercises.ORDER)
    found: dict[str, Callable[..., Any]] = {}
    for earlier in order[: order.index(name)]:
        found[earlier] = load(earlier, exercises.SOLUTIONS[earlier], dict(found))
    return found


def _arguments(call_data: Any, where: str) -> tuple[list[Any], str]:
    """A planned call's arguments, read as wire values, and what it gives back."""
    if not isinstance(call_data, dict) or not isinstance(call_data.get("args"), (list, tuple)):
        raise ValueError(text.say("running.call.args", where=where))
    give = call_data.get("give", "result")
    if give not in ("result", "argument"):
        raise ValueError(text.say("running.call.give", where=where))
    return [wire.read(arg, f"{where}.args[{i}]") for i, arg in enumerate(call_data["args"])], give


def run_exercise(name: str, source: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    """Load ``source`` (with pynn's earlier exercises as helpers) and call its function ``name`` on
    each planned call's arguments (pynn.page.judge.plan). Returns {"error": None or {"message",
    "line", "type", "cause"} (it did not load), "outputs": one wire value per call: what it returned (or its first
    argument after the call, where the call says so), or what it raised}."""
    if name not in exercises.ORDER:
        raise ValueError(text.say("running.unknown", name=repr(str(name)[:40]), known=", ".join(exercises.ORDER)))
    if not isinstance(calls, (list, tuple)) or len(calls) > wire.MAX_OUTPUTS:
        raise ValueError(text.say("running.calls", limit=wire.MAX_OUTPUTS))
    planned = [_arguments(data, text.say("running.where.call", index=i)) for i, data in enumerate(calls)]
    try:
        function = load(name, source, helpers(name))
    except StudentError as error:
        return {"error": {"message": error.message[: wire.MAX_TEXT], "line": error.line, "type": error.type[: wire.MAX_NAME],
                          "cause": error.cause}, "outputs": []}
    outputs = []
    for args, give in planned:
        try:
            with np.errstate(all="ignore"):
                value = function(*args)
        except BaseException as error:  # the student's code may raise anything: it is what came out
            outputs.append(wire.raised(error, FILENAME))
            continue
        outputs.append(wire.encode(args[0] if give == "argument" else value))
    return {"error": None, "outputs": outputs}


def _evaluate(code: Any, values: dict[str, np.ndarray]) -> Any:
    """A compiled derivation answer's value, with np and copies of the values as its only names.

    Of the builtins only ``__import__`` is there: numpy's methods import lazily (ndarray.mean
    does), and an import looks ``__import__`` up in the calling frame's builtins.
    """
    scope: dict[str, Any] = {"__builtins__": {"__import__": __import__}, "np": np}
    scope.update((name, value.copy()) for name, value in values.items())
    with np.errstate(all="ignore"):
        return eval(code, scope)


def _case(data: Any, where: str) -> dict[str, np.ndarray]:
    if not isinstance(data, dict) or len(data) > 32:
        raise ValueError(text.say("running.case.names", where=where))
    values = {str(name): wire.read(value, f"{where}.{name}", ("array",)) for name, value in data.items()}
    if not all(isinstance(value, np.ndarray) for value in values.values()):
        raise ValueError(text.say("running.case.arrays", where=where))
    return values


def run_expression(expression: str, cases: list[dict[str, Any]], runs: list[dict[str, Any]]) -> dict[str, Any]:
    """A derivation answer (pynn.page.derive.plan's cases and runs) evaluated on each run's case,
    the run's ``transpose`` name (where it has one) transposed. Each output: the value as a float64 array
    (np.asarray: a list of numbers is one too), a wire "other" for a value that holds no numbers,
    or what it raised."""
    if not isinstance(expression, str) or len(expression) > 1_000:
        raise ValueError(text.say("running.expression"))
    if not isinstance(cases, (list, tuple)) or not isinstance(runs, (list, tuple)) or len(runs) > wire.MAX_OUTPUTS:
        raise ValueError(text.say("running.runs", limit=wire.MAX_OUTPUTS))
    read = [_case(case, text.say("running.where.case", index=i)) for i, case in enumerate(cases)]
    try:
        code = compile(expression.strip(), ANSWER, "eval", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return {"error": {"message": f"{type(error).__name__}: {error}"[: wire.MAX_TEXT], "line": None}, "outputs": []}
    outputs = []
    for i, run in enumerate(runs):
        if not isinstance(run, dict) or not isinstance(run.get("case"), int) or not 0 <= run["case"] < len(read):
            raise ValueError(text.say("running.run.case", index=i, cases=len(read)))
        values = dict(read[run["case"]])
        name = run.get("transpose")
        if name is not None:
            if name not in values:
                raise ValueError(text.say("running.run.transpose", index=i, name=repr(str(name)[:40])))
            values[name] = values[name].T
        outputs.append(_value(code, values))
    return {"error": None, "outputs": outputs}


def _value(code: Any, values: dict[str, np.ndarray]) -> dict[str, Any]:
    """A compiled answer's value on ``values`` as wire data: a float64 array, "other" for a value
    that holds no numbers, or what it raised."""
    try:
        got = _evaluate(code, values)
    except BaseException as error:  # the student's expression may raise anything: it is what came out
        return wire.raised(error, ANSWER)
    try:
        return wire.array(np.asarray(got, dtype=np.float64))
    except Exception:  # not numbers (text, None, a function, an object whose conversion raises)
        return {"kind": "other", "type": wire.type_name(got)}

"""Checking an exercise without trusting the place the student's code ran.

One check, for the student's Check and for the class view alike, is three steps:

    plan(name, source)          here (the training worker: no student code runs here): the inputs
                                 of every check, drawn fresh from a new seed — {"name", "seed",
                                 "calls"}, each call its arguments as pynn.page.wire data
    running.run_exercise(…)      in the sandbox: the student's function on those inputs; what came
                                 out, as data — never a verdict
    judge(name, source, seed, answer)   here again: the same inputs from the seed, the answer read
                                 field by field (pynn.page.wire), every comparison and named
                                 mistake computed; the code's flags (pynn.page.codeflags)

``judge`` returns {"name", "status", "checks", "error", "raised", "passed", "total", "flags"}: status "pass"
(every check passed), "fail" (some did not; each line says why, a failed one with ``mistake``,
its identifier), "error" (the code raised or does not compile: ``error`` = {"message", "line"},
``raised`` = {"type", "cause"}: the exception's type and its cause's code, pynn.page.causes, which
the class's summary counts by; "" where unknown),
"timeout" (it ran past the page's limit), "crashed" (the sandbox's Python died running it) or
"invalid" (the sandbox's answer was not usable). A check the error stopped is not listed; when
the first check (the return type and shapes) fails, the others are listed with ``skipped``.

An ``answer`` is the sandbox's answer to run_exercise, or what the page says when it got none:
{"failure": one of FAILURES, "message"}.
"""
from __future__ import annotations

import secrets
from typing import Any

import numpy as np

from . import codeflags, text, wire
from .exercises import EXERCISES, Exercise, Mistake
from .exercises.kit import Outputs, Planned, StudentRaised
from .settings import CODE_MAX_CHARS, TIMEOUTS_MS

TEXT = text.register({
    "judge.seed": "seed must be a whole number from 0 below 2**52, not {value}",
    "judge.unknown": "unknown exercise {name}; known: {known}",
    "judge.code-not-text": "the code must be text, not {type}",
    "judge.code-too-long": "the code is {chars:,} characters; the page's limit is {limit:,}",
    "judge.timeout": "stopped after {seconds} s — is there an endless loop (a while that never ends)?",
    "judge.crashed": "the sandbox's Python crashed while running this code (a stack overflow?) and was started again",
    "judge.crashed-saying": "the sandbox's Python crashed while running this code (a stack overflow?) and was started again: {said}",
    "judge.refused": "the sandbox's answer was refused",
    "judge.stopped": "{said} (the sandbox for your code)",
    "judge.error": "the check could not run in the sandbox: {said}",
    "judge.unknown-failure": "the page reported an unknown failure {kind}",
    "judge.not-usable": "the sandbox's answer was not usable: {error}",
    "judge.skipped": "not run until the {check} check passes",
})


SEED_MAX = 2**52
"""Seeds stay below 2**53, so a JavaScript number carries one exactly from the plan to the judge."""

FAILURES = ("timeout", "crashed", "refused", "stopped", "error")
"""What the page reports instead of an answer: the call ran past its time, the sandbox's Python
died, the page refused the sandbox's message (web/start/messages.js), the sandbox was not running,
or the call broke inside the sandbox. The page says which by these codes; its message (what the
page's worker client said: a refusal names the field) is shown with it."""


NOT_RAISED = {"type": "", "cause": ""}
"""A result's ``raised`` where no exception of the student's code is known."""


def fresh_seed() -> int:
    """A seed no one can know in advance (the operating system's randomness)."""
    return secrets.randbelow(SEED_MAX)


def check_seed(seed: Any) -> int:
    """A seed handed back by the page: a whole number from 0 below SEED_MAX."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_MAX:
        raise ValueError(text.say("judge.seed", value=repr(str(seed)[:40])))
    return seed


def _exercise(name: Any) -> Exercise:
    if name not in EXERCISES:
        raise ValueError(text.say("judge.unknown", name=repr(str(name)[:40]), known=", ".join(EXERCISES)))
    return EXERCISES[name]


def _check_source(source: Any) -> str:
    """The student's code, if it is text within the page's limit."""
    if not isinstance(source, str):
        raise ValueError(text.say("judge.code-not-text", type=type(source).__name__))
    if len(source) > CODE_MAX_CHARS:
        raise ValueError(text.say("judge.code-too-long", chars=len(source), limit=CODE_MAX_CHARS))
    return source


def _planned(found: Exercise, seed: int) -> list[Planned]:
    """Every check's inputs for ``seed``: check i draws from default_rng([seed, i])."""
    return [check.plan(np.random.default_rng([seed, index])) for index, check in enumerate(found.checks)]


def plan(name: str, source: str, seed: int | None = None) -> dict[str, Any]:
    """The inputs the sandbox runs ``source``'s function on for exercise ``name``, from a fresh seed
    (the page never gives one: only a test repeats a draw)."""
    found = _exercise(name)
    _check_source(source)
    seed = fresh_seed() if seed is None else check_seed(seed)
    calls = [{"args": [wire.encode(arg) for arg in call.args], "give": call.give}
             for each in _planned(found, seed) for call in each.calls]
    return {"name": name, "seed": seed, "calls": calls}


def failure(answer: Any) -> tuple[str, str] | None:
    """(status, message) when ``answer`` says the sandbox gave none; None for an answer to read."""
    if not isinstance(answer, dict) or "failure" not in answer:
        return None
    kind, said = answer["failure"], answer.get("message")
    said = said[: wire.MAX_TEXT] if isinstance(said, str) else ""
    if kind == "timeout":
        seconds = round(TIMEOUTS_MS["check"] / 1000)
        return "timeout", text.say("judge.timeout", seconds=seconds)
    if kind == "crashed":
        return "crashed", text.say("judge.crashed-saying", said=said) if said else text.say("judge.crashed")
    if kind == "refused":
        return "invalid", said or text.say("judge.refused")
    if kind == "stopped":
        return "error", text.say("judge.stopped", said=said)
    if kind == "error":
        return "error", text.say("judge.error", said=said)
    return "invalid", text.say("judge.unknown-failure", kind=repr(str(kind)[:40]))


def _outputs(answer: Any, found: Exercise, plans: list[Planned]) -> tuple[list[Outputs] | None, dict[str, Any] | None]:
    """Each check's outputs from the sandbox's answer, or (None, {"status", "error"}) where the
    answer says the code did not load or cannot be read."""
    try:
        read = wire.read_answer(answer, sum(len(each.calls) for each in plans))
    except ValueError as error:
        return None, {"status": "invalid", "error": {"message": text.say("judge.not-usable", error=str(error)), "line": None}}
    if read["error"] is not None:
        return None, {"status": "error", "error": read["error"], "raised": read["raised"]}
    split, at = [], 0
    for each in plans:
        split.append(Outputs(read["outputs"][at: at + len(each.calls)]))
        at += len(each.calls)
    return split, None


def judge(name: str, source: str, seed: int, answer: Any) -> dict[str, Any]:
    """The verdict on ``answer`` (what the sandbox gave back for ``plan``'s calls of ``seed``): see
    the module's doc. ValueError only for a request the page should not make (an unknown
    exercise, a seed or code that is not one); whatever the answer holds, a result."""
    found = _exercise(name)
    _check_source(source)
    plans = _planned(found, check_seed(seed))
    result: dict[str, Any] = {"name": name, "status": "pass", "checks": [], "error": None, "raised": dict(NOT_RAISED),
                              "passed": 0, "total": len(found.checks), "flags": codeflags.flags(source)}
    stopped = failure(answer)
    if stopped is not None:
        return {**result, "status": stopped[0], "error": {"message": stopped[1], "line": None}}
    outputs, refused = _outputs(answer, found, plans)
    if refused is not None:
        return {**result, **refused}
    for index, (check, each, out) in enumerate(zip(found.checks, plans, outputs)):
        if index > 0 and not result["checks"][0]["passed"]:
            # every later check needs what the first one (the type and shapes) checks
            result["checks"].append({"name": found.say("check", check.name), "passed": False, "skipped": True,
                                     "message": text.say("judge.skipped", check=found.say("check", found.checks[0].name))})
            continue
        try:
            with np.errstate(all="ignore"):  # what came back may be any numbers: inf, NaN, 1e308
                message = check.judge(each.context, out)
        except Mistake as mistake:
            result["checks"].append({"name": found.say("check", check.name), "passed": False, "message": str(mistake),
                                     "mistake": mistake.mistake})
            result["status"] = "fail"
        except StudentRaised as error:
            raised = error.raised
            return {**result, "status": "error", "error": {"message": raised.text(), "line": raised.line},
                    "raised": {"type": raised.type, "cause": raised.cause}}
        else:
            result["checks"].append({"name": found.say("check", check.name), "passed": True, "message": message})
            result["passed"] += 1
    return result


def catalogue() -> list[dict[str, Any]]:
    """The exercises for the page: name, title, intro, equations (text) with their TeX, skeleton,
    solution and the checks' names, said in the page's language (the exercises' text ids)."""
    return [
        {"name": e.name, "title": e.say("title"), "intro": e.say("intro"), "equations": e.spoken(), "tex": list(e.tex),
         "from_derivation": e.from_derivation, "skeleton": e.skeleton, "solution": e.solution,
         "checks": [e.say("check", check.name) for check in e.checks]}
        for e in EXERCISES.values()
    ]

"""What the page's workers answer: one table of the calls, name → function, the only list of them.

The page sends ``{method, args}`` (web/start/serve.js) and the worker answers with ``call(session,
method, args, table)``: the function of that name in its table runs with the worker's one Session
and ``args`` as keyword arguments. The training worker answers PAGE; the sandbox's worker
(web/start/sandbox.js) answers SANDBOX, which adds the calls that run other people's code (a
student's, or code that came with a link or a file) — and answer with data only: the verdict on
that data is a PAGE call (``exercise_judge``, ``derive_judge``), so it is computed where no such
code runs. Every function takes the session first; the ones that need none (texts, checks,
hand-ins) are entered as ``alone(function)``.

    session = Session()
    call(session, "configure", {"settings": {"dataset": "moons", "classes": 2}})
    plan = call(session, "exercise_plan", {"name": "relu", "source": code})
    answer = call(session, "run_exercise", {"name": "relu", "source": code, "calls": plan["calls"]}, SANDBOX)
    call(session, "exercise_judge", {"name": "relu", "source": code, "seed": plan["seed"], "answer": answer})

pynn.page.settings reads PAGE's names from this source for the page table (``calls``, written to
dist/settings.js by build.py, which runs without numpy): keep PAGE a dict whose keys are literals.
"""
from __future__ import annotations

from typing import Any, Callable

from . import derive, gradebook, handin, handover, inside, judge, lessonrun, running, text
from .session import Session

TEXT = text.register({
    "calls.unknown": "unknown request {name}",
    "calls.arguments": "a call's arguments must be a dict",
    "calls.language": "a language is a catalogue as the build writes it ({name})",
})


Function = Callable[..., dict[str, Any]]


def alone(function: Function) -> Function:
    """``function``, which needs no session, called as the table calls: with the worker's session first."""

    def without_session(session: Session, **args: Any) -> dict[str, Any]:
        return function(**args)

    return without_session


def exercise_catalogue() -> dict[str, Any]:
    """The exercises the page offers, their texts, skeletons and solutions: pynn.page.judge.catalogue()."""
    return {"exercises": judge.catalogue()}


def exercise_plan(name: str, source: str) -> dict[str, Any]:
    """A check's inputs, drawn from a fresh seed (the page cannot choose it): pynn.page.judge.plan."""
    return judge.plan(name, source)


def derive_plan(step: str, expression: str) -> dict[str, Any]:
    """A derivation answer's random nets, drawn from a fresh seed, or its refusal: pynn.page.derive.plan."""
    return derive.plan(step, expression)


def use_language(catalogue: Any) -> dict[str, Any]:
    """Say every text from now on in the language of ``catalogue``, the page's (dist/locale/<code>.json,
    as web/lang/language.js read it; None: English): pynn.page.text.use. ValueError for anything else."""
    try:
        text.use(catalogue)
    except ValueError as error:
        raise ValueError(text.say("calls.language", name=str(error)[:200])) from None
    return {"language": text.language()}


PAGE: dict[str, Function] = {
    # the settings, a reset, training (the page's play loop)
    "configure": Session.configure, "reset": Session.reset, "run": Session.run, "edited": Session.edited,
    # the panels inside the net (pynn.page.inside)
    "inspect": Session.inspect, "hidden_units": Session.hidden_units, "gradcheck": Session.gradcheck,
    "source": alone(inside.sources),
    # your own points
    "add_point": Session.add_point, "remove_point": Session.remove_point, "clear_points": Session.clear_points,
    "load_csv": Session.load_csv, "data_csv": Session.data_csv,
    # model files, the digit pad
    "export_model": Session.export_model, "import_model": Session.import_model,
    "classify_drawing": Session.classify_drawing,
    # the backprop stepper, the network diagram
    "backprop_pick": Session.backprop_pick, "backprop_example": Session.backprop_example,
    "backprop_at": Session.backprop_at, "backprop_apply": Session.backprop_apply, "network": Session.network,
    # the handover to and from the sandbox (pynn.page.handover)
    "export_state": handover.export, "import_state": handover.take_over,
    # the exercises' and the derivation's texts (no code of anyone's runs)
    "exercise_catalogue": alone(exercise_catalogue), "derive_catalogue": alone(derive.catalogue),
    # a check's inputs, and the verdict on what the sandbox gave back (pynn.page.judge, pynn.page.derive)
    "exercise_plan": alone(exercise_plan), "exercise_judge": alone(judge.judge),
    "derive_plan": alone(derive_plan), "derive_judge": alone(derive.judge),
    # a lesson: predict, run, explain (pynn.page.lessonrun)
    "lesson_run": lessonrun.run,
    # hand-ins, and the class view's grading (pynn.page.handin)
    "hand_in": alone(handin.hand_in), "read_handin": alone(handin.read_entry), "class_report": alone(handin.report),
    # the class file: every hand-in as received, read back to be graded afresh (pynn.page.gradebook)
    "read_class": alone(gradebook.read_class), "class_file": alone(gradebook.class_file),
    # the language texts are said in (web/lang/language.js)
    "use_language": alone(use_language),
}
"""The calls the training worker answers (web/start/worker.js). None of them runs code that a
student wrote or that came with a link."""

SANDBOX: dict[str, Function] = {
    **PAGE,
    "use_student_code": Session.use_student_code,
    "run_exercise": alone(running.run_exercise),
    "run_derivation": alone(running.run_expression),
}
"""The calls the sandbox's worker answers (web/start/sandboxworker.js): PAGE's, and those that run
other people's code, which only the sandbox answers; what those answer is data (pynn.page.wire)."""


def call(session: Session, method: str, args: dict[str, Any], table: dict[str, Function] = PAGE) -> dict[str, Any]:
    """The answer of ``method`` of ``table`` (PAGE unless given) to ``args``, with ``session``; a
    ValueError names any other method."""
    if not isinstance(method, str) or method not in table:
        raise ValueError(text.say("calls.unknown", name=repr(str(method)[:40])))
    if not isinstance(args, dict):
        raise ValueError(text.say("calls.arguments"))
    return table[method](session, **args)

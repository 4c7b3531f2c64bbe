"""Derive it yourself: the gradients of docs/model.md worked out one step at a time — the content.

One module per step (h1.py, …), each holding its STEP (pynn.page.derivation.kinds.Step): the
question and what is known, the hints, the right answer, how its truth is checked and the wrong
answers it names. ORDER is the one list of their names (a contract: the page opens a step with
``#derive=STEP``). One example at a time, x D×1 and yoh C×1; the last step takes a batch X D×N and
the summed loss:

    step   asks for                                  shape   later steps call it
    h1     ∂L/∂h1 = −yoh ⊘ h1 (entry by entry)       C×1     dh1
    s1     ∂L/∂s1 = h1 − yoh                         C×1     g1
    W1     ∂L/∂W1 = g1·h0ᵀ                           C×H     dW1
    b1     ∂L/∂b1 = g1                               C×1     db1
    h0     ∂L/∂h0 = W1ᵀ·g1                           H×1     dh0
    s0     ∂L/∂s0 = dh0 ⊙ [s0 > 0]                   H×1     g0
    W0     ∂L/∂W0 = g0·xᵀ                            H×D     dW0
    b0     ∂L/∂b0 = g0                               H×1     db0
    batch  ∂L/∂b0 = Σ_i G0[:, i],                    H×1     —
           G0 = (W1ᵀ·G1) ⊙ [S0 > 0]  (H×N)

Its texts are said by id (pynn.page.text, registered here from the steps: Step.texts). Plain data,
the standard library only: the checker (pynn.page.derive) imports this package, never the other way; pynn.page.settings reads ORDER from this source for the page's table (the build
runs without numpy). A tenth step is one module more and one line here.
"""
from __future__ import annotations

import importlib

ORDER = (
    "h1",
    "s1",
    "W1",
    "b1",
    "h0",
    "s0",
    "W0",
    "b0",
    "batch",
)
"""The steps in the page's order, each the name of a module of this package: keep it a literal."""

from .. import text  # noqa: E402  (ORDER first: the build reads it alone)
from .kinds import Step  # noqa: E402

STEPS: tuple[Step, ...] = tuple(importlib.import_module(f"{__name__}.{name}").STEP for name in ORDER)

TEXT = text.register({key: english for step in STEPS for key, english in step.texts().items()})
"""Each step's question, what is known and hints where in words, and wrong answers' messages, by id (Step.texts)."""

"""The guided tour (``tour=N`` in the hash, or the Tour button): an introduction of the page, one
part of it per step, ending in the lessons (pynn.page.lessons), where the experiments are.

Each step points at one part of the page (``target``: a CSS selector; web/teaching/tour.js outlines it and
scrolls it into view), says what it is (``text``) and asks what to look at there (``question``). A
step that needs the page set up has ``setup`` (settings of pynn.page.settings.FIELDS; the rest take
their defaults): its "Set it up and play" gives a fresh net from the seed at epoch 0 and plays it,
whatever changed. The last step (``lessons``) leads into the lessons.

``STEPS`` is plain data on the standard library alone: pynn.page.settings imports it (the build
runs without numpy) and hands it to the page in its table (``tour``: ``steps``, the count that
bounds ``tour=N``, and ``cards``, these steps with their texts by id: ``cards()``);
tests/test_tour.py checks every setup with settings.validate and every target against
web/index.html. The texts are registered by id (pynn.page.text): ``tour.card.<n>.title``,
``….text``, ``….question``, n from 1.
"""
from __future__ import annotations

from typing import Any

from . import text

STEPS = (
    {
        "title": "The plane",
        "target": '[data-testid="boundary-canvas"]',
        "text": "Each dot is a training point, its colour and shape its class; the hollow ones are test points, "
        "which the net never trains on. The shading is the net's answer at every point of the plane: where "
        "it changes colour is the decision boundary.",
        "question": "Set it up and play: the 3-class spiral from the seed. Where does the boundary bend first?",
        "setup": {
            "dataset": "spiral", "classes": 3, "points": 300, "noise": 0.1, "split": 0.8, "hidden": 32,
            "lr": 0.5, "batch": 10, "wd": 0.0, "seed": 1,
        },
    },
    {
        "title": "The curves",
        "target": '[data-testid="chart-canvas"]',
        "text": "The loss (what training makes small) and the accuracy after each epoch, for the training points "
        "(solid) and the test points (dashed); the readouts beside give the numbers now.",
        "question": "While it plays: does the test loss follow the training loss all the way down?",
    },
    {
        "title": "The settings",
        "target": ".card.controls",
        "text": "The data set, the net's size H (hidden units), the initial weights, the learning rate, the batch "
        "size, L2 weight decay and the seed. The learning rate, batch size and weight decay change the "
        "training as it runs; any other change makes new data and a fresh net from the seed. Point at a "
        "control for what it does.",
        "question": "Move the learning rate while it plays: does the net start again, or train on?",
    },
    {
        "title": "Play, Step, Step one",
        "target": ".stage .toolbar",
        "text": "Play trains on and pauses; Step trains to the end of the epoch; Step one makes one SGD update "
        "(one batch). The speed slider slows training down to one update a second, the examples used "
        "ringed on the plane.",
        "question": "Pause, then press Step one a few times: how far does one update move the boundary?",
    },
    {
        "title": "Inside the net",
        "target": '[data-testid="inspect-panel"]',
        "text": "Point at the plane (or use the arrow keys): this panel shows what the net computes there, "
        "through the hidden units ReLU keeps or zeroes, to the probabilities. Further down: the network "
        "diagram, backprop step by step, each hidden unit's map, the gradient check.",
        "question": "Point at two places of the same colour: do the same hidden units fire there?",
    },
    {
        "title": "The exercises",
        "target": '[data-testid="exercises"]',
        "text": "Write the network yourself: ReLU, softmax, the forward pass, the loss, the gradients and the SGD "
        "step, each checked in a sandbox, then trained on the page with your code. \u201cDerive the "
        "gradients\u201d in the header walks you through the maths first.",
        "question": "Which of them do you expect to be hardest to get right?",
    },
    {
        "title": "The lessons",
        "target": '[data-testid="lessons"]',
        "text": "The experiments are lessons: how many hidden units, a learning rate too large or too small, "
        "batch 1 against batch 32, all weights zero, overfitting and L2, training against test accuracy, "
        "what the digits' hidden units learn. Each asks you to predict first, runs, and explains what "
        "the run showed.",
        "question": "Which will you try first: the first lesson, or one from the list?",
        "lessons": True,
    },
)
"""The tour's steps, in order: title, target, text, question; ``setup`` where a step sets the page
up, ``lessons`` on the step that leads into the lessons."""

TEXTS = ("title", "text", "question")
"""What a step says, each a text by id (``tour.card.<n>.<part>``)."""

TEXT = text.register({f"tour.card.{n}.{part}": step[part] for n, step in enumerate(STEPS, 1) for part in TEXTS})


def cards() -> list[dict[str, Any]]:
    """The steps for the page's table: each text by its id (the table's ``texts`` holds the English)."""
    return [{**step, **{part: f"tour.card.{n}.{part}" for part in TEXTS}} for n, step in enumerate(STEPS, 1)]

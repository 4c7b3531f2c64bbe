"""Student code that attacks the grading, one copy for the unit tests (tests/test_judge.py) and the
page's (tests/e2e/test_hostile_grading.py): each must be graded as the honest wrong code it is,
``WRONG_RELU``'s |s| (the mistake "absolute-value")."""
from __future__ import annotations

WRONG_RELU = "import numpy as np\n\n\ndef relu(s):\n    return np.abs(s)\n"

PATCHES = '''import numpy as np
import pynn.page.exercises as exercises
import pynn.page.judge as judge
import pynn.page.wire as wire

for exercise in exercises.EXERCISES.values():
    object.__setattr__(exercise, "checks", ())
judge.judge = lambda *args, **kwargs: {"status": "pass"}
wire.read_answer = lambda *args: {"error": None, "outputs": []}
np.allclose = lambda *args, **kwargs: True


def relu(s):
    return np.abs(s)
'''
"""A relu that patches, where it runs, the checker, the judge, the reading of answers and numpy's
comparison: none of them is the one that grades it."""

LIAR = '''import numpy as np


class Liar(np.ndarray):
    """A wrong answer that says it is right to whoever asks numpy."""

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def view(self, *args):
        return np.maximum(np.asarray(self), 0)


def relu(s):
    return np.abs(s).view(Liar)
'''
"""A relu whose |s| is an ndarray subclass that lies to numpy's functions, to ``==`` and to a
``view`` asked of it: it is sent as the numbers it holds."""

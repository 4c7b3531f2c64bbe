"""The exercises' checks: a correct solution passes every check, each known mistake gets its own
hint, exceptions and syntax errors come back with their line, wrong return types and shapes fail."""
from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

from pynn import model
from pynn.page import exercises
from judged import check
from pynn.page import judge, running
from pynn.page.exercises import ORDER, SKELETONS, SOLUTIONS


def code(text: str) -> str:
    return "import numpy as np\n\n" + textwrap.dedent(text)


def failed(result: dict) -> list[dict]:
    return [line for line in result["checks"] if not line["passed"]]


@pytest.mark.parametrize("name", ORDER)
def test_the_solution_passes_every_check(name):
    result = check(name, SOLUTIONS[name])
    assert result["status"] == "pass", failed(result) or result["error"]
    assert result["passed"] == result["total"] == len(exercises.EXERCISES[name].checks) >= 3
    assert all(line["message"] for line in result["checks"])


@pytest.mark.parametrize("name", ORDER)
def test_the_skeleton_fails_and_says_nothing_was_returned(name):
    result = check(name, SKELETONS[name])
    assert result["status"] == "fail"
    assert "None — did you forget the return?" in failed(result)[0]["message"]


def test_the_solutions_are_pynns_own_code():
    import inspect

    assert inspect.getsource(model.relu) in SOLUTIONS["relu"]
    assert inspect.getsource(model.softmax) in SOLUTIONS["softmax"]
    assert inspect.getsource(model.log_softmax) in SOLUTIONS["loss"]
    forward = inspect.getsource(model.TwoLayerNet.forward_pass).replace("self.", "")
    for statement in ("s0 = W0 @ X + b0", "h0 = relu(s0)", "s1 = W1 @ h0 + b1"):
        assert statement in forward and statement in SOLUTIONS["forward"]


def test_the_solution_functions_equal_pynn_on_a_random_net():
    net, X, Yoh = exercises.random_net(3, 7, 4, 9, np.random.default_rng(0))
    fns = running.helpers("sgd_step")
    fns["sgd_step"] = running.load("sgd_step", SOLUTIONS["sgd_step"], dict(fns))
    weights = [getattr(net, name) for name in model.PARAMETERS]
    for got, want in zip(fns["forward"](*weights, X), net.forward_pass(X)):
        np.testing.assert_array_equal(got, want)
    grads = fns["gradients"](*weights, X, Yoh)
    _, want = net.gradients(X, Yoh.argmax(axis=0))
    for name in model.PARAMETERS:
        np.testing.assert_allclose(grads[name], want[name], rtol=1e-12)


# (exercise, the student's code, a phrase of the hint that mistake must get)
MISTAKES = [
    ("relu", "def relu(s):\n    return s\n", "nothing was zeroed"),
    ("relu", "def relu(s):\n    return np.abs(s)\n", "that is |s|"),
    ("relu", "def relu(s):\n    return (s > 0) * 1.0\n", "that is the mask [s > 0]"),
    ("relu", "def relu(s):\n    return np.minimum(s, 0)\n", "that is min(s, 0)"),
    ("relu", "def relu(s):\n    s[s < 0] = 0\n    return s\n", "changed its argument s in place"),
    ("relu", "def relu(s):\n    return s.tolist()\n", "yours is a list"),
    ("relu", "def relu(s):\n    return np.maximum(s, 0).ravel()\n", "must have shape (3, 5)"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)\n",
     "your rows sum to 1"),
    ("softmax", "def softmax(s):\n    e = np.exp(s)\n    return e / e.sum(axis=0)\n", "exp overflowed"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max())\n    return e / e.sum(axis=0)\n",
     "not the max of the whole matrix"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max())\n    return e / e.sum()\n", "whole matrix sums to 1"),
    ("softmax", "def softmax(s):\n    s -= s.max(axis=0)\n    e = np.exp(s)\n    return e / e.sum(axis=0)\n",
     "changed its argument s in place"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X\n    h0 = relu(s0)\n    s1 = W1 @ h0 + b1\n"
                "    return s0, h0, s1, softmax(s1)\n", "you forgot the bias: S0 = W0·X + b0"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = s0\n    s1 = W1 @ h0 + b1\n"
                "    return s0, h0, s1, softmax(s1)\n", "H0 = ReLU(S0)"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = relu(s0)\n    s1 = W1 @ s0 + b1\n"
                "    return s0, h0, s1, softmax(s1)\n", "uses H0 (after ReLU), not S0"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = relu(s0)\n    s1 = W1 @ h0 + b1\n"
                "    return s0, h0, s1, s1\n", "the probabilities, not the scores"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = X.T @ W0.T + b0.T\n    h0 = relu(s0)\n"
                "    s1 = h0 @ W1.T + b1.T\n    return s0, h0, s1, softmax(s1)\n", "did you write X.T·W.T"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    return s0, relu(s0)\n",
     "yours returned a tuple of 2"),
    ("forward", "def forward(W0, b0, W1, b1, X):\n    s0 = W0 @ X + b0\n    h0 = relu(s0)\n    s1 = W1 @ h0 + b1\n"
                "    e = np.exp(s1)\n    return s0, h0, s1, e / e.sum(axis=0)\n", "exp overflowed"),
    ("loss", "def loss(s1, Yoh):\n    h1 = np.exp(s1 - s1.max(axis=0)) / np.exp(s1 - s1.max(axis=0)).sum(axis=0)\n"
             "    return float(-(Yoh * np.log(h1)).sum() / s1.shape[1])\n", "that is the mean"),
    ("loss", "def loss(s1, Yoh):\n    ls = s1 - s1.max(axis=0) - np.log(np.exp(s1 - s1.max(axis=0)).sum(axis=0))\n"
             "    return float((Yoh * ls).sum())\n", "wrong sign"),
    ("loss", "def loss(s1, Yoh):\n    ls = s1 - s1.max(axis=0) - np.log(np.exp(s1 - s1.max(axis=0)).sum(axis=0))\n"
             "    return float(-ls.sum())\n", "only the true class counts"),
    ("loss", "def loss(s1, Yoh):\n    ls = s1 - s1.max(axis=0) - np.log(np.exp(s1 - s1.max(axis=0)).sum(axis=0))\n"
             "    return -(Yoh * ls).sum(axis=0)\n", "add up the per-example terms"),
    ("loss", "def loss(s1, Yoh):\n    h1 = np.exp(s1 - s1.max(axis=0)) / np.exp(s1 - s1.max(axis=0)).sum(axis=0)\n"
             "    return float(-(Yoh * np.log(h1)).sum())\n", "compute log-softmax directly"),
    ("loss", "def loss(s1, Yoh):\n    return 'low'\n", "yours returned a str"),
    ("loss", SOLUTIONS["loss"].replace("return float(-log_softmax", "return float(log_softmax"),
     "wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)"),
    ("loss", SOLUTIONS["loss"].replace("[y, np.arange(y.shape[0])].sum()", ".sum()"),
     "you added −log h1 of every class; only the true class counts: multiply by Yoh first"),
    ("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T'),
     "∂L/∂W1 must have W1's shape (3, 32) — denominator layout; yours is (32, 3): did you write H0·G1ᵀ instead of G1·H0ᵀ?"),
    ("gradients", SOLUTIONS["gradients"].replace('"W0": G0 @ X.T', '"W0": X @ G0.T'),
     "∂L/∂W0 must have W0's shape (32, 2) — denominator layout; yours is (2, 32): did you write X·G0ᵀ instead of G0·Xᵀ?"),
    ("gradients", SOLUTIONS["gradients"].replace('G1.sum(axis=1, keepdims=True)', 'G1.sum(axis=1)'),
     "keep it a column"),
    ("gradients", SOLUTIONS["gradients"].replace('"b1": G1.sum(axis=1, keepdims=True)', '"b1": G1'),
     "one column per example"),
    ("gradients", SOLUTIONS["gradients"].replace('"b1": G1.sum(axis=1, keepdims=True)', '"b1": G1.sum(axis=0, keepdims=True)'),
     "summed over the wrong axis"),
    ("gradients", SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", "G1 = (h1 - Yoh) / X.shape[1]"),
     "the gradient of the mean"),
    ("gradients", SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", "G1 = Yoh - h1"), "the sign is flipped"),
    ("gradients", SOLUTIONS["gradients"].replace("* np.sign(h0)", ""), "G0 needs the ReLU mask"),
    ("gradients", SOLUTIONS["gradients"].replace("* np.sign(h0)", "* h0"), "not by H0 itself"),
    ("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": G1 @ s0.T'), "uses H0 (after ReLU), not S0"),
    ("gradients", "def gradients(W0, b0, W1, b1, X, Yoh):\n    return [W0, b0, W1, b1]\n", "yours returned a list"),
    ("gradients", SOLUTIONS["gradients"].replace('"b1": G1.sum(axis=1, keepdims=True),', ''), "no key 'b1'"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr", "params[name] + lr"), "you moved uphill"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "params[name] - grads[name]"),
     "the learning rate is missing"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "lr * grads[name]"),
     "that is the step lr·∂L/∂θ"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "grads[name]"), "that is the gradient"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("return {", "new = {"), "did you forget the return?"),
    ("relu", "def relu(s):\n    return np.maximum(s, 0).squeeze()\n", "relu(s) of one column must have shape (3, 1)"),
    ("relu", "def relu(s):\n    return s.astype(complex)\n", "yours has dtype complex128"),
    ("relu", "def relu(s):\n    return s > 0\n", "yours has dtype bool"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max(axis=0))\n    return (e / e.sum(axis=0)).T\n", "yours is (5, 3)"),
    ("softmax", "def softmax(s):\n    e = np.exp(s - s.max(axis=0))\n    return (e / e.sum(axis=0)).squeeze()\n",
     "softmax(s) of one column must have shape (3, 1)"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("params[name] - lr * grads[name]", "(params[name] - lr * grads[name]).T"),
     "the new W0 must have W0's shape"),
    ("sgd_step", SOLUTIONS["sgd_step"].replace("return {", "new = {").rstrip() + "\n    del new['b1']\n    return new\n",
     "has no key 'b1'"),
]


# What the student reads when every check passes: the checklist of each exercise, in order.
CHECKLIST = {
    'relu': [
        ('shape', 'relu keeps the shape of s: (3, 5) and (3, 1)'),
        ('ReLU mask', 'negative scores become 0, positive ones pass unchanged (the ReLU mask [s > 0])'),
        ('values', 'equals pynn.model.relu on random scores of shapes (4, 1), (6, 9), (1, 3)'),
        ('input unchanged', 'leaves its argument s unchanged'),
    ],
    'softmax': [
        ('shape', 'keeps the shape C×N: (3, 5) and (3, 1)'),
        ('columns sum to 1', 'each column is a probability distribution (≥ 0, sums to 1)'),
        ('values', 'equals pynn.model.softmax on random scores of shapes (3, 5), (2, 1), (6, 4)'),
        ('stable at ±1e4', 'stays finite and exact at scores of ±1e4 (no overflow)'),
        ('input unchanged', 'leaves its argument s unchanged'),
    ],
    'forward': [
        ('shapes', 's0, h0 are H×N = (32, 8); s1, h1 are C×N = (3, 8) (D=2, H=32, C=3, N=8)'),
        ('values', "s0, h0, s1, h1 equal pynn's on 4 random nets and batches (N = 1 and N > 1, H = 1, C = 2)"),
        ('stable at ±1e4', 'h1 stays finite and exact with scores s1 up to ±1e4'),
    ],
    'loss': [
        ('one number', 'returns one number'),
        ('values', "equals pynn's summed NLL on 4 random nets and batches (N = 1 and N > 1, C = 2)"),
        ('sum, not mean', 'is the sum over the examples, not the mean'),
        ('stable at ±1e4', 'stays finite and exact at scores of ±1e4 (log-softmax)'),
    ],
    'gradients': [
        ('shapes', "each gradient has its parameter's shape: W0 (32, 2), b0 (32, 1), W1 (3, 32), b1 (3, 1)"),
        ('values', "equal pynn's on 4 random nets and batches (N = 1 and N > 1, H = 1, C = 2)"),
        ('sum, not mean', 'are the gradients of the summed loss, not of the mean'),
        ('ReLU mask', 'the ReLU mask [S0 > 0] stops the gradient at a unit that is off and passes it where the unit is on'),
        ('gradient check', 'relative error against central finite differences of the loss: W0 3.2e-10, b0 2.4e-10, W1 1.8e-10, b1 6.3e-11 (pass below 1e-06)'),
    ],
    'sgd_step': [
        ('shapes', 'returns params shaped as before: W0 (32, 2), b0 (32, 1), W1 (3, 32), b1 (3, 1)'),
        ('values', "equals pynn's update θ − lr·∂L/∂θ (TwoLayerNet.step) on one example, 4 random nets and learning rates"),
        ('goes downhill', "a small step lowers the example's loss (0.2886 → 0.2804)"),
    ],
}

# A first check that fails (the shape of what was returned) leaves the others waiting, with this message.
WAITING = {
    name: {check: f"not run until the {checks[0][0]} check passes" for check, _ in checks[1:]}
    for name, checks in CHECKLIST.items()
}

# What the student reads for each mistake above, on the inputs of the draw DRAW: every failed check, by name,
# with its whole message (its numbers hidden: tiny_errors_rounded);
# when the first check fails, the others wait for it (WAITING).
FEEDBACK = {
    ('relu', 'nothing was zeroed'): {
        'ReLU mask':
            "relu(s) differs from pynn's on a 3×5 matrix of scores: at [2, 0] pynn has 0, yours -10000 — nothing was zeroed: ReLU(s) = max(s, 0) sets every negative entry to 0",
        'values':
            "relu(s) differs from pynn's on random scores of shape (4, 1): at [3, 0] pynn has 0, yours -1.30316 — nothing was zeroed: ReLU(s) = max(s, 0) sets every negative entry to 0",
    },
    ('relu', 'that is |s|'): {
        'ReLU mask':
            "relu(s) differs from pynn's on a 3×5 matrix of scores: at [2, 0] pynn has 0, yours 10000 — that is |s|: ReLU sets negative entries to 0, it does not flip their sign",
        'values':
            "relu(s) differs from pynn's on random scores of shape (4, 1): at [3, 0] pynn has 0, yours 1.30316 — that is |s|: ReLU sets negative entries to 0, it does not flip their sign",
    },
    ('relu', 'that is the mask [s > 0]'): {
        'ReLU mask':
            "relu(s) differs from pynn's on a 3×5 matrix of scores: at [2, 1] pynn has 10000, yours 1 — that is the mask [s > 0]: ReLU keeps the positive values themselves, s ⊙ [s > 0]",
        'values':
            "relu(s) differs from pynn's on random scores of shape (4, 1): at [2, 0] pynn has 0.330437, yours 1 — that is the mask [s > 0]: ReLU keeps the positive values themselves, s ⊙ [s > 0]",
    },
    ('relu', 'that is min(s, 0)'): {
        'ReLU mask':
            "relu(s) differs from pynn's on a 3×5 matrix of scores: at [2, 0] pynn has 0, yours -10000 — that is min(s, 0): ReLU keeps the positive part, max(s, 0)",
        'values':
            "relu(s) differs from pynn's on random scores of shape (4, 1): at [3, 0] pynn has 0, yours -1.30316 — that is min(s, 0): ReLU keeps the positive part, max(s, 0)",
    },
    ('relu', 'changed its argument s in place'): {
        'input unchanged':
            'relu changed its argument s in place (s[s < 0] = 0?): the backward pass needs S0 as it was for the mask [S0 > 0]; return a new array, e.g. np.maximum(s, 0)',
    },
    ('relu', 'yours is a list'): {
        'shape':
            'relu(s) must be a numpy array of shape (3, 5) — the same shape as s, element by element; yours is a list',
        **WAITING['relu'],
    },
    ('relu', 'must have shape (3, 5)'): {
        'shape':
            'relu(s) must have shape (3, 5) — the same shape as s, element by element; yours is (15,)',
        **WAITING['relu'],
    },
    ('softmax', 'your rows sum to 1'): {
        'columns sum to 1':
            'each column of softmax(s) must be probabilities summing to 1; yours sum to [0.257 0.348 0.759 1.453 0.184] — your rows sum to 1: each COLUMN is one example, so normalise over axis=0',
        'values':
            "softmax(s) differs from pynn's on random scores of shape (3, 5): at [1, 3] pynn has 0.961321, yours 0.0527938 — your rows sum to 1: each COLUMN is one example, so normalise over axis=0",
        'stable at ±1e4':
            "softmax(s) differs from pynn's at scores of ±1e4: at [2, 0] pynn has 0, yours 1 — your rows sum to 1: each COLUMN is one example, so normalise over axis=0",
    },
    ('softmax', 'exp overflowed'): {
        'stable at ±1e4':
            "exp overflowed: subtract each column's max before exp — softmax(s) = softmax(s − max), and every exponent is then ≤ 0",
    },
    ('softmax', 'not the max of the whole matrix'): {
        'stable at ±1e4':
            "subtract each column's own max (s.max(axis=0)), not the max of the whole matrix: a column far below it underflows to 0/0",
    },
    ('softmax', 'whole matrix sums to 1'): {
        'columns sum to 1':
            'each column of softmax(s) must be probabilities summing to 1; yours sum to [0.085 0.104 0.258 0.499 0.054] — your whole matrix sums to 1: normalise each column (axis=0) on its own',
        'values':
            "softmax(s) differs from pynn's on random scores of shape (3, 5): at [1, 3] pynn has 0.961321, yours 0.00798727 — your whole matrix sums to 1: normalise each column (axis=0) on its own",
        'stable at ±1e4':
            "softmax(s) differs from pynn's at scores of ±1e4: at [2, 1] pynn has 0.786986, yours 0 — your whole matrix sums to 1: normalise each column (axis=0) on its own",
    },
    ('softmax', 'changed its argument s in place'): {
        'input unchanged':
            'softmax changed its argument s in place (s -= s.max(…)?): the caller still needs the scores; work on a new array, e.g. e = np.exp(s - s.max(axis=0))',
    },
    ('forward', 'you forgot the bias: S0 = W0·X + b0'): {
        'values':
            "s0 differs from pynn's (D=2, H=5, C=3, N=7): at [0, 2] pynn has 1.62379, yours 2.17546 — you forgot the bias: S0 = W0·X + b0",
    },
    ('forward', 'H0 = ReLU(S0)'): {
        'values':
            "h0 differs from pynn's (D=2, H=5, C=3, N=7): at [3, 2] pynn has 0, yours -2.09158 — H0 = ReLU(S0): the negative scores must become 0",
    },
    ('forward', 'uses H0 (after ReLU), not S0'): {
        'values':
            "s1 differs from pynn's (D=2, H=5, C=3, N=7): at [2, 0] pynn has 0.393382, yours 1.11582 — S1 = W1·H0 + b1 uses H0 (after ReLU), not S0",
    },
    ('forward', 'the probabilities, not the scores'): {
        'values':
            "h1 differs from pynn's (D=2, H=5, C=3, N=7): at [0, 2] pynn has 0.266989, yours -0.637884 — H1 = softmax(S1): the probabilities, not the scores",
        'stable at ±1e4':
            "h1 differs from pynn's with scores s1 up to ±1e4: at [1, 3] pynn has 0, yours -10000 — H1 = softmax(S1): the probabilities, not the scores",
    },
    ('forward', 'did you write X.T·W.T'): {
        'shapes':
            's0 must have shape (32, 8) — W0·X + b0 is (H×D)·(D×N) = H×N, one column per example; yours is (8, 32): examples are columns here — did you write X.T·W.T (examples as rows) instead of W·X?',
        **WAITING['forward'],
    },
    ('forward', 'yours returned a tuple of 2'): {
        'shapes':
            'forward must return the four values (s0, h0, s1, h1) as a tuple; yours returned a tuple of 2',
        **WAITING['forward'],
    },
    ('forward', 'exp overflowed'): {
        'stable at ±1e4':
            "exp overflowed: subtract each column's max before exp — softmax(s) = softmax(s − max), and every exponent is then ≤ 0",
    },
    ('loss', 'that is the mean'): {
        'values':
            "loss is 1.13182 (D=2, H=5, C=3, N=7), pynn's 7.92277 — that is the mean over the 7 examples; the spec's loss is the SUM Σ_i (do not divide by N)",
        'sum, not mean':
            "loss is 1.62212 on 10 examples, pynn's 16.2212 — that is the mean over the 10 examples; the spec's loss is the SUM Σ_i (do not divide by N)",
        'stable at ±1e4':
            "loss is nan at scores of ±1e4, pynn's 50004.4 — compute log-softmax directly, s − max − log Σ exp(s − max) per column, not log(softmax(s)): a probability that underflows to 0 gives log 0 = −inf",
    },
    ('loss', 'wrong sign'): {
        'values':
            "loss is -7.92277 (D=2, H=5, C=3, N=7), pynn's 7.92277 — wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
        'sum, not mean':
            "loss is -16.2212 on 10 examples, pynn's 16.2212 — wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
        'stable at ±1e4':
            "loss is -50004.4 at scores of ±1e4, pynn's 50004.4 — wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
    },
    ('loss', 'only the true class counts'): {
        'values':
            "loss is 23.4682 (D=2, H=5, C=3, N=7), pynn's 7.92277 — you added −log h1 of every class; only the true class counts: multiply by Yoh first",
        'sum, not mean':
            "loss is 54.3136 on 10 examples, pynn's 16.2212 — you added −log h1 of every class; only the true class counts: multiply by Yoh first",
        'stable at ±1e4':
            "loss is 100008 at scores of ±1e4, pynn's 50004.4 — you added −log h1 of every class; only the true class counts: multiply by Yoh first",
    },
    ('loss', 'add up the per-example terms'): {
        'one number':
            'loss must return one number, the sum over all 6 examples; yours is an array of shape (6,): add up the per-example terms (.sum())',
        **WAITING['loss'],
    },
    ('loss', 'compute log-softmax directly'): {
        'stable at ±1e4':
            "loss is nan at scores of ±1e4, pynn's 50004.4 — compute log-softmax directly, s − max − log Σ exp(s − max) per column, not log(softmax(s)): a probability that underflows to 0 gives log 0 = −inf",
    },
    ('loss', 'yours returned a str'): {
        'one number':
            'loss must return a float; yours returned a str',
        **WAITING['loss'],
    },
    ('loss', 'wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)'): {
        'values':
            "loss is -7.92277 (D=2, H=5, C=3, N=7), pynn's 7.92277 — wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
        'sum, not mean':
            "loss is -16.2212 on 10 examples, pynn's 16.2212 — wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
        'stable at ±1e4':
            "loss is -50004.4 at scores of ±1e4, pynn's 50004.4 — wrong sign: L = Σ −log h1[y] is ≥ 0 (a minus in front of the log)",
    },
    ('loss', 'you added −log h1 of every class; only the true class counts: multiply by Yoh first'): {
        'values':
            "loss is 23.4682 (D=2, H=5, C=3, N=7), pynn's 7.92277 — you added −log h1 of every class; only the true class counts: multiply by Yoh first",
        'sum, not mean':
            "loss is 54.3136 on 10 examples, pynn's 16.2212 — you added −log h1 of every class; only the true class counts: multiply by Yoh first",
        'stable at ±1e4':
            "loss is 100008 at scores of ±1e4, pynn's 50004.4 — you added −log h1 of every class; only the true class counts: multiply by Yoh first",
    },
    ('gradients', "∂L/∂W1 must have W1's shape (3, 32) — denominator layout; yours is (32, 3): did you write H0·G1ᵀ instead of G1·H0ᵀ?"): {
        'shapes':
            "∂L/∂W1 must have W1's shape (3, 32) — denominator layout; yours is (32, 3): did you write H0·G1ᵀ instead of G1·H0ᵀ?",
        **WAITING['gradients'],
    },
    ('gradients', "∂L/∂W0 must have W0's shape (32, 2) — denominator layout; yours is (2, 32): did you write X·G0ᵀ instead of G0·Xᵀ?"): {
        'shapes':
            "∂L/∂W0 must have W0's shape (32, 2) — denominator layout; yours is (2, 32): did you write X·G0ᵀ instead of G0·Xᵀ?",
        **WAITING['gradients'],
    },
    ('gradients', 'keep it a column'): {
        'shapes':
            "∂L/∂b1 must have b1's shape (3, 1) — a column, like b1; yours is (3,): keep it a column — sum over the examples with axis=1, keepdims=True",
        **WAITING['gradients'],
    },
    ('gradients', 'one column per example'): {
        'shapes':
            "∂L/∂b1 must have b1's shape (3, 1) — a column, like b1; yours is (3, 8): that is one column per example — ∂L/∂b1 sums them (axis=1)",
        **WAITING['gradients'],
    },
    ('gradients', 'summed over the wrong axis'): {
        'shapes':
            "∂L/∂b1 must have b1's shape (3, 1) — a column, like b1; yours is (1, 8): summed over the wrong axis — axis=1 adds up the examples",
        **WAITING['gradients'],
    },
    ('gradients', 'the gradient of the mean'): {
        'values':
            "∂L/∂W0 differs from pynn's (D=2, H=5, C=3, N=7): at [1, 0] pynn has -0.589889, yours -0.0842698 — yours are 1/N of pynn's (N = 7): that is the gradient of the mean; the spec's L is the sum, so do not divide by N",
        'sum, not mean':
            "∂L/∂W0 is 1/10 of pynn's on 10 examples: that is the gradient of the mean loss; the spec's L is the sum over the examples",
        'gradient check':
            'relative error against central finite differences of the loss: W0 6.7e-01, b0 6.7e-01, W1 6.7e-01, b1 6.7e-01; W0, b0, W1, b1 above 1e-06',
    },
    ('gradients', 'the sign is flipped'): {
        'values':
            "∂L/∂W0 differs from pynn's (D=2, H=5, C=3, N=7): at [1, 0] pynn has -0.589889, yours 0.589889 — the sign is flipped: G1 = ∂L/∂S1 = H1 − Yoh, not Yoh − H1",
        'gradient check':
            'relative error against central finite differences of the loss: W0 1.0e+00, b0 1.0e+00, W1 1.0e+00, b1 1.0e+00; W0, b0, W1, b1 above 1e-06',
    },
    ('gradients', 'G0 needs the ReLU mask'): {
        'values':
            "∂L/∂W0 differs from pynn's (D=2, H=5, C=3, N=7): at [2, 0] pynn has 0, yours 0.851113 — G0 needs the ReLU mask: G0 = (W1ᵀ·G1) ⊙ [S0 > 0]",
        'ReLU mask':
            'hidden unit 0 is off (S0 < 0 for every example), yet your ∂L/∂W0 row 0 or ∂L/∂b0[0] is not 0: G0 = (W1ᵀ·G1) ⊙ [S0 > 0] — the ReLU mask stops the gradient at a unit that is off',
        'gradient check':
            'relative error against central finite differences of the loss: W0 2.5e-01, b0 3.6e-01, W1 1.8e-10, b1 6.3e-11; W0, b0 above 1e-06',
    },
    ('gradients', 'not by H0 itself'): {
        'values':
            "∂L/∂W0 differs from pynn's (D=2, H=5, C=3, N=7): at [1, 0] pynn has -0.589889, yours -0.0829156 — multiply by the mask [S0 > 0] (0 or 1), not by H0 itself",
        'ReLU mask':
            "hidden unit 1 is on for every example, so ∂L/∂b0[1] = Σ_i (W1ᵀ·G1)[1, i]; yours differs — multiply by the mask [S0 > 0] (0 or 1), not by H0 itself",
        'gradient check':
            'relative error against central finite differences of the loss: W0 3.1e-01, b0 3.2e-01, W1 1.8e-10, b1 6.3e-11; W0, b0 above 1e-06',
    },
    ('gradients', 'uses H0 (after ReLU), not S0'): {
        'values':
            "∂L/∂W1 differs from pynn's (D=2, H=5, C=3, N=7): at [1, 3] pynn has 0.0812606, yours -0.809879 — ∂L/∂W1 = G1·H0ᵀ uses H0 (after ReLU), not S0",
        'gradient check':
            'relative error against central finite differences of the loss: W0 3.2e-10, b0 2.4e-10, W1 3.1e-01, b1 6.3e-11; W1 above 1e-06',
    },
    ('gradients', 'yours returned a list'): {
        'shapes':
            'gradients must return a dict with keys "W0", "b0", "W1", "b1"; yours returned a list',
        **WAITING['gradients'],
    },
    ('gradients', "no key 'b1'"): {
        'shapes':
            "the dict gradients returned has no key 'b1'; it needs W0, b0, W1 and b1",
        **WAITING['gradients'],
    },
    ('sgd_step', 'you moved uphill'): {
        'values':
            "the new W0 differs from pynn's (D=2, H=5, C=3, N=1, lr=0.1): at [4, 1] pynn has -0.475617, yours -0.425921 — you moved uphill: θ ← θ − lr·∂L/∂θ, with a minus",
        'goes downhill':
            "a small step (lr = 0.01) must lower the example's loss; it went from 0.288622 to 0.297052 — θ ← θ − lr·∂L/∂θ",
    },
    ('sgd_step', 'the learning rate is missing'): {
        'values':
            "the new W0 differs from pynn's (D=2, H=5, C=3, N=1, lr=0.1): at [4, 1] pynn has -0.475617, yours -0.699249 — the learning rate is missing: θ ← θ − lr·∂L/∂θ",
    },
    ('sgd_step', 'that is the step lr·∂L/∂θ'): {
        'values':
            "the new W0 differs from pynn's (D=2, H=5, C=3, N=1, lr=0.1): at [0, 0] pynn has -1.10334, yours 0 — that is the step lr·∂L/∂θ; return the updated parameters θ − lr·∂L/∂θ",
    },
    ('sgd_step', 'that is the gradient'): {
        'values':
            "the new W0 differs from pynn's (D=2, H=5, C=3, N=1, lr=0.1): at [0, 0] pynn has -1.10334, yours 0 — that is the gradient; return the updated parameters θ − lr·∂L/∂θ",
        'goes downhill':
            "a small step (lr = 0.01) must lower the example's loss; it went from 0.288622 to 1.36602 — θ ← θ − lr·∂L/∂θ",
    },
    ('sgd_step', 'did you forget the return?'): {
        'shapes':
            'sgd_step must return the updated params dict (keys "W0", "b0", "W1", "b1"); yours returned None — did you forget the return?',
        **WAITING['sgd_step'],
    },
    ('relu', 'relu(s) of one column must have shape (3, 1)'): {
        'shape':
            'relu(s) of one column must have shape (3, 1) — the same shape as s; yours is (3,)',
        **WAITING['relu'],
    },
    ('relu', 'yours has dtype complex128'): {
        'shape':
            'relu(s) must hold real numbers; yours has dtype complex128',
        **WAITING['relu'],
    },
    ('relu', 'yours has dtype bool'): {
        'shape':
            'relu(s) must hold real numbers; yours has dtype bool',
        **WAITING['relu'],
    },
    ('softmax', 'yours is (5, 3)'): {
        'shape':
            'softmax(s) must have shape (3, 5) — C×N, one column of probabilities per example; yours is (5, 3)',
        **WAITING['softmax'],
    },
    ('softmax', 'softmax(s) of one column must have shape (3, 1)'): {
        'shape':
            'softmax(s) of one column must have shape (3, 1) — C×1; yours is (3,)',
        **WAITING['softmax'],
    },
    ('sgd_step', "the new W0 must have W0's shape"): {
        'shapes':
            "the new W0 must have W0's shape (32, 2) — denominator layout; yours is (2, 32): did you write X·G0ᵀ instead of G0·Xᵀ?",
        **WAITING['sgd_step'],
    },
    ('sgd_step', "has no key 'b1'"): {
        'shapes':
            "the dict sgd_step returned has no key 'b1'; it needs W0, b0, W1 and b1",
        **WAITING['sgd_step'],
    },
}


DRAW = 1
"""The seed of the inputs the whole messages are compared on (the page draws a fresh one each time)."""


def tiny_errors_rounded(message: str) -> str:
    """A message with the numbers of its draw hidden: the inputs are drawn afresh at every check, so
    a gradient check's relative errors below 1e-6 (rounding noise: 1.8e-10) read "tiny" and every
    other number "#" (an index, a value, a loss); the words, and which errors pass, stay."""
    message = re.sub(r"\d\.\de-(0[7-9]|[1-9]\d)", "tiny", message)
    return re.sub(r"\s+", " ", re.sub(r"-?\d+(\.\d*)?(e[+-]?\d+)?", "#", message))


@pytest.mark.parametrize(("name", "source", "hint"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_each_mistake_gets_its_whole_feedback(name, source, hint):
    """Every failed check's whole message, numbers included: the case the check ran, where the
    student's value first differs from pynn's, and the hint, each as the student reads it."""
    source = source if source.startswith("import") else code(source)
    got = {line["name"]: tiny_errors_rounded(line["message"]) for line in failed(check(name, source, seed=DRAW))}
    assert got == {check_name: tiny_errors_rounded(message) for check_name, message in FEEDBACK[name, hint].items()}


@pytest.mark.parametrize("name", ORDER)
def test_a_correct_solution_reads_as_the_checklist_of_its_exercise(name):
    """Every exercise's passed checks, in its order, each saying what passed; for the exercises of
    CHECKLIST, every message as written there."""
    result = check(name, SOLUTIONS[name], seed=DRAW)
    assert result["name"] == name and result["error"] is None
    got = [(line["name"], tiny_errors_rounded(line["message"])) for line in result["checks"]]
    assert [title for title, _ in got] == [check.title for check in exercises.EXERCISES[name].checks]
    assert all(message for _, message in got) and set(CHECKLIST) <= set(ORDER)
    if name in CHECKLIST:
        assert got == [(check_name, tiny_errors_rounded(message)) for check_name, message in CHECKLIST[name]]


@pytest.mark.parametrize(("name", "source", "hint"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_each_mistake_gets_its_hint(name, source, hint):
    source = source if source.startswith("import") else code(source)
    result = check(name, source)
    assert result["status"] == "fail", result
    messages = [line["message"] for line in failed(result)]
    assert any(hint in message for message in messages), messages
    assert result["passed"] < result["total"]


def test_in_place_sgd_step_is_fine():
    source = code("""
        def sgd_step(params, x, yoh, lr):
            grads = gradients(params["W0"], params["b0"], params["W1"], params["b1"], x, yoh)
            for name in params:
                params[name] -= lr * grads[name]
            return params
    """)
    assert check("sgd_step", source)["status"] == "pass"


def test_a_students_own_helpers_are_used_and_may_be_their_own():
    source = code("""
        def softmax(s):
            return np.full_like(s, 0.5)

        def forward(W0, b0, W1, b1, X):
            s0 = W0 @ X + b0
            h0 = relu(s0)
            s1 = W1 @ h0 + b1
            return s0, h0, s1, softmax(s1)
    """)
    result = check("forward", source)
    assert result["status"] == "fail"
    assert any("h1 differs" in line["message"] for line in failed(result))


def test_a_syntax_error_gives_its_message_and_line():
    result = check("relu", "import numpy as np\n\ndef relu(s)\n    return s\n")
    assert result["status"] == "error"
    assert result["error"]["line"] == 3
    assert result["error"]["message"].startswith("SyntaxError:")
    assert result["checks"] == []


def test_an_exception_gives_its_message_and_the_line_in_the_students_code():
    source = code("""
        def softmax(s):
            e = np.exp(s - s.max(axis=0))
            return e / e.sum(axis=0) @ np.ones((7, 7))
    """)
    result = check("softmax", source)
    assert result["status"] == "error"
    assert result["error"]["line"] == 6  # the return line
    assert result["error"]["message"].startswith("ValueError: matmul")


def test_an_exception_in_a_helper_of_the_student_is_reported_at_its_line():
    source = code("""
        def helper(s):
            return 1 / 0

        def relu(s):
            return helper(s)
    """)
    result = check("relu", source)
    assert result["error"] == {"message": "ZeroDivisionError: division by zero", "line": 5}


def test_an_exception_at_module_level_is_reported():
    result = check("relu", "import numpy as np\nundefined_name\n")
    assert result["status"] == "error"
    assert result["error"] == {"message": "NameError: name 'undefined_name' is not defined", "line": 2}


def test_a_missing_function_is_an_error_naming_it():
    result = check("loss", "import numpy as np\n\ndef los(s1, Yoh):\n    return 0.0\n")
    assert result["status"] == "error"
    assert "no function named loss" in result["error"]["message"]
    assert result["error"]["line"] is None


def test_a_mistake_in_one_check_still_runs_the_others():
    # exp without the max: right on small scores, wrong at ±1e4
    result = check("softmax", code("def softmax(s):\n    e = np.exp(s)\n    return e / e.sum(axis=0)\n"))
    by_name = {line["name"]: line["passed"] for line in result["checks"]}
    assert by_name == {"shape": True, "columns sum to 1": True, "values": True, "stable at ±1e4": False,
                       "input unchanged": True}


def test_the_gradient_check_shows_the_relative_error_per_parameter():
    result = check("gradients", SOLUTIONS["gradients"])
    line = next(line for line in result["checks"] if line["name"] == "gradient check")
    for name in model.PARAMETERS:
        assert f"{name} " in line["message"]
    wrong = check("gradients", SOLUTIONS["gradients"].replace('"b0": G0.sum(axis=1, keepdims=True)', '"b0": 1.01 * G0.sum(axis=1, keepdims=True)'))
    line = next(line for line in wrong["checks"] if line["name"] == "gradient check")
    assert not line["passed"] and "b0 above 1e-06" in line["message"]


def test_unknown_exercise_and_non_text_source_are_refused():
    with pytest.raises(ValueError, match="unknown exercise"):
        check("backprop", "")
    with pytest.raises(ValueError, match="must be text"):
        check("relu", 42)


def test_the_catalogue_lists_the_exercises_in_order():
    listed = judge.catalogue()
    assert [entry["name"] for entry in listed] == list(ORDER)
    for entry in listed:
        assert entry["skeleton"].startswith("import numpy as np")
        assert f"def {entry['name']}(" in entry["skeleton"]
        assert entry["equations"] and entry["intro"] and entry["checks"]
        # each equation typeset from its TeX, with its text as the alternative (no TeX in the text)
        assert len(entry["tex"]) == len(entry["equations"]) and all(tex.strip() for tex in entry["tex"])
        assert not any("\\" in text for text in entry["equations"])


def test_when_the_shapes_are_wrong_the_other_checks_wait():
    result = check("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T'))
    first, *rest = result["checks"]
    assert not first["passed"] and "did you write H0·G1ᵀ" in first["message"]
    assert rest and all(line.get("skipped") and "not run until the shapes check passes" in line["message"] for line in rest)
    assert len(result["checks"]) == result["total"]


def test_the_catalogue_gives_each_exercises_title_skeleton_and_solution():
    for entry in judge.catalogue():
        assert entry["title"] == exercises.EXERCISES[entry["name"]].title and entry["title"]
        assert entry["solution"] == SOLUTIONS[entry["name"]] and entry["skeleton"] == SKELETONS[entry["name"]]


def test_an_unknown_exercise_is_named_cut_to_40_characters_with_the_known_ones():
    with pytest.raises(ValueError, match="^" + re.escape(
            f"unknown exercise {'x' * 40!r}; known: {', '.join(ORDER)}") + "$"):
        check("x" * 50, "")


def test_a_source_that_is_not_text_is_refused_by_its_type():
    with pytest.raises(ValueError, match="^the source must be text, got bytes$"):
        running.load("relu", b"def relu(s): return s")


def test_the_students_annotations_are_evaluated_as_in_a_plain_module():
    """The student's code compiles on its own (dont_inherit): pynn's own `from __future__ import
    annotations` does not make their annotations lazy, so a wrong name there is the error it would be."""
    result = check("relu", code("def relu(s: undefined_name):\n    return np.maximum(s, 0)\n"))
    assert result["status"] == "error"
    assert result["error"] == {"message": "NameError: name 'undefined_name' is not defined", "line": 3}


# The identifier each mistake above is counted by (a class view counts mistakes by identifier):
# the first failed check's, for the mistakes whose identifier says more than its check's name.
MISTAKE_IDS = {
    "nothing was zeroed": "nothing-zeroed", "that is |s|": "absolute-value", "changed its argument s in place": "changed-input",
    "yours is a list": "wrong-type", "your rows sum to 1": "rows-not-columns", "exp overflowed": "overflow",
    "you forgot the bias: S0 = W0·X + b0": "s0-no-bias", "did you write X.T·W.T": "examples-as-rows",
    "that is the mean": "mean-not-sum", "the gradient of the mean": "mean-not-sum", "wrong sign": "wrong-sign",
    "keep it a column": "b-not-column", "G0 needs the ReLU mask": "no-relu-mask", "you moved uphill": "uphill",
    "did you forget the return?": "no-return", "yours has dtype complex128": "not-real",
    "∂L/∂W1 must have W1's shape (3, 32) — denominator layout; yours is (32, 3): did you write H0·G1ᵀ instead of G1·H0ᵀ?":
        "W1-transposed",
}


@pytest.mark.parametrize(("name", "source", "hint"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_each_failed_check_carries_the_identifier_of_its_mistake(name, source, hint):
    source = source if source.startswith("import") else code(source)
    ran = [line for line in failed(check(name, source)) if not line.get("skipped")]
    known = {**exercises.EXERCISES[name].mistakes, **exercises.GENERIC}
    assert ran and all(line["mistake"] in known for line in ran)
    if hint in MISTAKE_IDS:
        assert ran[0]["mistake"] == MISTAKE_IDS[hint]


def test_a_passed_or_skipped_check_names_no_mistake():
    passed = check("relu", SOLUTIONS["relu"])["checks"]
    skipped = failed(check("gradients", SOLUTIONS["gradients"].replace('"W1": G1 @ h0.T', '"W1": h0 @ G1.T')))[1:]
    assert passed and skipped and not any("mistake" in line for line in passed + skipped)


def test_every_exercise_names_its_mistakes_with_short_identifiers_and_their_words():
    for exercise in exercises.EXERCISES.values():
        assert exercise.mistakes
        for identifier, words in {**exercise.mistakes, **exercises.GENERIC}.items():
            assert re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", identifier) and len(identifier) <= 20 and words


# -- issue 25, item 9: feedback that says the right thing ------------------------------------------


def checks_of(result: dict) -> dict[str, dict]:
    return {line["name"]: line for line in result["checks"]}


@pytest.mark.parametrize("change", ["G1 = (h1 - Yoh) / X.shape[1]", "G1 = Yoh - h1"], ids=["mean", "sign"])
def test_a_gradient_with_the_right_mask_passes_the_mask_check_whatever_else_is_wrong(change):
    """The mean of the gradients (or a flipped sign) keeps the ReLU mask right: the mask check passes
    and the values and sum checks say what is wrong (it used to blame the mask "not h0's value")."""
    result = check("gradients", SOLUTIONS["gradients"].replace("G1 = h1 - Yoh", change))
    lines = checks_of(result)
    assert result["status"] == "fail" and lines["ReLU mask"]["passed"], lines["ReLU mask"]
    assert not lines["values"]["passed"]


def test_a_mask_that_is_wrong_otherwise_is_not_blamed_on_h0():
    source = SOLUTIONS["gradients"].replace("* np.sign(h0)", "* 2 * np.sign(h0)")  # a mask of 0 and 2
    line = checks_of(check("gradients", source))["ReLU mask"]
    assert not line["passed"] and line["mistake"] == "unit-on" and "not by H0" not in line["message"], line


def test_np_max_for_relu_is_told_to_use_np_maximum():
    result = check("relu", code("def relu(s):\n    return np.max(s, 0)\n"))
    first = failed(result)[0]
    assert first["name"] == "shape" and first["mistake"] == "max-not-maximum"
    assert "np.max(s, 0) is the largest score of each column" in first["message"]
    assert "np.maximum(s, 0)" in first["message"] and "yours is (5,)" in first["message"]


def test_no_message_has_a_double_comma():
    wrong = SOLUTIONS["sgd_step"].replace("params[name] - lr", "params[name] + lr")
    messages = [line["message"] for line in failed(check("sgd_step", wrong))]
    assert messages and not any(",," in message for message in messages), messages
    assert any("(D=2, H=5, C=3, N=1, lr=0.1)" in message for message in messages), messages


def test_one_notation_lower_case_for_one_example_upper_case_for_a_batch_said_once():
    """A batch's matrices (the equations' lines that end in ×N) are S0, H0, S1, H1, G0, G1; one example's
    are s0, h0, … The notation is said once, in the first exercise with a batch."""
    said = [e["name"] for e in judge.catalogue() if "lower case for one example" in e["intro"]]
    assert said == ["forward"]
    for entry in judge.catalogue():
        for line in entry["equations"]:
            if re.search(r"×N\)", line):
                assert not re.search(r"\b[sgh][01]\b", line.split("h1(x_i)")[-1]), (entry["name"], line)
    for exercise in exercises.EXERCISES.values():
        for words in exercise.mistakes.values():
            if exercise.name in ("forward", "gradients"):
                assert not re.search(r"\b[sgh][01]\b", words), (exercise.name, words)


@pytest.mark.parametrize("seed", range(2, 7))
def test_the_solutions_pass_and_each_mistake_is_named_whatever_inputs_are_drawn(seed):
    """The inputs are drawn afresh at every Check: on other draws too, pynn's solutions pass and every
    mistake above gets its hint."""
    for name in ORDER:
        assert check(name, SOLUTIONS[name], seed=seed)["status"] == "pass", name
    for name, source, hint in MISTAKES:
        result = check(name, source if source.startswith("import") else code(source), seed=seed)
        assert any(hint in line["message"] for line in failed(result)), (name, hint, failed(result))


@pytest.mark.parametrize("seed", [26, 55, 59])
def test_returning_the_gradient_is_named_when_every_hidden_unit_is_off(seed):
    """For these seeds the first case's example turns every hidden unit off, so ∂L/∂W0 is 0 and W0
    cannot tell the step lr·∂L/∂θ from the gradient: the mistake is named from a parameter that can
    (it was once named "that is the step" for one seed in 25, and test_each_mistake_gets_its_hint,
    which draws a fresh seed, failed that often)."""
    name, source, hint = next(m for m in MISTAKES if m[0] == "sgd_step" and m[2] == "that is the gradient")
    result = check(name, source, seed=seed)
    messages = [line["message"] for line in failed(result)]
    assert any(hint in message for message in messages), messages

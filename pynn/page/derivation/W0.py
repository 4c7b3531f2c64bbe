"""The derivation's step W0: ∂L/∂W0, the first layer's weights."""
from __future__ import annotations

from .kinds import Hint, Maths, Step, Wrong

STEP = Step(
    "W0", "W0", ("H", "D"), "dW0",
    Maths(r"\frac{\partial L}{\partial W_0} = \;?\qquad (H\times D)", "∂L/∂W0 = ?   (H×D)"),
    (
        Maths(r"s_0 = W_0 x + b_0\qquad (H\times 1)", "s0 = W0·x + b0   (H×1)"),
        Maths(r"g_0 = \frac{\partial L}{\partial s_0} = (W_1^\top g_1) \odot [s_0 > 0]\qquad (H\times 1)",
          "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]   (H×1)"),
        Maths(r"x\qquad (D\times 1)", "x   (D×1)"),
    ),
    (
        Hint("The scalar case: W0[i, j] appears only in s0_i, multiplied by x_j.",
             Maths(r"\frac{\partial L}{\partial W_{0,ij}} = g_{0,i}\, x_j", "∂L/∂W0[i, j] = g0_i · x_j")),
        Hint("Denominator layout: ∂L/∂W0 has W0's shape, H×D: the column g0 (H×1) times a row (1×D).",
             Maths(r"(H\times 1)\cdot(1\times D) = (H\times D)", "(H×1)·(1×D) = (H×D)")),
        Hint("g0 times x transposed.",
             Maths(r"\frac{\partial L}{\partial W_0} = g_0\, x^\top \qquad\texttt{g0 @ x.T}",
               "∂L/∂W0 = g0·xᵀ: g0 @ x.T")),
    ),
    answer="g0 @ x.T",
    wrong=(
        Wrong("mask-missing", "dh0 @ x.T",
              "the ReLU's mask is missing: use g0 = (W1ᵀ·g1) ⊙ [s0 > 0], not W1ᵀ·g1"),
        Wrong("mask-is-h0", "(dh0 * h0) @ x.T",
              "multiply by the mask [s0 > 0] (1 or 0), not by h0 itself"),
    ),
)

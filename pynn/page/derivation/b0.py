"""The derivation's step b0: ∂L/∂b0, the first layer's bias."""
from __future__ import annotations

from .kinds import Hint, Maths, Step, Wrong

STEP = Step(
    "b0", "b0", ("H", "1"), "db0",
    Maths(r"\frac{\partial L}{\partial b_0} = \;?\qquad (H\times 1)", "∂L/∂b0 = ?   (H×1)"),
    (
        Maths(r"s_0 = W_0 x + b_0\qquad (H\times 1)", "s0 = W0·x + b0   (H×1)"),
        Maths(r"g_0 = \frac{\partial L}{\partial s_0} = (W_1^\top g_1) \odot [s_0 > 0]\qquad (H\times 1)",
          "g0 = ∂L/∂s0 = (W1ᵀ·g1) ⊙ [s0 > 0]   (H×1)"),
    ),
    (
        Hint("The scalar case: b0_i appears only in s0_i, with factor 1.",
             Maths(r"\frac{\partial s_{0,i}}{\partial b_{0,i}} = 1", "∂s0_i/∂b0_i = 1")),
        Hint("Denominator layout: ∂L/∂b0 has b0's shape, H×1, the same as g0's.",
             Maths(r"\frac{\partial L}{\partial b_{0,i}} = g_{0,i}\cdot 1", "∂L/∂b0_i = g0_i · 1")),
        Hint("It is g0 itself.",
             Maths(r"\frac{\partial L}{\partial b_0} = g_0 \qquad\texttt{g0}", "∂L/∂b0 = g0: g0")),
    ),
    answer="g0",
    wrong=(
        Wrong("mask-missing", "dh0",
              "the ReLU's mask is missing: use g0 = (W1ᵀ·g1) ⊙ [s0 > 0], not W1ᵀ·g1"),
        Wrong("mask-is-h0", "dh0 * h0",
              "multiply by the mask [s0 > 0] (1 or 0), not by h0 itself"),
    ),
)

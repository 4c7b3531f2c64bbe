"""The derivation's step W1: ∂L/∂W1, the second layer's weights."""
from __future__ import annotations

from .kinds import Hint, Maths, Step, Wrong, YOH

STEP = Step(
    "W1", "W1", ("C", "H"), "dW1",
    Maths(r"\frac{\partial L}{\partial W_1} = \;?\qquad (C\times H)", "∂L/∂W1 = ?   (C×H)"),
    (
        Maths(r"s_1 = W_1 h_0 + b_1\qquad (C\times 1)", "s1 = W1·h0 + b1   (C×1)"),
        Maths(rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
          "g1 = ∂L/∂s1 = h1 − yoh   (C×1)"),
        Maths(r"h_0\qquad (H\times 1)", "h0   (H×1)"),
    ),
    (
        Hint("The scalar case: W1[i, j] appears only in s1_i = Σ_k W1[i, k]·h0_k + b1_i, "
             "multiplied by h0_j.",
             Maths(r"\frac{\partial L}{\partial W_{1,ij}} = \frac{\partial L}{\partial s_{1,i}}\,"
               r"\frac{\partial s_{1,i}}{\partial W_{1,ij}} = g_{1,i}\, h_{0,j}",
               "∂L/∂W1[i, j] = g1_i · h0_j")),
        Hint("Denominator layout: ∂L/∂W1 has W1's shape, C×H. From the column g1 (C×1) and the "
             "column h0 (H×1), the product that is C×H is a column times a row.",
             Maths(r"(C\times 1)\cdot(1\times H) = (C\times H)", "(C×1)·(1×H) = (C×H)")),
        Hint("g1 times h0 transposed (an outer product).",
             Maths(r"\frac{\partial L}{\partial W_1} = g_1\, h_0^\top \qquad\texttt{g1 @ h0.T}",
               "∂L/∂W1 = g1·h0ᵀ: g1 @ h0.T")),
    ),
    answer="g1 @ h0.T",
    wrong=(
        Wrong("pre-activation", "g1 @ s0.T",
              "∂L/∂W1 = g1·h0ᵀ uses h0, the hidden layer after the ReLU (what W1 multiplies), not s0"),
    ),
)

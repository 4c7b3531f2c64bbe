"""The derivation's step h0: ∂L/∂h0, back through W1."""
from __future__ import annotations

from .kinds import Hint, Maths, Step, Wrong, YOH

STEP = Step(
    "h0", "h0", ("H", "1"), "dh0",
    Maths(r"\frac{\partial L}{\partial h_0} = \;?\qquad (H\times 1)", "∂L/∂h0 = ?   (H×1)"),
    (
        Maths(r"s_1 = W_1 h_0 + b_1\qquad W_1\ (C\times H)", "s1 = W1·h0 + b1,   W1 (C×H)"),
        Maths(rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
          "g1 = ∂L/∂s1 = h1 − yoh   (C×1)"),
    ),
    (
        Hint("The scalar case: h0_j enters every s1_i, through W1[i, j]; the chain rule sums over i.",
             Maths(r"\frac{\partial L}{\partial h_{0,j}} = \sum_i W_{1,ij}\, g_{1,i}",
               "∂L/∂h0_j = Σ_i W1[i, j] · g1_i")),
        Hint("Denominator layout: ∂L/∂h0 has h0's shape, H×1. The sum runs over the rows i of W1, "
             "so it is W1 transposed (H×C) times g1 (C×1).",
             Maths(r"(H\times C)\cdot(C\times 1) = (H\times 1)", "(H×C)·(C×1) = (H×1)")),
        Hint("W1 transposed times g1.",
             Maths(r"\frac{\partial L}{\partial h_0} = W_1^\top g_1 \qquad\texttt{W1.T @ g1}",
               "∂L/∂h0 = W1ᵀ·g1: W1.T @ g1")),
    ),
    answer="W1.T @ g1",
    loss="nll(W1 @ h0 + b1, yoh)",
    wrong=(
        Wrong("mask-wrong-side", "dh0 * (s0 > 0)",
              "that is ∂L/∂s0: the ReLU's mask [s0 > 0] belongs on the s0 side of the ReLU (the next step); "
              "∂L/∂h0 = W1ᵀ·g1 has no mask"),
    ),
)

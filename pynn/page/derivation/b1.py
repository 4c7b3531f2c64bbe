"""The derivation's step b1: ∂L/∂b1, the second layer's bias."""
from __future__ import annotations

from .kinds import Hint, Maths, Step, YOH

STEP = Step(
    "b1", "b1", ("C", "1"), "db1",
    Maths(r"\frac{\partial L}{\partial b_1} = \;?\qquad (C\times 1)", "∂L/∂b1 = ?   (C×1)"),
    (
        Maths(r"s_1 = W_1 h_0 + b_1\qquad (C\times 1)", "s1 = W1·h0 + b1   (C×1)"),
        Maths(rf"g_1 = \frac{{\partial L}}{{\partial s_1}} = h_1 - {YOH}\qquad (C\times 1)",
          "g1 = ∂L/∂s1 = h1 − yoh   (C×1)"),
    ),
    (
        Hint("The scalar case: b1_i appears only in s1_i, with factor 1.",
             Maths(r"\frac{\partial s_{1,i}}{\partial b_{1,i}} = 1", "∂s1_i/∂b1_i = 1")),
        Hint("Denominator layout: ∂L/∂b1 has b1's shape, C×1, the same as g1's.",
             Maths(r"\frac{\partial L}{\partial b_{1,i}} = g_{1,i}\cdot 1", "∂L/∂b1_i = g1_i · 1")),
        Hint("It is g1 itself.",
             Maths(r"\frac{\partial L}{\partial b_1} = g_1 \qquad\texttt{g1}", "∂L/∂b1 = g1: g1")),
    ),
    answer="g1",
)

"""The derivation's step batch: ∂L/∂b0 for a batch."""
from __future__ import annotations

from ..text import Words
from .kinds import Hint, Maths, Step, Wrong

STEP = Step(
    "batch", "b0", ("H", "1"), None,
    Maths(r"\text{A batch: }\frac{\partial L}{\partial b_0} = \;?\qquad (H\times 1)",
      Words("A batch: ∂L/∂b0 = ?   (H×1)")),
    (
        Maths(r"X\ (D\times N),\quad Y_{\mathrm{oh}}\ (C\times N)\text{: one column per example}",
          Words("X (D×N), Yoh (C×N): one column per example")),
        Maths(r"L = \sum_{i=1}^{N} L_i\quad\text{(the sum, not the mean)}", Words("L = Σ_i L_i (the sum, not the mean)")),
        Maths(r"S_0 = W_0 X + b_0,\ H_0 = \operatorname{ReLU}(S_0),\ S_1 = W_1 H_0 + b_1,\ "
          r"H_1 = \operatorname{softmax}(S_1)",
          Words("S0 = W0·X + b0, H0 = ReLU(S0), S1 = W1·H0 + b1, H1 = softmax(S1), column by column "
                "(b0 and b1 added to every column)")),
        Maths(rf"G_1 = H_1 - Y_{{\mathrm{{oh}}}}\qquad (C\times N)", "G1 = H1 − Yoh   (C×N)"),
        Maths(r"\text{one example: }\frac{\partial L_i}{\partial b_0} = g_0 = (W_1^\top g_1) \odot [s_0 > 0]",
          Words("one example: ∂L_i/∂b0 = g0 = (W1ᵀ·g1) ⊙ [s0 > 0]")),
    ),
    (
        Hint("The loss is a sum over the examples, so its gradient is the sum of each example's: "
             "example i adds its own g0.",
             Maths(r"\frac{\partial L}{\partial b_0} = \sum_{i=1}^{N} \frac{\partial L_i}{\partial b_0}",
               "∂L/∂b0 = Σ_i ∂L_i/∂b0")),
        Hint("Every example's g0 at once is the H×N matrix G0, one column per example. "
             "Denominator layout: ∂L/∂b0 has b0's shape, H×1, so add up G0's columns "
             "(axis=1, keepdims=True keeps the column).",
             Maths(r"G_0 = (W_1^\top G_1) \odot [S_0 > 0]\qquad (H\times N)",
               "G0 = (W1ᵀ·G1) ⊙ [S0 > 0]   (H×N)")),
        Hint("The sum of G0's columns.",
             Maths(r"\frac{\partial L}{\partial b_0} = \sum_{i=1}^{N} G_{0}[:, i] \qquad"
               r"\texttt{((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)}",
               "∂L/∂b0 = Σ_i G0[:, i]: ((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)")),
    ),
    batch=True,
    answer="((W1.T @ G1) * (S0 > 0)).sum(axis=1, keepdims=True)",
    wrong=(
        Wrong("mean-not-sum", "((W1.T @ G1) * (S0 > 0)).mean(axis=1, keepdims=True)",
              "that is the mean over the {N} examples; the loss is the sum, L = Σ_i L_i, so its gradient is the"
              " sum of theirs: do not divide by N"),
        Wrong("not-summed", "(W1.T @ G1) * (S0 > 0)",
              "that is G0, one column per example (H×N = {H}×{N}); ∂L/∂b0 has b0's shape H×1 (denominator "
              "layout): add up the columns, axis=1, keepdims=True"),
        Wrong("mask-missing", "(W1.T @ G1).sum(axis=1, keepdims=True)",
              "the ReLU's mask is missing: G0 = (W1ᵀ·G1) ⊙ [S0 > 0]"),
        Wrong("mask-is-h0", "((W1.T @ G1) * H0).sum(axis=1, keepdims=True)",
              "multiply by the mask [S0 > 0] (1 or 0), not by H0 itself"),
    ),
)

"""The derivation's step s1: g1 = ∂L/∂s1, through the softmax."""
from __future__ import annotations

from ..text import Words
from .kinds import Hint, Maths, Step, Wrong, YOH, YOH_I, YOH_J

STEP = Step(
    "s1", "s1", ("C", "1"), "g1",
    Maths(r"g_1 = \frac{\partial L}{\partial s_1} = \;?\qquad (C\times 1)", "g1 = ∂L/∂s1 = ?   (C×1)"),
    (
        Maths(r"h_{1,j} = \frac{e^{s_{1,j}}}{\sum_k e^{s_{1,k}}}", "h1_j = exp(s1_j) / Σ_k exp(s1_k)"),
        Maths(r"\frac{\partial h_{1,j}}{\partial s_{1,i}} = h_{1,j}\,(\delta_{ij} - h_{1,i})",
          Words("∂h1_j/∂s1_i = h1_j · (δ_ij − h1_i), δ_ij being 1 when i = j, else 0")),
        Maths(rf"\frac{{\partial L}}{{\partial h_1}} = -\,{YOH} \oslash h_1 \quad(\texttt{{dh1}})",
          "∂L/∂h1 = −yoh ⊘ h1   (dh1)"),
        Maths(rf"\textstyle\sum_j {YOH_J} = 1", "Σ_j yoh_j = 1"),
    ),
    (
        Hint("Every h1_j depends on every s1_i (the softmax divides by a sum over all classes), so "
             "the chain rule sums over j.",
             Maths(r"\frac{\partial L}{\partial s_{1,i}} = \sum_j \frac{\partial L}{\partial h_{1,j}}\,"
               r"\frac{\partial h_{1,j}}{\partial s_{1,i}}",
               "∂L/∂s1_i = Σ_j ∂L/∂h1_j · ∂h1_j/∂s1_i")),
        Hint("Put in what is known; h1_j cancels, and the sum of yoh is 1. The answer is a C×1 column, "
             "like s1.",
             Maths(rf"\sum_j -\frac{{{YOH_J}}}{{h_{{1,j}}}}\, h_{{1,j}}(\delta_{{ij}} - h_{{1,i}}) "
               rf"= -{YOH_I} + h_{{1,i}} \sum_j {YOH_J}",
               "Σ_j −(yoh_j / h1_j) · h1_j · (δ_ij − h1_i) = −yoh_i + h1_i · Σ_j yoh_j")),
        Hint("The probabilities minus the one-hot labels.",
             Maths(rf"g_1 = h_1 - {YOH} \qquad\texttt{{h1 - yoh}}", "g1 = h1 − yoh: h1 - yoh")),
    ),
    answer="h1 - yoh",
    loss="nll(s1, yoh)",
    wrong=(
        Wrong("sign", "yoh - h1",
              "the sign of h1 − yoh: yours is yoh − h1. Raising the true class's score lowers the loss, so that"
              " entry of ∂L/∂s1 is h1 − 1 < 0; the others are h1 > 0"),
        Wrong("softmax-skipped", "-yoh / h1",
              "that is ∂L/∂h1 (dh1); ∂L/∂s1 goes on through the softmax: Σ_j ∂L/∂h1_j · ∂h1_j/∂s1_i"),
        Wrong("softmax-diagonal", "-yoh / h1 * h1 * (1 - h1)",
              "you differentiated the softmax entry by entry, like a sigmoid (h1 ⊙ (1 − h1)); but every h1_j "
              "depends on every s1_i: sum over j with ∂h1_j/∂s1_i = h1_j(δ_ij − h1_i)"),
    ),
)

"""The derivation's step h1: ∂L/∂h1, through the loss's log."""
from __future__ import annotations

from ..text import Words
from .kinds import Hint, Maths, Step, Wrong, YOH, YOH_J

STEP = Step(
    "h1", "h1", ("C", "1"), "dh1",
    Maths(r"\frac{\partial L}{\partial h_1} = \;?\qquad (C\times 1)", "∂L/∂h1 = ?   (C×1)"),
    (
        Maths(rf"L = -\sum_{{j=1}}^{{C}} {YOH_J} \log h_{{1,j}}", "L = −Σ_j yoh_j · log h1_j"),
        Maths(r"h_1 = \operatorname{softmax}(s_1)\qquad (C\times 1)", "h1 = softmax(s1)   (C×1)"),
        Maths(rf"{YOH}\qquad (C\times 1)\text{{: 1 for the true class, 0 for the others}}",
          Words("yoh   (C×1): 1 for the true class, 0 for the others")),
    ),
    (
        Hint("The scalar case: one class j, where the loss's term is −y·log u with u = h1_j.",
             Maths(r"\frac{d}{du}\bigl(-y \log u\bigr) = -\frac{y}{u}", "d/du (−y · log u) = −y / u")),
        Hint("Denominator layout: ∂L/∂h1 has h1's shape, C×1, entry j being ∂L/∂h1_j. "
             "Entry j of L depends on h1_j only, so each entry is its own scalar case.",
             Maths(r"\left(\frac{\partial L}{\partial h_1}\right)_j = -\frac{y_{\mathrm{oh},j}}{h_{1,j}}",
               "(∂L/∂h1)_j = −yoh_j / h1_j")),
        Hint("Entry by entry: numpy's / divides two C×1 columns entry by entry.",
             Maths(rf"\frac{{\partial L}}{{\partial h_1}} = -\,{YOH} \oslash h_1 \qquad\texttt{{-yoh / h1}}",
               Words("∂L/∂h1 = −yoh ⊘ h1, entry by entry: -yoh / h1"))),
    ),
    answer="-yoh / h1",
    loss="-(yoh * np.log(h1)).sum()",
    wrong=(
        Wrong("loss-not-derivative", "-yoh * np.log(h1)",
              "that is the loss's terms −yoh ⊙ log h1, not their derivative: d/du (−y·log u) = −y/u"),
    ),
)

"""The derivation's step s0: g0 = ∂L/∂s0, through the ReLU."""
from __future__ import annotations

from ..text import Words
from .kinds import Hint, Maths, Step, Wrong

STEP = Step(
    "s0", "s0", ("H", "1"), "g0",
    Maths(r"g_0 = \frac{\partial L}{\partial s_0} = \;?\qquad (H\times 1)", "g0 = ∂L/∂s0 = ?   (H×1)"),
    (
        Maths(r"h_0 = \operatorname{ReLU}(s_0) = \max(s_0, 0)\quad\text{entry by entry}",
          Words("h0 = ReLU(s0) = max(s0, 0), entry by entry")),
        Maths(r"\frac{\partial L}{\partial h_0} = W_1^\top g_1\qquad (H\times 1)\quad(\texttt{dh0})",
          "∂L/∂h0 = W1ᵀ·g1   (H×1)   (dh0)"),
    ),
    (
        Hint("The scalar case: the derivative of max(u, 0) is 1 where u > 0 and 0 where u < 0.",
             Maths(r"\frac{d}{du}\max(u, 0) = [u > 0]", "d/du max(u, 0) = [u > 0]")),
        Hint("h0_j depends on s0_j only, so the chain rule multiplies entry by entry (⊙): the answer is "
             "H×1, like s0.",
             Maths(r"\frac{\partial L}{\partial s_{0,j}} = \frac{\partial L}{\partial h_{0,j}}\,[s_{0,j} > 0]",
               "∂L/∂s0_j = ∂L/∂h0_j · [s0_j > 0]")),
        Hint("∂L/∂h0 masked by [s0 > 0]; in numpy (s0 > 0) is True/False, which multiplies as 1/0.",
             Maths(r"g_0 = (W_1^\top g_1) \odot [s_0 > 0] \qquad\texttt{dh0 * (s0 > 0)}",
               "g0 = (W1ᵀ·g1) ⊙ [s0 > 0]: dh0 * (s0 > 0)")),
    ),
    answer="dh0 * (s0 > 0)",
    loss="nll(W1 @ relu(s0) + b1, yoh)",
    wrong=(
        Wrong("mask-missing", "dh0",
              "the ReLU's mask is missing: that is ∂L/∂h0; through h0 = max(s0, 0) multiply by [s0 > 0], entry "
              "by entry"),
        Wrong("mask-is-h0", "dh0 * h0",
              "multiply by the mask [s0 > 0] (1 or 0), not by h0 itself: the ReLU's derivative is [s0 > 0]"),
        Wrong("mask-inverted", "dh0 * (s0 < 0)",
              "the mask is inverted: the gradient passes where the unit is on, [s0 > 0], not where it is off"),
        Wrong("relu-of-gradient", "np.maximum(dh0, 0)",
              "that is ReLU applied to the gradient; the chain rule multiplies by the ReLU's derivative, the "
              "mask [s0 > 0]"),
        Wrong("mask-wrong-side", "W1.T @ (g1 * (s1 > 0))",
              "the mask is on the wrong side: layer 1 has no ReLU, so no [s1 > 0] on g1; the mask [s0 > 0] "
              "comes after W1ᵀ, on the hidden side: (W1ᵀ·g1) ⊙ [s0 > 0]"),
    ),
)

"""A digit drawn on the page, turned into an 8×8 image like those of ``datasets.digits()``.

The UCI digits were made by scanning handwriting into 32×32 black-and-white bitmaps, the digit
scaled to fill the box, then counting the black pixels in each 4×4 block: 8×8 values from 0 to 16.
This module repeats that for pen strokes:

1. the strokes' bounding box is scaled (keeping its aspect ratio) so that the longer side fills
   the 32-pixel box, less the pen's width, and centred;
2. a bitmap pixel is black when its centre lies within PEN_RADIUS of a stroke (the same pen for
   any size of drawing, as a scanner sees a pen line);
3. each 4×4 block's count of black pixels is the image's value there.

    image = digit_from_strokes([[10, 10, 12, 40, 14, 80]])   # one stroke: x, y, x, y, … (y down)
    image.reshape(8, 8)                                        # values 0 … 16, like digits()
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import text

TEXT = text.register({
    "drawing.strokes": "strokes must be a list of strokes, each a flat list x, y, x, y, …",
    "drawing.stroke-numbers": "each stroke must be a flat list of finite numbers x, y, x, y, …",
    "drawing.stroke-pairs": "each stroke needs an x and a y for every point (an even count of numbers)",
    "drawing.too-many": "the drawing has more than {limit:,} points",
})


SIDE = 32
"""Pixels per side of the bitmap, as in the UCI preprocessing."""
BLOCK = 4
"""Bitmap pixels per side of one of the 8×8 image's cells: each cell counts 0 … 16 black pixels."""
PEN_RADIUS = 2.5
"""Half the pen's width in bitmap pixels; 5-pixel-wide lines give about as much ink as the UCI digits."""
MAX_POINTS = 20_000
"""Most points accepted, over all strokes (a drawing has a few hundred)."""

_CENTRES = (np.arange(SIDE) + 0.5)
_PIXELS = np.stack(np.meshgrid(_CENTRES, _CENTRES), axis=-1).reshape(-1, 2)  # (x, y), row by row


def _strokes(strokes: object) -> list[np.ndarray]:
    """Each stroke as a (k, 2) float array of finite points; ValueError for anything else."""
    if not isinstance(strokes, (list, tuple)):
        raise ValueError(text.say("drawing.strokes"))
    out = []
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, (list, tuple)) or not all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v) for v in stroke
        ):
            raise ValueError(text.say("drawing.stroke-numbers"))
        if len(stroke) % 2:
            raise ValueError(text.say("drawing.stroke-pairs"))
        total += len(stroke) // 2
        if total > MAX_POINTS:
            raise ValueError(text.say("drawing.too-many", limit=MAX_POINTS))
        if stroke:
            out.append(np.asarray(stroke, dtype=np.float64).reshape(-1, 2))
    return out


def _distance_to_segments(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each point (P, 2), its distance to the nearest segment a[i]→b[i] (S, 2); a zero-length
    segment is its point."""
    d = b - a  # (S, 2)
    length2 = np.einsum("ij,ij->i", d, d)
    rel = points[:, None, :] - a[None, :, :]  # (P, S, 2)
    t = np.einsum("psk,sk->ps", rel, d) / np.where(length2 > 0, length2, 1.0)
    t = np.clip(t, 0.0, 1.0)
    nearest = rel - t[:, :, None] * d[None, :, :]
    return np.sqrt(np.einsum("psk,psk->ps", nearest, nearest).min(axis=1))


def bitmap(strokes: object) -> np.ndarray:
    """The SIDE×SIDE bitmap (bool) of the strokes, scaled and centred as the module says."""
    parts = _strokes(strokes)
    black = np.zeros(SIDE * SIDE, dtype=bool)
    if not parts:
        return black.reshape(SIDE, SIDE)
    every = np.concatenate(parts)
    low, high = every.min(axis=0), every.max(axis=0)
    longest = float((high - low).max())
    scale = (SIDE - 2 * PEN_RADIUS) / longest if longest > 0 else 1.0
    centre = (low + high) / 2
    starts, ends = [], []
    for stroke in parts:
        placed = (stroke - centre) * scale + SIDE / 2
        if len(placed) == 1:  # a dot
            starts.append(placed)
            ends.append(placed)
        else:
            starts.append(placed[:-1])
            ends.append(placed[1:])
    a, b = np.concatenate(starts), np.concatenate(ends)
    nearest = np.full(SIDE * SIDE, np.inf)
    for first in range(0, a.shape[0], 256):  # bounded memory: 1024 pixels × 256 segments at a time
        chunk = slice(first, first + 256)
        nearest = np.minimum(nearest, _distance_to_segments(_PIXELS, a[chunk], b[chunk]))
    black = nearest <= PEN_RADIUS
    return black.reshape(SIDE, SIDE)


def digit_from_strokes(strokes: object) -> np.ndarray:
    """The drawing as a (64,) float64 image, 8 rows of 8 values from 0 to 16 (all 0 when empty)."""
    cells = SIDE // BLOCK
    counts = bitmap(strokes).reshape(cells, BLOCK, cells, BLOCK).sum(axis=(1, 3))
    return counts.astype(np.float64).ravel()

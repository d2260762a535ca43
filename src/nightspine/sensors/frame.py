"""Step 3: device axes to the body frame (``--axes``).

Body frame for a trunk sensor: x towards the head, y towards the wearer's left, z out of the
front of the body (for ``back``, out of the back). ``--axes -y,x,z`` means body x = -device y,
body y = device x, body z = device z.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from nightspine.errors import InvalidInputError, Problem

F64 = NDArray[np.float64]
DEFAULT_AXES = "x,y,z"


def parse_axes(spec: str) -> F64:
    """The 3x3 signed permutation matrix M with body = M @ device."""
    parts = [s.strip().lower() for s in spec.split(",")]
    problem = Problem(
        "--axes",
        f"{spec!r} is not a mapping of the device axes; give three of x, y, z, each once, "
        "each optionally with a minus sign, e.g. -y,x,z",
    )
    if len(parts) != 3:
        raise InvalidInputError([problem], what="axis mapping")
    m = np.zeros((3, 3))
    seen: set[str] = set()
    for row, part in enumerate(parts):
        sign = -1.0 if part.startswith("-") else 1.0
        name = part[1:] if part[:1] in ("-", "+") else part
        if name not in ("x", "y", "z") or name in seen:
            raise InvalidInputError([problem], what="axis mapping")
        seen.add(name)
        m[row, "xyz".index(name)] = sign
    return m


def to_body(mean: F64, var: F64, axes: F64, placement: str) -> tuple[F64, F64]:
    """Epoch means and variances in the body frame (z flipped for a back sensor)."""
    m = axes.copy()
    if placement == "back":
        m[2] *= -1.0
    # a signed permutation: pick and negate columns (no matrix product needed)
    src = np.abs(m).argmax(axis=1)
    sign = m[np.arange(3), src]
    body: F64 = mean[:, src] * sign
    v: F64 = var[:, src]
    return body, v

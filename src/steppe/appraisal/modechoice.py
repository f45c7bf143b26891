"""Mode and service choice: a multinomial logit on the log of generalized cost.

Each OD pair's tonnes are split over up to three alternatives before route choice:

* ``road`` — the best route by road only;
* ``rail`` — the best route by rail only;
* ``multimodal`` — the best route with every mode the options allow (ferries, sea, road
  and rail combined); it counts only where it differs from the road and rail routes (a
  cost more than 0.1 % away from both), so the same route is never two alternatives.

The choice is a conditional logit on the log of generalized cost, the form of Jourquin's
European freight network models (Jourquin 2019, *Journal of Transportation Technologies*
9(1), 1-13; Box–Cox with λ = 0):

.. math::

    P_m = \\frac{C_m^{-\\beta}}{\\sum_k C_k^{-\\beta}},

so ``β`` is scale-free and reads as an elasticity: the own-cost elasticity of a mode's
share is ``−β (1 − P_m)``.  No value of ``β`` for Eurasian corridor freight has been
published; steppe has no default and the user gives it (``--mode-beta``), or turns mode
choice off (the user's own modes, one best route).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from steppe.errors import ConfigError
from steppe.network.model import Mode

__all__ = ["MODE_ALTERNATIVES", "ModeChoice", "mode_shares"]

FloatArray = npt.NDArray[np.float64]
#: The alternatives and the modes each may use (``None``: every mode the options allow).
MODE_ALTERNATIVES: Final[dict[str, frozenset[Mode] | None]] = {
    "road": frozenset({Mode.ROAD}),
    "rail": frozenset({Mode.RAIL}),
    "multimodal": None,
}
_SAME = 1e-3


@dataclass(frozen=True, slots=True)
class ModeChoice:
    """The mode choice model: the logit's ``beta`` (> 0) and the alternatives offered."""

    beta: float
    alternatives: tuple[str, ...] = ("road", "rail", "multimodal")

    def __post_init__(self) -> None:
        if not (self.beta > 0 and np.isfinite(self.beta)):
            raise ConfigError(f"mode_beta {self.beta!r} must be a positive number",
                              parameter="mode_beta")  # fmt: skip
        unknown = [a for a in self.alternatives if a not in MODE_ALTERNATIVES]
        if unknown or not self.alternatives:
            known = ", ".join(MODE_ALTERNATIVES)
            raise ConfigError(f"mode alternatives {self.alternatives!r}: use some of {known}",
                              parameter="alternatives")  # fmt: skip


def mode_shares(costs: FloatArray, beta: float, names: tuple[str, ...]) -> FloatArray:
    """Return the share of each pair's tonnes on each alternative.

    Parameters
    ----------
    costs
        Pairs × alternatives generalized cost (NaN or inf: not available).
    beta
        The logit's scale on log cost.
    names
        The alternatives' names (a ``multimodal`` column within 0.1 % of the road or rail
        cost of the same pair is dropped as a duplicate).

    Returns
    -------
    numpy.ndarray
        Pairs × alternatives shares; rows with no alternative are all zero.

    Examples
    --------
    >>> import numpy as np
    >>> s = mode_shares(np.array([[100.0, 200.0, np.nan]]), 1.0, ("road", "rail", "multimodal"))
    >>> [round(float(v), 4) for v in s[0]]
    [0.6667, 0.3333, 0.0]
    """
    c = np.array(costs, dtype=float)
    c[~np.isfinite(c) | (c <= 0)] = np.nan
    if "multimodal" in names:
        m = names.index("multimodal")
        for other in ("road", "rail"):
            if other in names:
                o = names.index(other)
                same = np.abs(c[:, m] - c[:, o]) <= _SAME * np.fmin(c[:, m], c[:, o])
                c[same, m] = np.nan
    ok = np.isfinite(c)
    best = np.nanmin(np.where(ok, c, np.inf), axis=1, keepdims=True)
    best = np.where(np.isfinite(best), best, 1.0)
    # utilities relative to the cheapest alternative: (C/C_min)^-beta, stable for any scale
    w = np.where(ok, np.exp(-beta * np.log(np.where(ok, c, 1.0) / best)), 0.0)
    total = w.sum(axis=1, keepdims=True)
    return np.asarray(np.where(total > 0, w / np.where(total > 0, total, 1.0), 0.0), dtype=float)

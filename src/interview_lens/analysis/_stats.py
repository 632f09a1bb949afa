"""The two-corpus statistics every keyness shares: log-likelihood G² and Hardie's log ratio.

Kept apart from ``terms`` (a document's groups) and ``groups`` (a collection's groups) so that
both import them and ``terms.stat_keyness`` can hand a group comparison to ``groups`` without an
import cycle.
"""
from __future__ import annotations

import numpy as np

#: Added to a zero frequency before the log ratio (Hardie 2014) so that a term absent from one
#: side gets a finite, conservative value instead of +/- infinity.
ZERO_CORRECTION = 0.5


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Log-likelihood G² of Rayson & Garside (2000) for frequencies ``a`` (target) and ``b``
    (reference) in corpora of ``c`` and ``d`` tokens; vectorised, with 0·ln 0 = 0.

    ``E1 = c(a+b)/(c+d)``, ``E2 = d(a+b)/(c+d)``, ``G² = 2(a ln(a/E1) + b ln(b/E2))``.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2.0 * (t1 + t2)


def log_ratio(a, b, c, d) -> np.ndarray:
    """Log ratio of Hardie (2014): ``log2((a/c) / (b/d))``, the binary log of the ratio of
    relative frequencies; a zero ``a`` or ``b`` is replaced by :data:`ZERO_CORRECTION` (0.5)."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    a = np.where(a == 0, ZERO_CORRECTION, a)
    b = np.where(b == 0, ZERO_CORRECTION, b)
    with np.errstate(divide="ignore", invalid="ignore"):  # empty corpus: inf/nan, not a warning
        return np.log2((a / c) / (b / d))

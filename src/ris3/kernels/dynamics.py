"""Shift-share kernels: arrays in, arrays out.

For region r, activity i, and its reference area N, between periods 0 and 1
(Dunn 1960; the dynamic variant sums yearly components, Barff and Knight
1988, Growth and Change 19(2)):

* national effect ``NE = x0[r, i] * G``, with ``G = X1[., .] / X0[., .] - 1``
  the growth of all activities in the reference area;
* industry-mix effect ``IM = x0[r, i] * (G_i - G)``, with
  ``G_i = X1[., i] / X0[., i] - 1`` the activity's reference growth;
* competitive effect ``CE = (x1[r, i] - x0[r, i]) - NE - IM``, which equals
  ``x0[r, i] * (g_ri - G_i)`` when ``x0 > 0`` and is the whole change
  when the activity is new to the region (``x0 = 0``).

``NE + IM + CE`` is the actual change by construction.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["shift_share_components"]


def shift_share_components(
    x0: Any,
    x1: Any,
    ref0: np.ndarray,
    ref1: np.ndarray,
    groups: np.ndarray,
    ref_total0: np.ndarray | None = None,
    ref_total1: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Classic shift-share components on the non-zero cells of ``x0`` or ``x1``.

    Parameters
    ----------
    x0, x1 : sparse or array, shape (n_regions, n_activities)
        Values at the start and the end.
    ref0, ref1 : ndarray, shape (n_groups, n_activities)
        Reference-area values at the start and the end.
    groups : ndarray of int, shape (n_regions,)
        Reference area (row of ``ref0``/``ref1``) of each region.
    ref_total0, ref_total1 : ndarray, shape (n_groups,), optional
        Reference totals over all activities, when the reference covers
        more activities than the columns of ``ref0``/``ref1`` (an external
        table); default the row sums of ``ref0`` and ``ref1``.

    Returns
    -------
    rows, cols : ndarray of int
        Cells with a value in either period (the union of both patterns).
    national, industry_mix, competitive : ndarray of float
        The three effects per cell. ``industry_mix`` is NaN where the
        reference area has no value of the activity at the start while the
        region has (the activity's reference growth is undefined); the
        caller decides what to do.

    Examples
    --------
    >>> x0 = np.array([[8.0, 0.0]]); x1 = np.array([[12.0, 4.0]])
    >>> ref0 = np.array([[50.0, 50.0]]); ref1 = np.array([[50.0, 75.0]])
    >>> r, c, ne, im, ce = shift_share_components(x0, x1, ref0, ref1, np.array([0]))
    >>> ne.tolist(), im.tolist(), ce.tolist()
    ([2.0, 0.0], [-2.0, 0.0], [4.0, 4.0])
    """
    a0 = sp.csr_matrix(x0, dtype=np.float64)
    a1 = sp.csr_matrix(x1, dtype=np.float64)
    pattern = (abs(a0) + abs(a1)).tocoo()
    rows, cols = pattern.row.astype(np.int64), pattern.col.astype(np.int64)
    order = np.lexsort((cols, rows))
    rows, cols = rows[order], cols[order]
    if rows.size:
        v0 = np.asarray(a0[rows, cols]).ravel()
        v1 = np.asarray(a1[rows, cols]).ravel()
    else:  # no cell in either period: scipy would return an empty sparse matrix
        v0 = v1 = np.zeros(0)
    r0 = np.asarray(ref0, dtype=np.float64)
    r1 = np.asarray(ref1, dtype=np.float64)
    g = np.asarray(groups, dtype=np.int64)[rows]
    tot0 = r0.sum(axis=1) if ref_total0 is None else np.asarray(ref_total0, dtype=np.float64)
    tot1 = r1.sum(axis=1) if ref_total1 is None else np.asarray(ref_total1, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        big_g = tot1 / tot0 - 1.0  # per group
        act0, act1 = r0[g, cols], r1[g, cols]
        g_i = np.where(act0 > 0, act1 / act0 - 1.0, np.nan)
    national = v0 * big_g[g]
    industry_mix = np.where(v0 > 0, v0 * (g_i - big_g[g]), 0.0)
    competitive = (v1 - v0) - national - industry_mix
    return rows, cols, national, industry_mix, competitive

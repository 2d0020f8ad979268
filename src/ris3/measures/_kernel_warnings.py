"""Warnings that name regions and activities, from what the kernels return.

The kernels in :mod:`ris3.kernels` take arrays and know no labels: an
activity related to nothing comes back with a NaN density column, a region
outside the complexity network with a NaN ECI. The measures call these
helpers with the labels of the rows and columns to tell the user which ones.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from ris3._validation import short_list
from ris3.errors import DegenerateDataWarning
from ris3.kernels.complexity import ComplexityArrays
from ris3.kernels.relatedness import constant_rca, unrelated

__all__ = ["warn_complexity_exclusions", "warn_constant_rca", "warn_unrelated"]


def _sfx(when: str) -> str:
    return f" {when}" if when else ""


def _named(mask: np.ndarray, labels: Sequence[object]) -> str:
    return short_list([labels[i] for i in np.flatnonzero(mask).tolist()])


def warn_unrelated(
    density: np.ndarray, labels: Sequence[object], when: str = "", stacklevel: int = 2
) -> None:
    """DegenerateDataWarning naming the activities whose relatedness density is NaN.

    Examples
    --------
    >>> import pytest
    >>> with pytest.warns(DegenerateDataWarning, match="'solar'"):
    ...     warn_unrelated(np.array([[0.5, np.nan]]), ["wind", "solar"])
    """
    empty = unrelated(density)
    if empty.any():
        warnings.warn(
            f"relatedness density is undefined (NaN) for {int(empty.sum())} "
            f"activit(ies){_sfx(when)} with no proximity to any other activity (nobody is specialised in "
            f"them, or they never co-occur): {_named(empty, labels)}",
            DegenerateDataWarning,
            stacklevel=stacklevel + 1,
        )


def warn_constant_rca(
    rca: np.ndarray | sp.spmatrix | None,
    labels: Sequence[object],
    when: str = "",
    stacklevel: int = 2,
) -> None:
    """DegenerateDataWarning naming the activities with a constant RCA (``rca_correlation``)."""
    if rca is None:
        return
    constant = constant_rca(rca)
    if constant.any():
        warnings.warn(
            f"proximity(method='rca_correlation'){_sfx(when)}: {int(constant.sum())} "
            "activit(ies) have the same RCA in every region, so their correlations are "
            f"undefined (NaN): {_named(constant, labels)}",
            DegenerateDataWarning,
            stacklevel=stacklevel + 1,
        )


def warn_complexity_exclusions(
    arrays: ComplexityArrays,
    region_labels: Sequence[object],
    activity_labels: Sequence[object],
    when: str = "",
    stacklevel: int = 2,
    rca: np.ndarray | sp.spmatrix | None = None,
) -> None:
    """DegenerateDataWarnings naming the regions and activities left out of complexity.

    Regions specialised in nothing, activities without a specialised region,
    and nodes outside the largest connected component of the network; the
    density of activities related to nothing is named too, and with ``rca``
    (proximity ``"rca_correlation"``) the activities whose RCA is constant.
    """
    sfx = _sfx(when)
    level = stacklevel + 1
    reg_ok = arrays.diversity > 0
    act_ok = arrays.ubiquity > 0
    if not reg_ok.all():
        warnings.warn(
            f"{int((~reg_ok).sum())} region(s) are specialised in nothing (diversity 0)"
            f"{sfx}; their ECI is NaN: {_named(~reg_ok, region_labels)}",
            DegenerateDataWarning,
            stacklevel=level,
        )
    if not act_ok.all():
        warnings.warn(
            f"{int((~act_ok).sum())} activit(ies) have no specialised region (ubiquity 0)"
            f"{sfx}; their PCI is NaN: {_named(~act_ok, activity_labels)}",
            DegenerateDataWarning,
            stacklevel=level,
        )
    if arrays.n_components > 1:
        out_r = reg_ok & ~arrays.included_regions
        out_a = act_ok & ~arrays.included_activities
        warnings.warn(
            f"the region-activity network is disconnected{sfx} "
            f"({arrays.n_components} components): economic complexity is computed on "
            f"the largest one; ECI is NaN for {int(out_r.sum())} region(s) outside it "
            f"({_named(out_r, region_labels)}) and PCI is NaN for "
            f"{int(out_a.sum())} activit(ies) outside it "
            f"({_named(out_a, activity_labels)})",
            DegenerateDataWarning,
            stacklevel=level,
        )
    warn_constant_rca(rca, activity_labels, when, stacklevel=level)
    warn_unrelated(arrays.density, activity_labels, when, stacklevel=level)

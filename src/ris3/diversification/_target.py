"""Shared steps of :func:`~ris3.diversification.peers.peers` and :func:`~ris3.diversification.partners.partners`.

One period of the table (the latest when ``period`` is not given), the
target's row, the regions that can never be a peer or partner.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import DegenerateDataError, InputError
from ris3.measures._common import suggest
from ris3.tidy import CodedTable, MissingPolicy, encode


def _one_period(data: pd.DataFrame, time: str | None, period: object) -> pd.DataFrame:
    if time is None:
        if period is not None:
            raise InputError(f"period={period!r} needs time= (the column of periods)")
        return data
    if time not in getattr(data, "columns", []):
        raise InputError(f"data has no column {time!r} (given as time=)")
    if period is None:  # the latest period, as in opportunities
        periods = pd.unique(data[time].dropna())
        if not len(periods):
            raise InputError(f"column {time!r} (time=) has no period in any row")
        period = sorted(periods)[-1]
    rows = data[time] == period
    if not rows.any():
        raise InputError(
            f"period={period!r} is not in column {time!r}; available: "
            f"{short_list(pd.unique(data[time]))}"
        )
    return data.loc[rows].drop(columns=time)


def _encode_target(
    data: pd.DataFrame,
    region: str,
    activity: str,
    value: str,
    time: str | None,
    period: object,
    target: object,
    missing: MissingPolicy,
    measure: str,
) -> tuple[CodedTable, int]:
    ct = encode(
        _one_period(data, time, period),
        region=region,
        activity=activity,
        value=value,
        missing=missing,
    )
    if target not in ct.regions:
        raise InputError(
            f"target={target!r} is not a label of column {region!r}{suggest(target, ct.regions)}"
        )
    ti = int(ct.regions.get_indexer(pd.Index([target]))[0])
    zero_r, _ = ct.zero_totals(measure, of="regions")
    if zero_r[0, ti]:
        raise DegenerateDataError(
            f"target={target!r} has no {value!r} at all (its values sum to 0): it has no "
            f"profile to compare"
        )
    return ct, ti


def _excluded(exclude: Sequence[Hashable] | None, ct: CodedTable, target: object) -> np.ndarray:
    """Boolean mask over ``ct.regions``: the target, ``exclude`` and zero-total regions."""
    out = np.asarray(ct.matrix().sum(axis=1)).ravel() <= 0
    out[ct.regions.get_indexer(pd.Index([target]))] = True
    if exclude is not None:
        if isinstance(exclude, str) or not isinstance(exclude, Sequence | pd.Index | np.ndarray):
            raise InputError(
                f"exclude must be a list of region labels; got {type(exclude).__name__}"
            )
        out |= ct.regions.isin(list(exclude))
    return out


def _check_n(n: int) -> None:
    check_number("n", n, low=1, integer=True)

"""Specialisations gained and lost by each region between two periods.

:func:`entry_exit` sums :func:`ris3.measures.dynamics.specialisation_change`
per region; cells that are not comparable (missing in either period, or
with a break in series when breaks are excluded) are counted apart, never as
an entry or an exit.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd

from ris3.measures._comparable import BreakPolicy
from ris3.measures._hierarchy import HierarchyLike
from ris3.tidy import MissingPolicy

__all__ = ["entry_exit"]


def entry_exit(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    start: Hashable,
    end: Hashable,
    reference: object = None,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    missing: MissingPolicy = "raise",
    flag: str | None = None,
    breaks: BreakPolicy = "exclude",
) -> pd.DataFrame:
    """Specialisations gained and lost by each region between two periods.

    Same parameters as :func:`specialisation_change`; only comparable cells
    are counted.

    Returns
    -------
    DataFrame
        One row per region listed by :func:`specialisation_change`: region,
        ``n_specialised_start``, ``n_specialised_end``, ``n_entries``,
        ``n_exits``, ``n_kept`` and ``n_unknown`` (cells left out: missing
        in either period, or with a break in series when breaks are
        excluded).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"year": [2010] * 4 + [2014] * 4, "geo": ["A", "A", "B", "B"] * 2,
    ...                    "nace": ["C", "J"] * 4, "emp": [60.0, 40, 40, 60, 40, 60, 60, 40]})
    >>> ee = entry_exit(df, region="geo", activity="nace", value="emp", time="year",
    ...                 start=2010, end=2014)
    >>> ee[["geo", "n_entries", "n_exits", "n_kept", "n_unknown"]]
      geo  n_entries  n_exits  n_kept  n_unknown
    0   A          1        1       0          0
    1   B          1        1       0          0
    """
    from ris3.measures.dynamics import specialisation_change

    ch = specialisation_change(
        data,
        region=region,
        activity=activity,
        value=value,
        time=time,
        start=start,
        end=end,
        reference=reference,
        hierarchy=hierarchy,
        reference_table=reference_table,
        threshold=threshold,
        strict=strict,
        years=1.0,
        missing=missing,
        flag=flag,
        breaks=breaks,
    )
    tr = ch["transition"]
    known = (tr != "unknown").to_numpy()
    counts = pd.DataFrame(
        {
            region: ch[region].to_numpy(),
            "n_specialised_start": (ch["specialised_start"].fillna(False).to_numpy() & known),
            "n_specialised_end": (ch["specialised_end"].fillna(False).to_numpy() & known),
            "n_entries": (tr == "entry").to_numpy(),
            "n_exits": (tr == "exit").to_numpy(),
            "n_kept": (tr == "kept").to_numpy(),
            "n_unknown": ~known,
        }
    )
    return counts.groupby(region, sort=True).sum().astype(int).reset_index()

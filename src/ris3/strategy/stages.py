"""The stage and strength of each priority's cluster, read from a region's evidence.

The advisor (:mod:`ris3.strategy.advisor`) needs, per priority, the stage of
its cluster (emerging, growing, mature, declining, from :func:`ris3.portfolio`)
and its European Cluster Observatory stars. A region's profile
(:func:`ris3.profile`) gives both per activity in its specialisation table;
:func:`priority_stages` reads them for the activity codes of each priority.
Nothing is guessed: a priority whose codes are absent from the table, or
whose codes disagree on the stage, gets no stage, and the reason says why.
"""

from __future__ import annotations

import math

import pandas as pd

from ris3.strategy._common import require_columns, require_frame
from ris3.strategy.instruments import codes as list_cell

__all__ = ["priority_stages"]


def _one(values: list[object]) -> object:
    known = [v for v in values if not (v is None or (isinstance(v, float) and math.isnan(v)))]
    if len(known) != len(values) or not known or len(set(map(str, known))) > 1:
        return None
    return known[0]


def priority_stages(
    priorities: pd.DataFrame,
    specialisation: pd.DataFrame,
    *,
    priority: str = "priority",
    codes: str = "codes",
    activity: str = "activity",
    stage: str = "stage",
    stars: str = "stars",
) -> pd.DataFrame:
    """Return the cluster stage and stars of each priority, from the activities it covers.

    Parameters
    ----------
    priorities : DataFrame
        One row per priority: ``priority`` and ``codes`` (its activity codes,
        a list or separated by ";").
    specialisation : DataFrame
        One row per activity with ``activity``, ``stage`` and ``stars`` (the
        specialisation table of :func:`ris3.profile`).

    Returns
    -------
    DataFrame
        ``priority``, ``stage`` and ``stars`` (missing unless every code of
        the priority is in the table and they agree), and ``reason`` (why
        one is missing; empty otherwise).

    Examples
    --------
    >>> import pandas as pd
    >>> spec = pd.DataFrame({"activity": ["I55", "C16", "C28"],
    ...                      "stage": ["mature", "declining", "emerging"],
    ...                      "stars": [3.0, 1.0, None]})
    >>> pri = pd.DataFrame({"priority": ["tourism", "wood", "machines", "mix"],
    ...                     "codes": ["I55", "C16", "C28", "I55;C16"]})
    >>> out = priority_stages(pri, spec)
    >>> out["stage"].tolist()[:3], out["stars"].tolist()[:2]
    (['mature', 'declining', 'emerging'], [3.0, 1.0])
    >>> bool(pd.isna(out.loc[2, "stars"])), bool(pd.isna(out.loc[3, "stage"]))
    (True, True)
    >>> out["reason"].tolist()[2:]
    ['no stars for C28', 'its codes differ in stage and stars']
    """
    pri = require_frame(priorities, "the priority table")
    require_columns(pri, "the priority table", priority=priority, codes=codes)
    spec = require_frame(specialisation, "the specialisation table")
    require_columns(spec, "the specialisation table", activity=activity, stage=stage, stars=stars)
    one = spec.drop_duplicates(activity)
    info = one.set_index(one[activity].astype(str))
    rows = []
    for _, row in pri.iterrows():
        mine = [c.upper() for c in list_cell(row[codes])]
        absent = [c for c in mine if c not in info.index]
        if not mine or absent:
            what = ", ".join(absent) if absent else "no codes"
            rows.append((row[priority], None, math.nan, f"not in the evidence: {what}"))
            continue
        st = _one([info.at[c, stage] for c in mine])
        sr = _one([info.at[c, stars] for c in mine])
        reasons = []
        if st is None and sr is None and len(mine) > 1:
            reasons.append("its codes differ in stage and stars")
        else:
            if st is None:
                reasons.append(f"no single stage for {', '.join(mine)}")
            if sr is None:
                reasons.append(f"no stars for {', '.join(mine)}")
        rows.append(
            (row[priority], st, math.nan if sr is None else float(sr), "; ".join(reasons))  # type: ignore[arg-type]
        )
    return pd.DataFrame(rows, columns=["priority", "stage", "stars", "reason"])

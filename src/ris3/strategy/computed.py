"""Computed indicators: employment, LQ and stars of each priority domain, re-run from data.

When a new year of data arrives (e.g. Eurostat's structural business
statistics), the context indicators of each priority domain are computed
again the way the region's profile computes them: the domain's activities
(NACE codes) are mapped as one cluster with :func:`ris3.map_clusters`, its
location quotient is the map's, and its European Cluster Observatory stars
come from :func:`ris3.cluster_stars`. The observations carry provenance
"computed" and the parameters are returned as evidence, so that every
number can be re-made and defended.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ris3 import __version__
from ris3._compat import renamed_parameters
from ris3._validation import short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing

__all__ = ["domain_activities", "domain_observations"]

_REST = "(other activities)"


def domain_activities(codes: dict[str, str]) -> pd.DataFrame:
    """Return the domain table of :func:`domain_observations` from each priority's code list.

    Parameters
    ----------
    codes : dict
        Priority -> its activity codes in one string, separated by ``;``,
        ``,`` or spaces (as a domain's ``codes`` are written).

    Returns
    -------
    DataFrame
        ``priority`` and ``activity``, one row per code, in the order given.

    Examples
    --------
    >>> domain_activities({"tourism": "I55; I56", "wood": "C16"})
      priority activity
    0  tourism      I55
    1  tourism      I56
    2     wood      C16
    """
    import re

    rows: list[tuple[str, str]] = []
    for priority, text in codes.items():
        found = [c for c in re.split(r"[;,\s]+", str(text)) if c]
        if not found:
            raise InputError(f"priority {priority!r} names no activity codes")
        rows.extend((priority, c) for c in found)
    return pd.DataFrame(rows, columns=["priority", "activity"])


@renamed_parameters(employment="value")
def domain_observations(
    data: pd.DataFrame,
    domains: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    year: object,
    target: object,
    reference: object = None,
    specialisation_lq: float = 2.0,
    top_share: float = 0.10,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Employment, LQ and stars of each priority domain in one region and year.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity x period, with empty cells
        where the value is confidential or absent.
    domains : DataFrame
        ``priority`` and ``activity`` (a code of ``data``), one row per code
        of a priority domain; a code may belong to several domains.
    region, activity, value, time : str
        Column names of ``data``; ``value`` is the employment column
        (``employment=`` is its old name, deprecated).
    year : label
        The period to compute.
    target : label
        The region.
    reference : optional
        Reference area of the LQ, as in :func:`ris3.map_clusters`
        (default: all regions of ``data``).
    specialisation_lq, top_share : float, default 2.0 and 0.10
        The thresholds of the stars (:func:`ris3.cluster_stars`).

    Returns
    -------
    observations : DataFrame
        Three rows per priority (``indicator`` "<priority>:employment",
        "<priority>:lq", "<priority>:stars"): ``indicator``, ``priority``,
        ``measure``, ``date`` (the year), ``value``, ``provenance``
        ("computed") and ``note``. When a cell of one of the domain's
        activities is missing in the region and year, the three values are
        NaN and ``note`` names the codes: a sum without a confidential cell
        is not the domain's employment. Missing cells of other regions are
        left out of the reference sums (said in the evidence).
    evidence : dict
        ``function``, ``ris3_version``, ``parameters`` (everything needed to
        re-run), ``rows_used`` and ``missing_cells_left_out``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "A", "B", "B", "B"], "nace": ["I55", "I56", "C10"] * 2,
    ...                    "emp": [30.0, 10.0, 60.0, 10.0, 10.0, 80.0], "year": [2014] * 6})
    >>> dom = pd.DataFrame({"priority": ["tourism", "tourism"], "activity": ["I55", "I56"]})
    >>> obs, ev = domain_observations(df, dom, region="geo", activity="nace", value="emp",
    ...                               time="year", year=2014, target="A")
    >>> obs[["indicator", "value", "provenance"]].round(4)
                indicator    value provenance
    0  tourism:employment  40.0000   computed
    1          tourism:lq   1.3333   computed
    2       tourism:stars   2.0000   computed

    A has 40 of its 100 in tourism, both regions 60 of 200: LQ 0.4 / 0.3;
    A is the larger and the more focused region (size and focus stars).
    """
    # the cluster layer is loaded when used: importing ris3.strategy stays light
    from ris3.clusters.definitions import ClusterDefinition
    from ris3.clusters.mapping import map_clusters
    from ris3.clusters.stars import cluster_stars

    df = require_frame(data, "the data table")
    require_columns(df, "the data table", region=region, activity=activity, time=time)
    require_columns(df, "the data table", value=value)
    dom = require_frame(domains, "the domain table")
    require_columns(dom, "the domain table", priority="priority", activity="activity")
    require_no_missing(dom, "the domain table", ["priority", "activity"])
    one = df[df[time] == year]
    if one.empty:
        raise InputError(f"the data table has no rows for {time} = {year!r}")
    if not (one[region] == target).any():
        raise InputError(f"the data table has no rows for region {target!r} in {year!r}")
    codes = set(one[activity])
    unknown = sorted(set(dom["activity"]) - codes, key=str)
    if unknown:
        raise InputError(
            f"the domain table names activities not in the data: {short_list(unknown, 5)}"
        )
    values = pd.to_numeric(one[value], errors="coerce")
    n_missing = int(values.isna().sum())
    observed = one[values.notna()]
    here = one[one[region] == target]
    missing_here = set(here.loc[pd.to_numeric(here[value], errors="coerce").isna(), activity])
    rows = []
    for priority, g in dom.groupby("priority", sort=False):
        members = set(g["activity"])
        defn = ClusterDefinition.from_frame(
            pd.DataFrame(
                {
                    "a": sorted(codes, key=str),
                    "c": [priority if c in members else _REST for c in sorted(codes, key=str)],
                }
            ),
            activity="a",
            cluster="c",
        )
        cmap = map_clusters(
            observed[[region, activity, value]],
            defn,
            region=region,
            activity=activity,
            value=value,
            reference=reference,
        )
        stars = cluster_stars(
            cmap,
            size_top_share=top_share,
            focus_top_share=top_share,
            specialisation_lq=specialisation_lq,
        )
        cell = stars[(stars[region] == target) & (stars["cluster"] == priority)]
        gone = sorted(members & missing_here, key=str)
        vals = {"employment": np.nan, "lq": np.nan, "stars": np.nan}
        if not gone and len(cell):
            c = cell.iloc[0]
            vals = {"employment": c["value"], "lq": c["lq"], "stars": float(c["stars"])}
        note = f"missing or confidential cells: {', '.join(map(str, gone))}" if gone else ""
        for measure, v in vals.items():
            rows.append((f"{priority}:{measure}", priority, measure, year, v, "computed", note))
    cols = ["indicator", "priority", "measure", "date", "value", "provenance", "note"]
    evidence: dict[str, Any] = {
        "function": "ris3.strategy.domain_observations",
        "ris3_version": __version__,
        "parameters": {
            "region": region,
            "activity": activity,
            "value": value,
            "time": time,
            "year": year,
            "target": target,
            "reference": reference,
            "specialisation_lq": specialisation_lq,
            "top_share": top_share,
            "domains": {
                str(p): sorted(map(str, g["activity"])) for p, g in dom.groupby("priority")
            },
        },
        "rows_used": len(observed),
        "missing_cells_left_out": n_missing,
    }
    return pd.DataFrame(rows, columns=cols), evidence

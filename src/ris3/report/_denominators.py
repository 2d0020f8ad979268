"""Denominators and estimates of a region profile: published totals, coverage, ``estimated``.

Internal to :mod:`ris3.report`. With the bundled data the profile's shares and
LQs use published totals (:func:`ris3.report._inputs._published`); every
table that shows the region's cells carries ``estimated`` when confidential
cells were filled (:func:`ris3.report._inputs._estimate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ris3.report._inputs import _Inputs

if TYPE_CHECKING:
    from ris3.report.region_profile import RegionProfile

# the tidy column names used inside the profile (as in ris3.report._compute)
R, A, V, T = "geo", "activity", "employment", "year"


def _renames(inp: _Inputs) -> dict[str, str]:
    """Map the dataset's column names to the profile's."""
    c = inp.cols
    return {str(c["region"]): R, str(c["activity"]): A, str(c["value"]): V, str(c["time"]): T}


def _coverage(cells_r: pd.DataFrame, cur: pd.DataFrame) -> dict[str, float]:
    obs_r = cells_r[V].notna() & ~cells_r["estimated"]
    obs_all = cur[V].notna() & ~cur["estimated"]
    coverage = {
        "region_cells": float(len(cells_r)),
        "region_missing": float((~obs_r).sum()),
        "all_cells": float(len(cur)),
        "all_missing": float((~obs_all).sum()),
        "region_estimated": float(cells_r["estimated"].sum()),
        "all_estimated": float(cur["estimated"].sum()),
        "region_observed_total": float(cells_r.loc[obs_r, V].sum()),
    }
    coverage["region_missing_share"] = coverage["region_missing"] / max(coverage["region_cells"], 1)
    coverage["all_missing_share"] = coverage["all_missing"] / max(coverage["all_cells"], 1)
    return coverage


def _location_quotients(
    dy: pd.DataFrame, pub: Any, countries: Mapping[str, str | None]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """LQ against Europe and against the country, on published totals when there are some."""
    from ris3.measures.specialisation import location_quotient

    kw: dict[str, Any] = dict(region=R, activity=A, value=V, time=T, missing="drop")
    cells = dy[[R, A, T, V]]
    hier = pd.DataFrame({"child": pd.unique(dy[R])})
    hier["parent"] = hier["child"].map(countries)
    # a region no hierarchy places in a country has no LQ against the country
    hier = hier[hier["parent"].notna()]
    if pub is None:
        lq_eu = location_quotient(cells, **kw)
        if hier.empty:
            return lq_eu, lq_eu.iloc[:0]
        in_country = cells[cells[R].isin(set(hier["child"]))]
        lq_cn = location_quotient(in_country, **kw, hierarchy=hier, reference="parent_sum")
        return lq_eu, lq_cn
    totals = pub.region_totals[[R, T, V]]
    lq_eu = location_quotient(cells, **kw, reference_table=pub.europe, totals=totals)
    with_rows = pd.concat([cells, pub.country_rows[[R, A, T, V]]], ignore_index=True)
    lq_cn = location_quotient(
        with_rows,
        **kw,
        hierarchy=hier,
        reference="parent",
        totals=pd.concat([totals, pub.country_totals[[R, T, V]]], ignore_index=True),
    )
    return lq_eu, lq_cn


def _published_notes(
    prof: dict[str, Any],
    pub: Any,
    coverage: dict[str, float],
    cells_r: pd.DataFrame,
    region: str,
    y: int,
) -> None:
    t = pub.region_totals
    row = t[(t[R] == region) & (t[T] == y)]
    if len(row):
        total = float(row[V].iloc[0])
        coverage["region_total"] = total
        coverage["region_coverage"] = (
            coverage["region_observed_total"] / total if total > 0 else float("nan")
        )
        bound = (
            ""
            if bool(row["exact"].iloc[0])
            else (
                f"; {int(row['aggregates_missing'].iloc[0])} of its sections are confidential, "
                "so their observed divisions stand in for them and the total is a lower bound"
            )
        )
        prof["notes"].append(
            f"Shares and LQs use published totals: {region}'s {y} total is "
            f"{total:,.0f} persons from the published NACE sections{bound}; its observed "
            f"cells sum to {coverage['region_observed_total']:,.0f} "
            f"({coverage['region_coverage']:.0%} coverage). Europe and the country are the "
            "published national (NUTS-0) division rows"
            + (
                f" ({pub.country_fallback} country x division x year cells of the years compared "
                "are confidential and replaced by the sum of their regions' cells)."
                if pub.country_fallback
                else "."
            )
            + (
                " Estimated divisions of a confidential section count in that lower bound."
                if coverage.get("region_estimated", 0) > 0
                else ""
            )
        )


def _mark_estimated(out: RegionProfile, d: pd.DataFrame, y: int) -> None:
    """Add ``estimated`` to every table of the profile that shows the region's cells."""
    mine = d[(d[R] == out.region) & (d[T] == y)]
    # "estimate": a filled confidential cell or a cell of a region converted between NUTS
    # versions; a row rests on one when its cell is one in the year profiled or the start year
    mark = d["estimate"] if "estimate" in d.columns else d["estimated"]
    years = [t for t in (y, out.compare_year) if t is not None]
    both = d[(d[R] == out.region) & d[T].isin(years)]
    est = set(both.loc[mark.loc[both.index], A])
    any_est = set(d.loc[(d[T] == y) & mark, R])
    filled = set(mine.loc[mine["estimated"], A])
    for name, col in (
        ("portfolio", "cluster"),
        ("shift_share", A),
        ("opportunities", "activity"),
        ("network_nodes", "id"),
    ):
        t = getattr(out, name)
        if t is not None and col in t.columns and "estimated" not in t.columns:
            setattr(out, name, t.assign(estimated=t[col].astype(str).isin(est)))
    for name, col in (("peers", "peer"), ("diversity", R)):
        t = getattr(out, name)
        if t is not None and col in t.columns and "estimated" not in t.columns:
            # a region-level figure rests on estimates when any of its cells is one
            setattr(out, name, t.assign(estimated=t[col].astype(str).isin(any_est)))
    if filled:
        out.notes.append(
            f"{len(filled)} of {out.region}'s {y} cells are estimates of confidential cells "
            "(estimated = True in every table), filled within the published section and "
            "national totals."
        )

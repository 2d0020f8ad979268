"""Candidate priority domains proposed from a region's profile.

The report's first method for identifying priority domains is cluster
mapping: a location quotient against Europe (``clusters-and-s3-report.txt``
lines 1560-1573; its Tirol example, lines 1607-1613, gives tourism an LQ of
about 8). Mapping sees only existing industries (lines 1574-1580, 1620-1626),
so the candidates also include diversification opportunities, activities
related to what the region already does (the knowledge linkages of lines
1629-1635). The candidates feed the entrepreneurial discovery process: they
are proposals for stakeholders to discuss, not priorities (lines 289-294).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ris3._validation import check_number
from ris3.errors import InputError
from ris3.strategy._common import require_columns

if TYPE_CHECKING:  # the report layer is above this one: its type only
    from ris3.report.region_profile import RegionProfile

__all__ = ["ORIGINS", "candidate_domains"]

#: Where a candidate comes from, in the order of precedence of ``origin``.
ORIGINS: tuple[str, ...] = ("specialisation", "stars", "opportunity")

_SPEC_COLUMNS = ("activity", "activity_name", "employment", "lq_europe")


def candidate_domains(
    profile: RegionProfile,
    *,
    max_domains: int = 10,
    lq_threshold: float = 1.0,
    min_employment: float = 0.0,
    min_stars: int = 2,
    n_opportunities: int = 3,
    opportunity_score: str = "score_balanced",
) -> pd.DataFrame:
    """Propose candidate priority domains from a region's strengths and opportunities.

    Parameters
    ----------
    profile : RegionProfile
        A region's profile (:func:`ris3.profile`); its ``specialisation``
        table is required, ``opportunities`` is used when present.
    max_domains : int, default 10
        Most candidates returned.
    lq_threshold : float, default 1.0
        A strong specialisation has ``lq_europe >= lq_threshold`` (the report:
        "a location quotient above 1 indicates that a region is specialised",
        line 1607) ...
    min_employment : float, default 0
        ... and employment above 0 and at least ``min_employment``.
    min_stars : int, default 2
        Activities with at least this many cluster stars (size, specialisation,
        focus; European Cluster Observatory) are candidates even below the LQ
        threshold.
    n_opportunities : int, default 3
        Places kept for the best diversification opportunities (activities
        the region is not specialised in, ranked by ``opportunity_score``).
    opportunity_score : str, default "score_balanced"
        Column of ``profile.opportunities`` that ranks them.

    Returns
    -------
    DataFrame
        One row per candidate: ``rank``, ``code``, ``title``, ``origin`` (the
        first of :data:`ORIGINS` that applies), ``origins`` (all that apply,
        joined by ", "), ``employment``, ``lq_europe``, ``lq_country``,
        ``stars``, ``growth`` (the region's annual employment growth in the
        activity, NaN where a year is missing), ``feasibility`` and
        ``attractiveness`` (NaN for activities the region is specialised in:
        they are not diversification opportunities), the data-quality flags
        ``growth_missing``, ``estimated`` and ``break_in_series`` (nullable
        booleans; NA where the profile does not say), ``flags`` (the flags
        in words) and ``evidence`` (one line). The existing strengths come
        first, by stars then ``lq_europe``; then the opportunities, by score.

    Raises
    ------
    InputError
        The profile has no specialisation table or lacks a column, or an
        argument is out of range.

    Notes
    -----
    A cell that is missing or confidential in the profile year (no
    employment, or a ``confidential`` column or Eurostat flag ``c`` where
    the profile has them) is never proposed, whatever its other metrics:
    missing is not zero, and it is not evidence either. ``estimated`` is
    read from an ``estimated`` column or the Eurostat flag ``e`` in a
    ``flag`` column, ``break_in_series`` from a ``break_in_series`` column
    or the flag ``b``. With ``max_domains`` places, the opportunities keep
    ``min(n_opportunities, max_domains)`` of them when there are that many;
    the existing strengths fill the rest.

    Examples
    --------
    >>> import pandas as pd
    >>> from ris3.report.region_profile import RegionProfile
    >>> spec = pd.DataFrame({
    ...     "activity": ["I55", "C16", "C21", "C28"],
    ...     "activity_name": ["Accommodation", "Wood", "Pharma", "Machinery"],
    ...     "employment": [3000.0, 400.0, None, 200.0],
    ...     "lq_europe": [7.1, 2.5, None, 0.9],
    ...     "growth": [0.02, None, None, 0.05],
    ...     "stars": [3.0, 1.0, None, 0.0],
    ... })
    >>> opp = pd.DataFrame({"activity": ["C21", "C28"], "specialised": [False, False],
    ...                     "feasibility": [0.4, 0.3], "attractiveness": [0.9, 0.7],
    ...                     "score_balanced": [0.99, 0.9]})
    >>> p = RegionProfile(region="XX11", region_name="X", country="XX", year=2014,
    ...     compare_year=2009, source="", attribution="", coverage={},
    ...     specialisation=spec, map_activity="I55", lq_map=pd.DataFrame(), opportunities=opp)
    >>> candidate_domains(p)[["code", "origin", "lq_europe", "feasibility", "growth_missing"]]
      code          origin  lq_europe  feasibility  growth_missing
    0  I55  specialisation        7.1          NaN           False
    1  C16  specialisation        2.5          NaN            True
    2  C28     opportunity        0.9          0.3           False

    C21 is the best opportunity but its cell is confidential: not proposed.
    """
    spec = _specialisation(profile)
    check_number("max_domains", max_domains, low=1, integer=True)
    check_number("lq_threshold", lq_threshold, low=0)
    check_number("min_employment", min_employment, low=0)
    check_number("min_stars", min_stars, low=0, high=3, integer=True)
    check_number("n_opportunities", n_opportunities, low=0, integer=True)

    if spec["activity"].duplicated().any():
        raise InputError("profile.specialisation must have one row per activity; it repeats some")
    usable = _observed(spec)
    emp = pd.to_numeric(spec["employment"], errors="coerce")
    lq = pd.to_numeric(spec["lq_europe"], errors="coerce")
    stars = _col(spec, "stars")
    is_spec = usable & (lq >= lq_threshold) & (emp > 0) & (emp >= min_employment)
    is_star = usable & (stars >= min_stars)

    opp_rank = _opportunities(profile, spec, usable, opportunity_score)
    is_opp = pd.Series(spec["activity"].isin(opp_rank.index).to_numpy(), index=spec.index)

    # (assigning a Series to an empty frame would take the Series' index: reindex first)
    strengths = spec[is_spec | is_star]
    strengths = strengths.assign(
        _stars=stars.fillna(0).reindex(strengths.index), _lq=lq.reindex(strengths.index)
    )
    strengths = strengths.sort_values(["_stars", "_lq"], ascending=False, kind="stable")
    opps = spec[is_opp & ~(is_spec | is_star)].copy()
    opps["_score"] = opps["activity"].map(opp_rank)
    opps = opps.sort_values("_score", ascending=False, kind="stable")
    k = min(n_opportunities, max_domains, len(opps))
    chosen = pd.concat([strengths.head(max_domains - k), opps.head(k)])

    feas = opp_rank.attrs.get("feasibility", {})
    attr = opp_rank.attrs.get("attractiveness", {})
    evid = opp_rank.attrs.get("evidence", {})
    rows: list[dict[str, Any]] = []
    for i, (idx, r) in enumerate(chosen.iterrows(), start=1):
        origins = [
            o
            for o, flag in zip(
                ORIGINS,
                (is_spec[idx], is_star[idx], is_opp[idx] and not (is_spec[idx] or is_star[idx])),
            )
            if flag
        ]
        code = r["activity"]
        growth = _value(spec, idx, "growth")
        estimated, broken = _quality(spec, idx)
        row = {
            "rank": i,
            "code": code,
            "title": r.get("activity_name", code),
            "origin": origins[0],
            "origins": ", ".join(origins),
            "employment": emp[idx],
            "lq_europe": lq[idx],
            "lq_country": _value(spec, idx, "lq_country"),
            "stars": stars[idx],
            "growth": growth,
            "feasibility": feas.get(code, np.nan) if origins[0] == "opportunity" else np.nan,
            "attractiveness": attr.get(code, np.nan) if origins[0] == "opportunity" else np.nan,
            "growth_missing": bool(np.isnan(growth)),
            "estimated": estimated,
            "break_in_series": broken,
        }
        row["flags"] = _flags(row)
        row["evidence"] = _evidence(row, profile, evid.get(code))
        rows.append(row)
    out = pd.DataFrame(rows, columns=_OUT_COLUMNS)
    for col in ("estimated", "break_in_series"):
        out[col] = out[col].astype("boolean")
    out["growth_missing"] = out["growth_missing"].astype(bool)
    return out


_OUT_COLUMNS = [
    "rank", "code", "title", "origin", "origins", "employment", "lq_europe", "lq_country",
    "stars", "growth", "feasibility", "attractiveness", "growth_missing", "estimated",
    "break_in_series", "flags", "evidence",
]  # fmt: skip


def _specialisation(profile: object) -> pd.DataFrame:
    spec = getattr(profile, "specialisation", None)
    if not isinstance(spec, pd.DataFrame):
        raise InputError(
            "profile must be a RegionProfile (ris3.profile) with a specialisation table; "
            f"got {type(profile).__name__}"
        )
    require_columns(
        spec, "profile.specialisation", **{c: c for c in ("activity", "employment", "lq_europe")}
    )
    return spec


def _col(spec: pd.DataFrame, name: str) -> pd.Series:
    if name in spec.columns:
        return pd.to_numeric(spec[name], errors="coerce")
    return pd.Series(np.nan, index=spec.index)


def _value(spec: pd.DataFrame, idx: Any, name: str) -> float:
    return (
        float(spec.at[idx, name])
        if name in spec.columns and pd.notna(spec.at[idx, name])
        else np.nan
    )


def _flag_text(spec: pd.DataFrame) -> pd.Series:
    if "flag" in spec.columns:
        return spec["flag"].fillna("").astype(str).str.lower()
    return pd.Series("", index=spec.index)


def _observed(spec: pd.DataFrame) -> pd.Series:
    """Return True where the profile-year cell has a value (not missing, not confidential)."""
    ok = pd.to_numeric(spec["employment"], errors="coerce").notna()
    ok &= pd.to_numeric(spec["lq_europe"], errors="coerce").notna()
    if "confidential" in spec.columns:
        ok &= ~spec["confidential"].fillna(False).astype(bool)
    ok &= ~_flag_text(spec).str.contains("c")
    return ok


def _quality(spec: pd.DataFrame, idx: Any) -> tuple[Any, Any]:
    """(estimated, break_in_series) for one row: True/False, or NA where the profile does not say."""
    result: list[Any] = []
    flag = _flag_text(spec).at[idx] if "flag" in spec.columns else None
    for col, letter in (("estimated", "e"), ("break_in_series", "b")):
        if col in spec.columns and pd.notna(spec.at[idx, col]):
            result.append(bool(spec.at[idx, col]))
        elif flag is not None:
            result.append(letter in flag)
        else:
            result.append(pd.NA)
    return result[0], result[1]


def _opportunities(profile: object, spec: pd.DataFrame, usable: pd.Series, score: str) -> pd.Series:
    """Score of each proposable opportunity by activity; metrics in ``attrs``."""
    opp = getattr(profile, "opportunities", None)
    empty = pd.Series(dtype=float)
    if opp is None or len(opp) == 0:
        return empty
    require_columns(opp, "profile.opportunities", activity="activity", opportunity_score=score)
    observed = set(spec.loc[usable, "activity"])
    keep = opp["activity"].isin(observed)
    for col in ("specialised", "present"):  # "present" in tables written before 0.2.0
        if col in opp.columns:
            keep &= ~opp[col].fillna(True).astype(bool)
            break
    keep &= pd.to_numeric(opp[score], errors="coerce").notna()
    opp = opp[keep]
    ranked = pd.Series(pd.to_numeric(opp[score]).to_numpy(), index=opp["activity"].to_numpy())
    for col in ("feasibility", "attractiveness", "evidence"):
        if col in opp.columns:
            ranked.attrs[col] = dict(zip(opp["activity"], opp[col]))
    return ranked


def _flags(row: dict[str, Any]) -> str:
    words = []
    if row["growth_missing"]:
        words.append("growth undefined")
    if row["estimated"] is True:
        words.append("estimated")
    if row["break_in_series"] is True:
        words.append("break in series")
    return ", ".join(words)


def _evidence(row: dict[str, Any], profile: object, related: object) -> str:
    year = getattr(profile, "year", None)
    since = getattr(profile, "compare_year", None)
    country = getattr(profile, "country", None) or "the country"
    parts = [f"LQ {row['lq_europe']:.2f} against Europe"]
    if not np.isnan(row["lq_country"]):
        parts[0] += f" ({row['lq_country']:.2f} against {country})"
    parts.append(f"employment {row['employment']:,.0f}" + (f" in {year}" if year else ""))
    if not np.isnan(row["stars"]):
        parts.append(f"{row['stars']:.0f} star{'s' if row['stars'] != 1 else ''}")
    if not np.isnan(row["growth"]):
        parts.append(f"growth {row['growth']:+.1%} a year" + (f" since {since}" if since else ""))
    if row["origin"] == "opportunity":
        parts.append(
            f"feasibility {row['feasibility']:.2f}, attractiveness {row['attractiveness']:.2f}"
        )
        if isinstance(related, str) and related:
            parts.append(f"related to {related}")
    return "; ".join(parts)

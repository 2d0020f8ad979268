"""Priority setting: the criteria of candidate domains, declared priorities, the review series.

The report asks regions to choose priorities from evidence and from the
voices of entrepreneurial discovery (``clusters-and-s3-report.txt`` lines
1545-1551, 289-294), fine-grained enough to differ from other regions'
(lines 802-814), and to know when a priority stops being one (lines
815-819). These functions turn a region's evidence and engagement records
into the tidy ``domain x criterion`` table that :func:`ris3.strategy.rank_alternatives`
ranks, read a table of other regions' declared priorities in the shape of
the JRC's Eye@RIS3 database, and compute a domain's indicators year by year
since its selection.

A criterion value is missing (NaN), never 0, where the evidence does not
give it: a domain no engagement discussed has no measured support, an
activity the region is specialised in is no diversification opportunity
(no feasibility or attractiveness), a domain of several codes has no single
stored LQ.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing
from ris3.strategy.distinctiveness import nace_code

__all__ = [
    "EVIDENCE_CRITERIA",
    "DECLARED_COLUMNS",
    "evidence_criteria",
    "edp_support",
    "check_declared",
    "domain_indicator_series",
]

#: Criteria read from a region's evidence: (key, label, direction, where it comes from).
EVIDENCE_CRITERIA: tuple[tuple[str, str, str, str], ...] = (
    ("lq_europe", "Location quotient against Europe", "benefit", "specialisation"),
    ("stars", "Cluster stars (0-3)", "benefit", "specialisation"),
    ("growth", "Employment growth a year", "benefit", "specialisation"),
    ("relatedness_density", "Relatedness density", "benefit", "opportunities"),
    ("complexity", "Product complexity of the activity", "benefit", "opportunities"),
    ("feasibility", "Feasibility of the opportunity", "benefit", "candidate"),
    ("attractiveness", "Attractiveness of the opportunity", "benefit", "candidate"),
)

#: The columns of a declared-priority table (the fields of an Eye@RIS3 priority).
DECLARED_COLUMNS: tuple[str, ...] = (
    "region",
    "priority",
    "nace_codes",
    "scientific_domains",
    "policy_objectives",
)


def _number(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return x if np.isfinite(x) else float("nan")


def evidence_criteria(
    domains: pd.DataFrame,
    *,
    specialisation: pd.DataFrame | None = None,
    opportunities: pd.DataFrame | None = None,
    domain: str = "domain",
    code: str = "code",
) -> pd.DataFrame:
    """Return the evidence criteria of each candidate domain, as a tidy table.

    Parameters
    ----------
    domains : DataFrame
        One row per domain: its id (``domain``), its NACE code(s) (``code``;
        several separated by ";" or ","), and optionally the columns
        ``feasibility`` and ``attractiveness`` stored with the candidate
        (:func:`ris3.strategy.candidate_domains`: NaN for activities the
        region is specialised in).
    specialisation : DataFrame, optional
        A profile's specialisation table (``activity``, ``lq_europe``,
        ``stars``, ``growth``).
    opportunities : DataFrame, optional
        A profile's opportunities table (``activity``, ``feasibility``, the
        region's relatedness density around the activity, and ``pci``).

    Returns
    -------
    DataFrame
        ``domain``, ``criterion`` (the keys of :data:`EVIDENCE_CRITERIA`),
        ``value`` (NaN where the evidence does not give it) and ``note``
        (why a value is missing).

    Examples
    --------
    >>> d = pd.DataFrame({"domain": [1, 2], "code": ["I55", "C27;C28"]})
    >>> spec = pd.DataFrame({"activity": ["I55"], "lq_europe": [7.1], "stars": [3.0],
    ...                      "growth": [0.02]})
    >>> t = evidence_criteria(d, specialisation=spec)
    >>> t[t["criterion"] == "lq_europe"][["domain", "value"]]
       domain  value
    0       1    7.1
    7       2    NaN
    >>> t.loc[7, "note"]
    'a domain of several codes has no single value'
    """
    dom = require_frame(domains, "domains")
    require_columns(dom, "domains", domain=domain, code=code)
    require_no_missing(dom, "domains", (domain, code))

    def lookup(table: pd.DataFrame | None, column: str) -> dict[str, float]:
        if table is None or column not in table.columns or "activity" not in table.columns:
            return {}
        return {str(a): _number(v) for a, v in zip(table["activity"], table[column])}

    sources = {
        "lq_europe": lookup(specialisation, "lq_europe"),
        "stars": lookup(specialisation, "stars"),
        "growth": lookup(specialisation, "growth"),
        "relatedness_density": lookup(opportunities, "feasibility"),
        # ``pci`` since ris3 0.2; ``complexity`` in profiles stored before
        "complexity": lookup(opportunities, "pci") or lookup(opportunities, "complexity"),
    }
    rows = []
    for _, r in dom.iterrows():
        codes = [c.strip() for c in str(r[code]).replace(",", ";").split(";") if c.strip()]
        for key, _label, _direction, source in EVIDENCE_CRITERIA:
            note = ""
            if source == "candidate":
                value = _number(r.get(key)) if key in dom.columns else float("nan")
                if np.isnan(value):
                    note = "not a diversification opportunity (or not stored with the candidate)"
            elif len(codes) != 1:
                value, note = float("nan"), "a domain of several codes has no single value"
            elif not sources[key]:
                value, note = float("nan"), f"no {source} table in the evidence"
            else:
                value = sources[key].get(codes[0], float("nan"))
                if np.isnan(value):
                    note = f"missing for {codes[0]} in the {source} table"
            rows.append((r[domain], key, value, note))
    return pd.DataFrame(rows, columns=["domain", "criterion", "value", "note"])


def edp_support(
    attendance: pd.DataFrame,
    domains: list[Any],
    *,
    domain: str = "domain",
    person: str = "stakeholder",
) -> pd.DataFrame:
    """Entrepreneurial-discovery support: distinct people who discussed each domain.

    ``attendance`` has one row per (engagement, linked domain, attendee). A
    domain that no engagement discussed has no measured support: its value
    is missing, not zero (nobody was asked).

    Returns
    -------
    DataFrame
        ``domain``, ``criterion`` ("edp_support"), ``value`` and ``note``.

    Examples
    --------
    >>> att = pd.DataFrame({"domain": [1, 1, 1], "stakeholder": ["a", "b", "a"]})
    >>> edp_support(att, [1, 2])[["domain", "value"]]
       domain  value
    0       1    2.0
    1       2    NaN
    """
    att = require_frame(attendance, "attendance")
    require_columns(att, "attendance", domain=domain, person=person)
    counts = att.dropna(subset=[domain, person]).groupby(domain)[person].nunique()
    rows = []
    for d in domains:
        if d in counts.index:
            rows.append((d, "edp_support", float(counts[d]), ""))
        else:
            rows.append((d, "edp_support", float("nan"), "no engagement discussed this domain"))
    return pd.DataFrame(rows, columns=["domain", "criterion", "value", "note"])


def check_declared(
    table: pd.DataFrame, *, separator: str = ";"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a declared-priority table into accepted rows and rejected rows with reasons.

    The table has the columns of :data:`DECLARED_COLUMNS` (region, priority
    text, NACE codes separated by ``separator``, scientific domains, policy
    objectives; the last three may be empty). A row is rejected when it has
    no region or no priority text, or when one of its NACE codes cannot be
    read (:func:`ris3.strategy.nace_code`); nothing is repaired. Accepted
    rows get ``nace_codes`` rewritten in ris3's form (``"C29;C291"``).

    Examples
    --------
    >>> t = pd.DataFrame({"region": ["ES21", "FI1B", None], "priority": ["Advanced manufacturing",
    ...     "Digital health", "x"], "nace_codes": ["C.28; C29.1", "Q86;zz", ""]})
    >>> ok, bad = check_declared(t)
    >>> ok["nace_codes"].tolist(), bad["reason"].tolist()
    (['C28;C291'], ["unreadable NACE code 'zz'", 'no region'])
    """
    t = require_frame(table, "the declared-priority table")
    require_columns(t, "the declared-priority table", region="region", priority="priority")
    t = t.copy()
    for col in DECLARED_COLUMNS[2:]:
        if col not in t.columns:
            t[col] = ""
    accepted, rejected = [], []
    for i, r in t.iterrows():
        reason = ""
        if pd.isna(r["region"]) or not str(r["region"]).strip():
            reason = "no region"
        elif pd.isna(r["priority"]) or not str(r["priority"]).strip():
            reason = "no priority text"
        codes: list[str] = []
        cell = r["nace_codes"]
        if not reason and isinstance(cell, str):
            for part in (p.strip() for p in cell.split(separator)):
                if not part:
                    continue
                c = nace_code(part)
                if c is None:
                    reason = f"unreadable NACE code {part!r}"
                    break
                codes.append(c)
        row: dict[str, Any] = {
            k: ("" if pd.isna(r[k]) else str(r[k]).strip()) for k in DECLARED_COLUMNS
        }
        row["row"] = int(i) + 1 if isinstance(i, int | np.integer) else i
        if reason:
            rejected.append({**row, "reason": reason})
        else:
            row["nace_codes"] = separator.join(codes)
            accepted.append(row)
    cols = ["row", *DECLARED_COLUMNS]
    return (
        pd.DataFrame(accepted, columns=cols),
        pd.DataFrame(rejected, columns=[*cols, "reason"]),
    )


def domain_indicator_series(
    data: pd.DataFrame,
    codes: list[str],
    *,
    region: str,
    activity: str,
    value: str,
    time: str,
    target: str,
    since: int,
) -> pd.DataFrame:
    """Return a domain's employment, LQ and stars in each year of ``data`` from ``since`` on.

    Each year is computed by :func:`ris3.strategy.domain_observations` (the
    domain's codes mapped as one cluster, the LQ against all regions of the
    data, missing cells never summed). Years before ``since`` are left out.

    Returns
    -------
    DataFrame
        One row per year: ``year``, ``employment``, ``lq``, ``stars``,
        ``note`` (missing or confidential cells). Empty when the data end
        before ``since`` (``attrs["last_year"]`` says when they end).
    """
    from ris3.strategy.computed import domain_observations

    df = require_frame(data, "the data table")
    require_columns(df, "the data table", time=time, activity=activity)
    if not codes:
        raise InputError("codes must name at least one activity of the domain")
    years = sorted(y for y in df[time].dropna().unique() if int(y) >= int(since))
    known = set(df[activity].astype(str))
    usable = [c for c in codes if c in known]
    rows = []
    for y in years:
        if not usable:
            break
        obs, _ = domain_observations(
            df,
            pd.DataFrame({"priority": "domain", "activity": usable}),
            region=region,
            activity=activity,
            value=value,
            time=time,
            year=y,
            target=target,
        )
        v = dict(zip(obs["measure"], obs["value"]))
        rows.append((int(y), v["employment"], v["lq"], v["stars"], obs["note"].iloc[0]))
    out = pd.DataFrame(rows, columns=["year", "employment", "lq", "stars", "note"])
    out.attrs["last_year"] = int(df[time].max()) if len(df) else None
    out.attrs["codes_not_in_data"] = [c for c in codes if c not in known]
    return out

"""Data-quality summaries returned by every ris3 reader.

A reader gives back a :class:`ReadResult`: the tidy table plus a
:class:`QualityReport` that says how complete the table is (missing and
confidential cells per region and per activity), which codes a
classification does not know, and which cells look wrong (negative sizes,
parts that add up to more than their published total).

Missing is never turned into zero here: the report counts gaps, it does not
fill them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import short_list

__all__ = ["QualityReport", "ReadResult", "assess", "coverage_table", "known_code_set"]

ANOMALY_COLUMNS = ["kind", "region", "activity", "time", "keys", "value", "reference", "detail"]


def known_code_set(known: Any, what: str) -> set[str] | None:
    """Turn a classification-like object into a set of code strings.

    Accepts None, any iterable of codes (set, list, Index, Series), a
    hierarchy table with ``child`` and ``parent`` columns (as returned by
    ``ris3.data.classifications.hierarchy``), a table with a ``code`` column,
    or an object with a ``codes`` attribute.
    """
    from ris3.errors import InputError

    if known is None:
        return None
    if isinstance(known, pd.DataFrame):
        # a hierarchy table (child -> parent) or a table of codes
        if {"child", "parent"} <= set(known.columns):
            codes = pd.concat([known["child"], known["parent"]]).dropna()
            return {str(c) for c in codes}
        if "code" in known.columns:
            return {str(c) for c in known["code"].dropna()}
        raise InputError(
            f"{what} as a DataFrame needs 'child' and 'parent' columns (a hierarchy) or a "
            f"'code' column; got columns {short_list(map(str, known.columns))}"
        )
    if hasattr(known, "codes") and not isinstance(known, pd.Series | pd.Index):
        known = known.codes
    if isinstance(known, str) or not isinstance(known, Iterable):
        raise InputError(
            f"{what} must be a set, list, Series or Index of codes (or a classification "
            f"with .codes); got {type(known).__name__}"
        )
    return {str(c) for c in known}


def coverage_table(
    parts: pd.DataFrame,
    totals: pd.DataFrame,
    *,
    on: list[str],
    value: str,
    unit: str | None = None,
) -> pd.DataFrame:
    """Compare sums of parts with their published totals.

    Parameters
    ----------
    parts : DataFrame
        Rows to add up; must hold the ``on`` columns and ``value``.
    totals : DataFrame
        One row per group with the ``on`` columns and ``value`` (the published
        total of the group).
    on : list of str
        Columns identifying a group.
    value : str
        The value column in both tables.
    unit : str, optional
        Column of ``parts`` giving the rounding unit of each published value
        (1 for whole numbers, 0.1 for one decimal); adds a ``tolerance``
        column = half the coarsest unit times (parts + 1), the largest gap
        rounding alone can open between a sum of rounded parts and a rounded
        total.

    Returns
    -------
    DataFrame
        ``on`` columns, then ``total`` (published), ``sum_of_parts`` (NaN cells
        skipped), ``parts`` (rows), ``parts_missing`` (rows with NaN) and
        ``coverage = sum_of_parts / total`` (NaN when the total is missing or 0).

    Examples
    --------
    >>> parts = pd.DataFrame({"g": ["a", "a", "b"], "v": [1.0, np.nan, 5.0]})
    >>> totals = pd.DataFrame({"g": ["a", "b"], "v": [4.0, 5.0]})
    >>> coverage_table(parts, totals, on=["g"], value="v")[["g", "sum_of_parts", "coverage"]]
       g  sum_of_parts  coverage
    0  a           1.0      0.25
    1  b           5.0      1.00
    """
    # one integer key per group, shared by parts and totals (vectorised, no string groupby)
    n_p = len(parts)
    key = np.zeros(n_p + len(totals), dtype=np.int64)
    for col in on:
        codes, uniq = pd.factorize(
            pd.concat([parts[col], totals[col]], ignore_index=True), use_na_sentinel=False
        )
        key, _ = pd.factorize(key * (len(uniq) + 1) + codes)
        key = np.asarray(key, dtype=np.int64)
    key_p, key_t = key[:n_p], key[n_p:]
    k = int(key.max()) + 1 if len(key) else 0
    vals = parts[value].to_numpy(dtype=np.float64, na_value=np.nan)
    nan = np.isnan(vals)
    size = np.bincount(key_p, minlength=k)
    sums = np.bincount(key_p, weights=np.where(nan, 0.0, vals), minlength=k)
    missing = np.bincount(key_p, weights=nan, minlength=k).astype(np.int64)
    has = size[key_t] > 0
    out = totals.loc[has, on].reset_index(drop=True)
    kt = key_t[has]
    out["total"] = totals[value].to_numpy(dtype=np.float64, na_value=np.nan)[has]
    out["sum_of_parts"] = sums[kt]
    out["parts"] = size[kt].astype(np.int64)
    out["parts_missing"] = missing[kt]
    if unit is not None:
        coarsest = np.full(k, -np.inf)
        np.maximum.at(coarsest, key_p, parts[unit].to_numpy(dtype=np.float64))
        out["tolerance"] = 0.5 * coarsest[kt] * (out["parts"].to_numpy() + 1)
    total = out["total"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["coverage"] = np.where(total > 0, out["sum_of_parts"].to_numpy() / total, np.nan)
    return out.sort_values(on, ignore_index=True)


@dataclass
class QualityReport:
    """How complete and plausible a table read from a file is.

    Attributes
    ----------
    source : str
        The file (or description) the table came from.
    rows : int
        Rows of the tidy table.
    regions, activities : int
        Distinct region and activity codes.
    years : list
        Distinct periods, sorted (empty without a time column).
    missing_cells, confidential_cells, suspect_cells : int
        Rows whose value is missing (NaN); rows flagged confidential (their
        value is missing too); rows whose value is present but doubtful
        (e.g. CBP employment 0 that may be a suppressed cell).
    by_region, by_activity : DataFrame
        Per code: ``n_cells``, ``n_missing``, ``n_confidential``, ``n_suspect``,
        ``missing_share``, ``confidential_share``.
    unknown_regions, unknown_activities : list of str
        Codes absent from the classification passed to the reader (empty
        when none was passed; see ``checked_regions``/``checked_activities``).
    anomalies : DataFrame
        One row per doubtful cell or group: ``kind`` (``"negative"``,
        ``"parts_exceed_total"``, ``"possibly_suppressed"``, ...), ``region``,
        ``activity``, ``time``, ``keys`` (other key columns), ``value``,
        ``reference`` (the total it was compared with) and ``detail``.
    coverage : DataFrame or None
        Sums of parts against published totals (see :func:`coverage_table`),
        when the file carries both.
    notes : list of str
        What the reader did that a user should know (filters, conversions).
    """

    source: str
    rows: int
    regions: int
    activities: int
    years: list[Any]
    missing_cells: int
    confidential_cells: int
    suspect_cells: int
    by_region: pd.DataFrame
    by_activity: pd.DataFrame
    unknown_regions: list[str] = field(default_factory=list)
    unknown_activities: list[str] = field(default_factory=list)
    checked_regions: bool = False
    checked_activities: bool = False
    anomalies: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ANOMALY_COLUMNS))
    coverage: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return a few readable lines: size, gaps, unknown codes, anomalies."""
        share = (lambda n: f"{n / self.rows:.1%}") if self.rows else (lambda n: "n/a")
        years = (
            f"{self.years[0]}-{self.years[-1]} ({len(self.years)})"
            if len(self.years) > 1
            else (str(self.years[0]) if self.years else "none")
        )
        lines = [
            f"Data quality of {self.source}",
            f"  rows: {self.rows:,}; regions: {self.regions:,}; activities: "
            f"{self.activities:,}; periods: {years}",
            f"  missing cells: {self.missing_cells:,} ({share(self.missing_cells)}), of which "
            f"confidential: {self.confidential_cells:,} ({share(self.confidential_cells)})",
        ]
        if self.suspect_cells:
            lines.append(
                f"  suspect cells (present but doubtful): {self.suspect_cells:,} "
                f"({share(self.suspect_cells)})"
            )
        if len(self.by_region) and self.missing_cells:
            worst = self.by_region.sort_values("missing_share", ascending=False).head(3)
            lines.append(
                "  most incomplete regions: "
                + ", ".join(f"{r} {s:.0%}" for r, s in zip(worst["region"], worst["missing_share"]))
            )
        for what, checked, unknown in (
            ("region", self.checked_regions, self.unknown_regions),
            ("activity", self.checked_activities, self.unknown_activities),
        ):
            if checked:
                lines.append(
                    f"  {what} codes not in the classification: {len(unknown)}"
                    + (f" ({short_list(unknown, 8)})" if unknown else "")
                )
        if self.coverage is not None and len(self.coverage):
            cov = self.coverage["coverage"].dropna()
            under = int((cov < 1 - 1e-9).sum())
            lines.append(
                f"  totals checked: {len(self.coverage):,} groups; parts cover less than the "
                f"total in {under:,}; median coverage {cov.median():.1%}"
                if len(cov)
                else f"  totals checked: {len(self.coverage):,} groups (no usable total)"
            )
        if len(self.anomalies):
            counts = self.anomalies["kind"].value_counts()
            lines.append("  anomalies: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        else:
            lines.append("  anomalies: none")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_frame(self) -> pd.DataFrame:
        """Return :meth:`tidy` under its deprecated name; emit a FutureWarning."""
        import warnings

        warnings.warn(
            "QualityReport.to_frame() is renamed QualityReport.tidy(); the old name will be "
            "removed in ris3 0.3.0",
            FutureWarning,
            stacklevel=2,
        )
        return self.tidy()

    def tidy(self) -> pd.DataFrame:
        """Per-code completeness as one long table.

        Columns: ``dimension`` (``"region"`` or ``"activity"``), ``code``,
        ``n_cells``, ``n_missing``, ``n_confidential``, ``n_suspect``,
        ``missing_share``, ``confidential_share``, ``known`` (False for codes
        the classification does not know, NA when none was checked).
        """
        frames = []
        for dim, tab, checked, unknown in (
            ("region", self.by_region, self.checked_regions, set(self.unknown_regions)),
            ("activity", self.by_activity, self.checked_activities, set(self.unknown_activities)),
        ):
            df = tab.rename(columns={dim: "code"}).copy()
            df.insert(0, "dimension", dim)
            df["code"] = df["code"].astype(str)
            if checked:
                df["known"] = ~df["code"].isin(unknown)
            else:
                df["known"] = pd.array([pd.NA] * len(df), dtype="boolean")
            frames.append(df)
        return pd.concat(frames, ignore_index=True)


@dataclass
class ReadResult:
    """What a ris3 reader returns: the tidy table and its quality report.

    Attributes
    ----------
    data : DataFrame
        The tidy long table (documented per reader).
    quality : QualityReport
        Completeness, unknown codes and anomalies of ``data``.
    columns : dict
        Column roles in ``data``: ``"region"``, ``"activity"``, ``"value"``,
        ``"time"`` (None when absent) — pass them on to :func:`ris3.encode`.
    totals : DataFrame or None
        Published totals kept apart from the parts (e.g. BRES ``Total``).
    labels : DataFrame or None
        Code -> name tables found in the file (e.g. BRES descriptions).
    """

    data: pd.DataFrame
    quality: QualityReport
    columns: dict[str, str | None]
    totals: pd.DataFrame | None = None
    labels: pd.DataFrame | None = None

    def tidy(self) -> pd.DataFrame:
        """Return the tidy table (the object itself, not a copy)."""
        return self.data

    def to_frame(self) -> pd.DataFrame:
        """Return :meth:`tidy` under its deprecated name; emit a FutureWarning."""
        import warnings

        warnings.warn(
            "ReadResult.to_frame() is renamed ReadResult.tidy(); the old name will be "
            "removed in 0.3",
            FutureWarning,
            stacklevel=2,
        )
        return self.tidy()

    def summary(self) -> str:
        """Return the quality report as text."""
        return self.quality.summary()

    def __str__(self) -> str:
        return self.quality.summary()

    def __repr__(self) -> str:
        return (
            f"<ReadResult {self.quality.source}: {len(self.data):,} rows, "
            f"columns {list(self.data.columns)}>"
        )


def _per_code(
    codes: pd.Series, missing: np.ndarray, confidential: np.ndarray, suspect: np.ndarray, name: str
) -> pd.DataFrame:
    code, uniq = pd.factorize(codes, sort=True)
    k = len(uniq)
    cells = np.bincount(code, minlength=k).astype(np.int64)
    out = pd.DataFrame(
        {
            name: uniq,
            "n_cells": cells,
            "n_missing": np.bincount(code, weights=missing, minlength=k).astype(np.int64),
            "n_confidential": np.bincount(code, weights=confidential, minlength=k).astype(np.int64),
            "n_suspect": np.bincount(code, weights=suspect, minlength=k).astype(np.int64),
        }
    )
    out["missing_share"] = out["n_missing"] / out["n_cells"]
    out["confidential_share"] = out["n_confidential"] / out["n_cells"]
    return out


def assess(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    flag: str | None = None,
    suspect: np.ndarray | None = None,
    keys: Iterable[str] = (),
    size_mask: np.ndarray | None = None,
    known_regions: Any = None,
    known_activities: Any = None,
    coverage: pd.DataFrame | None = None,
    anomalies: Iterable[pd.DataFrame] = (),
    source: str = "data",
    notes: Iterable[str] = (),
) -> QualityReport:
    """Build the :class:`QualityReport` of a tidy table.

    Parameters
    ----------
    data : DataFrame
        Tidy table with the named columns.
    region, activity, value, time : str
        Column roles.
    flag : str, optional
        Column of flag letters; a ``"c"`` among them marks a confidential cell.
    suspect : bool array, optional
        Rows whose value is present but doubtful.
    keys : iterable of str
        Further key columns (e.g. an indicator code), named in anomalies.
    size_mask : bool array, optional
        Rows whose value is a size (stock or count) that cannot be negative;
        default all rows.
    known_regions, known_activities : set, list, Series or classification, optional
        Codes the classification knows.
    coverage : DataFrame, optional
        Result of :func:`coverage_table`; groups whose parts add up to more than
        the total become ``"parts_exceed_total"`` anomalies.
    anomalies : iterable of DataFrame
        Further anomaly rows found by the reader (columns of ``ANOMALY_COLUMNS``).
    source : str
        Name of the file, for the summary.
    notes : iterable of str
        Messages for the summary.

    Examples
    --------
    >>> df = pd.DataFrame({"geo": ["A", "A", "B"], "nace": ["x", "y", "x"],
    ...                    "v": [1.0, np.nan, -2.0], "flag": ["", "c", ""]})
    >>> rep = assess(df, region="geo", activity="nace", value="v", flag="flag")
    >>> rep.missing_cells, rep.confidential_cells, list(rep.anomalies["kind"])
    (1, 1, ['negative'])
    """
    keys = [k for k in keys if k not in (region, activity, time)]
    n = len(data)
    vals = pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(vals)
    if flag is not None:
        confidential = data[flag].fillna("").astype(str).str.contains("c", regex=False).to_numpy()
    else:
        confidential = np.zeros(n, dtype=bool)
    confidential = confidential & missing
    suspect_arr = np.zeros(n, dtype=bool) if suspect is None else np.asarray(suspect, dtype=bool)
    by_region = _per_code(data[region], missing, confidential, suspect_arr, "region")
    by_activity = _per_code(data[activity], missing, confidential, suspect_arr, "activity")

    found: list[pd.DataFrame] = []
    sizes = np.ones(n, dtype=bool) if size_mask is None else np.asarray(size_mask, dtype=bool)
    neg = np.flatnonzero(sizes & (vals < 0))
    if neg.size:
        sub = data.iloc[neg]
        found.append(
            pd.DataFrame(
                {
                    "kind": "negative",
                    "region": sub[region].astype(str).to_numpy(),
                    "activity": sub[activity].astype(str).to_numpy(),
                    "time": sub[time].to_numpy() if time else None,
                    "keys": _keys_text(sub, keys),
                    "value": vals[neg],
                    "reference": np.nan,
                    "detail": f"negative {value} where a size is expected",
                }
            )
        )
    key_cols = list(dict.fromkeys([c for c in (time, region, activity, *keys) if c]))
    dup = data.duplicated(subset=key_cols, keep=False).to_numpy()
    if dup.any():
        sub = data.iloc[np.flatnonzero(dup)]
        found.append(
            pd.DataFrame(
                {
                    "kind": "duplicated_key",
                    "region": sub[region].astype(str).to_numpy(),
                    "activity": sub[activity].astype(str).to_numpy(),
                    "time": sub[time].to_numpy() if time else None,
                    "keys": _keys_text(sub, keys),
                    "value": sub[value].to_numpy(dtype=np.float64),
                    "reference": np.nan,
                    "detail": f"{int(dup.sum())} rows share their keys {key_cols}",
                }
            )
        )
        import warnings

        from ris3.errors import DataQualityWarning

        first = sub.iloc[0]
        warnings.warn(
            f"{source}: {int(dup.sum())} rows have duplicated keys {key_cols}, e.g. "
            + ", ".join(f"{c}={str(first[c])!r}" for c in key_cols)
            + "; they are kept as read: aggregate or filter them before computing",
            DataQualityWarning,
            stacklevel=3,
        )
    if coverage is not None and len(coverage):
        tol = coverage["tolerance"] if "tolerance" in coverage else 0.0
        over = coverage[coverage["sum_of_parts"] > coverage["total"] * (1 + 1e-9) + 1e-9 + tol]
        if len(over):
            found.append(
                pd.DataFrame(
                    {
                        "kind": "parts_exceed_total",
                        "region": over[region].astype(str).to_numpy() if region in over else None,
                        "activity": over[activity].astype(str).to_numpy()
                        if activity in over
                        else None,
                        "time": over[time].to_numpy() if time and time in over else None,
                        "keys": _keys_text(over, [k for k in keys if k in over]),
                        "value": over["sum_of_parts"].to_numpy(dtype=np.float64),
                        "reference": over["total"].to_numpy(dtype=np.float64),
                        "detail": "sum of the parts exceeds the published total"
                        + (" by more than rounding" if "tolerance" in coverage else ""),
                    }
                )
            )
    found.extend(a for a in anomalies if len(a))
    anomalies_df = (
        pd.concat([f[ANOMALY_COLUMNS] for f in found], ignore_index=True)
        if found
        else pd.DataFrame({c: pd.Series(dtype=object) for c in ANOMALY_COLUMNS})
    )

    kr = known_code_set(known_regions, "known_regions")
    ka = known_code_set(known_activities, "known_activities")
    unknown_r = sorted(set(by_region["region"].astype(str)) - kr) if kr is not None else []
    unknown_a = sorted(set(by_activity["activity"].astype(str)) - ka) if ka is not None else []
    years = sorted(pd.unique(data[time]).tolist()) if time else []
    return QualityReport(
        source=source,
        rows=n,
        regions=len(by_region),
        activities=len(by_activity),
        years=years,
        missing_cells=int(missing.sum()),
        confidential_cells=int(confidential.sum()),
        suspect_cells=int(suspect_arr.sum()),
        by_region=by_region,
        by_activity=by_activity,
        unknown_regions=unknown_r,
        unknown_activities=unknown_a,
        checked_regions=kr is not None,
        checked_activities=ka is not None,
        anomalies=anomalies_df,
        coverage=coverage,
        notes=list(notes),
    )


def _keys_text(df: pd.DataFrame, keys: list[str]) -> Any:
    if not keys:
        return ""
    parts = [k + "=" + df[k].astype(str) for k in keys]
    out = parts[0]
    for p in parts[1:]:
        out = out + "," + p
    return out.to_numpy()

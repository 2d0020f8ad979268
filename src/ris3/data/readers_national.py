"""Readers for national business statistics: US County Business Patterns, UK BRES."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ris3._foreign_errors import parser_error_types
from ris3._validation import check_number, short_list
from ris3.data.quality import ANOMALY_COLUMNS, ReadResult, assess, coverage_table
from ris3.data.readers import check_path, read_text
from ris3.errors import DataFileError

__all__ = ["read_cbp", "read_bres", "BRES_MISSING_MARKERS"]

CBP_COLUMNS = ("cbsa_code", "naics_code", "naics_level", "EMP", "ESTAB")
#: Cell texts BRES tables use for withheld or unavailable figures.
BRES_MISSING_MARKERS = ("*", "..", "x", "-", "c", ":")


def _csv(path: Path, dtype: Any, what: str) -> pd.DataFrame:
    text = read_text(path)
    try:
        return pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as exc:
        raise DataFileError(f"{str(path)!r} is not a valid {what} CSV: {exc}") from exc
    except parser_error_types() as exc:  # the C parser raises plain errors on some garbage
        raise DataFileError(f"cannot read {str(path)!r} as a {what} CSV: {exc}") from exc


def _numeric(
    df: pd.DataFrame, col: str, path: Path, missing_ok: tuple[str, ...] = ()
) -> np.ndarray:
    """Column as float64; DataFileError naming the line of the first bad cell."""
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.to_numpy(dtype=np.float64, na_value=np.nan)
    # parse each distinct text once (counts repeat a lot)
    code, uniq = pd.factorize(raw, use_na_sentinel=True)
    text = pd.Series(uniq, dtype=object).astype(str).str.strip()
    marker = text.isin(list(missing_ok)).to_numpy(dtype=bool)
    clean = text.str.replace(",", "", regex=False).where(~marker)
    unum = pd.to_numeric(clean, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    ubad = np.isnan(unum) & ~marker
    num = np.where(code >= 0, unum[np.maximum(code, 0)] if len(unum) else np.nan, np.nan)
    bad = (code >= 0) & (ubad[np.maximum(code, 0)] if len(ubad) else False)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise DataFileError(
            f"{str(path)!r} line {i + 2}, column {col!r}: {raw.iloc[i]!r} is not a number"
            + (f" (missing markers allowed: {', '.join(missing_ok)})" if missing_ok else "")
        )
    return num.astype(np.float64)


def _require(df: pd.DataFrame, cols: tuple[str, ...], path: Path, what: str) -> None:
    absent = [c for c in cols if c not in df.columns]
    if absent:
        raise DataFileError(
            f"{str(path)!r} is not a {what} file: column(s) {short_list(absent)} missing; "
            f"it has {short_list(map(str, df.columns), 12)}"
        )


def read_cbp(
    path: str | Path,
    level: int = 6,
    *,
    known_regions: Any = None,
    known_activities: Any = None,
) -> ReadResult:
    r"""Read US County Business Patterns by metro area (CBSA) and NAICS code.

    Parameters
    ----------
    path : str or Path
        CSV (optionally gzip) with columns ``cbsa_code, naics_code,
        naics_level, EMP, ESTAB``; ``naics_code == "00"`` is the all-sector
        total of the area.
    level : int, default 6
        NAICS digits to keep (2-6).
    known_regions, known_activities : set, list, Series or classification, optional
        Codes to check against; unknown codes are listed in the report.

    Returns
    -------
    ReadResult
        ``data`` columns: ``cbsa_code`` (str, 5 digits), ``naics_code`` (str),
        ``employment`` (float64, EMP), ``establishments`` (float64, ESTAB),
        ``emp_possibly_suppressed`` (bool: EMP is 0 although the row lists
        establishments — Census withholds employment of cells that would
        disclose a firm). Employment 0 is kept as published and counted as
        ``suspect`` in the report, which also compares the sum of the kept
        rows with each area's all-sector total (``coverage``). ``totals``
        holds the all-sector rows.

    Raises
    ------
    DataFileError
        Missing, empty or corrupt file, absent columns, non-numeric counts.
    InputError
        ``level`` not an integer in 2-6.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cbp.csv"
    >>> _ = p.write_text("cbsa_code,naics_code,naics_level,EMP,ESTAB\n"
    ...                  "10180,00,2,100,9\n10180,311111,6,40,2\n10180,311119,6,0,1\n")
    >>> res = read_cbp(p)
    >>> res.data[["naics_code", "employment", "emp_possibly_suppressed"]]
      naics_code  employment  emp_possibly_suppressed
    0     311111        40.0                    False
    1     311119         0.0                     True
    >>> float(res.quality.coverage["coverage"].iloc[0])
    0.4
    """
    check_number("level", level, low=2, high=6, integer=True)
    p = check_path(path)
    df = _csv(p, {"cbsa_code": str, "naics_code": str}, "County Business Patterns")
    _require(df, CBP_COLUMNS, p, "County Business Patterns (CBSA x NAICS)")
    if df.empty:
        raise DataFileError(f"{str(p)!r} has a header but no data lines")
    for c in ("cbsa_code", "naics_code"):
        blank = df[c].isna().to_numpy()
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            raise DataFileError(f"{str(p)!r} line {i + 2}: column {c!r} is empty")
    naics_level = _numeric(df, "naics_level", p)
    emp = _numeric(df, "EMP", p)
    estab = _numeric(df, "ESTAB", p)
    codes = df["naics_code"].astype(str).str.strip()
    cbsa = df["cbsa_code"].astype(str).str.strip().str.zfill(5)
    is_total = (codes == "00").to_numpy()
    keep = (naics_level == level) & ~is_total
    if not keep.any():
        raise DataFileError(
            f"{str(p)!r} has no rows with naics_level == {level} "
            f"(levels present: "
            f"{', '.join(map(str, sorted({int(v) for v in naics_level if v == v})))})"
        )
    data = pd.DataFrame(
        {
            "cbsa_code": cbsa[keep].to_numpy(),
            "naics_code": codes[keep].to_numpy(),
            "employment": emp[keep],
            "establishments": estab[keep],
        }
    )
    data["emp_possibly_suppressed"] = (data["employment"] == 0).to_numpy() & (
        data["establishments"] > 0
    ).to_numpy()
    totals = pd.DataFrame(
        {
            "cbsa_code": cbsa[is_total].to_numpy(),
            "employment": emp[is_total],
            "establishments": estab[is_total],
        }
    )
    coverage = None
    if len(totals):
        coverage = coverage_table(data, totals, on=["cbsa_code"], value="employment")
    suspect = data["emp_possibly_suppressed"].to_numpy()
    sub = data[suspect]
    flagged = pd.DataFrame(
        {
            "kind": "possibly_suppressed",
            "region": sub["cbsa_code"].to_numpy(),
            "activity": sub["naics_code"].to_numpy(),
            "time": None,
            "keys": "",
            "value": sub["employment"].to_numpy(),
            "reference": sub["establishments"].to_numpy(),
            "detail": "EMP = 0 with establishments > 0 (reference = ESTAB): may be a withheld cell",
        },
        columns=ANOMALY_COLUMNS,
    )
    quality = assess(
        data,
        region="cbsa_code",
        activity="naics_code",
        value="employment",
        suspect=suspect,
        coverage=coverage,
        anomalies=[flagged],
        known_regions=known_regions,
        known_activities=known_activities,
        source=str(p),
        notes=[f"kept NAICS level {level}; the all-sector rows (naics_code '00') are in .totals"],
    )
    return ReadResult(
        data=data,
        quality=quality,
        columns={
            "region": "cbsa_code",
            "activity": "naics_code",
            "value": "employment",
            "time": None,
        },
        totals=totals,
    )


def read_bres(
    path: str | Path,
    *,
    known_activities: Any = None,
) -> ReadResult:
    r"""Read a UK BRES table with one column per region into a tidy table.

    Parameters
    ----------
    path : str or Path
        CSV with a ``SIC2007`` code column, one column per region, a
        ``Total`` column and optionally ``Industry`` and ``Description``
        (as in ONS's "Bres_2015_Region_and_Country.csv").
    known_activities : set, list, Series or classification, optional
        SIC codes to check against.

    Returns
    -------
    ReadResult
        ``data`` columns: ``region`` (the column name, e.g. ``"London"``),
        ``sic2007`` (str, 4 digits), ``employees`` (float64; NaN for withheld
        cells marked ``*``, ``..``, ``x``, ``-``, ``c`` or ``:``, with
        ``flag = "c"``), ``flag``. ``totals`` keeps the ``Total`` column
        (``sic2007``, ``total``) apart, and the report compares it with the
        sum of the regions (``coverage``). ``labels`` maps ``sic2007`` to
        ``description``.

    Raises
    ------
    DataFileError
        Missing, empty or corrupt file; no ``SIC2007`` or ``Total`` column or
        no region column; a cell that is not a number or a missing marker;
        a repeated SIC code.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bres.csv"
    >>> _ = p.write_text("Industry,East,London,Total,SIC2007,Description\n"
    ...                  "2110 : Pharma,500,..,500,2110, Pharma\n")
    >>> res = read_bres(p)
    >>> res.data[["region", "sic2007", "employees"]]
       region sic2007  employees
    0    East    2110      500.0
    1  London    2110        NaN
    >>> res.data["flag"].tolist()
    ['', 'c']
    """
    p = check_path(path)
    df = _csv(p, str, "BRES")
    _require(df, ("SIC2007", "Total"), p, "BRES (region columns, Total, SIC2007)")
    label_cols = {"Industry", "Description", "SIC2007", "Total"}
    regions = [c for c in df.columns if c not in label_cols and not str(c).startswith("Unnamed")]
    if not regions:
        raise DataFileError(f"{str(p)!r} has no region columns besides {sorted(label_cols)}")
    df = df.dropna(how="all")
    if df.empty:
        raise DataFileError(f"{str(p)!r} has a header but no data lines")
    sic = df["SIC2007"].astype("string").str.strip()
    if sic.isna().any():
        i = int(np.flatnonzero(sic.isna().to_numpy())[0])
        raise DataFileError(f"{str(p)!r} line {i + 2}: column 'SIC2007' is empty")
    sic = sic.str.zfill(4).astype(str)
    dup = sic.duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataFileError(
            f"{str(p)!r} repeats SIC2007 code(s) {short_list(sorted(set(sic[dup])))}; "
            "each class must appear once"
        )
    values = np.column_stack([_numeric(df, r, p, BRES_MISSING_MARKERS) for r in regions])
    withheld = np.column_stack(
        [
            df[r].astype("string").str.strip().isin(BRES_MISSING_MARKERS).fillna(False)
            for r in regions
        ]
    )
    total = _numeric(df, "Total", p, BRES_MISSING_MARKERS)
    n_sic, n_reg = values.shape
    data = pd.DataFrame(
        {
            "region": np.tile(np.asarray(regions, dtype=object), n_sic),
            "sic2007": np.repeat(sic.to_numpy(dtype=object), n_reg),
            "employees": values.ravel(),
            "flag": np.where(withheld.ravel(), "c", ""),
        }
    )
    data["region"] = data["region"].astype(str)
    data["sic2007"] = data["sic2007"].astype(str)
    totals = pd.DataFrame({"sic2007": sic.to_numpy(), "total": total})
    labels = None
    if "Description" in df.columns:
        labels = pd.DataFrame(
            {
                "sic2007": sic.to_numpy(),
                "description": df["Description"].astype("string").str.strip().to_numpy(),
            }
        )
    coverage = coverage_table(
        data, totals.rename(columns={"total": "employees"}), on=["sic2007"], value="employees"
    )
    quality = assess(
        data,
        region="region",
        activity="sic2007",
        value="employees",
        flag="flag",
        coverage=coverage,
        known_activities=known_activities,
        source=str(p),
        notes=["the Total column is kept in .totals and compared with the sum of the regions"],
    )
    return ReadResult(
        data=data,
        quality=quality,
        columns={"region": "region", "activity": "sic2007", "value": "employees", "time": None},
        totals=totals,
        labels=labels,
    )

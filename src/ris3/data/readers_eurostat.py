r"""Reader for Eurostat bulk-download TSV files (``.tsv`` / ``.tsv.gz``) and SDMX-CSV.

The format: a header ``key1,key2,...,geo\time`` then one column per period;
each cell is a number or ``:`` (not available) optionally followed by a space
and flag letters (``b`` break in series, ``c`` confidential, ``d`` definition
differs, ``e`` estimated, ``p`` provisional, ``u`` low reliability, ...), as
in ``"12.3 b"``, ``": c"`` or ``"4.0 bu"``.

SDMX-CSV files (the data browser's and the dissemination API's download:
``DATAFLOW, LAST UPDATE, freq, <dimensions>, TIME_PERIOD, OBS_VALUE,
OBS_FLAG``) are recognised by their header and read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ris3._validation import short_list
from ris3.data._sdmx_csv import is_sdmx_csv, sdmx_csv_to_tsv
from ris3.data.quality import ReadResult, assess, coverage_table
from ris3.data.readers import check_path, nuts_levels, read_text
from ris3.errors import DataFileError, InputError

__all__ = ["read_eurostat_tsv", "EUROSTAT_FLAGS"]

#: Flag letters Eurostat uses in bulk files and what they mean.
EUROSTAT_FLAGS: dict[str, str] = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "see metadata",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}


def _non_additive(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Rows holding rates, shares or per-head values (not sums of their parts).

    Eurostat SBS indicators V9xxxx are growth rates and shares; units starting
    with ``PC`` (percent) or containing ``HAB`` (per inhabitant, e.g.
    ``EUR_HAB_EU``) or ``RT`` (rate) are ratios too.
    """
    mask = np.zeros(len(frame), dtype=bool)
    if "indic_sb" in keys:
        mask |= frame["indic_sb"].str.startswith("V9").to_numpy()
    if "unit" in keys:
        u = frame["unit"]
        mask |= (u.str.startswith("PC") | u.str.contains("HAB") | u.str.contains("RT")).to_numpy()
    return mask


def _parse_header(line: str, p: Path) -> tuple[list[str], str, list[str]]:
    fields = line.rstrip("\r").split("\t")
    first = fields[0]
    if "\\" not in first or len(fields) < 2:
        raise DataFileError(
            f"{str(p)!r} is not a Eurostat bulk TSV: line 1 must start with key names like "
            f"'nace_r2,indic_sb,geo\\time' followed by tab-separated periods; got {first[:60]!r}"
        )
    key_part, time_name = first.rsplit("\\", 1)
    keys = [k.strip() for k in key_part.split(",")]
    if any(not k for k in keys) or len(set(keys)) != len(keys):
        raise DataFileError(f"{str(p)!r} line 1 has empty or repeated key names: {key_part!r}")
    periods = [f.strip() for f in fields[1:]]
    if any(not t for t in periods) or len(set(periods)) != len(periods):
        raise DataFileError(f"{str(p)!r} line 1 has empty or repeated period labels")
    return keys, time_name.strip(), periods


def read_eurostat_tsv(
    path: str | Path,
    *,
    filters: Mapping[str, str | Iterable[str]] | None = None,
    years: Iterable[int] | None = None,
    nuts_level: int | None = None,
    activity: str | None = "nace_r2",
    known_regions: Any = None,
    known_activities: Any = None,
    check_totals: bool = True,
    **key_filters: str | Iterable[str],
) -> ReadResult:
    r"""Read a Eurostat bulk TSV into a tidy table with values and flags apart.

    Parameters
    ----------
    path : str or Path
        A ``.tsv`` or ``.tsv.gz`` file as downloaded from Eurostat's bulk
        download service, or an SDMX-CSV file (``.csv``, ``.csv.gz``) from the
        data browser or the dissemination API: its dimension columns become
        the key columns (``freq`` included), ``OBS_VALUE`` and ``OBS_FLAG``
        the cell, and observations absent from it are ``:`` (NaN, no flag).
    filters : mapping, optional
        ``{key column: code or codes}`` to keep; applied before values are
        parsed, so reading a slice of a big file is fast.
    years : iterable of int, optional
        Periods to keep.
    nuts_level : int, optional
        Keep only ``geo`` codes at this NUTS level (0 = countries ... 3).
        Bulk files mix levels on purpose, so this filters rather than checks.
    activity : str or None, default "nace_r2"
        Key column holding the activity classification, for the report; None
        when the file has none.
    known_regions, known_activities : set, list, Series or classification, optional
        Codes to check against; unknown codes are listed in the report.
    check_totals : bool, default True
        Compare sums of NUTS-2 rows with the country row of the same file
        (additive indicators only) and report the coverage.
    **key_filters : str or iterable of str
        Same as ``filters``, as keywords: ``indic_sb=["V16110"]``.

    Returns
    -------
    ReadResult
        ``data`` has the key columns (str; the last key named as in the header,
        e.g. ``geo``), ``time`` (int when every period is a year, else str),
        ``value`` (float64, NaN where ``:``) and ``flag`` (the flag letters,
        ``""`` when none). Confidential cells are NaN with a ``c`` in ``flag``;
        nothing is set to zero.

    Raises
    ------
    DataFileError
        Missing, empty, corrupt or truncated file, a header that is not a
        Eurostat key header, a line whose key has the wrong number of parts or
        the wrong number of fields (the line number is named), or a cell that is
        neither a number nor ``:`` or carries unknown flags.
    InputError
        A filter names a column the file does not have.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
    >>> _ = p.write_text("nace_r2,indic_sb,geo\\time\t2014 \t2013 \n"
    ...                  "C,V16110,AT\t12.5 b\t: c\nC,V16110,AT33\t4 \t: \n")
    >>> res = read_eurostat_tsv(p)
    >>> res.data[["geo", "time", "value"]]
        geo  time  value
    0    AT  2014   12.5
    1    AT  2013    NaN
    2  AT33  2014    4.0
    3  AT33  2013    NaN
    >>> res.data["flag"].tolist()
    ['b', 'c', '', '']
    """
    p = check_path(path)
    text = read_text(p)
    if is_sdmx_csv(text.partition("\n")[0]):
        text = sdmx_csv_to_tsv(text, p)
    header, _, rest = text.partition("\n")
    keys, _time_name, periods = _parse_header(header, p)
    n_fields = len(periods) + 1
    if rest.endswith("\n"):
        rest = rest[:-1]
    if not rest:
        raise DataFileError(f"{str(p)!r} has a header but no data lines")
    # Lines, fields and key parts are split by Arrow kernels (vectorised, no Python loop).
    lines = pc.list_flatten(pc.split_pattern(pa.array([rest], type=pa.string()), "\n"))
    if "\r" in rest:
        lines = pc.utf8_rtrim(lines, characters="\r")
    line_no = np.arange(len(lines), dtype=np.int64) + 2
    fields = pc.split_pattern(lines, "\t")
    n_got = pc.list_value_length(fields).to_numpy(zero_copy_only=False)
    wrong = n_got != n_fields
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise DataFileError(
            f"{str(p)!r} line {line_no[i]} has {n_got[i]} tab-separated field(s); "
            f"the header has {n_fields}"
        )
    key_text = pc.list_element(fields, 0)
    key_split = pc.split_pattern(key_text, ",")
    n_parts = pc.list_value_length(key_split).to_numpy(zero_copy_only=False)
    bad = n_parts != len(keys)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFileError(
            f"{str(p)!r} line {line_no[i]}: key {key_text[i].as_py()[:80]!r} has {n_parts[i]} "
            f"part(s) but the header names {len(keys)} ({','.join(keys)}); "
            f"{int(bad.sum())} line(s) are malformed"
        )
    key_arrays = {
        k: pc.utf8_trim_whitespace(pc.list_element(key_split, j)) for j, k in enumerate(keys)
    }

    wanted: dict[str, Any] = dict(filters or {})
    overlap = set(wanted) & set(key_filters)
    if overlap:
        raise InputError(
            f"filter(s) {short_list(sorted(overlap))} given twice (filters= and keyword)"
        )
    wanted.update(key_filters)
    keep = np.ones(len(lines), dtype=bool)
    for k, codes in wanted.items():
        if k not in keys:
            raise InputError(
                f"filter {k}= names no key column of {p.name!r}; key columns: {short_list(keys)}"
            )
        codes_list = [codes] if isinstance(codes, str) else [str(c) for c in codes]
        wanted_codes = pa.array(codes_list, type=pa.string())
        present = pc.unique(key_arrays[k])
        found = pc.is_in(wanted_codes, value_set=present).to_numpy(zero_copy_only=False)
        if not found.all():
            absent = [c for c, ok in zip(codes_list, found, strict=True) if not ok]
            raise InputError(
                f"filter {k}= code(s) {short_list(absent)} are not in {p.name!r}; "
                f"its {k} codes include {short_list(sorted(present.to_pylist()), 8)}"
            )
        keep &= pc.is_in(key_arrays[k], value_set=wanted_codes).to_numpy(zero_copy_only=False)
    geo = keys[-1]
    if nuts_level is not None:
        from ris3._validation import check_number

        check_number("nuts_level", nuts_level, low=0, high=3, integer=True)
        if geo != "geo":
            raise InputError(f"nuts_level= needs a 'geo' key column; {p.name!r} has {keys}")
        keep &= nuts_levels(key_arrays[geo].to_pandas()) == nuts_level

    period_idx = np.arange(len(periods))
    if years is not None:
        if isinstance(years, str | int):
            years = [years]  # type: ignore[list-item]
        want_years = {str(y).strip() for y in years}
        absent_years = sorted(want_years - set(periods))
        if absent_years:
            raise InputError(
                f"years {short_list(absent_years)} are not periods of {p.name!r}; it has "
                f"{periods[-1]}..{periods[0]}"
                if len(periods) > 1
                else f"{periods}"
            )
        period_idx = np.array([i for i, t in enumerate(periods) if t in want_years], dtype=int)
    rows = np.flatnonzero(keep)
    n_rows, n_per = rows.size, period_idx.size
    if n_rows == 0 or n_per == 0:
        raise InputError(
            f"no line of {p.name!r} matches the filters"
            + (f" and NUTS level {nuts_level}" if nuts_level is not None else "")
        )

    # the cells of the kept lines and periods, row-major; each distinct text parsed once
    flat = pc.list_flatten(fields.take(pa.array(rows, type=pa.int64())))
    take = (np.arange(n_rows)[:, None] * n_fields + 1 + period_idx[None, :]).ravel()
    cells = flat.take(pa.array(take, type=pa.int64()))
    encoded = pc.dictionary_encode(cells)
    cell_code = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    uniq = encoded.dictionary.to_numpy(zero_copy_only=False)
    parts = pd.Series(uniq, dtype=object).str.strip().str.partition(" ")
    number = parts[0]
    uflags = parts[2].str.replace(" ", "", regex=False)
    uvalue = pd.to_numeric(number.where(number != ":"), errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    unparsed = np.isnan(uvalue) & (number != ":").to_numpy()
    # a flag-only cell without ':' (e.g. "c") is how some files mark confidential cells
    flag_only = (
        unparsed
        & number.str.fullmatch(f"[{''.join(EUROSTAT_FLAGS)}]+").fillna(False).to_numpy(dtype=bool)
        & (parts[2] == "").to_numpy()
    )
    if flag_only.any():
        uflags = uflags.where(~flag_only, number)
        unparsed &= ~flag_only
    if unparsed.any():
        i = int(np.flatnonzero(unparsed[cell_code])[0])
        r, t = divmod(i, n_per)
        raise DataFileError(
            f"{str(p)!r} line {line_no[rows[r]]}, period {periods[period_idx[t]]}: cell "
            f"{cells[i].as_py()!r} is neither a number nor ':' (with optional flags)"
        )
    allowed = "".join(EUROSTAT_FLAGS)
    odd = uflags.str.contains(f"[^{allowed}]", regex=True).to_numpy(dtype=bool)
    if odd.any():
        i = int(np.flatnonzero(odd[cell_code])[0])
        r, t = divmod(i, n_per)
        raise DataFileError(
            f"{str(p)!r} line {line_no[rows[r]]}, period {periods[period_idx[t]]}: cell "
            f"{cells[i].as_py()!r} has unknown flag(s); Eurostat flags are "
            f"{', '.join(EUROSTAT_FLAGS)}"
        )
    value = uvalue[cell_code]
    _int, dot, decimals = number.str.partition(".").T.to_numpy()
    urounding = 10.0 ** -np.where(dot == ".", pd.Series(decimals).str.len().to_numpy(), 0)
    flag_col = pd.Series(pd.array(uflags.to_numpy(dtype=object), dtype="str")).take(cell_code)

    sel = [periods[i] for i in period_idx]
    if all(t.isdigit() for t in sel):
        time_values: np.ndarray = np.array([int(t) for t in sel], dtype=np.int64)
    else:
        time_values = np.array(sel, dtype=object)
    repeat = pa.array(np.repeat(rows, n_per), type=pa.int64())
    out = pd.DataFrame({k: key_arrays[k].take(repeat).to_pandas() for k in keys})
    out["time"] = np.tile(time_values, n_rows)
    out["value"] = value
    out["flag"] = flag_col.reset_index(drop=True)
    rounding = urounding[cell_code]

    notes = []
    if wanted:
        notes.append("filters: " + "; ".join(f"{k}={v!r}" for k, v in wanted.items()))
    if years is not None:
        notes.append(f"kept periods {', '.join(sel) if sel else '(none)'}")
    if nuts_level is not None:
        notes.append(f"kept NUTS level {nuts_level} only")
    extra = [k for k in keys if k not in (geo, activity)]
    act = activity if activity in keys else None
    additive = ~_non_additive(out, keys)
    coverage = None
    if check_totals and geo == "geo" and len(out):
        coverage = _nuts_coverage(out[additive].assign(_unit=rounding[additive]), keys)
    quality = assess(
        out,
        region=geo,
        activity=act if act is not None else geo,
        value="value",
        time="time",
        flag="flag",
        keys=extra,
        size_mask=additive,
        known_regions=known_regions,
        known_activities=known_activities,
        coverage=coverage,
        source=str(p),
        notes=notes,
    )
    if act is None:
        quality.by_activity = quality.by_activity.iloc[0:0]
        quality.activities = 0
    return ReadResult(
        data=out,
        quality=quality,
        columns={"region": geo, "activity": act, "value": "value", "time": "time"},
    )


def _nuts_coverage(data: pd.DataFrame, keys: list[str]) -> pd.DataFrame | None:
    """NUTS-2 sums against the country row of the same file, per group."""
    levels = nuts_levels(data["geo"])
    national = data[levels == 0]
    parts = data[levels == 2]
    if national.empty or parts.empty:
        return None
    parts = parts.assign(geo=parts["geo"].str.slice(0, 2))
    on = [k for k in keys] + ["time"]
    cov = coverage_table(parts, national, on=on, value="value", unit="_unit")
    return cov

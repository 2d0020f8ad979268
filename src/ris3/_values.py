"""One numeric validation for every value column ris3 reads.

Real, finite numbers only (booleans, durations, dates and complex numbers
are refused), sums that fit in float64, periods that do not mix years with
text, keys that are present; negative values can be warned about where they
are summed as they are. Messages name the column and the row (file line
when the table came from a file).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ris3._table_io import row_ref
from ris3.errors import InputError

__all__ = ["numeric_values", "check_sums", "check_keys", "check_periods", "warn_negative"]


def _show(v: object) -> str:
    """Return the repr without numpy wrappers: 2008 rather than np.int64(2008)."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_show(k)}: {_show(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_show(x) for x in v) + "]"
    return repr(v)


def _is_bad_scalar(v: object) -> bool:
    return isinstance(v, bool | np.bool_ | complex | np.complexfloating | np.timedelta64) or (
        isinstance(v, pd.Timedelta | pd.Timestamp | np.datetime64)
    )


def numeric_values(df: pd.DataFrame, value: str, role: str = "value") -> np.ndarray:
    """Return the value column as float64, refusing anything that is not a real number.

    Booleans, timedeltas, dates and complex numbers are refused (they would
    silently become 0/1, nanoseconds or a real part); so are infinities and
    nonzero values too small for a share to be computed (subnormal floats).
    Missing values come back as NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> numeric_values(pd.DataFrame({"v": [1, None]}), "v")
    array([ 1., nan])
    """
    raw = df[value]
    dt = raw.dtype
    kind = getattr(dt, "kind", "O")
    if pd.api.types.is_bool_dtype(raw) or kind in "bmMc":
        what = {"b": "true/false", "m": "durations", "M": "dates", "c": "complex numbers"}
        raise InputError(
            f"column {value!r} ({role}=) must hold real numbers; it holds "
            f"{what.get(kind, 'true/false')} ({dt})"
        )
    if not pd.api.types.is_numeric_dtype(raw):
        odd = raw.map(_is_bad_scalar).to_numpy(dtype=bool)
        if odd.any():
            i = int(np.flatnonzero(odd)[0])
            raise InputError(
                f"column {value!r} ({role}=) must hold real numbers; {row_ref(df, i)} "
                f"is {_show(raw.iloc[i])} ({type(raw.iloc[i]).__name__})"
            )
        coerced = pd.to_numeric(raw, errors="coerce")
        bad = (raw.notna() & coerced.isna()).to_numpy()
        if bad.any():
            idx = np.flatnonzero(bad)
            raise InputError(
                f"column {value!r} ({role}=) must be numeric; {idx.size} row(s) are not, "
                f"e.g. {row_ref(df, int(idx[0]))} = {_show(raw.iloc[idx[0]])}. Convert or "
                "remove them (Eurostat flags such as ':' or 'c' are read by "
                "ris3.data.read_eurostat_tsv)"
            )
        raw = coerced
    vals = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    inf = np.isinf(vals)
    if inf.any():
        i = int(np.flatnonzero(inf)[0])
        raise InputError(
            f"column {value!r} must be finite; {int(inf.sum())} row(s) are not, e.g. "
            f"{row_ref(df, i)} = {_show(vals[i])}"
        )
    tiny = (vals != 0) & (np.abs(vals) < np.finfo(np.float64).tiny)
    if tiny.any():
        i = int(np.flatnonzero(tiny)[0])
        raise InputError(
            f"column {value!r} has {int(tiny.sum())} nonzero value(s) below "
            f"{np.finfo(np.float64).tiny:.3g} in magnitude, e.g. {row_ref(df, i)} = "
            f"{_show(vals[i])}; shares of such values cannot be computed: rescale the column"
        )
    return vals


def check_sums(
    df: pd.DataFrame, value: str, vals: np.ndarray, groups: np.ndarray | None = None
) -> None:
    """Raise InputError when the values (per period) sum beyond float64.

    Totals, shares and LQs need the sum of all values; when it overflows
    every result would be inf or 0, so the largest cells are named instead.
    """
    mags = np.abs(np.nan_to_num(vals, nan=0.0))
    with np.errstate(over="ignore", invalid="ignore"):
        if groups is None:
            ok = bool(np.isfinite(mags.sum()))
        else:
            totals = pd.Series(mags).groupby(pd.Series(groups).to_numpy()).sum()
            ok = bool(np.isfinite(totals.to_numpy()).all())
    if not ok:
        top = np.argsort(-mags, kind="stable")[:3]
        cells = ", ".join(f"{row_ref(df, int(i))} = {_show(vals[i])}" for i in top)
        raise InputError(
            f"column {value!r}: the values sum beyond the largest float "
            f"({np.finfo(np.float64).max:.3g}), so totals and shares cannot be computed; "
            f"largest cells: {cells}. Rescale the column (e.g. to thousands)"
        )


def check_keys(df: pd.DataFrame, key_cols: Sequence[str]) -> None:
    """Raise InputError naming the first row whose key (region, activity, time) is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> check_keys(pd.DataFrame({"geo": ["A", "B"]}), ["geo"])
    """
    for c in key_cols:
        nk = df[c].isna().to_numpy()
        if nk.any():
            raise InputError(
                f"column {c!r} has {int(nk.sum())} missing key(s), e.g. "
                f"{row_ref(df, int(np.flatnonzero(nk)[0]))}; every row needs a {c!r}"
            )


def warn_negative(df: pd.DataFrame, value: str, vals: np.ndarray, action: str) -> None:
    """Warn (DataQualityWarning) that ``value`` has negative entries, naming one."""
    import warnings

    from ris3.errors import DataQualityWarning

    neg = np.flatnonzero(vals < 0)
    if neg.size:
        warnings.warn(
            f"column {value!r} has {neg.size} negative value(s), e.g. "
            f"{row_ref(df, int(neg[0]))} = {_show(vals[neg[0]])}; {action}",
            DataQualityWarning,
            stacklevel=3,
        )


def check_periods(df: pd.DataFrame, time: str) -> None:
    """Raise InputError when a time column mixes numbers with other text.

    ``2013`` next to ``2013a`` is a typo, not a period of its own.
    """
    col = df[time]
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        return
    text = col.dropna().astype(str).str.strip()
    numeric = pd.to_numeric(text, errors="coerce").notna().to_numpy()
    if numeric.any() and not numeric.all():
        pos = int(np.flatnonzero(~numeric)[0])
        i = int(df.index.get_indexer([text.index[pos]])[0])
        raise InputError(
            f"column {time!r} (time=) mixes years with other text: {row_ref(df, i)} is "
            f"{_show(text.iloc[pos])} while other rows are numbers; fix the typo or "
            "use one format for every period"
        )

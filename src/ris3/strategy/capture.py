"""Signs of capture: how concentrated participation and inputs are, and who holds them.

The report: "strategies to avoid capture by vested interests are critical
for the success of S3" (``clusters-and-s3-report.txt`` lines 116 and 1949;
the open question at line 953); "the strong voice given to existing cluster
incumbents may constitute a blocking factor for a wider search for
priorities in other domains, where stakeholders are less easily identified
and/or have a weaker voice" (lines 2020-2023); the platform must reflect
"the voice of the 'not-yet-existing' emerging activities", not only "the
entrenched interests of the existing strong clusters" (lines 1877-1881);
and the incumbents' "vested interest ... in the status quo" (lines 831-833).
The indicators below measure those warnings on the attendance records.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option
from ris3.errors import DegenerateDataWarning, InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing

__all__ = ["CAPTURE_THRESHOLDS", "capture_indicators"]

#: Default thresholds: an indicator above its threshold is flagged.
CAPTURE_THRESHOLDS: dict[str, float] = {
    "herfindahl": 0.25,
    "top3_share": 0.5,
    "incumbent_share": 0.75,
    "interest_share": 0.5,
}

_HHI_SOURCE = (
    "Herfindahl (1950), Hirschman (1945); threshold 0.25 = 'highly concentrated' "
    "markets in the US Horizontal Merger Guidelines (2010); capture: report lines 116, 953"
)
_TOP3_SOURCE = (
    "concentration ratio CR3 (industrial organisation); threshold 0.5 is a ris3 convention; "
    "capture: report lines 116, 953"
)
_INCUMBENT_SOURCE = (
    "incumbents' voice blocking the search for new domains: report lines 1877-1881, 2020-2023; "
    "threshold 0.75 is a ris3 convention"
)
_INTEREST_SOURCE = (
    "vested interests: report lines 116, 831-833, 953; threshold 0.5 is a ris3 convention"
)


def capture_indicators(
    attendance: pd.DataFrame,
    *,
    organisation: str = "organisation",
    cluster: str | None = None,
    incumbent: str | None = None,
    inputs: str | None = None,
    interests: str | None = None,
    person: str = "stakeholder",
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Concentration of participation and inputs, incumbents' share, declared interests.

    Parameters
    ----------
    attendance : DataFrame
        One row per (engagement, person) attending, with the person's
        organisation (and the optional columns below).
    organisation : str, default "organisation"
        Column of the organisation (every row needs one).
    cluster : str, optional
        Column of the organisation's cluster or domain; rows without one are
        left out of the cluster indicators (and counted in ``rows``).
    incumbent : str, optional
        Boolean column: True where the organisation belongs to one of the
        region's existing specialisations, False for newcomers; empty =
        unknown, left out.
    inputs : str, optional
        Numeric column of the inputs each attendance produced (proposals,
        comments...); empty = unknown, left out (never 0).
    interests : str, optional
        Boolean column: True where the person has declared an interest
        (a person counts once; empty = not known).
    person : str, default "stakeholder"
        Column of the person's id, used with ``interests``.
    thresholds : mapping, optional
        Overrides of :data:`CAPTURE_THRESHOLDS` by indicator name.

    Returns
    -------
    DataFrame
        One row per indicator: ``indicator``, ``scope`` (what is measured,
        e.g. "participation by organisation"), ``value``, ``threshold``,
        ``flagged`` (value > threshold; NA where the value is undefined or
        there is no threshold), ``units`` (organisations, clusters or persons
        counted), ``rows`` (attendance rows the value uses), ``definition``
        and ``source``.

    Notes
    -----
    With ``x_g`` the participation (attendances: a person at 3 events counts
    3 times, the voice in the room) or the inputs of group ``g`` and
    ``s_g = x_g / sum x``:

    * ``herfindahl`` = ``sum_g s_g**2`` (Herfindahl-Hirschman index on 0-1):
      1/n when n groups take equal part, 1 when one group takes all. Flagged
      above 0.25, the US Horizontal Merger Guidelines' (2010) "highly
      concentrated" level (2,500 on their 0-10,000 scale).
    * ``top3_share`` = the sum of the three largest ``s_g`` (CR3); flagged
      above 0.5 (half of the voice from three organisations).
    * ``incumbent_share`` = participation (or inputs) of incumbents over that
      of organisations with a known status; newcomers hold the rest.
      Flagged above 0.75 (the report warns that incumbents' voice can block
      new domains, lines 2020-2023, but gives no number).
    * ``declared_interests`` = persons with a declared interest;
      ``interest_share`` = that over persons whose status is known; flagged
      above 0.5.

    The thresholds other than Herfindahl's are conventions of ris3, to be
    set by the strategy's team; the flags point at something to look at,
    not at proof of capture. A total of 0 makes shares undefined (NaN, with a
    :class:`~ris3.errors.DegenerateDataWarning`).

    Raises
    ------
    InputError
        A column is missing, organisation or person cells are empty, inputs
        are negative or not numbers, a boolean column has other values, or a
        threshold is unknown or not a number.

    Examples
    --------
    >>> import pandas as pd
    >>> att = pd.DataFrame({"organisation": ["A", "A", "B", "C"], "incumbent": [True, True, False, None]})
    >>> capture_indicators(att, incumbent="incumbent")[["indicator", "scope", "value", "flagged"]]
             indicator                          scope     value  flagged
    0       herfindahl  participation by organisation  0.375000     True
    1       top3_share  participation by organisation  1.000000     True
    2  incumbent_share                  participation  0.666667    False
    """
    df = require_frame(attendance, "attendance")
    require_columns(
        df,
        "attendance",
        organisation=organisation,
        cluster=cluster,
        incumbent=incumbent,
        inputs=inputs,
        interests=interests,
    )
    if interests is not None:
        require_columns(df, "attendance", person=person)
    require_no_missing(df, "attendance", [organisation] + ([person] if interests else []))
    limits = _thresholds(thresholds)
    values = _inputs(df, inputs) if inputs is not None else None
    rows: list[dict[str, object]] = []

    def concentration(weights: pd.Series, groups: pd.Series, scope: str, what: str) -> None:
        use = groups.notna() & weights.notna()
        totals = weights[use].groupby(groups[use], sort=False).sum()
        total = float(totals.sum())
        n = len(totals)
        if total > 0:
            shares = np.sort(totals.to_numpy(dtype=float) / total)[::-1]
            hhi, top3 = float(np.sum(shares**2)), float(np.sum(shares[:3]))
        else:
            hhi = top3 = np.nan
            warnings.warn(
                f"{scope}: the total is 0, so shares are undefined (NaN)",
                DegenerateDataWarning,
                stacklevel=3,
            )
        rows.append(
            _row(
                "herfindahl", scope, hhi, limits, n, int(use.sum()),
                f"sum over {what} of the squared share of {scope.split(' by ')[0]}", _HHI_SOURCE,
            )
        )  # fmt: skip
        rows.append(
            _row(
                "top3_share", scope, top3, limits, n, int(use.sum()),
                f"share of {scope.split(' by ')[0]} of the three largest {what}", _TOP3_SOURCE,
            )
        )  # fmt: skip

    ones = pd.Series(1.0, index=df.index)
    concentration(ones, df[organisation], "participation by organisation", "organisations")
    if cluster is not None:
        concentration(ones, df[cluster], "participation by cluster", "clusters")
    if values is not None:
        concentration(values, df[organisation], "inputs by organisation", "organisations")
        if cluster is not None:
            concentration(values, df[cluster], "inputs by cluster", "clusters")
    if incumbent is not None:
        status = _boolean(df, incumbent)
        for weights, scope in ((ones, "participation"), (values, "inputs")):
            if weights is None:
                continue
            use = status.notna() & weights.notna()
            total = float(weights[use].sum())
            inc = float(weights[use & (status == True)].sum())  # noqa: E712
            value = inc / total if total > 0 else np.nan
            n = df.loc[use, organisation].nunique()
            rows.append(
                _row(
                    "incumbent_share", scope, value, limits, n, int(use.sum()),
                    f"{scope} of organisations in the region's existing specialisations over "
                    f"{scope} of organisations with a known status", _INCUMBENT_SOURCE,
                )
            )  # fmt: skip
    if interests is not None:
        declared = _boolean(df, interests)
        known = declared.notna()
        per_person = declared[known].astype(bool).groupby(df.loc[known, person], sort=False).any()
        count = int(per_person.sum())
        n = len(per_person)
        rows.append(
            _row(
                "declared_interests", "participants", float(count), None, n, int(known.sum()),
                "persons who declared an interest", _INTEREST_SOURCE,
            )
        )  # fmt: skip
        rows.append(
            _row(
                "interest_share", "participants", count / n if n else np.nan, limits, n,
                int(known.sum()),
                "persons who declared an interest over persons whose status is known",
                _INTEREST_SOURCE,
            )
        )  # fmt: skip
    out = pd.DataFrame(rows)
    out["flagged"] = out["flagged"].astype("boolean")
    return out


def _row(
    indicator: str,
    scope: str,
    value: float,
    limits: dict[str, float] | None,
    units: int,
    rows: int,
    definition: str,
    source: str,
) -> dict[str, object]:
    threshold = limits.get(indicator, np.nan) if limits is not None else np.nan
    flagged = pd.NA if np.isnan(value) or np.isnan(threshold) else bool(value > threshold)
    return {
        "indicator": indicator,
        "scope": scope,
        "value": value,
        "threshold": threshold,
        "flagged": flagged,
        "units": units,
        "rows": rows,
        "definition": definition,
        "source": source,
    }


def _thresholds(given: Mapping[str, float] | None) -> dict[str, float]:
    limits = dict(CAPTURE_THRESHOLDS)
    for key, value in (given or {}).items():
        check_option("thresholds key", key, tuple(CAPTURE_THRESHOLDS))
        limits[key] = float(check_number(f"thresholds[{key!r}]", value, low=0))
    return limits


def _inputs(df: pd.DataFrame, col: str) -> pd.Series:
    raw = df[col]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna()
    if bad.any():
        raise InputError(
            f"attendance column {col!r} (given as inputs=) must hold numbers; "
            f"got {raw[bad].iloc[0]!r} and {int(bad.sum()) - 1} more"
        )
    if (values < 0).any():
        raise InputError(
            f"attendance column {col!r} (given as inputs=) must be >= 0; got {values.min():g}"
        )
    return values.astype(float)


def _boolean(df: pd.DataFrame, col: str) -> pd.Series:
    """Return the column as True/False/NA; other values raise (no guessing)."""
    raw = df[col]
    ok = raw.isna() | raw.map(lambda v: isinstance(v, bool | np.bool_))
    if not ok.all():
        raise InputError(
            f"attendance column {col!r} must hold True, False or empty cells; "
            f"got {raw[~ok].iloc[0]!r}"
        )
    return raw.astype("boolean")

"""Estimate suppressed (confidential) cells within published margins.

Statistical offices suppress small cells but publish the aggregates they
belong to: in Eurostat's regional business statistics, the NACE section of
each region and the national (NUTS-0) row of each division. The published
margins bound the missing cells: in each region, the divisions of a section
sum to the section; in each division, the regions of a country sum to the
country. :func:`estimate_suppressed` fills the missing cells so that they
add up to the gaps those margins leave, by iterative proportional fitting
(biproportional scaling) of the missing cells:

1. gap of a margin = published value - sum of the observed cells in it
   (a negative gap, from rounding, is set to 0 and reported);
2. every missing cell starts at 1 (or at ``prior``); the cells of each
   margin with a published value are scaled in turn so that they sum to its
   gap, first the region margins (countries), then the activity margins
   (a region's sections, which therefore hold exactly wherever the cells
   allow), until the largest residual relative to the published margin is
   below ``tol`` or the estimates stop changing;
3. a missing cell whose margins are both missing (or not given) stays
   missing: nothing bounds it. A margin is used only when every child of
   its parent (every activity of the section, every region of the country,
   as listed by the parent mapping or found in the data) has a row in that
   period; otherwise the absent children's share would be spread over the
   others.

The approach follows the literature on filling suppressed County Business
Patterns cells from the published hierarchy of totals (Isserman and
Westervelt 2006; Eckert, Fort, Schott and Yang 2020), here with the two
published margins of the European data and proportional fitting instead of
linear programming. Estimates are marked ``estimated = True``; they are
estimates, not data, and every ris3 table that carries them keeps the mark.

References
----------
Isserman, A. M. and Westervelt, J. (2006). 1.5 million missing numbers:
overcoming employment suppression in County Business Patterns data.
International Regional Science Review, 29(3), 311-335.

Eckert, F., Fort, T. C., Schott, P. K. and Yang, N. J. (2020). Imputing
missing values in the US Census Bureau's County Business Patterns. NBER
Working Paper 26632.

Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a
sampled frequency table when the expected marginal totals are known. Annals
of Mathematical Statistics, 11(4), 427-444.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.data.totals import _check_columns, parent_codes
from ris3.errors import InputError

__all__ = ["SuppressedEstimate", "estimate_suppressed"]


@dataclass
class SuppressedEstimate:
    """Result of :func:`estimate_suppressed`.

    Attributes
    ----------
    data : DataFrame
        The input table with missing cells filled where the margins allow
        and a boolean column ``estimated`` (True exactly on filled cells,
        or on cells already marked in an ``estimated`` column of the input).
    residuals : DataFrame
        One row per published margin that has a missing cell or a negative
        gap: ``margin`` (``"activity"``: the activity aggregate of a region,
        ``"region"``: the parent region of an activity), the key columns
        (region, activity [, time]: the margin's codes), ``published``,
        ``observed`` (sum of its observed cells), ``estimated`` (sum of its
        filled cells), ``residual`` (published - observed - estimated) and
        ``relative_residual`` (residual / published).
    n_missing, n_filled, n_left_missing : int
        Missing cells in the input; cells filled; cells left missing
        because none of their margins is published.
    n_negative_gaps : int
        Margins whose observed cells already exceed the published value
        (their missing cells are estimated as 0).
    n_incomplete_margins : int
        Published margins not used because a child of theirs has no row in
        the data (e.g. a region absent in that year): their gap would be
        spread over the children present.
    iterations : int
    converged : bool
        Whether the largest relative residual fell below ``tol``. Published
        margins that contradict each other (rounding, different sources)
        cannot all hold; fitting then stops when the estimates no longer
        change and the residuals say where.
    """

    data: pd.DataFrame
    residuals: pd.DataFrame
    n_missing: int
    n_filled: int
    n_left_missing: int
    n_negative_gaps: int
    n_incomplete_margins: int
    iterations: int
    converged: bool

    def tidy(self) -> pd.DataFrame:
        """Return the filled table (``data``)."""
        return self.data

    @property
    def max_relative_residual(self) -> float:
        """Largest ``|relative_residual|`` over the margins (0 when there are none)."""
        r = self.residuals["relative_residual"].abs()
        return float(r.max()) if len(r) and r.notna().any() else 0.0

    def summary(self) -> str:
        """One paragraph: cells filled, left missing, residuals, convergence."""
        return (
            f"{self.n_filled} of {self.n_missing} missing cells estimated within published "
            f"margins; {self.n_left_missing} left missing (no published margin bounds them); "
            f"{self.n_negative_gaps} margin(s) already exceeded by their observed cells; "
            f"{self.n_incomplete_margins} margin(s) not used (children absent from the data); "
            "largest "
            f"relative margin residual {self.max_relative_residual:.2e} after "
            f"{self.iterations} iteration(s){'' if self.converged else ' (not converged)'}."
        )


def _children(data: pd.DataFrame, column: str, parent: object, codes: pd.Series) -> pd.Series:
    """Count the children of each parent code: in the mapping, or in the data for a column."""
    if isinstance(parent, pd.DataFrame):
        table = parent[["child", "parent"]].drop_duplicates()
        return table.groupby("parent")["child"].nunique()
    if isinstance(parent, pd.Series | Mapping):
        m = pd.Series(parent)
        return pd.Series(m.index, index=m.to_numpy()).groupby(level=0).nunique()
    return (
        pd.DataFrame({"c": data[column].to_numpy(), "p": codes.to_numpy()})
        .groupby("p")["c"]
        .nunique()
    )


def _margin(
    data: pd.DataFrame,
    keys_of_cells: pd.DataFrame,
    margins: pd.DataFrame,
    key_cols: list[str],
    value: str,
    what: str,
    parent_col: str,
    n_children: pd.Series,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Return each margin's published value, a margin id per cell (-1: none), the incomplete count.

    A margin is used only when every child of its parent has a row in the
    data (in the period): a region or activity absent from the table is
    unknown, and the margin's gap would otherwise be spread over the others.
    """
    _check_columns(margins, [*key_cols, value], what)
    dup = margins.duplicated(subset=key_cols, keep=False)
    if dup.any():
        raise InputError(
            f"{what} has {int(dup.sum())} duplicated {' x '.join(key_cols)} rows, e.g. "
            f"{margins.loc[dup, key_cols].head(2).to_dict('records')}"
        )
    vals = pd.to_numeric(margins[value], errors="coerce")
    bad = (vals < 0) | np.isinf(vals)
    if bad.any():
        raise InputError(
            f"{what} column {value!r} must be finite and >= 0; {int(bad.sum())} row(s) are not, "
            f"e.g. {margins.loc[bad, key_cols].head(2).to_dict('records')}"
        )
    table = margins[key_cols].assign(_published=vals.astype(np.float64).to_numpy())
    table = table[table["_published"].notna()].reset_index(drop=True)
    table["_id"] = np.arange(len(table))
    merged = keys_of_cells.merge(table, on=key_cols, how="left")
    if merged["_id"].notna().sum() == 0:
        raise InputError(
            f"{what} matches no cell of data on {short_list(key_cols)}; check that its codes "
            "are the parents of the data's codes"
        )
    ids = merged["_id"].fillna(-1).to_numpy(dtype=np.int64)
    rows = np.bincount(ids[ids >= 0], minlength=len(table))
    expected = table[parent_col].map(n_children).fillna(0).to_numpy()
    incomplete = (rows > 0) & (rows < expected)
    ids = np.where((ids >= 0) & incomplete[np.maximum(ids, 0)], -1, ids)
    return ids, table["_published"].to_numpy(), int(incomplete.sum())


def _scale(x: np.ndarray, ids: np.ndarray, gap: np.ndarray) -> None:
    """Scale the cells of each margin (ids >= 0) so that they sum to its gap, in place."""
    has = ids >= 0
    sums = np.bincount(ids[has], weights=x[has], minlength=len(gap))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(sums > 0, gap / sums, 1.0)
    x[has] *= factor[ids[has]]


def _residual(x: np.ndarray, ids: np.ndarray, gap: np.ndarray, published: np.ndarray) -> float:
    has = ids >= 0
    if not has.any():
        return 0.0
    sums = np.bincount(ids[has], weights=x[has], minlength=len(gap))
    touched = np.bincount(ids[has], minlength=len(gap)) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(sums - gap) / np.where(published > 0, published, 1.0)
    return float(rel[touched].max()) if touched.any() else 0.0


def estimate_suppressed(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    activity_margins: pd.DataFrame | None = None,
    activity_parent: object = None,
    region_margins: pd.DataFrame | None = None,
    region_parent: object = None,
    prior: str | None = None,
    max_iter: int = 1000,
    tol: float = 1e-9,
) -> SuppressedEstimate:
    """Fill missing (confidential) cells within published margins, marking them ``estimated``.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time]; the cells to
        estimate are rows whose value is NaN. Absent rows are not added.
    region, activity, value : str
        Column names.
    time : str, optional
        Column of periods; margins are matched per period.
    activity_margins : DataFrame, optional
        Published aggregates of activities in each region (e.g. NACE
        sections by region), with the columns ``region``, ``activity`` (the
        aggregate's code), ``value`` [, ``time``]; NaN where not published.
    activity_parent : str or mapping
        The aggregate of each activity: a column of ``data`` or a mapping
        child -> parent (dict, Series, DataFrame ``child``/``parent``).
        Required with ``activity_margins``.
    region_margins : DataFrame, optional
        Published values of each activity in parent regions (e.g. NUTS-0
        rows by division): columns ``region`` (the parent's code),
        ``activity``, ``value`` [, ``time``].
    region_parent : str or mapping
        The parent of each region: a column of ``data`` or a mapping region
        -> parent. Required with ``region_margins``.
    prior : str, optional
        Column of ``data`` with a positive starting value for each missing
        cell (e.g. the same cell in another year); default 1 for all. Cells
        whose prior is missing or not positive start at the median prior of
        the others.
        Proportional fitting keeps the prior's pattern where the margins
        leave room.
    max_iter : int, default 1000
        Maximum number of fitting rounds (one round scales both margins).
    tol : float, default 1e-9
        Stop when every margin's residual is below ``tol`` x its published value.

    Returns
    -------
    SuppressedEstimate
        ``.data`` (the filled table with ``estimated``), ``.residuals`` and
        counts; ``.summary()`` says what was done.

    Raises
    ------
    InputError
        No margin given, a margin without its parent mapping, margins with
        absent columns, duplicated keys, negative values, or no match in the
        data; invalid ``max_iter``, ``tol`` or ``prior``.
    ClassificationError
        An activity or region without a parent.

    Examples
    --------
    One region, one section (100 persons) with two divisions, one of them
    confidential: the estimate is the section's remainder.

    >>> df = pd.DataFrame({"geo": ["R", "R"], "nace": ["C10", "C11"],
    ...                    "emp": [70.0, None]})
    >>> sections = pd.DataFrame({"geo": ["R"], "nace": ["C"], "emp": [100.0]})
    >>> est = estimate_suppressed(df, region="geo", activity="nace", value="emp",
    ...                           activity_margins=sections,
    ...                           activity_parent={"C10": "C", "C11": "C"})
    >>> est.data
      geo nace   emp  estimated
    0   R  C10  70.0      False
    1   R  C11  30.0       True
    """
    if activity_margins is None and region_margins is None:
        raise InputError(
            "give published margins to estimate within: activity_margins= (with "
            "activity_parent=) and/or region_margins= (with region_parent=)"
        )
    for margins, parent, m_name, p_name in (
        (activity_margins, activity_parent, "activity_margins", "activity_parent"),
        (region_margins, region_parent, "region_margins", "region_parent"),
    ):
        if margins is not None and parent is None:
            raise InputError(f"{m_name}= needs {p_name}= (a column of data or a mapping)")
    check_number("max_iter", max_iter, low=1, integer=True)
    check_number("tol", tol, low=0, low_inclusive=False)
    keys = [region] + ([time] if time is not None else [])
    _check_columns(data, [*keys, activity, value], "data")
    x_all = pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=np.float64)
    if (x_all < 0).any():
        raise InputError(f"data column {value!r} must be >= 0; it has negative values")
    missing = np.isnan(x_all)
    observed = np.where(missing, 0.0, x_all)
    tcols = [time] if time is not None else []

    margin_sets = []  # (name, ids per row, published per margin, key frame per margin)
    incomplete = 0
    if activity_margins is not None:
        codes = parent_codes(data, activity, activity_parent, "activity_parent")
        cells = data[[*keys]].assign(**{activity: codes.to_numpy()})
        ids, pub, n_inc = _margin(
            data,
            cells,
            activity_margins,
            [*keys, activity],
            value,
            "activity_margins",
            activity,
            _children(data, activity, activity_parent, codes),
        )
        incomplete += n_inc
        margin_sets.append(("activity", ids, pub, cells))
    if region_margins is not None:
        codes = parent_codes(data, region, region_parent, "region_parent")
        cells = data[[activity, *tcols]].assign(**{region: codes.to_numpy()})
        ids, pub, n_inc = _margin(
            data,
            cells,
            region_margins,
            [region, activity, *tcols],
            value,
            "region_margins",
            region,
            _children(data, region, region_parent, codes),
        )
        incomplete += n_inc
        margin_sets.append(("region", ids, pub, cells))

    gaps, negative = [], 0
    for _, ids, pub, _ in margin_sets:
        has = ids >= 0
        obs = np.bincount(ids[has], weights=observed[has], minlength=len(pub))
        gap = pub - obs
        has_missing = np.bincount(ids[has & missing], minlength=len(pub)) > 0
        negative += int(((gap < 0) & has_missing).sum())
        gaps.append((np.maximum(gap, 0.0), obs))

    bounded = np.zeros(len(x_all), dtype=bool)
    for _, ids, _, _ in margin_sets:
        bounded |= ids >= 0
    todo = missing & bounded
    if prior is not None:
        _check_columns(data, [prior], "data")
        start = pd.to_numeric(data[prior], errors="coerce").to_numpy(dtype=np.float64)
        start = np.where(np.isfinite(start) & (start > 0), start, np.nan)
        fallback = np.nanmedian(start[todo]) if np.isfinite(start[todo]).any() else 1.0
        x = np.where(np.isnan(start), fallback, start)[todo]
    else:
        x = np.ones(int(todo.sum()))
    sub_ids = [ids[todo] for _, ids, _, _ in margin_sets]
    # the activity margins (a region's sections) are fitted last, so they hold exactly
    # wherever the cells allow; inconsistent margins leave residuals on the region side
    order = list(range(len(margin_sets)))[::-1]
    iterations, converged = 0, False
    for step in range(1, int(max_iter) + 1):
        iterations = step
        before = x.copy()
        for k in order:
            _scale(x, sub_ids[k], gaps[k][0])
        worst = max(_residual(x, sub_ids[k], gaps[k][0], margin_sets[k][2]) for k in order)
        if worst < tol:
            converged = True
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            change = np.abs(x - before) / np.maximum(np.abs(before), 1.0)
        if x.size == 0 or float(change.max()) < tol:
            break  # stalled: the margins contradict each other; residuals say where

    out = data.copy()
    filled = np.full(len(x_all), np.nan)
    filled[todo] = x
    out[value] = np.where(todo, filled, x_all)
    previous = (
        out["estimated"].fillna(False).astype(bool).to_numpy()
        if "estimated" in out.columns
        else np.zeros(len(out), dtype=bool)
    )
    out["estimated"] = previous | todo

    rows = []
    for (name, ids, pub, cells), (_, obs) in zip(margin_sets, gaps):
        has = ids >= 0
        est = np.bincount(ids[has & todo], weights=filled[has & todo], minlength=len(pub))
        n_missing = np.bincount(ids[has & missing], minlength=len(pub))
        show = (n_missing > 0) | (pub - obs < 0)
        first = np.full(len(pub), -1, dtype=np.int64)
        first[ids[has][::-1]] = np.flatnonzero(has)[::-1]
        keyframe = cells.iloc[first[show]].reset_index(drop=True)
        residual = pub[show] - obs[show] - est[show]
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(pub[show] > 0, residual / pub[show], np.where(residual == 0, 0, np.inf))
        rows.append(
            keyframe[[region, activity, *tcols]].assign(
                margin=name,
                published=pub[show],
                observed=obs[show],
                estimated=est[show],
                residual=residual,
                relative_residual=rel,
            )
        )
    residuals = pd.concat(rows, ignore_index=True)
    residuals = residuals[
        [
            "margin",
            region,
            activity,
            *tcols,
            "published",
            "observed",
            "estimated",
            "residual",
            "relative_residual",
        ]
    ]
    return SuppressedEstimate(
        data=out,
        residuals=residuals,
        n_missing=int(missing.sum()),
        n_filled=int(todo.sum()),
        n_left_missing=int((missing & ~bounded).sum()),
        n_negative_gaps=negative,
        n_incomplete_margins=incomplete,
        iterations=iterations,
        converged=converged,
    )

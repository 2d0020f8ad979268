"""Location quotients (LQ, RCA, RTA) and per-capita specialisation (RPOP).

``LQ[r, a] = (x[r, a] / x[r, .]) / (x[., a] / x[., .])`` where the
denominator is the activity share of a *reference area*:

* ``reference=None`` (or ``"all"``): all regions in the data, per period;
* ``reference="EU28"`` (any label of the region column): that aggregate row,
  which is then left out of the output;
* ``reference=["AT1", "AT2"]``: the sum of those regions (they stay in the
  output);
* ``reference={region: reference label}``: each region against its own
  reference row (e.g. its country's total row), left out of the output;
* ``hierarchy=`` child -> parent with ``reference="parent"`` (the default when
  a hierarchy is given): every region is compared with its parent, e.g. NUTS-2
  regions with their country. The parent's shares come from the parent's own
  rows when the parent appears in the region column for that period, else
  from the sum of its children present in the data. ``"parent_rows"`` insists
  on parent rows, ``"parent_sum"`` always sums the children. Regions that are
  parents are reference rows and are left out of the output;
* ``reference_table=``: an external table of activity -> value (optionally per
  time); its shares are taken over all of its activities.

Denominators: by default a region's total ``x[r, .]`` and the reference
total ``x_ref[.]`` are sums of the cells in the data ("observed"). Where
cells are confidential those sums are too small and every share is
inflated. ``totals=`` passes published totals (one per region [x period],
e.g. from :func:`ris3.data.published_totals`); with
``denominator="published"`` (the default when totals are given) the
region's total is its published total and the reference total the
published total of the reference row, or the sum of its members'. The
output then has ``region_total`` and ``coverage`` (observed / published) and
``attrs["denominator"]`` says which denominator was used.

The same options choose the reference area of cluster maps and of the
dynamics measures (:mod:`ris3.measures._reference`).

RCA (Balassa) on exports and RTA on patents are the same formula; ``rca`` is
an alias of :func:`location_quotient`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from ris3._validation import check_option, short_list
from ris3.errors import ConventionError, DataQualityWarning, InputError
from ris3.kernels import specialisation as ks
from ris3.measures._common import check_presence_args, plain, when
from ris3.measures._hierarchy import HierarchyLike
from ris3.measures._reference import (
    check_reference_options,
    reference_area,
    reference_shares,
    totals_by_row,
)
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["Denominator", "location_quotient", "rca", "rpop"]

Denominator = Literal["published", "observed"]
DENOMINATORS: tuple[str, ...] = ("published", "observed")
#: published totals below the observed sum by more than this share are reported
_COVERAGE_SLACK = 0.005


def location_quotient(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    time: str | None = None,
    reference: object = None,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    missing: MissingPolicy = "raise",
    totals: pd.DataFrame | None = None,
    totals_value: str | None = None,
    denominator: Denominator | None = None,
) -> pd.DataFrame:
    """Location quotient (RCA, RTA, Balassa index) of every region x activity row.

    ``LQ[r, a] = (x[r, a] / x[r, .]) / (x_ref[a] / x_ref[.])``; the reference
    area is chosen by ``reference``, ``hierarchy`` or ``reference_table`` (see
    the module documentation). Periods are computed independently.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time], values >= 0.
    region, activity, value : str
        Column names.
    time : str, optional
        Column of periods.
    reference : None, "all", a region label, a list of labels, a mapping, or a parent mode
        Reference area. None compares with all regions in the data (or with
        the parent when ``hierarchy`` is given). A label (e.g. ``"EU28"``,
        ``"World"``) uses that aggregate row, which is left out of the output;
        a list sums those regions; a mapping region -> label compares each
        region with its own reference row. With ``hierarchy``: ``"parent"``,
        ``"parent_rows"`` or ``"parent_sum"`` (see the module documentation).
    hierarchy : DataFrame (columns child, parent), dict or Series, optional
        Region -> parent region, for a national (or any higher level) reference.
    reference_table : DataFrame, optional
        External reference with the columns named by ``activity`` and ``value``
        (and ``time`` when it varies by period). Every activity of ``data``
        must be in it.
    threshold : float, default 1.0
        Presence is ``LQ >= threshold`` (``>`` when ``strict``); must be > 0.
    strict : bool, default False
    missing : {"raise", "drop", "zero"}, default "raise"
        Policy for rows whose value is missing; see :func:`ris3.encode`.
        The output's ``attrs["missing"]`` says what it touched.
    totals : DataFrame, optional
        Published totals, one row per region [x period]: the region column
        (and the time column when totals vary by period) and a value column
        named by ``totals_value``. Every region of the data (and every
        reference row) with rows in a period needs one. Build them from
        published aggregate rows with :func:`ris3.data.published_totals`.
    totals_value : str, optional
        Value column of ``totals``; default the name given as ``value``.
    denominator : {"published", "observed"}, optional
        ``"published"``: region and reference totals from ``totals``;
        ``"observed"``: sums of the cells in the data. Default
        ``"published"`` when ``totals`` is given, else ``"observed"``.
        The activity values of the reference stay those of the reference
        chosen (its rows, the regions' cells, or ``reference_table``, which
        also keeps its own total); give published reference rows there to
        use published values throughout.

    Returns
    -------
    DataFrame
        One row per kept input row (in input order, reference rows left
        out) with the key columns, ``value``, ``share`` (x[r, a] /
        x[r, .]), ``reference_share`` (x_ref[a] / x_ref[.]), ``lq`` and
        ``specialised`` (bool). ``lq`` is NaN (and ``specialised`` False) where
        both the region's value and the reference share are 0 (0/0), and
        ``share`` and ``lq`` are NaN (``specialised`` False) for a region
        whose values sum to 0 in the period (a DegenerateDataWarning names it). With
        ``totals``: ``region_total`` (the denominator used) and
        ``coverage`` (sum of the region's cells in the data / published
        total). ``attrs["denominator"]`` is ``"published"`` or ``"observed"``.

    Raises
    ------
    InputError
        Invalid table (see :func:`ris3.encode`), a reference label not in the data, activities
        missing from the reference table, a zero reference share where a
        region has a positive value, ``threshold <= 0``, or ``totals`` that
        lack a region of the data or are not valid.
    ClassificationError
        Regions without a parent in ``hierarchy``, missing codes in it, or a
        child with several parents.
    ConventionError
        Conflicting or unknown reference options; ``denominator="published"``
        without ``totals``.

    Warns
    -----
    DataQualityWarning
        Published totals smaller than the sum of the region's cells.

    References
    ----------
    Balassa, B. (1965). Trade liberalisation and "revealed" comparative
    advantage. The Manchester School, 33(2), 99-123.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "nace": ["x", "y", "x", "y"],
    ...                    "emp": [30.0, 10.0, 10.0, 50.0]})
    >>> out = location_quotient(df, region="geo", activity="nace", value="emp")
    >>> out[["geo", "nace", "lq", "specialised"]].round(3)
      geo nace     lq  specialised
    0   A    x  1.875         True
    1   A    y  0.417        False
    2   B    x  0.417        False
    3   B    y  1.389         True

    With published totals (region A publishes 80, of which 40 are in the
    data; B publishes 60), A's shares are of 80:

    >>> tot = pd.DataFrame({"geo": ["A", "B"], "emp": [80.0, 60.0]})
    >>> out = location_quotient(df, region="geo", activity="nace", value="emp", totals=tot)
    >>> out[["geo", "nace", "share", "coverage", "lq"]].round(3)
      geo nace  share  coverage     lq
    0   A    x  0.375       0.5  1.312
    1   A    y  0.125       0.5  0.292
    2   B    x  0.167       1.0  0.583
    3   B    y  0.833       1.0  1.944
    >>> out.attrs["denominator"]
    'published'
    """
    check_presence_args(threshold, strict)
    check_reference_options(reference, hierarchy, reference_table)
    mode = _denominator(denominator, totals)
    if totals_value is not None and totals is None:
        raise ConventionError(f"totals_value={totals_value!r} needs totals= (the table it names)")
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    zero_r, _ = ct.zero_totals("the location quotient")  # NaN rows, with a warning
    ref_area = reference_area(ct, reference, hierarchy=hierarchy, reference_table=reference_table)
    observed_totals = np.asarray(ct.stacked().sum(axis=1)).ravel()
    published = None
    if totals is not None:
        published = totals_by_row(ct, totals, totals_value or value)
        _check_published(ct, published, observed_totals)
    ref, groups = reference_shares(ct, ref_area, published if mode == "published" else None)
    output = ref_area.is_region
    what = ref_area.option

    stacked = ct.stacked()
    lq = ks.location_quotient(stacked, reference_shares=ref, groups=groups)
    pres = ks.presence(lq, threshold=threshold, strict=strict)
    rows = np.flatnonzero(output[ct.region_code])
    srow = ct.time_code[rows] * ct.n_regions + ct.region_code[rows]
    acode = ct.activity_code[rows]
    ref_share = ref[groups[srow], acode]
    _check_zero_reference(ct, rows, ref_share, what)
    if mode == "published" and published is not None:
        flat = published.ravel()
        region_totals = np.where(np.isfinite(flat) & (flat > 0), flat, 1.0)
        lq = ks.location_quotient(
            stacked, reference_shares=ref, groups=groups, region_totals=region_totals
        )
        pres = ks.presence(lq, threshold=threshold, strict=strict)
        region_total = flat[srow]
    else:
        region_total = observed_totals[srow]
    out = ct.keys.iloc[rows].reset_index(drop=True)
    out[value] = ct.values[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = ct.values[rows] / region_total
    out["reference_share"] = ref_share
    # a zero value against a zero reference share is 0/0: undefined, not 0
    undefined = ~(ref_share > 0)
    out["lq"] = np.where(undefined, np.nan, np.asarray(lq[srow, acode]).ravel())
    out["specialised"] = np.asarray(pres[srow, acode]).ravel() > 0
    # a region with nothing has no shares (an activity with nothing: reference share 0, above)
    nothing = zero_r[ct.time_code[rows], ct.region_code[rows]]
    if nothing.any():
        out.loc[nothing, ["share", "lq"]] = np.nan
        out.loc[nothing, "specialised"] = False
    if published is not None:
        pub = published.ravel()[srow]
        out["region_total"] = region_total
        with np.errstate(divide="ignore", invalid="ignore"):
            out["coverage"] = np.where(pub > 0, observed_totals[srow] / pub, np.nan)
    out.attrs["missing"] = str(ct.missing)
    out.attrs["reference"] = what
    out.attrs["denominator"] = mode
    return out


rca = location_quotient


def _denominator(denominator: object, totals: object) -> str:
    """Return the denominator mode: ``published`` needs totals; the default follows them."""
    if denominator is None:
        return "observed" if totals is None else "published"
    mode = str(check_option("denominator", denominator, DENOMINATORS))
    if mode == "published" and totals is None:
        raise ConventionError(
            "denominator='published' needs totals= (a table of published totals per region, "
            "e.g. from ris3.data.published_totals); give totals= or denominator='observed'"
        )
    return mode


def _check_published(ct: CodedTable, published: np.ndarray, observed: np.ndarray) -> None:
    """Every region with rows needs a published total; warn where it is below its cells' sum."""
    present = np.stack([ct.present_regions(t) for t in range(ct.n_times)])
    lacking = present & np.isnan(published)
    if lacking.any():
        t, r = np.nonzero(lacking)
        tcol = ct.columns["time"]
        where = "" if ct.times is None else f" (e.g. {tcol}={plain(ct.times[t[0]])!r})"
        raise InputError(
            f"totals has no published total for {len(np.unique(r))} region(s) of column "
            f"{ct.columns['region']!r}{where}: {short_list(ct.regions[np.unique(r)])}; "
            "add them or use denominator='observed'"
        )
    obs = observed.reshape(published.shape)
    low = present & (obs > published * (1 + _COVERAGE_SLACK))
    if low.any():
        warnings.warn(
            f"published totals are below the sum of the cells of {int(low.any(axis=0).sum())} "
            f"region(s): {short_list(ct.regions[low.any(axis=0)])}; their coverage is above 1",
            DataQualityWarning,
            stacklevel=3,
        )


def _check_zero_reference(
    ct: CodedTable, rows: np.ndarray, ref_share: np.ndarray, what: str
) -> None:
    """Raise where a region has a positive value but the reference a zero share (LQ = inf)."""
    bad = (ct.values[rows] > 0) & ~(ref_share > 0)
    if bad.any():
        acts = ct.activities[np.unique(ct.activity_code[rows][bad])]
        first = rows[np.flatnonzero(bad)[0]]
        example = (ct.regions[ct.region_code[first]], ct.activities[ct.activity_code[first]])
        hint = (
            " (reference='parent_sum' compares with the sum of the children)"
            if "parent" in what
            else ""
        )
        raise InputError(
            f"the reference ({what}) has a zero or missing share of {len(acts)} activit(ies) "
            f"where regions have positive values, so their LQ would be infinite: "
            f"{short_list(acts)}; e.g. region {example[0]!r}, activity {example[1]!r}{hint}"
        )


def _population_table(
    data: pd.DataFrame,
    population: object,
    region: str,
    time: str | None,
) -> pd.DataFrame:
    """Return population as a table with columns region [, time], population."""
    if isinstance(population, str):
        if population not in data.columns:
            raise InputError(
                f"data has no column {population!r} (given as population=); available columns: "
                f"{short_list(map(str, data.columns), 20)}"
            )
        keys = [c for c in (region, time) if c is not None]
        table = (
            data[[*keys, population]].drop_duplicates().rename(columns={population: "population"})
        )
        clash = table.duplicated(subset=keys, keep=False)
        if clash.any():
            raise InputError(
                f"column {population!r} (population=) must hold one value per "
                f"{' x '.join(keys)}; {short_list(table.loc[clash, region].unique())} have several"
            )
        return table
    if isinstance(population, pd.DataFrame):
        if region not in population.columns or "population" not in population.columns:
            raise InputError(
                f"population table must have columns {region!r} and 'population'; got "
                f"{short_list(map(str, population.columns), 20)}"
            )
        keys = [region] + ([time] if time is not None and time in population.columns else [])
        dup = population.duplicated(subset=keys, keep=False)
        if dup.any():
            raise InputError(
                f"population table has duplicated {keys}: "
                f"{short_list(population.loc[dup, region].unique())}"
            )
        return population[[*keys, "population"]]
    if isinstance(population, pd.Series | Mapping):
        s = pd.Series(population)
        return pd.DataFrame({region: s.index, "population": s.to_numpy()})
    raise InputError(
        "population must be a column name of data, a DataFrame with the region column and "
        f"'population', or a dict/Series region -> population; got {type(population).__name__}"
    )


def rpop(
    data: pd.DataFrame,
    *,
    region: str,
    activity: str,
    value: str,
    population: str | pd.DataFrame | Mapping[object, float] | pd.Series,
    time: str | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    missing: MissingPolicy = "raise",
) -> pd.DataFrame:
    """Per-capita specialisation (RPOP, Growth Lab).

    ``RPOP[r, a] = (x[r, a] / pop[r]) / (x[., a] / pop[.])``: the region's value
    per inhabitant in an activity relative to that of all regions in the data
    together (per period). ``pop[.]`` sums the population of the regions with
    rows in that period.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x time].
    region, activity, value, time : str
        Column names (``time`` optional).
    population : str, DataFrame, dict or Series
        A column of ``data`` (one value per region [x time]); or a table with
        the region column, ``population`` and optionally the time column; or
        a mapping region -> population (same in every period). Must be > 0.
    threshold, strict, missing
        As in :func:`location_quotient`.

    Returns
    -------
    DataFrame
        One row per kept input row: key columns, ``value``, ``population``,
        ``value_per_capita``, ``reference_per_capita``, ``rpop``, ``specialised``.

    References
    ----------
    Harvard Growth Lab, Atlas of Economic Complexity: RPOP as the per-capita
    analogue of RCA.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "nace": ["x", "y", "x", "y"],
    ...                    "emp": [30.0, 10.0, 10.0, 50.0]})
    >>> out = rpop(df, region="geo", activity="nace", value="emp",
    ...            population={"A": 100.0, "B": 300.0})
    >>> out[["geo", "nace", "rpop"]].round(3)
      geo nace   rpop
    0   A    x  3.000
    1   A    y  0.667
    2   B    x  0.333
    3   B    y  1.111
    """
    check_presence_args(threshold, strict)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    table = _population_table(data, population, region, time)
    pop_vals = pd.to_numeric(table["population"], errors="coerce").to_numpy(dtype=np.float64)
    if (~np.isfinite(pop_vals) | (pop_vals <= 0)).any():
        bad = table.loc[~(pop_vals > 0) | ~np.isfinite(pop_vals), region]
        raise InputError(
            f"population must be a finite number > 0 for every region; "
            f"{short_list(bad.unique())} are not"
        )
    pop = np.full((ct.n_times, ct.n_regions), np.nan)
    r_idx = ct.regions.get_indexer(pd.Index(table[region]))
    keep = r_idx >= 0
    if time is not None and time in table.columns:
        assert ct.times is not None
        t_idx = ct.times.get_indexer(pd.Index(table[time]))
        keep &= t_idx >= 0
        pop[t_idx[keep], r_idx[keep]] = pop_vals[keep]
    else:
        pop[:, r_idx[keep]] = pop_vals[keep]
    for t in range(ct.n_times):
        lacking = ct.present_regions(t) & np.isnan(pop[t])
        if lacking.any():
            raise InputError(
                f"population is missing for {int(lacking.sum())} region(s){when(ct, t)}: "
                f"{short_list(ct.regions[lacking])}"
            )
    present = np.stack([ct.present_regions(t) for t in range(ct.n_times)])
    total_pop = np.where(present, pop, 0.0).sum(axis=1)
    stacked = ct.stacked()
    groups = np.repeat(np.arange(ct.n_times), ct.n_regions)
    per_capita_ref = ks.group_sums(stacked, groups, ct.n_times) / total_pop[:, None]
    pop_flat = np.where(np.isnan(pop), 1.0, pop).ravel()
    ratio = ks.location_quotient(
        stacked, reference_shares=per_capita_ref, groups=groups, region_totals=pop_flat
    )
    pres = ks.presence(ratio, threshold=threshold, strict=strict)
    srow = ct.time_code * ct.n_regions + ct.region_code
    out = ct.keys.copy()
    out[value] = ct.values
    out["population"] = pop_flat[srow]
    out["value_per_capita"] = ct.values / pop_flat[srow]
    out["reference_per_capita"] = per_capita_ref[ct.time_code, ct.activity_code]
    out["rpop"] = np.asarray(ratio[srow, ct.activity_code]).ravel()
    out["specialised"] = np.asarray(pres[srow, ct.activity_code]).ravel() > 0
    out.attrs["missing"] = str(ct.missing)
    return out

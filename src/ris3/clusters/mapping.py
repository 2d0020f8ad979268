"""Cluster mapping: employment by region x cluster [x year], shares and LQs.

:func:`map_clusters` aggregates a tidy region x activity table to the
clusters of a :class:`~ris3.clusters.definitions.ClusterDefinition` and
returns a :class:`ClusterMap`. Activities the definition does not cover are
never dropped silently: their employment stays in the region totals (the
denominator of shares and LQs), is listed in :attr:`ClusterMap.uncovered`
and triggers a :class:`~ris3.errors.DataQualityWarning`.

Inside, the result is a dense ``(n_times, n_regions, n_clusters)`` cube per
measure: clusters number in the tens, so the cube is small even for all
European regions over many years, and every step is an array operation.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata

from ris3._compat import renamed_parameters
from ris3._validation import check_flag, check_option, short_list
from ris3.clusters.definitions import ClusterDefinition
from ris3.errors import DataQualityWarning, DegenerateDataWarning, InputError
from ris3.kernels.specialisation import location_quotient
from ris3.measures._common import annual_growth, interval_years, when
from ris3.measures._hierarchy import HierarchyLike
from ris3.measures._reference import ReferenceArea, check_reference_options, reference_area
from ris3.tidy import CodedTable, MissingPolicy, encode

__all__ = ["ClusterMap", "map_clusters"]

Level = Literal["cluster", "subcluster"]

#: Columns of :meth:`ClusterMap.tidy` after the region/time keys (optional
#: ones appear only when the measure was given).
TIDY_COLUMNS: tuple[str, ...] = (
    "cluster",
    "cluster_name",
    "subcluster",
    "cluster_type",
    "value",
    "establishments",
    "wages",
    "share",
    "lq",
    "value_rank",
    "lq_rank",
    "n_regions",
)


@dataclass
class ClusterMap:
    """Region x cluster [x year] employment, shares, location quotients, ranks.

    Created by :func:`map_clusters`; read it through :meth:`tidy`,
    :meth:`regions`, :meth:`growth` and :attr:`uncovered`. Arrays are
    ``(n_times, n_regions, n_clusters)``; a region absent from a period has
    NaN there.

    Attributes
    ----------
    definition : ClusterDefinition
    clusters : DataFrame
        One row per cluster (or subcluster): ``cluster``, ``cluster_name``,
        ``subcluster`` (``level="subcluster"`` only), ``cluster_type``.
    region_labels : Index
        The regions of the result (reference-only rows excluded).
    times : Index or None
        The periods, or None without a time column.
    employment, establishments, wages : ndarray
        Sums over the cluster's activities (establishments/wages None when
        not given).
    region_total : ndarray, shape (n_times, n_regions)
        Employment of the region in all activities, covered or not.
    lq : ndarray
        Location quotient (see :func:`map_clusters` for its denominators).
    uncovered : DataFrame
        Activities of the data not in the definition: ``activity``
        (the caller's column name), [time], ``employment``,
        ``share`` (of all employment in the period) and
        ``n_regions`` (regions with a positive value). Empty when all are
        covered.
    absent_codes : list
        Activity codes of the definition that never occur in the data.
    coverage : DataFrame
        How much of each cluster the data can see (see
        :meth:`ClusterDefinition.coverage`): ``cluster``, ``cluster_type``,
        ``total`` and ``covered`` (summed weights of the cluster's activities,
        all and those occurring in the data) and ``covered_share``. A cluster
        with ``covered_share`` 0 is invisible in the data (e.g. health
        services in business statistics); below 1 it is seen only in part.
        :attr:`unseen_clusters` lists the invisible ones.
    reference : str
        Description of the LQ reference area.
    lq_base : str
        ``"total"`` or ``"traded"`` (see ``traded_only_lq``).
    columns : dict
        The caller's column names (``region``, ``activity``, ``time``...).
    missing : dict
        The :class:`~ris3.tidy.MissingReport` of each measure.
    """

    definition: ClusterDefinition
    clusters: pd.DataFrame
    region_labels: pd.Index
    times: pd.Index | None
    present: np.ndarray
    employment: np.ndarray
    establishments: np.ndarray | None
    wages: np.ndarray | None
    region_total: np.ndarray
    lq: np.ndarray
    uncovered: pd.DataFrame
    absent_codes: list[object]
    reference: str
    lq_base: str
    columns: dict[str, str | None]
    missing: dict[str, object]
    level: str = "cluster"
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _tidy: pd.DataFrame | None = field(default=None, repr=False)

    # ---------------------------------------------------------------- helpers
    @property
    def n_times(self) -> int:
        """Number of periods."""
        return self.employment.shape[0]

    @property
    def unseen_clusters(self) -> list[object]:
        """Clusters none of whose activities occur in the data (sorted)."""
        if self.coverage.empty:
            return []
        return sorted(self.coverage.loc[self.coverage["covered_share"] <= 0, "cluster"], key=str)

    @property
    def is_traded(self) -> np.ndarray:
        """Boolean per cluster: its type is ``"traded"``."""
        return (self.clusters["cluster_type"] == "traded").to_numpy()

    @property
    def employment_share(self) -> np.ndarray:
        """Cluster employment / region's employment in all activities."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.employment / self.region_total[:, :, None]

    def period_index(self, label: Hashable) -> int:
        """Position of period ``label``; InputError naming the known periods."""
        if self.times is None:
            raise InputError(
                "this cluster map has no time column; map with time= to compare periods"
            )
        pos = self.times.get_indexer(pd.Index([label]))[0]
        if pos < 0:
            raise InputError(
                f"period {label!r} is not in column {self.columns['time']!r}; "
                f"periods: {short_list(self.times)}"
            )
        return int(pos)

    def _keys(self) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """Key columns of every (period, present region, cluster) cell."""
        t_i, r_i = np.nonzero(self.present)
        n_c = len(self.clusters)
        keys = pd.DataFrame(
            {self.columns["region"]: np.repeat(self.region_labels.to_numpy()[r_i], n_c)}
        )
        if self.times is not None:
            keys.insert(0, str(self.columns["time"]), np.repeat(self.times.to_numpy()[t_i], n_c))
        cl = self.clusters.iloc[np.tile(np.arange(n_c), t_i.size)].reset_index(drop=True)
        return pd.concat([keys, cl], axis=1), t_i, r_i

    def tidy(self) -> pd.DataFrame:
        """One row per [period x] region x cluster.

        Columns: [time (caller's name)], region (caller's name), ``cluster``,
        ``cluster_name``, [``subcluster``], ``cluster_type``, ``employment``,
        [``establishments``], [``wages``], ``share`` (of the
        region's employment in all activities), ``lq``, ``value_rank``
        (1 = largest among regions with employment > 0 in that cluster and
        period; ties share the best rank; NaN when employment is 0),
        ``lq_rank`` (the same by LQ) and ``n_regions`` (regions with
        employment > 0 in that cluster and period). Every present region is
        listed with every cluster, zeros included.
        """
        if self._tidy is None:
            keys, t_i, r_i = self._keys()

            def flat(a: np.ndarray) -> np.ndarray:
                return a[t_i, r_i, :].ravel()

            out = keys
            out["value"] = flat(self.employment)
            if self.establishments is not None:
                out["establishments"] = flat(self.establishments)
            if self.wages is not None:
                out["wages"] = flat(self.wages)
            out["share"] = flat(self.employment_share)
            out["lq"] = flat(self.lq)
            ranks = self.ranks()
            out["value_rank"] = flat(ranks["value_rank"])
            out["lq_rank"] = flat(ranks["lq_rank"])
            n_pos = np.sum(self.employment > 0, axis=1)  # (t, c)
            out["n_regions"] = n_pos[t_i, :].ravel()
            self._tidy = out
        return self._tidy.copy()

    def ranks(self) -> dict[str, np.ndarray]:
        """Ranks among regions with employment > 0 (1 = largest; ties: min)."""
        active = self.present[:, :, None] & (self.employment > 0)
        emp = np.where(active, -self.employment, np.nan)
        lq = np.where(active, -self.lq, np.nan)
        return {
            "value_rank": np.asarray(
                rankdata(emp, method="min", axis=1, nan_policy="omit"), dtype=np.float64
            ),
            "lq_rank": np.asarray(
                rankdata(lq, method="min", axis=1, nan_policy="omit"), dtype=np.float64
            ),
        }

    def regions(self) -> pd.DataFrame:
        """One row per [period x] region: totals and coverage.

        Columns: [time], region, ``value_total`` (all activities),
        ``value_covered`` (in the definition's clusters),
        ``value_uncovered``, ``uncovered_share``,
        ``traded_value`` and ``traded_share`` (NaN when the definition
        has no cluster types).
        """
        t_i, r_i = np.nonzero(self.present)
        out = pd.DataFrame({self.columns["region"]: self.region_labels.to_numpy()[r_i]})
        if self.times is not None:
            out.insert(0, str(self.columns["time"]), self.times.to_numpy()[t_i])
        total = self.region_total[t_i, r_i]
        covered = self.employment.sum(axis=2)[t_i, r_i]
        out["value_total"] = total
        out["value_covered"] = covered
        out["value_uncovered"] = total - covered
        with np.errstate(divide="ignore", invalid="ignore"):
            out["uncovered_share"] = (total - covered) / total
            if self.definition.has_types:
                traded = self.employment[:, :, self.is_traded].sum(axis=2)[t_i, r_i]
                out["traded_value"] = traded
                out["traded_share"] = traded / total
            else:
                out["traded_value"] = np.nan
                out["traded_share"] = np.nan
        return out

    def growth(self, start: Hashable, end: Hashable, *, years: float | None = None) -> pd.DataFrame:
        """Change of every region x cluster between two periods.

        Parameters
        ----------
        start, end : period labels
            Two periods of the time column.
        years : float, optional
            Length of the interval for the annual rate; default ``end - start``
            (periods must then be numbers, e.g. years).

        Returns
        -------
        DataFrame
            One row per region present in either period x cluster: region,
            ``cluster``, ``cluster_name``, [``subcluster``], ``cluster_type``,
            ``value_start``, ``value_end``, ``change``
            (absolute), ``growth``
            (``(end / start) ** (1 / years) - 1``; NaN when the start is 0),
            ``lq_start``, ``lq_end``, ``lq_change``, ``share_start``,
            ``share_end``. Values of a period in which the region is
            absent are NaN (missing, not zero).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"year": [2010, 2010, 2012, 2012], "geo": ["A", "A", "A", "A"],
        ...                    "code": ["1", "2", "1", "2"], "emp": [100.0, 100.0, 121.0, 100.0]})
        >>> d = ClusterDefinition.from_frame(pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"]}),
        ...                                  activity="a", cluster="c")
        >>> g = map_clusters(df, d, region="geo", activity="code", value="emp",
        ...                  time="year").growth(2010, 2012)
        >>> g[["cluster", "change", "growth"]]
          cluster  change  growth
        0       X    21.0     0.1
        1       Y     0.0     0.0
        """
        t0, t1 = self.period_index(start), self.period_index(end)
        years = interval_years(start, end, years)
        either = self.present[t0] | self.present[t1]
        r_i = np.flatnonzero(either)
        n_c = len(self.clusters)
        out = pd.DataFrame(
            {self.columns["region"]: np.repeat(self.region_labels.to_numpy()[r_i], n_c)}
        )
        out = pd.concat(
            [out, self.clusters.iloc[np.tile(np.arange(n_c), r_i.size)].reset_index(drop=True)],
            axis=1,
        )
        share = self.employment_share

        def at(a: np.ndarray, t: int) -> np.ndarray:
            v = a[t][r_i, :].astype(np.float64)
            v[~self.present[t][r_i], :] = np.nan
            return v.ravel()

        e0, e1 = at(self.employment, t0), at(self.employment, t1)
        out["value_start"] = e0
        out["value_end"] = e1
        out["change"] = e1 - e0
        out["growth"] = annual_growth(e0, e1, years)
        lq0, lq1 = at(self.lq, t0), at(self.lq, t1)
        out["lq_start"] = lq0
        out["lq_end"] = lq1
        out["lq_change"] = lq1 - lq0
        out["share_start"] = at(share, t0)
        out["share_end"] = at(share, t1)
        return out

    def reference_growth(
        self, start: Hashable, end: Hashable, *, years: float | None = None
    ) -> pd.DataFrame:
        """Employment growth of each cluster over all regions of the map.

        Columns: ``cluster``, [``subcluster``], ``value_start``,
        ``value_end``, ``growth``; plus one row with
        ``cluster`` = ``"(all activities)"`` for total employment.
        Only regions present in both periods are summed.
        """
        t0, t1 = self.period_index(start), self.period_index(end)
        years = interval_years(start, end, years)
        both = self.present[t0] & self.present[t1]
        e0 = self.employment[t0][both].sum(axis=0)
        e1 = self.employment[t1][both].sum(axis=0)
        tot0 = self.region_total[t0][both].sum()
        tot1 = self.region_total[t1][both].sum()
        keys = [c for c in ("cluster", "subcluster") if c in self.clusters.columns]
        out = self.clusters[keys].copy()
        out.loc[len(out), "cluster"] = "(all activities)"
        out["value_start"] = np.append(e0, tot0)
        out["value_end"] = np.append(e1, tot1)
        out["growth"] = annual_growth(
            out["value_start"].to_numpy(), out["value_end"].to_numpy(), years
        )
        return out

    def summary(self) -> str:
        """Return a short text summary: size, reference, coverage."""
        n_t = "" if self.times is None else f", {len(self.times)} periods"
        unc = self.uncovered["value"].sum() if len(self.uncovered) else 0.0
        total = float(np.nansum(self.region_total))
        return (
            f"ClusterMap: {len(self.region_labels)} regions x {len(self.clusters)} "
            f"{self.level}s{n_t}; definition {self.definition.name!r}; LQ against "
            f"{self.reference} ({self.lq_base} employment); employment not covered by the "
            f"definition: {unc:,.0f} ({(unc / total if total else 0):.2%}) in "
            f"{self.uncovered[self.columns['activity']].nunique() if len(self.uncovered) else 0} "
            "activities"
            + (
                f"; {len(self.unseen_clusters)} cluster(s) with no activity in the data"
                if self.unseen_clusters
                else ""
            )
        )

    def __repr__(self) -> str:
        return f"<{self.summary()}>"


@renamed_parameters(employment="value")
def map_clusters(
    data: pd.DataFrame,
    definition: ClusterDefinition,
    *,
    region: str,
    activity: str,
    value: str,
    establishments: str | None = None,
    wages: str | None = None,
    time: str | None = None,
    reference: object = None,
    hierarchy: HierarchyLike | None = None,
    reference_table: pd.DataFrame | None = None,
    traded_only_lq: bool = False,
    level: Level = "cluster",
    missing: MissingPolicy = "raise",
) -> ClusterMap:
    """Map a region x activity table to clusters.

    Parameters
    ----------
    data : DataFrame
        Tidy table, one row per region x activity [x period].
    definition : ClusterDefinition
        Which activity belongs to which cluster. With a weighted definition
        (e.g. :func:`ris3.eu_benchmark_clusters`) a region's employment (and
        establishments, wages) in an activity is split between the
        activity's clusters by weight.
    region, activity, value : str
        Column names (keyword only); ``value`` is the measure mapped to
        clusters (employment in the cluster mapping convention).
        ``employment=`` is its old name (deprecated).
    establishments, wages : str, optional
        Further columns to sum by cluster (same rows as employment).
    time : str, optional
        Column of periods (years).
    reference : None, str, list or mapping, default None
        Reference area of the location quotient: all regions (default), a
        region label that holds an aggregate such as "EU28" (left out of the
        results), a list of regions summed, a mapping region -> reference
        label (each region against its own country), or with ``hierarchy``
        ``"parent"``, ``"parent_rows"`` or ``"parent_sum"``; the same options
        as :func:`ris3.location_quotient`.
    hierarchy : DataFrame (columns child, parent), dict or Series, optional
        Region -> parent region: each region against its parent (the
        parent's own rows when present in a period, else its children
        summed); parents are left out of the results.
    reference_table : DataFrame, optional
        External reference with the ``activity`` and ``value`` columns
        (and ``time`` when it varies by period), by activity code; its
        total covers all of its activities.
    traded_only_lq : bool, default False
        US Cluster Mapping convention: the LQ of a traded cluster compares
        its share of the region's *traded* employment with its share of the
        reference's traded employment. Local clusters keep total employment
        as their base. Needs cluster types in the definition.
    level : {"cluster", "subcluster"}, default "cluster"
        Aggregate to clusters or to subclusters (a subcluster is identified
        by its cluster and its name; activities without a subcluster form an
        unnamed one, NaN, within their cluster).
    missing : {"raise", "drop", "zero"}, default "raise"
        What to do with missing values (see :func:`ris3.encode`); applied to
        each measure.

    Returns
    -------
    ClusterMap

    Notes
    -----
    With ``x[r, c]`` the employment of region r in cluster c, ``x[r, .]``
    the region's employment in *all* activities (also those the definition
    does not cover) and ``X`` the same sums over the reference area:
    ``share = x[r, c] / x[r, .]`` and
    ``LQ = (x[r, c] / x[r, .]) / (X[c] / X[.])``.
    Weighted by ``x[r, .]``, the LQs of a cluster average to exactly 1 over
    all regions when the reference is all regions.

    Raises
    ------
    InputError
        Invalid table (see :func:`ris3.encode`), none of the data's codes
        in the definition (e.g. codes read as numbers), unknown reference,
        a reference row absent from a period, a reference table lacking
        activities or periods of the data.
    ConventionError
        ``traded_only_lq=True`` with a definition without cluster types;
        conflicting reference options.
    ClassificationError
        Regions without a parent in ``hierarchy``.

    Warns
    -----
    DataQualityWarning
        Some activities are not covered by the definition (their employment
        is reported in ``uncovered``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["A", "A", "B", "B"], "code": ["1", "2", "1", "2"],
    ...                    "emp": [30.0, 10.0, 10.0, 30.0]})
    >>> d = ClusterDefinition.from_frame(pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"]}),
    ...                                  activity="a", cluster="c")
    >>> cm = map_clusters(df, d, region="geo", activity="code", value="emp")
    >>> cm.tidy()[["geo", "cluster", "value", "share", "lq", "value_rank"]]
      geo cluster  value  share   lq  value_rank
    0   A       X   30.0   0.75  1.5         1.0
    1   A       Y   10.0   0.25  0.5         2.0
    2   B       X   10.0   0.25  0.5         2.0
    3   B       Y   30.0   0.75  1.5         1.0
    """
    from ris3.errors import ConventionError

    if not isinstance(definition, ClusterDefinition):
        raise InputError(
            "definition must be a ClusterDefinition (ClusterDefinition.from_frame or "
            f"us_benchmark_clusters()); got {type(definition).__name__}"
        )
    check_option("level", level, ("cluster", "subcluster"))
    check_reference_options(reference, hierarchy, reference_table)
    check_flag("traded_only_lq", traded_only_lq)
    if traded_only_lq and not definition.has_types:
        raise ConventionError(
            f"traded_only_lq=True needs a cluster_type (traded/local) for every cluster; "
            f"{definition.name} has none for some clusters"
        )
    ct = encode(
        data,
        region=region,
        activity=activity,
        value=value,
        time=time,
        missing=missing,
        what="data",
    )

    # definition rows -> cluster (or subcluster) code; a data activity is covered when it has
    # at least one row; a weighted definition splits it between its rows' clusters by weight
    m = definition.mapping
    keys = ["cluster"] if level == "cluster" else ["cluster", "subcluster"]
    grouped = m.groupby(keys, sort=True, dropna=False)
    group_code = grouped.ngroup().to_numpy()
    clusters = grouped[["cluster_name", "cluster_type"]].first().reset_index()
    clusters = clusters[[*keys[:1], "cluster_name", *keys[1:], "cluster_type"]]
    act_index = pd.Index(m["activity"])
    row_weight = definition.weights.to_numpy(dtype=np.float64)
    covered = ct.activities.isin(act_index)
    if not covered.any():
        raise InputError(
            f"none of the {ct.n_activities} activity codes in column {activity!r} is in "
            f"{definition.name}: data codes look like {short_list(ct.activities[:3])} "
            f"({ct.activities.dtype}), definition codes like {short_list(act_index[:3])} "
            f"({act_index.dtype}); read codes as text with the same format"
        )
    n_c = len(clusters)
    agg = _aggregator(ct.activities, act_index, group_code, row_weight, n_c)

    ref = reference_area(ct, reference, hierarchy=hierarchy, reference_table=reference_table)
    present = np.stack([ct.present_regions(t) for t in range(ct.n_times)])  # (t, R)
    emp = _cube(ct, agg)
    region_total = np.stack(
        [np.asarray(ct.matrix(t).sum(axis=1)).ravel() for t in range(ct.n_times)]
    )
    reports: dict[str, object] = {"employment": ct.missing}
    extra: dict[str, np.ndarray | None] = {"establishments": None, "wages": None}
    for name, col in (("establishments", establishments), ("wages", wages)):
        if col is None:
            continue
        other = encode(
            data,
            region=region,
            activity=activity,
            value=col,
            time=time,
            missing=missing,
            what="data",
        )
        reports[name] = other.missing
        extra[name] = _aligned_cube(
            other, ct, _aggregator(other.activities, act_index, group_code, row_weight, n_c)
        )

    # reference totals per period
    is_traded = (clusters["cluster_type"] == "traded").to_numpy()
    lq = np.zeros_like(emp)
    for t in range(ct.n_times):
        e_t = emp[t]
        ref_x, ref_tot = ref.period_totals(ct, t)
        ref_e = np.asarray(agg.T @ ref_x.T).T  # reference employment by cluster (g, c)
        lq[t] = _lq(e_t, region_total[t], ref_e, ref_tot, ref, t, ct)
        if traded_only_lq:
            traded_tot = e_t[:, is_traded].sum(axis=1)
            lq_tr = _lq(e_t, traded_tot, ref_e, ref_e[:, is_traded].sum(axis=1), ref, t, ct)
            lq[t][:, is_traded] = lq_tr[:, is_traded]
    # regions absent from a period: NaN everywhere
    absent = ~present
    for a in (emp, lq, extra["establishments"], extra["wages"]):
        if a is not None:
            a[absent] = np.nan
    region_total = np.where(present, region_total, np.nan)
    zero_tot = present & (region_total <= 0)
    if zero_tot.any():
        t_z, r_z = np.nonzero(zero_tot)
        warnings.warn(
            f"{t_z.size} region-period(s) have zero employment in all activities, so their "
            f"shares and LQs are undefined (NaN): {short_list(pd.unique(ct.regions[r_z]))}",
            DegenerateDataWarning,
            stacklevel=2,
        )

    uncovered = _uncovered(ct, ~covered, ref.is_region)
    if len(uncovered):
        # largest share of uncovered employment in any period
        if time is not None:
            per_period = uncovered.groupby(time)["share"].sum()
            total_share = float(per_period.max())
        else:
            total_share = float(uncovered["share"].sum())
        warnings.warn(
            f"{uncovered[activity].nunique()} activity code(s) in column {activity!r} are not in "
            f"{definition.name} (e.g. {short_list(uncovered[activity].unique()[:5])}); their "
            f"employment (up to {total_share:.2%} of the total in a period) counts in region "
            "totals but in no cluster; see ClusterMap.uncovered",
            DataQualityWarning,
            stacklevel=2,
        )
    keep = ref.is_region
    return ClusterMap(
        definition=definition,
        clusters=clusters.reset_index(drop=True),
        region_labels=ct.regions[keep],
        times=ct.times,
        present=present[:, keep],
        employment=emp[:, keep],
        establishments=None
        if extra["establishments"] is None
        else extra["establishments"][:, keep],
        wages=None if extra["wages"] is None else extra["wages"][:, keep],
        region_total=region_total[:, keep],
        lq=lq[:, keep],
        uncovered=uncovered,
        absent_codes=definition.unknown_codes(ct.activities),
        reference=ref.description,
        lq_base="traded" if traded_only_lq else "total",
        columns={
            "region": region,
            "activity": activity,
            "time": time,
            "value": value,
            "establishments": establishments,
            "wages": wages,
        },
        missing=reports,
        level=level,
        coverage=definition.coverage(ct.activities),
    )


def _cube(ct: CodedTable, agg: sp.csr_matrix) -> np.ndarray:
    """(n_times, n_regions, n_clusters) sums of ``ct`` through ``agg``."""
    return np.stack([np.asarray((ct.matrix(t) @ agg).toarray()) for t in range(ct.n_times)])


def _aggregator(
    activities: pd.Index,
    act_index: pd.Index,
    group_code: np.ndarray,
    row_weight: np.ndarray,
    n_c: int,
) -> sp.csr_matrix:
    """(n_activities, n_clusters) matrix: the weight of each data activity in each cluster.

    One entry per definition row whose activity occurs in the data (weight 1
    in an unweighted definition); rows of one activity and cluster add up.
    """
    pos = activities.get_indexer(act_index)
    ok = pos >= 0
    return sp.csr_matrix(
        (row_weight[ok], (pos[ok], np.asarray(group_code)[ok])),
        shape=(len(activities), n_c),
    )


def _aligned_cube(other: CodedTable, master: CodedTable, agg: sp.csr_matrix) -> np.ndarray:
    """Cluster sums of another measure, on the regions and periods of ``master``."""
    cube = _cube(other, agg)
    out = np.zeros((master.n_times, master.n_regions, agg.shape[1]))
    r_map = master.regions.get_indexer(other.regions)
    if master.times is None or other.times is None:
        t_map = np.zeros(other.n_times, dtype=np.int64)
    else:
        t_map = master.times.get_indexer(other.times)
    r_ok = r_map >= 0
    for t_o, t_m in enumerate(t_map):
        if t_m >= 0:
            out[t_m][r_map[r_ok]] = cube[t_o][r_ok]
    return out


def _lq(
    e_t: np.ndarray,
    totals: np.ndarray,
    ref_e: np.ndarray,
    ref_tot: np.ndarray,
    ref: ReferenceArea,
    t: int,
    ct: CodedTable,
) -> np.ndarray:
    """LQ of one period, dense (n_regions, n_clusters), through the kernel.

    ``ref_e`` (n_groups, n_clusters) and ``ref_tot`` (n_groups,) are the
    reference area's employment by cluster and its base (total or traded).
    """
    if (ref_tot <= 0).any():
        bad = [ref.labels[g] for g in np.flatnonzero(ref_tot <= 0)]
        raise InputError(
            f"reference area(s) {short_list(bad)} have no employment{when(ct, t)}; the LQ "
            "needs a positive reference total"
        )
    shares = ref_e / ref_tot[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = location_quotient(
            e_t, reference_shares=shares, groups=ref.group, region_totals=totals
        ).toarray()
    out[totals <= 0, :] = np.nan
    return out


def _uncovered(ct: CodedTable, not_covered: np.ndarray, is_region: np.ndarray) -> pd.DataFrame:
    """Employment of activities outside the definition, per activity [x period]."""
    acol, tcol = ct.columns["activity"], ct.columns["time"]
    cols = [c for c in (acol, tcol) if c is not None]
    if not not_covered.any():
        return pd.DataFrame(columns=[*cols, "value", "share", "n_regions"])
    frames = []
    idx = np.flatnonzero(not_covered)
    for t in range(ct.n_times):
        m = ct.matrix(t)[is_region]
        col = np.asarray(m.sum(axis=0)).ravel()
        n_pos = np.asarray((m > 0).sum(axis=0)).ravel()
        total = col.sum()
        f = pd.DataFrame(
            {
                acol: ct.activities[idx].to_numpy(),
                "value": col[idx],
                "share": col[idx] / total if total > 0 else np.nan,
                "n_regions": n_pos[idx],
            }
        )
        f = f[ct.present_activities(t)[idx]]
        if tcol is not None and ct.times is not None:
            f.insert(1, tcol, ct.times[t])
        frames.append(f)
    return pd.concat(frames, ignore_index=True)

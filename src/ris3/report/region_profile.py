"""A region's smart-specialisation profile as tables: :func:`profile` -> :class:`RegionProfile`.

The profile gathers, for one region and one year, what an S3 diagnosis starts
from: where the region is specialised (LQ against Europe and against its
country), how its activities grew, a cluster portfolio with stars, a
shift-share decomposition, the relatedness network, diversification
opportunities, its peers and its diversity. Every number comes from the
public ris3 functions named in each attribute, so the report shows exactly
what the API computes; :func:`ris3.report.write_profile` turns the tables
into the HTML report and figures.

Conventions
-----------
* Missing and confidential cells are left out (``missing="drop"``) and
  counted in :attr:`RegionProfile.coverage`; they are never counted as 0.
  With ``estimate_suppressed=True`` they are filled within the published
  totals and marked ``estimated`` in every table.
* Denominators. With the bundled data, a region's total is its published
  total (its NACE sections; where a section is confidential, the sum of its
  divisions stands in, a lower bound), "Europe" and "country" are the
  published national (NUTS-0) division rows (a confidential national cell is
  replaced by the sum of its regions' cells), so a region with many
  confidential cells does not get inflated shares;
  ``coverage["region_total"]`` and ``coverage["region_coverage"]`` say how
  much of it the observed cells cover. With own data (no published totals)
  a region's total is the sum of its non-missing activities, "Europe" is
  all regions in the data and "country" the sum of the regions of the
  region's country. The country comes from a hierarchy, never from a code
  prefix: the NUTS hierarchy for NUTS codes, the nation for US metro areas
  (``dataset="us-cbp"``, where the reference is the United States), or
  ``countries=``; a region no hierarchy places has no LQ against a country.
* Growth is the annual rate ``(x1 / x0) ** (1 / (year - compare_year)) - 1``.
  Shift-share, the national growth line, the portfolio (growth, LQs at both
  ends, LQ change, quadrant, stage) use only the cells with a value in both
  years and, where the data carry Eurostat flags, no break in series (``b``
  after ``compare_year`` up to ``year``), in the region and in every other
  region; so a cell that is confidential in one year is neither an entry nor
  an exit, and its growth, LQ change and stage are missing. Quadrant and
  stage both compare an activity's growth with the national growth line.
* Clusters. With data on NACE Rev. 2 divisions (the bundled ``eu-sbs``, or
  own data whose activity codes are divisions such as ``"C29"``) the profile
  rates the region's European cluster categories
  (:func:`ris3.eu_benchmark_clusters`: the US benchmark clusters carried to
  NACE divisions, a division shared between categories by US employment
  weights) with :func:`ris3.eu_cluster_stars` (stars and strong clusters, in
  :attr:`RegionProfile.clusters`) and draws the portfolio by category, on
  the cells comparable in both years; ``clusters="divisions"`` (the default
  for other codes) treats each activity as its own cluster instead. Either
  way the ``stars`` and ``stage`` columns of the specialisation table rate
  each division (activity) as its own cluster. The category LQs are against
  all regions of the data with the sum of each region's observed divisions
  as its total, not the published totals of the specialisation table.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ris3._validation import check_number
from ris3.errors import InputError
from ris3.report._clusters import ClusterOption, check_clusters
from ris3.report._inputs import (
    _activity_titles,
    _estimate,
    _Inputs,
    _load_bundled,
    _nuts_context,
    _Stage,
    suggest_regions,
)

__all__ = ["STAGES", "RegionProfile", "profile", "suggest_regions"]

#: bundled datasets a profile can be made from (NUTS regions x activities x years)
PROFILE_DATASETS: tuple[str, ...] = ("eu-sbs", "us-cbp")

#: the stages of :func:`profile`, in order (used for progress bars)
STAGES: tuple[str, ...] = (
    "load data",
    "specialisation",
    "peers",
    "portfolio and stars",
    "shift-share",
    "relatedness network",
    "opportunities",
    "diversity",
)


@dataclass
class RegionProfile:
    """The tables behind a region's profile report.

    Attributes
    ----------
    region, region_name : str
        Code and name of the region.
    country, country_name : str or None
        Code and name of the region's country, from a hierarchy (NUTS; the
        nation for US metro areas; ``countries=``), None when none is known.
    year, compare_year : int
        The year profiled and the earlier year growth is measured from
        (``compare_year`` is None when the data have one year only). For a
        table without a time column and no ``year=``, ``year`` is 0 and
        ``period_known`` False (:attr:`period` names it in texts).
    source, attribution : str
        Where the data come from, and the attribution their licence asks for.
    coverage : dict
        ``region_cells``, ``region_missing`` (cells of the region in the year
        that are missing or confidential), ``region_missing_share``, and the
        same for all regions (``all_cells``, ``all_missing``,
        ``all_missing_share``).
    specialisation : DataFrame
        One row per activity of the region in the data (cells that are
        missing or confidential are listed with NaN values, last): ``activity``,
        ``activity_name``, ``employment``, ``share`` (of the region's
        employment), ``lq_europe``, ``lq_country`` (from
        :func:`ris3.measures.specialisation.location_quotient`),
        ``employment_start``, ``growth`` (annual rate; missing across a break
        in series), ``stars`` (0-3, :func:`ris3.clusters.stars.cluster_stars`
        with the division as its own cluster), ``stage``
        (:func:`ris3.clusters.portfolio.portfolio`, likewise), ``lq_change``
        (LQ against Europe, on the cells observed in both years) and
        ``break_in_series`` (a Eurostat ``b`` flag between the two years; NA
        without flags); sorted by ``lq_europe``.
    map_activity : str
        Activity shown on the map of Europe.
    lq_map : DataFrame
        ``geo``, ``lq`` of ``map_activity`` in every region (NaN = missing).
    peers : DataFrame or None
        Peer regions: ``peer``, ``name``, ``rank`` and the similarity columns.
    clusters : DataFrame or None
        With cluster categories: the region's rows of
        :func:`ris3.eu_cluster_stars` in ``year`` (``cluster``,
        ``cluster_name``, ``cluster_type``, ``value``, ``lq``,
        ``share``, the three star flags, ``stars``, ``strong``,
        ``visible_share``, ``incomplete_share``) plus ``estimated``, sorted by
        stars then LQ; None with ``clusters="divisions"``.
    cluster_definition : str
        Name of the cluster definition of :attr:`clusters` and
        :attr:`portfolio` (``"one cluster per activity"`` with divisions).
    portfolio : DataFrame or None
        Portfolio rows of the region (:func:`ris3.clusters.portfolio.portfolio`)
        by the profile's clusters: one row per category, on the cells
        comparable in both years, with ``visible_share``,
        ``incomplete_share`` and ``status`` ``"observed"``, ``"incomplete"``
        or ``"not_comparable"``; or one row per activity with divisions.
    national_growth : float or None
        Annual growth of the country's employment, the portfolio's horizontal line.
    shift_share : DataFrame or None
        The region's rows of :func:`ris3.measures.dynamics.shift_share` ``.tidy()``.
    network_nodes, network_edges : DataFrame or None
        The relatedness network (:mod:`ris3.clusters.networks`).
    opportunities : DataFrame or None
        :func:`ris3.diversification.opportunities.opportunities` ``.tidy()``,
        ranked by the balanced strategy score.
    diversity : DataFrame or None
        The region and its peers: ``geo``, ``name``, ``diversity``,
        ``entropy``, ``unrelated_variety``, ``related_variety``.
    notes : list of str
        Data-quality notes gathered while computing.
    unavailable : dict
        Section -> reason, for parts that could not be computed.
    timings : dict
        Seconds spent in each stage.
    converted : bool
        The region's values in ``year`` are estimates from a NUTS conversion
        (cells with ``nuts_converted`` True: an older region shared out by
        population weights), so its structure is partly the older region's.
        Reports show it as a banner.
    converted_years : list of int
        The years compared (``compare_year``, ``year``) in which the region's
        values are such estimates; a start year alone makes every growth figure
        rest on them (banner too).
    converted_from : list of str
        The older regions it was estimated from (from the dataset's
        ``nuts_conversion`` table), empty when unknown.
    split_siblings : list of str
        Other regions estimated from the same older region(s); they are
        left out of the peers (:func:`ris3.diversification.peers.split_siblings`).
    countries : mapping
        Region -> its country (NUTS-0 from the NUTS hierarchy, the nation for
        US metro areas, or ``countries=``; None when unknown): the "country"
        of ``lq_country`` and of the national growth.
    reference : str
        Name of the reference area of ``lq_europe`` and of the other LQs:
        "Europe" for the bundled Eurostat data, "United States" for the
        bundled County Business Patterns, "all regions of the data" for a
        table of the user's (whatever area it covers). Labels read "LQ vs
        Europe" only for Europe (:attr:`lq_label`).
    """

    region: str
    region_name: str
    country: str | None
    year: int
    compare_year: int | None
    source: str
    attribution: str
    coverage: dict[str, float]
    specialisation: pd.DataFrame
    map_activity: str
    lq_map: pd.DataFrame
    peers: pd.DataFrame | None = None
    clusters: pd.DataFrame | None = None
    cluster_definition: str = "one cluster per activity"
    portfolio: pd.DataFrame | None = None
    national_growth: float | None = None
    shift_share: pd.DataFrame | None = None
    network_nodes: pd.DataFrame | None = None
    network_edges: pd.DataFrame | None = None
    opportunities: pd.DataFrame | None = None
    diversity: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    converted: bool = False
    converted_years: list[int] = field(default_factory=list)
    converted_from: list[str] = field(default_factory=list)
    split_siblings: list[str] = field(default_factory=list)
    geometry: Mapping[str, Any] | None = field(default=None, repr=False)
    names: Mapping[str, str] = field(default_factory=dict, repr=False)
    activity_names: Mapping[str, str] = field(default_factory=dict, repr=False)
    reference: str = "Europe"
    countries: Mapping[str, str | None] = field(default_factory=dict, repr=False)
    country_name: str | None = None
    period_known: bool = True
    region_label: str = "NUTS-2"
    activity_label: str = "NACE Rev. 2 (Eurostat)"
    map_credit: str = "GISCO NUTS 2021 boundaries, (c) EuroGeographics"

    @property
    def period(self) -> str:
        """The year profiled as text ("the data's single period" for a table without years)."""
        return str(self.year) if self.period_known else "the data's single period"

    @property
    def lq_label(self) -> str:
        """How tables and charts name the LQ's reference: "Europe", "United States" or "reference"."""
        return self.reference if self.reference in ("Europe", "United States") else "reference"

    def top_specialisations(self, n: int = 5) -> pd.DataFrame:
        """Return the ``n`` activities with the highest LQ against Europe among those with LQ>=1."""
        t = self.specialisation
        return t[t["lq_europe"] >= 1].head(n).reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the profile that was computed, by name (as in ``tables/*.csv``)."""
        out = {"specialisation": self.specialisation, "lq_map": self.lq_map}
        for name in (
            "peers",
            "clusters",
            "portfolio",
            "shift_share",
            "network_nodes",
            "network_edges",
            "opportunities",
            "diversity",
        ):
            t = getattr(self, name)
            if t is not None:
                out[name] = t
        return out

    def tidy(self) -> pd.DataFrame:
        """Return the specialisation table, one row per activity (all tables: :meth:`tables`)."""
        return self.specialisation

    def summary(self) -> str:
        """One line: region, year, coverage and the top specialisations."""
        t = self.top_specialisations()
        est = t["estimated"] if "estimated" in t.columns else [False] * len(t)
        top = ", ".join(
            f"{a} (LQ {q:.2f}{', estimated' if e else ''})"
            for a, q, e in zip(t["activity"], t["lq_europe"], est)
        )
        return (
            f"{self.region} {self.region_name}, {self.period}: "
            f"{self.coverage['region_missing_share']:.0%} of the region's cells missing or "
            f"confidential; top specialisations: {top or 'none'}"
        )


# ---------------------------------------------------------------- the profile


def profile(
    target: str | None = None,
    *,
    dataset: str = "eu-sbs",
    data: pd.DataFrame | None = None,
    geometry: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
    region: str | None = None,
    activity: str | None = None,
    value: str | None = None,
    time: str | None = None,
    wages: str | None = None,
    countries: Mapping[str, str] | None = None,
    year: int | None = None,
    compare_year: int | None = None,
    map_activity: str | None = None,
    n_peers: int = 10,
    progress: Callable[[str], None] | None = None,
    estimate_suppressed: bool = False,
    clusters: ClusterOption | None = None,
    **deprecated: Any,
) -> RegionProfile:
    """Compute the smart-specialisation profile of one region.

    Parameters
    ----------
    target : str
        Code of the region to profile (e.g. ``"AT33"``, or ``"41860"`` with
        ``dataset="us-cbp"``), or its exact name (``"Tirol"``); an unknown
        code raises an error that suggests the closest codes and names.
    dataset : {"eu-sbs", "us-cbp"}, default "eu-sbs"
        Bundled dataset (:mod:`ris3.datasets`) used when ``data`` is None:
        Eurostat regional business statistics (NUTS-2 x NACE divisions,
        reference Europe) or US County Business Patterns 2019 (metro areas x
        6-digit NAICS, reference and country the United States, US benchmark
        cluster categories).
    data : DataFrame, optional
        Own tidy table: one row per region x activity [x year] with
        employment; the column names are given by ``region``, ``activity``,
        ``value``, ``time`` (and ``wages`` for the wage component of
        attractiveness). Activities must not overlap (one level of a
        classification). Without a time column the table is one period
        (``year`` then labels it).
    geometry : dict, optional
        GeoJSON FeatureCollection of the regions for the maps (region code in
        the property ``NUTS_ID``, ``id`` or ``code``); default the dataset's,
        or the bundled NUTS 2021 boundaries when own data use NUTS-2 codes.
    names : mapping, optional
        Region code -> name; default the dataset's (the bundled NUTS names
        for own data with NUTS codes).
    region, activity, value, time, wages : str, optional
        Column names of ``data`` (defaults ``geo``, ``nace_r2``,
        ``persons_employed``, ``year``; ``wages`` none).
    countries : mapping, optional
        Region code -> its country (or any parent area), the reference of
        ``lq_country`` and of the national growth line, for own data whose
        codes are not NUTS codes. By default the country comes from a
        hierarchy: the NUTS hierarchy for NUTS codes, the nation for US metro
        areas; a code no hierarchy knows has no country (its ``lq_country``
        is missing and the growth line is that of all regions of the data).
    year, compare_year : int, optional
        Year profiled (default: the latest with data for the region) and the
        earlier year for growth, shift-share and the portfolio (default: the
        earliest year with data for the region at most 5 years before).
    map_activity : str, optional
        Activity of the map of Europe; default the region's top specialisation.
    n_peers : int, default 10
        Number of peer regions.
    progress : callable, optional
        Called with the name of each stage (:data:`STAGES`) as it starts.
    estimate_suppressed : bool, default False
        Fill the bundled data's confidential cells within the published
        section and national totals (:func:`ris3.estimate_suppressed`, each
        cell starting from its mean over the years it is observed); every
        table then has ``estimated = True`` on those cells. Needs the
        bundled data (own tables have no published margins).
    clusters : {"categories", "divisions"}, optional
        ``"categories"``: stars, strong clusters (:attr:`RegionProfile.clusters`)
        and the portfolio by European cluster category
        (:func:`ris3.eu_benchmark_clusters`); needs activity codes that are
        NACE Rev. 2 divisions. ``"divisions"``: each activity its own
        cluster. Default: categories when every activity code is a NACE
        division (the bundled data), divisions otherwise.

    Returns
    -------
    RegionProfile

    Raises
    ------
    InputError
        Unknown region, year or activity, an invalid table, or
        ``clusters="categories"`` with activity codes that are not NACE
        Rev. 2 divisions.
    ConventionError
        ``clusters`` is not one of "categories", "divisions".

    Notes
    -----
    The keywords of ris3 0.1 (``region=`` for the target, ``region_col=``,
    ``activity_col=``, ``value_col=``, ``time_col=``, ``wages_col=``) still
    work in 0.2 with a FutureWarning naming the new keyword.

    Examples
    --------
    With the bundled Eurostat data (``profile("AT33")``) Tirol's top
    specialisation is accommodation (I55, LQ about 7) and its top cluster
    category Hospitality and Tourism (3 stars). With an own table:

    >>> import pandas as pd
    >>> rows = {"XA11": (50, 30, 20), "XA12": (20, 50, 30), "XB11": (40, 60, 100),
    ...         "XB12": (50, 40, 10)}
    >>> df = pd.DataFrame([
    ...     {"nuts": r, "nace": a, "year": y, "emp": v * (0.8 if y == 2010 else 1.0)}
    ...     for y in (2010, 2015) for r, vals in rows.items() for a, v in zip("abc", vals)])
    >>> p = profile("XA11", data=df, region="nuts", activity="nace", value="emp", n_peers=2)
    >>> p.specialisation[["activity", "employment", "lq_europe"]]
      activity  employment  lq_europe
    0        a        50.0   1.562500
    1        b        30.0   0.833333
    2        c        20.0   0.625000
    """
    target, cols = _old_keywords(target, region, activity, value, time, wages, deprecated)
    check_number("n_peers", n_peers, low=1, integer=True)
    check_clusters(clusters)
    if data is None and dataset not in PROFILE_DATASETS:
        raise InputError(
            f"dataset must be one of {', '.join(map(repr, PROFILE_DATASETS))} (bundled datasets "
            f"of regions by activity); got {dataset!r}. Pass other tables as data="
        )
    prof: dict[str, Any] = {"timings": {}, "unavailable": {}, "notes": []}

    with _Stage(prof, "load data", "data", progress, catch=False):
        if data is None:
            inp = _load_bundled(dataset)
        else:
            inp = _own_inputs(data, cols, year, names is None, geometry is None)
        if estimate_suppressed:
            _estimate(inp)
        if geometry is not None:
            inp.geometry = geometry
        if names is not None:
            inp.names = {str(k): str(v) for k, v in names.items()}
        if countries is not None:
            inp.countries_of = {str(k): str(v) for k, v in countries.items()}
    from ris3.report._compute import compute

    return compute(
        target,
        inp,
        prof,
        year=year,
        compare_year=compare_year,
        map_activity=map_activity,
        n_peers=int(n_peers),
        progress=progress,
        clusters=clusters,
    )


_OLD_COLUMNS = {
    "region_col": "region",
    "activity_col": "activity",
    "value_col": "value",
    "time_col": "time",
    "wages_col": "wages",
}


def _old_keywords(
    target: str | None,
    region: str | None,
    activity: str | None,
    value: str | None,
    time: str | None,
    wages: str | None,
    deprecated: dict[str, Any],
) -> tuple[str, dict[str, str | None]]:
    """Return the target and the column names; accept ris3 0.1's keywords with a FutureWarning."""
    cols: dict[str, str | None] = {
        "region": region,
        "activity": activity,
        "value": value,
        "time": time,
        "wages": wages,
    }
    if target is None and region is not None:
        warnings.warn(
            "profile(region=<target>) is renamed profile(target=<target>) (or the first "
            "argument); region= now names the region column of data=",
            FutureWarning,
            stacklevel=3,
        )
        target, cols["region"] = region, None
    for old, value_ in deprecated.items():
        if old not in _OLD_COLUMNS:
            raise TypeError(f"profile() got an unexpected keyword argument {old!r}")
        new = _OLD_COLUMNS[old]
        warnings.warn(f"{old}= is renamed {new}=", FutureWarning, stacklevel=3)
        if cols[new] is not None:
            raise InputError(f"give {new}= or its old name {old}=, not both")
        cols[new] = value_
    if target is None:
        raise InputError("target must be given: the code or name of the region to profile")
    return target, cols


def _own_inputs(
    data: pd.DataFrame,
    cols: dict[str, str | None],
    year: int | None,
    nuts_names: bool,
    nuts_geometry: bool,
) -> _Inputs:
    """Build inputs from a user's table; NUTS names and boundaries when its codes are NUTS."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame; got {type(data).__name__}")
    named = {
        "region": cols["region"] or "geo",
        "activity": cols["activity"] or "nace_r2",
        "value": cols["value"] or "persons_employed",
        "time": cols["time"] or "year",
        "wages": cols["wages"],
        "units": None,
    }
    period = True
    if named["time"] not in data.columns and cols["time"] is None:
        # one period: a table without a time column (its year, if given, labels it)
        period = year is not None
        data = data.assign(**{str(named["time"]): year if year is not None else 0})
    inp = _Inputs(
        data=data,
        names={},
        activity_names={},
        geometry=None,
        source="data supplied by the user",
        reference="all regions of the data",
        attribution="",
        section_of=None,
        cols=named,
        period_known=period,
    )
    try:
        inp.activity_names = _activity_titles()
    except OSError:
        pass
    if str(named["region"]) in data.columns:
        _nuts_context(inp, nuts_names, nuts_geometry)
    return inp

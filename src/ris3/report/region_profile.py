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
  A region's total is the sum of its non-missing activities.
* "Europe" is the set of all regions in the data for the year; "country" is
  the sum of the regions of the region's country in the data (the first two
  characters of a NUTS code), so both references are built the same way.
* Growth is the annual rate ``(x1 / x0) ** (1 / (year - compare_year)) - 1``.
"""

from __future__ import annotations

import difflib
import time as _time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError, Ris3Error

__all__ = ["STAGES", "RegionProfile", "profile", "suggest_regions"]

#: bundled datasets a profile can be made from (NUTS regions x activities x years)
PROFILE_DATASETS: tuple[str, ...] = ("eu-sbs",)

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
    region, region_name, country : str
        NUTS code, name and country code of the region.
    year, compare_year : int
        The year profiled and the earlier year growth is measured from
        (``compare_year`` is None when the data have one year only).
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
        ``employment_start``, ``growth`` (annual rate), ``stars`` (0-3,
        :func:`ris3.clusters.stars.cluster_stars`), ``stage``
        (:func:`ris3.clusters.portfolio.portfolio`); sorted by ``lq_europe``.
    map_activity : str
        Activity shown on the map of Europe.
    lq_map : DataFrame
        ``geo``, ``lq`` of ``map_activity`` in every region (NaN = missing).
    peers : DataFrame or None
        Peer regions: ``peer``, ``name``, ``rank`` and the similarity columns.
    portfolio : DataFrame or None
        Portfolio rows of the region (:func:`ris3.clusters.portfolio.portfolio`).
    national_growth : float or None
        Annual growth of the country's employment, the portfolio's horizontal line.
    shift_share : DataFrame or None
        The region's rows of :func:`ris3.measures.dynamics.shift_share` ``.tidy()``.
    network_nodes, network_edges : DataFrame or None
        The relatedness network (:mod:`ris3.clusters.networks`).
    opportunities : DataFrame or None
        :func:`ris3.opportunities.diversification.opportunities` ``.tidy()``,
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
    """

    region: str
    region_name: str
    country: str
    year: int
    compare_year: int | None
    source: str
    attribution: str
    coverage: dict[str, float]
    specialisation: pd.DataFrame
    map_activity: str
    lq_map: pd.DataFrame
    peers: pd.DataFrame | None = None
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
    geometry: Mapping[str, Any] | None = field(default=None, repr=False)
    names: Mapping[str, str] = field(default_factory=dict, repr=False)
    activity_names: Mapping[str, str] = field(default_factory=dict, repr=False)

    def top_specialisations(self, n: int = 5) -> pd.DataFrame:
        """The ``n`` activities with the highest LQ against Europe among those with LQ >= 1."""
        t = self.specialisation
        return t[t["lq_europe"] >= 1].head(n).reset_index(drop=True)

    def summary(self) -> str:
        """One line: region, year, coverage and the top specialisations."""
        top = ", ".join(
            f"{a} (LQ {q:.2f})"
            for a, q in zip(
                self.top_specialisations()["activity"], self.top_specialisations()["lq_europe"]
            )
        )
        return (
            f"{self.region} {self.region_name}, {self.year}: "
            f"{self.coverage['region_missing_share']:.0%} of the region's cells missing or "
            f"confidential; top specialisations: {top or 'none'}"
        )


# ---------------------------------------------------------------- inputs


@dataclass
class _Inputs:
    data: pd.DataFrame  # tidy: geo, activity, year, employment [, wages, units]
    names: dict[str, str]
    activity_names: dict[str, str]
    geometry: Mapping[str, Any] | None
    source: str
    attribution: str
    section_of: dict[str, str] | None
    cols: dict[str, str | None]


def _activity_titles() -> dict[str, str]:
    from importlib.resources import files

    path = files("ris3.report").joinpath("assets/nace_r2_divisions.csv")
    with path.open("r", encoding="utf-8") as fh:
        t = pd.read_csv(fh, dtype=str)
    return dict(zip(t["code"], t["title"]))


def _load_bundled(dataset: str) -> _Inputs:
    from ris3 import datasets

    regions = datasets.load(dataset, table="regions")
    names_t = datasets.load(dataset, table="names")
    try:
        info = datasets.info(dataset)  # type: ignore[attr-defined]
    except AttributeError:
        info = {}
    geometry = datasets.geometry(dataset)
    info_d = dict(info) if isinstance(info, Mapping) else vars(info) if info is not None else {}
    source = str(info_d.get("source") or info_d.get("title") or dataset)
    attribution = str(info_d.get("attribution") or "Source: Eurostat.")
    section_of = None
    if "nace_section" in regions.columns:
        pairs = regions[["nace_r2", "nace_section"]].drop_duplicates()
        section_of = dict(zip(pairs["nace_r2"].tolist(), pairs["nace_section"].tolist()))
    return _Inputs(
        data=regions,
        names=dict(zip(names_t["geo"].astype(str).tolist(), names_t["name"].astype(str).tolist())),
        activity_names=_activity_titles(),
        geometry=geometry,
        source=source,
        attribution=attribution,
        section_of=section_of,
        cols={
            "region": "geo",
            "activity": "nace_r2",
            "value": "persons_employed",
            "time": "year",
            "wages": "wages_eur_million" if "wages_eur_million" in regions.columns else None,
            "units": "local_units" if "local_units" in regions.columns else None,
        },
    )


# ---------------------------------------------------------------- region lookup


def suggest_regions(code: str, names: Mapping[str, str], regions: Any, n: int = 5) -> list[str]:
    """Closest region codes (as ``"CODE Name"``) to a code or name that was not found.

    Codes starting with ``code`` come first, then regions whose name matches,
    then codes and names that look alike.

    Examples
    --------
    >>> names = {"AT32": "Salzburg", "AT33": "Tirol", "AT34": "Vorarlberg", "DE21": "Oberbayern"}
    >>> suggest_regions("AT3", names, list(names))
    ['AT32 Salzburg', 'AT33 Tirol', 'AT34 Vorarlberg']
    >>> suggest_regions("tyrol", names, list(names))
    ['AT33 Tirol']
    """
    codes = sorted(str(r) for r in regions)
    q = str(code).strip()
    out: list[str] = [c for c in codes if c.upper().startswith(q.upper()) and q]
    lower = {c: str(names.get(c, "")).lower() for c in codes}
    out += [c for c in codes if q.lower() and q.lower() in lower[c] and c not in out]
    if len(out) < n:
        out += [
            c for c in difflib.get_close_matches(q.upper(), codes, n=n, cutoff=0.6) if c not in out
        ]
    if len(out) < n:
        by_name = {lower[c]: c for c in codes if lower[c]}
        for nm in difflib.get_close_matches(q.lower(), list(by_name), n=n, cutoff=0.6):
            if by_name[nm] not in out:
                out.append(by_name[nm])
    return [f"{c} {names.get(c, '')}".strip() for c in out[:n]]


def _check_region(region: str, present: pd.Index, names: Mapping[str, str], year: int) -> None:
    if region in set(present):
        return
    close = suggest_regions(region, names, present)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InputError(
        f"region {region!r} is not in the data for {year} ({len(present)} regions, e.g. "
        f"{short_list(sorted(map(str, present))[:5], 5)}).{hint}"
    )


# ---------------------------------------------------------------- helpers


def _cagr(x1: Any, x0: Any, years: float) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            np.asarray(x0) > 0, (np.asarray(x1) / np.asarray(x0)) ** (1.0 / years) - 1.0, np.nan
        )


def _pick_years(
    data: pd.DataFrame,
    tcol: str,
    vcol: str,
    rcol: str,
    region: str,
    year: int | None,
    compare: int | None,
) -> tuple[int, int | None]:
    years = sorted(pd.unique(data[tcol]))
    if year is None:
        have = data.loc[(data[rcol] == region) & data[vcol].notna(), tcol]
        year = int(max(have)) if len(have) else int(years[-1])
    elif year not in set(years):
        raise InputError(f"year must be one of the data's years {short_list(years)}; got {year!r}")
    if compare is None:
        have = sorted(set(data.loc[(data[rcol] == region) & data[vcol].notna(), tcol]))
        earlier = [y for y in have if y < year]
        if earlier:
            wanted = [y for y in earlier if y >= year - 5]
            compare = int(min(wanted) if wanted else max(earlier))
    else:
        if compare not in set(years):
            raise InputError(
                f"compare_year must be one of the data's years {short_list(years)}; got {compare!r}"
            )
        if compare >= year:
            raise InputError(f"compare_year must be before year={year}; got {compare!r}")
    return int(year), None if compare is None else int(compare)


class _Stage:
    """Time a stage; turn a missing module or a ris3 error into an 'unavailable' note."""

    def __init__(
        self,
        prof: dict[str, Any],
        name: str,
        section: str,
        progress: Callable[[str], None] | None,
        catch: bool = True,
    ):
        self.prof, self.name, self.section, self.progress = prof, name, section, progress
        self.catch = catch
        self.ok = True

    def __enter__(self) -> _Stage:
        if self.progress is not None:
            self.progress(self.name)
        self.t0 = _time.perf_counter()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self.prof["timings"][self.name] = _time.perf_counter() - self.t0
        if exc is None or not self.catch:
            return False
        if isinstance(exc, ImportError) and "ris3" in str(exc):
            self.prof["unavailable"][self.section] = (
                f"not available in this version of ris3 ({type(exc).__name__}: {exc})"
            )
        elif isinstance(exc, Ris3Error):
            self.prof["unavailable"][self.section] = f"could not be computed: {exc}"
        else:
            return False  # a bug: let it surface
        self.ok = False
        return True


# ---------------------------------------------------------------- the profile


def profile(
    region: str,
    *,
    dataset: str = "eu-sbs",
    data: pd.DataFrame | None = None,
    geometry: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
    region_col: str = "geo",
    activity_col: str = "nace_r2",
    value_col: str = "persons_employed",
    time_col: str = "year",
    wages_col: str | None = None,
    year: int | None = None,
    compare_year: int | None = None,
    map_activity: str | None = None,
    n_peers: int = 10,
    progress: Callable[[str], None] | None = None,
) -> RegionProfile:
    """Compute the smart-specialisation profile of one region.

    Parameters
    ----------
    region : str
        NUTS code of the region (e.g. ``"AT33"``); an unknown code raises an
        error that suggests the closest codes and names.
    dataset : str, default "eu-sbs"
        Bundled dataset (:mod:`ris3.datasets`) used when ``data`` is None.
    data : DataFrame, optional
        Own tidy table: one row per region x activity x year with employment;
        the column names are given by ``region_col``, ``activity_col``,
        ``value_col``, ``time_col`` (and ``wages_col`` for the wage component
        of attractiveness). Activities must not overlap (one level of a
        classification).
    geometry : dict, optional
        GeoJSON FeatureCollection of the regions for the maps (property
        ``NUTS_ID``); default the dataset's.
    names : mapping, optional
        Region code -> name; default the dataset's.
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

    Returns
    -------
    RegionProfile

    Raises
    ------
    InputError
        Unknown region, year or activity, or an invalid table.

    Examples
    --------
    With the bundled Eurostat data (``profile("AT33")``) Tirol's top
    specialisation is accommodation (I55, LQ about 7). With an own table:

    >>> import pandas as pd
    >>> rows = {"XA11": (50, 30, 20), "XA12": (20, 50, 30), "XB11": (40, 60, 100),
    ...         "XB12": (50, 40, 10)}
    >>> df = pd.DataFrame([
    ...     {"nuts": r, "nace": a, "year": y, "emp": v * (0.8 if y == 2010 else 1.0)}
    ...     for y in (2010, 2015) for r, vals in rows.items() for a, v in zip("abc", vals)])
    >>> p = profile("XA11", data=df, region_col="nuts", activity_col="nace",
    ...             value_col="emp", n_peers=2)
    >>> p.specialisation[["activity", "employment", "lq_europe"]]
      activity  employment  lq_europe
    0        a        50.0   1.562500
    1        b        30.0   0.833333
    2        c        20.0   0.625000
    """
    check_number("n_peers", n_peers, low=1, integer=True)
    if data is None and dataset not in PROFILE_DATASETS:
        raise InputError(
            f"dataset must be one of {', '.join(map(repr, PROFILE_DATASETS))} (bundled datasets "
            f"of NUTS regions by activity); got {dataset!r}. Pass other tables as data="
        )
    prof: dict[str, Any] = {"timings": {}, "unavailable": {}, "notes": []}

    with _Stage(prof, "load data", "data", progress, catch=False):
        if data is None:
            inp = _load_bundled(dataset)
        else:
            inp = _Inputs(
                data=data,
                names={},
                activity_names={},
                geometry=None,
                source="data supplied by the user",
                attribution="",
                section_of=None,
                cols={
                    "region": region_col,
                    "activity": activity_col,
                    "value": value_col,
                    "time": time_col,
                    "wages": wages_col,
                    "units": None,
                },
            )
            try:
                inp.activity_names = _activity_titles()
            except OSError:
                pass
        if geometry is not None:
            inp.geometry = geometry
        if names is not None:
            inp.names = {str(k): str(v) for k, v in names.items()}
    from ris3.report._compute import compute

    return compute(
        region,
        inp,
        prof,
        year=year,
        compare_year=compare_year,
        map_activity=map_activity,
        n_peers=int(n_peers),
        progress=progress,
    )

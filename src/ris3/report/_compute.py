"""The computations behind :func:`ris3.report.profile`, one function per section.

Each section calls the public ris3 function that owns the measure and keeps
its output as a table; nothing here re-implements a measure.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ris3._values import numeric_values
from ris3.errors import InputError
from ris3.measures._common import annual_growth
from ris3.report._denominators import (
    _coverage,
    _location_quotients,
    _mark_estimated,
    _published_notes,
    _renames,
)
from ris3.report._inputs import (
    _check_region,
    _Inputs,
    _pick_years,
    _published,
    _Stage,
    resolve_region_name,
)
from ris3.report.region_profile import RegionProfile

# the tidy column names used inside the profile
R, A, V, T = "geo", "activity", "employment", "year"


def _tidy_input(inp: _Inputs) -> tuple[pd.DataFrame, list[str]]:
    """Return the data with the profile's column names, extra-regio codes left out."""
    c = inp.cols
    keep = {c["region"]: R, c["activity"]: A, c["value"]: V, c["time"]: T}
    if c.get("wages"):
        keep[str(c["wages"])] = "wages"
    if c.get("units"):
        keep[str(c["units"])] = "units"
    if f"{c['value']}_flag" in inp.data.columns:  # Eurostat flags: breaks in series
        keep[f"{c['value']}_flag"] = "flag"
    if "estimated" in inp.data.columns:
        keep["estimated"] = "estimated"
    if "nuts_converted" in inp.data.columns:  # regions split or merged between NUTS versions
        keep["nuts_converted"] = "converted"
    missing = [k for k in keep if k not in inp.data.columns]
    if missing:
        raise InputError(
            f"data has no column(s) {missing}; name them with region=, activity=, value=, "
            f"time= (available: {list(map(str, inp.data.columns))[:20]})"
        )
    d = inp.data[list(keep)].rename(columns=keep)
    # real numbers only (a flag such as 'c' left in the value column is an input error)
    d[V] = numeric_values(inp.data, str(c["value"]), "value")
    if "estimated" in d.columns:
        d["estimated"] = d["estimated"].fillna(False).astype(bool)
    else:
        d["estimated"] = False
    # an estimate either way: a filled confidential cell, or a cell of a converted region
    converted = d.pop("converted").fillna(False).astype(bool) if "converted" in d else False
    d["estimate"] = d["estimated"] | converted
    d[R] = d[R].astype(str)
    d[A] = d[A].astype(str)
    short = pd.unique(d.loc[d[R].str.len() <= 2, R])
    if len(short):
        raise InputError(
            f"column {c['region']!r} must hold NUTS codes of regions below the country level "
            f"(country code + at least one character, e.g. 'AT33'); got {list(short[:5])}"
        )
    notes = []
    extra = d[R].str.upper().str.endswith("ZZ")
    if extra.any():
        notes.append(
            f"Extra-regio units ({', '.join(sorted(d.loc[extra, R].unique())[:5])}...) are not "
            "regions and were left out."
        )
        d = d[~extra]
    return d.reset_index(drop=True), notes


def compute(
    region: str,
    inp: _Inputs,
    prof: dict[str, Any],
    *,
    year: int | None,
    compare_year: int | None,
    map_activity: str | None,
    n_peers: int,
    progress: Callable[[str], None] | None,
    clusters: str | None = None,
) -> RegionProfile:
    from ris3.report._clusters import resolve_clusters

    d, notes = _tidy_input(inp)
    clusters = (
        resolve_clusters(clusters, pd.unique(d[A]))
        if inp.clusters == "nace"
        else (clusters or "categories")
    )
    prof["notes"].extend(notes)
    if inp.estimation is not None:
        prof["notes"].append(
            f"Confidential cells estimated (ris3.estimate_suppressed): {inp.estimation}"
        )
    region = resolve_region_name(str(region).strip(), pd.unique(d[R]), inp.names)
    y, y0 = _pick_years(d, T, V, R, region if region in set(d[R]) else "", year, compare_year)
    present = pd.Index(pd.unique(d.loc[(d[T] == y) & d[V].notna(), R]))
    if region not in set(present) and region in set(d[R]):
        have = sorted(set(d.loc[(d[R] == region) & d[V].notna(), T]))
        raise InputError(
            f"region {region!r} has no data for {y}; years with data: "
            f"{', '.join(map(str, have)) or 'none'}"
        )
    _check_region(region, present, inp.names, y if inp.period_known else "the data's period")
    # region -> country, from a hierarchy (NUTS, the nation of US metros, or the user's)
    countries = inp.country_map(pd.unique(d[R]))
    country = countries[region]
    if country is None:
        prof["notes"].append(
            f"No country is known for {region} (its code is in no hierarchy ris3 has, and no "
            "countries= were given): LQs against the country are not computed and the growth "
            "line is that of all regions of the data."
        )
    elif inp.nation is not None:
        prof["notes"].append(
            f"Country: every region of these data is in {inp.nation[1]}, so the LQ against the "
            f"country equals the LQ against the reference ({inp.reference}: all regions of the "
            "data)."
        )
    prof["notes"].extend(_quality_notes(inp, region, y, country))
    years = [y] if y0 is None else [y0, y]
    dy = d[d[T].isin(years)]
    cur = d[d[T] == y]
    breaks = _break_cells(d, y0, y)

    # ---------------------------------------------------------------- specialisation
    with _Stage(prof, "specialisation", "specialisation", progress, catch=False):
        cells_r = cur[cur[R] == region]
        coverage = _coverage(cells_r, cur)
        pub = _published(inp, years, _renames(inp))
        lq_eu, lq_cn = _location_quotients(dy, pub, countries)
        if pub is not None:
            _published_notes(prof, pub, coverage, cells_r, region, y)
        now = lq_eu[(lq_eu[R] == region) & (lq_eu[T] == y)]
        spec = now[[A, V, "share", "lq"]].rename(columns={"lq": "lq_europe"})
        cn = lq_cn[(lq_cn[R] == region) & (lq_cn[T] == y)][[A, "lq"]]
        spec = spec.merge(cn.rename(columns={"lq": "lq_country"}), on=A, how="left")
        # the region's missing or confidential cells stay in the table, as missing
        gaps = cells_r.loc[cells_r[V].isna(), [A]]
        spec = pd.concat([spec, gaps], ignore_index=True)
        # a row rests on an estimate when its cell is one in the year profiled or the start year
        mine_both = dy[dy[R] == region]
        estimated = set(mine_both.loc[mine_both["estimate"], A])
        spec["estimated"] = spec[A].isin(estimated)
        if y0 is not None:
            before = dy[(dy[R] == region) & (dy[T] == y0)][[A, V]]
            spec = spec.merge(before.rename(columns={V: "employment_start"}), on=A, how="left")
            spec["growth"] = annual_growth(spec["employment_start"], spec[V], y - y0)
        else:
            spec["employment_start"] = np.nan
            spec["growth"] = np.nan
        spec.insert(1, "activity_name", spec[A].map(inp.activity_names).fillna(spec[A]))
        spec["stars"] = np.nan
        spec["stage"] = None
        spec["lq_change"] = np.nan  # on the cells observed in both years (portfolio)
        spec["break_in_series"] = _break_column(spec[A], region, breaks, "flag" in d.columns)
        # growth across a break in series is not shown (nor ranked, nor staged)
        spec.loc[spec["break_in_series"].fillna(False).to_numpy(dtype=bool), "growth"] = np.nan
        spec = spec[[c for c in spec.columns if c != "estimated"] + ["estimated"]]
        spec = spec.sort_values(
            "lq_europe", ascending=False, kind="stable", na_position="last"
        ).reset_index(drop=True)
        if map_activity is None:
            top = spec[spec[V] > 0]
            map_activity = str(top[A].iloc[0]) if len(top) else str(spec[A].iloc[0])
        elif map_activity not in set(lq_eu[A]):
            raise InputError(
                f"map_activity {map_activity!r} is not an activity of the data; e.g. "
                f"{sorted(set(lq_eu[A]))[:8]}"
            )
        m = lq_eu[(lq_eu[T] == y) & (lq_eu[A] == map_activity)][[R, "lq"]]
        grid = pd.DataFrame({R: pd.unique(cur[R])})
        lq_map = grid.merge(m, on=R, how="left")
        est_map = cur.loc[(cur[A] == map_activity) & cur["estimate"], R]
        lq_map["estimated"] = lq_map[R].isin(set(est_map))

    out = RegionProfile(
        region=region,
        region_name=inp.names.get(region, region),
        country=country,
        country_name=inp.nation[1] if inp.nation is not None else country,
        period_known=inp.period_known,
        region_label=inp.region_label,
        activity_label=inp.activity_label,
        map_credit=inp.map_credit,
        year=y,
        compare_year=y0,
        source=inp.source,
        attribution=inp.attribution,
        coverage=coverage,
        specialisation=spec,
        map_activity=str(map_activity),
        lq_map=lq_map,
        geometry=inp.geometry,
        names=inp.names,
        activity_names=inp.activity_names,
        reference=inp.reference,
        countries=countries,
        notes=prof["notes"],
        unavailable=prof["unavailable"],
        timings=prof["timings"],
    )
    if y0 is None:
        for sec in ("portfolio", "shift-share"):
            out.unavailable[sec] = "the data have only one year for this region; growth needs two"

    with _Stage(prof, "peers", "peers", progress):
        _peers(out, cur, n_peers, inp)
    with _Stage(prof, "portfolio and stars", "portfolio", progress):
        _portfolio(
            out, dy, cur, y, y0, breaks, categories=clusters == "categories", family=inp.clusters
        )
    if y0 is not None:
        with _Stage(prof, "shift-share", "shift-share", progress):
            _shift_share(out, dy, y, y0, breaks)
    with _Stage(prof, "relatedness network", "network", progress):
        _network(out, cur)
    with _Stage(prof, "opportunities", "opportunities", progress):
        _opportunities(out, dy, y, y0)
    with _Stage(prof, "diversity", "diversity", progress):
        _diversity(out, cur, inp.section_of)
    _mark_estimated(out, d, y)
    return out


# ---------------------------------------------------------------- sections

_FLAGS = {
    "b": "break in series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "i": "see metadata",
    "p": "provisional",
    "u": "low reliability",
}


def _quality_notes(inp: _Inputs, region: str, year: int, country: str | None) -> list[str]:
    """Data-quality notes on the region's cells from the dataset's flag columns."""
    c = inp.cols
    d = inp.data
    mine = d[(d[c["region"]].astype(str) == region) & (d[c["time"]] == year)]
    notes = []
    flag_col = f"{c['value']}_flag"
    if flag_col in mine.columns:
        flags = mine[flag_col].dropna().astype(str)
        counts = {f: int(flags.str.contains(f, regex=False).sum()) for f in _FLAGS}
        listed = [f"{n} {_FLAGS[f]} ({f})" for f, n in counts.items() if n]
        if listed:
            notes.append(f"Eurostat flags on {region}'s {year} cells: {', '.join(listed)}.")
    if "nuts_converted" in mine.columns:
        n = int(mine["nuts_converted"].fillna(False).astype(bool).sum())
        if n:
            notes.append(
                f"{n} of {region}'s {year} cells are estimates from converting older NUTS codes "
                "to NUTS 2021 (JRC converter matrices)."
            )
    if country == "FR":
        notes.append(
            "France's regional business statistics count head-office employment in the "
            "region of the head office, which inflates the capital region (FR10)."
        )
    return notes


def _conversion(out: RegionProfile, inp: _Inputs | None) -> None:
    """Mark a region estimated by NUTS conversion and find its split siblings.

    Data with a ``nuts_converted`` column come from the bundled eu-sbs (or
    rows of it); its ``nuts_conversion`` table says which older region each
    converted region was shared out from.
    """
    if inp is None or "nuts_converted" not in inp.data.columns:
        return
    from ris3 import datasets
    from ris3.diversification.peers import split_siblings

    c = inp.cols
    d = inp.data
    mine = d[d[c["region"]].astype(str) == out.region]
    years = [y for y in (out.compare_year, out.year) if y is not None]
    out.converted_years = [
        int(y)
        for y in years
        if mine.loc[mine[c["time"]] == y, "nuts_converted"].fillna(False).astype(bool).any()
    ]
    out.converted = out.year in out.converted_years
    conv = datasets.load("eu-sbs", "nuts_conversion")
    sib = split_siblings(conv, out.region, year=out.year)
    out.split_siblings = sorted(set(sib["sibling"]))
    rows = conv[~conv["status"].isin(["unchanged", "recoded", "unknown_kept"])]
    in_years = [any(str(y) in str(ys).split() for y in out.converted_years) for ys in rows["years"]]
    rows = rows[np.asarray(in_years, dtype=bool)]
    hit = np.asarray([out.region in str(c).split() for c in rows["to_codes"]], dtype=bool)
    out.converted_from = sorted(set(rows.loc[hit, "from_code"].astype(str)))
    if out.converted_years and not out.converted:
        src = ", ".join(out.converted_from) or "older NUTS regions"
        out.notes.append(
            f"{out.region}'s {', '.join(map(str, out.converted_years))} values are estimates "
            f"shared out from {src} (older NUTS codes) by the JRC population weights: every "
            "growth figure of this profile starts from them."
        )
    if out.converted:
        src = ", ".join(out.converted_from) or "older NUTS regions"
        out.notes.append(
            f"{out.region}'s {out.period} values are estimates: Eurostat published them for "
            f"{src} (older NUTS codes), shared out to NUTS 2021 regions by the JRC population "
            "weights, so its activity structure is partly that of "
            f"{'that region' if len(out.converted_from) == 1 else 'those regions'}"
            + (
                f"; {', '.join(out.split_siblings)} (estimated from the same region) "
                "are not offered as peers."
                if out.split_siblings
                else "."
            )
        )


def _peers(out: RegionProfile, cur: pd.DataFrame, n_peers: int, inp: _Inputs | None = None) -> None:
    from ris3.diversification.peers import peers

    _conversion(out, inp)
    res = peers(
        cur,
        region=R,
        activity=A,
        value=V,
        target=out.region,
        n=n_peers,
        missing="drop",
        exclude=out.split_siblings or None,
    )
    t = res.tidy() if hasattr(res, "tidy") else res
    t = t.rename(columns={R: "peer"}) if "peer" not in t.columns else t
    if "rank" not in t.columns:
        t = t.assign(rank=np.arange(1, len(t) + 1))
    t["name"] = [out.names.get(str(c), str(c)) for c in t["peer"]]
    out.peers = t.reset_index(drop=True)
    out.notes.append(
        f"Peers: the {len(t)} regions whose employment shares across activities are most "
        f"similar to {out.region}'s in {out.period} (cosine similarity)."
    )


def _portfolio(
    out: RegionProfile,
    dy: pd.DataFrame,
    cur: pd.DataFrame,
    y: int,
    y0: int | None,
    breaks: pd.MultiIndex,
    *,
    categories: bool = False,
    family: str = "nace",
) -> None:
    from ris3.clusters.definitions import ClusterDefinition
    from ris3.clusters.eu_definitions import eu_benchmark_clusters
    from ris3.clusters.mapping import map_clusters
    from ris3.clusters.portfolio import portfolio
    from ris3.clusters.stars import cluster_stars
    from ris3.report._clusters import CATEGORY_NOTE, category_portfolio, category_stars

    acts = pd.DataFrame({"activity": sorted(pd.unique(dy[A]))})
    acts["name"] = acts["activity"].map(out.activity_names).fillna(acts["activity"])
    definition = ClusterDefinition.from_frame(
        acts,
        activity="activity",
        cluster="activity",
        cluster_name="name",
        name="one cluster per activity",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cm_now = map_clusters(cur, definition, region=R, activity=A, value=V, missing="drop")
    stars = cluster_stars(cm_now)
    st = stars[stars[R] == out.region][["cluster", "stars"]]
    spec = out.specialisation.drop(columns=["stars"]).merge(
        st.rename(columns={"cluster": A}), on=A, how="left"
    )
    # a missing or confidential cell has no star rating (cluster maps read it as absent)
    spec.loc[spec[V].isna(), "stars"] = np.nan
    out.specialisation = spec[out.specialisation.columns]  # stars are kept whatever follows
    eu = None
    if categories and family == "us":
        eu = _us_categories(out, cur)
    elif categories:
        eu = eu_benchmark_clusters()
    if eu is not None and family == "nace":
        out.clusters = category_stars(out.region, cur, eu)
        out.cluster_definition = eu.name
        out.notes.append(
            f"{CATEGORY_NOTE} Stars (European Cluster Observatory: size and focus among the "
            "top 10 % of regions, specialisation at LQ >= 2) and strong clusters (US Cluster "
            "Mapping: traded categories, LQ on traded employment) per category are from "
            f"ris3.eu_cluster_stars on the {out.period} cells: a category's employment is its divisions' "
            "employment split by weight, its LQ is against all regions of the data with the "
            "sum of each region's observed divisions as its total (not the published totals of "
            "the division table). visible_share: share of the category the data cover at all; "
            f"incomplete_share: share lying on {out.region}'s missing or confidential cells "
            "(its employment is then a lower bound). The Stars and Stage columns of the "
            "division table rate each division as its own cluster."
        )
    if y0 is None:
        return
    # one set of cells for every number compared across the years: observed in both
    # years and without a break in series in between
    both = _observed_both(dy, y0, y, breaks)
    nat = both if out.country is None else both[both[R].map(out.countries) == out.country]
    e0 = nat.loc[nat[T] == y0, V].sum()
    e1 = nat.loc[nat[T] == y, V].sum()
    g = float(annual_growth(e0, e1, y - y0))
    if not np.isfinite(g):
        raise InputError(
            f"the national growth of {out.country} is undefined: its regions have no "
            f"employment in {y0} in the cells comparable with {y} (a value in both years "
            "and no break in series in between)"
        )
    out.national_growth = g
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cm = map_clusters(both, definition, region=R, activity=A, value=V, time=T, missing="drop")
    pf = portfolio(cm, start=y0, end=y, target=out.region, reference_growth=out.national_growth)
    # a cell missing in either year (or across a break) has no growth, LQ change or stage:
    # its observed values are shown, never a 0 from the map of comparable cells
    mine = dy[dy[R] == out.region]
    v0 = pf["cluster"].map(mine[mine[T] == y0].set_index(A)[V])
    v1 = pf["cluster"].map(mine[mine[T] == y].set_index(A)[V])
    seen = set(both.loc[both[R] == out.region, A])
    gap = ~pf["cluster"].isin(seen).to_numpy()
    is_break = _break_column(pf["cluster"], out.region, breaks, "flag" in dy.columns)
    pf["value"] = pf["value"].where(~gap, v1)
    pf["value_start"] = pf["value_start"].where(~gap, v0)
    for col in (
        "change",
        "growth",
        "lq",
        "lq_start",
        "lq_change",
        "share",
        "quadrant",
        "stage",
    ):
        pf[col] = (
            pf[col].astype(object).where(~gap, None)
            if pf[col].dtype == object
            else pf[col].where(~gap)
        )
    status = pf["status"].to_numpy(dtype=object).copy()
    miss0, miss1 = v0.isna().to_numpy(), v1.isna().to_numpy()
    status[gap & miss0] = "missing_start"
    status[gap & miss1] = "missing_end"
    status[gap & miss0 & miss1] = "missing_both"
    status[gap & is_break.fillna(False).to_numpy(dtype=bool)] = "break"
    pf["status"] = status
    pf["break_in_series"] = is_break.to_numpy()
    stage = pf[["cluster", "stage", "lq_change"]].rename(columns={"cluster": A})
    spec = out.specialisation.drop(columns=["stage", "lq_change"]).merge(stage, on=A, how="left")
    spec.loc[spec[V].isna(), "stage"] = None
    out.specialisation = spec[out.specialisation.columns]
    n_gap = int((gap & (status != "break")).sum())
    n_break = int((status == "break").sum())
    if eu is not None:
        out.portfolio = category_portfolio(out.region, dy, both, y0, y, g, eu)
        n_inc = int((out.portfolio["status"] == "incomplete").sum())
        out.notes.append(
            f"Portfolio by cluster category: growth, LQs at both ends, quadrant and stage of "
            f"each category compare {y0} and {y} on the same cells: those with a value in both "
            f"years and no break in series in between, in {out.region} and in every other region "
            f"({n_gap} of {out.region}'s divisions missing or confidential in one of the years "
            f"and {n_break} with a break are left out, never counted as 0; {n_inc} categories "
            "rest partly on them, their incomplete_share says how much; a category with none "
            "of its divisions comparable has no values). The horizontal line is the annual "
            f"employment growth of {out.country} ({g:.2%}) on those cells. The Stage column of "
            "the division table is the portfolio of each division as its own cluster."
        )
        return
    out.portfolio = pf.reset_index(drop=True)
    out.notes.append(
        f"Portfolio and stars treat each activity as its own cluster. Growth, LQ change, "
        f"quadrant and stage compare {y0} and {y} on the same cells: those with a value in "
        f"both years and no break in series in between, in {out.region} and in every other "
        f"region (the portfolio's LQs are on those cells, so they can differ from the LQs "
        f"of {y} on all observed cells). The horizontal line is the annual employment growth "
        f"of {out.country} ({out.national_growth:.2%}) on those cells; quadrant and stage "
        f"both compare an activity's growth with it. Left out in {out.region}: {n_gap} "
        f"activit(ies) missing or confidential in one of the years, {n_break} with a break "
        "in series (growth not shown, no stage)."
    )


def _break_cells(d: pd.DataFrame, y0: int | None, y: int) -> pd.MultiIndex:
    """(region, activity) cells whose flag holds "b" in a year after ``y0`` up to ``y``.

    Eurostat puts "b" on the first value of a new series, so a flag on ``y0``
    itself marks a break before the comparison.
    """
    if y0 is None or "flag" not in d.columns:
        return pd.MultiIndex.from_arrays([[], []], names=[R, A])
    f = d["flag"]
    hit = f.notna() & f.astype(str).str.contains("b", regex=False)
    hit &= (d[T] > y0) & (d[T] <= y)
    return pd.MultiIndex.from_frame(d.loc[hit, [R, A]].drop_duplicates())


def _break_column(
    activities: pd.Series, region: str, breaks: pd.MultiIndex, has_flags: bool
) -> pd.Series:
    """Boolean per activity of ``region``: a break in series (NA without flags)."""
    if not has_flags:
        return pd.Series(pd.NA, index=activities.index, dtype="boolean")
    mine = set(breaks[breaks.get_level_values(0) == region].get_level_values(1))
    return activities.isin(mine).astype("boolean")


def _observed_both(
    dy: pd.DataFrame, y0: int, y: int, breaks: pd.MultiIndex | None = None
) -> pd.DataFrame:
    """Rows of the cells (region, activity) with a value in both years (and no break).

    A cell missing or confidential in one year would otherwise count as 0 there
    and show up as a spurious entry or exit; a value across a break in series is
    not comparable with the earlier one.
    """
    known = dy[dy[V].notna() & dy[T].isin([y0, y])]
    n_years = known.groupby([R, A])[T].transform("nunique")
    known = known[n_years == 2]
    if breaks is not None and len(breaks):
        cell = pd.MultiIndex.from_frame(known[[R, A]])
        known = known[~cell.isin(breaks)]
    return known


def _shift_share(
    out: RegionProfile, dy: pd.DataFrame, y: int, y0: int, breaks: pd.MultiIndex
) -> None:
    from ris3.measures.dynamics import shift_share

    both = _observed_both(dy, y0, y, breaks)
    if not (both[R] == out.region).any():
        raise InputError(
            f"no activity of {out.region} is comparable between {y0} and {y} (a value in both "
            "years and no break in series in between)"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ss = shift_share(
            both,
            region=R,
            activity=A,
            value=V,
            time=T,
            start=y0,
            end=y,
            unbalanced="drop",
        )
    t = ss.tidy()
    t = t[t[R] == out.region].reset_index(drop=True)
    t.insert(2, "activity_name", t[A].map(out.activity_names).fillna(t[A]))
    out.shift_share = t
    n_cells = int(dy.loc[(dy[R] == out.region) & (dy[T] == y), A].nunique())
    n_both = int(both.loc[both[R] == out.region, A].nunique())
    out.notes.append(
        f"Shift-share uses the cells with a value in both {y0} and {y} ({n_both} of "
        f"{out.region}'s {n_cells} activity cells; all regions likewise), so that a cell that "
        "is confidential in one year does not count as an entry or exit"
        + (
            f"; cells with a break in series between {y0} and {y} are left out too "
            f"({int((breaks.get_level_values(0) == out.region).sum())} in {out.region})."
            if len(breaks)
            else "."
        )
    )
    if getattr(ss, "dropped_regions", None):
        out.notes.append(
            f"Shift-share: {len(ss.dropped_regions)} region(s) without data in both {y0} and {y} "
            "were left out of the reference."
        )


def _network(out: RegionProfile, cur: pd.DataFrame) -> None:
    from ris3.clusters.networks import relatedness_network
    from ris3.measures.relatedness import proximity

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        phi = proximity(cur, region=R, activity=A, value=V, missing="drop")
    spec = out.specialisation
    attrs = pd.DataFrame(
        {
            "id": spec[A].astype(str),
            "name": spec["activity_name"].astype(str),
            "specialised": (spec["lq_europe"] >= 1).to_numpy(),
            "employment": spec[V].to_numpy(),
        }
    )
    n_act = int(phi["activity_from"].nunique()) if "activity_from" in phi.columns else len(attrs)
    net = relatedness_network(phi, max_extra_edges=2 * n_act, node_attributes=attrs, seed=0)
    nodes = net.nodes.copy()
    nodes["specialised"] = nodes["specialised"].fillna(False).astype(bool)
    nodes["name"] = nodes["name"].fillna(nodes["id"])
    out.network_nodes, out.network_edges = nodes, net.edges.copy()
    out.notes.append(
        "Relatedness network: proximity (Hidalgo et al. 2007) from co-specialisation of the "
        f"regions in {out.period}; maximum spanning tree plus the {2 * n_act} strongest other links."
    )


def _opportunities(out: RegionProfile, dy: pd.DataFrame, y: int, y0: int | None) -> None:
    from ris3.diversification.opportunities import opportunities

    wages = None
    if "wages" in dy.columns:
        wages = dy[dy["wages"].notna()][[R, A, T, "wages"]]
    from ris3.errors import DataQualityWarning

    peers = list(out.peers["peer"]) if out.peers is not None else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = opportunities(
            dy.drop(columns=[c for c in ("wages", "units") if c in dy.columns]),
            region=R,
            activity=A,
            value=V,
            time=T,
            target=out.region,
            period=y,
            compare=y0,
            wages=wages,
            wage_value="wages" if wages is not None else None,
            peers=peers,
            missing="drop",
        )
    t = res.tidy()
    t.insert(
        1,
        "activity_name",
        t["activity"].map(out.activity_names).fillna(t["activity"]),
    )
    t = t.sort_values("score_balanced", ascending=False, na_position="last", kind="stable")
    out.opportunities = t.reset_index(drop=True)
    out.notes.append(
        "Opportunities: attractiveness averages the percentile ranks of "
        f"{', '.join(res.components)}; the ranking uses the balanced strategy score "
        "(feasibility and attractiveness weighted equally)."
    )
    if res.unknown:
        out.notes.append(
            f"Opportunities: {len(res.unknown)} of {out.region}'s activities are missing or "
            f"confidential in {out.period} ({', '.join(map(str, res.unknown[:8]))}"
            + (", ..." if len(res.unknown) > 8 else "")
            + "); they are listed as 'unknown (confidential)', without LQ or score, and are "
            "never ranked as opportunities or threats."
        )
    for w in caught:
        if issubclass(w.category, DataQualityWarning):
            out.notes.append(f"Opportunities: {w.message}")


def _diversity(out: RegionProfile, cur: pd.DataFrame, section_of: dict[str, str] | None) -> None:
    from ris3.measures.diversity import diversity, variety

    regions = [out.region] + (list(out.peers["peer"]) if out.peers is not None else [])
    div = diversity(cur, region=R, activity=A, value=V, missing="drop")
    div = div[div[R].isin(regions)]
    if section_of is None:
        from ris3.data.classifications import hierarchy

        h = hierarchy("nace_eurostat")
        section_of = dict(zip(h["child"], h["parent"]))
    sub = cur[cur[R].isin(regions)]
    var = variety(sub, region=R, activity=A, value=V, hierarchy=section_of, missing="drop")
    t = div.merge(var, on=R, how="outer")
    t.insert(1, "name", [out.names.get(str(c), str(c)) for c in t[R]])
    order = {r: i for i, r in enumerate(regions)}
    out.diversity = t.sort_values(R, key=lambda s: s.map(order)).reset_index(drop=True)


def _us_categories(out: RegionProfile, cur: pd.DataFrame) -> Any:
    """Return the US benchmark clusters of a metro area (County Business Patterns, 6-digit NAICS).

    County Business Patterns publish every industry with an establishment in an
    area, so an industry absent from an area has no establishment there: a true
    0, filled in for the cluster sums. A cell published as 0 employees with
    establishments may be withheld and stays missing (its clusters'
    ``incomplete_share`` says how much rests on such cells).
    """
    from ris3.clusters.definitions import us_benchmark_clusters
    from ris3.report._clusters import category_stars

    definition = us_benchmark_clusters()
    grid = pd.MultiIndex.from_product(
        [pd.unique(cur[R]), pd.unique(cur[A])], names=[R, A]
    ).to_frame(index=False)
    full = grid.merge(cur, on=[R, A], how="left")
    absent = full[T].isna()
    full.loc[absent, T] = cur[T].iloc[0]
    full.loc[absent, V] = 0.0
    if "units" in full.columns:
        full.loc[absent, "units"] = 0.0
    full["estimated"] = full["estimated"].fillna(False).astype(bool)
    full[T] = full[T].astype(cur[T].dtype)
    out.clusters = category_stars(out.region, full, definition)
    out.cluster_definition = definition.name
    n_na = int(cur.loc[cur[R] == out.region, V].isna().sum())
    out.notes.append(
        "Clusters: the US benchmark cluster definitions (Delgado, Porter and Stern 2016; US "
        "Cluster Mapping Project, CC BY-SA), 6-digit NAICS 2012 industries grouped into 51 "
        "traded and 16 local clusters (CBP 2019 uses NAICS 2017: a handful of codes differ and "
        "are not covered). Stars (European Cluster Observatory rules) and strong clusters (US "
        "Cluster Mapping rule, LQ on traded employment) are computed with ris3.eu_cluster_stars "
        "on the 6-digit cells; a cluster's LQ is against all metro and micropolitan areas, each "
        "area's total being the sum of its observed industries. An industry absent from an "
        f"area's CBP rows has no establishment there (0); {n_na} of {out.region}'s cells "
        "published as 0 employees with establishments may be withheld and are left out, "
        "never counted (incomplete_share)."
    )
    return definition

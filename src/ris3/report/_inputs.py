"""Inputs of a region profile: loading the data, finding the region, choosing years.

Internal to :mod:`ris3.report`; :func:`suggest_regions` is public through
:mod:`ris3.report.region_profile`.
"""

from __future__ import annotations

import difflib
import time as _time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ris3._validation import did_you_mean, short_list
from ris3.errors import InputError, OptionalDependencyError, Ris3Error

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
    # published aggregates of the bundled data (same column names as data): the regions'
    # NACE sections and the countries' (NUTS-0) divisions; None for the user's own data
    sections: pd.DataFrame | None = None
    countries: pd.DataFrame | None = None
    estimation: str | None = None  # summary of estimate_suppressed, when it was applied
    reference: str = "Europe"  # the area the data cover: the name of the LQs' reference
    period_known: bool = True  # False: a table without a time column and no year= given
    countries_of: Mapping[str, str] | None = None  # region -> country given by the user
    nation: tuple[str, str] | None = None  # every region's country (code, name): US metros
    clusters: str = "nace"  # cluster categories: "nace" (European) or "us" (US benchmark)
    activity_label: str = "NACE Rev. 2 (Eurostat)"  # where the activity titles come from
    map_credit: str = "GISCO NUTS 2021 boundaries, (c) EuroGeographics"
    region_label: str = "NUTS-2"

    def country_map(self, codes: Any) -> dict[str, str | None]:
        """Region -> country from a hierarchy (never a code prefix); None when unknown."""
        codes = [str(c) for c in codes]
        if self.countries_of is not None:
            return {c: self.countries_of.get(c) for c in codes}
        if self.nation is not None:
            return {c: self.nation[0] for c in codes}
        return dict(nuts_countries(codes, known_only=True))


def _activity_titles() -> dict[str, str]:
    from importlib.resources import files

    path = files("ris3.report").joinpath("assets/nace_r2_divisions.csv")
    with path.open("r", encoding="utf-8") as fh:
        t = pd.read_csv(fh, dtype=str)
    return dict(zip(t["code"], t["title"]))


def _load_us(dataset: str) -> _Inputs:
    """US County Business Patterns 2019 by metro area and 6-digit NAICS (one year).

    A cell published as 0 employees with establishments (``emp_possibly_suppressed``)
    may be withheld: it is missing, never 0. The country of every metro area is the
    United States; the reference ("United States") is all metro and micropolitan
    areas of the table.
    """
    from ris3 import datasets

    info = datasets.info(dataset)
    emp = datasets.load(dataset, table="employment")
    emp = emp.assign(
        employment=emp["employment"].mask(emp["emp_possibly_suppressed"].astype(bool)),
        year=2019,
    )
    metros = datasets.load(dataset, table="metros")
    defs = datasets.load(dataset, table="clusters")
    titles = dict(zip(defs["NAICS"].astype(str), defs["Description"].astype(str)))
    return _Inputs(
        data=emp,
        names=dict(zip(metros["cbsa_code"].astype(str), metros["name"].astype(str))),
        activity_names=titles,
        geometry=datasets.geometry(dataset),
        source=str(info.get("title") or dataset),
        attribution=str(info.get("attribution") or ""),
        section_of=_naics_sectors(pd.unique(emp["naics_code"])),
        cols={
            "region": "cbsa_code",
            "activity": "naics_code",
            "value": "employment",
            "time": "year",
            "wages": None,
            "units": "establishments",
        },
        reference="United States",
        nation=("US", "United States"),
        clusters="us",
        activity_label="NAICS 2012 titles of the US benchmark cluster definitions",
        map_credit="metro and micropolitan area boundaries from the US Census Bureau "
        "(via the US Cluster Mapping Project)",
        region_label="metro and micropolitan area",
    )


def _naics_sectors(codes: Any) -> dict[str, str]:
    """6-digit NAICS code -> its 2-digit sector, from the NAICS 2017 hierarchy."""
    from ris3.data import hierarchy

    h = hierarchy("naics")
    parent = dict(zip(h["child"].astype(str), h["parent"].astype(str)))
    out = {}
    for code in map(str, codes):
        up = code
        while up in parent:
            up = parent[up]
        out[code] = up
    return out


def _load_bundled(dataset: str) -> _Inputs:
    if dataset == "us-cbp":
        return _load_us(dataset)
    from ris3 import datasets

    regions = datasets.load(dataset, table="regions")
    names_t = datasets.load(dataset, table="names")
    info = datasets.info(dataset)
    geometry = datasets.geometry(dataset)
    info_d = dict(info) if isinstance(info, Mapping) else vars(info) if info is not None else {}
    source = str(info_d.get("source") or info_d.get("title") or dataset)
    attribution = str(info_d.get("attribution") or "Source: Eurostat.")
    section_of = None
    if "nace_section" in regions.columns:
        pairs = regions[["nace_r2", "nace_section"]].drop_duplicates()
        section_of = dict(zip(pairs["nace_r2"].tolist(), pairs["nace_section"].tolist()))
    tables = set(info_d.get("tables", {})) if isinstance(info_d.get("tables"), Mapping) else set()
    published = {"regions_sections", "countries"} <= tables
    return _Inputs(
        sections=datasets.load(dataset, table="regions_sections") if published else None,
        countries=datasets.load(dataset, table="countries") if published else None,
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


def _nuts_context(inp: _Inputs, names: bool, geometry: bool) -> None:
    """Return the bundled NUTS 2021 names and boundaries for own data whose codes are NUTS-2."""
    codes = {str(c) for c in pd.unique(inp.data[str(inp.cols["region"])])}
    known = nuts_countries(codes, known_only=True)
    if not codes or sum(v is not None for v in known.values()) < len(codes) / 2:
        return
    from ris3 import datasets

    if names:
        from ris3.data import hierarchy

        nuts = hierarchy("nuts")
        inp.names = dict(zip(nuts["child"].astype(str), nuts["child_label"].astype(str)))
        t = datasets.load("eu-sbs", table="names")
        inp.names.update(zip(t["geo"].astype(str), t["name"].astype(str)))
    if geometry:
        inp.geometry = datasets.geometry("eu-sbs", "nuts2")


# ---------------------------------------------------------------- published totals, estimates


@dataclass
class _Published:
    """Published denominators of a profile, in the profile's column names."""

    region_totals: pd.DataFrame  # geo, year, employment, observed, coverage, exact, ...
    europe: pd.DataFrame  # activity, year, employment: the reference table of Europe
    country_rows: pd.DataFrame  # geo (country), activity, year, employment
    country_totals: pd.DataFrame  # geo (country), year, employment
    country_fallback: int  # country x division cells taken from the regions' sum


def _estimate(inp: _Inputs) -> None:
    """Fill the bundled data's confidential cells within the published margins, in place.

    Sections bound the divisions of each region, the NUTS-0 rows the regions of
    each country; each cell starts from its mean over the other years in which it
    is observed (see benchmarks/RESULTS.md for the accuracy of this choice).
    """
    from ris3.data.suppressed import estimate_suppressed

    if inp.sections is None or inp.countries is None:
        raise InputError(
            "estimate_suppressed=True needs published margins (section and national rows); "
            "the bundled dataset 'eu-sbs' has them, data= tables do not"
        )
    c = inp.cols
    rcol, acol, vcol, tcol = str(c["region"]), str(c["activity"]), str(c["value"]), str(c["time"])
    d = inp.data
    prior = d.groupby([rcol, acol])[vcol].transform("mean")
    country_of = nuts_countries(pd.unique(d[rcol]))
    est = estimate_suppressed(
        d.assign(_prior=prior),
        region=rcol,
        activity=acol,
        value=vcol,
        time=tcol,
        activity_margins=inp.sections,
        activity_parent="nace_section",
        region_margins=inp.countries,
        region_parent=country_of,
        prior="_prior",
    )
    inp.data = est.data.drop(columns=["_prior"])
    inp.estimation = est.summary()


def _published(inp: _Inputs, years: list[int], rename: dict[str, str]) -> _Published | None:
    """Return published totals of the regions and the European and national references.

    * a region's total: its published NACE sections, where a section is
      confidential the sum of its divisions in the data, plus divisions with no
      section row (a lower bound where a section is confidential;
      :func:`ris3.data.published_totals`);
    * Europe and each country: the countries' published division rows (NUTS-0
      rows of the same file); where a country's division is confidential, the
      sum of its regions' cells in the data. Their totals are the sums of
      these rows, so reference shares sum to 1.
    """
    if inp.sections is None or inp.countries is None:
        return None
    from ris3.data.totals import published_totals

    c = inp.cols
    rcol, acol, vcol, tcol = str(c["region"]), str(c["activity"]), str(c["value"]), str(c["time"])
    d = inp.data[inp.data[tcol].isin(years)]
    d = d[~d[rcol].astype(str).str.upper().str.endswith("ZZ")]
    totals = published_totals(
        d,
        inp.sections[inp.sections[tcol].isin(years)],
        region=rcol,
        activity=acol,
        value=vcol,
        parent="nace_section",
        time=tcol,
    ).rename(columns=rename)
    regional = (
        d.assign(_country=d[rcol].astype(str).map(nuts_countries(pd.unique(d[rcol].astype(str)))))
        .groupby(["_country", acol, tcol])[vcol]
        .sum(min_count=1)
    )
    ctry = inp.countries[inp.countries[tcol].isin(years)].set_index([rcol, acol, tcol])[vcol]
    ctry.index = ctry.index.set_names(["_country", acol, tcol])
    both = pd.concat([ctry.rename("published"), regional.rename("regions")], axis=1)
    both = both[both.index.get_level_values("_country").isin(set(regional.index.levels[0]))]
    fallback = both["published"].isna()
    fallback &= both["regions"].notna()
    rows = both["published"].fillna(both["regions"]).rename(vcol).dropna().reset_index()
    rows = rows.rename(columns={"_country": rcol}).rename(columns=rename)
    v, t, a, r = rename[vcol], rename[tcol], rename[acol], rename[rcol]
    return _Published(
        region_totals=totals,
        europe=rows.groupby([a, t], as_index=False)[v].sum(),
        country_rows=rows,
        country_totals=rows.groupby([r, t], as_index=False)[v].sum(),
        country_fallback=int(fallback.sum()),
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


def nuts_countries(codes: Any, *, known_only: bool = False) -> dict[str, Any]:
    """Return the country (NUTS-0) of each NUTS region code, from the NUTS hierarchy.

    The NUTS 2021 hierarchy first; a code of an older NUTS version (NUTS 2010,
    2013, 2016, e.g. ``"FR71"``) is under the country of its successor in the
    NUTS conversion tables. With ``known_only=True`` a code neither knows gets
    None; otherwise its first two characters (the NUTS coding rule, used for
    the bundled Eurostat table only, whose codes are all NUTS codes).

    Examples
    --------
    >>> nuts_countries(["AT33", "FRK2", "FR71", "XA11"], known_only=True)
    {'AT33': 'AT', 'FRK2': 'FR', 'FR71': 'FR', 'XA11': None}
    """
    from ris3.data import hierarchy

    nuts = hierarchy("nuts")
    parent = dict(zip(nuts["child"].astype(str), nuts["parent"].astype(str)))
    level = dict(zip(nuts["parent"].astype(str), nuts["parent_level"].astype(str)))
    out: dict[str, Any] = {}
    for code in map(str, codes):
        up = code
        while up in parent and level.get(up) != "nuts0":
            up = parent[up]
        if level.get(up) != "nuts0":
            up = _successor_country(code, parent, level)
        out[code] = up if up is not None or known_only else code[:2]
    return out


def _successor_country(code: str, parent: Mapping[str, str], level: Mapping[str, str]) -> Any:
    """Return the NUTS-0 parent of a retired NUTS code's successor (conversion tables), or None."""
    from ris3.data import nuts_concordance

    if len(code) != 4:
        return None
    for version in (2016, 2013, 2010):
        rows = nuts_concordance(version, 2021)
        to = rows.loc[(rows["from_code"] == code) & (rows["share"] > 0), "to_code"]
        for up in map(str, to):
            while up in parent and level.get(up) != "nuts0":
                up = parent[up]
            if level.get(up) == "nuts0":
                return up
    return None


def resolve_region_name(region: str, regions: Any, names: Mapping[str, str]) -> str:
    """Return the code of a region given by its exact name (any case); other input unchanged.

    Examples
    --------
    >>> resolve_region_name("TIROL", ["AT33", "AT34"], {"AT33": "Tirol", "AT34": "Vorarlberg"})
    'AT33'
    >>> resolve_region_name("AT3", ["AT33"], {"AT33": "Tirol"})
    'AT3'
    """
    codes = {str(r) for r in regions}
    if region in codes:
        return region
    key = region.strip().casefold()
    found = [c for c in sorted(codes) if str(names.get(c, "")).strip().casefold() == key]
    return found[0] if len(found) == 1 else region


def nuts_region_hint(code: str, names: Mapping[str, str]) -> str:
    """Return what a NUTS code that is not NUTS-2 2021 is: a NUTS-3 region or a retired code.

    A NUTS-3 code names its NUTS-2 parent (the profile's data are NUTS-2); a
    code of an earlier NUTS version names its NUTS 2021 successor(s) from the
    JRC conversion tables (:func:`ris3.data.nuts_concordance`). Empty when
    neither applies.

    Examples
    --------
    >>> nuts_region_hint("FR71", {"FRK2": "Auvergne-Rhône-Alpes"})
    'FR71 is a NUTS 2013 code, replaced in NUTS 2021 by FRK2 Auvergne-Rhône-Alpes.'
    >>> nuts_region_hint("AT332", {"AT33": "Tirol"})
    'AT332 Innsbruck is a NUTS-3 region; the data are NUTS-2: its region is AT33 Tirol.'
    """
    from ris3.data import hierarchy, nuts_concordance

    code = str(code).strip().upper()
    if len(code) == 5:
        nuts = hierarchy("nuts")
        row = nuts[(nuts["child"] == code) & (nuts["child_level"] == "nuts3")]
        if len(row):
            parent = str(row["parent"].iloc[0])
            label = f"{parent} {names.get(parent, row['parent_label'].iloc[0])}"
            return (
                f"{code} {row['child_label'].iloc[0]} is a NUTS-3 region; the data are "
                f"NUTS-2: its region is {label}."
            )
    if len(code) != 4:
        return ""
    for version in (2016, 2013, 2010):
        pieces = nuts_concordance(version, 2021)
        rows = pieces[(pieces["from_code"] == code) & (pieces["share"] > 0)]
        if len(rows) and set(rows["to_code"]) != {code}:
            rows = rows.sort_values("share", ascending=False)
            parts = [
                f"{to} {names.get(to, '')}".strip()
                + ("" if len(rows) == 1 else f" ({share:.0%} of its population)")
                for to, share in zip(rows["to_code"], rows["share"])
            ]
            return f"{code} is a NUTS {version} code, replaced in NUTS 2021 by {', '.join(parts)}."
    return ""


def _check_region(region: str, present: pd.Index, names: Mapping[str, str], year: Any) -> None:
    if region in set(present):
        return
    nuts_hint = nuts_region_hint(region, names)
    if nuts_hint:
        raise InputError(f"region {region!r} is not in the data for {year}: {nuts_hint}")
    raise InputError(
        f"region {region!r} is not in the data for {year} ({len(present)} regions, e.g. "
        f"{short_list(sorted(map(str, present))[:5], 5)})"
        + did_you_mean(region, matches=suggest_regions(region, names, present))
    )


# ---------------------------------------------------------------- helpers


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
        # a missing ris3 module is a bug, not a missing feature: only a missing optional
        # extra (OptionalDependencyError) or data that make a section undefined are shown
        if isinstance(exc, OptionalDependencyError):
            self.prof["unavailable"][self.section] = f"needs an optional extra: {exc}"
        elif isinstance(exc, Ris3Error):
            self.prof["unavailable"][self.section] = f"could not be computed: {exc}"
        else:
            return False  # a bug: let it surface
        self.ok = False
        return True

"""Derive the datasets bundled in ``ris3.datasets`` from the published files.

Run from the repository root::

    python scripts/build_datasets.py            # every dataset
    python scripts/build_datasets.py eu-sbs     # one dataset
    python scripts/build_datasets.py --out DIR  # write elsewhere (e.g. to compare)

Inputs are read from ``../shared/data`` (relative to the repository root; see
SOURCES.md there); outputs are written to ``src/ris3/datasets/files/<name>/``:
Parquet tables (zstd), simplified GeoJSON and an ``info.json`` with source,
licence, attribution, description and the columns of every table. The build
is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "ris3" / "datasets" / "files"

EUROSTAT = "Source: Eurostat"
GISCO = "(c) EuroGeographics for the administrative boundaries"

# ---------------------------------------------------------------- helpers


def write_table(df: pd.DataFrame, name: str, table: str) -> dict[str, Any]:
    """Write one table as Parquet (zstd) and describe it for info.json."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    df = df.reset_index(drop=True)
    arrow = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    path = folder / f"{table}.parquet"
    pq.write_table(arrow, path, compression="zstd", compression_level=19, use_dictionary=True)
    return {"file": path.name, "rows": len(df), "columns": [str(c) for c in df.columns]}


def _round_coords(coords: Any, digits: int) -> Any:
    if isinstance(coords[0], int | float):
        return [round(float(coords[0]), digits), round(float(coords[1]), digits)]
    out = [_round_coords(c, digits) for c in coords]
    if out and isinstance(out[0][0], float):  # a ring: drop repeated points
        ring = [out[0]]
        for pt in out[1:]:
            if pt != ring[-1]:
                ring.append(pt)
        if len(ring) < 4 and len(out) >= 4:
            return out
        return ring
    return out


def write_geojson(features: list[dict[str, Any]], name: str, layer: str, digits: int) -> dict:
    """Write a FeatureCollection with coordinates rounded to ``digits`` decimals."""
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    feats = []
    for f in features:
        geom = f["geometry"]
        feats.append(
            {
                "type": "Feature",
                "id": f.get("id"),
                "properties": f["properties"],
                "geometry": {
                    "type": geom["type"],
                    "coordinates": _round_coords(geom["coordinates"], digits),
                },
            }
        )
    fc = {"type": "FeatureCollection", "features": feats}
    path = folder / f"{layer}.geojson.gz"
    text = json.dumps(fc, separators=(",", ":"), sort_keys=True).encode()
    path.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    return {"file": path.name, "features": len(feats)}


def write_info(name: str, info: dict[str, Any]) -> None:
    folder = OUT / name
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(info, indent=1, sort_keys=False, ensure_ascii=False)
    (folder / "info.json").write_text(text + "\n", encoding="utf-8")


# ---------------------------------------------------------------- eu-sbs

SBS_INDICATORS = {
    "V16110": "persons_employed",
    "V11210": "local_units",
    "V13320": "wages_eur_million",
}
SBS_YEARS = list(range(2008, 2015))


def _nace_level(codes: pd.Series) -> np.ndarray:
    n = codes.str.len().to_numpy()
    return np.select([n == 1, n == 3, n == 4], ["section", "division", "group"], default="other")


def _wide(
    df: pd.DataFrame, keys: list[str], indicators: dict[str, str] = SBS_INDICATORS
) -> pd.DataFrame:
    """Indicators side by side: one value and one flag column per indicator."""
    value = df.pivot(index=keys, columns="indic_sb", values="value")
    flag = df.pivot(index=keys, columns="indic_sb", values="flag")
    out = pd.DataFrame(index=value.index)
    for code, col in indicators.items():
        out[col] = value[code].astype(np.float64) if code in value else np.nan
    for code, col in indicators.items():
        out[f"{col}_flag"] = flag[code].fillna("").astype(str) if code in flag else ""
    return out.reset_index()


def _convert_sbs_regions(nuts2: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """NUTS-2 rows (2006/2010/2013 codes by year) -> NUTS 2021, one indicator at a time.

    The bulk file codes 2008-2012 in NUTS 2010 and 2013-2015 in NUTS 2013, and
    a few countries keep NUTS 2006 codes for 2008-2010. Each year is converted
    from its own version with the JRC matrices (population weights); codes of
    no convertible version are left out and listed in the returned report.
    """
    from ris3.data.nuts import convert_nuts, nuts_concordance

    version = np.where(nuts2["time"].to_numpy() <= 2012, 2010, 2013)
    converted, reports = [], []
    for v in (2010, 2013):
        part = nuts2[version == v]
        known = set(nuts_concordance(v, 2021)["from_code"])
        extra = part["geo"].str.endswith("ZZ").to_numpy()
        ok = part["geo"].isin(known).to_numpy() | extra
        gone = part[~ok]
        # empty placeholders of another version's codes are not data
        lost = gone[gone["value"].notna()]
        if len(lost):
            rep = lost.groupby("geo").agg(
                years=("time", lambda s: " ".join(map(str, sorted(set(s))))),
                n_rows=("value", "size"),
            )
            rep = rep.reset_index().rename(columns={"geo": "from_code"})
            reports.append(
                rep.assign(from_version=v, indic_sb="all", status="no_matrix_left_out", to_codes="")
            )
        part = part[ok]
        for code in SBS_INDICATORS:
            one = part[part["indic_sb"] == code]
            res = convert_nuts(
                one[["geo", "nace_r2", "time", "value"]],
                region="geo",
                value="value",
                from_version=v,
                to_version=2021,
                weight="population",
                time="time",
                missing="propagate",
                unknown="keep",
            )
            table = res.table
            status = res.codes.set_index("from_code")["status"]
            # flags of the new cell: union of the flags of the old cells it draws on
            pieces = nuts_concordance(v, 2021)
            pieces = pieces[pieces["share"] > 0][["from_code", "to_code"]]
            fl = one[["geo", "nace_r2", "time", "flag"]].merge(
                pieces, left_on="geo", right_on="from_code", how="left"
            )
            fl["to_code"] = fl["to_code"].fillna(fl["geo"])
            fl["estimated"] = ~fl["geo"].map(status).isin(["unchanged", "recoded", "unknown_kept"])
            keys = ["to_code", "nace_r2", "time"]
            n = fl.groupby(keys, sort=False)["flag"].transform("size").to_numpy()
            single = fl[n == 1]
            multi = fl[n > 1]
            agg = pd.concat(
                [
                    single[keys + ["flag"]].assign(nuts_converted=single["estimated"].to_numpy()),
                    multi.groupby(keys, sort=False)
                    .agg(
                        flag=("flag", lambda s: "".join(sorted(set("".join(s))))),
                        nuts_converted=("estimated", "any"),
                    )
                    .reset_index(),
                ],
                ignore_index=True,
            ).rename(columns={"to_code": "geo"})
            table = table.merge(agg, on=["geo", "nace_r2", "time"], how="left")
            table["indic_sb"] = code
            converted.append(table)
            years = one.groupby("geo")["time"].agg(lambda s: " ".join(map(str, sorted(set(s)))))
            codes = res.codes.assign(
                from_version=v, indic_sb=code, years=res.codes["from_code"].map(years)
            )
            reports.append(codes)
    out = pd.concat(converted, ignore_index=True)
    cols = ["from_version", "indic_sb", "from_code", "status", "to_codes", "years", "n_rows"]
    report = pd.concat([r[cols] for r in reports], ignore_index=True)
    report["n_rows"] = report["n_rows"].astype(np.int64)
    report = report.sort_values(["from_version", "indic_sb", "from_code"], ignore_index=True)
    return out, report


def build_eu_sbs() -> None:
    from ris3.data.readers_eurostat import read_eurostat_tsv

    name = "eu-sbs"
    src = SHARED / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz"
    res = read_eurostat_tsv(src, indic_sb=list(SBS_INDICATORS), years=SBS_YEARS, check_totals=False)
    raw = res.data
    raw = raw[
        raw["nace_r2"].str.len() <= 3
    ]  # sections and divisions (3-digit groups of G left out)
    level = np.asarray([len(g) - 2 for g in raw["geo"]])
    keys = ["geo", "nace_r2", "year"]

    conv, conv_report = _convert_sbs_regions(raw[level == 2])
    conv = conv.rename(columns={"time": "year"})
    regions = _wide(conv.drop(columns="nuts_converted"), keys)
    converted = conv.groupby(keys)["nuts_converted"].any().reset_index()
    regions = regions.merge(converted, on=keys, how="left")
    countries = _wide(raw[level == 0].rename(columns={"time": "year"}), keys)
    national_indicators = {
        "V16110": "persons_employed",
        "V11110": "enterprises",
        "V13320": "wages_eur_million",
    }
    nat = read_eurostat_tsv(
        SHARED / "eu_sbs_r_nuts06_r2" / "sbs_na_sca_r2.tsv.gz",
        indic_sb=list(national_indicators),
        years=SBS_YEARS,
        check_totals=False,
    ).data
    nat = nat[_nace_level(nat["nace_r2"]) != "other"]
    national = _wide(nat.rename(columns={"time": "year"}), keys, national_indicators)
    national.insert(2, "nace_level", _nace_level(national["nace_r2"]))
    national = national.sort_values(keys, ignore_index=True)

    def split_levels(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        lv = _nace_level(df["nace_r2"])
        div = df[lv == "division"].copy()
        div.insert(2, "nace_section", div["nace_r2"].str.slice(0, 1))
        sec = df[lv == "section"].copy()
        return (
            div.sort_values(keys, ignore_index=True),
            sec.sort_values(keys, ignore_index=True),
        )

    # extra-regio units (..ZZ: embassies, offshore activities, ...) are not regions:
    # they go to a table of their own so that no regional measure counts them
    extra_regio = regions["geo"].str.endswith("ZZ").to_numpy()
    extra_div, extra_sec = split_levels(regions[extra_regio])
    extra_table = pd.concat([extra_sec, extra_div], ignore_index=True)
    extra_table["nace_section"] = extra_table["nace_section"].fillna(
        extra_table["nace_r2"].str.slice(0, 1)
    )
    extra_table = extra_table[list(extra_div.columns)].sort_values(keys, ignore_index=True)
    regions_div, regions_sec = split_levels(regions[~extra_regio])
    countries_div, countries_sec = split_levels(countries)

    gj = json.loads(
        (SHARED / "geo_nuts_gisco_60m_2021" / "NUTS_RG_60M_2021_4326.geojson").read_text()
    )
    props = pd.DataFrame([f["properties"] for f in gj["features"]])
    names = pd.DataFrame(
        {
            "geo": props["NUTS_ID"].astype(str),
            "name": props["NAME_LATN"].astype(str),
            "level": props["LEVL_CODE"].astype(np.int64),
            "country": props["CNTR_CODE"].astype(str),
        }
    ).sort_values("geo", ignore_index=True)

    value_cols = {
        "persons_employed": "persons employed (V16110), number; NaN where missing or confidential",
        "local_units": "local units (V11210), number; NaN where missing or confidential",
        "wages_eur_million": "wages and salaries (V13320), EUR million; NaN where missing or confidential",
        "persons_employed_flag": "Eurostat flags of the cell (c confidential, b break, d definition "
        "differs, e estimated, p provisional, u low reliability, i see metadata); "
        "after conversion, the union of the flags of the old cells",
        "local_units_flag": "as persons_employed_flag",
        "wages_eur_million_flag": "as persons_employed_flag",
    }
    tables = {
        "regions": write_table(regions_div, name, "regions"),
        "regions_sections": write_table(regions_sec.drop(columns=[]), name, "regions_sections"),
        "countries": write_table(countries_div, name, "countries"),
        "countries_sections": write_table(countries_sec, name, "countries_sections"),
        "countries_national": write_table(national, name, "countries_national"),
        "names": write_table(names, name, "names"),
        "nuts_conversion": write_table(conv_report, name, "nuts_conversion"),
        "extra_regio": write_table(extra_table, name, "extra_regio"),
    }
    descriptions = {
        "regions": "NUTS-2 regions (NUTS 2021 codes) x NACE Rev. 2 division, 2008-2014",
        "regions_sections": "NUTS-2 regions (NUTS 2021 codes) x NACE Rev. 2 section (B-N), "
        "2008-2014",
        "countries": "countries (NUTS-0 rows of the same file) x NACE division, 2008-2014",
        "countries_sections": "countries x NACE section, 2008-2014",
        "countries_national": "national SBS (sbs_na_sca_r2): countries and the EU27/EU28 "
        "aggregates x NACE section, division and group, 2008-2014; persons employed, "
        "enterprises (V11110; local units are regional only) and wages. Enterprise-based: "
        "it can differ from the NUTS-0 rows of the regional file (DE manufacturing 2014: "
        "7,269,135 here, 6,938,460 there)",
        "names": "NUTS 2021 code -> Latin name, level (0-3) and country, from GISCO",
        "nuts_conversion": "what the NUTS conversion did to every source code, per source "
        "version and indicator (status: unchanged, recoded, split, merged, split_merged, "
        "unknown_kept for extra-regio ..ZZ codes, no_matrix_left_out for NUTS 2006 codes)",
        "extra_regio": "extra-regio units (..ZZ codes: activity not attributable to a region, "
        "e.g. embassies, offshore installations) x NACE section and division, 2008-2014; "
        "they belong to their country's total but are not regions, so they are kept out of "
        "regions and regions_sections",
    }
    for t, d in descriptions.items():
        tables[t]["description"] = d
    layers = {}
    level2 = [f for f in gj["features"] if f["properties"]["LEVL_CODE"] == 2]
    level0 = [f for f in gj["features"] if f["properties"]["LEVL_CODE"] == 0]
    keep_props = ("NUTS_ID", "NAME_LATN", "CNTR_CODE", "LEVL_CODE")
    for feats in (level2, level0):
        for f in feats:
            f["properties"] = {k: f["properties"][k] for k in keep_props}
    layers["nuts2"] = write_geojson(level2, name, "nuts2", digits=3)
    layers["nuts0"] = write_geojson(level0, name, "nuts0", digits=3)

    info = {
        "name": name,
        "title": "Eurostat Structural Business Statistics by NUTS-2 region and NACE division",
        "description": (
            "Persons employed, local units and wages and salaries by NUTS-2 region and NACE "
            "Rev. 2 division (B05-N82, S95), 2008-2014, from Eurostat's regional SBS "
            "(sbs_r_nuts06_r2), with NUTS-0 rows of the same file as the European/national "
            "reference. Region codes are converted to NUTS 2021 with the JRC NUTS-converter "
            "matrices (population weights): 2008-2012 from NUTS 2010, 2013-2014 from NUTS 2013. "
            "Cells of regions that were split or merged are estimates (nuts_converted = True) "
            "and a split cell is missing whenever an old cell it draws on is missing. NUTS 2006 "
            "codes that some countries still used for 2008-2010 (DE41, DE42, DED1, DED3, FI13, "
            "FI18, FI1A, ITD1-ITD5, ITE1-ITE4, UKD2, UKD5) have no JRC matrix and are left out, "
            "so those regions lack 2008-2010 (see table nuts_conversion). Extra-regio codes "
            "(..ZZ) are not regions: they are kept out of the regional tables and stored, "
            "unchanged, in table extra_regio. Missing and confidential cells are NaN, never 0. "
            "France's regional figures put head-office employment in the capital region."
        ),
        "source": "Eurostat, Structural business statistics: SBS data by NUTS 2 regions and NACE "
        "Rev. 2 (sbs_r_nuts06_r2) and annual enterprise statistics (sbs_na_sca_r2), bulk "
        "download; boundaries GISCO NUTS 2021 1:60 million; "
        "conversion matrices European Commission JRC NUTS converter",
        "licence": "Eurostat data: free re-use with attribution (Eurostat copyright notice); "
        "GISCO boundaries: re-use with attribution; JRC matrices: Commission re-use policy",
        "attribution": f"{EUROSTAT}. Boundaries: {GISCO}.",
        "tables": tables,
        "columns": {
            "geo": "NUTS code (NUTS 2021 in regions tables; country code in countries tables)",
            "nace_r2": "NACE Rev. 2 code (division: letter + 2 digits; section: letter)",
            "nace_section": "NACE Rev. 2 section of the division",
            "nace_level": "section, division or group (3-digit)",
            "enterprises": "number of enterprises (V11110), national table only",
            "year": "reference year",
            **value_cols,
            "nuts_converted": "True where the value was estimated by sharing an old region "
            "among new ones (split/merged/border change)",
        },
        "geometry": {
            **layers,
            "crs": "EPSG:4326",
            "note": "GISCO NUTS 2021 1:60 million, coordinates rounded to 0.001 degree; "
            "properties NUTS_ID, NAME_LATN, CNTR_CODE, LEVL_CODE",
        },
        "default_table": "regions",
        "default_geometry": "nuts2",
    }
    write_info(name, info)


# ---------------------------------------------------------------- us-cbp


def _topojson_features(topo: dict[str, Any], obj: str) -> list[dict[str, Any]]:
    """Decode one TopoJSON object (quantised, delta-encoded arcs) into GeoJSON features."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        a = np.cumsum(np.asarray(arc, dtype=np.float64), axis=0)
        arcs.append(np.column_stack([a[:, 0] * sx + tx, a[:, 1] * sy + ty]).tolist())

    def ring(indices: list[int]) -> list[list[float]]:
        pts: list[list[float]] = []
        for i in indices:
            seg = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(seg if not pts else seg[1:])
        return pts

    feats = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            coords: Any = [ring(r) for r in g["arcs"]]
        elif g["type"] == "MultiPolygon":
            coords = [[ring(r) for r in poly] for poly in g["arcs"]]
        else:
            continue
        feats.append(
            {
                "id": g.get("id"),
                "properties": dict(g.get("properties") or {}),
                "geometry": {"type": g["type"], "coordinates": coords},
            }
        )
    return feats


def build_us_cbp() -> None:
    from ris3.data.readers_national import read_cbp

    name = "us-cbp"
    res = read_cbp(SHARED / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz", level=6)
    data = res.data.sort_values(["cbsa_code", "naics_code"], ignore_index=True)
    totals = res.totals.sort_values("cbsa_code", ignore_index=True)
    clusters = pd.read_csv(
        SHARED / "us_cluster_definitions" / "naics2012_to_cluster.csv", dtype={"NAICS": str}
    )
    linkages = pd.read_csv(SHARED / "us_cluster_definitions" / "cluster_linkages.csv").rename(
        columns={
            "Core Cluster": "core_cluster",
            "Linked Cluster": "linked_cluster",
            "Strength": "strength",
        }
    )
    topo = json.loads(
        (SHARED / "geo_us_clustermapping_regions" / "countiesEasMsas.json").read_text()
    )
    feats = _topojson_features(topo, "msas")
    for f in feats:
        f["properties"] = {"cbsa_code": str(f["id"]), "name": f["properties"].get("name", "")}
    metros = pd.DataFrame([f["properties"] for f in feats]).sort_values(
        "cbsa_code", ignore_index=True
    )
    metros["area_type"] = np.where(
        metros["name"].str.contains("Metropolitan Statistical Area", regex=False),
        "metropolitan",
        np.where(metros["name"].str.contains("Micropolitan", regex=False), "micropolitan", "other"),
    )
    metros["in_cbp"] = metros["cbsa_code"].isin(set(totals["cbsa_code"]))
    feats.sort(key=lambda f: f["properties"]["cbsa_code"])
    tables = {
        "employment": write_table(data, name, "employment"),
        "totals": write_table(totals, name, "totals"),
        "clusters": write_table(clusters, name, "clusters"),
        "cluster_linkages": write_table(linkages, name, "cluster_linkages"),
        "metros": write_table(metros, name, "metros"),
    }
    descriptions = {
        "employment": "CBP 2019 employment (EMP) and establishments (ESTAB) by CBSA x 6-digit "
        "NAICS 2017; rows absent from the published file are absent here",
        "totals": "CBP 2019 all-sector (NAICS '00') employment and establishments by CBSA",
        "clusters": "US Cluster Mapping benchmark cluster definitions (Delgado, Porter and Stern "
        "2016): NAICS 2012 6-digit -> Traded/Local, cluster, subcluster; emsi_specific rows are "
        "vendor codes, not NAICS. CC-BY-SA",
        "cluster_linkages": "core-linked cluster pairs with strength (very strong / strong / "
        "lower), US Cluster Mapping Project. CC-BY-SA",
        "metros": "metropolitan and micropolitan areas of the boundary file: cbsa_code, name, "
        "area_type, in_cbp (has CBP data)",
    }
    for t, d in descriptions.items():
        tables[t]["description"] = d
    layers = {"metros": write_geojson(feats, name, "metros", digits=3)}
    info = {
        "name": name,
        "title": "US County Business Patterns 2019 by metro area and 6-digit NAICS, with the US "
        "benchmark cluster definitions",
        "description": (
            "Employment and establishments by core-based statistical area (CBSA) and 6-digit "
            "NAICS 2017 from the US Census Bureau's County Business Patterns 2019, with the "
            "all-sector totals, the US Cluster Mapping benchmark cluster definitions (NAICS 2012; "
            "a handful of 6-digit codes differ from NAICS 2017) and metro boundaries. "
            "Employment 0 with establishments > 0 may be a withheld cell "
            "(emp_possibly_suppressed). 881 of the 933 CBP areas have a boundary."
        ),
        "source": "US Census Bureau, County Business Patterns 2019 (public domain); US Cluster "
        "Mapping Project, clustermapping.us (cluster definitions and linkages; boundaries from "
        "US Census cartographic files)",
        "licence": "CBP and boundaries: public domain (US Government work). Cluster definitions "
        "and linkages: CC BY-SA (share-alike: redistribute under the same licence)",
        "attribution": "Source: US Census Bureau, County Business Patterns 2019. Cluster "
        "definitions: US Cluster Mapping Project (Delgado, Porter and Stern 2016), CC BY-SA.",
        "tables": tables,
        "columns": {
            "cbsa_code": "core-based statistical area code (5 digits)",
            "naics_code": "NAICS 2017 6-digit code",
            "employment": "paid employees, mid-March pay period (EMP)",
            "establishments": "number of establishments (ESTAB)",
            "emp_possibly_suppressed": "EMP = 0 while ESTAB > 0: may be a withheld cell",
            "NAICS": "NAICS 2012 6-digit code (or vendor code when emsi_specific)",
            "TradedLocal": "Traded or Local cluster",
            "Cluster": "cluster name",
            "SubclusterName": "subcluster name",
        },
        "geometry": {
            **layers,
            "crs": "EPSG:4326",
            "note": "metro and micropolitan areas decoded from the US Cluster Mapping TopoJSON, "
            "coordinates rounded to 0.001 degree; properties cbsa_code, name",
        },
        "default_table": "employment",
        "default_geometry": "metros",
    }
    write_info(name, info)


# ---------------------------------------------------------------- uk


def build_uk_bres() -> None:
    from ris3.data.readers_national import read_bres

    name = "uk-bres"
    res = read_bres(SHARED / "uk_bres2015_region_sic4" / "Bres_2015_Region_and_Country.csv")
    data = res.data.drop(columns="flag") if not res.data["flag"].astype(bool).any() else res.data
    tables = {
        "employees": write_table(data, name, "employees"),
        "totals": write_table(res.totals, name, "totals"),
        "names": write_table(res.labels, name, "names"),
    }
    tables["employees"]["description"] = "employees by GB region x SIC 2007 class (4 digits), 2015"
    tables["totals"]["description"] = "the file's Total column (Great Britain) by SIC class"
    tables["names"]["description"] = "SIC 2007 class -> description as in the file"
    info = {
        "name": name,
        "title": "UK Business Register and Employment Survey 2015 by region and SIC 4-digit class",
        "description": (
            "Employees by 11 GB regions (England's nine regions, Scotland, Wales) and SIC 2007 "
            "4-digit class, 2015, rounded as published by ONS; the Total column equals the sum "
            "of the rounded regional cells. Code 0100 is ONS's line for DEFRA/Scottish "
            "Executive agricultural data, not a SIC class."
        ),
        "source": "Office for National Statistics, Business Register and Employment Survey 2015",
        "licence": "Open Government Licence v3.0",
        "attribution": "Source: Office for National Statistics licensed under the Open "
        "Government Licence v3.0.",
        "tables": tables,
        "columns": {
            "region": "GB region name",
            "sic2007": "SIC 2007 class, 4 digits",
            "employees": "employees (rounded as published)",
            "total": "published Great Britain total of the class",
            "description": "SIC 2007 class description",
        },
        "default_table": "employees",
    }
    write_info(name, info)


def build_uk_labour_flows() -> None:
    name = "uk-labour-flows"
    folder = SHARED / "uk_labour_flows_ashe"
    tables = {}
    for table, file in (
        ("flows", "Table1_Reduced_matrix_2009_2018_flows.csv"),
        ("connections", "Table2_Reduced_matrix_2009_2018_connections.csv"),
    ):
        raw = pd.read_csv(folder / file, dtype=str)
        df = pd.DataFrame(
            {
                "start_industry": raw["StartIndst"].str.strip().str.zfill(4),
                "final_industry": raw["FinalIndst"].str.strip().str.zfill(4),
                "count": pd.to_numeric(raw["Counts"]).astype(np.int64),
            }
        ).sort_values(["start_industry", "final_industry"], ignore_index=True)
        tables[table] = write_table(df, name, table)
    sic = pd.read_csv(folder / "sic-industry-structure.csv", dtype=str)
    ind = pd.DataFrame(
        {
            "sic2007": sic["SIC2007"].str.strip().str.zfill(4),
            "main_industry": sic["MainIndustry"],
            "main_activity": sic["MainActivity"],
            "sub_activity": sic["SubActivity"],
        }
    ).sort_values("sic2007", ignore_index=True)
    tables["industries"] = write_table(ind, name, "industries")
    tables["flows"]["description"] = "job moves between SIC 2007 4-digit industries, 2009-2018"
    tables["connections"]["description"] = (
        "distinct workers moving between SIC 2007 4-digit industries, 2009-2018"
    )
    tables["industries"]["description"] = "SIC 2007 4-digit hierarchy labels"
    info = {
        "name": name,
        "title": "UK industry-to-industry job transitions (ASHE), 2009-2018",
        "description": (
            "Counts of job moves (flows) and of distinct workers (connections) from a start "
            "to a final SIC 2007 4-digit industry in the UK Annual Survey of Hours and Earnings, "
            "2009-2018. Cells under 10 were suppressed before release, so an absent pair is "
            "unknown (0 to 9), not 0. Diagonal rows (start = final) are stayers within the "
            "industry."
        ),
        "source": "ONS Annual Survey of Hours and Earnings via the UK Data Service secure lab, "
        "outputs released by the Alan Turing Institute",
        "licence": "Open Government Licence v3.0",
        "attribution": "Source: Office for National Statistics (ASHE), released by the Alan Turing "
        "Institute; Open Government Licence v3.0.",
        "tables": tables,
        "columns": {
            "start_industry": "SIC 2007 4-digit industry the worker left",
            "final_industry": "SIC 2007 4-digit industry the worker joined",
            "count": "number of moves (flows) or distinct workers (connections)",
        },
        "default_table": "flows",
    }
    write_info(name, info)


# ---------------------------------------------------------------- patents, trade


def build_patents_wipo() -> None:
    name = "patents-wipo"
    raw = pd.read_csv(
        SHARED
        / "patents_ncses_sei2020_wipo35"
        / "uspto_patents_families_by_country_wipo35_1998_2018.csv.gz"
    )
    leaf = raw["geo_path"].str.rsplit(" -> ", n=1).str[-1]
    groups = {"EU", "Other Europe", "Former Soviet Union"}
    geo_type = np.select(
        [
            raw["geo_depth"].to_numpy() == 1,
            raw["geo_depth"].to_numpy() == 2,
            (leaf == "All others").to_numpy(),
            leaf.isin(groups).to_numpy(),
        ],
        ["world", "region", "residual", "group"],
        default="economy",
    )
    raw = raw.assign(geo_type=geo_type)
    wide = raw.pivot(
        index=["geo", "geo_path", "geo_type", "wipo_field", "year"],
        columns="measure",
        values="value",
    ).reset_index()
    wide.columns.name = None
    wide = wide[
        ["geo", "geo_path", "geo_type", "wipo_field", "year", "patent_families", "uspto_patents"]
    ]
    econ = wide[wide["geo_type"] == "economy"].drop(columns="geo_type")
    econ = econ.rename(columns={"geo": "economy"}).sort_values(
        ["economy", "wipo_field", "year"], ignore_index=True
    )
    agg = wide[wide["geo_type"] != "economy"].sort_values(
        ["geo_path", "wipo_field", "year"], ignore_index=True
    )
    tables = {
        "economies": write_table(econ, name, "economies"),
        "aggregates": write_table(agg, name, "aggregates"),
    }
    tables["economies"]["description"] = "single economies only x 35 WIPO fields x year"
    tables["aggregates"]["description"] = (
        "the aggregate rows of the source, marked by geo_type: world, region (continents and "
        "'Unclassified'), group (EU, Other Europe, Former Soviet Union), residual ('All others' "
        "within a region)"
    )
    info = {
        "name": name,
        "title": "USPTO patents and patent families by economy and WIPO technology field, "
        "1998-2018",
        "description": (
            "Fractional counts of USPTO patents and patent families by inventor economy x 35 WIPO "
            "technology fields x year, from NCSES Science and Engineering Indicators 2020. The "
            "source mixes aggregates with economies in a geo_path hierarchy (World -> Europe -> "
            "EU -> Germany); table 'economies' keeps single economies only, table 'aggregates' "
            "the rest with geo_type saying what each row is. Use the 'World' row of 'aggregates' "
            "(geo_type 'world') as the reference for RTAs."
        ),
        "source": "US National Science Foundation, National Center for Science and Engineering "
        "Statistics (NCSES), Science and Engineering Indicators 2020, tables 5-19xx",
        "licence": "public domain (US Government work)",
        "attribution": "Source: NCSES, Science and Engineering Indicators 2020 (USPTO data).",
        "tables": tables,
        "columns": {
            "economy": "economy name",
            "geo": "aggregate name",
            "geo_path": "position in the source hierarchy",
            "geo_type": "world, region, group or residual",
            "wipo_field": "WIPO technology field (35 fields)",
            "year": "year",
            "patent_families": "patent families, fractional count",
            "uspto_patents": "USPTO patents, fractional count",
        },
        "default_table": "economies",
    }
    write_info(name, info)


def build_trade_hs2() -> None:
    name = "trade-hs2"
    folder = SHARED / "trade_baci_hs96_2digit_2024"
    raw = pd.read_csv(folder / "BACI_HS96_2d_2024_v202601.csv.gz")
    countries = pd.read_csv(folder / "country_codes_V202601.csv", keep_default_na=False)
    lines = (folder / "HS2_1996.txt").read_text(encoding="utf-8").splitlines()
    chapters = pd.DataFrame(
        [ln.split(":", 1) for ln in lines if ln.strip()], columns=["hs2", "hs2_name"]
    )
    chapters["hs2"] = chapters["hs2"].str.strip().str.zfill(2)
    chapters["hs2_name"] = chapters["hs2_name"].str.strip()
    df = raw.merge(countries, left_on="i", right_on="country_code", how="left", validate="m:1")
    if df["country_iso3"].isna().any():
        raise SystemExit(
            "BACI exporter codes without a country: "
            + str(df.loc[df["country_iso3"].isna(), "i"].unique())
        )
    df["hs2"] = df["hs2"].astype(str).str.zfill(2)
    df = df.merge(chapters, on="hs2", how="left", validate="m:1")
    out = pd.DataFrame(
        {
            "exporter": df["country_iso3"].astype(str),
            "exporter_name": df["country_name"].astype(str),
            "exporter_code": df["i"].astype(np.int64),
            "hs2": df["hs2"],
            "hs2_name": df["hs2_name"].astype(str),
            "export_value_kusd": df["v"].astype(np.float64),
        }
    ).sort_values(["exporter", "hs2"], ignore_index=True)
    tables = {
        "exports": write_table(out, name, "exports"),
        "chapters": write_table(chapters, name, "chapters"),
    }
    tables["exports"]["description"] = "2024 exports by exporter x HS 1996 chapter"
    tables["chapters"]["description"] = "HS 1996 chapter -> name"
    info = {
        "name": name,
        "title": "BACI world trade 2024: exports by country and HS chapter",
        "description": (
            "Value of 2024 exports (thousand USD) by exporting country and HS 1996 chapter "
            "(2 digits), from CEPII's BACI (reconciled UN Comtrade flows), with ISO3 codes and "
            "names from BACI's country list. Pairs absent from BACI are absent here."
        ),
        "source": "CEPII, BACI HS96 (version 202601)",
        "licence": "Etalab Open Licence 2.0",
        "attribution": "Source: CEPII BACI (Gaulier and Zignago 2010), Etalab Open Licence 2.0.",
        "tables": tables,
        "columns": {
            "exporter": "ISO 3166 alpha-3 code of the exporter (BACI's list)",
            "exporter_name": "exporter name (BACI's list)",
            "exporter_code": "BACI numeric country code",
            "hs2": "HS 1996 chapter, 2 digits",
            "hs2_name": "chapter name",
            "export_value_kusd": "export value, thousand US dollars",
        },
        "default_table": "exports",
    }
    write_info(name, info)


BUILDERS: dict[str, Callable[[], None]] = {
    "eu-sbs": build_eu_sbs,
    "us-cbp": build_us_cbp,
    "uk-bres": build_uk_bres,
    "uk-labour-flows": build_uk_labour_flows,
    "patents-wipo": build_patents_wipo,
    "trade-hs2": build_trade_hs2,
}


def main(argv: list[str]) -> int:
    global OUT
    if "--out" in argv:
        i = argv.index("--out")
        OUT = Path(argv[i + 1]).resolve()
        argv = argv[:i] + argv[i + 2 :]
    names = argv or list(BUILDERS)
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        print(f"unknown dataset(s) {unknown}; known: {list(BUILDERS)}", file=sys.stderr)
        return 2
    if not SHARED.is_dir():
        print(f"input folder {SHARED} not found", file=sys.stderr)
        return 2
    for n in names:
        t0 = time.perf_counter()
        BUILDERS[n]()
        print(f"{n}: built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

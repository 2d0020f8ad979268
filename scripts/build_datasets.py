"""Derive the datasets bundled in ``ris3.datasets`` from the published files.

Run from the repository root::

    python scripts/build_datasets.py            # every dataset
    python scripts/build_datasets.py eu-sbs     # one dataset

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


def _wide(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Indicators side by side: one value and one flag column per indicator."""
    value = df.pivot(index=keys, columns="indic_sb", values="value")
    flag = df.pivot(index=keys, columns="indic_sb", values="flag")
    out = pd.DataFrame(index=value.index)
    for code, col in SBS_INDICATORS.items():
        out[col] = value[code].astype(np.float64) if code in value else np.nan
    for code, col in SBS_INDICATORS.items():
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
            agg = fl.groupby(["to_code", "nace_r2", "time"], sort=False).agg(
                flag=("flag", lambda s: "".join(sorted(set("".join(s))))),
                nuts_converted=("estimated", "any"),
            )
            agg = agg.reset_index().rename(columns={"to_code": "geo"})
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

    def split_levels(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        lv = _nace_level(df["nace_r2"])
        div = df[lv == "division"].copy()
        div.insert(2, "nace_section", div["nace_r2"].str.slice(0, 1))
        sec = df[lv == "section"].copy()
        return (
            div.sort_values(keys, ignore_index=True),
            sec.sort_values(keys, ignore_index=True),
        )

    regions_div, regions_sec = split_levels(regions)
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
        "names": write_table(names, name, "names"),
        "nuts_conversion": write_table(conv_report, name, "nuts_conversion"),
    }
    descriptions = {
        "regions": "NUTS-2 regions (NUTS 2021 codes) x NACE Rev. 2 division, 2008-2014",
        "regions_sections": "NUTS-2 regions (NUTS 2021 codes) x NACE Rev. 2 section (B-N), "
        "2008-2014",
        "countries": "countries (NUTS-0 rows of the same file) x NACE division, 2008-2014",
        "countries_sections": "countries x NACE section, 2008-2014",
        "names": "NUTS 2021 code -> Latin name, level (0-3) and country, from GISCO",
        "nuts_conversion": "what the NUTS conversion did to every source code, per source "
        "version and indicator (status: unchanged, recoded, split, merged, split_merged, "
        "unknown_kept for extra-regio ..ZZ codes, no_matrix_left_out for NUTS 2006 codes)",
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
            "(..ZZ) are kept unchanged. Missing and confidential cells are NaN, never 0. "
            "France's regional figures put head-office employment in the capital region."
        ),
        "source": "Eurostat, Structural business statistics: SBS data by NUTS 2 regions and NACE "
        "Rev. 2 (sbs_r_nuts06_r2), bulk download; boundaries GISCO NUTS 2021 1:60 million; "
        "conversion matrices European Commission JRC NUTS converter",
        "licence": "Eurostat data: free re-use with attribution (Eurostat copyright notice); "
        "GISCO boundaries: re-use with attribution; JRC matrices: Commission re-use policy",
        "attribution": f"{EUROSTAT}. Boundaries: {GISCO}.",
        "tables": tables,
        "columns": {
            "geo": "NUTS code (NUTS 2021 in regions tables; country code in countries tables)",
            "nace_r2": "NACE Rev. 2 code (division: letter + 2 digits; section: letter)",
            "nace_section": "NACE Rev. 2 section of the division",
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


BUILDERS: dict[str, Callable[[], None]] = {
    "eu-sbs": build_eu_sbs,
}


def main(argv: list[str]) -> int:
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

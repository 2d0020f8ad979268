"""Build the small mapping files bundled in ``src/ris3/data/hierarchies``.

Every file is derived from the published sources in ``../shared/data`` (see
SOURCES.md there); run from the project root::

    python scripts/build_hierarchies.py [--data ../shared/data]

Outputs (all CSV, UTF-8):

* ``nuts_conversion/n2_cm_v{A}_v{B}.csv`` - the JRC NUTS-converter matrices
  for NUTS-2, copied byte for byte (European Commission JRC, EC re-use policy).
* ``nuts_2021.csv`` - code, level, country, Latin name of every NUTS 2021
  region (levels 0-3) in the GISCO 1:60M file ((c) EuroGeographics, GISCO).
* ``nuts_2016_level2.csv`` - code and name of the NUTS 2016 level-2 regions
  in the GISCO 2016 file.
* ``sic2007_structure.csv`` - the ONS SIC 2007 structure file, copied
  unchanged (Open Government Licence v3).
* ``naics2017_cbp_codes.txt`` - the NAICS 2017 codes (2-6 digits) that occur in
  US County Business Patterns 2019 by CBSA (US Census Bureau, public domain);
  the all-sector code "00" is left out.
* ``hs92_4digit_codes.txt`` - the HS 1992 4-digit product codes (chapters
  01-97) that occur in the Atlas of Economic Complexity export file; codes only,
  no values (the nomenclature is the World Customs Organization's).
* ``hs_chapters.txt`` - HS chapter titles (HS 1996) as published with CEPII
  BACI, copied unchanged (Etalab Open Licence 2.0).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ris3" / "data" / "hierarchies"

NUTS_PAIRS = [(2010, 2013), (2010, 2016), (2010, 2021), (2013, 2016), (2013, 2021), (2016, 2021)]


def build_nuts_conversion(data: Path) -> None:
    """Copy the JRC NUTS-2 converter matrices unchanged."""
    out = OUT / "nuts_conversion"
    out.mkdir(parents=True, exist_ok=True)
    for a, b in NUTS_PAIRS:
        name = f"n2_cm_v{a}_v{b}.csv"
        shutil.copyfile(data / "eu_nuts_version_conversion" / name, out / name)


def build_nuts_codes(data: Path) -> None:
    """NUTS 2021 (all levels) and NUTS 2016 (level 2) codes and names from GISCO."""
    path = data / "geo_nuts_gisco_60m_2021" / "NUTS_RG_60M_2021_4326.geojson"
    props = [f["properties"] for f in json.loads(path.read_text("utf-8"))["features"]]
    nuts = pd.DataFrame(props)[["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN"]]
    nuts.columns = ["code", "level", "country", "label"]
    nuts.sort_values("code").to_csv(OUT / "nuts_2021.csv", index=False)
    path = data / "geo_nuts_gisco_60m_2016" / "NUTS_RG_60M_2016_4326_LEVL_2.geojson"
    props = [f["properties"] for f in json.loads(path.read_text("utf-8"))["features"]]
    n16 = pd.DataFrame(props)[["NUTS_ID", "NUTS_NAME"]]
    n16.columns = ["code", "label"]
    n16.sort_values("code").to_csv(OUT / "nuts_2016_level2.csv", index=False)


def build_activity_codes(data: Path) -> None:
    """SIC 2007 structure (copied), NAICS codes of CBP, HS 4-digit codes, HS chapters."""
    shutil.copyfile(
        data / "uk_labour_flows_ashe" / "sic-industry-structure.csv",
        OUT / "sic2007_structure.csv",
    )
    cbp = pd.read_csv(
        data / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"naics_code": str},
        usecols=["naics_code"],
    )
    naics = sorted(set(cbp["naics_code"]) - {"00"})
    (OUT / "naics2017_cbp_codes.txt").write_text("\n".join(naics) + "\n")
    atlas = pd.read_csv(
        data / "trade_atlas_deu_grc_hs4" / "deu_grc_hsproduct4digit.csv.gz",
        dtype={"hs_product_code": str},
        usecols=["hs_product_code"],
    )
    codes = atlas["hs_product_code"].drop_duplicates()
    # numeric codes of HS chapters 01-97 only: the Atlas adds 9999 (unspecified)
    # and services codes, which are not HS headings
    hs4 = sorted(c for c in codes if len(c) == 4 and c.isdigit() and int(c[:2]) <= 97)
    (OUT / "hs92_4digit_codes.txt").write_text("\n".join(hs4) + "\n")
    shutil.copyfile(data / "trade_baci_hs96_2digit_2024" / "HS2_1996.txt", OUT / "hs_chapters.txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    build_nuts_conversion(args.data)
    build_nuts_codes(args.data)
    build_activity_codes(args.data)


if __name__ == "__main__":
    main()

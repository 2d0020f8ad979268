"""Build the European benchmark cluster categories bundled in ``src/ris3/data/hierarchies/eu_clusters``.

The US benchmark cluster definitions (Delgado, Porter and Stern 2016; NAICS
2012 -> 51 traded and 16 local clusters) are carried to ISIC Rev. 4 classes
and to NACE Rev. 2 divisions (identical to ISIC Rev. 4 divisions) through the
US Census Bureau's concordance of 2012 NAICS to ISIC Rev. 4. Where one code
receives industries of several clusters it is split by US employment (County
Business Patterns 2019). Run from the project root::

    python scripts/build_eu_clusters.py [--data ../shared/data] [--out folder]

The output is deterministic: running the script twice writes identical bytes.

Method, step by step (also in the README written next to the files):

1. Concordance links: every (NAICS 2012 industry, ISIC Rev. 4 class) pair of
   the Census workbook; the two rows of NAICS "0" (households' own-use
   production, ISIC 9810/9820) are left out.
2. Cluster of each NAICS 2012 industry: the crosswalk's cluster when the
   industry is in it. Industries the crosswalk lists under NAICS 2017 (or
   vendor) codes instead (e.g. 211111/211112 -> 211120/211130, 541711/541712 ->
   541713-541715, crop farming -> 111000) take the cluster mix of the
   crosswalk codes sharing their longest prefix (5, 4 then 3 digits) that are
   not themselves NAICS 2012 codes, weighted by those codes' CBP employment
   (equally when none has any). Industries without a cluster (814110 private
   households, public administration 92xxxx) stay unclustered.
3. US employment of each NAICS 2012 industry: its CBP 2019 employment summed
   over all CBSAs (6-digit rows; cells published as 0 because suppressed count
   as 0). Industries whose code changed in NAICS 2017 share equally the
   employment of the CBP codes with the same 5-digit (else 4-digit) prefix
   that are not NAICS 2012 codes. CBP covers neither farming (111-112) nor
   public administration: there the employment is unknown.
4. An industry with links to k ISIC classes gives each link 1/k of its
   employment (the concordance gives no shares of partial links).
5. Weight of cluster c in an ISIC class or NACE division = US employment of
   its links in c / US employment of its clustered links. Codes where no
   clustered link has employment (farming) are weighted by the number of
   links instead (``weight_basis = "links"``). Weights of a code sum to 1.
   ``unclustered_share`` is the share of the code's US employment in links
   without a cluster (not distributed).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ris3" / "data" / "hierarchies" / "eu_clusters"

CONCORDANCE = Path("us_naics2012_isic4_census") / "2012_NAICS_to_ISIC_4.xlsx"
CROSSWALK = Path("us_cluster_definitions") / "naics2012_to_cluster.csv"
CBP = Path("us_cbp2019_cbsa_naics") / "cbp2019_cbsa_naics_emp.csv.gz"

#: NACE Rev. 2 sections with their first and last division (Eurostat 2008).
SECTIONS: dict[str, tuple[int, int]] = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}  # fmt: skip

#: Structural business statistics scope: sections B-N without K, and division 95.
SBS_SECTIONS = set("BCDEFGHIJLMN")
SBS_DIVISIONS = {"95"}


def section_of(division: str) -> str:
    d = int(division)
    for letter, (lo, hi) in SECTIONS.items():
        if lo <= d <= hi:
            return letter
    raise ValueError(f"division {division} is in no NACE section")


def in_sbs(division: str) -> bool:
    return section_of(division) in SBS_SECTIONS or division in SBS_DIVISIONS


def read_concordance(data: Path) -> pd.DataFrame:
    raw = pd.read_excel(data / CONCORDANCE, sheet_name="NAICS 12 to ISIC 4 technical", dtype=str)
    raw.columns = ["naics", "naics_title", "isic", "isic_title", "note"]
    raw["naics"] = raw["naics"].str.strip()
    raw["isic"] = raw["isic"].str.strip().str.zfill(4)
    links = raw.loc[raw["naics"].str.len() == 6, ["naics", "isic"]].drop_duplicates()
    return links.sort_values(["naics", "isic"]).reset_index(drop=True)


def read_crosswalk(data: Path) -> pd.DataFrame:
    cw = pd.read_csv(data / CROSSWALK, dtype={"NAICS": str})
    cw["NAICS"] = cw["NAICS"].str.strip()
    return cw


def read_cbp(data: Path) -> pd.Series:
    cbp = pd.read_csv(data / CBP, dtype={"naics_code": str, "cbsa_code": str})
    six = cbp.loc[cbp["naics_level"] == 6]
    return six.groupby("naics_code", sort=True)["EMP"].sum().astype(float)


def naics_employment(codes: list[str], cbp: pd.Series) -> pd.DataFrame:
    """US employment of each NAICS 2012 code (step 3); NaN where unknown."""
    code_set = set(codes)
    orphans = [c for c in cbp.index if c not in code_set]  # NAICS 2017 codes new in CBP
    found = {n: (float(cbp[n]), "CBP 2019") for n in codes if n in cbp.index}
    for width in (5, 4, 3):  # the longest prefix first; orphans are used once
        missing = [n for n in codes if n not in found]
        if width == 3:  # only codes whose whole 4-digit group was recoded
            missing = [n for n in missing if not any(c.startswith(n[:4]) for c in cbp.index)]
        for p in sorted({n[:width] for n in missing}):
            mine = [c for c in orphans if c.startswith(p)]
            if not mine:
                continue
            sharing = [n for n in missing if n.startswith(p)]
            emp = float(cbp[mine].sum()) / len(sharing)
            how = f"CBP 2019 {', '.join(mine)} shared by {len(sharing)} NAICS 2012 code(s)"
            for n in sharing:
                found[n] = (emp, how)
            orphans = [c for c in orphans if c not in mine]
    rows = [(n, *found.get(n, (math.nan, "unknown (not in CBP 2019)"))) for n in codes]
    return pd.DataFrame(rows, columns=["naics", "us_employment", "employment_source"])


def naics_clusters(codes: list[str], cw: pd.DataFrame, cbp: pd.Series) -> pd.DataFrame:
    """Cluster mix of each NAICS 2012 code (step 2): naics, cluster, share, how."""
    with_cluster = cw.loc[cw["Cluster"].notna()]
    direct = dict(zip(with_cluster["NAICS"], with_cluster["Cluster"]))
    listed = set(cw["NAICS"])
    code_set = set(codes)
    stand_ins = with_cluster.loc[~with_cluster["NAICS"].isin(code_set)]
    rows = []
    for n in codes:
        if n in direct:
            rows.append((n, direct[n], 1.0, "crosswalk"))
            continue
        if n in listed:
            rows.append((n, None, 1.0, "no cluster in the crosswalk"))
            continue
        found = False
        for width in (5, 4, 3):
            if width == 3 and any(c.startswith(n[:4]) for c in listed):
                break  # the crosswalk lists this 4-digit group and leaves the code out
            cand = stand_ins.loc[stand_ins["NAICS"].str.startswith(n[:width])]
            if len(cand):
                emp = cand["NAICS"].map(cbp).fillna(0.0).to_numpy()
                w = emp / emp.sum() if emp.sum() > 0 else np.full(len(cand), 1.0 / len(cand))
                mix = pd.Series(w, index=cand["Cluster"].to_numpy()).groupby(level=0).sum()
                how = "crosswalk codes " + ", ".join(sorted(cand["NAICS"]))
                rows.extend((n, c, float(s), how) for c, s in mix.items())
                found = True
                break
        if not found:
            rows.append((n, None, 1.0, "not in the crosswalk"))
    return pd.DataFrame(rows, columns=["naics", "cluster", "cluster_share", "cluster_source"])


def build(data: Path) -> dict[str, pd.DataFrame]:
    links = read_concordance(data)
    cw = read_crosswalk(data)
    cbp = read_cbp(data)
    codes = sorted(links["naics"].unique())
    emp = naics_employment(codes, cbp)
    mix = naics_clusters(codes, cw, cbp)
    k = links.groupby("naics")["isic"].transform("size")
    links = links.assign(link_share=1.0 / k)
    pieces = links.merge(emp, on="naics").merge(mix, on="naics")
    pieces["us_employment"] = pieces["us_employment"] * pieces["link_share"]
    pieces["us_employment"] *= pieces["cluster_share"]
    pieces["links"] = pieces["link_share"] * pieces["cluster_share"]
    pieces["division"] = pieces["isic"].str[:2]
    types = cw.dropna(subset=["Cluster"]).groupby("Cluster")["TradedLocal"].first().str.lower()
    pieces["cluster_type"] = pieces["cluster"].map(types)
    pieces = pieces.sort_values(["isic", "naics", "cluster"], na_position="last")
    return {
        "pieces": pieces.reset_index(drop=True),
        "isic_class": weights(pieces, "isic"),
        "division": weights(pieces, "division"),
    }


def weights(pieces: pd.DataFrame, key: str) -> pd.DataFrame:
    """Weights of the clusters in each code of ``key`` (step 5)."""
    p = pieces.copy()
    p["us_employment"] = p["us_employment"].fillna(0.0)
    unclustered = p.loc[p["cluster"].isna()].groupby(key)["naics"].nunique()
    clustered = p.loc[p["cluster"].notna()]
    g = clustered.groupby([key, "cluster"], sort=True)
    out = g.agg(
        cluster_type=("cluster_type", "first"),
        us_employment=("us_employment", "sum"),
        links=("links", "sum"),
        n_naics=("naics", "nunique"),
    ).reset_index()
    emp_tot = out.groupby(key)["us_employment"].transform("sum")
    link_tot = out.groupby(key)["links"].transform("sum")
    by_emp = emp_tot > 0
    out["weight"] = np.where(by_emp, out["us_employment"] / emp_tot, out["links"] / link_tot)
    out["weight_basis"] = np.where(by_emp, "employment", "links")
    out["n_naics_unclustered"] = out[key].map(unclustered).fillna(0).astype(int)
    out = out[out["weight"] > 0]
    return out.reset_index(drop=True)


def write(tables: dict[str, pd.DataFrame], out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    fmt = "%.12g"
    div = tables["division"].copy()
    div.insert(0, "activity", [section_of(d) + d for d in div["division"]])
    div["in_sbs"] = [in_sbs(d) for d in div["division"]]
    cols = ["activity", "cluster", "cluster_type", "weight", "weight_basis", "us_employment",
            "n_naics", "n_naics_unclustered", "in_sbs"]  # fmt: skip
    div[cols].to_csv(
        out / "nace2_divisions.csv", index=False, float_format=fmt, lineterminator="\n"
    )
    cls = tables["isic_class"].rename(columns={"isic": "activity"})
    cls[cols[:-1]].to_csv(
        out / "isic4_classes.csv", index=False, float_format=fmt, lineterminator="\n"
    )
    p = tables["pieces"][
        ["naics", "isic", "cluster", "link_share", "cluster_share", "us_employment",
         "employment_source", "cluster_source"]
    ]  # fmt: skip
    p.to_csv(out / "naics_isic_links.csv", index=False, float_format=fmt, lineterminator="\n")
    (out / "README.md").write_text(readme(div), encoding="utf-8", newline="\n")


def readme(div: pd.DataFrame) -> str:
    """The README of the bundled files: method, sources, licence, purity and coverage."""
    d = div.sort_values(["activity", "weight", "cluster"], ascending=[True, False, True])
    main = d.drop_duplicates("activity")
    n = d.groupby("activity").size()
    purity = [
        f"| {a} | {c} | {w:.2f} | {n[a]} | {'yes' if s else 'no'} |"
        for a, c, w, s in main[["activity", "cluster", "weight", "in_sbs"]].itertuples(index=False)
    ]
    emp = d.groupby("cluster")["us_employment"].sum()
    seen = d[d["in_sbs"]].groupby("cluster")["us_employment"].sum().reindex(emp.index).fillna(0)
    share = (seen / emp).sort_values(ascending=True, kind="stable")
    partial = [f"| {c} | {v:.2f} |" for c, v in share.items() if v < 0.995]
    return README.format(
        purity="\n".join(purity),
        coverage="\n".join(partial),
        n_full=int((share >= 0.995).sum()),
    )


README = """# European cluster categories (US benchmark clusters on NACE Rev. 2)

Built by `scripts/build_eu_clusters.py` from published files; do not edit by
hand, rerun the script. Read with `ris3.eu_benchmark_clusters()`.

| file | content |
|---|---|
| `nace2_divisions.csv` | NACE Rev. 2 division (Eurostat code, e.g. `C29`) x cluster: `weight` (sums to 1 per division), `weight_basis`, `us_employment` (CBP 2019 employment behind the weight), `n_naics`, `n_naics_unclustered`, `in_sbs` (division in the regional structural business statistics: sections B-N without K, plus S95) |
| `isic4_classes.csv` | The same for ISIC Rev. 4 classes (4 digits). A NACE Rev. 2 class lies inside one ISIC Rev. 4 class and takes its weights (translate NACE classes with Eurostat's NACE Rev. 2 - ISIC Rev. 4 correspondence; the codes often, but not always, coincide). |
| `naics_isic_links.csv` | The audit trail: every NAICS 2012 -> ISIC Rev. 4 link with its share of the industry (`link_share`), its cluster and share (`cluster_share`), the US employment it carries, and where the cluster and the employment came from. |

## Method

The 51 traded and 16 local clusters of the US benchmark cluster definitions
(Delgado, Porter and Stern 2016), defined on NAICS 2012 industries, are
carried to ISIC Rev. 4 through the US Census Bureau's concordance of 2012
NAICS to ISIC Rev. 4. ISIC Rev. 4 and NACE Rev. 2 are identical at division
level.

1. Every (NAICS 2012 industry, ISIC Rev. 4 class) link of the concordance
   (households' own-use production, NAICS "0", left out).
2. The cluster of an industry is the crosswalk's. Industries the crosswalk
   lists under NAICS 2017 or vendor codes (oil and gas extraction, department
   stores, telecommunications, R&D, equipment rental, crop and animal
   production...) take the cluster mix of those codes, weighted by their CBP
   employment. Private households (814110) and public administration (92)
   have no cluster.
3. US employment is County Business Patterns 2019 summed over metropolitan
   and micropolitan areas (6-digit NAICS 2017; cells published as 0 because
   suppressed count as 0). Industries recoded in NAICS 2017 share equally the
   employment of their new codes. CBP does not cover farming, rail, postal
   service, funds and trusts or public administration: there the employment
   is unknown and counts as 0.
4. An industry linked to k ISIC classes gives each link 1/k of its employment
   (the concordance gives no shares for partial links). This is an
   assumption: giving every link the industry's full employment instead
   changes the main cluster of 13 of the 85 divisions (e.g. C13, C17, J58)
   and the weights by 0.044 on average (at most 0.38), while the
   co-location check against the US (below) barely moves (Pearson 0.591
   instead of 0.584).
5. The weight of cluster c in a code is the US employment of the code's links
   in c divided by that of all its clustered links; where none has any
   employment (farming) the links are counted instead (`weight_basis =
   "links"`). Industries without a cluster are not distributed; their number
   is `n_naics_unclustered`.

Check across continents: the co-location of the traded categories across
the 288 NUTS-2 regions of the bundled SBS data (2014; correlation of the
categories' employment) against the US Cluster Mapping Project's published
co-location relatedness `cr_lc` of the same 2,450 pairs: Pearson 0.584,
Spearman 0.552 (how much two categories share divisions explains only 0.10).

Caveats: the weights are US employment shares of 2019, not European ones;
whole divisions are split by fixed weights, so categories sharing a division
share its regional variation; the SBS data do not cover finance, health,
education, public services, agriculture or culture.

## Purity: each division's main cluster and its weight there

| division | main cluster | purity | clusters | in SBS |
|---|---|---|---|---|
{purity}

## Coverage by the structural business statistics

Share of the US employment carried into each cluster that lands on divisions
the SBS data cover. {n_full} clusters lie wholly on SBS divisions; the others:

| cluster | share |
|---|---|
{coverage}

## Sources and licence

- Cluster definitions: US Cluster Mapping Project (clustermapping.us),
  Delgado, M., Porter, M. E. and Stern, S. (2016), "Defining clusters of
  related industries", Journal of Economic Geography 16(1), 1-38; the
  crosswalk is published under **CC BY-SA** (Creative Commons
  Attribution-ShareAlike). The files in this folder are derived from it and
  are distributed under the same licence: if you redistribute them or works
  derived from them, do so under CC BY-SA with this attribution.
- US Census Bureau, 2012 NAICS to ISIC Rev. 4 concordance (public domain).
- US Census Bureau, County Business Patterns 2019 (public domain).

Attribution: **Cluster definitions: US Cluster Mapping Project (Delgado,
Porter and Stern 2016), CC BY-SA; carried to NACE Rev. 2 with the US Census
Bureau's NAICS 2012 - ISIC Rev. 4 concordance and County Business Patterns
2019 employment.**
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = parser.parse_args()
    write(build(args.data), args.out)


if __name__ == "__main__":
    main()

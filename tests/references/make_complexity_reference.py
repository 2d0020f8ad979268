"""Make the stored ecomplexity reference tables used by tests/test_complexity.py.

Command that made the files in this folder (from the project root):

    .venv/bin/python tests/references/make_complexity_reference.py

Runs the Growth Lab's Python ``ecomplexity`` package (version 0.5.3, the
``bench`` extra) on two real tables from ../shared/data and writes, for each
(``baci`` = BACI 2024 exports by country x HS chapter; ``cbp`` = US County
Business Patterns 2019 employment by CBSA x 6-digit NAICS):

* ``ecomplexity_<name>_regions.csv``: one row per region: diversity, eci, coi;
* ``ecomplexity_<name>_activities.csv``: one row per activity: ubiquity, pci;
* ``ecomplexity_<name>_cells.csv``: region x activity rows for a fixed sample
  of regions (and, for cbp, every 5th activity): rca, mcp, density, cog.

Each measure comes in two conventions:

* ``*_py``: ecomplexity 0.5.3 as published (self-proximity kept in density
  and COG; ECI/PCI/COG scaled by the population sd of ECI across regions,
  COI z-scored the same way);
* ``*_stata``: the Stata ``ecomplexity`` conventions, obtained from the same
  package by passing its own proximity with the diagonal set to 0
  (``proximity_edgelist=``) and then standardising the long output table as
  the Stata ado file does (``summarize eci``: mean and sd with ddof = 1 over
  all region x product rows; ``pci`` and ``cog`` with ECI's mean and sd,
  ``coi`` with its own).

Values are written with 17 significant digits.
"""

from __future__ import annotations

import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "shared" / "data"
# cells are stored for a fixed sample: n regions, every k-th activity
CELL_SAMPLE = {"baci": (12, 1), "cbp": (6, 5)}


def load_baci() -> tuple[pd.DataFrame, dict[str, str]]:
    df = pd.read_csv(DATA / "trade_baci_hs96_2digit_2024" / "BACI_HS96_2d_2024_v202601.csv.gz")
    df["year"] = 2024
    return df, {"time": "year", "loc": "i", "prod": "hs2", "val": "v"}


def load_cbp() -> tuple[pd.DataFrame, dict[str, str]]:
    df = pd.read_csv(
        DATA / "us_cbp2019_cbsa_naics" / "cbp2019_cbsa_naics_emp.csv.gz",
        dtype={"naics_code": str},
    )
    df = df.loc[df["naics_level"] == 6, ["cbsa_code", "naics_code", "EMP"]].copy()
    df["year"] = 2019
    return df, {"time": "year", "loc": "cbsa_code", "prod": "naics_code", "val": "EMP"}


def run(df: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    from ecomplexity import ecomplexity, proximity

    loc, prod = cols["loc"], cols["prod"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        py = ecomplexity(df, cols, verbose=False, check_logsupermodularity=False)
        prox = proximity(df, cols)
    # ecomplexity.proximity prints the year; the edge list has <prod>_1, <prod>_2
    edges = prox.rename(columns={f"{prod}_1": "prod1", f"{prod}_2": "prod2"})
    edges.loc[edges["prod1"] == edges["prod2"], "proximity"] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        st = ecomplexity(
            df,
            cols,
            verbose=False,
            check_logsupermodularity=False,
            proximity_edgelist=edges[["prod1", "prod2", "proximity"]],
        )
    keys = [loc, prod]
    st = st.set_index(keys).loc[py.set_index(keys).index].reset_index()
    # Stata: summarize on the long table (ddof = 1 over region x product rows)
    eci_mean, eci_sd = st["eci"].mean(), st["eci"].std(ddof=1)
    out = py[keys + ["diversity", "ubiquity", "rca", "mcp"]].copy()
    for c in ("eci", "pci", "coi", "cog", "density"):
        out[f"{c}_py"] = py[c].to_numpy()
    out["eci_stata"] = ((st["eci"] - eci_mean) / eci_sd).to_numpy()
    out["pci_stata"] = ((st["pci"] - eci_mean) / eci_sd).to_numpy()
    out["cog_stata"] = (st["cog"] / eci_sd).to_numpy()
    out["coi_stata"] = ((st["coi"] - st["coi"].mean()) / st["coi"].std(ddof=1)).to_numpy()
    out["density_stata"] = st["density"].to_numpy()
    return out


def write(name: str, out: pd.DataFrame, cols: dict[str, str]) -> None:
    loc, prod = cols["loc"], cols["prod"]
    fmt = "%.17g"
    regions = out.groupby(loc, sort=True)[
        ["diversity", "eci_py", "coi_py", "eci_stata", "coi_stata"]
    ].first()
    regions.to_csv(HERE / f"ecomplexity_{name}_regions.csv", float_format=fmt)
    acts = out.groupby(prod, sort=True)[["ubiquity", "pci_py", "pci_stata"]].first()
    acts.to_csv(HERE / f"ecomplexity_{name}_activities.csv", float_format=fmt)
    n_regions, every = CELL_SAMPLE[name]
    all_regions = np.sort(out[loc].unique())
    pick = all_regions[np.linspace(0, all_regions.size - 1, n_regions).astype(int)]
    pick_act = np.sort(out[prod].unique())[::every]
    cells = out.loc[
        out[loc].isin(pick) & out[prod].isin(pick_act),
        [loc, prod, "rca", "mcp", "density_py", "cog_py", "density_stata", "cog_stata"],
    ].sort_values([loc, prod])
    cells.to_csv(HERE / f"ecomplexity_{name}_cells.csv", index=False, float_format=fmt)


def main() -> None:
    print(f"ecomplexity {version('ecomplexity')}")
    for name, loader in (("baci", load_baci), ("cbp", load_cbp)):
        df, cols = loader()
        write(name, run(df, cols), cols)
        print(f"wrote ecomplexity_{name}_*.csv")


if __name__ == "__main__":
    main()

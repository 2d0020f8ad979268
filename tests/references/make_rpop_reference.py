"""Make tests/references/ecomplexity_oec_rpop.csv, used by tests/test_specialisation.py.

Command that made the file (from the project root):

    .venv/bin/python tests/references/make_rpop_reference.py

Runs the Growth Lab's ``ecomplexity`` package (version 0.5.3, the ``bench``
extra) with ``presence_test="rpop"`` on the OEC exports by country x HS
section (../shared/data/trade_oec_hs_sections_datawheel/global_exports.csv.gz).
The shared data hold no population table, so each country gets a population
drawn once with ``numpy.random.default_rng(1)`` (integers 10,000 to 50
million); the file stores it next to ecomplexity's RPOP so that the test
checks the formula on real export values. Values have 17 significant digits.
"""

from __future__ import annotations

import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "shared" / "data"


def main() -> None:
    from ecomplexity import ecomplexity

    ex = pd.read_csv(DATA / "trade_oec_hs_sections_datawheel" / "global_exports.csv.gz")
    ex = ex.rename(columns={"Country ID": "loc", "Section ID": "prod", "Trade Value": "val"})
    ex["year"] = 2020
    rng = np.random.default_rng(1)
    locs = ex["loc"].unique()
    pop = pd.DataFrame(
        {
            "year": 2020,
            "loc": locs,
            "pop": rng.integers(10_000, 50_000_000, locs.size).astype(float),
        }
    )
    cols = {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(
            ex[["year", "loc", "prod", "val"]],
            cols,
            presence_test="rpop",
            pop=pop,
            verbose=False,
            check_logsupermodularity=False,
        )
    out = out.merge(pop[["loc", "pop"]], on="loc")
    out = out[["loc", "prod", "pop", "rpop", "mcp"]].sort_values(["loc", "prod"])
    path = HERE / "ecomplexity_oec_rpop.csv"
    out.to_csv(path, index=False, float_format="%.17g")
    print(f"wrote {path} ({len(out)} rows) with ecomplexity {version('ecomplexity')}")


if __name__ == "__main__":
    main()

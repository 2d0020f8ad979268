"""``ris3 profile`` on a table of the user's: real Eurostat rows written to CSV.

The own-data run must give the numbers the bundled run gives where both use
the same denominators (the cluster categories: sums of each region's observed
divisions), the LQs of ris3.location_quotient on the same rows, the bundled
NUTS names and boundaries, and one year must work without a time column.
Bad files and columns stop the run with one line and leave no file behind.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ris3 import datasets
from ris3.cli import main
from ris3.measures.specialisation import location_quotient
from ris3.report.region_profile import profile


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    t = datasets.load("eu-sbs", "regions")
    t = t[t["year"].isin([2010, 2014])]
    return t.rename(columns={"geo": "nuts", "nace_r2": "nace", "persons_employed": "emp"})[
        ["nuts", "nace", "year", "emp"]
    ]


@pytest.fixture(scope="module")
def runs(rows, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("own")
    rows.to_csv(tmp / "own.csv", index=False)
    one = rows[rows["year"] == 2014].drop(columns="year")
    one.to_csv(tmp / "one.csv", index=False)
    common = ["--region", "nuts", "--activity", "nace", "--value", "emp", "--format", "html"]
    a = main(["profile", "ES53", "--data", str(tmp / "own.csv"), "--time", "year", *common,
              "-o", str(tmp / "years")])  # fmt: skip
    b = main(["profile", "ES53", "--data", str(tmp / "one.csv"), *common, "-o", str(tmp / "one")])
    assert (a, b) == (0, 0)
    return tmp


def test_own_rows_give_the_bundled_cluster_lqs(runs):
    bundled = profile("ES53", year=2014, compare_year=2010)
    own = pd.read_csv(runs / "years" / "tables" / "clusters.csv")
    want = bundled.clusters.set_index("cluster")["lq"]
    got = own.set_index("cluster")["lq"].reindex(want.index)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=1e-9)
    assert want.notna().sum() > 20


def test_own_lqs_are_location_quotients_of_the_rows(runs, rows):
    cur = rows[(rows["year"] == 2014) & ~rows["nuts"].str.endswith("ZZ")]
    lq = location_quotient(cur, region="nuts", activity="nace", value="emp", missing="drop")
    want = lq[lq["nuts"] == "ES53"].set_index("nace")["lq"]
    for run in ("years", "one"):
        spec = pd.read_csv(runs / run / "tables" / "specialisation.csv", dtype={"activity": str})
        got = spec.dropna(subset=["lq_europe"]).set_index("activity")["lq_europe"]
        np.testing.assert_allclose(got.to_numpy(), want.reindex(got.index).to_numpy(), rtol=1e-9)


def test_own_nuts_codes_get_names_boundaries_and_one_year_works(runs):
    years = (runs / "years" / "index.html").read_text(encoding="utf-8")
    one = (runs / "one" / "index.html").read_text(encoding="utf-8")
    for html in (years, one):
        assert "ES53 Illes Balears" in html
        assert "No geometry was given" not in html and "map_peers" in html
        assert "LQ vs reference" in html and "vs Europe" not in html
    assert "the data&#x27;s single period" in one or "the data's single period" in one
    assert "growth since 2010" in years


def _run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_bad_files_and_columns_say_so_in_one_line_and_leave_nothing(tmp_path, rows, capsys):
    data = tmp_path / "own.csv"
    rows[rows["year"] == 2014].head(2000).to_csv(data, index=False)
    names = tmp_path / "names.csv"
    pd.DataFrame({"region": ["ES53"], "label": ["Balears"]}).to_csv(names, index=False)
    geo = tmp_path / "regions.geojson"
    geo.write_text("{not json", encoding="utf-8")
    other = tmp_path / "other.geojson"
    other.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"id": "R1"}}]}), encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    base = ["profile", "ES53", "--data", str(data), "--region", "nuts", "--activity", "nace",
            "--value", "emp", "--format", "html", "-o", str(out)]  # fmt: skip
    cases = [
        (base + ["--names", str(names)], "--names", "code,name"),
        (base + ["--geometry", str(geo)], "--geometry", "not GeoJSON"),
        (base + ["--geometry", str(other)], "--geometry", "no property"),
        ([a if a != "nuts" else "region" for a in base], "--region", "no column 'region'"),
        (base + ["--time", "yr"], "--time", "no column 'yr'"),
        (
            ["profile", "41860", "--dataset", "us-cbp", "--names", str(names), "-o", str(out)],
            "--data",
            "--names",
        ),  # fmt: skip
    ]
    for argv, option, text in cases:
        code, err = _run(argv, capsys)
        assert code == 2, (argv, err)
        lines = [x for x in err.splitlines() if x.startswith("ris3: error:")]
        assert len(lines) == 1 and option in lines[0] and text in lines[0], err
        assert not out.exists(), argv
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_old_column_options_still_work_with_a_warning(tmp_path, rows, capsys):
    data = tmp_path / "own.csv"
    rows.to_csv(data, index=False)
    out = tmp_path / "out"
    code, err = _run(["profile", "AT33", "--data", str(data), "--region-col", "nuts",
                      "--activity-col", "nace", "--value-col", "emp", "--format", "html",
                      "-o", str(out)], capsys)  # fmt: skip
    assert code == 0, err
    assert "ris3: warning: --region-col is renamed --region" in err
    assert "--value-col is renamed --value" in err
    assert (out / "index.html").is_file()


def test_profile_keywords_of_0_1_warn_and_give_the_same_profile(rows):
    small = rows[rows["nuts"].str[:2].isin(["AT", "DE"])]
    new = profile("AT33", data=small, region="nuts", activity="nace", value="emp", n_peers=3)
    with pytest.warns(FutureWarning, match="region_col= is renamed region="):
        old = profile(
            "AT33", data=small, region_col="nuts", activity_col="nace", value_col="emp", n_peers=3
        )
    pd.testing.assert_frame_equal(old.specialisation, new.specialisation)
    with pytest.warns(FutureWarning, match=r"profile\(region=<target>\) is renamed"):
        first = profile(region="AT33", n_peers=3)
    assert first.region == "AT33"
    with pytest.raises(TypeError, match="unexpected keyword argument 'regoin'"):
        profile("AT33", regoin="x")

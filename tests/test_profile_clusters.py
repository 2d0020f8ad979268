"""The region profile by European cluster category (the default for NACE division data).

Expected values come from :func:`ris3.eu_cluster_stars` called directly, from
a pandas computation on the raw rows of the bundled ``eu-sbs`` table, and from
the division portfolio recorded before the profile had cluster categories
(``references/make_profile_portfolio_reference.py``).
"""

from __future__ import annotations

import warnings
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3 import datasets
from ris3.clusters.eu_definitions import eu_benchmark_clusters
from ris3.clusters.stars import eu_cluster_stars
from ris3.errors import ConventionError, InputError
from ris3.report import profile

REGION = "AT33"
REFERENCES = Path(__file__).parent / "references"
V, FLAG = "persons_employed", "persons_employed_flag"


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    d = datasets.load("eu-sbs", table="regions")
    return d[~d["geo"].str.endswith("ZZ")].reset_index(drop=True)


@pytest.fixture(scope="module")
def at33():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return profile(REGION)


@pytest.fixture(scope="module")
def at33_divisions():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return profile(REGION, clusters="divisions")


def test_tirol_top_category_is_hospitality_and_tourism(at33, sbs) -> None:
    t = at33.clusters
    assert at33.cluster_definition == eu_benchmark_clusters().name
    top = t.sort_values(["stars", "lq"], ascending=False).iloc[0]
    assert top["cluster"] == "Hospitality and Tourism" and top["stars"] == 3
    assert bool(top["strong"])
    # the table is eu_cluster_stars on the bundled 2014 rows, AT33's rows, nothing else
    direct = eu_cluster_stars(sbs[sbs["year"] == 2014])
    direct = direct[direct["geo"] == REGION].drop(columns=["year", "geo"])
    direct = direct.sort_values(["stars", "lq"], ascending=False, kind="stable")
    pd.testing.assert_frame_equal(
        t.drop(columns=["estimated"]), direct.reset_index(drop=True), check_exact=True
    )
    assert not t["estimated"].any()
    assert list(t["cluster"].head(5)) == [
        "Hospitality and Tourism",
        "Vulcanized and Fired Materials",
        "Nonmetal Mining",
        "Forestry",
        "Wood Products",
    ]
    # the notes name the definition and its licence
    assert any("Delgado, Porter and Stern (2016)" in n and "CC BY-SA" in n for n in at33.notes)
    assert "clusters" in at33.tables()


def test_division_option_reproduces_the_division_portfolio(at33, at33_divisions) -> None:
    ref = pd.read_csv(REFERENCES / "profile_at33_portfolio_divisions.csv", dtype={"geo": str})
    pf = at33_divisions.portfolio
    assert list(pf.columns) == list(ref.columns)
    for col in pf.columns:
        a, b = pf[col], ref[col]
        if pd.api.types.is_numeric_dtype(b) and not pd.api.types.is_bool_dtype(b):
            np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-12)
        else:
            assert [None if pd.isna(x) else str(x) for x in a] == [
                None if pd.isna(x) else str(x) for x in b
            ], col
    assert at33_divisions.clusters is None
    assert at33_divisions.cluster_definition == "one cluster per activity"
    assert "clusters" not in at33_divisions.tables()
    # the division table (its division-level stars and stage) is the same under both options
    pd.testing.assert_frame_equal(at33.specialisation, at33_divisions.specialisation)
    assert at33.national_growth == at33_divisions.national_growth
    assert set(at33.portfolio["cluster"]) == set(eu_benchmark_clusters().mapping["cluster"])


def test_no_missing_cell_counts_in_a_category(at33, sbs) -> None:
    # comparable cells by hand: a value in 2009 and in 2014, no break flag in 2010-2014
    two = sbs[sbs["year"].isin([2009, 2014])]
    w = two.pivot(index=["geo", "nace_r2"], columns="year", values=V)
    b = sbs[sbs["year"].between(2010, 2014) & sbs[FLAG].fillna("").str.contains("b")]
    broken = pd.MultiIndex.from_frame(b[["geo", "nace_r2"]])
    comp = w.dropna()
    comp = comp[~comp.index.isin(broken)]
    mine = w.loc[REGION]
    left_out = set(mine.index) - set(comp.loc[REGION].index)
    assert {"C21", "C30"} <= left_out  # confidential in 2014
    m = eu_benchmark_clusters().mapping
    cat = "Aerospace Vehicles and Defense"  # C30 (and C33) carry most of it
    wt = m[m["cluster"] == cat].set_index("activity")["weight"]
    assert "C30" in wt.index

    def cat_emp(cells: pd.DataFrame, year: int) -> pd.Series:
        x = cells[year].reset_index()
        x["w"] = x["nace_r2"].map(wt).fillna(0.0)
        return (x[year] * x["w"]).groupby(x["geo"]).sum()

    e0, e1 = cat_emp(comp, 2009), cat_emp(comp, 2014)
    total1 = comp[2014].groupby(level="geo").sum()
    lq1 = (e1[REGION] / total1[REGION]) / (e1.sum() / total1.sum())
    row = at33.portfolio.set_index("cluster").loc[cat]
    assert row["value"] == pytest.approx(e1[REGION], rel=1e-12)
    assert row["value_start"] == pytest.approx(e0[REGION], rel=1e-12)
    assert row["growth"] == pytest.approx((e1[REGION] / e0[REGION]) ** 0.2 - 1, rel=1e-9)
    assert row["lq"] == pytest.approx(lq1, rel=1e-9)
    assert row["status"] == "incomplete"
    # counting the missing cells as 0 would give another growth: the test can tell them apart
    zero = w.fillna(0.0)
    naive = (cat_emp(zero, 2014)[REGION] / cat_emp(zero, 2009)[REGION]) ** 0.2 - 1
    assert abs(naive - row["growth"]) > 0.005
    # the share left out, by the US employment behind the category's weights
    us = m[m["cluster"] == cat].set_index("activity")["us_employment"]
    in_data = us[us.index.isin(sbs["nace_r2"].unique())]
    share = in_data[in_data.index.isin(left_out)].sum() / in_data.sum()
    assert row["incomplete_share"] == pytest.approx(share, rel=1e-12)
    assert 0.5 < share < 1
    # a category the data cannot see has no values at all, not 0
    ins = at33.portfolio.set_index("cluster").loc["Insurance Services"]
    assert ins["status"] == "not_comparable" and ins["visible_share"] == 0
    assert ins[["value", "value_start", "lq", "growth"]].isna().all()
    assert pd.isna(ins["stage"]) and pd.isna(ins["quadrant"])
    # fully comparable categories are "observed"; quadrant and stage use the national line
    obs = at33.portfolio[at33.portfolio["incomplete_share"] == 0]
    assert (obs["status"] == "observed").all()
    assert (at33.portfolio["reference_growth"] == at33.national_growth).all()


class _Table(HTMLParser):
    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.id, self.rows, self._in, self._cell = table_id, [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.id:
            self._in = True
        elif self._in and tag == "tr":
            self.rows.append([])
        elif self._in and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if self._in and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._in = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_report_shows_the_categories_table(at33, at33_divisions) -> None:
    from ris3.report.page import build_page

    html = build_page(at33).to_html(bundle="")
    assert "Cluster categories" in html and 'id="table-clusters"' in html
    parser = _Table("table-clusters")
    parser.feed(html)
    head, first, *rest = parser.rows
    assert head[:2] == ["Cluster category", "Type"]
    t = at33.clusters.iloc[0]
    assert first[0] == "Hospitality and Tourism" and first[5] == "★★★" and first[6] == "yes"
    assert first[2] == f"{t['value']:,.0f}" and first[4] == f"{t['lq']:.3f}"
    assert first[7] == f"{t['visible_share'] * 100:.2f} %"
    # categories the data cannot see are named, not rated
    unseen = int((at33.clusters["visible_share"] == 0).sum())
    assert len(rest) + 1 == len(at33.clusters) - unseen and unseen > 0
    assert f"{unseen} categories lie entirely outside the activities of the data" in html
    assert "By cluster category" in html
    plain = build_page(at33_divisions).to_html(bundle="")
    assert 'id="table-clusters"' not in plain and "Each activity as its own cluster" in plain


def _own(codes: tuple[str, str, str]) -> pd.DataFrame:
    base = {"XA11": (50, 30, 20), "XA12": (20, 50, 30), "XB11": (40, 60, 100), "XB12": (50, 40, 10)}
    return pd.DataFrame(
        [
            {"nuts": g, "nace": a, "yr": y, "emp": v * (0.8 if y == 2010 else 1.0)}
            for y in (2010, 2015)
            for g, vals in base.items()
            for a, v in zip(codes, vals)
        ]
    )


def test_clusters_option_follows_the_codes_and_is_checked(tmp_path) -> None:
    kw = dict(region="nuts", activity="nace", value="emp", time="yr", n_peers=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = profile("XA11", data=_own(("a", "b", "c")), **kw)
        nace = profile("XA11", data=_own(("C29", "I55", "F43")), **kw)
    assert other.clusters is None and other.cluster_definition == "one cluster per activity"
    assert nace.clusters is not None and "I55" not in set(nace.portfolio["cluster"])
    # own data on NACE divisions: the same call as eu_cluster_stars on them (no establishments)
    cur = _own(("C29", "I55", "F43")).query("yr == 2015")
    direct = eu_cluster_stars(
        cur, region="nuts", activity="nace", value="emp", establishments=None, time="yr"
    )
    direct = direct[direct["nuts"] == "XA11"].set_index("cluster")
    mine = nace.clusters.set_index("cluster")
    for col in ("value", "lq", "stars", "visible_share", "incomplete_share"):
        np.testing.assert_allclose(
            mine[col].astype(float), direct.loc[mine.index, col].astype(float), rtol=1e-12
        )
    assert mine["strong"].isna().all()  # no establishments: no strong-cluster rule
    with pytest.raises(InputError, match=r"clusters='categories' needs activity codes .*\['a'"):
        profile("XA11", data=_own(("a", "b", "c")), clusters="categories", **kw)
    with pytest.raises(ConventionError, match="clusters must be one of 'categories', 'divisions'"):
        profile("XA11", data=_own(("a", "b", "c")), clusters="cats", **kw)  # type: ignore[arg-type]


def test_cli_clusters_option(tmp_path) -> None:
    from ris3.cli import main

    path = tmp_path / "own.csv"
    _own(("C29", "I55", "F43")).to_csv(path, index=False)
    args = [
        "profile",
        "XA11",
        "--data",
        str(path),
        "--region-col",
        "nuts",
        "--activity-col",
        "nace",
        "--value-col",
        "emp",
        "--time-col",
        "yr",
        "--peers",
        "2",
        "--format",
        "html",
    ]
    assert main([*args, "--out", str(tmp_path / "cat")]) == 0
    assert (tmp_path / "cat" / "tables" / "clusters.csv").is_file()
    assert main([*args, "--clusters", "divisions", "--out", str(tmp_path / "div")]) == 0
    assert not (tmp_path / "div" / "tables" / "clusters.csv").exists()
    pf = pd.read_csv(tmp_path / "div" / "tables" / "portfolio.csv")
    assert set(pf["cluster"]) == {"C29", "I55", "F43"}

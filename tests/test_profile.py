"""Tests of the region profile on the bundled Eurostat data: numbers, report, browser, CLI."""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from ris3.errors import ConventionError, InputError
from ris3.report import profile, write_profile
from ris3.report.browser import chromium_path, open_report

REGION = "AT33"


@pytest.fixture(scope="module")
def at33():
    return profile(REGION)


@pytest.fixture(scope="module")
def at33_divisions():
    """Each division its own cluster (the default for data not on NACE divisions)."""
    return profile(REGION, clusters="divisions")


@pytest.fixture(scope="module")
def report(at33, tmp_path_factory):
    out = tmp_path_factory.mktemp("AT33")
    write_profile(at33, out, formats=["html"])
    return out


@pytest.fixture(scope="module")
def sbs():
    """Independent copy of the bundled table: 2009 and 2014, no extra-regio, no missing."""
    from ris3 import datasets

    d = datasets.load("eu-sbs", table="regions")
    d = d[~d["geo"].str.endswith("ZZ")]
    return d


def _raw_row(shared_data, key: str) -> dict[int, float]:
    """Persons employed of one key from the original Eurostat bulk TSV."""
    path = shared_data / "eu_sbs_r_nuts06_r2" / "sbs_r_nuts06_r2.tsv.gz"
    with gzip.open(path, "rt") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            if line.startswith(key + "\t"):
                cells = line.rstrip("\n").split("\t")
                years = [int(h.strip()) for h in header[1:]]
                return {y: float(c.strip().split(" ")[0]) for y, c in zip(years, cells[1:])}
    raise AssertionError(f"{key} not in the raw file")


def _lq(df: pd.DataFrame) -> pd.Series:
    """LQ by plain pandas group sums: (x_ra / x_r.) / (x_.a / x_..); 0 where x_ra = 0.

    An empty cell whose whole reference area has none of the activity is 0 / 0:
    undefined (NaN), as ris3 reports it.
    """
    x = df.set_index(["geo", "nace_r2"])["persons_employed"]
    region_total = x.groupby(level="geo").transform("sum")
    act_total = x.groupby(level="nace_r2").transform("sum")
    lq = (x / region_total) / (act_total / x.sum())
    return lq.where(x > 0, np.where(act_total > 0, 0.0, np.nan))


# ---------------------------------------------------------------- the published facts


def test_tirol_is_specialised_in_accommodation_not_textiles(at33):
    spec = at33.specialisation.set_index("activity")
    assert at33.year == 2014 and at33.compare_year == 2009
    assert spec.loc["I55", "lq_europe"] > 5
    assert "I55" in list(at33.top_specialisations(3)["activity"])
    assert spec.loc["C13", "lq_europe"] < 1
    assert at33.region_name == "Tirol"


def test_employment_and_growth_match_the_raw_eurostat_file(at33, shared_data):
    raw = _raw_row(shared_data, "I55,V16110,AT33")
    row = at33.specialisation.set_index("activity").loc["I55"]
    assert row["employment"] == raw[2014] == 32624
    assert row["employment_start"] == raw[2009]
    assert row["growth"] == pytest.approx((raw[2014] / raw[2009]) ** (1 / 5) - 1, rel=1e-12)


def _published_denominators(cur: pd.DataFrame, region: str) -> tuple[float, pd.Series, pd.Series]:
    """Plain pandas: the region's published total, Europe's and its country's division values.

    Region total: published sections; a confidential section counts its observed
    divisions; divisions without a section row (S95) count as observed. Europe and the
    country: the NUTS-0 division rows, a confidential one replaced by its regions' sum.
    """
    from ris3 import datasets

    v, y = "persons_employed", int(cur["year"].iloc[0])
    secs = datasets.load("eu-sbs", "regions_sections")
    secs = secs[(secs["geo"] == region) & (secs["year"] == y)].set_index("nace_r2")[v]
    mine = cur[cur["geo"] == region]
    by_sec = mine.groupby("nace_section")[v].sum()
    total = float(secs.fillna(by_sec.reindex(secs.index)).sum())
    total += float(by_sec.drop(index=list(secs.index), errors="ignore").sum())
    ctry = datasets.load("eu-sbs", "countries")
    ctry = ctry[ctry["year"] == y].set_index(["geo", "nace_r2"])[v]
    regional = cur.assign(c=cur["geo"].str[:2]).groupby(["c", "nace_r2"])[v].sum(min_count=1)
    regional.index = regional.index.set_names(["geo", "nace_r2"])
    rows = ctry.reindex(ctry.index.union(regional.index)).fillna(regional).dropna()
    return total, rows.groupby(level="nace_r2").sum(), rows.xs(region[:2], level="geo")


def test_lq_against_europe_and_country_match_plain_pandas(at33, sbs):
    cur = sbs[sbs["year"] == 2014]
    total, europe, country = _published_denominators(cur, REGION)
    x = cur[cur["geo"] == REGION].set_index("nace_r2")["persons_employed"].dropna()
    eu = (x / total) / (europe / europe.sum()).reindex(x.index)
    at = (x / total) / (country / country.sum()).reindex(x.index)
    spec = at33.specialisation.set_index("activity")
    spec = spec[spec["employment"].notna()]
    assert len(spec) == len(x)
    np.testing.assert_allclose(spec["lq_europe"], eu.reindex(spec.index), rtol=1e-12)
    np.testing.assert_allclose(spec["lq_country"], at.reindex(spec.index), rtol=1e-12)
    np.testing.assert_allclose(spec["share"], (x / total).reindex(spec.index), rtol=1e-12)
    assert at33.coverage["region_total"] == total
    assert at33.coverage["region_coverage"] == pytest.approx(x.sum() / total)


def test_coverage_counts_missing_cells(at33, sbs):
    cur = sbs[sbs["year"] == 2014]
    mine = cur[cur["geo"] == REGION]
    assert at33.coverage["region_cells"] == len(mine)
    assert at33.coverage["region_missing"] == mine["persons_employed"].isna().sum()
    assert at33.coverage["all_missing"] == cur["persons_employed"].isna().sum()
    n_conf = int(mine["persons_employed_flag"].fillna("").str.contains("c").sum())
    assert n_conf == 2
    assert f"Eurostat flags on AT33's 2014 cells: {n_conf} confidential (c)." in at33.notes
    # missing cells are listed as missing (NaN), never as 0
    missing = set(mine.loc[mine["persons_employed"].isna(), "nace_r2"])
    spec = at33.specialisation.set_index("activity")
    cols = ["employment", "lq_europe", "growth", "stars", "stage"]
    assert missing and spec.loc[sorted(missing), cols].isna().all().all()
    assert set(spec.index[-len(missing) :]) == missing


def test_sections_use_the_api_functions(at33, at33_divisions, sbs):
    from ris3.diversification.peers import peers
    from ris3.measures.dynamics import shift_share, specialisation_change

    cur = sbs[sbs["year"] == 2014]
    p = peers(
        cur,
        region="geo",
        activity="nace_r2",
        value="persons_employed",
        target=REGION,
        n=10,
        missing="drop",
    )
    assert list(at33.peers["peer"]) == list(p["geo"])
    assert at33.peers["similarity"].to_numpy() == pytest.approx(p["similarity"].to_numpy())
    # the API on the raw rows: cells with a value in both years and no break in series
    # (a confidential cell is not an exit); the profile selects them in pandas
    kw = {"region": "geo", "activity": "nace_r2", "value": "persons_employed", "time": "year"}
    span = sbs[sbs["year"].between(2009, 2014)]
    ss = shift_share(
        span,
        **kw,
        start=2009,
        end=2014,
        unbalanced="drop",
        missing="drop",
        flag="persons_employed_flag",
    ).tidy()
    ss = ss[ss["status"] == "observed"]
    ss = ss[ss["geo"] == REGION].set_index("nace_r2")
    # C21 is confidential for AT33 in 2014: no spurious exit of -3,500 persons
    assert "C21" not in set(at33.shift_share["activity"])
    mine = at33.shift_share.set_index("activity")
    for col in ("change", "national_effect", "industry_mix_effect", "competitive_effect"):
        np.testing.assert_allclose(mine[col], ss[col].reindex(mine.index), rtol=1e-12)
    effects = mine[["national_effect", "industry_mix_effect", "competitive_effect"]].sum(axis=1)
    np.testing.assert_allclose(effects, mine["change"], rtol=1e-9, atol=1e-6)
    assert at33.unavailable == {}  # every section is computed
    # two implementations agree: the portfolio's LQs and growth (cluster map of the cells
    # comparable in both years, one cluster per activity) equal specialisation_change's
    ch = specialisation_change(
        span, **kw, start=2009, end=2014, missing="drop", flag="persons_employed_flag"
    )
    ch = ch[ch["geo"] == REGION].set_index("nace_r2")
    pf = at33_divisions.portfolio.set_index("cluster")
    zero = pf.index.difference(ch.index)  # 0 persons in both years: listed by the portfolio
    assert (pf.loc[zero, ["value", "value_start"]] == 0).all().all()
    pf = pf.loc[ch.index]
    for a, b in (("lq", "lq_end"), ("lq_start", "lq_start"), ("growth", "growth")):
        np.testing.assert_allclose(pf[a], ch[b], rtol=1e-12)
    assert (pf["status"] == ch["status"]).all()
    # (the specialisation table's LQs use the published denominators: tested above)


# ---------------------------------------------------------------- report == API


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._t: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._t = a.get("id")
            self.tables[self._t] = []
        elif tag == "tr" and self._t:
            self.tables[self._t].append([])
        elif tag in ("td", "th") and self._t:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._t:
            self.tables[self._t][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._t = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_report_numbers_are_the_api_numbers(at33, report):
    html = (report / "index.html").read_text(encoding="utf-8")
    parser = _Tables()
    parser.feed(html)
    rows = {r[0]: r for r in parser.tables["table-specialisation"][1:]}
    spec = at33.specialisation.set_index("activity")
    for code in ("I55", "C13", "G47", "F43"):
        _, name, emp, share, lq_eu, lq_cn, growth, *_ = rows[code]
        api = spec.loc[code]
        assert name == api["activity_name"]
        assert emp == f"{api['employment']:,.0f}"
        assert share == f"{api['share'] * 100:.2f} %"
        assert lq_eu == f"{api['lq_europe']:.3f}"
        assert lq_cn == f"{api['lq_country']:.3f}"
        assert growth == f"{api['growth'] * 100:.2f} %"
    # the map spec carries the exact LQ of every region
    specs = json.loads(re.search(r'id="ris3-specs">(.*?)</script>', html, re.S).group(1))
    m = specs["map_lq"]
    feats = m["datasets"][m["data"]["name"]] if "name" in m["data"] else m["data"]["values"]
    lq_map = {f["properties"]["id"]: f["properties"].get("value") for f in feats}
    assert lq_map[REGION] == spec.loc["I55", "lq_europe"]
    api_map = at33.lq_map.set_index("geo")["lq"]
    assert lq_map["ITH1"] == api_map["ITH1"]
    # the opportunities table lists the API's top 10 in order
    opp = [r[0] for r in parser.tables["table-opportunities"][1:]]
    cand = at33.opportunities[~at33.opportunities["specialised"]]
    assert opp == list(cand["activity"].head(10))
    # the CSV tables carry full precision, one per table of the profile
    assert {f.stem for f in (report / "tables").glob("*.csv")} == set(at33.tables())
    # values survive the CSV round trip exactly
    csv = pd.read_csv(report / "tables" / "specialisation.csv")
    pd.testing.assert_series_equal(csv["lq_europe"], at33.specialisation["lq_europe"])


@pytest.mark.browser
def test_report_renders_every_chart_in_chromium(at33, report, tmp_path):
    if chromium_path() is None:
        pytest.skip("/usr/bin/chromium is absent (install with scripts/setup-system.sh)")
    check = open_report(report / "index.html", screenshot=tmp_path / "shot.png")
    assert check.page_errors == [] and check.console_errors == [] and check.chart_errors == []
    assert check.blocked_requests == []  # nothing fetched from the network
    assert check.expected == len(check.rendered) == 8
    assert all(n >= 1 for n in check.svg_counts.values())
    titles = {k: " | ".join(v) for k, v in check.titles.items()}
    expected = {
        "map_lq": "LQ of I55 Accommodation, 2014",
        "map_peers": "Peer regions of AT33 Tirol",
        "specialisation": "Location quotients of AT33's top activities, 2014",
        "portfolio": "Portfolio of AT33",
        "shift_share": "Shift-share of employment change in AT33, 2009-2014",
        "network": "Relatedness network, AT33's specialisations highlighted",
        "opportunities": "Diversification opportunities for AT33, 2014",
        "diversity": "Diversity and variety of AT33 and its peers",
    }
    for name, title in expected.items():
        assert title in titles[name], (name, titles.get(name))
    assert check.ok
    assert (tmp_path / "shot.png").read_bytes()[:4] == b"\x89PNG"


# ---------------------------------------------------------------- errors and own data


def test_unknown_region_suggests_the_closest_codes_and_names():
    with pytest.raises(
        InputError,
        match=r"region 'AT3' is not in the data for 2014 .*; did you mean .*'AT33 Tirol'",
    ):
        profile("AT3")


def test_region_given_by_its_exact_name_is_that_region():
    from ris3 import datasets
    from ris3.report._inputs import resolve_region_name

    sbs = datasets.load("eu-sbs")
    names = dict(zip(*datasets.load("eu-sbs", "names").iloc[:, :2].T.values))
    assert names["AT33"] == "Tirol"
    for given in ("Tirol", "TIROL", " tirol "):
        assert resolve_region_name(given, sbs["geo"].unique(), names) == "AT33"
    assert resolve_region_name("Tiro", sbs["geo"].unique(), names) == "Tiro"  # exact only
    with pytest.raises(InputError, match=r"; did you mean 'AT33 Tirol'"):
        profile("Tiro")


def test_retired_nuts_code_names_its_successor_from_the_conversion_tables():
    # NUTS 2013 FR71 Rhone-Alpes became FRK2 (JRC NUTS-2 converter 2013 -> 2021, share 1)
    with pytest.raises(
        InputError, match=r"FR71 is a NUTS 2013 code, replaced in NUTS 2021 by FRK2"
    ):
        profile("FR71")
    # a split: NUTS 2013 LT00 (Lietuva) is LT01 + LT02 in NUTS 2021
    with pytest.raises(InputError, match=r"LT00 is a NUTS 2013 code, .* by LT02 .*\(7\d% .*LT01"):
        profile("LT00")


def test_nuts3_code_says_the_data_are_nuts2_and_names_its_parent():
    with pytest.raises(
        InputError, match=r"AT332 Innsbruck is a NUTS-3 region; the data are NUTS-2: .* AT33 Tirol"
    ):
        profile("AT332")


def _own() -> pd.DataFrame:
    """4 regions x 3 activities, 2010 and 2015 (2010 = 0.8 x 2015).

    2015 totals: XA11 = XA12 = XB12 = 100, XB11 = 200, all = 500; activity a:
    50 + 20 + 40 + 50 = 160. LQ(XA11, a) = (50 / 100) / (160 / 500) = 1.5625;
    against country XA (given as countries=; a = 70 of 200): 0.5 / 0.35 = 10 / 7.
    """
    base = {
        "XA11": (50, 30, 20),
        "XA12": (20, 50, 30),
        "XB11": (40, 60, 100),
        "XB12": (50, 40, 10),
    }
    rows = [
        {"nuts": geo, "nace": act, "yr": year, "emp": v * (0.8 if year == 2010 else 1.0)}
        for year in (2010, 2015)
        for geo, vals in base.items()
        for act, v in zip(("a", "b", "c"), vals)
    ]
    return pd.DataFrame(rows)


COUNTRIES = {"XA11": "XA", "XA12": "XA", "XB11": "XB", "XB12": "XB"}


def test_profile_of_own_data_hand_worked():
    from ris3.report import STAGES

    seen: list[str] = []
    p = profile(
        "XA11",
        data=_own(),
        region="nuts",
        activity="nace",
        value="emp",
        time="yr",
        n_peers=2,
        progress=seen.append,
        countries=COUNTRIES,
    )
    assert seen == list(STAGES)  # the progress bar gets every stage, in order
    assert set(p.timings) == set(STAGES)
    spec = p.specialisation.set_index("activity")
    assert spec.loc["a", "lq_europe"] == pytest.approx(1.5625, rel=1e-12)
    assert spec.loc["a", "lq_country"] == pytest.approx(10 / 7, rel=1e-12)
    assert spec.loc["c", "lq_europe"] == pytest.approx(0.2 / 0.32, rel=1e-12)
    # every activity grew by 1 / 0.8 over 5 years
    np.testing.assert_allclose(spec["growth"], 1.25 ** (1 / 5) - 1, rtol=1e-12)
    assert list(p.top_specialisations()["activity"]) == ["a"]
    assert p.map_activity == "a"  # the top specialisation by default
    assert p.lq_map.set_index("geo")["lq"]["XB12"] == pytest.approx(0.5 / 0.32, rel=1e-12)
    q = profile(
        "XA11",
        data=_own(),
        region="nuts",
        activity="nace",
        value="emp",
        time="yr",
        n_peers=2,
        map_activity="c",
    )
    assert q.lq_map.set_index("geo")["lq"]["XB11"] == pytest.approx(0.5 / 0.32, rel=1e-12)
    assert p.year == 2015 and p.compare_year == 2010
    assert p.geometry is None


def test_profile_argument_errors():
    own = dict(data=_own(), region="nuts", activity="nace", value="emp", time="yr")
    with pytest.raises(
        InputError, match=r"year must be one of the data's years 2010, 2015; got 1999"
    ):
        profile("XA11", year=1999, **own)
    with pytest.raises(InputError, match="compare_year must be before year=2010; got 2015"):
        profile("XA11", year=2010, compare_year=2015, **own)
    gap = _own()
    gap = gap[~((gap["nuts"] == "XA12") & (gap["yr"] == 2010))]
    with pytest.raises(
        InputError, match="region 'XA12' has no data for 2010; years with data: 2015"
    ):
        profile(
            "XA12",
            year=2010,
            data=gap,
            region="nuts",
            activity="nace",
            value="emp",
            time="yr",
        )
    with pytest.raises(InputError, match="map_activity 'zz' is not an activity of the data"):
        profile("XA11", map_activity="zz", **own)
    with pytest.raises(InputError, match=r"data has no column\(s\) \['geo'"):
        profile("XA11", data=_own())
    bad = _own().assign(nuts=lambda d: d["nuts"].str[2:])
    with pytest.raises(InputError, match=r"column 'nuts' must hold NUTS codes .*got \['11', '12'"):
        profile("11", data=bad, region="nuts", activity="nace", value="emp", time="yr")
    with pytest.raises(
        InputError, match="dataset must be one of 'eu-sbs', 'us-cbp' .*; got 'uk-bres'"
    ):
        profile("AT33", dataset="uk-bres")
    with pytest.raises(InputError, match="n_peers must be an integer >= 1; got 0"):
        profile("XA11", n_peers=0, **own)


def test_write_profile_format_errors(tmp_path):
    p = profile(
        "XA11",
        data=_own(),
        region="nuts",
        activity="nace",
        value="emp",
        time="yr",
        n_peers=2,
    )
    with pytest.raises(
        ConventionError, match="format must be one of 'html', 'png', 'svg', 'pdf'; got 'doc'"
    ):
        write_profile(p, tmp_path, formats=["doc"])
    with pytest.raises(InputError, match="formats must name at least one"):
        write_profile(p, tmp_path, formats=[])
    out = write_profile(p, tmp_path, formats=["html"])
    html = out["html"].read_text(encoding="utf-8")
    assert "No geometry was given for these regions, so the maps are not drawn." in html


# ---------------------------------------------------------------- command line


def test_cli_profile_own_data_and_wrong_region(tmp_path, capsys):
    from ris3.cli import main

    path = tmp_path / "own.csv"
    _own().to_csv(path, index=False)
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
    assert main([*args, "--out", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / "index.html").is_file()
    assert (tmp_path / "r" / "tables" / "specialisation.csv").is_file()
    assert "html: " in capsys.readouterr().out
    args[1] = "XA1"
    assert main([*args, "--out", str(tmp_path / "bad")]) == 2
    assert "did you mean 'XA11', 'XA12'" in capsys.readouterr().err
    args[1] = "XA11"
    assert main([*args[:-1], "html,gif", "--out", str(tmp_path / "bad")]) == 2
    assert "--format must be one of" in capsys.readouterr().err


def _own_profile():
    return profile(
        "XA11",
        data=_own(),
        region="nuts",
        activity="nace",
        value="emp",
        time="yr",
        n_peers=2,
    )


@pytest.mark.browser
def test_pdf_is_printed_by_chromium(tmp_path):
    if chromium_path() is None:
        pytest.skip("/usr/bin/chromium is absent (install with scripts/setup-system.sh)")
    out = write_profile(_own_profile(), tmp_path, formats=["pdf"])
    assert out["pdf"] == tmp_path / "profile.pdf"
    assert out["pdf"].read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
def test_pdf_without_chromium_is_one_file_per_chart(tmp_path, monkeypatch):
    import ris3.report.browser as browser

    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    out = write_profile(_own_profile(), tmp_path, formats=["pdf"])
    pdfs = sorted(p.name for p in out["pdf"].glob("*.pdf"))
    assert "specialisation.pdf" in pdfs and "portfolio.pdf" in pdfs
    assert (out["pdf"] / "specialisation.pdf").read_bytes()[:5] == b"%PDF-"


def test_a_missing_part_is_reported_not_invented(tmp_path, monkeypatch):
    import ris3.clusters.networks as networks
    from ris3.errors import OptionalDependencyError

    def no_extra(*args, **kwargs):
        raise OptionalDependencyError("the network needs networkx: pip install 'ris3[report]'")

    monkeypatch.setattr(networks, "relatedness_network", no_extra)
    p = _own_profile()
    assert p.network_nodes is None and p.network_edges is None
    assert p.unavailable["network"] == (
        "needs an optional extra: the network needs networkx: pip install 'ris3[report]'"
    )
    html = write_profile(p, tmp_path, formats=["html"])["html"].read_text(encoding="utf-8")
    assert "This part of the profile is not shown: needs an optional extra" in html
    assert 'id="chart-network"' not in html
    # other sections are unaffected
    assert p.shift_share is not None and 'id="chart-shift_share"' in html


def test_a_missing_ris3_module_is_a_bug_not_a_missing_part(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "ris3.clusters.networks", None)
    with pytest.raises(ImportError, match="ris3.clusters.networks"):
        _own_profile()


def test_a_bug_in_a_section_is_not_hidden(monkeypatch):
    import ris3.measures.dynamics as dynamics

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(dynamics, "shift_share", broken)
    with pytest.raises(ZeroDivisionError, match="boom"):
        _own_profile()


def test_a_chart_that_cannot_be_drawn_says_why(tmp_path):
    p = _own_profile()
    p.portfolio = p.portfolio.assign(lq=0.0)  # nothing can sit on a log axis
    html = write_profile(p, tmp_path, formats=["html"])["html"].read_text(encoding="utf-8")
    assert "This part of the profile could not be drawn: table has no row with LQ &gt; 0" in html
    assert 'id="chart-portfolio"' not in html
    assert p.unavailable["portfolio"].startswith("could not be drawn")


@pytest.mark.slow
def test_cli_profile_at33_writes_page_figures_and_tables(tmp_path, capsys):
    from ris3.cli import main

    assert main(["profile", "AT33", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # LQ of accommodation on the published denominators (7.08 on the sums of observed cells)
    assert out.startswith("AT33 Tirol, 2014:") and "I55 (LQ 6.94)" in out
    names = {
        "map_lq",
        "map_peers",
        "specialisation",
        "portfolio",
        "shift_share",
        "network",
        "opportunities",
        "diversity",
    }
    assert {p.stem for p in (tmp_path / "figures").glob("*.png")} == names
    assert {p.stem for p in (tmp_path / "figures").glob("*.svg")} == names
    assert (tmp_path / "index.html").stat().st_size > 900_000  # libraries inlined
    assert (tmp_path / "tables" / "opportunities.csv").is_file()


def test_lq_header_names_europe_only_when_the_reference_is_europe(at33):
    from ris3.report import build_page

    europe = build_page(at33).to_html()
    assert at33.reference == "Europe" and "LQ vs Europe" in europe
    own = profile(
        "XA11", data=_own(), region="nuts", activity="nace", value="emp",
        time="yr", n_peers=2,
    )  # fmt: skip
    page = build_page(own)
    html = page.to_html()
    assert own.reference == "all regions of the data" and own.lq_label == "reference"
    assert "LQ vs reference" in html and "against all regions of the data" in html
    assert "vs Europe" not in html and "against Europe" not in html
    legend = page.specs()["specialisation"]
    assert "reference" in json.dumps(legend) and "Europe" not in json.dumps(legend)


def test_country_of_each_region_comes_from_the_nuts_hierarchy(at33):
    from ris3 import datasets

    names = datasets.load("eu-sbs", "names")
    published = dict(zip(names["geo"].astype(str), names["country"].astype(str)))
    assert at33.country == "AT" and at33.countries["AT33"] == "AT"
    assert len(at33.countries) > 250
    assert {g: published[g] for g in at33.countries} == dict(at33.countries)

"""Peers, partners and NUTS adjacency: hand-worked, real data (GISCO, Eurostat), errors."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.data.geometry import nuts_adjacency
from ris3.diversification.peers import partners, peers
from ris3.errors import ConventionError, DataFileError, DegenerateDataError, InputError
from test_specialisation import X, sbs_year, tidy

KW = {"region": "geo", "activity": "nace", "value": "emp"}
GISCO = Path("geo_nuts_gisco_60m_2021")


# --- peers ------------------------------------------------------------------


def test_peers_by_shares_hand_worked() -> None:
    out = peers(tidy(X), **KW, target="R2")
    assert list(out.columns) == ["rank", "geo", "similarity", "total", "size_ratio"]
    sim = out.set_index("geo")["similarity"]
    # R6 has R2's structure; cos(R2, R4) = dot / norms with dot = H(R2) = 0.21875
    assert sim["R6"] == pytest.approx(1.0, rel=1e-15)
    assert sim["R4"] == pytest.approx(math.sqrt(0.21875 / 0.34375), rel=1e-14)
    assert sim["R1"] == pytest.approx(0.1875 / math.sqrt(0.21875 * 0.375), rel=1e-14)
    assert out["geo"].iloc[0] == "R6"
    assert out["rank"].tolist() == [1, 2, 3, 4, 5]
    assert (np.diff(out["similarity"]) <= 0).all()
    assert out.set_index("geo").loc["R1", "size_ratio"] == 0.5


def test_peers_size_band_and_n() -> None:
    out = peers(tidy(X), **KW, target="R2", size_band=(0.75, 1.5))
    assert set(out.geo) == {"R3", "R4", "R5"}
    assert len(peers(tidy(X), **KW, target="R2", n=2)) == 2


def test_peers_by_lq() -> None:
    out = peers(tidy(X), **KW, target="R2", basis="lq").set_index("geo")["similarity"]
    assert out["R6"] == pytest.approx(1.0, rel=1e-15)
    # R2's LQs are all 1: cos with R3's LQs 0 2 2 1 0 = 5 / (sqrt(5) * 3)
    assert out["R3"] == pytest.approx(5 / (math.sqrt(5) * 3), rel=1e-14)


def test_peers_one_period() -> None:
    df = pd.concat([tidy(X).assign(year=1), tidy(X[::-1]).assign(year=2)])
    a = peers(df, **KW, target="R2", time="year", period=1)
    pd.testing.assert_frame_equal(a, peers(tidy(X), **KW, target="R2"))


def test_peers_errors() -> None:
    with pytest.raises(
        InputError, match=r"target='R9' is not a label of column 'geo'; did you mean"
    ):
        peers(tidy(X), **KW, target="R9")
    with pytest.raises(ConventionError, match="basis must be one of 'shares', 'lq'; got 'rca'"):
        peers(tidy(X), **KW, target="R1", basis="rca")
    with pytest.raises(InputError, match="n must be an integer >= 1; got 0"):
        peers(tidy(X), **KW, target="R1", n=0)
    with pytest.raises(InputError, match=r"size_band must be a pair \(low, high\); got 2"):
        peers(tidy(X), **KW, target="R1", size_band=2)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="size_band high must be a number >= 2; got 1"):
        peers(tidy(X), **KW, target="R1", size_band=(2, 1))
    with pytest.raises(InputError, match="column 'year' \\(time=\\) has no period in any row"):
        peers(tidy(X).assign(year=np.nan), **KW, target="R1", time="year")
    with pytest.raises(InputError, match="period=3 is not in column 'year'; available: 1"):
        peers(tidy(X).assign(year=1), **KW, target="R1", time="year", period=3)


def test_peers_with_time_take_the_latest_period_as_opportunities_do() -> None:
    # period 1 has R2's structure in R6; period 2 reverses the activities of R6
    early = tidy(X).assign(year=1)
    late = tidy(X).assign(year=2)
    late.loc[late["geo"] == "R6", "emp"] = late.loc[late["geo"] == "R6", "emp"].to_numpy()[::-1]
    both = pd.concat([early, late], ignore_index=True)
    got = peers(both, **KW, target="R2", time="year")
    want = peers(late.drop(columns="year"), **KW, target="R2")
    pd.testing.assert_frame_equal(got, want)
    assert not got.equals(peers(both, **KW, target="R2", time="year", period=1))


# --- partners ---------------------------------------------------------------

PAIRS = {
    ("a", "b"): 0.5, ("a", "c"): 0.2, ("a", "d"): 0.4, ("a", "e"): 0.1, ("b", "c"): 0.3,
    ("b", "d"): 0.2, ("b", "e"): 0.6, ("c", "d"): 0.8, ("c", "e"): 0.3, ("d", "e"): 0.5,
}  # fmt: skip
PROX = pd.DataFrame(
    [(i, j, v) for (i, j), v in PAIRS.items()] + [(j, i, v) for (i, j), v in PAIRS.items()],
    columns=["activity_from", "activity_to", "proximity"],
)


def test_partners_hand_worked() -> None:
    out = partners(tidy(X), **KW, target="R1", proximity=PROX)
    # R1 is specialised in a, c, d. Density of b: (.5+.3+.2)/(.5+.3+.2+.6) = .625;
    # of e: (.1+.3+.5)/(.1+.3+.5+.6) = .6
    assert out["geo"].tolist() == ["R4", "R3", "R5", "R2", "R6"]
    r = out.set_index("geo")
    assert r.loc["R4", "relatedness"] == pytest.approx((0.625 + 0.6) / 2, rel=1e-14)
    assert r.loc["R4", "overlap"] == pytest.approx(0.4, rel=1e-14)  # {a,d} of {a,b,c,d,e}
    assert r.loc["R4", "score"] == pytest.approx(0.6125 * 0.6, rel=1e-14)
    assert r.loc["R3", "score"] == pytest.approx(0.625 * 0.5, rel=1e-14)
    assert r.loc["R5", "score"] == pytest.approx(0.6 * 0.5, rel=1e-14)
    assert r.loc["R2", "n_complementary"] == 2 and r.loc["R2", "n_shared"] == 3
    assert r.loc["R2", "score"] == pytest.approx(0.6125 * 0.4, rel=1e-14)


def test_partners_with_adjacency() -> None:
    adj = pd.DataFrame(
        {
            "region_a": ["R1", "R3", "R2"],
            "region_b": ["R3", "R1", "R5"],
            "cross_border": [True, True, False],
        }
    )
    adj = adj.iloc[[0, 2]]  # R1-R3 cross-border, R2-R5 (not a neighbour of R1)
    adj = pd.concat(
        [adj, pd.DataFrame({"region_a": ["R4"], "region_b": ["R1"], "cross_border": [False]})]
    )
    out = partners(tidy(X), **KW, target="R1", proximity=PROX, adjacency=adj).set_index("geo")
    assert out["neighbour"].to_dict() == {
        "R4": True,
        "R3": True,
        "R5": False,
        "R2": False,
        "R6": False,
    }
    assert out["cross_border"].to_dict() == {
        "R4": False,
        "R3": True,
        "R5": False,
        "R2": False,
        "R6": False,
    }
    near = partners(tidy(X), **KW, target="R1", proximity=PROX, adjacency=adj, neighbours_only=True)
    assert near["geo"].tolist() == ["R4", "R3"]


def test_partners_errors() -> None:
    with pytest.raises(
        InputError,
        match="proximity must be a DataFrame with columns activity_from, activity_to, proximity",
    ):
        partners(tidy(X), **KW, target="R1", proximity=PROX.rename(columns={"proximity": "phi"}))
    with pytest.raises(
        InputError, match=r"1 activit\(ies\) of column 'nace' are not in the proximity table: 'e'"
    ):
        partners(
            tidy(X),
            **KW,
            target="R1",
            proximity=PROX[(PROX.activity_from != "e") & (PROX.activity_to != "e")],
        )
    with pytest.raises(InputError, match="proximity lists 2 activity pairs more than once"):
        partners(tidy(X), **KW, target="R1", proximity=pd.concat([PROX, PROX.iloc[:1]]))
    with pytest.raises(InputError, match="proximity values must be finite numbers >= 0"):
        partners(tidy(X), **KW, target="R1", proximity=PROX.assign(proximity=-1.0))
    with pytest.raises(InputError, match="neighbours_only=True needs adjacency="):
        partners(tidy(X), **KW, target="R1", proximity=PROX, neighbours_only=True)
    with pytest.raises(
        InputError,
        match="adjacency must be a DataFrame with columns region_a, region_b, cross_border",
    ):
        partners(tidy(X), **KW, target="R1", proximity=PROX, adjacency=pd.DataFrame({"a": [1]}))
    with pytest.raises(
        DegenerateDataError, match=r"target='R2' has no specialisation \(LQ >= 1\.5\)"
    ):
        partners(tidy(X), **KW, target="R2", proximity=PROX, threshold=1.5)
    with pytest.raises(InputError, match="threshold must be a number > 0; got 0"):
        partners(tidy(X), **KW, target="R2", proximity=PROX, threshold=0)


# --- NUTS adjacency from GISCO --------------------------------------------------


@pytest.fixture(scope="module")
def adjacency(shared_data: Path) -> pd.DataFrame:
    return nuts_adjacency(shared_data / GISCO / "NUTS_RG_60M_2021_4326_LEVL_2.geojson")


def neighbours(adj: pd.DataFrame, code: str) -> set[str]:
    return set(adj.loc[adj.region_a == code, "region_b"]) | set(
        adj.loc[adj.region_b == code, "region_a"]
    )


def test_known_neighbours_of_tirol(adjacency: pd.DataFrame) -> None:
    # Tirol (incl. East Tyrol) borders Oberbayern, Schwaben, South Tyrol, Veneto (Belluno),
    # Graubuenden (CH05), Salzburg, Carinthia and Vorarlberg; Trento (ITH2) does not touch Austria
    assert neighbours(adjacency, "AT33") == {
        "AT21", "AT32", "AT34", "CH05", "DE21", "DE27", "ITH1", "ITH3"
    }  # fmt: skip
    row = adjacency.set_index(["region_a", "region_b"])
    assert row.loc[("AT33", "DE21"), "cross_border"]
    assert row.loc[("AT33", "ITH1"), "cross_border"]
    assert not row.loc[("AT32", "AT33"), "cross_border"]
    assert "AT33" not in neighbours(adjacency, "ITH2")
    assert neighbours(adjacency, "ITH2") >= {"ITH1", "ITH3"}


def test_adjacency_table_shape_and_rules(
    adjacency: pd.DataFrame, shared_data: Path, tmp_path: Path
) -> None:
    assert list(adjacency.columns) == [
        "region_a",
        "region_b",
        "country_a",
        "country_b",
        "cross_border",
        "shared",
    ]
    assert (adjacency.region_a < adjacency.region_b).all()
    assert not adjacency.duplicated(["region_a", "region_b"]).any()
    assert (
        adjacency.cross_border == (adjacency.region_a.str[:2] != adjacency.region_b.str[:2])
    ).all()
    assert (adjacency.shared >= 1).all()
    # islands without land borders have no neighbour
    assert neighbours(adjacency, "CY00") == set() and neighbours(adjacency, "MT00") == set()
    # same pairs from the all-levels file filtered to level 2
    all_levels = nuts_adjacency(shared_data / GISCO / "NUTS_RG_60M_2021_4326.geojson", level=2)
    pd.testing.assert_frame_equal(all_levels, adjacency)
    gz = tmp_path / "nuts.geojson.gz"
    gz.write_bytes(
        gzip.compress((shared_data / GISCO / "NUTS_RG_60M_2021_4326_LEVL_2.geojson").read_bytes())
    )
    pd.testing.assert_frame_equal(nuts_adjacency(gz), adjacency)
    # vertex contiguity adds corner/point contacts only
    vertex = nuts_adjacency(
        shared_data / GISCO / "NUTS_RG_60M_2021_4326_LEVL_2.geojson", rule="vertex"
    )
    edge_pairs = set(zip(adjacency.region_a, adjacency.region_b))
    vertex_pairs = set(zip(vertex.region_a, vertex.region_b))
    assert edge_pairs < vertex_pairs
    # countries at level 0: Austria's eight neighbours
    lvl0 = nuts_adjacency(shared_data / GISCO / "NUTS_RG_60M_2021_4326.geojson", level=0)
    assert neighbours(lvl0, "AT") == {"CH", "CZ", "DE", "HU", "IT", "LI", "SI", "SK"}


def test_adjacency_computed_independently(shared_data: Path) -> None:
    """Shared boundary segments counted with plain Python sets for a few regions."""
    doc = json.loads((shared_data / GISCO / "NUTS_RG_60M_2021_4326_LEVL_2.geojson").read_text())

    def segments(code: str) -> set[tuple]:
        f = next(f for f in doc["features"] if f["properties"]["NUTS_ID"] == code)
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        segs = set()
        for poly in polys:
            for ring in poly:
                for p, q in zip(ring[:-1], ring[1:]):
                    segs.add(tuple(sorted([tuple(p), tuple(q)])))
        return segs

    adj = nuts_adjacency(doc).set_index(["region_a", "region_b"])["shared"]
    for a, b in [("AT33", "DE21"), ("AT33", "ITH1"), ("AT32", "AT33"), ("BE10", "BE24")]:
        assert adj.loc[(a, b)] == len(segments(a) & segments(b))


def test_adjacency_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist"):
        nuts_adjacency(tmp_path / "none.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    with pytest.raises(DataFileError, match="cannot read GeoJSON"):
        nuts_adjacency(bad)
    gz = tmp_path / "bad.geojson.gz"
    gz.write_bytes(b"not gzip")
    with pytest.raises(DataFileError, match="cannot read GeoJSON"):
        nuts_adjacency(gz)
    with pytest.raises(
        InputError, match="must be a GeoJSON FeatureCollection with a 'features' list"
    ):
        nuts_adjacency({"type": "Feature"})
    with pytest.raises(InputError, match="geojson has no region at level=3"):
        nuts_adjacency(
            {"features": [{"properties": {"NUTS_ID": "AT", "LEVL_CODE": 0}, "geometry": None}]},
            level=3,
        )
    with pytest.raises(InputError, match="every feature needs a NUTS_ID property"):
        nuts_adjacency({"features": [{"properties": {"id": 1}}]})
    with pytest.raises(InputError, match="must be Polygon or MultiPolygon; got 'Point'"):
        nuts_adjacency({"features": [{"properties": {"NUTS_ID": "AT11", "LEVL_CODE": 2},
                                      "geometry": {"type": "Point", "coordinates": [0, 0]}}]})  # fmt: skip
    with pytest.raises(ConventionError, match="rule must be one of 'edge', 'vertex'; got 'queen'"):
        nuts_adjacency({"features": []}, rule="queen")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="level must be an integer >= 0 and <= 3; got 5"):
        nuts_adjacency({"features": []}, level=5)
    with pytest.raises(
        InputError,
        match="geojson must be a path to a GeoJSON file or a parsed GeoJSON dict; got int",
    ):
        nuts_adjacency(3)  # type: ignore[arg-type]


# --- real data: peers and cross-border partners of Tirol ------------------------


@pytest.fixture(scope="module")
def alpine(sbs_persons_employed: pd.DataFrame) -> pd.DataFrame:
    sbs = sbs_year(sbs_persons_employed, 2014)
    data = sbs[
        sbs.nace.str.fullmatch(r"[A-Z]\d\d")
        & (sbs.geo.str.len() == 4)
        & sbs.geo.str.startswith(("AT", "DE", "IT"))
    ].dropna(subset=["emp"])
    totals = data.groupby("nace")["emp"].sum()
    return data[data.nace.isin(totals.index[totals > 0])]


def test_peers_of_tirol_against_pandas(alpine: pd.DataFrame) -> None:
    out = peers(alpine, **KW, target="AT33", n=5)
    wide = alpine.pivot(index="geo", columns="nace", values="emp").fillna(0.0)
    shares = wide.div(wide.sum(axis=1), axis=0)
    t = shares.loc["AT33"]
    cos = shares @ t / (np.sqrt((shares**2).sum(axis=1)) * np.sqrt((t**2).sum()))
    expected = cos.drop("AT33").sort_values(ascending=False).head(5)
    assert out["geo"].tolist() == expected.index.tolist()
    np.testing.assert_allclose(out["similarity"], expected.to_numpy(), rtol=1e-12)
    # the most similar regions are Alpine tourism regions
    assert set(out["geo"]) & {"AT32", "ITH1", "AT34", "AT21", "ITH2"}
    banded = peers(alpine, **KW, target="AT33", size_band=(0.5, 2.0), n=50)
    total = wide.sum(axis=1)
    ratio = total / total["AT33"]
    assert set(banded.geo) == set(ratio[(ratio >= 0.5) & (ratio <= 2.0)].index) - {"AT33"}


def test_cross_border_partners_of_tirol(alpine: pd.DataFrame, adjacency: pd.DataFrame) -> None:
    from ris3.measures.relatedness import proximity

    prox = proximity(alpine, **KW)
    out = partners(alpine, **KW, target="AT33", proximity=prox, adjacency=adjacency, n=200)
    assert len(out) == alpine.geo.nunique() - 1
    flagged = set(out.loc[out.cross_border, "geo"])
    cross = adjacency[adjacency.cross_border]
    expected = (
        set(cross.loc[cross.region_a == "AT33", "region_b"])
        | set(cross.loc[cross.region_b == "AT33", "region_a"])
    ) & set(alpine.geo)
    assert flagged == expected
    assert {"DE21", "ITH1"} <= flagged
    assert (out["overlap"].between(0, 1)).all() and (out["relatedness"].between(0, 1)).all()
    assert (np.diff(out["score"]) <= 1e-15).all()
    # identical portfolio means zero score
    assert (out.loc[out.overlap == 1, "score"] == 0).all()
    assert set(out.columns[-2:]) == {"neighbour", "cross_border"}


def test_more_errors() -> None:
    with pytest.raises(InputError, match=r"period=1 needs time= \(the column of periods\)"):
        peers(tidy(X), **KW, target="R1", period=1)
    with pytest.raises(InputError, match=r"data has no column 'year' \(given as time=\)"):
        peers(tidy(X), **KW, target="R1", time="year", period=1)
    with pytest.raises(InputError, match="neighbours_only must be True or False; got 'yes'"):
        partners(tidy(X), **KW, target="R1", proximity=PROX, neighbours_only="yes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="decimals must be an integer >= 0 and <= 12; got 1.5"):
        nuts_adjacency({"features": []}, decimals=1.5)  # type: ignore[arg-type]

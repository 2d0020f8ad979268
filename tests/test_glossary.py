"""Every tidy output of ris3 names its computed columns from one glossary.

Each results object's ``tidy()`` and each function that returns a tidy table
is run on the bundled eu-sbs data; every column that is not a key or value
column of the caller must be in :data:`ris3.columns.COLUMNS`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pandas as pd
import pytest

import ris3
from ris3.columns import COLUMNS

KEYS = {"region": "geo", "activity": "nace_r2", "value": "persons_employed"}
CALLER = {"geo", "nace_r2", "persons_employed", "year"}


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    d = ris3.datasets.load("eu-sbs")
    return d[d["geo"].str.startswith(("AT", "DE", "IT", "FR", "ES"))].reset_index(drop=True)


@pytest.fixture(scope="module")
def y14(sbs: pd.DataFrame) -> pd.DataFrame:
    return sbs[sbs["year"] == 2014].dropna(subset=["persons_employed"]).reset_index(drop=True)


def _outputs(sbs: pd.DataFrame, y14: pd.DataFrame) -> dict[str, Callable[[], pd.DataFrame]]:
    panel = {"time": "year", "start": 2010, "end": 2014, "missing": "drop"}
    both = sbs[sbs["geo"].str.startswith("AT")]
    sections = y14[["nace_r2", "nace_section"]].drop_duplicates()
    hier = sections.rename(columns={"nace_r2": "child", "nace_section": "parent"})
    definition = ris3.ClusterDefinition.from_frame(
        sections, activity="nace_r2", cluster="nace_section", name="NACE sections"
    )
    eu = ris3.eu_benchmark_clusters()
    cm = ris3.map_clusters(
        sbs, eu, **KEYS, establishments="local_units", time="year", missing="drop"
    )
    cm14 = ris3.map_clusters(y14, eu, **KEYS)
    # a definition without section C: its divisions are listed as uncovered
    partial = ris3.ClusterDefinition.from_frame(
        sections[sections["nace_section"] != "C"],
        activity="nace_r2",
        cluster="nace_section",
        name="NACE sections but C",
    )
    sec14 = ris3.map_clusters(y14, partial, **KEYS)
    prox = ris3.proximity(y14, **KEYS)
    all_sections = ris3.datasets.load("eu-sbs", "regions_sections")
    s14 = all_sections[all_sections["year"] == 2014]
    raw14 = sbs[sbs["year"] == 2014]
    totals = ris3.published_totals(raw14, s14, **KEYS, parent="nace_section")
    countries = ris3.datasets.load("eu-sbs", "countries")
    old = pd.DataFrame(
        {"geo": ["LT00", "FR21", "AT11"], "year": 2014, "emp": [207082.0, 100.0, 50.0]}
    )
    divisions = pd.DataFrame(
        {"geo": "AT11", "nace": ["C10", "C11", "C", "F41"], "emp": [100.0, None, 180.0, 30.0]}
    )
    return {
        "location_quotient": lambda: ris3.location_quotient(y14, **KEYS),
        "location_quotient(totals=)": lambda: ris3.location_quotient(
            raw14, **KEYS, totals=totals, missing="drop"
        ),
        "rpop": lambda: ris3.rpop(y14, **KEYS, population={g: 1e6 for g in y14["geo"].unique()}),
        "herfindahl": lambda: ris3.herfindahl(y14, **KEYS),
        "krugman_index": lambda: ris3.krugman_index(y14, **KEYS),
        "coefficient_of_specialisation": lambda: ris3.coefficient_of_specialisation(y14, **KEYS),
        "hoover_index": lambda: ris3.hoover_index(y14, **KEYS),
        "gini_specialisation": lambda: ris3.gini_specialisation(y14, **KEYS),
        "locational_gini": lambda: ris3.locational_gini(y14, **KEYS),
        "diversity": lambda: ris3.diversity(y14, **KEYS),
        "ubiquity": lambda: ris3.ubiquity(y14, **KEYS),
        "entropy": lambda: ris3.entropy(y14, **KEYS),
        "variety": lambda: ris3.variety(y14, **KEYS, hierarchy=hier),
        "proximity": lambda: prox,
        "relatedness_density": lambda: ris3.relatedness_density(y14, **KEYS),
        "ComplexityResult.tidy": lambda: ris3.complexity(y14, **KEYS).tidy(),
        "ComplexityResult.eci": lambda: ris3.complexity(y14, **KEYS).eci,
        "ComplexityResult.pci": lambda: ris3.complexity(y14, **KEYS).pci,
        "specialisation_change": lambda: ris3.specialisation_change(
            sbs, **KEYS, **panel, flag="persons_employed_flag"
        ),
        "entry_exit": lambda: ris3.entry_exit(sbs, **KEYS, **panel),
        "ShiftShare.tidy": lambda: ris3.shift_share(both, **KEYS, **panel).tidy(),
        "ShiftShare.by_region": lambda: ris3.shift_share(both, **KEYS, **panel).by_region(),
        "ClusterMap.tidy": cm.tidy,
        "ClusterMap.regions": cm.regions,
        "ClusterMap.uncovered": lambda: sec14.uncovered,
        "ClusterMap.growth": lambda: cm.growth(2010, 2014),
        "ClusterMap.reference_growth": lambda: cm.reference_growth(2010, 2014),
        "cluster_stars": lambda: ris3.cluster_stars(cm14),
        "strong_clusters": lambda: ris3.strong_clusters(cm),
        "cluster_strength": lambda: ris3.cluster_strength(cm),
        "eu_cluster_stars": lambda: ris3.eu_cluster_stars(),
        "portfolio": lambda: ris3.portfolio(cm, start=2010, end=2014, target="AT33"),
        "portfolio(growth='lq')": lambda: ris3.portfolio(
            cm, start=2010, end=2014, target="AT33", growth="lq"
        ),
        "peers": lambda: ris3.peers(y14, **KEYS, target="AT33"),
        "partners": lambda: ris3.partners(y14, **KEYS, target="AT33", proximity=prox),
        "colocation_relatedness": lambda: ris3.colocation_relatedness(y14, **KEYS),
        "aggregate_relatedness": lambda: ris3.aggregate_relatedness(prox, definition),
        "RelatednessNetwork.tidy": lambda: ris3.relatedness_network(
            prox, max_extra_edges=20
        ).tidy(),
        "RelatednessNetwork.nodes": lambda: (
            ris3.relatedness_network(prox, max_extra_edges=20).nodes
        ),
        "published_totals": lambda: totals,
        "SuppressedEstimate.tidy": lambda: ris3.estimate_suppressed(
            raw14,
            **KEYS,
            activity_margins=s14,
            activity_parent="nace_section",
            region_margins=countries[countries["year"] == 2014],
            region_parent={g: g[:2] for g in raw14["geo"].unique()},
        ).tidy(),
        "ConversionResult.tidy": lambda: ris3.convert_nuts(
            old, region="geo", value="emp", from_version=2013, time="year"
        ).tidy(),
        "aggregate": lambda: ris3.aggregate(
            divisions,
            region="geo",
            activity="nace",
            value="emp",
            hierarchy="nace_eurostat",
            missing="drop",
        ),
    }


# the caller's own columns in the small tables built above, and the columns of
# the caller's data that an output passes through unchanged
PASSED_THROUGH = {"nace", "emp", "nace_section", "local_units", "wages_eur_million"}
PASSED_THROUGH |= {f"{c}_flag" for c in ("persons_employed", "local_units", "wages_eur_million")}
PASSED_THROUGH |= {"nuts_converted"}


@pytest.fixture(scope="module")
def outputs(sbs: pd.DataFrame, y14: pd.DataFrame) -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {name: make() for name, make in _outputs(sbs, y14).items()}


def test_every_output_column_is_in_the_glossary(outputs: dict[str, pd.DataFrame]) -> None:
    unknown = {
        name: sorted(set(map(str, t.columns)) - CALLER - PASSED_THROUGH - set(COLUMNS))
        for name, t in outputs.items()
    }
    assert {k: v for k, v in unknown.items() if v} == {}


def test_no_drifted_name_is_left(outputs: dict[str, pd.DataFrame]) -> None:
    drifted = {"rca", "presence", "present", "cagr", "employment_cagr", "growth_rate"}
    drifted |= {"region_share", "employment_share", "employment", "employment_rank"}
    found = {n: sorted(drifted & set(t.columns)) for n, t in outputs.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_outputs_are_not_empty(outputs: dict[str, pd.DataFrame]) -> None:
    assert [name for name, t in outputs.items() if len(t) == 0] == []


def test_specialised_agrees_with_lq(outputs: dict[str, pd.DataFrame]) -> None:
    """One meaning of ``specialised`` wherever it appears: LQ >= 1 by default."""
    lq = outputs["location_quotient"]
    assert lq["specialised"].dtype == bool
    assert (lq["specialised"] == (lq["lq"] >= 1)).all()
    cx = outputs["ComplexityResult.tidy"].dropna(subset=["lq"])
    assert (cx["specialised"].astype(bool) == (cx["lq"] >= 1)).all()
    # the same cells get the same LQ from both functions
    m = lq.merge(cx, on=["geo", "nace_r2"], suffixes=("", "_cx"))
    pd.testing.assert_series_equal(m["lq"], m["lq_cx"], check_names=False, rtol=1e-12)
    dens = outputs["relatedness_density"].dropna(subset=["density"])
    on = dens.merge(lq, on=["geo", "nace_r2"], suffixes=("", "_lq"))
    assert (on["specialised"].astype(bool) == on["specialised_lq"]).all()


def test_growth_is_the_annual_rate_everywhere(outputs: dict[str, pd.DataFrame]) -> None:
    ch = outputs["specialisation_change"].dropna(subset=["growth"])
    want = (ch["value_end"] / ch["value_start"]) ** (1 / 4) - 1
    pd.testing.assert_series_equal(ch["growth"], want, check_names=False, rtol=1e-12)
    g = outputs["ClusterMap.growth"].dropna(subset=["growth"])
    g = g[g["value_start"] > 0]
    want = (g["value_end"] / g["value_start"]) ** (1 / 4) - 1
    pd.testing.assert_series_equal(g["growth"], want, check_names=False, rtol=1e-12)
    pf = outputs["portfolio"].dropna(subset=["growth"])
    want = (pf["value"] / pf["value_start"]) ** (1 / 4) - 1
    pd.testing.assert_series_equal(pf["growth"], want, check_names=False, rtol=1e-12)


def test_share_is_of_the_region_total(outputs: dict[str, pd.DataFrame]) -> None:
    lq = outputs["location_quotient"]
    total = lq.groupby("geo")["persons_employed"].transform("sum")
    pd.testing.assert_series_equal(
        lq["share"], lq["persons_employed"] / total, check_names=False, rtol=1e-12
    )
    cm = outputs["ClusterMap.tidy"]
    regions = outputs["ClusterMap.regions"].set_index(["year", "geo"])["value_total"]
    denom = regions.loc[pd.MultiIndex.from_frame(cm[["year", "geo"]])].to_numpy()
    pd.testing.assert_series_equal(cm["share"], cm["value"] / denom, check_names=False)


def test_glossary_table() -> None:
    g = ris3.glossary()
    assert list(g.columns) == ["column", "meaning", "unit", "dtype"]
    assert g["column"].is_unique and g["column"].tolist() == sorted(COLUMNS)
    assert (g["meaning"].str.len() > 0).all()
    assert set(g["dtype"]) <= {"float", "int", "bool", "str"}
    row = g.set_index("column").loc["growth"]
    assert row["unit"] == "fraction per year" and row["dtype"] == "float"
    # the key columns keep the caller's names: none of them is a glossary entry
    assert not {"region", "activity", "time", "geo", "year"} & set(g["column"])


# the columns a reader takes from its source file (codes and the measure as published)
SOURCE_COLUMNS = {
    "eurostat": {"nace_r2", "indic_sb", "geo", "time", "unit"},
    "cbp": {"cbsa_code", "naics_code", "employment", "establishments"},
    "bres": {"region", "sic2007", "employees"},
}


def test_reader_outputs_are_in_the_glossary(shared_data: object) -> None:
    from pathlib import Path

    d = Path(str(shared_data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = {
            "eurostat": ris3.read_eurostat_tsv(
                d / "eu_sbs_r_nuts06_r2/sbs_r_nuts06_r2.tsv.gz", indic_sb="V16110", years=[2014]
            ),
            "cbp": ris3.read_cbp(d / "us_cbp2019_cbsa_naics/cbp2019_cbsa_naics_emp.csv.gz"),
            "bres": ris3.read_bres(d / "uk_bres2015_region_sic4/Bres_2015_Region_and_Country.csv"),
        }
    tables = {name: res.tidy() for name, res in results.items()}
    unknown = {
        name: sorted(set(t.columns) - SOURCE_COLUMNS[name] - set(COLUMNS))
        for name, t in tables.items()
    }
    for name, res in results.items():
        q = res.quality
        for part in ("tidy", "anomalies", "coverage"):
            t = q.tidy() if part == "tidy" else getattr(q, part)
            if t is None:
                continue
            cols = set(map(str, t.columns)) - SOURCE_COLUMNS[name] - {"region", "activity", "time"}
            unknown[f"{name}.quality.{part}"] = sorted(cols - set(COLUMNS))
    assert {k: v for k, v in unknown.items() if v} == {}
    # the Eurostat flag column holds the published flags (c: confidential, with no value)
    eu = tables["eurostat"]
    assert eu.loc[eu["flag"].str.contains("c"), "value"].isna().all()

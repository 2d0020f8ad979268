"""Old parameter names and option values keep working for one release, with a FutureWarning.

Each old spelling gives the same result as the new one and a warning that
names the new one; giving both names is an error.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

import ris3
from ris3.errors import InputError

KEYS = {"region": "geo", "activity": "nace_r2", "value": "persons_employed"}


@pytest.fixture(scope="module")
def at() -> pd.DataFrame:
    d = ris3.datasets.load("eu-sbs")
    d = d[d["geo"].str.startswith(("AT", "DE")) & d["year"].isin([2010, 2014])]
    return d.dropna(subset=["persons_employed"]).reset_index(drop=True)


def _same(old: object, new: object) -> None:
    if isinstance(new, pd.DataFrame):
        pd.testing.assert_frame_equal(old, new)  # type: ignore[arg-type]
    else:
        pd.testing.assert_frame_equal(old.tidy(), new.tidy())  # type: ignore[attr-defined]


def _warns(what: str, old: str, new: str) -> pytest.WarningsRecorder:
    text = f"{what}: {old}= is renamed {new}= in ris3 0.2.0; the old name stops working in 0.3.0"
    return pytest.warns(FutureWarning, match=f"^{re.escape(text)}$")


def test_old_parameter_names(at: pd.DataFrame) -> None:
    y14 = at[at["year"] == 2014]
    eu = ris3.eu_benchmark_clusters()
    keys = {"region": "geo", "activity": "nace_r2"}
    with _warns("map_clusters", "employment", "value"):
        old = ris3.map_clusters(y14, eu, **keys, employment="persons_employed")
    _same(old, ris3.map_clusters(y14, eu, **keys, value="persons_employed"))
    with _warns("proximity", "method", "proximity_method"):
        old = ris3.proximity(y14, **KEYS, method="cosine")
    new = ris3.proximity(y14, **KEYS, proximity_method="cosine")
    _same(old, new)
    # the option reaches the computation: cosine is not the default
    assert not new["proximity"].equals(ris3.proximity(y14, **KEYS)["proximity"])
    with _warns("relatedness_density", "method", "proximity_method"):
        old = ris3.relatedness_density(y14, **KEYS, method="jaccard")
    _same(old, ris3.relatedness_density(y14, **KEYS, proximity_method="jaccard"))
    prox = ris3.proximity(y14, **KEYS)
    sections = y14[["nace_r2", "nace_section"]].drop_duplicates()
    d = ris3.ClusterDefinition.from_frame(sections, activity="nace_r2", cluster="nace_section")
    with _warns("aggregate_relatedness", "how", "combine"):
        old = ris3.aggregate_relatedness(prox, d, how="max")
    _same(old, ris3.aggregate_relatedness(prox, d, combine="max"))
    cm = ris3.map_clusters(at, eu, **keys, value="persons_employed", time="year")
    with _warns("portfolio", "region", "target"):
        old = ris3.portfolio(cm, start=2010, end=2014, region="AT33")
    _same(old, ris3.portfolio(cm, start=2010, end=2014, target="AT33"))
    lq = ris3.location_quotient(y14, **KEYS)
    with _warns("distinctiveness", "presence", "specialised"):
        old = ris3.distinctiveness(
            ["C29"], own_region="AT33", specialisation=lq, presence="specialised"
        )
    _same(old, ris3.distinctiveness(["C29"], own_region="AT33", specialisation=lq))


def test_domain_observations_old_name(at: pd.DataFrame) -> None:
    dom = pd.DataFrame({"priority": ["tourism"] * 2, "activity": ["I55", "I56"]})
    kw = {"region": "geo", "activity": "nace_r2", "time": "year", "year": 2014, "target": "AT33"}
    with _warns("domain_observations", "employment", "value"):
        old, _ = ris3.domain_observations(at, dom, **kw, employment="persons_employed")
    new, evidence = ris3.domain_observations(at, dom, **kw, value="persons_employed")
    _same(old, new)
    assert evidence["parameters"]["value"] == "persons_employed"


def test_both_names_are_an_error(at: pd.DataFrame) -> None:
    with pytest.raises(
        InputError, match=r"^map_clusters: give value= only \(employment= is its old name\)$"
    ):
        ris3.map_clusters(
            at, ris3.eu_benchmark_clusters(), region="geo", activity="nace_r2",
            value="persons_employed", employment="persons_employed",
        )  # fmt: skip


def test_old_option_values(at: pd.DataFrame) -> None:
    div = pd.DataFrame({"geo": "AT11", "nace": ["C10", "C11", "F41"], "emp": [100.0, None, 30.0]})
    kw = {"region": "geo", "activity": "nace", "value": "emp", "hierarchy": "nace_eurostat"}
    msg = "aggregate: missing='skip' is renamed missing='drop' in ris3 0.2.0"
    with pytest.warns(FutureWarning, match=re.escape(msg)):
        old = ris3.aggregate(div, **kw, missing="skip")
    new = ris3.aggregate(div, **kw, missing="drop")
    pd.testing.assert_frame_equal(old, new)
    # C: C10 only (C11 missing, never 0); F: F41
    assert new.set_index("nace")["emp"].to_dict() == {"C": 100.0, "F": 30.0}
    old_nuts = pd.DataFrame({"geo": ["LT00", "AT11"], "emp": [None, 5.0]})
    conv = {"region": "geo", "value": "emp", "from_version": 2013}
    with pytest.warns(FutureWarning, match="convert_nuts: missing='skip' is renamed"):
        old = ris3.convert_nuts(old_nuts, **conv, missing="skip")
    _same(old, ris3.convert_nuts(old_nuts, **conv, missing="drop"))


def test_new_names_do_not_warn(at: pd.DataFrame) -> None:
    y14 = at[at["year"] == 2014]
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        ris3.map_clusters(
            y14, ris3.eu_benchmark_clusters(), region="geo", activity="nace_r2",
            value="persons_employed",
        )  # fmt: skip
        ris3.proximity(y14, **KEYS, proximity_method="cosine")


def test_quality_report_tidy(tmp_path: object) -> None:
    from pathlib import Path

    p = Path(str(tmp_path)) / "emp.csv"
    p.write_text("nuts,nace,emp\nAT33,C,10\nAT33,F,\nAT34,C,5\n")
    from ris3.data import read_checked

    q = read_checked(p, region="nuts", activity="nace", value="emp").quality
    t = q.tidy().set_index(["dimension", "code"])
    # AT33 has two cells, one missing; C has two cells, none missing
    assert t.loc[("region", "AT33"), ["n_cells", "n_missing"]].tolist() == [2, 1]
    assert t.loc[("activity", "C"), ["n_cells", "n_missing", "missing_share"]].tolist() == [2, 0, 0]
    with pytest.warns(FutureWarning, match=r"QualityReport.to_frame\(\) is renamed"):
        pd.testing.assert_frame_equal(q.to_frame(), q.tidy())

"""Cluster definitions: building, validation messages, the US benchmark crosswalk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ris3.clusters.definitions import ClusterDefinition, us_benchmark_clusters
from ris3.errors import ClassificationError, ConventionError, DataFileError, InputError


@pytest.fixture(scope="module")
def crosswalk_path(shared_data: Path) -> Path:
    return shared_data / "us_cluster_definitions" / "naics2012_to_cluster.csv"


def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["C10", "C11", "C29", "J62"],
            "group": ["food", "food", "auto", "ict"],
            "label": ["Food", "Food", "Automotive", "ICT"],
            "sub": ["f1", "f2", None, "i1"],
            "kind": ["Traded", "TRADED", "traded", "Local"],
        }
    )


def test_from_frame_canonical_columns() -> None:
    src = small()
    before = src.copy()
    d = ClusterDefinition.from_frame(
        src,
        activity="code",
        cluster="group",
        cluster_name="label",
        subcluster="sub",
        cluster_type="kind",
        name="demo",
        version="NACE Rev. 2",
    )
    pd.testing.assert_frame_equal(src, before)  # caller's table untouched
    assert list(d.mapping.columns) == [
        "activity",
        "cluster",
        "cluster_name",
        "subcluster",
        "cluster_type",
    ]
    assert d.mapping["cluster_type"].tolist() == ["traded", "traded", "traded", "local"]
    assert d.clusters == ["auto", "food", "ict"]
    assert d.has_types
    t = d.clusters_table()
    assert t.set_index("cluster")["n_activities"].to_dict() == {"auto": 1, "food": 2, "ict": 1}
    assert t.set_index("cluster")["cluster_name"]["food"] == "Food"
    assert d.cluster_of(["J62", "Z99"]).isna().tolist() == [False, True]
    assert "demo" in repr(d) and "4 activities, 3 clusters" in repr(d)


def test_duplicate_code_names_both_clusters() -> None:
    src = pd.concat(
        [
            small(),
            pd.DataFrame(
                {
                    "code": ["C10"],
                    "group": ["auto"],
                    "label": ["A"],
                    "sub": [None],
                    "kind": ["traded"],
                }
            ),
        ]
    )
    with pytest.raises(
        ClassificationError,
        match=r"1 activity code\(s\) appear more than once.*'C10' -> 'food', 'auto'",
    ):
        ClusterDefinition.from_frame(src, activity="code", cluster="group")


def test_exact_duplicate_row_is_also_an_error() -> None:
    src = pd.concat([small(), small().iloc[[0]]])
    with pytest.raises(ClassificationError, match=r"'C10' -> 'food', 'food'"):
        ClusterDefinition.from_frame(src, activity="code", cluster="group")


def test_unknown_codes_against_a_code_set() -> None:
    nace_divisions = ["C10", "C11", "C29"]
    with pytest.raises(
        ClassificationError,
        match=r"demo uses 1 activity code\(s\) unknown to the classification: 'J62'",
    ):
        ClusterDefinition.from_frame(
            small(), activity="code", cluster="group", name="demo", codes=nace_divisions
        )
    d = ClusterDefinition.from_frame(small(), activity="code", cluster="group")
    assert d.unknown_codes(["C10", "C11"]) == ["C29", "J62"]
    d.check_codes(["C10", "C11", "C29", "J62", "K64"])  # a superset is fine


@pytest.mark.parametrize(
    ("edit", "error", "match"),
    [
        ({"activity": "nope"}, InputError, r"no column 'nope' \(given as activity=\)"),
        ({"cluster_type": "kind2"}, InputError, r"no column 'kind2' \(given as cluster_type=\)"),
    ],
)
def test_bad_columns(edit: dict, error: type, match: str) -> None:
    args = {"activity": "code", "cluster": "group", **edit}
    with pytest.raises(error, match=match):
        ClusterDefinition.from_frame(small(), **args)


def test_bad_values() -> None:
    s = small()
    s.loc[1, "group"] = None
    with pytest.raises(InputError, match=r"column 'cluster' has 1 missing value\(s\), e.g. row 1"):
        ClusterDefinition.from_frame(s, activity="code", cluster="group")
    s = small()
    s.loc[2, "kind"] = "export"
    with pytest.raises(
        InputError, match=r"cluster_type must be one of \('traded', 'local'\).*'export'"
    ):
        ClusterDefinition.from_frame(s, activity="code", cluster="group", cluster_type="kind")
    s = small()
    s.loc[1, "kind"] = "local"
    with pytest.raises(
        ClassificationError, match=r"cluster\(s\) 'food' mix activities of different"
    ):
        ClusterDefinition.from_frame(s, activity="code", cluster="group", cluster_type="kind")
    with pytest.raises(InputError, match="is empty"):
        ClusterDefinition.from_frame(small().iloc[:0], activity="code", cluster="group")
    with pytest.raises(InputError, match="data must be a pandas DataFrame; got list"):
        ClusterDefinition.from_frame([1, 2], activity="code", cluster="group")  # type: ignore[arg-type]


def test_us_benchmark_clusters(crosswalk_path: Path) -> None:
    raw = pd.read_csv(crosswalk_path, dtype={"NAICS": str})
    d = us_benchmark_clusters(crosswalk_path)
    # 992 rows minus 814110 (private households), which has no cluster
    assert len(d.mapping) == len(raw) - 1 == 991
    assert d.excluded["NAICS"].tolist() == ["814110"]
    assert d.excluded["reason"].tolist() == ["no cluster in the crosswalk"]
    n = d.mapping.groupby("cluster_type")["cluster"].nunique().to_dict()
    # 51 traded clusters; 16 local + 3 government clusters made of vendor codes
    assert n == {"traded": 51, "local": 19}
    assert int(d.mapping["vendor_code"].sum()) == int(raw["emsi_specific"].sum()) == 37
    aero = d.mapping.set_index("activity").loc["336411"]
    assert aero["cluster"] == "Aerospace Vehicles and Defense"
    assert aero["subcluster"] == "Aircraft"
    assert aero["cluster_type"] == "traded"

    dropped = us_benchmark_clusters(crosswalk_path, vendor_codes="drop")
    assert len(dropped.mapping) == 991 - 37
    assert not dropped.mapping["vendor_code"].any()
    assert (dropped.excluded["reason"] == "vendor (Emsi) code, not NAICS-2012").sum() == 37
    gov = {"Federal Government Services", "State Government Services", "Local Government Services"}
    assert gov <= set(d.clusters) and not gov & set(dropped.clusters)


def test_us_benchmark_errors(tmp_path: Path, crosswalk_path: Path) -> None:
    import ris3.clusters.definitions as defs

    if defs._bundled_us_crosswalk() is None:
        with pytest.raises(DataFileError, match="no bundled copy of the US cluster crosswalk"):
            us_benchmark_clusters()
    else:  # the bundled copy must give the same definition as the file
        pd.testing.assert_frame_equal(
            us_benchmark_clusters().mapping, us_benchmark_clusters(crosswalk_path).mapping
        )
    with pytest.raises(DataFileError, match="does not exist"):
        us_benchmark_clusters(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    pd.read_csv(crosswalk_path).drop(columns="Cluster").to_csv(bad, index=False)
    with pytest.raises(DataFileError, match=r"lacks column\(s\) 'Cluster'"):
        us_benchmark_clusters(bad)
    with pytest.raises(
        ConventionError, match=r"vendor_codes must be one of 'keep', 'drop'; got 'x'"
    ):
        us_benchmark_clusters(crosswalk_path, vendor_codes="x")  # type: ignore[arg-type]

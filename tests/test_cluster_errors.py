"""Error messages of cluster mapping, stars, dynamics and reference areas not covered elsewhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ris3.clusters.definitions import ClusterDefinition, us_benchmark_clusters
from ris3.clusters.mapping import map_clusters
from ris3.clusters.stars import cluster_strength, strong_clusters
from ris3.errors import DataFileError, InputError
from ris3.measures._reference import resolve_reference
from ris3.measures.dynamics import specialisation_change


def definition() -> ClusterDefinition:
    return ClusterDefinition.from_frame(
        pd.DataFrame({"a": ["1", "2"], "c": ["X", "Y"], "t": ["traded", "local"]}),
        activity="a",
        cluster="c",
        cluster_type="t",
    )


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "geo": ["A", "A", "B", "B"],
            "code": ["1", "2", "1", "2"],
            "emp": [3.0, 1.0, 1.0, 3.0],
            "est": [1.0, 1.0, 1.0, 1.0],
        }
    )


def test_definition_constructor_errors() -> None:
    with pytest.raises(InputError, match="mapping must be a pandas DataFrame; got dict"):
        ClusterDefinition({"activity": ["1"]})  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"mapping lacks column\(s\) 'cluster_name', 'subcluster'"):
        ClusterDefinition(
            pd.DataFrame({"activity": ["1"], "cluster": ["X"], "cluster_type": ["traded"]})
        )


def test_us_crosswalk_file_errors(tmp_path: Path, shared_data: Path) -> None:
    raw = pd.read_csv(
        shared_data / "us_cluster_definitions" / "naics2012_to_cluster.csv", dtype={"NAICS": str}
    )
    bad = tmp_path / "flags.csv"
    raw.assign(emsi_specific=["maybe"] * len(raw)).to_csv(bad, index=False)
    with pytest.raises(DataFileError, match="column 'emsi_specific' must hold True/False values"):
        us_benchmark_clusters(bad)
    dup = tmp_path / "dup.csv"
    pd.concat([raw, raw.iloc[[0]].assign(Cluster="Automotive")]).to_csv(dup, index=False)
    with pytest.raises(
        Exception, match=r"'336411' -> 'Aerospace Vehicles and Defense', 'Automotive'"
    ):
        us_benchmark_clusters(dup)


def test_map_and_rating_errors() -> None:
    cm = map_clusters(table(), definition(), region="geo", activity="code", value="emp")
    with pytest.raises(InputError, match="this cluster map has no time column"):
        cm.growth(2010, 2015)
    with pytest.raises(
        InputError, match="strong_clusters needs a ClusterMap from ris3.map_clusters; got str"
    ):
        strong_clusters("map")  # type: ignore[arg-type]
    with_est = map_clusters(
        table(), definition(), region="geo", activity="code", value="emp", establishments="est"
    )
    with pytest.raises(InputError, match="strong must be the output of strong_clusters"):
        cluster_strength(with_est, pd.DataFrame({"x": [1]}))
    # a reference row without employment in a period
    df = pd.concat([table().assign(year=2010), table().assign(year=2011)])
    df = pd.concat(
        [
            df,
            pd.DataFrame(
                {
                    "geo": ["EU", "EU"],
                    "code": ["1", "2"],
                    "emp": [0.0, 0.0],
                    "est": [0.0, 0.0],
                    "year": [2011, 2011],
                }
            ),
            pd.DataFrame(
                {"geo": ["EU"], "code": ["1"], "emp": [5.0], "est": [1.0], "year": [2010]}
            ),
        ]
    )
    with pytest.raises(
        InputError, match=r"reference area\(s\) 'EU' have no employment in year=2011"
    ):
        map_clusters(
            df,
            definition(),
            region="geo",
            activity="code",
            value="emp",
            time="year",
            reference="EU",
        )
    with pytest.raises(InputError, match=r"reference area\(s\) 'EU' have no value in year=2011"):
        specialisation_change(
            df,
            region="geo",
            activity="code",
            value="emp",
            time="year",
            start=2010,
            end=2011,
            reference="EU",
        )


def test_zero_total_region_is_undefined_not_zero() -> None:
    df = pd.concat(
        [table(), pd.DataFrame({"geo": ["C"], "code": ["1"], "emp": [0.0], "est": [0.0]})]
    )
    from ris3.errors import DegenerateDataWarning

    with pytest.warns(
        DegenerateDataWarning, match=r"1 region-period\(s\) have zero employment.*'C'"
    ):
        cm = map_clusters(df, definition(), region="geo", activity="code", value="emp")
    t = cm.tidy().set_index(["geo", "cluster"])
    assert np.isnan(t.loc[("C", "X"), "lq"]) and np.isnan(t.loc[("C", "X"), "share"])


def test_reference_resolution_errors() -> None:
    regions = pd.Index(["A", "B", "AT"])
    with pytest.raises(InputError, match=r"reference mapping has missing targets for 'B'"):
        resolve_reference({"A": "AT", "B": None}, regions, region_column="geo")
    with pytest.raises(InputError, match=r"reference region\(s\) 'DE' not found in column 'geo'"):
        resolve_reference({"A": "AT", "B": "DE"}, regions, region_column="geo")
    with pytest.raises(InputError, match="reference list is empty"):
        resolve_reference([], regions, region_column="geo")
    with pytest.raises(InputError, match="reference must be None .* got int"):
        resolve_reference(5, regions, region_column="geo")
    r = resolve_reference({"A": "AT", "B": "AT"}, regions, region_column="geo")
    assert r.is_region.tolist() == [True, True, False]
    assert r.totals(np.array([[1.0], [2.0], [10.0]])).tolist() == [[10.0]]

"""European cluster categories: the US benchmark clusters on NACE Rev. 2 divisions.

:func:`eu_benchmark_clusters` reads the weighted definition bundled in
``ris3/data/hierarchies/eu_clusters`` (built by ``scripts/build_eu_clusters.py``
from the published sources; its README gives the method, attribution and
licence). The 51 traded and 16 local clusters of Delgado, Porter and Stern
(2016), defined on NAICS 2012 industries, are carried to ISIC Rev. 4 through
the US Census Bureau's concordance of 2012 NAICS to ISIC Rev. 4. ISIC Rev. 4
and NACE Rev. 2 are identical at division level, so the division weights
apply to European data such as Eurostat's regional structural business
statistics (``eu-sbs``).

A division that receives industries of several clusters is split between
them by US employment (County Business Patterns 2019): the weight of cluster
c in division d is the US employment of d's industries in c divided by the
US employment of all of d's clustered industries. Weights of a code sum to 1.

Caveats a user must be able to state:

* The weights are US employment shares (2019); the mix of industries inside
  a European region's division can differ.
* Divisions are coarse: a region's tourism or automotive cluster is built
  from whole divisions split by fixed weights, so two clusters that share a
  division share its regional variation.
* Structural business statistics cover sections B-N without K, plus
  division S95. Clusters that live mainly in finance, health, education,
  public services, agriculture or culture (for example Local Health
  Services, Education and Knowledge Creation's universities, Insurance
  Services) are partly or wholly invisible in them; see
  :func:`cluster_coverage`.

References
----------
Delgado, M., Porter, M. E. and Stern, S. (2016). Defining clusters of
related industries. Journal of Economic Geography 16(1), 1-38.
US Census Bureau, 2012 NAICS to ISIC Rev. 4 concordance; County Business
Patterns 2019.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Literal

import pandas as pd

from ris3._validation import check_option
from ris3.clusters.definitions import ClusterDefinition
from ris3.errors import DataFileError

__all__ = ["eu_benchmark_clusters", "division_purity", "cluster_coverage", "SBS_DIVISIONS"]

Level = Literal["division", "isic_class"]

_FILES = {"division": "nace2_divisions.csv", "isic_class": "isic4_classes.csv"}

#: NACE Rev. 2 divisions of the regional structural business statistics
#: (sections B-N without K, plus S95), Eurostat codes.
SBS_DIVISIONS: tuple[str, ...] = (
    "B05", "B06", "B07", "B08", "B09", "C10", "C11", "C12", "C13", "C14", "C15", "C16",
    "C17", "C18", "C19", "C20", "C21", "C22", "C23", "C24", "C25", "C26", "C27", "C28",
    "C29", "C30", "C31", "C32", "C33", "D35", "E36", "E37", "E38", "E39", "F41", "F42",
    "F43", "G45", "G46", "G47", "H49", "H50", "H51", "H52", "H53", "I55", "I56", "J58",
    "J59", "J60", "J61", "J62", "J63", "L68", "M69", "M70", "M71", "M72", "M73", "M74",
    "M75", "N77", "N78", "N79", "N80", "N81", "N82", "S95",
)  # fmt: skip


@functools.cache
def _read(level: str) -> pd.DataFrame:
    path = files("ris3.data") / "hierarchies" / "eu_clusters" / _FILES[level]
    try:
        with path.open("rb") as fh:
            return pd.read_csv(fh, dtype={"activity": str})
    except (OSError, ValueError) as exc:
        raise DataFileError(
            f"the bundled European cluster file {_FILES[level]} cannot be read: {exc}"
        ) from exc


def eu_benchmark_clusters(level: Level = "division") -> ClusterDefinition:
    """Return the US benchmark clusters carried to NACE Rev. 2 divisions (weighted).

    Parameters
    ----------
    level : {"division", "isic_class"}, default "division"
        ``"division"``: NACE Rev. 2 divisions with Eurostat codes (``"C29"``,
        ``"I55"``), the level of the bundled ``eu-sbs`` data; identical to
        ISIC Rev. 4 divisions. ``"isic_class"``: ISIC Rev. 4 classes
        (4-digit, ``"2910"``). A NACE Rev. 2 class lies inside one ISIC
        class (Eurostat's NACE Rev. 2 - ISIC Rev. 4 correspondence) and
        takes its weights; the codes often coincide but not always (NACE
        10.72 lies in ISIC 1071, while ISIC 1072 is sugar), so translate
        NACE classes with that correspondence first.

    Returns
    -------
    ClusterDefinition
        Weighted: one row per code x cluster, columns ``activity``,
        ``cluster`` (the US cluster name), ``cluster_name``, ``subcluster``
        (missing), ``cluster_type``, ``weight`` (sums to 1 per code),
        ``weight_basis`` (``"employment"``; ``"links"`` where no US
        employment is known, farming), ``us_employment`` (CBP 2019
        employment behind the weight), ``n_naics`` (NAICS industries behind
        the row), ``n_naics_unclustered`` (industries linked to the code
        without a cluster, e.g. public administration) and, for divisions,
        ``in_sbs`` (the division is in the structural business statistics).

    Examples
    --------
    >>> d = eu_benchmark_clusters()
    >>> d
    ClusterDefinition('European cluster categories (US benchmark clusters on NACE Rev. 2)', NACE Rev. 2 divisions: 85 activities, 67 clusters, weighted)
    >>> d.mapping.loc[d.mapping.activity == "I55", ["cluster", "weight"]].values.tolist()
    [['Hospitality and Tourism', 1.0]]
    >>> round(float(d.mapping.groupby("activity")["weight"].sum().max()), 9)
    1.0
    """
    check_option("level", level, tuple(_FILES))
    raw = _read(level).copy()
    keep = ["weight_basis", "us_employment", "n_naics", "n_naics_unclustered"]
    if "in_sbs" in raw.columns:
        keep.append("in_sbs")
    version = "NACE Rev. 2 divisions" if level == "division" else "ISIC Rev. 4 classes"
    return ClusterDefinition.from_frame(
        raw,
        activity="activity",
        cluster="cluster",
        cluster_type="cluster_type",
        weight="weight",
        name="European cluster categories (US benchmark clusters on NACE Rev. 2)",
        version=version,
        keep=keep,
    )


def division_purity(definition: ClusterDefinition | None = None) -> pd.DataFrame:
    """Each division's main cluster and its weight there (its "purity").

    Parameters
    ----------
    definition : ClusterDefinition, optional
        Default :func:`eu_benchmark_clusters` at division level.

    Returns
    -------
    DataFrame
        ``activity``, ``main_cluster``, ``purity`` (weight in the main
        cluster; 1 = the whole division in one cluster), ``n_clusters`` and
        ``in_sbs`` (division covered by ``eu-sbs``); sorted by activity.

    Examples
    --------
    >>> p = division_purity().set_index("activity")
    >>> p.loc["C29", "main_cluster"], round(float(p.loc["C29", "purity"]), 3)
    ('Automotive', 0.373)
    """
    d = eu_benchmark_clusters() if definition is None else definition
    out = d.purity()
    out["in_sbs"] = out["activity"].isin(SBS_DIVISIONS)
    return out


def cluster_coverage(
    definition: ClusterDefinition | None = None, codes: tuple[str, ...] = SBS_DIVISIONS
) -> pd.DataFrame:
    """Share of each cluster that activities ``codes`` (default: the SBS divisions) cover.

    Parameters
    ----------
    definition : ClusterDefinition, optional
        Default :func:`eu_benchmark_clusters`.
    codes : tuple of str
        Activity codes of the data; default :data:`SBS_DIVISIONS`.

    Returns
    -------
    DataFrame
        One row per cluster: ``cluster``, ``cluster_type``,
        ``weight_covered_share`` (share of the cluster's summed weights on
        ``codes``) and ``employment_covered_share`` (share of the US
        employment carried into the cluster that lands on ``codes``), sorted
        by the latter. A cluster with 0 cannot be seen in such data.

    Examples
    --------
    >>> c = cluster_coverage().set_index("cluster")
    >>> float(c.loc["Automotive", "employment_covered_share"])
    1.0
    >>> float(c.loc["Local Health Services", "employment_covered_share"]) < 0.05
    True
    """
    d = eu_benchmark_clusters() if definition is None else definition
    by_w = d.coverage(codes)
    out = by_w[["cluster", "cluster_type"]].copy()
    out["weight_covered_share"] = by_w["covered_share"].to_numpy()
    if "us_employment" in d.mapping.columns:
        out["employment_covered_share"] = d.coverage(codes, size="us_employment")[
            "covered_share"
        ].to_numpy()
    return out.sort_values(
        [out.columns[-1], "cluster"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)

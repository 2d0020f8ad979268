"""Cluster definitions: which activities make up which cluster.

A cluster definition is a plain mapping table, one row per activity code:
``activity -> cluster [-> subcluster]``, with the cluster's type (traded or
local) and a display name. It is validated once, when it is built: every
activity belongs to exactly one cluster, a cluster has one type, and codes
can be checked against a classification's code set.

A *weighted* definition (a ``weight`` column) lets one activity belong to
several clusters, with weights in (0, 1] that sum to 1 over its rows: a
region's employment in the activity is split between the clusters by
weight. The European cluster categories of :func:`eu_benchmark_clusters`
are weighted (see :mod:`ris3.clusters.eu_definitions`).

The US benchmark definitions (Delgado, Porter and Stern 2016, "Defining
clusters of related industries", Journal of Economic Geography 16(1)) are
read by :func:`us_benchmark_clusters`; any other mapping (for example NACE
divisions grouped into European cluster categories) is built with
:meth:`ClusterDefinition.from_frame`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ris3._validation import check_option, short_list
from ris3.errors import ClassificationError, DataFileError, InputError

__all__ = ["ClusterDefinition", "us_benchmark_clusters", "CLUSTER_TYPES"]

#: Allowed cluster types (case-insensitive on input, stored in lower case).
CLUSTER_TYPES: tuple[str, ...] = ("traded", "local")

#: Columns of :attr:`ClusterDefinition.mapping`, in order.
MAPPING_COLUMNS: tuple[str, ...] = (
    "activity",
    "cluster",
    "cluster_name",
    "subcluster",
    "cluster_type",
)

VendorCodes = Literal["keep", "drop"]

#: Tolerance on the sum of an activity's weights (1 +- this).
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True, eq=False)
class ClusterDefinition:
    """A validated mapping of activity codes to clusters.

    Build it with :meth:`from_frame` (any user mapping) or
    :func:`us_benchmark_clusters`; the constructor validates a table that
    already has the canonical columns.

    Attributes
    ----------
    mapping : DataFrame
        One row per activity, columns ``activity`` (code, as given),
        ``cluster`` (cluster code or name), ``cluster_name`` (display name;
        equal to ``cluster`` when none was given), ``subcluster`` (may be
        missing), ``cluster_type`` (``"traded"``, ``"local"`` or missing)
        and possibly further descriptive columns (e.g. ``vendor_code``).
    name : str
        A short name of the definition, used in messages and reports.
    version : str or None
        Version of the classification the activity codes follow
        (e.g. ``"NAICS 2012"``).
    excluded : DataFrame
        Rows of the source table left out when the definition was built,
        with a ``reason`` column (empty when nothing was left out).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"nace": ["C10", "C11", "C29", "J62"],
    ...                    "group": ["Food", "Food", "Automotive", "IT"],
    ...                    "kind": ["Traded", "Traded", "Traded", "Traded"]})
    >>> d = ClusterDefinition.from_frame(df, activity="nace", cluster="group",
    ...                                  cluster_type="kind", name="demo")
    >>> d.clusters
    ['Automotive', 'Food', 'IT']
    >>> d.cluster_of(["C11", "J62", "X"]).tolist()
    ['Food', 'IT', nan]
    """

    mapping: pd.DataFrame
    name: str = "cluster definition"
    version: str | None = None
    excluded: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        m = self.mapping
        if not isinstance(m, pd.DataFrame):
            raise InputError(f"mapping must be a pandas DataFrame; got {type(m).__name__}")
        absent = [c for c in MAPPING_COLUMNS if c not in m.columns]
        if absent:
            raise InputError(
                f"mapping lacks column(s) {short_list(absent)}; build the definition "
                "with ClusterDefinition.from_frame(data, activity=..., cluster=...)"
            )
        if len(m) == 0:
            raise InputError(f"{self.name} is empty: it maps no activity to a cluster")
        for col in ("activity", "cluster"):
            na = m[col].isna().to_numpy()
            if na.any():
                idx = np.flatnonzero(na)
                raise InputError(
                    f"{self.name}: column {col!r} has {idx.size} missing value(s), e.g. "
                    f"row {int(idx[0])}; every activity needs a code and a cluster"
                )
        if "weight" in m.columns:
            self._check_weights(m)
        else:
            dup = m["activity"].duplicated(keep=False).to_numpy()
            if dup.any():
                d = m.loc[dup, ["activity", "cluster"]]
                per = d.groupby("activity", sort=True)["cluster"].agg(lambda s: list(s))
                examples = "; ".join(
                    f"{code!r} -> {short_list(cl, 5)}" for code, cl in per.head(5).items()
                )
                raise ClassificationError(
                    f"{self.name}: {len(per)} activity code(s) appear more than once (an "
                    f"activity may belong to one cluster only): {examples}"
                    + (f" and {len(per) - 5} more" if len(per) > 5 else "")
                    + "; give a weight column to split an activity between clusters"
                )
        types = m["cluster_type"].dropna().unique()
        bad = [t for t in types if t not in CLUSTER_TYPES]
        if bad:
            raise InputError(
                f"{self.name}: cluster_type must be one of {CLUSTER_TYPES!r} (any case); "
                f"got {short_list(bad)}"
            )
        n_types = m.groupby("cluster", sort=True)["cluster_type"].nunique(dropna=False)
        mixed = n_types[n_types > 1]
        if len(mixed):
            raise ClassificationError(
                f"{self.name}: cluster(s) {short_list(mixed.index)} mix activities of "
                "different cluster_type; a cluster is either traded or local"
            )
        if self.excluded is None:
            object.__setattr__(self, "excluded", pd.DataFrame(columns=[*m.columns, "reason"]))

    def _check_weights(self, m: pd.DataFrame) -> None:
        """Weights: numbers in (0, 1], summing to 1 per activity, one row per activity x cluster."""
        w = pd.to_numeric(m["weight"], errors="coerce").to_numpy(dtype=np.float64)
        bad = ~np.isfinite(w) | (w <= 0) | (w > 1 + WEIGHT_TOLERANCE)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{self.name}: column 'weight' must hold numbers in (0, 1]; {int(bad.sum())} "
                f"do not, e.g. row {i} ({m['activity'].iloc[i]!r}: {m['weight'].iloc[i]!r})"
            )
        twice = m.duplicated(["activity", "cluster"], keep=False).to_numpy()
        if twice.any():
            d = m.loc[twice, ["activity", "cluster"]].drop_duplicates()
            pairs = [f"{a!r} -> {c!r}" for a, c in d.head(5).itertuples(index=False)]
            raise ClassificationError(
                f"{self.name}: {len(d)} activity-cluster pair(s) appear more than once: "
                f"{short_list(pairs, 5)}; give each pair one row with its total weight"
            )
        sums = pd.Series(w).groupby(m["activity"].to_numpy(), sort=True).sum()
        off = sums[(sums - 1.0).abs() > WEIGHT_TOLERANCE]
        if len(off):
            examples = ", ".join(f"{a!r}: {v:.6g}" for a, v in off.head(5).items())
            raise ClassificationError(
                f"{self.name}: the weights of an activity must sum to 1; {len(off)} do not "
                f"({examples})"
            )

    # ------------------------------------------------------------------ build
    @classmethod
    def from_frame(
        cls,
        data: pd.DataFrame,
        *,
        activity: str,
        cluster: str,
        subcluster: str | None = None,
        cluster_type: str | None = None,
        cluster_name: str | None = None,
        weight: str | None = None,
        name: str = "cluster definition",
        version: str | None = None,
        codes: Iterable[object] | None = None,
        keep: Iterable[str] = (),
    ) -> ClusterDefinition:
        """Build a definition from a table with one row per activity code.

        Parameters
        ----------
        data : DataFrame
            The mapping table; not modified.
        activity, cluster : str
            Columns holding the activity code and its cluster (code or name).
        subcluster, cluster_type, cluster_name : str, optional
            Columns holding the subcluster, the type (``"traded"``/``"local"``,
            any case) and a display name of the cluster.
        weight : str, optional
            Column of weights for a many-to-many definition: an activity may
            then have several rows (one per cluster), with weights in (0, 1]
            summing to 1. Without it every activity has exactly one cluster.
        name, version : str, optional
            Name of the definition and version of the activity classification.
        codes : iterable, optional
            The code set of the activity classification; any activity code
            not in it raises :class:`~ris3.errors.ClassificationError`.
        keep : iterable of str
            Further columns of ``data`` to carry along (e.g. a description).

        Returns
        -------
        ClusterDefinition

        Raises
        ------
        InputError
            A named column is absent, a code or cluster is missing, or a type
            is neither traded nor local.
        ClassificationError
            An activity appears more than once without weights (the message
            names its clusters), its weights do not sum to 1, a cluster mixes
            types, or a code is unknown to ``codes``.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"code": ["10", "11", "10"], "c": ["Food", "Food", "Drinks"]})
        >>> ClusterDefinition.from_frame(df, activity="code", cluster="c")
        Traceback (most recent call last):
        ...
        ris3.errors.ClassificationError: cluster definition: 1 activity code(s) appear more than once (an activity may belong to one cluster only): '10' -> 'Food', 'Drinks'; give a weight column to split an activity between clusters
        >>> df["w"] = [0.25, 1.0, 0.75]
        >>> d = ClusterDefinition.from_frame(df, activity="code", cluster="c", weight="w")
        >>> d.weighted, d.purity()[["activity", "main_cluster", "purity"]].values.tolist()
        (True, [['10', 'Drinks', 0.75], ['11', 'Food', 1.0]])
        """
        if not isinstance(data, pd.DataFrame):
            raise InputError(f"data must be a pandas DataFrame; got {type(data).__name__}")
        roles = {
            "activity": activity,
            "cluster": cluster,
            "subcluster": subcluster,
            "cluster_type": cluster_type,
            "cluster_name": cluster_name,
            "weight": weight,
        }
        keep = list(keep)
        for role, col in [*roles.items(), *(("keep", k) for k in keep)]:
            if col is None:
                continue
            if col not in data.columns:
                raise InputError(
                    f"{name} has no column {col!r} (given as {role}=); available "
                    f"columns: {short_list(map(str, data.columns), 20)}"
                )
        out = pd.DataFrame(
            {
                "activity": data[activity].to_numpy(),
                "cluster": data[cluster].to_numpy(),
            }
        )
        out["cluster_name"] = (
            data[cluster_name].to_numpy() if cluster_name else out["cluster"].to_numpy()
        )
        out["subcluster"] = data[subcluster].to_numpy() if subcluster else np.nan
        if cluster_type:
            raw = data[cluster_type]
            out["cluster_type"] = raw.where(raw.isna(), raw.astype(str).str.lower()).to_numpy()
        else:
            out["cluster_type"] = np.nan
        if weight:
            out["weight"] = data[weight].to_numpy()
        for k in keep:
            if k not in out.columns:
                out[k] = data[k].to_numpy()
        definition = cls(out, name=name, version=version)
        if codes is not None:
            definition.check_codes(codes, what="the classification")
        return definition

    # -------------------------------------------------------------- queries
    @property
    def clusters(self) -> list[object]:
        """Sorted unique cluster labels."""
        return sorted(self.mapping["cluster"].unique().tolist())

    @property
    def activities(self) -> pd.Index:
        """The activity codes, in mapping order."""
        return pd.Index(self.mapping["activity"])

    @property
    def weighted(self) -> bool:
        """True when activities are split between clusters by a ``weight`` column."""
        return "weight" in self.mapping.columns

    @property
    def weights(self) -> pd.Series:
        """Weight of every row of :attr:`mapping` (1.0 for an unweighted definition)."""
        if self.weighted:
            return pd.to_numeric(self.mapping["weight"]).astype(np.float64)
        return pd.Series(1.0, index=self.mapping.index)

    def purity(self) -> pd.DataFrame:
        """Per activity, its main cluster and the weight it has there ("purity").

        Returns
        -------
        DataFrame
            ``activity``, ``main_cluster`` (the cluster of largest weight;
            ties: the first in cluster order), ``purity`` (its weight, 1.0 for
            an activity in one cluster only) and ``n_clusters``; sorted by
            activity.
        """
        m = self.mapping.assign(_w=self.weights.to_numpy())
        m = m.sort_values(["activity", "_w", "cluster"], ascending=[True, False, True])
        first = m.drop_duplicates("activity")
        n = m.groupby("activity", sort=False)["cluster"].size()
        return pd.DataFrame(
            {
                "activity": first["activity"].to_numpy(),
                "main_cluster": first["cluster"].to_numpy(),
                "purity": first["_w"].to_numpy(),
                "n_clusters": first["activity"].map(n).to_numpy(),
            }
        )

    def coverage(self, codes: Iterable[object], *, size: str | None = None) -> pd.DataFrame:
        """How much of each cluster lies on the activity codes ``codes``.

        Parameters
        ----------
        codes : iterable
            Activity codes, e.g. those a data source covers.
        size : str, optional
            A column of :attr:`mapping` giving the size of each row (e.g.
            ``"us_employment"``); by default the weights.

        Returns
        -------
        DataFrame
            One row per cluster: ``cluster``, ``cluster_type``, ``total``
            (sum of weights or sizes), ``covered`` (on ``codes``) and
            ``covered_share``; a cluster with ``covered_share == 0`` cannot
            be seen in data with these codes.

        Examples
        --------
        >>> import pandas as pd
        >>> d = ClusterDefinition.from_frame(
        ...     pd.DataFrame({"a": ["1", "1", "2"], "c": ["X", "Y", "Y"], "w": [0.5, 0.5, 1]}),
        ...     activity="a", cluster="c", weight="w")
        >>> d.coverage(["1"])[["cluster", "covered_share"]].values.tolist()
        [['X', 1.0], ['Y', 0.3333333333333333]]
        """
        m = self.mapping
        if size is None:
            value = self.weights.to_numpy()
        elif size in m.columns:
            value = pd.to_numeric(m[size]).to_numpy(dtype=np.float64)
        else:
            raise InputError(
                f"{self.name} has no column {size!r}; columns: {short_list(m.columns, 20)}"
            )
        inside = m["activity"].isin(pd.Index(list(codes))).to_numpy()
        frame = pd.DataFrame(
            {
                "cluster": m["cluster"].to_numpy(),
                "cluster_type": m["cluster_type"].to_numpy(),
                "total": value,
                "covered": np.where(inside, value, 0.0),
            }
        )
        out = frame.groupby("cluster", sort=True, dropna=False).agg(
            cluster_type=("cluster_type", "first"),
            total=("total", "sum"),
            covered=("covered", "sum"),
        )
        out["covered_share"] = out["covered"] / out["total"]
        return out.reset_index()

    @property
    def has_types(self) -> bool:
        """True when every cluster has a type (traded or local)."""
        return bool(self.mapping["cluster_type"].notna().all())

    def clusters_table(self) -> pd.DataFrame:
        """One row per cluster: cluster, cluster_name, cluster_type, n_activities.

        Examples
        --------
        >>> import pandas as pd
        >>> d = ClusterDefinition.from_frame(
        ...     pd.DataFrame({"a": ["1", "2", "3"], "c": ["X", "X", "Y"]}),
        ...     activity="a", cluster="c")
        >>> d.clusters_table()
          cluster cluster_name  cluster_type  n_activities
        0       X            X           NaN             2
        1       Y            Y           NaN             1
        """
        g = self.mapping.groupby("cluster", sort=True, dropna=False)
        out = g.agg(
            cluster_name=("cluster_name", "first"),
            cluster_type=("cluster_type", "first"),
            n_activities=("activity", "size"),
        ).reset_index()
        return out

    def cluster_of(self, codes: Iterable[object]) -> pd.Series:
        """Return the cluster of each code (NaN for codes not in the definition).

        In a weighted definition, the code's main cluster (see :meth:`purity`).
        """
        if self.weighted:
            p = self.purity()
            lookup = pd.Series(p["main_cluster"].to_numpy(), index=pd.Index(p["activity"]))
            return lookup.reindex(pd.Index(list(codes))).reset_index(drop=True)
        lookup = pd.Series(
            self.mapping["cluster"].to_numpy(), index=pd.Index(self.mapping["activity"])
        )
        return lookup.reindex(pd.Index(list(codes))).reset_index(drop=True)

    def unknown_codes(self, codes: Iterable[object]) -> list[object]:
        """Activity codes of the definition that are not in ``codes`` (sorted)."""
        known = pd.Index(list(codes)).unique()
        mine = pd.Index(self.mapping["activity"]).unique()
        return sorted(mine[~mine.isin(known)].tolist(), key=str)

    def check_codes(self, codes: Iterable[object], *, what: str = "the data") -> None:
        """Raise ClassificationError if the definition uses codes not in ``codes``.

        Parameters
        ----------
        codes : iterable
            A classification's code set, or the activity codes of a table.
        what : str
            How to call ``codes`` in the message.

        Examples
        --------
        >>> import pandas as pd
        >>> d = ClusterDefinition.from_frame(
        ...     pd.DataFrame({"a": ["10", "99"], "c": ["X", "X"]}), activity="a", cluster="c")
        >>> d.check_codes(["10", "11"], what="NACE Rev. 2 divisions")
        Traceback (most recent call last):
        ...
        ris3.errors.ClassificationError: cluster definition uses 1 activity code(s) unknown to NACE Rev. 2 divisions: '99'
        """
        unknown = self.unknown_codes(codes)
        if unknown:
            raise ClassificationError(
                f"{self.name} uses {len(unknown)} activity code(s) unknown to {what}: "
                f"{short_list(unknown)}"
            )

    def __repr__(self) -> str:
        n_c = self.mapping["cluster"].nunique()
        n_a = self.mapping["activity"].nunique()
        v = f", {self.version}" if self.version else ""
        w = ", weighted" if self.weighted else ""
        return f"ClusterDefinition({self.name!r}{v}: {n_a} activities, {n_c} clusters{w})"


US_CLUSTER_FILE = Path("us_cluster_definitions") / "naics2012_to_cluster.csv"


def us_benchmark_clusters(
    path: str | Path | None = None, *, vendor_codes: VendorCodes = "keep"
) -> ClusterDefinition:
    r"""Return the US Cluster Mapping benchmark definitions (NAICS 6-digit -> cluster).

    Delgado, Porter and Stern (2016) group NAICS-2012 industries into 51
    traded and 16 local clusters with subclusters. The crosswalk published by
    the US Cluster Mapping Project (clustermapping.us, CC-BY-SA) has columns
    ``NAICS, TradedLocal, Cluster, SubclusterName, emsi_specific,
    Description``.

    Two kinds of rows need care, and the result says what was done with them:

    * ``emsi_specific=True`` rows (37) are codes of the data vendor Emsi, not
      NAICS-2012 codes: splits by government ownership (``902612``...),
      aggregates (``111000`` crop production) and NAICS-2017 codes that did
      not exist in 2012 (``452311``, ``541714``...). With
      ``vendor_codes="keep"`` (default) they stay in the definition, flagged
      in the ``vendor_code`` column; several are real NAICS-2017 codes, which
      County Business Patterns from 2017 on use, so keeping them lets CBP
      data map completely. With ``"drop"`` they are left out and listed in
      :attr:`ClusterDefinition.excluded`.
    * The row of ``814110`` (private households) has no cluster; it is left
      out and listed in :attr:`~ClusterDefinition.excluded`, so its
      employment is reported as not covered by :func:`ris3.map_clusters`.

    The clusters Federal, State and Local Government Services consist only
    of vendor codes; they disappear with ``vendor_codes="drop"``.

    Parameters
    ----------
    path : str or Path, optional
        The crosswalk CSV. By default the copy bundled with ris3
        (``ris3.datasets``) when available.
    vendor_codes : {"keep", "drop"}, default "keep"
        What to do with ``emsi_specific`` rows (see above).

    Returns
    -------
    ClusterDefinition
        Clusters are identified by their name; ``cluster_type`` is
        ``"traded"`` or ``"local"``; extra columns ``description`` and
        ``vendor_code``.

    Raises
    ------
    DataFileError
        The file is missing, unreadable or lacks the expected columns.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "naics2012_to_cluster.csv"
    >>> _ = path.write_text(
    ...     "NAICS,TradedLocal,Cluster,SubclusterName,emsi_specific,Description\n"
    ...     "336411,Traded,Aerospace Vehicles and Defense,Aircraft,False,Aircraft Manufacturing\n"
    ...     "452311,Local,Local Retailing,Warehouse Clubs,True,Warehouse Clubs and Supercenters\n"
    ...     "814110,Local,,,False,Private Households\n")
    >>> d = us_benchmark_clusters(path)
    >>> d.mapping[["activity", "cluster_type", "vendor_code"]]
      activity cluster_type  vendor_code
    0   336411       traded        False
    1   452311        local         True
    >>> d.excluded[["NAICS", "reason"]]
        NAICS                       reason
    0  814110  no cluster in the crosswalk
    >>> len(us_benchmark_clusters(path, vendor_codes="drop").mapping)
    1
    """
    check_option("vendor_codes", vendor_codes, ("keep", "drop"))
    raw = _read_us_crosswalk(path)
    need = ["NAICS", "TradedLocal", "Cluster", "SubclusterName", "emsi_specific", "Description"]
    absent = [c for c in need if c not in raw.columns]
    if absent:
        raise DataFileError(
            f"the US cluster crosswalk lacks column(s) {short_list(absent)}; expected "
            f"{short_list(need)}"
        )
    df = raw.rename(columns={"Description": "description"}).copy()
    flag = df["emsi_specific"]
    if flag.dtype != bool:
        flag = flag.astype(str).str.strip().str.lower().map({"true": True, "false": False})
        if flag.isna().any():
            raise DataFileError("column 'emsi_specific' must hold True/False values")
    df["vendor_code"] = flag.astype(bool).to_numpy()
    df["NAICS"] = df["NAICS"].astype(str).str.strip()
    no_cluster = df["Cluster"].isna().to_numpy()
    dropped = [df.loc[no_cluster].assign(reason="no cluster in the crosswalk")]
    keep = ~no_cluster
    if vendor_codes == "drop":
        vend = df["vendor_code"].to_numpy() & keep
        dropped.append(df.loc[vend].assign(reason="vendor (Emsi) code, not NAICS-2012"))
        keep &= ~vend
    definition = ClusterDefinition.from_frame(
        df.loc[keep],
        activity="NAICS",
        cluster="Cluster",
        subcluster="SubclusterName",
        cluster_type="TradedLocal",
        name="US benchmark clusters",
        version="NAICS 2012 (Delgado, Porter and Stern 2016)",
        keep=("description", "vendor_code"),
    )
    excluded = pd.concat(dropped, ignore_index=True)
    object.__setattr__(definition, "excluded", excluded.reset_index(drop=True))
    return definition


def _read_us_crosswalk(path: str | Path | None) -> pd.DataFrame:
    if path is None:
        bundled = _bundled_us_crosswalk()
        if bundled is None:
            raise DataFileError(
                "no bundled copy of the US cluster crosswalk is available; pass "
                "path= to naics2012_to_cluster.csv (US Cluster Mapping Project)"
            )
        return bundled
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"US cluster crosswalk {str(p)!r} does not exist")
    try:
        return pd.read_csv(p, dtype={"NAICS": str})
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataFileError(f"cannot read {str(p)!r}: {exc}") from exc


def _bundled_us_crosswalk() -> pd.DataFrame | None:
    """Return the crosswalk from the bundled ``us-cbp`` dataset when it ships one, else None.

    The table is found through ``ris3.datasets.info("us-cbp")`` as the one
    whose columns include ``NAICS`` and ``Cluster``.
    """
    from ris3.errors import Ris3Error

    try:
        from ris3 import datasets  # type: ignore[attr-defined]

        tables = datasets.info("us-cbp")["tables"]
    except (ImportError, Ris3Error, KeyError):
        return None  # no bundled US dataset in this installation
    for table, meta in tables.items():
        if {"NAICS", "Cluster"} <= set(meta.get("columns", ())):
            out = datasets.load("us-cbp", table=table).copy()
            out["NAICS"] = out["NAICS"].astype(str)
            return out
    return None

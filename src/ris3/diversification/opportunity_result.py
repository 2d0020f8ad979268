"""The result of :func:`ris3.opportunities`: tables, evidence, interfaces, summary."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option, short_list
from ris3.diversification._opportunity_steps import STRATEGIES, UNKNOWN, evidence_long
from ris3.errors import InputError
from ris3.measures.relatedness import MIN_NETWORK_REGIONS

__all__ = ["OpportunityResult"]


@dataclass
class OpportunityResult:
    """Diversification opportunities of one region (see the module docstring).

    Attributes
    ----------
    target : label
        The region.
    period : label or None
        The period analysed.
    components : list of str
        Attractiveness components that were available.
    peers : list
        The peer group used for the quadrants.
    unknown : list
        Activities whose cell of the target region is missing or
        confidential in the input (quadrant ``"unknown (confidential)"``).
    network_regions : int
        Regions the proximities and complexities rest on.
    left_out : DataFrame
        Regions left out of the proximity and complexity computation by
        ``min_value``: region label and ``total``.
    unavailable : dict
        Attractiveness components that could not be computed on these data,
        with the reason (e.g. ``{"pci": "<why the PCI is undefined>"}``).
    activity : str
        The caller's activity column, the key column of every table.
    """

    target: Hashable
    period: object
    components: list[str]
    weights: dict[str, float]
    peers: list[Hashable]
    table: pd.DataFrame = field(repr=False)
    proximity_matrix: pd.DataFrame = field(repr=False)
    n_evidence: int = 3
    unknown: list[Hashable] = field(default_factory=list)
    network_regions: int = 0
    left_out: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    unavailable: dict[str, str] = field(default_factory=dict)
    activity: str = "activity"

    def tidy(self) -> pd.DataFrame:
        """One row per activity of the period.

        Columns: the activity column (the caller's name), ``value``,
        ``share``, ``lq``, ``specialised`` (``lq`` at or above the
        threshold), ``missing`` (the target's cell is missing or confidential
        in the input: ``value``, ``share``, ``lq`` and the scores are NaN,
        ``feasibility`` too unless ``unknown_feasibility=True``),
        ``feasibility`` (relatedness density), ``peer_median_feasibility``,
        ``pci``, ``activity_growth`` (compound annual growth of the
        activity's total over all regions, fraction per year), ``wage`` (NaN
        when not available),
        ``attractiveness`` (0-1), ``quadrant`` (None where feasibility is
        undefined: the activity is related to nothing; ``"unknown (confidential)"``
        for missing cells), ``evidence`` (the region's
        specialisations closest to the activity, "code (proximity)"), and
        one score column per strategy profile (``score_<profile>``, NaN for
        activities the region is already specialised in).
        """
        return self.table.drop(columns="_total").copy()

    @cached_property
    def evidence(self) -> pd.DataFrame:
        """Long table: activity, ``supporting_<activity>``, ``proximity``, ``supporting_lq``, ``rank``.

        For every activity, the region's existing specialisations (LQ at or
        above the threshold) ordered by proximity to it, strongest first;
        only links with positive proximity are listed. The activity column
        keeps the caller's name (``supporting_`` + that name for the
        supporting activity).
        """
        return evidence_long(self.table, self.proximity_matrix, self.activity)

    def top(self, n: int = 10, strategy: str = "balanced") -> pd.DataFrame:
        """Return the ``n`` best-scoring activities the region is not yet specialised in.

        The rows and columns of :meth:`tidy`, ordered by ``score_<strategy>``
        (highest first, ties by activity code); activities without a score
        (missing cells, no relatedness) are left out.

        Examples
        --------
        >>> import ris3
        >>> trade = ris3.datasets.load("trade-hs2")  # doctest: +SKIP
        """
        check_option("strategy", strategy, tuple(STRATEGIES))
        check_number("n", n, low=1, integer=True)
        col = f"score_{strategy}"
        table = self.tidy()
        cand = table[~table["specialised"]].dropna(subset=[col])
        return (
            cand.sort_values([col, self.activity], ascending=[False, True])
            .head(int(n))
            .reset_index(drop=True)
        )

    def interfaces(
        self,
        clusters: Mapping[Hashable, Hashable] | pd.Series,
        *,
        strong: Sequence[Hashable] | None = None,
        n: int = 20,
    ) -> pd.DataFrame:
        """Find new domains at the interfaces of the region's strong clusters.

        Pairs of activities from two *different* strong clusters of the region
        ranked by their proximity, strongest first (e.g. food processing next
        to pharmaceuticals).

        Parameters
        ----------
        clusters : mapping or Series
            Activity -> cluster for the activities of the period. Activities
            not in the mapping are reported in an error, not dropped.
        strong : sequence, optional
            The region's strong clusters. Default: clusters whose combined
            location quotient (the cluster's share of the region's value over
            its share of all regions' value) is at least 1.
        n : int, default 20
            Number of pairs returned.

        Returns
        -------
        DataFrame
            ``activity_a``, ``cluster_a``, ``activity_b``, ``cluster_b``,
            ``proximity``, ``lq_a``, ``lq_b``.
        """
        check_number("n", n, low=1, integer=True)
        cmap = pd.Series(clusters) if not isinstance(clusters, pd.Series) else clusters
        acts = self.table[self.activity]
        unknown = acts[~acts.isin(cmap.index)]
        if len(unknown):
            raise InputError(
                f"clusters has no cluster for {len(unknown)} activit(ies): "
                f"{short_list(unknown.tolist())}; map every activity (use a catch-all "
                "cluster such as 'other' if needed)"
            )
        tab = self.table.assign(cluster=acts.map(cmap).to_numpy())
        if strong is None:
            g = tab.groupby("cluster")[["value", "_total"]].sum()
            lq = (g["value"] / g["value"].sum()) / (g["_total"] / g["_total"].sum())
            strong_set = set(lq.index[lq >= 1.0])
        else:
            strong_set = set(strong)
            missing = strong_set - set(tab["cluster"])
            if missing:
                raise InputError(
                    f"strong names cluster(s) not in clusters: {short_list(sorted(map(str, missing)))}"
                )
        sel = tab[tab["cluster"].isin(strong_set)]
        if sel["cluster"].nunique() < 2:
            return pd.DataFrame(
                columns=[
                    "activity_a",
                    "cluster_a",
                    "activity_b",
                    "cluster_b",
                    "proximity",
                    "lq_a",
                    "lq_b",
                ]
            )
        a = sel[self.activity].to_numpy()
        phi = self.proximity_matrix.loc[a, a].to_numpy()
        cl = sel["cluster"].to_numpy()
        i, j = np.triu_indices(a.size, k=1)
        keep = cl[i] != cl[j]
        i, j = i[keep], j[keep]
        lq = sel["lq"].to_numpy()
        out = pd.DataFrame(
            {
                "activity_a": a[i],
                "cluster_a": cl[i],
                "activity_b": a[j],
                "cluster_b": cl[j],
                "proximity": phi[i, j],
                "lq_a": lq[i],
                "lq_b": lq[j],
            }
        )
        out = out[out["proximity"] > 0]
        return (
            out.sort_values(
                ["proximity", "activity_a", "activity_b"], ascending=[False, True, True]
            )
            .head(int(n))
            .reset_index(drop=True)
        )

    def summary(self) -> str:
        """Return a few lines for a reader: period, components, quadrant counts, top 5."""
        q = self.table["quadrant"].value_counts()
        top = self.top(5)
        lines = [
            f"Diversification opportunities of {self.target!r}"
            + ("" if self.period is None else f" in {self.period}"),
            f"attractiveness from: {', '.join(self.components) or 'nothing (feasibility only)'}"
            + "".join(f"; {k} left out: {why}" for k, why in self.unavailable.items()),
            f"peer group: {len(self.peers)} region(s)",
            f"proximity and complexity rest on {self.network_regions} region(s)"
            + (f" ({len(self.left_out)} below min_value left out)" if len(self.left_out) else "")
            + (
                f"; fewer than {MIN_NETWORK_REGIONS}, read with care"
                if self.network_regions < MIN_NETWORK_REGIONS
                else ""
            ),
            "quadrants: "
            + ", ".join(
                f"{k} {int(q.get(k, 0))}"
                for k in ("strength", "weakness", "opportunity", "threat", UNKNOWN)
            ),
            "top 5 (balanced): "
            + ", ".join(
                f"{a} (feasibility {f:.2f}, attractiveness {t:.2f})"
                for a, f, t in zip(top[self.activity], top["feasibility"], top["attractiveness"])
            ),
        ]
        return "\n".join(lines)

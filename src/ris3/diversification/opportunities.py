"""Diversification opportunities of one region: what is feasible, what is attractive, why.

For a target region and one period, every activity is placed on two axes:

* **feasibility** -- the region's relatedness density around the activity
  (:func:`ris3.kernels.relatedness.relatedness_density`, self-proximity
  excluded), the share of the activity's related activities, weighted by
  proximity, in which the region is already specialised;
* **attractiveness** -- the weighted mean of percentile ranks (0-1, among all
  activities of the period) of the available components: ``complexity``
  (PCI, eigenvector method with the ``ecomplexity`` conventions), ``growth``
  (annual growth of the activity's total over all regions between
  ``compare`` and the period) and ``wage`` (wage bill per unit of value,
  when a wage column is given). Missing components are left out of the mean
  and the result says which were used.

**Evidence**: for each activity, the region's existing specialisations
ranked by their proximity to it -- the activities that make it feasible.

**Quadrants** relative to a peer group (default: all regions):

============  ===========================  ===========================
              density >= peer median       density < peer median
============  ===========================  ===========================
present       ``strength`` (embedded)      ``weakness`` (isolated)
absent        ``opportunity``              ``threat`` (peers better placed)
============  ===========================  ===========================

"present" is ``LQ >= threshold``; the peer median is taken over the peer
regions' densities around the same activity. Isolated specialisations are
the ones most likely to be lost (Neffke, Henning and Boschma 2011), and an
activity where peers have denser related capabilities is one they are better
placed to develop.

**Strategy profiles** score the activities the region is not specialised in
by ``w_f * rank(feasibility) + w_a * rank(attractiveness)`` with percentile
ranks among those candidates: ``low_hanging_fruit`` (w_f = 0.75,
w_a = 0.25), ``balanced`` (0.5, 0.5) and ``long_jumps`` (0.25, 0.75),
following the "smart specialisation framework" of Balland, Boschma, Crespo
and Rigby (2019), which trades relatedness (risk) against complexity (value).

**Missing and confidential cells** (``missing="drop"``): a cell of the
target region that is in the input with a missing value is *unknown*, not
0. It keeps its row, with ``missing`` True, ``value``, ``share`` and ``lq``
NaN, quadrant ``"unknown (confidential)"``, no strategy score and no rank;
its feasibility is shown only with ``unknown_feasibility=True``. Elsewhere
``"drop"`` means what it means in :func:`ris3.tidy.encode`: missing cells
are left out of every sum (region totals and the reference shares are sums
of the observed cells) and a missing cell of any region is not counted as a
specialisation when proximities and densities are computed.

**Small places**: with ``min_value``, regions whose total is below it are
left out of the proximity and complexity computation (they keep their
location quotients and densities); :attr:`OpportunityResult.left_out` names
them. Proximity resting on fewer than 50 regions draws a
:class:`~ris3.errors.DataQualityWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_flag, check_number, check_option, short_list
from ris3.errors import (
    DataQualityWarning,
    DegenerateDataError,
    DegenerateDataWarning,
    InputError,
)
from ris3.kernels import relatedness as kr
from ris3.kernels.complexity import economic_complexity
from ris3.measures._common import annual_growth, period_index
from ris3.measures.relatedness import (
    MIN_NETWORK_REGIONS,
    check_min_value,
    check_presence_options,
    period_presence,
)
from ris3.tidy import MissingPolicy, encode, read_table

__all__ = ["STRATEGIES", "UNKNOWN", "OpportunityResult", "opportunities", "percentile_rank"]

#: weights (feasibility, attractiveness) of the strategy profiles
STRATEGIES: dict[str, tuple[float, float]] = {
    "low_hanging_fruit": (0.75, 0.25),
    "balanced": (0.5, 0.5),
    "long_jumps": (0.25, 0.75),
}
ATTRACTIVENESS_COMPONENTS: tuple[str, ...] = ("complexity", "growth", "wage")
#: quadrant of a cell that is missing or confidential in the input
UNKNOWN = "unknown (confidential)"


def percentile_rank(x: np.ndarray) -> np.ndarray:
    """Percentile rank in [0, 1] (ties share their mean rank); NaN stays NaN.

    Examples
    --------
    >>> percentile_rank(np.array([3.0, 1.0, np.nan, 2.0, 2.0]))
    array([1. , 0. , nan, 0.5, 0.5])
    """
    from scipy.stats import rankdata

    x = np.asarray(x, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    ok = ~np.isnan(x)
    n = int(ok.sum())
    if n == 1:
        out[ok] = 0.5
    elif n > 1:
        out[ok] = (rankdata(x[ok]) - 1.0) / (n - 1.0)
    return out


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
        with the reason (e.g. ``{"complexity": "<why the PCI is undefined>"}``).
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

    def tidy(self) -> pd.DataFrame:
        """One row per activity of the period.

        Columns: ``activity``, ``value``, ``share``, ``lq``, ``present``,
        ``missing`` (the target's cell is missing or confidential in the
        input: ``value``, ``share``, ``lq`` and the scores are NaN,
        ``feasibility`` too unless ``unknown_feasibility=True``),
        ``feasibility`` (relatedness density), ``peer_median_feasibility``,
        ``complexity`` (PCI), ``growth``, ``wage`` (NaN when not available),
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
        """Long table: ``activity``, ``supporting_activity``, ``proximity``, ``supporting_lq``, ``rank``.

        For every activity, the region's existing specialisations (LQ at or
        above the threshold) ordered by proximity to it, strongest first;
        only links with positive proximity are listed.
        """
        present = self.table.loc[self.table["present"], ["activity", "lq"]]
        phi = self.proximity_matrix.loc[present["activity"]]
        long = phi.stack().rename("proximity").reset_index()
        long.columns = ["supporting_activity", "activity", "proximity"]
        long = long[(long["proximity"] > 0) & (long["activity"] != long["supporting_activity"])]
        long = long.merge(
            present.rename(columns={"activity": "supporting_activity", "lq": "supporting_lq"}),
            on="supporting_activity",
        )
        long = long.sort_values(
            ["activity", "proximity", "supporting_activity"], ascending=[True, False, True]
        )
        long["rank"] = long.groupby("activity").cumcount() + 1
        return long[["activity", "supporting_activity", "proximity", "supporting_lq", "rank"]]

    def top(self, n: int = 10, strategy: str = "balanced") -> pd.DataFrame:
        """The ``n`` best-scoring activities the region is not yet specialised in.

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
        cand = table[~table["present"]].dropna(subset=[col])
        return (
            cand.sort_values([col, "activity"], ascending=[False, True])
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
        """New domains at the interfaces of the region's strong clusters.

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
        acts = self.table["activity"]
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
        a = sel["activity"].to_numpy()
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
        """A few lines for a reader: period, components, quadrant counts, top 5."""
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
                for a, f, t in zip(top["activity"], top["feasibility"], top["attractiveness"])
            ),
        ]
        return "\n".join(lines)


def opportunities(
    data: pd.DataFrame | str | Path,
    *,
    region: str,
    activity: str,
    value: str,
    target: Hashable,
    time: str | None = None,
    period: Hashable | None = None,
    compare: Hashable | None = None,
    wages: pd.DataFrame | None = None,
    wage_value: str | None = None,
    peers: Sequence[Hashable] | None = None,
    threshold: float = 1.0,
    strict: bool = False,
    proximity_method: str = "hidalgo",
    weights: Mapping[str, float] | None = None,
    n_evidence: int = 3,
    missing: MissingPolicy = "raise",
    unknown_feasibility: bool = False,
    min_value: float | None = None,
) -> OpportunityResult:
    """Feasibility, attractiveness and evidence of every activity for one region.

    Parameters
    ----------
    data : DataFrame or path
        Tidy table, one row per region x activity [x time].
    region, activity, value, time : str
        Column names (keyword only).
    target : label
        The region analysed; must be in ``region``.
    period : label, optional
        The period analysed (default: the latest). Needs ``time``.
    compare : label, optional
        Earlier period: adds the ``growth`` component (annual growth rate of
        each activity's total across all regions, ``(x1 / x0) ** (1 / dt) - 1``
        with ``dt`` the difference of the period labels when numeric, else 1).
    wages : DataFrame, optional
        Same keys as ``data`` with a wage-bill column ``wage_value``: adds the
        ``wage`` component (wage bill per unit of ``value`` over all regions,
        e.g. average wage per employee).
    peers : sequence of labels, optional
        Peer group for the quadrants (e.g. from
        :func:`ris3.diversification.peers.peers`); default all regions.
    threshold, strict : float, bool
        Presence is ``LQ >= threshold`` (``>`` if strict).
    proximity_method : str, default "hidalgo"
        See :func:`ris3.kernels.relatedness.proximity`.
    weights : mapping, optional
        Weights of the attractiveness components, keys among ``"complexity"``,
        ``"growth"``, ``"wage"``; default equal weights over the available ones.
    n_evidence : int, default 3
        Supporting specialisations listed in the ``evidence`` column.
    missing : {"raise", "drop", "zero"}
        Policy for missing values (see :func:`ris3.tidy.encode`). With
        ``"drop"`` the target's missing cells are ``"unknown (confidential)"``,
        never ranked (module docstring).
    unknown_feasibility : bool, default False
        Also report the feasibility (relatedness density) of the target's
        missing cells; they stay unranked.
    min_value : float, optional
        Size filter: regions whose total in the period is below it are left
        out of the proximity and complexity computation (e.g. ``1e6`` on
        exports in thousand USD, the Atlas of Economic Complexity's USD 1
        billion); the target is always kept.

    Returns
    -------
    OpportunityResult

    Warns
    -----
    DataQualityWarning
        Proximity resting on fewer than 50 regions; regions left out by
        ``min_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "geo": list("AAABBBCCCDDD"),
    ...     "act": ["x", "y", "z"] * 4,
    ...     "emp": [5, 1, 0, 4, 4, 1, 0, 3, 6, 1, 0, 7]})
    >>> res = opportunities(df, region="geo", activity="act", value="emp", target="A")
    >>> res.tidy()[["activity", "present", "feasibility", "quadrant"]]
      activity  present  feasibility     quadrant
    0        x     True          0.0     weakness
    1        y    False          0.5  opportunity
    2        z    False          0.0       threat
    >>> res.evidence[["activity", "supporting_activity", "proximity"]]
      activity supporting_activity  proximity
    0        y                   x        0.5
    """
    check_presence_options(threshold, strict, False)
    check_option("proximity_method", proximity_method, kr.PROXIMITY_METHODS)
    check_number("n_evidence", n_evidence, low=0, integer=True)
    check_flag("unknown_feasibility", unknown_feasibility)
    check_min_value(min_value)
    if isinstance(data, str | Path):
        data = read_table(data)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    t = period_index(ct, period, "period")
    pp = period_presence(ct, t, threshold=threshold, strict=strict, binary=False)
    unknown_acts = _unknown_cells(data, ct, region, activity, value, time, t, target, missing)
    reg_labels = ct.regions[pp.regions[pp.valid_regions]]
    act_labels = ct.activities[pp.activities[pp.valid_activities]]
    hits = np.flatnonzero(reg_labels == target)
    if hits.size == 0 and (ct.regions[pp.regions] == target).any():
        raise DegenerateDataError(
            f"target={target!r} has a total of 0"
            + (f" {pp.when}" if pp.when else "")
            + ": its shares and location quotients are undefined, so are its opportunities"
        )
    if hits.size == 0:
        import difflib

        close = difflib.get_close_matches(str(target), [str(r) for r in reg_labels], n=3)
        raise InputError(
            f"target={target!r} is not a region of column {region!r}"
            + (f" {pp.when}" if pp.when else "")
            + (f"; did you mean {', '.join(close)}?" if close else "")
        )
    c = int(hits[0])
    m = pp.m
    # the network (proximity, complexity): regions above the size filter
    net = pp
    if min_value is not None:
        net = period_presence(
            ct, t, threshold=threshold, strict=strict, binary=False, min_total=min_value
        )
    warn_regions = net.n_network_regions
    if warn_regions < MIN_NETWORK_REGIONS:
        warnings.warn(
            f"proximity rests on {warn_regions} region(s)"
            + (f" {pp.when}" if pp.when else "")
            + f", fewer than {MIN_NETWORK_REGIONS}: with so few co-occurrences one or two "
            "regions can make activities look related, and complexity ranks are fragile; "
            "read the opportunities with care",
            DataQualityWarning,
            stacklevel=2,
        )
    net_acts = net.activities[net.valid_activities]
    pos = pd.Index(pp.activities[pp.valid_activities]).get_indexer(net_acts)
    phi_net = kr.proximity(
        net.m,
        method=proximity_method,  # type: ignore[arg-type]
        rca=net.rca,
        activity_labels=list(ct.activities[net_acts]),
    )
    phi = np.zeros((act_labels.size, act_labels.size))
    phi[np.ix_(pos, pos)] = phi_net
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DegenerateDataWarning)
        dens = kr.relatedness_density(m, phi, activity_labels=list(act_labels))
    for caught_warning in caught:
        warnings.warn(caught_warning.message, caught_warning.category, stacklevel=2)

    x = ct.matrix(t)[pp.regions[pp.valid_regions]][:, pp.activities[pp.valid_activities]]
    x = sp.csr_matrix(x)
    totals = np.asarray(x.sum(axis=0)).ravel()
    row = x[c].toarray().ravel()
    lq_all = sp.csr_matrix(pp.rca)
    lq_row = lq_all[c].toarray().ravel()
    present = m[c].toarray().ravel() > 0

    # attractiveness components
    comp: dict[str, np.ndarray] = {}
    unavailable: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateDataWarning)
        try:
            arr = economic_complexity(
                net.m,
                activity_labels=list(ct.activities[net_acts]),
                region_labels=list(ct.regions[net.regions[net.valid_regions]]),
            )
            pci = np.full(act_labels.size, np.nan)
            pci[pos] = arr.pci
            comp["complexity"] = pci
        except DegenerateDataError as exc:  # the network makes PCI undefined: say so, go on
            unavailable["complexity"] = str(exc)
    for name, why in unavailable.items():  # outside the filter above, so it is seen
        warnings.warn(
            f"{name} could not be computed ({why}); attractiveness leaves it out",
            DegenerateDataWarning,
            stacklevel=2,
        )
    if compare is not None:
        t0 = period_index(ct, compare, "compare")
        if t0 == t:
            raise InputError(f"compare={compare!r} must differ from period={ct.times[t]!r}")  # type: ignore[index]
        x0 = ct.matrix(t0)[:, pp.activities[pp.valid_activities]]
        tot0 = np.asarray(x0.sum(axis=0)).ravel()
        lab0, lab1 = ct.times[t0], ct.times[t]  # type: ignore[index]
        dt = float(lab1 - lab0) if isinstance(lab0, int | float | np.number) else 1.0
        # from the earlier of the two periods to the later one
        first, last = (tot0, totals) if dt > 0 else (totals, tot0)
        comp["growth"] = annual_growth(first, last, abs(dt))
    if wages is not None:
        if wage_value is None:
            raise InputError("wages= needs wage_value= naming its wage-bill column")
        wct = encode(
            wages, region=region, activity=activity, value=wage_value, time=time, missing=missing
        )
        wtot = pd.Series(
            np.asarray(
                wct.matrix(
                    period_index(wct, None if ct.times is None else ct.times[t], "period")
                ).sum(axis=0)
            ).ravel(),
            index=wct.activities,
        ).reindex(act_labels)
        with np.errstate(divide="ignore", invalid="ignore"):
            comp["wage"] = np.where(totals > 0, wtot.to_numpy(dtype=float) / totals, np.nan)

    if weights is None:
        w = {k: 1.0 for k in comp}
    else:
        for k, v in weights.items():
            check_option("weights key", k, ATTRACTIVENESS_COMPONENTS)
            check_number(f"weights[{k!r}]", v, low=0)
            if k not in comp:
                raise InputError(
                    f"weights gives {k!r} but that component is not available "
                    f"(available: {short_list(list(comp)) or 'none'}); "
                    "growth needs compare=, wage needs wages="
                )
        w = {k: float(weights.get(k, 0.0)) for k in comp}
    wsum = sum(w.values())
    if comp and wsum > 0:
        ranks = np.vstack([percentile_rank(comp[k]) for k in comp])
        wv = np.array([w[k] for k in comp])[:, None]
        okm = ~np.isnan(ranks)
        num = np.nansum(ranks * wv, axis=0)
        den = (okm * wv).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            attract = np.where(den > 0, num / den, np.nan)
    else:
        attract = np.full(act_labels.size, np.nan)

    # peer-relative quadrants
    if peers is None:
        peer_idx = np.arange(reg_labels.size)
        peer_list = list(reg_labels)
    else:
        peer_list = list(peers)
        if not peer_list:
            raise InputError("peers must name at least one region; got an empty list")
        pos = pd.Index(reg_labels).get_indexer(peer_list)
        if (pos < 0).any():
            bad = [p for p, i in zip(peer_list, pos) if i < 0]
            raise InputError(f"peers not found in column {region!r}: {short_list(bad)}")
        peer_idx = pos
    with warnings.catch_warnings():
        # activities without any related activity have NaN density everywhere (warned above)
        warnings.simplefilter("ignore", RuntimeWarning)
        peer_median = np.nanmedian(dens[peer_idx], axis=0)
    d_c = dens[c]
    above = d_c >= peer_median
    quadrant = np.where(
        present, np.where(above, "strength", "weakness"), np.where(above, "opportunity", "threat")
    ).astype(object)
    quadrant[np.isnan(d_c) | np.isnan(peer_median)] = None  # undefined without relatedness
    # the target's missing or confidential cells: unknown, never 0, never ranked
    unknown = act_labels.isin(unknown_acts)
    quadrant[unknown] = UNKNOWN
    row = np.where(unknown, np.nan, row)
    share = row / np.nansum(row)
    lq_row = np.where(unknown, np.nan, lq_row)
    feas = d_c if unknown_feasibility else np.where(unknown, np.nan, d_c)

    table = pd.DataFrame(
        {
            "activity": act_labels.to_numpy(),
            "value": row,
            "share": share,
            "lq": lq_row,
            "present": present,
            "missing": unknown,
            "feasibility": feas,
            "peer_median_feasibility": peer_median,
            "complexity": comp.get("complexity", np.full(act_labels.size, np.nan)),
            "growth": comp.get("growth", np.full(act_labels.size, np.nan)),
            "wage": comp.get("wage", np.full(act_labels.size, np.nan)),
            "attractiveness": attract,
            "quadrant": quadrant,
            "evidence": "",
        }
    )
    cand = ~present & ~unknown
    f_rank = np.full(act_labels.size, np.nan)
    a_rank = np.full(act_labels.size, np.nan)
    f_rank[cand] = percentile_rank(d_c[cand])
    a_rank[cand] = percentile_rank(attract[cand])
    for name, (wf, wa) in STRATEGIES.items():
        if np.isnan(a_rank).all():
            table[f"score_{name}"] = f_rank
        else:
            table[f"score_{name}"] = wf * f_rank + wa * a_rank
    table["_total"] = totals
    # an activity missing in every region of the period has no column at all
    absent = [a for a in unknown_acts if a not in set(act_labels)]
    if absent:
        extra = pd.DataFrame({"activity": absent, "present": False, "missing": True})
        extra["quadrant"] = UNKNOWN
        extra["evidence"] = ""
        table = pd.concat([table, extra], ignore_index=True)
        table["present"] = table["present"].astype(bool)
        table["missing"] = table["missing"].astype(bool)
    prox = pd.DataFrame(phi, index=act_labels, columns=act_labels)
    rcol = str(region)
    left = pd.DataFrame(
        {
            rcol: ct.regions[net.small_regions].to_numpy(),
            "total": np.asarray(net.small_totals, dtype=np.float64),
        }
    )
    res = OpportunityResult(
        target=target,
        period=ct.period_label(t),
        components=list(comp),
        weights=w,
        peers=peer_list,
        table=table,
        proximity_matrix=prox,
        n_evidence=int(n_evidence),
        unknown=list(unknown_acts),
        network_regions=warn_regions,
        left_out=left,
        unavailable=unavailable,
    )
    # evidence strings: the strongest supporting specialisations, "code (proximity)"
    ev = res.evidence
    ev = ev[ev["rank"] <= int(n_evidence)]
    if len(ev):  # no related specialisation at all leaves every evidence empty
        prox_text = ev["proximity"].map("{:.2f}".format).astype(str)
        text = ev["supporting_activity"].astype(str) + " (" + prox_text + ")"
        joined = text.groupby(ev["activity"]).agg("; ".join)
        table["evidence"] = table["activity"].map(joined).fillna("").to_numpy()
    return res


def _unknown_cells(
    data: pd.DataFrame,
    ct: object,
    region: str,
    activity: str,
    value: str,
    time: str | None,
    t: int,
    target: Hashable,
    missing: str,
) -> list[Hashable]:
    """Activities whose cell of ``target`` in period ``t`` is in ``data`` with a missing value.

    Only under ``missing="drop"``: with ``"zero"`` the caller chose to count
    them as 0, with ``"raise"`` there are none.
    """
    if missing != "drop":
        return []
    rows = data[region] == target
    if time is not None:
        rows &= data[time] == ct.times[t]  # type: ignore[attr-defined]
    vals = pd.to_numeric(data.loc[rows, value], errors="coerce")
    acts = data.loc[rows, activity][vals.isna().to_numpy()]
    return sorted(pd.unique(acts).tolist(), key=str)

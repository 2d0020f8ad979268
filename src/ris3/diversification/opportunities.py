"""Diversification opportunities of one region: what is feasible, what is attractive, why.

For a target region and one period, every activity is placed on two axes:

* **feasibility** -- the region's relatedness density around the activity
  (:func:`ris3.kernels.relatedness.relatedness_density`, self-proximity
  excluded), the share of the activity's related activities, weighted by
  proximity, in which the region is already specialised;
* **attractiveness** -- the weighted mean of percentile ranks (0-1, among all
  activities of the period) of the available components: ``pci``
  (eigenvector method with the ``ecomplexity`` conventions),
  ``activity_growth`` (compound annual growth of the activity's total over
  all regions between ``compare`` and the period) and ``wage`` (wage bill
  per unit of value, when a wage column is given). Missing components are left out of the mean
  and the result says which were used.

**Evidence**: for each activity, the region's existing specialisations
ranked by their proximity to it -- the activities that make it feasible.

**Quadrants** relative to a peer group (default: all regions):

============  ===========================  ===========================
              density >= peer median       density < peer median
============  ===========================  ===========================
specialised   ``strength`` (embedded)      ``weakness`` (isolated)
not           ``opportunity``              ``threat`` (peers better placed)
============  ===========================  ===========================

"specialised" is ``LQ >= threshold``; the peer median is taken over the peer
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

The computation is a sequence of named steps, each a function of
:mod:`ris3.diversification._opportunity_steps`: check the options, find the
target, build the network (proximity, density), the attractiveness
components (PCI, growth, wage) and their weights, combine them, place the
quadrants, score the strategy profiles, write the evidence strings.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ris3._validation import check_flag, check_number, check_option
from ris3.diversification import _opportunity_steps as step
from ris3.diversification._opportunity_steps import STRATEGIES, UNKNOWN, percentile_rank
from ris3.diversification.opportunity_result import OpportunityResult
from ris3.kernels import relatedness as kr
from ris3.measures._common import period_index
from ris3.measures.relatedness import (
    PeriodPresence,
    check_min_value,
    check_presence_options,
    period_presence,
)
from ris3.tidy import CodedTable, MissingPolicy, encode, read_table

__all__ = ["STRATEGIES", "UNKNOWN", "OpportunityResult", "opportunities", "percentile_rank"]


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
        Earlier period: adds the ``activity_growth`` component (compound
        annual growth of each activity's total across all regions,
        :func:`ris3.measures._common.annual_growth`, over the difference of
        the period labels when numeric, else 1 year).
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
        Proximity measure, see :func:`ris3.kernels.relatedness.proximity`
        (the same name as in :func:`ris3.proximity` and :func:`ris3.complexity`).
    weights : mapping, optional
        Weights of the attractiveness components, keys among ``"pci"``,
        ``"activity_growth"``, ``"wage"`` (0.1's ``"complexity"`` and
        ``"growth"`` are accepted with a FutureWarning); default equal
        weights over the available ones.
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
    >>> res.tidy()[["act", "specialised", "feasibility", "quadrant"]]
      act  specialised  feasibility     quadrant
    0   x         True          0.0     weakness
    1   y        False          0.5  opportunity
    2   z        False          0.0       threat
    >>> res.evidence[["act", "supporting_act", "proximity"]]
      act supporting_act  proximity
    0   y              x        0.5
    """
    proximity = proximity_method
    _check_options(threshold, strict, proximity, n_evidence, unknown_feasibility, min_value)
    step.check_key_column(activity)
    if isinstance(data, str | Path):
        data = read_table(data)
    ct = encode(data, region=region, activity=activity, value=value, time=time, missing=missing)
    t = period_index(ct, period, "period")
    pp = period_presence(ct, t, threshold=threshold, strict=strict, binary=False)
    unknown_acts = step.unknown_cells(data, ct, t, target, missing)
    c = step.locate_target(ct, pp, target)
    regions = ct.regions[pp.regions[pp.valid_regions]]
    acts = ct.activities[pp.activities[pp.valid_activities]]
    nw = step.network(
        ct, pp, threshold=threshold, strict=strict, proximity=proximity, min_value=min_value
    )
    own = step.period_values(ct, pp, c)
    components, unavailable = _components(
        ct, t, pp, nw, own["totals"], compare, wages, wage_value, missing, acts
    )
    w = step.component_weights(weights, list(components))
    attract = step.attractiveness(components, w, acts.size)
    peer_idx, peer_list = step.peer_rows(peers, regions, region)
    quadrant, peer_median = step.quadrants(nw.density, c, own["specialised"], peer_idx)
    table = _table(
        activity,
        acts,
        own,
        nw.density[c],
        peer_median,
        components,
        attract,
        quadrant,
        unknown_acts,
        unknown_feasibility,
    )
    res = OpportunityResult(
        target=target,
        period=ct.period_label(t),
        components=list(components),
        weights=w,
        peers=peer_list,
        table=table,
        proximity_matrix=pd.DataFrame(nw.phi, index=acts, columns=acts),
        n_evidence=int(n_evidence),
        unknown=list(unknown_acts),
        network_regions=nw.n_regions,
        left_out=_left_out(ct, nw, region),
        unavailable=unavailable,
        activity=activity,
    )
    joined = step.evidence_strings(res.evidence, activity, int(n_evidence))
    table["evidence"] = table[activity].map(joined).fillna("").to_numpy()
    return res


def _check_options(
    threshold: float,
    strict: bool,
    proximity: str,
    n_evidence: int,
    unknown_feasibility: bool,
    min_value: float | None,
) -> None:
    """Check the options of :func:`opportunities` before any data is read."""
    check_presence_options(threshold, strict, False)
    check_option("proximity_method", proximity, kr.PROXIMITY_METHODS)
    check_number("n_evidence", n_evidence, low=0, integer=True)
    check_flag("unknown_feasibility", unknown_feasibility)
    check_min_value(min_value)


def _components(
    ct: CodedTable,
    t: int,
    pp: PeriodPresence,
    nw: step.Network,
    totals: np.ndarray,
    compare: Hashable | None,
    wages: pd.DataFrame | None,
    wage_value: str | None,
    missing: str,
    acts: pd.Index,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Return the attractiveness components that can be computed, and why the others cannot.

    ``pci`` always (unless the network makes it undefined: then it is named
    in the second dict and warned about), ``activity_growth`` with
    ``compare``, ``wage`` with ``wages``.
    """
    components: dict[str, np.ndarray] = {}
    unavailable: dict[str, str] = {}
    pci, why = step.pci_component(ct, nw, acts.size)
    if pci is None:
        unavailable["pci"] = why
    else:
        components["pci"] = pci
    step.warn_unavailable(unavailable)
    if compare is not None:
        components["activity_growth"] = step.activity_growth(ct, t, compare, pp, totals)
    if wages is not None:
        components["wage"] = step.wage_component(wages, wage_value, ct, t, acts, totals, missing)
    return components, unavailable


def _table(
    activity: str,
    acts: pd.Index,
    own: dict[str, np.ndarray],
    density: np.ndarray,
    peer_median: np.ndarray,
    components: Mapping[str, np.ndarray],
    attract: np.ndarray,
    quadrant: np.ndarray,
    unknown_acts: list[Hashable],
    unknown_feasibility: bool,
) -> pd.DataFrame:
    """One row per activity: the target's values, the scores and the strategy scores.

    The target's missing or confidential cells are unknown, never 0 and
    never ranked: NaN value, share and LQ, quadrant ``"unknown
    (confidential)"``, no score; their feasibility only with
    ``unknown_feasibility``. An activity missing in every region of the
    period has no column in the network and gets a row of its own.
    """
    unknown = acts.isin(unknown_acts)
    quadrant = quadrant.copy()
    quadrant[unknown] = UNKNOWN
    row = np.where(unknown, np.nan, own["value"])
    nan = np.full(acts.size, np.nan)
    table = pd.DataFrame(
        {
            activity: acts.to_numpy(),
            "value": row,
            "share": row / np.nansum(row),
            "lq": np.where(unknown, np.nan, own["lq"]),
            "specialised": own["specialised"],
            "missing": unknown,
            "feasibility": density if unknown_feasibility else np.where(unknown, np.nan, density),
            "peer_median_feasibility": peer_median,
            **{k: components.get(k, nan) for k in step.ATTRACTIVENESS_COMPONENTS},
            "attractiveness": attract,
            "quadrant": quadrant,
            "evidence": "",
        }
    )
    scores = step.strategy_scores(density, attract, ~own["specialised"] & ~unknown)
    for name, score in scores.items():
        table[f"score_{name}"] = score
    table["_total"] = own["totals"]
    absent = [a for a in unknown_acts if a not in set(acts)]
    if absent:
        extra = pd.DataFrame({activity: absent, "specialised": False, "missing": True})
        extra["quadrant"] = UNKNOWN
        extra["evidence"] = ""
        table = pd.concat([table, extra], ignore_index=True)
        table["specialised"] = table["specialised"].astype(bool)
        table["missing"] = table["missing"].astype(bool)
    return table


def _left_out(ct: CodedTable, nw: step.Network, region: str) -> pd.DataFrame:
    """Regions the size filter left out of the network, with their totals."""
    return pd.DataFrame(
        {
            str(region): ct.regions[nw.presence.small_regions].to_numpy(),
            "total": np.asarray(nw.presence.small_totals, dtype=np.float64),
        }
    )

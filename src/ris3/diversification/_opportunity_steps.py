"""The named steps of :func:`ris3.diversification.opportunities.opportunities`.

Each step does one thing on the coded table of one period: check the
options, find the target, build the network (proximity and density), the
attractiveness components (PCI, growth, wage), combine them, place the
activities in quadrants, score the strategy profiles and write the evidence
strings. :func:`~ris3.diversification.opportunities.opportunities` calls them
in that order.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ris3._validation import check_number, check_option, did_you_mean, short_list
from ris3.errors import DataQualityWarning, DegenerateDataError, DegenerateDataWarning, InputError
from ris3.kernels import relatedness as kr
from ris3.kernels.complexity import economic_complexity
from ris3.measures._common import annual_growth, period_index
from ris3.measures._kernel_warnings import warn_unrelated
from ris3.measures.relatedness import MIN_NETWORK_REGIONS, PeriodPresence, period_presence
from ris3.tidy import CodedTable, encode

__all__ = [
    "ATTRACTIVENESS_COMPONENTS",
    "STRATEGIES",
    "UNKNOWN",
    "percentile_rank",
]

#: weights (feasibility, attractiveness) of the strategy profiles
STRATEGIES: dict[str, tuple[float, float]] = {
    "low_hanging_fruit": (0.75, 0.25),
    "balanced": (0.5, 0.5),
    "long_jumps": (0.25, 0.75),
}
#: attractiveness components, named as their output columns
ATTRACTIVENESS_COMPONENTS: tuple[str, ...] = ("pci", "activity_growth", "wage")
#: names the components had in ris3 0.1 (``weights=`` keys), accepted with a FutureWarning
OLD_COMPONENT_NAMES: dict[str, str] = {"complexity": "pci", "growth": "activity_growth"}
#: quadrant of a cell that is missing or confidential in the input
UNKNOWN = "unknown (confidential)"
#: output columns of the opportunities table (besides the caller's activity column)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "value",
    "share",
    "lq",
    "specialised",
    "missing",
    "feasibility",
    "peer_median_feasibility",
    *ATTRACTIVENESS_COMPONENTS,
    "attractiveness",
    "quadrant",
    "evidence",
    *(f"score_{s}" for s in STRATEGIES),
)


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
class Network:
    """Proximity and density of one period, on the period's valid activities.

    ``phi`` and ``density`` cover all valid activities of the period (pairs
    involving an activity left out by the size filter are 0); ``pos`` gives
    the position of each network activity among them.
    """

    presence: PeriodPresence
    phi: np.ndarray
    density: np.ndarray
    pos: np.ndarray
    n_regions: int


def check_key_column(activity: str) -> None:
    """Check that the caller's activity column does not collide with an output column.

    Examples
    --------
    >>> check_key_column("nace_r2")
    >>> check_key_column("share")
    Traceback (most recent call last):
    ...
    ris3.errors.InputError: activity='share' is also an output column of opportunities; rename the activity column (e.g. to 'activity')
    """
    if activity in OUTPUT_COLUMNS:
        raise InputError(
            f"activity={activity!r} is also an output column of opportunities; rename the "
            "activity column (e.g. to 'activity')"
        )


def unknown_cells(
    data: pd.DataFrame,
    ct: CodedTable,
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
    region, activity, value = ct.columns["region"], ct.columns["activity"], ct.columns["value"]
    time = ct.columns.get("time")
    rows = data[region] == target
    if time is not None and ct.times is not None:
        rows &= data[time] == ct.times[t]
    vals = pd.to_numeric(data.loc[rows, value], errors="coerce")
    acts = data.loc[rows, activity][vals.isna().to_numpy()]
    return sorted(pd.unique(acts).tolist(), key=str)


def locate_target(ct: CodedTable, pp: PeriodPresence, target: Hashable) -> int:
    """Row of ``target`` among the period's valid regions.

    Raises
    ------
    DegenerateDataError
        The target is in the period with a total of 0.
    InputError
        The target is not a region of the period (with close matches).
    """
    reg_labels = ct.regions[pp.regions[pp.valid_regions]]
    hits = np.flatnonzero(reg_labels == target)
    if hits.size:
        return int(hits[0])
    sfx = f" {pp.when}" if pp.when else ""
    if (ct.regions[pp.regions] == target).any():
        raise DegenerateDataError(
            f"target={target!r} has a total of 0{sfx}: its shares and location quotients are "
            "undefined, so are its opportunities"
        )
    raise InputError(
        f"target={target!r} is not a region of column {ct.columns['region']!r}{sfx}"
        + did_you_mean(target, reg_labels)
    )


def network(
    ct: CodedTable,
    pp: PeriodPresence,
    *,
    threshold: float,
    strict: bool,
    proximity: str,
    min_value: float | None,
) -> Network:
    """Proximity (on the regions above ``min_value``) and every region's density.

    Warns (DataQualityWarning) when the proximity rests on fewer than
    :data:`~ris3.measures.relatedness.MIN_NETWORK_REGIONS` regions, and
    (DegenerateDataWarning) names the activities related to nothing.
    """
    net = pp
    if min_value is not None:
        net = period_presence(
            ct, pp.t, threshold=threshold, strict=strict, binary=False, min_total=min_value
        )
    n_regions = net.n_network_regions
    if n_regions < MIN_NETWORK_REGIONS:
        warnings.warn(
            f"proximity rests on {n_regions} region(s)"
            + (f" {pp.when}" if pp.when else "")
            + f", fewer than {MIN_NETWORK_REGIONS}: with so few co-occurrences one or two "
            "regions can make activities look related, and complexity ranks are fragile; "
            "read the opportunities with care",
            DataQualityWarning,
            stacklevel=3,
        )
    net_acts = net.activities[net.valid_activities]
    act_codes = pp.activities[pp.valid_activities]
    pos = pd.Index(act_codes).get_indexer(net_acts)
    phi_net = kr.proximity(net.m, method=proximity, rca=net.rca)  # type: ignore[arg-type]
    phi = np.zeros((act_codes.size, act_codes.size))
    phi[np.ix_(pos, pos)] = phi_net
    dens = kr.relatedness_density(pp.m, phi)
    warn_unrelated(dens, ct.activities[act_codes], pp.when, stacklevel=3)
    return Network(net, phi, dens, pos, n_regions)


def pci_component(ct: CodedTable, nw: Network, n_activities: int) -> tuple[np.ndarray | None, str]:
    """PCI of the period's activities (NaN outside the network), or why it is undefined.

    Only :class:`~ris3.errors.DegenerateDataError` is caught: the network
    makes the PCI undefined (too few regions or activities, no second
    eigenvector, all regions alike). Any other exception is a bug and
    propagates. Degenerate-data warnings of the complexity kernel (regions
    or activities left out of the eigenvector problem) are not repeated here:
    the PCI of those activities is NaN and attractiveness leaves it out.
    """
    net = nw.presence
    try:
        arr = economic_complexity(net.m)
    except DegenerateDataError as exc:
        return None, str(exc)
    pci = np.full(n_activities, np.nan)
    pci[nw.pos] = arr.pci
    return pci, ""


def activity_growth(
    ct: CodedTable, t: int, compare: Hashable, pp: PeriodPresence, totals: np.ndarray
) -> np.ndarray:
    """Annual growth of each activity's total over all regions between ``compare`` and ``t``.

    The interval is the difference of the period labels when numeric, else 1;
    growth always runs from the earlier period to the later one.
    """
    t0 = period_index(ct, compare, "compare")
    if t0 == t:
        raise InputError(f"compare={compare!r} must differ from period={ct.times[t]!r}")  # type: ignore[index]
    x0 = ct.matrix(t0)[:, pp.activities[pp.valid_activities]]
    tot0 = np.asarray(x0.sum(axis=0)).ravel()
    lab0, lab1 = ct.times[t0], ct.times[t]  # type: ignore[index]
    dt = float(lab1 - lab0) if isinstance(lab0, int | float | np.number) else 1.0
    first, last = (tot0, totals) if dt > 0 else (totals, tot0)
    return annual_growth(first, last, abs(dt))


def wage_component(
    wages: pd.DataFrame,
    wage_value: str | None,
    ct: CodedTable,
    t: int,
    activities: pd.Index,
    totals: np.ndarray,
    missing: str,
) -> np.ndarray:
    """Wage bill per unit of value of each activity, over all regions, in period ``t``."""
    if wage_value is None:
        raise InputError("wages= needs wage_value= naming its wage-bill column")
    c = ct.columns
    wct = encode(
        wages,
        region=str(c["region"]),
        activity=str(c["activity"]),
        value=wage_value,
        time=c.get("time"),
        missing=missing,  # type: ignore[arg-type]
    )
    period = None if ct.times is None else ct.times[t]
    wtot = pd.Series(
        np.asarray(wct.matrix(period_index(wct, period, "period")).sum(axis=0)).ravel(),
        index=wct.activities,
    ).reindex(activities)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(totals > 0, wtot.to_numpy(dtype=float) / totals, np.nan)


def component_weights(
    weights: Mapping[str, float] | None, available: Sequence[str]
) -> dict[str, float]:
    """Weight of each available component: equal by default, else from ``weights``.

    Keys of ris3 0.1 (``"complexity"``, ``"growth"``) are read as the new
    names with a FutureWarning.
    """
    if weights is None:
        return {k: 1.0 for k in available}
    given: dict[str, float] = {}
    for k, v in weights.items():
        if k in OLD_COMPONENT_NAMES:
            warnings.warn(
                f"weights key {k!r} is now {OLD_COMPONENT_NAMES[k]!r}; the old name will be "
                "removed in the next release",
                FutureWarning,
                stacklevel=4,
            )
            k = OLD_COMPONENT_NAMES[k]
        check_option("weights key", k, ATTRACTIVENESS_COMPONENTS)
        check_number(f"weights[{k!r}]", v, low=0)
        if k not in available:
            raise InputError(
                f"weights gives {k!r} but that component is not available "
                f"(available: {short_list(list(available)) or 'none'}); "
                "activity_growth needs compare=, wage needs wages="
            )
        given[k] = float(v)
    return {k: given.get(k, 0.0) for k in available}


def attractiveness(
    components: Mapping[str, np.ndarray], weights: Mapping[str, float], n: int
) -> np.ndarray:
    """Weighted mean of the components' percentile ranks; a missing rank is left out.

    Examples
    --------
    >>> attractiveness({"pci": np.array([1.0, 2.0, 3.0]),
    ...                 "wage": np.array([np.nan, 5.0, 4.0])}, {"pci": 1.0, "wage": 1.0}, 3)
    array([0.  , 0.75, 0.5 ])
    """
    wsum = sum(weights.values())
    if not components or wsum <= 0:
        return np.full(n, np.nan)
    ranks = np.vstack([percentile_rank(components[k]) for k in components])
    wv = np.array([weights[k] for k in components])[:, None]
    okm = ~np.isnan(ranks)
    num = np.nansum(ranks * wv, axis=0)
    den = (okm * wv).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def peer_rows(
    peers: Sequence[Hashable] | None, regions: pd.Index, region: str
) -> tuple[np.ndarray, list[Hashable]]:
    """Rows (among ``regions``) and labels of the peer group; default all regions."""
    if peers is None:
        return np.arange(regions.size), list(regions)
    peer_list = list(peers)
    if not peer_list:
        raise InputError("peers must name at least one region; got an empty list")
    pos = pd.Index(regions).get_indexer(peer_list)
    if (pos < 0).any():
        bad = [p for p, i in zip(peer_list, pos) if i < 0]
        raise InputError(f"peers not found in column {region!r}: {short_list(bad)}")
    return pos, peer_list


def quadrants(
    density: np.ndarray, c: int, specialised: np.ndarray, peer_idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Quadrant of each activity for region row ``c`` and the peers' median density.

    ``strength``/``weakness`` for specialisations at or above / below the
    peer median density, ``opportunity``/``threat`` for the others; None
    where the density is undefined (the activity is related to nothing).

    Examples
    --------
    >>> d = np.array([[0.5, 0.1], [0.2, 0.3], [0.4, 0.2]])
    >>> q, med = quadrants(d, 0, np.array([True, False]), np.arange(3))
    >>> q.tolist(), med.tolist()
    (['strength', 'threat'], [0.4, 0.2])
    """
    with warnings.catch_warnings():
        # activities without any related activity have NaN density everywhere (warned earlier)
        warnings.simplefilter("ignore", RuntimeWarning)
        peer_median = np.nanmedian(density[peer_idx], axis=0)
    d_c = density[c]
    above = d_c >= peer_median
    quadrant = np.where(
        specialised,
        np.where(above, "strength", "weakness"),
        np.where(above, "opportunity", "threat"),
    ).astype(object)
    quadrant[np.isnan(d_c) | np.isnan(peer_median)] = None
    return quadrant, peer_median


def strategy_scores(
    feasibility: np.ndarray, attract: np.ndarray, candidates: np.ndarray
) -> dict[str, np.ndarray]:
    """``score_<profile>`` of every strategy profile; NaN outside ``candidates``.

    Percentile ranks are taken among the candidates; without attractiveness
    the score is the feasibility rank alone.

    Examples
    --------
    >>> s = strategy_scores(np.array([0.1, 0.3, 0.2]), np.array([1.0, 0.0, 0.5]),
    ...                     np.array([True, True, False]))
    >>> s["balanced"].tolist()
    [0.5, 0.5, nan]
    """
    f_rank = np.full(feasibility.size, np.nan)
    a_rank = np.full(feasibility.size, np.nan)
    f_rank[candidates] = percentile_rank(feasibility[candidates])
    a_rank[candidates] = percentile_rank(attract[candidates])
    if np.isnan(a_rank).all():
        return {name: f_rank.copy() for name in STRATEGIES}
    return {name: wf * f_rank + wa * a_rank for name, (wf, wa) in STRATEGIES.items()}


def evidence_long(
    table: pd.DataFrame, proximity_matrix: pd.DataFrame, activity: str
) -> pd.DataFrame:
    """Each activity's supporting specialisations, strongest proximity first.

    Columns: ``activity`` (the caller's column name), ``supporting_<activity>``,
    ``proximity``, ``supporting_lq``, ``rank``; only positive links between
    different activities.
    """
    support = f"supporting_{activity}"
    spec = table.loc[table["specialised"], [activity, "lq"]]
    phi = proximity_matrix.loc[spec[activity]]
    long = phi.stack().rename("proximity").reset_index()
    long.columns = [support, activity, "proximity"]
    long = long[(long["proximity"] > 0) & (long[activity] != long[support])]
    long = long.merge(
        spec.rename(columns={activity: support, "lq": "supporting_lq"}),
        on=support,
    )
    long = long.sort_values([activity, "proximity", support], ascending=[True, False, True])
    long["rank"] = long.groupby(activity).cumcount() + 1
    return long[[activity, support, "proximity", "supporting_lq", "rank"]].reset_index(drop=True)


def evidence_strings(evidence: pd.DataFrame, activity: str, n: int) -> pd.Series:
    """``"code (proximity); ..."`` of the ``n`` strongest supports, by activity.

    Examples
    --------
    >>> ev = pd.DataFrame({"act": ["y", "y"], "supporting_act": ["x", "z"],
    ...                    "proximity": [0.5, 0.25], "rank": [1, 2]})
    >>> evidence_strings(ev, "act", 1).to_dict()
    {'y': 'x (0.50)'}
    """
    ev = evidence[evidence["rank"] <= int(n)]
    if not len(ev):
        return pd.Series(dtype=object)
    prox_text = ev["proximity"].map("{:.2f}".format).astype(str)
    text = ev[f"supporting_{activity}"].astype(str) + " (" + prox_text + ")"
    return text.groupby(ev[activity]).agg("; ".join)


def period_values(ct: CodedTable, pp: PeriodPresence, c: int) -> dict[str, np.ndarray]:
    """Return the target row's values, LQs and specialisations and every activity's total."""
    x = ct.matrix(pp.t)[pp.regions[pp.valid_regions]][:, pp.activities[pp.valid_activities]]
    x = sp.csr_matrix(x)
    return {
        "totals": np.asarray(x.sum(axis=0)).ravel(),
        "value": x[c].toarray().ravel(),
        "lq": sp.csr_matrix(pp.rca)[c].toarray().ravel(),
        "specialised": pp.m[c].toarray().ravel() > 0,
    }


def warn_unavailable(unavailable: Mapping[str, str]) -> None:
    """DegenerateDataWarning for each attractiveness component that could not be computed."""
    for name, why in unavailable.items():
        warnings.warn(
            f"{name} could not be computed ({why}); attractiveness leaves it out",
            DegenerateDataWarning,
            stacklevel=3,
        )

"""Surveys of perceived strengths: by domain and group, bias, re-weighting, against the data.

The report lists "surveys of perceived areas of strength in the region" as
one of three ways to choose specialisation areas (``clusters-and-s3-report.txt``
lines 1556-1559): they can reveal domains "not represented in the official
statistics" (lines 1584-1589) but are "sensitive to stakeholder agendas" and
to "skewed perceptions"; "the public sector consistently over-estimate[s]
the strength of regional clusters and/or the private sector underestimates
it (Teigland and Lindqvist 2007)" (lines 1590-1594). These functions measure
perceived strength with its uncertainty, the public - private gap, a helix
mix re-weighted to a target, and where perception and measurement disagree.

Small groups are never shown: a cell with fewer than ``min_respondents``
respondents (default 5) keeps its row with NaN values and ``suppressed =
True``, so that a breakdown cannot identify anyone and nothing is dropped.

Input is a tidy table of ratings: one row per respondent x domain with the
rating (a Likert score, say 1-5) and the respondent's helix and sector
(public or private); a domain a respondent did not rate has no row or a NaN
rating, and counts for nobody (never as a zero).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ris3._validation import check_number, short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame, require_no_missing

__all__ = [
    "perceived_strength",
    "public_private_gap",
    "helix_weights",
    "poststratify",
    "perception_vs_data",
    "MIN_RESPONDENTS",
    "StrengthReport",
    "strength_report",
    "choice_summary",
    "scale_summary",
]

#: Default smallest group shown in any breakdown.
MIN_RESPONDENTS = 5


def _ratings(
    ratings: pd.DataFrame,
    respondent: str,
    domain: str,
    rating: str,
    extra: Sequence[str | None] = (),
) -> pd.DataFrame:
    df = require_frame(ratings, "ratings")
    cols = {"respondent": respondent, "domain": domain, "rating": rating}
    cols.update({f"column{i}": c for i, c in enumerate(extra) if c is not None})
    require_columns(df, "ratings", **cols)
    require_no_missing(df, "ratings", (respondent, domain))
    vals = pd.to_numeric(df[rating], errors="coerce")
    bad = vals.isna() & df[rating].notna()
    if bad.any():
        raise InputError(
            f"ratings column {rating!r} must be numeric or empty; not numbers: "
            f"{short_list(df.loc[bad, rating].astype(str).unique().tolist(), 5)}"
        )
    if df.duplicated([respondent, domain]).any():
        dup = df.loc[df.duplicated([respondent, domain]), [respondent, domain]]
        raise InputError(
            "ratings must have one row per respondent and domain; repeated: "
            f"{short_list([tuple(r) for r in dup.itertuples(index=False)], 3)}"
        )
    return df.assign(**{rating: vals}).loc[vals.notna()]


def _boot(v: np.ndarray, w: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Weighted means of ``n_boot`` resamples (with replacement) of the respondents."""
    idx = rng.integers(0, len(v), size=(n_boot, len(v)))
    ww = w[idx]
    tot = ww.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, (v[idx] * ww).sum(axis=1) / np.where(tot > 0, tot, 1.0), np.nan)


def _check_common(min_respondents: int, n_boot: int, level: float) -> None:
    check_number("min_respondents", min_respondents, low=1, integer=True)
    check_number("n_boot", n_boot, low=1, integer=True)
    check_number("level", level, low=0, high=1, low_inclusive=False, high_inclusive=False)


def perceived_strength(
    ratings: pd.DataFrame,
    *,
    by: str | None = None,
    respondent: str = "respondent",
    domain: str = "domain",
    rating: str = "rating",
    weight: str | None = None,
    min_respondents: int = MIN_RESPONDENTS,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Mean perceived strength per domain (and group) with a bootstrap confidence interval.

    Parameters
    ----------
    ratings : DataFrame
        One row per respondent x domain (see the module documentation).
    by : str, optional
        A column to break down by, e.g. the helix or the sector; default none.
    respondent, domain, rating : str
        Column names.
    weight : str, optional
        Column of respondent weights (e.g. from :func:`poststratify`); the
        mean is then weighted. Default: every respondent counts once.
    min_respondents : int, default 5
        Cells with fewer respondents are suppressed.
    n_boot, level, seed : int, float, int
        Percentile bootstrap over respondents: ``n_boot`` resamples with
        replacement within each cell, the ``level`` interval, seeded.

    Returns
    -------
    DataFrame
        One row per domain [x group], in order of first appearance:
        ``domain``, [``by``], ``respondents``, ``mean``, ``ci_low``,
        ``ci_high``, ``suppressed``. Suppressed cells have NaN mean and
        interval (the count is shown; it is what says why).

    Examples
    --------
    >>> r = pd.DataFrame({"respondent": range(6), "domain": ["agrifood"] * 6,
    ...                   "rating": [4, 5, 3, 4, 4, 5], "helix": ["business"] * 4 + ["research"] * 2})
    >>> perceived_strength(r, n_boot=200)[["domain", "respondents", "mean", "suppressed"]]
         domain  respondents      mean  suppressed
    0  agrifood            6  4.166667       False
    >>> perceived_strength(r, by="helix", n_boot=200)[["helix", "respondents", "mean", "suppressed"]]
          helix  respondents  mean  suppressed
    0  business            4   NaN        True
    1  research            2   NaN        True
    """
    _check_common(min_respondents, n_boot, level)
    df = _ratings(ratings, respondent, domain, rating, (by, weight))
    if by is not None:
        require_no_missing(df, "ratings", (by,))
    w_all = (
        pd.to_numeric(df[weight], errors="coerce").to_numpy(dtype=float)
        if weight is not None
        else np.ones(len(df))
    )
    if weight is not None and (~np.isfinite(w_all) | (w_all < 0)).any():
        raise InputError(f"weights in {weight!r} must be finite numbers >= 0")
    df = df.assign(_w=w_all)
    rng = np.random.default_rng(seed)
    keys = [domain] if by is None else [domain, by]
    alpha = (1 - level) / 2
    rows = []
    for key, part in df.groupby(keys, sort=False):
        key_t = key if isinstance(key, tuple) else (key,)
        n = part[respondent].nunique()
        v, w = part[rating].to_numpy(dtype=float), part["_w"].to_numpy()
        if n < min_respondents or w.sum() <= 0:
            mean = lo = hi = np.nan
            sup = n < min_respondents
        else:
            mean = float((v * w).sum() / w.sum())
            b = _boot(v, w, int(n_boot), rng)
            lo, hi = np.nanquantile(b, [alpha, 1 - alpha])
            sup = False
        rows.append((*key_t, n, mean, lo, hi, sup))
    return pd.DataFrame(
        rows, columns=[*keys, "respondents", "mean", "ci_low", "ci_high", "suppressed"]
    )


def public_private_gap(
    ratings: pd.DataFrame,
    *,
    sector: str = "sector",
    public: str = "public",
    private: str = "private",
    respondent: str = "respondent",
    domain: str = "domain",
    rating: str = "rating",
    min_respondents: int = MIN_RESPONDENTS,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Public minus private mean perceived strength per domain, with a bootstrap interval.

    The report warns that public-sector respondents "consistently
    over-estimate the strength of regional clusters and/or the private sector
    underestimates it" (``clusters-and-s3-report.txt`` lines 1590-1594): a
    positive gap is that pattern. The interval resamples the two groups
    independently (percentile bootstrap, seeded); ``significant`` is True
    when it excludes 0. Respondents whose sector is neither ``public`` nor
    ``private`` (e.g. civil society) are not in either mean.

    Returns
    -------
    DataFrame
        One row per domain: ``domain``, ``public_respondents``,
        ``public_mean``, ``private_respondents``, ``private_mean``, ``gap``,
        ``ci_low``, ``ci_high``, ``significant``, ``suppressed`` (either
        group below ``min_respondents``: values NaN, ``significant`` False).

    Examples
    --------
    >>> r = pd.DataFrame({"respondent": range(10), "domain": "tourism",
    ...                   "sector": ["public"] * 5 + ["private"] * 5,
    ...                   "rating": [5, 4, 5, 5, 4, 3, 2, 3, 3, 2]})
    >>> g = public_private_gap(r, n_boot=500)
    >>> g[["public_mean", "private_mean", "gap", "significant"]]
       public_mean  private_mean  gap  significant
    0          4.6           2.6  2.0         True
    """
    _check_common(min_respondents, n_boot, level)
    df = _ratings(ratings, respondent, domain, rating, (sector,))
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    rows = []
    for dom, part in df.groupby(domain, sort=False):
        pub = part.loc[part[sector] == public, rating].to_numpy(dtype=float)
        pri = part.loc[part[sector] == private, rating].to_numpy(dtype=float)
        n_pub = part.loc[part[sector] == public, respondent].nunique()
        n_pri = part.loc[part[sector] == private, respondent].nunique()
        if min(n_pub, n_pri) < min_respondents:
            rows.append((dom, n_pub, np.nan, n_pri, np.nan, np.nan, np.nan, np.nan, False, True))
            continue
        b = _boot(pub, np.ones(len(pub)), int(n_boot), rng) - _boot(
            pri, np.ones(len(pri)), int(n_boot), rng
        )
        lo, hi = np.quantile(b, [alpha, 1 - alpha])
        gap = pub.mean() - pri.mean()
        rows.append(
            (dom, n_pub, pub.mean(), n_pri, pri.mean(), gap, lo, hi, bool(lo > 0 or hi < 0), False)
        )
    cols = [
        domain, "public_respondents", "public_mean", "private_respondents", "private_mean",
        "gap", "ci_low", "ci_high", "significant", "suppressed",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def helix_weights(
    ratings: pd.DataFrame,
    target: Mapping[str, float],
    *,
    helix: str = "helix",
    respondent: str = "respondent",
) -> pd.DataFrame:
    """Post-stratification weights that bring the sample's helix mix to a target mix.

    ``weight_h = target_share_h / sample_share_h`` with shares of distinct
    respondents; the weighted sample then has exactly the target mix, and a
    target equal to the sample's own mix gives weight 1 to everyone.

    Returns
    -------
    DataFrame
        One row per helix of the target: ``helix``, ``respondents``,
        ``sample_share``, ``target_share`` (normalised to sum 1), ``weight``.

    Raises
    ------
    InputError
        A respondent has two helices, a helix of the sample has no target
        share (give it one, 0 to leave its voices out on purpose), or a helix
        with a positive target share has no respondent to stand for it.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent": range(4), "helix": ["business"] * 3 + ["research"]})
    >>> helix_weights(r, {"business": 0.5, "research": 0.5})
          helix  respondents  sample_share  target_share    weight
    0  business            3          0.75           0.5  0.666667
    1  research            1          0.25           0.5  2.000000
    """
    df = require_frame(ratings, "ratings")
    require_columns(df, "ratings", helix=helix, respondent=respondent)
    require_no_missing(df, "ratings", (helix, respondent))
    per = df.groupby(respondent)[helix].nunique()
    if (per > 1).any():
        raise InputError(
            f"a respondent must belong to one helix; {int((per > 1).sum())} have several "
            f"(e.g. {short_list(per.index[per > 1].tolist(), 3)})"
        )
    t = pd.Series({k: float(v) for k, v in target.items()}, dtype=float)
    if (~np.isfinite(t) | (t < 0)).any() or t.sum() <= 0:
        raise InputError(
            f"target shares must be finite numbers >= 0 with a positive sum; got {dict(target)}"
        )
    t = t / t.sum()
    counts = df.drop_duplicates(respondent)[helix].value_counts()
    unknown = sorted(set(counts.index) - set(t.index), key=str)
    if unknown:
        raise InputError(
            f"target= has no share for helix {short_list(unknown)} of the sample; give it one "
            "(0 leaves those respondents out on purpose)"
        )
    empty = [h for h in t.index if t[h] > 0 and counts.get(h, 0) == 0]
    if empty:
        raise InputError(
            f"no respondent from helix {short_list(empty)} to stand for its target share "
            f"{short_list([round(float(t[h]), 3) for h in empty])}; a weight cannot create voices"
        )
    n = counts.sum()
    out = pd.DataFrame({helix: t.index.to_numpy(dtype=object), "target_share": t.to_numpy()})
    out["respondents"] = out[helix].map(counts).fillna(0).astype(np.int64)
    out["sample_share"] = out["respondents"] / n
    with np.errstate(invalid="ignore", divide="ignore"):
        out["weight"] = np.where(
            out["respondents"] > 0, out["target_share"] / out["sample_share"], 0.0
        )
    return out[[helix, "respondents", "sample_share", "target_share", "weight"]]


def poststratify(
    ratings: pd.DataFrame,
    target: Mapping[str, float],
    *,
    helix: str = "helix",
    respondent: str = "respondent",
    weight: str = "weight",
) -> pd.DataFrame:
    """Return the ratings with a ``weight`` column from :func:`helix_weights` (shown, not hidden).

    Examples
    --------
    >>> r = pd.DataFrame({"respondent": range(4), "helix": ["business"] * 3 + ["research"],
    ...                   "domain": "d", "rating": [4, 4, 4, 2]})
    >>> poststratify(r, {"business": 1, "research": 1})["weight"].round(3).tolist()
    [0.667, 0.667, 0.667, 2.0]
    """
    w = helix_weights(ratings, target, helix=helix, respondent=respondent)
    if weight in ratings.columns:
        raise InputError(f"ratings already has a column {weight!r}; choose another weight= name")
    return ratings.assign(
        **{weight: ratings[helix].map(dict(zip(w[helix], w["weight"]))).astype(float)}
    )


def perception_vs_data(
    perceived: pd.DataFrame,
    measured: pd.DataFrame,
    *,
    measures: Sequence[str] = ("lq",),
    domain: str = "domain",
    strength: str = "mean",
    tolerance: float = 0.5,
) -> pd.DataFrame:
    """Where perceived strength and measured strength disagree.

    Rule: among the domains with both a (not suppressed) perceived strength
    and every measure, each is given its percentile rank
    ``(rank - 1) / (n - 1)`` (average ranks for ties; 0 = weakest, 1 =
    strongest) on perceived strength and on each measure; the measured rank
    is the mean of the measures' percentile ranks. ``gap = perceived_rank -
    measured_rank``; a domain is flagged ``"perceived stronger"`` when
    ``gap > tolerance`` and ``"measured stronger"`` when ``gap < -tolerance``
    (default half the ranking apart). Domains missing on either side are
    kept with ``compared = False`` and an empty flag.

    Parameters
    ----------
    perceived : DataFrame
        E.g. :func:`perceived_strength` output (``domain``, ``mean``,
        ``suppressed``).
    measured : DataFrame
        One row per domain with the measure columns (LQ, stars, growth...;
        higher is stronger).

    Returns
    -------
    DataFrame
        Outer join on ``domain`` (perceived order, then measured-only
        domains): ``domain``, ``strength`` column, the measures,
        ``perceived_rank``, ``measured_rank``, ``gap``, ``compared``, ``flag``.

    Examples
    --------
    >>> p = pd.DataFrame({"domain": ["a", "b", "c"], "mean": [4.5, 3.0, 2.0]})
    >>> m = pd.DataFrame({"domain": ["a", "b", "c"], "lq": [0.4, 1.0, 2.5]})
    >>> r = perception_vs_data(p, m)
    >>> r["gap"].tolist(), r["flag"].tolist()
    ([1.0, 0.0, -1.0], ['perceived stronger', '', 'measured stronger'])
    """
    p = require_frame(perceived, "perceived")
    m = require_frame(measured, "measured")
    require_columns(p, "perceived", domain=domain, strength=strength)
    require_columns(
        m, "measured", domain=domain, **{f"measures[{i}]": c for i, c in enumerate(measures)}
    )
    if not measures:
        raise InputError("measures= must name at least one measured column")
    check_number("tolerance", tolerance, low=0)
    if p[domain].duplicated().any() or m[domain].duplicated().any():
        raise InputError(
            "perceived and measured must have one row per domain (break down by group first)"
        )
    keep_p = [domain, strength] + (["suppressed"] if "suppressed" in p.columns else [])
    out = p[keep_p].merge(m[[domain, *measures]], on=domain, how="outer", sort=False)
    order = {
        d: i
        for i, d in enumerate(list(p[domain]) + [d for d in m[domain] if d not in set(p[domain])])
    }
    out = out.sort_values(domain, key=lambda s: s.map(order)).reset_index(drop=True)
    ok = out[[strength, *measures]].notna().all(axis=1)
    if "suppressed" in out.columns:
        ok &= ~out["suppressed"].fillna(False).astype(bool)

    def pct(s: pd.Series) -> pd.Series:
        n = int(ok.sum())
        r = s[ok].rank(method="average")
        return (r - 1) / (n - 1) if n > 1 else r * np.nan

    out["perceived_rank"] = pct(out[strength])
    out["measured_rank"] = pd.concat([pct(out[c]) for c in measures], axis=1).mean(axis=1)
    out["gap"] = out["perceived_rank"] - out["measured_rank"]
    out["compared"] = ok & out["gap"].notna()
    out["flag"] = np.select(
        [out["compared"] & (out["gap"] > tolerance), out["compared"] & (out["gap"] < -tolerance)],
        ["perceived stronger", "measured stronger"],
        "",
    )
    return out


@dataclass(frozen=True)
class StrengthReport:
    """The tables of :func:`strength_report`: only cells with enough respondents.

    Attributes
    ----------
    overall, by_helix, by_sector : DataFrame
        :func:`perceived_strength` rows that are not suppressed (without the
        ``suppressed`` column).
    gap : DataFrame
        :func:`public_private_gap` rows that are not suppressed.
    weights : DataFrame or None
        :func:`helix_weights` (the post-stratification weights, shown).
    reweighted : DataFrame or None
        Perceived strength with those weights (rows not suppressed).
    perception : DataFrame or None
        :func:`perception_vs_data` of the overall strength against the
        measures (suppressed domains have no perceived strength there).
    hidden : DataFrame
        What was left out and why: ``table``, ``domain``, ``group``, ``reason``
        (the count of a small group is not shown either).
    min_respondents : int
        The threshold used.
    """

    overall: pd.DataFrame
    by_helix: pd.DataFrame
    by_sector: pd.DataFrame
    gap: pd.DataFrame
    weights: pd.DataFrame | None
    reweighted: pd.DataFrame | None
    perception: pd.DataFrame | None
    hidden: pd.DataFrame
    min_respondents: int

    def tidy(self) -> pd.DataFrame:
        """Return the overall perceived strength by domain (cells with enough respondents)."""
        return self.overall

    def summary(self) -> str:
        """Summarise in one line: domains shown and cells hidden for too few respondents."""
        return (
            f"{len(self.overall)} domains with at least {self.min_respondents} respondents; "
            f"{len(self.hidden)} cells hidden (fewer respondents)"
        )


def _shown(
    table: pd.DataFrame, name: str, group: str | None, reason: str, hidden: list[tuple]
) -> pd.DataFrame:
    sup = table["suppressed"].astype(bool)
    for row in table.loc[sup].to_dict("records"):
        hidden.append((name, row["domain"], "" if group is None else str(row[group]), reason))
    return table.loc[~sup].drop(columns="suppressed").reset_index(drop=True)


def strength_report(
    ratings: pd.DataFrame,
    *,
    target: Mapping[str, float] | None = None,
    measured: pd.DataFrame | None = None,
    measures: Sequence[str] = ("lq", "stars", "growth"),
    min_respondents: int = MIN_RESPONDENTS,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    tolerance: float = 0.5,
) -> StrengthReport:
    """Every breakdown of perceived strength a survey report shows, small groups left out.

    ``ratings`` has the columns ``respondent``, ``domain``, ``rating``,
    ``helix`` and ``sector`` (see the module documentation). The tables are
    :func:`perceived_strength` overall, by helix and by sector,
    :func:`public_private_gap`, the post-stratified strength when ``target``
    (a helix mix) is given, and :func:`perception_vs_data` against
    ``measured`` (one row per domain; the ``measures`` it has). Every cell
    with fewer than ``min_respondents`` respondents is left out of the
    tables and listed in ``hidden`` with the reason; the bootstraps share
    one seeded generator per table (``seed``), so a report is reproducible.

    Examples
    --------
    >>> r = pd.DataFrame({"respondent": range(8), "domain": "tourism",
    ...                   "rating": [5, 4, 5, 4, 5, 3, 2, 3],
    ...                   "helix": ["government"] * 5 + ["business"] * 3,
    ...                   "sector": ["public"] * 5 + ["private"] * 3})
    >>> rep = strength_report(r, n_boot=200)
    >>> rep.overall[["domain", "respondents", "mean"]]
        domain  respondents   mean
    0  tourism            8  3.875
    >>> rep.hidden[["table", "group"]].values.tolist()
    [['by_helix', 'business'], ['by_sector', 'private'], ['gap', '']]
    """
    check_number("min_respondents", min_respondents, low=1, integer=True)
    kw: dict[str, Any] = {
        "min_respondents": min_respondents, "n_boot": n_boot, "level": level, "seed": seed
    }  # fmt: skip
    hidden: list[tuple] = []
    few = f"fewer than {min_respondents} respondents"
    overall_all = perceived_strength(ratings, **kw)
    overall = _shown(overall_all, "overall", None, few, hidden)
    by_helix = _shown(
        perceived_strength(ratings, by="helix", **kw), "by_helix", "helix", few, hidden
    )
    by_sector = _shown(
        perceived_strength(ratings, by="sector", **kw),
        "by_sector",
        "sector",
        few,
        hidden,
    )
    gap_all = public_private_gap(ratings, **kw)
    gap = _shown(
        gap_all, "gap", None, f"fewer than {min_respondents} public or private respondents", hidden
    )
    weights = reweighted = None
    if target is not None:
        weights = helix_weights(ratings, target)
        weighted = poststratify(ratings, target)
        reweighted = _shown(
            perceived_strength(weighted, weight="weight", **kw),
            "reweighted",
            None,
            few,
            hidden,
        )
    perception = None
    if measured is not None:
        have = [c for c in measures if c in measured.columns]
        if have:
            perception = perception_vs_data(
                overall_all, measured, measures=have, tolerance=tolerance
            )
            if "suppressed" in perception.columns:
                perception = perception.drop(columns="suppressed")
    return StrengthReport(
        overall=overall,
        by_helix=by_helix,
        by_sector=by_sector,
        gap=gap,
        weights=weights,
        reweighted=reweighted,
        perception=perception,
        hidden=pd.DataFrame(hidden, columns=["table", "domain", "group", "reason"]),
        min_respondents=int(min_respondents),
    )


def choice_summary(
    answers: pd.DataFrame,
    *,
    respondent: str = "respondent",
    question: str = "question",
    item: str = "item",
    min_respondents: int = MIN_RESPONDENTS,
) -> pd.DataFrame:
    """How many respondents picked each item of each question (choice questions).

    ``answers`` has one row per respondent x question x item picked. The
    share is of the respondents who answered the question; a question
    answered by fewer than ``min_respondents`` people is left out whole.

    Returns
    -------
    DataFrame
        ``question``, ``item``, ``respondents`` (who picked it),
        ``answered`` (who answered the question), ``share``.

    Examples
    --------
    >>> a = pd.DataFrame({"respondent": [1, 2, 3, 4, 5, 5, 1],
    ...                   "question": ["q"] * 6 + ["small"], "item": list("aabbab") + ["x"]})
    >>> choice_summary(a)
      question item  respondents  answered  share
    0        q    a            3         5    0.6
    1        q    b            3         5    0.6
    """
    df = require_frame(answers, "answers")
    require_columns(df, "answers", respondent=respondent, question=question, item=item)
    check_number("min_respondents", min_respondents, low=1, integer=True)
    answered = df.groupby(question, sort=False)[respondent].nunique()
    picked = (
        df.groupby([question, item], sort=False)[respondent]
        .nunique()
        .rename("respondents")
        .reset_index()
    )
    picked["answered"] = picked[question].map(answered).astype(np.int64)
    picked = picked.loc[picked["answered"] >= min_respondents].reset_index(drop=True)
    picked["share"] = picked["respondents"] / picked["answered"]
    return picked.rename(columns={question: "question", item: "item"})


def scale_summary(
    answers: pd.DataFrame,
    *,
    respondent: str = "respondent",
    question: str = "question",
    item: str = "item",
    value: str = "value",
    min_respondents: int = MIN_RESPONDENTS,
) -> pd.DataFrame:
    """Mean answer per question and item of Likert and ranking questions.

    For a Likert question (item "") the mean rating; for a ranking question
    (one item per choice) the mean rank, 1 = first. A cell answered by fewer
    than ``min_respondents`` respondents is left out; values must be numbers.

    Returns
    -------
    DataFrame
        ``question``, ``item``, ``respondents``, ``mean``.

    Examples
    --------
    >>> a = pd.DataFrame({"respondent": list(range(5)) * 2, "question": ["rank"] * 10,
    ...                   "item": ["jobs"] * 5 + ["green"] * 5,
    ...                   "value": ["1", "1", "2", "1", "2", "2", "2", "1", "2", "1"]})
    >>> scale_summary(a)
      question   item  respondents  mean
    0     rank   jobs            5   1.4
    1     rank  green            5   1.6
    """
    df = require_frame(answers, "answers")
    require_columns(df, "answers", respondent=respondent, question=question, item=item, value=value)
    check_number("min_respondents", min_respondents, low=1, integer=True)
    vals = pd.to_numeric(df[value], errors="coerce")
    if vals.isna().any():
        raise InputError(
            f"answers column {value!r} must be numbers; not numbers: "
            f"{short_list(df.loc[vals.isna(), value].astype(str).unique().tolist(), 5)}"
        )
    g = df.assign(_v=vals).groupby([question, item], sort=False)
    out = pd.DataFrame({"respondents": g[respondent].nunique(), "mean": g["_v"].mean()})
    out = out.reset_index().rename(columns={question: "question", item: "item"})
    return out.loc[out["respondents"] >= min_respondents].reset_index(drop=True)

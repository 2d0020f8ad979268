"""Estimators behind :func:`ris3.evaluation.evaluate_programme`, on pyfixest.

Each function takes the estimation sample of one reference group (a pandas
DataFrame from :func:`ris3.evaluation.panel.prepare_panel`) and one outcome
column, and returns plain rows of numbers; the results object assembles them.

- :func:`did_twfe` — two-way fixed effects difference in differences
  ``y_it = a_i + l_t + b D_it + e_it`` with standard errors clustered by firm.
- :func:`did_staggered` — the interaction-weighted estimator of Sun and
  Abraham (2021), a saturated cohort x event-time regression fitted by
  ``pyfixest.feols``: robust to effects that differ between entry cohorts
  and over time. Also gives event-study coefficients (leads and lags) and a
  joint test that all leads are zero.
- :func:`naive` — members vs non-members in the programme years, with year
  effects only: what counting member performance amounts to.
- :func:`productivity_regression` — productivity on membership, agglomeration
  (LQ), policy-target variables and controls with fixed effects.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ris3.errors import InputError

__all__ = ["did_twfe", "did_staggered", "naive", "productivity_regression", "wald_zero"]

_TIDY = {
    "Estimate": "estimate",
    "Std. Error": "std_error",
    "Pr(>|t|)": "p_value",
}


# Estimation settings passed explicitly, so results do not move with pyfixest's
# defaults (which changed between releases):
# - singleton fixed-effect groups are dropped (a firm seen once says nothing
#   about a within-firm effect, and keeping it changes the degrees of freedom);
# - small-sample correction (n-1)/(n-k) with nested fixed effects not counted,
#   and G/(G-1) for the clustered standard errors;
# - the fixed effects are demeaned to 1e-10 instead of pyfixest's 1e-6
#   (at 1e-6 standard errors differed from one process to the next in the 7th
#   digit, following the hash seed; at 1e-10 they agree to ~1e-11 relative).
FIXEF_RM = "singleton"
FIXEF_TOL = 1e-10
SSC = {"k_adj": True, "k_fixef": "nonnested", "G_adj": True, "G_df": "min"}


def _quiet_feols(fml: str, data: pd.DataFrame, **kw: Any) -> Any:
    import pyfixest as pf

    with warnings.catch_warnings():
        # singleton fixed effects are dropped by design; pyfixest warns each time
        warnings.filterwarnings("ignore", message=".*singleton fixed effect.*")
        return pf.feols(
            fml,
            data=data,
            fixef_rm=FIXEF_RM,
            fixef_tol=FIXEF_TOL,
            ssc=pf.ssc(**SSC),
            **kw,
        )


def _row(fit: Any, term: str, alpha: float, data: pd.DataFrame) -> dict[str, Any]:
    coef = fit.coef()[term]
    se = fit.se()[term]
    crit = stats.norm.ppf(1 - alpha / 2)
    used = _used_mask(fit, len(data))
    firm = data["firm"].to_numpy()[used]
    member = data["member"].to_numpy(dtype=bool)[used]
    return {
        "estimate": float(coef),
        "std_error": float(se),
        "ci_low": float(coef - crit * se),
        "ci_high": float(coef + crit * se),
        "p_value": float(2 * stats.norm.sf(abs(coef / se))) if se > 0 else np.nan,
        "n_obs": int(fit._N),
        "n_firms": int(pd.unique(firm).size),
        "n_members": int(pd.unique(firm[member]).size),
    }


def _used_mask(fit: Any, n: int) -> np.ndarray:
    """Rows (by position) pyfixest kept: not missing, not singleton fixed effects."""
    used = np.ones(n, dtype=bool)
    na = getattr(fit, "_na_index", None)
    # a set in pyfixest >= 0.50, an array before: compare by length, not truth value
    if na is not None and len(na):
        used[np.fromiter(na, dtype=np.int64, count=len(na))] = False
    return used


def did_twfe(data: pd.DataFrame, outcome: str, *, alpha: float = 0.05) -> dict[str, Any]:
    """Two-way fixed effects DiD of ``outcome`` on ``treated``, clustered by firm.

    ``data`` needs ``firm, year, member, treated`` and the outcome.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> firm = np.repeat(np.arange(200), 6); year = np.tile(np.arange(6), 200)
    >>> member = firm < 60; treated = (member & (year >= 3)).astype("int64")
    >>> y = 0.01 * firm + 0.1 * year + 0.5 * treated + rng.normal(0, 0.1, firm.size)
    >>> d = pd.DataFrame(dict(firm=firm, year=year, member=member, treated=treated, y=y))
    >>> round(did_twfe(d, "y")["estimate"], 1)
    0.5
    """
    # only the columns the model needs reach pyfixest (it copies its input)
    data = data[["firm", "year", "member", "treated", outcome]].reset_index(drop=True)
    fit = _quiet_feols(f"{outcome} ~ treated | firm + year", data, vcov={"CRV1": "firm"})
    return _row(fit, "treated", alpha, data)


def did_staggered(
    data: pd.DataFrame,
    outcome: str,
    *,
    window: tuple[int, int] = (5, 5),
    alpha: float = 0.05,
) -> tuple[dict[str, Any], pd.DataFrame, dict[str, Any]]:
    """Interaction-weighted DiD robust to staggered entry, with an event study.

    The estimator of Sun and Abraham (2021): one regression with firm and year
    fixed effects and a dummy for every entry cohort x event time cell
    (``event_time = year - entry_year``, reference ``-1``; firms that never
    joined are the controls), fitted by ``pyfixest.feols`` with standard
    errors clustered by firm. Cell effects are then averaged with the cell's
    share of observations, so that effects that differ between cohorts or
    grow over time do not contaminate each other as they do in a single
    two-way fixed effects coefficient.

    Parameters
    ----------
    data : DataFrame
        ``firm, year, member, entry_year, rel_time`` and the outcome;
        never-members carry ``entry_year = 0`` and ``rel_time = -1``.
    outcome : str
    window : (int, int), default (5, 5)
        Leads and lags shown; event times beyond are binned into the end
        points (``-5`` means "5 or more years before entry").
    alpha : float
        1 - confidence level of the intervals.

    Returns
    -------
    att : dict
        Average effect on the treated firm-years (cells with event time >= 0
        weighted by their number of observations): estimate, standard error,
        interval, p-value and counts.
    event : DataFrame
        ``rel_time, estimate, std_error, ci_low, ci_high`` per event time
        (cohort cells weighted by observations); ``rel_time = -1`` is the
        reference (0 by construction).
        The event-time table also has ``n_members``: member firms observed at
        that event time.
    pretrend : dict
        ``statistic`` (Wald), ``df``, ``p_value`` of the joint test that all
        leads (event times ``<= -2``) are zero, from ``F(df, G - 1)`` with
        ``G`` the member firms observed in a lead year; ``min_members`` is
        the fewest member firms behind one lead. With few firms per event
        time, cluster-robust standard errors are too small and the test
        rejects too often (see benchmarks/RESULTS.md for measured sizes).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> firm = np.repeat(np.arange(300), 8); year = np.tile(np.arange(8), 300)
    >>> member = firm < 100; entry = np.where(member, 3 + firm % 3, 0)
    >>> treated = (member & (year >= entry)).astype("int64")
    >>> rel = np.where(member, year - entry, -1)
    >>> y = 0.01 * firm + 0.1 * year + 0.5 * treated + rng.normal(0, 0.1, firm.size)
    >>> d = pd.DataFrame(dict(firm=firm, year=year, member=member, treated=treated,
    ...                       entry_year=entry, rel_time=rel, y=y))
    >>> att, event, pre = did_staggered(d, "y", window=(3, 3))
    >>> round(att["estimate"], 1), bool(pre["p_value"] > 0.01)
    (0.5, True)
    """
    lo, hi = int(window[0]), int(window[1])
    cols = ["firm", "year", "member", "entry_year", "rel_time", outcome]
    d = data.loc[data[outcome].notna(), cols].reset_index(drop=True)
    event_time = d["rel_time"].to_numpy().clip(-lo, hi)
    cohort = d["entry_year"].to_numpy()
    in_cell = d["member"].to_numpy(dtype=bool) & (event_time != -1)
    rows = np.flatnonzero(in_cell)
    if rows.size == 0:
        raise InputError(
            f"outcome {outcome!r} has no member firm-year after entry: cannot estimate an effect"
        )
    cell_index = pd.MultiIndex.from_arrays([cohort[rows], event_time[rows]])
    codes, cells = pd.factorize(cell_index, sort=True)
    if not (cells.get_level_values(1) >= 0).any():
        raise InputError(
            f"outcome {outcome!r} has no member firm-year after entry: cannot estimate an effect"
        )
    names = [f"cell_{i}" for i in range(len(cells))]
    dummies = np.zeros((len(d), len(cells)), dtype=np.float64)
    dummies[rows, codes] = 1.0
    x = pd.concat(
        [d[["firm", "year", "member", outcome]], pd.DataFrame(dummies, columns=names)], axis=1
    )
    with warnings.catch_warnings():
        # cells that are collinear with the fixed effects are dropped by pyfixest
        warnings.filterwarnings("ignore", message=".*collinear.*")
        fit = _quiet_feols(
            f"{outcome} ~ {' + '.join(names)} | firm + year", x, vcov={"CRV1": "firm"}
        )
    kept = [int(str(n).removeprefix("cell_")) for n in fit._coefnames]
    beta = np.asarray(fit._beta_hat, dtype=float)
    vcov = np.asarray(fit._vcov, dtype=float)
    used = _used_mask(fit, len(d))
    n_cell = np.bincount(codes[used[rows]], minlength=len(cells))[kept].astype(float)
    cell_event = np.asarray(cells.get_level_values(1))[kept]
    crit = stats.norm.ppf(1 - alpha / 2)

    post = cell_event >= 0
    if not post.any() or n_cell[post].sum() == 0:
        raise InputError(
            f"outcome {outcome!r} has no member firm-year after entry with a comparison: "
            "cannot estimate an effect"
        )
    r_att = np.where(post, n_cell, 0.0) / n_cell[post].sum()
    est_att = float(r_att @ beta)
    se_att = float(np.sqrt(r_att @ vcov @ r_att))
    used_rows = x.loc[used]
    att = {
        "estimate": est_att,
        "std_error": se_att,
        "ci_low": est_att - crit * se_att,
        "ci_high": est_att + crit * se_att,
        "p_value": float(2 * stats.norm.sf(abs(est_att / se_att))) if se_att > 0 else np.nan,
        "n_obs": int(fit._N),
        "n_firms": int(used_rows["firm"].nunique()),
        "n_members": int(used_rows.loc[used_rows["member"], "firm"].nunique()),
    }

    times = np.unique(cell_event)
    weights = np.zeros((times.size, beta.size))
    for i, e in enumerate(times):  # loop over event times (a handful)
        sel = cell_event == e
        weights[i, sel] = n_cell[sel] / n_cell[sel].sum()
    est = weights @ beta
    cov = weights @ vcov @ weights.T
    se = np.sqrt(np.diag(cov))
    event = pd.DataFrame(
        {
            "rel_time": np.append(times, -1),
            "estimate": np.append(est, 0.0),
            "std_error": np.append(se, 0.0),
            "ci_low": np.append(est - crit * se, 0.0),
            "ci_high": np.append(est + crit * se, 0.0),
        }
    )
    event = event.sort_values("rel_time").reset_index(drop=True)
    # member firms behind each event time (few firms: cluster-robust SEs too small)
    member_rows = used[rows]
    on = d["member"].to_numpy(dtype=bool) & used
    firms_at = (
        pd.DataFrame({"e": event_time[on], "f": d["firm"].to_numpy()[on]})
        .groupby("e")["f"]
        .nunique()
    )
    event["n_members"] = event["rel_time"].map(firms_at).fillna(0).astype(int)
    leads = np.flatnonzero(times <= -2)
    pretrend: dict[str, Any] = {"statistic": np.nan, "df": 0, "p_value": np.nan, "min_members": 0}
    if leads.size:
        lead_members = d.loc[rows[member_rows & (event_time[rows] <= -2)], "firm"].nunique()
        pretrend = wald_zero(est[leads], cov[np.ix_(leads, leads)], clusters=int(lead_members))
        pretrend["min_members"] = int(firms_at.reindex(times[leads]).fillna(0).min())
    return att, event, pretrend


def wald_zero(beta: np.ndarray, vcov: np.ndarray, *, clusters: int | None = None) -> dict[str, Any]:
    """Wald test that all of ``beta`` are zero.

    ``W = b' V^-1 b``. Without ``clusters`` the p-value is from chi2(k); with
    the number of clusters ``G`` identifying ``beta`` it is from
    ``F(k, G - 1)`` applied to ``W / k``, the usual small-sample version for
    cluster-robust covariances (more conservative when ``G`` is small).

    Examples
    --------
    >>> out = wald_zero(np.array([1.0, 1.0]), np.eye(2))
    >>> out["statistic"], out["df"], round(out["p_value"], 4)
    (2.0, 2, 0.3679)
    >>> round(wald_zero(np.array([1.0, 1.0]), np.eye(2), clusters=11)["p_value"], 4)
    0.4019
    """
    beta = np.asarray(beta, dtype=float)
    stat = float(beta @ np.linalg.pinv(vcov) @ beta)
    k = int(beta.size)
    if clusters is not None and clusters > 1:
        p = float(stats.f.sf(stat / k, k, clusters - 1))
    else:
        p = float(stats.chi2.sf(stat, k))
    return {"statistic": stat, "df": k, "p_value": p}


def naive(data: pd.DataFrame, outcome: str, *, alpha: float = 0.05) -> dict[str, Any]:
    """Members vs non-members in the programme years (year effects only).

    Uses the years from the first entry on; ``member`` is "ever joined".
    This is the comparison a programme report makes when it counts how
    member firms perform; it mixes the programme's effect with whatever made
    firms join.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> firm = np.repeat(np.arange(100), 4); year = np.tile(np.arange(4), 100)
    >>> member = firm < 50; entry = np.where(member, 2, 0)
    >>> treated = (member & (year >= entry)).astype("int64")
    >>> y = 1.0 * member + np.random.default_rng(1).normal(0, 0.1, firm.size)
    >>> d = pd.DataFrame(dict(firm=firm, year=year, member=member, treated=treated,
    ...                       entry_year=entry, y=y))
    >>> round(naive(d, "y")["estimate"], 1)
    1.0
    """
    first = data.loc[data["member"], "entry_year"].min()
    d = data.loc[data["year"] >= first, ["firm", "year", "member", outcome]]
    d = d.reset_index(drop=True)
    d = d.assign(member_int=d["member"].astype("int64"))
    fit = _quiet_feols(f"{outcome} ~ member_int | year", d, vcov={"CRV1": "firm"})
    return _row(fit, "member_int", alpha, d)


def productivity_regression(
    data: pd.DataFrame,
    outcome: str,
    *,
    regressors: Sequence[str],
    fixed_effects: str,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """OLS with fixed effects of ``outcome`` on ``regressors``, clustered by firm.

    Non-numeric regressors enter as categories (``C(name)``). Returns one row
    per coefficient: ``term, estimate, std_error, ci_low, ci_high, p_value,
    n_obs``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> n = 400; firm = np.arange(n); year = np.tile([0, 1], n // 2)
    >>> lq = rng.uniform(0.5, 2, n); rd = rng.integers(0, 2, n)
    >>> y = 0.3 * lq + 0.2 * rd + rng.normal(0, 0.05, n)
    >>> d = pd.DataFrame(dict(firm=firm, year=year, lq=lq, rd=rd, y=y))
    >>> out = productivity_regression(d, "y", regressors=["lq", "rd"], fixed_effects="year")
    >>> out["estimate"].round(1).tolist()
    [0.3, 0.2]
    """
    terms = []
    for r in regressors:
        col = data[r]
        numeric = pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)
        terms.append(r if numeric else f"C({r})")
    d = data.reset_index(drop=True)
    bools = [r for r in regressors if pd.api.types.is_bool_dtype(d[r])]
    if bools:
        d = d.astype({r: "int64" for r in bools})
    fml = f"{outcome} ~ {' + '.join(terms)}"
    if fixed_effects.strip():
        fml += f" | {fixed_effects}"
    fit = _quiet_feols(fml, d, vcov={"CRV1": "firm"})
    tidy = fit.tidy().rename(columns=_TIDY)
    crit = stats.norm.ppf(1 - alpha / 2)
    out = pd.DataFrame(
        {
            "term": [str(t) for t in tidy.index],
            "estimate": tidy["estimate"].to_numpy(dtype=float),
            "std_error": tidy["std_error"].to_numpy(dtype=float),
        }
    )
    out["ci_low"] = out["estimate"] - crit * out["std_error"]
    out["ci_high"] = out["estimate"] + crit * out["std_error"]
    out["p_value"] = 2 * stats.norm.sf(np.abs(out["estimate"] / out["std_error"]))
    out["n_obs"] = int(fit._N)
    return out

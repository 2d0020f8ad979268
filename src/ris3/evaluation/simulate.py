"""A realistic firm-year panel with a known programme effect.

Firm registers are confidential, so ris3 checks its evaluation methods on
simulated panels whose true effect is known. The simulator reproduces the
features that make programme evaluation hard: skewed firm sizes, industry and
region differences, persistent (autocorrelated) productivity, selection of
firms into the programme on size, productivity or growth, staggered entry,
and firms that enter and leave the register.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from ris3._validation import check_number, check_option
from ris3.errors import InputError

__all__ = ["simulate_panel", "SELECTIONS"]

Selection = Literal["none", "size", "productivity"]
SELECTIONS: tuple[str, ...] = ("none", "size", "productivity")


def simulate_panel(
    n_firms: int = 2000,
    n_years: int = 10,
    *,
    n_regions: int = 6,
    n_activities: int = 8,
    programme_regions: int = 1,
    first_year: int = 2010,
    effect: float = 0.10,
    effect_growth: float = 0.0,
    employment_effect: float = 0.0,
    membership_rate: float = 0.3,
    selection: Selection = "size",
    pretrend: float = 0.0,
    attrition: float = 0.03,
    births: float = 0.25,
    seed: int | np.random.Generator | None = None,
) -> pd.DataFrame:
    """Simulate a firm-year panel with a cluster programme and a planted effect.

    Model, for firm ``i`` in region ``r``, activity ``a`` and year ``t``::

        log productivity = alpha_i + industry_a + region_r + year_t
                           + pretrend * member_i * (t - t0) + u_it + tau_it
        u_it = 0.7 u_i,t-1 + e_it                       (persistent shocks)
        tau_it = effect + effect_growth * (t - entry_i)   for t >= entry_i
        log employment = log size_i + employment_effect * D_it + noise
        value added = employment * productivity

    Sizes are log-normal (a few large firms, many micro firms). Only firms in
    the first ``programme_regions`` regions and in the first half of the
    activities (the programme's industries) can join; among them membership
    depends on ``selection``. Members join in staggered years between the
    third year and the second-to-last year of the panel. Firms are born into
    the register over time and leave it with yearly probability
    ``attrition``, so the panel is unbalanced.

    Parameters
    ----------
    n_firms, n_years : int
        Number of firms ever observed and of years.
    n_regions, n_activities : int
        Number of regions (``"R01"``...) and activities (``"A01"``...).
    programme_regions : int, default 1
        How many regions run the programme (``"R01"``, ``"R02"``...); the
        others are candidates for peer regions.
    first_year : int, default 2010
    effect : float, default 0.10
        Planted effect of membership on log value added (and log turnover) in
        the entry year; ``0.10`` is about +10.5 %.
    effect_growth : float, default 0.0
        Extra effect per year since entry (heterogeneous, dynamic effects).
    employment_effect : float, default 0.0
        Planted effect on log employment.
    membership_rate : float, default 0.3
        Approximate share of eligible firms that join.
    selection : {"none", "size", "productivity"}, default "size"
        What makes eligible firms more likely to join: nothing, their size,
        or their persistent productivity level. Both of the latter bias a
        naive member vs non-member comparison but not a difference in
        differences.
    pretrend : float, default 0.0
        Extra yearly growth of members' log productivity over the whole
        panel (before and after entry): diverging pre-trends that a
        difference in differences cannot remove.
    attrition : float, default 0.03
        Yearly probability that a firm leaves the register.
    births : float, default 0.25
        Share of firms that enter the register after the first year (in a
        uniformly drawn year). ``attrition=0, births=0`` gives a balanced panel.
    seed : int or numpy Generator, optional

    Returns
    -------
    DataFrame
        One row per firm-year: ``firm_id, region, activity, year,
        entry_year`` (nullable integer, missing for non-members),
        ``value_added, employment, wages, turnover, profit, exports`` (money
        in thousand EUR; profit can be negative, exports zero), controls
        ``age, size_class, legal_form``, policy-target variables ``rd``
        (R&D spending, 0/1) and ``certified`` (0/1), and ``true_effect``:
        the planted effect on log value added in that row (0 when untreated).

    Examples
    --------
    >>> panel = simulate_panel(200, 6, seed=1)
    >>> sorted(panel.columns[:5])
    ['activity', 'entry_year', 'firm_id', 'region', 'year']
    >>> bool((panel["true_effect"] > 0).any())
    True
    >>> bool(panel.duplicated(["firm_id", "year"]).any())
    False
    """
    check_number("n_firms", n_firms, low=2, integer=True)
    check_number("n_years", n_years, low=4, integer=True)
    check_number("n_regions", n_regions, low=2, integer=True)
    check_number("n_activities", n_activities, low=2, integer=True)
    check_number("programme_regions", programme_regions, low=1, integer=True)
    if programme_regions >= n_regions:
        raise InputError(
            f"programme_regions must be < n_regions ({n_regions}) so that regions "
            f"without a programme exist; got {programme_regions}"
        )
    check_number("first_year", first_year, integer=True)
    for name, value in (
        ("effect", effect),
        ("effect_growth", effect_growth),
        ("employment_effect", employment_effect),
        ("pretrend", pretrend),
    ):
        check_number(name, value)
    check_number("membership_rate", membership_rate, low=0, high=1, low_inclusive=False)
    check_number("attrition", attrition, low=0, high=1, high_inclusive=False)
    check_number("births", births, low=0, high=1)
    check_option("selection", selection, SELECTIONS)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n, t_n = int(n_firms), int(n_years)

    # firm attributes (all vectorised over firms)
    region_weight = rng.dirichlet(np.full(n_regions, 3.0))
    region = rng.choice(n_regions, size=n, p=region_weight)
    activity = rng.choice(n_activities, size=n, p=rng.dirichlet(np.full(n_activities, 2.0)))
    log_size = rng.normal(1.3, 1.25, size=n)  # median ~4 employees, long right tail
    alpha = 0.25 * (log_size - 1.3) / 1.25 + rng.normal(0.0, 0.3, size=n)
    industry_fx = rng.normal(3.6, 0.25, size=n_activities)  # log VA per employee, kEUR
    region_fx = rng.normal(0.0, 0.12, size=n_regions)
    va_share = rng.uniform(0.22, 0.45, size=n_activities)  # value added / turnover
    wage_share = rng.uniform(0.5, 0.7, size=n_activities)  # wages / value added

    eligible = (region < programme_regions) & (activity < max(1, n_activities // 2))
    if selection == "size":
        score = 1.2 * (log_size - log_size.mean()) / log_size.std()
    elif selection == "productivity":
        score = 1.2 * (alpha - alpha.mean()) / alpha.std()
    else:
        score = np.zeros(n)
    # intercept chosen so that about membership_rate of eligible firms join
    intercept = np.log(membership_rate / (1 - membership_rate))
    member = eligible & (rng.random(n) < 1 / (1 + np.exp(-(intercept + score))))
    entry_offset = np.where(member, rng.integers(2, t_n - 1, size=n), -1)

    # observation window: births spread over the panel, exits at rate `attrition`
    birth = np.where(rng.random(n) < births, rng.integers(1, t_n, size=n), 0)
    life = rng.geometric(attrition, size=n) if attrition > 0 else np.full(n, t_n)
    death = np.minimum(birth + life, t_n)  # exclusive

    # firm-year grid (only observed years)
    n_obs = death - birth
    firm_idx = np.repeat(np.arange(n), n_obs)
    start = np.repeat(np.cumsum(n_obs) - n_obs, n_obs)
    t_idx = birth[firm_idx] + (np.arange(firm_idx.size) - start)

    # persistent shocks: AR(1) simulated on the full grid, then observed rows taken
    rho, sd = 0.7, 0.10
    shocks = rng.normal(0.0, sd, size=(n, t_n))
    u = np.empty((n, t_n))
    u[:, 0] = shocks[:, 0] / np.sqrt(1 - rho**2)
    for t in range(1, t_n):  # loop over years only
        u[:, t] = rho * u[:, t - 1] + shocks[:, t]
    year_fx = np.cumsum(rng.normal(0.02, 0.03, size=t_n))

    a_i, r_i = activity[firm_idx], region[firm_idx]
    rel = t_idx - entry_offset[firm_idx]
    treated = member[firm_idx] & (rel >= 0)
    tau = np.where(treated, effect + effect_growth * rel, 0.0)
    log_prod = (
        alpha[firm_idx]
        + industry_fx[a_i]
        + region_fx[r_i]
        + year_fx[t_idx]
        + pretrend * member[firm_idx] * (t_idx - (t_n - 1) / 2)
        + u[firm_idx, t_idx]
        + tau
    )
    emp_noise = rng.normal(0.0, 0.08, size=firm_idx.size)
    employment = np.maximum(
        1.0,
        np.round(np.exp(log_size[firm_idx] + employment_effect * treated + emp_noise)),
    )
    value_added = employment * np.exp(log_prod)
    wages = value_added * wage_share[a_i] * np.exp(rng.normal(0.0, 0.05, size=firm_idx.size))
    wages *= np.exp(-0.5 * (tau + u[firm_idx, t_idx]))  # wages follow shocks only partly
    turnover = value_added / va_share[a_i] * np.exp(rng.normal(0.0, 0.05, size=firm_idx.size))
    depreciation = 0.08 * turnover * np.exp(rng.normal(0.0, 0.3, size=firm_idx.size))
    profit = value_added - wages - depreciation
    exporter = rng.random(n) < 0.15 + 0.3 * (log_size > 2.5)
    exports = np.where(exporter[firm_idx], turnover * rng.uniform(0.1, 0.6, size=n)[firm_idx], 0.0)

    age0 = rng.exponential(12.0, size=n).astype(int)
    age = np.where(birth[firm_idx] > 0, t_idx - birth[firm_idx], age0[firm_idx] + t_idx)
    size_class = np.select(
        [employment < 10, employment < 50, employment < 250],
        ["micro", "small", "medium"],
        "large",
    )
    legal_form = np.where(
        rng.random(n) < 0.2 + 0.15 * (log_size > 2),
        "plc",
        np.where(rng.random(n) < 0.5, "ltd", "sole"),
    )[firm_idx]
    rd = (rng.random(firm_idx.size) < 0.1 + 0.1 * treated + 0.1 * (employment > 50)).astype(np.int8)
    certified = (rng.random(n) < 0.2)[firm_idx].astype(np.int8)

    entry_year = pd.array(np.where(member, first_year + entry_offset, 0)[firm_idx], dtype="Int64")
    entry_year[~member[firm_idx]] = pd.NA
    width_r = len(str(n_regions))
    width_a = len(str(n_activities))
    region_labels = np.array([f"R{i + 1:0{max(2, width_r)}d}" for i in range(n_regions)])
    activity_labels = np.array([f"A{i + 1:0{max(2, width_a)}d}" for i in range(n_activities)])
    return pd.DataFrame(
        {
            "firm_id": firm_idx + 1,
            "region": region_labels[r_i],
            "activity": activity_labels[a_i],
            "year": first_year + t_idx,
            "entry_year": entry_year,
            "value_added": value_added,
            "employment": employment,
            "wages": wages,
            "turnover": turnover,
            "profit": profit,
            "exports": exports,
            "age": age,
            "size_class": size_class,
            "legal_form": legal_form,
            "rd": rd,
            "certified": certified,
            "true_effect": tau,
        }
    )

"""Every write of the monitoring part: one transaction, one audit record each.

The computations are :mod:`ris3.strategy.monitoring` (checks of imported
observations) and :func:`ris3.strategy.domain_observations` (the computed
indicators); this module stores what they return.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd
from django.db import transaction

from ris3.errors import InputError
from ris3.workspace.analysis import table_to_json

#: the lifecycle states in which a domain is one of the strategy's priorities
from ris3.workspace.models import (
    PRIORITY_STATUSES,
    Domain,
    Evidence,
    Strategy,
)
from ris3.workspace.monitoring.models import (
    Evaluation,
    Indicator,
    Objective,
    Observation,
    Target,
)
from ris3.workspace.policy.models import Instrument
from ris3.workspace.services import audit, snapshot

#: what the computed indicators are called, their unit and definition
MEASURES: dict[str, tuple[str, str, str]] = {
    "employment": (
        "employment",
        "persons employed",
        "Persons employed in the domain's activities in the region (sum of the activities' "
        "cells; missing when one of them is confidential or absent).",
    ),
    "lq": (
        "location quotient",
        "ratio",
        "The domain's share of the region's employment divided by its share of the employment "
        "of all regions in the data (ris3.map_clusters).",
    ),
    "stars": (
        "cluster stars",
        "stars (0-3)",
        "European Cluster Observatory stars of the domain in the region: size, specialisation "
        "and focus (ris3.cluster_stars).",
    ),
}
DATA_SOURCE = "Eurostat structural business statistics (sbs_r_nuts06_r2), computed by ris3"


def _user(user: Any) -> Any:
    return user if user is not None and user.is_authenticated else None


def _same_strategy(strategy: Strategy, *objs: Any) -> None:
    for obj in objs:
        if obj is not None and obj.strategy_id != strategy.pk:
            raise InputError(f"{type(obj).__name__} {obj.pk} belongs to another strategy")


def as_date(value: Any) -> date:
    """Return a date from a date, a ``YYYY-MM-DD`` text or a whole year (1 January of the year).

    Examples
    --------
    >>> as_date(2024), as_date("2023-06-30"), as_date(2022.0)
    (datetime.date(2024, 1, 1), datetime.date(2023, 6, 30), datetime.date(2022, 1, 1))
    """
    if isinstance(value, datetime):  # also a pandas Timestamp (an Excel date cell)
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise InputError(f"date must be a date or a year; got {value!r}")
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        if math.isnan(number) or number != int(number):
            raise InputError(f"date must be a date or a whole year; got {value!r}")
        return date(int(number), 1, 1)
    try:
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            raise ValueError
    except (ValueError, TypeError):
        raise InputError(f"date must be a date or a year; got {value!r}") from None
    return ts.date()


def add_objective(
    user: Any,
    strategy: Strategy,
    *,
    domain: Domain,
    text: str,
    instruments: list[Instrument] | tuple[Instrument, ...] = (),
    illustrative: bool = False,
) -> Objective:
    """Add an objective to a priority's intervention logic, with the instruments that serve it."""
    _same_strategy(strategy, domain, *instruments)
    with transaction.atomic():
        obj = Objective(strategy=strategy, domain=domain, text=text, illustrative=illustrative)
        obj.full_clean()
        obj.save()
        obj.instruments.set(instruments)
        audit(user, "create", obj, strategy=strategy, after=snapshot(obj))
    return obj


def add_indicator(
    user: Any,
    strategy: Strategy,
    *,
    targets: list[tuple[int, float]] | tuple[tuple[int, float], ...] = (),
    **fields: Any,
) -> Indicator:
    """Define an indicator of a priority (with its targets, ``(year, value)`` pairs)."""
    _same_strategy(
        strategy, fields.get("domain"), fields.get("objective"), fields.get("instrument")
    )
    objective = fields.get("objective")
    if objective is not None and objective.domain_id != fields["domain"].pk:
        raise InputError("the objective belongs to another priority than the indicator")
    with transaction.atomic():
        ind = Indicator(strategy=strategy, **fields)
        ind.full_clean()
        ind.save()
        for year, value in targets:
            Target.objects.create(indicator=ind, year=int(year), value=float(value))
        after = snapshot(ind)
        after["targets"] = [[int(y), float(v)] for y, v in targets]
        audit(user, "create", ind, strategy=strategy, after=after)
    return ind


def set_target(user: Any, indicator: Indicator, *, year: int, value: float) -> Target:
    """Set (or replace) the indicator's target for a year."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InputError("a target needs a value")
    with transaction.atomic():
        before = Target.objects.filter(indicator=indicator, year=year).first()
        t, _ = Target.objects.update_or_create(
            indicator=indicator, year=year, defaults={"value": float(value)}
        )
        audit(
            user,
            "target",
            t,
            strategy=indicator.strategy,
            before=snapshot(before) if before else None,
            after=snapshot(t),
        )
    return t


def add_observation(
    user: Any,
    indicator: Indicator,
    *,
    when: Any,
    value: float,
    note: str = "",
    provenance: str = "entered",
    illustrative: bool = False,
) -> Observation:
    """Record one observed value of an indicator (entered by hand unless said otherwise)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InputError("an entered observation needs a value")
    with transaction.atomic():
        o = Observation(
            indicator=indicator,
            date=as_date(when),
            value=float(value),
            provenance=provenance,
            note=note,
            illustrative=illustrative,
            recorded_by=_user(user),
        )
        o.full_clean()
        o.save()
        audit(user, "create", o, strategy=indicator.strategy, after=snapshot(o))
    return o


def import_observations(
    user: Any, strategy: Strategy, table: pd.DataFrame, *, illustrative: bool = False
) -> tuple[int, pd.DataFrame]:
    """Store the accepted rows of an observation table (provenance "imported").

    Rows are checked by :func:`ris3.strategy.check_observations` against the
    strategy's indicator names; rejected rows (with reasons) are returned and
    nothing is stored for them. Returns ``(observations stored, rejected)``.
    """
    from ris3.strategy import check_observations

    by_name = {i.name: i for i in strategy.indicators.all()}
    accepted, rejected = check_observations(table, list(by_name))
    created: list[int] = []
    with transaction.atomic():
        for rec in accepted.to_dict("records"):
            o = Observation.objects.create(
                indicator=by_name[rec["indicator"]],
                date=as_date(rec["date"]),
                value=rec["value"],
                provenance="imported",
                note=rec["note"],
                illustrative=illustrative,
                recorded_by=_user(user),
            )
            created.append(o.pk)
        audit(
            user,
            "import",
            strategy,
            strategy=strategy,
            after={"observations": created, "rejected": len(rejected)},
        )
    return len(created), rejected


def priority_domains(strategy: Strategy) -> list[Domain]:
    """Return the strategy's priorities: domains selected, active or under review."""
    return list(strategy.domains.filter(status__in=PRIORITY_STATUSES).order_by("title", "id"))


def run_computed(
    user: Any,
    strategy: Strategy,
    *,
    year: int | None = None,
    data: pd.DataFrame | None = None,
    data_label: str | None = None,
) -> Evidence:
    """Compute employment, LQ and stars of every priority domain and store them.

    Runs :func:`ris3.strategy.domain_observations` on the bundled Eurostat
    data (``eu-sbs`` regions table; or ``data`` with the same columns) for
    ``year`` (default: the latest year of the data) and the strategy's
    region. The run is stored as :class:`~ris3.workspace.models.Evidence`
    with its parameters and data version; each domain gets three computed
    context indicators (created on the first run; their baseline is the
    first run's value) and one observation per year, replaced when the same
    year is computed again. A missing value (a confidential cell) is stored
    as missing, with the note naming the cells.
    """
    from ris3.strategy import domain_activities, domain_observations

    priorities = priority_domains(strategy)
    if not priorities:
        raise InputError(
            "the strategy has no priority domains (status selected, active or under review): "
            "computed indicators are computed for priorities only"
        )
    if data is None:
        from ris3 import datasets

        data = datasets.load("eu-sbs")
        source = datasets.info("eu-sbs")["source"]
        label = None
    else:
        source = data_label or "uploaded table"
        label = data_label
    if year is None:
        year = int(pd.to_numeric(data["year"]).max())
    # the same labels as the scorecard's priorities (a repeated title gets its id)
    everything = list(strategy.domains.all())
    names = {d.pk: _label(d, everything) for d in priorities}
    dom = domain_activities({names[d.pk]: d.codes for d in priorities})
    obs, ev = domain_observations(
        data,
        dom,
        region="geo",
        activity="nace_r2",
        value="persons_employed",
        time="year",
        year=year,
        target=strategy.region_code,
    )
    parameters = {
        **ev["parameters"],
        "dataset": "eu-sbs" if label is None else label,
        "ris3_version": ev["ris3_version"],
    }
    notes = [f"{r['indicator']}: {r['note']}" for r in obs.to_dict("records") if r["note"]]
    notes.append(
        f"{ev['missing_cells_left_out']} missing or confidential cells of the data year were "
        "left out of the reference sums"
    )
    when = date(int(year), 1, 1)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            strategy=strategy,
            function=ev["function"],
            parameters=parameters,
            data_version=f"{source} ({year})",
            tables={"observations": table_to_json(obs)},
            notes=notes,
            created_by=_user(user),
        )
        stored = []
        for d in priorities:
            for measure, (what, unit, definition) in MEASURES.items():
                row = obs[obs["indicator"] == f"{names[d.pk]}:{measure}"].iloc[0]
                value = None if pd.isna(row["value"]) else float(row["value"])
                ind = Indicator.objects.filter(strategy=strategy, domain=d, measure=measure).first()
                if ind is None:
                    ind = Indicator.objects.create(
                        strategy=strategy,
                        domain=d,
                        name=f"{names[d.pk]}: {what} (computed)",
                        kind="context",
                        definition=definition,
                        unit=unit,
                        source=DATA_SOURCE,
                        measure=measure,
                        baseline_year=int(year) if value is not None else None,
                        baseline_value=value,
                    )
                o, _ = Observation.objects.update_or_create(
                    indicator=ind,
                    date=when,
                    provenance="computed",
                    defaults={
                        "value": value,
                        "evidence": evidence,
                        "note": row["note"],
                        "recorded_by": _user(user),
                    },
                )
                stored.append(o.pk)
        audit(
            user,
            "compute",
            evidence,
            strategy=strategy,
            after={
                "function": ev["function"],
                "parameters": parameters,
                "data_version": evidence.data_version,
                "observations": stored,
            },
        )
    return evidence


def _label(domain: Domain, domains: list[Domain]) -> str:
    same = sum(1 for d in domains if d.title == domain.title)
    return domain.title if same == 1 else f"{domain.title} ({domain.pk})"


def attach_evaluation(
    user: Any,
    instrument: Instrument,
    result: Any,
    *,
    title: str,
    parameters: dict[str, Any],
    data_version: str,
    warnings: list[str] | tuple[str, ...] = (),
    illustrative: bool = False,
) -> Evaluation:
    """Store a :class:`ris3.EvaluationResult` with its parameters, attached to an instrument.

    The stored tables are the result's ``tidy()`` effect table, its
    ``verdict()`` per outcome and the ``warnings`` the run gave.
    """
    tables = {
        "effects": table_to_json(result.tidy()),
        "verdict": table_to_json(result.verdict()),
        "warnings": {"columns": ["warning"], "data": [[str(w)] for w in warnings]},
    }
    with transaction.atomic():
        e = Evaluation.objects.create(
            strategy=instrument.strategy,
            instrument=instrument,
            title=title,
            parameters=parameters,
            data_version=data_version,
            tables=tables,
            illustrative=illustrative,
            created_by=_user(user),
        )
        audit(
            user,
            "create",
            e,
            strategy=instrument.strategy,
            after={"instrument": instrument.pk, "title": title, "parameters": parameters},
        )
    return e


def run_evaluation(
    user: Any,
    instrument: Instrument,
    panel: pd.DataFrame,
    *,
    title: str,
    parameters: dict[str, Any],
    data_version: str,
    illustrative: bool = False,
) -> Evaluation:
    """Run :func:`ris3.evaluate_programme` with ``parameters`` and attach the result.

    Warnings of the run (e.g. few member firms behind an event-study lead)
    are stored with the evaluation.
    """
    import warnings as _warnings

    import ris3

    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        result = ris3.evaluate_programme(panel, **parameters)
    return attach_evaluation(
        user,
        instrument,
        result,
        title=title,
        parameters=parameters,
        data_version=data_version,
        warnings=[str(w.message) for w in caught],
        illustrative=illustrative,
    )

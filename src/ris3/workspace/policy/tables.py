"""The instrument register of a strategy as the tidy tables of :mod:`ris3.strategy`.

This module only turns database rows into tables and back; every number is
computed by :mod:`ris3.strategy` (see :mod:`ris3.workspace.policy.analysis`).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import pandas as pd

#: domain statuses that make a domain a priority the policy mix must serve
#: (a candidate is not yet one; a retired one no longer is)
from ris3.workspace.models import PRIORITY_STATUSES as ACTIVE_STATUSES
from ris3.workspace.models import Domain, Strategy
from ris3.workspace.policy.models import Instrument, InstrumentBudget, InstrumentFunding

REGISTER_COLUMNS = [
    "instrument",
    "owner",
    "level",
    "tool_group",
    "orientation",
    "territory",
    "eligible_beyond",
    "target_groups",
    "priorities",
    "decision",
    "rationale",
    "exit_benchmark",
    "illustrative",
]


@lru_cache(maxsize=1)
def known_nuts() -> frozenset[str]:
    """Return the codes of the bundled NUTS 2021 classification."""
    from ris3.strategy import nuts_codes

    return nuts_codes()


def domain_label(domain: Domain) -> str:
    """How a priority is named in the register tables: its title and codes."""
    return f"{domain.title} ({domain.codes})"


def domains(strategy: Strategy) -> list[Domain]:
    """Return the strategy's domains that are not retired, priorities first."""
    rows = list(strategy.domains.exclude(status="retired"))
    return sorted(rows, key=lambda d: (d.status not in ACTIVE_STATUSES, d.title))


def _decision(value: str) -> Any:
    return value or None


def register(strategy: Strategy) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the strategy's instruments, budgets and funding as three tidy tables.

    ``priorities`` hold :func:`domain_label` of each domain served; an
    undecided instrument has a missing ``decision``.
    """
    instruments = (
        Instrument.objects.filter(strategy=strategy)
        .prefetch_related("priorities")
        .order_by("name", "pk")
    )
    rows = [
        {
            "instrument": i.name,
            "owner": i.owner_body,
            "level": i.level,
            "tool_group": i.tool_group,
            "orientation": i.orientation,
            "territory": i.territory,
            "eligible_beyond": i.eligible_beyond,
            "target_groups": i.target_groups,
            "priorities": tuple(domain_label(d) for d in i.priorities.all()),
            "decision": _decision(i.decision),
            "rationale": i.rationale,
            "exit_benchmark": i.exit_benchmark,
            "illustrative": i.illustrative,
        }
        for i in instruments
    ]
    ins = pd.DataFrame(rows, columns=REGISTER_COLUMNS)
    # budgets and funding of the instruments read above, named as read there: an
    # instrument registered (or renamed) between these queries is not half in the tables
    names = {i.pk: i.name for i in instruments}
    bud = pd.DataFrame(
        [
            (names[iid], int(year), float(eur))
            for iid, year, eur in InstrumentBudget.objects.filter(instrument__strategy=strategy)
            .order_by("instrument__name", "year")
            .values_list("instrument_id", "year", "budget_eur")
            if iid in names
        ],
        columns=["instrument", "year", "budget_eur"],
    )
    fund = pd.DataFrame(
        [
            (names[iid], source, float(share))
            for iid, source, share in InstrumentFunding.objects.filter(
                instrument__strategy=strategy
            )
            .order_by("instrument__name", "source")
            .values_list("instrument_id", "source", "share")
            if iid in names
        ],
        columns=["instrument", "source", "share"],
    )
    return ins, bud, fund


def latest_specialisation(strategy: Strategy) -> tuple[pd.DataFrame | None, Any]:
    """Return the specialisation table of the latest profile evidence, and that evidence."""
    from ris3.workspace.analysis import table_from_json

    ev = strategy.evidence.filter(function="ris3.profile").order_by("-created_at", "-id").first()
    if ev is None or "specialisation" not in ev.tables:
        return None, ev
    return table_from_json(ev.tables["specialisation"]), ev


def priorities(strategy: Strategy) -> pd.DataFrame:
    """Every domain that is not retired, with its status, stage and stars.

    Columns ``priority``, ``domain_id``, ``status``, ``active`` (the status
    is one of :data:`ACTIVE_STATUSES`), ``codes``, ``stage``, ``stars`` and
    ``stage_reason`` (from :func:`ris3.strategy.priority_stages` on the latest
    profile evidence; missing without evidence).
    """
    from ris3.strategy import priority_stages

    ds = domains(strategy)
    table = pd.DataFrame(
        {
            "priority": [domain_label(d) for d in ds],
            "domain_id": [d.pk for d in ds],
            "status": [d.status for d in ds],
            "active": [d.status in ACTIVE_STATUSES for d in ds],
            "codes": [d.codes for d in ds],
        }
    )
    spec, _ = latest_specialisation(strategy)
    if spec is None or not len(table):
        table["stage"] = None
        table["stars"] = float("nan")
        table["stage_reason"] = "no profile evidence"
        return table
    st = priority_stages(table, spec)
    table["stage"] = st["stage"].to_numpy()
    table["stars"] = st["stars"].to_numpy()
    table["stage_reason"] = st["reason"].to_numpy()
    return table


def as_decimal(value: float) -> Decimal:
    """Return a float from a form or table as the exact decimal of its shortest text."""
    return Decimal(repr(float(value)))

"""Every write of the policy part: one transaction and one audit record each.

Instruments carry a version (optimistic locking as in
:func:`ris3.workspace.services.update`); their budgets and funding shares are
written with them and appear in the same audit record. Each instrument is
checked by :func:`ris3.strategy.check_instruments` (vocabularies, NUTS codes
of the bundled classification, budgets, funding shares summing to 1).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.db import transaction

from ris3.errors import InputError
from ris3.workspace.models import Domain, Strategy
from ris3.workspace.policy import tables
from ris3.workspace.policy.models import (
    Assessment,
    Instrument,
    InstrumentBudget,
    InstrumentFunding,
    RegionContext,
)
from ris3.workspace.services import EditConflict, audit, snapshot

FIELDS = (
    "name",
    "owner_body",
    "level",
    "tool_group",
    "orientation",
    "territory",
    "eligible_beyond",
    "target_groups",
    "decision",
    "rationale",
    "exit_benchmark",
)


def problems(
    fields: dict[str, Any],
    budgets: list[tuple[int, float]],
    funding: list[tuple[str, float]],
) -> list[str]:
    """Return what :func:`ris3.strategy.check_instruments` finds wrong with one instrument."""
    from ris3.strategy import check_instruments

    name = fields.get("name") or ""
    row = pd.DataFrame(
        [
            {
                "instrument": name,
                "owner": fields.get("owner_body"),
                "level": fields.get("level"),
                "tool_group": fields.get("tool_group"),
                "orientation": fields.get("orientation"),
                "territory": fields.get("territory"),
                "eligible_beyond": fields.get("eligible_beyond", ""),
                "target_groups": fields.get("target_groups"),
                "priorities": "",
                "decision": fields.get("decision") or "keep",
                "rationale": fields.get("rationale", ""),
            }
        ]
    )
    bud = pd.DataFrame(
        [(name, y, v) for y, v in budgets], columns=["instrument", "year", "budget_eur"]
    )
    fund = pd.DataFrame(
        [(name, s, v) for s, v in funding], columns=["instrument", "source", "share"]
    )
    _, rejected = check_instruments(
        row,
        budgets=bud,
        funding=fund if len(fund) else None,
        known_nuts=tables.known_nuts(),
    )
    if not len(rejected):
        return []
    return [r for r in str(rejected["reason"].iloc[0]).split("; ") if r]


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: fields.get(k, "") for k in FIELDS}
    for k in ("territory", "eligible_beyond"):
        out[k] = ";".join(c.strip().upper() for c in str(out[k] or "").split(";") if c.strip())
    out["target_groups"] = ";".join(
        c.strip() for c in str(out["target_groups"] or "").split(";") if c.strip()
    )
    out["decision"] = out["decision"] or ""
    return out


def _state(ins: Instrument) -> dict[str, Any]:
    data = snapshot(ins)
    data["budgets"] = [[b.year, str(b.budget_eur)] for b in ins.budgets.order_by("year")]
    data["funding"] = [[f.source, str(f.share)] for f in ins.funding.order_by("source")]
    return data


def _write_children(
    ins: Instrument, budgets: list[tuple[int, float]], funding: list[tuple[str, float]]
) -> None:
    ins.budgets.all().delete()
    ins.funding.all().delete()
    InstrumentBudget.objects.bulk_create(
        InstrumentBudget(instrument=ins, year=int(y), budget_eur=tables.as_decimal(v))
        for y, v in budgets
    )
    InstrumentFunding.objects.bulk_create(
        InstrumentFunding(instrument=ins, source=s, share=tables.as_decimal(v)) for s, v in funding
    )


def _check(
    strategy: Strategy,
    fields: dict[str, Any],
    priorities: list[Domain],
    budgets: list[tuple[int, float]],
    funding: list[tuple[str, float]],
    exclude: int | None = None,
) -> None:
    why = problems(fields, budgets, funding)
    same = Instrument.objects.filter(strategy=strategy, name=fields["name"]).exclude(pk=exclude)
    if same.exists():
        why.append(f"an instrument named {fields['name']!r} is in the register already")
    for d in priorities:
        if d.strategy_id != strategy.pk:
            why.append(f"domain {d.pk} belongs to another strategy")
    if why:
        raise InputError("; ".join(why))


def create_instrument(
    user: Any,
    strategy: Strategy,
    *,
    fields: dict[str, Any],
    priorities: list[Domain],
    budgets: list[tuple[int, float]],
    funding: list[tuple[str, float]],
    illustrative: bool = False,
) -> Instrument:
    """Register an instrument with its budgets by year and its funding shares.

    Raises
    ------
    InputError
        Every problem :func:`ris3.strategy.check_instruments` finds, a name
        already in the register, or a domain of another strategy.
    """
    data = _normalise(fields)
    _check(strategy, data, priorities, budgets, funding)
    with transaction.atomic():
        ins = Instrument(strategy=strategy, illustrative=illustrative, **data)
        ins.full_clean()
        ins.save()
        ins.priorities.set(priorities)
        _write_children(ins, budgets, funding)
        audit(user, "create", ins, strategy=strategy, after=_state(ins))
    return ins


def update_instrument(
    user: Any,
    instrument: Instrument,
    expected_version: int,
    *,
    fields: dict[str, Any],
    priorities: list[Domain],
    budgets: list[tuple[int, float]],
    funding: list[tuple[str, float]],
) -> Instrument:
    """Change an instrument if nobody saved it since ``expected_version``.

    Raises
    ------
    EditConflict
        The stored version differs; nothing is written.
    InputError
        As :func:`create_instrument`.
    """
    data = _normalise(fields)
    strategy = instrument.strategy
    _check(strategy, data, priorities, budgets, funding, exclude=instrument.pk)
    with transaction.atomic():
        current = Instrument.objects.select_for_update().get(pk=instrument.pk)
        before = _state(current)
        if current.version != expected_version:
            attempted = {**data, "priorities": sorted(d.pk for d in priorities)}
            raise EditConflict(current, before, attempted)
        for k, v in data.items():
            setattr(current, k, v)
        current.full_clean()
        current.version = expected_version + 1
        current.save()
        current.priorities.set(priorities)
        _write_children(current, budgets, funding)
        audit(user, "update", current, strategy=strategy, before=before, after=_state(current))
    return current


def import_register(
    user: Any, strategy: Strategy, sheet: pd.DataFrame
) -> tuple[list[Instrument], pd.DataFrame]:
    """Create the instruments of a wide register sheet whose rows pass the checks.

    Returns the instruments created and the rejected rows with ``reason``
    (see :func:`preview_register`); nothing is created for a rejected row.
    """
    accepted, rejected = preview_register(strategy, sheet)
    created = []
    with transaction.atomic():
        for row in accepted:
            created.append(
                create_instrument(
                    user,
                    strategy,
                    fields=row["fields"],
                    priorities=row["priorities"],
                    budgets=row["budgets"],
                    funding=row["funding"],
                )
            )
        audit(
            user,
            "import",
            strategy,
            strategy=strategy,
            after={"instruments": [i.pk for i in created], "rejected": len(rejected)},
        )
    return created, rejected


def preview_register(
    strategy: Strategy, sheet: pd.DataFrame
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Return what an import of ``sheet`` would create, and what it would reject and why.

    The sheet is split by :func:`ris3.strategy.split_register` and checked by
    :func:`ris3.strategy.check_instruments`; a row is also rejected when its
    name is in the register already or a priority (a domain's label, title
    or codes) is not a domain of the strategy.
    """
    from ris3.strategy import check_instruments, split_register

    ins, bud, fund = split_register(sheet)
    for col in ("owner", "level", "tool_group", "orientation", "territory", "target_groups"):
        if col not in ins.columns:
            raise InputError(f"the register sheet lacks the column {col!r}")
    ins = ins.copy()
    for col, default in (("priorities", ""), ("decision", "keep"), ("rationale", "")):
        if col not in ins.columns:
            ins[col] = default
    ins["decision"] = ins["decision"].map(
        lambda v: v if isinstance(v, str) and v.strip() else "keep"
    )
    lookup: dict[str, Domain] = {}
    for d in strategy.domains.all():
        for key in (tables.domain_label(d), d.title, d.codes):
            lookup.setdefault(key.strip().lower(), d)
    valid, rejected = check_instruments(
        ins, budgets=bud, funding=fund, known_nuts=tables.known_nuts()
    )
    existing = set(Instrument.objects.filter(strategy=strategy).values_list("name", flat=True))
    accepted = []
    extra: dict[Any, list[str]] = {}
    for i, row in valid.iterrows():
        why = []
        if row["instrument"] in existing:
            why.append(f"instrument {row['instrument']!r} is in the register already")
        pri = []
        for p in row["priorities"]:
            d = lookup.get(p.strip().lower())
            if d is None:
                why.append(f"priority {p!r} is not a domain of this strategy")
            else:
                pri.append(d)
        if why:
            extra[i] = why
            continue
        name = row["instrument"]
        accepted.append(
            {
                "fields": {
                    "name": name,
                    "owner_body": str(row["owner"]).strip(),
                    "level": row["level"],
                    "tool_group": row["tool_group"],
                    "orientation": row["orientation"],
                    "territory": ";".join(row["territory"]),
                    "eligible_beyond": ";".join(row.get("eligible_beyond", ()) or ()),
                    "target_groups": ";".join(row["target_groups"]),
                    "decision": row["decision"],
                    "rationale": "" if pd.isna(row["rationale"]) else str(row["rationale"]),
                    "exit_benchmark": ""
                    if pd.isna(row.get("exit_benchmark", ""))
                    else str(row.get("exit_benchmark", "")),
                },
                "priorities": pri,
                "budgets": [
                    (int(y), float(v))
                    for y, v in bud.loc[bud["instrument"] == name, ["year", "budget_eur"]].values
                ],
                "funding": [
                    (str(s), float(v))
                    for s, v in fund.loc[fund["instrument"] == name, ["source", "share"]].values
                ],
            }
        )
    if extra:
        more = ins.loc[list(extra)].copy()
        more["reason"] = ["; ".join(extra[i]) for i in more.index]
        rejected = pd.concat([rejected, more]).sort_index()
    return accepted, rejected


# ------------------------------------------------------------------ advisor context


def save_region_context(
    user: Any, strategy: Strategy, expected_version: int | None, changes: dict[str, Any]
) -> RegionContext:
    """Create or change the region's context for the advisor (versioned, audited)."""
    from ris3.workspace.services import update

    ctx = RegionContext.objects.filter(strategy=strategy).first()
    if ctx is None:
        with transaction.atomic():
            ctx = RegionContext(strategy=strategy, **changes)
            ctx.full_clean()
            ctx.save()
            audit(user, "create", ctx, strategy=strategy, after=snapshot(ctx))
        return ctx
    return update(user, ctx, int(expected_version or 0), changes)  # type: ignore[no-any-return]


# ------------------------------------------------------------------ self-assessments


def save_assessment(
    user: Any,
    strategy: Strategy,
    *,
    checklist: str,
    instrument: Instrument | None,
    rows: list[dict[str, Any]],
    illustrative: bool = False,
) -> int:
    """Save the criteria of one self-assessment; returns the number of records changed.

    Each row holds ``criterion``, ``score`` (0-5 or None), ``evidence``,
    ``comment`` and ``version`` (the version the editor saw; None for a
    criterion not yet saved). A stale version raises
    :class:`~ris3.workspace.services.EditConflict` and nothing is written.
    """
    from ris3.strategy.assessment import CHECKLISTS

    keys = {k for k, _, _ in CHECKLISTS[checklist]}
    if instrument is not None and instrument.strategy_id != strategy.pk:
        raise InputError("the programme belongs to another strategy")
    changed = 0
    with transaction.atomic():
        for row in rows:
            if row["criterion"] not in keys:
                raise InputError(f"unknown criterion {row['criterion']!r} for {checklist}")
            score = row["score"]
            if score is not None and not 0 <= int(score) <= 5:
                raise InputError(f"score must be from 0 to 5; got {score}")
            current = (
                Assessment.objects.select_for_update()
                .filter(
                    strategy=strategy,
                    checklist=checklist,
                    instrument=instrument,
                    criterion=row["criterion"],
                )
                # by id: the default ordering joins the (nullable) instrument, and
                # PostgreSQL cannot lock the nullable side of an outer join
                .order_by("pk")
                .first()
            )
            values = {k: row[k] for k in ("score", "evidence", "comment")}
            if current is None:
                if row.get("version") not in (None, ""):
                    raise EditConflict(Assessment(pk=0), {"version": None}, values)
                if score is None and not row["evidence"] and not row["comment"]:
                    continue
                a = Assessment(
                    strategy=strategy,
                    checklist=checklist,
                    instrument=instrument,
                    criterion=row["criterion"],
                    illustrative=illustrative,
                    **values,
                )
                a.full_clean()
                a.save()
                audit(user, "create", a, strategy=strategy, after=snapshot(a))
                changed += 1
                continue
            if all(getattr(current, k) == v for k, v in values.items()):
                continue
            before = snapshot(current)
            if row.get("version") in (None, "") or int(row["version"]) != current.version:
                raise EditConflict(current, before, values)
            for k, v in values.items():
                setattr(current, k, v)
            current.full_clean()
            current.version += 1
            current.save()
            audit(
                user, "update", current, strategy=strategy, before=before, after=snapshot(current)
            )
            changed += 1
    return changed

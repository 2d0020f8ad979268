"""The workspace's bridge to the analytics: run them, store and read their tables.

The computations themselves live in :func:`ris3.profile` and
:mod:`ris3.strategy`; this module only turns database rows into the tidy
tables those functions take, and their results into what the models store.
"""

from __future__ import annotations

import json
import math
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Candidate:
    """A candidate domain proposed by the evidence, with its metrics and flags."""

    title: str
    codes: str
    origin: str
    taxonomy: str = "NACE Rev. 2"
    metrics: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


@dataclass
class ProfileRun:
    """One run of :func:`ris3.profile`, ready to be stored as Evidence."""

    function: str
    parameters: dict[str, Any]
    data_version: str
    tables: dict[str, Any]
    notes: list[str]
    domains: list[Candidate]


def table_to_json(df: pd.DataFrame) -> dict[str, Any]:
    """Return a table as ``{"columns": [...], "data": [[...], ...]}``; missing cells become null.

    Examples
    --------
    >>> table_to_json(pd.DataFrame({"a": ["x", "y"], "v": [1.5, float("nan")]}))
    {'columns': ['a', 'v'], 'data': [['x', 1.5], ['y', None]]}
    """
    out = json.loads(
        df.to_json(orient="split", index=False, date_format="iso", double_precision=15)
    )
    return {"columns": out["columns"], "data": out["data"]}


def table_from_json(stored: dict[str, Any]) -> pd.DataFrame:
    """Invert :func:`table_to_json` (nulls come back as missing)."""
    return pd.DataFrame(stored["data"], columns=stored["columns"])


def guide_steps() -> list[tuple[str, str]]:
    """Return the RIS3 Guide's six steps as ``(key, title)``, from :data:`ris3.strategy.STEPS`."""
    from ris3.strategy import STEPS

    return _as_pairs(STEPS)


def helices() -> list[str]:
    """Return the helix groups of :data:`ris3.strategy.HELICES`."""
    from ris3.strategy import HELICES

    return [k for k, _ in _as_pairs(HELICES)]


def _as_pairs(values: Any) -> list[tuple[str, str]]:
    if isinstance(values, pd.DataFrame):
        cols = list(values.columns)
        return [(str(r[cols[0]]), str(r[cols[-1]])) for _, r in values.iterrows()]
    if isinstance(values, dict):
        return [(str(k), str(v)) for k, v in values.items()]
    out = []
    for v in values:
        if isinstance(v, tuple | list):
            out.append((str(v[0]), str(v[-1])))
        else:
            out.append((str(v), str(v).replace("_", " ").capitalize()))
    return out


def _clean(value: Any) -> Any:
    if value is pd.NA or value is pd.NaT or value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def run_profile(
    region: str, *, data: pd.DataFrame | None = None, data_label: str | None = None
) -> ProfileRun:
    """Run :func:`ris3.profile` on the bundled data (or ``data``) and propose domains.

    ``data`` is a tidy table with the profile's default columns (``geo``,
    ``nace_r2``, ``year``, ``persons_employed``); ``data_label`` says where
    it came from (stored as the evidence's data version).
    """
    import ris3
    from ris3.strategy import candidate_domains

    prof = ris3.profile(region) if data is None else ris3.profile(region, data=data)
    parameters: dict[str, Any] = {
        "region": region,
        "year": prof.year,
        "compare_year": prof.compare_year,
    }
    if data is None:
        parameters["dataset"] = "eu-sbs"
        data_version = f"{prof.source} ({prof.year})"
    else:
        parameters["rows"] = len(data)
        data_version = data_label or "uploaded table"
    tables = {name: table_to_json(t) for name, t in prof.tables().items()}
    tables["coverage"] = {
        "columns": ["measure", "value"],
        "data": [[k, _clean(v)] for k, v in prof.coverage.items()],
    }
    cands = candidate_domains(prof)
    return ProfileRun(
        function="ris3.profile",
        parameters=parameters,
        data_version=data_version,
        tables=tables,
        notes=list(prof.notes) + [f"{k}: {v}" for k, v in prof.unavailable.items()],
        domains=[_candidate(r) for r in cands.to_dict("records")],
    )


def _candidate(row: dict[str, Any]) -> Candidate:
    codes = str(row.get("code", row.get("codes", row.get("activity", ""))))
    title = str(row.get("title", row.get("activity_name", codes)))
    origin = str(row.get("origin", row.get("source", row.get("reason", "profile"))))
    flags_value = row.get("flags", "")
    if isinstance(flags_value, list | tuple):
        flags = [str(f) for f in flags_value]
    else:
        # ris3.strategy.candidate_domains joins the flags in words by ", "
        flags = [f.strip() for f in str(flags_value or "").split(",") if f.strip()]
    skip = {
        "code",
        "codes",
        "activity",
        "title",
        "activity_name",
        "origin",
        "source",
        "reason",
        "flags",
    }
    metrics = {k: _clean(v) for k, v in row.items() if k not in skip}
    return Candidate(title=title, codes=codes, origin=origin, metrics=metrics, flags=flags)


def check_table(
    table: pd.DataFrame, existing: list[str] | None = None
) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Return accepted rows (as dicts), rejected table of :func:`ris3.strategy.check_stakeholders`.

    ``existing`` are e-mail addresses registered already (rows repeating one are rejected).
    """
    from ris3.strategy import check_stakeholders

    accepted, rejected = check_stakeholders(table, existing=existing)
    rows = [{k: _clean(v) for k, v in r.items()} for r in accepted.to_dict("records")]
    for r in rows:
        for k, v in list(r.items()):
            if v is None:
                r[k] = ""
    return rows, rejected


#: participation results without the fatigue table, by (strategy, latest counted audit record)
_PARTICIPATION_CACHE: dict[tuple[int, int | None], dict[str, Any]] = {}
_PARTICIPATION_LOCK = threading.Lock()


def participation(strategy: Any, *, cap: int = 3) -> dict[str, Any]:
    """Return the participation matrix, its gaps, capture indicators and fatigue of a strategy.

    Attendances of engagements linked to no step cannot be placed in the
    matrix; they are counted in ``unplaced`` and named in the notes, never
    assigned to a step.

    The engagement fatigue (contacts per quarter) is computed on every call.
    The rest is reused while the strategy's latest audit record is the same
    (every write of the workspace adds one in its transaction; at most 32
    results are kept in the process). Registering a stakeholder or logging a
    contact changes none of the tables the rest reads (a new person has
    attended and declared nothing; contacts feed the fatigue only), so those
    records are not counted; any change to a stakeholder is.
    """
    from ris3.strategy import engagement_fatigue
    from ris3.workspace import selectors
    from ris3.workspace.models import AuditLog

    latest = (
        AuditLog.objects.filter(strategy=strategy)
        .exclude(action="create", object_type__in=["Stakeholder", "ContactLog"])
        .order_by("-id")
        .values_list("id", flat=True)
    ).first()
    key = (int(strategy.pk), latest)
    with _PARTICIPATION_LOCK:
        hit = _PARTICIPATION_CACHE.get(key)
    if hit is None:
        hit = _participation(strategy)
        with _PARTICIPATION_LOCK:
            if len(_PARTICIPATION_CACHE) >= 32:
                _PARTICIPATION_CACHE.pop(next(iter(_PARTICIPATION_CACHE)))
            _PARTICIPATION_CACHE[key] = hit
    contacts = selectors.contact_table(strategy)
    fatigue = engagement_fatigue(contacts, person="stakeholder", date="date", cap=cap)
    return {**hit, "fatigue": fatigue[fatigue["row"] == "quarter"].to_dict("records"), "cap": cap}


def _participation(strategy: Any) -> dict[str, Any]:
    """:func:`participation` without the fatigue table, computed afresh."""
    from ris3.strategy import participation_matrix
    from ris3.workspace import selectors

    att = selectors.attendance_table(strategy)
    placed = att[att["step"].notna()]
    notes: list[str] = []
    unplaced = int(att["step"].isna().sum())
    if unplaced:
        notes.append(f"{unplaced} attendances of engagements linked to no step are not counted")
    matrix = participation_matrix(placed, step="step", helix="helix", person="stakeholder")
    helix_order = list(dict.fromkeys(matrix["helix"]))
    grid = []
    for (number, label), rows in matrix.groupby(["step_number", "step_label"], sort=True):
        cells = {r["helix"]: r for r in rows.to_dict("records")}
        grid.append({"number": number, "label": label, "cells": [cells[h] for h in helix_order]})
    gaps = [m for m in matrix["message"] if m]
    capture = None
    if len(att):
        # undefined shares (a zero total) are reported on the page, not in a log
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            capture = capture_table(strategy, att)
        notes.extend(str(w.message) for w in caught)
    if capture is None:
        notes.append("no attendance recorded yet: no capture indicators")
    return {
        "matrix": matrix,
        "grid": grid,
        "helix_labels": [dict(zip(matrix["helix"], matrix["helix_label"]))[h] for h in helix_order],
        "gaps": gaps,
        "capture": None if capture is None else table_to_json(capture),
        "unplaced": unplaced,
        "notes": notes,
    }


def participation_json(strategy: Any) -> dict[str, Any]:
    """:func:`participation` as JSON (tables as columns + data)."""
    p = participation(strategy)
    fat = pd.DataFrame(p["fatigue"])
    return {
        "matrix": table_to_json(p["matrix"]),
        "gaps": p["gaps"],
        "capture": p["capture"],
        "fatigue": table_to_json(fat) if len(fat) else {"columns": [], "data": []},
        "fatigue_cap": p["cap"],
        "unplaced_attendances": p["unplaced"],
        "notes": p["notes"],
    }


def strong_activities(strategy: Any) -> set[str] | None:
    """NACE codes with ``lq_europe >= 1`` in the latest profile evidence (None without evidence)."""
    ev = strategy.evidence.filter(function="ris3.profile").order_by("-created_at", "-id").first()
    if ev is None or "specialisation" not in ev.tables:
        return None
    spec = table_from_json(ev.tables["specialisation"])
    lq = pd.to_numeric(spec["lq_europe"], errors="coerce")
    return set(spec.loc[lq >= 1, "activity"].astype(str))


def capture_table(strategy: Any, att: pd.DataFrame) -> pd.DataFrame:
    """:func:`ris3.strategy.capture_indicators` on a strategy's attendance.

    One row per (engagement, person). The cluster of an organisation is its
    first NACE code's division; it is an incumbent when that code is among
    the region's existing specialisations (LQ >= 1 against Europe in the
    latest profile evidence; unknown without evidence or NACE code, never
    guessed); inputs are 1 for an attendance with written input, else 0;
    a person has an interest when they declared one.
    """
    from ris3.strategy import capture_indicators
    from ris3.workspace import selectors

    one = att.drop_duplicates(["engagement", "stakeholder"]).reset_index(drop=True)
    first_code = one["nace"].fillna("").astype(str).str.split(r"[;,\s]+").str[0].str.upper()
    division = first_code.str.extract(r"^([A-U]?\d{2})", expand=False)
    strong = strong_activities(strategy)
    if strong is None:
        incumbent = pd.Series([None] * len(one), dtype=object)
    else:
        incumbent = pd.Series(
            [None if pd.isna(d) else str(d) in strong for d in division], dtype=object
        )
    declared = set(selectors.interest_table(strategy)["stakeholder"])
    table = pd.DataFrame(
        {
            "organisation": one["organisation"],
            "cluster": division.where(division.notna(), None),
            "incumbent": incumbent,
            "inputs": one["contributed"].astype(float),
            "interests": [p in declared for p in one["stakeholder"]],
            "stakeholder": one["stakeholder"],
        }
    )
    return capture_indicators(
        table,
        organisation="organisation",
        cluster="cluster",
        incumbent="incumbent",
        inputs="inputs",
        interests="interests",
        person="stakeholder",
    )

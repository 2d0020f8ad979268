"""The demo's monitoring framework for AT33 Tirol.

Objectives, output and result indicators, their baselines, targets and
entered observations are invented (``illustrative=True``, labelled on every
page). The context indicators are computed from the real bundled Eurostat
data for 2013 and then 2014, so the second run shows a new year of data
updating them. The programme evaluation runs on a simulated firm panel
(:func:`ris3.simulate_panel`), not on real firms, and is labelled so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ris3.workspace import services as core
from ris3.workspace.models import Strategy
from ris3.workspace.monitoring import services
from ris3.workspace.policy.models import Instrument

#: the domains the demo makes priorities when no domain is one yet (by NACE code)
DEMO_PRIORITIES = ("I55", "C16")

#: invented indicators per priority code: (kind, name, unit, definition, baseline,
#: targets, observations, direction)
INDICATORS: dict[str, list[tuple[Any, ...]]] = {
    "I55": [
        (
            "output",
            "Tourism firms in joint innovation projects",
            "firms",
            "Firms of the accommodation domain taking part in a funded joint project.",
            (2021, 0.0),
            ((2024, 40.0), (2027, 100.0)),
            ((date(2022, 12, 31), 12.0), (date(2023, 12, 31), 30.0)),
            "",
        ),
        (
            "result",
            "Share of hotel nights in certified sustainable hotels",
            "%",
            "Nights in hotels with an environmental certificate, share of all nights.",
            (2020, 18.0),
            ((2027, 30.0),),
            ((date(2023, 12, 31), 19.0),),
            "increase",
        ),
    ],
    "C16": [
        (
            "output",
            "Wood firms advised on digital production",
            "firms",
            "Firms of the wood domain that received at least one day of advice.",
            (2021, 0.0),
            ((2025, 60.0),),
            ((date(2023, 6, 30), 22.0),),
            "",
        ),
        (
            "result",
            "Energy use per tonne of sawn wood",
            "kWh per tonne",
            "Electricity and heat used by the region's sawmills per tonne of output.",
            (2020, 410.0),
            ((2027, 350.0),),
            ((date(2023, 12, 31), 405.0),),
            "decrease",
        ),
    ],
}
OBJECTIVES = {
    "I55": "Make tourism in Tirol more innovative and more sustainable (illustrative).",
    "C16": "Raise productivity and energy efficiency of the wood value chain (illustrative).",
}


def _priorities(owner: Any, strategy: Strategy) -> dict[str, Any]:
    chosen = {}
    if not services.priority_domains(strategy):
        for code in DEMO_PRIORITIES:
            d = strategy.domains.filter(codes=code).first()
            if d is not None:
                core.update(owner, d, d.version, {"status": "active"})
    for code in DEMO_PRIORITIES:
        d = strategy.domains.filter(codes=code).first()
        if d is not None:
            chosen[code] = d
    return chosen


def populate(owner: Any, strategy: Strategy, users: dict[str, Any]) -> None:
    """Add the illustrative framework, the computed indicators and a simulated evaluation."""
    domains = _priorities(owner, strategy)
    for code, d in domains.items():
        instrument = Instrument.objects.filter(strategy=strategy, priorities=d).first()
        objective = services.add_objective(
            owner,
            strategy,
            domain=d,
            text=OBJECTIVES[code],
            instruments=[instrument] if instrument else [],
            illustrative=True,
        )
        for kind, name, unit, definition, base, targets, obs, direction in INDICATORS[code]:
            ind = services.add_indicator(
                owner,
                strategy,
                domain=d,
                objective=objective,
                instrument=instrument,
                name=f"{name} (illustrative)",
                kind=kind,
                definition=definition,
                unit=unit,
                source="Invented for the demonstration",
                direction=direction,
                baseline_year=base[0],
                baseline_value=base[1],
                targets=list(targets),
                illustrative=True,
            )
            for when, value in obs:
                services.add_observation(
                    owner,
                    ind,
                    when=when,
                    value=value,
                    note="invented value",
                    illustrative=True,
                )
    if services.priority_domains(strategy):
        for year in (2013, 2014):
            services.run_computed(owner, strategy, year=year)
    instrument = Instrument.objects.filter(strategy=strategy).first()
    if instrument is not None:
        import ris3

        panel = ris3.simulate_panel(600, 8, effect=0.1, seed=3)
        services.run_evaluation(
            users.get("evaluator", owner),
            instrument,
            panel,
            title="Simulated evaluation of the programme (illustrative)",
            parameters={
                "firm": "firm_id",
                "region": "region",
                "activity": "activity",
                "year": "year",
                "entry_year": "entry_year",
                "value_added": "value_added",
                "employment": "employment",
                "outcomes": ["value_added"],
                "peer_regions": ["R02", "R03"],
            },
            data_version="ris3.simulate_panel(600, 8, effect=0.1, seed=3): simulated firms",
            illustrative=True,
        )

"""The monitoring part: the scorecard through the database, computed indicators, imports,
exports, the API and the permissions of every role on records that exist."""

from __future__ import annotations

import io
import math
from datetime import date
from typing import Any

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

import ris3
from ris3.errors import InputError
from ris3.workspace.models import AuditLog, Domain, Evidence
from ris3.workspace.monitoring import frames, review, services
from ris3.workspace.monitoring.models import Indicator, Observation
from ris3.workspace.permissions import allowed
from ris3.workspace.policy.models import Instrument


@pytest.fixture
def framework(world: dict[str, Any], db: None) -> dict[str, Any]:
    """Two priorities of the world's strategy with a hand-worked set of indicators.

    - "Firms in projects" (output): 0 in 2020, targets 20 in 2022 and 60 in 2026;
      observed 30 on 2024-01-01, when the plan is 40: progress 30 / 40 = 0.75, at risk.
    - "CO2 per night" (result, falling): 50 in 2020, target 30 in 2030; observed 41 on
      2025-01-01, when the plan is 40: progress -9 / -10 = 0.9, on track.
    - "Cooperating firms" (result): 100 in 2022, target 140 in 2024; observed 90 on
      2021-06-30, before the baseline: no data.
    - "Visitors" (output): no target: no data.
    - "Sawmill output" (output, wood): 10 in 2020, target 10 in 2024 (keep); observed 9
      in 2023: nothing planned to change and below: off track.
    """
    owner = world["users"]["owner"]
    s = world["strategy"]
    tourism = Domain.objects.create(
        strategy=s, title="Accommodation", codes="I55", origin="test", status="active"
    )
    wood = Domain.objects.create(
        strategy=s, title="Wood", codes="C16", origin="test", status="selected"
    )
    platform = Instrument.objects.create(
        strategy=s,
        name="Innovation platform",
        owner_body="Region",
        level="regional",
        tool_group="collaborative_actions",
        orientation="vertical",
        territory="AT33",
    )
    spec = [
        ("Firms in projects", tourism, "output", 2020, 0.0, [(2022, 20.0), (2026, 60.0)],
         [("2024-01-01", 30.0)], platform, ""),
        ("CO2 per night", tourism, "result", 2020, 50.0, [(2030, 30.0)],
         [("2025-01-01", 41.0)], platform, "decrease"),
        ("Cooperating firms", tourism, "result", 2022, 100.0, [(2024, 140.0)],
         [("2021-06-30", 90.0)], None, ""),
        ("Visitors", tourism, "output", 2020, 5.0, [], [("2023-01-01", 7.0)], None, ""),
        ("Sawmill output", wood, "output", 2020, 10.0, [(2024, 10.0)],
         [(2023, 9.0)], None, ""),
    ]  # fmt: skip
    inds = {}
    for name, dom, kind, by, bv, targets, obs, instrument, direction in spec:
        ind = services.add_indicator(
            owner,
            s,
            domain=dom,
            instrument=instrument,
            name=name,
            kind=kind,
            definition=f"{name}, as counted by the test",
            unit="units",
            source="test",
            direction=direction,
            baseline_year=by,
            baseline_value=bv,
            targets=targets,
        )
        for when, value in obs:
            services.add_observation(owner, ind, when=when, value=value)
        inds[name] = ind
    return {"tourism": tourism, "wood": wood, "platform": platform, "indicators": inds}


def test_scorecard_hand_worked_through_the_database(framework: dict[str, Any], world) -> None:
    card = frames.scorecard(world["strategy"]).set_index("indicator")
    assert card.loc["Firms in projects", "expected_value"] == 40.0
    assert card.loc["Firms in projects", "progress"] == 0.75
    assert card.loc["Firms in projects", "status"] == "at_risk"
    assert card.loc["CO2 per night", "expected_value"] == 40.0
    assert card.loc["CO2 per night", "progress"] == pytest.approx(0.9)
    assert card.loc["CO2 per night", "status"] == "on_track"
    assert card.loc["Cooperating firms", "status"] == "no_data"
    assert card.loc["Cooperating firms", "note"] == "latest observation is before the baseline"
    assert card.loc["Visitors", "status"] == "no_data"
    assert card.loc["Visitors", "note"] == "no target"
    assert card.loc["Sawmill output", "status"] == "off_track"
    assert card.loc["Sawmill output", "note"] == "no change planned at this date"
    by_p = frames.summary(card.reset_index(), by="priority").set_index("priority")
    assert by_p.loc["Accommodation"].tolist() == [1, 1, 0, 2, 4]
    assert by_p.loc["Wood"].tolist() == [0, 0, 1, 0, 1]
    by_i = frames.summary(card.reset_index(), by="instrument").set_index("instrument")
    assert by_i.loc["Innovation platform"].tolist() == [1, 1, 0, 0, 2]
    assert by_i.loc["(no instrument)"].tolist() == [0, 0, 1, 2, 3]


def test_intervention_logic_checks(framework: dict[str, Any], world) -> None:
    problems = frames.checks(world["strategy"])
    got = set(zip(problems["priority"], problems["indicator"], problems["problem"]))
    # no objective column value anywhere, "Visitors" lacks a target, wood has no result indicator
    assert ("Accommodation", "Visitors", "no_target") in got
    assert ("Wood", "", "no_result_indicator") in got
    assert ("Accommodation", "", "no_objective") in got
    assert not any(p == "no_baseline" for _, _, p in got)


def test_review_rows(framework: dict[str, Any]) -> None:
    rows = review.indicator_rows(framework["tourism"])
    assert [r["indicator"] for r in rows] == [
        "Firms in projects",
        "Visitors",
        "CO2 per night",
        "Cooperating firms",
    ]
    first = rows[0]
    assert set(first) == set(review.ROW_KEYS)
    assert first["id"] == framework["indicators"]["Firms in projects"].pk
    assert first["status"] == "at_risk" and first["status_label"] == "at risk"
    assert first["observed_value"] == 30.0 and first["target_value"] == 60.0
    assert first["observed_date"] == date(2024, 1, 1)
    assert rows[1]["progress"] is None  # missing stays missing, never 0


def test_entered_values_are_checked(framework: dict[str, Any], world) -> None:
    ind = framework["indicators"]["Visitors"]
    with pytest.raises(InputError, match="needs a value"):
        services.add_observation(world["users"]["owner"], ind, when=2024, value=float("nan"))
    with pytest.raises(InputError, match="whole year"):
        services.add_observation(world["users"]["owner"], ind, when=2024.5, value=3.0)
    other = world["other"]
    with pytest.raises(InputError, match="another strategy"):
        services.add_indicator(
            world["users"]["owner"],
            other,
            domain=framework["tourism"],
            name="x",
            kind="output",
            definition="x",
            unit="x",
            source="x",
        )


# ------------------------------------------------------------ computed indicators


@pytest.fixture(scope="module")
def sbs() -> pd.DataFrame:
    return ris3.datasets.load("eu-sbs")


def test_computed_indicators_match_ris3_measures(framework, world, sbs) -> None:
    s = world["strategy"]
    owner = world["users"]["owner"]
    ev13 = services.run_computed(owner, s, year=2013)
    ev14 = services.run_computed(owner, s, year=2014)
    assert ev14.function == "ris3.strategy.domain_observations"
    assert ev14.data_version.endswith("(2014)") and ev13.data_version.endswith("(2013)")
    assert ev14.parameters["year"] == 2014 and ev14.parameters["target"] == "AT33"
    assert ev14.parameters["domains"] == {"Accommodation": ["I55"], "Wood": ["C16"]}
    assert AuditLog.objects.filter(action="compute", object_id=str(ev14.pk)).count() == 1
    comp = Indicator.objects.filter(strategy=s).exclude(measure="")
    assert comp.count() == 6 and set(comp.values_list("kind", flat=True)) == {"context"}
    for year in (2013, 2014):
        one = sbs[(sbs["year"] == year) & sbs["persons_employed"].notna()]
        lq = ris3.location_quotient(
            one, region="geo", activity="nace_r2", value="persons_employed"
        ).set_index(["geo", "nace_r2"])["lq"]
        cells = one.set_index(["geo", "nace_r2"])["persons_employed"]
        for title, code in (("Accommodation", "I55"), ("Wood", "C16")):
            got = {
                o.indicator.measure: o.value
                for o in Observation.objects.filter(
                    indicator__strategy=s,
                    indicator__domain__title=title,
                    provenance="computed",
                    date=date(year, 1, 1),
                ).select_related("indicator")
            }
            assert got["employment"] == cells[("AT33", code)]
            assert got["lq"] == pytest.approx(lq[("AT33", code)], rel=1e-12)
    # AT33 2014 by hand: I55 32,624 and C16 4,471 persons employed (the table's cells)
    latest = frames.scorecard(s).set_index("indicator")["observed_value"]
    assert latest["Accommodation: employment (computed)"] == 32624.0
    assert latest["Wood: employment (computed)"] == 4471.0
    # stars as the region profile (ris3.profile, another path through the cluster layer) gives
    spec = ris3.profile("AT33").specialisation.set_index("activity")
    assert latest["Accommodation: cluster stars (computed)"] == spec.loc["I55", "stars"] == 3
    assert latest["Wood: cluster stars (computed)"] == spec.loc["C16", "stars"] == 1
    # the first run set the baseline; the new year is the latest observation
    emp = Indicator.objects.get(strategy=s, domain__title="Wood", measure="employment")
    c16_2013 = sbs.loc[
        (sbs["year"] == 2013) & (sbs["geo"] == "AT33") & (sbs["nace_r2"] == "C16"),
        "persons_employed",
    ]
    assert emp.baseline_year == 2013 and emp.baseline_value == float(c16_2013.iloc[0]) == 4478
    assert emp.observations.count() == 2
    # the same year again replaces its observations, with the new evidence
    ev14b = services.run_computed(owner, s, year=2014)
    assert emp.observations.count() == 2
    assert emp.observations.get(date=date(2014, 1, 1)).evidence_id == ev14b.pk
    assert Evidence.objects.filter(strategy=s, function=ev14.function).count() == 3


def test_computed_confidential_cell_stays_missing(world, db, sbs) -> None:
    s = world["strategy"]
    Domain.objects.create(strategy=s, title="Pharma", codes="C21; C20", origin="t", status="active")
    services.run_computed(world["users"]["owner"], s, year=2014)
    o = Observation.objects.get(indicator__name="Pharma: employment (computed)")
    # C21 is confidential in AT33 in 2014: unknown, not zero
    assert o.value is None and o.note == "missing or confidential cells: C21"
    ind = o.indicator
    assert ind.baseline_value is None and ind.baseline_year is None


def test_computed_needs_priorities(world, db) -> None:
    with pytest.raises(InputError, match="no priority domains"):
        services.run_computed(world["users"]["owner"], world["other"], year=2014)


# ------------------------------------------------------------ import, pages, exports, API


def _client(world: dict[str, Any], who: str) -> Client:
    c = Client()
    c.force_login(world["users"][who])
    return c


def test_import_preview_then_store(framework, world) -> None:
    s = world["strategy"]
    csv = (
        "indicator,date,value,note\n"
        "Visitors,2024-06-30,9,from the survey\n"
        "Visitors,2025,,empty cell\n"
        "Nobody,2024,3,\n"
        "Firms in projects,2025-01-01,44,\n"
    )
    c = _client(world, "facilitator")
    url = reverse("monitoring_import", args=[s.pk])
    upload = io.BytesIO(csv.encode())
    upload.name = "obs.csv"
    resp = c.post(url, {"table": upload})
    html = resp.content.decode()
    assert resp.status_code == 200 and "2 rows will be stored" in html
    assert "2 rows are rejected" in html and "value is empty" in html
    assert Observation.objects.filter(provenance="imported").count() == 0  # only a preview
    payload = resp.context["payload"]
    resp = c.post(url, {"confirm": "1", "payload": payload})
    assert "Stored 2 observations; 2 rows rejected." in resp.content.decode()
    imported = Observation.objects.filter(provenance="imported").order_by("date")
    assert [(o.indicator.name, o.date, o.value) for o in imported] == [
        ("Visitors", date(2024, 6, 30), 9.0),
        ("Firms in projects", date(2025, 1, 1), 44.0),
    ]
    assert imported[0].note == "from the survey"
    # firms: plan at 2025-01-01 is 20 + 40 * 3/4 = 50; 44 / 50 = 0.88: at risk
    card = frames.scorecard(s).set_index("indicator")
    assert card.loc["Firms in projects", "progress"] == pytest.approx(0.88)


def test_pages_and_exports(framework, world) -> None:
    s = world["strategy"]
    c = _client(world, "observer")
    html = c.get(reverse("monitoring_scorecard", args=[s.pk])).content.decode()
    assert "data:image/svg+xml;base64," in html and "Innovation platform" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    resp = c.get(reverse("monitoring_scorecard_export", args=[s.pk]) + "?format=csv")
    csv = pd.read_csv(io.BytesIO(resp.content)).set_index("indicator")
    assert csv.loc["Firms in projects", "progress"] == 0.75
    assert csv.loc["CO2 per night", "status"] == "on_track"
    assert pd.isna(csv.loc["Visitors", "progress"])
    resp = c.get(reverse("monitoring_scorecard_export", args=[s.pk]) + "?format=xlsx")
    book = pd.read_excel(io.BytesIO(resp.content), sheet_name=None)
    assert set(book) == {"scorecard", "by priority", "by instrument"}
    assert book["by priority"].set_index("priority").loc["Wood", "off_track"] == 1
    assert (
        c.get(reverse("monitoring_scorecard_export", args=[s.pk]) + "?format=doc").status_code
        == 400
    )
    ind = framework["indicators"]["CO2 per night"]
    page = c.get(reverse("monitoring_indicator", args=[s.pk]) + f"?id={ind.pk}").content.decode()
    assert "on track" in page and "2030: 30.0" in page
    # a record of another strategy is not found through this one
    other_url = reverse("monitoring_indicator", args=[world["other"].pk]) + f"?id={ind.pk}"
    assert _client(world, "superuser").get(other_url).status_code == 404


def test_api_scorecard_and_observation(framework, world) -> None:
    s = world["strategy"]
    auth = {"Authorization": f"Bearer {world['tokens']['facilitator']}"}
    c = Client()
    data = c.get(f"/api/monitoring/strategies/{s.pk}/scorecard", headers=auth).json()
    rows = {r["indicator"]: r for r in data["indicators"]}
    assert rows["Firms in projects"]["progress"] == 0.75
    assert rows["Visitors"]["progress"] is None
    ind = framework["indicators"]["Visitors"]
    resp = c.post(
        f"/api/monitoring/strategies/{s.pk}/observations",
        {"indicator": ind.pk, "date": "2024-03-01", "value": 8},
        content_type="application/json",
        headers=auth,
    )
    assert resp.status_code == 201 and resp.json()["provenance"] == "entered"
    inds = c.get(f"/api/monitoring/strategies/{s.pk}/indicators", headers=auth).json()
    vis = next(r for r in inds if r["indicator"] == "Visitors")
    assert [o["value"] for o in vis["observations"]] == [7.0, 8.0]
    other = framework["indicators"]["Visitors"].pk + 10_000
    resp = c.post(
        f"/api/monitoring/strategies/{s.pk}/observations",
        {"indicator": other, "date": "2024-03-01", "value": 8},
        content_type="application/json",
        headers=auth,
    )
    assert resp.status_code == 422


ROLES = ("owner", "facilitator", "evaluator", "stakeholder", "observer", "outsider")


@pytest.mark.parametrize("who", ROLES)
def test_permissions_on_existing_records(framework, world, who: str) -> None:
    """Each role on the pages of a real indicator: what the table allows, no more."""
    s = world["strategy"]
    ind = framework["indicators"]["Visitors"]
    role = None if who == "outsider" else who
    c = _client(world, who)
    checks = [
        ("GET", reverse("monitoring_indicator", args=[s.pk]) + f"?id={ind.pk}", {}, "view_monitoring"),
        ("POST", reverse("monitoring_indicator", args=[s.pk]) + f"?id={ind.pk}",
         {"form": "target", "t-year": "2027", "t-value": "12"}, "edit_monitoring"),
        ("POST", reverse("monitoring_indicator", args=[s.pk]) + f"?id={ind.pk}",
         {"form": "observation", "o-date": "2024-05-01", "o-value": "6", "o-note": ""},
         "edit_monitoring"),
        ("GET", reverse("monitoring_overview", args=[s.pk]), {}, "view_monitoring"),
        ("GET", reverse("monitoring_scorecard", args=[s.pk]), {}, "view_monitoring"),
        ("GET", reverse("monitoring_indicator_add", args=[s.pk]), {}, "edit_monitoring"),
        ("GET", reverse("monitoring_evaluation_add", args=[s.pk]), {}, "attach_evaluations"),
        ("GET", reverse("document_page", args=[s.pk]), {}, "export_document"),
    ]  # fmt: skip
    n_targets = ind.targets.count()
    for method, url, data, action in checks:
        resp = c.get(url) if method == "GET" else c.post(url, data)
        ok = allowed(action, role, signed_in=True)
        if ok:
            assert resp.status_code in (200, 302), (who, url, resp.status_code)
        else:
            assert resp.status_code == 403, (who, url, resp.status_code)
    may_edit = allowed("edit_monitoring", role, signed_in=True)
    assert ind.targets.count() == n_targets + (1 if may_edit else 0)
    assert ind.observations.filter(value=6.0).exists() == may_edit


def test_targets_are_set_once_per_year(framework, world) -> None:
    ind = framework["indicators"]["Visitors"]
    owner = world["users"]["owner"]
    services.set_target(owner, ind, year=2027, value=12.0)
    services.set_target(owner, ind, year=2027, value=15.0)
    assert list(ind.targets.values_list("year", "value")) == [(2027, 15.0)]
    assert not math.isnan(frames.scorecard(world["strategy"]).set_index("indicator").loc[
        "Visitors", "progress"])  # fmt: skip


def test_api_routes_in_the_schema(world, db) -> None:
    paths = set(Client().get("/api/openapi.json").json()["paths"])
    assert {
        "/api/monitoring/strategies/{strategy_id}/indicators",
        "/api/monitoring/strategies/{strategy_id}/scorecard",
        "/api/monitoring/strategies/{strategy_id}/observations",
    } <= paths


def test_indicator_list_without_id(framework, world) -> None:
    c = _client(world, "observer")
    url = reverse("monitoring_indicator", args=[world["strategy"].pk])
    html = c.get(url).content.decode()
    assert "Sawmill output" in html and f"?id={framework['indicators']['Visitors'].pk}" in html
    assert c.get(url + "?id=abc").status_code == 404


def test_import_from_excel_keeps_dates_and_years(framework, world) -> None:
    from datetime import datetime

    s = world["strategy"]
    buf = io.BytesIO()
    pd.DataFrame(
        {
            "indicator": ["Visitors", "Visitors"],
            "date": [datetime(2024, 3, 31), 2025],
            "value": [8.5, 9.0],
        }
    ).to_excel(buf, index=False)
    buf.seek(0)
    buf.name = "obs.xlsx"
    c = _client(world, "owner")
    url = reverse("monitoring_import", args=[s.pk])
    resp = c.post(url, {"table": buf})
    assert "2 rows will be stored" in resp.content.decode()
    c.post(url, {"confirm": "1", "payload": resp.context["payload"]})
    got = Observation.objects.filter(provenance="imported").order_by("date")
    assert [(o.date, o.value) for o in got] == [(date(2024, 3, 31), 8.5), (date(2025, 1, 1), 9.0)]


def test_evaluation_attaches_to_instrument_and_shows_next_to_indicators(framework, world) -> None:
    """An evaluator uploads a (simulated) firm panel; the verdict is the one
    ris3.evaluate_programme gives on the same panel, stored with its parameters."""
    s = world["strategy"]
    panel = ris3.simulate_panel(600, 8, effect=0.1, seed=3)
    buf = io.BytesIO(panel.to_csv(index=False).encode())
    buf.name = "panel.csv"
    c = _client(world, "evaluator")
    resp = c.post(
        reverse("monitoring_evaluation_add", args=[s.pk]),
        {
            "instrument": framework["platform"].pk,
            "title": "Platform evaluation",
            "panel": buf,
            "peer_regions": "R02; R03",
            "outcomes": "value_added",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:500]
    e = framework["platform"].evaluations.get()
    assert e.parameters["peer_regions"] == ["R02", "R03"]
    assert e.parameters["outcomes"] == ["value_added"]
    assert e.data_version.startswith("uploaded panel panel.csv (sha256 ")
    with pytest.warns(ris3.DataQualityWarning, match="few member firms"):
        direct = ris3.evaluate_programme(panel, **e.parameters)
    stored = frames.evaluation_tables(e)
    # the run's warning is stored with the evaluation, not lost
    assert stored["warnings"]["warning"].str.contains("few member firms").any()
    assert len(stored["effects"]) == len(direct.tidy())
    assert stored["effects"]["estimate"].tolist() == pytest.approx(
        direct.tidy()["estimate"].tolist(), rel=1e-9
    )
    verdict = direct.verdict()["verdict"].iloc[0]
    card = frames.scorecard(s).set_index("indicator")
    assert card.loc["Firms in projects", "evaluations"] == (
        f"Platform evaluation: value_added: {verdict}"
    )
    assert card.loc["Visitors", "evaluations"] == ""  # no instrument, no evaluation
    # observers may read it but not attach one
    assert (
        _client(world, "observer")
        .get(reverse("monitoring_evaluation_add", args=[s.pk]))
        .status_code
        == 403
    )

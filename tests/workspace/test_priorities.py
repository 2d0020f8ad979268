"""Priority setting in the workspace: the demo's scoring and decision, decisions and versions
audited, permissions per role on the pages that take a domain and on the API, object-level
refusals, distinctiveness, the technology match and the declared-priority import."""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from django.db import transaction
from django.test import Client

from ris3.workspace.permissions import allowed

PASSWORD = "Rt5-cobalt-Lantern"
VISITORS = ("anonymous", "owner", "facilitator", "evaluator", "stakeholder", "observer",
            "outsider")  # fmt: skip


@pytest.fixture(scope="module")
def demo(world: dict[str, Any]) -> Iterator[Any]:
    """The demo strategy (real AT33 evidence, illustrative people, a scored and selected domain)."""
    from ris3.workspace.demo import build_demo

    with transaction.atomic():
        yield build_demo(PASSWORD)
        transaction.set_rollback(True)


def _client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _demo_user(role: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=f"{role}@example.org")


def test_the_demo_is_scored_and_one_domain_selected(demo: Any, db: None) -> None:
    from ris3.strategy.mcda import rank_alternatives
    from ris3.workspace.analysis import table_from_json

    run = demo.scoring_runs.get()
    assert run.illustrative and run.method == "weighted_sum"
    ranking = table_from_json(run.ranking)
    # the stored ranking is the ranking of the stored values (the snapshot can be re-made)
    values = table_from_json(run.values).rename(columns={"domain": "alternative"})
    crit = pd.DataFrame(run.criteria)
    again = rank_alternatives(values, crit, missing="exclude")
    assert again["score"].tolist() == pytest.approx(ranking["score"].tolist(), rel=1e-12)
    # the demo's numbers (hand-computed in tests/test_strategy_priority_setting.py)
    assert (
        ranking.loc[0, "title"] == "Accommodation" and round(ranking.loc[0, "score"], 4) == 0.8701
    )
    assert len(ranking) == 10 and ranking["rank"].notna().all()
    sens = table_from_json(run.sensitivity)
    assert sens.loc[0, "p_selected"] == 1.0 and sens.loc[0, "p_first"] == 1.0
    decision = demo.decisions.get(domain__codes="I55")
    assert decision.illustrative and decision.action == "select"
    assert decision.domain.title == "Accommodation" and decision.domain.status == "selected"
    assert decision.scoring_run == run and decision.evidence.count() == 1
    assert decision.domain_evidence.count() == 1
    versions = list(decision.domain.priority_versions.order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "candidate"), (2, "selected")]
    assert versions[1].decision == decision and versions[1].exit_criteria.startswith("Illustrative")
    assert demo.declared_priorities.filter(illustrative=True).count() == 8


def test_decisions_are_audited_versioned_and_locked(demo: Any, db: None) -> None:
    from ris3.workspace.models import AuditLog, Evidence
    from ris3.workspace.priorities import services
    from ris3.workspace.services import EditConflict

    owner = _demo_user("owner")
    domain = demo.domains.get(codes="C23")  # a candidate in the demo
    n_audit = AuditLog.objects.filter(strategy=demo).count()
    d = services.record_decision(
        owner, domain, action="review", rationale="Employment fell.",
        expected_version=domain.version, scoring_run=demo.scoring_runs.get(),
    )  # fmt: skip
    domain.refresh_from_db()
    assert (d.status_before, d.status_after, domain.status) == ("candidate", "under_review",
                                                               "under_review")  # fmt: skip
    new = AuditLog.objects.filter(strategy=demo).order_by("id")[n_audit:]
    assert [(a.action, a.object_type) for a in new] == [("decide", "Domain")]
    assert new[0].before["status"] == "candidate" and new[0].after["status"] == "under_review"
    assert new[0].after["decision"]["rationale"] == "Employment fell."
    assert [v.number for v in domain.priority_versions.all()] == [2, 1]
    # a stale version writes nothing
    with pytest.raises(EditConflict):
        services.record_decision(owner, domain, action="retire", rationale="x",
                                 expected_version=domain.version - 1)  # fmt: skip
    assert domain.decisions.count() == 1
    # a rationale is required; evidence of another strategy cannot be cited
    with pytest.raises(Exception, match="needs its rationale"):
        services.record_decision(owner, domain, action="retire", rationale=" ",
                                 expected_version=domain.version)  # fmt: skip
    other = Evidence.objects.create(strategy=_other(demo), function="x", data_version="x")
    with pytest.raises(Exception, match="belongs to another strategy"):
        services.record_decision(owner, domain, action="retire", rationale="x",
                                 expected_version=domain.version, evidence=[other])  # fmt: skip
    # an edit of the title or exit criteria is a new version; the status changes by decisions only
    services.edit_priority(owner, domain, domain.version, {"exit_criteria": "LQ below 1"})
    domain.refresh_from_db()
    assert domain.priority_versions.first().exit_criteria == "LQ below 1"
    assert domain.priority_versions.count() == 3
    with pytest.raises(Exception, match="may change"):
        services.edit_priority(owner, domain, domain.version, {"status": "active"})


def _other(demo: Any) -> Any:
    from ris3.workspace.models import Strategy

    return Strategy.objects.exclude(pk=demo.pk).first()


def _who(world: dict[str, Any], visitor: str) -> Any:
    return None if visitor == "anonymous" else world["users"][visitor]


def _expect(action: str, visitor: str, published: bool) -> int:
    role = visitor if visitor not in ("anonymous", "outsider") else None
    ok = allowed(action, role, signed_in=visitor != "anonymous", published=published)
    if ok:
        return 200
    return 302 if visitor == "anonymous" else 403


@pytest.mark.parametrize("visitor", VISITORS)
def test_pages_that_take_a_domain_obey_the_table_per_role(
    world: dict[str, Any], db: None, visitor: str
) -> None:
    s, domain = world["strategy"], world["domain"]
    c = _client(_who(world, visitor))
    for tail, action in (("decide", "decide_priorities"), ("edit", "edit_priorities"),
                         ("lifecycle", "view_priorities"), ("review", "view_priorities")):  # fmt: skip
        r = c.get(f"/strategies/{s.pk}/priorities/{tail}/?domain={domain.pk}")
        assert r.status_code == _expect(action, visitor, False), (tail, r.status_code)
    # a decision posted by each role: only the owner's is recorded
    r = c.post(
        f"/strategies/{s.pk}/priorities/decide/?domain={domain.pk}",
        {"version": domain.version, "action": "select", "rationale": "Strong evidence."},
    )
    want = _expect("decide_priorities", visitor, False)
    assert r.status_code == (302 if want == 200 else want)
    assert domain.decisions.count() == (1 if visitor == "owner" else 0)


def test_a_domain_of_another_strategy_is_not_found(world: dict[str, Any], db: None) -> None:
    from ris3.workspace.models import Domain

    foreign = Domain.objects.create(strategy=world["other"], title="X", codes="C10", origin="t")
    c = _client(world["users"]["owner"])
    s = world["strategy"]
    for tail in ("decide", "edit", "lifecycle", "review"):
        assert (
            c.get(f"/strategies/{s.pk}/priorities/{tail}/?domain={foreign.pk}").status_code == 404
        )
    assert c.get(f"/strategies/{s.pk}/priorities/lifecycle/?domain=abc").status_code == 404
    token = world["tokens"]["owner"]
    r = c.post(
        f"/api/priorities/strategies/{s.pk}/decisions",
        {"domain": foreign.pk, "action": "select", "rationale": "x", "version": 1},
        content_type="application/json", headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert r.status_code == 404 and foreign.decisions.count() == 0


def _api(world: dict[str, Any], who: str, method: str, path: str, body: Any = None) -> Any:
    c = Client()
    return c.generic(
        method, path, data=b"" if body is None else json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world['tokens'][who]}"},
    )  # fmt: skip


@pytest.mark.parametrize("visitor", ("owner", "facilitator", "evaluator", "stakeholder", "observer",
                                     "outsider"))  # fmt: skip
def test_api_scoring_and_decisions_per_role(
    world: dict[str, Any], db: None, visitor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s, domain = world["strategy"], world["domain"]
    base = f"/api/priorities/strategies/{s.pk}"
    r = _api(world, visitor, "POST", f"{base}/runs", {"weights": {"edp_support": 1}, "draws": 100})
    want = 201 if allowed("score_priorities", visitor if visitor != "outsider" else None) else 403
    assert r.status_code == want, r.content
    if want == 201:
        neg = _api(world, visitor, "POST", f"{base}/runs", {"weights": {"edp_support": -1}})
        assert neg.status_code == 422 and "finite numbers >= 0" in neg.json()["detail"]
        body = r.json()
        # one domain, discussed by one person: ranked alone, no sensitivity
        assert body["values"]["data"] == [[domain.pk, "Tourism", "edp_support", 1.0]]
        ranking = dict(zip(body["ranking"]["columns"], body["ranking"]["data"][0]))
        assert ranking["rank"] == 1 and body["sensitivity"] == {}
    r = _api(world, visitor, "POST", f"{base}/decisions",
             {"domain": domain.pk, "action": "select", "rationale": "Evidence.",
              "version": domain.version})  # fmt: skip
    want = 201 if visitor == "owner" else 403
    assert r.status_code == want, r.content
    r = _api(world, visitor, "GET", f"{base}/versions")
    assert r.status_code == (403 if visitor == "outsider" else 200)
    if visitor == "owner":
        versions = r.json()[0]["versions"]
        assert [v["status"] for v in versions] == ["selected", "candidate"]
        again = _api(world, "owner", "POST", f"{base}/decisions",
                     {"domain": domain.pk, "action": "retire", "rationale": "x",
                      "version": domain.version})  # fmt: skip
        assert again.status_code == 409  # the version the decider saw is stale


def test_scoring_page_shows_missing_values_as_missing(demo: Any, db: None) -> None:
    c = _client(_demo_user("facilitator"))
    url = f"/strategies/{demo.pk}/priorities/"
    r = c.post(url, {"method": "topsis", "seed": 3, "draws": 200, "concentration": 50, "top_k": 2,
                     "w_lq_europe": 1, "w_edp_support": 1})  # fmt: skip
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    run = demo.scoring_runs.first()
    assert run.method == "topsis" and run.parameters["seed"] == 3
    # only the two domains the demo's engagements discussed have EDP support; the rest are unranked
    from ris3.workspace.analysis import table_from_json

    ranking = table_from_json(run.ranking)
    assert ranking["rank"].notna().sum() == 2
    assert set(ranking.loc[ranking["rank"].isna(), "missing_criteria"]) == {"edp_support"}
    assert page.count('<span class="missing">missing</span>') >= 8 + 8
    assert "is not ranked" in c.get(url).content.decode()
    # an observer sees the ranking but may not score
    obs = _client(_demo_user("observer"))
    assert obs.get(r["Location"]).status_code == 200
    assert obs.post(url, {"method": "topsis"}).status_code == 403


def test_distinctiveness_counts_declaring_regions(demo: Any, db: None) -> None:
    from ris3.workspace.priorities import analysis

    table, note = analysis.distinctiveness(demo)
    row = table.set_index("code").loc["I55"]
    # AT32 and AT34 declare I55 itself; ITH1 only all of section I
    assert (row["regions_declaring"], row["regions_declaring_broader"]) == (2, 1)
    assert row["granularity"] == "division"
    # the illustrative table's smart-buildings priority has no NACE code: counted, not matched
    assert "Declared priorities without NACE codes (they cannot be matched): 1." in note
    spec = analysis.specialisation_table(2014)
    other = spec[(spec["nace_r2"] == "I55") & (spec["geo"] != "AT33")]
    assert row["regions_specialised"] == int(other["specialised"].sum()) == 117
    page = (
        _client(_demo_user("stakeholder"))
        .get(f"/strategies/{demo.pk}/priorities/distinctiveness/")
        .content.decode()
    )
    assert "illustrative table (invented" in page and "Sustainable tourism" in page


def test_declared_priorities_import_with_preview(demo: Any, db: None) -> None:
    c = _client(_demo_user("facilitator"))
    url = f"/strategies/{demo.pk}/priorities/declared/import/"
    csv = ("region,priority,nace_codes,scientific_domains,policy_objectives\n"
           "FR10,Digital health,Q86;J62,Medicine,Digital transition\n"
           "FR10,Bad codes,zz,,\n")  # fmt: skip
    f = io.BytesIO(csv.encode())
    f.name = "declared.csv"
    r = c.post(url, {"table": f})
    text = r.content.decode()
    assert r.status_code == 200 and "1 row will be imported" in text and "1 row is rejected" in text
    assert "unreadable NACE code" in text
    n = demo.declared_priorities.count()
    assert demo.declared_priorities.count() == n  # a preview stores nothing
    table_text = re.search(r'<textarea name="table_text"[^>]*>(.*?)</textarea>', text, re.S)
    source = re.search(r'name="source" value="([^"]*)"', text)
    assert table_text and source
    r = c.post(url, {"confirm": "1", "table_text": html.unescape(table_text.group(1)),
                     "source": html.unescape(source.group(1))})  # fmt: skip
    assert r.status_code == 302
    new = demo.declared_priorities.get(region="FR10")
    assert new.nace_codes == "Q86;J62" and not new.illustrative and "sha256" in new.source
    assert demo.declared_priorities.count() == n + 1


def test_technology_match_of_the_country_and_an_uploaded_region(demo: Any, db: None) -> None:
    import ris3
    from ris3.datasets import load

    c = _client(_demo_user("owner"))
    url = f"/strategies/{demo.pk}/priorities/technology/"
    page = c.get(url).content.decode()
    # independent: Austria's patent families 2012-2014 against the world's, SBS employment 2014
    p = load("patents-wipo")
    p = p[p["year"].between(2012, 2014) & (p["economy"] == "Austria")]
    tech = p.groupby("wipo_field", as_index=False)["patent_families"].sum().assign(region="AT")
    agg = load("patents-wipo", "aggregates")
    world_p = agg[(agg["geo_type"] == "world") & agg["year"].between(2012, 2014)]
    world_p = world_p.groupby("wipo_field", as_index=False)["patent_families"].sum()
    sbs = load("eu-sbs", "countries")
    sbs = sbs[sbs["year"] == 2014].rename(columns={"geo": "region"})
    m = ris3.tech_economy_match(tech, sbs, field="wipo_field", patents="patent_families",
                                activity="nace_r2", value="persons_employed",
                                technology_reference=world_p)  # fmt: skip
    for cls in ("both", "technology only", "industry only", "neither"):
        assert f"<li>{cls}: {int((m['match'] == cls).sum())}</li>" in page
    assert m.set_index("nace_division").loc["C16", "match"] == "both"  # wood: Tirol's strength
    # the chart draws every division with a positive RTA and LQ and counts the others
    hidden = int((~((m["rta"] > 0) & (m["lq"] > 0))).sum())
    assert hidden > 0 and f"{hidden} divisions without a value on both axes" in page
    assert page.count("<svg") == 1
    up = io.BytesIO(b"field,patents\nTransport,40\nPharmaceuticals,5\nCivil engineering,20\n")
    up.name = "tirol-patents.csv"
    r = c.post(url, {"table": up})
    assert r.status_code == 200 and "The region: match class by NACE division" in r.content.decode()
    bad = io.BytesIO(b"field,patents\nAstrology,3\n")
    bad.name = "bad.csv"
    r = c.post(url, {"table": bad})
    assert r.status_code == 400 and "not among the 35 WIPO fields" in r.content.decode()
    assert _client(_demo_user("evaluator")).post(url, {}).status_code == 403


def test_review_page_says_the_data_end_before_the_selection(demo: Any, db: None) -> None:
    d = demo.decisions.get(domain__codes="I55").domain
    page = (
        _client(_demo_user("observer"))
        .get(f"/strategies/{demo.pk}/priorities/review/?domain={d.pk}")
        .content.decode()
    )
    assert "No data since the selection: the bundled data end in 2014." in page
    assert "baseline, not a result" in page and "7.08" in page


def test_document_section_lists_priorities_and_ranking(demo: Any, db: None) -> None:
    from ris3.workspace.priorities.document import sections

    (sec,) = sections(demo)
    assert sec.illustrative and set(sec.tables) == {"priorities", "ranking", "weight_sensitivity"}
    pri = sec.tables["priorities"].set_index("domain")
    assert pri.loc["Accommodation", "status"] == "Selected"
    assert pri.loc["Accommodation", "rationale"].startswith("Illustrative decision")
    assert pd.isna(pri.loc["Sewerage", "latest_decision"])


def test_priority_pages_speak_german(demo: Any, db: None, tmp_path: Any) -> None:
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    import ris3.workspace.priorities

    c = _client(_demo_user("owner"))
    page = c.get(
        f"/strategies/{demo.pk}/priorities/", headers={"Accept-Language": "de"}
    ).content.decode()
    assert "Prioritätensetzung" in page and "Die Bereiche bewerten" in page
    po = Path(ris3.workspace.priorities.__file__).parent / "locale/de/LC_MESSAGES/django.po"
    text = po.read_text(encoding="utf-8")
    assert text.count('msgstr ""\n"') == 1 and 'msgstr[0] ""' not in text
    assert "#, fuzzy" not in text
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) not installed: cannot check the compiled catalogue")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    with open(po.with_suffix(".mo"), "rb") as committed, open(fresh, "rb") as compiled:
        assert (
            gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
            == gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
        )


def test_criteria_and_review_rows_of_other_parts_are_used(
    demo: Any, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from ris3.workspace import parts
    from ris3.workspace.analysis import table_from_json
    from ris3.workspace.priorities import services

    wood = demo.domains.get(codes="C16")
    tourism = demo.domains.get(codes="I55")
    surveys = types.ModuleType("criteria")
    # a survey part's criterion: two domains rated, the others not asked (None: missing)
    surveys.CRITERIA = [  # type: ignore[attr-defined]
        ("survey_strength", "Perceived strength (survey)", "benefit",
         lambda s: {wood.pk: 4.5, tourism.pk: 3.0}),
    ]  # fmt: skip
    review = types.ModuleType("review")
    review.indicator_rows = lambda d: (  # type: ignore[attr-defined]
        [{"indicator": "Jobs in funded firms", "year": 2026, "value": 120}] if d == tourism else []
    )
    real = parts.part_modules
    monkeypatch.setattr(
        parts,
        "part_modules",
        lambda name: {"criteria": [surveys], "review": [review]}.get(name, real(name)),
    )
    run = services.run_scoring(
        None, demo, weights={"survey_strength": 2.0, "lq_europe": 1.0}, draws=200
    )
    ranking = table_from_json(run.ranking)
    # min-max over the two ranked domains: wood has the best rating (weight 2), tourism the LQ
    assert ranking["rank"].notna().sum() == 2
    assert ranking["alternative"].tolist()[:2] == [wood.pk, tourism.pk]
    assert ranking["score"].tolist()[:2] == pytest.approx([2 / 3, 1 / 3])
    assert set(ranking.loc[ranking["rank"].isna(), "missing_criteria"]) == {"survey_strength"}
    page = (
        _client(_demo_user("owner"))
        .get(f"/strategies/{demo.pk}/priorities/review/?domain={tourism.pk}")
        .content.decode()
    )
    assert "Jobs in funded firms" in page and "<td>120</td>" in page


def test_every_installed_criterion_scores_the_demo(demo: Any, db: None) -> None:
    """The parts' criteria (survey strength, proposals) rank domains like the evidence ones."""
    from ris3.workspace.analysis import table_from_json
    from ris3.workspace.priorities import analysis, services

    keys = [c[0] for c in analysis.criteria_catalogue()]
    assert {"survey_strength", "proposals_received", "proposal_score"} <= set(keys)
    owner = _demo_user("owner")
    for key in ("survey_strength", "proposals_received"):
        run = services.run_scoring(owner, demo, weights={key: 1.0}, method="topsis")
        values = table_from_json(run.values)
        ranking = table_from_json(run.ranking)
        got = values[values["criterion"] == key].set_index("domain")["value"]
        ranked = ranking[ranking["rank"].notna()]
        # only domains with a value are ranked, in the order of their value
        assert len(ranked) == got.notna().sum() > 0
        order = got.dropna().sort_values(ascending=False, kind="stable")
        assert got[ranked["alternative"].iloc[0]] == order.iloc[0]

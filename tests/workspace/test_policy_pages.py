"""The policy part through its pages: register, analysis, advisor, self-assessments.

The priorities' stages are the real ones of Tirol (AT33) in the bundled eu-sbs
data (ris3.profile): accommodation I55 mature with 3 stars, wood products C16
declining with 1 star, machinery C28 emerging with 0 stars. Gaps and
duplications are worked out by hand below and read back from the pages.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd
import pytest
from django.test import Client

from ris3.workspace import services
from ris3.workspace.models import AuditLog, Domain, Evidence
from ris3.workspace.policy.models import Assessment, Instrument, RegionContext


@pytest.fixture(scope="module")
def at33_specialisation() -> dict[str, Any]:
    from ris3.workspace import analysis

    return analysis.run_profile("AT33").tables["specialisation"]


@pytest.fixture
def scene(world: dict[str, Any], db: None, at33_specialisation: dict[str, Any]) -> dict[str, Any]:
    strategy = world["strategy"]
    Evidence.objects.create(
        strategy=strategy,
        function="ris3.profile",
        parameters={"region": "AT33", "year": 2014, "dataset": "eu-sbs"},
        data_version="eu-sbs (2014)",
        tables={"specialisation": at33_specialisation},
    )
    doms = {
        code: Domain.objects.create(
            strategy=strategy, title=title, codes=code, origin="test", status=status
        )
        for code, title, status in (
            ("I55", "Accommodation", "active"),
            ("C16", "Wood products", "active"),
            ("C28", "Machinery", "selected"),
            ("E37", "Sewerage", "candidate"),
        )
    }
    owner = Client()
    owner.force_login(world["users"]["owner"])
    return {"strategy": strategy, "domains": doms, "owner": owner, "world": world}


def post_instrument(scene: dict[str, Any], **over: Any) -> Any:
    data = {
        "name": "X",
        "owner_body": "Agency",
        "level": "regional",
        "tool_group": "collaborative_actions",
        "orientation": "vertical",
        "territory": "AT33",
        "eligible_beyond": "",
        "target_groups": "SME",
        "priorities": [],
        "decision": "keep",
        "rationale": "",
        "exit_benchmark": "",
        "budgets": "2024: 1000000",
        "funding": "ERDF: 0.5\nregional: 0.5",
        "version": "",
    }
    data.update(over)
    data["priorities"] = [scene["domains"][c].pk for c in data["priorities"]]
    pk = scene["strategy"].pk
    return scene["owner"].post(f"/strategies/{pk}/instruments/new/", data)


def items(html: str, cls: str) -> list[str]:
    found = re.findall(rf'<li class="{cls}">(.*?)</li>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", f).strip() for f in found]


def analysis_page(scene: dict[str, Any]) -> str:
    resp = scene["owner"].get(f"/strategies/{scene['strategy'].pk}/policy-mix/")
    assert resp.status_code == 200
    return resp.content.decode()


def test_gaps_and_duplications_hand_worked(scene: dict[str, Any]) -> None:
    # A regional and B national collaborative actions for accommodation, overlapping in
    # AT33 (B covers all of AT) and in SMEs: one duplication. C a regional cluster
    # platform for machinery (emerging: cluster_organisations closes its need).
    # Wood products (active, declining) has no instrument: the one gap. Sewerage is a
    # candidate, not a priority: never a gap.
    for name, level, tool, terr, targets, pri in (
        ("A", "regional", "collaborative_actions", "AT33", "SME", ["I55"]),
        ("B", "national", "collaborative_actions", "AT", "SME;research", ["I55"]),
        ("C", "regional", "cluster_organisations", "AT33", "all", ["C28"]),
    ):
        resp = post_instrument(
            scene, name=name, level=level, tool_group=tool, territory=terr,
            target_groups=targets, priorities=pri,
        )  # fmt: skip
        assert resp.status_code == 302, resp.content.decode()[:3000]
    html = analysis_page(scene)
    assert items(html, "gap") == ["Wood products (C16): no instrument · stage declining"]
    dup = items(html, "duplication")
    assert len(dup) == 1
    assert dup[0].startswith("Accommodation (I55): A (regional) and B (national)")
    assert "territory AT33 · target groups sme" in dup[0]

    # C becomes generic: machinery (emerging) lacks the cluster_organisations it needs
    c = Instrument.objects.get(strategy=scene["strategy"], name="C")
    data = {
        "name": "C", "owner_body": "Agency", "level": "regional", "tool_group": "generic",
        "orientation": "horizontal", "territory": "AT33", "eligible_beyond": "",
        "target_groups": "all", "priorities": [scene["domains"]["C28"].pk],
        "decision": "revise", "rationale": "no cluster support", "exit_benchmark": "",
        "budgets": "2024: 200000", "funding": "regional: 1", "version": c.version,
    }  # fmt: skip
    resp = scene["owner"].post(f"/strategies/{scene['strategy'].pk}/instruments/{c.pk}/edit/", data)
    assert resp.status_code == 302
    gaps = items(analysis_page(scene), "gap")
    assert gaps == [
        "Machinery (C28): no instrument of the tool group its stage calls for "
        "(cluster_organisations; present: generic) · stage emerging · report lines 1962-1964",
        "Wood products (C16): no instrument · stage declining",
    ]
    # D: local joint R&D for research in Innsbruck (AT332) duplicates B (national, AT,
    # research among its groups) but not A (regional, SMEs only)
    assert post_instrument(
        scene, name="D", level="local", territory="AT332", target_groups="research",
        priorities=["I55"],
    ).status_code == 302  # fmt: skip
    dup = items(analysis_page(scene), "duplication")
    assert len(dup) == 2
    assert any(d.startswith("Accommodation (I55): B (national) and D (local)") for d in dup)
    assert not any("A (regional) and D" in d for d in dup)


def test_budget_matrix_and_cofunding_values(scene: dict[str, Any]) -> None:
    post_instrument(scene, name="A", priorities=["I55"], budgets="2024: 1000000\n2025: 500000")
    post_instrument(
        scene, name="G", level="national", tool_group="generic", orientation="horizontal",
        territory="AT", budgets="2024: 3000000", funding="national: 1",
    )  # fmt: skip
    from ris3.workspace.policy import analysis

    r = analysis.policy_analysis(scene["strategy"], charts=False)
    m = r["matrix"].set_index(["priority", "instrument"])
    assert m.loc[("Accommodation (I55)", "A"), "budget_eur"] == 1_500_000
    assert m.loc[("(generic)", "G"), "budget_eur"] == 3_000_000
    t = r["targeted"].set_index("year")
    # 2024: 1.0 M targeted of 4.0 M; 2025: only A's 0.5 M
    assert t.loc[2024, "share_targeted"] == pytest.approx(0.25)
    assert t.loc[2025, "share_targeted"] == pytest.approx(1.0)
    cf = r["cofunding"].set_index(["year", "level", "source"])["budget_eur"]
    assert cf[(2024, "regional", "ERDF")] == pytest.approx(500_000)
    assert cf[(2025, "regional", "regional")] == pytest.approx(250_000)
    assert cf[(2024, "national", "national")] == pytest.approx(3_000_000)
    html = analysis_page(scene)
    assert html.count("<svg") == 2  # two charts drawn on the server


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"funding": "ERDF: 0.5\nregional: 0.4"}, "funding shares sum to 0.9, not 1"),
        ({"territory": "AT39"}, "unknown NUTS code &#x27;AT39&#x27;"),
        (
            {"territory": "at33", "eligible_beyond": "ITX9"},
            "unknown NUTS code in eligible_beyond &#x27;ITX9&#x27;",
        ),
        ({"decision": "suppress"}, "decision &#x27;suppress&#x27; needs a rationale"),
        ({"budgets": "2024: -5"}, "budget for 2024 is negative"),
        ({"funding": "lottery: 1"}, "funding source &#x27;lottery&#x27; is not one of"),
    ],
)
def test_form_refuses_what_the_register_check_rejects(
    scene: dict[str, Any], over: dict[str, str], message: str
) -> None:
    resp = post_instrument(scene, **over)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Instrument.objects.filter(strategy=scene["strategy"]).exists()


def test_edit_is_audited_and_a_stale_version_conflicts(scene: dict[str, Any]) -> None:
    post_instrument(scene, name="A", priorities=["I55"])
    ins = Instrument.objects.get(strategy=scene["strategy"], name="A")
    n = AuditLog.objects.count()
    base = {
        "name": "A", "owner_body": "Agency", "level": "regional",
        "tool_group": "collaborative_actions", "orientation": "vertical", "territory": "AT33",
        "eligible_beyond": "", "target_groups": "SME", "priorities": [scene["domains"]["I55"].pk],
        "decision": "revise", "rationale": "overlaps the national call", "exit_benchmark": "",
        "budgets": "2024: 900000", "funding": "ERDF: 1",
    }  # fmt: skip
    url = f"/strategies/{scene['strategy'].pk}/instruments/{ins.pk}/edit/"
    assert scene["owner"].post(url, {**base, "version": ins.version}).status_code == 302
    assert AuditLog.objects.count() == n + 1
    rec = AuditLog.objects.first()
    assert rec.before["decision"] == "keep" and rec.after["decision"] == "revise"
    assert rec.before["budgets"] == [[2024, "1000000.00"]]
    assert rec.after["budgets"] == [[2024, "900000.00"]]
    assert rec.after["funding"] == [["ERDF", "1.000000"]]
    # the same form again, with the version the editor saw before: conflict, nothing saved
    resp = scene["owner"].post(url, {**base, "decision": "keep", "version": ins.version})
    assert resp.status_code == 409
    assert Instrument.objects.get(pk=ins.pk).decision == "revise"
    assert AuditLog.objects.count() == n + 1


def test_instrument_of_another_strategy_is_not_found(scene: dict[str, Any]) -> None:
    other = scene["world"]["other"]
    ins = services_create(other)
    resp = scene["owner"].get(f"/strategies/{scene['strategy'].pk}/instruments/{ins.pk}/edit/")
    assert resp.status_code == 404


def services_create(strategy: Any) -> Instrument:
    from ris3.workspace.policy import services as policy

    return policy.create_instrument(
        None,
        strategy,
        fields={"name": "Elsewhere", "owner_body": "x", "level": "EU", "tool_group": "generic",
                "orientation": "horizontal", "territory": "AT32", "target_groups": "all"},
        priorities=[], budgets=[], funding=[],
    )  # fmt: skip


CSV = """instrument,owner,level,tool_group,orientation,territory,eligible_beyond,target_groups,priorities,decision,rationale,budget_2024,budget_2025,share_ERDF,share_regional
Tourism call,Agency,regional,collaborative_actions,vertical,AT33,,SME,Accommodation (I55),keep,,1000000,1000000,0.5,0.5
Wood call,Agency,regional,collaborative_actions,vertical,AT33,,SME,C16,keep,,200000,,,1
Bad shares,Agency,regional,generic,horizontal,AT33,,all,,keep,,100,,0.5,0.6
Bad place,Agency,federal,generic,horizontal,XX99,,all,,keep,,100,,,1
Unknown priority,Agency,regional,generic,horizontal,AT33,,all,Space,keep,,100,,,1
"""


def test_import_preview_then_create_and_export_round_trip(scene: dict[str, Any]) -> None:
    pk = scene["strategy"].pk
    f = io.BytesIO(CSV.encode())
    f.name = "register.csv"
    resp = scene["owner"].post(f"/strategies/{pk}/instruments/import/", {"file": f})
    html = resp.content.decode()
    assert "2 instruments will be created" in html
    assert "3 rows are rejected" in html
    assert "funding shares sum to 1.1, not 1" in html
    assert "level &#x27;federal&#x27; is not one of" in html
    assert "unknown NUTS code &#x27;XX99&#x27;" in html
    assert "priority &#x27;Space&#x27; is not a domain of this strategy" in html
    assert not Instrument.objects.filter(strategy=scene["strategy"]).exists()
    resp = scene["owner"].post(f"/strategies/{pk}/instruments/import/", {"confirm": "1"})
    assert "Created 2 instruments; 3 rows rejected." in resp.content.decode()
    wood = Instrument.objects.get(strategy=scene["strategy"], name="Wood call")
    assert [(b.year, float(b.budget_eur)) for b in wood.budgets.all()] == [(2024, 200000.0)]
    assert [d.codes for d in wood.priorities.all()] == ["C16"]
    # the export reads back as the same sheet
    out = scene["owner"].get(f"/strategies/{pk}/instruments/export/")
    sheet = pd.read_csv(io.StringIO(out.content.decode()))
    assert sheet["instrument"].tolist() == ["Tourism call", "Wood call"]
    assert sheet["budget_2025"].isna().tolist() == [False, True]  # no line is not 0
    assert sheet.loc[1, "share_regional"] == 1.0 and pd.isna(sheet.loc[1, "share_ERDF"])
    xlsx = scene["owner"].get(f"/strategies/{pk}/instruments/export/?format=xlsx")
    assert (
        pd.read_excel(io.BytesIO(xlsx.content))["instrument"].tolist()
        == sheet["instrument"].tolist()
    )


def test_advisor_region_stage_recommendations_and_flags(scene: dict[str, Any]) -> None:
    pk = scene["strategy"].pk
    # a large joint-R&D programme without exit benchmark on emerging machinery: the
    # report's mistake of supporting emerging clusters with mature-cluster tools
    post_instrument(scene, name="Big R&D", priorities=["C28"], budgets="2024: 2500000")
    html = scene["owner"].get(f"/strategies/{pk}/advisor/").content.decode()
    assert "nama_10r_2gdp" in html and "not part of the data" in html
    assert "Region stage: <strong>unknown</strong>" in html
    flags = items(html, "flag")
    assert [f.split(":")[1].split("(")[0].strip() for f in flags] == [
        "same_tools_mature_emerging",
        "no_exit_benchmark",
    ]
    assert "report lines 1214-1221, 1964-1965" in flags[0]
    # Tirol's GDP per inhabitant entered by the user (values invented for the test):
    # 41,000 against an EU average of 33,000 PPS is 124.2 %: advanced
    resp = scene["owner"].post(
        f"/strategies/{pk}/advisor/region/",
        {"gdp_pps": "41000", "eu_average_pps": "33000", "gdp_year": "2022",
         "gdp_source": "Eurostat nama_10r_2gdp (entered for the test)", "stage_override": "",
         "size": "medium", "state_structure": "federal", "large_budget_eur": "1000000",
         "note": "", "version": ""},
    )  # fmt: skip
    assert resp.status_code == 302
    html = scene["owner"].get(f"/strategies/{pk}/advisor/").content.decode()
    assert "Region stage: <strong>advanced</strong>. 124.2 % of the EU average (2022" in html
    advice = items(html, "advice")
    # mature accommodation: three rules + strong (3 stars) + advanced region
    mine = [a for a in advice if a.startswith("Accommodation")]
    assert len(mine) == 5
    assert any("report lines 1953-1954" in a for a in mine)
    assert any("report lines 1968-1970" in a for a in mine)
    # override to lagging: the lagging rules appear, the override is said
    ctx = RegionContext.objects.get(strategy=scene["strategy"])
    services.update(None, ctx, ctx.version, {"stage_override": "lagging"})
    html = scene["owner"].get(f"/strategies/{pk}/advisor/").content.decode()
    assert "Set by the user to lagging" in html
    assert "lagging_large_investment" in html  # a regional 2.5 M cluster instrument


def test_self_assessments_scored_with_evidence_and_audited(scene: dict[str, Any]) -> None:
    pk = scene["strategy"].pk
    evaluator = Client()
    evaluator.force_login(scene["world"]["users"]["evaluator"])
    n = AuditLog.objects.count()
    resp = evaluator.post(
        f"/strategies/{pk}/assessments/strategy/",
        {"score-competent_body": "4", "evidence-competent_body": "https://example.org/decree",
         "comment-competent_body": "agency named in law",
         "score-monitoring_evaluation": "2", "evidence-monitoring_evaluation": ""},
    )  # fmt: skip
    assert resp.status_code == 302
    assert AuditLog.objects.count() == n + 2
    html = evaluator.get(f"/strategies/{pk}/assessments/").content.decode()
    assert "2 of 7 criteria scored; mean 3.00; weakest: monitoring_evaluation." in html
    assert "no evidence" in html
    # a cluster programme gets the twelve good-practice rules
    post_instrument(scene, name="Platform", tool_group="cluster_organisations", priorities=["C28"])
    ins = Instrument.objects.get(strategy=scene["strategy"], name="Platform")
    url = f"/strategies/{pk}/assessments/programme/{ins.pk}/"
    assert evaluator.get(url).content.decode().count("<fieldset") == 12
    assert evaluator.post(url, {"score-businesses_driving_seat": "6"}).status_code == 200
    assert not Assessment.objects.filter(instrument=ins).exists()
    assert evaluator.post(url, {"score-businesses_driving_seat": "3",
                                "evidence-businesses_driving_seat": "board minutes"}).status_code == 302  # fmt: skip
    a = Assessment.objects.get(instrument=ins)
    # a stale version of the same criterion: conflict
    resp = evaluator.post(
        url, {"score-businesses_driving_seat": "1", "version-businesses_driving_seat": "99"}
    )
    assert resp.status_code == 409
    assert Assessment.objects.get(pk=a.pk).score == 3
    # a generic instrument is no cluster programme
    post_instrument(scene, name="Generic", tool_group="generic", orientation="horizontal")
    g = Instrument.objects.get(strategy=scene["strategy"], name="Generic")
    assert evaluator.get(f"/strategies/{pk}/assessments/programme/{g.pk}/").status_code == 404


PAGE_ROLES = {
    # page -> roles that may GET it
    "instruments/": {"owner", "facilitator", "evaluator", "stakeholder", "observer"},
    "policy-mix/": {"owner", "facilitator", "evaluator", "stakeholder", "observer"},
    "advisor/": {"owner", "facilitator", "evaluator", "stakeholder", "observer"},
    "instruments/new/": {"owner", "facilitator"},
    "instruments/import/": {"owner", "facilitator"},
    "instruments/export/": {"owner", "facilitator", "evaluator", "observer"},
    "advisor/region/": {"owner", "facilitator"},
    "assessments/": {"owner", "facilitator", "evaluator", "observer"},
    "assessments/strategy/": {"owner", "evaluator"},
    "instruments/{i}/edit/": {"owner", "facilitator"},
    "assessments/programme/{i}/": {"owner", "evaluator"},
}


@pytest.mark.parametrize(
    "role", ["owner", "facilitator", "evaluator", "stakeholder", "observer", "outsider"]
)
def test_pages_per_role_with_real_records(scene: dict[str, Any], role: str) -> None:
    post_instrument(scene, name="Platform", tool_group="cluster_organisations", priorities=["C28"])
    ins = Instrument.objects.get(strategy=scene["strategy"], name="Platform")
    client = Client()
    client.force_login(scene["world"]["users"][role])
    for tail, roles in PAGE_ROLES.items():
        url = f"/strategies/{scene['strategy'].pk}/{tail.format(i=ins.pk)}"
        status = client.get(url).status_code
        assert status == (200 if role in roles else 403), (role, url, status)


def test_api_lists_creates_refuses_and_analyses(scene: dict[str, Any]) -> None:
    import json

    w = scene["world"]
    pk = scene["strategy"].pk
    url = f"/api/policy/strategies/{pk}/instruments"

    def call(role: str, method: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {w['tokens'][role]}"}
        if body is None:
            return Client().generic(method, path, headers=headers)
        return Client().generic(
            method, path, json.dumps(body), content_type="application/json", headers=headers
        )

    body = {
        "name": "API call", "owner_body": "Agency", "level": "regional",
        "tool_group": "collaborative_actions", "orientation": "vertical", "territory": "AT33",
        "target_groups": "SME", "priorities": [scene["domains"]["I55"].pk],
        "budgets": {"2024": 1000000}, "funding": {"ERDF": 0.5, "regional": 0.5},
    }  # fmt: skip
    assert call("stakeholder", "POST", url, body).status_code == 403
    created = call("facilitator", "POST", url, body)
    assert created.status_code == 201, created.content
    assert created.json()["budgets"] == {"2024": 1000000.0}
    bad = call("owner", "POST", url, {**body, "name": "Bad", "funding": {"ERDF": 0.3}})
    assert bad.status_code == 422
    assert "funding shares sum to 0.3, not 1" in bad.json()["detail"]
    listed = call("observer", "GET", url).json()
    assert [i["name"] for i in listed] == ["API call"]
    gaps = call("observer", "GET", f"/api/policy/strategies/{pk}/analysis").json()["gaps"]
    assert [r[0] for r in gaps["data"]] == ["Machinery (C28)", "Wood products (C16)"]
    assert call("stakeholder", "GET", f"/api/policy/strategies/{pk}/assessments").status_code == 403
    adv = call("evaluator", "GET", f"/api/policy/strategies/{pk}/advisor").json()
    assert adv["region_stage"] is None
    paths = set(Client().get("/api/openapi.json").json()["paths"])
    assert {
        "/api/policy/strategies/{strategy_id}/instruments",
        "/api/policy/strategies/{strategy_id}/analysis",
        "/api/policy/strategies/{strategy_id}/advisor",
        "/api/policy/strategies/{strategy_id}/assessments",
    } <= paths


def test_record_pages_have_accessible_markup(scene: dict[str, Any]) -> None:
    from test_workspace_markup import problems

    post_instrument(scene, name="Platform", tool_group="cluster_organisations", priorities=["C28"])
    ins = Instrument.objects.get(strategy=scene["strategy"], name="Platform")
    pk = scene["strategy"].pk
    for tail in (f"instruments/{ins.pk}/edit/", f"assessments/programme/{ins.pk}/",
                 "policy-mix/", "advisor/", "advisor/region/", "assessments/",
                 "assessments/strategy/", "instruments/", "instruments/import/"):  # fmt: skip
        resp = scene["owner"].get(f"/strategies/{pk}/{tail}")
        assert resp.status_code == 200
        assert problems(resp.content.decode()) == [], tail


def test_document_sections_hold_the_tables(scene: dict[str, Any]) -> None:
    from ris3.workspace.policy.document import sections

    post_instrument(scene, name="A", priorities=["I55"])
    post_instrument(scene, name="B", level="national", territory="AT", priorities=["I55"])
    secs = {s.key: s for s in sections(scene["strategy"])}
    assert list(secs) == [
        "register", "matrix", "gaps", "duplications", "cofunding", "advisor", "self_assessments",
    ]  # fmt: skip
    assert secs["gaps"].tables["gaps"]["priority"].tolist() == [
        "Machinery (C28)",
        "Wood products (C16)",
    ]
    assert len(secs["duplications"].tables["duplications"]) == 1
    assert set(secs["cofunding"].charts) == {"cofunding", "targeted"}
    assert not secs["register"].illustrative


def test_cross_border_partners_and_open_instruments(scene: dict[str, Any]) -> None:
    import ris3
    from ris3.workspace.policy import analysis

    other = scene["world"]["other"]  # AT32 Salzburg
    other.published = True
    other.save()
    Domain.objects.create(strategy=other, title="Hotels", codes="I55", origin="t", status="active")
    post_instrument(scene, name="Regional", priorities=["I55"])
    post_instrument(scene, name="Interreg", level="cross_border", territory="AT33",
                    eligible_beyond="ITH1;DE12", priorities=["I55"])  # fmt: skip
    post_instrument(scene, name="Federal", level="national", territory="AT", priorities=["I55"])
    r = analysis.cross_border(scene["strategy"])
    partners = r["partners"].set_index("region")
    # shared priorities: Salzburg shares I55, one of Tirol's three active codes
    assert partners.at["AT32", "n_shared"] == 1
    assert partners.at["AT32", "jaccard"] == pytest.approx(1 / 3)
    # specialisation partners: the ten best of ris3.partners on eu-sbs 2014, computed here
    data = ris3.datasets.load("eu-sbs")
    cur = data[(data["year"] == 2014) & (data["geo"].str.len() == 4)]
    phi = ris3.proximity(
        cur, region="geo", activity="nace_r2", value="persons_employed", missing="drop"
    )
    best = ris3.partners(
        cur, region="geo", activity="nace_r2", value="persons_employed", target="AT33",
        proximity=phi, missing="drop",
    ).head(10)  # fmt: skip
    for geo, score in zip(best["geo"], best["score"]):
        assert partners.at[geo, "partner_score"] == pytest.approx(score)
    opened = {(o, p) for o, p in zip(r["open"]["instrument"], r["open"]["partner"])}
    assert ("Interreg", "DE12") in opened and ("Federal", "AT32") in opened
    assert not any(o == "Regional" for o, _ in opened)
    assert ("Interreg", "AT32") not in opened


def test_pages_speak_german(scene: dict[str, Any]) -> None:
    from django.conf import settings

    scene["owner"].cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = scene["owner"].get(f"/strategies/{scene['strategy'].pk}/instruments/").content.decode()
    assert "<h1>Instrumentenregister</h1>" in html
    assert ">Selbstbewertungen</a>" in html  # the part's tab


def test_demo_shows_one_duplication_one_gap_and_decisions(db: None) -> None:
    from ris3.workspace.demo import build_demo
    from ris3.workspace.policy import analysis

    strategy = build_demo("Demo-pass-4-test")
    ins = Instrument.objects.filter(strategy=strategy)
    assert ins.count() == 3 and all(i.illustrative and "(illustrative)" in i.name for i in ins)
    assert sorted({i.level for i in ins}) == ["national", "regional"]
    assert sorted(i.decision for i in ins) == ["", "keep", "revise"]
    r = analysis.policy_analysis(strategy, charts=False)
    assert r["gaps"][["priority", "gap"]].values.tolist() == [
        ["Manufacture of wood and of products of wood and cork, except furniture (C16)",
         "no_instrument"],
    ]  # fmt: skip
    dup = r["duplications"]
    assert len(dup) == 1 and dup.loc[0, "priority"] == "Accommodation (I55)"
    assert {dup.loc[0, "level_a"], dup.loc[0, "level_b"]} == {"national", "regional"}
    html_client = Client()
    html_client.force_login(strategy.memberships.get(role="observer").user)
    html = html_client.get(f"/strategies/{strategy.pk}/instruments/").content.decode()
    assert html.count('class="badge"') == 3  # every demo instrument labelled illustrative


def test_xlsx_export_imports_back_unchanged(scene: dict[str, Any]) -> None:
    pk = scene["strategy"].pk
    post_instrument(scene, name="A", priorities=["I55", "C16"], budgets="2024: 1000\n2026: 250.5",
                    eligible_beyond="ITH1", exit_benchmark="ten firms by 2026")  # fmt: skip
    post_instrument(scene, name="G", tool_group="generic", orientation="horizontal",
                    funding="national: 1", level="national", territory="AT")  # fmt: skip
    first = scene["owner"].get(f"/strategies/{pk}/instruments/export/?format=xlsx").content
    Instrument.objects.filter(strategy=scene["strategy"]).delete()
    f = io.BytesIO(first)
    f.name = "register.xlsx"
    html = scene["owner"].post(f"/strategies/{pk}/instruments/import/", {"file": f})
    assert "2 instruments will be created" in html.content.decode()
    scene["owner"].post(f"/strategies/{pk}/instruments/import/", {"confirm": "1"})
    second = scene["owner"].get(f"/strategies/{pk}/instruments/export/?format=xlsx").content
    pd.testing.assert_frame_equal(
        pd.read_excel(io.BytesIO(first)), pd.read_excel(io.BytesIO(second))
    )


def test_register_read_while_an_instrument_is_added(
    scene: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # another request registers an instrument between the register's queries (seen
    # under load): its budgets must not appear without it, the analysis answers 200
    from ris3.workspace.policy import services as policy
    from ris3.workspace.policy import tables
    from ris3.workspace.policy.models import InstrumentBudget

    strategy = scene["strategy"]
    policy.create_instrument(
        None, strategy,
        fields={"name": "First", "owner_body": "Agency", "level": "regional",
                "tool_group": "generic", "orientation": "horizontal", "territory": "AT33",
                "target_groups": "all"},
        priorities=[scene["domains"]["I55"]], budgets=[(2024, 100.0)], funding=[("ERDF", 1.0)],
    )  # fmt: skip
    real = InstrumentBudget.objects

    class Budgets:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def filter(self, *args: Any, **kwargs: Any) -> Any:
            policy.create_instrument(
                None, strategy,
                fields={"name": "Meanwhile", "owner_body": "Agency", "level": "regional",
                        "tool_group": "generic", "orientation": "horizontal",
                        "territory": "AT33", "target_groups": "all"},
                priorities=[], budgets=[(2024, 50.0)], funding=[("regional", 1.0)],
            )  # fmt: skip
            return real.filter(*args, **kwargs)

    monkeypatch.setattr(tables.InstrumentBudget, "objects", Budgets())
    ins, bud, fund = tables.register(strategy)
    assert list(ins["instrument"]) == ["First"]
    assert bud.values.tolist() == [["First", 2024, 100.0]]
    # funding is read after the newcomer was stored: it is left out too
    assert fund.values.tolist() == [["First", "ERDF", 1.0]]

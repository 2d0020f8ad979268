"""From the database to the tidy tables of :mod:`ris3.strategy.surveys` (no computation here).

The ratings of a survey are the answers to its domain x rating questions,
one row per response x domain (a domain a respondent did not rate has no
row: it counts for nobody, never as a zero). The measured strength of a
domain is read from the newest evidence that gives it metrics: ``lq`` (the
location quotient against Europe), ``stars`` and ``growth``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ris3.errors import Ris3Error
from ris3.strategy.surveys import (
    StrengthReport,
    choice_summary,
    scale_summary,
    strength_report,
)
from ris3.workspace.models import DomainEvidence, Strategy
from ris3.workspace.surveys.models import Answer, Response, Survey

#: bootstrap resamples and seed of every survey report (fixed: a report is reproducible)
N_BOOT = 2000
SEED = 0
#: measured strength: metric of the evidence -> column of the report
MEASURES = {"lq_europe": "lq", "stars": "stars", "growth": "growth"}


def ratings_frame(survey: Survey) -> pd.DataFrame:
    """respondent, domain (id), rating, helix, sector of the survey's matrix answers."""
    rows = Answer.objects.filter(response__survey=survey, question__kind="matrix").values_list(
        "response_id", "item", "value", "response__helix", "response__sector"
    )
    df = pd.DataFrame(list(rows), columns=["respondent", "domain", "rating", "helix", "sector"])
    df["rating"] = pd.to_numeric(df["rating"], errors="coerce")
    df["domain"] = df["domain"].astype(str)
    # one matrix question per survey is the rule; with several, a respondent's
    # ratings of a domain are averaged so that each respondent counts once
    return (
        df.groupby(["respondent", "domain", "helix", "sector"], sort=False, as_index=False)[
            "rating"
        ]
        .mean()
        .loc[:, ["respondent", "domain", "rating", "helix", "sector"]]
    )


def measured_frame(strategy: Strategy) -> pd.DataFrame:
    """Tabulate domain (id), lq, stars, growth from the newest evidence of each domain."""
    rows: dict[str, dict[str, Any]] = {}
    links = DomainEvidence.objects.filter(domain__strategy=strategy).order_by(
        "-evidence__created_at", "-evidence_id"
    )
    for link in links.values("domain_id", "metrics"):
        key = str(link["domain_id"])
        if key in rows:
            continue
        m = link["metrics"] or {}
        rows[key] = {col: m.get(src) for src, col in MEASURES.items()}
    df = pd.DataFrame.from_dict(rows, orient="index", columns=list(MEASURES.values()))
    df = df.apply(pd.to_numeric, errors="coerce")
    return df.rename_axis("domain").reset_index()


def domain_titles(strategy: Strategy) -> dict[str, str]:
    """Return the title of every domain of the strategy, by domain id as text."""
    return {str(pk): title for pk, title in strategy.domains.values_list("pk", "title")}


def survey_report(survey: Survey) -> dict[str, Any]:
    """Return the report of a survey: the tables, what is hidden, and why a part is missing."""
    ratings = ratings_frame(survey)
    n = Response.objects.filter(survey=survey).count()
    out: dict[str, Any] = {
        "respondents": n,
        "threshold": survey.min_respondents,
        "report": None,
        "errors": [],
        "choices": None,
        "scales": None,
    }
    if not ratings.empty:
        measured = measured_frame(survey.strategy)
        target = survey.target_mix or None
        try:
            rep = strength_report(
                ratings,
                target=target,
                measured=measured if len(measured) else None,
                min_respondents=survey.min_respondents,
                n_boot=N_BOOT,
                seed=SEED,
            )
        except Ris3Error as exc:
            # a target mix the sample cannot meet: the report without reweighting, and why
            out["errors"].append(str(exc))
            rep = strength_report(
                ratings,
                measured=measured if len(measured) else None,
                min_respondents=survey.min_respondents,
                n_boot=N_BOOT,
                seed=SEED,
            )
        out["report"] = rep
    picks = Answer.objects.filter(
        response__survey=survey, question__kind__in=("single", "multiple")
    ).values_list("response_id", "question__code", "item", "value", "question__kind")
    df = pd.DataFrame(list(picks), columns=["respondent", "question", "item", "value", "kind"])
    if len(df):
        df["item"] = df["item"].where(df["kind"] == "multiple", df["value"])
        out["choices"] = choice_summary(df, min_respondents=survey.min_respondents)
    scales = Answer.objects.filter(
        response__survey=survey, question__kind__in=("likert", "ranking")
    ).values_list("response_id", "question__code", "item", "value")
    sf = pd.DataFrame(list(scales), columns=["respondent", "question", "item", "value"])
    if len(sf):
        out["scales"] = scale_summary(sf, min_respondents=survey.min_respondents)
    return out


def titled(table: pd.DataFrame | None, titles: dict[str, str]) -> pd.DataFrame | None:
    """Return the table with a ``domain_title`` column after ``domain``."""
    if table is None:
        return None
    t = table.copy()
    if "domain" in t.columns:
        t.insert(1, "domain_title", t["domain"].map(lambda d: titles.get(str(d), str(d))))
    return t


def report_tables(survey: Survey) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Return the tables a page shows and an export writes (small groups left out), titled."""
    result = survey_report(survey)
    titles = domain_titles(survey.strategy)
    rep: StrengthReport | None = result["report"]
    tables: dict[str, pd.DataFrame] = {}
    if rep is not None:
        for name in ("overall", "by_helix", "by_sector", "gap", "weights", "reweighted"):
            t = getattr(rep, name)
            if t is not None:
                tables[name] = titled(t, titles)  # type: ignore[assignment]
        if rep.perception is not None:
            tables["perception"] = titled(rep.perception, titles)  # type: ignore[assignment]
        tables["hidden"] = titled(rep.hidden, titles)  # type: ignore[assignment]
    if result["choices"] is not None:
        tables["choices"] = result["choices"]
    if result["scales"] is not None:
        tables["scales"] = result["scales"]
    return tables, result

"""Self-assessments: good practice in cluster programmes and good governance of the S3.

Two checklists as data, and one scoring function:

* :data:`GOOD_PRACTICE_RULES`, the report's good practice for cluster
  policies, from its Table 2 (``clusters-and-s3-report.txt`` lines
  1321-1336) and its closing list (lines 1977-1999), each with the lines
  and a short quotation; scored per cluster programme.
* :data:`ENABLING_CONDITION_CRITERIA`, the seven fulfilment criteria of the
  2021-27 enabling condition "good governance of the smart specialisation
  strategy" (Regulation (EU) 2021/1060, Annex IV, thematic enabling
  condition 1.1 for policy objective 1), stated in ris3's own words;
  scored per strategy.

Scores run from 0 (no information) to 5 (excellent), the scale of the JRC's
RIS3 Assessment Wheel; each score should name its evidence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ris3._validation import check_option, short_list
from ris3.errors import InputError
from ris3.strategy._common import require_columns, require_frame
from ris3.strategy.instruments import codes

__all__ = [
    "GOOD_PRACTICE_RULES",
    "ENABLING_CONDITION_CRITERIA",
    "CHECKLISTS",
    "score_assessment",
]

#: The report's good practice for cluster policies as (key, group, label,
#: lines, quotation); groups as in its Table 2.
GOOD_PRACTICE_RULES: tuple[tuple[str, str, str, str, str], ...] = (
    ("needs_based_agenda", "activities", "An action agenda fitted to the cluster's specific needs",
     "1323, 1989", "Action agenda addressing the cluster's specific needs"),
    ("innovation_at_core", "activities", "Innovation, technological or not, at the core",
     "1987", "Innovation (technology-based or not) dimension is at the core of the clusters"),
    ("buzz_and_pipelines", "activities", "Local buzz and global pipelines",
     "1324, 1990", "Strengthening local buzz and global pipelines"),
    ("boundary_exploration", "activities", "Opportunities at the cluster's boundaries explored",
     "1325", "Systematic exploration of opportunities at boundaries of the cluster"),
    ("tracking_goals", "activities", "Goals, activities and impact tracked systematically",
     "1326, 1995-1996", "Systematic tracking of goals, activities, and impact"),
    ("businesses_driving_seat", "organisation", "Businesses in the driving seat",
     "1329, 1986", "Businesses in the driving seat"),
    ("professional_management", "organisation", "Professional and effective cluster management",
     "1330, 1988", "Professional cluster management"),
    ("performance_funding", "organisation",
     "Performance-based, long-term funding that brings private involvement and sustainability",
     "1331, 1992-1993", "Performance-based funding with a long term orientation"),
    ("regional_strategy", "policy_context", "Part of a wider regional development strategy",
     "1334, 1994", "Cluster policies integrated into a wider regional development strategy"),
    ("functional_region", "policy_context", "Aligned to the cluster's functional region",
     "1335, 1991", "Cluster policies aligned to the functional region of the cluster"),
    ("evidence_evaluation", "policy_context", "Sound evidence base, monitoring and robust evaluation",
     "1336, 1995-1996", "Cluster policies informed by sound evidence base and robust evaluations"),
    ("strategic_capacity", "policy_context", "An authority with the strategic capacity to run it",
     "1997-1999", "Authorities in charge have the strategic capacity to run such demanding policies"),
)  # fmt: skip

_REG = "Regulation (EU) 2021/1060, Annex IV, enabling condition 1.1, criterion"
#: The enabling condition's fulfilment criteria as (key, label, reference);
#: the labels paraphrase the regulation.
ENABLING_CONDITION_CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("bottleneck_analysis", "A current analysis of what holds back the diffusion of innovation, "
     "digitalisation included", f"{_REG} 1"),
    ("competent_body", "A regional or national body that is competent for and manages the "
     "strategy", f"{_REG} 2"),
    ("monitoring_evaluation", "Tools to monitor and evaluate progress towards the strategy's "
     "objectives", f"{_REG} 3"),
    ("stakeholder_cooperation", "Working cooperation of stakeholders: the entrepreneurial "
     "discovery process", f"{_REG} 4"),
    ("innovation_system", "Actions to improve the regional or national research and innovation "
     "system, where relevant", f"{_REG} 5"),
    ("industrial_transition", "Actions to manage industrial transition, where relevant",
     f"{_REG} 6"),
    ("international_cooperation", "Measures to cooperate with partners outside the Member State "
     "in the strategy's priority areas", f"{_REG} 7"),
)  # fmt: skip

#: Checklist name -> (key, label, source) rows.
CHECKLISTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "good_practice": tuple(
        (k, label, f"report lines {lines}") for k, _, label, lines, _ in GOOD_PRACTICE_RULES
    ),
    "enabling_condition": ENABLING_CONDITION_CRITERIA,
}


def score_assessment(
    scores: pd.DataFrame, *, checklist: str = "good_practice"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score a self-assessment against a checklist, criterion by criterion.

    Parameters
    ----------
    scores : DataFrame
        ``criterion`` (a key of the checklist), ``score`` (an integer 0-5, or
        empty when not yet scored), ``evidence`` (links or document names, a
        list or separated by ";"); optionally ``subject`` (the programme or
        strategy assessed; several subjects are scored separately) and
        ``comment``.
    checklist : {"good_practice", "enabling_condition"}
        :data:`GOOD_PRACTICE_RULES` or :data:`ENABLING_CONDITION_CRITERIA`.

    Returns
    -------
    criteria : DataFrame
        One row per subject x criterion of the checklist, in its order:
        [``subject``], ``criterion``, ``label``, ``source`` (report lines or
        the regulation's criterion), ``score`` (NaN when not scored: not
        scored is not 0), ``evidence`` (tuple), ``n_evidence`` and ``note``
        ("not scored", "no evidence" for a score above 0 without any).
    summary : DataFrame
        One row per subject: ``n_criteria``, ``n_scored``, ``mean_score``
        (over the scored criteria), ``min_score``, ``weakest`` (criteria at
        the minimum, joined by ", "), ``n_without_evidence`` and
        ``complete`` (every criterion scored).

    Raises
    ------
    InputError
        An unknown criterion, a criterion scored twice for a subject, or a
        score that is not an integer from 0 to 5.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"criterion": ["competent_body", "monitoring_evaluation"],
    ...                   "score": [4, 2], "evidence": ["https://example.org/decree", ""]})
    >>> crit, summ = score_assessment(s, checklist="enabling_condition")
    >>> crit[["note", "score", "criterion"]].head(3)
              note  score              criterion
    0   not scored    NaN    bottleneck_analysis
    1                 4.0         competent_body
    2  no evidence    2.0  monitoring_evaluation
    >>> summ[["n_scored", "mean_score", "weakest", "complete"]]
       n_scored  mean_score                weakest  complete
    0         2         3.0  monitoring_evaluation     False
    """
    check_option("checklist", checklist, tuple(CHECKLISTS))
    items = CHECKLISTS[checklist]
    df = require_frame(scores, "the score table")
    require_columns(
        df, "the score table", criterion="criterion", score="score", evidence="evidence"
    )
    keys = [k for k, _, _ in items]
    unknown = sorted(set(df["criterion"]) - set(keys), key=str)
    if unknown:
        raise InputError(
            f"the score table has unknown criteria {short_list(unknown, 5)}; "
            f"allowed for {checklist}: {short_list(keys, 12)}"
        )
    has_subject = "subject" in df.columns
    subject = df["subject"] if has_subject else pd.Series("", index=df.index)
    dup = pd.DataFrame({"s": subject, "c": df["criterion"]}).duplicated(keep=False)
    if dup.any():
        raise InputError(
            f"the score table scores a criterion twice: rows {short_list(df.index[dup].tolist(), 5)}"
        )
    value = pd.to_numeric(df["score"], errors="coerce")
    bad = (df["score"].notna() & value.isna()) | ~(value.isna() | (value.isin(range(6))))
    if bad.any():
        raise InputError(
            f"score must be an integer from 0 to 5 or empty; got {short_list(df.loc[bad, 'score'].tolist(), 5)}"
        )
    rows, summary = [], []
    for subj in pd.unique(subject):
        mine = df[subject == subj].set_index("criterion")
        part = []
        for key, label, source in items:
            given = key in mine.index
            sc = np.nan
            ev: tuple[str, ...] = ()
            if given:
                sc = float(pd.to_numeric(mine.at[key, "score"], errors="coerce"))
                ev = codes(mine.at[key, "evidence"])
            note = "not scored" if np.isnan(sc) else ("no evidence" if sc > 0 and not ev else "")
            part.append(
                {
                    **({"subject": subj} if has_subject else {}),
                    "criterion": key,
                    "label": label,
                    "source": source,
                    "score": sc,
                    "evidence": ev,
                    "n_evidence": len(ev),
                    "note": note,
                }
            )
        p = pd.DataFrame(part)
        scored = p["score"].dropna()
        low = scored.min() if len(scored) else np.nan
        summary.append(
            {
                **({"subject": subj} if has_subject else {}),
                "n_criteria": len(p),
                "n_scored": len(scored),
                "mean_score": scored.mean() if len(scored) else np.nan,
                "min_score": low,
                "weakest": ", ".join(p.loc[p["score"] == low, "criterion"]) if len(scored) else "",
                "n_without_evidence": int((p["note"] == "no evidence").sum()),
                "complete": len(scored) == len(p),
            }
        )
        rows.append(p)
    return pd.concat(rows, ignore_index=True), pd.DataFrame(summary)

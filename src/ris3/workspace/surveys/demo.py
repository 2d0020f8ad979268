"""An illustrative survey on the demo strategy: invented responses, labelled so everywhere.

Forty invented respondents rate the demo's candidate domains. Their ratings
are drawn (seeded) around the domains' measured location quotient, with
public-sector respondents a little more generous than private ones, the
pattern the report describes; they are not real answers and are stored
with ``illustrative=True``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ris3.workspace import services as core
from ris3.workspace.models import Strategy
from ris3.workspace.surveys import services
from ris3.workspace.surveys.analysis import measured_frame
from ris3.workspace.surveys.models import Survey

#: (helix, sector, respondents) of the invented sample
SAMPLE = (
    ("business", "private", 16),
    ("research", "public", 8),
    ("research", "private", 2),
    ("government", "public", 8),
    ("civil_society", "private", 6),
)
TEXTS = (
    "More attention to skills in the wood sector (illustrative).",
    "Tourism is strong but crowded; diversify (illustrative).",
    "Mechatronics deserves its own priority (illustrative).",
)


def populate(owner: Any, strategy: Strategy, users: dict[str, Any]) -> None:
    """Add the illustrative survey with 40 invented responses to the demo strategy."""
    step = strategy.steps.get(number=4)
    survey = services.create_survey(
        owner,
        strategy,
        step=step,
        title="Perceived strengths of Tirol (illustrative)",
        intro="Demonstration survey: the responses are invented.",
        target_mix={"business": 0.25, "research": 0.25, "government": 0.25, "civil_society": 0.25},
        illustrative=True,
    )
    matrix = services.add_question(
        owner, survey, kind="matrix", code="strength", scale_min=1, scale_max=5,
        text="How strong is the region in each domain? (1 very weak, 5 very strong)",
    )  # fmt: skip
    size = services.add_question(
        owner, survey, kind="single", code="size", text="Size of your organisation",
        choices=["micro", "small", "medium", "large"],
    )  # fmt: skip
    needs = services.add_question(
        owner, survey, kind="multiple", code="needs", text="What does your domain need most?",
        choices=["skills", "finance", "research partners", "infrastructure"],
    )  # fmt: skip
    involved = services.add_question(
        owner, survey, kind="likert", code="involved", scale_min=1, scale_max=5,
        text="The strategy process involves organisations like mine enough",
    )  # fmt: skip
    goals = services.add_question(
        owner, survey, kind="ranking", code="goals", text="Rank the goals",
        choices=["jobs", "innovation", "sustainability"],
    )  # fmt: skip
    remarks = services.add_question(
        owner, survey, kind="text", code="remarks", text="What is missing?"
    )
    survey = core.update(
        owner, Survey.objects.get(pk=survey.pk), survey.version, {"status": "open"}
    )
    measured = measured_frame(strategy).set_index("domain")["lq"]
    domains = list(strategy.domains.values_list("pk", flat=True))
    rng = np.random.default_rng(33)
    k = 0
    for helix, sector, n in SAMPLE:
        for _ in range(n):
            answers = []
            for d in domains:
                lq = measured.get(str(d))
                if rng.random() < 0.1 or lq is None or lq != lq:
                    continue  # "don't know": no rating, not a zero
                base = 2.2 + 0.5 * float(np.log2(max(float(lq), 0.25)))
                bias = 0.5 if sector == "public" else 0.0
                r = int(np.clip(np.rint(base + bias + rng.normal(0, 0.8)), 1, 5))
                answers.append((matrix, str(d), str(r)))
            answers.append((size, "", str(rng.choice(size.choices))))
            answers += [(needs, c, "1") for c in needs.choices if rng.random() < 0.4]
            answers.append((involved, "", str(int(rng.integers(1, 6)))))
            order = rng.permutation(len(goals.choices))
            answers += [(goals, c, str(int(order[i]) + 1)) for i, c in enumerate(goals.choices)]
            if k % 10 == 0:
                answers.append((remarks, "", TEXTS[(k // 10) % len(TEXTS)]))
            services.submit(survey, helix=helix, sector=sector, answers=answers, illustrative=True)
            k += 1
    core.update(owner, Survey.objects.get(pk=survey.pk), survey.version, {"status": "closed"})

"""The S3 process as pure computations on tidy tables.

Participation of the helices in the steps of a strategy, signs of capture by
incumbents, engagement fatigue, candidate priority domains from a region's
profile, and the checks of an imported stakeholder table; from evidence and
voices to priorities: surveys of perceived strength (:mod:`.surveys`, imports
in :mod:`.survey_import`), open calls (:mod:`.calls`), multi-criteria ranking
with weight sensitivity (:mod:`.mcda`) and the distinctiveness of candidate
domains (:mod:`.distinctiveness`); the policy mix (instrument register, gaps,
duplications across levels, co-funding, cross-border partners), monitoring
(intervention logic, scorecard, computed indicators), the cluster-policy
advisor and self-assessments. No web framework: the workspace calls these
functions, and so can any script.

Examples
--------
>>> import ris3.strategy as st
>>> len(st.STEPS), len(st.HELICES)
(6, 7)
"""

from __future__ import annotations

from ris3.strategy.advisor import ADVISOR_RULES, STAGE_TOOL_GROUPS, advise, region_stage
from ris3.strategy.assessment import (
    ENABLING_CONDITION_CRITERIA,
    GOOD_PRACTICE_RULES,
    score_assessment,
)
from ris3.strategy.calls import (
    assign_evaluators,
    call_agreement,
    call_ranking,
    call_robustness,
)
from ris3.strategy.capture import CAPTURE_THRESHOLDS, capture_indicators
from ris3.strategy.computed import domain_activities, domain_observations
from ris3.strategy.contradictions import FLAGS, advisor_flags
from ris3.strategy.cross_border import open_instruments, partner_regions, priority_overlap
from ris3.strategy.distinctiveness import distinctiveness, nace_code
from ris3.strategy.domains import ORIGINS, candidate_domains
from ris3.strategy.instruments import (
    DECISIONS,
    FUNDING_SOURCES,
    GOVERNANCE_LEVELS,
    TOOL_GROUPS,
    check_instruments,
    nuts_codes,
)
from ris3.strategy.mcda import rank_alternatives, weight_sensitivity
from ris3.strategy.monitoring import (
    INDICATOR_TYPES,
    PROVENANCES,
    STATUSES,
    check_intervention_logic,
    check_observations,
    scorecard,
    scorecard_summary,
)
from ris3.strategy.participation import engagement_fatigue, participation_matrix
from ris3.strategy.policy_mix import (
    cofunding,
    policy_duplications,
    policy_gaps,
    policy_matrix,
    targeted_share,
)
from ris3.strategy.register_io import join_register, split_register
from ris3.strategy.stages import priority_stages
from ris3.strategy.stakeholders import check_stakeholders
from ris3.strategy.survey_import import (
    ImportPlan,
    SurveyImport,
    plan_import,
    ratings_from_import,
    read_limesurvey,
    read_survey_table,
    read_xlsform,
)
from ris3.strategy.surveys import (
    StrengthReport,
    choice_summary,
    helix_weights,
    perceived_strength,
    perception_vs_data,
    poststratify,
    public_private_gap,
    scale_summary,
    strength_report,
)
from ris3.strategy.vocabulary import HELICES, HELIX_SPELLINGS, QUADRUPLE_HELIX, STEPS, helix_key

__all__ = [
    "ADVISOR_RULES",
    "DECISIONS",
    "FUNDING_SOURCES",
    "GOVERNANCE_LEVELS",
    "STAGE_TOOL_GROUPS",
    "TOOL_GROUPS",
    "FLAGS",
    "INDICATOR_TYPES",
    "PROVENANCES",
    "STATUSES",
    "ENABLING_CONDITION_CRITERIA",
    "GOOD_PRACTICE_RULES",
    "advise",
    "score_assessment",
    "open_instruments",
    "partner_regions",
    "priority_overlap",
    "check_intervention_logic",
    "check_observations",
    "domain_activities",
    "domain_observations",
    "scorecard",
    "scorecard_summary",
    "advisor_flags",
    "check_instruments",
    "nuts_codes",
    "priority_stages",
    "join_register",
    "split_register",
    "cofunding",
    "policy_duplications",
    "policy_gaps",
    "policy_matrix",
    "region_stage",
    "targeted_share",
    "CAPTURE_THRESHOLDS",
    "HELICES",
    "HELIX_SPELLINGS",
    "QUADRUPLE_HELIX",
    "ORIGINS",
    "STEPS",
    "SurveyImport",
    "ImportPlan",
    "StrengthReport",
    "plan_import",
    "strength_report",
    "choice_summary",
    "scale_summary",
    "assign_evaluators",
    "call_agreement",
    "call_ranking",
    "call_robustness",
    "candidate_domains",
    "capture_indicators",
    "check_stakeholders",
    "distinctiveness",
    "engagement_fatigue",
    "helix_key",
    "helix_weights",
    "nace_code",
    "participation_matrix",
    "perceived_strength",
    "perception_vs_data",
    "poststratify",
    "public_private_gap",
    "ratings_from_import",
    "read_limesurvey",
    "read_survey_table",
    "read_xlsform",
    "rank_alternatives",
    "weight_sensitivity",
]

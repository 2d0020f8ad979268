"""The words of the S3 process: the helices of stakeholders and the six steps.

Line numbers refer to ``clusters-and-s3-report.txt``, the EU report on
clusters and cluster policy in Smart Specialisation Strategies that ris3
implements (its summary is ``docs/DOMAIN.md``).

Examples
--------
>>> from ris3.strategy import HELICES, STEPS
>>> [key for key, _ in HELICES][:4]
['business', 'research', 'government', 'civil_society']
>>> STEPS[2]
('shared_vision', 'shared vision')
"""

from __future__ import annotations

__all__ = ["HELICES", "QUADRUPLE_HELIX", "STEPS", "HELIX_SPELLINGS", "helix_key"]

#: Stakeholder groups as (key, label). The first four are the quadruple helix
#: (the triple helix of business, research and government plus civil society,
#: report lines 535-541); the report adds users, financial institutions and
#: the media as stakeholders that "should not be neglected" (lines 939-941).
HELICES: tuple[tuple[str, str], ...] = (
    ("business", "business"),
    ("research", "research"),
    ("government", "government"),
    ("civil_society", "civil society"),
    ("finance", "finance"),
    ("media", "media"),
    ("users", "users"),
)

#: The keys of the quadruple helix, the groups to involve in every step
#: (report lines 111-116 and 889-890: stakeholders in all phases of the
#: policy cycle, monitoring and evaluation included).
QUADRUPLE_HELIX: tuple[str, ...] = ("business", "research", "government", "civil_society")

#: The six steps of the RIS3 Guide (European Commission 2012), in order, as
#: (key, label); the report builds on them (lines 311 and 720).
STEPS: tuple[tuple[str, str], ...] = (
    ("context_analysis", "context analysis"),
    ("governance", "governance"),
    ("shared_vision", "shared vision"),
    ("priorities", "priorities"),
    ("policy_mix", "policy mix"),
    ("monitoring_evaluation", "monitoring and evaluation"),
)

#: Accepted spellings of each helix in imported tables (compared after
#: lower-casing and turning spaces and hyphens into underscores), English and
#: German (the workspace's second language).
HELIX_SPELLINGS: dict[str, tuple[str, ...]] = {
    "business": (
        "business", "industry", "company", "enterprise", "firm", "private_sector",
        "wirtschaft", "unternehmen",
    ),
    "research": (
        "research", "academia", "university", "science", "higher_education",
        "research_organisation", "research_organization", "forschung", "wissenschaft",
        "hochschule",
    ),
    "government": (
        "government", "public_authority", "public_administration", "administration",
        "authority", "verwaltung", "politik", "behoerde", "behörde",
    ),
    "civil_society": (
        "civil_society", "civilsociety", "ngo", "citizens", "community",
        "zivilgesellschaft",
    ),
    "finance": ("finance", "financial", "financial_institution", "bank", "investor", "finanz", "finanzen"),
    "media": ("media", "press", "medien", "presse"),
    "users": ("users", "user", "consumers", "nutzer", "anwender"),
}  # fmt: skip

_SPELLING_TO_KEY = {s: key for key, spellings in HELIX_SPELLINGS.items() for s in spellings}


def helix_key(value: object) -> str | None:
    """Return the helix key for an accepted spelling, or None if it is not one.

    Examples
    --------
    >>> helix_key("Civil Society"), helix_key("Wirtschaft"), helix_key("press"), helix_key("x")
    ('civil_society', 'business', 'media', None)
    """
    if not isinstance(value, str):
        return None
    norm = "_".join(value.strip().lower().replace("-", " ").split())
    return _SPELLING_TO_KEY.get(norm)

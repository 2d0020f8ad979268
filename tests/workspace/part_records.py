"""Records of the workspace's parts for the shared test world, and the URL values naming them.

The permission test opens every page of every part with these values, so
each part adds here a record of each kind its URLs name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

#: a tiny file that passes the PDF check of the calls' attachments
PDF = b"%PDF-1.4\n% test attachment\n"


def calls_records(users: dict[str, Any], strategy: Any, domain: Any) -> dict[str, int]:
    """A call closed for submissions: one proposal by the applicant, assigned to the evaluator."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ris3.workspace.calls import services

    owner = users["owner"]
    call = services.create_call(
        owner,
        strategy,
        title="Test call",
        eligibility="Firms in the region.",
        opens_at=datetime(2025, 1, 1, tzinfo=UTC),
        closes_at=datetime(2025, 3, 1, tzinfo=UTC),
        budget_eur=100_000,
        evaluators_per_proposal=1,
        criteria=[{"name": "Quality", "weight": 1.0}, {"name": "Impact", "weight": 1.0}],
    )
    call = services.set_status(owner, call, "open", call.version)
    proposal = services.submit_proposal(
        users["applicant"],
        call,
        title="Test proposal",
        summary="A test.",
        lead_organisation="Org A",
        domains=[domain],
        budget_eur=50_000,
        attachments=[SimpleUploadedFile("plan.pdf", PDF, "application/pdf")],
        when=datetime(2025, 2, 1, tzinfo=UTC),
    )
    call = services.set_status(owner, call, "closed", call.version)
    services.add_panel_member(owner, call, users["evaluator"])
    services.auto_assign(owner, call)
    return {
        "call_id": call.pk,
        "proposal_id": proposal.pk,
        "attachment_id": proposal.attachments.get().pk,
        "assignment_id": proposal.assignments.get().pk,
    }


def part_ids(users: dict[str, Any], strategy: Any, domain: Any) -> dict[str, int]:
    """The URL values of every part's test records."""
    return {**calls_records(users, strategy, domain)}

"""``/v1/audit``: the audit trail, for keys with role ``admin``; read only (the API has
no way to change or remove an entry)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.context import AdminKey, Context, Paging
from api.models import AuditEntry, KeyRef, Page
from api.problems import problem_responses

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=problem_responses(401, 403, 422, 429))
def audit(state: Context, _: AdminKey, page: Paging, request: Request,
          action: Annotated[str | None, Query(max_length=40, description="only entries "
                                              "of this action, e.g. run.queue")] = None
          ) -> Page[AuditEntry]:
    """Every run, study, report and key action, oldest first, a page at a time."""
    events, total = state.audit.page(page.limit, page.offset, action)
    items = [AuditEntry(id=e.id, at=e.at, actor=KeyRef(id=e.actor.key_id, name=e.actor.name),
                        action=e.action, target=e.target, outcome=e.outcome, detail=e.detail,
                        request_sha256=e.request_sha256, scenario_sha256=e.scenario_sha256,
                        input_files=e.input_files) for e in events]
    return Page[AuditEntry](items=items, total=total, limit=page.limit, offset=page.offset,
                            next=page.next_url(request, total))

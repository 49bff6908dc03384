"""The audit log page, for site admins."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.selectors import AuditFilters, audit_events
from mentorbridge.core.permissions import is_site_admin

NOT_SITE_ADMIN = "Only site admins read the audit log."
PER_PAGE = 50


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Sensitive actions, newest first, filtered by action, actor and days, 50 a page."""
    if not is_site_admin(request.user):
        raise PermissionDenied(NOT_SITE_ADMIN)
    raw = {name: request.GET.get(name, "") for name in ("action", "actor", "since", "until")}
    errors: dict[str, list[str]] = {}
    try:
        filters = AuditFilters.parse(**raw)
    except ValidationError as error:
        errors = error.message_dict
        filters = AuditFilters()
    page = Paginator(audit_events(filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "raw": raw,
            "errors": errors,
            "filters": filters,
            "actions": AuditAction.choices,
            "query_string": urlencode(filters.as_query()),
        },
        status=400 if errors else 200,
    )

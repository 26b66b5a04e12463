from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agencies.access import requires
from agencies.roles import Action
from audit.models import AuditEvent
from audit.selectors import audit_entries_for


@requires(Action.VIEW_AGENCY_AUDIT)
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = audit_entries_for(user=request.user)
    event = request.GET.get("event", "")
    if event in AuditEvent.values:
        entries = entries.filter(event=event)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"page": page, "events": AuditEvent.choices, "event": event})

"""The calendar (month and list views) and calendar feeds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from agencies.access import AuthenticatedRequest, requires
from agencies.models import Agency
from agencies.roles import Action
from meetings import calendar_grid, ical, selectors, services
from meetings.choices import MeetingKind
from meetings.models import CalendarFeed, Meeting, Training
from meetings.views.common import ics_response
from toolkit.parsing import whole_number

_LIST_DAYS = 92
KINDS = [*MeetingKind.choices, ("training", gettext_lazy("Training"))]


class _Filters(TypedDict):
    kind: str
    agency_id: int | None


def _filters(request: HttpRequest) -> _Filters:
    kind = request.GET.get("kind", "")
    return {
        "kind": kind if kind in dict(KINDS) else "",
        "agency_id": whole_number(request.GET.get("agency", "")),
    }


def _filter_context(filters: _Filters) -> dict[str, object]:
    return {"kinds": KINDS, "agencies": Agency.objects.filter(is_active=True), **filters}


@requires(Action.VIEW_TASKFORCE_CONTENT)
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    first = calendar_grid.parse_month(request.GET.get("month"))
    start, end = calendar_grid.grid_bounds(first)
    filters = _filters(request)
    events = selectors.calendar_events(
        user=request.user,
        start=calendar_grid.local_midnight(start),
        end=calendar_grid.local_midnight(end + timedelta(days=1)),
        **filters,
    )
    context = {
        "month": first,
        "weeks": calendar_grid.month_weeks(first, events),
        "previous": calendar_grid.shift_month(first, -1),
        "next": calendar_grid.shift_month(first, 1),
        "event_count": sum(1 for e in events if timezone.localtime(e.starts_at).month == first.month),
        **_filter_context(filters),
    }
    return render(request, "meetings/calendar_month.html", context)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def calendar_list(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today
    filters = _filters(request)
    events = selectors.calendar_events(
        user=request.user,
        start=calendar_grid.local_midnight(start),
        end=calendar_grid.local_midnight(start + timedelta(days=_LIST_DAYS)),
        **filters,
    )
    context = {
        "events": events,
        "start": start,
        "end": start + timedelta(days=_LIST_DAYS - 1),
        "earlier": start - timedelta(days=_LIST_DAYS),
        "later": start + timedelta(days=_LIST_DAYS),
        **_filter_context(filters),
    }
    return render(request, "meetings/calendar_list.html", context)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def calendar_feed(request: AuthenticatedRequest) -> HttpResponse:
    """Create, replace or revoke one's private feed link. The link is shown once."""
    raw = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar feed link no longer works."))
            return redirect("meetings:calendar_feed")
        _feed, raw = services.calendar_feed_create(user=request.user)
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = ical.absolute(f"/calendar/feed/{raw}.ics") if raw else ""
    context = {"feed": feed, "url": url, "webcal": url.replace("https://", "webcal://").replace("http://", "webcal://")}
    response = render(request, "meetings/calendar_feed.html", context)
    # No Referrer-Policy of its own: the site-wide same-origin keeps the page's address from other
    # sites, and "no-referrer" made Chromium post the make/revoke form with `Origin: null`.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """Public URL, private content: the secret in the URL stands for the person (revocable)."""
    owner = services.calendar_feed_owner(token)
    if owner is None:
        raise Http404
    since = timezone.now() - timedelta(days=settings.MEETINGS_FEED_PAST_DAYS)
    recent_series = Meeting.objects.filter(series__isnull=False, ends_at__gte=since).values("series_id")
    meetings = selectors.meetings_for(user=owner).filter(Q(ends_at__gte=since) | Q(series_id__in=recent_series))
    trainings = Training.objects.for_user(owner).select_related("host_agency").filter(ends_at__gte=since)
    calendar = ical.new_calendar(f"{settings.TASKFORCE_NAME}: my calendar")
    ical.add_meetings(calendar, meetings)
    ical.add_trainings(calendar, trainings)
    return ics_response(calendar, filename="calendar.ics", download=False)

"""The home page (what needs the person, then the portal's map) and the announcement pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.models import Sector
from agencies.roles import Action
from home import selectors, services
from home.forms import AnnouncementForm
from home.selectors import AudienceSize

SEND = "send"  # the confirmation step's button
EDIT = "edit"  # back from the confirmation step to the form
SENT = gettext_lazy("The announcement is sent. It shows on each person's home page until they acknowledge it.")


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    needs = selectors.needs_you(user)
    context = {
        "agency": user.agency,
        "needs": [item for item in needs if item.count],
        "announcements": list(selectors.announcements_unacknowledged(user=user)),
    }
    return render(request, "home/home.html", context)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def announcement_list(request: AuthenticatedRequest) -> HttpResponse:
    announcements = selectors.announcements_for(user=request.user)
    unacknowledged = request.GET.get("show") == "unacknowledged"
    if unacknowledged:
        announcements = announcements.filter(
            pk__in=selectors.announcements_unacknowledged(user=request.user).values("pk")
        )
    page = Paginator(announcements, 50).get_page(request.GET.get("page"))
    return render(request, "home/announcement_list.html", {"page": page, "unacknowledged": unacknowledged})


@require_http_methods(["GET", "POST"])
@requires(Action.SEND_ANNOUNCEMENTS)
def announcement_create(request: AuthenticatedRequest) -> HttpResponse:
    """Write, then confirm ("This goes to N people at M agencies"), then send: nothing is sent before
    the confirmation step's button, and the service checks everything again then."""
    if request.method == "GET" or EDIT in request.POST:
        form = AnnouncementForm(request.POST if request.method == "POST" else None)
        return render(request, "home/announcement_form.html", {"form": form})
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            if SEND in request.POST:
                announcement = services.announcement_send(actor=request.user, draft=form.draft())
                messages.success(request, SENT)
                return redirect("home:announcement_detail", pk=announcement.pk)
            draft, size = services.announcement_check(actor=request.user, draft=form.draft())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            context = {"form": form, "draft": draft, "reach": _reach(size, _audience_words(form))}
            return render(request, "home/announcement_confirm.html", context)
    return render(request, "home/announcement_form.html", {"form": form}, status=400)


def _reach(size: AudienceSize, audience: str) -> str:
    """ "This goes to 12 people at 3 agencies: …", the sentence above the send button."""
    people = ngettext("%(number)s person", "%(number)s people", size.people) % {"number": size.people}
    agencies = ngettext("%(number)s agency", "%(number)s agencies", size.agencies) % {"number": size.agencies}
    return _("This goes to %(people)s at %(agencies)s: %(audience)s. Once sent, it cannot be taken back.") % {
        "people": people,
        "agencies": agencies,
        "audience": audience,
    }


def _audience_words(form: AnnouncementForm) -> str:
    data = form.cleaned_data
    if data["audience"] == "sector":
        return _("the agencies of the sector “%(sector)s”") % {"sector": Sector(data["sector"]).label}
    if data["audience"] == "agencies":
        return ", ".join(agency.name for agency in data["agencies"])
    return _("all partner agencies")


@requires(Action.VIEW_TASKFORCE_CONTENT)
def announcement_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    context = {
        "announcement": announcement,
        "addressed": selectors.is_addressed_to(user=request.user, announcement=announcement),
        "report": selectors.acknowledgement_report(user=request.user, announcement=announcement),
    }
    return render(request, "home/announcement_detail.html", context)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def announcement_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    announcement = selectors.announcement_get(user=request.user, pk=pk)
    try:
        services.announcement_acknowledge(actor=request.user, announcement=announcement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("home:announcement_detail", pk=announcement.pk)
    messages.success(request, _("Acknowledged: “%(title)s”.") % {"title": announcement.title})
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if back and safe:
        return redirect(back)
    return redirect("home:announcement_detail", pk=announcement.pk)

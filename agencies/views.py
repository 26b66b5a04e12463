from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication  # pinned by the lock
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies import agreements, selectors, services
from agencies.access import AuthenticatedRequest, requires
from agencies.forms import AgencyForm, AgreementForm, InvitationAcceptForm, InvitationForm, RoleForm
from agencies.roles import GRANTABLE_ROLES, Action, Role
from audit.models import AuditEvent
from audit.selectors import audit_entries_for
from audit.wording import event_choices
from toolkit.parsing import whole_number


@requires(Action.VIEW_TASKFORCE_CONTENT)
def directory(request: AuthenticatedRequest) -> HttpResponse:
    agencies = selectors.agencies_for(user=request.user)
    return render(request, "agencies/directory.html", {"agencies": agencies})


@requires(Action.VIEW_TASKFORCE_CONTENT)
def agency_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = selectors.agency_get(user=request.user, pk=pk)
    agreement = agreements.agency_agreement(user=request.user, agency=agency)  # None but for coordinators
    return render(request, "agencies/agency_detail.html", {"agency": agency, "agreement": agreement})


@requires(Action.ADMIT_AGENCIES)
def agency_admit(request: AuthenticatedRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = services.agency_admit(actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(agency)s is now a member agency. Invite its first administrator.") % {"agency": agency.name}
        )
        return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/agency_admit.html", {"form": form})


@requires(Action.MANAGE_OWN_AGENCY_PEOPLE)
def people(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.people_for(user=request.user), 50).get_page(request.GET.get("page"))
    invitations = selectors.invitations_for(user=request.user).filter(accepted_at__isnull=True, revoked_at__isnull=True)
    grantable = GRANTABLE_ROLES.get(request.user.role, frozenset())
    context = {"page": page, "invitations": invitations, "grantable": grantable}
    return render(request, "agencies/people.html", context)


@requires(Action.MANAGE_OWN_AGENCY_PEOPLE)
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    form = RoleForm(request.POST or None, actor=request.user, initial={"role": person.role})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_change_role(
                actor=request.user, person=person, role=Role(form.cleaned_data["role"])
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error("role", _message(error))
        else:
            messages.success(
                request,
                _(
                    "%(person)s is now %(role)s: their sessions and API tokens have ended, "
                    "so they sign in again with the new role."
                )
                % {"person": person, "role": person.get_role_display().lower()},
            )
            return redirect("agencies:person", pk=person.pk)
    may_act = services.may_act_on(actor=request.user, person=person) and person.pk != request.user.pk
    return render(request, "agencies/person_detail.html", {"person": person, "form": form, "may_act": may_act})


@require_POST
@requires(Action.MANAGE_OWN_AGENCY_PEOPLE)
def person_deactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    try:
        services.person_deactivate(actor=request.user, person=person)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request, _("%(person)s is deactivated: their sessions and API tokens have ended.") % {"person": person}
        )
    return redirect("agencies:person", pk=person.pk)


@require_POST
@requires(Action.MANAGE_OWN_AGENCY_PEOPLE)
def person_reactivate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    try:
        services.person_reactivate(actor=request.user, person=person)
    except PermissionDenied as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(person)s can sign in again.") % {"person": person})
    return redirect("agencies:person", pk=person.pk)


@requires(Action.INVITE_TO_OWN_AGENCY)
def invitation_create(request: AuthenticatedRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(
                actor=request.user, **{**form.cleaned_data, "role": Role(form.cleaned_data["role"])}
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works once, for 7 days.") % {"email": invitation.email},
            )
            return redirect("agencies:people")
    return render(request, "agencies/invitation_form.html", {"form": form})


@require_POST
@requires(Action.INVITE_TO_OWN_AGENCY)
def invitation_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except PermissionDenied as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The invitation of %(email)s no longer works.") % {"email": invitation.email})
    return redirect("agencies:people")


@requires(Action.VIEW_AGENCY_AUDIT)
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    """The audit trail page (/audit/, "audit:list"). It lives here, not in the audit app, because it
    applies the role map: the audit app sits below agencies."""
    entries = audit_entries_for(user=request.user)
    event = request.GET.get("event", "")
    if event in AuditEvent.values:
        entries = entries.filter(event=event)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "agencies/audit_list.html", {"page": page, "events": event_choices(), "event": event})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the only way to create an account."""
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "agencies/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError:
            return render(request, "agencies/invitation_invalid.html", status=404)
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        # Django's login() is not allauth's: record the session, so that it shows in the person's
        # list of sessions and ends with the others on deactivation; and record that the password was
        # just typed, so that enrolling an authenticator does not ask for it again at once.
        UserSession.objects.create_from_request(request)
        record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect("home")
    return render(request, "agencies/invitation_accept.html", {"form": form, "invitation": invitation})


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("Your role does not allow this.")


def _add_errors(form: InvitationForm | AgreementForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- data-sharing agreements (coordinators) -----------------------------------------------------------------


@requires(Action.MANAGE_AGREEMENTS)
def agreement_gaps(request: AuthenticatedRequest) -> HttpResponse:
    """Every active agency's agreement: those without one (no referrals), lapsing soon, current."""
    gaps = agreements.agreement_gaps(user=request.user)
    return render(request, "agencies/agreement_gaps.html", {"gaps": gaps})


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_AGREEMENTS)
def agreement_create(request: AuthenticatedRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None, initial={"agency": _agency_asked(request)})
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreements.agreement_record(actor=request.user, **form.agreement_values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The %(kind)s of %(agency)s is recorded.")
                % {"kind": agreement.get_kind_display().lower(), "agency": agreement.agency},
            )
            return redirect("agencies:agreements")
    status = 400 if request.method == "POST" else 200
    return render(request, "agencies/agreement_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_AGREEMENTS, hide=True)
def agreement_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirmation page (GET), then the end (POST) of an agreement recorded in error."""
    agreement = agreements.agreement_get(user=request.user, pk=pk)
    if request.method == "POST":
        not_yet_ended = agreement.ended_at is None
        agreement = agreements.agreement_end(actor=request.user, agreement=agreement)
        if not_yet_ended:
            messages.success(
                request,
                _(
                    "The %(kind)s of %(agency)s is ended as recorded in error. "
                    "It stays in the records and the audit trail."
                )
                % {"kind": agreement.get_kind_display().lower(), "agency": agreement.agency},
            )
        return redirect("agencies:agreements")
    return render(request, "agencies/agreement_end.html", {"agreement": agreement})


def _agency_asked(request: AuthenticatedRequest) -> int | None:
    """The agency named in the address (?agency=<id>, from the gaps page), to preselect it."""
    return whole_number(request.GET.get("agency"))

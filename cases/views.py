from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.models import Agency
from agencies.roles import Action
from audit.models import AuditEvent
from audit.selectors import audit_entries_about
from audit.services import audit_record
from cases import exports, selectors, services, text_check, wording
from cases.access_audit import referral_list_record_view, referral_record_not_found
from cases.choices import Status
from cases.forms import (
    COUNTY_OPTIONS,
    CommentForm,
    ContactForm,
    ReferralForm,
    ReferralListFilterForm,
    ServiceDeliveryForm,
    SuggestionFactsForm,
    TransitionForm,
)
from cases.models import NOTE_MAX_LENGTH, Referral
from cases.search import SearchForm, search_run, search_term_refusal
from cases.suggestions import Suggestion, suggest_receivers
from cases.transitions import IllegalMove, Side, allowed_moves
from toolkit.parsing import whole_number
from toolkit.ratelimit import rate_allows


@requires(Action.HANDLE_REFERRALS)
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    """Opens on the open referrals, the most urgent and the oldest first; the filters narrow or widen it."""
    direction = request.GET.get("direction", "incoming")
    direction = direction if direction in ("incoming", "outgoing") else "incoming"
    form = ReferralListFilterForm(request.GET)
    context: dict[str, object] = {
        "direction": direction,
        "form": form,
        "lost_count": selectors.referrals_lost_count(user=request.user),
        "page": None,  # no list until the filters can be read
    }
    if not form.is_valid():
        return render(request, "cases/referral_list.html", context, status=400)
    filters = form.filters()
    referrals = selectors.referrals_by_urgency(
        selectors.referrals_filtered(selectors.referrals_for(user=request.user, direction=direction), filters)
    )
    query = request.GET.copy()
    query.pop("page", None)
    context |= {
        "page": Paginator(referrals, 50).get_page(request.GET.get("page")),
        "filters": filters,
        "only_open": filters.statuses == selectors.OPEN_STATUSES,
        "query": query.urlencode(),
    }
    referral_list_record_view(actor=request.user, direction=direction, request=request)
    return render(request, "cases/referral_list.html", context)


@requires(Action.HANDLE_REFERRALS)
def referral_create(request: AuthenticatedRequest) -> HttpResponse:
    """Send a referral. "Show suggested agencies" and a suggestion's "Choose" (buttons of the same form, for
    a browser without JavaScript) show the form again with what was typed, and send nothing."""
    if request.method == "POST" and _asks_for_suggestions(request):
        chosen = _chosen(request)
        form = ReferralForm.kept(request.POST, actor=request.user, receiver=str(chosen.pk) if chosen else "")
        context = _form_context(request, form, request.POST) | {"chosen": chosen}
        return render(request, "cases/referral_form.html", context)
    form = ReferralForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(
                actor=request.user,
                receiving_agency=form.cleaned_data["receiving_agency"],
                facts=form.facts(),
                needs=form.cleaned_data["needs"],
                consent=form.consent_input(),
                person_code=form.person_code_input(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Referral %(code)s sent. Call the receiving agency for the warm hand-off.")
                % {"code": referral.reference_code},
            )
            if form.person_code_input() is None:
                # The referral's page shows the new code once, prominently. The session holds the referral's
                # id only, never the code (nor does the message: message storage may be a cookie).
                request.session[_CODE_ISSUED_FOR] = referral.pk
            return redirect("cases:referral_detail", pk=referral.pk)
    status = 400 if request.method == "POST" else 200
    context = _form_context(request, form, request.POST if request.method == "POST" else None)
    return render(request, "cases/referral_form.html", context, status=status)


_CODE_ISSUED_FOR = "cases.person_code_issued_for"


@requires(Action.HANDLE_REFERRALS, hide=True)
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _referral_get(request, pk)
    services.referral_record_view(referral=referral, actor=request.user, request=request)
    just_issued = request.session.get(_CODE_ISSUED_FOR) == referral.pk
    if just_issued:
        del request.session[_CODE_ISSUED_FOR]
    context = _detail_context(request, referral, person_code_just_issued=just_issued)
    return render(request, "cases/referral_detail.html", context)


def _referral_get(request: AuthenticatedRequest, pk: int) -> Referral:
    """The referral, or 404 for a missing one and for another agency's alike; the 404 is audited."""
    try:
        return selectors.referral_get(user=request.user, pk=pk)
    except Http404:
        referral_record_not_found(pk=pk, actor=request.user, request=request)
        raise


def _detail_again(request: AuthenticatedRequest, referral: Referral, status: int, **extra: object) -> HttpResponse:
    """The referral's page shown again after a refused change: it shows the referral and its comments, so it
    is a view of them like any other (audited)."""
    services.referral_record_view(referral=referral, actor=request.user, request=request)
    return render(request, "cases/referral_detail.html", _detail_context(request, referral, **extra), status=status)


def _detail_context(request: AuthenticatedRequest, referral: Referral, **extra: object) -> dict[str, object]:
    sides = services.sides_of(referral=referral, user=request.user)
    records_services = Side.RECEIVER in sides and referral.status in services.SERVICE_STATUSES
    context = {
        "referral": referral,
        "services_delivered": referral.services.all(),
        "service_form": ServiceDeliveryForm(initial={"month": f"{timezone.localdate():%Y-%m}"})
        if records_services
        else None,
        "move_buttons": wording.move_buttons(allowed_moves(Status(referral.status), sides)),
        "status_name": wording.status_name(referral.status),
        "timeline": [
            (event, wording.timeline_entry(move=event.move, agency_name=event.agency.name, reason=event.reason))
            for event in referral.timeline.select_related("agency", "actor")
        ],
        "is_sender": Side.SENDER in sides,
        "comment_form": CommentForm(),
        "note_max": NOTE_MAX_LENGTH,
        # The sending agency sees who viewed or changed its referral.
        "trail": audit_entries_about(target=referral)[:200] if Side.SENDER in sides else None,
        # The receiving agency names who handles it: on accept, and later while it works on it.
        "contact_choices": services.contact_candidates(agency_id=referral.receiving_agency_id)
        if Side.RECEIVER in sides
        else None,
        "changes_contact": Side.RECEIVER in sides and referral.status in services.CONTACT_STATUSES,
    }
    return {**context, **extra}


@require_POST
@requires(Action.HANDLE_REFERRALS, hide=True)
def referral_transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A move of the closed loop. A move that cannot be undone (wording.CONFIRMED_MOVES) asks first: the
    first POST shows the confirmation step (where the reason or outcome is chosen), the one carrying
    `confirmed=yes` acts. A refused move shows the referral's page again, saying why in plain words."""
    referral = _referral_get(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change could not be read; nothing was changed."))
        return redirect("cases:referral_detail", pk=pk)
    move = form.cleaned_data["move"]
    asks_first = move in wording.CONFIRMED_MOVES
    sides = services.sides_of(referral=referral, user=request.user)
    if asks_first and move in allowed_moves(Status(referral.status), sides) and not _confirmed(request):
        return _confirm_move(request, referral, move)
    try:
        services.referral_transition(referral=referral, actor=request.user, **form.cleaned_data)
    except IllegalMove as error:
        return _detail_again(request, referral, 409, move_error=str(error))
    except ValidationError as error:
        if asks_first:
            # The typed note is not sent back (it may be what the guard refused): the person retypes it.
            return _confirm_move(request, referral, move, error=" ".join(error.messages), status=400)
        return _detail_again(request, referral, 400, move_error=" ".join(error.messages), failed_move=move)
    messages.success(request, _("Status updated."))
    return redirect("cases:referral_detail", pk=pk)


def _confirmed(request: AuthenticatedRequest) -> bool:
    return request.POST.get("confirmed") == "yes"


def _confirm_move(
    request: AuthenticatedRequest, referral: Referral, move: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    """The confirmation step of a move: what is about to happen, the reason or outcome if the move has one (none
    preselected), an optional note, Confirm and Go back."""
    reason = wording.CONFIRMATION_REASONS.get(move)  # withdrawing asks for no reason
    context = {
        "referral": referral,
        "move": move,
        "confirmation": wording.CONFIRMATIONS[move],
        "reason_label": reason[0] if reason else "",
        "reason_choices": reason[1].choices if reason else [],
        "note_max": NOTE_MAX_LENGTH,
        "error": error,
    }
    return render(request, "cases/referral_confirm.html", context, status=status)


@require_POST
@requires(Action.HANDLE_REFERRALS, hide=True)
def referral_contact(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The receiving agency names another person who handles the referral (services.referral_contact_set)."""
    referral = _referral_get(request, pk)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _detail_again(request, referral, 400, contact_error=services.CONTACT_REFUSED)
    try:
        services.referral_contact_set(referral=referral, actor=request.user, contact=form.cleaned_data["contact"])
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect("cases:referral_detail", pk=pk)
    except ValidationError as error:
        return _detail_again(request, referral, 400, contact_error=" ".join(error.messages))
    messages.success(request, _("Contact updated."))
    return redirect("cases:referral_detail", pk=pk)


@require_POST
@requires(Action.HANDLE_REFERRALS, hide=True)
def referral_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _referral_get(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.referral_comment(referral=referral, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error.message_dict.get("body", error.messages))
        else:
            messages.success(request, _("Comment added."))
            return redirect("cases:referral_detail", pk=pk)
    # The refused text is not sent back: the person retypes it without the identifier.
    return _detail_again(request, referral, 400, comment_form=_without_value(form))


@require_POST
@requires(Action.HANDLE_REFERRALS, hide=True)
def referral_services(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The receiving agency records services it provided (cases.services.service_delivery_record)."""
    referral = _referral_get(request, pk)
    form = ServiceDeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.service_delivery_record(
                referral=referral,
                actor=request.user,
                services=form.cleaned_data["services"],
                month=form.cleaned_data["month"],
            )
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("cases:referral_detail", pk=pk)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(request, _("Services recorded."))
            return redirect("cases:referral_detail", pk=pk)
    return _detail_again(request, referral, 400, service_form=form)


@require_POST
@requires(Action.HANDLE_REFERRALS, hide=True)
def consent_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The sending agency records a withdrawal of consent, after a confirmation step in the page (the first
    POST shows it; the one carrying `confirmed=yes` acts). Refusals are the service's, as before."""
    referral = _referral_get(request, pk)
    consent = referral.consent
    in_force = consent is not None and consent.revoked_at is None
    if in_force and Side.SENDER in services.sides_of(referral=referral, user=request.user) and not _confirmed(request):
        context = {"referral": referral, "confirmation": wording.CONSENT_WITHDRAWAL}
        return render(request, "cases/referral_confirm.html", context)
    try:
        services.consent_revoke(referral=referral, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consent withdrawn. The receiving agency no longer has access to this referral."))
    return redirect("cases:referral_detail", pk=pk)


@require_POST
@requires(Action.HANDLE_REFERRALS, hide=True)
def referral_flag(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _referral_get(request, pk)
    services.referral_flag_for_review(referral=referral, actor=request.user)
    messages.success(
        request, _("%(code)s is flagged for the next case-review meeting.") % {"code": referral.reference_code}
    )
    return redirect("cases:referral_detail", pk=pk)


@requires(Action.HANDLE_REFERRALS)
def referral_export(request: AuthenticatedRequest, file_format: str) -> HttpResponseBase:
    """The agency's referrals, coded fields and person codes only (no reference code, no note), as CSV or XLSX."""
    stamp = timezone.localdate().isoformat()
    audit_record(
        actor=request.user,
        event=AuditEvent.EXPORTED,
        request=request,
        detail={"what": "referral rows", "format": file_format},
    )
    if file_format == "csv":
        response = StreamingHttpResponse(exports.csv_lines(user=request.user), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="referrals-{stamp}.csv"'
        return response
    return FileResponse(
        exports.xlsx_file(user=request.user),
        as_attachment=True,
        filename=f"referrals-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def check_text(request: AuthenticatedRequest) -> JsonResponse:
    """The check before submit (cases/text_check.py): the guard's findings per field, kinds and positions only.
    Nothing is stored, audited or logged; the text is never sent back."""
    if not rate_allows(text_check.rate_key(request.user.pk), text_check.RATE):
        return JsonResponse({"detail": _("Too many checks: wait a minute, then try again.")}, status=429)
    try:
        fields = text_check.text_fields(json.loads(request.body or b"{}"))
    except (ValueError, RecursionError) as error:  # RecursionError: a body nested thousands deep
        detail = str(error) if isinstance(error, text_check.TextCheckRefused) else _("Send JSON.")
        return JsonResponse({"detail": detail}, status=400)
    return JsonResponse({"fields": text_check.text_check_report(fields=fields)})


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.VIEW_TASKFORCE_CONTENT)
def search(request: AuthenticatedRequest) -> HttpResponse:
    """Notes and minutes the person may see. The words come in a POST body and the results in its answer
    (no redirect): a URL holding them would land in access logs, history and Referer headers. Words in
    this page's own URL are not read."""
    if request.method != "POST":
        return render(request, "cases/search.html", {"form": SearchForm()})
    form = SearchForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/search.html", {"form": form}, status=400)
    refusal = search_term_refusal(actor=request.user, text=form.cleaned_data["q"], request=request)
    if refusal:
        refused = SearchForm()  # the refused words are not sent back, not even into the field
        refused.errors["q"] = refused.error_class(refusal)
        return render(request, "cases/search.html", {"form": refused}, status=400)
    results = search_run(user=request.user, text=form.cleaned_data["q"], request=request)
    return render(request, "cases/search.html", {"form": form, "results": results})


def _without_value(form: CommentForm) -> CommentForm:
    clean = CommentForm()
    clean.errors.update(form.errors)  # an unbound form shows the errors it is handed, not its own (none)
    return clean


def _add_errors(form: ReferralForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    consent_fields = {"given_on": "consent_given_on", "expires_on": "consent_expires_on"}
    for field, field_messages in error.message_dict.items():
        target = consent_fields.get(field, field)
        if target == "note":
            assert isinstance(form.data, QueryDict)  # the form was bound to request.POST, and validated
            data = form.data.copy()
            data["note"] = ""  # never echo a refused value back into the page
            form.data = data
        if target in form.cleaned_data:
            del form.cleaned_data[target]
        form.add_error(target if target in form.fields else None, field_messages)


# --- Suggested receivers on the referral form -----------------------------------------------------------

_SHOW_SUGGESTIONS, _CHOOSE = "show_suggestions", "choose_receiver"


def _asks_for_suggestions(request: AuthenticatedRequest) -> bool:
    return _SHOW_SUGGESTIONS in request.POST or _CHOOSE in request.POST


def _chosen(request: AuthenticatedRequest) -> Agency | None:
    """The agency a suggestion's "Choose" named, if the form may send to it."""
    pk = whole_number(request.POST.get(_CHOOSE, ""))
    return ReferralForm.receivers(actor=request.user).filter(pk=pk).first() if pk else None


def _form_context(request: AuthenticatedRequest, form: ReferralForm, data: QueryDict | None) -> dict[str, object]:
    """The referral form's page: the form, the counties offered, and the suggestions for the facts in `data`."""
    return {
        "form": form,
        "county_options": COUNTY_OPTIONS,
        "counties": selectors.counties_known(),
        **_suggestions(request, data),
    }


def _suggestions(request: AuthenticatedRequest, data: QueryDict | None) -> dict[str, object]:
    """`asked` once a need is ticked (a suggestion covers at least one need); `suggestions` best first."""
    facts_form = SuggestionFactsForm(data)
    valid = facts_form.is_valid()
    if data is None or not valid or not facts_form.cleaned_data["needs"]:
        return {"asked": False, "suggestions": [], "suggestions_invalid": data is not None and not valid}
    assert request.user.agency is not None  # only a person of an agency may handle referrals (User.can)
    found: list[Suggestion] = suggest_receivers(sender=request.user.agency, facts=facts_form.facts())
    return {"asked": True, "suggestions": found, "suggestions_invalid": False}


@require_http_methods(["GET", "HEAD"])
@requires(Action.HANDLE_REFERRALS)
def referral_suggestions(request: AuthenticatedRequest) -> HttpResponse:
    """The "Suggested agencies" region of the referral form, for the coded facts in the query (never the
    note, never a county other than a member agency's): the form's script asks it when the facts change."""
    unknown = set(request.GET) - set(SuggestionFactsForm.base_fields)
    context = _suggestions(request, request.GET)
    status = 400 if unknown or context["suggestions_invalid"] else 200
    context["suggestions_invalid"] = status == 400
    return render(request, "cases/partials/suggestions.html", context, status=status)

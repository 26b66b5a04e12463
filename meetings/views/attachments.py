"""Agenda handouts: upload (organizers), download (the meeting's audience), removal."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import AttachmentForm
from meetings.models import Attachment
from meetings.views.common import message


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def attachment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a file to upload."))
        attachment = services.attachment_add(actor=request.user, meeting=meeting, upload=form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("Added the handout %(name)s.") % {"name": attachment.name})
    return redirect("meetings:meeting_detail", pk=pk)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def attachment_download(request: AuthenticatedRequest, pk: int, file_pk: int) -> FileResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    attachment = get_object_or_404(Attachment, pk=file_pk, meeting=meeting)
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def attachment_remove(request: AuthenticatedRequest, pk: int, file_pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    attachment = Attachment.objects.select_related("meeting").filter(pk=file_pk, meeting=meeting).first()
    if attachment is None:  # removed already (a second click): nothing left to do
        messages.info(request, _("That handout was already removed."))
        return redirect("meetings:meeting_detail", pk=pk)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("Removed the handout %(name)s.") % {"name": attachment.name})
    return redirect("meetings:meeting_detail", pk=pk)

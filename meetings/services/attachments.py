"""Agenda handouts: allowed types and a size limit (settings), checked by content, not only by name."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from agencies.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.models import Attachment, Meeting
from meetings.services.checks import (
    STAFF_NAMES,
    check_may_run,
    check_not_cancelled,
    guard_handout,
    guard_meeting_text,
)
from meetings.services.handout_containers import check_container, is_utf8_text
from meetings.services.handout_text import handout_contents

_ZIP = b"PK\x03\x04"
# extension: (content type we serve it as, the first bytes a real file of that type starts with)
FILE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (_ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (_ZIP,)),
    "odt": ("application/vnd.oasis.opendocument.text", (_ZIP,)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    "odp": ("application/vnd.oasis.opendocument.presentation", (_ZIP,)),
    "txt": ("text/plain; charset=utf-8", ()),
}


def allowed_extensions() -> list[str]:
    return [ext for ext in settings.MEETINGS_ATTACHMENT_EXTENSIONS if ext in FILE_TYPES]


def _check_upload(upload: UploadedFile) -> tuple[str, str, int]:
    """The clean file name, the content type to serve and the size, or a ValidationError saying what is wrong."""
    limit, size = settings.MEETINGS_ATTACHMENT_MAX_BYTES, upload.size
    assert size is not None  # Django's upload handlers measure every file they receive
    if size > limit:
        raise ValidationError({"file": _("The file is larger than %(most)s MB.") % {"most": limit // (1024 * 1024)}})
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    filename = upload.name or ""
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in allowed_extensions():
        raise ValidationError(
            {"file": _("Upload one of these types: %(types)s.") % {"types": ", ".join(allowed_extensions())}}
        )
    content_type, signatures = FILE_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not head.startswith(signatures):
        raise ValidationError(
            {"file": _("The file's content is not a .%(extension)s file.") % {"extension": extension}}
        )
    check_container(upload, extension)  # a ZIP named .docx must be a Word package, within bounds
    if not signatures and not is_utf8_text(upload):  # stored as is: refused, never re-encoded
        raise ValidationError({"file": _("A .txt handout must be plain UTF-8 text: save it as UTF-8 and upload it.")})
    name = get_valid_filename(PurePath(filename).name)[-200:] or f"handout.{extension}"
    return name, content_type, size


def attachment_add(*, actor: User, meeting: Meeting, upload: UploadedFile) -> Attachment:
    check_may_run(actor=actor, meeting=meeting)
    check_not_cancelled(meeting)
    name, content_type, size = _check_upload(upload)
    guard_meeting_text(actor=actor, fields={"file": name})
    # What is inside is read by the whole audience too: check the text wherever it can be extracted.
    contents = handout_contents(upload, PurePath(name).suffix.lower().lstrip("."))
    if contents is not None:
        guard_handout(actor=actor, text=contents.text)
        guard_handout(actor=actor, text=contents.authors, allow=STAFF_NAMES)
    with transaction.atomic():
        attachment = Attachment(meeting=meeting, name=name, content_type=content_type, size=size, uploaded_by=actor)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_record(
            actor=actor, event=AuditEvent.ATTACHMENT_ADDED, target=meeting, detail={"attachment": attachment.pk}
        )
    return attachment


def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    check_may_run(actor=actor, meeting=attachment.meeting)
    with transaction.atomic():
        pk, stored = attachment.pk, attachment.file.name
        attachment.delete()
        audit_record(
            actor=actor, event=AuditEvent.ATTACHMENT_REMOVED, target=attachment.meeting, detail={"attachment": pk}
        )
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))

"""Agenda handouts: allowed types (checked by content), a size limit, served only to the audience."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from meetings import services
from meetings.choices import Audience
from meetings.models import Attachment
from tests.conftest import client_for
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db


def _pdf(text: str) -> bytes:
    # A real PDF: the guard reads a handout's text, and refuses one it cannot read (issue 15).
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.save()
    return out.getvalue()


PDF = _pdf("Agenda: approval of the minutes, agency updates.")


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_it_stores_a_handout_under_a_random_name_and_serves_it_to_the_audience(meeting, coordinator, as_member):
    attachment = services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload("Agenda March.pdf", PDF))
    assert attachment.content_type == "application/pdf" and attachment.name == "Agenda_March.pdf"
    assert "Agenda" not in attachment.file.name
    response = as_member.get(reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Upload one of these types"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a .pdf file"),
        ("binary.txt", b"\x00\x01\x02", "plain UTF-8 text"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_it_refuses_other_types_and_disguised_files(meeting, coordinator, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload(name, content))
    assert not Attachment.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(meeting, coordinator, settings):
    settings.MEETINGS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload("big.pdf", PDF + b"0" * 1024 * 1024))


def test_it_explains_a_refused_upload_on_the_page(meeting, as_coordinator):
    url = reverse("meetings:attachment_add", args=[meeting.pk])
    response = as_coordinator.post(url, {"file": _upload("tool.exe", b"MZ")}, follow=True)
    assert "Upload one of these types" in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_answers_404_for_a_handout_outside_the_audience(coordinator, outsider):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS)
    attachment = services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload("a.pdf", PDF))
    url = reverse("meetings:attachment_download", args=[meeting.pk, attachment.pk])
    assert client_for(outsider).get(url).status_code == 404

"""Issue 15, item 1: the de-identification guard runs on every meeting's text, training requests and
the text of uploaded handouts, not only on case-review meetings. A refusal names the kind, never the
value, and nothing is saved."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reportlab.pdfgen import canvas

from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.models import ActionItem, AgendaItem, Attachment, Minutes, TrainingRequest

pytestmark = pytest.mark.django_db

PHONE = "414-555-0137"
SSN = "123-45-6789"


def _pdf(*lines: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for i, line in enumerate(lines):
        page.drawString(72, 720 - 20 * i, line)
    page.save()
    return out.getvalue()


def _docx(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _refused(error: pytest.ExceptionInfo[ValidationError], field: str, label: str, value: str) -> None:
    messages = error.value.message_dict[field]
    assert any(label in m for m in messages), messages
    assert not any(value in m for m in messages)
    entry = AuditEntry.objects.filter(event=AuditEvent.DEIDENTIFICATION_REFUSED).latest("pk")
    assert value not in str(entry.detail)


def test_it_guards_the_minutes_of_a_full_task_force_meeting(past_meeting, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.minutes_save(actor=coordinator, meeting=past_meeting, body=f"Rosa asked us to call {PHONE}.")
    _refused(caught, "body", "a phone number", PHONE)
    assert not Minutes.objects.exists()


def test_it_guards_agenda_notes_and_titles_of_every_meeting(meeting, coordinator):
    data = services.AgendaItemInput(title="Updates", presenter_agency=None, minutes=10, notes=f"SSN {SSN}")
    with pytest.raises(ValidationError) as caught:
        services.agenda_item_add(actor=coordinator, meeting=meeting, data=data)
    _refused(caught, "notes", "a Social Security number", SSN)
    named = services.AgendaItemInput(title="Thandiwe Okonkwo-Baptiste", presenter_agency=None, minutes=10)
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=coordinator, meeting=meeting, data=named)
    assert not AgendaItem.objects.exists()


def test_it_guards_action_items_of_every_meeting(past_meeting, coordinator, member):
    with pytest.raises(ValidationError) as caught:
        services.action_item_create(
            actor=coordinator,
            meeting=past_meeting,
            title="Follow up with Mohammed bin Khalid about the van",
            owner_agency=member.agency,
            owner_person=member,
            due_on=timezone.localdate() + timedelta(days=7),
        )
    _refused(caught, "title", "a person's name", "Khalid")
    assert not ActionItem.objects.exists()


def test_it_guards_the_reason_of_a_correction(past_meeting, coordinator):
    minutes = services.minutes_save(actor=coordinator, meeting=past_meeting, body="Agencies shared updates.")
    services.minutes_circulate(actor=coordinator, minutes=minutes)
    approved = services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=past_meeting)
    with pytest.raises(ValidationError) as caught:
        services.minutes_correct(
            actor=coordinator, minutes=approved, reason="Her number is five oh three, five five five, oh one two three"
        )
    _refused(caught, "reason", "a phone number", "five oh three")
    assert Minutes.objects.count() == 1


def test_it_guards_a_public_training_request_but_allows_its_dates():
    with pytest.raises(ValidationError) as caught:
        services.training_request_submit(
            organization="Juniper Inn",
            contact_email="manager@example.org",
            topic=f"Our housekeeper needs help, call {PHONE}",
            preferred_dates="Any weekday in May",
        )
    _refused(caught, "topic", "a phone number", PHONE)
    assert not TrainingRequest.objects.exists()
    services.training_request_submit(
        organization="Juniper Inn",
        contact_email="manager@example.org",
        topic="Front-desk staff: recognizing trafficking",
        preferred_dates="May 12, 2027 or May 19, 2027",
    )
    assert TrainingRequest.objects.count() == 1


def test_it_answers_the_public_form_with_the_kind_found_and_not_the_value(coordinator):
    client = Client()
    page = client.get("/public/request-training/").content.decode()
    stamp = page.split('name="started" value="')[1].split('"')[0]
    answers = {
        "organization": "Juniper Inn",
        "contact_email": "manager@example.org",
        "topic": "Help for Xiomara Quispe Huamani",
        "preferred_dates": "Any weekday in May",
        "started": stamp,
        "website": "",
    }
    with time_machine.travel(timezone.now().timestamp() + 5, tick=False):
        response = client.post("/public/request-training/", answers)
    assert response.status_code == 400
    assert "a person&#x27;s name" in response.content.decode() or "a person's name" in response.content.decode()
    assert not TrainingRequest.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("notes.txt", f"Client's cell: {PHONE}\n".encode(), "a phone number"),
        ("handout.pdf", _pdf("Intake summary", f"SSN {SSN}"), "a Social Security number"),
        ("handout.docx", _docx("Case notes", "Met Nguyen Thi Hoa at the salon."), "a person's name"),
        ("split.docx", _docx("Her number is", "five oh three, five five five, oh one two three"), "a phone number"),
    ],
)
def test_it_refuses_a_handout_whose_text_identifies_someone(meeting, coordinator, name, content, label):
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload(name, content))
    [message] = caught.value.message_dict["file"]
    assert label in message and "characters" not in message
    assert PHONE not in message and SSN not in message and "Hoa" not in message
    assert not Attachment.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DEIDENTIFICATION_REFUSED).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agenda.pdf", _pdf("Agenda", "1. Approval of minutes", "2. Hotline: 1-888-373-7888")),
        ("agenda.docx", _docx("Agenda", "Referral JUN-2026-00042 accepted.")),
        ("agenda.txt", b"Training for hotel staff in June 2026.\n"),
    ],
)
def test_it_accepts_a_clean_handout(meeting, coordinator, name, content):
    attachment = services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload(name, content))
    assert attachment.pk


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("broken.pdf", b"%PDF-1.4\nnot really a pdf", "could not be read"),
        ("broken.docx", b"PK\x03\x04 not a zip at all", "could not be read"),
    ],
)
def test_it_refuses_a_handout_it_cannot_read_with_a_clear_error(meeting, coordinator, name, content, says):
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload(name, content))
    assert says in " ".join(caught.value.message_dict["file"])
    assert not Attachment.objects.exists()


def test_it_shows_a_refused_handout_as_a_message_on_the_meeting_page(meeting, as_coordinator):
    upload = _upload("notes.txt", f"Cell {PHONE}".encode())
    response = as_coordinator.post(reverse("meetings:attachment_add", args=[meeting.pk]), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "a phone number" in page and PHONE not in page
    assert not Attachment.objects.exists()

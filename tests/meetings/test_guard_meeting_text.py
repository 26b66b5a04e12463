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
from tests.meetings.conftest import later_meeting

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
    approved = services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=later_meeting(past_meeting))
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


# --- Every meeting's, training's and committee's own details, and API token names ----------------

ADDRESS = "Juniper County Government Center, 210 Main Street, Room 204"


def _no_refusal_audited() -> bool:
    return not AuditEntry.objects.filter(event=AuditEvent.DEIDENTIFICATION_REFUSED).exists()


def test_it_guards_the_title_and_place_of_every_kind_of_meeting(coordinator):
    from tests.meetings.conftest import schedule

    with pytest.raises(ValidationError) as caught:
        schedule(coordinator, title="Planning with Thandiwe Okonkwo-Baptiste")
    _refused(caught, "title", "a person's name", "Thandiwe")
    with pytest.raises(ValidationError) as caught:
        schedule(coordinator, location=f"Her apartment, call {PHONE}")
    _refused(caught, "location", "a phone number", PHONE)
    with pytest.raises(ValidationError) as caught:
        schedule(coordinator, kind="case_review", location="At Maria Lopez's house")
    assert "location" in caught.value.message_dict
    from meetings.models import Meeting

    assert not Meeting.objects.exists()
    # A public building's street address is what a place is for.
    assert schedule(coordinator, location=ADDRESS).location == ADDRESS


def test_it_guards_a_meeting_switched_to_case_review_with_its_new_kind(coordinator, meeting):
    from meetings.services import meeting_details

    changed = services.MeetingInput(
        **{**meeting_details(meeting).__dict__, "title": "Review: Maria Lopez, DOB 03/14/2009", "kind": "case_review"}
    )
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(actor=coordinator, meeting=meeting, details=changed)
    _refused(caught, "title", "a date of birth", "03/14/2009")
    meeting.refresh_from_db()
    assert meeting.kind == "full" and "Lopez" not in meeting.title


def _training(agency, **overrides):
    start = timezone.now() + timedelta(days=20)
    values = {
        "title": "Recognizing trafficking in hotels",
        "description": "Presented by Detective Rosa Ramirez and Advocate Jordan Lee.",
        "host_agency": agency,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "capacity": 20,
        "is_public": True,
        "sectors": ["hospitality"],
        "location": ADDRESS,
    }
    values.update(overrides)
    return services.TrainingInput(**values)


def test_it_guards_a_training_but_lets_it_name_its_presenters_and_address(coordinator):
    from meetings.models import Training

    training = services.training_offer(actor=coordinator, data=_training(coordinator.agency))
    assert "Ramirez" in training.description and _no_refusal_audited()
    for field, value, label in [
        ("title", "Support for Xiomara Quispe Huamani", "a person's name"),
        ("description", f"Presented by Rosa Ramirez; her cell {PHONE}", "a phone number"),
        ("location", f"Room 12, ask for Maria Lopez at {PHONE}", "a phone number"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.training_offer(actor=coordinator, data=_training(coordinator.agency, **{field: value}))
        _refused(caught, field, label, PHONE if PHONE in value else "Xiomara")
        with pytest.raises(ValidationError):
            services.training_update(
                actor=coordinator, training=training, data=_training(coordinator.agency, **{field: value})
            )
    assert Training.objects.count() == 1
    with pytest.raises(ValidationError) as caught:
        services.training_offer(
            actor=coordinator, data=_training(coordinator.agency, location="Maria Lopez's apartment")
        )
    _refused(caught, "location", "a person's name", "Lopez")


def test_it_guards_a_committee_but_lets_its_description_name_the_chair(coordinator):
    from meetings.models import Committee

    def save(name: str, description: str) -> Committee:
        return services.committee_save(
            actor=coordinator, committee=None, name=name, description=description, chair=None, members=[], agencies=[]
        )

    assert save("Labor working group", "Chaired by Rosa Ramirez of Legal Aid.").pk
    with pytest.raises(ValidationError) as caught:
        save("Support circle for Oluwaseun", "")
    _refused(caught, "name", "a person's name", "Oluwaseun")
    with pytest.raises(ValidationError) as caught:
        save("Youth working group", f"Chaired by Rosa Ramirez; SSN {SSN}")
    _refused(caught, "description", "a Social Security number", SSN)
    assert Committee.objects.count() == 1


def test_it_refuses_a_date_of_birth_in_a_training_requests_dates():
    for dates in ("DOB 03/14/2009", "born 3/14/2009", "Any day, she was born on March 14, 2009"):
        with pytest.raises(ValidationError) as caught:
            services.training_request_submit(
                organization="Juniper Inn",
                contact_email="manager@example.org",
                topic="Front-desk staff: recognizing trafficking",
                preferred_dates=dates,
            )
        assert "a date of birth" in " ".join(caught.value.message_dict["preferred_dates"])
    assert not TrainingRequest.objects.exists()


def _page_refuses(response, label: str, value: str) -> None:
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400, response.status_code
    assert label in page and value not in page


def test_it_shows_refusals_on_the_meeting_training_and_committee_forms(coordinator, as_coordinator):
    from meetings.models import Committee, Meeting, Training

    meeting = {
        "title": "Full task force",
        "kind": "full",
        "audience": "all_members",
        "host_agency": coordinator.agency_id,
        "starts_at": "2031-03-11T10:00",
        "ends_at": "2031-03-11T11:30",
        "location": f"Call {PHONE} for the door code",
    }
    _page_refuses(as_coordinator.post(reverse("meetings:meeting_create"), meeting), "a phone number", PHONE)
    assert not Meeting.objects.exists()
    training = {
        "title": "Help for Xiomara Quispe Huamani",
        "description": "For counselors.",
        "sectors": ["schools"],
        "host_agency": coordinator.agency_id,
        "starts_at": "2031-05-06T13:00",
        "ends_at": "2031-05-06T15:00",
        "capacity": "30",
        "location": "District office",
    }
    _page_refuses(as_coordinator.post(reverse("meetings:training_create"), training), "a person's name", "Xiomara")
    assert not Training.objects.exists()
    committee = {"name": "Labor working group", "description": f"Chair's cell {PHONE}"}
    _page_refuses(as_coordinator.post(reverse("meetings:committee_create"), committee), "a phone number", PHONE)
    assert not Committee.objects.exists()


def test_it_guards_an_api_token_name_with_a_form_error(member, as_member):
    from api.models import ApiToken
    from api.services import api_token_create

    with pytest.raises(ValidationError) as caught:
        api_token_create(user=member, name=f"sync for the client at {PHONE}")
    _refused(caught, "name", "a phone number", PHONE)
    response = as_member.post(reverse("tokens:list"), {"name": "Maria Lopez's phone sync"})
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400 and "a person's name" in page and "Lopez" not in page
    assert not ApiToken.objects.exists()


# --- Handout text that the reader skipped ----------------------------------------------------------


def _xlsx(build) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    build(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_named(sheet) -> None:
    sheet.title = "Maria Lopez"
    sheet["A1"] = "Shelter beds"


def _cell_comment(sheet) -> None:
    from openpyxl.comments import Comment

    sheet["A1"] = "Shelter beds"
    sheet["A1"].comment = Comment(f"Her cell {PHONE}", "advocate")


def _header(sheet) -> None:
    sheet["A1"] = "Shelter beds"
    sheet.oddHeader.center.text = f"SSN {SSN}"


def _footer(sheet) -> None:
    sheet["A1"] = "Shelter beds"
    sheet.oddFooter.left.text = f"Call {PHONE}"


def _dob_column(sheet) -> None:
    import datetime

    sheet.append(["Client", "DOB"])
    sheet.append(["A", datetime.date(2009, 3, 14)])


def _docx_package(parts: dict[str, str], rels: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, xml in {**parts, **rels}.items():
            archive.writestr(name, xml)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _paragraphs(root: str, text: str) -> str:
    return f'<?xml version="1.0"?><w:{root} {_W}><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:{root}>'


def _renamed_main_part() -> bytes:
    rels = (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
        'Target="word/body.xml"/></Relationships>'
    )
    return _docx_package({"word/body.xml": _paragraphs("document", f"Her cell {PHONE}")}, {"_rels/.rels": rels})


def _renamed_header() -> bytes:
    rels = (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
        'Target="/word/main.xml"/></Relationships>'
    )
    part_rels = (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId7" Type="{_DOC}/header" Target="top.xml"/>'
        f'<Relationship Id="rId8" Type="{_DOC}/comments" Target="notes/remarks.xml"/></Relationships>'
    )
    return _docx_package(
        {
            "word/main.xml": _paragraphs("document", "Agenda"),
            "word/top.xml": _paragraphs("hdr", f"SSN {SSN}"),
            "word/notes/remarks.xml": _paragraphs("comments", "Met Nguyen Thi Hoa"),
        },
        {"_rels/.rels": rels, "word/_rels/main.xml.rels": part_rels},
    )


def _pdf_with(*, annotation: str = "", author: str = "", title: str = "", subject: str = "") -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf("Agenda", "1. Approval of minutes"))))
    if annotation:
        writer.add_annotation(page_number=0, annotation=FreeText(text=annotation, rect=(50, 550, 200, 650)))
    metadata = {"/Author": author, "/Title": title, "/Subject": subject}
    writer.add_metadata({k: v for k, v in metadata.items() if v})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "build", "label"),
    [
        ("sheet-name.xlsx", lambda: _xlsx(_sheet_named), "a person's name"),
        ("comment.xlsx", lambda: _xlsx(_cell_comment), "a phone number"),
        ("header.xlsx", lambda: _xlsx(_header), "a Social Security number"),
        ("footer.xlsx", lambda: _xlsx(_footer), "a phone number"),
        ("dob.xlsx", lambda: _xlsx(_dob_column), "a date of birth"),
        ("renamed.docx", _renamed_main_part, "a phone number"),
        ("header.docx", _renamed_header, "a Social Security number"),
        ("comments.docx", _renamed_header, "a person's name"),
        ("annotated.pdf", lambda: _pdf_with(annotation=f"Her cell {PHONE}"), "a phone number"),
        ("author.pdf", lambda: _pdf_with(author=f"Rosa Ramirez {PHONE}"), "a phone number"),
        ("title.pdf", lambda: _pdf_with(title=f"Intake SSN {SSN}"), "a Social Security number"),
        ("subject.pdf", lambda: _pdf_with(subject=f"Call {PHONE}"), "a phone number"),
    ],
)
def test_it_reads_the_parts_of_a_handout_that_hid_text(meeting, coordinator, name, build, label):
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload(name, build()))
    [message] = caught.value.message_dict["file"]
    assert label in message, message
    assert not Attachment.objects.exists()


def test_it_accepts_a_clean_spreadsheet_and_a_pdf_by_a_named_author(meeting, coordinator):
    import datetime

    def build(sheet) -> None:
        sheet.title = "Trainings"
        sheet.append(["Training", "Held on", "People"])
        sheet.append(["Hotel staff", "May 2026", 40])
        sheet.append(["School counselors", datetime.date(2026, 6, 1).strftime("%B %Y"), 25])
        sheet.oddFooter.center.text = "Juniper County Task Force"

    attachment = services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload("t.xlsx", _xlsx(build)))
    assert attachment.pk
    # A document's author is the staff member who wrote it: a name alone is fine there.
    pdf = _pdf_with(author="Rosa Ramirez", title="Training calendar")
    assert services.attachment_add(actor=coordinator, meeting=meeting, upload=_upload("c.pdf", pdf)).pk

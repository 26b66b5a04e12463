"""The preview command and the planner command (what beat does), on the in-process default."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from digests.models import Delivery
from tests.cases.referral_helpers import send
from tests.digests.helpers import REFERENCE_CODE, digest_rows, prefer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("planner_history")]


def test_it_prints_a_persons_next_digest(officer, outsider_officer):
    send(outsider_officer, officer.agency)
    out, err = StringIO(), StringIO()
    call_command("digest_preview", officer.email.upper(), stdout=out, stderr=err)
    assert "1 referral is waiting for your agency to answer." in out.getvalue()
    assert "[Preview]" in out.getvalue() and not REFERENCE_CODE.search(out.getvalue())
    assert "next digest:" in err.getvalue()
    assert mail.outbox == [] and not Delivery.objects.filter(kind="digest").exists()


def test_it_emails_a_preview_without_touching_the_schedule(officer, outsider_officer):
    send(outsider_officer, officer.agency)
    call_command("digest_preview", officer.email, "--send", "--html", stdout=StringIO(), stderr=StringIO())
    (message,) = [m for m in mail.outbox if m.subject.startswith("[Preview]")]
    assert message.to == [officer.email]
    assert not Delivery.objects.filter(kind="digest").exists()


def test_it_says_when_there_is_nothing_to_preview(member):
    err = StringIO()
    call_command("digest_preview", member.email, stdout=StringIO(), stderr=err)
    assert "an empty digest is not sent" in err.getvalue()


def test_it_refuses_an_unknown_person():
    with pytest.raises(CommandError, match=r"No person with the email address nobody@example\.org"):
        call_command("digest_preview", "nobody@example.org")


@pytest.mark.django_db(transaction=True)  # the planner's tasks are enqueued when its transaction commits
def test_it_plans_and_sends_due_digests_in_process(officer, outsider_officer):
    prefer(officer, hour=7)
    prefer(outsider_officer, frequency="never")
    send(outsider_officer, officer.agency)
    mail.outbox = []  # the notification of the new referral
    out = StringIO()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):  # consent still in force
        call_command("digests_run", stdout=out)
        call_command("digests_run", stdout=StringIO())
    assert "Digests: 1 newly due, 0 superseded, 1 enqueued" in out.getvalue()
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert [row.status for row in digest_rows(officer)] == ["sent"]

"""Immediate notifications: content-free, to the right people only, once, and each can be switched off."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from agencies.roles import Role
from cases.services import consent_revoke
from digests.models import Delivery, TaskForceDigestDefaults
from digests.notifications import notification_schedule
from digests.tasks import notify
from outbox.models import OutboxTask
from tests.cases.referral_helpers import send
from tests.digests.helpers import REFERENCE_CODE, after_commit, bodies, prefer, sent_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_tells_the_receiving_agencys_referral_officers_when_a_referral_arrives(
    officer, colleague, member, outsider_officer
):
    with after_commit():
        referral = send(outsider_officer, officer.agency)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([officer.email, colleague.email])
    message = sent_to(officer.email)[0]
    assert message.subject == "A new referral was sent to your agency"
    assert "Sign in to the portal to see it" in message.body
    assert "/referrals/?direction=incoming" in message.body
    assert referral.reference_code not in bodies(message) and not REFERENCE_CODE.search(bodies(message))
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_does_not_tell_people_who_switched_it_off(officer, colleague, outsider_officer):
    prefer(colleague, notify_referral_received=False)
    with after_commit():
        send(outsider_officer, officer.agency)
    assert [message.to[0] for message in mail.outbox] == [officer.email]
    row = Delivery.objects.get(person=colleague)
    assert (row.status, row.detail) == ("skipped", "switched_off")


def test_it_follows_the_task_force_default_for_people_who_never_chose(officer, outsider_officer):
    defaults = TaskForceDigestDefaults.current()
    defaults.notify_referral_received = False
    defaults.save()
    with after_commit():
        send(outsider_officer, officer.agency)
    assert mail.outbox == []


def test_it_does_not_tell_deactivated_people(officer, colleague, outsider_officer):
    colleague.is_active = False
    colleague.save()
    with after_commit():
        send(outsider_officer, officer.agency)
    assert [message.to[0] for message in mail.outbox] == [officer.email]


def test_it_does_not_tell_people_who_can_no_longer_see_the_referral(officer, outsider_officer):
    referral = send(outsider_officer, officer.agency)  # the task has not run yet...
    consent_revoke(referral=referral, actor=outsider_officer)  # ...when consent is withdrawn
    notify.delay("referral_received", referral.pk)
    assert [message.subject for message in mail.outbox] == []
    assert Delivery.objects.get(kind="referral_received").detail == "not_visible"


def test_it_tells_the_receivers_when_consent_is_withdrawn(officer, colleague, outsider_officer):
    referral = send(outsider_officer, officer.agency)
    with after_commit():
        consent_revoke(referral=referral, actor=outsider_officer)
        consent_revoke(referral=referral, actor=outsider_officer)  # a second click changes nothing
    assert sorted(message.to[0] for message in mail.outbox) == sorted([officer.email, colleague.email])
    message = sent_to(officer.email)[0]
    assert message.subject == "Consent was withdrawn for a referral to your agency"
    assert "can no longer see it" in message.body
    assert referral.reference_code not in bodies(message)
    assert outsider_officer.email not in [m.to[0] for m in mail.outbox]


def test_it_does_not_tell_a_referral_officer_who_moved_to_another_role(officer, outsider_officer):
    referral = send(outsider_officer, officer.agency)
    consent_revoke(referral=referral, actor=outsider_officer)
    officer.role = Role.MEMBER
    officer.save()
    notify.delay("consent_revoked", referral.pk)
    assert mail.outbox == []


def test_it_notifies_once_when_the_task_runs_twice(officer, outsider_officer):
    referral = send(outsider_officer, officer.agency)
    notify.delay("referral_received", referral.pk)
    notify.delay("referral_received", referral.pk)
    assert len(sent_to(officer.email)) == 1


def test_it_notifies_nobody_when_the_event_is_rolled_back(officer, outsider_officer):
    class Abort(Exception):
        pass

    with after_commit(), pytest.raises(Abort), transaction.atomic():
        send(outsider_officer, officer.agency)
        raise Abort
    assert mail.outbox == []
    assert not OutboxTask.objects.exists()


def test_it_writes_the_outbox_row_in_the_events_transaction_and_enqueues_only_ids(officer, outsider_officer):
    referral = send(outsider_officer, officer.agency)
    (row,) = OutboxTask.objects.all()
    (delivery,) = Delivery.objects.filter(kind="referral_received", target_id=referral.pk)
    assert (row.task, row.args, row.dispatched_at) == ("digests.tasks.send_deliveries", [[delivery.pk]], None)


def test_it_refuses_an_unknown_notification_kind():
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notification_schedule(kind="referral_recieved", target_id=1)


def test_it_sends_a_notification_per_person_over_one_connection(settings, officer, outsider_officer):
    settings.EMAIL_BACKEND = "tests.digests.backends.CountingBackend"
    for _ in range(3):
        UserFactory(agency=officer.agency, role=Role.REFERRAL_OFFICER)
    with after_commit():
        send(outsider_officer, officer.agency)
    from tests.digests.backends import CountingBackend

    assert (len(mail.outbox), CountingBackend.opened) == (4, 1)


def test_it_writes_the_delivery_rows_in_the_event_transaction_before_anything_is_queued(
    officer, colleague, outsider_officer
):
    """A Redis that restarts empty loses the queued task, never the rows: the planner re-enqueues those."""
    with transaction.atomic():
        referral = send(outsider_officer, officer.agency)
        rows = Delivery.objects.filter(kind="referral_received", target_id=referral.pk)
        assert sorted(rows.values_list("person__email", flat=True)) == sorted([officer.email, colleague.email])
        assert set(rows.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []  # not committed in this test: nothing was sent

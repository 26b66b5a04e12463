"""The end of a person's access is one hook (agencies.signals.access_ended): agencies ends the sessions,
the api app ends the tokens it issued, in the same transaction as the change."""

from __future__ import annotations

import pytest

from agencies.roles import Role
from agencies.services import person_change_role, person_deactivate
from agencies.signals import access_ended
from api.models import ApiToken
from api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_it_revokes_every_token_when_a_person_is_deactivated(agency_admin, member):
    # Checked on the rows: the API refuses a deactivated person's token anyway, revoked or not.
    api_token_create(user=member, name="sync")
    api_token_create(user=member, name="backup")

    person_deactivate(actor=agency_admin, person=member)

    assert ApiToken.objects.filter(user=member).count() == 2
    assert not ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()


def test_it_revokes_every_token_when_a_role_changes(agency_admin, member):
    api_token_create(user=member, name="sync")

    person_change_role(actor=agency_admin, person=member, role=Role.REFERRAL_OFFICER)

    assert not ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()


def test_it_leaves_the_tokens_of_others(agency_admin, member, colleague):
    api_token_create(user=colleague, name="theirs")

    person_deactivate(actor=agency_admin, person=member)

    assert ApiToken.objects.get(user=colleague).revoked_at is None


def test_it_announces_the_end_of_access_with_the_person(agency_admin, member):
    heard = []

    def listener(sender: object, *, person: object, **kwargs: object) -> None:
        heard.append(person)

    access_ended.connect(listener)
    try:
        person_deactivate(actor=agency_admin, person=member)
    finally:
        access_ended.disconnect(listener)
    assert heard == [member]


def test_it_undoes_the_deactivation_when_a_receiver_fails(agency_admin, member):
    """Receivers run inside the change's transaction and are not robust-sent: a token that could not be
    revoked leaves the person active rather than half cut off."""
    api_token_create(user=member, name="sync")

    def failing(sender: object, **kwargs: object) -> None:
        raise RuntimeError("token store unavailable")

    access_ended.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            person_deactivate(actor=agency_admin, person=member)
    finally:
        access_ended.disconnect(failing)
    member.refresh_from_db()
    assert member.is_active
    assert ApiToken.objects.get(user=member).revoked_at is None

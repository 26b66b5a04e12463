"""An invitation email goes in the language of the person who sent it: the invitee has no account yet, so
no language of their own until they choose one."""

from __future__ import annotations

import pytest
from django.core import mail

from agencies.models import Agency
from agencies.roles import Role
from agencies.services import invitation_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "sentence"),
    [
        ("es", "Está invitado al portal de", "Cree su cuenta con este enlace"),
        ("en", "You are invited to the", "Create your account with this link"),
    ],
)
def test_the_invitation_is_in_the_inviters_language(
    agency: Agency, django_capture_on_commit_callbacks, language, subject, sentence
):
    inviter = UserFactory(agency=agency, role=Role.AGENCY_ADMIN, email="inviter@test.example.org", language=language)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(actor=inviter, email="new.person@agency.example.org", agency=agency, role=Role.MEMBER)
    message = mail.outbox[-1]
    assert message.subject.startswith(subject)
    assert sentence in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body  # plain text, not HTML-escaped

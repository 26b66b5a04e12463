"""The API token lookup (api.services, compiled once by toolkit.compiled) answers what
`ApiToken.objects.usable()` answers, and reads the person's MFA flag with the token."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import User
from agencies.roles import Role
from api.models import ApiToken
from api.services import api_token_authenticate, api_token_create, token_digest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def usable_pk(raw: str) -> int | None:
    return ApiToken.objects.usable().filter(digest=token_digest(raw)).values_list("pk", flat=True).first()


def test_it_answers_what_usable_answers(agency, officer, member):
    fine, expiring, revoked = (api_token_create(user=officer, name=name)[1] for name in ("a", "b", "c"))
    ApiToken.objects.filter(digest=token_digest(revoked)).update(revoked_at=timezone.now())
    inactive = UserFactory(agency=agency, role=Role.MEMBER)
    of_inactive = api_token_create(user=inactive, name="d")[1]
    type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    of_nobody = api_token_create(user=UserFactory(agency=None, is_staff=True, is_superuser=True), name="e")[1]
    raws = [fine, expiring, revoked, of_inactive, of_nobody, "tfp_unknown", "", "x" * 500]
    expires_at = ApiToken.objects.get(digest=token_digest(expiring)).expires_at
    for moment in (timezone.now(), expires_at - timedelta(microseconds=1), expires_at, expires_at + timedelta(days=1)):
        with time_machine.travel(moment, tick=False):
            for raw in raws:
                token = api_token_authenticate(raw)
                assert (token and token.pk) == usable_pk(raw), (moment, raw)
    assert api_token_authenticate(of_nobody).user.agency is None


def test_the_person_and_the_mfa_flag_come_with_the_token(agency):
    with_app = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER)
    without_app = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, with_mfa=False)
    for person, lacks in ((with_app, False), (without_app, True)):
        raw = api_token_create(user=person, name="sync")[1]
        api_token_authenticate(raw)  # the first writes last_used_at
        with CaptureQueriesContext(connection) as queries:
            token = api_token_authenticate(raw)
            assert token.user == person and token.user.agency == agency
            assert token.user.has_totp is not lacks and token.user.lacks_required_mfa() is lacks
        assert len(queries) == 1


def test_has_totp_is_read_once_or_with_an_annotation(agency):
    person = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER)
    fresh = User.objects.get(pk=person.pk)
    with CaptureQueriesContext(connection) as queries:
        assert fresh.has_totp is True and fresh.lacks_required_mfa() is False
    assert len(queries) == 1
    annotated = User.objects.annotate(has_totp=Exists(User.totp_authenticators(OuterRef("pk")))).get(pk=person.pk)
    with CaptureQueriesContext(connection) as queries:
        assert annotated.has_totp is True
    assert len(queries) == 0
    lacking = UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, with_mfa=False)
    assert User.objects.get(pk=lacking.pk).lacks_required_mfa() is True

"""`manage.py issue_api_token`: a token for a person, or a clear refusal (never a traceback)."""

import pytest
from django.core.management import CommandError, call_command

from api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_it_prints_a_token_that_is_stored_hashed(member, capsys):
    call_command("issue_api_token", member.email, "--name", "Nightly sync")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=member)
    assert raw and raw not in {token.digest, token.name}


def test_it_refuses_a_name_the_guard_refuses_without_repeating_it(member):
    with pytest.raises(CommandError) as refused:
        call_command("issue_api_token", member.email, "--name", "Maria Lopez 503-555-0123")
    assert "503" not in str(refused.value) and "phone" in str(refused.value)
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_person():
    with pytest.raises(CommandError, match="No active person"):
        call_command("issue_api_token", "nobody@example.org")

"""The check before submit (cases/text_check.py, issue "the kept note"): the one guard, asked about text still
in the form; kinds and positions in UTF-16 code units, never the text; nothing stored, audited or logged."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from audit.models import AuditEntry
from cases import text_check
from cases.text_check import utf16_offset
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "414-555-0137"
AS_JSON = "application/json"


def _check(client, fields, url=None):
    return client.post(url or reverse("cases:check_text"), {"fields": fields}, content_type=AS_JSON)


def test_it_counts_positions_as_javascript_does():
    text = "🙂 é 🙂x"
    assert [utf16_offset(text, i) for i in range(len(text) + 1)] == [0, 2, 3, 4, 5, 7, 8]


def test_it_answers_kind_label_and_utf16_positions_never_the_text(officer):
    note = f"🙂🙂 Call {PHONE} today"
    response = _check(client_for(officer), {"note": note, "county": "Juniper County"})
    assert response.status_code == 200
    [finding] = response.json()["fields"]["note"]
    start = len("🙂🙂 Call ".encode("utf-16-le")) // 2
    assert finding == {
        "kind": "phone",
        "label": "a phone number",
        "start": start,
        "end": start + len(PHONE),
        "message": f"Looks like a phone number at characters {start + 1}-{start + len(PHONE)}.",
    }
    assert response.json()["fields"]["county"] == []
    assert "555" not in response.content.decode()


def test_it_stores_audits_and_logs_nothing(officer, caplog):
    client = client_for(officer)  # signing in is audited
    before = AuditEntry.objects.count()
    with caplog.at_level(logging.DEBUG):
        assert _check(client, {"note": f"Call {PHONE}"}).json()["fields"]["note"]
    assert AuditEntry.objects.count() == before
    assert "555" not in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[" * 100_000,
        '{"text": "call me"}',
        '{"fields": {}}',
        '{"fields": {"note": 12}}',
        '{"fields": {"bad name!": "x"}}',
        '{"fields": ["note"]}',
    ],
)
def test_it_refuses_what_it_cannot_read_with_400(officer, body):
    response = client_for(officer).post(reverse("cases:check_text"), body, content_type=AS_JSON)
    assert response.status_code == 400 and response.json()["detail"]


def test_it_refuses_a_text_too_long(officer):
    response = _check(client_for(officer), {"note": "x" * (text_check.MAX_TEXT + 1)})
    assert response.status_code == 400


def test_it_is_rate_limited_per_person(officer, monkeypatch):
    monkeypatch.setattr(text_check, "RATE", "2/m")
    client = client_for(officer)
    assert [_check(client, {"note": "ok"}).status_code for _ in range(3)] == [200, 200, 429]
    assert _check(client_for(UserFactory(agency=officer.agency)), {"note": "ok"}).status_code == 200


def test_it_speaks_the_persons_language(agency):
    person = UserFactory(agency=agency, language="es")
    [finding] = _check(client_for(person), {"note": f"Llamar al {PHONE}"}).json()["fields"]["note"]
    assert finding["kind"] == "phone" and finding["label"] == "un número de teléfono"
    assert finding["message"].startswith("Parece haber un número de teléfono (caracteres ")


def test_the_api_twin_answers_alike(officer):
    note = f"🙂 Call {PHONE}"
    web = _check(client_for(officer), {"note": note}).json()
    api = _check(client_for(officer), {"note": note}, url="/api/v1/text-check/")
    assert api.status_code == 200 and api.json() == web


def test_the_api_twin_refuses_bad_bodies_and_speaks_spanish(officer):
    client = client_for(officer)
    bad = client.post("/api/v1/text-check/", {"fields": {"note": ["x"]}}, content_type=AS_JSON)
    assert bad.status_code == 400
    assert client.post("/api/v1/text-check/", {"text": "x"}, content_type=AS_JSON).status_code == 400
    spanish = client.post(
        "/api/v1/text-check/", {"fields": {"note": f"Tel {PHONE}"}}, content_type=AS_JSON, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert spanish.json()["fields"]["note"][0]["label"] == "un número de teléfono"


def test_the_api_twin_is_in_the_schema():
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert "post" in schema["paths"]["/api/v1/text-check/"]


def test_it_bounds_the_work_of_one_check(officer):
    """The guard's work grows with the text (a ligature such as U+FDFA unfolds into 18 letters): 20 fields of
    2,000 characters took 5 s of a worker (attacker's review). A check takes a form's few fields, and
    MAX_TOTAL characters in all."""
    client = client_for(officer)
    too_many = {f"field{n}": "ok" for n in range(text_check.MAX_FIELDS + 1)}
    assert _check(client, too_many).status_code == 400
    half = text_check.MAX_TOTAL // 2 + 1
    response = _check(client, {"note": "\ufdfa" * half, "other": "\ufdfa" * half})
    assert response.status_code == 400 and "\ufdfa" not in response.content.decode()


def test_the_pages_and_the_api_count_in_one_window(officer, monkeypatch):
    monkeypatch.setattr(text_check, "RATE", "2/m")
    client = client_for(officer)
    assert _check(client, {"note": "ok"}).status_code == 200
    assert _check(client, {"note": "ok"}, url="/api/v1/text-check/").status_code == 200
    assert _check(client, {"note": "ok"}, url="/api/v1/text-check/").status_code == 429
    assert _check(client, {"note": "ok"}).status_code == 429


@pytest.mark.parametrize("value", [None, 5035550123, {"a": "b"}, "x" * (text_check.MAX_TEXT + 1)])
def test_the_api_twin_never_repeats_a_field_name_it_refuses(officer, value):
    """DRF reported a bad value under its key, so a key holding a name came back in the 400."""
    name = "Jane_Doe_5035550123"
    response = _check(client_for(officer), {name: value}, url="/api/v1/text-check/")
    assert response.status_code == 400
    assert name not in response.content.decode() and "5035550123" not in response.content.decode()


def test_a_body_too_large_gets_a_json_400(officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"fields": {"note": "' + "x" * 2000 + '"}}'
    response = client_for(officer).post("/api/v1/text-check/", body, content_type=AS_JSON)
    assert response.status_code == 400 and response["Content-Type"] == AS_JSON

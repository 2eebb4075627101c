"""The OpenAPI page and schema (/api/v1/docs, /api/v1/openapi.json) need a session or a token."""

from __future__ import annotations

import pytest

from bangfu.accounts.tokens import token_create

DOCS, SCHEMA = "/api/v1/docs", "/api/v1/openapi.json"


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_login_page_from_the_docs(client):
    response = client.get(DOCS)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/api/v1/docs")


@pytest.mark.django_db
def test_an_anonymous_client_gets_401_for_the_schema(client):
    response = client.get(SCHEMA)
    assert response.status_code == 401
    assert "paths" not in response.json()


@pytest.mark.django_db
def test_a_wrong_token_gets_401_for_the_schema(client):
    assert client.get(SCHEMA, HTTP_AUTHORIZATION="Token not-a-real-key").status_code == 401


def test_a_wrong_token_beside_a_session_gets_401_as_for_the_api(client, make_user):
    client.force_login(make_user("city_admin", "50"))
    assert client.get(SCHEMA, HTTP_AUTHORIZATION="Token not-a-real-key").status_code == 401


def test_a_signed_in_user_reads_the_docs_and_the_schema(client, make_user):
    client.force_login(make_user("township_officer", "500230"))
    assert client.get(DOCS).status_code == 200
    response = client.get(SCHEMA)
    assert response.status_code == 200
    assert "/api/v1/registry/persons" in response.json()["paths"]


def test_a_token_client_reads_the_schema(client, make_user):
    key = token_create(user=make_user("city_admin", "50"), name="docs")
    response = client.get(SCHEMA, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "bangfu API"

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


def test_no_two_api_schemas_share_a_name_with_different_fields():
    """django-ninja names an OpenAPI component after its class: two apps' ``PersonOut`` with
    other fields would silently document one app's answer with the other's schema."""
    import importlib

    from django.apps import apps
    from ninja import Schema

    for config in apps.get_app_configs():
        if config.name.startswith("bangfu."):
            try:
                importlib.import_module(f"{config.name}.api")
            except ModuleNotFoundError:
                pass

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, tuple[str, dict]] = {}
    clashes = []
    for cls in subclasses(Schema):
        if not cls.__module__.startswith("bangfu.") or ".tests" in cls.__module__:
            continue
        fields = cls.model_json_schema()
        if cls.__name__ in seen and seen[cls.__name__][1] != fields:
            clashes.append(f"{cls.__name__}: {seen[cls.__name__][0]} and {cls.__module__}")
        seen.setdefault(cls.__name__, (cls.__module__, fields))
    assert clashes == []

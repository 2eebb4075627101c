"""Property-based tests of the whole API against its own OpenAPI schema (DESIGN.md §8).

Schemathesis loads the schema from the application in-process (WSGI, no server), generates
valid and invalid requests for every operation and checks that none ends in a server error
(bad input is a 422 naming the field, an unknown record a 404) and that responses match the
documented schemas. The caller is a city admin with an API token; a little data is seeded so
the lists and the detail pages read real rows.

Writes whose effects reach beyond the test database are left out: the policy run (it may
start Spark or connect to PostgreSQL depending on the generated engine).
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bangfu.accounts.tokens import token_create

def _schema():
    """The schema ``/api/v1/openapi.json`` serves (it needs a login, and there is no user at
    import time), bound to the application as ``from_wsgi`` binds it."""
    from bangfu.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app, loaded.location = get_wsgi_application(), "/api/v1/openapi.json"
    return loaded


schema = _schema().exclude(method="POST", path_regex=r"/policies/policies/\{code\}/runs$")

# Real keys of the seeded rows, per path parameter name; filled by the ``seeded`` fixture.
REAL: dict[str, object] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the generated paths point at a seeded row instead of a random key."""
    if not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    real = {name: REAL[name] for name in path_parameters if name in REAL}
    if not real:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **real}])


@pytest.fixture
def seeded(db, make_user):
    """A city admin with a token, and one row of each kind the API reads."""
    from bangfu.arrears.tests.factories import file_case
    from bangfu.jobs.tests.factories import ApplicationFactory, JobPostingFactory, PushFactory
    from bangfu.monitoring.tests.factories import kpi_township_world
    from bangfu.policies.tests.factories import entitlement_for, example_policy
    from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory

    cache.clear()
    admin = make_user("city_admin", "50")
    key = token_create(user=admin, name="schemathesis")
    person = PersonFactory()
    posting = JobPostingFactory()
    PushFactory(person=person, posting=posting)
    application = ApplicationFactory(person=person, posting=posting)
    policy = example_policy()
    entitlement = entitlement_for(person, policy=policy)
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP, month="2024-09")
    case = file_case().case
    REAL.clear()
    REAL.update(person_id=person.pk, posting_id=posting.pk, application_id=application.pk,
                entitlement_id=entitlement.pk, run_id=entitlement.run_id, code=policy.code,
                number=case.number, beneficiary_id=person.pk, kind="person")
    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Token {key}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        REAL.clear()
        cache.clear()  # the public doors' rate limits count in the cache


@schema.parametrize()
@hypothesis.settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_without_a_server_error(case, seeded):
    case.call_and_validate(headers=seeded, checks=[not_a_server_error, response_schema_conformance])


def test_a_token_client_can_post_without_a_csrf_token(make_user):
    """The token is checked before the session: CSRF protects cookies, not a header a browser never adds."""
    import json

    from django.test import Client

    key = token_create(user=make_user("city_admin", "50"))
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/jobs/services", data=json.dumps({}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 422  # validated, not refused by the CSRF check (403)


def test_a_session_client_still_needs_the_csrf_token_to_post(make_user):
    from django.test import Client

    user = make_user("city_admin", "50")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/api/v1/jobs/services", data="{}", content_type="application/json")
    assert response.status_code == 403

import pytest

from bangfu.accounts.tokens import token_create
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db

PERSONS = "/api/v1/registry/persons"


@pytest.fixture
def api_client(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    return client


def field_names(response) -> set[str]:
    return {str(err["loc"][-1]) for err in response.json()["detail"]}


def test_person_list_returns_masked_fields_only(api_client):
    person = PersonFactory(phone="13612345678")
    response = api_client.get(PERSONS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id_number_masked"] == person.id_number_masked
    assert item["phone_masked"] == "136****5678"
    assert "id_number" not in item and "phone" not in item
    assert person.id_number not in response.content.decode()
    assert item["district_name"] == "丰都县"


def test_person_list_filters_like_the_page(api_client):
    PersonFactory(name="监测", category="monitored")
    PersonFactory(name="脱贫", category="alleviated")
    body = api_client.get(PERSONS, {"category": "monitored", "district": FENGDU}).json()
    assert [p["name"] for p in body["items"]] == ["监测"]


def test_person_list_pages_by_fifty(api_client):
    PersonFactory.create_batch(52)
    first = api_client.get(PERSONS).json()
    second = api_client.get(PERSONS, {"page": 2}).json()
    assert first["count"] == 52 and len(first["items"]) == 50 and len(second["items"]) == 2


@pytest.mark.parametrize("params, field", [
    ({"category": "rich"}, "category"),
    ({"labour_ability": "strong"}, "labour_ability"),
    ({"district": "12345"}, "district"),
    ({"township": "x"}, "township"),
    ({"worker": "perhaps"}, "worker"),
    ({"page": "0"}, "page"),
    ({"page": "99999999999999999999999"}, "page"),
    ({"page_size": "100000"}, "page_size"),
    ({"district": FENGDU, "township": "500101001"}, "township"),
])
def test_bad_filters_are_422_naming_the_field(api_client, params, field):
    response = api_client.get(PERSONS, params)
    assert response.status_code == 422
    assert field in field_names(response)


def test_person_detail_returns_one_person(api_client):
    person = PersonFactory(name="详情")
    body = api_client.get(f"{PERSONS}/{person.pk}").json()
    assert body["name"] == "详情" and body["township_code"] == FENGDU_TOWNSHIP


@pytest.mark.parametrize("bad", ["abc", "0", "99999999999999999999999"])
def test_person_detail_with_a_bad_id_is_422(api_client, bad):
    response = api_client.get(f"{PERSONS}/{bad}")
    assert response.status_code == 422
    assert "person_id" in field_names(response)


def test_person_detail_of_a_missing_person_is_404(api_client):
    assert api_client.get(f"{PERSONS}/987654").status_code == 404


def test_person_detail_outside_the_area_is_404(client, make_user):
    person = PersonFactory()
    client.force_login(make_user(role="district_officer", area_code=WANZHOU))
    assert client.get(f"{PERSONS}/{person.pk}").status_code == 404


def test_divisions_lists_the_districts_of_chongqing(api_client):
    body = api_client.get("/api/v1/registry/divisions", {"parent": "50"}).json()
    assert len(body) == 38
    assert {"code": "500230", "name": "丰都县"}.items() <= next(d for d in body if d["code"] == "500230").items()


def test_divisions_with_a_bad_parent_is_422(api_client):
    response = api_client.get("/api/v1/registry/divisions", {"parent": "abc"})
    assert response.status_code == 422 and "parent" in field_names(response)


def test_anonymous_requests_are_401(client):
    assert client.get(PERSONS).status_code == 401


def test_token_auth_reads_the_tokens_user_area(client, make_user):
    user = make_user(role="district_officer", area_code=WANZHOU)
    key = token_create(user=user)
    PersonFactory()  # in 丰都县: not visible to a 万州区 token
    response = client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200 and response.json()["count"] == 0
    response = client.get(PERSONS, HTTP_AUTHORIZATION="Token wrong-key")
    assert response.status_code == 401


def test_openapi_schema_renders_and_names_the_person_endpoints(api_client):
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/registry/persons" in paths and "/api/v1/registry/persons/{person_id}" in paths


def test_api_docs_are_served_without_a_cdn(api_client):
    html = api_client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html

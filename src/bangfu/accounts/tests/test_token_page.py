"""The API 令牌 page: a user's own tokens with expiry and last use, and a revoke button."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import ApiToken
from bangfu.accounts.tokens import token_create, user_for_token
from bangfu.core.models import AuditLog

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:token_list")


def revoke_url(key: str) -> str:
    return reverse("accounts:token_revoke", args=[ApiToken.objects.get(prefix=key[:8]).pk])


@pytest.fixture
def owner(make_user):
    return make_user(username="owner", role="district_officer", area_code="500230")


def test_the_page_lists_the_users_tokens_with_expiry_and_last_use_but_never_a_key(client, owner, make_user):
    used = token_create(user=owner, name="对接社保系统", days=30)
    user_for_token(used)
    expired = token_create(user=owner, name="旧系统")
    ApiToken.objects.filter(prefix=expired[:8]).update(expires_at=timezone.now() - dt.timedelta(days=1))
    others = token_create(user=make_user(username="other"), name="别人的令牌")
    client.force_login(owner)
    html = client.get(PAGE).content.decode()
    token = ApiToken.objects.get(prefix=used[:8])
    local = timezone.localtime
    assert used[:8] in html and "对接社保系统" in html and expired[:8] in html
    assert f"{local(token.expires_at):%Y-%m-%d %H:%M}" in html
    assert f"{local(token.last_used_at):%Y-%m-%d %H:%M}" in html
    assert "已过期" in html and "有效" in html
    assert used not in html and expired not in html
    assert others[:8] not in html and "别人的令牌" not in html


def test_the_top_bar_links_to_the_page(client, owner):
    client.force_login(owner)
    assert f'href="{PAGE}"' in client.get(reverse("home")).content.decode()


def test_the_revoke_button_revokes_the_token_and_audits_it(client, owner):
    key = token_create(user=owner)
    client.force_login(owner)
    html = client.get(PAGE).content.decode()
    assert f'action="{revoke_url(key)}"' in html
    response = client.post(revoke_url(key))
    assert response.status_code == 302 and response["Location"] == PAGE
    assert user_for_token(key) is None
    assert client.get("/api/v1/registry/persons", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    audit = AuditLog.objects.get(action="token.revoke")
    assert audit.actor == owner and audit.detail["prefix"] == key[:8]
    page = client.get(PAGE).content.decode()
    assert "已吊销" in page and f'action="{revoke_url(key)}"' not in page


def test_revoking_twice_says_so_and_audits_once(client, owner):
    key = token_create(user=owner)
    client.force_login(owner)
    client.post(revoke_url(key))
    response = client.post(revoke_url(key), follow=True)
    assert "令牌已吊销" in response.content.decode()
    assert AuditLog.objects.filter(action="token.revoke").count() == 1


def test_another_users_token_cannot_be_revoked_here(client, owner, make_user):
    key = token_create(user=make_user(username="other"))
    client.force_login(owner)
    assert client.post(revoke_url(key)).status_code == 404
    assert user_for_token(key) is not None and not AuditLog.objects.filter(action="token.revoke").exists()


def test_revoke_only_answers_a_post(client, owner):
    key = token_create(user=owner)
    client.force_login(owner)
    assert client.get(revoke_url(key)).status_code == 405
    assert user_for_token(key) is not None


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

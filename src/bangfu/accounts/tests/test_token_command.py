import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bangfu.accounts.models import ApiToken
from bangfu.accounts.tokens import user_for_token
from bangfu.core.models import AuditLog

pytestmark = pytest.mark.django_db


def create(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_token_create_prints_a_key_that_authenticates_the_user(make_user):
    user = make_user(username="api_user")
    key, _ = create("api_user", "--name", "对接系统")
    assert user_for_token(key) == user
    assert ApiToken.objects.get(user=user).name == "对接系统"


def test_token_create_days_sets_the_expiry_and_says_it(make_user):
    make_user(username="api_user")
    key, err = create("api_user", "--days", "7")
    token = ApiToken.objects.get(prefix=key[:8])
    assert dt.timedelta(days=7) - dt.timedelta(minutes=1) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    assert f"{token.expires_at:%Y-%m-%d}" in err
    assert AuditLog.objects.get(action="token.create").detail["days"] == 7


@pytest.mark.parametrize("days", ["0", "4000"])
def test_token_create_refuses_a_lifetime_out_of_range(make_user, days):
    make_user(username="api_user")
    with pytest.raises(CommandError, match="--days"):
        create("api_user", "--days", days)
    assert not ApiToken.objects.exists()


def test_token_list_shows_prefixes_state_expiry_and_last_use_not_keys(make_user):
    make_user(username="api_user")
    key, _ = create("api_user")
    user_for_token(key)
    token = ApiToken.objects.get(prefix=key[:8])
    listed = io.StringIO()
    call_command("token", "list", "api_user", stdout=listed)
    line = listed.getvalue()
    assert key[:8] in line and key not in line and "active" in line
    assert f"expires {token.expires_at:%Y-%m-%d}" in line
    assert token.last_used_at.isoformat(timespec="seconds") in line


def test_token_revoke_by_prefix_makes_the_token_fail_and_is_audited(make_user):
    make_user(username="api_user")
    key, _ = create("api_user")
    out = io.StringIO()
    call_command("token", "revoke", key[:8], stdout=out)
    assert user_for_token(key) is None
    assert "revoked" in out.getvalue()
    audit = AuditLog.objects.get(action="token.revoke")
    assert audit.actor_name == "system" and audit.detail["prefix"] == key[:8]


def test_token_revoke_of_an_unknown_or_revoked_prefix_is_an_error(make_user):
    make_user(username="api_user")
    key, _ = create("api_user")
    with pytest.raises(CommandError, match="no token"):
        call_command("token", "revoke", "zzzzzzzz", stdout=io.StringIO())
    call_command("token", "revoke", key[:8], stdout=io.StringIO())
    with pytest.raises(CommandError, match="already revoked"):
        call_command("token", "revoke", key[:8], stdout=io.StringIO())
    assert AuditLog.objects.filter(action="token.revoke").count() == 1


def test_token_revoke_refuses_a_prefix_shared_by_two_tokens(make_user):
    make_user(username="api_user")
    first, _ = create("api_user")
    second, _ = create("api_user")
    ApiToken.objects.filter(prefix=second[:8]).update(prefix=first[:8])
    with pytest.raises(CommandError, match="matches 2 tokens"):
        call_command("token", "revoke", first[:8], stdout=io.StringIO())
    assert user_for_token(first) is not None and user_for_token(second) is not None


def test_token_for_an_unknown_user_is_an_error():
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=io.StringIO())


def test_no_key_starts_with_a_dash_the_revoke_command_would_read_as_an_option(monkeypatch):
    from bangfu.accounts import tokens
    keys = iter(["-abcdefgh" + "x" * 35, "Aabcdefgh" + "x" * 35])
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda n: next(keys))
    assert tokens.new_key().startswith("A")

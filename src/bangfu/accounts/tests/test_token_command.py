import io

import pytest
from django.core.management import CommandError, call_command

from bangfu.accounts.models import ApiToken
from bangfu.accounts.tokens import user_for_token

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_key_that_authenticates_the_user(make_user):
    user = make_user(username="api_user")
    out = io.StringIO()
    call_command("token", "create", "api_user", "--name", "对接系统", stdout=out, stderr=io.StringIO())
    key = out.getvalue().strip()
    assert user_for_token(key) == user
    assert ApiToken.objects.get(user=user).name == "对接系统"


def test_token_list_shows_prefixes_not_keys(make_user):
    make_user(username="api_user")
    created = io.StringIO()
    call_command("token", "create", "api_user", stdout=created, stderr=io.StringIO())
    key = created.getvalue().strip()
    listed = io.StringIO()
    call_command("token", "list", "api_user", stdout=listed)
    assert key[:8] in listed.getvalue() and key not in listed.getvalue()


def test_token_for_an_unknown_user_is_an_error():
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=io.StringIO())

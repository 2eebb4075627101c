"""``bangfu posts pay``: the month's pay run from the command line, once per person and month."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from bangfu.posts.models import PostPay
from bangfu.posts.tests.factories import AttendanceFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP

pytestmark = pytest.mark.django_db


def test_posts_pay_makes_the_claims_once_and_refuses_a_township_user(make_user):
    make_user(role="district_officer", area_code=FENGDU, username="county")
    make_user(role="township_officer", area_code=FENGDU_TOWNSHIP, username="town")
    AttendanceFactory(month="2024-03")
    out = io.StringIO()
    call_command("posts", "pay", "--month", "2024-03", "--user", "county", stdout=out)
    assert "生成岗位补贴 1 笔" in out.getvalue() and PostPay.objects.count() == 1
    again = io.StringIO()
    call_command("posts", "pay", "--month", "2024-03", "--user", "county", stdout=again)
    assert "生成岗位补贴 0 笔" in again.getvalue() and "已生成过 1 人" in again.getvalue()
    with pytest.raises(CommandError):
        call_command("posts", "pay", "--month", "2024-03", "--user", "town", stdout=io.StringIO())
    assert PostPay.objects.count() == 1

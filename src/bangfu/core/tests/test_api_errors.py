"""The API root maps refusals to responses once, for every router (bangfu/api.py)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from bangfu.api import api
from bangfu.arrears.services import CaseError
from bangfu.jobs.services import JobsError


def answer(exc):
    response = api.on_exception(RequestFactory().get("/api/v1/"), exc)
    return response.status_code, json.loads(response.content)


def test_a_validation_error_of_a_service_is_a_422_naming_the_fields_in_chinese():
    assert answer(ValidationError({"phone": ["手机号码应为11位"]})) == (422, {"detail": {"phone": ["手机号码应为11位"]}})
    assert answer(ValidationError("金额不能为负数")) == (422, {"detail": {"__all__": ["金额不能为负数"]}})


def test_permission_denied_is_a_403_with_its_reason_or_a_chinese_default():
    assert answer(PermissionDenied("您无权办理该案件")) == (403, {"detail": "您无权办理该案件"})
    assert answer(PermissionDenied()) == (403, {"detail": "没有该操作的权限"})


def test_a_404_never_repeats_the_message_it_was_raised_with():
    assert answer(Http404("Person 42 is in district 500101")) == (404, {"detail": "未找到"})


def test_the_services_own_refusals_keep_their_status_and_message():
    assert answer(JobsError("岗位信息有误", {"headcount": "招聘人数应为正数"})) == (
        422, {"detail": "岗位信息有误", "fields": {"headcount": "招聘人数应为正数"}})
    assert answer(CaseError("请填写办结说明")) == (400, {"detail": "请填写办结说明"})


def test_anything_else_is_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        api.on_exception(RequestFactory().get("/api/v1/"), ZeroDivisionError())


@pytest.mark.django_db
def test_an_endpoint_that_raises_gets_the_root_answer(client, make_user):
    client.force_login(make_user())
    response = client.get("/api/v1/policies/policies/no_such_policy")
    assert (response.status_code, response.json()) == (404, {"detail": "未找到"})

"""Monthly reports (报送): the close/re-open services with their audit and capability, the rule that
makes a month complete, the default month of each area, and the programme's clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from bangfu.core import reference
from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.core.months import shift_month
from bangfu.monitoring import completeness
from bangfu.monitoring.clock import current_month, is_future_month
from bangfu.monitoring.completeness import ReportBook, area_districts, default_month, month_status
from bangfu.monitoring.models import EmploymentMonth, MonthReport
from bangfu.monitoring.services import (
    FactsError, MonthReportError, employment_months_write, month_close, month_reopen, months_close_bulk,
)
from bangfu.monitoring.services import reports as r
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db

THIS = current_month()  # its deadline is next month: never passed while the test runs
OLD = shift_month(THIS, -3)  # its deadline passed at least seven weeks ago
SEPTEMBER = "2024-09"  # deadline 2024-10-10 by default


def all_districts() -> list[str]:
    return sorted(c for c, row in reference.divisions().items() if row["parent_code"] == "50")


@pytest.fixture
def fengdu_officer(make_user):
    return make_user("district_officer", FENGDU)


@pytest.fixture
def city_officer(make_user):
    return make_user("city_admin", "50")


# ---- the rule --------------------------------------------------------------------------------------
def test_the_city_counts_every_district_of_the_division_table():
    assert area_districts("50") == tuple(all_districts())
    assert len(area_districts("50")) == len(all_districts()) > 30
    zone = reference.divisions()[FENGDU]["region_group"]
    assert FENGDU in area_districts(zone) and set(area_districts(zone)) < set(area_districts("50"))
    assert area_districts(FENGDU) == (FENGDU,)
    assert area_districts(FENGDU_TOWNSHIP) == (FENGDU,)  # a township's month is its district's


def test_a_month_is_complete_when_all_its_districts_have_closed_it():
    months_close_bulk(actor=SYSTEM, months=[THIS], districts=all_districts()[:-1])
    status = month_status(month=THIS, code="50")
    assert not status.complete and status.districts_reported == len(all_districts()) - 1
    assert status.missing == (all_districts()[-1],)
    month_close(actor=SYSTEM, district=all_districts()[-1], month=THIS)
    status = month_status(month=THIS, code="50")
    assert status.complete and status.all_reported and not status.deadline_passed
    assert status.to_json() == {"complete": True, "districts_reported": len(all_districts()),
                                "districts_total": len(all_districts()), "missing": []}


def test_a_partial_month_names_its_missing_districts():
    month_close(actor=SYSTEM, district=FENGDU, month=THIS)
    status = month_status(month=THIS, code="50")
    assert not status.complete
    assert status.reported_label == f"1/{len(all_districts())} 个区县已报送"
    assert "万州区" in status.missing_names and "丰都县" not in status.missing_names
    assert {"code": WANZHOU, "name": "万州区"} in status.to_json()["missing"]
    assert month_status(month=THIS, code=FENGDU).complete  # 丰都's own month is complete
    assert month_status(month=THIS, code=FENGDU_TOWNSHIP).complete
    assert not month_status(month=THIS, code=WANZHOU).complete


def test_after_the_deadline_the_month_is_complete_with_the_missing_districts_named():
    month_close(actor=SYSTEM, district=FENGDU, month=SEPTEMBER)
    on_the_day = ReportBook([SEPTEMBER], today=dt.date(2024, 10, 10)).status(SEPTEMBER, "50")
    after = ReportBook([SEPTEMBER], today=dt.date(2024, 10, 11)).status(SEPTEMBER, "50")
    assert on_the_day.deadline == dt.date(2024, 10, 10) and not on_the_day.complete
    assert after.complete and after.deadline_passed and not after.all_reported
    assert len(after.missing) == len(all_districts()) - 1 and "万州区" in after.missing_names


def test_the_deadline_day_is_a_setting(settings):
    settings.BANGFU = {**settings.BANGFU, "MONTH_CLOSE_DEADLINE_DAY": 5}
    assert completeness.month_deadline(SEPTEMBER) == dt.date(2024, 10, 5)
    assert ReportBook([SEPTEMBER], today=dt.date(2024, 10, 6)).complete(SEPTEMBER, "50")
    assert completeness.month_deadline("2024-12") == dt.date(2025, 1, 5)


def test_a_reopened_month_counts_as_not_reported(city_officer):
    month_close(actor=SYSTEM, district=FENGDU, month=THIS)
    month_reopen(actor=city_officer, district=FENGDU, month=THIS, reason="漏报两个乡镇")
    assert not month_status(month=THIS, code=FENGDU).complete


def test_the_default_month_is_the_latest_complete_month_of_the_area():
    previous = shift_month(THIS, -1)
    months_close_bulk(actor=SYSTEM, months=[previous])  # every district reported last month
    month_close(actor=SYSTEM, district=FENGDU, month=THIS)  # only 丰都 reported this month
    months = [OLD, previous, THIS]
    assert default_month(code="50", months=months) == previous
    assert default_month(code=reference.divisions()[FENGDU]["region_group"], months=months) == previous
    assert default_month(code=FENGDU, months=months) == THIS
    assert default_month(code=FENGDU_TOWNSHIP, months=months) == THIS
    assert default_month(code=WANZHOU, months=months) == previous


def test_without_any_complete_month_the_default_is_the_newest_month():
    assert default_month(code="50", months=[THIS]) == THIS
    assert default_month(code="50", months=[]) is None


def test_yoy_and_mom_are_never_taken_from_a_partial_month():
    values = {"employment_scale": 5, "scale_last_year": 100, "scale_last_month": 90, "target": 10}
    book = ReportBook([THIS])
    honest = book.honest_ratios(values, month=THIS, code="50")
    assert honest["yoy"] is None and honest["mom"] is None
    assert honest["target_completion"] == 0.5  # the rest stays
    assert "1/" not in book.why_not_compared(THIS, "50", 12)
    assert "0/" in book.why_not_compared(THIS, "50", 12) and "同比" in book.why_not_compared(THIS, "50", 12)
    old = ReportBook([OLD]).honest_ratios(values, month=OLD, code="50")  # past the deadline: compared
    assert old["yoy"] == -0.95 and old["mom"] is not None


# ---- the services ---------------------------------------------------------------------------------------
def test_a_district_officer_closes_the_month_with_an_audit_row(fengdu_officer):
    report = month_close(actor=fengdu_officer, district=FENGDU, month=THIS)
    assert report.is_closed and report.closed_by == fengdu_officer
    audit = AuditLog.objects.get(action="month_report.close")
    assert audit.actor == fengdu_officer and audit.area_code == FENGDU
    assert audit.detail == {"district": FENGDU, "month": THIS, "reclosed": False}


def test_a_month_cannot_be_closed_twice(fengdu_officer):
    month_close(actor=fengdu_officer, district=FENGDU, month=THIS)
    with pytest.raises(MonthReportError, match="已报送"):
        month_close(actor=fengdu_officer, district=FENGDU, month=THIS)
    assert AuditLog.objects.filter(action="month_report.close").count() == 1


@pytest.mark.parametrize("role, area, message", [
    ("district_officer", WANZHOU, r.ERR_OTHER_DISTRICT),  # another district
    ("township_officer", FENGDU_TOWNSHIP, r.ERR_NO_CAPABILITY),  # imports, but does not report
    ("broker", FENGDU, r.ERR_NO_CAPABILITY),  # no monitoring import capability
    ("auditor", "50", r.ERR_NO_CAPABILITY),
])
def test_closing_needs_the_import_capability_at_the_district_or_the_city(make_user, role, area, message):
    with pytest.raises(PermissionDenied, match=message):
        month_close(actor=make_user(role, area), district=FENGDU, month=THIS)
    assert not MonthReport.objects.exists() and not AuditLog.objects.filter(action__startswith="month_report")


def test_the_city_may_close_for_any_district(city_officer):
    assert month_close(actor=city_officer, district=WANZHOU, month=THIS).is_closed


@pytest.mark.parametrize("month, message", [
    ("2024-13", "不是有效的月份"), ("abc", "不是有效的月份"), (shift_month(THIS, 1), "尚未到来"),
])
def test_a_bad_or_future_month_cannot_be_closed(fengdu_officer, month, message):
    with pytest.raises(MonthReportError, match=message):
        month_close(actor=fengdu_officer, district=FENGDU, month=month)


def test_an_unknown_district_cannot_be_closed(city_officer):
    for code in ("509999", FENGDU_TOWNSHIP, "50"):
        with pytest.raises(MonthReportError, match="无法识别的区县代码"):
            month_close(actor=city_officer, district=code, month=THIS)


def test_the_city_reopens_with_a_reason_and_the_district_closes_again(fengdu_officer, city_officer):
    month_close(actor=fengdu_officer, district=FENGDU, month=THIS)
    with pytest.raises(MonthReportError, match=r.ERR_REASON):
        month_reopen(actor=city_officer, district=FENGDU, month=THIS, reason="  ")
    report = month_reopen(actor=city_officer, district=FENGDU, month=THIS, reason="漏报两个乡镇")
    assert not report.is_closed and report.reopen_reason == "漏报两个乡镇"
    audit = AuditLog.objects.get(action="month_report.reopen")
    assert audit.actor == city_officer and audit.detail["reason"] == "漏报两个乡镇"
    again = month_close(actor=fengdu_officer, district=FENGDU, month=THIS)
    assert again.pk == report.pk and again.is_closed and again.reopen_reason == "漏报两个乡镇"
    assert [a.detail["reclosed"] for a in AuditLog.objects.filter(action="month_report.close").order_by("pk")] == [
        False, True]


def test_only_the_city_reopens(fengdu_officer, make_user):
    month_close(actor=fengdu_officer, district=FENGDU, month=THIS)
    for actor in (fengdu_officer, make_user("auditor", "50")):
        with pytest.raises(PermissionDenied, match=r.ERR_REOPEN_CITY):
            month_reopen(actor=actor, district=FENGDU, month=THIS, reason="重报")
    assert MonthReport.objects.get().is_closed


def test_a_month_not_closed_cannot_be_reopened(city_officer):
    with pytest.raises(MonthReportError, match="尚未报送"):
        month_reopen(actor=city_officer, district=FENGDU, month=THIS, reason="重报")


def test_the_bulk_close_is_for_operators_only(city_officer):
    with pytest.raises(PermissionDenied):
        months_close_bulk(actor=city_officer, months=[OLD])
    assert months_close_bulk(actor=SYSTEM, months=[OLD, THIS]) == 2 * len(all_districts())
    assert month_status(month=THIS, code="50").all_reported


# ---- the clock and future months -----------------------------------------------------------------------
def test_this_month_is_read_on_chongqing_time():
    utc = dt.timezone.utc
    assert current_month(dt.datetime(2026, 11, 30, 15, 59, tzinfo=utc)) == "2026-11"
    assert current_month(dt.datetime(2026, 11, 30, 16, 0, tzinfo=utc)) == "2026-12"  # 00:00 in Chongqing
    assert is_future_month(shift_month(THIS, 1)) and not is_future_month(THIS)


def test_the_employment_service_refuses_a_future_month(make_user):
    person = PersonFactory()
    row = {"person_id": person.pk, "month": shift_month(THIS, 1), "place_class": "in_county",
           "destination_code": FENGDU, "channel": "local", "employer_name": "", "employer_uscc": "",
           "job_title": "", "occupation_code": "", "income_fen": None}
    with pytest.raises(FactsError, match=f"晚于本月（{THIS}）"):
        employment_months_write(rows=[row], actor=make_user())
    assert not EmploymentMonth.objects.exists()
    employment_months_write(rows=[row | {"month": THIS}], actor=make_user())  # this month is fine
    assert EmploymentMonth.objects.get().month == THIS

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from bangfu.core import schedule
from bangfu.core.actors import SCHEDULER
from bangfu.core.hooks import SCHEDULED_JOBS
from bangfu.core.models import AuditLog, ScheduledRun
from bangfu.core.schedule import Cadence, Job


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def boom(now):
    raise RuntimeError("database unreachable")


@pytest.fixture
def fake_schedule():
    calls = []

    def record(code):
        def run(now):
            calls.append(code)
            return {"done": 1}
        return run

    jobs = [
        Job("first", "第一个", Cadence.every(10), record("first")),
        Job("broken", "会失败的", Cadence.every(10), boom),
        Job("last", "最后一个", Cadence.daily(2), record("last")),
    ]
    with SCHEDULED_JOBS.override(jobs):
        yield calls


# ---------------------------------------------------------------- due computation

DAILY = Job("daily", "每日", Cadence.daily(2), lambda now: None)


def test_a_daily_task_run_yesterday_at_two_is_not_due_today_before_two():
    assert not DAILY.is_due(last_started=local(2024, 9, 1, 2, 0, 5), now=local(2024, 9, 2, 1, 59))


def test_a_daily_task_run_yesterday_at_two_is_due_today_after_two():
    assert DAILY.is_due(last_started=local(2024, 9, 1, 2, 0, 5), now=local(2024, 9, 2, 2, 1))


def test_a_task_never_run_is_due_and_its_next_run_is_now():
    now = local(2024, 9, 2, 1, 0)
    assert DAILY.is_due(last_started=None, now=now)
    assert DAILY.next_due(last_started=None, now=now) == now


def test_the_next_run_of_a_daily_task_run_today_is_tomorrow_at_two():
    assert DAILY.next_due(last_started=local(2024, 9, 2, 2, 0, 5), now=local(2024, 9, 2, 9, 0)) == local(
        2024, 9, 3, 2, 0)


def test_a_weekly_monday_task_run_last_monday_is_due_next_monday_after_its_hour_only():
    weekly = Job("weekly", "每周", Cadence.weekly(0, 3), lambda now: None)
    last = local(2024, 9, 2, 3, 0, 1)  # a Monday
    assert not weekly.is_due(last_started=last, now=local(2024, 9, 8, 23, 0))  # Sunday
    assert not weekly.is_due(last_started=last, now=local(2024, 9, 9, 2, 59))
    assert weekly.is_due(last_started=last, now=local(2024, 9, 9, 3, 0))
    assert weekly.next_due(last_started=last, now=local(2024, 9, 5, 12, 0)) == local(2024, 9, 9, 3, 0)


def test_a_ten_minute_task_is_due_once_per_slot():
    every = Job("every", "每10分钟", Cadence.every(10), lambda now: None)
    last = local(2024, 9, 2, 10, 10, 3)
    assert not every.is_due(last_started=last, now=local(2024, 9, 2, 10, 19, 59))
    assert every.is_due(last_started=last, now=local(2024, 9, 2, 10, 20, 1))
    assert every.cadence.next_slot(local(2024, 9, 2, 23, 55)) == local(2024, 9, 3, 0, 0)


def test_the_cadences_read_in_chinese():
    assert Cadence.daily(2).label() == "每天 02:00"
    assert Cadence.weekly(0, 3).label() == "每周一 03:00"
    assert Cadence.every(10).label() == "每 10 分钟"


def test_the_schedule_holds_the_six_tasks_the_apps_contribute_in_the_order_they_run():
    assert [job.code for job in schedule.jobs()] == [
        "facts_refresh", "outbox_send", "postings_expire", "arrears_escalate", "kpi_fill", "match_push"]


# ---------------------------------------------------------------- running


@pytest.mark.django_db
def test_a_failing_task_is_recorded_as_failed_and_the_next_still_runs(fake_schedule):
    runs = schedule.scheduled_runs_due()
    assert fake_schedule == ["first", "last"]
    by_code = {run.task: run for run in runs}
    assert by_code["broken"].status == ScheduledRun.Status.FAILED
    assert "database unreachable" in by_code["broken"].error
    assert by_code["last"].status == ScheduledRun.Status.OK and by_code["last"].summary == {"done": 1}
    assert by_code["last"].finished_at is not None


@pytest.mark.django_db
def test_tasks_just_run_are_not_run_again_within_their_slot(fake_schedule):
    schedule.scheduled_runs_due()
    assert schedule.scheduled_runs_due() == []
    assert ScheduledRun.objects.count() == 3


@pytest.mark.django_db
def test_the_command_runs_due_tasks_and_exits_with_an_error_naming_the_failed_one(fake_schedule):
    with pytest.raises(CommandError, match="broken"):
        call_command("scheduler", "run-due")
    assert ScheduledRun.objects.filter(status=ScheduledRun.Status.OK).count() == 2


@pytest.mark.django_db
def test_the_command_runs_one_task_by_its_code_and_refuses_an_unknown_code(fake_schedule):
    call_command("scheduler", "run", "last")
    assert fake_schedule == ["last"]
    with pytest.raises(CommandError):
        call_command("scheduler", "run", "nope")


@pytest.mark.django_db
def test_the_real_outbox_task_runs_and_records_its_counts():
    run = schedule.scheduled_run_execute(job=schedule.get_job("outbox_send"))
    assert run.status == ScheduledRun.Status.OK
    assert run.summary == {"sent": 0, "failed": 0, "retry": 0}
    assert run.triggered_by == SCHEDULER.name == "scheduler"


# ---------------------------------------------------------------- the page


@pytest.mark.django_db
def test_the_page_is_refused_to_a_district_officer(client, make_user):
    client.force_login(make_user("district_officer", "500230"))
    assert client.get(reverse("core:schedule")).status_code == 403
    assert client.post(reverse("core:schedule_run", args=["outbox_send"])).status_code == 403
    assert not ScheduledRun.objects.exists()


@pytest.mark.django_db
def test_the_page_lists_the_tasks_with_their_cadence_for_a_city_admin(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("core:schedule")).content.decode()
    assert "岗位匹配推送" in html and "每周一 09:00" in html and "立即执行" in html
    assert "从未执行" in html


@pytest.mark.django_db
def test_run_now_writes_a_scheduled_run_and_an_audit_row(client, make_user, fake_schedule):
    admin = make_user()
    client.force_login(admin)
    response = client.post(reverse("core:schedule_run", args=["last"]))
    assert response.status_code == 302
    run = ScheduledRun.objects.get()
    assert run.task == "last" and run.status == ScheduledRun.Status.OK and run.triggered_by == admin.username
    audit = AuditLog.objects.get(action="scheduled_run.run")
    assert audit.actor == admin and audit.detail == {"task": "last", "status": "ok"}
    html = client.get(response.url).content.decode()
    assert "最后一个 已执行完成" in html


@pytest.mark.django_db
def test_the_history_filters_by_task(client, make_user, fake_schedule):
    schedule.scheduled_runs_due()
    client.force_login(make_user())
    html = client.get(reverse("core:schedule"), {"task": "broken"}).content.decode()
    history = html.split("执行记录", 1)[1]
    assert "database unreachable" in history and "done=1" not in history


@pytest.mark.django_db
def test_the_menu_shows_the_schedule_to_city_admins_only(client, make_user):
    client.force_login(make_user())
    assert reverse("core:schedule") in client.get(reverse("core:dictionaries")).content.decode()
    client.force_login(make_user("township_officer", "500230101"))
    assert reverse("core:schedule") not in client.get(reverse("core:dictionaries")).content.decode()

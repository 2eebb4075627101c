"""后台任务 (core.background): long work started from a page runs once, as its user, reports its
progress to the page's bar, ends with its result or a Chinese reason, and only its user sees it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from bangfu.core import background as bg
from bangfu.core.capabilities import Capability
from bangfu.core.hooks import BACKGROUND_WORK
from bangfu.core.models import AuditLog, BackgroundTask

pytestmark = pytest.mark.django_db

calls: list[dict] = []


def counting_work(*, actor, params, progress):
    calls.append({"actor": actor.username, "params": params})
    progress("数人头", 1, 4)
    if params.get("refuse"):
        raise bg.WorkError("本月数据尚未报送，无法计算")
    if params.get("crash"):
        raise RuntimeError("secret internals")
    return bg.WorkResult(message=f"数完了：{params['n']}人", url="/registry/", data={"n": params["n"]})


WORKS = [bg.BackgroundWork("count", "数人头", counting_work),
         bg.BackgroundWork("guarded", "导出名单", counting_work, capability=Capability.MANAGE_USERS)]


@pytest.fixture(autouse=True)
def works():
    calls.clear()
    with BACKGROUND_WORK.override(WORKS):
        yield


def test_an_inline_task_runs_at_once_as_its_user_with_its_audit_row(make_user):
    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 7}, runner="inline")
    row.refresh_from_db()
    assert row.status == BackgroundTask.Status.DONE and row.message == "数完了：7人"
    assert row.result == {"url": "/registry/", "n": 7} and row.area_code == "500230"
    assert calls == [{"actor": officer.username, "params": {"n": 7}}]
    assert AuditLog.objects.filter(action="background.start", object_id=str(row.pk)).count() == 1
    assert not bg.progress_path(row.pk).exists()  # the progress file is gone once it has finished


def test_a_queued_task_runs_once_however_often_it_is_executed(make_user):
    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 1}, runner="task")
    assert row.status == BackgroundTask.Status.QUEUED and calls == []
    bg.background_task_run.call(row.pk)
    bg.background_execute(row.pk)  # a second worker picking it up: the compare-and-set refuses it
    assert len(calls) == 1
    assert BackgroundTask.objects.get(pk=row.pk).status == BackgroundTask.Status.DONE


def test_a_refusal_is_told_as_it_is_and_a_crash_never_shows_its_internals(make_user):
    officer = make_user(role="district_officer", area_code="500230")
    refused = bg.background_start(actor=officer, kind="count", params={"n": 1, "refuse": True}, runner="inline")
    crashed = bg.background_start(actor=officer, kind="count", params={"n": 1, "crash": True}, runner="inline")
    assert refused.status == crashed.status == BackgroundTask.Status.FAILED
    assert refused.message == "本月数据尚未报送，无法计算"
    assert "secret" not in crashed.message and "系统错误" in crashed.message


def test_the_capability_is_checked_when_it_starts_and_again_when_it_runs(make_user):
    from bangfu.core.actors import Forbidden

    officer = make_user(role="district_officer", area_code="500230")
    with pytest.raises(Forbidden):
        bg.background_start(actor=officer, kind="guarded", params={"n": 1}, runner="inline")
    admin = make_user(role="city_admin")
    row = bg.background_start(actor=admin, kind="guarded", params={"n": 1}, runner="task")
    admin.role = "auditor"  # lost the capability while the task waited
    admin.save()
    row = bg.background_execute(row.pk)
    assert row.status == BackgroundTask.Status.FAILED and calls == []
    assert row.message  # the Chinese reason of the refusal


def test_the_page_follows_the_progress_until_done_and_then_links_the_result(client, make_user):
    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 3}, runner="task")
    client.force_login(officer)
    status_url = reverse("core:task_status", args=[row.pk])
    queued = client.get(status_url).content.decode()
    assert 'hx-trigger="every 1s"' in queued and "排队中" in queued
    BackgroundTask.objects.filter(pk=row.pk).update(status=BackgroundTask.Status.RUNNING)
    path = bg.progress_path(row.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"stage": "写入待遇", "done": 30, "total": 120}))
    running = client.get(status_url).content.decode()
    assert 'value="25"' in running and "写入待遇：30 / 120" in running and "hx-trigger" in running
    BackgroundTask.objects.filter(pk=row.pk).update(status=BackgroundTask.Status.QUEUED)
    bg.background_execute(row.pk)
    done = client.get(status_url).content.decode()
    assert "hx-trigger" not in done and "数完了：3人" in done and 'href="/registry/"' in done
    listing = client.get(reverse("core:task_list")).content.decode()
    assert f'data-task="{row.pk}"' in listing and "已完成" in listing


def test_nobody_else_sees_a_task(client, make_user):
    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 3}, runner="inline")
    other = make_user(role="city_admin")  # even the city's administrator: the result is the author's
    client.force_login(other)
    assert client.get(reverse("core:task_detail", args=[row.pk])).status_code == 404
    assert client.get(reverse("core:task_status", args=[row.pk])).status_code == 404
    assert f'data-task="{row.pk}"' not in client.get(reverse("core:task_list")).content.decode()


def test_a_page_start_goes_to_the_result_when_done_else_to_the_task(client, make_user, settings):
    from bangfu.core.background_views import start_from_page
    from django.test import RequestFactory
    from django.contrib.messages.storage.fallback import FallbackStorage

    officer = make_user(role="district_officer", area_code="500230")

    def start(runner: str):
        settings.BANGFU = {**settings.BANGFU, "BACKGROUND_RUNNER": runner}
        request = RequestFactory().post("/x/")
        request.user = officer
        request.session = client.session
        request._messages = FallbackStorage(request)
        return start_from_page(request, kind="count", params={"n": 2}, fallback="/home/"), request

    response, request = start("inline")
    assert response.url == "/registry/" and [str(m) for m in request._messages] == ["数完了：2人"]
    response, request = start("task")
    row = BackgroundTask.objects.filter(status=BackgroundTask.Status.QUEUED).get()
    assert response.url == reverse("core:task_detail", args=[row.pk])
    assert "已在后台开始" in [str(m) for m in request._messages][0]


def test_a_task_whose_worker_died_says_so_and_starts_again_once(client, make_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.BANGFU = {**settings.BANGFU, "BACKGROUND_RUNNER": "task"}  # the page queues it again
    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 5}, runner="task")
    long_ago = timezone.now() - timedelta(minutes=30)
    # its worker claimed it, wrote progress, then was killed (kill -9): it stays "running"
    BackgroundTask.objects.filter(pk=row.pk).update(status=BackgroundTask.Status.RUNNING, started_at=long_ago)
    row.refresh_from_db()
    assert bg.task_stalled(row) == "running"
    client.force_login(officer)
    page = client.get(reverse("core:task_status", args=[row.pk])).content.decode()
    assert 'data-stalled="running"' in page and "重新开始" in page
    fresh = bg.background_start(actor=officer, kind="count", params={"n": 1}, runner="task")
    BackgroundTask.objects.filter(pk=fresh.pk).update(status=BackgroundTask.Status.RUNNING,
                                                      started_at=timezone.now())
    fresh.refresh_from_db()
    assert bg.task_stalled(fresh) == ""  # a task that moves is left alone
    with pytest.raises(bg.WorkError):
        bg.background_restart(actor=officer, task_id=fresh.pk, runner="inline")

    zombie = BackgroundTask.objects.get(pk=row.pk)  # the lost worker's view of the task
    response = client.post(reverse("core:task_restart", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == BackgroundTask.Status.QUEUED and row.started_at is None
    assert AuditLog.objects.filter(action="background.restart", object_id=str(row.pk)).count() == 1
    with pytest.raises(bg.WorkError):  # it is no longer stalled: a second restart is refused
        bg.background_restart(actor=officer, task_id=row.pk, runner="inline")
    bg.background_execute(row.pk)
    assert BackgroundTask.objects.get(pk=row.pk).message == "数完了：5人"
    # the lost worker comes back and reports: its run was given up, its outcome is not recorded
    bg._finish(zombie, BackgroundTask.Status.FAILED, message="stale")
    assert BackgroundTask.objects.get(pk=row.pk).status == BackgroundTask.Status.DONE
    other = make_user(role="district_officer", area_code="500230")
    client.force_login(other)
    assert client.post(reverse("core:task_restart", args=[row.pk])).status_code == 404


def test_a_queued_task_nobody_picks_up_is_named(make_user):
    from datetime import timedelta

    from django.utils import timezone

    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 1}, runner="task")
    assert bg.task_stalled(row) == ""
    assert bg.task_stalled(row, now=timezone.now() + timedelta(minutes=5)) == "queued"


def test_a_queued_task_nobody_picked_up_is_restarted_once_however_often_it_is_asked(make_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.BANGFU = {**settings.BANGFU, "BACKGROUND_RUNNER": "task"}
    officer = make_user(role="district_officer", area_code="500230")
    row = bg.background_start(actor=officer, kind="count", params={"n": 1}, runner="task")
    BackgroundTask.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    stale = BackgroundTask.objects.get(pk=row.pk)
    bg.background_restart(actor=officer, task_id=row.pk, runner="task")
    # a second restart decided on the same stale view of the task (two clicks at once)
    moved = BackgroundTask.objects.filter(pk=stale.pk, status=stale.status, started_at=stale.started_at,
                                          created_at=stale.created_at).count()
    assert moved == 0
    with pytest.raises(bg.WorkError):
        bg.background_restart(actor=officer, task_id=row.pk, runner="task")
    assert AuditLog.objects.filter(action="background.restart", object_id=str(row.pk)).count() == 1


def test_a_worker_given_up_for_lost_neither_stores_its_file_nor_clears_the_new_run(make_user):
    from datetime import timedelta

    from django.utils import timezone

    officer = make_user(role="district_officer", area_code="500230")

    def exporting(*, actor, params, progress):
        # meanwhile the task was given up for lost and started again by another run
        BackgroundTask.objects.filter(pk=params["task"]).update(started_at=timezone.now() + timedelta(seconds=5))
        bg.progress_path(params["task"]).write_text(json.dumps({"stage": "新的运行", "done": 1, "total": 2}))
        return bg.WorkResult(message="old run", file=b"old rows", filename="x.xlsx")

    with BACKGROUND_WORK.override([bg.BackgroundWork("export", "导出", exporting)]):
        row = bg.background_start(actor=officer, kind="export", params={}, runner="task")
        BackgroundTask.objects.filter(pk=row.pk).update(params={"task": row.pk})
        bg.file_path(row.pk).unlink(missing_ok=True)  # no file of an earlier task of that number
        row = bg.background_execute(row.pk)
    assert row.status == BackgroundTask.Status.RUNNING  # the new run's state stands
    assert not bg.file_path(row.pk).exists()
    assert json.loads(bg.progress_path(row.pk).read_text())["stage"] == "新的运行"

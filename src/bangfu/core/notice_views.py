"""系统管理 → 通知公告: list, write, edit and delete notices (the administrators of an area)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bangfu.core import notices
from bangfu.core.models import Notice
from bangfu.core.reference import area_choices

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class NoticeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    body = forms.CharField(label=gettext_lazy("内容"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    area_code = forms.ChoiceField(label=gettext_lazy("发布范围"),
                                  help_text=gettext_lazy("该区域及其下级的用户在首页看到此公告"))
    publish_at = forms.DateTimeField(label=gettext_lazy("发布时间"), input_formats=[DATETIME_FORMAT],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format=DATETIME_FORMAT))
    expires_at = forms.DateTimeField(label=gettext_lazy("截止时间"), required=False, input_formats=[DATETIME_FORMAT],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format=DATETIME_FORMAT),
                                     help_text=gettext_lazy("留空则一直显示"))
    published = forms.BooleanField(label=gettext_lazy("发布"), required=False, initial=True)

    def __init__(self, *args, within: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = area_choices(within)


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def notice_list(request):
    rows = notices.notice_list(user=request.user)
    now = timezone.now()
    for notice in rows:
        notice.running = notice.published and notice.publish_at <= now and (
            notice.expires_at is None or notice.expires_at > now)
    return render(request, "core/notice_list.html", {"notices": rows})


def _get(request, pk: int) -> Notice:
    try:
        return notices.notice_get(user=request.user, pk=pk)
    except Notice.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def notice_edit(request, pk: int | None = None):
    notice = _get(request, pk) if pk else None
    if notice is None:
        notices.notice_list(user=request.user)  # the capability check, before any form
        initial = {"publish_at": timezone.localtime().replace(second=0, microsecond=0),
                   "area_code": request.user.area_code, "published": True}
    else:
        initial = {key: getattr(notice, key) for key in notices.FIELDS}
        for key in ("publish_at", "expires_at"):
            if initial[key]:
                initial[key] = timezone.localtime(initial[key])
    form = NoticeForm(request.POST or None, initial=initial, within=request.user.area_code)
    if request.method == "POST" and form.is_valid():
        try:
            if notice is None:
                notices.notice_create(actor=request.user, **form.cleaned_data)
            else:
                notices.notice_update(notice=notice, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("通知公告已保存"))
            return redirect("core:notice_list")
    title = _("发布通知公告") if notice is None else _("修改通知公告")
    return render(request, "core/notice_form.html", {"form": form, "notice": notice, "title": title})


@login_required
@require_POST
def notice_delete(request, pk: int):
    notices.notice_delete(notice=_get(request, pk), actor=request.user)
    messages.success(request, _("通知公告已删除"))
    return redirect("core:notice_list")

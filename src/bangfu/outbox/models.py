"""Text messages to workers and officers, written in the same transaction as what they report
and sent afterwards (``bangfu.outbox.services``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.pii import EncryptedTextField, mask_phone
from bangfu.core.scoping import AreaQuerySet
from bangfu.outbox import choices as c
from bangfu.registry.models import Person


class OutboxMessage(models.Model):
    """A text message to send (SMS-style).

    Any app enqueues through ``bangfu.outbox.services``; ``dedup_key`` makes enqueueing
    idempotent, so a retried transaction never texts a person twice.
    """

    kind = models.CharField(_("类型"), max_length=40, db_index=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("人员"))
    phone = EncryptedTextField(_("手机号码"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    area_code = models.CharField(_("所属区域"), max_length=12, blank=True, default="", db_index=True)
    body = models.TextField(_("内容"))
    dedup_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=c.OutboxStatus.choices,
                              default=c.OutboxStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

"""Code lists of the arrears desk (根治欠薪) with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficeKind(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县人力社保局")
    OUTPOST = "outpost", _("驻外劳务办事机构")


class Channel(models.TextChoices):
    PUBLIC = "public", _("网上投诉")
    PHONE = "phone", _("电话")
    WALK_IN = "walk_in", _("来访")
    API = "api", _("接口")


class State(models.TextChoices):
    RECEIVED = "received", _("已登记待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    INVESTIGATING = "investigating", _("调查中")
    MEDIATED = "mediated", _("已调解")
    ORDERED = "ordered", _("已责令支付")
    REFERRED = "referred", _("已移送法院或公安")
    PAID = "paid", _("已支付")
    CLOSED = "closed", _("已办结")
    LINKED = "linked", _("重复投诉已并案")


# What an officer may do next from each state (the case's workflow).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.RECEIVED: (State.ACCEPTED, State.REJECTED),
    State.ACCEPTED: (State.INVESTIGATING, State.MEDIATED, State.ORDERED, State.REFERRED, State.PAID),
    State.INVESTIGATING: (State.MEDIATED, State.ORDERED, State.REFERRED, State.PAID),
    State.MEDIATED: (State.ORDERED, State.REFERRED, State.PAID),
    State.ORDERED: (State.REFERRED, State.PAID),
    State.REFERRED: (State.PAID, State.CLOSED),
    State.PAID: (State.CLOSED,),
    State.REJECTED: (),
    State.CLOSED: (),
    State.LINKED: (),
}

# Accepted and not yet finished: the 60-working-day clock runs.
ACTIVE_STATES = (State.ACCEPTED, State.INVESTIGATING, State.MEDIATED, State.ORDERED,
                 State.REFERRED, State.PAID)
OPEN_STATES = (State.RECEIVED, *ACTIVE_STATES)
FINAL_STATES = (State.REJECTED, State.CLOSED, State.LINKED)
# States in which a payment to the workers may be recorded.
PAYMENT_STATES = ACTIVE_STATES
# Transfers to another office happen before the investigation has gone far.
TRANSFER_STATES = (State.RECEIVED, State.ACCEPTED, State.INVESTIGATING)


class EventKind(models.TextChoices):
    INTAKE = "intake", _("登记")
    STATE = "state", _("状态变更")
    NOTE = "note", _("办理记录")
    PAYMENT = "payment", _("支付记录")
    TRANSFER = "transfer", _("转办")
    EXTENSION = "extension", _("延期")
    ESCALATION = "escalation", _("超期升级")
    DUPLICATE = "duplicate", _("重复投诉并案")


class AmountBand(models.IntegerChoices):
    """Bands of the amount owed: within a band, more workers or an older lead go first."""

    UNDER_1K = 0, _("1千元以下")
    FROM_1K = 1, _("1千至5千元")
    FROM_5K = 2, _("5千至2万元")
    FROM_20K = 3, _("2万至10万元")
    FROM_100K = 4, _("10万元以上")


# Lower bounds in fen of each band, highest first.
AMOUNT_BAND_FLOORS_FEN = (
    (AmountBand.FROM_100K, 100_000_00),
    (AmountBand.FROM_20K, 20_000_00),
    (AmountBand.FROM_5K, 5_000_00),
    (AmountBand.FROM_1K, 1_000_00),
    (AmountBand.UNDER_1K, 0),
)

"""Checks of what a complainant or an officer types, shared by the forms and the API.

Each ``clean_*`` returns the normalised value or raises ``django.core.exceptions.ValidationError``
with a Chinese message (the msgid); ``complaint_clean`` runs them all and reports every field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum.cn import uscc

from bangfu.arrears.routing import PlaceError, place_from_code
from bangfu.core.identifiers import IdNumberError, looks_like_mobile, parse_id_number
from bangfu.core.money import yuan_to_fen
from bangfu.core.months import is_month, month_of, year_of

ERR_REQUIRED = gettext_noop("此项为必填项")
ERR_PHONE = gettext_noop("请填写11位手机号码")
ERR_NAME = gettext_noop("请填写真实姓名（2至30个字）")
ERR_EMPLOYER = gettext_noop("请填写用人单位或包工头名称（2至100个字）")
ERR_CREDIT_CODE = gettext_noop("统一社会信用代码无效（18位，末位为校验码）")
ERR_MONTH = gettext_noop("月份格式应为 2026-03")
ERR_MONTH_FUTURE = gettext_noop("欠薪月份不能晚于本月")
ERR_MONTH_OLD = gettext_noop("欠薪月份不能早于10年前")
ERR_PERIOD_ORDER = gettext_noop("欠薪起始月不能晚于截止月")
ERR_AMOUNT = gettext_noop("请填写欠薪金额（元），大于0且不超过1亿元")
ERR_WORKERS = gettext_noop("涉及人数应为1至10000之间的整数")
ERR_TEXT_TOO_LONG = gettext_noop("内容过长，最多 %(limit)d 个字")
ERR_CONTROL_CHARS = gettext_noop("内容含有无法识别的字符")

MAX_AMOUNT_FEN = 100_000_000 * 100
DESCRIPTION_LIMIT = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain_text(value, *, limit: int, required: bool = False, message: str = ERR_REQUIRED) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError(_(message))
    if len(text) > limit:
        raise ValidationError(_(ERR_TEXT_TOO_LONG) % {"limit": limit})
    if _CONTROL.search(text):
        raise ValidationError(_(ERR_CONTROL_CHARS))
    return text


def clean_name(value) -> str:
    text = _plain_text(value, limit=30, required=True, message=ERR_NAME).replace(" ", "")
    if len(text) < 2:
        raise ValidationError(_(ERR_NAME))
    return text


def clean_id_number(value) -> str:
    try:
        return parse_id_number(str(value or "").strip().upper()).number
    except IdNumberError as exc:
        raise ValidationError(_(str(exc))) from exc


def clean_phone(value) -> str:
    text = re.sub(r"[\s-]", "", str(value or ""))
    if text.startswith("+86"):
        text = text[3:]
    if not looks_like_mobile(text):
        raise ValidationError(_(ERR_PHONE))
    return text


def clean_employer_name(value) -> str:
    text = _plain_text(value, limit=100, required=True, message=ERR_EMPLOYER)
    if len(text) < 2:
        raise ValidationError(_(ERR_EMPLOYER))
    return text


def clean_credit_code(value) -> str:
    text = str(value or "").strip().upper()
    if not text:
        return ""
    if not uscc.is_valid(text):
        raise ValidationError(_(ERR_CREDIT_CODE))
    return text


def clean_month(value, *, today: dt.date | None = None) -> str:
    text = str(value or "").strip()
    if not is_month(text):
        raise ValidationError(_(ERR_MONTH))
    today = today or timezone.localdate()
    if text > month_of(today):
        raise ValidationError(_(ERR_MONTH_FUTURE))
    if year_of(text) < today.year - 10:
        raise ValidationError(_(ERR_MONTH_OLD))
    return text


def clean_amount_fen(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        fen = value
    else:
        try:
            fen = yuan_to_fen(value)
        except (ValueError, ArithmeticError) as exc:  # decimal.InvalidOperation on absurd exponents
            raise ValidationError(_(ERR_AMOUNT)) from exc
    if not 0 < fen <= MAX_AMOUNT_FEN:
        raise ValidationError(_(ERR_AMOUNT))
    return fen


def clean_workers(value) -> int:
    try:
        number = int(value if value not in (None, "") else 1)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_(ERR_WORKERS)) from exc
    if not 1 <= number <= 10_000:
        raise ValidationError(_(ERR_WORKERS))
    return number


def clean_place_code(value) -> str:
    try:
        return place_from_code(str(value or "")).code
    except PlaceError as exc:
        raise ValidationError(str(exc)) from exc


def normalise_employer(name: str, credit_code: str = "") -> str:
    """The key that groups one employer's cases: its credit code, else its normalised name."""
    if credit_code:
        return credit_code.upper()
    text = name.strip().lower()
    for full, half in (("（", "("), ("）", ")"), ("\u3000", ""), (" ", "")):
        text = text.replace(full, half)
    return text[:100]


@dataclass
class Complaint:
    """A complaint that passed every check, ready for ``case_intake``."""

    worker_name: str
    id_number: str
    phone: str
    employer_name: str
    work_place_code: str
    period_start: str
    period_end: str
    amount_owed_fen: int
    employer_credit_code: str = ""
    work_address: str = ""
    is_construction: bool = False
    project_name: str = ""
    workers_affected: int = 1
    description: str = ""


def complaint_clean(raw: dict, *, today: dt.date | None = None) -> Complaint:
    """Check every field of ``raw`` (strings as typed); raise one ValidationError naming them all."""
    errors: dict[str, list[str]] = {}
    values: dict = {}

    def run(field: str, fn, *args, **kwargs):
        try:
            values[field] = fn(*args, **kwargs)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    run("worker_name", clean_name, raw.get("worker_name"))
    run("id_number", clean_id_number, raw.get("id_number"))
    run("phone", clean_phone, raw.get("phone"))
    run("employer_name", clean_employer_name, raw.get("employer_name"))
    run("employer_credit_code", clean_credit_code, raw.get("employer_credit_code"))
    run("work_place_code", clean_place_code, raw.get("work_place_code"))
    run("work_address", _plain_text, raw.get("work_address"), limit=200)
    run("project_name", _plain_text, raw.get("project_name"), limit=100)
    run("period_start", clean_month, raw.get("period_start"), today=today)
    run("period_end", clean_month, raw.get("period_end"), today=today)
    run("amount_owed_fen", clean_amount_fen, raw.get("amount_owed_fen", raw.get("amount_owed")))
    run("workers_affected", clean_workers, raw.get("workers_affected"))
    run("description", _plain_text, raw.get("description"), limit=DESCRIPTION_LIMIT)
    if "period_start" in values and "period_end" in values and values["period_start"] > values["period_end"]:
        errors.setdefault("period_end", []).append(_(ERR_PERIOD_ORDER))
    if errors:
        raise ValidationError(errors)
    return Complaint(is_construction=bool(raw.get("is_construction")), **values)

"""Who and where: unified social credit codes, resident ID numbers, phones, areas and places."""

from __future__ import annotations

from typing import Callable

from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from bangfu import codes
from bangfu.core import reference
from bangfu.core.identifiers import LANDLINE_RE, MOBILE_RE, IdNumberError, IdNumberInfo, parse_id_number
from bangfu.core.imports.parsers.messages import (
    ERR_AREA, ERR_DISTRICT, ERR_PHONE, ERR_PLACE, ERR_TOWNSHIP_AS_DISTRICT, ERR_USCC,
)
from bangfu.core.imports.parsers.values import ascii_text
from bangfu.core.imports.spec import CellError


def uscc() -> Callable[[str], str]:
    """A unified social credit code (统一社会信用代码, GB 32100) with a valid check character."""

    def parse(value: str) -> str:
        if not value:
            return ""
        code = stdnum_uscc.compact(ascii_text(value))
        if not stdnum_uscc.is_valid(code):
            raise CellError(_(ERR_USCC).format(value=value))
        return code

    return parse


def id_number_info(value: str) -> IdNumberInfo:
    """A resident ID number (GB 11643) with its birth date and sex, for the parsers below."""
    try:
        return parse_id_number(ascii_text(value).replace(" ", ""))
    except IdNumberError as exc:
        raise CellError(_(str(exc))) from exc


def id_number() -> Callable[[str], str]:
    """A valid resident ID number, normalised (upper-case X)."""

    def parse(value: str) -> str:
        return id_number_info(value).number if value else ""

    return parse


def area() -> Callable[[str], str]:
    """An area by code or unambiguous name: 50 (重庆市, 全市), a zone, a district, a township."""

    def parse(value: str) -> str:
        if not value:
            return ""
        code = reference.area_code_for(ascii_text(value) if value.isascii() else value)
        if code is None:
            raise CellError(_(ERR_AREA).format(value=value))
        return code

    return parse


def district() -> Callable[[str], str]:
    """A Chongqing district or county by its 6-digit code or its name (丰都县)."""

    def parse(value: str) -> str:
        if not value:
            return ""
        code = reference.area_code_for(ascii_text(value).replace(" ", "")) or ""
        row = reference.divisions().get(code)
        if row is None:
            raise CellError(_(ERR_DISTRICT).format(value=value))
        if row["level"] not in codes.DISTRICT_LEVELS:
            raise CellError(_(ERR_TOWNSHIP_AS_DISTRICT).format(value=value))
        return code

    return parse


def place() -> Callable[[str], str]:
    """Where a person works: a Chongqing division, or a province or city of China, by code or
    unambiguous name (深圳市 -> 4403)."""

    def parse(value: str) -> str:
        if not value:
            return ""
        code = reference.place_code_for(ascii_text(value) if value.isascii() else value)
        if code is None:
            raise CellError(_(ERR_PLACE).format(value=value))
        return code

    return parse


def phone() -> Callable[[str], str]:
    """An 11-digit mainland mobile (``13812345678``) or a landline with its area code
    (``023-12345678``); ``+86`` and separators are dropped."""

    def parse(value: str) -> str:
        if not value:
            return ""
        cleaned = ascii_text(value).replace(" ", "").replace("(", "").replace(")", "")
        if cleaned.startswith("+86"):
            cleaned = cleaned[3:]
        elif cleaned.startswith("0086"):
            cleaned = cleaned[4:]
        mobile = cleaned.replace("-", "")
        if len(mobile) == 13 and mobile.startswith("86"):
            mobile = mobile[2:]
        if MOBILE_RE.match(mobile):
            return mobile
        if "-" not in cleaned and cleaned.startswith(("01", "02")) and len(cleaned) in (10, 11):
            cleaned = f"{cleaned[:3]}-{cleaned[3:]}"  # Beijing and 02x cities have 3-digit area codes
        match = LANDLINE_RE.match(cleaned)
        if match:
            area, number, extension = match.groups()
            return f"{area}-{number}" + (f"-{extension}" if extension else "")
        raise CellError(_(ERR_PHONE))

    return parse

"""Plain values: text, choices and lists of them, yes/no, amounts, integers, dates, months, years."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.core.imports.parsers.messages import (
    ERR_AMOUNT, ERR_AMOUNT_EXPONENT, ERR_AMOUNT_FEN, ERR_AMOUNT_RANGE, ERR_BOOLEAN, ERR_CHOICE,
    ERR_DATE, ERR_INTEGER, ERR_INTEGER_RANGE, ERR_LIST_ITEM, ERR_MONTH, ERR_MONTH_EARLY,
    ERR_MONTH_FUTURE, ERR_NEGATIVE, ERR_TOO_LONG, ERR_YEAR, MAX_CELL_YUAN,
)
from bangfu.core.imports.spec import CellError
from bangfu.core.months import month_of

LIST_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "对", "有"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", "✗", "无", "不是", ""}
MONTH_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?(?:\s+[\d:]+)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:.]+)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def ascii_text(text: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (for codes, numbers, phones)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _key(text: str) -> str:
    return ascii_text(text).replace(" ", "").lower()


def text(*, max_length: int | None = None) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if max_length and len(value) > max_length:
            raise CellError(_(ERR_TOO_LONG).format(limit=max_length))
        return value

    return parse


@lru_cache(maxsize=64)
def _choice_table(choices: type[models.Choices], aliases: tuple) -> tuple[dict[str, str], str]:
    """Every spelling accepted for each code: the Chinese label, the label in each UI language,
    the code itself and the aliases. Built once, so parsing a cell costs one dict lookup."""
    table: dict[str, str] = {}
    with translation.override(None):  # the msgids: Chinese labels
        for value, label in choices.choices:
            table[_key(str(label))] = value
        zh_labels = [str(label) for _, label in choices.choices]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                table.setdefault(_key(str(label)), value)
    for value, _label in choices.choices:
        table.setdefault(_key(str(value)), value)
    for alias, value in aliases:
        table.setdefault(_key(alias), value)
    return table, "、".join(zh_labels)


def choice_labels(choices: type[models.Choices]) -> tuple[str, ...]:
    """The Chinese labels of a code list, for the template's drop-down list."""
    with translation.override(None):
        return tuple(str(label) for _, label in choices.choices)


def choice(choices: type[models.Choices], *, aliases: Mapping[str, str] | None = None,
           default: str = "") -> Callable[[str], str]:
    """A code from ``choices``: its Chinese label (普通劳动力), its code (ordinary) or an alias."""
    alias_items = tuple(sorted((aliases or {}).items()))

    def parse(value: str) -> str:
        if not value:
            return default
        table, allowed = _choice_table(choices, alias_items)
        code = table.get(_key(value))
        if code is None:
            raise CellError(_(ERR_CHOICE).format(value=value, allowed=allowed))
        return code

    return parse


def choice_list(choices: type[models.Choices], *, aliases: Mapping[str, str] | None = None,
                joiner: str = ",") -> Callable[[str], str]:
    """Several codes separated by 、 , ; / or spaces; returned joined by ``joiner``, deduplicated."""
    alias_items = tuple(sorted((aliases or {}).items()))

    def parse(value: str) -> str:
        if not value:
            return ""
        table, allowed = _choice_table(choices, alias_items)
        codes: list[str] = []
        for item in LIST_SEPARATORS.split(value):
            if not item:
                continue
            code = table.get(_key(item))
            if code is None:
                raise CellError(_(ERR_LIST_ITEM).format(value=item, allowed=allowed))
            if code not in codes:
                codes.append(code)
        return joiner.join(codes)

    return parse


def text_list(*, max_length: int | None = None, joiner: str = ",",
              separators: re.Pattern = re.compile(r"[、,，;；|]+")) -> Callable[[str], str]:
    """Free-text items (certificate names) separated by 、 , or ;; returned joined by ``joiner``."""

    def parse(value: str) -> str:
        items: list[str] = []
        for item in separators.split(value):
            item = item.strip()
            if item and item not in items:
                items.append(item)
        joined = joiner.join(items)
        if max_length and len(joined) > max_length:
            raise CellError(_(ERR_TOO_LONG).format(limit=max_length))
        return joined

    return parse


def boolean(*, default: bool = False) -> Callable[[str], bool]:
    def parse(value: str) -> bool:
        if not value:
            return default
        key = _key(value)
        if key in TRUE_WORDS:
            return True
        if key in FALSE_WORDS:
            return False
        raise CellError(_(ERR_BOOLEAN).format(value=value))

    return parse


def yuan_to_fen(*, low: int = 0, high: int | None = MAX_CELL_YUAN) -> Callable[[str], int | None]:
    """An amount in yuan (``3,500``, ``3500元``, ``3500.5``) as integer fen; empty is None.

    Refused with a reason, the same in the trial run as in the commit: not a number, a
    scientific notation (``1e9``), a fraction of a fen (``0.001``), a negative amount, and an
    amount outside ``low``–``high`` yuan (at most ``MAX_CELL_YUAN`` unless a caller allows more).
    """
    high = MAX_CELL_YUAN if high is None else high

    def parse(value: str) -> int | None:
        if not value:
            return None
        cleaned = ascii_text(value).replace(",", "").replace("元", "").replace("¥", "").strip()
        if "e" in cleaned.lower():
            raise CellError(_(ERR_AMOUNT_EXPONENT).format(value=value))
        try:
            amount = Decimal(cleaned)
        except InvalidOperation as exc:
            raise CellError(_(ERR_AMOUNT).format(value=value)) from exc
        if not amount.is_finite():
            raise CellError(_(ERR_AMOUNT).format(value=value))
        if amount < 0 and low >= 0:
            raise CellError(_(ERR_NEGATIVE))
        if amount < low or amount > high:
            raise CellError(_(ERR_AMOUNT_RANGE).format(low=f"{low:,}", high=f"{high:,}"))
        fen = amount * 100
        if fen != fen.to_integral_value():
            raise CellError(_(ERR_AMOUNT_FEN).format(value=value))
        return int(fen)

    return parse


def integer(*, low: int | None = None, high: int | None = None) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        if not value:
            return None
        cleaned = ascii_text(value).replace(",", "")
        try:
            number = int(Decimal(cleaned)) if re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned) else None
        except InvalidOperation:
            number = None
        if number is None:
            raise CellError(_(ERR_INTEGER).format(value=value))
        if (low is not None and number < low) or (high is not None and number > high):
            raise CellError(_(ERR_INTEGER_RANGE).format(low=low, high=high))
        return number

    return parse


def date() -> Callable[[str], dt.date | None]:
    """``2024-09-01``, ``2024/9/1``, ``2024年9月1日``, ``20240901``."""

    def parse(value: str) -> dt.date | None:
        if not value:
            return None
        cleaned = ascii_text(value)
        for pattern in DATE_PATTERNS:
            match = pattern.match(cleaned)
            if match:
                try:
                    return dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    break
        raise CellError(_(ERR_DATE).format(value=value))

    return parse


def month(*, not_future: bool = False, earliest_year: int | None = None) -> Callable[[str], str]:
    """A month as ``YYYY-MM`` from ``2024-09``, ``2024/9``, ``2024年9月``, ``202409`` or a date;
    ``not_future`` refuses months after this one, ``earliest_year`` months before that year."""

    def parse(value: str) -> str:
        if not value:
            return ""
        cleaned = ascii_text(value)
        for pattern in MONTH_PATTERNS:
            match = pattern.match(cleaned)
            if match:
                year, mon = int(match.group(1)), int(match.group(2))
                if 1900 <= year <= 2200 and 1 <= mon <= 12:
                    found = f"{year:04d}-{mon:02d}"
                    if not_future and found > month_of(timezone.localdate()):
                        raise CellError(_(ERR_MONTH_FUTURE).format(month=found))
                    if earliest_year is not None and year < earliest_year:
                        raise CellError(_(ERR_MONTH_EARLY).format(month=found, year=earliest_year))
                    return found
                break
        raise CellError(_(ERR_MONTH).format(value=value))

    return parse


def year(*, low: int = 2000, years_ahead: int = 0) -> Callable[[str], int | None]:
    """A four-digit year (``2024`` or ``2024年``) from ``low`` to this year plus ``years_ahead``."""

    def parse(value: str) -> int | None:
        if not value:
            return None
        cleaned = ascii_text(value).strip().rstrip("年")
        high = timezone.localdate().year + years_ahead
        if not re.fullmatch(r"\d{4}", cleaned) or not low <= int(cleaned) <= high:
            raise CellError(_(ERR_YEAR).format(low=low, high=high))
        return int(cleaned)

    return parse


def code_list(valid: Mapping[str, str] | Iterable[str], *, error: str, by_name: Mapping[str, str] | None = None,
              joiner: str = ",") -> Callable[[str], str]:
    """Codes from a reference list (``valid``), optionally given by name (``by_name``: name -> code).

    ``error`` is a msgid with ``{value}``.
    """
    codes = set(valid)
    names = dict(by_name or {})

    def parse(value: str) -> str:
        if not value:
            return ""
        result: list[str] = []
        for item in re.split(r"[、,，;；/|\s]+", ascii_text(value) if value.isascii() else value):
            item = item.strip()
            if not item:
                continue
            code = item if item in codes else names.get(item) or names.get(ascii_text(item))
            if code is None and ascii_text(item) in codes:
                code = ascii_text(item)
            if code is None:
                raise CellError(_(error).format(value=item))
            if code not in result:
                result.append(code)
        return joiner.join(result)

    return parse

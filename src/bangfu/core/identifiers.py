"""The numbers people identify themselves by: resident ID numbers and phone numbers.

Resident ID numbers (居民身份证号码, GB 11643) are checked with python-stdnum.
``stdnum.cn.ric.validate`` also insists that the address code was in force in the birth
year. Chongqing's codes (50xxxx) date from 1997, yet everyone who got an 18-digit number
after 1999 carries them whatever their birth year, so for that one check we accept any
address code that stdnum knows at all, or that is a division of Chongqing.

``ID_NUMBER_RE`` and ``MOBILE_RE`` are the shapes (an ID number's 17 digits and check
character; a mainland mobile number); everything that recognises one uses these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from bangfu.core import reference

ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$", re.IGNORECASE)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# A landline with its area code and an optional extension: 023-12345678, 0755-1234567-89.
LANDLINE_RE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:[-转#](\d{1,6}))?$")

ERR_LENGTH = "证件号码应为18位"
ERR_FORMAT = "证件号码格式错误（前17位须为数字，末位为数字或X）"
ERR_CHECKSUM = "证件号码校验位错误"
ERR_BIRTH_DATE = "证件号码中的出生日期无效"
ERR_PLACE = "证件号码中的地址码不存在"
ERR_FUTURE = "证件号码中的出生日期晚于今天"


class IdNumberError(ValueError):
    """A Chinese message for the officer who typed it."""


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" | "F"
    address_code: str


def looks_like_id_number(text: str) -> bool:
    """The shape of an ID number (no checksum test): to tell a search for one from a name."""
    return ID_NUMBER_RE.match(text or "") is not None


def looks_like_mobile(text: str) -> bool:
    return MOBILE_RE.match(text or "") is not None


@lru_cache(maxsize=8192)
def address_known(code: str) -> bool:
    """An address code stdnum knows, or a division of Chongqing."""
    if code in reference.divisions():
        return True
    results = numdb.get("cn/loc").info(code)
    return any(props for _, props in results)


def _sex(number: str) -> str:
    return "M" if int(number[16]) % 2 == 1 else "F"


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate ``value`` and return its birth date, sex and address code.

    The common case is checked here directly: python-stdnum's checks cost 0.2 ms an ID (20 s
    for 100,000 rows of an import); anything doubtful goes to stdnum, which gives the reason.
    """
    number = ric.compact(str(value or ""))
    today = today or dt.date.today()
    if ID_NUMBER_RE.match(number) and ric.calc_check_digit(number) == number[17] and address_known(number[:6]):
        try:
            birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            birth = None
        if birth is not None and birth <= today:
            return IdNumberInfo(number=number, birth_date=birth, sex=_sex(number), address_code=number[:6])
    try:
        ric.validate(number)
    except InvalidLength as exc:
        raise IdNumberError(ERR_LENGTH) from exc
    except InvalidFormat as exc:
        raise IdNumberError(ERR_FORMAT) from exc
    except InvalidChecksum as exc:
        raise IdNumberError(ERR_CHECKSUM) from exc
    except InvalidComponent as exc:
        try:
            ric.get_birth_date(number)
        except InvalidComponent:
            raise IdNumberError(ERR_BIRTH_DATE) from exc
        if not address_known(number[:6]):
            raise IdNumberError(ERR_PLACE) from exc
    birth = ric.get_birth_date(number)
    if birth > today:
        raise IdNumberError(ERR_FUTURE)
    return IdNumberInfo(number=number, birth_date=birth, sex=_sex(number), address_code=number[:6])


def make_id_number(address_code: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a valid number: address, birth date, a 3-digit sequence whose parity gives the sex."""
    seq = sequence % 500 * 2 + (1 if sex == "M" else 0)
    body = f"{address_code}{birth_date:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")

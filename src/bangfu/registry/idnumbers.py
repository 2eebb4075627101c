"""Resident ID numbers (居民身份证号码, GB 11643) checked with python-stdnum.

``stdnum.cn.ric.validate`` also insists that the address code was in force in the birth
year. Chongqing's codes (50xxxx) date from 1997, yet everyone who got an 18-digit number
after 1999 carries them whatever their birth year, so for that one check we accept any
address code that stdnum knows at all, or that is a division of Chongqing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from bangfu.registry import reference

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


def _address_known(code: str) -> bool:
    if code in reference.divisions():
        return True
    results = numdb.get("cn/loc").info(code)
    return any(props for _, props in results)


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate ``value`` and return its birth date, sex and address code."""
    number = ric.compact(str(value or ""))
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
        if not _address_known(number[:6]):
            raise IdNumberError(ERR_PLACE) from exc
    birth = ric.get_birth_date(number)
    if birth > (today or dt.date.today()):
        raise IdNumberError(ERR_FUTURE)
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumberInfo(number=number, birth_date=birth, sex=sex, address_code=number[:6])


def make_id_number(address_code: str, birth_date: dt.date, sequence: int, sex: str) -> str:
    """Build a valid number: address, birth date, a 3-digit sequence whose parity gives the sex."""
    seq = sequence % 500 * 2 + (1 if sex == "M" else 0)
    body = f"{address_code}{birth_date:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")

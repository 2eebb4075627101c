"""What a user learns of one person's ID number from the pages, the API and the exports, and
how many ID numbers fit it.

``Observed`` gathers every field that constrains the number (the visible characters of the
mask, the division, the birth date or the window implied by an age or a birth year, the sex);
``count_candidates`` enumerates the 18-character numbers consistent with all of them whose
GB 11643 check character is right (python-stdnum's ``cn.ric``). As a safety net, the full
number or the birth date written anywhere in a response about the person counts as seen.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field

from lxml import html as lxml_html
from openpyxl import load_workbook
from stdnum.cn import ric

MASKED_ID_RE = re.compile(r"(?<![0-9A-Za-z*])[0-9*]{17}[0-9Xx*](?![0-9A-Za-z*])")
INT_RE = re.compile(r"\d+")
OLDEST_AGE = 120
SEX_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F"}
# The column / label names under which a field is shown, in the pages and the export.
LABEL_SEX, LABEL_AGE, LABEL_BIRTH, LABEL_ID = "性别", "年龄", "出生日期", "证件号码"
LABEL_NAMES = ("姓名", "投诉人")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def date_spellings(day: dt.date) -> list[str]:
    return [f"{day:%Y-%m-%d}", f"{day:%Y%m%d}", f"{day:%Y/%m/%d}", f"{day:%Y.%m.%d}",
            f"{day.year}年{day.month}月{day.day}日"]


@dataclass
class Observed:
    """Everything one user was shown about one person's ID number."""

    today: dt.date
    district_code: str = ""
    digits: dict[int, str] = field(default_factory=dict)
    earliest: dt.date = dt.date.min
    latest: dt.date = dt.date.max
    sex: str | None = None
    sources: list[str] = field(default_factory=list)

    def masked(self, text: str) -> None:
        for token in MASKED_ID_RE.findall(str(text)):
            for i, ch in enumerate(token.upper()):
                if ch != "*":
                    assert self.digits.setdefault(i, ch) == ch, f"two masks disagree at {i}: {token}"

    def birth_date(self, day: dt.date) -> None:
        self._window(day, day)

    def age(self, years: int) -> None:
        # screens show the age reached this year (registry.models.age_in_year): the birth year
        self.birth_year(self.today.year - years)

    def birth_year(self, year: int) -> None:
        self._window(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def sex_word(self, word: str) -> None:
        sex = SEX_WORDS.get(str(word).strip())
        if sex:
            assert self.sex in (None, sex)
            self.sex = sex

    def _window(self, earliest: dt.date, latest: dt.date) -> None:
        self.earliest, self.latest = max(self.earliest, earliest), min(self.latest, latest)

    def fields(self, pairs: dict[str, object]) -> None:
        """Labelled values (a table row, a definition list, a JSON object, an export row)."""
        for label, value in pairs.items():
            text = str(value if value is not None else "")
            key = label.strip().lower()
            if key in (LABEL_SEX, "sex"):
                self.sex_word(text)
            elif key in (LABEL_AGE, "age") and INT_RE.search(text):
                self.age(int(INT_RE.search(text).group()))
                for part in text.split("·")[1:]:  # "39 岁 · 男" on the worker's job page
                    self.sex_word(part)
            elif key in (LABEL_BIRTH, "birth_date") and re.search(r"\d{4}-\d{2}-\d{2}", text):
                self.birth_date(dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", text).group()))
            elif key in ("出生年份", "birth_year") and INT_RE.search(text):
                self.birth_year(int(INT_RE.search(text).group()))
            elif key in (LABEL_ID,) or "id_number" in key:
                self.masked(text)

    def anywhere(self, text: str, *, id_number: str, birth: dt.date) -> None:
        """The safety net: the full number or the birth date written anywhere counts as seen."""
        if id_number in text:
            self.masked(id_number)
        if any(s in text for s in date_spellings(birth)):
            self.birth_date(birth)

    def fits(self, number: str) -> bool:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        return (all(number[i] == ch for i, ch in self.digits.items())
                and number[:6] == self.division()
                and self.earliest <= birth <= self.latest
                and (self.sex is None or (int(number[16]) % 2 == 1) == (self.sex == "M")))

    def division(self) -> str:
        shown = "".join(self.digits.get(i, "") for i in range(6))
        return shown if len(shown) == 6 else self.district_code

    def key(self) -> tuple:
        return (self.division(), tuple(sorted(self.digits.items())), self.earliest, self.latest, self.sex)


def count_candidates(obs: Observed) -> int:
    """18-character numbers consistent with ``obs`` that pass the GB 11643 checksum."""
    division = obs.division()
    earliest = max(obs.earliest, _years_before(obs.today, OLDEST_AGE))
    latest = min(obs.latest, obs.today)
    sequences = [f"{n:03d}" for n in range(1000)
                 if obs.sex is None or (n % 2 == 1) == (obs.sex == "M")]
    sequences = [s for s in sequences if all(obs.digits.get(14 + i) in (None, ch) for i, ch in enumerate(s))]
    check = obs.digits.get(17)
    total, day = 0, earliest
    while day <= latest:
        ymd = f"{day:%Y%m%d}"
        if all(obs.digits.get(6 + i) in (None, ch) for i, ch in enumerate(ymd)):
            for seq in sequences:
                body = division + ymd + seq
                # calc_check_digit reads the first 17 characters of an 18-character number
                if check is None or ric.calc_check_digit(body + "0") == check:
                    total += 1
        day += dt.timedelta(days=1)
    return total


# -- reading responses ------------------------------------------------------------------------
def _text(node) -> str:
    return " ".join(" ".join(node.itertext()).split())


def html_rows(content: bytes | str, name: str) -> list[dict[str, str]]:
    """The labelled fields about ``name`` on a page: its table rows and, on a page about it,
    the definition lists."""
    doc = lxml_html.fromstring(content)
    found = []
    for table in doc.iter("table"):
        headers = [_text(th) for th in table.iter("th")]
        for tr in table.iter("tr"):
            cells = [_text(td) for td in tr.findall("td")]
            if len(cells) == len(headers) and name in cells:
                found.append(dict(zip(headers, cells)))
    return found


def html_definitions(content: bytes | str) -> dict[str, str]:
    doc = lxml_html.fromstring(content)
    pairs = {}
    for dt_node in doc.iter("dt"):
        dd = dt_node.getnext()
        if dd is not None and dd.tag == "dd":
            pairs[_text(dt_node)] = _text(dd)
    return pairs


def html_text(content: bytes | str) -> str:
    return _text(lxml_html.fromstring(content))


def json_objects(content: bytes, person_id: int) -> list[dict]:
    """The JSON objects about person ``person_id`` in an API response (list, page or object)."""
    data = json.loads(content)
    items = data.get("items", [data]) if isinstance(data, dict) else data
    return [item for item in items if isinstance(item, dict) and item.get("id") == person_id]


def xlsx_rows(content: bytes, name: str) -> list[dict[str, object]]:
    rows = list(load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    return [dict(zip(headers, row)) for row in rows[1:] if name in row]


def xlsx_text(content: bytes) -> str:
    rows = load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    return " ".join(str(v) for row in rows for v in row if v is not None)

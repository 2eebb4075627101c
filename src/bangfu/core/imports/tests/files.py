"""Spreadsheets for tests and benchmarks: a fast .xlsx writer and registry rows.

openpyxl needs about 12 s to write 100,000 rows of 17 cells; writing the sheet XML directly
takes about one, so tests can build their large files themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

REGISTRY_HEADERS = [
    "户编号", "姓名", "证件号码", "与户主关系", "联系电话", "区县代码", "乡镇代码", "村", "人口类型",
    "劳动技能", "文化程度", "健康状况", "是否在校生", "技能证书", "期望月薪", "可接受务工地点", "技能",
]
# (district, township) pairs that exist in the reference data.
AREAS = [("500230", "500230101"), ("500230", "500230102"), ("500101", "500101001"), ("500243", "500243101")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
RELATIONS = ["户主", "配偶", "之子", "之女"]


@dataclass(frozen=True)
class Formula:
    text: str  # without the leading "="


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet_name: str = "Sheet1") -> bytes:
    """A minimal valid .xlsx: one sheet, strings inline, numbers as numbers, ``Formula`` cells."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            letters: list[str] = []
            buffer: list[str] = []
            for number, row in enumerate(rows, start=1):
                cells = []
                for index, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    while len(letters) <= index:
                        letters.append(get_column_letter(len(letters) + 1))
                    ref = f"{letters[index]}{number}"
                    if isinstance(value, Formula):
                        cells.append(f'<c r="{ref}"><f>{escape(value.text)}</f></c>')
                    elif isinstance(value, bool):
                        cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
                    elif isinstance(value, (int, float)):
                        cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
                buffer.append(f'<row r="{number}">{"".join(cells)}</row>')
                if len(buffer) >= 2000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write("".join(buffer).encode())
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def write_xlsx(path: Path, rows: Iterable[Sequence[Any]]) -> Path:
    path.write_bytes(xlsx_bytes(rows))
    return path


def csv_bytes(rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in row] for row in rows])
    return text.getvalue().encode(encoding)


def registry_rows(n: int, *, seed: int = 0, household_size: int = 3, prefix: str = "H") -> list[list[Any]]:
    """``n`` valid registry rows (no header) in ``REGISTRY_HEADERS`` order, deterministic for ``seed``."""
    from bangfu.core.identifiers import make_id_number

    rng = random.Random(seed)
    base = dt.date(1960, 1, 1)
    rows = []
    for i in range(n):
        household = i // household_size
        district, township = AREAS[household % len(AREAS)]
        member = i % household_size
        sex = "M" if member != 1 else "F"
        birth = base + dt.timedelta(days=(i // 500) * 37 % 16000 + member)
        id_number = make_id_number(district, birth, i % 500, sex)
        rows.append([
            f"{prefix}{seed:02d}{household:08d}", rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_number, RELATIONS[min(member, 3)], f"13{rng.randrange(10**9):09d}", district, township,
            f"第{household % 7 + 1}村", "防返贫监测对象" if household % 10 == 0 else "脱贫人口",
            ["普通劳动力", "技能劳动力", "弱劳动力或半劳动力"][i % 3], "初中", "健康", "否",
            "电工证" if i % 5 == 0 else "", str(3000 + i % 20 * 100), "县内、市外", "4-01-02-03" if i % 4 == 0 else "",
        ])
    return rows


BAD_KINDS = ("checksum", "township", "enum", "missing_name", "phone", "wage", "duplicate")


def spoil(rows: list[list[Any]], *, every: int = 100) -> dict[int, str]:
    """Make every ``every``-th row bad in one of several ways; returns data index -> kind."""
    spoiled: dict[int, str] = {}
    for k, index in enumerate(range(every - 1, len(rows), every)):
        kind = BAD_KINDS[k % len(BAD_KINDS)]
        row = rows[index]
        if kind == "checksum":
            last = row[2][-1]
            row[2] = row[2][:-1] + ("0" if last != "0" else "1")
        elif kind == "township":
            row[6] = "500101001" if row[5] != "500101" else "500230101"
        elif kind == "enum":
            row[9] = "很能干"
        elif kind == "missing_name":
            row[1] = ""
        elif kind == "phone":
            row[4] = "12345"
        elif kind == "wage":
            row[14] = "-300"
        elif kind == "duplicate":
            row[2] = rows[index - 1][2]
        spoiled[index] = kind
    return spoiled

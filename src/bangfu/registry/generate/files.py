"""Writing generated persons as registry import files: one file per district.

One file per district keeps every file under the import limits (rows and bytes) and under
Excel's 1,048,576 rows, and matches how a district officer imports their own registry.
Cells carry the Chinese labels an officer types (户主, 脱贫人口, 普通劳动力, 是/否 ...).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
from django.utils import translation

from bangfu.core import reference
from bangfu.registry import choices as c
from bangfu.registry.generate.context import Frame, GenerateContext
from bangfu.registry.generate.population import STR, place_mask_strings

HEADERS = (
    "户编号", "姓名", "证件号码", "与户主关系", "联系电话", "区县代码", "乡镇代码", "村", "人口类型",
    "劳动技能", "文化程度", "健康状况", "是否在校生", "技能证书", "期望月薪", "可接受务工地点",
    # Not in the import template: the occupation codes of the person's skills (职业分类代码).
    "技能",
)
LIST_SEPARATOR = "、"
CHUNK_ROWS = 100_000


def _labels(choices) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {value: str(label) for value, label in choices.choices}


def _map(values: np.ndarray, labels: dict[str, str]) -> np.ndarray:
    out = np.full(len(values), "", dtype=STR)
    for code, label in labels.items():
        out[values == code] = label
    return out


def label_columns(persons: Frame, rows: slice) -> list[np.ndarray]:
    """The cells of ``rows`` in HEADERS order, as arrays of text."""
    p = {k: v[rows] for k, v in persons.items()}
    wage_yuan = p["expected_wage_fen"] // 100
    no = np.array("", dtype=STR)
    place_labels = place_mask_strings(LIST_SEPARATOR, _labels(c.PlaceClass))
    return [
        p["household_number"],
        p["name"],
        p["id_number"],
        _map(p["relation"], _labels(c.Relation)),
        p["phone"],
        p["district_code"],
        p["township_code"],
        p["village"],
        _map(p["category"], _labels(c.Category)),
        _map(p["labour_ability"], _labels(c.LabourAbility)),
        _map(p["education"], _labels(c.Education)),
        _map(p["health"], _labels(c.Health)),
        np.where(p["in_school"], "是", "否"),
        np.strings.replace(p["certificates"], ",", LIST_SEPARATOR),
        np.where(wage_yuan > 0, wage_yuan.astype(STR), no),
        place_labels[p["place_mask"]],
        np.strings.replace(p["skills"], ",", LIST_SEPARATOR),
    ]


def _district_blocks(persons: Frame) -> list[tuple[str, slice]]:
    """Persons are ordered by district; the contiguous block of each district."""
    codes = persons["district_code"]
    if not len(codes):
        return []
    edges = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True])
    return [(str(codes[a]), slice(int(a), int(b))) for a, b in zip(edges[:-1], edges[1:])]


def _write_csv(path: Path, persons: Frame, block: slice) -> None:
    # UTF-8 with a BOM so Excel opens the Chinese headers correctly; the importer accepts it.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for start in range(block.start, block.stop, CHUNK_ROWS):
            part = slice(start, min(start + CHUNK_ROWS, block.stop))
            writer.writerows(zip(*(col.tolist() for col in label_columns(persons, part))))


def _write_xlsx(path: Path, persons: Frame, block: slice, title: str) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(HEADERS))
    for start in range(block.start, block.stop, CHUNK_ROWS):
        part = slice(start, min(start + CHUNK_ROWS, block.stop))
        for row in zip(*(col.tolist() for col in label_columns(persons, part))):
            sheet.append(list(row))
    book.save(path)


def write_registry_files(ctx: GenerateContext) -> list[Path]:
    """Write ``registry_<district>.csv|xlsx`` and ``manifest.json`` into ``ctx.out_dir``."""
    assert ctx.out_dir is not None
    out = Path(ctx.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = reference.divisions()
    manifest_files = []
    paths = []
    blocks = _district_blocks(ctx.persons)
    for number, (code, block) in enumerate(blocks, start=1):
        path = out / f"registry_{code}.{ctx.file_format}"
        if ctx.file_format == "xlsx":
            _write_xlsx(path, ctx.persons, block, names[code]["name"])
        else:
            _write_csv(path, ctx.persons, block)
        paths.append(path)
        manifest_files.append({"file": path.name, "district_code": code,
                               "district_name": names[code]["name"],
                               "rows": block.stop - block.start})
        ctx.progress("files", number, len(blocks))
    manifest = {
        "seed": ctx.seed, "people": ctx.person_count, "households": ctx.household_count,
        "scenario": ctx.scenario, "as_of": ctx.as_of.isoformat(), "format": ctx.file_format,
        "headers": list(HEADERS), "files": manifest_files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    ctx.files.extend(paths)
    return paths

"""Import of job postings (岗位导入): one row per posting, employers registered on first sight.

A posting is recognised again by its employer and 岗位编号 (or, without a number, by employer,
title, occupation, place and start date), so re-importing the same file changes nothing.
``bangfu import postings FILE`` runs it (``IMPORTERS`` is discovered by the import command).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from django.utils import timezone

from bangfu.core import reference
from bangfu.core.actors import Actor
from bangfu.core.imports import CellError, Column, Importer, ImportResult, ParsedRow, RowError
from bangfu.core.imports import parsers as p
from bangfu.core.pii import pii_hash
from bangfu.core.places import place_facts
from bangfu.employers.models import Employer
from bangfu.employers.services import ERR_EMPLOYER_PLACE, uscc_clean
from bangfu.jobs import choices as c
from bangfu.jobs.models import JobPosting
from bangfu.jobs.services.errors import JobsError
from bangfu.jobs.services.postings import POSTING_FIELDS, _posting_values
from bangfu.jobs.validation import ERR_OCCUPATION, certificates_text, posting_check

ERR_DUPLICATE_ROW = "与第 {row} 行是同一岗位（同一单位和岗位编号）"
ERR_OTHER_AREA = "该岗位由其他区域发布，不能修改"
ERR_NAME_MISMATCH = "统一社会信用代码已登记为“{name}”，与本行单位名称不一致"

ABILITY_ALIASES = {"弱劳动力": "weak", "半劳动力": "weak", "含弱劳动力": "weak", "普通劳动力": "ordinary",
                   "不限": "weak", "技能劳动力": "skilled"}
SOURCE_ALIASES = {"东西协作": "cooperation", "劳务协作": "cooperation", "一区两群": "cross_zone",
                  "本地": "local", "帮扶车间": "workshop", "零工": "gig", "零工市场": "gig"}


def _uscc(value: str) -> str:
    try:
        return uscc_clean(value)
    except Exception as exc:  # noqa: BLE001 - ValidationError: Chinese message
        raise CellError(exc.messages[0] if hasattr(exc, "messages") else str(exc)) from exc


def _occupation(value: str) -> str:
    code = p.ascii_text(value).strip()
    if code not in reference.occupations():
        raise CellError(ERR_OCCUPATION.format(code=value))
    return code


def _employer_place(value: str) -> str:
    if not value:
        return ""
    code = p.ascii_text(value).strip()
    if place_facts(code) is None:
        raise CellError(ERR_EMPLOYER_PLACE.format(code=value))
    return code


COLUMNS = (
    Column("external_id", "岗位编号", ("job_id", "posting_id"), parse=p.text(max_length=64),
           help="来源系统的岗位编号，选填；填写后重复导入按编号识别同一岗位", example="CQ2024-0001"),
    Column("employer_name", "单位名称", ("employer", "company"), required=True, parse=p.text(max_length=200),
           example="丰都县恒达农产品加工有限公司"),
    Column("uscc", "统一社会信用代码", ("uscc", "credit_code"), required=True, parse=_uscc,
           help="18 位，按 GB 32100 校验", example="91500230MA5U7B6X3L"),
    Column("employer_place", "单位所在地代码", ("employer_place",), parse=_employer_place,
           help="重庆填区县或乡镇代码，外省填省或市代码", example="500230"),
    Column("contact_name", "联系人", ("contact",), parse=p.text(max_length=60), example="王经理"),
    Column("contact_phone", "联系电话", ("phone",), parse=p.phone(), example="023-70601234"),
    Column("title", "岗位名称", ("title",), required=True, parse=p.text(max_length=100), example="砌筑工"),
    Column("occupation_code", "职业代码", ("occupation",), required=True, parse=_occupation,
           help="随系统提供的职业分类代码（2022 年版职业分类大典），如 6-29-01-01 砌筑工",
           example="6-29-01-01"),
    Column("work_place_code", "工作地点代码", ("place", "work_place"), parse=p.text(max_length=12),
           help="重庆填区县（6 位）或乡镇（9 位）代码，外省填省（2 位）或市（4 位）代码", example="500230101"),
    Column("abroad", "境外岗位", ("abroad",), parse=p.boolean(), help="是/否", example="否"),
    Column("headcount", "招聘人数", ("headcount",), required=True, parse=p.integer(low=0, high=100_000),
           example="10"),
    Column("filled_count", "已招人数", ("filled",), parse=p.integer(low=0, high=100_000), example="0"),
    Column("wage_min_fen", "月薪下限（元）", ("wage_min",), required=True,
           parse=p.yuan_to_fen(low=0, high=100_000), example="4500"),
    Column("wage_max_fen", "月薪上限（元）", ("wage_max",), required=True,
           parse=p.yuan_to_fen(low=0, high=100_000), example="6000"),
    Column("age_min", "最低年龄", ("age_min",), parse=p.integer(low=0, high=120), example="18"),
    Column("age_max", "最高年龄", ("age_max",), parse=p.integer(low=0, high=120), example="55"),
    Column("required_certificates", "要求证书", ("certificates",), parse=p.text_list(max_length=200),
           help="多个证书用顿号分隔", example="砌筑工证"),
    Column("min_labour_ability", "招聘对象", ("min_ability",),
           parse=p.choice(c.MinAbility, aliases=ABILITY_ALIASES, default="ordinary"),
           help="含弱劳动力或半劳动力 / 普通劳动力及以上 / 技能劳动力", example="普通劳动力及以上"),
    Column("accommodation", "提供食宿", ("accommodation",), parse=p.boolean(), example="是"),
    Column("transport", "提供交通", ("transport",), parse=p.boolean(), example="否"),
    Column("valid_from", "有效期起", ("valid_from",), parse=p.date(), example="2024-09-01"),
    Column("valid_until", "有效期止", ("valid_until",), required=True, parse=p.date(), example="2024-12-31"),
    Column("source", "岗位来源", ("source",), parse=p.choice(c.PostingSource, aliases=SOURCE_ALIASES,
                                                             default="local"),
           help="东西协作劳务协作 / 一区两群跨区域 / 本地企业 / 帮扶车间 / 零工市场", example="本地企业"),
    Column("description", "岗位说明", ("description",), parse=p.text(max_length=2000), example=""),
)

ROW_TO_FIELD = {"headcount": "招聘人数", "filled_count": "已招人数", "wage_min_fen": "月薪下限（元）",
                "wage_max_fen": "月薪上限（元）", "age_min": "最低年龄", "age_max": "最高年龄",
                "valid_until": "有效期止", "valid_from": "有效期起", "occupation_code": "职业代码",
                "work_place_code": "工作地点代码", "min_labour_ability": "招聘对象", "source": "岗位来源",
                "title": "岗位名称"}


def _posting_data(values: dict) -> dict:
    data = {k: values[k] for k in POSTING_FIELDS if k in values}
    for key, default in (("age_min", 16), ("age_max", 65), ("filled_count", 0)):
        if data.get(key) is None:
            data[key] = default
    data["required_certificates"] = certificates_text(data.get("required_certificates", ""))
    return data


class PostingImporter(Importer):
    kind = "postings"
    title = gettext_noop("岗位导入")
    columns = COLUMNS

    def _key(self, values: dict) -> tuple:
        if values.get("external_id"):
            return (values["uscc"], "id", values["external_id"])
        return (values["uscc"], "row", values["title"], values["occupation_code"],
                values.get("work_place_code") or "", str(values.get("valid_from") or ""))

    def _existing(self, rows: list[ParsedRow]) -> dict[tuple, JobPosting]:
        usccs = {r.values["uscc"] for r in rows}
        out = {}
        for posting in JobPosting.objects.filter(employer__uscc__in=usccs).select_related("employer"):
            values = {"uscc": posting.employer.uscc, "external_id": posting.external_id,
                      "title": posting.title, "occupation_code": posting.occupation_code,
                      "work_place_code": posting.work_place_code, "valid_from": posting.valid_from}
            out[self._key(values)] = posting
        return out

    def check(self, rows: list[ParsedRow], *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        today = timezone.localdate()
        seen: dict[tuple, int] = {}
        existing = self._existing(rows)
        names = dict(Employer.objects.filter(uscc__in={r.values["uscc"] for r in rows})
                     .values_list("uscc", "name"))
        area = actor.area_code
        for row in rows:
            v = row.values
            key = self._key(v)
            if key in seen:
                errors.append(RowError(row.number, "岗位编号", ERR_DUPLICATE_ROW.format(row=seen[key])))
                continue
            seen[key] = row.number
            if v["uscc"] in names and names[v["uscc"]] != v["employer_name"]:
                errors.append(RowError(row.number, "单位名称",
                                       ERR_NAME_MISMATCH.format(name=names[v["uscc"]])))
            current = existing.get(key)
            if current is not None and not current.owner_area_code.startswith(area) and area != "50":
                errors.append(RowError(row.number, "岗位名称", ERR_OTHER_AREA))
                continue
            data = _posting_data(v)
            data.setdefault("valid_from", None)
            if data["valid_from"] is None:
                data["valid_from"] = current.valid_from if current else today
            for field, message in posting_check(data, today=today, new=current is None).items():
                errors.append(RowError(row.number, ROW_TO_FIELD.get(field, field), message))
        return errors

    def preview(self, rows: list[ParsedRow], *, actor: Actor, result: ImportResult) -> None:
        existing = self._existing(rows)
        for row in rows:
            if self._key(row.values) in existing:
                result.updated += 1
            else:
                result.created += 1

    def commit(self, rows: list[ParsedRow], *, actor: Actor, result: ImportResult, progress=None) -> None:
        today = timezone.localdate()
        area = actor.area_code
        employers = {e.uscc: e for e in Employer.objects.filter(uscc__in={r.values["uscc"] for r in rows})}
        existing = self._existing(rows)
        for index, row in enumerate(rows, start=1):
            v = row.values
            employer = employers.get(v["uscc"])
            if employer is None:
                facts = place_facts(v.get("employer_place") or "") if v.get("employer_place") else None
                employer = Employer.objects.create(
                    name=v["employer_name"], uscc=v["uscc"], place_code=facts.code if facts else "",
                    district_code=facts.district_code if facts else "",
                    township_code=facts.township_code if facts else "",
                    cooperation_region=facts.cooperation_region if facts else "",
                    contact_name=v.get("contact_name") or "", contact_phone=v.get("contact_phone") or "",
                    contact_phone_hash=pii_hash(v["contact_phone"]) if v.get("contact_phone") else "",
                    owner_area_code=area)
                employers[v["uscc"]] = employer
            current = existing.get(self._key(v))
            data = _posting_data(v)
            if data.get("valid_from") is None:
                data["valid_from"] = current.valid_from if current else today
            try:
                clean = _posting_values(data, today=today, new=current is None, current=current)
            except JobsError:  # pragma: no cover - check() refused such rows already
                continue
            if current is None:
                JobPosting.objects.create(employer=employer, owner_area_code=area, **clean)
                result.created += 1
                continue
            changed = [k for k, value in clean.items() if getattr(current, k) != value]
            if not changed:
                result.unchanged += 1
                continue
            for k in changed:
                setattr(current, k, clean[k])
            current.save(update_fields=[*changed, "updated_at"])
            result.updated += 1
            if progress and index % 1000 == 0:
                progress("commit", index, len(rows))


IMPORTERS = {"postings": PostingImporter()}

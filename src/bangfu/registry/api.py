"""Registry API at /api/v1/registry/: persons (masked, area-restricted) and divisions.

The persons filters are the list page's (registry/filters.py); a value that cannot be right
(an unknown category, a malformed code, a township outside the district) is a 422 naming the
field, never a 500 and never a silently empty list.

A person comes with the age, never the birth date, and the ID number masked to its division
code (core/pii.py). A full ID number or phone is never a query parameter (URLs end up in
access logs): ``POST /persons/search`` takes it in the body, audited and capped per day.
"""

from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ValidationInfo, field_validator, model_validator

from bangfu.core.api_schemas import ErrorOut
from bangfu.core.pagination import ApiPagination
from bangfu.registry import choices as c
from bangfu.registry import selectors
from bangfu.registry.filters import ID_NUMBER_RE, PHONE_RE, PersonFilter, division_name
from bangfu.registry.models import Person
from bangfu.registry.pii_services import PiiSearchLimitReached, person_pii_search

router = Router(tags=["registry"])

CategoryValue = Literal[tuple(c.Category.values)]  # type: ignore[valid-type]
LabourAbilityValue = Literal[tuple(c.LabourAbility.values)]  # type: ignore[valid-type]
DivisionLevelValue = Literal[tuple(c.DivisionLevel.values)]  # type: ignore[valid-type]
MAX_DB_INT = 2**63 - 1
SEARCH_MAX_RESULTS = 50
ERR_PII_IN_QUERY = "证件号码和手机号码不能放在网址中，请用 POST /api/v1/registry/persons/search 查询"
ERR_SEARCH_ONE_VALUE = "请提供 id_number 或 phone 其中之一"


class PersonFilterIn(Schema):
    district: str | None = Field(None, pattern=r"^50\d{4}$", description="区县代码（6 位）")
    township: str | None = Field(None, pattern=r"^50\d{7}$", description="乡镇（街道）代码（9 位）")
    category: CategoryValue | None = Field(None, description="人口类型")
    labour_ability: LabourAbilityValue | None = Field(None, description="劳动技能")
    worker: bool | None = Field(None, description="是否劳动力（16–65 岁且有劳动能力）")
    q: str | None = Field(None, max_length=60, description="姓名片段或户编号（证件号码、手机号请用 POST /persons/search）")

    @field_validator("q")
    @classmethod
    def no_full_number_in_the_url(cls, value: str | None) -> str | None:
        stripped = (value or "").strip()
        if ID_NUMBER_RE.match(stripped) or PHONE_RE.match(stripped):
            raise ValueError(ERR_PII_IN_QUERY)
        return value

    @field_validator("township")
    @classmethod
    def township_in_district(cls, value: str | None, info: ValidationInfo) -> str | None:
        district = info.data.get("district")
        if value and district and not value.startswith(district):
            raise ValueError("乡镇不属于所选区县")
        return value

    def to_filter(self) -> PersonFilter:
        return PersonFilter(
            district=self.district or "", township=self.township or "",
            category=self.category or "", labour_ability=self.labour_ability or "",
            worker=self.worker, q=(self.q or "").strip(),
        )


class PersonSearchIn(Schema):
    """A full ID number or mobile number, in the request body so that no URL holds it."""

    id_number: str | None = Field(None, pattern=r"^\d{17}[\dXx]$", description="完整的居民身份证号码（18 位）")
    phone: str | None = Field(None, pattern=r"^1\d{10}$", description="完整的手机号码（11 位）")

    @model_validator(mode="after")
    def exactly_one(self) -> "PersonSearchIn":
        if (self.id_number is None) == (self.phone is None):
            raise ValueError(ERR_SEARCH_ONE_VALUE)
        return self


class PersonOut(Schema):
    """A person as other systems see it: ID number and phone masked, never in full; the age,
    never the birth date (with the sex and the district it would leave 500 ID numbers)."""

    id: int
    name: str
    sex: str
    age: int
    id_number_masked: str
    phone_masked: str
    household_number: str
    relation: str
    district_code: str
    district_name: str
    township_code: str
    township_name: str
    village: str
    category: str
    labour_ability: str
    is_worker: bool
    education: str
    health: str
    in_school: bool
    skills: list[str]
    certificates: list[str]
    accepted_places: list[str]
    expected_wage_fen: int | None = Field(None, description="期望月薪，单位分")

    # Resolvers read the model; only the masked properties of ID number and phone are used.
    @staticmethod
    def resolve_age(obj: Person) -> int:
        return obj.display_age(timezone.localdate())

    @staticmethod
    def resolve_is_worker(obj: Person) -> bool:
        return obj.is_worker_on(timezone.localdate())

    @staticmethod
    def resolve_household_number(obj: Person) -> str:
        return obj.household.number

    @staticmethod
    def resolve_district_name(obj: Person) -> str:
        return division_name(obj.district_code)

    @staticmethod
    def resolve_township_name(obj: Person) -> str:
        return division_name(obj.township_code)

    @staticmethod
    def resolve_skills(obj: Person) -> list[str]:
        return obj.skill_list

    @staticmethod
    def resolve_certificates(obj: Person) -> list[str]:
        return obj.certificate_list

    @staticmethod
    def resolve_accepted_places(obj: Person) -> list[str]:
        return obj.accepted_place_list


class DivisionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str
    region_group: str


@router.get("/persons", response=list[PersonOut], summary="人员列表（脱敏）")
@paginate(ApiPagination)
def person_list(request: HttpRequest, filters: Query[PersonFilterIn]):
    qs = selectors.person_list(user=request.auth, filters=filters.to_filter())
    return qs


# Before /persons/{person_id}: that path would take "search" for an id.
@router.post("/persons/search", response={200: list[PersonOut], 429: ErrorOut},
             summary="按完整证件号码或手机号查询人员（记入操作日志，每日限次）")
def person_search(request: HttpRequest, body: PersonSearchIn):
    filters = PersonFilter(q=body.id_number or body.phone or "")
    try:
        hashed = person_pii_search(actor=request.auth, filters=filters,
                                   ip_address=request.META.get("REMOTE_ADDR"))
    except PiiSearchLimitReached as exc:
        return Status(429, {"detail": str(exc)})
    return Status(200, list(selectors.person_list(user=request.auth, filters=hashed)[:SEARCH_MAX_RESULTS]))


@router.get("/persons/{person_id}", response=PersonOut, summary="人员详情（脱敏）")
def person_detail(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_DB_INT)):
    person = selectors.person_get(user=request.auth, person_id=person_id)  # outside the area: 404
    return person


@router.get("/divisions", response=list[DivisionOut], summary="行政区划（区县、乡镇街道）")
def division_list(
    request: HttpRequest,
    parent: str | None = Query(None, pattern=r"^50(\d{4})?$", description="上级代码：50 为全市"),
    level: DivisionLevelValue | None = Query(None, description="级别"),
):
    return list(selectors.division_list(parent_code=parent, level=level))

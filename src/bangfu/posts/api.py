"""Public-welfare posts API at /api/v1/posts/: posts, placements, a person's eligibility, the
month's pay run. Every read is restricted to the user's area; refusals are 422 in Chinese."""


import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from bangfu.core.pagination import ApiPagination
from bangfu.posts import selectors, services
from bangfu.posts.permissions import require_posts_reader

router = Router(tags=["posts"])
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
ID = Path(..., ge=1, le=2**63 - 1)


class PostOut(Schema):
    id: int
    name: str
    post_type: str
    work_time: str
    hours_per_month: int | None
    headcount: int
    district_code: str
    township_code: str
    village: str
    employer_id: int | None
    funding_source: str
    funding_year: int
    status: str


class PostFilterIn(Schema):
    status: str | None = Field(None, max_length=20)
    q: str | None = Field(None, max_length=60, description="岗位名称或村名片段")


class PlacementOut(Schema):
    id: int
    post_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    status: str
    notice_start: dt.date
    notice_end: dt.date
    contract_start: dt.date | None
    planned_end: dt.date | None
    priority_rank: int | None
    override_reason: str
    exit_date: dt.date | None
    exit_reason: str


class RuleOut(Schema):
    code: str
    label: str
    passed: bool
    value: str


class EligibilityOut(Schema):
    person_id: int
    eligible: bool
    rules: list[RuleOut]
    priority_reasons: list[str]


class PayRunIn(Schema):
    month: str = Field(..., pattern=MONTH)


class PayRunOut(Schema):
    month: str
    claims_created: int
    already_claimed: int
    failed_rating: int
    too_few_days: int
    not_approved: int
    employment_created: int
    employment_updated: int
    total_fen: int


@router.get("/posts", response=list[PostOut], summary="公益性岗位列表")
@paginate(ApiPagination)
def post_list(request: HttpRequest, filters: Query[PostFilterIn]):
    require_posts_reader(request.user)
    return selectors.post_list(user=request.user, status=filters.status or "", q=filters.q or "")


@router.get("/posts/{post_id}", response=PostOut, summary="一个公益性岗位")
def post_detail(request: HttpRequest, post_id: int = ID):
    require_posts_reader(request.user)
    return selectors.post_get(user=request.user, pk=post_id)


@router.get("/placements", response=list[PlacementOut], summary="岗位安置人员")
@paginate(ApiPagination)
def placement_list(request: HttpRequest, status: str = Query("", max_length=20)):
    require_posts_reader(request.user)
    return selectors.placement_list(user=request.user, status=status)


@router.get("/placements/{placement_id}", response=PlacementOut, summary="一条岗位安置")
def placement_detail(request: HttpRequest, placement_id: int = ID):
    require_posts_reader(request.user)
    return selectors.placement_get(user=request.user, pk=placement_id)


@router.get("/eligibility/{person_id}", response=EligibilityOut, summary="人员安置资格及理由")
def person_eligibility(request: HttpRequest, person_id: int = ID):
    require_posts_reader(request.user)
    result = selectors.person_eligibility(user=request.user, person_id=person_id, on=timezone.localdate())
    return {"person_id": result.person_id, "eligible": result.eligible,
            "rules": [vars(rule) for rule in result.rules], "priority_reasons": result.priority_reasons}


@router.post("/pay-runs", response=PayRunOut, summary="按月生成岗位补贴（已审核考勤）")
def pay_run(request: HttpRequest, payload: PayRunIn):
    require_posts_reader(request.user)
    return vars(services.post_pay_run(actor=request.user, month=payload.month))

"""渝职聘 API at /api/v1/jobs/: postings (so another system can post jobs), recommendations
and pushes, and outcomes (referrals, hires, services, figures).

Money is integer fen (``wage_min_fen``); a refused write is a 422 with Chinese messages per
field. Anything about a person is restricted to the caller's area (404 outside it).
"""


import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from bangfu import codes
from bangfu.core.actors import require
from bangfu.core.api_schemas import ErrorOut
from bangfu.core.capabilities import Capability
from bangfu.core.months import API_MONTH_PATTERN
from bangfu.core.pagination import ApiPagination, Mapped
from bangfu.employers.services import EmployerError, employer_get_or_create
from bangfu.jobs import choices as c
from bangfu.jobs import figures, selectors
from bangfu.jobs.matching import recommendations_for
from bangfu.jobs.models import Application, JobPosting, Push
from bangfu.jobs.services import (
    JobsError, application_hire, application_refer, application_set_status, posting_close, posting_create,
    posting_update, service_record_create,
)

router = Router(tags=["jobs"])
MAX_ID = 2**63 - 1  # larger ids cannot be in the database: a 422, not a 500
MAX_FEN = 10**10
Id = Field(..., ge=1, le=MAX_ID)

SourceValue = Literal[tuple(c.PostingSource.values)]  # type: ignore[valid-type]
AbilityValue = Literal[tuple(c.MinAbility.values)]  # type: ignore[valid-type]
ServiceValue = Literal[tuple(c.ServiceKind.values)]  # type: ignore[valid-type]
ApplicationStatusValue = Literal[tuple(c.ApplicationStatus.values)]  # type: ignore[valid-type]
ZoneValue = Literal[codes.REGION_GROUP.values]  # type: ignore[valid-type]
CooperationValue = Literal[codes.COOPERATION_REGION.values]  # type: ignore[valid-type]
StateValue = Literal["open", "all", "expired", "mine"]
ERR_EMPLOYER = "用工单位信息有误"


# ---- postings -----------------------------------------------------------------------------
class PostingOut(Schema):
    id: int
    title: str
    employer_id: int
    employer_name: str
    employer_uscc: str
    external_id: str
    occupation_code: str
    work_place_code: str
    abroad: bool
    place_name: str
    work_district_code: str
    work_region_group: str
    cooperation_region: str
    headcount: int
    filled_count: int
    wage_min_fen: int
    wage_max_fen: int
    age_min: int
    age_max: int
    required_certificates: list[str]
    min_labour_ability: str
    accommodation: bool
    transport: bool
    valid_from: dt.date
    valid_until: dt.date
    source: str
    state: str

    @staticmethod
    def from_posting(p: JobPosting) -> "PostingOut":
        return PostingOut(
            id=p.pk, title=p.title, employer_id=p.employer_id, employer_name=p.employer.name,
            employer_uscc=p.employer.uscc, external_id=p.external_id, occupation_code=p.occupation_code,
            work_place_code=p.work_place_code, abroad=p.abroad, place_name=p.place_name,
            work_district_code=p.work_district_code, work_region_group=p.work_region_group,
            cooperation_region=p.cooperation_region, headcount=p.headcount, filled_count=p.filled_count,
            wage_min_fen=p.wage_min_fen, wage_max_fen=p.wage_max_fen, age_min=p.age_min, age_max=p.age_max,
            required_certificates=p.certificate_list, min_labour_ability=p.min_labour_ability,
            accommodation=p.accommodation, transport=p.transport, valid_from=p.valid_from,
            valid_until=p.valid_until, source=p.source, state=p.state())


class PostingFilterIn(Schema):
    state: StateValue = Field("open", description="open 招聘中 / all 全部 / expired 已过期 / mine 本区域发布")
    source: SourceValue | None = None
    region_group: ZoneValue | None = None
    cooperation_region: CooperationValue | None = None
    q: str | None = Field(None, max_length=60)


class PostingIn(Schema):
    employer_uscc: str = Field(..., max_length=30, description="统一社会信用代码；新单位首次出现时自动登记")
    employer_name: str = Field(..., max_length=200)
    employer_place_code: str = Field("", max_length=12)
    external_id: str = Field("", max_length=64, description="来源系统的岗位编号（幂等：同单位同编号只登记一次）")
    title: str = Field(..., max_length=100)
    occupation_code: str = Field(..., max_length=12)
    work_place_code: str = Field("", max_length=12)
    abroad: bool = False
    headcount: int = Field(..., ge=-1, le=100_000)
    wage_min_fen: int = Field(..., ge=-1, le=MAX_FEN)
    wage_max_fen: int = Field(..., ge=-1, le=MAX_FEN)
    age_min: int = Field(16, ge=0, le=150)
    age_max: int = Field(65, ge=0, le=150)
    required_certificates: list[str] = Field([], max_length=20)
    min_labour_ability: AbilityValue = "ordinary"
    accommodation: bool = False
    transport: bool = False
    valid_from: dt.date | None = None
    valid_until: dt.date
    source: SourceValue = "local"
    description: str = Field("", max_length=2000)


class PostingPatch(Schema):
    title: str | None = Field(None, max_length=100)
    headcount: int | None = Field(None, ge=-1, le=100_000)
    filled_count: int | None = Field(None, ge=0, le=100_000)
    wage_min_fen: int | None = Field(None, ge=-1, le=MAX_FEN)
    wage_max_fen: int | None = Field(None, ge=-1, le=MAX_FEN)
    age_min: int | None = Field(None, ge=0, le=150)
    age_max: int | None = Field(None, ge=0, le=150)
    required_certificates: list[str] | None = None
    min_labour_ability: AbilityValue | None = None
    accommodation: bool | None = None
    transport: bool | None = None
    valid_until: dt.date | None = None
    description: str | None = Field(None, max_length=2000)


@router.get("/postings", response=list[PostingOut], summary="岗位列表")
@paginate(ApiPagination)
def posting_list(request: HttpRequest, filters: Query[PostingFilterIn]):
    postings = selectors.posting_list(user=request.user, data=filters.dict(), strict=True)
    return Mapped(postings, PostingOut.from_posting)


@router.get("/postings/{posting_id}", response=PostingOut, summary="岗位详情")
def posting_detail(request: HttpRequest, posting_id: int = Path(..., ge=1, le=MAX_ID)):
    return PostingOut.from_posting(selectors.posting_get(user=request.user, posting_id=posting_id))


@router.post("/postings", response={201: PostingOut, 200: PostingOut, 422: ErrorOut}, summary="发布岗位")
def posting_post(request: HttpRequest, body: PostingIn):
    """Create a posting; the same employer and ``external_id`` again returns the existing one (200)."""
    require(request.user, Capability.MANAGE_JOBS)
    try:
        employer, _ = employer_get_or_create(actor=request.user, uscc=body.employer_uscc, name=body.employer_name,
                                             place_code=body.employer_place_code)
    except ValidationError as exc:  # the code itself: name the API's field
        raise JobsError(ERR_EMPLOYER, {"employer_uscc": exc.messages[0]}) from exc
    except EmployerError as exc:  # the register's fields, named as the API's
        raise JobsError(exc.message, {f"employer_{name}": text for name, text in exc.fields.items()}) from exc
    if body.external_id:
        existing = JobPosting.objects.filter(employer=employer, external_id=body.external_id).first()
        if existing is not None:
            return Status(200, PostingOut.from_posting(existing))
    values = body.dict(exclude={"employer_uscc", "employer_name", "employer_place_code"})
    posting = posting_create(actor=request.user, employer=employer, **values)
    return Status(201, PostingOut.from_posting(posting))


@router.patch("/postings/{posting_id}", response={200: PostingOut, 422: ErrorOut}, summary="修改岗位")
def posting_patch(request: HttpRequest, body: PostingPatch, posting_id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.user, Capability.MANAGE_JOBS)
    posting = selectors.posting_get_for_edit(user=request.user, posting_id=posting_id)
    posting = posting_update(actor=request.user, posting=posting, **body.dict(exclude_none=True))
    return Status(200, PostingOut.from_posting(JobPosting.objects.select_related("employer").get(pk=posting.pk)))


@router.post("/postings/{posting_id}/close", response=PostingOut, summary="关闭岗位")
def posting_close_api(request: HttpRequest, posting_id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.user, Capability.MANAGE_JOBS)
    posting = selectors.posting_get_for_edit(user=request.user, posting_id=posting_id)
    return PostingOut.from_posting(posting_close(actor=request.user, posting=posting))


# ---- recommendations and pushes -----------------------------------------------------------
class RecommendationOut(Schema):
    posting_id: int
    title: str
    employer_name: str
    place_name: str
    wage_min_fen: int
    wage_max_fen: int
    score: float
    reasons: list[str]


@router.get("/persons/{person_id}/recommendations", response=list[RecommendationOut], summary="人员的推荐岗位")
def person_recommendations(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID),
                           k: int = Query(10, ge=1, le=50)):
    person = selectors.person_for_jobs(user=request.user, person_id=person_id)
    out = []
    for r in recommendations_for(person, k=k):
        p = r["posting"]
        out.append(RecommendationOut(posting_id=p.pk, title=p.title, employer_name=p.employer.name,
                                     place_name=p.place_name, wage_min_fen=p.wage_min_fen,
                                     wage_max_fen=p.wage_max_fen, score=r["score"],
                                     reasons=[x["text"] for x in r["reasons"]]))
    return out


class PushOut(Schema):
    id: int
    person_id: int
    posting_id: int
    score: float
    reasons: list[str]
    week: str
    pushed_at: dt.datetime

    @staticmethod
    def of(p: Push) -> "PushOut":
        return PushOut(id=p.pk, person_id=p.person_id, posting_id=p.posting_id, score=p.score,
                       reasons=[r.get("text", "") for r in p.reasons], week=p.week, pushed_at=p.created_at)


@router.get("/pushes", response=list[PushOut], summary="推送记录")
@paginate(ApiPagination)
def push_list(request: HttpRequest, person: int | None = Query(None, ge=1, le=MAX_ID),
              posting: int | None = Query(None, ge=1, le=MAX_ID)):
    pushes = selectors.push_list(user=request.user, data={"person": person, "posting": posting}, strict=True)
    return Mapped(pushes, PushOut.of)


# ---- outcomes -----------------------------------------------------------------------------
class ApplicationOut(Schema):
    id: int
    person_id: int
    posting_id: int
    status: str
    referred_on: dt.date
    hired_on: dt.date | None
    wage_fen: int | None
    from_push: bool

    @staticmethod
    def of(a: Application) -> "ApplicationOut":
        return ApplicationOut(id=a.pk, person_id=a.person_id, posting_id=a.posting_id, status=a.status,
                              referred_on=a.referred_on, hired_on=a.hired_on, wage_fen=a.wage_fen,
                              from_push=a.push_id is not None)


class ReferIn(Schema):
    person_id: int = Id
    posting_id: int = Id
    note: str = Field("", max_length=500)


class HireIn(Schema):
    hired_on: dt.date | None = None
    wage_fen: int | None = Field(None, ge=1, le=MAX_FEN)


class ApplicationStatusIn(Schema):
    status: Literal["interview", "rejected", "withdrawn"]
    note: str = Field("", max_length=500)


class ServiceIn(Schema):
    person_id: int = Id
    kind: ServiceValue
    served_on: dt.date | None = None
    posting_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=500)


class ServiceOut(Schema):
    id: int
    person_id: int
    kind: str
    served_on: dt.date


@router.get("/applications", response=list[ApplicationOut], summary="推荐与录用")
@paginate(ApiPagination)
def application_list(request: HttpRequest, status: ApplicationStatusValue | None = None):
    applications = selectors.application_list(user=request.user, data={"status": status}, strict=True)
    return Mapped(applications, ApplicationOut.of)


@router.post("/applications", response={201: ApplicationOut, 422: ErrorOut}, summary="记录推荐（转介）")
def application_post(request: HttpRequest, body: ReferIn):
    require(request.user, Capability.RECORD_SERVICES)
    person = selectors.person_for_jobs(user=request.user, person_id=body.person_id)
    posting = selectors.posting_get(user=request.user, posting_id=body.posting_id)
    return Status(201, ApplicationOut.of(application_refer(actor=request.user, person=person, posting=posting,
                                                            note=body.note)))


@router.post("/applications/{application_id}/hire", response={200: ApplicationOut, 422: ErrorOut},
             summary="记录录用（更新岗位已招人数和务工记录）")
def application_hire_api(request: HttpRequest, body: HireIn, application_id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.user, Capability.RECORD_SERVICES)
    application = selectors.application_get(user=request.user, application_id=application_id)
    return Status(200, ApplicationOut.of(application_hire(actor=request.user, application=application,
                                                           hired_on=body.hired_on, wage_fen=body.wage_fen)))


@router.post("/applications/{application_id}/status", response={200: ApplicationOut, 422: ErrorOut},
             summary="更新推荐结果")
def application_status_api(request: HttpRequest, body: ApplicationStatusIn,
                           application_id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.user, Capability.RECORD_SERVICES)
    application = selectors.application_get(user=request.user, application_id=application_id)
    return Status(200, ApplicationOut.of(application_set_status(actor=request.user, application=application,
                                                                 status=body.status, note=body.note)))


@router.post("/services", response={201: ServiceOut, 422: ErrorOut}, summary="记录就业服务")
def service_post(request: HttpRequest, body: ServiceIn):
    require(request.user, Capability.RECORD_SERVICES)
    person = selectors.person_for_jobs(user=request.user, person_id=body.person_id)
    posting = (get_object_or_404(JobPosting, pk=body.posting_id) if body.posting_id else None)
    record = service_record_create(actor=request.user, person=person, kind=body.kind, posting=posting,
                                   served_on=body.served_on, note=body.note)
    return Status(201, ServiceOut(id=record.pk, person_id=record.person_id, kind=record.kind,
                                  served_on=record.served_on))


class FigureOut(Schema):
    district_code: str
    district: str
    month: str
    pushes: int
    people_pushed: int
    people_served: int
    services: int
    hires_from_pushes: int
    hires: int
    push_to_hire: float | None


@router.get("/outcomes", response=list[FigureOut], summary="推送、服务和录用（按区县和月份）")
def outcomes(request: HttpRequest, month: str | None = Query(None, pattern=API_MONTH_PATTERN),
             district: str | None = Query(None, pattern=r"^50\d{4}$")):
    return figures.service_figures(user=request.user, months=[month] if month else None,
                                   district=district or "")


@router.get("/outcomes/cross-zone", summary="主城都市区岗位向两群人员推送和录用")
def outcomes_cross_zone(request: HttpRequest):
    return figures.cross_zone(user=request.user, on=timezone.localdate())


@router.get("/outcomes/cooperation", summary="劳务协作地区岗位、推送、录用和劳务输出")
def outcomes_cooperation(request: HttpRequest):
    return figures.cooperation(user=request.user, on=timezone.localdate())

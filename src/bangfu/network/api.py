"""Service network API at /api/v1/network/: a helper's "my people" with statuses and the jobs that
fit (phones masked), the call (full phone for the assigned helper only, audited), a service,
referral or hire; and the market directory, workshops and helpers of the user's area."""

import datetime as dt
from typing import Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from bangfu import codes
from bangfu.core.actors import require
from bangfu.core.edge import client_ip
from bangfu.core.pagination import ApiPagination, Mapped
from bangfu.core.pii import mask_phone
from bangfu.network import caseload as cl
from bangfu.network import selectors
from bangfu.network.errors import ERR_NO_HELPER
from bangfu.network.permissions import CAPABILITY_SERVE
from bangfu.network.services import NetworkError, network_service_record, person_call

router = Router(tags=["network"])
ID = Path(..., ge=1, le=2**63 - 1)
StatusValue = Literal[codes.CASELOAD_FILTER.values]  # type: ignore[valid-type]
KindValue = Literal[codes.SERVICE_KIND.values]  # type: ignore[valid-type]
WorkshopStatusValue = Literal[codes.WORKSHOP_STATUS.values]  # type: ignore[valid-type]


class JobFitOut(Schema):
    posting_id: int
    title: str
    employer: str
    score: float
    reasons: list[str]


class CaseloadPersonOut(Schema):
    id: int
    name: str
    phone: str = Field(..., description="masked")
    township_code: str
    village: str
    statuses: list[str]
    jobs: list[JobFitOut]


class MyPeopleIn(Schema):
    status: StatusValue | None = None
    helper: int | None = Field(None, ge=1, le=2**63 - 1, description="an officer reads a helper's caseload")


class CallOut(Schema):
    person_id: int
    phone: str
    service_id: int


class CaseloadServiceIn(Schema):
    kind: KindValue
    note: str = Field("", max_length=500)


class CaseloadServiceOut(Schema):
    id: int
    person_id: int
    kind: str
    served_on: dt.date
    month: str


class JobActionIn(Schema):
    posting_id: int = Field(..., ge=1, le=2**63 - 1)


class JobActionOut(Schema):
    application_id: int
    status: str


class MarketOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    scope: str
    operation: str
    operator_name: str
    district_code: str
    township_code: str
    listed: bool


class WorkshopOut(Schema):
    id: int
    code: str
    name: str
    workshop_type: str
    status: str
    district_code: str
    township_code: str
    recognised_on: dt.date | None


class HelperOut(Schema):
    id: int
    name: str
    role: str
    status: str
    district_code: str
    covered_area_code: str
    registered_on: dt.date | None
    caseload_size: int




class CaseloadPage(Mapped):
    """The caseload seen page by page: the page's people are read, then their jobs come from
    one batched run of the matching engine (not one run per person)."""

    def __init__(self, queryset) -> None:
        super().__init__(queryset, convert=None)

    def __getitem__(self, item):
        people = list(self.queryset[item]) if isinstance(item, slice) else [self.queryset[item]]
        fits = cl.jobs_that_fit_many(people)
        rows = [{"id": p.pk, "name": p.name, "phone": mask_phone(p.phone), "township_code": p.township_code,
                 "village": p.village, "statuses": cl.status_labels(p),
                 "jobs": [{"posting_id": j["posting"].pk, "title": j["posting"].title,
                           "employer": j["posting"].employer.name, "score": j["score"], "reasons": j["reasons"]}
                          for j in fits[p.pk]]} for p in people]
        return rows if isinstance(item, slice) else rows[0]


@router.get("/my-people", response=list[CaseloadPersonOut])
@paginate(ApiPagination)
def my_people(request: HttpRequest, filters: Query[MyPeopleIn]):
    require(request.user, CAPABILITY_SERVE)
    helper = selectors.acting_helper(user=request.user, helper_id=filters.helper)
    if helper is None:
        raise NetworkError(_(ERR_NO_HELPER))
    return CaseloadPage(cl.my_people(user=request.user, helper=helper, status=filters.status))


@router.post("/my-people/{person_id}/call", response=CallOut)
def call(request: HttpRequest, person_id: int = ID):
    person = selectors.person_get(user=request.user, person_id=person_id)
    result = person_call(actor=request.user, person=person, ip_address=client_ip(request))
    return {"person_id": person.pk, "phone": result.phone, "service_id": result.record.pk}


@router.post("/my-people/{person_id}/services", response={201: CaseloadServiceOut})
def service(request: HttpRequest, payload: CaseloadServiceIn, person_id: int = ID):
    require(request.user, CAPABILITY_SERVE)
    person = selectors.person_get(user=request.user, person_id=person_id)
    record = network_service_record(actor=request.user, person=person, kind=payload.kind, note=payload.note)
    return Status(201, record)


def _job(request, person_id: int, posting_id: int, *, hire: bool):
    from bangfu.jobs import selectors as job_selectors
    from bangfu.jobs.services import application_hire, application_refer

    require(request.user, CAPABILITY_SERVE)
    person = selectors.person_get(user=request.user, person_id=person_id)
    posting = job_selectors.posting_get(user=request.user, posting_id=posting_id)
    with transaction.atomic():  # a hire that fails leaves no referral behind
        application = application_refer(actor=request.user, person=person, posting=posting)
        if hire:
            application = application_hire(actor=request.user, application=application)
    return {"application_id": application.pk, "status": application.status}


@router.post("/my-people/{person_id}/referrals", response=JobActionOut)
def refer(request: HttpRequest, payload: JobActionIn, person_id: int = ID):
    return _job(request, person_id, payload.posting_id, hire=False)


@router.post("/my-people/{person_id}/hires", response=JobActionOut)
def hire(request: HttpRequest, payload: JobActionIn, person_id: int = ID):
    return _job(request, person_id, payload.posting_id, hire=True)


@router.get("/markets", response=list[MarketOut])
@paginate(ApiPagination)
def markets(request: HttpRequest, listed: bool = False):
    return selectors.market_list(user=request.user, listed_only=listed)


@router.get("/workshops", response=list[WorkshopOut])
@paginate(ApiPagination)
def workshops(request: HttpRequest, status: WorkshopStatusValue | None = None):
    return selectors.workshop_list(user=request.user, status=status)


@router.get("/helpers", response=list[HelperOut])
@paginate(ApiPagination)
def helpers(request: HttpRequest):
    return selectors.helper_list(user=request.user)

"""Skills-training API at /api/v1/training/: courses and trainees, restricted to the user's area
(a record outside it is a 404); ID numbers never leave unmasked."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from bangfu.core.pagination import ApiPagination
from bangfu.training import selectors
from bangfu.training.permissions import require_training_reader

router = Router(tags=["training"])
ID = Path(..., ge=1, le=2**63 - 1)


class CourseOut(Schema):
    id: int
    name: str
    occupation_code: str
    level: str
    days: int
    provider_id: int
    provider_uscc: str = Field(..., alias="provider.uscc")
    start_date: dt.date
    end_date: dt.date
    place: str
    district_code: str
    brand: str
    shortage: bool


class EnrolmentOut(Schema):
    id: int
    course_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    id_number_masked: str = Field(..., alias="person.id_number_masked")
    district_code: str
    township_code: str
    status: str
    days_attended: int
    completed_on: dt.date | None


class CourseFilterIn(Schema):
    q: str | None = Field(None, max_length=60)
    year: int | None = Field(None, ge=2000, le=2100)
    level: str | None = Field(None, max_length=20)
    brand: str | None = Field(None, max_length=20)


@router.get("/courses", response=list[CourseOut], summary="培训项目列表")
@paginate(ApiPagination)
def course_list(request: HttpRequest, filters: Query[CourseFilterIn]):
    require_training_reader(request.user)
    return selectors.course_list(user=request.user, q=filters.q or "", year=filters.year,
                                 level=filters.level or "", brand=filters.brand or "")


@router.get("/courses/{course_id}", response=CourseOut, summary="一个培训项目")
def course_detail(request: HttpRequest, course_id: int = ID):
    require_training_reader(request.user)
    return selectors.course_get(user=request.user, pk=course_id)


@router.get("/enrolments", response=list[EnrolmentOut], summary="培训学员")
@paginate(ApiPagination)
def enrolment_list(request: HttpRequest, status: str = Query("", max_length=20)):
    require_training_reader(request.user)
    return selectors.enrolment_list(user=request.user, status=status)


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, summary="一名培训学员")
def enrolment_detail(request: HttpRequest, enrolment_id: int = ID):
    require_training_reader(request.user)
    return selectors.enrolment_get(user=request.user, pk=enrolment_id)

"""Employers API at /api/v1/employers/: the employer register shared by every programme.

Every officer may read it (name, code, place, credit rating); the contact phone is masked and
the corporate account is never given out (``has_bank_account`` says whether subsidies can be
paid to it).
"""

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from bangfu.core.pagination import ApiPagination
from bangfu.employers import selectors

router = Router(tags=["employers"])


class EmployerOut(Schema):
    id: int
    name: str
    uscc: str
    place_code: str
    district_code: str
    township_code: str
    cooperation_region: str
    credit_rating: str
    contact_name: str
    contact_phone: str = Field(..., description="脱敏")
    has_bank_account: bool
    owner_area_code: str

    @staticmethod
    def resolve_contact_phone(obj) -> str:
        return obj.contact_phone_masked

    @staticmethod
    def resolve_has_bank_account(obj) -> bool:
        return bool(obj.bank_account_hash)


class EmployerFilterIn(Schema):
    q: str | None = Field(None, max_length=60, description="单位名称片段或统一社会信用代码")


@router.get("/", response=list[EmployerOut], summary="用工单位名录")
@paginate(ApiPagination)
def employer_list(request: HttpRequest, filters: Query[EmployerFilterIn]):
    return selectors.employer_list(user=request.user, q=filters.q or "")


@router.get("/{employer_id}", response=EmployerOut, summary="一个用工单位")
def employer_detail(request: HttpRequest, employer_id: int = Path(..., ge=1, le=2**63 - 1)):
    return selectors.employer_get(user=request.user, employer_id=employer_id)

"""Schemas of the arrears API (request bodies, responses, query parameters)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from bangfu.arrears import choices as c
from bangfu.core.months import API_MONTH_PATTERN

StateValue = Literal[tuple(c.State.values)]  # type: ignore[valid-type]


class ComplaintIn(Schema):
    worker_name: str = Field(..., max_length=30, description="投诉人姓名")
    id_number: str = Field(..., max_length=18, description="居民身份证号码（校验位检查）")
    phone: str = Field(..., max_length=20, description="手机号码（11 位）")
    employer_name: str = Field(..., max_length=100, description="用人单位或包工头")
    employer_credit_code: str = Field("", max_length=18, description="统一社会信用代码（选填）")
    work_place_code: str = Field(..., max_length=6, description="务工地：省（2 位）、市（4 位）或重庆区县（6 位）代码")
    work_address: str = Field("", max_length=200)
    is_construction: bool = Field(False, description="是否工程建设领域")
    project_name: str = Field("", max_length=100)
    period_start: str = Field(..., description="欠薪起始月 YYYY-MM")
    period_end: str = Field(..., description="欠薪截止月 YYYY-MM")
    amount_owed_yuan: Decimal = Field(..., description="欠薪金额（元）")
    workers_affected: int = Field(1, ge=1, le=10_000, description="涉及工人数（含本人）")
    description: str = Field("", max_length=2000)

    def raw(self) -> dict:
        data = self.dict()
        data["amount_owed"] = str(data.pop("amount_owed_yuan"))
        return data


class OfficerComplaintIn(ComplaintIn):
    channel: Literal["phone", "walk_in", "api"] = Field("api", description="来源")


class ComplaintOut(Schema):
    number: str = Field(..., description="本次投诉的案件号（凭此号和手机号查询进度）")
    office_name: str
    office_phone: str
    accept_due: dt.date | None


class StatusIn(Schema):
    number: str = Field(..., max_length=20)
    phone: str = Field(..., max_length=20)


class EventOut(Schema):
    at: dt.datetime
    kind: str
    what: str
    note: str


class StatusOut(Schema):
    number: str
    state: str
    state_label: str
    office_name: str
    office_phone: str
    received_on: dt.date
    accept_due: dt.date | None
    finish_due: dt.date | None
    closed_on: dt.date | None
    amount_recovered_yuan: Decimal
    rejection_reason: str
    closing_note: str
    events: list[EventOut]


class CaseOut(Schema):
    number: str
    state: str
    state_label: str
    channel: str
    office_code: str
    office_name: str
    worker_name: str
    id_number_masked: str
    phone_masked: str
    from_registry: bool
    registry_category: str
    employer_name: str
    work_place_code: str
    work_place_label: str
    is_construction: bool
    period_start: str
    period_end: str
    amount_owed_yuan: Decimal
    workers_affected: int
    received_at: dt.datetime
    accept_due: dt.date | None
    finish_due: dt.date | None
    extended: bool
    closed_on: dt.date | None
    escalated: bool
    days_left: int | None = Field(None, description="当前期限剩余工作日（负数为超期）")
    overdue: bool
    amount_recovered_yuan: Decimal
    workers_paid: int
    duplicate_of: str | None


class CaseDetailOut(CaseOut):
    priority_reasons: list[str]
    events: list[EventOut]


class TransitionIn(Schema):
    to_state: StateValue
    note: str = Field("", max_length=2000)


class PaymentIn(Schema):
    amount_yuan: Decimal = Field(..., gt=0)
    workers: int = Field(..., ge=0, le=10_000)
    note: str = Field("", max_length=2000)
    mark_paid: bool = True


class NoteIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000)


class TransferIn(Schema):
    office_code: str = Field(..., max_length=20)
    reason: str = Field(..., min_length=1, max_length=2000)


class ExtendIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class OfficeOut(Schema):
    code: str
    name: str
    kind: str
    district_code: str
    covers: list[str]
    contact_person: str
    contact_phone: str
    address: str
    active: bool


class FigureRowOut(Schema):
    office_code: str
    office_name: str
    month: str
    leads: int
    registry: int
    registry_share: float | None
    finished: int
    on_time: int
    on_time_share: float | None
    avg_working_days_to_close: float | None
    recovered_yuan: Decimal
    workers_paid: int
    open_overdue: int


class FiguresQuery(Schema):
    month_from: str | None = Field(None, alias="from", pattern=API_MONTH_PATTERN)
    month_to: str | None = Field(None, alias="to", pattern=API_MONTH_PATTERN)


class CaseListQuery(Schema):
    """The parameters of the officers' page (``arrears.filters.CaseFilterSet`` checks them)."""

    state: str = Field("open", max_length=100, description="状态、open（未办结）、final 或 all")
    office: str | None = Field(None, max_length=20, description="机构编码（本人可见的机构）")
    registry: bool | None = Field(None, description="仅脱贫人口")
    overdue: bool | None = Field(None, description="仅超期")
    escalated: bool | None = Field(None, description="仅市级督办")
    month: str | None = Field(None, pattern=API_MONTH_PATTERN, description="登记月份 YYYY-MM")
    q: str | None = Field(None, max_length=100, description="案件号或用人单位")
    sort: Literal["priority", "received", "due", "amount"] = "priority"

    def as_data(self) -> dict[str, str]:
        """The parameters as the page's query string would give them (a flag is ``"1"``)."""
        data = {"state": self.state, "office": self.office, "month": self.month, "q": self.q, "sort": self.sort}
        data.update({flag: "1" for flag in ("registry", "overdue", "escalated") if getattr(self, flag)})
        return {key: value for key, value in data.items() if value is not None}

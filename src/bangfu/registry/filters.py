"""One person filter for the list page, its Excel export and the API (NetBox's FilterSet idea).

``PersonFilter`` is the plain value; ``PersonFilterForm`` reads it from a query string for the
pages, and the API's query schema (registry/api.py) builds the same value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, replace

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE
from bangfu.registry import choices as c
from bangfu.registry import reference
from bangfu.registry.models import WORKER_MAX_AGE, WORKER_MIN_AGE, _years_before

ID_NUMBER_RE = re.compile(r"^\d{17}[\dXx]$")
PHONE_RE = re.compile(r"^1\d{10}$")
LOOKUP_HASH_RE = re.compile(r"^[0-9a-f]{64}$")
WORKER_YES = "yes"
WORKER_NO = "no"


def worker_flag_filter(qs: QuerySet, *, worker: bool) -> QuerySet:
    """Workers (or non-workers) as ``Person.objects.workers()`` defines them, for an area query.

    Written as a CASE so that the database narrows by the area's index first and reads
    the rows in list order: the plain condition lures SQLite onto the city-wide
    (labour_ability, birth_date) index and then sorts every worker. On 200,000 persons a page
    of one district took 1.6 s that way and 20 ms this way; a city-wide page 1.8 s and 0.46 s.
    (Counting all workers of the city is the one case where the plain index wins.)
    """
    on = timezone.localdate()
    youngest_birth = _years_before(on, WORKER_MIN_AGE)
    oldest_birth = _years_before(on, WORKER_MAX_AGE + 1) + dt.timedelta(days=1)
    is_worker = Case(
        When(Q(labour_ability__in=c.WORKING_ABILITIES, birth_date__lte=youngest_birth,
               birth_date__gte=oldest_birth), then=Value(1)),
        default=Value(0), output_field=IntegerField(),
    )
    return qs.alias(_is_worker=is_worker).filter(_is_worker=1 if worker else 0)


@dataclass(frozen=True)
class PersonFilter:
    district: str = ""
    township: str = ""
    category: str = ""
    labour_ability: str = ""
    worker: bool | None = None
    # A name fragment or household number, or a full ID number / mobile number matched through
    # its lookup hash.
    q: str = ""
    # The lookup hash of an ID number or phone: what a URL carries instead of the value itself
    # (a query string ends up in access logs; see registry/views.py).
    q_hash: str = ""

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.district:
            qs = qs.filter(district_code=self.district)
        if self.township:
            qs = qs.filter(township_code=self.township)
        if self.category:
            qs = qs.filter(category=self.category)
        if self.labour_ability:
            qs = qs.filter(labour_ability=self.labour_ability)
        if self.worker is not None:
            qs = worker_flag_filter(qs, worker=self.worker)
        q = self.q.strip()
        if q:
            if ID_NUMBER_RE.match(q):
                qs = qs.filter(id_number_hash=pii_hash(q))
            elif PHONE_RE.match(q):
                qs = qs.filter(phone_hash=pii_hash(q))
            else:
                qs = qs.filter(Q(name__contains=q) | Q(household__number=q))
        if self.q_hash:
            qs = qs.filter(Q(id_number_hash=self.q_hash) | Q(phone_hash=self.q_hash))
        return qs

    def pii_kind(self) -> str:
        """``id_number`` or ``phone`` when ``q`` is a full one of those, else ``""``."""
        q = self.q.strip()
        return "id_number" if ID_NUMBER_RE.match(q) else "phone" if PHONE_RE.match(q) else ""

    def hashed(self) -> "PersonFilter":
        """The same filter with a full ID number or phone in ``q`` turned into its lookup hash."""
        if not self.pii_kind():
            return self
        return replace(self, q="", q_hash=pii_hash(self.q))

    def is_empty(self) -> bool:
        return self == PersonFilter()

    def audit_detail(self) -> dict:
        """The filter for an audit row: a searched ID or phone number is not written down."""
        detail = {k: v for k, v in asdict(self).items() if v not in ("", None)}
        if "q" in detail and self.pii_kind():
            detail["q"] = "***"
        if "q_hash" in detail:
            detail["q_hash"] = "***"
        return detail


def district_choices(area_code: str) -> list[tuple[str, str]]:
    """Districts a user of ``area_code`` may pick (their own only, unless city-wide)."""
    rows = reference.divisions().values()
    if area_code == CITY_CODE:
        return [(r["code"], r["name"]) for r in rows if r["parent_code"] == CITY_CODE]
    return [(r["code"], r["name"]) for r in rows if r["code"] == area_code[:6]]


def township_choices(area_code: str, district: str) -> list[tuple[str, str]]:
    """Townships of ``district`` within the user's area."""
    if not district:
        return []
    return [
        (r["code"], r["name"])
        for r in reference.divisions().values()
        if r["parent_code"] == district and (r["code"].startswith(area_code) or area_code == CITY_CODE)
    ]


def division_name(code: str) -> str:
    if code == CITY_CODE:
        return str(_("全市"))
    row = reference.divisions().get(code or "")
    return row["name"] if row else (code or "")


class PersonFilterForm(forms.Form):
    """The filters bar of the person list; invalid fields are ignored, not fatal."""

    district = forms.ChoiceField(label=_("区县"), required=False)
    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    category = forms.ChoiceField(label=_("人口类型"), required=False,
                                 choices=[("", _("全部"))] + list(c.Category.choices))
    labour_ability = forms.ChoiceField(label=_("劳动技能"), required=False,
                                       choices=[("", _("全部"))] + list(c.LabourAbility.choices))
    worker = forms.ChoiceField(label=_("是否劳动力"), required=False, choices=[
        ("", _("全部")), (WORKER_YES, _("劳动力")), (WORKER_NO, _("非劳动力"))])
    q = forms.CharField(label=_("姓名 / 证件号码 / 电话"), required=False, max_length=60)
    qh = forms.RegexField(regex=LOOKUP_HASH_RE, required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, area_code: str = CITY_CODE, **kwargs):
        super().__init__(data, **kwargs)
        self.area_code = area_code
        districts = district_choices(area_code)
        self.fields["district"].choices = [("", _("全部"))] + districts
        district = (data or {}).get("district", "") if data is not None else ""
        if len(area_code) >= 6:
            # A district or township officer has one district: preselect it.
            district = area_code[:6]
            self.fields["district"].initial = district
        self.fields["township"].choices = [("", _("全部"))] + township_choices(area_code, district)

    def filter(self) -> PersonFilter:
        """The valid part of the submitted filters."""
        if not self.is_bound:
            return PersonFilter()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        worker = data.get("worker", "")
        return PersonFilter(
            district=data.get("district", "") or "",
            township=data.get("township", "") or "",
            category=data.get("category", "") or "",
            labour_ability=data.get("labour_ability", "") or "",
            worker=True if worker == WORKER_YES else False if worker == WORKER_NO else None,
            q=(data.get("q", "") or "").strip(),
            q_hash=data.get("qh", "") or "",
        )

"""One person filter for the list page, its Excel export and the API (NetBox's FilterSet).

``PersonFilterSet`` (django-filter) does the filtering and gives the page its form. Two names
stay for the modules another change owns at the moment: ``PersonFilter``, the typed value the
API's query schema builds (registry/api.py) and the export takes (registry/pii_services.py),
filters through the FilterSet; ``PersonFilterForm(data, area_code=...)`` is the FilterSet's form.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

import django_filters
import django_filters.fields
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.codes import worker_birth_window
from bangfu.core import reference
from bangfu.core.filtering import FilterSet
from bangfu.core.identifiers import ID_NUMBER_RE, MOBILE_RE, looks_like_id_number, looks_like_mobile  # noqa: F401
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE, area_contains
from bangfu.registry import choices as c
from bangfu.registry.models import Person

# registry/api.py (changed elsewhere at the moment) imports the shapes of a full ID number and
# phone from here, by these names.
PHONE_RE = MOBILE_RE
# The lookup hash of an ID number or phone: what a URL carries instead of the value itself.
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
    oldest_birth, youngest_birth = worker_birth_window(on)
    is_worker = Case(
        When(Q(labour_ability__in=c.WORKING_ABILITIES, birth_date__lte=youngest_birth,
               birth_date__gte=oldest_birth), then=Value(1)),
        default=Value(0), output_field=IntegerField(),
    )
    return qs.alias(_is_worker=is_worker).filter(_is_worker=1 if worker else 0)


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


# The one code -> name lookup, under the name registry/api.py, registry/pii_services.py and
# the policies batch pages import it by (being changed elsewhere at the moment).
division_name = reference.area_name


class TownshipField(django_filters.fields.ChoiceField):
    """Offers the townships of the chosen district; accepts any township of the user's area (an
    API client or a bookmarked address may give the township without its district)."""

    def __init__(self, *args, area_code: str = CITY_CODE, **kwargs):
        super().__init__(*args, **kwargs)
        self.area_code = area_code

    def valid_value(self, value) -> bool:
        row = reference.divisions().get(str(value))
        return bool(row) and len(str(value)) == 9 and (self.area_code == CITY_CODE
                                                       or area_contains(self.area_code, str(value)))


class TownshipFilter(django_filters.ChoiceFilter):
    field_class = TownshipField


class PersonFilterBaseForm(forms.Form):
    """The filters bar of the person list; invalid fields are ignored, not fatal."""

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


class PersonFilterSet(FilterSet):
    """Persons by district, township, category, labour ability, worker status, and a name
    fragment or household number, or a full ID or mobile number matched through its lookup hash.

    ``area_code`` limits the districts and townships offered (and accepted) to the user's area.
    """

    district = django_filters.ChoiceFilter(label=_("区县"), field_name="district_code", empty_label=_("全部"))
    township = TownshipFilter(label=_("乡镇（街道）"), field_name="township_code", empty_label=_("全部"))
    category = django_filters.ChoiceFilter(label=_("人口类型"), choices=c.Category.choices, empty_label=_("全部"))
    labour_ability = django_filters.ChoiceFilter(label=_("劳动技能"), choices=c.LabourAbility.choices,
                                                 empty_label=_("全部"))
    worker = django_filters.ChoiceFilter(label=_("是否劳动力"), method="filter_worker", empty_label=_("全部"),
                                         choices=[(WORKER_YES, _("劳动力")), (WORKER_NO, _("非劳动力"))])
    q = django_filters.CharFilter(label=_("姓名 / 证件号码 / 电话"), method="filter_q", max_length=60)
    # A searched ID number or phone as its lookup hash (a query string ends up in access logs;
    # see registry/views.py).
    qh = django_filters.CharFilter(method="filter_qh", widget=forms.HiddenInput,
                                   validators=[RegexValidator(LOOKUP_HASH_RE)])

    class Meta:
        model = Person
        fields = ()
        form = PersonFilterBaseForm

    def __init__(self, data=None, queryset=None, *, user=None, area_code: str | None = None,
                 strict: bool = False, prefix=None):
        super().__init__(data, queryset, user=user, strict=strict, prefix=prefix)
        area = area_code or getattr(user, "area_code", None) or CITY_CODE
        district = (self.data or {}).get("district", "") or ""
        self.filters["district"].extra["choices"] = district_choices(area)
        if len(area) >= 6:  # a district or township officer has one district: preselect it
            district = area[:6]
            self.filters["district"].extra["initial"] = district
        self.filters["township"].extra.update(choices=township_choices(area, district), area_code=area)

    def filter_worker(self, qs, name, value):
        return worker_flag_filter(qs, worker=value == WORKER_YES)

    def filter_q(self, qs, name, value):
        q = value.strip()
        if looks_like_id_number(q):
            return qs.filter(id_number_hash=pii_hash(q))
        if looks_like_mobile(q):
            return qs.filter(phone_hash=pii_hash(q))
        return qs.filter(Q(name__contains=q) | Q(household__number=q))

    def filter_qh(self, qs, name, value):
        return qs.filter(Q(id_number_hash=value) | Q(phone_hash=value))


def PersonFilterForm(data=None, *, area_code: str = CITY_CODE):  # noqa: N802 - the form registry/views.py builds
    """The filters bar of the person list: the FilterSet's form for the user's area."""
    return PersonFilterSet(data, area_code=area_code).form


@dataclass(frozen=True)
class PersonFilter:
    """The person filters as a typed value; ``apply`` filters through ``PersonFilterSet``."""

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

    def as_data(self) -> dict[str, str]:
        data = {k: v for k, v in asdict(self).items() if v not in ("", None) and k != "q_hash"}
        if self.worker is not None:
            data["worker"] = WORKER_YES if self.worker else WORKER_NO
        if self.q_hash:
            data["qh"] = self.q_hash
        return data

    def apply(self, qs: QuerySet) -> QuerySet:
        return PersonFilterSet(self.as_data(), queryset=qs).qs

    def pii_kind(self) -> str:
        """``id_number`` or ``phone`` when ``q`` is a full one of those, else ``""``."""
        q = self.q.strip()
        return "id_number" if looks_like_id_number(q) else "phone" if looks_like_mobile(q) else ""

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

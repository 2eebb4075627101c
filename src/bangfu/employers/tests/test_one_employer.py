"""One employer per unified social credit code in the whole project (issue 10).

Scans every installed model for fields that hold a USCC (named ``uscc``/``*_uscc``/``*credit_code``
or labelled 统一社会信用代码). Exactly one model may be *keyed* by it: ``employers.Employer``.
Any other such field must be a code as somebody reported it, listed here with the reason it
is not a reference to the employer register, so that a second employer table (as
``policies.Enterprise`` beside ``jobs.Employer`` was) cannot come back unnoticed.
"""

from __future__ import annotations

from django.apps import apps

USCC_LABEL = "统一社会信用代码"
# A code as reported, kept as evidence; the record references the register separately (or
# describes employers mostly outside Chongqing that are never registered).
REPORTED_CODES = {
    # What the complainant typed; ``ArrearsCase.employer`` links the registered employer.
    ("arrears.arrearscase", "employer_credit_code"),
    # Where a worker worked, as the monthly employment import says (12 million rows a year, for
    # employers of every province); the KPI engine reads it in place.
    ("monitoring.employmentmonth", "employer_uscc"),
}


def uscc_fields() -> set[tuple[str, str, bool]]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            name = field.name
            if (name == "uscc" or name.endswith("_uscc") or name.endswith("credit_code")
                    or str(getattr(field, "verbose_name", "")) == USCC_LABEL):
                found.add((model._meta.label_lower, name, bool(field.unique)))
    return found


def test_exactly_one_model_of_the_project_is_keyed_by_a_unified_social_credit_code():
    keyed = {(label, name) for label, name, unique in uscc_fields() if unique}
    assert keyed == {("employers.employer", "uscc")}


def test_every_other_uscc_field_is_a_reported_code_with_its_reason():
    others = {(label, name) for label, name, unique in uscc_fields() if not unique}
    assert others == REPORTED_CODES


def test_every_model_pointing_at_an_employer_points_at_the_one_register():
    from bangfu.employers.models import Employer

    targets = {field.related_model for model in apps.get_models() for field in model._meta.concrete_fields
               if field.is_relation and "employ" in field.name}
    assert targets == {Employer}

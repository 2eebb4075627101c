"""``policies.Enterprise`` merges into ``employers.Employer``: one employer per code.

Each enterprise becomes the employer of the same unified social credit code (a new one when
渝职聘 never registered it); the employer gains what only the enterprise knew (district and
township when it had none, the corporate account and its hash) and keeps what it had (name,
contact, credit rating, managing area). Every reference follows: workshops, contributions and
entitlements point at the employer, and an enterprise entitlement's ``beneficiary_id`` (and
the samples of enterprise policy runs) take the employer's id. 0005 then drops the enterprise
columns and table (its own migration: PostgreSQL does not alter a table whose rows changed in
the same transaction).

Forward only: a merged employer cannot be told apart into its two former rows.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def merge_enterprises(apps, schema_editor):
    db = schema_editor.connection.alias
    Enterprise = apps.get_model("policies", "Enterprise")
    Employer = apps.get_model("employers", "Employer")
    Workshop = apps.get_model("policies", "Workshop")
    Contribution = apps.get_model("policies", "SocialInsuranceContribution")
    Entitlement = apps.get_model("policies", "Entitlement")
    PolicyRun = apps.get_model("policies", "PolicyRun")

    employer_of: dict[int, int] = {}
    for ent in Enterprise.objects.using(db).order_by("pk").iterator(chunk_size=2000):
        area = ent.township_code or ent.district_code
        emp = Employer.objects.using(db).filter(uscc=ent.uscc).first()
        if emp is None:
            emp = Employer.objects.using(db).create(
                name=ent.name, uscc=ent.uscc, place_code=area, district_code=ent.district_code,
                township_code=ent.township_code, bank_name=ent.bank_name, bank_account=ent.bank_account,
                bank_account_hash=ent.bank_account_hash, owner_area_code=area,
            )
            Employer.objects.using(db).filter(pk=emp.pk).update(created_at=ent.created_at, updated_at=ent.updated_at)
        else:
            changes = {}
            if not emp.district_code:
                changes["district_code"] = ent.district_code
            if not emp.township_code and (emp.district_code or ent.district_code) == ent.district_code:
                changes["township_code"] = ent.township_code
            if not emp.place_code:
                changes["place_code"] = area
            if ent.bank_account_hash and not emp.bank_account_hash:
                changes.update(bank_name=ent.bank_name, bank_account=ent.bank_account,
                               bank_account_hash=ent.bank_account_hash)
            for name, value in changes.items():
                setattr(emp, name, value)
            if changes:
                emp.save(using=db, update_fields=list(changes))
        employer_of[ent.pk] = emp.pk

    # Set-based: a correlated lookup per row (primary key, then the unique code), no per-enterprise
    # scans of the large tables.
    by_code = Employer.objects.filter(
        uscc=Subquery(Enterprise.objects.filter(pk=OuterRef(OuterRef("enterprise_id"))).values("uscc")[:1])
    ).values("pk")[:1]
    Workshop.objects.using(db).update(employer_id=Subquery(by_code))
    Contribution.objects.using(db).update(employer_id=Subquery(by_code))
    Entitlement.objects.using(db).filter(enterprise__isnull=False).update(employer_id=Subquery(by_code))
    # The beneficiary of an enterprise entitlement is now its employer. Through negative values:
    # the unique key (policy, period, kind, beneficiary) is checked row by row, and the new ids
    # may be a permutation of the old ones.
    enterprise_rows = Entitlement.objects.using(db).filter(beneficiary_kind="enterprise", employer__isnull=False)
    enterprise_rows.update(beneficiary_id=-F("employer_id"))
    Entitlement.objects.using(db).filter(beneficiary_kind="enterprise", beneficiary_id__lt=0).update(
        beneficiary_id=-F("beneficiary_id"))
    for run in PolicyRun.objects.using(db).filter(version__beneficiary_kind="enterprise").exclude(result={}):
        sample = (run.result or {}).get("sample") or []
        for row in sample:
            if row.get("id") in employer_of:
                row["id"] = employer_of[row["id"]]
        if sample:
            PolicyRun.objects.using(db).filter(pk=run.pk).update(result=run.result)


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0003_payment_reversal"),
        ("employers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="employer",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="workshops",
                                    to="employers.employer", verbose_name="经营主体"),
        ),
        migrations.AddField(
            model_name="socialinsurancecontribution",
            name="employer",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="contributions",
                                    to="employers.employer", verbose_name="缴费单位"),
        ),
        migrations.AddField(
            model_name="entitlement",
            name="employer",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="entitlements", to="employers.employer", verbose_name="企业"),
        ),
        migrations.RunPython(merge_enterprises, elidable=False),
    ]

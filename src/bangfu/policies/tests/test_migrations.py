"""The migrations of issue 10 keep every row and every reference, on SQLite and PostgreSQL.

A fresh database is migrated to the schema before the apps were split (policies 0002, jobs
0001, arrears 0003); rows go into every table that moves and into both employer tables, with
references between them and codes shared by the two (so that ids of enterprises and employers
are a permutation of each other); then it is migrated to the end. Every row must be there,
every reference must lead to the same thing as before, and each code must be one employer.
On the way the payment-reversal migration (policies 0003) is applied, unapplied and applied
again with the payments intact.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from stdnum.cn import uscc

from bangfu.core.pii import pii_hash
from bangfu.settings import database_from_url

ALIAS = "migration_test"
BEFORE = [("policies", "0002_entitlement_fewer_indexes"), ("jobs", "0001_initial"), ("arrears", "0003_evidence_encrypted")]
REVERSAL = [("policies", "0003_payment_reversal")]
FENGDU, TOWN = "500230", "500230101"


def code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


A, B, C = code("91500230MA5UAAAA"), code("91500230MA5UBBBB"), code("91500230MA5UCCCC")  # 17 + check digit


@contextmanager
def fresh_connection(url: str, django_db_blocker):
    """A connection (alias ``migration_test``) to the new, empty database at ``url``."""
    configured = connections.configure_settings({"default": connections.settings["default"],
                                                 ALIAS: database_from_url(url)})
    connections.settings[ALIAS] = configured[ALIAS]
    try:
        with django_db_blocker.unblock():
            yield connections[ALIAS]
            connections[ALIAS].close()
    finally:
        del connections.settings[ALIAS]
        if hasattr(connections._connections, ALIAS):
            delattr(connections._connections, ALIAS)


def migrate(connection, targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# The apps of the split and what they stand on (other apps' migrations are not theirs to test).
APPS = {"policies", "jobs", "employers", "payments", "outbox", "network", "insurance", "arrears", "registry",
        "accounts", "contenttypes"}


def leaves(connection):
    return [node for node in MigrationExecutor(connection).loader.graph.leaf_nodes() if node[0] in APPS]


def seed(apps) -> dict:
    """Rows of the schema before the split; returns what the assertions need to know."""
    def make(label, **values):
        return apps.get_model(*label.split(".")).objects.using(ALIAS).create(**values)

    now = timezone.now()
    household = make("registry.Household", number="H1", district_code=FENGDU, township_code=TOWN, category="alleviated")
    persons = [make("registry.Person", household=household, name=f"人员{i}", id_number=f"50023019850601001{i}",
                    id_number_hash=pii_hash(f"50023019850601001{i}"), sex="M", birth_date=dt.date(1985, 6, 1),
                    relation="head", phone=f"1380000000{i}", phone_hash=pii_hash(f"1380000000{i}"),
                    district_code=FENGDU, township_code=TOWN, category="alleviated", labour_ability="ordinary")
               for i in range(3)]
    # 渝职聘's employers: ids 1 (code A) and 2 (code B).
    jobs_a = make("jobs.Employer", name="甲公司（招聘登记）", uscc=A, place_code=FENGDU, district_code=FENGDU,
                  contact_name="王经理", contact_phone="13900000001", contact_phone_hash=pii_hash("13900000001"),
                  credit_rating="A", owner_area_code=FENGDU)
    jobs_b = make("jobs.Employer", name="乙公司", uscc=B, place_code="4403", cooperation_region="pearl_delta",
                  credit_rating="C", owner_area_code="50")
    posting = make("jobs.JobPosting", employer=jobs_a, title="砌筑工", occupation_code="6-29-01-01", headcount=3,
                   wage_min_fen=400000, wage_max_fen=500000, valid_from=dt.date(2024, 1, 1),
                   valid_until=dt.date(2030, 1, 1), owner_area_code=FENGDU)
    export = make("jobs.ExportBatch", name="赴粤批次", employer=jobs_b, departed_on=dt.date(2024, 3, 1),
                  destination_code="4403", owner_area_code=FENGDU)
    # The subsidies' enterprises: ids 1 (code B), 2 (code C, unknown to 渝职聘), 3 (code A).
    ent = {c: make("policies.Enterprise", name=name, uscc=c, district_code=FENGDU, township_code=TOWN,
                   bank_name="重庆农村商业银行", bank_account=account, bank_account_hash=pii_hash(account))
           for c, name, account in ((B, "乙公司（社保登记）", "500100000000000002"),
                                    (C, "丙公司", "500100000000000003"),
                                    (A, "甲公司（社保登记）", "500100000000000001"))}
    assert [e.pk for e in ent.values()] == [1, 2, 3]
    shops = [make("policies.Workshop", code=f"BFCJ{i}", name=f"车间{i}", enterprise=ent[c], district_code=FENGDU,
                  township_code=TOWN) for i, c in ((1, C), (2, A))]
    make("policies.WorkshopMember", workshop=shops[0], person=persons[0], start_month="2024-01")
    for person, c in zip(persons, (B, A, C)):
        make("policies.SocialInsuranceContribution", person=person, enterprise=ent[c], month="2024-03",
             insurance_type="pension", employer_fen=80000, worker_fen=32000)
    for i, person in enumerate(persons[:2]):
        make("policies.PayeeAccount", person=person, bank_name="中国邮政储蓄银行", account=f"621700000000000000{i}",
             account_hash=pii_hash(f"621700000000000000{i}"))
    # Three policies, one per beneficiary kind, each with a committed run and its entitlements.
    entitlements: dict[str, list] = {}
    for kind, code_, name in (("person", "transport_subsidy", "交通补贴"), ("enterprise", "employer_insurance_subsidy",
                                                                         "社保补贴"), ("workshop", "workshop_award", "车间奖补")):
        policy = make("policies.Policy", code=code_)
        version = make("policies.PolicyVersion", policy=policy, number=1, name=name, legal_basis="渝人社发〔2024〕1号",
                       beneficiary_kind=kind, condition="true", amount="100")
        apps.get_model("policies", "Policy").objects.using(ALIAS).filter(pk=policy.pk).update(current_version=version)
        targets = {"person": persons[:2], "enterprise": list(ent.values()), "workshop": shops}[kind]
        run = make("policies.PolicyRun", policy=policy, version=version, period="2024", area_code="50", mode="commit",
                   status="done", result={"sample": [{"id": t.pk, "amount_fen": 10000} for t in targets]})
        entitlements[kind] = [make(
            "policies.Entitlement", policy=policy, version=version, run=run, period="2024", beneficiary_kind=kind,
            beneficiary_id=t.pk, district_code=FENGDU, township_code=TOWN, amount_fen=10000 + t.pk,
            status="paying", **{"person" if kind == "person" else kind: t}) for t in targets]
    # One batch per policy; lines pending, paid and failed.
    lines = []
    for index, (kind, statuses) in enumerate( (("person", ("paid", "failed")), ("enterprise", ("pending", "paid", "failed")),
                           ("workshop", ("pending", "paid"))), start=1):
        batch = make("policies.PaymentBatch", number=f"ZF{kind}", policy=entitlements[kind][0].policy, period="2024",
                     area_code=FENGDU, status="exported", line_count=len(statuses), checksum="c" * 64)
        for n, (e, status) in enumerate(zip(entitlements[kind], statuses), start=1):
            lines.append(make("policies.Payment", batch=batch, line_no=n, entitlement=e, payee_name=f"收款人{kind}{n}",
                              bank_name="银行", account=f"6217{index}{n:014d}",
                              account_hash="h", amount_fen=e.amount_fen, status=status, bank_reference=f"R{n}",
                              settled_at=None if status == "pending" else now, district_code=FENGDU, township_code=TOWN))
    for i, person in enumerate(persons[:2]):
        make("policies.OutboxMessage", kind="policies.paid", person=person, phone=person.phone,
             phone_hash=person.phone_hash, area_code=TOWN, body=f"短信{i}", dedup_key=f"policies.paid:{i}")
    office = apps.get_model("arrears", "Office").objects.using(ALIAS).first()
    case = make("arrears.ArrearsCase", number="QX20240001", channel="public", worker_name="投诉人",
                id_number="500230198506010010", id_number_hash=pii_hash("500230198506010010"), phone="13800000000",
                phone_hash=pii_hash("13800000000"), employer_name="丙公司", employer_credit_code=C, employer_key=C,
                work_place_code="440300", work_place_label="深圳市", period_start="2024-01", period_end="2024-03",
                amount_owed_fen=500000, received_on=dt.date(2024, 4, 1), office=office, area_code="50")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in (("policies", "payment"), ("jobs", "employer"), ("policies", "outboxmessage")):
        ContentType.objects.using(ALIAS).get_or_create(app_label=app_label, model=model)
    return {"persons": [p.pk for p in persons], "jobs": {A: jobs_a.pk, B: jobs_b.pk}, "posting": posting.pk,
            "export": export.pk, "shops": {s.code: s.enterprise.uscc for s in shops}, "case": case.pk,
            "entitlements": {k: [(e.pk, e.beneficiary_id) for e in v] for k, v in entitlements.items()},
            "enterprise_codes": {e.pk: c for c, e in ent.items()},
            "lines": [(p.pk, p.entitlement_id, p.status, p.bank_reference, p.amount_fen, p.account) for p in lines]}


def test_the_split_keeps_every_row_and_reference_and_merges_the_employers_by_code_on_sqlite(
        tmp_path, django_db_blocker):
    with fresh_connection(f"sqlite:///{tmp_path / 'before.sqlite3'}", django_db_blocker) as connection:
        split_keeps_every_row(connection)


@pytest.mark.postgres
def test_the_split_keeps_every_row_and_reference_and_merges_the_employers_by_code_on_postgresql(
        pg_database, django_db_blocker):
    with fresh_connection(pg_database(), django_db_blocker) as connection:
        split_keeps_every_row(connection)


def split_keeps_every_row(connection):
    apps = migrate(connection, BEFORE)
    before = seed(apps)
    # The reversal migration both ways, payments intact.
    Payment = migrate(connection, REVERSAL).get_model("policies", "Payment")
    assert Payment.objects.using(ALIAS).count() == len(before["lines"])
    Payment = migrate(connection, [("policies", "0002_entitlement_fewer_indexes")]).get_model("policies", "Payment")
    assert Payment.objects.using(ALIAS).count() == len(before["lines"])
    apps = migrate(connection, REVERSAL)
    # The first line (paid, person batch) is reversed by the bank once the reversal exists.
    apps.get_model("policies", "Payment").objects.using(ALIAS).filter(pk=before["lines"][0][0]).update(
        status="reversed", reversal_reason="退汇：户名不符", reversed_at=timezone.now())

    apps = migrate(connection, leaves(connection))
    model = apps.get_model

    # One employer per code: A and B kept their ids (渝职聘's rows), C is new.
    employers = {e.uscc: e for e in model("employers", "Employer").objects.using(ALIAS).all()}
    assert set(employers) == {A, B, C}
    assert (employers[A].pk, employers[B].pk) == (before["jobs"][A], before["jobs"][B])
    a, b, c = employers[A], employers[B], employers[C]
    assert (a.name, a.credit_rating, a.contact_name, a.contact_phone) == ("甲公司（招聘登记）", "A", "王经理", "13900000001")
    assert (a.bank_account, a.bank_account_hash) == ("500100000000000001", pii_hash("500100000000000001"))
    assert (a.district_code, a.township_code) == (FENGDU, TOWN)
    assert (b.place_code, b.cooperation_region, b.district_code, b.bank_account) == (
        "4403", "pearl_delta", FENGDU, "500100000000000002")  # the out-of-town code kept, the district gained
    assert (c.name, c.owner_area_code, c.bank_account, c.credit_rating) == ("丙公司", TOWN, "500100000000000003", "B")

    # 渝职聘's references are the same rows.
    assert model("jobs", "JobPosting").objects.using(ALIAS).get(pk=before["posting"]).employer_id == a.pk
    assert model("jobs", "ExportBatch").objects.using(ALIAS).get(pk=before["export"]).employer_id == b.pk

    # Workshops, members, contributions and accounts moved, pointing at the employer of their code.
    shops = {s.code: s for s in model("network", "Workshop").objects.using(ALIAS).select_related("employer")}
    assert {code_: s.employer.uscc for code_, s in shops.items()} == before["shops"]
    assert model("network", "WorkshopMember").objects.using(ALIAS).get().workshop_id == shops["BFCJ1"].pk
    contributions = model("insurance", "SocialInsuranceContribution").objects.using(ALIAS).select_related("employer")
    assert sorted((x.person_id, x.employer.uscc) for x in contributions) == sorted(zip(before["persons"], (B, A, C)))
    assert sorted(model("payments", "PayeeAccount").objects.using(ALIAS).values_list("person_id", flat=True)) == \
        before["persons"][:2]
    assert model("payments", "PayeeAccount").objects.using(ALIAS).get(person_id=before["persons"][0]).account == \
        "6217000000000000000"  # still decrypts

    # Entitlements: every row, an enterprise's beneficiary is now its employer (ids permuted).
    Entitlement = model("policies", "Entitlement")
    for kind, rows in before["entitlements"].items():
        for pk, old_beneficiary in rows:
            e = Entitlement.objects.using(ALIAS).get(pk=pk)
            if kind == "enterprise":
                employer = employers[before["enterprise_codes"][old_beneficiary]]
                assert (e.beneficiary_id, e.employer_id) == (employer.pk, employer.pk)
            else:
                assert e.beneficiary_id == old_beneficiary and e.employer_id is None
    run = model("policies", "PolicyRun").objects.using(ALIAS).get(version__beneficiary_kind="enterprise")
    assert [s["id"] for s in run.result["sample"]] == [employers[before["enterprise_codes"][i]].pk for i in (1, 2, 3)]

    # Payments: every line, its claim the entitlement it paid, its payee named.
    lines = {p.pk: p for p in model("payments", "Payment").objects.using(ALIAS).select_related("batch")}
    assert len(lines) == len(before["lines"])
    for pk, entitlement_id, status, reference, amount, account in before["lines"]:
        p = lines[pk]
        assert (p.claim_type, p.claim_id, p.bank_reference, p.amount_fen, p.account) == (
            "entitlement", entitlement_id, reference, amount, account)
        assert p.status == ("reversed" if pk == before["lines"][0][0] else status)
        e = Entitlement.objects.using(ALIAS).get(pk=entitlement_id)
        expected_employer = e.employer_id or (shops["BFCJ1"].employer_id if e.workshop_id == shops["BFCJ1"].pk
                                              else shops["BFCJ2"].employer_id if e.workshop_id else None)
        assert (p.payee_person_id, p.payee_employer_id) == (e.person_id, expected_employer)
    batches = {b.number: b for b in model("payments", "PaymentBatch").objects.using(ALIAS).all()}
    assert {n: (b.claim_type, b.scope, b.purpose) for n, b in batches.items()} == {
        "ZFperson": ("entitlement", "transport_subsidy/2024", "交通补贴（2024年）"),
        "ZFenterprise": ("entitlement", "employer_insurance_subsidy/2024", "社保补贴（2024年）"),
        "ZFworkshop": ("entitlement", "workshop_award/2024", "车间奖补（2024年）"),
    }

    # The outbox, the arrears case's employer, the content types.
    assert sorted(model("outbox", "OutboxMessage").objects.using(ALIAS).values_list("body", flat=True)) == ["短信0", "短信1"]
    assert model("arrears", "ArrearsCase").objects.using(ALIAS).get(pk=before["case"]).employer_id == c.pk
    ContentType = model("contenttypes", "ContentType")
    assert set(ContentType.objects.using(ALIAS).filter(model__in=["payment", "employer", "outboxmessage"])
               .values_list("app_label", "model")) == {("payments", "payment"), ("employers", "employer"),
                                                      ("outbox", "outboxmessage")}

    # The tables work as the models say: new rows get ids, one live payment per claim is enforced.
    d = model("employers", "Employer").objects.using(ALIAS).create(name="丁公司", uscc=code("91500230MA5UDDDD"),
                                                                    owner_area_code=FENGDU)
    shop = model("network", "Workshop").objects.using(ALIAS).create(code="BFCJ3", name="车间3", employer=d,
                                                                     district_code=FENGDU, township_code=TOWN)
    text = model("outbox", "OutboxMessage").objects.using(ALIAS).create(kind="test", body="新短信", dedup_key="new")
    assert d.pk > c.pk and shop.pk > shops["BFCJ2"].pk and text.pk > 2
    live = lines[before["lines"][3][0]]  # a paid line of the enterprise batch
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        model("payments", "Payment").objects.using(ALIAS).create(
            batch=live.batch, line_no=99, claim_type="entitlement", claim_id=live.claim_id, payee_name="x",
            bank_name="x", account="6217000000000000009", account_hash="h", amount_fen=1, district_code=FENGDU)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
    else:
        connection.check_constraints()

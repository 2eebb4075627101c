"""The synthetic-data generator: deterministic, valid, shaped like Chongqing, and loadable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import types

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.core import reference
from bangfu.core.identifiers import make_id_number, parse_id_number
from bangfu.core.models import AuditLog
from bangfu.core.pii import pii_decrypt, pii_hash
from bangfu.registry.generate import GenerateContext, pipeline
from bangfu.registry.generate.files import HEADERS
from bangfu.registry.generate.protect import protect
from bangfu.registry.models import Household, Person

N = 300


@pytest.fixture
def no_app_steps(monkeypatch):
    """Registry only: the other apps' steps are theirs to test."""
    monkeypatch.setattr(pipeline, "STEP_APPS", ())


def generated(people: int = N, seed: int = 11) -> GenerateContext:
    ctx = GenerateContext(seed=seed, people=people)
    pipeline.registry_step(ctx)
    return ctx


def read_rows(directory) -> list[dict[str, str]]:
    rows = []
    for path in sorted(directory.glob("registry_*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def test_the_same_seed_writes_the_same_files(tmp_path, no_app_steps):
    for name in ("one", "two"):
        call_command("generate", people=N, seed=5, out=tmp_path / name, stdout=io.StringIO())
    first = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert first == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in first:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_another_seed_writes_other_people(tmp_path, no_app_steps):
    call_command("generate", people=N, seed=5, out=tmp_path / "a", stdout=io.StringIO())
    call_command("generate", people=N, seed=6, out=tmp_path / "b", stdout=io.StringIO())
    ids_a = {r["证件号码"] for r in read_rows(tmp_path / "a")}
    ids_b = {r["证件号码"] for r in read_rows(tmp_path / "b")}
    assert ids_a != ids_b


def test_files_have_the_import_headers_and_chinese_labels(tmp_path, no_app_steps):
    call_command("generate", people=N, seed=5, out=tmp_path, stdout=io.StringIO())
    with next(tmp_path.glob("registry_*.csv")).open(encoding="utf-8-sig", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == HEADERS
    rows = read_rows(tmp_path)
    assert len(rows) == N
    assert {r["与户主关系"] for r in rows} >= {"户主", "配偶"}
    assert {r["人口类型"] for r in rows} <= {"脱贫人口", "防返贫监测对象"}
    assert {r["是否在校生"] for r in rows} == {"是", "否"}
    assert {r["劳动技能"] for r in rows} >= {"普通劳动力", "无劳动力"}
    places = {p for r in rows for p in r["可接受务工地点"].split("、") if p}
    assert places <= {"县内", "市内县外", "市外", "境外"} and "县内" in places
    assert all(r["期望月薪"] == "" or r["期望月薪"].isdigit() for r in rows)


def test_id_numbers_are_valid_unique_and_carry_the_district():
    p = generated().persons
    assert len(set(p["id_number"].tolist())) == N
    for number, district, birth, sex in zip(p["id_number"].tolist(), p["district_code"].tolist(),
                                            p["birth_date"].tolist(), p["sex"].tolist()):
        info = parse_id_number(number)
        assert (info.address_code, info.birth_date, info.sex) == (district, birth, sex)


def test_id_numbers_are_what_make_id_number_builds():
    p = generated().persons
    for number, birth, sex in zip(p["id_number"].tolist()[:100], p["birth_date"].tolist(),
                                  p["sex"].tolist()):
        assert make_id_number(number[:6], birth, int(number[14:17]) // 2, sex) == number


def test_every_township_lies_inside_its_district():
    ctx = generated()
    divisions = reference.divisions()
    for table in (ctx.households, ctx.persons):
        for district, township in zip(table["district_code"].tolist(), table["township_code"].tolist()):
            assert divisions[township]["parent_code"] == district


def test_districts_of_the_northeast_and_southeast_have_more_people_than_the_main_metro():
    p = generated(people=5_000).persons
    districts = [r for r in reference.divisions().values() if len(r["code"]) == 6]
    codes, counts = np.unique(p["district_code"], return_counts=True)
    per_district = dict(zip(codes.tolist(), counts.tolist()))
    mean = {zone: np.mean([per_district.get(d["code"], 0) for d in districts if d["region_group"] == zone])
            for zone in ("main_metro", "northeast", "southeast")}
    assert mean["northeast"] > 2 * mean["main_metro"]
    assert mean["southeast"] > 2 * mean["main_metro"]


def test_households_have_one_head_and_one_to_six_members():
    ctx = generated()
    assert ctx.households["size"].min() >= 1 and ctx.households["size"].max() <= 6
    heads = ctx.persons["relation"] == "head"
    assert heads.sum() == ctx.household_count
    assert np.array_equal(np.flatnonzero(heads), ctx.households["first_person"])


def test_children_and_the_very_old_have_no_labour_ability_and_workers_have_places_and_wages():
    p = generated(people=2_000).persons
    child = p["age"] < 16
    assert set(p["labour_ability"][child].tolist()) == {"none"}
    assert set(p["labour_ability"][p["age"] > 75].tolist()) <= {"lost", "none"}
    assert p["in_school"][(p["age"] >= 7) & (p["age"] <= 15)].mean() > 0.9
    worker = p["is_worker"]
    assert 0.4 < worker.mean() < 0.8
    assert (p["accepted_places"][worker] != "").all()
    assert (p["expected_wage_fen"][worker] >= 150_000).all()
    assert (p["expected_wage_fen"][~worker] == 0).all()
    occupations = reference.occupations()
    for skills in p["skills"][worker].tolist():
        codes = [c for c in skills.split(",") if c]
        assert len(codes) <= 2 and all(c in occupations for c in codes)
    assert (p["skills"][~worker] == "").all()
    alleviated = (p["category"] == "alleviated").mean()
    assert 0.75 < alleviated < 0.97


def test_phones_are_distinct_mobile_numbers():
    phones = [x for x in generated(people=2_000).persons["phone"].tolist() if x]
    assert len(phones) == len(set(phones)) > 1_000
    assert all(len(x) == 11 and x.startswith("1") and x.isdigit() for x in phones)


def test_bulk_protection_matches_pii_encrypt_and_pii_hash(settings):
    tokens, hashes, phone_tokens, phone_hashes = protect(
        settings.PII_KEY, ["50023019850601001X"], ["13800001111"])
    assert pii_decrypt(tokens[0]) == "50023019850601001X"
    assert hashes[0] == pii_hash("50023019850601001x")
    assert pii_decrypt(phone_tokens[0]) == "13800001111"
    assert phone_hashes[0] == pii_hash("13800001111")
    assert protect(settings.PII_KEY, ["50023019850601001X"], [""])[2:] == ([""], [""])


@pytest.mark.django_db(transaction=True)
def test_load_creates_exactly_n_persons_and_one_audit_row(no_app_steps):
    call_command("generate", people=N, seed=3, load=True, stdout=io.StringIO())
    assert Person.objects.count() == N
    audit = AuditLog.objects.get(action="registry.generate")
    assert audit.detail["persons"] == N and audit.detail["seed"] == 3
    assert audit.detail["households"] == Household.objects.count()
    person = Person.objects.select_related("household").order_by("id").first()
    assert person.id_number_hash == pii_hash(person.id_number)
    assert parse_id_number(person.id_number).address_code == person.district_code
    assert person.household.district_code == person.district_code
    assert Person.objects.filter(household__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_loaded_persons_carry_database_ids_for_later_steps(monkeypatch):
    seen = {}

    def step(ctx):
        seen["ids"] = ctx.persons["id"].tolist()

    monkeypatch.setitem(sys.modules, "bangfu.fakeapp.generate",
                        types.SimpleNamespace(generate_step=step))
    monkeypatch.setattr(pipeline, "STEP_APPS", ("fakeapp",))
    call_command("generate", people=50, seed=3, load=True, stdout=io.StringIO())
    assert sorted(seen["ids"]) == sorted(Person.objects.values_list("id", flat=True))


@pytest.mark.django_db
def test_load_refuses_a_registry_that_already_has_households(no_app_steps):
    from bangfu.registry.tests.factories import HouseholdFactory

    HouseholdFactory()
    with pytest.raises(CommandError, match="花名册中已有"):
        call_command("generate", people=N, seed=3, load=True, stdout=io.StringIO())
    assert Person.objects.count() == 0


def test_steps_of_other_apps_run_in_order_after_the_registry_and_missing_ones_are_skipped(monkeypatch):
    calls = []

    def fake(app):
        def generate_step(ctx):
            calls.append((app, ctx.person_count, ctx.scenario))
        return types.SimpleNamespace(generate_step=generate_step)

    monkeypatch.setitem(sys.modules, "bangfu.fakeone.generate", fake("fakeone"))
    monkeypatch.setitem(sys.modules, "bangfu.faketwo.generate", fake("faketwo"))
    monkeypatch.setattr(pipeline, "STEP_APPS", ("faketwo", "notanapp", "fakeone"))
    pipeline.run_generate(GenerateContext(seed=1, people=40, scenario="chongqing-2024"))
    assert calls == [("faketwo", 40, "chongqing-2024"), ("fakeone", 40, "chongqing-2024")]


def test_each_step_gets_its_own_random_stream():
    ctx = GenerateContext(seed=9, people=10)
    assert ctx.rng_for("jobs").integers(1 << 30) == GenerateContext(seed=9, people=10).rng_for("jobs").integers(1 << 30)
    assert ctx.rng_for("jobs").integers(1 << 30) != ctx.rng_for("arrears").integers(1 << 30)


def test_the_chongqing_scenario_asks_for_1_9_million_people(monkeypatch):
    from bangfu.registry.management.commands import generate as command

    seen = {}
    monkeypatch.setattr(command, "run_generate", lambda ctx: seen.setdefault("ctx", ctx))
    call_command("generate", scenario="chongqing-2024", out="/nonexistent", stdout=io.StringIO())
    assert seen["ctx"].people == 1_900_000
    assert seen["ctx"].scenario == "chongqing-2024"
    assert seen["ctx"].as_of == dt.date(2024, 12, 31)


def test_generate_needs_somewhere_to_put_the_data():
    with pytest.raises(CommandError, match="--out"):
        call_command("generate", people=10, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_demo_prepares_one_user_per_role_once(no_app_steps, settings, tmp_path):
    from bangfu.accounts.models import User
    from bangfu.accounts.demo import DEMO_PASSWORD

    settings.STATIC_ROOT = tmp_path / "static"
    for _ in range(2):  # the second run changes nothing
        out = io.StringIO()
        call_command("demo", people=200, no_serve=True, stdout=out)
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {"admin": "city_admin", "fengdu": "district_officer",
                     "fengdu_town": "township_officer", "broker": "broker", "auditor": "auditor"}
    town = User.objects.get(username="fengdu_town")
    assert town.area_code.startswith("500230") and len(town.area_code) == 9
    assert town.check_password(DEMO_PASSWORD)
    assert Person.objects.count() == 200
    assert AuditLog.objects.filter(action="registry.generate").count() == 1
    assert "http://127.0.0.1:8000" in out.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_import_framework_reads_the_generated_files(tmp_path, no_app_steps, file_format):
    from bangfu.core.imports import read_table

    call_command("generate", people=120, seed=2, out=tmp_path, file_format=file_format,
                 stdout=io.StringIO())
    total = 0
    for path in tmp_path.glob(f"registry_*.{file_format}"):
        table = read_table(path)
        assert tuple(table.headers) == HEADERS
        total += len(table.rows)
    assert total == 120


def test_encryption_workers_give_what_the_main_process_gives(settings):
    from bangfu.registry.generate.protect import protect_chunks

    chunks = [(["50023019850601001X", "500101199001010011"], ["13800001111", ""]),
              (["500230200001010022"], ["13900002222"])]
    pooled = list(protect_chunks(settings.PII_KEY, iter(chunks), processes=1))
    inline = list(protect_chunks(settings.PII_KEY, iter(chunks), processes=0))
    assert [(c[1], c[3]) for c in pooled] == [(c[1], c[3]) for c in inline]
    assert [pii_decrypt(t) for c in pooled for t in c[0]] == [i for ids, _ in chunks for i in ids]


@pytest.mark.django_db
def test_generated_files_import_without_errors_and_reimport_unchanged(tmp_path, make_user, no_app_steps):
    from bangfu.core.imports import run_import
    from bangfu.registry.importers import IMPORTERS

    call_command("generate", people=150, seed=4, out=tmp_path, stdout=io.StringIO())
    user = make_user("city_admin", "50")
    for path in sorted(tmp_path.glob("registry_*.csv")):
        first = run_import(IMPORTERS["registry"], path, actor=user)
        assert first.errors == [] and first.created == first.rows
        again = run_import(IMPORTERS["registry"], path, actor=user)
        assert again.unchanged == again.rows
    assert Person.objects.count() == 150

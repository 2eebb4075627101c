"""The national scenario (``--scenario china-2024 --format parquet``) at tiny scales: the columns of
a Chongqing export, the national figures scaled, a nation -> province -> prefecture -> county
rollup, and memory bounded by the chunk size rather than the scale."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from bangfu.core.months import month_range
from bangfu.engine.backends import export_parquet, open_engine
from bangfu.engine.kpi import KpiInputs, compute_kpis
from bangfu.engine.schema import EMPLOYMENT, KPI_INPUT_TABLES, PERSON
from bangfu.registry.generate import nation

SCALE = 0.0003  # 29,697 persons
CHUNK = 8_000


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    out = tmp_path_factory.mktemp("nation") / "china"
    result = nation.generate_nation(out, scale=SCALE, seed=5, chunk_persons=CHUNK)
    return out, result


def _schema(path: Path):
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        assert parts, path
        return pq.read_schema(parts[0])
    return pq.read_schema(path)


def _columns(schema) -> list[tuple[str, str]]:
    """Names and types, as SQLite exports them: PostgreSQL's timestamptz exports UTC-zoned (SQLite's
    and the nation's are naive UTC, the same instants) and its smallint and integer columns narrower."""
    import pyarrow as pa

    def kind(t) -> str:
        if pa.types.is_timestamp(t):
            return str(pa.timestamp(t.unit))
        return "int64" if pa.types.is_signed_integer(t) else str(t)

    return [(f.name, kind(f.type)) for f in schema]


@pytest.mark.django_db(transaction=True)
def test_the_national_tables_have_the_columns_of_a_chongqing_export(national, tmp_path):
    from bangfu.core.engine import default_database_source
    from bangfu.monitoring import generate as monitoring_generate
    from bangfu.registry.generate import GenerateContext
    from bangfu.registry.generate.pipeline import registry_step

    ctx = GenerateContext(seed=3, people=120, load=True)
    registry_step(ctx)
    monitoring_generate.generate_step(ctx)
    written = export_parquet(KPI_INPUT_TABLES, tmp_path / "chongqing", **default_database_source())
    out, _ = national
    for table in KPI_INPUT_TABLES:
        assert _columns(_schema(out / f"{table}.parquet")) == _columns(pq.read_schema(written[table])), table


def test_the_figures_are_the_nations_scaled(national):
    out, result = national
    persons = round(nation.NATION_PERSONS * SCALE)
    assert result.persons == persons == pq.read_table(out / "registry_person.parquet", columns=["id"]).num_rows
    expected = nation.NATION_WORKERS_PER_MONTH * SCALE
    employment = pq.read_table(out / "monitoring_employmentmonth.parquet", columns=["month", "person_id", "id"])
    by_month = employment.group_by("month").aggregate([("person_id", "count_distinct")]).to_pylist()
    assert sorted(r["month"] for r in by_month) == nation.MONTHS
    for row in by_month:
        assert abs(row["person_id_count_distinct"] - expected) < 0.05 * expected, row
    assert pc.count_distinct(employment["id"]).as_py() == employment.num_rows
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["employment_months"] == employment.num_rows


def test_each_chunk_is_whole_counties_of_at_most_the_chunk_size(national):
    out, result = national
    assert result.chunks > 2 and result.largest_chunk <= CHUNK
    person_parts = sorted((out / "registry_person.parquet").glob("part-*.parquet"))
    employment_parts = sorted((out / "monitoring_employmentmonth.parquet").glob("part-*.parquet"))
    assert len(person_parts) == len(employment_parts) == result.chunks
    county_parts: dict[str, set[int]] = defaultdict(set)
    for k, (p_part, e_part) in enumerate(zip(person_parts, employment_parts)):
        persons = pq.read_table(p_part, columns=["id", "township_code"])
        assert persons.num_rows <= CHUNK
        for code in set(persons["township_code"].to_pylist()):
            county_parts[code].add(k)
        ids = pq.read_table(e_part, columns=["person_id"])["person_id"]
        assert pc.all(pc.is_in(ids, value_set=persons["id"])).as_py()  # a chunk's months are its own people's
    assert all(len(parts) == 1 for parts in county_parts.values())


def test_the_kpis_roll_up_nation_province_prefecture_county(national):
    out, _ = national
    with open_engine("duckdb", parquet_dir=out, tables=KPI_INPUT_TABLES) as engine:
        result = compute_kpis(KpiInputs.from_engine(engine), month_range("2024-05", "2024-06"))
    rows = result.area_rows("2024-06")
    by_level = defaultdict(list)
    for row in rows:
        by_level[row["area_level"]].append(row)
    (top,) = by_level["city"]
    assert top["area_code"] == nation.NATION_CODE and top["parent_code"] == ""
    assert top["scale_last_month"] is not None and top["target"] > 0
    provinces = {r["area_code"] for r in by_level["region_group"]}
    assert provinces <= {p["code"] for p in nation.nation_areas(10, 1).provinces} and len(provinces) > 20
    assert all(r["parent_code"] == nation.NATION_CODE for r in by_level["region_group"])
    assert all(r["parent_code"] == r["area_code"][:2] for r in by_level["district"])
    assert all(r["parent_code"] == r["area_code"][:6] for r in by_level["township"])
    for level in ("region_group", "district", "township"):
        assert sum(r["employment_scale"] for r in by_level[level]) == top["employment_scale"]
        assert sum(r["workers"] for r in by_level[level]) == top["workers"]
    national_keys = {(r["dimension"], r["key"]) for r in result.breakdown_rows("2024-06")
                     if r["area_code"] == nation.NATION_CODE}
    assert ("place_class", "out_of_city") in national_keys and ("cooperation_region", "pearl_delta") in national_keys


def test_the_transport_subsidy_runs_over_the_nation(national):
    from importlib import resources

    from bangfu.engine.policy.definition import from_yaml
    from bangfu.engine.policy.evaluate import eligible

    out, result = national
    definition = from_yaml(resources.files("bangfu.policies").joinpath("examples/transport_subsidy.yaml").read_text())
    with open_engine("duckdb", parquet_dir=out, tables=(PERSON, EMPLOYMENT)) as engine:
        t = eligible(engine, definition, "2024")
        amounts = {r["amount_fen"]: r["n"] for r in
                   engine.to_pyarrow(t.group_by("amount_fen").aggregate(n=t.count())).to_pylist()}
    assert set(amounts) == {5000, 20000}
    assert 0.1 * result.persons < sum(amounts.values()) < 0.5 * result.persons


def _peak_rss(out: Path, scale: float) -> float:
    code = ("import sys; from bangfu.registry.generate.nation import generate_nation; "
            f"r = generate_nation(sys.argv[1], scale={scale}, seed=1, chunk_persons=10000); print(r.peak_rss_mib)")
    done = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def test_memory_is_bounded_by_the_chunk_not_the_scale(tmp_path):
    small = _peak_rss(tmp_path / "small", 0.0002)  # 2 chunks
    large = _peak_rss(tmp_path / "large", 0.0016)  # 16 chunks of the same size
    assert large < small * 1.25 + 20, (small, large)


def test_the_command_writes_the_nation_and_refuses_what_it_cannot_do(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = tmp_path / "china"
    call_command("generate", scenario="china-2024", file_format="parquet", out=out, scale=0.00005, chunk=2000,
                 stdout=open(tmp_path / "log.txt", "w"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["persons"] == round(nation.NATION_PERSONS * 0.00005) and manifest["chunks"] > 1
    with pytest.raises(CommandError):  # the directory is not empty
        call_command("generate", scenario="china-2024", file_format="parquet", out=out, scale=0.00005)
    with pytest.raises(CommandError):  # Parquet is for the nation only
        call_command("generate", file_format="parquet", out=tmp_path / "cq")
    with pytest.raises(CommandError):  # and the nation never goes into the database
        call_command("generate", scenario="china-2024", file_format="parquet", load=True, out=tmp_path / "x")
    with pytest.raises(CommandError):
        call_command("generate", scenario="china-2024", file_format="parquet", out=tmp_path / "y", scale=0)

"""The engine worker (``python -m bangfu.engine.worker``) that bangfu.core.engine starts in a
child process: a read gives the same rows as in this process, an export the Parquet files."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pytest

from bangfu.engine.backends import open_engine
from bangfu.engine.tests.test_backends import EXPECTED, sqlite_db, workers_by_district  # noqa: F401

WORKER = [sys.executable, "-m", "bangfu.engine.worker"]


def workers_in(engine, *, district: str):
    person = engine.table("person")
    return person.filter(person.district == district).select("id").order_by("id")


def test_a_read_in_the_worker_gives_the_rows_of_a_read_here(sqlite_db, tmp_path):  # noqa: F811
    args, out = tmp_path / "kwargs.json", tmp_path / "rows.arrow"
    args.write_text(json.dumps({"district": EXPECTED[0][0]}))
    subprocess.run([*WORKER, "read", "--sqlite", str(sqlite_db), "--function", f"{__name__}:workers_in",
                    "--kwargs", str(args), "--out", str(out)], check=True, capture_output=True)
    with pa.memory_map(str(out)) as source:
        there = pa.ipc.open_file(source).read_all().to_pylist()
    with open_engine("duckdb", sqlite_path=sqlite_db) as engine:
        here = engine.to_pyarrow(workers_in(engine, district=EXPECTED[0][0])).to_pylist()
    assert there == here and len(here) >= 1


def test_an_export_in_the_worker_reads_back_the_same_figures(sqlite_db, tmp_path):  # noqa: F811
    subprocess.run([*WORKER, "export", "--sqlite", str(sqlite_db), "--tables", "person", "--out",
                    str(tmp_path / "parquet")], check=True, capture_output=True)
    with open_engine("duckdb", parquet_dir=tmp_path / "parquet", tables=["person"]) as engine:
        assert workers_by_district(engine) == EXPECTED


def test_a_worker_without_a_database_refuses_to_start(tmp_path):
    done = subprocess.run([*WORKER, "export", "--out", str(tmp_path)], capture_output=True)
    assert done.returncode != 0 and b"--sqlite" in done.stderr


@pytest.mark.parametrize("function", ["bangfu.engine.nowhere:f", f"{__name__}:missing"])
def test_a_function_the_worker_cannot_find_fails_the_worker(sqlite_db, tmp_path, function):  # noqa: F811
    done = subprocess.run([*WORKER, "read", "--sqlite", str(sqlite_db), "--function", function,
                           "--out", str(tmp_path / "rows.arrow")], capture_output=True)
    assert done.returncode != 0 and not (tmp_path / "rows.arrow").exists()

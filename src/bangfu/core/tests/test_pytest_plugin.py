"""bangfu's pytest plugin (``bangfu.testing.fixtures``) as ``make test`` uses it: the PostgreSQL run
refuses to start off PostgreSQL, and ``--part K/N`` splits the files between N pytest processes.
Each check runs pytest in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bangfu.testing.fixtures import in_part

def _pytest(tmp_path: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    # -c: the sample's own (empty) configuration, bangfu's plugin loaded explicitly; no Django
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    return subprocess.run([sys.executable, "-m", "pytest", "-c", str(tmp_path / "pytest.ini"), "-p", "no:django",
                           "-p", "bangfu.testing.fixtures", "-p", "no:cacheprovider", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_the_postgresql_run_refuses_to_start_without_a_postgresql_database_url(tmp_path):
    (tmp_path / "test_sample.py").write_text("def test_one():\n    pass\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = _pytest(tmp_path, "--pg-suite", "test_sample.py", env=env)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "--pg-suite runs on PostgreSQL" in done.stderr
    done = _pytest(tmp_path, "--pg-suite", "test_sample.py", env={**env, "DATABASE_URL": "sqlite:///x.sqlite3"})
    assert done.returncode == 4
    done = _pytest(tmp_path, "test_sample.py", env=env)  # the SQLite run is not concerned
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_parts_of_n_split_the_files_between_them_each_file_whole(tmp_path):
    for i in range(12):
        (tmp_path / f"test_f{i}.py").write_text("def test_a():\n    pass\n\ndef test_b():\n    pass\n")
    env = dict(os.environ)
    seen: list[str] = []
    for k in (1, 2, 3):
        done = _pytest(tmp_path, "--part", f"{k}/3", "--collect-only", "-q", env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        ids = [line for line in done.stdout.splitlines() if "::" in line]
        assert ids and {i.split("::")[0] for i in ids} == {i.split("::")[0] for i in ids if i.endswith("test_a")}
        assert all(in_part(i, k, 3) for i in ids)
        seen += ids
    assert sorted(seen) == sorted(f"test_f{i}.py::test_{x}" for i in range(12) for x in "ab")
    done = _pytest(tmp_path, "--part", "4/3", "--collect-only", "-q", env=env)
    assert done.returncode == 4 and "--part" in done.stderr

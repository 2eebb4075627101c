"""Issue 9, delivery 4: var/ is 0700 and the SQLite database files 0600, whatever the umask."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bangfu.core.filemodes import private_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_var_directory_of_this_run_is_private():
    assert _mode(Path(settings.VAR_DIR)) == 0o700


def test_a_var_directory_left_open_by_an_older_version_is_made_private(tmp_path):
    old = tmp_path / "var"
    old.mkdir(mode=0o755)
    os.chmod(old, 0o755)
    assert _mode(private_dir(old)) == 0o700


def test_a_fresh_install_creates_var_0700_and_the_database_0600_under_a_lax_umask(tmp_path):
    var = tmp_path / "home" / "var"
    # The modes are read by the child while its connection is open (WAL and SHM files exist).
    script = (
        "import json, os, stat; os.umask(0o022)\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'bangfu.settings'\n"
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('CREATE TABLE probe (x integer)')\n"
        "    cursor.execute('INSERT INTO probe VALUES (1)')\n"
        "    var = settings.VAR_DIR\n"
        "    print(json.dumps({p.name: stat.S_IMODE(p.stat().st_mode) for p in [var, *var.iterdir()]}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"BANGFU_VAR": str(var)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    modes = json.loads(done.stdout.strip().splitlines()[-1])
    assert modes.pop("var") == 0o700
    assert {"bangfu.sqlite3", "bangfu.sqlite3-wal", "bangfu.sqlite3-shm", "secret_key", "pii_key"} <= set(modes)
    assert modes == {name: 0o600 for name in modes}


@pytest.mark.django_db
def test_the_test_database_file_is_0600_too():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its files itself")
    assert _mode(Path(connection.settings_dict["NAME"])) == 0o600

"""A throwaway PostgreSQL cluster for tests (initdb, start, stop), Django-free.

``make test`` starts one in ``.pgtest`` on port 54329 and stops it at the end::

    python -m bangfu.testing.pgcluster start --dir .pgtest --port 54329
    python -m bangfu.testing.pgcluster stop --dir .pgtest

The cluster is not kept in ``var/``: ``var/`` is private (0700, ``core.filemodes``), and as root
the server runs as ``postgres``, which could not reach a data directory inside it.

The ``pg_url`` fixture uses the same class to start a cluster in a temporary directory when a
developer runs pytest alone. PostgreSQL refuses to run as root, so as root the server binaries
run as the ``postgres`` user (``runuser``); as any other user they run as that user.
The cluster is tuned for tests (trust auth on 127.0.0.1 and the socket, fsync off): never for data.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

PREFERRED_VERSION = "15"

TEST_SETTINGS = """
# bangfu test cluster: speed over durability
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 128MB
log_min_messages = warning
"""


class ClusterError(RuntimeError):
    pass


def find_bindir() -> Path:
    """The PostgreSQL server binaries: version 15 when installed, else the newest found."""
    preferred = Path(f"/usr/lib/postgresql/{PREFERRED_VERSION}/bin")
    if (preferred / "pg_ctl").exists():
        return preferred
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise ClusterError("PostgreSQL server binaries (pg_ctl, initdb) not found; install the postgresql package")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    """One cluster in ``base`` (``base/data`` holds the data, ``base/run`` the socket, ``base/log``)."""

    def __init__(self, base: str | Path, port: int, *, bindir: Path | None = None):
        self.base = Path(base).resolve()
        self.port = int(port)
        self.bindir = bindir or find_bindir()
        self.data = self.base / "data"
        self.socket_dir = self.base / "run"
        self.logfile = self.base / "postgres.log"
        self.as_root = os.geteuid() == 0

    # -- helpers ---------------------------------------------------------------------------
    def _cmd(self, *args: str) -> list[str]:
        if self.as_root:
            if not shutil.which("runuser"):
                raise ClusterError("running as root needs runuser to start PostgreSQL as the postgres user")
            return ["runuser", "-u", "postgres", "--", *args]
        return list(args)

    def _run(self, *args: str, check: bool = True, timeout: int = 120) -> subprocess.CompletedProcess:
        proc = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise ClusterError(f"{' '.join(args[:2])} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    def _owner(self) -> tuple[int, int] | None:
        if not self.as_root:
            return None
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise ClusterError("running as root but there is no postgres user") from exc
        return pw.pw_uid, pw.pw_gid

    @property
    def url(self) -> str:
        """URL of the maintenance database ``postgres`` (create your own databases from it)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, dbname: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    # -- lifecycle -------------------------------------------------------------------------
    def initialized(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self) -> None:
        if self.initialized():
            return
        owner = self._owner()
        for d in (self.base, self.socket_dir):
            d.mkdir(parents=True, exist_ok=True)
            if owner:
                os.chown(d, *owner)
        if owner and self._run("test", "-w", str(self.base), check=False).returncode != 0:
            raise ClusterError(
                f"the postgres user cannot reach {self.base}: a directory above it is private "
                "(var/ is 0700); give --dir a directory outside it"
            )
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions",
        )
        conf = self.data / "postgresql.conf"
        extra = TEST_SETTINGS.format(port=self.port, socket_dir=self.socket_dir)
        with conf.open("a") as fh:
            fh.write(extra)

    def running(self) -> bool:
        if not self.initialized():
            return False
        return self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "status", check=False).returncode == 0

    def start(self, *, timeout: int = 60) -> str:
        """Initialise if needed, start (or reuse a running server), wait until it answers."""
        self.init()
        if not self.running():
            owner = self._owner()
            self.socket_dir.mkdir(parents=True, exist_ok=True)
            if owner:
                os.chown(self.socket_dir, *owner)
                if not self.logfile.exists():
                    self.logfile.touch()
                os.chown(self.logfile, *owner)
            # The port is given on the command line too, so a reused data dir follows --port.
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile),
                "-o", f"-p {self.port} -k {self.socket_dir}", "-w", "-t", str(timeout), "start",
                timeout=timeout + 30,
            )
        self.wait_ready(timeout=timeout)
        return self.url

    def wait_ready(self, *, timeout: int = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            proc = self._run(
                str(self.bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                check=False,
            )
            if proc.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise ClusterError(f"PostgreSQL on port {self.port} did not become ready; see {self.logfile}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.running():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def psql(self, sql: str, *, dbname: str = "postgres") -> str:
        proc = self._run(
            str(self.bindir / "psql") if (self.bindir / "psql").exists() else "psql",
            "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", dbname,
            "-v", "ON_ERROR_STOP=1", "-qAtc", sql,
        )
        return proc.stdout.strip()

    def ensure_database(self, name: str) -> str:
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        if exists != "1":
            self.psql(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bangfu.testing.pgcluster", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status", "destroy"])
    parser.add_argument("--dir", default=".pgtest", help="cluster directory (default .pgtest)")
    parser.add_argument("--port", type=int, default=54329)
    parser.add_argument("--database", action="append", default=[], help="create this database if missing (repeatable)")
    args = parser.parse_args(argv)
    cluster = PgCluster(args.dir, args.port)
    try:
        if args.action == "start":
            url = cluster.start()
            for name in args.database:
                cluster.ensure_database(name)
            print(f"pgcluster: PostgreSQL running at {url} (data in {cluster.data})")
        elif args.action == "stop":
            cluster.stop()
            print("pgcluster: stopped")
        elif args.action == "destroy":
            cluster.destroy()
            print("pgcluster: destroyed")
        else:
            running = cluster.running()
            print("running" if running else "stopped")
            return 0 if running else 3
    except ClusterError as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""var/ and the SQLite database are bangfu's alone: the directory 0700, the database files 0600.

The keys, the database and the evidence files live in var/; another account on the
machine must not read them. The directory is made private when settings load; SQLite creates
its files with the process umask, so they are narrowed when the first connection opens.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) with the directory itself 0700, also if it existed."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid():  # a directory of another account is not ours to change
        path.chmod(PRIVATE_DIR)
    return path


def sqlite_files_private(sender, connection, **kwargs) -> None:
    """connection_created receiver: the database file and its WAL/SHM companions 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in _SQLITE_COMPANIONS:
        path = Path(name + suffix)
        try:
            if path.stat().st_mode & 0o777 != PRIVATE_FILE:
                path.chmod(PRIVATE_FILE)
        except FileNotFoundError:
            continue


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` whole: into a new file beside it, renamed over it, so a reader
    (or a crash) sees the old content or the new, never half of one."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

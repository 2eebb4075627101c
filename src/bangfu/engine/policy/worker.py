"""Run one policy in a process of its own and write the eligible rows as an Arrow IPC file.

    python -m bangfu.engine.policy.worker --sqlite var/bangfu.sqlite3 --definition p.yaml \\
        --period 2024 [--area 500230] [--engine duckdb] --out rows.arrow

Why a process: DuckDB's sqlite_scanner carries its own copy of the SQLite library, and two
copies in one process do not see each other's POSIX locks. When the web server's threads hold
SQLite connections open, a DuckDB ATTACH in the same process can take itself for the only user
of the file and reset its WAL index under them (a SIGBUS at their next commit). In its own
process DuckDB's SQLite sees the server's locks like any other process would. Django-free.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--sqlite")
    parser.add_argument("--pg")
    parser.add_argument("--definition", required=True, help="policy YAML")
    parser.add_argument("--period", required=True)
    parser.add_argument("--area")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    import pyarrow as pa

    from bangfu.engine.backends import open_engine
    from bangfu.engine.policy import evaluate
    from bangfu.engine.policy.definition import from_yaml

    definition = from_yaml(Path(args.definition).read_text(encoding="utf-8"))
    source = {"sqlite_path": args.sqlite} if args.sqlite else {"pg_url": args.pg}
    with open_engine(args.engine, **source) as eng:
        features = evaluate.policy_features(eng, definition, args.period, area_code=args.area)
        table = eng.to_pyarrow(evaluate.eligible_from_features(definition, features, with_features=True))
    with pa.OSFile(args.out, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a module by the policies service
    sys.exit(main())

"""The batch engine in a process of its own (Django-free); ``bangfu.core.engine`` starts it.

    python -m bangfu.engine.worker read --sqlite var/bangfu.sqlite3 --engine duckdb \\
        --function bangfu.engine.policy.evaluate:eligible_rows --kwargs args.json --out rows.arrow
    python -m bangfu.engine.worker export --sqlite var/bangfu.sqlite3 --tables a,b --out DIR

``read`` opens the engine, calls ``function(engine, **kwargs)`` (an Ibis expression or an
Arrow table back) and writes the rows as an Arrow IPC file; ``export`` writes the tables as
Parquet files for Spark; ``facts`` refreshes a table of the fact store (``bangfu.engine.facts``).

Why a process: DuckDB's sqlite_scanner carries its own copy of the SQLite library, and two
copies in one process do not see each other's POSIX locks. When the web server's threads hold
SQLite connections open, a DuckDB ATTACH in the same process can take itself for the only user
of the file and reset its WAL index under them (a SIGBUS at their next commit). In its own
process DuckDB's SQLite sees the server's locks like any other process would.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path


def resolve(path: str):
    """``package.module:function`` -> the function."""
    module, _, name = path.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _source(args) -> dict:
    return {"sqlite_path": args.sqlite} if args.sqlite else {"pg_url": args.pg}


def read(args) -> None:
    import pyarrow as pa

    from bangfu.engine.backends import open_engine

    function = resolve(args.function)
    kwargs = json.loads(Path(args.kwargs).read_text(encoding="utf-8")) if args.kwargs else {}
    facts = {}
    if args.fact_store and args.fact_tables:
        facts = {"fact_store": args.fact_store, "fact_tables": [t for t in args.fact_tables.split(",") if t]}
    with open_engine(args.engine, **_source(args), **facts) as eng:
        table = function(eng, **kwargs)
        if not isinstance(table, pa.Table):
            table = eng.to_pyarrow(table)
    with pa.OSFile(args.out, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def export(args) -> None:
    from bangfu.engine.backends import export_parquet

    tables = [t for t in (args.tables or "").split(",") if t] or None
    export_parquet(tables, args.out, **_source(args))


def facts(args) -> None:
    from bangfu.engine.facts import FactSpec, refresh

    values = [v for v in (args.values or "").split(",") if v] or None
    report = refresh(args.out, FactSpec(args.table, args.partition or None), values=values, rebuild=args.rebuild,
                     verify=args.verify, settled=args.settled, **_source(args))
    print(json.dumps(report))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    for name in ("read", "export", "facts"):
        p = sub.add_parser(name)
        p.add_argument("--sqlite")
        p.add_argument("--pg")
        p.add_argument("--out", required=True)
    sub.choices["read"].add_argument("--engine", default="duckdb")
    sub.choices["read"].add_argument("--function", required=True, help="package.module:function")
    sub.choices["read"].add_argument("--kwargs", help="a JSON file of keyword arguments")
    sub.choices["read"].add_argument("--fact-store", help="the fact store's folder (bangfu.engine.facts)")
    sub.choices["read"].add_argument("--fact-tables", help="comma-separated tables to read from it")
    sub.choices["export"].add_argument("--tables", help="comma-separated; default every table")
    f = sub.choices["facts"]  # --out is the fact store's folder
    f.add_argument("--table", required=True)
    f.add_argument("--partition", default="month", help="empty: a snapshot of the whole table")
    f.add_argument("--values", help="comma-separated partitions to rewrite besides the dirty ones")
    f.add_argument("--rebuild", action="store_true")
    f.add_argument("--verify", action="store_true")
    f.add_argument("--settled", type=float, default=None, help="only dirty markers at least this many seconds old")
    args = parser.parse_args(argv)
    if not (args.sqlite or args.pg):
        parser.error("give --sqlite or --pg")
    if args.action == "read":
        read(args)
    elif args.action == "facts":
        facts(args)
    else:
        export(args)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a module by bangfu.core.engine
    sys.exit(main())

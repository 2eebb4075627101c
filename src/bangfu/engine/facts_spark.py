"""Spark's reading of the fact store (``bangfu.engine.facts``): temporary views over the same
Parquet files DuckDB reads, the partition column typed from the manifest (Django-free)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bangfu.engine.backends import _ident
from bangfu.engine.facts import DATA_FILE, read_manifest, table_dir


def register_spark(spark: Any, store: str | Path, tables: Iterable[str]) -> list[str]:
    """Spark temporary views named <table> over the store's files."""
    names = sorted(tables)
    for name in names:
        spark_frame(spark, store, name).createOrReplaceTempView(_ident(name))
    return names


_SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "SMALLINT": "smallint"}


def spark_frame(spark: Any, store: str | Path, table: str):
    """A Spark DataFrame over the same files (partition column typed from the manifest)."""
    manifest = read_manifest(store, table)
    if manifest is None:
        raise ValueError(f"no fact table {table} in {store}")
    folder = table_dir(store, table)
    if manifest["partition"] is None:  # a snapshot: one file
        return spark.read.parquet(str(folder / DATA_FILE)).select(*manifest["columns"])
    first = next(folder.glob(f"{manifest['partition']}=*/{DATA_FILE}"))
    data_schema = spark.read.parquet(str(first)).schema
    from pyspark.sql.types import StructField, StructType, _parse_datatype_string

    kind = _SPARK_TYPES.get(manifest["partition_type"].upper(), "string")
    schema = StructType(list(data_schema.fields) + [StructField(manifest["partition"], _parse_datatype_string(kind))])
    frame = spark.read.schema(schema).option("basePath", str(folder)).parquet(
        *[str(p.parent) for p in sorted(folder.glob(f"{manifest['partition']}=*/{DATA_FILE}"))])
    return frame.select(*manifest["columns"])

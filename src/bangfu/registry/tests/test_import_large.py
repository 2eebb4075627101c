"""A 100,000-row spreadsheet with 1% bad rows: every bad row reported, nothing half-written."""

import collections
import io

import pytest
from django.db import connection

from bangfu.core.actors import SYSTEM
from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import BAD_KINDS, REGISTRY_HEADERS, registry_rows, spoil, xlsx_bytes
from bangfu.core.models import AuditLog
from bangfu.registry.importers import IMPORTERS
from bangfu.registry.models import Household, Person

ROWS = 100_000
EXPECTED_COLUMN = {"checksum": "证件号码", "township": "乡镇代码", "enum": "劳动技能", "missing_name": "姓名",
                   "phone": "联系电话", "wage": "期望月薪", "duplicate": "证件号码"}


@pytest.mark.django_db
def test_a_100000_row_file_with_one_percent_bad_rows():
    if connection.vendor != "sqlite":
        pytest.skip("imported at full size on SQLite only; PostgreSQL runs the same code on the small files")
    rows = registry_rows(ROWS, seed=7)
    spoiled = spoil(rows, every=100)
    data = xlsx_bytes([REGISTRY_HEADERS, *rows])
    importer = IMPORTERS["registry"]

    refused = run_import(importer, io.BytesIO(data), actor=SYSTEM, filename="big.xlsx")
    assert refused.rows == ROWS and not refused.committed
    assert refused.error_rows == len(spoiled) == ROWS // 100
    expected = {index + 2: kind for index, kind in spoiled.items()}  # header is row 1
    assert {e.row for e in refused.errors} == set(expected)
    for error in refused.errors:
        assert error.column == EXPECTED_COLUMN[expected[error.row]], error
    assert collections.Counter(expected.values()).keys() == set(BAD_KINDS)
    assert Person.objects.count() == 0 and Household.objects.count() == 0

    kept = run_import(importer, io.BytesIO(data), actor=SYSTEM, filename="big.xlsx", commit_valid=True)
    assert kept.committed and kept.created == ROWS - len(spoiled) and kept.error_rows == len(spoiled)
    assert Person.objects.count() == ROWS - len(spoiled)
    assert AuditLog.objects.get(action="import.registry").detail["rejected_rows"] == len(spoiled)

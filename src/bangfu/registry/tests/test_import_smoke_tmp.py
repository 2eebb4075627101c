import io, time
import pytest
from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import REGISTRY_HEADERS, registry_rows, xlsx_bytes, spoil
from bangfu.registry.importers import IMPORTERS
from bangfu.registry.models import Person, Household

@pytest.mark.django_db
def test_smoke():
    rows = registry_rows(300)
    data = xlsx_bytes([REGISTRY_HEADERS, *rows])
    r = run_import(IMPORTERS["registry"], io.BytesIO(data), actor="system", filename="a.xlsx")
    print(r.to_json()["errors"][:5], r.timings)
    assert r.created == 300
    assert Person.objects.count() == 300
    r = run_import(IMPORTERS["registry"], io.BytesIO(data), actor="system", filename="a.xlsx")
    assert r.unchanged == 300, r
    rows[0][1] = "改名"
    r = run_import(IMPORTERS["registry"], io.BytesIO(xlsx_bytes([REGISTRY_HEADERS, *rows])), actor="system", filename="a.xlsx")
    assert (r.updated, r.unchanged) == (1, 299)
    assert Person.objects.get(name="改名").id_number == rows[0][2]
    sp = spoil(rows, every=10)
    r = run_import(IMPORTERS["registry"], io.BytesIO(xlsx_bytes([REGISTRY_HEADERS, *rows])), actor="system", filename="a.xlsx", dry_run=True)
    for e in r.errors[:12]: print(e)
    print(len(sp), r.error_rows)

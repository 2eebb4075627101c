"""Code lists live once, in bangfu.codes: Django choices, the engine and the API read them."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import models

import bangfu
from bangfu import codes
from bangfu.core.choices import code_list_of, text_choices

CODE_LISTS = {name: value for name, value in vars(codes).items() if isinstance(value, codes.CodeList)}
SOURCE = Path(bangfu.__file__).parent
SKIPPED_PARTS = {"tests", "migrations", "locale", "static", "templates", "data"}


def _project_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(SOURCE)], prefix="bangfu."):
        parts = set(info.name.split("."))
        if not parts & SKIPPED_PARTS and not info.name.endswith(("wsgi", "conftest")):
            names.append(info.name)
    return names


def _all_text_choices() -> list[type[models.TextChoices]]:
    for name in _project_modules():
        importlib.import_module(name)
    found, todo = [], list(models.TextChoices.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("bangfu."):
            found.append(cls)
    return found


def _pairs(choices) -> set[tuple[str, str]]:
    return {(c.value, c.label) for c in choices}


def _msgid_pairs(cls: type[models.TextChoices]) -> set[tuple[str, str]]:
    # The labels are lazy translations; their msgid is what bangfu.codes holds.
    return {(member.value, getattr(member.label, "_args", (str(member.label),))[0]) for member in cls}


def test_a_choices_class_made_from_a_code_list_is_that_list_in_order():
    cls = text_choices(codes.LABOUR_ABILITY)
    assert text_choices(codes.LABOUR_ABILITY) is cls  # built once: every app has the same class
    assert tuple(cls.values) == codes.LABOUR_ABILITY.values
    assert [m.name for m in cls] == [c.name for c in codes.LABOUR_ABILITY]
    assert cls.ORDINARY == "ordinary"
    assert str(cls.ORDINARY.label) == "普通劳动力"


def test_every_text_choices_class_of_the_project_agrees_with_bangfu_codes():
    """A class made from a code list must equal it; a class written by hand must not repeat one."""
    classes = _all_text_choices()
    assert len(classes) > 20  # the walk found the apps' choices
    made = {code_list_of(cls).name for cls in classes if code_list_of(cls)}
    assert {"LabourAbility", "PlaceClass", "RegionGroup", "EntitlementStatus", "MinAbility"} <= made
    for cls in classes:
        code_list = code_list_of(cls)
        if code_list is not None:
            assert tuple(cls.values) == code_list.values, cls
            assert _msgid_pairs(cls) == _pairs(code_list), cls
            continue
        for shared in CODE_LISTS.values():
            common = _msgid_pairs(cls) & _pairs(shared)
            assert len(common) < 2, f"{cls.__module__}.{cls.__name__} repeats {shared.name}: use bangfu.codes"


def test_the_engine_reads_the_code_lists_themselves():
    from bangfu.engine import backends, features
    from bangfu.engine.kpi import rollup
    from bangfu.engine.matching import data, reasons, vocab

    assert features.KIND_LABELS is codes.BENEFICIARY_KIND.labels
    assert backends.KINDS is codes.ENGINE.values
    assert vocab.ZONES is codes.REGION_GROUP.values
    assert vocab.COOPERATION_REGIONS is codes.COOPERATION_REGION.values
    assert rollup.DIMENSIONS is codes.DIMENSION.values
    assert (rollup.CITY, rollup.ZONE, rollup.DISTRICT, rollup.TOWNSHIP) == codes.AREA_LEVEL.values
    assert list(data.PLACE_BITS) == list(codes.PLACE_CLASS.values)
    assert list(data.ABILITY_LEVEL) == list(codes.MIN_ABILITY.values)
    assert set(reasons.ABILITY_LABELS.values()) <= set(codes.LABOUR_ABILITY.labels.values())
    by_name = {f.name: f for f in features.CATALOGUE}
    assert by_name["labour_ability"].value_labels is codes.LABOUR_ABILITY.labels


def test_the_api_offers_exactly_the_codes():
    from bangfu.jobs.api import CooperationValue, ZoneValue

    assert ZoneValue.__args__ == codes.REGION_GROUP.values
    assert CooperationValue.__args__ == codes.COOPERATION_REGION.values


def _copies_in(path: Path) -> list[str]:
    """Literals that re-type a code list: a {code: label} dict with two or more of its pairs, or a
    tuple/list of exactly a list's codes."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            pairs = {(k.value, v.value) for k, v in zip(node.keys, node.values)
                     if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)}
            for shared in CODE_LISTS.values():
                if len(pairs & _pairs(shared)) >= 2:
                    found.append(f"{path.name}:{node.lineno} {shared.name} labels")
        elif isinstance(node, (ast.Tuple, ast.List)):
            items = {e.value for e in node.elts if isinstance(e, ast.Constant)}
            for shared in CODE_LISTS.values():
                if len(node.elts) >= 2 and set(shared.values) == items:
                    found.append(f"{path.name}:{node.lineno} {shared.name} codes")
    return found


def _source_files() -> list[Path]:
    return [p for p in SOURCE.rglob("*.py")
            if not set(p.relative_to(SOURCE).parts) & SKIPPED_PARTS and p.name != "codes.py"]


def test_no_module_retypes_a_code_list():
    copies = [c for path in _source_files() for c in _copies_in(path)]
    assert copies == []


@pytest.mark.parametrize("text", ['{"main_metro": "主城都市区", "northeast": "渝东北"}',
                                  'Literal["in_county", "in_city", "out_of_city", "abroad"]'])
def test_the_copy_finder_finds_a_copy(tmp_path, text):
    module = tmp_path / "copy.py"
    module.write_text(f"X = {text}\n", encoding="utf-8")
    assert _copies_in(module)

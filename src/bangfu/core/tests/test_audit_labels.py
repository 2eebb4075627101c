"""操作日志 in Chinese: every action the code writes has a label; the page and export read as 字段：值."""

from __future__ import annotations

import ast
import io
import textwrap
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.arrears.choices import State
from bangfu.core.actors import SCHEDULER, SYSTEM
from bangfu.core.audit import audit_record
from bangfu.core.audit_labels import action_label, action_labels, detail_pairs, detail_text
from bangfu.core.hooks import AUDIT_ACTIONS, IMPORTERS, MappingHook

SOURCE = Path(__file__).resolve().parents[2]  # src/bangfu

# Actions written as ``prefix{value}`` whose values the scanner cannot read from the source: how to
# list them. A new f-string action outside these families fails the scan until it is added here.
FAMILIES = {
    "arrears_case.": lambda: [state.value for state in State],
    "import.": lambda: list(IMPORTERS.mapping()),
}


class Unresolved(Exception):
    pass


def _strings(node: ast.AST) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _enclosing_function(node, parents) -> ast.FunctionDef | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
    return None


def _assigned(scope: ast.AST, name: str) -> list[str]:
    """String constants assigned to ``name`` anywhere in ``scope``."""
    found = []
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found += _strings(node.value) or []
    return found


def _passed(tree: ast.AST, function: str, keyword: str) -> list[str]:
    """String constants passed as ``keyword=`` to calls of ``function`` in the module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == function:
            for kw in node.keywords:
                if kw.arg == keyword:
                    found += _strings(kw.value) or []
    return found


def _codes(node: ast.AST, tree: ast.AST, parents: dict) -> list[str]:
    """Every action code an ``action=`` argument can take."""
    if (strings := _strings(node)) is not None:
        return strings
    function = _enclosing_function(node, parents)
    if isinstance(node, ast.Name):
        # a local, a parameter given by the module's calls, or a module constant
        local = (_assigned(function, node.id) or _passed(tree, function.name, node.id)) if function else []
        if found := local or _assigned(tree, node.id):
            return found
    if isinstance(node, ast.JoinedStr) and len(node.values) == 2 and isinstance(node.values[0], ast.Constant):
        prefix, value = node.values[0].value, node.values[1].value
        if isinstance(value, ast.Name) and function is not None and (found := _assigned(function, value.id)):
            return [prefix + v for v in found]
        if prefix in FAMILIES:
            return [prefix + v for v in FAMILIES[prefix]()]
    raise Unresolved(ast.unparse(node))


def written_actions(text: str, where: str = "<source>") -> dict[str, str]:
    """``{action code: where}`` of every ``audit_record(action=...)`` call in a module's text."""
    tree = ast.parse(text)
    parents = _parents(tree)
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "audit_record":
            for kw in node.keywords:
                if kw.arg == "action":
                    try:
                        codes = _codes(kw.value, tree, parents)
                    except Unresolved as exc:
                        raise AssertionError(f"{where}:{node.lineno}: cannot tell the action codes of {exc}") from exc
                    found.update({code: f"{where}:{node.lineno}" for code in codes})
    return found


def source_actions() -> dict[str, str]:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(written_actions(path.read_text(encoding="utf-8"), str(path.relative_to(SOURCE))))
    return found


# ---------------------------------------------------------------- every action has a label


def test_every_action_code_written_in_the_source_has_a_chinese_label(db):
    written = source_actions()
    assert len(written) > 90  # the scan found the calls (a broken scan cannot pass on nothing)
    missing = {code: where for code, where in written.items() if not action_label(code)}
    assert missing == {}, "add these to the app's AUDIT_ACTIONS (hooks.py)"


def test_the_scan_reads_constants_conditionals_parameters_and_assigned_fstrings():
    text = textwrap.dedent('''
        SEARCH = "thing.search"
        def _decide(*, actor, action):
            audit_record(actor=actor, action=action)
        def approve(actor):
            _decide(actor=actor, action="thing.approve")
        def save(actor, change):
            audit_record(actor=actor, action="thing.update" if change else "thing.create")
            audit_record(actor=actor, action=SEARCH)
            outcome = "made"
            audit_record(actor=actor, action=f"thing.{outcome}")
    ''')
    assert set(written_actions(text)) == {"thing.search", "thing.approve", "thing.update", "thing.create",
                                          "thing.made"}


def test_a_new_action_without_a_label_fails_the_check(db):
    written = written_actions('audit_record(actor=actor, action="thing.never_labelled")')
    assert [code for code in written if not action_label(code)] == ["thing.never_labelled"]


def test_an_fstring_action_the_scan_cannot_enumerate_fails_instead_of_being_skipped():
    with pytest.raises(AssertionError, match="cannot tell"):
        written_actions('def f(actor, what):\n    audit_record(actor=actor, action=f"thing.{what}")')


def test_every_importer_has_an_action_label(db):
    for kind, importer in IMPORTERS.mapping().items():
        assert action_label(f"import.{kind}") == f"数据导入：{importer.title}"


def test_every_arrears_transition_target_has_a_label():
    from bangfu.arrears.choices import TRANSITIONS

    labels = action_labels()
    assert {f"arrears_case.{to}" for targets in TRANSITIONS.values() for to in targets} <= set(labels)
    assert str(labels["arrears_case.closed"]) == "结案"


def test_an_action_labelled_by_two_apps_is_an_error():
    hook = MappingHook("AUDIT_ACTIONS")
    hook._override = [("one", {"x.y": "甲"}), ("two", {"x.y": "乙"})]
    with pytest.raises(Exception, match="x.y"):
        hook.mapping()


def test_an_app_may_not_relabel_a_core_action():
    with AUDIT_ACTIONS.override({"audit.export": "别的"}), pytest.raises(ValueError, match="audit.export"):
        action_labels()


# ---------------------------------------------------------------- the detail as 字段：值


def test_money_is_shown_in_yuan_with_two_decimals_and_known_keys_in_chinese():
    pairs = detail_pairs({"amount_fen": 12345, "total_fen": 100, "count": 3, "reason": "核实"})
    assert pairs == [("金额", "123.45 元"), ("合计金额", "1.00 元"), ("条数", "3"), ("原因", "核实")]


def test_unknown_keys_and_actions_are_shown_as_stored(db):
    assert detail_text({"zzz_custom": "v", "flag": True, "ids": [1, 2]}) == "zzz_custom：v；flag：是；ids：1、2"
    assert action_label("thing.unknown") == ""


# ---------------------------------------------------------------- the page and the export


@pytest.fixture
def auditor_client(client, make_user):
    client.force_login(make_user(role="auditor", area_code="50"))
    return client


@pytest.mark.django_db
def test_the_audit_log_page_shows_the_action_actor_and_detail_in_chinese(auditor_client):
    audit_record(actor=SCHEDULER, action="arrears_case.closed", area_code="500230",
                 detail={"amount_fen": 12345, "number": "QX-1"})
    html = auditor_client.get(reverse("core:audit_log")).content.decode()
    assert "结案" in html
    assert "金额：123.45 元" in html
    assert "编号：QX-1" in html
    assert ">定时任务<" in html  # the actor's label, not "scheduler"
    assert "amount_fen" not in html


@pytest.mark.django_db
def test_the_audit_log_export_has_the_same_labels(auditor_client):
    audit_record(actor=SYSTEM, action="payment_batch.create", area_code="500230",
                 detail={"number": "PB-7", "total_fen": 250000})
    response = auditor_client.get(reverse("core:audit_log_export"), {"action": "payment_batch"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1:4] == ("系统", "生成支付批次", "payment_batch.create")
    assert rows[1][8] == "编号：PB-7；合计金额：2,500.00 元"

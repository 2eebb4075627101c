"""core imports no domain app (DESIGN.md §2): the apps contribute through ``bangfu.core.hooks``.

The source of every module under ``bangfu/core`` (tests excepted) is scanned with ``ast`` for
``import``/``from ... import`` statements (relative ones resolved) and ``import_module("...")``
calls naming a module of another bangfu app, wherever they stand (a function, ``TYPE_CHECKING``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import bangfu

PACKAGE = Path(bangfu.__file__).parent
CORE = PACKAGE / "core"


def domain_apps() -> set[str]:
    """Every Django app of bangfu but core, installed or not: a package with an ``apps.py``."""
    return {path.parent.name for path in PACKAGE.glob("*/apps.py")} - {"core"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_names(source: str, *, module: str, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every module the source imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node, module, is_package)
            yield node.lineno, target
            for alias in node.names:  # ``from bangfu import registry`` imports a module by name
                yield node.lineno, f"{target}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__", "import_string") and isinstance(node.args[0].value, str):
                yield node.lineno, node.args[0].value


def domain_imports(source: str, *, module: str, is_package: bool = False, apps: set[str]) -> list[tuple[int, str]]:
    found = []
    for line, name in imported_names(source, module=module, is_package=is_package):
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == "bangfu" and parts[1] in apps:
            found.append((line, name))
    return found


def core_sources() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "tests" not in p.relative_to(CORE).parts)


def test_the_domain_apps_are_found():
    assert {"accounts", "registry", "monitoring", "policies", "jobs", "arrears"} <= domain_apps()


def test_no_module_of_core_imports_a_domain_app():
    apps = domain_apps()
    sources = core_sources()
    assert len(sources) > 30 and CORE / "schedule.py" in sources  # the scan sees core
    offences = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in sources
        for line, name in domain_imports(path.read_text(encoding="utf-8"), module=module_name(path),
                                         is_package=path.name == "__init__.py", apps=apps)
    ]
    assert offences == []


def test_the_scan_catches_every_way_of_importing_an_app():
    source = "\n".join([
        "import bangfu.jobs.tasks",
        "from bangfu.registry.models import Person",
        "from bangfu import arrears",
        "from ..monitoring import services",
        "def later():",
        "    from bangfu.policies.outbox import send",
        "    return importlib.import_module('bangfu.accounts.models')",
        "from bangfu.core.audit import audit_record",
        "from bangfu.engine.backends import open_engine",
    ])
    found = domain_imports(source, module="bangfu.core.schedule", apps=domain_apps())
    assert sorted({line for line, _ in found}) == [1, 2, 3, 4, 6, 7]
    assert ("bangfu.monitoring.services" in {name for _, name in found})

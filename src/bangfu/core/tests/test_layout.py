"""Files a reader can hold, and a CONTRIBUTING.md that stays true (issue 10, deliverable 8).

No ``.py`` file under ``src/bangfu`` or ``benchmarks`` (migrations excepted) is over
``MAX_LINES`` lines; every backticked repository path in CONTRIBUTING.md exists. That core
imports no domain app is ``test_core_imports.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import bangfu

REPO = Path(bangfu.__file__).resolve().parents[2]
MAX_LINES = 400
SCANNED = ("src/bangfu", "benchmarks")
# Repository paths (relative to the root) allowed over MAX_LINES for now, with the reason.
KNOWN_LONG: dict[str, str] = {}  # path: why it may stay long (none today)
CHECKED_PREFIXES = ("src/", "benchmarks/", "scripts/")


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def long_files(root: Path, folders=SCANNED, limit: int = MAX_LINES) -> dict[str, int]:
    """``{path relative to root: lines}`` of every ``.py`` file over ``limit``, migrations excepted."""
    found = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            lines = line_count(path)
            if lines > limit:
                found[relative.as_posix()] = lines
    return found


def backticked_paths(markdown: str) -> list[str]:
    """Repository paths written in backticks (``src/...``, ``benchmarks/...``, ``scripts/...``);
    placeholders such as ``src/bangfu/<app>/`` and globs are not paths."""
    paths = []
    for span in re.findall(r"`([^`\n]+)`", markdown):
        if span.startswith(CHECKED_PREFIXES) and not re.search(r"[<>*\s]", span):
            paths.append(span)
    return paths


def test_no_source_file_is_over_the_limit():
    offenders = {path: lines for path, lines in long_files(REPO).items() if path not in KNOWN_LONG}
    assert offenders == {}, "over %d lines (split by subject, keep the import path): %s" % (
        MAX_LINES, ", ".join(f"{path} ({lines})" for path, lines in sorted(offenders.items())))


def test_every_known_long_file_is_still_long():
    """An exception whose file was split (or moved) is removed from KNOWN_LONG."""
    long = long_files(REPO)
    assert [path for path in KNOWN_LONG if path not in long] == []


def test_the_scan_finds_a_long_file_and_skips_migrations(tmp_path):
    app = tmp_path / "src" / "bangfu" / "app"
    (app / "migrations").mkdir(parents=True)
    (app / "short.py").write_text("x = 1\n" * MAX_LINES)
    (app / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (app / "migrations" / "0001_initial.py").write_text("x = 1\n" * 1000)
    (tmp_path / "benchmarks" / "facts").mkdir(parents=True)
    (tmp_path / "benchmarks" / "facts" / "big.py").write_text("x = 1\n" * 500)
    assert long_files(tmp_path) == {"src/bangfu/app/long.py": MAX_LINES + 1, "benchmarks/facts/big.py": 500}


def test_the_scan_sees_the_repository():
    assert line_count(REPO / "src" / "bangfu" / "settings.py") > 0
    assert (REPO / "benchmarks" / "policy_run.py").is_file()


def test_every_path_named_in_contributing_exists():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    paths = backticked_paths(text)
    assert len(paths) > 40  # the checklists name their files
    assert [path for path in paths if not (REPO / path).exists()] == []


def test_contributing_has_both_checklists_and_the_rules():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in ("## The layout of `src/bangfu/`", "## Checklist: add a model", "## Checklist: add an app",
                    "## Running the tests"):
        assert heading in text
    assert "require(actor, Capability.X)" in text and f"{MAX_LINES} lines" in text


def test_contributing_lists_every_app():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    apps = sorted(p.parent.name for p in (REPO / "src" / "bangfu").glob("*/apps.py"))
    assert len(apps) > 10
    assert [app for app in apps if f"`src/bangfu/{app}/`" not in text] == []


def test_the_path_extraction_skips_placeholders_and_commands():
    text = ("Copy `src/bangfu/employers/models.py`, write `src/bangfu/<app>/hooks.py`, run "
            "`make test` or `scripts/run-tests.sh -x`; `benchmarks/*.py`; `benchmarks/facts/`.")
    assert backticked_paths(text) == ["src/bangfu/employers/models.py", "benchmarks/facts/"]

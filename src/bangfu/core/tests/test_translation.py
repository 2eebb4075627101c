"""The English catalogue: present, compiled from the current .po, and translating the key strings.

Re-collect and compile with (from src/bangfu):
    bangfu makemessages -l en --ignore "*/tests/*" --ignore "static/*" --ignore "testing/*" --add-location file
    bangfu compilemessages -l en
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from bangfu.core.context import NAVIGATION

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def catalog(mo: Path) -> dict:
    """The messages of a compiled catalogue, without the header (it carries dates only)."""
    with mo.open("rb") as f:
        messages = dict(gettext.GNUTranslations(f)._catalog)
    messages.pop("", None)
    return messages


def test_the_english_catalogue_is_compiled():
    assert PO.exists()
    assert MO.exists(), "run: bangfu compilemessages -l en"
    assert len(catalog(MO)) > 1000


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs msgfmt (gettext) to compile the .po")
def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(PO)], check=True)
    expected, committed = catalog(fresh), catalog(MO)
    missing = sorted(set(expected) - set(committed), key=str)[:5]
    changed = sorted((k for k in expected.keys() & committed.keys() if expected[k] != committed[k]), key=str)[:5]
    assert not missing and not changed and len(expected) == len(committed), (
        f"django.mo is stale (run: bangfu compilemessages -l en); missing {missing}, changed {changed}")


def test_the_po_file_has_no_fuzzy_entries():
    """Fuzzy entries are makemessages' guesses: left out of the .mo and usually wrong."""
    entries = PO.read_text(encoding="utf-8").split("\n\n")[1:]  # the first block is the header
    fuzzy = [e for e in entries if re.search(r"^#,.*\bfuzzy\b", e, re.M) and not e.startswith("#~")]
    assert fuzzy == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs xgettext (gettext) to collect the strings")
def test_every_string_of_the_source_has_its_english(tmp_path):
    """makemessages over a copy of the package: no string of a page, message, import type or
    label is left without an English text (nor as a fuzzy guess)."""
    import sys

    package = LC_MESSAGES.parents[2]
    copy = tmp_path / "bangfu"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("tests", "static", "testing", "__pycache__",
                                                                 "*.mo", "migrations"))
    subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-location",
                    "--settings", "bangfu.settings"], cwd=copy, check=True, capture_output=True,
                   env={**__import__("os").environ, "PYTHONPATH": str(tmp_path)})
    entries = (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]
    live = [e for e in entries if not e.lstrip().startswith("#~")]
    untranslated = [e for e in live if re.search(r'^msgstr ""\n?$', e, re.M) and "msgstr[" not in e
                    and not re.search(r'^msgstr ""\n"', e, re.M)]
    fuzzy = [e for e in live if re.search(r"^#,.*\bfuzzy\b", e, re.M)]
    assert untranslated == [] and fuzzy == [], (untranslated + fuzzy)[:10]


def test_every_menu_item_reads_in_english():
    with translation.override("en"):
        labels = [str(label) for _name, label, _capability in NAVIGATION]
    assert [label for label in labels if CHINESE.search(label)] == []
    assert "Person registry" in labels
    assert "Wage arrears" in labels


@pytest.mark.parametrize(("chinese", "english"), [
    ("人员花名册", "Person registry"),
    ("务工监测", "Employment monitoring"),
    ("文件只有表头，没有数据行", "The file has a header row but no data rows"),
    ("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入",
     "Old .xls files are not supported; save the file as .xlsx in Excel and import again"),
    ("此项为必填项", "This field is required"),
])
def test_key_strings_translate_to_english(chinese, english):
    with translation.override("en"):
        assert translation.gettext(chinese) == english
    with translation.override("zh-hans"):
        assert translation.gettext(chinese) == chinese


def test_placeholders_survive_translation():
    with translation.override("en"):
        assert translation.gettext("缺少必填列：{columns}。请使用导入模板").format(columns="姓名") == (
            "Missing required columns: 姓名. Please use the import template")
        assert translation.ngettext("共 %(n)s 件", "共 %(n)s 件", 2) % {"n": 2} == "2 cases"
        assert translation.ngettext("共 %(n)s 件", "共 %(n)s 件", 1) % {"n": 1} == "1 case"


@pytest.mark.parametrize(("value", "chinese", "english"), [
    (812_345, "81.2万", "812,345"), (31_234_567, "3123.5万", "31.2 million"), (9_876, "9,876", "9,876")])
def test_large_counts_are_wan_in_chinese_and_millions_in_english(value, chinese, english):
    from bangfu.core.money import format_wan

    assert format_wan(value) == chinese
    with translation.override("en"):
        assert format_wan(value) == english


def test_money_in_a_sentence_reads_in_each_language():
    from bangfu.core.figures import money_text

    assert money_text(40_123_456_700) == "4.01亿元" and money_text(3_123_400) == "3.1万元"
    with translation.override("en"):
        assert money_text(40_123_456_700) == "401.23 million yuan"
        assert money_text(3_123_400) == "31,234 yuan" and "万" not in money_text(3_123_400)

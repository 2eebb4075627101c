"""The ``libreoffice`` marker: such a test is skipped only where LibreOffice is not installed
(``make test`` installs it through scripts/system-deps.sh, so CI runs it)."""

import pytest

from bangfu.monitoring.briefing_pdf import soffice_path


def pytest_runtest_setup(item):
    if item.get_closest_marker("libreoffice") is not None and soffice_path() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")

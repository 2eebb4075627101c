"""The ``bangfu`` console script: every ``manage.py`` command, plus bangfu's own.

``bangfu import registry FILE`` is the management command ``import`` with ``registry`` as its
first argument; ``bangfu demo``, ``bangfu generate``, ``bangfu kpi``... likewise.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "bangfu"
    execute_from_command_line(argv)


if __name__ == "__main__":  # pragma: no cover
    main()

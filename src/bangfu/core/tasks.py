"""Import jobs moved to ``bangfu.core.imports.jobs``; a job queued before the move names its
task by this module's path, so the task is still found here."""

from bangfu.core.imports.jobs import import_job_run  # noqa: F401

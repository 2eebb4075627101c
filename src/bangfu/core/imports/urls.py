"""数据导入 at ``/imports/``: the upload page, a job's page and progress, its error report.

Until the import framework took the page over it lived at ``/registry/import/``;
``moved_patterns()`` keeps those addresses (and their URL names, in the namespace that
includes them) answering with a redirect that keeps the method and the body (308).
"""

from django.urls import path
from django.views.generic import RedirectView

from bangfu.core.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("template/<slug:kind>/", views.import_template, name="template"),
    path("jobs/<int:pk>/", views.import_job, name="job"),
    path("jobs/<int:pk>/status/", views.import_job_status, name="job_status"),
    path("jobs/<int:pk>/errors.xlsx", views.import_error_report, name="error_report"),
    path("jobs/<int:pk>/commit/", views.import_job_commit, name="job_commit"),
]

# (old path under the including prefix, old URL name, new URL name)
MOVED = [
    ("import/", "import", "index"),
    ("import/template/<slug:kind>/", "import_template", "template"),
    ("import/jobs/<int:pk>/", "import_job", "job"),
    ("import/jobs/<int:pk>/status/", "import_job_status", "job_status"),
    ("import/jobs/<int:pk>/errors.xlsx", "import_error_report", "error_report"),
    ("import/jobs/<int:pk>/commit/", "import_job_commit", "job_commit"),
]


class MovedView(RedirectView):
    """A permanent redirect that a browser repeats with the same method and form data."""

    query_string = True

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code in (301, 302):
            response.status_code = 308
        return response


def moved_patterns() -> list:
    return [path(old, MovedView.as_view(pattern_name=f"imports:{new}"), name=name) for old, name, new in MOVED]

from django.urls import path
from django.views.generic import RedirectView

from bangfu.registry import views

app_name = "registry"
urlpatterns: list = [
    path("", RedirectView.as_view(pattern_name="registry:person_list"), name="index"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/pii/", views.person_reveal_pii, name="person_reveal_pii"),
    path("townships/", views.township_options, name="township_options"),
]

# The upload page (数据导入) and its jobs: bangfu.registry.import_views.
from bangfu.registry import import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.import_index, name="import"),
    path("import/template/<slug:kind>/", import_views.import_template, name="import_template"),
    path("import/jobs/<int:pk>/", import_views.import_job, name="import_job"),
    path("import/jobs/<int:pk>/status/", import_views.import_job_status, name="import_job_status"),
    path("import/jobs/<int:pk>/errors.xlsx", import_views.import_error_report, name="import_error_report"),
    path("import/jobs/<int:pk>/commit/", import_views.import_job_commit, name="import_job_commit"),
]

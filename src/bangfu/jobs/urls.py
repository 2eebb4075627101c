from django.urls import path

from bangfu.jobs.views import overview, postings, workers

app_name = "jobs"
urlpatterns = [
    path("", overview.index, name="index"),
    path("postings/", postings.posting_list, name="posting_list"),
    path("postings/export/", postings.posting_export, name="posting_export"),
    path("postings/new/", postings.posting_create_view, name="posting_create"),
    path("postings/import/", postings.posting_import, name="posting_import"),
    path("postings/import/template/", postings.posting_template, name="posting_template"),
    path("postings/<int:pk>/", postings.posting_detail, name="posting_detail"),
    path("postings/<int:pk>/edit/", postings.posting_edit, name="posting_edit"),
    path("postings/<int:pk>/close/", postings.posting_close_view, name="posting_close"),
    path("postings/<int:posting_id>/export-batch/", overview.export_batch_new, name="export_batch_new"),
    path("employers/", postings.employer_list, name="employer_list"),
    path("employers/new/", postings.employer_form, name="employer_create"),
    path("employers/<int:pk>/", postings.employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", postings.employer_form, name="employer_edit"),
    path("workers/<int:pk>/", workers.worker, name="worker"),
    path("workers/<int:pk>/refer/", workers.refer, name="refer"),
    path("workers/<int:pk>/services/", workers.service_create, name="service_create"),
    path("workers/<int:pk>/explain/<int:posting_id>/", workers.explain, name="explain"),
    path("applications/", overview.applications, name="applications"),
    path("applications/<int:pk>/status/", workers.application_status, name="application_status"),
    path("applications/<int:pk>/hire/", workers.application_hire_view, name="application_hire"),
    path("figures/", overview.figures_view, name="figures"),
    path("cross-zone/", overview.cross_zone, name="cross_zone"),
    path("cooperation/", overview.cooperation, name="cooperation"),
    path("runs/", overview.runs, name="runs"),
    path("runs/start/", overview.run_start, name="run_start"),
    path("runs/<int:pk>/", overview.run_detail, name="run_detail"),
    path("export-batches/", overview.export_batches, name="export_batches"),
    path("export-batches/<int:pk>/", overview.export_batch_detail, name="export_batch_detail"),
]

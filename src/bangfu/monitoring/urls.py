from django.urls import path

from bangfu.monitoring import report_views, views

app_name = "monitoring"
urlpatterns: list = [
    path("", views.dashboard_view, name="dashboard"),
    path("export/<slug:table>/", views.export_view, name="export"),
    path("briefing/", views.briefing_view, name="briefing"),
    path("briefing/docx/", views.briefing_docx_view, name="briefing_docx"),
    path("briefing/pdf/", views.briefing_pdf_view, name="briefing_pdf"),
    path("refill/", views.refill_view, name="refill"),
    path("report/close/", report_views.close_view, name="report_close"),
    path("report/reopen/", report_views.reopen_view, name="report_reopen"),
]

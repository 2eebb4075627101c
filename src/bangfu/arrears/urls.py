from django.urls import path

from bangfu.arrears.views import figures, officer, public

app_name = "arrears"
urlpatterns = [
    # The worker's doors: no login.
    path("complaint/", public.complaint, name="complaint"),
    path("complaint/filed/", public.complaint_done, name="complaint_done"),
    path("status/", public.status, name="status"),
    path("contacts/", public.offices, name="contacts"),
    # The officers' pages.
    path("", officer.index, name="index"),
    path("export/", officer.export, name="export"),
    path("new/", officer.case_new, name="case_new"),
    path("figures/", figures.figures, name="figures"),
    path("offices/", officer.offices, name="offices"),
    path("offices/template/", officer.offices_template, name="offices_template"),
    path("offices/example/", officer.offices_example, name="offices_example"),
    path("cases/<str:number>/", officer.case_detail, name="case_detail"),
    path("cases/<str:number>/reveal/", officer.case_reveal, name="case_reveal"),
    path("cases/<str:number>/<str:action>/", officer.case_action, name="case_action"),
    path("cases/<str:number>/attachments/<int:attachment_id>/", officer.attachment, name="attachment"),
]

from django.urls import path

from bangfu.core import background_views, notice_views, schedule_views, system_views, views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export/", views.audit_log_xlsx, name="audit_log_export"),
    path("logins/", views.login_log, name="login_log"),
    path("logins/export/", views.login_log_xlsx, name="login_log_export"),
    path("dictionaries/", system_views.dictionaries, name="dictionaries"),
    path("parameters/", system_views.parameters, name="parameters"),
    path("parameters/<str:key>/", system_views.parameter_edit, name="parameter_edit"),
    path("notices/", notice_views.notice_list, name="notice_list"),
    path("notices/new/", notice_views.notice_edit, name="notice_create"),
    path("notices/<int:pk>/", notice_views.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/delete/", notice_views.notice_delete, name="notice_delete"),
    path("schedule/", schedule_views.schedule_page, name="schedule"),
    path("schedule/<slug:code>/run/", schedule_views.schedule_run, name="schedule_run"),
    path("tasks/", background_views.task_list, name="task_list"),
    path("tasks/<int:pk>/", background_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/status/", background_views.task_status, name="task_status"),
    path("tasks/<int:pk>/download/", background_views.task_download, name="task_download"),
    path("tasks/<int:pk>/restart/", background_views.task_restart, name="task_restart"),
]

from django.urls import path

from bangfu.core import system_views, views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("dictionaries/", system_views.dictionaries, name="dictionaries"),
    path("parameters/", system_views.parameters, name="parameters"),
]

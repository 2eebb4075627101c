from django.urls import path
from django.views.generic import RedirectView

from bangfu.core.imports.urls import moved_patterns
from bangfu.registry import views

app_name = "registry"
urlpatterns: list = [
    path("", RedirectView.as_view(pattern_name="registry:person_list"), name="index"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/pii/", views.person_reveal_pii, name="person_reveal_pii"),
    path("townships/", views.township_options, name="township_options"),
    # The upload page (数据导入) moved to bangfu.core.imports (/imports/); the old addresses redirect.
    *moved_patterns(),
]

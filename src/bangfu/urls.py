from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for operators who want /en/ URLs)
from django.contrib import admin
from django.urls import include, path

from bangfu.api import api
from bangfu.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("bangfu.accounts.urls")),
    path("registry/", include("bangfu.registry.urls")),
    path("monitoring/", include("bangfu.monitoring.urls")),
    path("policies/", include("bangfu.policies.urls")),
    path("payments/", include("bangfu.payments.urls")),
    path("outbox/", include("bangfu.outbox.urls")),
    path("jobs/", include("bangfu.jobs.urls")),
    path("arrears/", include("bangfu.arrears.urls")),
    path("posts/", include("bangfu.posts.urls")),
    path("training/", include("bangfu.training.urls")),
    path("insurance/", include("bangfu.insurance.urls")),
    path("system/", include("bangfu.core.urls")),
    path("imports/", include("bangfu.core.imports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "bangfu.core.error_views.forbidden"

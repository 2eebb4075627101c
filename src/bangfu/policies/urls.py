from django.urls import path

from bangfu.core.redirects import moved_to
from bangfu.policies.views import batches, policies, review

app_name = "policies"
urlpatterns: list = [
    path("", policies.index, name="index"),
    path("features/", policies.features, name="features"),
    path("new/", policies.policy_create_view, name="create"),
    path("check/", policies.check_expression, name="check"),
    path("p/<slug:code>/", policies.policy_detail, name="detail"),
    path("p/<slug:code>/edit/", policies.policy_edit, name="edit"),
    path("p/<slug:code>/v<int:number>/", policies.policy_version, name="version"),
    path("p/<slug:code>/run/", policies.run_start, name="run_start"),
    path("runs/<int:pk>/", policies.run_detail, name="run"),
    path("explain/person/<int:pk>/", policies.explain_person, name="explain_person"),
    path("explain/<str:kind>/<int:pk>/", policies.explain, name="explain"),
    path("entitlements/", review.entitlement_list, name="entitlements"),
    path("entitlements/action/", review.entitlement_action, name="entitlement_action"),
    path("entitlements/<int:pk>/", review.entitlement_detail, name="entitlement"),
    path("batches/", batches.batch_list, name="batches"),
    path("batches/new/", batches.batch_create, name="batch_create"),
    path("figures/", batches.figures, name="figures"),
    # Pages that moved to payments and outbox (bookmarks, old tabs): a 308 to their new address.
    path("batches/<int:pk>/", moved_to("payments:batch")),
    path("batches/<int:pk>/file.<str:fmt>", moved_to("payments:batch_file")),
    path("batches/<int:pk>/return/", moved_to("payments:batch_return")),
    path("batches/<int:pk>/payments/<int:payment_pk>/reverse/", moved_to("payments:payment_reverse")),
    path("batches/<int:pk>/reconcile/", moved_to("payments:batch_reconcile")),
    path("failed/", moved_to("payments:failed")),
    path("accounts/<int:person_pk>/", moved_to("payments:payee_account")),
    path("outbox/", moved_to("outbox:index")),
]

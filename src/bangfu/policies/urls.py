from django.urls import path

from bangfu.policies.views import payments, policies, review

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
    path("batches/", payments.batch_list, name="batches"),
    path("batches/new/", payments.batch_create, name="batch_create"),
    path("batches/<int:pk>/", payments.batch_detail, name="batch"),
    path("batches/<int:pk>/file.<str:fmt>", payments.batch_file, name="batch_file"),
    path("batches/<int:pk>/return/", payments.batch_return, name="batch_return"),
    path("batches/<int:pk>/payments/<int:payment_pk>/reverse/", payments.payment_reverse_view, name="payment_reverse"),
    path("batches/<int:pk>/reconcile/", payments.batch_reconcile, name="batch_reconcile"),
    path("failed/", payments.failed_list, name="failed"),
    path("accounts/<int:person_pk>/", payments.payee_account_edit, name="payee_account"),
    path("figures/", payments.figures, name="figures"),
    path("outbox/", payments.outbox, name="outbox"),
]

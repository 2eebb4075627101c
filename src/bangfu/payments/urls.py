from django.urls import path

from bangfu.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/file.<str:fmt>", views.batch_file, name="batch_file"),
    path("batches/<int:pk>/return/", views.batch_return, name="batch_return"),
    path("batches/<int:pk>/payments/<int:payment_pk>/reverse/", views.payment_reverse_view, name="payment_reverse"),
    path("batches/<int:pk>/reconcile/", views.batch_reconcile, name="batch_reconcile"),
    path("batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("failed/", views.failed_list, name="failed"),
    path("accounts/<int:person_pk>/", views.payee_account_edit, name="payee_account"),
]

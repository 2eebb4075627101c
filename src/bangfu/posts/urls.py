from django.urls import path

from bangfu.posts import views

app_name = "posts"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide", views.decide, name="decide"),
    path("<int:pk>/place", views.place, name="place"),
    path("eligibility/<int:person_id>/", views.eligibility, name="eligibility"),
    path("attendance/", views.attendance, name="attendance"),
    path("attendance/sheet.xlsx", views.attendance_sheet, name="attendance_sheet"),
    path("attendance/upload", views.attendance_upload, name="attendance_upload"),
    path("attendance/approve", views.attendance_approve, name="attendance_approve"),
    path("placements/<int:pk>/exit", views.exit_confirm, name="exit"),
    path("roster.xlsx", views.roster, name="roster"),
    path("requests.xlsx", views.requests_sheet, name="requests_sheet"),
    path("pay/", views.pay, name="pay"),
    path("pay/run", views.pay_run, name="pay_run"),
    path("pay/sheet.xlsx", views.pay_sheet, name="pay_sheet"),
]

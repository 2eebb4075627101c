from django.urls import path

from bangfu.training import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("courses/new", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/enrol", views.enrol, name="enrol"),
    path("courses/<int:pk>/roster.xlsx", views.roster, name="roster"),
    path("courses/<int:pk>/roster/upload", views.roster_upload, name="roster_upload"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("shortage/", views.shortage, name="shortage"),
    path("shortage.xlsx", views.shortage_export, name="shortage_export"),
    path("trainees/", views.trainees, name="trainees"),
    path("trainees/<int:pk>/", views.enrolment, name="enrolment"),
    path("trainees/<int:pk>/act", views.enrolment_act, name="enrolment_act"),
]

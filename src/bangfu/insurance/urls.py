from django.urls import path

from bangfu.insurance import views

app_name = "insurance"

urlpatterns = [
    path("", views.index, name="index"),
    path("gaps.xlsx", views.gaps_export, name="gaps_export"),
    path("gaps/<int:pk>/", views.gap_detail, name="gap"),
    path("gaps/<int:pk>/follow-up", views.gap_follow_up, name="gap_follow_up"),
    path("on-behalf/", views.on_behalf, name="on_behalf"),
    path("on-behalf.xlsx", views.on_behalf_export, name="on_behalf_export"),
    path("platforms/", views.platforms, name="platforms"),
    path("unemployment/", views.unemployment, name="unemployment"),
]

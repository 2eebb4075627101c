from django.urls import path

from bangfu.network.views import people, registers

app_name = "network"

urlpatterns = [
    path("", registers.index, name="index"),
    path("my/", people.my_people, name="my_people"),
    path("my/<int:pk>/call/", people.call, name="call"),
    path("my/<int:pk>/serve/", people.serve, name="serve"),
    path("my/<int:pk>/refer/", people.refer, name="refer"),
    path("my/<int:pk>/hire/", people.hire, name="hire"),
    path("markets/", registers.markets, name="markets"),
    path("workshops/", registers.workshops, name="workshops"),
    path("workshops/roster/", registers.roster, name="roster"),
    path("helpers/", registers.helpers, name="helpers"),
    path("services/", registers.services, name="services"),
    path("zero-households/", registers.zero_households, name="zero_households"),
]

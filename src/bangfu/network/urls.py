from django.urls import path

from bangfu.network.views import markets, people, registers, workshops

app_name = "network"

urlpatterns = [
    path("", registers.index, name="index"),
    path("my/", people.my_people, name="my_people"),
    path("my/<int:pk>/call/", people.call, name="call"),
    path("my/<int:pk>/serve/", people.serve, name="serve"),
    path("my/<int:pk>/refer/", people.refer, name="refer"),
    path("my/<int:pk>/hire/", people.hire, name="hire"),
    path("markets/", registers.markets, name="markets"),
    path("markets/<int:pk>/", markets.market_detail, name="market"),
    path("markets/<int:pk>/gigs/new/", markets.gig_new, name="gig_new"),
    path("gigs/<int:pk>/", markets.gig_detail, name="gig"),
    path("gigs/<int:pk>/match/", markets.gig_match, name="gig_match"),
    path("gig-matches/<int:pk>/outcome/", markets.gig_outcome, name="gig_outcome"),
    path("workshops/", registers.workshops, name="workshops"),
    path("workshops/new/", workshops.workshop_new, name="workshop_new"),
    path("workshops/roster/", registers.roster, name="roster"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/recognise/", workshops.workshop_recognise_view, name="workshop_recognise"),
    path("workshops/<int:pk>/start/", workshops.workshop_start_view, name="workshop_start"),
    path("workshops/<int:pk>/exit/", workshops.workshop_exit_view, name="workshop_exit"),
    path("workshops/<int:pk>/members/", workshops.workshop_member_add, name="workshop_member_add"),
    path("workshops/<int:pk>/members/<int:member_id>/end/", workshops.workshop_member_end,
         name="workshop_member_end"),
    path("workshops/<int:pk>/rating/", workshops.workshop_rating, name="workshop_rating"),
    path("helpers/", registers.helpers, name="helpers"),
    path("services/", registers.services, name="services"),
    path("zero-households/", registers.zero_households, name="zero_households"),
]

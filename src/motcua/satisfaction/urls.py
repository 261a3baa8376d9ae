"""Public rating pages (/danh-gia/), the SIPAS questionnaire (/khao-sat-sipas/) and the officials'
SIPAS pages (/mot-cua/sipas/); mounted at the site root by one line of motcua/urls.py."""

from django.urls import path

from motcua.satisfaction import views

app_name = "satisfaction"
urlpatterns = [
    path("danh-gia/", views.rate_lookup, name="lookup"),
    path("danh-gia/<str:code>/", views.rate, name="rate"),
    path("khao-sat-sipas/<str:token>/", views.sipas_survey, name="sipas_survey"),
    path("mot-cua/sipas/", views.campaigns, name="campaigns"),
    path("mot-cua/sipas/dot-moi/", views.campaign_new, name="campaign_new"),
    path("mot-cua/sipas/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("mot-cua/sipas/<int:pk>/<str:action>/", views.campaign_action, name="campaign_action"),
    path("mot-cua/danh-gia/", views.agency_ratings, name="agency_ratings"),
]

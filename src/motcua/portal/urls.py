"""Public URLs, in Vietnamese words like those of the national portal (thu-tuc, linh-vuc, co-quan)."""

from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/phien-ban/<int:number>/", views.procedure_version, name="procedure_version"),
    path("linh-vuc/", views.domain_list, name="domains"),
    path("linh-vuc/<slug:slug>/", views.domain_detail, name="domain"),
    path("co-quan/", views.agency_list, name="agencies"),
    path("co-quan/<slug:slug>/", views.agency_detail, name="agency"),
    path("cap/<slug:slug>/", views.level_detail, name="level"),
    path("thong-ke/", views.statistics, name="statistics"),
]

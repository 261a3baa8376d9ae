from django.urls import path

from motcua.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("xem/", views.go, name="go"),
    path("<str:kind>/<str:code>/", views.scope, name="scope"),
    path("<str:kind>/<str:code>/xuat.<str:fmt>", views.export, name="export"),
]

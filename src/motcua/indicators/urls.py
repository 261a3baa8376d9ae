from django.urls import path

from motcua.indicators import views

app_name = "indicators"
urlpatterns = [
    path("ho-so/", views.dossiers, name="dossiers"),
]

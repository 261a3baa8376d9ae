"""The public verification page, at a Vietnamese address like the portal's (xac-thuc = verify)."""

from django.urls import path

from motcua.signing import views

app_name = "signing"
urlpatterns = [
    path("xac-thuc/", views.verify, name="verify"),
]

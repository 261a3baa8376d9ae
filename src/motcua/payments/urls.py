"""Payment URLs under /thanh-toan/, in Vietnamese words like the rest of the public site."""

from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("ho-so/<int:pk>/", views.dossier_fee, name="dossier_fee"),
    path("ipn/", views.ipn, name="ipn"),
    path("ket-qua/", views.result, name="result"),
    path("bien-lai/<str:order_id>/", views.receipt, name="receipt"),
    path("sandbox/<str:order_id>/", views.sandbox_bank, name="sandbox_bank"),
]

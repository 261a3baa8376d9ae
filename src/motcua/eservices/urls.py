"""The citizen's online services, in Vietnamese words like the rest of the portal (docs/eservices.md)."""

from django.urls import path

from motcua.eservices import views

app_name = "eservices"
urlpatterns = [
    path("nop-truc-tuyen/<str:procedure_code>/", views.submit, name="submit"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", views.dossier, name="dossier"),
    path("ho-so-cua-toi/<str:code>/bo-sung/", views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", views.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/phieu/<int:slip_id>/", views.slip, name="slip"),
    path("ho-so-cua-toi/<str:code>/ket-qua/<int:result_id>/", views.result, name="result"),
    path("kho-giay-to/", views.documents, name="documents"),
    path("kho-giay-to/<str:item_id>/", views.document, name="document"),
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
]

"""The back office (một cửa) for officials, under /mot-cua/, in Vietnamese words."""

from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("co-quan/", views.switch_agency, name="switch_agency"),
    path("tiep-nhan/", views.reception_search, name="reception"),
    path("tiep-nhan/dong-giay-to/", views.reception_extra_row, name="reception_extra_row"),
    path("tiep-nhan/<str:code>/", views.reception_form, name="reception_form"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/thao-tac/<str:action>/", views.dossier_action, name="dossier_action"),
    path("ho-so/<int:pk>/ky-so-ket-qua/", views.result_sign, name="result_sign"),
    path("ho-so/<int:pk>/phieu/lap/<str:kind>/", views.slip_issue, name="slip_issue"),
    path("ho-so/<int:pk>/phieu/<int:slip_id>/", views.slip_download, name="slip"),
    path("ho-so/<int:pk>/giay-to/<int:paper_id>/", views.paper_download, name="paper"),
    path("so-theo-doi/", views.register, name="register"),
]

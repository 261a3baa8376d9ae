"""Account pages, in Vietnamese words like the rest of the portal; mounted at /tai-khoan/."""

from django.urls import path

from motcua.citizens import views

app_name = "citizens"
urlpatterns = [
    path("dang-ky/", views.register, name="register"),
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("ho-so/", views.profile, name="profile"),
    path("xac-thuc/gui-lai/", views.resend_verification, name="resend_verification"),
    path("xac-thuc/<str:token>/", views.verify_email, name="verify_email"),
    path("doi-mat-khau/", views.citizen_required(views.PasswordChangeView.as_view()), name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("don-vi/xa-phuong/", views.communes, name="communes"),
]

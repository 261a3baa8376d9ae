"""PAKN pages: public ones under /phan-anh-kien-nghi/, the officials' queue under /mot-cua/pakn/."""

from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [
    path("phan-anh-kien-nghi/", views.index, name="index"),
    path("phan-anh-kien-nghi/gui/", views.submit, name="submit"),
    path("phan-anh-kien-nghi/tra-cuu/", views.track, name="track"),
    path("phan-anh-kien-nghi/theo-doi/<str:code>/", views.case_page, name="case"),
    path("phan-anh-kien-nghi/theo-doi/<str:code>/<str:action>/", views.submitter_action, name="submitter_action"),
    path("phan-anh-kien-nghi/cong-khai/<str:code>/", views.published_detail, name="published"),
    path("phan-anh-kien-nghi/cong-khai/<str:code>/binh-chon/", views.vote, name="vote"),
    path("mot-cua/pakn/", views.office_queue, name="office_queue"),
    path("mot-cua/pakn/<int:pk>/", views.office_case, name="office_case"),
    path("mot-cua/pakn/<int:pk>/<str:action>/", views.office_action, name="office_action"),
]

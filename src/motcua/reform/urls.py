"""Official pages under /mot-cua/cai-cach/ and the public report under /cai-cach-tthc/."""

from django.urls import path

from motcua.reform import views

app_name = "reform"
urlpatterns = [
    path("mot-cua/cai-cach/", views.index, name="index"),
    path("mot-cua/cai-cach/danh-gia/", views.assessment_new, name="assessment_new"),
    path("mot-cua/cai-cach/danh-gia/<int:pk>/", views.assessment, name="assessment"),
    path("mot-cua/cai-cach/phuong-an/moi/", views.plan_new, name="plan_new"),
    path("mot-cua/cai-cach/phuong-an/<int:pk>/", views.plan, name="plan"),
    path("mot-cua/cai-cach/phuong-an/<int:pk>/them/", views.plan_add, name="plan_add"),
    path("mot-cua/cai-cach/phuong-an/<int:pk>/cong-khai/", views.plan_publish, name="plan_publish"),
    path("mot-cua/cai-cach/phuong-an/<int:pk>/<str:fmt>/", views.plan_export, name="plan_export"),
    path("cai-cach-tthc/", views.public_index, name="public_index"),
    path("cai-cach-tthc/<int:pk>/", views.public_plan, name="public_plan"),
    path("cai-cach-tthc/<int:pk>/<str:fmt>/", views.public_export, name="public_export"),
]

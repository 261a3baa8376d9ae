from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("motcua.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("mot-cua/chi-so/", include("motcua.indicators.urls")),
    path("", include("motcua.reform.urls")),
    path("bang-dieu-khien/", include("motcua.dashboards.urls")),
    path("", include("motcua.satisfaction.urls")),
    path("", include("motcua.feedback.urls")),
    path("mot-cua/", include("motcua.backoffice.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("truc-lien-thong/", include("motcua.exchange.urls")),
    path("", include("motcua.signing.urls")),
    path("tai-khoan/", include("motcua.citizens.urls")),
    path("", include("motcua.eservices.urls")),
    path("", include("motcua.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

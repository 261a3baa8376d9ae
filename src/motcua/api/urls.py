from django.urls import path, re_path

from motcua.api import docs
from motcua.api.views import api, not_found

urlpatterns = [
    path("", api.urls),
    path("docs/assets/<str:name>", docs.asset, name="api-docs-asset"),
    re_path(r"^(?P<rest>.*)$", not_found),
]

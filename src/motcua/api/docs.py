"""The interactive API docs, served without any external URL.

ninja's Swagger page loads its assets from a CDN unless "ninja" is in INSTALLED_APPS, and the
platform must work offline (an intranet, a provincial data centre). ninja's wheel already ships
the swagger-ui-dist files it was tested with, so we serve those from the installed package through
`asset()` instead of vendoring a second copy: no external URL, and the assets follow ninja's
version. The page itself is our template, with the validator badge (which calls
validator.swagger.io) switched off.
"""

import mimetypes
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
# Only what the page loads: the asset view never serves another file of the package.
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png", "favicon.svg"}


class OfflineSwagger(DocsBase):
    settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "validatorUrl": None,
        "docExpansion": "list",
        "defaultModelsExpandDepth": 0,
    }

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            "api/docs.html",
            {"api": api, "swagger_settings": settings},
        )


@require_GET
def asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404(name)
    path = ASSET_DIR / name
    if not path.is_file():
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response

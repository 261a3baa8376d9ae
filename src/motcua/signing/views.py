"""The public verification page: upload a PDF, read the verdict. No account needed, nothing is kept."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from motcua.signing import conf, uploads
from motcua.signing.forms import VerifyForm
from motcua.signing.verification import verify_pdf


@never_cache
@csrf_exempt
def verify(request: HttpRequest) -> HttpResponse:
    # The upload limit is installed before the CSRF check reads the body (signing/uploads.py); the
    # CSRF check itself runs in _verify.
    handler = uploads.install(request) if request.method == "POST" else None
    return _verify(request, handler)


@csrf_protect
def _verify(request: HttpRequest, handler) -> HttpResponse:
    report = None
    status = 200
    form = VerifyForm()
    if request.method == "POST":
        data, refused = uploads.read_pdf(request, handler)
        form = VerifyForm(request.POST, request.FILES if data is not None else {})
        if refused is not None:
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", refused.message_vi)
            status = 422
        elif data is None or not form.is_valid():
            status = 422
        else:
            report = verify_pdf(data)
    return render(request, "signing/verify.html",
                  {"form": form, "report": report, "max_mb": conf.verify_max_bytes() // (1024 * 1024)},
                  status=status)

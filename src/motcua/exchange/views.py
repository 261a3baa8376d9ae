"""HTML page of the hub (for its operator) and the push-receiving endpoint of a client instance."""

import hmac
import logging

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.api.errors import error_body
from motcua.exchange import edxml, selectors
from motcua.exchange.client import HubError, record_incoming, sender_certificates

logger = logging.getLogger(__name__)


@require_GET
@staff_member_required
def hub_page(request: HttpRequest):
    window = request.GET.get("khoang", "24h")
    return render(request, "exchange/hub.html", {"overview": selectors.hub_overview(window),
                                                 "windows": list(selectors.WINDOWS)})


def _error(status: int, loc: list, msg: str, error_type: str) -> JsonResponse:
    return JsonResponse(error_body(loc, msg, error_type), status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def receive_push(request: HttpRequest):
    """The hub POSTs a package here. Answering 2xx is the acknowledgement, so we answer only once
    the package is verified against the sender's certificate and stored."""
    secret = settings.MOTCUA_EXCHANGE_CALLBACK_SECRET
    given = request.headers.get("Authorization", "")[7:]
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return _error(401, ["header", "Authorization"], "Sai khóa bí mật của trục.", "unauthenticated")
    data = request.read(settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES + 1)
    if len(data) > settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES:
        return _error(413, ["body"], "Gói tin vượt giới hạn kích thước.", "too_large")
    try:
        sender = edxml.parse_package(data).header.sender.organ_id
        row, created = record_incoming(data, trusted_cert_pems=sender_certificates(sender))
    except edxml.EdxmlError as exc:
        return _error(422, ["body", exc.field or "body"], f"Gói tin không hợp lệ: {exc.message}", "invalid")
    except HubError as exc:  # the directory could not be read: the hub pushes again later
        return _error(503, [], f"Chưa kiểm tra được chữ ký (không đọc được danh bạ của trục): {exc.message}",
                      "unavailable")
    if created:
        # An inter-agency request or reply is acted on now; a failure here does not undo the
        # receipt (the hub has it as delivered): `motcua exchange sync` acts on it later.
        from motcua.exchange import interagency

        try:
            interagency.process_one(row.pk)
        except Exception:
            logger.exception("incoming document %s stored, not processed yet", row.document_id)
    return JsonResponse({"document_id": row.document_id, "duplicate": not created}, status=201 if created else 200)

"""The hub's HTTP API (`/truc-lien-thong/api/v1/`): plain views, because packages travel as raw
edXML bodies, not JSON. Every call carries `Authorization: Bearer <key of the organ>`; errors use
the project's API error body (`motcua/api/errors.py`) with Vietnamese messages.
"""

import functools
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.api.errors import error_body
from motcua.exchange import services
from motcua.exchange.models import HubOrgan


def _error(status: int, loc: list, msg: str, error_type: str) -> JsonResponse:
    return JsonResponse(error_body(loc, msg, error_type), status=status, json_dumps_params={"ensure_ascii": False})


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def hub_endpoint(methods: list[str]):
    """Authenticate the organ from its key; refuse when this instance is not a hub."""

    def decorate(view):
        @csrf_exempt
        @require_http_methods(methods)
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if settings.MOTCUA_EXCHANGE_ROLE not in {"hub", "both"}:
                return _error(404, [], "Máy chủ này không chạy trục liên thông.", "not_found")
            header = request.headers.get("Authorization", "")
            key = header[7:].strip() if header.startswith("Bearer ") else ""
            organ = services.authenticate(key) if key else None
            if organ is None:
                services.refuse(401, "unauthenticated", "Thiếu hoặc sai khóa API của cơ quan.",
                                endpoint=request.path[-40:])
                response = _error(401, ["header", "Authorization"],
                                  "Thiếu hoặc sai khóa API của cơ quan (Authorization: Bearer …).", "unauthenticated")
                response["WWW-Authenticate"] = "Bearer"
                return response
            try:
                return view(request, organ, *args, **kwargs)
            except services.RefusedError as exc:
                return _error(exc.status, ["body", exc.field] if exc.field else ["body"], exc.message, exc.reason)

        return wrapper

    return decorate


def _body(request: HttpRequest, organ: HubOrgan, endpoint: str) -> bytes:
    # Read at most one byte past the limit: an oversized body is refused without holding it all.
    limit = settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES
    length = int(request.headers.get("Content-Length") or 0)
    if length > limit:
        raise services.refuse(413, "too_large", f"Gói tin {length:,} byte vượt giới hạn {limit:,} byte.",
                              field="body", organ=organ, endpoint=endpoint)
    return request.read(limit + 1)


def _ids(request: HttpRequest, organ: HubOrgan, endpoint: str) -> list[int]:
    try:
        payload = json.loads(request.body or b"{}")
        ids = payload["ids"]
        if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise services.refuse(422, "invalid", "Cần JSON dạng {\"ids\": [số nguyên, …]}.", field="ids",
                              organ=organ, endpoint=endpoint) from None
    if len(ids) > 1000:
        raise services.refuse(422, "invalid", "Tối đa 1.000 mã mỗi lần.", field="ids", organ=organ, endpoint=endpoint)
    return ids


def _paging(request: HttpRequest) -> tuple[int, int]:
    try:
        after = max(int(request.GET.get("after", "0")), 0)
        limit = min(max(int(request.GET.get("limit", "100")), 1), 1000)
    except ValueError:
        raise services.RefusedError(422, "int_parsing", "Tham số “after” và “limit” phải là số nguyên.", "after") from None
    return after, limit


@hub_endpoint(["POST"])
def send(request, organ):
    result = services.accept_package(organ, _body(request, organ, "send"))
    doc = result.document
    return _json({"document_id": doc.document_id, "sender": organ.organ_id, "recipients": result.recipients,
                  "sha256": doc.sha256, "received_at": doc.received_at.isoformat(), "duplicate": not result.created},
                 status=201 if result.created else 200)


def _item(delivery) -> dict:
    doc = delivery.document
    return {"id": delivery.pk, "document_id": doc.document_id, "sender": doc.sender.organ_id,
            "code_number": doc.code_number, "code_notation": doc.code_notation, "subject": doc.subject,
            "business_type": doc.business_type, "related_document_id": doc.related_document_id,
            "received_at": doc.received_at.isoformat(), "size": doc.size, "sha256": doc.sha256}


@hub_endpoint(["GET"])
def inbox(request, organ):
    after, limit = _paging(request)
    items = [_item(d) for d in services.inbox(organ, after=after, limit=limit)]
    return _json({"items": items, "next_after": items[-1]["id"] if len(items) == limit else None})


@hub_endpoint(["GET"])
def fetch(request, organ, delivery_id: int):
    delivery = services.delivery_for(organ, delivery_id)
    if delivery is None:
        return _error(404, ["path", "delivery_id"], f"Không có văn bản số {delivery_id} trong hộp thư của "
                      f"{organ.organ_id}.", "not_found")
    response = HttpResponse(bytes(delivery.document.package), content_type="application/xml")
    response["X-Motcua-Sha256"] = delivery.document.sha256
    return response


@hub_endpoint(["POST"])
def ack_one(request, organ, delivery_id: int):
    done, unknown = services.acknowledge(organ, [delivery_id])
    if unknown:
        return _error(404, ["path", "delivery_id"], f"Không có văn bản số {delivery_id} trong hộp thư của "
                      f"{organ.organ_id}.", "not_found")
    return _json({"acknowledged": done})


@hub_endpoint(["POST"])
def ack_many(request, organ):
    done, unknown = services.acknowledge(organ, _ids(request, organ, "ack"))
    return _json({"acknowledged": done, "unknown": unknown})


@hub_endpoint(["GET", "POST"])
def statuses(request, organ):
    if request.method == "POST":
        event, created = services.accept_status(organ, _body(request, organ, "status"))
        return _json({"id": event.pk, "code": event.code, "duplicate": not created}, status=201 if created else 200)
    after, limit = _paging(request)
    items = [{"id": e.pk, "document_id": e.delivery.document.document_id,
              "document_sender": e.delivery.document.sender.organ_id,
              "recipient": e.delivery.recipient.organ_id,
              "reported_by": e.reported_by.organ_id if e.reported_by else "hub",
              "code": e.code, "description": e.description, "at": e.at.isoformat(),
              "staff_name": e.staff_name, "department": e.department}
             for e in services.status_feed(organ, after=after, limit=limit)]
    return _json({"items": items, "next_after": items[-1]["id"] if len(items) == limit else None})


@hub_endpoint(["POST"])
def statuses_ack(request, organ):
    return _json({"acknowledged": services.acknowledge_statuses(organ, _ids(request, organ, "status-ack"))})


@hub_endpoint(["GET"])
def document_status(request, organ):
    document_id = request.GET.get("document_id", "").strip()
    if not document_id:
        return _error(422, ["query", "document_id"], "Thiếu tham số bắt buộc “document_id”.", "missing")
    rows = services.status_trail(organ, document_id)
    if not rows:
        return _error(404, ["query", "document_id"], f"Không có văn bản “{document_id}” của hoặc gửi tới "
                      f"{organ.organ_id}.", "not_found")
    for row in rows:
        for key in ("received_at", "acked_at"):
            row[key] = row[key].isoformat() if row[key] else None
        for s in row["statuses"]:
            s["at"], s["received_at"] = s["at"].isoformat(), s["received_at"].isoformat()
    return _json({"document_id": document_id, "recipients": rows})


@hub_endpoint(["GET"])
def organs(request, organ):
    """The directory: organ codes, names and signing certificates, so a client can verify pushes."""
    data = [{"organ_id": o.organ_id, "name": o.name,
             "certificates": [c.decode() for c in services.trusted_certificates(o)]}
            for o in HubOrgan.objects.filter(active=True).prefetch_related("certificates")]
    return _json({"items": data})

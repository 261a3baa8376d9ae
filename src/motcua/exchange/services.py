"""Hub-side rules of the axis: accept a package, route it, acknowledge, record statuses, push.

Every write is one transaction holding the stored rows and their message-log entry, so a hub killed
at any moment leaves either everything or nothing. Every refusal raises `RefusedError` after a
`RefusedMessage` row is written (in its own transaction) and a warning is logged.
"""

import hashlib
import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from cryptography import x509
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from motcua.exchange import edxml, hublog
from motcua.exchange.models import (
    BusinessType,
    Delivery,
    DeliveryState,
    HubCertificate,
    HubCredential,
    HubDocument,
    HubOrgan,
    RefusedMessage,
    StatusEvent,
)

log = logging.getLogger("motcua.exchange")


class RefusedError(Exception):
    """A message the hub will not take; `status` is the HTTP status, `field` names what is wrong."""

    def __init__(self, status: int, reason: str, message: str, field: str = ""):
        self.status, self.reason, self.message, self.field = status, reason, message, field
        super().__init__(message)


def refuse(status: int, reason: str, message: str, *, field: str = "", organ: HubOrgan | None = None,
           endpoint: str = "", data: bytes = b"") -> RefusedError:
    """Record a refusal (outside any transaction being rolled back) and return the exception."""
    log.warning("exchange refused %s from %s: %s (%s)", endpoint, organ.organ_id if organ else "?", message, reason)
    if not connection.in_atomic_block or not connection.needs_rollback:
        RefusedMessage.objects.create(organ=organ, endpoint=endpoint, field=field[:100], reason=reason,
                                      message=message, size=len(data),
                                      sha256=hashlib.sha256(data).hexdigest() if data else "")
    return RefusedError(status, reason, message, field)


# ---- organs and credentials -------------------------------------------------------------------


def certificate_row(organ: HubOrgan, pem: bytes) -> HubCertificate:
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError:
        raise ValueError("Tệp chứng thư số không phải PEM X.509 hợp lệ.") from None
    from cryptography.hazmat.primitives import hashes

    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    row, _created = HubCertificate.objects.get_or_create(
        organ=organ, fingerprint=fingerprint,
        defaults={"pem": pem.decode(), "subject": cert.subject.rfc4514_string()[:500],
                  "not_before": cert.not_valid_before_utc, "not_after": cert.not_valid_after_utc})
    return row


@transaction.atomic
def register_organ(organ_id: str, *, name: str = "", cert_pem: bytes | None = None, callback_url: str = "",
                   callback_secret: str = "", issue_key: bool = True) -> tuple[HubOrgan, str | None]:
    """Create or update an organ; returns it and a new API key (shown once) when one is issued."""
    organ_id = organ_id.strip()
    if not organ_id:
        raise ValueError("Thiếu mã định danh cơ quan.")
    organ, _created = HubOrgan.objects.get_or_create(organ_id=organ_id)
    organ.name = name or organ.name
    if callback_url:
        organ.callback_url = callback_url
    if callback_secret:
        organ.callback_secret = callback_secret
    organ.active = True
    organ.save()
    if cert_pem:
        certificate_row(organ, cert_pem)
    key = HubCredential.issue(organ)[1] if issue_key else None
    return organ, key


def authenticate(key: str) -> HubOrgan | None:
    if not key.startswith(HubCredential.KEY_PREFIX) or len(key) > 100:
        return None
    cred = (HubCredential.objects.select_related("organ")
            .filter(key_hash=HubCredential.hash_key(key), revoked_at__isnull=True, organ__active=True).first())
    return cred.organ if cred else None


def trusted_certificates(organ: HubOrgan) -> list[bytes]:
    now = timezone.now()
    return [c.pem.encode() for c in organ.certificates.filter(revoked_at__isnull=True, not_before__lte=now,
                                                              not_after__gte=now)]


# ---- send -------------------------------------------------------------------------------------


@dataclass
class Accepted:
    document: HubDocument
    created: bool
    recipients: list[str]


def _check_size(data: bytes, organ: HubOrgan, endpoint: str) -> None:
    limit = settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES
    if len(data) > limit:
        raise refuse(413, "too_large", f"Gói tin {len(data):,} byte vượt giới hạn {limit:,} byte.",
                     field="body", organ=organ, endpoint=endpoint, data=data)
    if not data.strip():
        raise refuse(422, "empty", "Nội dung gửi lên rỗng: cần một gói edXML.", field="body", organ=organ,
                     endpoint=endpoint)


def _sender_of(item) -> str:
    return item.header.sender.organ_id if hasattr(item, "header") else item.sender.organ_id


def _verified(parse, verify, data: bytes, organ: HubOrgan, endpoint: str, what: str):
    """Verify the signature against the caller's registered certificates and check that the signed
    `From` is the caller.

    Only what `verify` returns (the signed content) is used afterwards: a wrapped, unsigned copy
    of the header elsewhere in the XML is never read. The unsigned parse is only done when
    verification fails, to tell "posing as another organ" from "bad signature".
    """
    certs = trusted_certificates(organ)
    try:
        if not certs:
            raise edxml.SignatureError("Signature", f"Cơ quan {organ.organ_id} chưa đăng ký chứng thư số còn "
                                       "hiệu lực trên trục.")
        signed = verify(data, trusted_cert_pems=certs)
    except edxml.SignatureError as exc:
        try:
            claimed = _sender_of(parse(data))
        except edxml.EdxmlError:
            claimed = organ.organ_id
        if claimed != organ.organ_id:
            raise _posing(organ, claimed, endpoint, data) from None
        raise refuse(422, "bad_signature", f"Chữ ký số của {what.lower()} không hợp lệ: {exc.message}",
                     field=exc.field or "Signature", organ=organ, endpoint=endpoint, data=data) from None
    except edxml.EdxmlError as exc:
        raise refuse(422, "invalid_xml", f"{what} không hợp lệ: {exc.message}", field=exc.field or "body",
                     organ=organ, endpoint=endpoint, data=data) from None
    if _sender_of(signed) != organ.organ_id:
        raise _posing(organ, _sender_of(signed), endpoint, data)
    return signed


def _posing(organ: HubOrgan, claimed: str, endpoint: str, data: bytes) -> RefusedError:
    return refuse(403, "sender_mismatch", f"Khóa API thuộc cơ quan {organ.organ_id} nhưng gói tin ghi nơi gửi "
                  f"(From) là “{claimed}”: không được gửi thay cơ quan khác.", field="From/OrganId",
                  organ=organ, endpoint=endpoint, data=data)


def accept_package(organ: HubOrgan, data: bytes) -> Accepted:
    """Check, store once and route a package sent by `organ` (the holder of the API key)."""
    endpoint = "send"
    _check_size(data, organ, endpoint)
    package = _verified(edxml.parse_package, edxml.verify_package, data, organ, endpoint, "Gói tin")
    header = package.header
    recipient_ids = list(dict.fromkeys(r.organ_id for r in header.recipients))
    if not recipient_ids:
        raise refuse(422, "no_recipient", "Gói tin không có nơi nhận (To).", field="To", organ=organ,
                     endpoint=endpoint, data=data)
    recipients = {o.organ_id: o for o in HubOrgan.objects.filter(organ_id__in=recipient_ids, active=True)}
    unknown = [r for r in recipient_ids if r not in recipients]
    if unknown:
        raise refuse(422, "unknown_recipient", "Nơi nhận chưa đăng ký trên trục: " + ", ".join(unknown) + ".",
                     field="To/OrganId", organ=organ, endpoint=endpoint, data=data)
    business_type = int(header.business_type or 0)
    if business_type not in BusinessType.values:
        raise refuse(422, "invalid", f"Loại nghiệp vụ (BussinessDocType) “{business_type}” không hợp lệ.",
                     field="BussinessDocType", organ=organ, endpoint=endpoint, data=data)
    if business_type != BusinessType.NEW and not (header.business_reason or "").strip():
        raise refuse(422, "reason_required", "Thu hồi, cập nhật hoặc thay thế văn bản phải nêu lý do "
                     "(BussinessDocReason).", field="BussinessDocReason", organ=organ, endpoint=endpoint, data=data)
    sha = hashlib.sha256(data).hexdigest()
    try:
        stored = _store(organ, header, business_type, data, sha, recipients)
    except IntegrityError:  # another hub process stored the same (sender, DocumentId) a moment ago
        stored = None
    # A resend is answered outside the transaction, so a conflict's refusal row is kept.
    return stored or _existing(organ, header.document_id, sha, data)


def _existing(organ: HubOrgan, document_id: str, sha: str, data: bytes) -> Accepted:
    doc = HubDocument.objects.get(sender=organ, document_id=document_id)
    if doc.sha256 != sha:
        raise refuse(409, "conflict", f"Mã văn bản “{document_id}” đã được gửi với nội dung khác: "
                     "văn bản mới phải có mã mới (hoặc gửi cập nhật/thay thế).", field="DocumentId",
                     organ=organ, endpoint="send", data=data)
    recipients = list(doc.deliveries.values_list("recipient__organ_id", flat=True))
    return Accepted(doc, False, recipients)


def _store(organ, header, business_type, data, sha, recipients) -> Accepted | None:
    with transaction.atomic():
        if HubDocument.objects.filter(sender=organ, document_id=header.document_id).exists():
            return None
        related_id = (header.related_document_id or "").strip()
        related = None
        if related_id:
            related = (HubDocument.objects.filter(document_id=related_id, sender=organ).first()
                       or HubDocument.objects.filter(document_id=related_id).first())
        now = timezone.now()
        doc = HubDocument.objects.create(
            sender=organ, document_id=header.document_id, package=data, sha256=sha, size=len(data),
            code_number=str(header.code_number or "")[:50], code_notation=str(header.code_notation or "")[:100],
            subject=header.subject or "", business_type=business_type, related=related,
            related_document_id=related_id, received_at=now)
        Delivery.objects.bulk_create([
            Delivery(document=doc, recipient=r, created_at=now,
                     next_attempt_at=now if r.callback_url else None)
            for r in recipients.values()])
        hublog.append("document", f"document:{doc.pk}", data)
    return Accepted(doc, True, list(recipients))


# ---- inbox and acknowledgement ----------------------------------------------------------------


def inbox(organ: HubOrgan, *, after: int = 0, limit: int = 100):
    # The listing carries metadata only: without the defer a page of 100 read every package (~7 MB
    # for a few KB of answer, bench/exchange_throughput.py).
    return (Delivery.objects.filter(recipient=organ, acked_at__isnull=True, id__gt=after)
            .select_related("document", "document__sender").defer("document__package").order_by("id")[:limit])


def delivery_for(organ: HubOrgan, delivery_id: int) -> Delivery | None:
    return (Delivery.objects.select_related("document", "document__sender")
            .filter(pk=delivery_id, recipient=organ).first())


def acknowledge(organ: HubOrgan, delivery_ids: list[int], *, via: str = "inbox") -> tuple[list[int], list[int]]:
    """Mark deliveries received; each first ack sets status 01 for the sender. Idempotent.

    Returns (acknowledged ids, unknown ids).
    """
    done, unknown = [], []
    # One transaction for the batch: the log head is locked and committed once, not once per id.
    # Rows are locked in id order so two concurrent acks of overlapping batches cannot deadlock.
    with transaction.atomic():
        deliveries = {d.pk: d for d in Delivery.objects.select_for_update().select_related("document")
                      .defer("document__package").filter(pk__in=delivery_ids, recipient=organ).order_by("pk")}
        for delivery_id in delivery_ids:
            delivery = deliveries.get(delivery_id)
            if delivery is None:
                unknown.append(delivery_id)
                continue
            done.append(delivery_id)
            if delivery.acked_at is not None:
                continue
            now = timezone.now()
            delivery.acked_at, delivery.state, delivery.next_attempt_at = now, DeliveryState.ACKNOWLEDGED, None
            delivery.save(update_fields=["acked_at", "state", "next_attempt_at"])
            event = StatusEvent.objects.create(
                delivery=delivery, code="01", at=now.replace(microsecond=0), reported_by=None,
                target_id=delivery.document.sender_id, message_key=f"hub-01-{delivery.pk}",
                description="Đã đến (nhận qua đẩy)" if via == "push" else "Đã đến (nhận qua hộp thư)")
            hublog.append("status", f"status:{event.pk}", hublog.status_content(event))
    return done, unknown


# ---- status messages --------------------------------------------------------------------------

# Who may report which code: the recipient reports handling, the sender asks to retrieve.
SENDER_CODES = {"13"}


def accept_status(organ: HubOrgan, data: bytes) -> tuple[StatusEvent, bool]:
    endpoint = "status"
    _check_size(data, organ, endpoint)
    status = _verified(edxml.parse_status, edxml.verify_status, data, organ, endpoint, "Thông điệp trạng thái")
    code = status.status_code
    if code not in edxml.STATUS_CODES:
        raise refuse(422, "invalid", f"Mã trạng thái “{code}” không có trong danh mục.", field="StatusCode",
                     organ=organ, endpoint=endpoint, data=data)
    if code == "01":
        raise refuse(422, "invalid", "Trạng thái 01 (đã đến) do trục đặt khi cơ quan nhận xác nhận, "
                     "không gửi bằng thông điệp.", field="StatusCode", organ=organ, endpoint=endpoint, data=data)
    if code in {"02", "16"} and not (status.description or "").strip():
        raise refuse(422, "reason_required", f"Trạng thái {code} ({edxml.STATUS_CODES[code]}) phải nêu lý do "
                     "(Description).", field="Description", organ=organ, endpoint=endpoint, data=data)
    other = status.recipient.organ_id
    if code in SENDER_CODES:
        delivery = Delivery.objects.select_related("document").filter(
            document__sender=organ, document__document_id=status.document_id, recipient__organ_id=other).first()
    else:
        delivery = Delivery.objects.select_related("document").filter(
            document__sender__organ_id=other, document__document_id=status.document_id, recipient=organ).first()
    if delivery is None:
        raise refuse(404, "unknown_document", f"Không có văn bản “{status.document_id}” giữa {organ.organ_id} "
                     f"và {other} trên trục.", field="ResponseFor/DocumentId", organ=organ,
                     endpoint=endpoint, data=data)
    key = hashlib.sha256(data).hexdigest()
    existing = StatusEvent.objects.filter(message_key=key).first()
    if existing is not None:
        return existing, False
    target_id = delivery.recipient_id if code in SENDER_CODES else delivery.document.sender_id
    try:
        with transaction.atomic():
            event = StatusEvent.objects.create(
                delivery=delivery, code=code, description=status.description or "",
                at=status.timestamp, reported_by=organ, target_id=target_id,
                staff_name=status.staff_name or "", department=status.department or "",
                message_key=key, message=data)
            hublog.append("status", f"status:{event.pk}", data)
    except IntegrityError:
        return StatusEvent.objects.get(message_key=key), False
    return event, True


def status_feed(organ: HubOrgan, *, after: int = 0, limit: int = 100):
    return (StatusEvent.objects.filter(target=organ, target_acked_at__isnull=True, id__gt=after)
            .select_related("delivery__document__sender", "delivery__recipient", "reported_by")
            .order_by("id")[:limit])


def acknowledge_statuses(organ: HubOrgan, ids: list[int]) -> int:
    return StatusEvent.objects.filter(target=organ, pk__in=ids, target_acked_at__isnull=True).update(
        target_acked_at=timezone.now())


def status_trail(organ: HubOrgan, document_id: str) -> list[dict]:
    """Per recipient: delivery state and the statuses with their times (sender sees all, a recipient
    its own copy)."""
    deliveries = (Delivery.objects.filter(document__document_id=document_id)
                  .select_related("document__sender", "recipient").order_by("recipient__organ_id"))
    rows = []
    for d in deliveries:
        if d.document.sender_id != organ.pk and d.recipient_id != organ.pk:
            continue
        rows.append({
            "sender": d.document.sender.organ_id, "recipient": d.recipient.organ_id, "state": d.state,
            "attempts": d.attempts, "received_at": d.document.received_at, "acked_at": d.acked_at,
            "statuses": [{"code": s.code, "name": edxml.STATUS_CODES.get(s.code, ""), "description": s.description,
                          "at": s.at, "received_at": s.received_at,
                          "reported_by": s.reported_by.organ_id if s.reported_by else "hub"}
                         # In the order the hub received them: an organ's clock may be off.
                         for s in d.statuses.select_related("reported_by").order_by("id")],
        })
    return rows


# ---- push delivery ----------------------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    base = settings.MOTCUA_EXCHANGE_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), settings.MOTCUA_EXCHANGE_RETRY_MAX_SECONDS))


def _claim(limit: int) -> list[int]:
    """Take due pushes for a while (a lease), so a second hub process does not push them too."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.MOTCUA_EXCHANGE_PUSH_TIMEOUT_SECONDS * 3)
    with transaction.atomic():
        qs = (Delivery.objects.filter(acked_at__isnull=True, next_attempt_at__lte=now)
              .exclude(recipient__callback_url="").order_by("next_attempt_at"))
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("id", flat=True)[:limit])
        for delivery_id in ids:
            Delivery.objects.filter(pk=delivery_id).update(
                next_attempt_at=lease, state=DeliveryState.PUSHED, attempts=F("attempts") + 1)
    return ids


def _push_one(delivery_id: int) -> bool:
    delivery = Delivery.objects.select_related("document__sender", "recipient").get(pk=delivery_id)
    if delivery.acked_at is not None:
        return True
    organ = delivery.recipient
    request = urllib.request.Request(
        organ.callback_url, data=bytes(delivery.document.package), method="POST",
        headers={"Content-Type": "application/xml", "Authorization": f"Bearer {organ.callback_secret}",
                 "X-Motcua-Delivery-Id": str(delivery.pk), "X-Motcua-Sender": delivery.document.sender.organ_id,
                 "X-Motcua-Document-Id": delivery.document.document_id.encode().decode("latin-1", "replace")})
    error = ""
    try:
        with urllib.request.urlopen(request, timeout=settings.MOTCUA_EXCHANGE_PUSH_TIMEOUT_SECONDS) as response:
            ok = 200 <= response.status < 300
            error = "" if ok else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        ok, error = False, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        ok, error = False, str(exc)[:300]
    if ok:
        # The organ answers 2xx only after storing the package: that is its acknowledgement.
        acknowledge(organ, [delivery.pk], via="push")
        return True
    Delivery.objects.filter(pk=delivery.pk, acked_at__isnull=True).update(
        state=DeliveryState.FAILED, last_error=error[:500],
        next_attempt_at=timezone.now() + _backoff(delivery.attempts))
    return False


def push_due(limit: int = 200, threads: int = 8) -> tuple[int, int]:
    """Push one batch of due deliveries; returns (delivered, failed)."""
    ids = _claim(limit)
    if not ids:
        return 0, 0

    def run(delivery_id):
        try:
            return _push_one(delivery_id)
        finally:
            connection.close()

    if threads <= 1:  # inline, in the caller's connection (tests inside a transaction)
        results = [_push_one(i) for i in ids]
        return sum(results), len(results) - sum(results)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(run, ids))
    return sum(results), len(results) - sum(results)

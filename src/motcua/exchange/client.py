"""The client side of the axis: what every motcua instance of an agency uses to talk to the hub.

`ExchangeClient` is plain HTTP (stdlib only, usable from any process). It retries connection
errors and 5xx answers with the same bytes: the hub stores a (sender, DocumentId) once and a
status message once per content, so a retry after a lost answer has no second effect.

The functions below it keep this instance's own record (`OutgoingDocument`, `IncomingDocument`,
`ReceivedStatus`), idempotent on DocumentId, for the back office to show.
"""

import hashlib
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from motcua.exchange import edxml


class HubError(Exception):
    """The hub refused a request; `status` and the hub's error body say why."""

    def __init__(self, status: int, body: dict | None, text: str = ""):
        self.status, self.body = status, body or {}
        detail = (self.body.get("detail") or [{}])[0] if isinstance(self.body, dict) else {}
        self.message = detail.get("msg") or text or f"HTTP {status}"
        self.error_type = detail.get("type", "")
        super().__init__(f"{status} {self.error_type}: {self.message}")


class HubUnavailableError(HubError):
    """The hub could not be reached after the retries."""


@dataclass
class SendResult:
    document_id: str
    recipients: list[str]
    duplicate: bool
    sha256: str


class ExchangeClient:
    def __init__(self, hub_url: str, organ_id: str, token: str, key_pem: bytes | None = None,
                 cert_pem: bytes | None = None, *, retries: int = 8, timeout: float = 30.0, backoff: float = 0.25):
        # Several hub addresses (comma-separated) share one database: a connection error moves on
        # to the next one, so a client rides through the loss of one hub process.
        self.bases = [u.strip().rstrip("/") + "/api/v1/" for u in hub_url.split(",") if u.strip()]
        self.current = 0
        self.organ_id, self.token = organ_id, token
        self.key_pem, self.cert_pem = key_pem, cert_pem
        self.retries, self.timeout, self.backoff = retries, timeout, backoff

    @classmethod
    def from_settings(cls) -> "ExchangeClient":
        key = settings.MOTCUA_EXCHANGE_KEY
        cert = settings.MOTCUA_EXCHANGE_CERT
        if not (settings.MOTCUA_EXCHANGE_HUB_URL and settings.MOTCUA_EXCHANGE_ORGAN_CODE and settings.MOTCUA_EXCHANGE_TOKEN):
            raise HubError(0, None, "Chưa cấu hình MOTCUA_EXCHANGE_HUB_URL, MOTCUA_EXCHANGE_ORGAN_CODE, "
                           "MOTCUA_EXCHANGE_TOKEN.")
        return cls(settings.MOTCUA_EXCHANGE_HUB_URL, settings.MOTCUA_EXCHANGE_ORGAN_CODE,
                   settings.MOTCUA_EXCHANGE_TOKEN, Path(key).read_bytes() if key else None,
                   Path(cert).read_bytes() if cert else None)

    # ---- transport --------------------------------------------------------------------------

    def request(self, method: str, path: str, *, body: bytes | None = None, content_type: str = "application/xml",
                query: dict | None = None, raw: bool = False):
        suffix = path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), 5.0))
            url = self.bases[self.current % len(self.bases)] + suffix
            req = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as response:
                    data = response.read()
                    return data if raw else json.loads(data or b"{}")
            except urllib.error.HTTPError as exc:
                text = exc.read().decode("utf-8", "replace")
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = None
                if exc.code >= 500 or exc.code == 429:
                    last = HubError(exc.code, parsed, text[:200])
                    continue
                raise HubError(exc.code, parsed, text[:200]) from None
            except (OSError, http.client.HTTPException) as exc:  # refused, reset, timeout: the hub may be restarting
                last = exc
                self.current += 1
        raise HubUnavailableError(0, None, f"Không kết nối được trục liên thông: {last}")

    # ---- documents --------------------------------------------------------------------------

    def send(self, package: bytes) -> SendResult:
        answer = self.request("POST", "documents", body=package)
        return SendResult(answer["document_id"], answer["recipients"], answer["duplicate"], answer["sha256"])

    def sign_package(self, package: "edxml.Package") -> bytes:
        if not (self.key_pem and self.cert_pem):
            raise HubError(0, None, "Chưa cấu hình khóa và chứng thư số ký gói tin (MOTCUA_EXCHANGE_KEY/CERT).")
        return edxml.build_package(package, key_pem=self.key_pem, cert_pem=self.cert_pem)

    def inbox(self, *, after: int = 0, limit: int = 100) -> dict:
        return self.request("GET", "inbox", query={"after": after, "limit": limit})

    def fetch(self, delivery_id: int) -> bytes:
        return self.request("GET", f"inbox/{int(delivery_id)}", raw=True)

    def ack(self, *delivery_ids: int) -> dict:
        return self.request("POST", "inbox/ack", body=json.dumps({"ids": list(delivery_ids)}).encode(),
                            content_type="application/json")

    # ---- statuses ---------------------------------------------------------------------------

    def send_status(self, status: "edxml.StatusMessage | bytes") -> dict:
        if not isinstance(status, bytes):
            if not (self.key_pem and self.cert_pem):
                raise HubError(0, None, "Chưa cấu hình khóa và chứng thư số ký thông điệp trạng thái.")
            status = edxml.build_status(status, key_pem=self.key_pem, cert_pem=self.cert_pem)
        return self.request("POST", "statuses", body=status)

    def status_feed(self, *, after: int = 0, limit: int = 100) -> dict:
        return self.request("GET", "statuses", query={"after": after, "limit": limit})

    def ack_statuses(self, *ids: int) -> dict:
        return self.request("POST", "statuses/ack", body=json.dumps({"ids": list(ids)}).encode(),
                            content_type="application/json")

    def status(self, document_id: str) -> dict:
        return self.request("GET", "documents/status", query={"document_id": document_id})

    def organs(self) -> list[dict]:
        return self.request("GET", "organs")["items"]


# ---- this instance's own record -----------------------------------------------------------------


def send_document(client: ExchangeClient, package: bytes):
    """Record the outgoing document, then send it; a failure leaves it recorded with the error, to
    resend with the same bytes (the hub stores it once)."""
    from motcua.exchange.models import OutgoingDocument

    header = edxml.parse_package(package).header
    sha = hashlib.sha256(package).hexdigest()
    outgoing, _created = OutgoingDocument.objects.get_or_create(
        document_id=header.document_id,
        defaults={"code_number": str(header.code_number or ""), "code_notation": header.code_notation or "",
                  "subject": header.subject or "", "recipients": [r.organ_id for r in header.recipients],
                  "business_type": int(header.business_type or 0), "package": package, "sha256": sha})
    if outgoing.sha256 != sha:
        raise HubError(409, None, f"Mã văn bản “{header.document_id}” đã được dùng cho văn bản khác.")
    try:
        result = client.send(bytes(outgoing.package))
    except HubError as exc:
        outgoing.last_error = str(exc.message)[:500]
        outgoing.save(update_fields=["last_error"])
        raise
    from django.utils import timezone

    outgoing.sent_at, outgoing.last_error = outgoing.sent_at or timezone.now(), ""
    outgoing.save(update_fields=["sent_at", "last_error"])
    return outgoing, result


def record_incoming(package: bytes, *, trusted_cert_pems: list[bytes] | None = None):
    """Store a received package once per (sender, DocumentId); returns (row, created).

    With `trusted_cert_pems` (the sender's certificates) the signature is verified first and only
    the signed content is read.
    """
    from motcua.exchange.models import IncomingDocument

    parsed = (edxml.verify_package(package, trusted_cert_pems=trusted_cert_pems) if trusted_cert_pems is not None
              else edxml.parse_package(package))
    header = parsed.header
    defaults = {"code_number": str(header.code_number or ""), "code_notation": header.code_notation or "",
                "subject": header.subject or "", "business_type": int(header.business_type or 0),
                "related_document_id": header.related_document_id or "", "package": package,
                "sha256": hashlib.sha256(package).hexdigest()}
    try:
        with transaction.atomic():
            return IncomingDocument.objects.get_or_create(sender_organ_id=header.sender.organ_id,
                                                          document_id=header.document_id, defaults=defaults)
    except IntegrityError:  # a push and an inbox poll of the same document at the same moment
        return IncomingDocument.objects.get(sender_organ_id=header.sender.organ_id,
                                            document_id=header.document_id), False


def sync_inbox(client: ExchangeClient, *, limit: int = 200, verify: bool = True) -> int:
    """Fetch every waiting document, store it, then acknowledge it. Returns how many were new."""
    certs = _directory(client) if verify else None
    new, after = 0, 0
    while True:
        page = client.inbox(after=after, limit=limit)
        if not page["items"]:
            return new
        for item in page["items"]:
            package = client.fetch(item["id"])
            _row, created = record_incoming(package, trusted_cert_pems=certs.get(item["sender"], []) if certs else None)
            new += created
        client.ack(*[item["id"] for item in page["items"]])
        after = page["items"][-1]["id"]


def sync_statuses(client: ExchangeClient, *, limit: int = 500) -> int:
    """Copy this organ's status feed into `ReceivedStatus`, then acknowledge it on the hub."""
    from motcua.exchange.models import OutgoingDocument, ReceivedStatus

    stored = 0
    while True:
        page = client.status_feed(limit=limit)
        if not page["items"]:
            return stored
        for item in page["items"]:
            outgoing = (OutgoingDocument.objects.filter(document_id=item["document_id"]).first()
                        if item["document_sender"] == client.organ_id else None)
            _row, created = ReceivedStatus.objects.get_or_create(
                hub_event_id=item["id"],
                defaults={"document_id": item["document_id"], "document_sender": item["document_sender"],
                          "organ_id": item["recipient"] if item["reported_by"] == "hub" else item["reported_by"],
                          "code": item["code"], "description": item["description"],
                          "at": datetime.fromisoformat(item["at"]), "outgoing": outgoing})
            stored += created
        client.ack_statuses(*[item["id"] for item in page["items"]])


def _directory(client: ExchangeClient) -> dict[str, list[bytes]]:
    return {o["organ_id"]: [c.encode() for c in o["certificates"]] for o in client.organs()}


_DIRECTORY_CACHE: dict[str, tuple[float, dict]] = {}


def sender_certificates(organ_id: str) -> list[bytes]:
    """The sender's certificates from the hub's directory (cached five minutes)."""
    cached = _DIRECTORY_CACHE.get("directory")
    if cached is None or time.monotonic() - cached[0] > 300 or organ_id not in cached[1]:
        client = ExchangeClient.from_settings()
        client.retries, client.timeout = 1, 5  # inside a push: answer before the hub gives up
        cached = (time.monotonic(), _directory(client))
        _DIRECTORY_CACHE["directory"] = cached
    return cached[1].get(organ_id, [])

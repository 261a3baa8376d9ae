"""Tables of the exchange axis.

Hub side (`Hub*`, `Delivery`, `StatusEvent`, `LogEntry`…): the organs registered on the hub, every
accepted package stored once, one delivery per recipient, the status trail, the hash-chained
message log and its signed checkpoints, and every refused message with its reason.

Client side (`Outgoing*`, `Incoming*`, `ReceivedStatus`): what an agency's instance sent and
received over the axis, so its back office can show it. Both sides are idempotent on DocumentId.
"""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HubOrgan(models.Model):
    """An organ (cơ quan) that may send and receive over this hub, with its organ code."""

    organ_id = models.CharField(_("mã định danh cơ quan"), max_length=64, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255, blank=True)
    # Push delivery: the hub POSTs each package here; empty means the organ only polls its inbox.
    callback_url = models.URLField(_("địa chỉ nhận đẩy (callback)"), max_length=500, blank=True)
    # Sent as `Authorization: Bearer` with each push so the organ knows the push comes from the hub.
    callback_secret = models.CharField(_("khóa bí mật của callback"), max_length=128, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan trên trục")
        verbose_name_plural = _("cơ quan trên trục")
        ordering = ["organ_id"]

    def __str__(self) -> str:
        return f"{self.organ_id} {self.name}".strip()


class HubCertificate(models.Model):
    """A signing certificate of an organ; several overlap while a certificate is being renewed."""

    organ = models.ForeignKey(HubOrgan, on_delete=models.CASCADE, related_name="certificates")
    pem = models.TextField(_("chứng thư số (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    subject = models.CharField(_("chủ thể"), max_length=500, blank=True)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("chứng thư số của cơ quan")
        verbose_name_plural = _("chứng thư số của cơ quan")
        constraints = [models.UniqueConstraint(fields=["organ", "fingerprint"], name="exchange_cert_unique")]

    def __str__(self) -> str:
        return f"{self.organ.organ_id} {self.fingerprint[:16]}"


class HubCredential(models.Model):
    """An API key bound to one organ code: a key of organ X can only send `From` X.

    Only the SHA-256 is stored (256 random bits, so a fast hash is enough: accounts.ApiToken does
    the same, but its keys belong to people, not organs).
    """

    KEY_PREFIX = "mcx_"

    organ = models.ForeignKey(HubOrgan, on_delete=models.CASCADE, related_name="credentials")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu khóa"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa API của cơ quan")
        verbose_name_plural = _("khóa API của cơ quan")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organ.organ_id})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, organ: HubOrgan) -> tuple["HubCredential", str]:
        key = cls.KEY_PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(organ=organ, key_hash=cls.hash_key(key), prefix=key[:10]), key


class BusinessType(models.IntegerChoices):
    NEW = 0, _("Văn bản mới")
    REVOKE = 1, _("Thu hồi")
    UPDATE = 2, _("Cập nhật")
    REPLACE = 3, _("Thay thế")


class HubDocument(models.Model):
    """An accepted package, stored once per (sender, DocumentId): the basis of exactly-once."""

    sender = models.ForeignKey(HubOrgan, on_delete=models.PROTECT, related_name="sent_documents")
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255)
    package = models.BinaryField(_("gói edXML"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("kích thước (byte)"))
    code_number = models.CharField(_("số"), max_length=50, blank=True)
    code_notation = models.CharField(_("ký hiệu"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), choices=BusinessType.choices,
                                                     default=BusinessType.NEW)
    # Revoke/update/replace point at the document they concern (when the hub has it).
    related = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="followups", verbose_name=_("văn bản liên quan"))
    related_document_id = models.CharField(_("mã văn bản liên quan"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("văn bản trên trục")
        verbose_name_plural = _("văn bản trên trục")
        constraints = [models.UniqueConstraint(fields=["sender", "document_id"], name="exchange_doc_once")]

    def __str__(self) -> str:
        return f"{self.sender.organ_id}:{self.document_id}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Chờ nhận")
    PUSHED = "pushing", _("Đang đẩy")
    ACKNOWLEDGED = "acknowledged", _("Đã nhận")
    FAILED = "failed", _("Đẩy lỗi, chờ lấy từ hộp thư")


class Delivery(models.Model):
    """One copy of a document for one recipient organ; it stays in the inbox until acknowledged."""

    document = models.ForeignKey(HubDocument, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(HubOrgan, on_delete=models.PROTECT, related_name="deliveries")
    state = models.CharField(_("trạng thái"), max_length=14, choices=DeliveryState.choices,
                             default=DeliveryState.QUEUED)
    attempts = models.PositiveIntegerField(_("số lần đẩy"), default=0)
    next_attempt_at = models.DateTimeField(_("đẩy lần tới"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    acked_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt chuyển văn bản")
        verbose_name_plural = _("lượt chuyển văn bản")
        constraints = [models.UniqueConstraint(fields=["document", "recipient"], name="exchange_delivery_once")]
        indexes = [models.Index(fields=["recipient", "acked_at", "id"], name="exchange_inbox_idx")]


class StatusEvent(models.Model):
    """A status of one delivery (01 set by the hub; others sent signed by an organ).

    `target` is the organ whose status feed shows it: the document's sender for 01–06, 15, 16,
    the recipient for 13 (the sender asks to retrieve).
    """

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="statuses")
    code = models.CharField(_("mã trạng thái"), max_length=2)
    description = models.TextField(_("mô tả"), blank=True)
    at = models.DateTimeField(_("thời điểm"))
    reported_by = models.ForeignKey(HubOrgan, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("cơ quan báo"))
    target = models.ForeignKey(HubOrgan, on_delete=models.PROTECT, related_name="status_feed")
    staff_name = models.CharField(_("cán bộ"), max_length=255, blank=True)
    department = models.CharField(_("đơn vị"), max_length=255, blank=True)
    # Idempotency: the SHA-256 of the signed status message (a resend of the same bytes is one
    # event); "hub-01-<delivery>" for the arrival the hub sets itself.
    message_key = models.CharField(max_length=80, unique=True)
    message = models.BinaryField(_("gói trạng thái"), blank=True, default=b"")
    received_at = models.DateTimeField(default=timezone.now)
    target_acked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("trạng thái văn bản")
        verbose_name_plural = _("trạng thái văn bản")
        indexes = [models.Index(fields=["target", "target_acked_at", "id"], name="exchange_feed_idx")]


class LogHead(models.Model):
    """The one row holding the end of the chain; locking it serializes appends across processes."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class LogEntry(models.Model):
    """One link of the tamper-evident message log (every accepted package and status)."""

    seq = models.PositiveBigIntegerField(unique=True)
    kind = models.CharField(max_length=12)  # document | status
    ref = models.CharField(max_length=300)
    content_sha256 = models.CharField(max_length=64)
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("nhật ký thông điệp")
        verbose_name_plural = _("nhật ký thông điệp")
        ordering = ["seq"]


class Checkpoint(models.Model):
    """The chain head at some moment, signed with the hub's key: truncating the log shows."""

    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    signature = models.TextField()  # base64 RSA-SHA256 over "seq|hash|at"
    certificate = models.TextField()

    class Meta:
        verbose_name = _("điểm kiểm tra nhật ký")
        verbose_name_plural = _("điểm kiểm tra nhật ký")
        ordering = ["-seq"]


class RefusedMessage(models.Model):
    """A message the hub refused, with the reason; nothing of it was stored or routed."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    organ = models.ForeignKey(HubOrgan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    endpoint = models.CharField(max_length=40)
    field = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=60)
    message = models.TextField()
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("thông điệp bị từ chối")
        verbose_name_plural = _("thông điệp bị từ chối")
        ordering = ["-at"]


# ---- client side (an agency's instance) ------------------------------------------------------


class OutgoingDocument(models.Model):
    """A document this instance sent over the axis (văn bản đi)."""

    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255, unique=True)
    code_number = models.CharField(_("số"), max_length=50, blank=True)
    code_notation = models.CharField(_("ký hiệu"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    recipients = models.JSONField(_("nơi nhận (mã cơ quan)"), default=list)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), choices=BusinessType.choices, default=0)
    package = models.BinaryField(_("gói edXML"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lên trục lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("văn bản đi qua trục")
        verbose_name_plural = _("văn bản đi qua trục")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.document_id


class IncomingDocument(models.Model):
    """A document received over the axis (văn bản đến), once per (sender, DocumentId)."""

    sender_organ_id = models.CharField(_("cơ quan gửi"), max_length=64)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255)
    code_number = models.CharField(_("số"), max_length=50, blank=True)
    code_notation = models.CharField(_("ký hiệu"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), choices=BusinessType.choices, default=0)
    related_document_id = models.CharField(_("mã văn bản liên quan"), max_length=255, blank=True)
    package = models.BinaryField(_("gói edXML"))
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    # Set once the back-office integration has looked at it (an inter-agency request or reply is
    # acted on; anything else is left to the officials): a sync only reads what is new.
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản đến qua trục")
        verbose_name_plural = _("văn bản đến qua trục")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["sender_organ_id", "document_id"],
                                               name="exchange_incoming_once")]

    def __str__(self) -> str:
        return f"{self.sender_organ_id}:{self.document_id}"


class ReceivedStatus(models.Model):
    """A status read from this organ's feed on the hub: the trail per recipient of what we sent."""

    hub_event_id = models.PositiveBigIntegerField(unique=True)
    document_id = models.CharField(max_length=255, db_index=True)
    document_sender = models.CharField(_("cơ quan gửi văn bản"), max_length=64)
    organ_id = models.CharField(_("cơ quan báo trạng thái"), max_length=64)
    code = models.CharField(_("mã trạng thái"), max_length=2)
    description = models.TextField(_("mô tả"), blank=True)
    at = models.DateTimeField(_("thời điểm"))
    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="statuses")

    class Meta:
        verbose_name = _("trạng thái nhận từ trục")
        verbose_name_plural = _("trạng thái nhận từ trục")
        ordering = ["hub_event_id"]  # as the hub received them


# ---- inter-agency dossier steps over the axis (exchange/interagency.py) -------------------------


class StepRequestState(models.TextChoices):
    SENT = "sent", _("Đã gửi, chờ kết quả")
    ERROR = "error", _("Không gửi được")
    REFUSED = "refused", _("Cơ quan nhận từ chối tiếp nhận")
    ANSWERED = "answered", _("Đã có kết quả")


class StepRequest(models.Model):
    """Sending side: one inter-agency step of one of our dossiers, asked of another organ.

    The DocumentId is derived from the step, so a retried request is the same document (the hub
    stores a (sender, DocumentId) once) and the reply is matched back through ResponseFor.
    """

    step = models.OneToOneField("dossiers.DossierStep", on_delete=models.CASCADE, related_name="exchange_request")
    organ_id = models.CharField(_("mã cơ quan thực hiện"), max_length=64, blank=True)
    document_id = models.CharField(_("mã văn bản yêu cầu (DocumentId)"), max_length=255, unique=True)
    outgoing = models.ForeignKey(OutgoingDocument, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    state = models.CharField(_("tình trạng"), max_length=10, choices=StepRequestState.choices)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    reply = models.ForeignKey("IncomingDocument", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("văn bản trả lời"))
    answered_at = models.DateTimeField(_("nhận kết quả lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu liên thông đã gửi")
        verbose_name_plural = _("yêu cầu liên thông đã gửi")


class ReceivedRequestState(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ, đang xử lý")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    ANSWERED = "answered", _("Đã trả kết quả")


class ReceivedRequest(models.Model):
    """Receiving side: another organ asked this agency to do a step of its dossier; the work is a
    dossier here (`dossier`), and its completion goes back as a document answering `incoming`."""

    incoming = models.OneToOneField(IncomingDocument, on_delete=models.CASCADE, related_name="interagency_request")
    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="exchange_request")
    remote_dossier_code = models.CharField(_("mã hồ sơ tại cơ quan gửi"), max_length=60, blank=True)
    state = models.CharField(_("tình trạng"), max_length=10, choices=ReceivedRequestState.choices)
    reason = models.TextField(_("lý do từ chối"), blank=True)
    # Statuses reported back (03, 05, 06, 02): a code is only recorded once the hub accepted it, so
    # the next sync sends again whatever was left unsent.
    statuses_sent = models.JSONField(default=list, blank=True)
    reported = models.BooleanField(default=False)  # the last status (06 or 02) is reported: nothing left
    reply_document_id = models.CharField(_("mã văn bản trả lời"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu liên thông đã nhận")
        verbose_name_plural = _("yêu cầu liên thông đã nhận")

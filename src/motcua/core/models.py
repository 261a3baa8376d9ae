"""Base models shared by every context: the audit trail and the outbox of events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditRecord(models.Model):
    """One append-only record of a change to a legal record (who, when, what, before → after).

    Records form a hash chain: each stores the hash of the previous one, and `seq` has no gaps
    (it is assigned under a lock on `AuditChainHead`, not by the database sequence, which skips
    numbers on rollback). `motcua audit verify` recomputes the chain: a changed record breaks its
    own hash, a deleted one leaves a gap in `seq` or a wrong `prev_hash`.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("thao tác"), max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("nhật ký kiểm toán")
        verbose_name_plural = _("nhật ký kiểm toán")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain and remembers its tip."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    DELIVERED = "delivered", _("Đã gửi")
    FAILED = "failed", _("Thất bại")


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change it announces (transactional outbox).

    A background worker delivers it to the handlers registered for its topic, retrying with
    exponential backoff; nothing slow or fallible happens inside the web request.
    """

    topic = models.CharField(max_length=80, db_index=True)
    aggregate_type = models.CharField(max_length=80)
    aggregate_id = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    # Makes writing the same event twice a no-op (a repeated transition call, a retried request).
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("sự kiện chờ gửi")
        verbose_name_plural = _("sự kiện chờ gửi")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {self.aggregate_type}:{self.aggregate_id}"


class DailyRun(models.Model):
    """A daily job claimed for a local date (core/schedule.py): the unique (job, day) pair lets exactly
    one of several `motcua worker` processes enqueue the day's run; the others' insert fails."""

    job = models.CharField(_("công việc"), max_length=80)
    day = models.DateField(_("ngày"))
    claimed_at = models.DateTimeField(_("thời điểm đưa vào hàng đợi"), auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("lần chạy hằng ngày")
        verbose_name_plural = _("lần chạy hằng ngày")
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="daily_run_once_per_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%d/%m/%Y}"

"""Decision 766 index: its rules as data, and the small aggregate tables the scorecards read.

Two kinds of tables:

* configuration with an effective date (`IndicatorDefinition`, `RankingBand`), seeded from
  vn-domain.md §4.2–4.4 and editable in the admin;
* facts: one row per dossier (`DossierFact`) and per feedback case (`FeedbackFact`), and the
  counters summed from them per agency and reception day (`DailyAgencyFact`, `DailyLateFact`,
  `DailyFeedbackFact`) or per agency, procedure and month (`MonthlyProcedureFact`), plus one row per
  catalogue version (`CatalogFact`). A scorecard sums counters; it never reads dossiers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.units.models import Agency


class IndicatorDefinition(models.Model):
    """One sub-indicator's weight and threshold as in force from `effective_from`."""

    code = models.CharField(_("mã chỉ số"), max_length=5, help_text=_("1.1 … 5.4"))
    group = models.PositiveSmallIntegerField(_("nhóm"))
    label = models.CharField(_("tên chỉ số"), max_length=200)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    threshold = models.DecimalField(
        _("ngưỡng đạt điểm tối đa (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Để trống: điểm = tỷ lệ × điểm tối đa."),
    )
    scored = models.BooleanField(_("tính điểm"), default=True, help_text=_("Bỏ chọn với chỉ số chỉ để theo dõi."))
    parameters = models.JSONField(_("tham số"), default=dict, blank=True,
                                  help_text=_("Ví dụ số ngày làm việc của hạn công bố, công khai."))
    effective_from = models.DateField(_("hiệu lực từ"))
    legal_source = models.CharField(_("căn cứ"), max_length=300)
    confirmed = models.BooleanField(_("đã xác minh"), default=False,
                                    help_text=_("Trọng số, ngưỡng đã đối chiếu văn bản chính thức."))

    class Meta:
        verbose_name = _("chỉ số thành phần")
        verbose_name_plural = _("chỉ số thành phần")
        ordering = ["code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="indicator_def_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.label} ({self.effective_from:%d/%m/%Y})"


class RankingBand(models.Model):
    """A ranking band (xếp loại): totals from `min_total` up to the next band."""

    code = models.CharField(max_length=12)
    label = models.CharField(_("xếp loại"), max_length=40)
    min_total = models.DecimalField(_("điểm tối thiểu"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("hiệu lực từ"))
    legal_source = models.CharField(_("căn cứ"), max_length=300)
    confirmed = models.BooleanField(_("đã xác minh"), default=False)

    class Meta:
        verbose_name = _("xếp loại")
        verbose_name_plural = _("xếp loại")
        ordering = ["-effective_from", "-min_total"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="ranking_band_unique")]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_total}"


class DossierFact(models.Model):
    """What one received dossier contributes to the index, keyed on its filed agency and reception day.

    Rewritten whole whenever the dossier changes; the daily counters move by the difference between
    the old and the new row, so replaying an event changes nothing.
    """

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, primary_key=True,
                                   related_name="indicator_fact")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure_id = models.BigIntegerField()
    day = models.DateField()
    online = models.BooleanField(default=False)
    paper_result = models.BooleanField(default=False)
    finished = models.BooleanField(default=False)
    eresult = models.BooleanField(default=False)
    digitised = models.BooleanField(default=False)
    vneid = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    rated = models.BooleanField(default=False)
    disliked = models.BooleanField(default=False)
    feedback = models.BooleanField(default=False)
    # The first day on which the dossier counts as late (its due day, or its reception day when the
    # one-supplement rule is broken); empty when it finished, or paused for good, on time.
    late_on = models.DateField(null=True, blank=True)
    processing_hours = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "day"], name="dossierfact_agency_day")]


COUNTERS = (
    "received", "online", "online_qualified", "finished", "paper_finished", "eresult", "digitised", "vneid",
    "fee_bearing", "paid_online", "rated", "disliked", "complained", "processing_hours",
)


class DailyAgencyFact(models.Model):
    """Counters of the dossiers an agency received on a day."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    online_qualified = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    paper_finished = models.PositiveIntegerField(default=0)
    eresult = models.PositiveIntegerField(default=0)
    digitised = models.PositiveIntegerField(default=0)
    vneid = models.PositiveIntegerField(default=0)
    fee_bearing = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    disliked = models.PositiveIntegerField(default=0)
    complained = models.PositiveIntegerField(default=0)
    processing_hours = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_agency_fact_unique")]
        indexes = [models.Index(fields=["day", "agency"], name="dailyfact_day_agency")]


class DailyLateFact(models.Model):
    """How many of the dossiers an agency received on `day` became late on `late_on`."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    late_on = models.DateField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day", "late_on"], name="daily_late_fact_unique")]
        indexes = [models.Index(fields=["day", "agency"], name="dailylate_day_agency")]


class MonthlyProcedureFact(models.Model):
    """Per agency, procedure and month of reception: for 3.2 (online use) and 3.4 (online payment)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    procedure_id = models.BigIntegerField()
    month = models.DateField(help_text="first day of the month")
    received = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "procedure_id", "month"],
                                               name="monthly_procedure_fact_unique")]
        # 3.2 and 3.4 no longer read these rows (MonthlyProcedureSet does), so the two partial indexes
        # that served their COUNT(DISTINCT) are gone: they only slowed every counter update.
        indexes = [models.Index(fields=["month", "agency"], name="monthlyproc_month_agency")]


class MonthlyProcedureSet(models.Model):
    """Per agency and month: the procedures with at least one online dossier, and with one paid
    online, as bitsets (bit n = procedure id n; little-endian bytes; see `bits`).

    3.2 and 3.4 count *distinct* procedures over a scope and period. Counting them over
    MonthlyProcedureFact read and sorted hundreds of thousands of rows for a national or provincial
    page at 10M dossiers (docs/benchmarks.md); ORing one bitset per agency and month gives the same
    count from a few thousand rows, for any scope. Kept by the same handlers as the counters, set
    or cleared when a MonthlyProcedureFact counter crosses zero, and rebuilt by the nightly job."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="first day of the month")
    online = models.BinaryField(default=b"")
    paid_online = models.BinaryField(default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="monthly_procedure_set_unique")]
        indexes = [models.Index(fields=["month", "agency"], name="monthlyset_month_agency")]


def bits(data) -> int:
    """A stored bitset as a Python int (bytes from SQLite, memoryview from PostgreSQL)."""
    return int.from_bytes(bytes(data or b""), "little")


def to_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "little")


class FeedbackFact(models.Model):
    """What one feedback case (PAKN) contributes, from the feedback context's `case_fact`."""

    case_id = models.BigIntegerField(primary_key=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    dossier_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    regulation = models.BooleanField(default=False)
    on_time = models.BooleanField(default=False)
    dissatisfied = models.BooleanField(default=False)


FEEDBACK_COUNTERS = ("cases", "regulation", "on_time", "dissatisfied")


class DailyFeedbackFact(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    cases = models.PositiveIntegerField(default=0)
    regulation = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_feedback_fact_unique")]


class CatalogFact(models.Model):
    """One current or past procedure version's catalogue facts (1.1–1.3, 3.1, 3.4)."""

    version = models.OneToOneField("catalog.ProcedureVersion", on_delete=models.CASCADE, primary_key=True,
                                   related_name="+")
    procedure_id = models.BigIntegerField(db_index=True)
    current = models.BooleanField(default=False)
    owner_agency_id = models.BigIntegerField(null=True, blank=True)
    issuing_agency_id = models.BigIntegerField(null=True, blank=True)
    level_ministry = models.BooleanField(default=False)
    level_province = models.BooleanField(default=False)
    level_district = models.BooleanField(default=False)
    level_commune = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    fee_bearing = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)
    decided_on = models.DateField(null=True, blank=True)
    decision_on_time = models.BooleanField(null=True)
    publicised_on_time = models.BooleanField(null=True)

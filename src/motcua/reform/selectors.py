"""Reads of the reform context: prices in force, dossier statistics, the worksheet derived from the
catalogue, and the report over a plan or a list of procedures."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext as _

from motcua.catalog.choices import ChannelKind, OnlineService
from motcua.catalog.models import Channel, DossierComponent, Procedure, ProcedureVersion
from motcua.reform import formulas
from motcua.reform.models import CostParameters, SimplificationPlan

# A fee under 1 000 đồng does not exist in Vietnamese fee law (the smallest banknote is 1 000 đ);
# 193 source rows read "20 VNĐ (20.000 vnđ/tờ khai)": the portal's cell is in thousands.
THOUSANDS_BELOW = 1000
_DONG_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đ|đồng|vnđ|vnd)\b", re.IGNORECASE)


def parameters_in_force(on: date | None = None) -> CostParameters | None:
    on = on or timezone.localdate()
    return CostParameters.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def last_full_year(today: date | None = None) -> int:
    return (today or timezone.localdate()).year - 1


def dossiers_per_year(procedure: Procedure, year: int) -> int:
    """Dossiers filed in `year` for the procedure, any version, and for its local copies."""
    from motcua.dossiers.models import Dossier

    return Dossier.objects.filter(
        Q(procedure_version__procedure=procedure) | Q(procedure_version__procedure__template=procedure),
        submitted_at__year=year,
    ).count()


def dossiers_per_year_bulk(procedures: list[Procedure], year: int) -> dict[int, int]:
    """The same count for many procedures in two queries."""
    from motcua.dossiers.models import Dossier

    ids = [p.pk for p in procedures]
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    direct = (Dossier.objects.filter(procedure_version__procedure_id__in=ids, submitted_at__year=year)
              .values("procedure_version__procedure_id").annotate(n=Count("id")))
    for row in direct:
        counts[row["procedure_version__procedure_id"]] += row["n"]
    local = (Dossier.objects.filter(procedure_version__procedure__template_id__in=ids, submitted_at__year=year)
             .values("procedure_version__procedure__template_id").annotate(n=Count("id")))
    for row in local:
        counts[row["procedure_version__procedure__template_id"]] += row["n"]
    return counts


@dataclass(frozen=True)
class FeeReading:
    amount: int
    warning: str = ""


def read_fee(amount: int | None, text: str) -> tuple[int | None, str]:
    """The fee in đồng a catalogue row means, and a warning when an official should confirm it."""
    if amount is None:
        return None, _("Nguồn không ghi mức thu bằng đồng: “%(text)s”.") % {"text": text[:120]}
    if "usd" in text.lower():
        return None, _("Mức thu tính bằng USD (“%(text)s”): hãy quy đổi và nhập phí, lệ phí.") % {"text": text[:120]}
    if 0 < amount < THOUSANDS_BELOW:
        scaled = amount * 1000
        mentioned = {int(re.sub(r"[.,]", "", m)) for m in _DONG_AMOUNT.findall(text)}
        if scaled in mentioned:
            return scaled, _("Nguồn ghi %(amount)s VNĐ, chú thích ghi %(scaled)s đồng: tính theo nghìn đồng.") % {
                "amount": amount, "scaled": f"{scaled:,}".replace(",", ".")}
        return scaled, _("Nguồn ghi %(amount)s VNĐ (“%(text)s”): đã hiểu là %(scaled)s đồng; hãy xác nhận.") % {
            "amount": amount, "scaled": f"{scaled:,}".replace(",", "."), "text": text[:120]}
    return amount, ""


def channel_fees(channel: Channel | None) -> tuple[int, list[str]]:
    """Fees of one channel: the lowest of each kind (rows of one kind are alternatives by case or
    tier; Art. 27(2) takes the lower figure), summed over kinds (a charge and a fee both apply)."""
    if channel is None:
        return 0, []
    lowest: dict[str, int] = {}
    warnings = []
    for fee in channel.fees.all():
        amount, warning = read_fee(fee.amount, fee.text)
        if warning:
            warnings.append(warning)
        if amount is not None:
            lowest[fee.kind] = min(amount, lowest.get(fee.kind, amount))
    return sum(lowest.values()), warnings


def counted_components(version: ProcedureVersion) -> list[DossierComponent]:
    """The papers one applicant must submit, by the lower figure of Art. 27(2).

    Rows with no original and no copy are notes ("Lưu ý…"), not papers; papers marked optional or
    "(nếu có)" are not always due. When some papers are common to every case, only those count:
    the case groups ("Trường hợp ủy quyền…") are alternatives or add-ons. When every paper belongs
    to a case, the least demanding case counts.
    """
    papers = [c for c in version.components.all()
              if (c.originals or 0) + (c.copies or 0) > 0 and c.required and "nếu có" not in c.name.lower()]
    common = [c for c in papers if not c.case]
    if common:
        return common
    cases: dict[str, list[DossierComponent]] = {}
    for c in papers:
        cases.setdefault(c.case, []).append(c)
    return min(cases.values(), key=len) if cases else []


@dataclass
class Derivation:
    """The worksheet derived from the catalogue, with how each value was obtained."""

    version: ProcedureVersion
    channel: str
    parameters: CostParameters
    year: int
    inputs: formulas.Inputs
    components: list[DossierComponent]
    explanations: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    subjects_from_dossiers: int = 0


def available_channels(version: ProcedureVersion) -> list[str]:
    kinds = [c.kind for c in version.channels.all()]
    if version.online_service != OnlineService.NONE and ChannelKind.ONLINE not in kinds:
        kinds.append(ChannelKind.ONLINE)
    return list(dict.fromkeys(kinds)) or [ChannelKind.IN_PERSON]


def default_channel(version: ProcedureVersion) -> str:
    """In person when the procedure has it: what most applicants still do, and the cost a plan cuts."""
    kinds = available_channels(version)
    return ChannelKind.IN_PERSON if ChannelKind.IN_PERSON in kinds else kinds[0]


def travel_for(channel: str, online_service: str, parameters: CostParameters) -> tuple[int, Decimal, int, str]:
    """(trips, hours to submit and collect, postage, explanation) for a channel."""
    if channel == ChannelKind.IN_PERSON:
        return 2, 2 * parameters.hours_per_trip, 0, _("2 lượt: nộp hồ sơ và nhận kết quả")
    if channel == ChannelKind.POSTAL:
        return 0, parameters.online_submit_hours, parameters.postage_per_dossier, _(
            "gửi hồ sơ và nhận kết quả qua bưu chính công ích")
    if online_service == OnlineService.FULL:
        return 0, parameters.online_submit_hours, 0, _("dịch vụ công trực tuyến toàn trình: không phải đi lại")
    return 1, parameters.online_submit_hours + parameters.hours_per_trip, 0, _(
        "dịch vụ công trực tuyến một phần: 1 lượt đến nhận kết quả")


def derive(version: ProcedureVersion, channel: str | None = None, *, parameters: CostParameters | None = None,
           year: int | None = None, online_service: str | None = None, subjects: int | None = None) -> Derivation:
    """The Art. 27 worksheet of a version on a channel, from the catalogue and the dossier statistics."""
    parameters = parameters or parameters_in_force()
    if parameters is None:
        raise LookupError("no CostParameters in force")
    channel = channel or default_channel(version)
    year = year or last_full_year()
    online_service = online_service or version.online_service
    components = counted_components(version)
    row = next((c for c in version.channels.all() if c.kind == channel), None)
    fees, warnings = channel_fees(row)
    if row is None:
        warnings.append(_("Thủ tục không công bố phí, lệ phí cho cách thức “%(channel)s”.") % {
            "channel": ChannelKind(channel).label})
    trips, travel_hours, postage, travel_note = travel_for(channel, online_service, parameters)
    # Papers filed online are scans: no photocopy or certification to pay for.
    copies = 0 if channel == ChannelKind.ONLINE else sum(c.copies or 0 for c in components)
    if subjects is None:
        subjects = dossiers_per_year(version.procedure, year)
    inputs = formulas.Inputs(
        info_hours=parameters.info_hours,
        prepare_hours=parameters.hours_per_component * len(components),
        travel_hours=travel_hours,
        wait_hours=Decimal(0),
        copies=copies,
        trips=trips,
        fees=fees,
        other_costs=postage,
        frequency=Decimal(1),
        subjects=subjects,
    )
    explanations = {
        "info_hours": _("tham số “%(name)s”") % {"name": parameters.name},
        "prepare_hours": _("%(n)s thành phần hồ sơ × %(h)s giờ") % {"n": len(components),
                                                                   "h": localize(parameters.hours_per_component.normalize())},
        "travel_hours": travel_note,
        "wait_hours": _("không tính chi phí cơ hội (Điều 27 khoản 2)"),
        "copies": _("tổng số bản sao của các thành phần hồ sơ") if channel != ChannelKind.ONLINE
        else _("nộp bản điện tử: không phải sao, chứng thực"),
        "trips": travel_note,
        "fees": _("phí, lệ phí công bố cho cách thức này (mức thấp nhất của mỗi loại)"),
        "other_costs": _("cước bưu chính") if postage else _("không có"),
        "frequency": _("thủ tục thực hiện một lần"),
        "subjects": _("số hồ sơ nộp năm %(year)s trong motcua") % {"year": year},
    }
    if subjects == 0:
        warnings.append(_("Chưa có hồ sơ nào năm %(year)s: hãy nhập số đối tượng tuân thủ ước tính.") % {
            "year": year})
    return Derivation(version, channel, parameters, year, inputs, components, explanations, warnings,
                      subjects_from_dossiers=subjects)


def versions_for_codes(codes: list[str]) -> tuple[list[ProcedureVersion], list[str]]:
    """Current versions of the procedures named by code, in the order given, and the unknown codes."""
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=codes).only("pk", "code", "current_version_id")}
    # The source record and the verbatim texts are most of a version's row and none of the worksheet.
    versions = (ProcedureVersion.objects.filter(pk__in=[p.current_version_id for p in procedures.values()
                                                        if p.current_version_id])
                .defer("source_record", "unparsed", "steps_text", "requirements", "related_procedures",
                       "reception_address", "results", "target_groups")
                .select_related("procedure")
                .prefetch_related("components", Prefetch("channels", queryset=Channel.objects.prefetch_related(
                    "fees"))))
    by_procedure = {v.procedure_id: v for v in versions}
    found, missing = [], []
    for code in codes:
        p = procedures.get(code)
        if p is None or p.pk not in by_procedure:
            missing.append(code)
        else:
            found.append(by_procedure[p.pk])
    return found, missing


# ----------------------------------------------------------------------------- the report

@dataclass
class ReportRow:
    code: str
    name: str
    channel_before: str
    channel_after: str
    subjects: int
    per_occurrence_before: int
    per_occurrence_after: int
    before: int
    after: int

    @property
    def saving(self) -> int:
        return formulas.saving(self.before, self.after)

    @property
    def rate(self) -> Decimal | None:
        return formulas.reduction_rate(self.before, self.after)


@dataclass
class Report:
    title: str
    rows: list[ReportRow]

    @property
    def before(self) -> int:
        return sum(r.before for r in self.rows)

    @property
    def after(self) -> int:
        return sum(r.after for r in self.rows)

    @property
    def saving(self) -> int:
        return formulas.saving(self.before, self.after)

    @property
    def rate(self) -> Decimal | None:
        return formulas.reduction_rate(self.before, self.after)


def plan_report(plan: SimplificationPlan) -> Report:
    items = plan.items.select_related("procedure", "before__version", "after").order_by("procedure__code")
    rows = [
        ReportRow(
            code=item.procedure.code, name=item.before.version.name,
            channel_before=item.before.get_channel_display(), channel_after=item.after.get_channel_display(),
            subjects=item.before.subjects,
            per_occurrence_before=item.before.cost_per_occurrence,
            per_occurrence_after=item.after.cost_per_occurrence,
            before=item.before.annual_cost, after=item.after.annual_cost,
        )
        for item in items
    ]
    return Report(plan.name, rows)


def published_plans():
    return SimplificationPlan.objects.filter(published=True).annotate(n=Count("items"))

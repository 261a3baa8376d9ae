"""Writes of the reform context: assessments, plans and their items. Every rule is here."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog.choices import ChannelKind, OnlineService
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core import audit
from motcua.reform import formulas, selectors
from motcua.reform.choices import AssessmentKind, OnlineMove
from motcua.reform.errors import ReformInputError
from motcua.reform.models import CostAssessment, PlanItem, SimplificationPlan

DECIMAL_FIELDS = {"info_hours", "prepare_hours", "travel_hours", "wait_hours", "frequency"}
INTEGER_FIELDS = {"copies", "trips", "fees", "other_costs", "subjects"}
FIELD_LABELS = {
    "info_hours": "Giờ tìm hiểu thông tin",
    "prepare_hours": "Giờ chuẩn bị hồ sơ",
    "travel_hours": "Giờ nộp hồ sơ, nhận kết quả",
    "wait_hours": "Giờ chờ, bổ sung hồ sơ",
    "copies": "Số bản sao",
    "trips": "Số lượt đi lại",
    "fees": "Phí, lệ phí",
    "other_costs": "Chi phí khác",
    "frequency": "Số lần thực hiện / năm",
    "subjects": "Số đối tượng tuân thủ / năm",
}


def _number(name: str, raw) -> Decimal | int:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ReformInputError({name: _("%(field)s phải là một số.") % {"field": _(FIELD_LABELS[name])}}) from None
    if not value.is_finite() or value < 0:
        raise ReformInputError({name: _("%(field)s không được âm.") % {"field": _(FIELD_LABELS[name])}})
    if name in INTEGER_FIELDS:
        if value != value.to_integral_value():
            raise ReformInputError({name: _("%(field)s phải là số nguyên.") % {"field": _(FIELD_LABELS[name])}})
        return int(value)
    if value > Decimal("999999"):
        raise ReformInputError({name: _("%(field)s quá lớn.") % {"field": _(FIELD_LABELS[name])}})
    return value.quantize(Decimal("0.01"))


def resolve_inputs(derived: formulas.Inputs, overrides: dict, notes: dict) -> tuple[formulas.Inputs, dict]:
    """Apply an official's changes to the derived worksheet; each change must say why."""
    errors: dict[str, str] = {}
    values, kept_notes = {}, {}
    for name in CostAssessment.INPUT_FIELDS:
        raw = overrides.get(name)
        if raw is None or str(raw).strip() == "":
            continue
        try:
            value = _number(name, raw)
        except ReformInputError as error:
            errors.update(error.errors)
            continue
        if value == getattr(derived, name):
            continue
        note = (notes.get(name) or "").strip()
        if not note:
            errors[f"{name}_note"] = _("%(field)s khác giá trị tính từ danh mục: hãy ghi lý do, nguồn số liệu.") % {
                "field": _(FIELD_LABELS[name])}
            continue
        values[name], kept_notes[name] = value, note
    if errors:
        raise ReformInputError(errors)
    return derived.but(**values), kept_notes


def _save(derivation: selectors.Derivation, inputs: formulas.Inputs, *, kind: str, channel: str, notes: dict,
          warnings: list[str], actor) -> CostAssessment:
    result = formulas.cost(inputs, derivation.parameters.prices)
    assessment = CostAssessment.objects.create(
        version=derivation.version, kind=kind, channel=channel, parameters=derivation.parameters,
        statistics_year=derivation.year, subjects_from_dossiers="subjects" not in notes,
        notes=notes, warnings=warnings, time_cost=result.time_cost,
        cost_per_occurrence=result.per_occurrence, annual_cost=result.annual, created_by=actor,
        **{name: getattr(inputs, name) for name in CostAssessment.INPUT_FIELDS},
    )
    audit.append("reform.assess", object_type="reform.costassessment", object_id=assessment.pk, actor=actor,
                 after={"version": derivation.version.pk, "kind": kind, "channel": channel,
                        "annual_cost": result.annual})
    return assessment


def _derivation(version: ProcedureVersion, channel: str | None, year: int | None) -> selectors.Derivation:
    if channel and channel not in ChannelKind.values:
        raise ReformInputError({"channel": _("Cách thức thực hiện không hợp lệ.")})
    if channel and channel not in selectors.available_channels(version):
        raise ReformInputError({"channel": _("Thủ tục này không công bố cách thức “%(channel)s”.") % {
            "channel": ChannelKind(channel).label}})
    if year is not None and not 2000 <= year <= 2100:
        raise ReformInputError({"year": _("Năm số liệu không hợp lệ.")})
    try:
        return selectors.derive(version, channel, year=year)
    except LookupError:
        raise ReformInputError({"parameters": _("Chưa có bộ tham số chi phí tuân thủ nào có hiệu lực; "
                                                "hãy khai báo trong trang quản trị.")}) from None


@transaction.atomic
def assess(version: ProcedureVersion, *, actor, channel: str | None = None, year: int | None = None,
           overrides: dict | None = None, notes: dict | None = None) -> CostAssessment:
    """Record the current compliance cost of a procedure version on one channel (Art. 27)."""
    derivation = _derivation(version, channel, year)
    inputs, kept = resolve_inputs(derivation.inputs, overrides or {}, notes or {})
    return _save(derivation, inputs, kind=AssessmentKind.CURRENT, channel=derivation.channel, notes=kept,
                 warnings=derivation.warnings, actor=actor)


# ----------------------------------------------------------------------------- plans

@dataclass(frozen=True)
class Changes:
    """What a plan changes in one procedure."""

    removed_components: tuple[int, ...] = ()
    new_fee: int | None = None
    time_limit_cut_percent: Decimal = Decimal(0)
    online: str = OnlineMove.NONE


def project(before: formulas.Inputs, before_channel: str, derivation: selectors.Derivation,
            changes: Changes) -> tuple[formulas.Inputs, str]:
    """The worksheet after the plan's changes (Art. 27(1): the current cost adjusted by the cuts)."""
    parameters = derivation.parameters
    counted = {c.pk: c for c in derivation.components}
    removed = [counted[pk] for pk in changes.removed_components if pk in counted]
    channel = before_channel
    after = before.but(
        prepare_hours=max(Decimal(0), before.prepare_hours - parameters.hours_per_component * len(removed)),
        copies=max(0, before.copies - sum(c.copies or 0 for c in removed)),
        wait_hours=(before.wait_hours * (100 - changes.time_limit_cut_percent) / 100).quantize(Decimal("0.01")),
    )
    if changes.online:
        channel = ChannelKind.ONLINE
        trips, hours, _postage, _note = selectors.travel_for(ChannelKind.ONLINE, changes.online, parameters)
        online_row = next((c for c in derivation.version.channels.all() if c.kind == ChannelKind.ONLINE), None)
        fees = selectors.channel_fees(online_row)[0] if online_row is not None else after.fees
        after = after.but(trips=trips, travel_hours=hours, copies=0, other_costs=0, fees=fees)
    if changes.new_fee is not None:
        after = after.but(fees=changes.new_fee)
    return after, channel


def _validate_changes(version: ProcedureVersion, changes: Changes, derivation: selectors.Derivation) -> None:
    errors = {}
    counted = {c.pk for c in derivation.components}
    if any(pk not in counted for pk in changes.removed_components):
        errors["removed_components"] = _("Thành phần hồ sơ được chọn không thuộc thủ tục này.")
    if changes.new_fee is not None and changes.new_fee < 0:
        errors["new_fee"] = _("Mức phí, lệ phí mới không được âm.")
    if not Decimal(0) <= changes.time_limit_cut_percent <= Decimal(100):
        errors["time_limit_cut_percent"] = _("Tỷ lệ cắt giảm thời hạn phải từ 0 đến 100%.")
    if changes.online not in OnlineMove.values:
        errors["online"] = _("Lựa chọn chuyển trực tuyến không hợp lệ.")
    elif changes.online == OnlineMove.PARTIAL and version.online_service == OnlineService.FULL:
        errors["online"] = _("Thủ tục đã là dịch vụ công trực tuyến toàn trình.")
    if errors:
        raise ReformInputError(errors)


@transaction.atomic
def create_plan(*, name: str, year: int, actor, agency=None, legal_source: str = "") -> SimplificationPlan:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Tên phương án không được để trống.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Năm phải từ 2000 đến 2100.")
    if errors:
        raise ReformInputError(errors)
    plan = SimplificationPlan.objects.create(name=name.strip(), year=year, agency=agency,
                                             legal_source=(legal_source or "").strip(), created_by=actor)
    audit.append("reform.plan.create", object_type="reform.simplificationplan", object_id=plan.pk, actor=actor,
                 after={"name": plan.name, "year": year})
    return plan


@transaction.atomic
def add_to_plan(plan: SimplificationPlan, procedure: Procedure, *, actor, changes: Changes,
                channel: str | None = None, overrides: dict | None = None, notes: dict | None = None,
                description: str = "") -> PlanItem:
    """Assess the procedure now, project it after the changes, and add both to the plan."""
    if procedure.current_version_id is None:
        raise ReformInputError({"code": _("Thủ tục %(code)s không còn phiên bản hiện hành.") % {
            "code": procedure.code}})
    if plan.items.filter(procedure=procedure).exists():
        raise ReformInputError({"code": _("Thủ tục %(code)s đã có trong phương án.") % {"code": procedure.code}})
    version = procedure.current_version
    derivation = _derivation(version, channel, plan.year - 1 if plan.year else None)
    _validate_changes(version, changes, derivation)
    before_inputs, kept = resolve_inputs(derivation.inputs, overrides or {}, notes or {})
    after_inputs, after_channel = project(before_inputs, derivation.channel, derivation, changes)
    if after_inputs == before_inputs and after_channel == derivation.channel:
        raise ReformInputError({"changes": _("Phương án chưa cắt giảm gì: hãy chọn ít nhất một nội dung "
                                             "đơn giản hóa.")})
    before = _save(derivation, before_inputs, kind=AssessmentKind.CURRENT, channel=derivation.channel, notes=kept,
                   warnings=derivation.warnings, actor=actor)
    after = _save(derivation, after_inputs, kind=AssessmentKind.PROJECTED, channel=after_channel, notes=kept,
                  warnings=[], actor=actor)
    item = PlanItem.objects.create(
        plan=plan, procedure=procedure, before=before, after=after,
        removed_components=list(changes.removed_components), new_fee=changes.new_fee,
        time_limit_cut_percent=changes.time_limit_cut_percent, online=changes.online,
        description=(description or "").strip(),
    )
    audit.append("reform.plan.add", object_type="reform.simplificationplan", object_id=plan.pk, actor=actor,
                 after={"procedure": procedure.code, "before": before.annual_cost, "after": after.annual_cost})
    return item


@transaction.atomic
def set_published(plan: SimplificationPlan, published: bool, *, actor) -> None:
    plan.published = published
    plan.save(update_fields=["published"])
    audit.append("reform.plan.publish" if published else "reform.plan.unpublish",
                 object_type="reform.simplificationplan", object_id=plan.pk, actor=actor)


# ----------------------------------------------------------------------------- ad-hoc report

SCENARIOS = {"none": OnlineMove.NONE, "online": OnlineMove.FULL}


def procedures_report(codes: list[str], *, scenario: str = "none", year: int | None = None,
                      subjects: dict[str, int] | None = None) -> selectors.Report:
    """Report the current cost of procedures by code, and after a standard scenario (nothing is saved).

    `scenario` "online" projects every procedure to a fully online service (no trips, no copies,
    the online channel's fees). `subjects` overrides the dossier statistics per code.
    """
    if scenario not in SCENARIOS:
        raise ReformInputError({"scenario": _("Kịch bản không hợp lệ: %(s)s.") % {"s": scenario}})
    versions, missing = selectors.versions_for_codes(codes)
    if missing:
        raise ReformInputError({"procedures": _("Không có thủ tục mã: %(codes)s.") % {"codes": ", ".join(missing)}})
    parameters = selectors.parameters_in_force()
    if parameters is None:
        raise ReformInputError({"parameters": _("Chưa có bộ tham số chi phí tuân thủ nào có hiệu lực.")})
    year = year or selectors.last_full_year()
    counts = selectors.dossiers_per_year_bulk([v.procedure for v in versions], year)
    rows = []
    for version in versions:
        derivation = selectors.derive(version, parameters=parameters, year=year, subjects=counts[version.procedure_id])
        before = derivation.inputs
        if subjects and version.procedure.code in subjects:
            before = before.but(subjects=subjects[version.procedure.code])
        after, after_channel = before, derivation.channel
        if SCENARIOS[scenario]:
            after, after_channel = project(before, derivation.channel, derivation,
                                           Changes(online=SCENARIOS[scenario]))
        cost_before = formulas.cost(before, parameters.prices)
        cost_after = formulas.cost(after, parameters.prices)
        rows.append(selectors.ReportRow(
            code=version.procedure.code, name=version.name,
            channel_before=str(ChannelKind(derivation.channel).label), channel_after=str(ChannelKind(after_channel).label),
            subjects=before.subjects, per_occurrence_before=cost_before.per_occurrence,
            per_occurrence_after=cost_after.per_occurrence, before=cost_before.annual, after=cost_after.annual,
        ))
    return selectors.Report(_("Chi phí tuân thủ thủ tục hành chính"), rows)

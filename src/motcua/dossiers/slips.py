"""The standard slips (Mẫu 01–05) of a dossier as PDFs, and the register (Mẫu 06) as PDF, XLSX or CSV.

Each slip is built in two steps: `slip_data()` gathers what the slip states, as plain JSON-ready
strings (the same dict is stored in `Slip.data` when a slip is issued, so what was handed out can
be explained later without re-reading rows that have since changed); a template of
dossiers/templates/dossiers/slips/ lays it out, and lib/pdf.py renders it with the bundled fonts.

The form number and title come from `SlipForm`, the row in force on the issue date: the law can
renumber the forms (Decree 118/2025) without a code change (docs/slips.md).

Personal data: the slips print what the forms ask for (name, address, phone, e-mail); the citizen's
identity number is never printed, because no form of Circular 01/2018 requires it.
"""

import csv
import hashlib
import io
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit
from motcua.dossiers.choices import ApplicantKind, Channel, SlipKind, Stage, Timeliness
from motcua.dossiers.errors import InvalidInputError
from motcua.dossiers.models import Dossier, Slip, SlipForm, StatusChange
from motcua.lib import pdf
from motcua.lib.pdf import clean_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DOSSIER_SLIPS = (SlipKind.RECEIPT, SlipKind.SUPPLEMENT, SlipKind.REFUSAL, SlipKind.APOLOGY, SlipKind.CONTROL)
# A register longer than a year is a different report (statistics), and would take minutes to lay out.
REGISTER_MAX_DAYS = 366
# A register line costs about 10 ms of layout (docs/benchmarks.md, Slips): past this many lines a PDF
# would keep a request busy for more than ten seconds, and nobody prints it; the spreadsheet has no limit.
REGISTER_PDF_MAX_ROWS = 1000
REGISTER_FORMATS = ("pdf", "xlsx", "csv")
REGISTER_COLUMNS = [
    ("stt", "STT"),
    ("code", "Mã hồ sơ"),
    ("procedure", "Thủ tục hành chính"),
    ("applicant", "Người nộp"),
    ("received_at", "Ngày nhận"),
    ("due_at", "Ngày hẹn trả"),
    ("transferred_at", "Ngày chuyển"),
    ("finished_at", "Ngày có kết quả"),
    ("returned_at", "Ngày trả"),
    ("note", "Ghi chú"),
]
TIME_UNITS = {
    "working_day": "ngày làm việc",
    "working_hour": "giờ làm việc",
    "day": "ngày",
    "month": "tháng",
}
# Where the applicant collects the result (Mẫu 01, item "nơi nhận kết quả").
RESULT_DELIVERY = {
    "counter": "Trực tiếp tại Bộ phận Tiếp nhận và Trả kết quả – {agency}",
    "post": "Qua dịch vụ bưu chính, gửi đến địa chỉ của người nộp",
    "online": "Trực tuyến, qua tài khoản của người nộp trên Cổng Dịch vụ công",
}
DEFAULT_DELIVERY = {Channel.IN_PERSON: "counter", Channel.POSTAL: "post", Channel.ONLINE: "online"}
# The `extra` keys each slip understands: what the dossier rows do not hold.
EXTRA_KEYS = {
    SlipKind.RECEIPT: {"result_delivery"},
    SlipKind.SUPPLEMENT: {"contact", "legal_basis"},
    SlipKind.REFUSAL: {"referral"},
    SlipKind.APOLOGY: set(),
    SlipKind.CONTROL: set(),
}
# Administrative-unit types stripped to get the place name (địa danh) of the date line (Decree 30/2020).
_UNIT_TYPE = re.compile(r"^(thành phố|thị xã|thị trấn|tỉnh|huyện|quận|xã|phường|đặc khu)\s+", re.IGNORECASE)


# ----------------------------------------------------------------------------- formatting

def fmt_datetime(value: datetime | None) -> str:
    """"26/11/2026 10:00" in Vietnam's time, whatever zone the value was stored in."""
    return timezone.localtime(value, VN).strftime(DATETIME_FORMAT) if value else ""


def fmt_date(value: datetime | None) -> str:
    return timezone.localtime(value, VN).strftime("%d/%m/%Y") if value else ""


def fmt_number(value: Decimal | int) -> str:
    """3 → "3", 1.50 → "1,5": no trailing zeros, a decimal comma."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def person_name(user) -> str:
    """An official's name in Vietnamese order (family name first), else the login name."""
    if user is None:
        return ""
    name = clean_text(f"{user.last_name} {user.first_name}")
    return name or user.get_username()


def place_name(agency) -> str:
    """The địa danh of an agency: its administrative unit without the unit type ("Xã An Thạnh" → "An Thạnh")."""
    unit = agency.unit
    while unit is not None:
        name = _UNIT_TYPE.sub("", clean_text(unit.name))
        if name:
            return name
        unit = unit.parent
    return ""


def form_in_force(kind: str, on: date) -> SlipForm:
    form = SlipForm.objects.filter(kind=kind, valid_from__lte=on).order_by("-valid_from", "-id").first()
    if form is None:
        raise InvalidInputError({"kind": _("Chưa có mẫu “%(title)s” nào có hiệu lực vào ngày %(day)s.")
                                 % {"title": SlipKind(kind).label, "day": on.strftime("%d/%m/%Y")}})
    return form


def _check_kind(kind) -> SlipKind:
    if kind in SlipKind.values and kind in DOSSIER_SLIPS:
        return SlipKind(kind)
    if kind == SlipKind.REGISTER:
        raise InvalidInputError({"kind": _("Sổ theo dõi hồ sơ (Mẫu số 06) lập cho cả cơ quan theo khoảng thời gian, "
                                           "không lập cho từng hồ sơ.")})
    names = "; ".join(f"{k} ({SlipKind(k).label})" for k in DOSSIER_SLIPS)
    raise InvalidInputError({"kind": _("Loại phiếu “%(kind)s” không có. Các loại phiếu: %(names)s.")
                             % {"kind": kind, "names": names}})


def _check_extra(kind: SlipKind, extra: dict | None) -> dict:
    extra = dict(extra or {})
    unknown = sorted(set(extra) - EXTRA_KEYS[kind])
    if unknown:
        allowed = ", ".join(sorted(EXTRA_KEYS[kind])) or _("không có")
        raise InvalidInputError({f"extra.{key}": _("Thông tin “%(key)s” không dùng cho %(title)s (dùng được: %(allowed)s).")
                                 % {"key": key, "title": SlipKind(kind).label, "allowed": allowed}
                                 for key in unknown})
    delivery = extra.get("result_delivery")
    if delivery is not None and delivery not in RESULT_DELIVERY:
        raise InvalidInputError({"extra.result_delivery": _("Nơi nhận kết quả phải là một trong: %(values)s.")
                                 % {"values": ", ".join(RESULT_DELIVERY)}})
    return {k: clean_text(v) for k, v in extra.items()}


# ----------------------------------------------------------------------------- what each slip states

def _not_applicable(dossier: Dossier, kind: SlipKind, why: str) -> InvalidInputError:
    return InvalidInputError({"kind": _("Không lập được %(title)s cho hồ sơ %(code)s: %(why)s")
                              % {"title": SlipKind(kind).label, "code": dossier.code or f"#{dossier.pk}", "why": why}})


def _common(dossier: Dossier, form: SlipForm, at: datetime) -> dict:
    agency = dossier.receiving_agency
    applicant = dossier.applicant
    version = dossier.procedure_version
    return {
        "form": _form_dict(form),
        "issued_at": fmt_datetime(at),
        "place_date": pdf.place_date_line(place_name(agency), timezone.localtime(at, VN).date()),
        "agency": {"name": clean_text(agency.name), "organ_code": agency.organ_code or "",
                   "superior": clean_text(agency.parent.name) if agency.parent_id else ""},
        "dossier": {"code": dossier.code or "", "procedure": clean_text(version.name),
                    "procedure_code": version.procedure.code, "channel": str(Channel(dossier.channel).label)},
        # No identity number: none of the forms asks for it (module docstring).
        "applicant": {"name": clean_text(applicant.full_name), "address": clean_text(applicant.address),
                      "phone": clean_text(applicant.phone), "email": clean_text(applicant.email),
                      # How the slip addresses the applicant: the forms say "ông (bà)" to a person.
                      "is_person": applicant.kind == ApplicantKind.PERSON,
                      "pronoun": "ông (bà)" if applicant.kind == ApplicantKind.PERSON else "quý tổ chức"},
    }


def _first_change(dossier: Dossier, *actions: str) -> StatusChange | None:
    return dossier.history.filter(action__in=actions).order_by("at", "id").select_related("actor").first()


def _receipt(dossier, data, issued_by, extra):
    if dossier.received_at is None:
        raise _not_applicable(dossier, SlipKind.RECEIPT, _("hồ sơ chưa được tiếp nhận."))
    delivery = extra.get("result_delivery") or DEFAULT_DELIVERY.get(dossier.channel, "counter")
    received = _first_change(dossier, "receive", "accept")
    limit = ""
    if dossier.time_limit_value is not None:
        limit = f"{fmt_number(dossier.time_limit_value)} {TIME_UNITS.get(dossier.time_limit_unit, dossier.time_limit_unit)}"
    data.update({
        "components": [{"name": clean_text(c.name), "originals": c.originals, "copies": c.copies}
                       for c in dossier.components.all()],
        "sets": dossier.sets,
        "time_limit": limit,
        "received_at": fmt_datetime(dossier.received_at),
        "due_at": fmt_datetime(dossier.due_at),
        "result_delivery": RESULT_DELIVERY[delivery].format(agency=data["agency"]["name"]),
        "officer": person_name(issued_by) or ((person_name(received.actor) or received.actor_label) if received else ""),
    })


def _supplement(dossier, data, issued_by, extra):
    request = dossier.supplement_requests.select_related("requested_by").order_by("-requested_at", "-id").first()
    if request is None:
        raise _not_applicable(dossier, SlipKind.SUPPLEMENT, _("hồ sơ không có yêu cầu bổ sung nào."))
    version = dossier.procedure_version
    data.update({
        "requested_at": fmt_datetime(request.requested_at),
        "received_on": fmt_date(dossier.received_at or dossier.submitted_at),
        "missing_papers": [clean_text(p) for p in request.missing_papers],
        "reason": clean_text(request.reason),
        # The officer may cite the exact provision; else the numbers of every text the procedure
        # rests on (their titles would fill a page: birth registration cites fourteen texts).
        "legal_basis": [extra["legal_basis"]] if extra.get("legal_basis") else [
            clean_text(b.document.number) for b in version.legal_bases.select_related("document").order_by("order")],
        "contact": extra.get("contact", ""),
        "officer": person_name(issued_by) or person_name(request.requested_by),
    })


def _refusal(dossier, data, issued_by, extra):
    change = dossier.history.filter(action="refuse").select_related("actor").order_by("-at", "-id").first()
    if change is None:
        raise _not_applicable(dossier, SlipKind.REFUSAL, _("hồ sơ không bị từ chối tiếp nhận."))
    data.update({
        "submitted_at": fmt_datetime(dossier.submitted_at or dossier.received_at),
        "refused_at": fmt_datetime(change.at),
        "reason": clean_text(change.reason),
        "referral": extra.get("referral") or clean_text((change.data or {}).get("referral", "")),
        "officer": person_name(issued_by) or person_name(change.actor) or change.actor_label,
    })


def _apology(dossier, data, issued_by, extra):
    appointment = dossier.appointments.select_related("issued_by").order_by("-issued_at", "-id").first()
    if appointment is None:
        raise _not_applicable(dossier, SlipKind.APOLOGY, _("hồ sơ chưa có hẹn lại ngày trả kết quả."))
    data.update({
        "received_on": fmt_date(dossier.received_at),
        "previous_due_at": fmt_datetime(appointment.previous_due_at),
        "new_due_at": fmt_datetime(appointment.new_due_at),
        "reason": clean_text(appointment.reason),
        "officer": person_name(issued_by) or person_name(appointment.issued_by),
    })


def _control(dossier, data, issued_by, extra):
    steps = list(dossier.steps.select_related("agency", "assignee", "completed_by").order_by("order"))
    if not steps:
        raise _not_applicable(dossier, SlipKind.CONTROL, _("hồ sơ chưa được tiếp nhận nên chưa có bước xử lý nào."))
    rows = []
    for step in steps:
        handler = step.assignee or step.completed_by
        result = Timeliness(step.timeliness).label if step.timeliness else ""
        if step.started_at and not step.completed_at:
            result = _("Đang xử lý")
        notes = [clean_text(step.outcome)] if step.outcome else []
        if step.is_interagency:
            notes.append(_("Liên thông"))
        if step.due_at:
            notes.append(_("Hạn: %(due)s") % {"due": fmt_datetime(step.due_at)})
        rows.append({
            "order": step.order,
            "agency": clean_text(step.agency.name),
            "step": clean_text(step.name),
            "received_at": fmt_datetime(step.started_at),
            "receiver": person_name(handler),
            "handed_at": fmt_datetime(step.completed_at),
            "giver": person_name(step.completed_by),
            "result": str(result),
            "notes": "; ".join(str(n) for n in notes),
        })
    partners = sorted({clean_text(s.agency.name) for s in steps if s.is_interagency})
    data.update({
        "received_at": fmt_datetime(dossier.received_at),
        "due_at": fmt_datetime(dossier.due_at),
        "partners": partners,
        "steps": rows,
    })


BUILDERS = {
    SlipKind.RECEIPT: _receipt,
    SlipKind.SUPPLEMENT: _supplement,
    SlipKind.REFUSAL: _refusal,
    SlipKind.APOLOGY: _apology,
    SlipKind.CONTROL: _control,
}


def slip_data(dossier: Dossier, kind: str, *, issued_by=None, at: datetime | None = None,
              extra: dict | None = None) -> dict:
    """What the slip of `kind` states for the dossier, as JSON-ready strings (stored in Slip.data)."""
    kind = _check_kind(kind)
    extra = _check_extra(kind, extra)
    at = at or timezone.now()
    dossier = (Dossier.objects.select_related("receiving_agency__parent", "receiving_agency__unit__parent",
                                              "applicant", "procedure_version__procedure")
               .get(pk=dossier.pk))
    form = form_in_force(kind, timezone.localtime(at, VN).date())
    data = _common(dossier, form, at)
    BUILDERS[kind](dossier, data, issued_by, extra)
    return data


# ----------------------------------------------------------------------------- rendering

def _page_context(data: dict, *, reference: str = "") -> dict:
    form = data["form"]
    return {
        "d": data,
        "header": pdf.document_header(issuer=data["agency"]["name"], superior=data["agency"]["superior"],
                                      reference=reference, place_date=data["place_date"]),
        "title": pdf.document_title(form["title"]),
        "form_label": f"Mẫu số {form['number']}",
    }


def _signatures(kind: str, data: dict):
    officer = data.get("officer", "")
    if kind == SlipKind.RECEIPT:
        return pdf.signature_block(("Người nộp hồ sơ", "(Ký và ghi rõ họ tên)", data["applicant"]["name"]),
                                   ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", officer))
    if kind == SlipKind.SUPPLEMENT:
        return pdf.signature_block(("", "", ""), ("Người hướng dẫn", "(Ký và ghi rõ họ tên)", officer))
    if kind == SlipKind.REFUSAL:
        return pdf.signature_block(("", "", ""), ("Người tiếp nhận hồ sơ", "(Ký và ghi rõ họ tên)", officer))
    if kind == SlipKind.APOLOGY:
        return pdf.signature_block(("", "", ""),
                                   ("Thủ trưởng cơ quan", "(Ký, ghi rõ họ tên và đóng dấu)", officer))
    return ""


def render_data(kind: str, data: dict) -> bytes:
    """The PDF of a slip from its data (as `slip_data()` returns it)."""
    context = _page_context(data) | {"signatures": _signatures(kind, data)}
    return pdf.render_pdf(render_to_string(f"dossiers/slips/{kind}.html", context))


def render_slip(dossier: Dossier, kind: str, *, issued_by=None, at: datetime | None = None,
                extra: dict | None = None) -> bytes:
    """The PDF of one standard slip of the dossier, with the form in force at `at` (default: now).

    A slip that does not apply (a supplement slip with no supplement request, an apology with no
    new appointment, an unknown kind) raises InvalidInputError naming `kind`.
    """
    data = slip_data(dossier, kind, issued_by=issued_by, at=at, extra=extra)
    return render_data(kind, data)


def issue_slip(dossier: Dossier, kind: str, *, issued_by, at: datetime | None = None,
               extra: dict | None = None) -> Slip:
    """Render a slip and keep it: the PDF in default storage, the data it states in `Slip.data`.

    The handing-out is recorded in the audit chain (who issued which form, the PDF's sha256), so a
    slip shown later can be checked against what was issued.
    """
    at = at or timezone.now()
    data = slip_data(dossier, kind, issued_by=issued_by, at=at, extra=extra)
    # Rendered before the transaction opens: on SQLite the transaction holds the write lock.
    content = render_data(kind, data)
    data["sha256"] = hashlib.sha256(content).hexdigest()
    form = form_in_force(kind, timezone.localtime(at, VN).date())
    slip = Slip(dossier=dossier, form=form, issued_at=at, data=data,
                issued_by=issued_by if getattr(issued_by, "pk", None) else None)
    stamp = timezone.localtime(at, VN).strftime("%Y%m%d-%H%M%S")
    slip.file.save(f"{dossier.code or dossier.pk}-mau-{form.number}-{stamp}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            slip.save()
            audit.append("dossier.slip_issued", object_type="dossier", object_id=dossier.pk, actor=issued_by,
                         after={"slip": slip.pk, "kind": str(kind), "form": form.number, "file": slip.file.name,
                                "sha256": data["sha256"], "issued_at": at.isoformat()})
    except Exception:
        # Don't leave an orphan file behind when the row could not be written.
        slip.file.delete(save=False)
        raise
    return slip


# ----------------------------------------------------------------------------- the register (Mẫu 06)

def _as_date(value, field: str) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value, VN).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for parse in (date.fromisoformat, lambda s: datetime.strptime(s, "%d/%m/%Y").date()):
            try:
                return parse(value.strip())
            except ValueError:
                continue
    raise InvalidInputError({field: _("Ngày không hợp lệ: “%(value)s”. Nhập theo dạng dd/mm/yyyy.") % {"value": value}})


def _register_note(dossier: Dossier, changes: list[StatusChange]) -> str:
    """What a reader of the register needs beside the dates: refusal, supplement, new appointment, lateness."""
    notes = []
    by_action = {}
    for change in changes:
        by_action.setdefault(change.action, change)
    if dossier.channel != Channel.IN_PERSON:
        notes.append(str(Channel(dossier.channel).label))
    if "refuse" in by_action:
        notes.append(_("Từ chối tiếp nhận: %(reason)s") % {"reason": clean_text(by_action["refuse"].reason)})
    if "request_supplement" in by_action:
        notes.append(_("Yêu cầu bổ sung ngày %(at)s") % {"at": fmt_datetime(by_action["request_supplement"].at)})
    for appointment in dossier.appointments.all():
        notes.append(_("Hẹn lại: %(at)s") % {"at": fmt_datetime(appointment.new_due_at)})
    if dossier.stage == Stage.WITHDRAWN:
        notes.append(_("Đã rút hồ sơ"))
    elif dossier.stage == Stage.STOPPED:
        notes.append(_("Dừng xử lý"))
    finished = dossier.finished_at or dossier.returned_at
    if dossier.due_at and finished and finished > dossier.due_at:
        notes.append(_("Quá hạn"))
    return "; ".join(notes)


def register_rows(agency, date_from: date, date_to: date) -> list[dict]:
    """One row per dossier the agency received (or refused) from date_from to date_to, in Vietnam's days."""
    start = datetime.combine(date_from, time.min, tzinfo=VN)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=VN)
    interesting = ("forward", "refuse", "request_supplement")
    dossiers = (
        Dossier.objects.filter(receiving_agency=agency)
        .exclude(stage=Stage.SUBMITTED)
        .annotate(registered_at=Coalesce("received_at", "submitted_at"))
        .filter(registered_at__gte=start, registered_at__lt=end)
        .select_related("applicant", "procedure_version")
        .prefetch_related(
            Prefetch("history", queryset=StatusChange.objects.filter(action__in=interesting).order_by("at", "id"),
                     to_attr="register_changes"),
            "appointments",
        )
        .order_by("registered_at", "code")
    )
    rows = []
    for number, dossier in enumerate(dossiers, start=1):
        changes = dossier.register_changes
        forward = next((c for c in changes if c.action == "forward"), None)
        rows.append({
            "stt": number,
            "code": dossier.code or "",
            "procedure": clean_text(dossier.procedure_version.name),
            "applicant": clean_text(dossier.applicant.full_name),
            "received_at": dossier.registered_at,
            "due_at": dossier.due_at,
            "transferred_at": forward.at if forward else None,
            "finished_at": dossier.finished_at,
            "returned_at": dossier.returned_at,
            "note": _register_note(dossier, changes),
        })
    return rows


def _form_dict(form: SlipForm) -> dict:
    return {"kind": form.kind, "number": form.number, "title": clean_text(form.title),
            "legal_source": clean_text(form.legal_source), "valid_from": form.valid_from.isoformat()}


def register_data(agency, form: SlipForm, date_from: date, date_to: date, rows: list[dict], at: datetime) -> dict:
    """What the printed register states, as JSON-ready strings (like `slip_data()` for the slips)."""
    return {
        "form": _form_dict(form),
        "agency": {"name": clean_text(agency.name), "organ_code": agency.organ_code or "",
                   "superior": clean_text(agency.parent.name) if agency.parent_id else ""},
        "place_date": pdf.place_date_line(place_name(agency), timezone.localtime(at, VN).date()),
        "period": f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}",
        "rows": [{k: fmt_datetime(v) if isinstance(v, datetime) else ("" if v is None else v) for k, v in row.items()}
                 for row in rows],
    }


def render_register_data(data: dict) -> bytes:
    """The register PDF (A4 landscape) from `register_data()`."""
    context = {
        "d": data,
        "header": pdf.document_header(issuer=data["agency"]["name"], superior=data["agency"]["superior"],
                                      place_date=data["place_date"]),
        "title": pdf.document_title(data["form"]["title"], data["period"]),
        "form_label": f"Mẫu số {data['form']['number']}",
        "columns": [label for _key, label in REGISTER_COLUMNS],
    }
    return pdf.render_pdf(render_to_string("dossiers/slips/register.html", context), landscape=True)


def _register_xlsx(agency, form: SlipForm, date_from: date, date_to: date, rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.append([f"{clean_text(form.title).upper()} (Mẫu số {form.number})"])
    sheet.append([clean_text(agency.name)])
    sheet.append([f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"])
    sheet.append([label for _key, label in REGISTER_COLUMNS])
    header_row = sheet.max_row
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        # Real dates (naive, in Vietnam's time: Excel has no time zones) so the sheet can sort and filter them.
        sheet.append([timezone.localtime(v, VN).replace(tzinfo=None, second=0, microsecond=0)
                      if isinstance(v, datetime) else v for v in (row[key] for key, _label in REGISTER_COLUMNS)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [6, 28, 50, 26, 17, 17, 17, 17, 17, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _register_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _key, label in REGISTER_COLUMNS])
    for row in rows:
        writer.writerow([fmt_datetime(v) if isinstance(v, datetime) else v
                         for v in (row[key] for key, _label in REGISTER_COLUMNS)])
    # A byte-order mark: without it Excel on Windows opens UTF-8 as a legacy code page and garbles Vietnamese.
    return out.getvalue().encode("utf-8-sig")


def render_register(agency, date_from, date_to, fmt: str = "pdf", *, at: datetime | None = None) -> bytes:
    """The register of dossiers (Mẫu 06) an agency received between two days (inclusive) as PDF, XLSX or CSV."""
    errors = {}
    if agency is None:
        errors["agency"] = _("Chưa chọn cơ quan.")
    try:
        date_from = _as_date(date_from, "date_from")
    except InvalidInputError as error:
        errors.update(error.errors)
    try:
        date_to = _as_date(date_to, "date_to")
    except InvalidInputError as error:
        errors.update(error.errors)
    if fmt not in REGISTER_FORMATS:
        errors["fmt"] = _("Định dạng “%(fmt)s” không được hỗ trợ; chọn một trong: %(formats)s.") % {
            "fmt": fmt, "formats": ", ".join(REGISTER_FORMATS)}
    if "date_from" not in errors and "date_to" not in errors:
        if date_from > date_to:
            errors["date_from"] = _("Từ ngày (%(start)s) phải trước hoặc trùng với đến ngày (%(end)s).") % {
                "start": date_from.strftime("%d/%m/%Y"), "end": date_to.strftime("%d/%m/%Y")}
        elif (date_to - date_from).days + 1 > REGISTER_MAX_DAYS:
            errors["date_to"] = _("Mỗi lần chỉ lập sổ cho tối đa %(days)d ngày.") % {"days": REGISTER_MAX_DAYS}
    if errors:
        raise InvalidInputError(errors)
    at = at or timezone.now()
    form = form_in_force(SlipKind.REGISTER, timezone.localtime(at, VN).date())
    rows = register_rows(agency, date_from, date_to)
    if fmt == "pdf" and len(rows) > REGISTER_PDF_MAX_ROWS:
        raise InvalidInputError({"date_to": _(
            "Khoảng thời gian này có %(count)d hồ sơ, quá nhiều để in một lần (tối đa %(max)d). "
            "Hãy chọn khoảng ngắn hơn, hoặc xuất tệp XLSX hay CSV.") % {"count": len(rows), "max": REGISTER_PDF_MAX_ROWS}})
    if fmt == "xlsx":
        return _register_xlsx(agency, form, date_from, date_to, rows)
    if fmt == "csv":
        return _register_csv(rows)
    return render_register_data(register_data(agency, form, date_from, date_to, rows, at))

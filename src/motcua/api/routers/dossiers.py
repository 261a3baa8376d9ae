"""/api/v1/dossiers: the officials' and connected systems' API for dossiers (hồ sơ).

Thin by rule: the work queues and the dossier come from `dossiers.selectors`, every change goes
through `dossiers.services` (reception, the one guarded transition), who may see a dossier is
`dossiers.permissions.can_view`, and the slips are `dossiers.slips.render_slip`. This module only
authenticates (api/auth.py), reads parameters, pages, maps the services' errors onto the API's
error body and shapes the answers.

Status codes: 401 nobody authenticated; 404 a dossier the caller may not see (an official of
another agency learns nothing about its existence); 403 a dossier the caller sees but an action
their role does not allow; 409 an action the stage does not allow (with the allowed ones) or a
stale `expected_version`; 422 bad input, one item per field.
"""

import functools
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.db.models import F, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, HeaderEx, P, QueryEx, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status as Reply

from motcua.api.auth import AUTH
from motcua.api.errors import ApiError, BadParameterError, NotFoundError
from motcua.api.pagination import decode_keyset, encode_cursor
from motcua.api.schemas import ErrorOut
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import permissions, selectors, services
from motcua.dossiers.choices import ApplicantKind, Channel, SlipKind, Stage, Status
from motcua.dossiers.errors import (
    ConflictError,
    DossierError,
    InvalidInputError,
    NotPermittedError,
    TransitionNotAllowedError,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import ACTIONS
from motcua.units.selectors import get_agency

router = Router(tags=["Hồ sơ / Dossiers"], auth=AUTH)

QueueParam = Literal[selectors.QUEUES]  # type: ignore[valid-type]
ActionParam = Literal[tuple(ACTIONS)]  # type: ignore[valid-type]
ChannelParam = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
ApplicantKindParam = Literal[tuple(ApplicantKind.values)]  # type: ignore[valid-type]
# The calendar units a dossier's time limit is counted in (workdays.compute_due).
TimeUnitParam = Literal["working_day", "working_hour", "day", "month"]
DOSSIER_SLIPS = [k for k in SlipKind.values if k != SlipKind.REGISTER]
# Idempotency keys are stored as "api:<user id>:<key>" in a 100-character column.
IDEMPOTENCY_KEY_MAX = 80
APPLICANT_FIELDS = {"kind", "full_name", "id_number", "tax_code", "date_of_birth", "phone", "email", "address"}

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ----------------------------------------------------------------------------- errors

class DetailError(ApiError):
    """An error body with several items (one per bad field) or with extra keys (`allowed`)."""

    def __init__(self, status: int, items: list[dict]):
        self.status_code = status
        self.items = items
        super().__init__(items[0]["loc"], items[0]["msg"], items[0]["type"])

    def body(self) -> dict:
        return {"detail": self.items}


def _key_loc(key: str) -> list:
    """A service's field key as a location: "components[1].name" → ["components", 1, "name"]."""
    loc: list = []
    for part in key.split("."):
        match = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", part)
        if match is None:
            loc.append(part)
            continue
        if match.group(1):
            loc.append(match.group(1))
        loc.extend(int(i) for i in re.findall(r"\[(\d+)\]", match.group(2)))
    return loc


def _reception_loc(key: str) -> list:
    loc = _key_loc(key)
    return ["body", "applicant", *loc] if loc and loc[0] in APPLICANT_FIELDS else ["body", *loc]


def _action_loc(key: str) -> list:
    loc = _key_loc(key)
    return ["body", *loc] if loc[:1] == ["reason"] else ["body", "data", *loc]


def _slip_loc(key: str) -> list:
    return ["path", "kind"] if key == "kind" else ["query", *_key_loc(key)]


def _api_error(exc: DossierError, field_loc) -> ApiError:
    """A service's error as the API's error body, with the service's Vietnamese message."""
    if isinstance(exc, InvalidInputError):
        return DetailError(422, [{"loc": field_loc(key), "msg": msg, "type": "value_error"}
                                 for key, msg in exc.errors.items()])
    if isinstance(exc, TransitionNotAllowedError):
        return DetailError(409, [{"loc": ["path", "action"], "msg": exc.message, "type": "transition_not_allowed",
                                  "allowed": exc.details.get("allowed", [])}])
    if isinstance(exc, ConflictError):
        return DetailError(409, [{"loc": ["body", "expected_version"], "msg": exc.message, "type": "conflict"}])
    if isinstance(exc, NotPermittedError):
        return DetailError(403, [{"loc": [], "msg": exc.message, "type": "permission_denied"}])
    return DetailError(exc.status_code, [{"loc": [], "msg": exc.message, "type": "invalid"}])


def _body_field_names(view):
    """Name body fields as the client wrote them: ["body", "applicant", "full_name"] and
    “applicant.full_name”, not ninja's ["body", "payload", ...] and “payload”.

    ninja puts the view's argument name (`payload`) into each location, and the shared translator
    (api/errors.py) names the first string of the location, written for query parameters. The
    services' errors use the same locations, so a client handles both alike.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 400 and b"Cannot parse request body" in response.content:
            response.content = json.dumps({"detail": [{
                "loc": ["body"], "msg": "Nội dung yêu cầu phải là JSON hợp lệ (Content-Type: application/json).",
                "type": "json_invalid"}]}, ensure_ascii=False).encode()
            return response
        if response.status_code != 422 or not response.get("Content-Type", "").startswith("application/json"):
            return response
        body = json.loads(response.content)
        for item in body.get("detail", []):
            loc = item.get("loc", [])
            if loc[:2] != ["body", "payload"]:
                continue
            item["loc"] = ["body", *loc[2:]]
            name = ".".join(str(part) for part in loc[2:] if isinstance(part, str)) or "body"
            item["msg"] = re.sub(r"(T|t)ham số( bắt buộc)? “payload”",
                                 lambda m, name=name: f"{m.group(1)}rường{m.group(2) or ''} “{name}”", item["msg"])
        response.content = json.dumps(body, ensure_ascii=False).encode()
        return response

    return wrapper


def _not_found(code: str) -> NotFoundError:
    return NotFoundError(["path", "code"], f"Không tìm thấy hồ sơ có mã “{code}”.")


def _visible_dossier(user, code: str) -> Dossier:
    """The dossier with everything it shows, if the caller may see it; else the same 404 as a
    dossier that does not exist (an official of another agency learns nothing)."""
    dossier = selectors.get_dossier_by_code(code)
    if dossier is None or not permissions.can_view(user, dossier):
        raise _not_found(code)
    return dossier


def _idempotency_key(user, key: str | None) -> str | None:
    """The client's key, scoped to the caller: two clients that pick the same key don't collide."""
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise BadParameterError("Idempotency-Key", f"Tiêu đề “Idempotency-Key” phải có từ 1 đến "
                                f"{IDEMPOTENCY_KEY_MAX} ký tự.", source="header")
    return f"api:{user.pk}:{key}"


# ----------------------------------------------------------------------------- schemas

class CodeLabelOut(Schema):
    code: str
    label: str


class StatusOut(Schema):
    code: int = Field(description="Mã trạng thái quốc gia (TrangThaiHoSo) 1–10 / national status code")
    label: str


class AgencyBriefOut(Schema):
    organ_code: str | None
    name: str


class ProcedureBriefOut(Schema):
    code: str
    name: str
    version: int | None = None


class CurrentStepOut(Schema):
    name: str
    role: str
    agency: str


class DossierItemOut(Schema):
    code: str
    procedure: ProcedureBriefOut
    applicant: str = Field(description="Họ tên người nộp / applicant's name")
    receiving_agency: AgencyBriefOut
    channel: str
    stage: CodeLabelOut = Field(description="Giai đoạn nội bộ / internal stage")
    status: StatusOut
    current_step: CurrentStepOut | None
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None = Field(description="Ngày hẹn trả kết quả / the appointed return moment")
    version: int = Field(description="Gửi lại trong `expected_version` khi thao tác / send back as expected_version")
    url: str


class DossierPageOut(Schema):
    items: list[DossierItemOut]
    next: str | None = Field(description="Con trỏ trang sau; null ở trang cuối / next page's cursor, null on the last")


class ApplicantOut(Schema):
    kind: str
    full_name: str
    id_number: str
    tax_code: str
    date_of_birth: date | None
    phone: str
    email: str
    address: str


class ComponentOut(Schema):
    name: str
    originals: int
    copies: int
    note: str


class StepOut(Schema):
    order: int
    kind: str
    name: str
    agency: AgencyBriefOut
    role: str
    is_interagency: bool
    assignee: str | None
    started_at: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    completed_by: str | None
    timeliness: str = Field(description="early, on_time, late; rỗng khi chưa xong / empty while open")
    outcome: str


class HistoryOut(Schema):
    action: str
    label: str
    from_stage: str
    to_stage: str
    from_status: int | None
    to_status: int
    at: datetime
    actor: str
    reason: str
    data: dict


class SupplementRequestOut(Schema):
    requested_at: datetime
    missing_papers: list[str]
    reason: str
    answered_at: datetime | None


class AppointmentOut(Schema):
    issued_at: datetime
    previous_due_at: datetime
    new_due_at: datetime
    reason: str


class IssuedSlipOut(Schema):
    kind: str
    form_number: str
    title: str
    issued_at: datetime


class ActionOut(Schema):
    key: str
    label: str
    needs_reason: bool
    url: str


class TimeLimitOut(Schema):
    value: Decimal
    unit: str


class DossierOut(Schema):
    code: str
    version: int
    stage: CodeLabelOut
    status: StatusOut
    deadline: str = Field(description="late = quá hạn, due_soon = sắp đến hạn, rỗng / empty otherwise")
    channel: str
    procedure: ProcedureBriefOut
    receiving_agency: AgencyBriefOut
    applicant: ApplicantOut
    components: list[ComponentOut]
    time_limit: TimeLimitOut | None
    fee_amount: int | None
    submitted_at: datetime | None
    received_at: datetime | None
    effective_receipt_at: datetime | None
    original_due_at: datetime | None = Field(description="Hạn theo quy định / the legal due moment")
    due_at: datetime | None = Field(description="Ngày hẹn trả (sau phiếu xin lỗi nếu có) / appointed return")
    finished_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    result_summary: str
    current_step: int | None = Field(description="Số thứ tự bước hiện tại / order of the current step")
    steps: list[StepOut] = Field(description="Phiếu kiểm soát quá trình giải quyết / the control sheet")
    history: list[HistoryOut]
    supplement_requests: list[SupplementRequestOut]
    appointments: list[AppointmentOut]
    slips: list[IssuedSlipOut] = Field(description="Phiếu đã lập / slips issued")
    allowed_actions: list[ActionOut] = Field(description="Thao tác người gọi được làm lúc này / what the caller may do now")
    slip_urls: dict[str, str] = Field(description="PDF từng loại phiếu / each slip kind's PDF")
    url: str


class ComponentIn(Schema):
    name: str = Field(max_length=1000)
    originals: int = Field(0, ge=0, le=100)
    copies: int = Field(0, ge=0, le=100)
    component_id: int | None = Field(None, description="Thành phần hồ sơ trong danh mục, nếu có / catalogue component id")
    note: str = Field("", max_length=300)


class ApplicantIn(Schema):
    kind: ApplicantKindParam = "person"
    full_name: str = Field(max_length=200)
    id_number: str = Field("", max_length=12, description="Số định danh cá nhân, 12 chữ số / personal id, 12 digits")
    tax_code: str = Field("", max_length=14)
    date_of_birth: date | None = None
    phone: str = Field("", max_length=15)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)


class TimeLimitIn(Schema):
    value: Decimal = Field(gt=0, le=10000, max_digits=8, decimal_places=2)
    unit: TimeUnitParam


class ReceptionIn(Schema):
    procedure: str = Field(max_length=40, description="Mã thủ tục / procedure code, e.g. 1.001193")
    agency: str = Field(max_length=120, description="Mã định danh cơ quan tiếp nhận / receiving agency organ code")
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(max_length=200)
    channel: ChannelParam = "in_person"
    time_limit: TimeLimitIn | None = Field(
        None, description="Chỉ khi thủ tục chưa công bố thời hạn / only if the procedure has none published"
    )


class ActionIn(Schema):
    reason: str = Field("", max_length=5000)
    data: dict = Field(default_factory=dict, description=(
        "Theo thao tác / per action: request_supplement {missing_papers: [..]}, complete_step {outcome, result}, "
        "apologize {new_due_at}, accept {time_limit: [value, unit]}"
    ))
    expected_version: int | None = Field(None, ge=1, description="`version` đã đọc / the version you read")


IdempotencyHeader = HeaderEx[str | None, P(alias="Idempotency-Key", description=(
    "Khóa do máy khách chọn; gửi lại cùng khóa thì không tạo/không làm lại / a retry with the same key does nothing twice"
))]


# ----------------------------------------------------------------------------- presenting

def _url(request: HttpRequest, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


def _stage(d: Dossier) -> dict:
    return {"code": d.stage, "label": str(Stage(d.stage).label)}


def _status(d: Dossier) -> dict:
    return {"code": d.status, "label": str(Status(d.status).label)}


def _agency(a) -> dict:
    return {"organ_code": a.organ_code, "name": a.name}


def _item(d: Dossier, request: HttpRequest) -> dict:
    """A list row from the fields `selectors.work_queue` loads (no query)."""
    step = d.current_step
    return {
        "code": d.code,
        "procedure": {"code": d.procedure_version.procedure.code, "name": d.procedure_version.name},
        "applicant": d.applicant.full_name,
        "receiving_agency": _agency(d.receiving_agency),
        "channel": d.channel,
        "stage": _stage(d),
        "status": _status(d),
        "current_step": {"name": step.name, "role": step.role, "agency": step.agency.name} if step else None,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "version": d.version,
        "url": _url(request, "dossier_detail", code=d.code),
    }


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _detail(d: Dossier, request: HttpRequest) -> dict:
    """Everything `selectors.get_dossier` loads, and what the caller may do now."""
    user = request.auth
    a = d.applicant
    return {
        "code": d.code,
        "version": d.version,
        "stage": _stage(d),
        "status": _status(d),
        "deadline": services.deadline_flag(d),
        "channel": d.channel,
        "procedure": {"code": d.procedure_version.procedure.code, "name": d.procedure_version.name,
                      "version": d.procedure_version.number},
        "receiving_agency": _agency(d.receiving_agency),
        "applicant": {"kind": a.kind, "full_name": a.full_name, "id_number": a.id_number, "tax_code": a.tax_code,
                      "date_of_birth": a.date_of_birth, "phone": a.phone, "email": a.email, "address": a.address},
        "components": [{"name": c.name, "originals": c.originals, "copies": c.copies, "note": c.note}
                       for c in d.components.all()],
        "time_limit": ({"value": d.time_limit_value, "unit": d.time_limit_unit}
                       if d.time_limit_value is not None else None),
        "fee_amount": d.fee_amount,
        "submitted_at": d.submitted_at,
        "received_at": d.received_at,
        "effective_receipt_at": d.effective_receipt_at,
        "original_due_at": d.original_due_at,
        "due_at": d.due_at,
        "finished_at": d.finished_at,
        "returned_at": d.returned_at,
        "closed_at": d.closed_at,
        "result_summary": d.result_summary,
        "current_step": d.current_step.order if d.current_step_id else None,
        "steps": [
            {"order": s.order, "kind": s.kind, "name": s.name, "agency": _agency(s.agency), "role": s.role,
             "is_interagency": s.is_interagency, "assignee": _username(s.assignee), "started_at": s.started_at,
             "due_at": s.due_at, "completed_at": s.completed_at, "completed_by": _username(s.completed_by),
             "timeliness": s.timeliness, "outcome": s.outcome}
            for s in d.steps.all()
        ],
        "history": [
            {"action": h.action, "label": str(ACTIONS[h.action].label) if h.action in ACTIONS else h.action,
             "from_stage": h.from_stage, "to_stage": h.to_stage, "from_status": h.from_status,
             "to_status": h.to_status, "at": h.at, "actor": h.actor_label, "reason": h.reason, "data": h.data}
            for h in d.history.all()
        ],
        "supplement_requests": [
            {"requested_at": r.requested_at, "missing_papers": r.missing_papers, "reason": r.reason,
             "answered_at": r.answered_at}
            for r in d.supplement_requests.all()
        ],
        "appointments": [
            {"issued_at": p.issued_at, "previous_due_at": p.previous_due_at, "new_due_at": p.new_due_at,
             "reason": p.reason}
            for p in d.appointments.all()
        ],
        "slips": [{"kind": s.form.kind, "form_number": s.form.number, "title": s.form.title, "issued_at": s.issued_at}
                  for s in d.slips.all()],
        "allowed_actions": [
            {"key": act.key, "label": str(act.label), "needs_reason": act.needs_reason,
             "url": _url(request, "dossier_action", code=d.code, action=act.key)}
            for act in services.allowed_actions(d, user)
        ],
        "slip_urls": {kind: _url(request, "dossier_slip", code=d.code, kind=kind) for kind in DOSSIER_SLIPS},
        "url": _url(request, "dossier_detail", code=d.code),
    }


# ----------------------------------------------------------------------------- paging

def _sort_fields(qs) -> list[tuple[str, bool]]:
    """The selector's order as (field, descending) pairs: the keyset follows whatever it chose."""
    fields = []
    for term in qs.query.order_by:
        if not isinstance(term, str):
            raise TypeError("work_queue must order by field names for keyset paging")
        fields.append((term.lstrip("-"), term.startswith("-")))
    return fields


def _ordered(qs, fields):
    # NULL sorts as the largest value on both backends (PostgreSQL's default; SQLite's is the
    # opposite), so a cursor means the same thing everywhere and PostgreSQL keeps its indexes.
    return qs.order_by(*[F(name).desc(nulls_first=True) if desc else F(name).asc(nulls_last=True)
                         for name, desc in fields])


def _after(fields, key: list) -> Q:
    """Rows strictly after `key` in that order, NULL being the largest value."""
    terms, equal_so_far = [], Q()
    for (name, desc), value in zip(fields, key, strict=True):
        if value is None:
            strictly = Q(**{f"{name}__isnull": False}) if desc else None
            equal = Q(**{f"{name}__isnull": True})
        else:
            strictly = (Q(**{f"{name}__lt": value}) if desc
                        else Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True}))
            equal = Q(**{name: value})
        if strictly is not None:
            terms.append(equal_so_far & strictly)
        equal_so_far &= equal
    condition = Q(pk__in=[])
    for term in terms:
        condition |= term
    return condition


def _encode(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime) else value


def _decode(name: str, value):
    field = Dossier._meta.get_field(name)
    if field.get_internal_type() == "DateTimeField":
        if value == "":
            return None
        return datetime.fromisoformat(value)
    if not isinstance(value, int):
        raise ValueError(value)
    return value


def _page(qs, queue: str, cursor: str | None, limit: int) -> tuple[list[Dossier], str | None]:
    fields = _sort_fields(qs)
    qs = _ordered(qs, fields)
    key = decode_keyset(cursor, len(fields) + 1)
    if key is not None:
        # The queue is part of the cursor: a cursor of another queue would silently skip rows.
        try:
            if key[0] != queue:
                raise ValueError(key[0])
            values = [_decode(name, v) for (name, _desc), v in zip(fields, key[1:], strict=True)]
        except (ValueError, TypeError):
            raise BadParameterError("cursor", "Tham số “cursor” không dùng được cho hàng đợi này: hãy dùng giá trị "
                                    "“next” của trang trước với cùng các tham số lọc.") from None
        qs = qs.filter(_after(fields, values))
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor({"k": [queue, *[_encode(getattr(last, name)) for name, _desc in fields]]})


# ----------------------------------------------------------------------------- endpoints

@router.get(
    "/dossiers",
    response={200: DossierPageOut, **ERRORS},
    url_name="dossier_list",
    summary="Hàng đợi hồ sơ của cán bộ / An official's work queue",
)
def list_dossiers(
    request: HttpRequest,
    queue: QueryEx[QueueParam, P(description=(
        "mine = bước hiện tại thuộc vai trò của tôi; agency = mọi hồ sơ đang mở của cơ quan; due_soon = sắp đến "
        "hạn; late = quá hạn; all = mọi hồ sơ kể cả đã đóng / my steps, the agency's open dossiers, due soon, "
        "late, everything"))] = "mine",
    q: QueryEx[str, P(max_length=100, description="Mã hồ sơ, tên, số điện thoại hoặc số định danh người nộp")] = "",
    status: QueryEx[int | None, P(ge=1, le=10, description="Mã trạng thái quốc gia 1–10 / national status")] = None,
    agency: QueryEx[str | None, P(max_length=120, description=(
        "Chỉ một cơ quan của tôi (mã định danh), khi tôi được phân công ở nhiều cơ quan / one of my agencies"))] = None,
    limit: QueryEx[int, P(ge=1, le=100, description="Số hồ sơ mỗi trang, 1–100 / page size")] = 20,
    cursor: QueryEx[str | None, P(max_length=500, description="Giá trị `next` của trang trước")] = None,
):
    """Hàng đợi `mine`, `agency`, `due_soon`, `late` xếp theo hạn trả gần nhất trước; `all` theo
    ngày tiếp nhận mới nhất trước. Chỉ cán bộ có phân công tại một cơ quan mới có hàng đợi.

    Open queues are ordered by due moment (soonest first), `all` by reception (newest first).
    The number of queries does not depend on the page size.
    """
    user = request.auth
    if not permissions.is_official(user):
        raise DetailError(403, [{"loc": [], "type": "permission_denied", "msg": (
            "Tài khoản này chưa được phân công tại cơ quan nào nên không có hàng đợi hồ sơ.")}])
    agency_id = _my_agency(user, agency) if agency else None
    qs = selectors.work_queue(user, queue, q=q, status=status, agency_id=agency_id)
    rows, next_cursor = _page(qs, queue, cursor, limit)
    return {"items": [_item(d, request) for d in rows], "next": next_cursor}


def _my_agency(user, value: str) -> int:
    """The id of one of the caller's agencies, by organ code or slug (422 for any other)."""
    found = get_agency(value)
    if found is None or not permissions.roles_at(user, found.pk):
        raise BadParameterError("agency", f"Tham số “agency”: bạn không được phân công tại cơ quan “{value}”.")
    return found.pk


def _current_version(code: str) -> ProcedureVersion:
    code = code.strip()
    version = (
        ProcedureVersion.objects.filter(procedure__code=code, procedure__current_version=F("pk"))
        .select_related("procedure")
        # What reception reads: each channel's time limit and fees (services.time_limit_for, fee_for).
        .prefetch_related(Prefetch("channels", queryset=CatalogChannel.objects.prefetch_related("fees")))
        .first()
    )
    if version is None:
        raise DetailError(422, [{"loc": ["body", "procedure"], "type": "value_error",
                                 "msg": f"Không có thủ tục đang công khai nào có mã “{code}”."}])
    return version


@router.post(
    "/dossiers",
    response={201: DossierOut, **ERRORS},
    url_name="dossier_create",
    summary="Tiếp nhận hồ sơ tại quầy / Receive a dossier at the counter",
)
@decorate_view(_body_field_names)
def create_dossier(request: HttpRequest, payload: ReceptionIn, idempotency_key: IdempotencyHeader = None):
    """Cán bộ tiếp nhận của cơ quan nhận một hồ sơ đầy đủ: cấp mã, tính hạn, lập các bước.

    A reception officer of the agency receives a complete dossier: it gets its code, its due
    moment and its steps. Retrying with the same `Idempotency-Key` returns the same dossier.
    """
    user = request.auth
    key = _idempotency_key(user, idempotency_key)
    version = _current_version(payload.procedure)
    agency = get_agency(payload.agency)
    if agency is None:
        raise DetailError(422, [{"loc": ["body", "agency"], "type": "value_error",
                                 "msg": f"Không có cơ quan có mã định danh “{payload.agency}”."}])
    applicant = payload.applicant.dict()
    components = [services.ComponentInput(**c.dict()) for c in payload.components]
    limit = (payload.time_limit.value, payload.time_limit.unit) if payload.time_limit else None
    try:
        dossier = services.receive_at_counter(
            version=version, agency=agency, applicant=applicant, components=components, actor=user,
            channel=payload.channel, time_limit=limit, idempotency_key=key,
        )
    except DossierError as exc:
        raise _api_error(exc, _reception_loc) from exc
    return Reply(201, _detail(selectors.get_dossier(dossier.pk), request))


@router.get(
    "/dossiers/{code}",
    response={200: DossierOut, **ERRORS},
    url_name="dossier_detail",
    summary="Chi tiết hồ sơ / One dossier",
)
def dossier_detail(request: HttpRequest, code: str):
    """Trạng thái, các bước (phiếu kiểm soát), lịch sử, yêu cầu bổ sung, hẹn lại, phiếu đã lập và
    các thao tác người gọi được làm / status, steps, history, and the caller's allowed actions."""
    return _detail(_visible_dossier(request.auth, code), request)


@router.post(
    "/dossiers/{code}/actions/{action}",
    response={200: DossierOut, **ERRORS},
    url_name="dossier_action",
    summary="Thao tác trên hồ sơ / Act on a dossier",
)
@decorate_view(_body_field_names)
def dossier_action(request: HttpRequest, code: str, action: ActionParam, payload: ActionIn | None = None,
                   idempotency_key: IdempotencyHeader = None):
    """Một bước của quy trình (chuyển xử lý, hoàn thành bước, yêu cầu bổ sung, trả kết quả, ...).

    One move of the workflow. Send `expected_version` (the `version` you read) to be told with a
    409 when someone else moved the dossier first; a 409 for a move the stage does not allow
    lists the allowed ones in `allowed`.
    """
    user = request.auth
    key = _idempotency_key(user, idempotency_key)
    payload = payload or ActionIn()  # most actions need nothing: an empty body is fine
    dossier = _visible_dossier(user, code)
    try:
        services.transition(dossier.pk, action, actor=user, reason=payload.reason, data=dict(payload.data),
                            expected_version=payload.expected_version, idempotency_key=key)
    except DossierError as exc:
        raise _api_error(exc, _action_loc) from exc
    return _detail(selectors.get_dossier(dossier.pk), request)


@router.get(
    "/dossiers/{code}/slips/{kind}.pdf",
    response={200: bytes, **ERRORS},
    url_name="dossier_slip",
    summary="Phiếu của hồ sơ (PDF) / A slip of the dossier as PDF",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {
        "schema": {"type": "string", "format": "binary"}}}}}},
)
def dossier_slip(request: HttpRequest, code: str, kind: str):
    """kind: receipt (Mẫu 01), supplement (02), refusal (03), apology (04), control (05).
    Một phiếu không áp dụng cho hồ sơ (chưa có yêu cầu bổ sung, ...) trả về 422."""
    from motcua.dossiers.slips import render_slip

    dossier = _visible_dossier(request.auth, code)
    try:
        content = render_slip(dossier, kind, issued_by=request.auth)
    except DossierError as exc:
        raise _api_error(exc, _slip_loc) from exc
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{kind}.pdf"'
    return response

"""Reads of the citizen's online services: which agency receives, the citizen's dossiers and papers.

Every read of a dossier here is scoped to its owner (`Applicant.user`): a citizen can never reach
another's dossier, paper or result through these functions, whatever code or id they type.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.choices import AgencyRole, ChannelKind
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.choices import TERMINAL_STAGES, Stage
from motcua.dossiers.models import Dossier, ReceivedComponent, StatusChange
from motcua.lib import uploads
from motcua.lib.text import fold
from motcua.units.choices import Edition, UnitLevel
from motcua.units.models import AdministrativeUnit, Agency
from motcua.units.selectors import old_units_of

# Papers the e-form replaces: the declaration itself (tờ khai, đơn / giấy đề nghị) and the
# civil-status "interactive electronic form", which is what the e-form is.
EFORM_COVERS = tuple(fold(words) for words in ("tờ khai", "giấy đề nghị", "đơn đề nghị", "mẫu hộ tịch điện tử"))
PAPER_PREFIX, RESULT_PREFIX = "giay-to-", "ket-qua-"


# ----------------------------------------------------------------------------- the procedure

def has_online_channel(version: ProcedureVersion) -> bool:
    return any(c.kind == ChannelKind.ONLINE for c in version.channels.all())


@dataclass
class Slot:
    """An upload slot of the submission page: the catalogue's slot, whether the e-form fills it, and
    the case it applies in when its text says so (`paper_case`); such a paper is never required."""

    slot: uploads.UploadSlot
    covered_by_eform: bool
    condition: str = ""

    @property
    def required(self) -> bool:
        return self.slot.required and not self.covered_by_eform and not self.condition

    @property
    def wanted(self) -> int:
        """Originals + copies the procedure asks for; 0 = a paper shown at the counter, or a note."""
        return (self.slot.originals or 0) + (self.slot.copies or 0)

    def __getattr__(self, name):
        return getattr(self.slot, name)


# What opens a case, after an enumerator ("a)", "(1.1)", "2.", "(iii)", "+", "-"): "Trường hợp…",
# "Trong trường hợp…", "Đối với…", "Nếu…", "Khi…".
_ENUMERATOR = (r"^[\s\-–+*•\uf0a7\uf0d8\uf0fc]*(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ](?:\.\d{1,2})?|[ivx]{1,4}|\*)"
               r"[.)]\s*)*[\s\-–+*•]*\(?")
CASE_OPENING = re.compile(_ENUMERATOR + r"(?:trong\s+|đối với\s+(?:các\s+)?)?(?:trường hợp|đối với|nếu|khi)\b",
                          re.IGNORECASE)
# The clause that names the case: up to "thì", ":", ";" or a full stop.
_CLAUSE = re.compile(r"^(.*?)(?:\s+thì\b|[:;]|\.\s|\.$|$)", re.DOTALL | re.IGNORECASE)
# What may follow the procedure's name in a group header that names no case ("Hồ sơ đăng ký tạm trú gồm").
_NO_CASE_TAIL = re.compile(r"^[\s,:;.]*(?:(?:ho so|bao|thanh phan)\s+)*(?:gom(?:\s+co)?|nhu sau)?[\s,:;.]*$")
CASE_LIMIT = 200


def _clause(text: str) -> str:
    text = " ".join(re.sub(_ENUMERATOR, "", text, count=1).split())
    clause = _CLAUSE.match(text).group(1).rstrip(" ,")
    return clause if len(clause) <= CASE_LIMIT else clause[: CASE_LIMIT - 1].rstrip() + "…"


def _names_a_case_of(procedure_name: str, header: str) -> bool:
    """A group header that is the procedure's name narrowed to a case: "Đăng ký thường trú vào chỗ ở
    hợp pháp do thuê, mượn, ở nhờ" under "Đăng ký thường trú"; not "Hồ sơ đăng ký tạm trú gồm"."""
    name, folded = " ".join(fold(procedure_name).split()), " ".join(fold(header).split())
    at = folded.find(name) if len(name) >= 8 else -1
    return at >= 0 and not _NO_CASE_TAIL.match(folded[at + len(name):])


def paper_cases(procedure_name: str, components) -> list[str]:
    """For each component, the case its text says it applies in ("" when it applies to everyone).

    The catalogue's parser marks a paper optional when its own name opens with "Trường hợp…",
    "Nếu…" or "Đối với trường hợp…" (docs/catalog-parsing.md); the submission page also reads:
    1. when the papers fall in two groups or more (papers outside any group count as one), a group
       header opening with a case ("Trường hợp…", "Đối với…", "Nếu…", "Khi…"), or narrowing the
       procedure's name to one case (1.004222 lists six ways to register permanent residence,
       each with its own papers). The header of a procedure's only group is a note that applies
       to every paper ("Trường hợp không quy định là bản chính thì…"), so it is not a case;
    2. the paper's name opening with "Đối với …:" or "Khi …" (the parser's rule does not cover them).
    The catalogue's own `condition` comes first. docs/eservices.md gives the counts.
    """
    components = list(components)
    several_groups = len({c.case or "" for c in components}) >= 2
    cases = []
    for c in components:
        case = getattr(c, "condition", "") or ""
        if not case and c.case and several_groups and (CASE_OPENING.match(c.case) or
                                                       _names_a_case_of(procedure_name, c.case)):
            case = " ".join(c.case.split())
        if not case and CASE_OPENING.match(c.name):
            case = _clause(c.name)
        cases.append(case)
    return cases


def submission_slots(version: ProcedureVersion, eform) -> list[Slot]:
    """One slot per dossier component; those the e-form replaces, or that apply in one case only,
    are optional and say so."""
    components = list(version.components.all())
    slots = []
    for slot, case in zip(uploads.upload_slots(components), paper_cases(version.name, components), strict=True):
        covered = eform is not None and any(word in fold(slot.name) for word in EFORM_COVERS)
        slots.append(Slot(slot, covered, case))
    return slots


def designated_agency(version: ProcedureVersion, unit: AdministrativeUnit | None) -> Agency | None:
    """The agency that receives an online dossier of this version from an applicant of this 2025 unit.

    1. An implementing (else competent) agency the version names as a known agency: a ministry or
       a provincial department that receives for the whole country or province.
    2. Else by the version's level: for a commune-level procedure, the commune's agency; for a
       province-level one, the province's. The bundled agencies are those of the 2004 list (the
       2025 communes have none yet), so a 2025 commune is served by an agency of one of the
       communes it was formed from (units.UnitSuccession). Among candidates, an agency whose
       reception officers use motcua comes first (a dossier must reach someone), then an open
       one, then the one of the commune whose code the new commune kept (the former seat).
    None: nobody can be designated; the page says so (the applicant files at the counter).
    """
    named = [a for a in version.agencies.all() if a.agency_id and a.role in (AgencyRole.IMPLEMENTING,
                                                                             AgencyRole.COMPETENT)]
    named.sort(key=lambda a: (a.role != AgencyRole.IMPLEMENTING, a.order))
    if named:
        return named[0].agency
    if unit is None:
        return None
    levels = set(version.levels or [])
    candidates: list[tuple[Agency, str]] = []
    if "commune" in levels or not levels & {"province", "ministry"}:
        units = [unit] + [old for old, _kind in old_units_of(unit.code, UnitLevel.COMMUNE)]
        candidates = [(a, a.unit.code) for a in Agency.objects.filter(level="commune", unit__in=units)
                      .select_related("unit")]
    if not candidates and ("province" in levels or "commune" not in levels) and unit.parent_id:
        province = unit.parent
        units = [province] + [old for old, _kind in old_units_of(province.code, UnitLevel.PROVINCE)]
        candidates = [(a, a.unit.code) for a in Agency.objects.filter(level="province", unit__in=units)
                      .select_related("unit")]
    if not candidates:
        return None
    staffed = set(StaffMembership.objects.filter(agency__in=[a for a, _c in candidates], role=Role.RECEPTION,
                                                 active=True).values_list("agency_id", flat=True))
    candidates.sort(key=lambda ac: (ac[0].pk not in staffed, ac[0].valid_to is not None, ac[1] != unit.code,
                                    ac[0].organ_code or "", ac[0].pk))
    return candidates[0][0]


def current_unit(code: str) -> AdministrativeUnit | None:
    if not code:
        return None
    return (AdministrativeUnit.objects.filter(edition=Edition.CURRENT, level=UnitLevel.COMMUNE, code=code)
            .select_related("parent").first())


# ----------------------------------------------------------------------------- the citizen's dossiers

def my_dossiers(user, status: int | None = None) -> QuerySet[Dossier]:
    """The citizen's own dossiers, newest first, with what a list row shows (constant queries).

    The id breaks ties between dossiers filed the same instant, so pages never repeat or skip one.
    `status` keeps those in one national status (1–10).
    """
    qs = Dossier.objects.filter(applicant__user=user)
    if status:
        qs = qs.filter(status=status)
    return (qs.select_related("applicant", "receiving_agency", "procedure_version__procedure")
            .order_by("-submitted_at", "-id"))


def my_dossier(user, code: str) -> Dossier | None:
    """One of the citizen's own dossiers by code, with everything its page shows; None otherwise."""
    return (Dossier.objects.filter(applicant__user=user, code=code)
            .select_related("applicant", "receiving_agency", "procedure_version__procedure", "online_submission")
            .prefetch_related(
                "components", "slips__form", "supplement_requests", "appointments",
                Prefetch("history", queryset=StatusChange.objects.order_by("at", "id")),
            ).first())


def pending_declaration(dossier: Dossier) -> int | None:
    """The id of the dossier's declaration paper while the worker has not printed it yet, else None."""
    submission = getattr(dossier, "online_submission", None)
    paper_id = submission.declaration_paper_id if submission else None
    if paper_id is None:
        return None
    paper = next((c for c in dossier.components.all() if c.pk == paper_id), None)
    return paper_id if paper is not None and not paper.file else None


def timeline(dossier: Dossier) -> list[dict]:
    """The status changes a citizen sees: when, what, the national status; reasons given to them."""
    from motcua.dossiers.choices import Status
    from motcua.dossiers.workflow import ACTIONS

    rows = []
    for change in dossier.history.all():
        action = ACTIONS.get(change.action)
        label = {"submit": _("Nộp hồ sơ trực tuyến"), "receive": _("Tiếp nhận hồ sơ tại quầy")}.get(
            change.action, str(action.label) if action else change.action)
        rows.append({"at": change.at, "label": label, "status": Status(change.to_status).label,
                     "status_code": change.to_status, "reason": change.reason})
    return rows


def open_supplement(dossier: Dossier):
    """The supplement request the citizen must answer now, or None."""
    if dossier.stage != Stage.SUPPLEMENT:
        return None
    pending = [r for r in dossier.supplement_requests.all() if r.answered_at is None]
    return max(pending, key=lambda r: r.requested_at) if pending else None


def may_withdraw(dossier: Dossier) -> bool:
    from motcua.dossiers.workflow import ACTIONS

    return dossier.stage in ACTIONS["request_withdrawal"].sources


@dataclass
class Todo:
    key: str  # "supplement", "pay", "collect", "wait", "none"
    text: str


def what_to_do(dossier: Dossier, fee, results: list) -> Todo:
    """What the citizen must do now, in one sentence (the dossier page shows it first)."""
    if dossier.stage == Stage.SUPPLEMENT:
        return Todo("supplement", _("Bổ sung giấy tờ cơ quan yêu cầu (mục “Bổ sung hồ sơ” bên dưới). "
                                    "Thời hạn giải quyết tạm dừng cho đến khi bạn bổ sung."))
    if fee.state == "unpaid" and dossier.stage not in TERMINAL_STAGES:
        return Todo("pay", _("Nộp phí, lệ phí %(amount)s.") % {"amount": fee.amount_text})
    if dossier.stage == Stage.RESULT_READY:
        if results:
            return Todo("collect", _("Tải kết quả điện tử đã ký số bên dưới; kết quả cũng được lưu trong kho giấy tờ "
                                     "của bạn."))
        return Todo("collect", _("Hồ sơ đã có kết quả: đến nhận tại %(agency)s.")
                    % {"agency": dossier.receiving_agency.name})
    if dossier.stage in TERMINAL_STAGES:
        return Todo("none", _("Hồ sơ đã kết thúc; bạn không cần làm gì thêm."))
    return Todo("wait", _("Bạn không cần làm gì lúc này: hồ sơ đang chờ cơ quan xử lý."))


# ----------------------------------------------------------------------------- the document store

@dataclass
class StoredDocument:
    """A paper of the citizen's document store: an uploaded file or a signed result."""

    item_id: str  # "giay-to-<received component id>" or "ket-qua-<signed result id>"
    kind: str  # "paper" or "result"
    name: str
    dossier_code: str
    procedure_name: str
    at: datetime | None
    file: object

    @property
    def label(self) -> str:
        return _("Kết quả đã ký số") if self.kind == "result" else _("Giấy tờ đã nộp")


def _paper_rows(user) -> QuerySet[ReceivedComponent]:
    return (ReceivedComponent.objects.filter(dossier__applicant__user=user).exclude(file="")
            .select_related("dossier__procedure_version").order_by("-added_at", "-id"))


def _result_rows(user):
    from motcua.signing.models import SignedResult

    return (SignedResult.objects.filter(dossier__applicant__user=user)
            .select_related("dossier__procedure_version").order_by("-signed_at", "-id"))


def document_store(user) -> list[StoredDocument]:
    """Every file the citizen attached to a dossier and every signed result issued to them, newest first."""
    items = [StoredDocument(f"{RESULT_PREFIX}{r.pk}", "result", _("Kết quả giải quyết hồ sơ %(code)s")
                            % {"code": r.dossier.code}, r.dossier.code, r.dossier.procedure_version.name,
                            r.signed_at, r.file) for r in _result_rows(user)]
    items += [StoredDocument(f"{PAPER_PREFIX}{c.pk}", "paper", c.name, c.dossier.code,
                             c.dossier.procedure_version.name, c.added_at, c.file) for c in _paper_rows(user)]
    return items


def stored_document(user, item_id: str) -> StoredDocument | None:
    """One item of the citizen's own store; None for anything else (another's, unknown, malformed)."""
    item_id = (item_id or "").strip()
    for prefix, rows, kind in ((PAPER_PREFIX, _paper_rows, "paper"), (RESULT_PREFIX, _result_rows, "result")):
        if item_id.startswith(prefix) and item_id[len(prefix):].isdigit():
            row = rows(user).filter(pk=int(item_id[len(prefix):])).first()
            if row is None:
                return None
            if kind == "paper":
                return StoredDocument(item_id, kind, row.name, row.dossier.code, row.dossier.procedure_version.name,
                                      row.added_at, row.file)
            return StoredDocument(item_id, kind, _("Kết quả giải quyết hồ sơ %(code)s") % {"code": row.dossier.code},
                                  row.dossier.code, row.dossier.procedure_version.name, row.signed_at, row.file)
    return None


# ----------------------------------------------------------------------------- public lookup

def dossier_for_lookup(code: str) -> Dossier | None:
    return (Dossier.objects.filter(code=(code or "").strip())
            .select_related("applicant", "receiving_agency", "procedure_version")
            .prefetch_related(Prefetch("history", queryset=StatusChange.objects.order_by("at", "id")))
            .first())


def mask_name(full_name: str) -> str:
    """ "Nguyễn Thị Hồng Nhung" → "N. T. H. Nhung": the given name, initials of the rest."""
    parts = (full_name or "").split()
    if len(parts) <= 1:
        return full_name or ""
    return " ".join(f"{p[0]}." for p in parts[:-1]) + " " + parts[-1]


def owner_filter(user) -> Q:
    return Q(applicant__user=user)

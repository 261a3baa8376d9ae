"""Writes of the citizen's online services: file a dossier, answer a supplement, ask to withdraw.

Every dossier change goes through `dossiers.services` (submit_online, transition); this module
adds what only an online filing needs: the checked files (lib.uploads), the declaration
(eforms), the idempotency token, and the rule that a failure keeps nothing — no row and no file.
The declaration's PDF is printed after the commit, by the worker (`attach_declaration`).
"""

import contextlib
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcedureVersion
from motcua.citizens import throttle
from motcua.citizens.choices import AttemptOutcome
from motcua.citizens.selectors import profile_prefill
from motcua.core import outbox
from motcua.dossiers import services as dossier_services
from motcua.dossiers.errors import InvalidInputError
from motcua.dossiers.models import Dossier, ReceivedComponent
from motcua.eforms import formats
from motcua.eforms import services as eform_services
from motcua.eservices import selectors
from motcua.eservices.declaration import render_declaration
from motcua.eservices.models import OnlineSubmission
from motcua.lib import uploads

EFORM_PREFIX = "tk-"
# Emitted with an online dossier that has a declaration; the worker prints it (handlers.py).
DECLARATION_TOPIC = "eservices.declaration_filed"


# ----------------------------------------------------------------------------- files

@dataclass
class Attachment:
    """A file that passed every check, held in memory until the dossier exists (≤ the dossier limit)."""

    field: str
    data: bytes
    info: uploads.UploadInfo
    reused_from: str = ""
    source_dossier: str = ""


@dataclass
class Collected:
    attachments: dict[str, Attachment] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def collect_files(user, fields: list[str], files, post, *, required: set[str]) -> Collected:
    """Read each field's upload (`<field>`) or document-store item (`reuse-<field>`) and check it.

    A reused paper is read from the store and checked again like an upload: the store holds what
    officials scanned too, and the check is what guarantees a dossier's files.
    """
    out = Collected()
    sizes = []
    for name in fields:
        upload = files.get(name)
        reuse = (post.get(f"reuse-{name}") or "").strip()
        try:
            if upload is not None:
                info = uploads.inspect_upload(upload.name, upload, max_bytes=uploads.max_file_bytes())
                upload.seek(0)
                attachment = Attachment(name, upload.read(), info)
            elif reuse:
                item = selectors.stored_document(user, reuse)
                if item is None or not item.file:
                    # The same words for "not yours" and "no such paper": ids must not be probed.
                    out.errors[name] = _("Giấy tờ đã chọn không có trong kho giấy tờ của bạn.")
                    continue
                with item.file.open("rb") as stream:
                    data = stream.read(uploads.max_file_bytes() + 1)
                info = uploads.inspect_bytes(item.name[:80], data, max_bytes=uploads.max_file_bytes())
                attachment = Attachment(name, data, info, reused_from=reuse, source_dossier=item.dossier_code)
            else:
                if name in required:
                    out.errors[name] = _("Chưa đính kèm giấy tờ này (tệp PDF, JPEG hoặc PNG, hoặc chọn từ kho giấy tờ).")
                continue
            uploads.check_dossier_total([*sizes, attachment.info.size])
        except uploads.UploadRejected as rejected:
            out.errors[name] = rejected.message
            continue
        sizes.append(attachment.info.size)
        out.attachments[name] = attachment
    return out


def _save_file(row: ReceivedComponent, attachment: Attachment, written: list[str]) -> None:
    row.file.save(f"{row.dossier.code}-{row.pk}{attachment.info.extension}", ContentFile(attachment.data), save=False)
    written.append(row.file.name)
    if attachment.reused_from:
        row.note = (_("Dùng lại từ kho giấy tờ (hồ sơ %(code)s)") % {"code": attachment.source_dossier})[:300]
    row.save(update_fields=["file", "note"])


def _remove(written: list[str]) -> None:
    for name in written:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


# ----------------------------------------------------------------------------- submission

def open_submission(user, version: ProcedureVersion) -> OnlineSubmission:
    """The citizen's filing of this version in progress, or a new one: its token is the page's `form_token`.

    Every tab opened before the filing is done gets the same token, so two tabs file one dossier.
    """
    existing = (OnlineSubmission.objects.filter(user=user, procedure_version=version, dossier__isnull=True)
                .order_by("-created_at").first())
    if existing:
        return existing
    return OnlineSubmission.objects.create(user=user, procedure_version=version, token=secrets.token_urlsafe(24))


def _applicant(user, phone: str, unit) -> dict:
    values = profile_prefill(user)
    born = values.get("date_of_birth") or ""
    return {
        "kind": values.get("kind") or "person",
        "full_name": values.get("applicant_name") or user.get_full_name() or user.email,
        "id_number": values.get("id_number", ""),
        "tax_code": values.get("tax_code", ""),
        "date_of_birth": date.fromisoformat(born) if born else None,
        "phone": phone,
        "email": user.email,
        "address": values.get("address", "")[:300],
        "unit": unit,
        "user": user,
    }


def _component_input(slot) -> dossier_services.ComponentInput:
    originals, copies = slot.originals or 0, slot.copies or 0
    if originals + copies == 0:
        copies = 1  # a paper the catalogue lists without a count: the file is one electronic copy
    return dossier_services.ComponentInput(name=slot.name, originals=originals, copies=copies,
                                           # stored on the dossier: Vietnamese, whatever the citizen reads in
                                           component_id=slot.component_id, note="Nộp trực tuyến")


@dataclass
class Checked:
    """A submission that passed every check, ready to be written."""

    declaration: dict
    unit: object
    phone: str
    agency: object
    slots: list
    collected: Collected


def check_submission(user, *, version: ProcedureVersion, eform, post, files) -> Checked:
    """Every check of a submission, all problems at once (InvalidInputError by field); writes nothing."""
    errors: dict[str, str] = {}
    declaration = {}
    if eform is not None:
        declaration, form_errors = eform_services.validate_submission(eform, post, prefix=EFORM_PREFIX)
        errors.update({EFORM_PREFIX + path: message for path, message in form_errors.items()})
    unit = selectors.current_unit((post.get("unit") or "").strip())
    if unit is None:
        errors["unit"] = _("Chọn xã/phường/đặc khu nơi bạn cư trú (theo danh mục từ 01/07/2025).")
    phone = formats.normalize_phone((post.get("phone") or "").strip())
    if not phone:
        errors["phone"] = _("Nhập số điện thoại: cùng mã hồ sơ, đó là cách tra cứu hồ sơ khi không đăng nhập.")
    elif not (phone.isdigit() and len(phone) == 10 and phone.startswith("0")):
        errors["phone"] = _("Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 0.")
    slots = selectors.submission_slots(version, eform)
    collected = collect_files(user, [s.key for s in slots], files, post, required={s.key for s in slots if s.required})
    errors.update(collected.errors)
    if not errors and not collected.attachments and eform is None:
        errors["components"] = _("Hồ sơ chưa có giấy tờ nào: hãy đính kèm ít nhất một giấy tờ.")
    agency = selectors.designated_agency(version, unit) if unit else None
    if unit is not None and agency is None:
        errors["unit"] = _("Chưa xác định được cơ quan tiếp nhận thủ tục này cho xã/phường đã chọn; hãy nộp trực tiếp "
                           "tại bộ phận một cửa.")
    if errors:
        raise InvalidInputError(errors)
    return Checked(declaration, unit, phone, agency, slots, collected)


def submit(user, *, token: str, version: ProcedureVersion, eform, post, files) -> Dossier:
    """File the dossier; the same token always gives the same dossier. Raises InvalidInputError naming fields."""
    submission = OnlineSubmission.objects.filter(token=token or "", user=user, procedure_version=version).first()
    if submission is None:
        raise InvalidInputError({"form_token": _("Phiên nộp hồ sơ đã hết hạn; hãy tải lại trang rồi nộp lại.")})
    if submission.dossier_id:
        return submission.dossier
    checked = check_submission(user, version=version, eform=eform, post=post, files=files)
    slots, collected, declaration = checked.slots, checked.collected, checked.declaration

    by_key = {s.key: s for s in slots}
    components = [_component_input(by_key[key]) for key in by_key if key in collected.attachments]
    if eform is not None:
        components.insert(0, dossier_services.ComponentInput(
            name=_("%(title)s (tờ khai điện tử)") % {"title": eform.title}, originals=1,
            note=_("Tờ khai điện tử lần ban hành %(n)d") % {"n": eform.version}))
    written: list[str] = []
    try:
        with transaction.atomic():
            # The lock makes a second request with the same token wait, then see the dossier.
            submission = OnlineSubmission.objects.select_for_update().get(pk=submission.pk)
            if submission.dossier_id:
                return submission.dossier
            dossier = dossier_services.submit_online(
                version=version, agency=checked.agency, applicant=_applicant(user, checked.phone, checked.unit),
                components=components,
                actor=user, idempotency_key=f"eservices:{submission.token}",
            )
            rows = {row.component_id: row for row in dossier.components.all()}
            for row in rows.values():
                row.dossier = dossier
            for key, attachment in collected.attachments.items():
                row = rows[by_key[key].component_id]
                _save_file(row, attachment, written)
            submission.dossier = dossier
            submission.submitted_at = timezone.now()
            if eform is not None:
                submission.eform, submission.eform_version, submission.declaration = eform, eform.version, declaration
            submission.reused = {str(by_key[k].component_id): a.reused_from
                                 for k, a in collected.attachments.items() if a.reused_from}
            if eform is not None:
                # The printed declaration is laid out by the worker (DECLARATION_TOPIC): rendering
                # took half of the submission's time (docs/benchmarks.md, "Online submissions").
                submission.declaration_paper = rows[None]
            submission.save()
            if eform is not None:
                outbox.emit(DECLARATION_TOPIC, aggregate_type="dossier", aggregate_id=dossier.pk,
                            payload={"submission": submission.pk, "dossier": dossier.pk, "code": dossier.code},
                            idempotency_key=f"eservices:declaration:{submission.pk}")
                eform_services.discard_draft(user, eform)
    except BaseException:
        _remove(written)
        raise
    return dossier


def attach_declaration(submission_id: int) -> bool:
    """Print the filed declaration as a PDF on its dossier paper, once (the DECLARATION_TOPIC handler).

    The paper row is locked, and a paper that has its file already is left alone: a second
    delivery of the event (a retry after a lost commit) renders nothing. The PDF is dated with the
    moment of filing, not of printing. True when this call attached the file.
    """
    submission = (OnlineSubmission.objects.select_related("eform", "dossier__applicant")
                  .filter(pk=submission_id).first())
    if submission is None or submission.eform is None or submission.declaration_paper_id is None:
        return False
    # Only the paper row is locked: an official's move on the dossier need not wait for the layout.
    row = (ReceivedComponent.objects.select_for_update(of=("self",)).select_related("dossier")
           .get(pk=submission.declaration_paper_id))
    if row.file:
        return False
    data = render_declaration(submission.eform, submission.declaration,
                              applicant_name=submission.dossier.applicant.full_name, at=submission.submitted_at)
    written: list[str] = []
    try:
        _save_file(row, Attachment("declaration", data, uploads.inspect_bytes("to-khai.pdf", data)), written)
    except BaseException:
        _remove(written)
        raise
    return True


def save_draft(user, eform, post) -> None:
    eform_services.save_draft(user, eform, post, prefix=EFORM_PREFIX)


# ----------------------------------------------------------------------------- after filing

def answer_supplement(user, dossier: Dossier, post, files) -> Dossier:
    """Attach the missing papers and resume the clock (action `supplement`), once per request."""
    request = selectors.open_supplement(dossier)
    key = f"eservices:supplement:{request.pk}" if request else ""
    if request is None:
        latest = max(dossier.supplement_requests.all(), key=lambda r: r.requested_at, default=None)
        if latest and dossier.history.filter(idempotency_key=f"eservices:supplement:{latest.pk}").exists():
            return dossier  # answered already: a double click or a retry
        raise InvalidInputError({"dossier": _("Hồ sơ %(code)s không có yêu cầu bổ sung đang chờ.")
                                 % {"code": dossier.code}})
    fields = [f"paper-{i}" for i in range(len(request.missing_papers))]
    collected = collect_files(user, fields, files, post, required=set(fields))
    if collected.errors:
        raise InvalidInputError(collected.errors)
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
            if locked.history.filter(idempotency_key=key).exists():
                return locked
            for i, name in enumerate(request.missing_papers):
                row = ReceivedComponent.objects.create(dossier=locked, name=str(name), copies=1,
                                                       note=_("Bổ sung trực tuyến"))
                _save_file(row, collected.attachments[f"paper-{i}"], written)
            result = dossier_services.transition(dossier.pk, "supplement", actor=user, idempotency_key=key,
                                                 data={"papers": [str(p) for p in request.missing_papers],
                                                       "channel": "online"})
    except BaseException:
        _remove(written)
        raise
    return result


def request_withdrawal(user, dossier: Dossier, reason: str) -> Dossier:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInputError({"reason": _("Nêu lý do rút hồ sơ.")})
    if len(reason) > 1000:
        raise InvalidInputError({"reason": _("Lý do rút hồ sơ không quá 1.000 ký tự.")})
    return dossier_services.transition(dossier.pk, "request_withdrawal", actor=user, reason=reason,
                                       idempotency_key=f"eservices:withdraw:{dossier.pk}")


# ----------------------------------------------------------------------------- public lookup

class LookupThrottledError(Exception):
    def __init__(self, error: throttle.LoginThrottledError):
        super().__init__(error.message)
        self.minutes = error.minutes
        self.message = _("Bạn đã tra cứu sai quá nhiều lần. Hãy thử lại sau %(minutes)d phút.") % {
            "minutes": error.minutes}


def lookup(code: str, phone: str, ip: str | None) -> Dossier | None:
    """The dossier if the code and the applicant's phone match; None otherwise, whichever was wrong.

    Rate-limited with the login's throttle (citizens.throttle), keyed "tra-cuu:<code>" per dossier
    and by client address, so a phone number cannot be guessed for a known code.
    """
    code = (code or "").strip()[:60]
    attempt = throttle.begin(f"tra-cuu:{code.lower()}", ip)
    wait = throttle.wait_time(attempt)
    if wait is not None:
        throttle.finish(attempt, AttemptOutcome.BLOCKED)
        raise LookupThrottledError(throttle.LoginThrottledError(wait))
    dossier = selectors.dossier_for_lookup(code)
    typed = formats.normalize_phone((phone or "").strip())
    if dossier is None or not typed or formats.normalize_phone(dossier.applicant.phone or "") != typed:
        throttle.finish(attempt, AttemptOutcome.FAILURE)
        return None
    throttle.finish(attempt, AttemptOutcome.SUCCESS)
    return dossier

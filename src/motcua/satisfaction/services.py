"""Writes of the satisfaction context: rating a finished dossier, running a SIPAS campaign.

Every write owns its transaction, writes an audit record, and (for ratings) the outbox event
`satisfaction.rated` that the indicators context listens to.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.citizens import throttle
from motcua.citizens.choices import AttemptOutcome
from motcua.core import audit, outbox
from motcua.dossiers.choices import TERMINAL_STAGES
from motcua.dossiers.models import Dossier
from motcua.satisfaction import formulas, sampling, selectors
from motcua.satisfaction.choices import LIKERT, CampaignState, Level, SipasContent
from motcua.satisfaction.models import (
    Rating,
    RatingAnswer,
    SipasAnswer,
    SipasCampaign,
    SipasCriterion,
    SipasInvitation,
    SipasResponse,
)

DEFAULT_RATING_EDIT_DAYS = 30
RATED_TOPIC = "satisfaction.rated"
INVITED_TOPIC = "satisfaction.sipas_invited"


class SatisfactionError(Exception):
    status_code = 400

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInputError(SatisfactionError):
    """Bad input; `errors` maps each field to its Vietnamese message."""

    status_code = 422

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()), errors)


class NotAllowedError(SatisfactionError):
    status_code = 409


class LookupRefusedError(SatisfactionError):
    """Unknown code or wrong phone: one message for both, so a code cannot be probed."""

    status_code = 404


def edit_days() -> int:
    return getattr(settings, "MOTCUA_RATING_EDIT_DAYS", DEFAULT_RATING_EDIT_DAYS)


# ----------------------------------------------------------------------------- second factor

def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def normalise_code(value: str) -> str:
    return (value or "").strip()[:60]


def dossier_by_code(code: str):
    """The dossier with this code as typed, in capitals, or in small letters (codes of agencies
    without an organ code carry the agency's slug); each form is an indexed equality lookup."""
    code = normalise_code(code)
    if not code:
        return None
    return (Dossier.objects.select_related("applicant", "receiving_agency", "procedure_version")
            .filter(code__in={code, code.upper(), code.lower()}).order_by("id").first())


def verify_second_factor(code: str, phone: str, ip: str | None) -> Dossier:
    """The dossier with this code whose applicant's phone matches; one refusal for every failure.

    Attempts are counted by the citizens' login throttle under the key "danh-gia:<code>" and by
    address, so guessing phones for one code, or codes from one address, is slowed down.
    """
    key = f"danh-gia:{normalise_code(code).upper()}"
    attempt = throttle.begin(key, ip)
    wait = throttle.wait_time(attempt)
    if wait is not None:
        throttle.finish(attempt, AttemptOutcome.BLOCKED)
        minutes = throttle.LoginThrottledError(wait).minutes
        raise LookupRefusedError(_("Bạn đã nhập sai quá nhiều lần. Hãy thử lại sau %(minutes)d phút, hoặc đăng "
                                   "nhập bằng tài khoản đã nộp hồ sơ.") % {"minutes": minutes})
    dossier = dossier_by_code(code)
    wanted = normalise_phone(dossier.applicant.phone) if dossier else ""
    if not wanted or not secrets.compare_digest(wanted, normalise_phone(phone)):
        throttle.finish(attempt, AttemptOutcome.FAILURE)
        raise LookupRefusedError(_("Mã hồ sơ hoặc số điện thoại không đúng. Hãy kiểm tra giấy tiếp nhận "
                                   "hồ sơ và số điện thoại đã khai khi nộp."))
    throttle.finish(attempt, AttemptOutcome.SUCCESS)
    return dossier


# ----------------------------------------------------------------------------- ratings

def ended(dossier: Dossier) -> bool:
    """A dossier can be rated once it reached a terminal stage: result handed over, refused,
    withdrawn or stopped (docs/satisfaction.md, “Which dossiers can be rated”)."""
    return dossier.stage in TERMINAL_STAGES


def editable_until(rating: Rating) -> datetime:
    return rating.rated_at + timedelta(days=edit_days())


def can_change(rating: Rating, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= editable_until(rating)


@dataclass(frozen=True)
class RatingInput:
    level: str
    answers: dict[int, int | None]  # criterion number → points (2/1/0), None = not applicable
    comment: str = ""


# The overall level scored as the criterion that stands for it (RatingCriterion.from_overall_level).
LEVEL_POINTS = {Level.VERY_SATISFIED: 2, Level.SATISFIED: 1, Level.NOT_SATISFIED: 0}


def criterion_field(number: int) -> str:
    return f"criterion_{number}"


def validate_rating(data: RatingInput, criteria) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.level not in Level.values:
        errors["level"] = _("Mức độ hài lòng chung: hãy chọn một trong ba mức.")
    for criterion in criteria:
        if criterion.from_overall_level:
            continue
        value = data.answers.get(criterion.number)
        name = _("Tiêu chí %(number)d “%(title)s”") % {"number": criterion.number, "title": criterion.title}
        if value is None:
            if not criterion.optional:
                errors[criterion_field(criterion.number)] = _("%(name)s: hãy chọn một mức.") % {"name": name}
        elif value not in (0, 1, 2):
            errors[criterion_field(criterion.number)] = _("%(name)s: lựa chọn không hợp lệ.") % {"name": name}
    if len(data.comment) > 1000:
        errors["comment"] = _("Ý kiến khác: tối đa 1.000 ký tự (hiện có %(n)d).") % {"n": len(data.comment)}
    return errors


def rate_dossier(dossier_id: int, data: RatingInput, *, user=None, now: datetime | None = None) -> Rating:
    """Create the dossier's rating, or change it within the edit window. Emits `satisfaction.rated`.

    The criteria and weights are those in force on the day of the first rating, for the first
    rating and every change: one rating is judged by one rule set.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The dossier row lock serialises two people rating the same dossier at once.
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
        if not ended(dossier):
            raise NotAllowedError(_("Hồ sơ %(code)s chưa kết thúc nên chưa đánh giá được. Bạn có thể đánh giá "
                                    "sau khi nhận kết quả.") % {"code": dossier.code})
        rating = Rating.objects.filter(dossier=dossier).first()
        if rating is not None and not can_change(rating, now):
            raise NotAllowedError(_("Đã quá thời hạn sửa đánh giá (%(days)d ngày kể từ lần đánh giá đầu, "
                                    "hết hạn lúc %(until)s).") % {
                "days": edit_days(), "until": timezone.localtime(editable_until(rating)).strftime("%H:%M %d/%m/%Y")})
        rated_on = timezone.localtime(rating.rated_at if rating else now).date()
        criteria = selectors.criteria_in_force(rated_on)
        errors = validate_rating(data, criteria)
        if errors:
            raise InvalidInputError(errors)
        before = _rating_snapshot(rating) if rating else None
        answered = [(c, LEVEL_POINTS[data.level] if c.from_overall_level else data.answers.get(c.number))
                    for c in criteria]
        answered = [(c, p) for c, p in answered if p is not None]
        score = formulas.to_decimal(formulas.rating_score((c.weight, p) for c, p in answered))
        if rating is None:
            rating = Rating.objects.create(dossier=dossier, level=data.level, score=score, comment=data.comment,
                                           rated_at=now, changed_at=now, rated_by=_user(user))
        else:
            rating.level, rating.score, rating.comment = data.level, score, data.comment
            rating.changed_at, rating.changes = now, rating.changes + 1
            rating.rated_by = _user(user) or rating.rated_by
            rating.save()
            rating.answers.all().delete()
        RatingAnswer.objects.bulk_create(RatingAnswer(rating=rating, criterion=c, points=p) for c, p in answered)
        audit.append("satisfaction.rate" if before is None else "satisfaction.change", object_type="rating",
                     object_id=rating.pk, before=before, after=_rating_snapshot(rating), actor=_user(user),
                     actor_label="" if _user(user) else _("Người có mã hồ sơ"))
        outbox.emit(RATED_TOPIC, aggregate_type="dossier", aggregate_id=dossier.pk,
                    payload={"dossier": dossier.pk, "rating": rating.pk, "agency": dossier.receiving_agency_id,
                             "at": now.isoformat()},
                    idempotency_key=f"{RATED_TOPIC}:{rating.pk}:{rating.changes}")
    return rating


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _rating_snapshot(rating: Rating) -> dict:
    return {"dossier": rating.dossier_id, "level": rating.level, "score": rating.score, "changes": rating.changes,
            "answers": {a.criterion.number: a.points for a in rating.answers.select_related("criterion")}}


# ----------------------------------------------------------------------------- SIPAS campaigns

@dataclass(frozen=True)
class CampaignInput:
    name: str
    province_code: str
    period_start: date | None
    period_end: date | None
    sample_size: int | None
    minimum_per_stratum: int | None
    seed: str = ""


def create_campaign(data: CampaignInput, *, actor=None) -> SipasCampaign:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Tên đợt khảo sát: không được để trống.")
    province = selectors.current_provinces().filter(code=data.province_code).first()
    if province is None:
        errors["province"] = _("Tỉnh, thành phố: hãy chọn một tỉnh theo danh mục từ 01/07/2025.")
    if data.period_start is None:
        errors["period_start"] = _("Từ ngày: hãy nhập ngày (ngày/tháng/năm).")
    if data.period_end is None:
        errors["period_end"] = _("Đến ngày: hãy nhập ngày (ngày/tháng/năm).")
    elif data.period_start and data.period_end < data.period_start:
        errors["period_end"] = _("Đến ngày: phải sau hoặc trùng “Từ ngày”.")
    if not data.sample_size or data.sample_size < 1:
        errors["sample_size"] = _("Cỡ mẫu: phải là số nguyên dương.")
    if data.minimum_per_stratum is None or data.minimum_per_stratum < 0:
        errors["minimum_per_stratum"] = _("Số phiếu tối thiểu mỗi nhóm: phải là số nguyên không âm.")
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        campaign = SipasCampaign.objects.create(
            name=data.name.strip(), province=province, period_start=data.period_start, period_end=data.period_end,
            sample_size=data.sample_size, minimum_per_stratum=data.minimum_per_stratum,
            seed=data.seed.strip() or secrets.token_hex(8), created_by=_user(actor),
        )
        audit.append("sipas.create", object_type="sipas_campaign", object_id=campaign.pk,
                     after={"province": province.code, "period": [str(data.period_start), str(data.period_end)],
                            "sample_size": data.sample_size, "seed": campaign.seed}, actor=_user(actor))
    return campaign


def _draw(campaign: SipasCampaign, now: datetime) -> None:
    population = selectors.sipas_population(campaign.province, campaign.period_start, campaign.period_end)
    if not population:
        raise NotAllowedError(_("Không có hồ sơ nào đã trả kết quả trong kỳ này tại %(province)s: chưa chọn "
                                "được mẫu.") % {"province": campaign.province.name})
    sizes = {stratum: len(ids) for stratum, ids in population.items()}
    allocation = sampling.allocate(sizes, campaign.sample_size, campaign.minimum_per_stratum)
    chosen = sampling.draw(population, allocation, campaign.seed)
    agencies = dict(Dossier.objects.filter(pk__in=[i for ids in chosen.values() for i in ids])
                    .values_list("id", "receiving_agency_id"))
    SipasInvitation.objects.bulk_create(
        SipasInvitation(campaign=campaign, dossier_id=dossier_id, agency_id=agencies[dossier_id], level=level,
                        channel=channel, token=secrets.token_urlsafe(32))
        for (level, channel), ids in sorted(chosen.items()) for dossier_id in ids
    )
    campaign.strata = {f"{level}/{channel}": [sizes[(level, channel)], allocation[(level, channel)]]
                       for level, channel in sorted(sizes)}


def _open(campaign: SipasCampaign, now: datetime) -> None:
    campaign.opened_at = now
    for invitation_id in campaign.invitations.filter(dossier__applicant__email__gt="").values_list("id", flat=True):
        outbox.emit(INVITED_TOPIC, aggregate_type="sipas_invitation", aggregate_id=invitation_id,
                    payload={"invitation": invitation_id}, idempotency_key=f"{INVITED_TOPIC}:{invitation_id}")


def _close(campaign: SipasCampaign, now: datetime) -> None:
    campaign.closed_at = now


# action → (allowed from, to, handler, label)
CAMPAIGN_ACTIONS = {
    "draw": (CampaignState.DRAFT, CampaignState.SAMPLED, _draw),
    "open": (CampaignState.SAMPLED, CampaignState.OPEN, _open),
    "close": (CampaignState.OPEN, CampaignState.CLOSED, _close),
}


def transition_campaign(campaign_id: int, action: str, *, actor=None, now: datetime | None = None) -> SipasCampaign:
    """The one guarded move of a campaign: draw the sample, open the survey, close it."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = SipasCampaign.objects.select_for_update(of=("self",)).select_related("province").get(pk=campaign_id)
        if action not in CAMPAIGN_ACTIONS:
            raise NotAllowedError(_("Thao tác không hợp lệ."))
        source, target, handler = CAMPAIGN_ACTIONS[action]
        if campaign.state != source:
            raise NotAllowedError(_("Không thể thực hiện khi đợt khảo sát đang ở trạng thái “%(state)s”.")
                                  % {"state": CampaignState(campaign.state).label})
        before = campaign.state
        handler(campaign, now)
        campaign.state = target
        campaign.save()
        audit.append(f"sipas.{action}", object_type="sipas_campaign", object_id=campaign.pk,
                     before={"state": before}, after={"state": target, "strata": campaign.strata},
                     actor=_user(actor))
    return campaign


def invitation_for(token: str) -> SipasInvitation | None:
    if not token or len(token) > 64:
        return None
    return (SipasInvitation.objects.select_related("campaign", "campaign__province", "agency")
            .filter(token=token).first())


def questionnaire():
    return list(SipasCriterion.objects.filter(active=True).select_related("element")
                .order_by("element__number", "order"))


def question_name(criterion: SipasCriterion) -> str:
    return _("Câu %(code)s “%(text)s”") % {"code": criterion.code, "text": criterion.text}


def submit_response(token: str, answers: dict[str, int | None], *, now: datetime | None = None) -> SipasResponse:
    """Record the one response of an invitation; satisfaction questions are required, on 1–5."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (SipasInvitation.objects.select_for_update(of=("self",)).select_related("campaign")
                      .filter(token=token).first() if token else None)
        if invitation is None:
            raise LookupRefusedError(_("Không tìm thấy phiếu khảo sát. Hãy kiểm tra lại đường dẫn trong thư mời."))
        if SipasResponse.objects.filter(invitation=invitation).exists():
            raise NotAllowedError(_("Phiếu khảo sát này đã được trả lời. Mỗi phiếu chỉ trả lời một lần; cảm ơn "
                                    "ông/bà đã tham gia."))
        if invitation.campaign.state != CampaignState.OPEN:
            raise NotAllowedError(_("Đợt khảo sát này hiện không nhận phiếu trả lời."))
        errors: dict[str, str] = {}
        rows = []
        for criterion in questionnaire():
            value = answers.get(criterion.code)
            if criterion.content == SipasContent.SATISFACTION:
                allowed = {v for v, _label in LIKERT}
                if value is None:
                    errors[criterion.code] = _("%(name)s: hãy chọn một mức.") % {"name": question_name(criterion)}
                    continue
            else:
                allowed = set(range(len(criterion.choices)))
                if value is None:
                    continue
            if value not in allowed:
                errors[criterion.code] = _("%(name)s: lựa chọn không hợp lệ.") % {"name": question_name(criterion)}
                continue
            rows.append((criterion, value))
        if errors:
            raise InvalidInputError(errors)
        response = SipasResponse.objects.create(invitation=invitation, submitted_at=now)
        SipasAnswer.objects.bulk_create(SipasAnswer(response=response, criterion=c, value=v) for c, v in rows)
        audit.append("sipas.answer", object_type="sipas_response", object_id=response.pk,
                     after={"campaign": invitation.campaign_id, "invitation": invitation.pk},
                     actor_label=_("Người được khảo sát"))
    return response


def managed_province_ids(user) -> set[int] | None:
    """Provinces whose SIPAS campaigns the user runs: None means every province (a system
    administrator); else the provinces of the agencies where they are agency administrator or
    approver."""
    from motcua.accounts.choices import Role
    from motcua.accounts.models import StaffMembership

    if not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = set()
    for membership in StaffMembership.objects.filter(user=user, active=True).select_related(
            "agency__unit__parent__parent"):
        if membership.role == Role.SYSTEM_ADMIN:
            return None
        if membership.role in (Role.AGENCY_ADMIN, Role.APPROVER):
            home = selectors.province_of_unit(membership.agency.unit)
            if home is not None:
                ids.add(home.pk)
    return ids


def may_manage_province(user, province) -> bool:
    ids = managed_province_ids(user)
    return province is not None and (ids is None or province.pk in ids)

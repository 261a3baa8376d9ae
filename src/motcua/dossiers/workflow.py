"""The dossier state machine as data: which action moves a dossier from which stages, and who may."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import Role
from motcua.dossiers.choices import Stage

R = Role


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    sources: frozenset
    # Roles that may take the action, held at the agency that has the dossier now (see permissions).
    roles: frozenset
    applicant_may: bool = False
    needs_reason: bool = False


def _a(key, label, sources, roles, **kw) -> Action:
    return Action(key, label, frozenset(sources), frozenset(roles), **kw)


S = Stage
OPEN_PROCESSING = {S.RECEIVED, S.IN_STEP, S.INTERAGENCY, S.FINANCIAL}
ACTIONS: dict[str, Action] = {
    a.key: a
    for a in [
        _a("accept", _("Tiếp nhận hồ sơ"), {S.SUBMITTED}, {R.RECEPTION}),
        _a("refuse", _("Từ chối tiếp nhận"), {S.SUBMITTED, S.RECEIVED}, {R.RECEPTION}, needs_reason=True),
        _a("request_supplement", _("Yêu cầu bổ sung hồ sơ"), {S.SUBMITTED, S.RECEIVED, S.IN_STEP},
           {R.RECEPTION, R.SPECIALIST}, needs_reason=True),
        _a("supplement", _("Nhận hồ sơ bổ sung"), {S.SUPPLEMENT}, {R.RECEPTION}, applicant_may=True),
        _a("forward", _("Chuyển xử lý"), {S.RECEIVED}, {R.RECEPTION}),
        _a("complete_step", _("Hoàn thành bước xử lý"), {S.IN_STEP, S.INTERAGENCY},
           {R.SPECIALIST, R.APPROVER, R.RECEPTION}),
        _a("request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính"), {S.IN_STEP}, {R.SPECIALIST, R.RECEPTION},
           needs_reason=True),
        _a("confirm_payment", _("Xác nhận đã thực hiện nghĩa vụ tài chính"), {S.FINANCIAL},
           {R.SPECIALIST, R.RECEPTION}),
        _a("apologize", _("Xin lỗi và hẹn lại ngày trả"), OPEN_PROCESSING, {R.APPROVER}, needs_reason=True),
        _a("request_withdrawal", _("Yêu cầu rút hồ sơ"),
           {S.SUBMITTED, S.RECEIVED, S.IN_STEP, S.INTERAGENCY, S.SUPPLEMENT, S.FINANCIAL},
           {R.RECEPTION}, applicant_may=True),
        _a("confirm_withdrawal", _("Xác nhận rút hồ sơ"), {S.WITHDRAWAL}, {R.RECEPTION}),
        _a("stop", _("Dừng xử lý"), {S.RECEIVED, S.IN_STEP, S.INTERAGENCY, S.SUPPLEMENT, S.FINANCIAL},
           {R.APPROVER}, needs_reason=True),
        _a("hand_over", _("Trả kết quả"), {S.RESULT_READY}, {R.RECEPTION}),
    ]
}


def actions_from(stage: str) -> list[Action]:
    """Every action the state machine allows from a stage, whoever asks."""
    return [a for a in ACTIONS.values() if stage in a.sources]

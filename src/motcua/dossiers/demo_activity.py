"""Demo activity: a few hundred dossiers of Tây Ninh over the last 18 months, through the real services.

A fresh demo has no dossier, so the dashboards, the 766 index, satisfaction and PAKN pages show
nothing. `seed_activity()` (run by `motcua setup --demo` and `motcua demo_activity`) plays the life
of each dossier — reception at the counter or online filing, acceptance or refusal, a supplement
request now and then, the workflow steps (the inter-agency one at social insurance included),
online payment of fees through the sandbox gateway, hand-over, a rating — and a few PAKN cases
with their answers, all through the same service functions the portal and back office call.
Online dossiers go through `dossiers.services.submit_online`, the service the e-services page ends
in (its form, upload and e-form checks are the page's, not needed here). Results are not signed:
the development certificates are issued today, and a back-dated signature would not verify.
Last, a simplification plan of the Department of Justice is published (reform), costed on the
seeded dossiers of last year.

Time. The services take the moment of an action (`at=`/`now=`), but the audit trail, the outbox
and `auto_now_add` columns read `django.utils.timezone.now()` themselves. Every action of every
dossier is therefore put on one timeline, played in time order, with `timezone.now` patched to
the moment of the action while it runs (`_Clock`): the audit chain's order, the outbox events,
created_at columns and the history rows all tell the same back-dated story. The patch lives only
inside `seed_activity()`. The outbox events are left for the worker like any other (their
handlers are idempotent); the indicators are rebuilt at the end so the figures show at once.

Units. A dossier before 1 July 2025 is filed with the agencies as they were (the commune of
An Thạnh and the district of Bến Cầu, both on the 2004 unit list, plus the provincial
Department of Justice); after it, with the agencies in force (the Department of Justice and the
2025 People's Committee of Tây Ninh). The indicators roll the old units up to today's through
the conversion table, so the province's dashboard shows both halves (docs/indicators.md).

Idempotent: every creation carries an idempotency key `demo-activity:<n>:…`; when one exists the
seed does nothing (running it twice, or `setup --demo` twice, adds no dossier). The seed is one
transaction, so a failure half-way leaves nothing that would block the next run.
"""

import heapq
import itertools
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.accounts.models import StaffMembership
from motcua.catalog.models import Procedure
from motcua.dossiers import services
from motcua.dossiers.choices import StepKind
from motcua.dossiers.demo import COMMUNE
from motcua.dossiers.models import Dossier, StatusChange
from motcua.units.models import Agency

logger = logging.getLogger(__name__)

KEY = "demo-activity"
REFORM_DAY = date(2025, 7, 1)  # the 2025 reorganisation of administrative units
DEFAULT_DOSSIERS = 400
DEFAULT_MONTHS = 18
DISTRICT = "000.00.31.H53"  # UBND huyện Bến Cầu (until 30/6/2025)
JUSTICE = "000.00.14.H53"  # Sở Tư pháp tỉnh Tây Ninh
PROVINCE_2025 = "uy-ban-nhan-dan-tinh-tay-ninh"  # UBND tỉnh Tây Ninh (2025 list; no organ code yet)
DEMO_ACCOUNTS = {"reception": "tiepnhan", "specialist": "chuyenvien", "approver": "lanhdao"}

# (agency, procedure code, share, time limit when the catalogue gives none the calendar can count).
# Procedures are real ones of the bundled catalogue; a missing one is skipped.
BEFORE_REFORM = [
    (COMMUNE, "1.001193", 18, (Decimal(3), "working_day")),   # khai sinh + BHYT (liên thông, demo workflow)
    (COMMUNE, "1.000894", 8, (Decimal(1), "working_day")),    # đăng ký kết hôn
    (COMMUNE, "1.000656", 6, (Decimal(1), "working_day")),    # đăng ký khai tử
    (COMMUNE, "2.000635", 8, (Decimal(1), "working_day")),    # bản sao trích lục hộ tịch (lệ phí)
    (COMMUNE, "2.000908", 6, None),                           # cấp bản sao từ sổ gốc
    (DISTRICT, "1.001612", 14, (Decimal(3), "working_day")),  # thành lập hộ kinh doanh (lệ phí)
    (JUSTICE, "1.000688", 14, None),                          # chứng chỉ hành nghề luật sư (lệ phí)
    (JUSTICE, "1.000802", 12, None),                          # cấp lại chứng chỉ hành nghề đấu giá
    (JUSTICE, "1.002010", 14, None),                          # đăng ký hoạt động tổ chức hành nghề luật sư
]
AFTER_REFORM = [
    (JUSTICE, "1.000688", 25, None),
    (JUSTICE, "1.000802", 20, None),
    (JUSTICE, "1.002010", 20, None),
    (JUSTICE, "2.000908", 15, None),
    (PROVINCE_2025, "2.000908", 20, None),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Khoa", "Lan", "Mai", "Nam", "Phúc", "Quyên", "Sơn",
         "Tâm", "Uyên", "Vinh", "Xuân", "Yến"]
PAPERS = [("Tờ khai theo mẫu", 1, 0), ("Căn cước công dân (bản sao)", 0, 1), ("Giấy tờ chứng minh liên quan", 0, 1)]
FEEDBACK = [
    ("report", "conduct", "Cán bộ một cửa hướng dẫn chưa rõ ràng",
     "Tôi đến nộp hồ sơ nhưng được hướng dẫn bổ sung giấy tờ nhiều lần, mỗi lần một ý khác nhau. "
     "Đề nghị cơ quan hướng dẫn đầy đủ ngay từ lần đầu."),
    ("proposal", "regulation", "Đề nghị cho nộp bản sao điện tử thay bản sao giấy",
     "Giấy tờ đã có trên ứng dụng định danh điện tử nhưng vẫn phải nộp bản sao chứng thực. "
     "Đề nghị chấp nhận bản điện tử để giảm chi phí cho người dân."),
    ("report", "regulation", "Thời hạn giải quyết ghi trên giấy hẹn chưa đúng",
     "Ngày hẹn trả kết quả trên giấy tiếp nhận sớm hơn ngày thực tế nhận được kết quả. "
     "Đề nghị kiểm tra và thông báo khi có thay đổi."),
    ("proposal", "regulation", "Đề nghị mở thêm quầy tiếp nhận buổi sáng thứ Bảy",
     "Người lao động khó xin nghỉ trong giờ hành chính. Đề nghị bố trí tiếp nhận hồ sơ sáng thứ Bảy "
     "như một số địa phương đã làm."),
    ("report", "conduct", "Phản ánh về thái độ tiếp công dân",
     "Khi hỏi về tình trạng hồ sơ, tôi nhận được câu trả lời thiếu tôn trọng. Mong cơ quan chấn chỉnh "
     "để người dân yên tâm khi đến làm thủ tục."),
]
ANSWER = ("Cơ quan đã tiếp thu ý kiến, kiểm tra nội dung phản ánh và chấn chỉnh bộ phận liên quan. "
          "Cảm ơn ông/bà đã góp ý.")


@dataclass
class SeedResult:
    dossiers: int = 0
    before_reform: int = 0
    returned: int = 0
    refused: int = 0
    late: int = 0
    online: int = 0
    paid: int = 0
    rated: int = 0
    cases: int = 0
    plan: str = ""
    skipped: bool = False
    indicators: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"Đã có dữ liệu hoạt động mẫu ({self.dossiers} hồ sơ); không tạo thêm."]
        return [
            f"Hồ sơ mẫu: {self.dossiers} (trước 01/07/2025: {self.before_reform}; trực tuyến: {self.online}; "
            f"đã trả kết quả: {self.returned}; từ chối: {self.refused}; trễ hạn dự kiến: {self.late})",
            f"Thanh toán trực tuyến: {self.paid}; đánh giá hài lòng: {self.rated}; phản ánh, kiến nghị: {self.cases}",
            f"Phương án đơn giản hóa công khai: {self.plan or '—'}",
            f"Chỉ số 766 tính lại: {self.indicators.get('dossiers', 0)} hồ sơ, {self.indicators.get('cases', 0)} PAKN",
        ]


def existing_count() -> int:
    return StatusChange.objects.filter(idempotency_key__startswith=f"{KEY}:",
                                       action__in=["receive", "submit"]).count()


# ----------------------------------------------------------------------------- the clock

class _Clock:
    """`timezone.now()` answers the moment of the action being played (see the module docstring)."""

    def __init__(self):
        self.at = timezone.now()
        # In UTC, as the real one: the audit chain hashes the ISO text of the moment it stores,
        # and the database gives it back in UTC.
        self._patch = mock.patch("django.utils.timezone.now", side_effect=lambda: self.at.astimezone(UTC))

    def __enter__(self):
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


def _office(at: datetime, rng: random.Random) -> datetime:
    """The next office moment from `at` (Mon–Fri, 7:30–11:30 and 13:30–17:00, local time)."""
    local = timezone.localtime(at)
    day = local.date()
    t = local.time()
    if t >= time(17) or local.weekday() >= 5:
        day += timedelta(days=1)
        t = None
    while day.weekday() >= 5:
        day += timedelta(days=1)
    if t is None or t < time(7, 30):
        t = time(7, 30 + rng.randrange(0, 30))
    elif time(11, 30) <= t < time(13, 30):
        t = time(13, 30 + rng.randrange(0, 30))
    return timezone.make_aware(datetime.combine(day, t), timezone.get_current_timezone())


# ----------------------------------------------------------------------------- people

def _staff(agency: Agency) -> dict[str, User]:
    """Officials who act in the seed: the demo accounts at the demo commune, else one seed official
    per agency holding the three roles (no usable password: nobody logs in as them)."""
    if agency.organ_code == COMMUNE:
        users = {role: User.objects.get(username=name) for role, name in DEMO_ACCOUNTS.items()}
        return users
    user, created = User.objects.get_or_create(username=f"mau-{agency.pk}",
                                               defaults={"first_name": "Cán bộ", "last_name": "(dữ liệu mẫu)"})
    if created:
        user.set_unusable_password()
        user.save()
    for role in (Role.RECEPTION, Role.SPECIALIST, Role.APPROVER):
        StaffMembership.objects.get_or_create(user=user, agency=agency, role=role)
    return {role: user for role in DEMO_ACCOUNTS}


def _citizens(n: int) -> list[User]:
    out = []
    for i in range(n):
        user, created = User.objects.get_or_create(username=f"mau-congdan-{i:02d}",
                                                   defaults={"first_name": GIVEN[i % len(GIVEN)],
                                                             "last_name": FAMILY[i % len(FAMILY)]})
        if created:
            user.set_unusable_password()
            user.save()
        out.append(user)
    return out


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


# ----------------------------------------------------------------------------- one dossier's life

@dataclass
class _Context:
    rng: random.Random
    now: datetime
    staff: dict
    insurance: User | None
    citizens: list
    result: SeedResult
    criteria: dict = field(default_factory=dict)


def _act(dossier_id: int, action: str, user, at: datetime, key: str, **kw) -> Dossier:
    return services.transition(dossier_id, action, actor=user, at=at, idempotency_key=f"{KEY}:{key}:{action}", **kw)


def _life(n: int, ctx: _Context, agency: Agency, version, limit, filed_at: datetime):
    """A generator: yields the moment of its next action, then does it when resumed at that moment."""
    rng, staff, result = ctx.rng, ctx.staff[agency.pk], ctx.result
    key = f"{n}"
    online = rng.random() < 0.4
    citizen = rng.choice(ctx.citizens) if online else None
    applicant = {"full_name": _name(rng), "id_number": f"0720{rng.randrange(10**8):08d}",
                 "address": f"Ấp {rng.randrange(1, 9)}, {agency.unit.name if agency.unit_id else 'Tây Ninh'}",
                 "user": citizen}
    components = [services.ComponentInput(name=name, originals=o, copies=c) for name, o, c in PAPERS]
    late = rng.random() < 0.18
    at = yield filed_at
    result.dossiers += 1
    result.before_reform += at.date() < REFORM_DAY
    if online:
        result.online += 1
        dossier = services.submit_online(version=version, agency=agency, applicant=applicant, components=components,
                                         actor=citizen, at=at, idempotency_key=f"{KEY}:{key}:submit")
        if dossier.fee_amount and rng.random() < 0.8:
            _pay(dossier, citizen)
            result.paid += 1
        at = yield _office(at + timedelta(hours=rng.uniform(1, 30)), rng)
        if rng.random() < 0.06:
            _act(dossier.pk, "refuse", staff["reception"], at, key, reason="Hồ sơ nộp không đúng thẩm quyền.")
            result.refused += 1
            return
        data = {} if dossier.time_limit_value is not None else {"time_limit": [str(limit[0]), limit[1]]}
        dossier = _act(dossier.pk, "accept", staff["reception"], at, key, data=data)
    else:
        dossier = services.receive_at_counter(version=version, agency=agency, applicant=applicant,
                                              components=components, actor=staff["reception"], at=at,
                                              time_limit=limit, idempotency_key=f"{KEY}:{key}:receive")
    if rng.random() < 0.03:
        at = yield _office(at + timedelta(hours=rng.uniform(1, 8)), rng)
        _act(dossier.pk, "refuse", staff["reception"], at, key, reason="Hồ sơ không thuộc thẩm quyền giải quyết.")
        result.refused += 1
        return
    if rng.random() < 0.1:
        at = yield _office(at + timedelta(hours=rng.uniform(1, 6)), rng)
        _act(dossier.pk, "request_supplement", staff["reception"], at, key, reason="Thiếu giấy tờ.",
             data={"missing_papers": ["Giấy tờ chứng minh nơi cư trú"]})
        at = yield _office(at + timedelta(days=rng.uniform(1, 6)), rng)
        dossier = _act(dossier.pk, "supplement", staff["reception"], at, key)
    at = yield _office(at + timedelta(minutes=rng.uniform(10, 120)), rng)
    dossier = _act(dossier.pk, "forward", staff["reception"], at, key)
    # Steps share the time until the moment the result is ready: before the due moment, or after it.
    span = dossier.due_at - at if dossier.due_at and dossier.due_at > at else timedelta(days=1)
    finish = at + span * (rng.uniform(1.1, 2.5) if late else rng.uniform(0.2, 0.85))
    result.late += late
    steps = list(dossier.steps.filter(order__gte=dossier.current_step.order).exclude(kind=StepKind.HANDOVER)
                 .order_by("order").values_list("role", "is_interagency"))
    previous = at
    for i, (role, interagency) in enumerate(steps, start=1):
        target = at + (finish - at) * i / len(steps)
        at = yield max(_office(target, rng) if i < len(steps) else target, previous + timedelta(minutes=5))
        previous = at
        user = ctx.insurance if interagency else staff.get(role, staff["specialist"])
        _act(dossier.pk, "complete_step", user, at, f"{key}:{i}", data={"outcome": "Đạt",
                                                                          "result": "Cấp kết quả theo đề nghị."})
    at = yield _office(at + timedelta(hours=rng.uniform(2, 72)), rng)
    _act(dossier.pk, "hand_over", staff["reception"], at, key)
    result.returned += 1
    if rng.random() < 0.55:
        at = yield at + timedelta(hours=rng.uniform(1, 96))
        _rate(ctx, dossier, citizen, at, late)


def _pay(dossier: Dossier, citizen: User) -> None:
    """Pay online through the sandbox gateway as the citizen's browser would, then the bank's callback."""
    from urllib.parse import parse_qsl, urlsplit

    from motcua.payments import sandbox
    from motcua.payments import services as payments

    payment, url = payments.start_payment(dossier, user=citizen)
    fields = sandbox.bank_read_request(payment.order_id, dict(parse_qsl(urlsplit(url).query)))
    payments.handle_callback(sandbox.bank_complete(fields, pay=True))


def _rate(ctx: _Context, dossier: Dossier, citizen, at: datetime, late: bool) -> None:
    from motcua.satisfaction import selectors as satisfaction
    from motcua.satisfaction import services as ratings
    from motcua.satisfaction.choices import Level

    rng = ctx.rng
    day = timezone.localtime(at).date()
    if day not in ctx.criteria:
        ctx.criteria[day] = satisfaction.criteria_in_force(day)
    roll = rng.random() + (0.35 if late else 0)
    level = Level.VERY_SATISFIED if roll < 0.45 else Level.SATISFIED if roll < 0.88 else Level.NOT_SATISFIED
    top = {Level.VERY_SATISFIED: 2, Level.SATISFIED: 1, Level.NOT_SATISFIED: 0}[level]
    answers = {c.number: max(0, min(2, top + rng.choice([-1, 0, 0, 1])))
               for c in ctx.criteria[day] if not c.from_overall_level}
    ratings.rate_dossier(dossier.pk, ratings.RatingInput(level=level, answers=answers), user=citizen, now=at)
    ctx.result.rated += 1


def _case(n: int, ctx: _Context, agency: Agency, received_at: datetime):
    """A PAKN: received, answered (now and then after its limit), published when the person agreed."""
    from motcua.feedback import services as feedback

    rng, staff = ctx.rng, ctx.staff[agency.pk]
    kind, category, title, content = FEEDBACK[n % len(FEEDBACK)]
    at = yield received_at
    case = feedback.submit(feedback.Submission(
        kind=kind, category=category, title=title, content=content, agency=agency, submitter_name=_name(rng),
        submitter_phone=f"09{rng.randrange(10**8):08d}", consent_publish=rng.random() < 0.7), at=at)
    ctx.result.cases += 1
    at = yield _office(at + timedelta(days=rng.uniform(0.5, 2)), rng)
    feedback.transition(case.pk, "accept", actor=staff["specialist"], at=at)
    # Most answers come within the 15 working days; a few (about one in four) after.
    at = yield _office(at + timedelta(days=rng.uniform(3, 18) if rng.random() < 0.75 else rng.uniform(24, 40)), rng)
    case = feedback.transition(case.pk, "answer", actor=staff["specialist"], at=at, data={"answer": ANSWER})
    if case.consent_publish:
        at = yield _office(at + timedelta(hours=rng.uniform(2, 30)), rng)
        feedback.transition(case.pk, "publish", actor=staff["approver"], at=at)


# ----------------------------------------------------------------------------- the seed

def _pick(rng: random.Random, pool: list) -> tuple:
    return rng.choices(pool, weights=[p[2] for p in pool])[0]


def _filed_at(rng: random.Random, start: datetime, now: datetime) -> datetime:
    span = (now - start).total_seconds()
    return _office(start + timedelta(seconds=rng.uniform(0, span)), rng)


@transaction.atomic
def seed_activity(dossiers: int = DEFAULT_DOSSIERS, *, seed: int = 2026, months: int = DEFAULT_MONTHS,
                  recompute: bool = True) -> SeedResult:
    """Play `dossiers` demo dossiers and a few PAKN cases; does nothing if the seed ran before.

    One transaction: a seed that fails half-way leaves nothing behind to block the next run.
    """
    found = existing_count()
    if found:
        return SeedResult(dossiers=found, skipped=True)
    rng = random.Random(seed)
    now = timezone.now()
    # The window always reaches back before the reform, however late the demo is installed.
    start = min(now - timedelta(days=round(months * 30.5)),
                timezone.make_aware(datetime.combine(REFORM_DAY - timedelta(days=45), time(8)),
                                    timezone.get_current_timezone()))
    agencies = {code: Agency.objects.filter(organ_code=code).select_related("unit").first()
                for code in (COMMUNE, DISTRICT, JUSTICE)}
    agencies[PROVINCE_2025] = Agency.objects.filter(slug=PROVINCE_2025).select_related("unit").first()
    versions = {p.code: p.current_version for p in Procedure.objects.filter(
        code__in={c for _a, c, _s, _l in BEFORE_REFORM + AFTER_REFORM}).select_related("current_version")}

    def usable(pool):
        return [(agencies[a], versions[c], share, limit) for a, c, share, limit in pool
                if agencies.get(a) and versions.get(c) and versions[c].status == "published"]

    before, after = usable(BEFORE_REFORM), usable(AFTER_REFORM)
    if not before or not after:
        raise RuntimeError("Thiếu cơ quan hoặc thủ tục của dữ liệu mẫu: hãy chạy `motcua setup --demo` trước.")
    result = SeedResult()
    ctx = _Context(rng=rng, now=now, staff={}, citizens=_citizens(24), result=result,
                   insurance=User.objects.filter(username="bhxh").first())
    for agency in {a for a, *_rest in before + after}:
        ctx.staff[agency.pk] = _staff(agency)
    if ctx.insurance is None:
        raise RuntimeError("Thiếu tài khoản dùng thử “bhxh”: hãy chạy `motcua setup --demo` trước.")

    # A quarter of the dossiers (and half the PAKN) before the reform, whatever the window's share of
    # it: the "before" half of the dashboards must have figures even when the window barely reaches it.
    reform_at = timezone.make_aware(datetime.combine(REFORM_DAY, time()), timezone.get_current_timezone())
    before_end = min(reform_at, now) if start < reform_at else None

    def filed_at(n: int, every: int, end: datetime) -> datetime:
        if before_end is not None and n % every == 0:
            return min(_filed_at(rng, start, before_end - timedelta(days=2)), before_end - timedelta(hours=12))
        return _filed_at(rng, max(start, before_end or start), end)

    lives = []
    for n in range(dossiers):
        filed = filed_at(n, 4, now)
        agency, version, _share, limit = _pick(rng, before if filed.date() < REFORM_DAY else after)
        lives.append(_life(n, ctx, agency, version, limit, filed))
    commune, justice = agencies[COMMUNE], agencies[JUSTICE]
    for n in range(max(4, dossiers // 25)):
        filed = filed_at(n, 2, now - timedelta(days=20))
        lives.append(_case(n, ctx, commune if filed.date() < REFORM_DAY and commune else justice, filed))

    _play(lives, now)
    result.plan = _reform_plan(agencies[JUSTICE], now)
    if recompute:
        from motcua.indicators import services as indicators

        result.indicators = indicators.recompute(days=(now.date() - start.date()).days + 2)
    return result


def _reform_plan(agency: Agency, now: datetime) -> str:
    """A published simplification plan of this year, costed on the seeded dossiers of last year
    (reform.services: the number of subjects per year comes from the dossiers filed)."""
    from motcua.reform import services as reform
    from motcua.reform.choices import OnlineMove
    from motcua.reform.errors import ReformInputError

    admin = User.objects.filter(username="admin").first()
    moves = [("1.000688", reform.Changes(online=OnlineMove.FULL, new_fee=600_000)),
             ("1.002010", reform.Changes(online=OnlineMove.FULL)),
             ("1.000802", reform.Changes(online=OnlineMove.FULL))]
    plan = reform.create_plan(name=f"Phương án đơn giản hóa thủ tục lĩnh vực tư pháp năm {now.year} (dữ liệu mẫu)",
                              year=now.year, actor=admin, agency=agency,
                              legal_source="Dữ liệu mẫu của bản dùng thử, không phải quyết định thật")
    added = 0
    for code, changes in moves:
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            continue
        try:
            reform.add_to_plan(plan, procedure, actor=admin, changes=changes,
                               description="Đơn giản hóa theo kết quả rà soát (dữ liệu mẫu).")
            added += 1
        except ReformInputError as error:  # no cost parameters in force, say: the plan shows what it has
            logger.warning("demo reform plan: %s skipped: %s", code, error)
    reform.set_published(plan, True, actor=admin)
    return f"{plan.name}: {added} thủ tục"


def _play(lives: list, now: datetime) -> None:
    """Run every life's actions in time order under the patched clock; an action due after now is not played."""
    order = itertools.count()
    queue = []
    for life in lives:
        at = next(life)
        heapq.heappush(queue, (at, next(order), life))
    with _Clock() as clock:
        while queue:
            at, _seq, life = heapq.heappop(queue)
            if at > now:
                continue  # still ahead: the dossier stays open where it is, as live ones do
            clock.at = at
            try:
                following = life.send(at)
            except StopIteration:
                continue
            heapq.heappush(queue, (following, next(order), life))

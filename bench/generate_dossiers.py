"""Generate N dossiers (default 1,000,000) on a scratch PostgreSQL database, with COPY.

    .venv/bin/python bench/generate_dossiers.py                  # 1,000,000 into motcua_bench
    .venv/bin/python bench/generate_dossiers.py 200000 --db motcua_bench_small
    .venv/bin/python bench/generate_dossiers.py 10000000 --years 2 --national --stop-at 04:15 --db motcua_bench_x

`--years` spreads the closed dossiers over that many years (default 3). `--national` files 70 % of the
volume with the People's Committees of all 34 current provinces (log-normal sizes) and keeps each
dossier with an agency in force on its reception day, so the July 2025 reform shows in the data.
`--stop-at HH:MM` (UTC) starts no batch after that time: on a shared machine the load is then the
dossiers written so far, a smaller load of the same shape.

The database is dropped and created again (never a development database: the name must start
with `motcua_bench`), migrated and loaded with the real data as `motcua setup` does (units,
agencies with the Tây Ninh organ codes, the working calendar, the whole bundled catalogue).
Then, per dossier, in batches written with COPY:

- an applicant (Vietnamese names in the frequencies of the common family names, 12-digit
  personal ids of the Tây Ninh code 072, mobile numbers; one in ten is a company with a tax code);
- the dossier: an agency drawn from the Tây Ninh bodies (provincial public-service centre, the
  communes, the district committees, the departments) and five other provinces' People's
  Committees with a skewed volume; a real current procedure version of that agency's level,
  drawn by a Zipf law (a few procedures make most dossiers, as birth registration and
  certification do); the code of MOTCUA_DOSSIER_CODE_TEMPLATE with a per-agency daily sequence;
  the time limit of the procedure's channel when the catalogue has one; reception on a working
  day in office hours; the due moment from the real working calendar (holidays, Tết);
- its stage: 85 % closed (returned, refused, withdrawn, stopped) over the last three years,
  15 % open over the last weeks (submitted online, received, at the specialist or approver,
  waiting for papers or payment, result ready), of which the old ones are past due;
- the five steps of the default workflow (none for an online submission not yet accepted),
  with start, due and completion moments and their timeliness;
- the history that path implies (receive, forward, complete_step…, hand_over; 1 to 6 rows).

No audit or outbox rows, received papers or slips are generated: the work queues don't read them.
FK triggers are off while copying (session_replication_role = replica: the rows are consistent
by construction); the tables are VACUUM ANALYZEd at the end, as autovacuum would after a load.
"""

import argparse
import json
import math
import os
import random
import sys
import time
from bisect import bisect
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
DEFAULT_PG = os.environ.get("MOTCUA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 50_000
STEP_COUNT = 5

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Huỳnh", 4), ("Hoàng", 1.5), ("Phan", 4.5),
          ("Vũ", 2), ("Võ", 2), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1),
          ("Lý", 0.5), ("Trương", 1), ("Đinh", 0.5), ("Lâm", 0.5), ("Mai", 0.4), ("Tô", 0.3)]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Ngọc", "Tấn", "Thành", "Trọng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Hồng", "Bích", "Phương", "Thùy", "Diễm"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa", "Lâm", "Long",
           "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thịnh", "Toàn",
           "Trí", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_F = ["Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương", "Lan", "Linh", "Loan",
           "Mai", "My", "Ngân", "Nhung", "Nhi", "Oanh", "Phượng", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trinh",
           "Tuyết", "Vân", "Vy", "Yến"]
COMPANY_KINDS = ["Công ty TNHH", "Công ty cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã"]
COMPANY_NAMES = ["Thành Đạt", "Phú Cường", "Tân Phát", "Minh Long", "Hòa Bình", "Đại Nam", "Bảo Ngọc", "Tây Ninh Xanh",
                 "Mộc Bài", "Gò Dầu", "Hưng Thịnh", "Vạn Lợi", "Phước Thạnh", "Núi Bà", "Trảng Bàng"]
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
                   "081", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"]
LIMITS = [3, 5, 5, 7, 10, 10, 15, 20]  # working days, where the catalogue has no parsed time limit

# (stage, national status, share): 85 % closed, 15 % open.
STAGES = [
    ("returned", 10, 0.800), ("refused", 3, 0.025), ("withdrawn", 8, 0.015), ("stopped", 8, 0.010),
    ("submitted", 1, 0.010), ("received", 2, 0.020), ("in_step", 4, 0.070), ("supplement", 5, 0.015),
    ("financial", 6, 0.005), ("result_ready", 9, 0.030),
]
CLOSED = frozenset({"returned", "refused", "withdrawn", "stopped"})
# The last change of a path: (action, national status it leads to, reason written).
FINAL_ACTIONS = {
    "returned": ("hand_over", 10, ""),
    "refused": ("refuse", 3, "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan"),
    "withdrawn": ("confirm_withdrawal", 8, ""),
    "stopped": ("stop", 8, "Người nộp đề nghị dừng giải quyết"),
    "supplement": ("request_supplement", 5, "Thiếu bản sao giấy tờ theo quy định"),
    "financial": ("request_payment", 6, "Chờ người nộp thực hiện nghĩa vụ tài chính"),
}
STEP_TEMPLATES = [  # (kind, name, role, cumulative share of the time limit)
    ("reception", "Tiếp nhận hồ sơ", "reception", 0.0),
    ("specialist", "Thẩm định, xử lý hồ sơ", "specialist", 0.7),
    ("approval", "Phê duyệt kết quả", "approver", 0.9),
    ("result", "Chuyển kết quả về bộ phận một cửa", "reception", 1.0),
    ("handover", "Trả kết quả cho công dân", "reception", 1.0),
]
OTHER_PROVINCES = ["uy-ban-nhan-dan-thanh-pho-ha-noi", "uy-ban-nhan-dan-thanh-pho-ho-chi-minh",
                   "uy-ban-nhan-dan-thanh-pho-da-nang", "uy-ban-nhan-dan-thanh-pho-can-tho",
                   "uy-ban-nhan-dan-tinh-nghe-an"]
NATIONAL_PROVINCES_SHARE = 0.7  # with --national: the 34 provincial committees' share of the volume


def database_url(name: str) -> str:
    return f"{DEFAULT_PG.rstrip('/')}/{name}"


def check_name(name: str) -> None:
    if not name.startswith("motcua_bench"):
        raise SystemExit(f"Tên cơ sở dữ liệu phải bắt đầu bằng motcua_bench (nhận được {name!r}): "
                         "công cụ này xóa và tạo lại cơ sở dữ liệu.")


def reset_database(name: str) -> None:
    import psycopg

    check_name(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def drop_database(name: str) -> None:
    import psycopg

    check_name(name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ.setdefault("MOTCUA_TASKS_BACKEND", "immediate")
    import django

    django.setup()


def load_real_data() -> float:
    """What `motcua setup` loads; seconds taken."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("setup", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


# ----------------------------------------------------------------------------- choices


class Weighted:
    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


def zipf(items, s: float, rng: random.Random) -> Weighted:
    items = list(items)
    rng.shuffle(items)
    return Weighted(items, [1 / (rank ** s) for rank in range(1, len(items) + 1)])


def agencies_plan(rng: random.Random, national: bool = False):
    """(agency rows, Weighted picker): the receiving agencies and their share of the volume.

    `national`: the People's Committees of all 34 current provinces instead of five, taking
    NATIONAL_PROVINCES_SHARE of the volume, each weighted by a log-normal factor (σ 0.7: the biggest
    provinces receive several times the smallest, as population and business do); the Tây Ninh
    bodies keep their relative shares in the rest.
    """
    from motcua.units.models import Agency, Edition

    tay_ninh = list(Agency.objects.filter(organ_code__endswith="H53").select_related("unit"))
    groups = {
        # The provincial public-service centre receives for every department.
        "centre": ([a for a in tay_ninh if a.organ_code == "000.02.01.H53"], 0.15),
        "communes": ([a for a in tay_ninh if a.level == "commune"], 0.45),
        "districts": ([a for a in tay_ninh if a.level == "district"], 0.13),
        "departments": ([a for a in tay_ninh if a.level == "other" and a.name.startswith("Sở ")], 0.10),
        "others": ([a for a in tay_ninh if a.level == "other" and not a.name.startswith("Sở ")
                    and a.organ_code != "000.02.01.H53"], 0.07),
        "provinces": (list(Agency.objects.filter(slug__in=OTHER_PROVINCES).select_related("unit")), 0.10),
    }
    if national:
        committees = list(Agency.objects.filter(level="province", unit__edition=Edition.CURRENT,
                                                unit__level="province").select_related("unit").order_by("slug"))
        scale = (1 - NATIONAL_PROVINCES_SHARE) / sum(share for key, (_m, share) in groups.items() if key != "provinces")
        groups = {key: (members, share * scale) for key, (members, share) in groups.items() if key != "provinces"}
        groups["provinces"] = (committees, NATIONAL_PROVINCES_SHARE)
    for agency in tay_ninh + groups["provinces"][0]:
        # Where applicants live, for their address: the agency's commune or province.
        agency.place = agency.unit.name if agency.unit is not None else "tỉnh Tây Ninh"
    agencies, weights = [], []
    for members, share in groups.values():
        if not members:
            continue
        # Within a group, volumes differ by a log-normal factor (a big commune vs a small one).
        sigma = 0.7 if national and members is groups["provinces"][0] else 0.6
        factors = [rng.lognormvariate(0, sigma) for _ in members]
        total = sum(factors)
        agencies += members
        weights += [share * f / total for f in factors]
    return agencies, Weighted(agencies, weights)


def procedures_plan(rng: random.Random):
    """For each agency level, a Zipf picker over the current published versions of that level."""
    from motcua.catalog.models import Procedure

    rows = list(
        Procedure.objects.filter(current_version__status="published")
        .values_list("current_version_id", "current_version__levels", "current_version__name")
    )
    limits = {}
    from motcua.catalog.models import Channel

    for version_id, value, unit in Channel.objects.filter(
            version_id__in=[r[0] for r in rows], time_limit_value__isnull=False,
            time_limit_unit__in=["working_day", "day"]).values_list("version_id", "time_limit_value", "time_limit_unit"):
        days = int(math.ceil(value)) if unit == "working_day" else max(1, int(value * 5 / 7))
        if 0 < days <= 60:
            limits.setdefault(version_id, days)
    by_level = {}
    for level in ("commune", "district", "province", "ministry"):
        chosen = [r[0] for r in rows if level in (r[1] or [])]
        by_level[level] = zipf(chosen or [r[0] for r in rows], 1.1, rng)
    by_level["other"] = by_level["province"]
    return by_level, limits


# ----------------------------------------------------------------------------- COPY text

def ts(moment: datetime | None) -> str:
    return "\\N" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00")


def text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return ts(value)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Table:
    """Columns of a model in COPY order, with the model's defaults for what a row leaves out."""

    def __init__(self, model):
        self.model = model
        self.name = model._meta.db_table
        fields = model._meta.concrete_fields
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: (None if f.null and not f.has_default() else f.get_default()) for f in fields}
        self.lines: list[str] = []

    def add(self, **values) -> None:
        defaults = self.defaults
        self.lines.append("\t".join(text(values[a] if a in values else defaults[a]) for a in self.attnames))

    def flush(self, cursor) -> int:
        n = len(self.lines)
        if n:
            cols = ", ".join(f'"{c}"' for c in self.columns)
            with cursor.copy(f'COPY {self.name} ({cols}) FROM STDIN') as copy:
                copy.write("\n".join(self.lines) + "\n")
        self.lines = []
        return n


# ----------------------------------------------------------------------------- one dossier

class Generator:
    def __init__(self, n: int, seed: int, *, years: int = 3, national: bool = False):
        from django.conf import settings

        from motcua.dossiers.models import Applicant, Dossier, DossierStep, StatusChange
        from motcua.workdays import selectors as calendar_selectors

        self.rng = random.Random(seed)
        self.n = n
        self.years = years
        # With --national, a dossier is only filed with an agency in force on its reception day: the
        # committees of merged provinces start on 1 July 2025 and the old Tây Ninh communes and
        # districts end on 30 June 2025, so the reform shows in the data (a dossier keeps the agency
        # it was filed with). Off by default, so the Tây Ninh-only runs stay comparable with earlier ones.
        self.check_validity = national
        self.now = datetime.now(VN).replace(microsecond=0)
        self.agencies, self.agency_pick = agencies_plan(self.rng, national)
        self.procedures, self.limits = procedures_plan(self.rng)
        self.calendar = calendar_selectors.work_calendar(None)
        self.code_template = settings.MOTCUA_DOSSIER_CODE_TEMPLATE
        self.sequences: dict[tuple[int, date], int] = {}
        self.stage_pick = Weighted(STAGES, [s[2] for s in STAGES])
        self.family = Weighted([f for f, _ in FAMILY], [w for _, w in FAMILY])
        self.applicants, self.dossiers = Table(Applicant), Table(Dossier)
        self._folded: dict[str, str] = {}
        self.steps, self.history = Table(DossierStep), Table(StatusChange)
        self.history_id = 0
        self._add_days: dict[tuple[date, int], date] = {}
        self._working_days = self._working_day_list()
        self.counts = {"history": 0, "steps": 0, "late_open": 0, "open": 0, "redrawn": 0}

    # -- time

    def _working_day_list(self) -> list[date]:
        start = (self.now - timedelta(days=self.years * 366 + 30)).date()
        days, day = [], start
        while day <= self.now.date():
            if self.calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def add_working_days(self, day: date, n: int) -> date:
        key = (day, n)
        found = self._add_days.get(key)
        if found is None:
            found = self._add_days[key] = self.calendar.add_working_days(day, n)
        return found

    def office_moment(self, day: date) -> datetime:
        minutes = self.rng.choice((self.rng.randint(450, 690), self.rng.randint(780, 1020)))  # 7:30–11:30, 13–17
        return datetime.combine(day, dtime(minutes // 60, minutes % 60, self.rng.randint(0, 59)), VN)

    def due(self, received: datetime, days: float) -> datetime:
        whole = max(0, int(math.ceil(days)))
        day = self.add_working_days(received.date(), whole) if whole else received.date()
        return datetime.combine(day, dtime(17, 0), VN)

    # -- rows

    def folded(self, name: str) -> str:
        """The queue search's folded name; a few thousand distinct names, so each is folded once."""
        found = self._folded.get(name)
        if found is None:
            from motcua.lib.text import fold

            found = self._folded[name] = fold(name)
        return found

    def applicant(self, pk: int, agency) -> None:
        rng = self.rng
        address = f"Số {rng.randint(1, 300)}, ấp {rng.randint(1, 9)}, {agency.place}"
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
        if rng.random() < 0.1:
            name = f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_NAMES)} {rng.randint(1, 99)}"
            self.applicants.add(id=pk, kind="organisation", full_name=name, name_folded=self.folded(name),
                                tax_code=f"39{rng.randint(0, 10**8 - 1):08d}", phone=phone, address=address)
            return
        female = rng.random() < 0.52
        born = rng.randint(1950, 2024)
        name = " ".join((self.family.pick(rng), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)))
        century = (0 if born < 2000 else 2) + (1 if female else 0)
        id_number = f"072{century}{born % 100:02d}{rng.randint(0, 999_999):06d}"
        self.applicants.add(id=pk, kind="person", full_name=name, name_folded=self.folded(name), id_number=id_number,
                            date_of_birth=date(born, rng.randint(1, 12), rng.randint(1, 28)), phone=phone,
                            address=address)

    def code(self, agency, moment: datetime) -> str:
        key = (agency.pk, moment.date())
        seq = self.sequences[key] = self.sequences.get(key, 0) + 1
        return self.code_template.format(organ_code=agency.organ_code or agency.slug, date=moment.date(), seq=seq)

    def change(self, dossier_id, action, from_stage, to_stage, from_status, to_status, at, actor, reason=""):
        self.history_id += 1
        self.history.add(id=self.history_id, dossier_id=dossier_id, action=action, from_stage=from_stage,
                         to_stage=to_stage, from_status=from_status, to_status=to_status, at=at, actor_label=actor,
                         reason=reason, data={})

    def received_moment(self, limit: int, closed: bool, day_index: int) -> datetime:
        rng, days = self.rng, self._working_days
        if closed:
            day = days[day_index]
        else:
            # Open dossiers arrived within about their time limit (some older: those are late).
            back = min(len(days) - 1, int(rng.random() * limit * 1.3) + (0 if rng.random() < 0.9 else limit))
            day = days[-1 - back]
        received = self.office_moment(day)
        return min(received, self.now - timedelta(minutes=rng.randint(1, 120)))

    def step_moments(self, received: datetime, due: datetime, closed: bool) -> list[datetime]:
        """When each of the five steps ended, had the dossier gone through all of them."""
        rng = self.rng
        span = (due - received).total_seconds()
        pace = rng.uniform(0.3, 0.95) if rng.random() < 0.93 else rng.uniform(1.0, 1.4)  # 7 % finish late
        if not closed:
            pace = min(pace, max(0.05, (self.now - received).total_seconds() / max(span, 1)))
        moments = [received] + [received + timedelta(seconds=span * pace * share)
                                for _k, _n, _r, share in STEP_TEMPLATES[1:]]
        moments[4] = moments[3] + timedelta(days=rng.randint(0, 4)) if closed else moments[3]
        return [min(m, self.now) for m in moments]

    def add_steps(self, pk: int, agency, received, limit, moments, reached: int, returned: bool) -> int:
        """The five steps; returns the id of the current one."""
        first = (pk - 1) * STEP_COUNT + 1
        for order, (kind, name, role, share) in enumerate(STEP_TEMPLATES, start=1):
            done = moments[order - 1] if order < reached or order == 1 or (order == 5 and returned) else None
            step_due = self.due(received, limit * share) if share else None
            timeliness = ""
            if done is not None:
                timeliness = ("on_time" if step_due is None else "early" if done.date() < step_due.date()
                              else "on_time" if done <= step_due else "late")
            self.steps.add(id=first + order - 1, dossier_id=pk, order=order, kind=kind, name=name,
                           agency_id=agency.pk, role=role, is_interagency=False,
                           started_at=None if order > reached else (moments[order - 2] if order > 1 else received),
                           due_at=step_due, completed_at=done, timeliness=timeliness)
        self.counts["steps"] += STEP_COUNT
        return first + reached - 1

    def add_history(self, pk: int, stage: str, moments, reached: int, staff: str) -> tuple[int, datetime | None]:
        """The changes after reception that the path implies; (number of changes, closing moment)."""
        changes, prev_stage, prev_status, closing = 0, "received", 2, None
        if reached >= 2:
            self.change(pk, "forward", "received", "in_step", 2, 4, moments[0] + timedelta(minutes=5), staff)
            prev_stage, prev_status, changes = "in_step", 4, changes + 1
        for order in range(2, min(reached, 5)):
            to_stage, to_status = ("result_ready", 9) if order == 4 else ("in_step", 4)
            self.change(pk, "complete_step", "in_step", to_stage, 4, to_status, moments[order - 1], staff)
            prev_stage, prev_status, changes = to_stage, to_status, changes + 1
        if stage == "withdrawn":
            self.change(pk, "request_withdrawal", prev_stage, "withdrawal", prev_status, 7,
                        min(self.now, moments[reached - 1] + timedelta(hours=1)), staff)
            prev_stage, prev_status, changes = "withdrawal", 7, changes + 1
        if stage in FINAL_ACTIONS:
            action, to_status, reason = FINAL_ACTIONS[stage]
            closing = moments[4] if stage == "returned" else min(self.now, moments[reached - 1] + timedelta(hours=2))
            self.change(pk, action, prev_stage, stage, prev_status, to_status, closing, staff, reason)
            changes += 1
        return changes, closing

    def dossier(self, pk: int) -> None:
        rng = self.rng
        stage, status, _share = self.stage_pick.pick(rng)
        closed = stage in CLOSED
        # The day is drawn once: redrawing it with the agency would thin the days before the reform.
        day_index = rng.randrange(0, len(self._working_days) - 15)
        for _attempt in range(100):
            agency = self.agency_pick.pick(rng)
            version_id = self.procedures[agency.level].pick(rng)
            limit = self.limits.get(version_id) or rng.choice(LIMITS)
            received = self.received_moment(limit, closed, day_index)
            if not self.check_validity or (
                    (agency.valid_from is None or agency.valid_from <= received.date())
                    and (agency.valid_to is None or received.date() <= agency.valid_to)):
                break
            self.counts["redrawn"] += 1
        channel = "online" if rng.random() < 0.35 else ("postal" if rng.random() < 0.03 else "in_person")
        submitted = received - timedelta(hours=rng.randint(1, 30)) if channel == "online" else received
        self.applicant(pk, agency)
        staff = f"tiepnhan.{agency.slug[:40]}"
        row = {"id": pk, "code": self.code(agency, submitted), "procedure_version_id": version_id,
               "receiving_agency_id": agency.pk, "applicant_id": pk, "channel": channel, "stage": stage,
               "status": status, "submitted_at": submitted, "created_at": submitted, "time_limit_value": limit,
               "time_limit_unit": "working_day", "version": 1}
        if channel == "online":
            self.change(pk, "submit", "", "submitted", None, 1, submitted, "")
        if stage == "submitted":
            # Online, not yet accepted: no clock, no steps.
            self.dossiers.add(**row)
            self.counts["open"] += 1
            return
        due = self.due(received, limit)
        row.update(received_at=received, effective_receipt_at=received, original_due_at=due, due_at=due)
        if channel == "online":
            self.change(pk, "accept", "submitted", "received", 1, 2, received, staff)
        else:
            self.change(pk, "receive", "", "received", None, 2, received, staff)
        # How far the dossier went: the step it is at (1-based).
        reached = {"received": 1, "refused": 1, "supplement": rng.choice((1, 2)), "in_step": rng.choice((2, 2, 3)),
                   "financial": 2, "withdrawn": rng.choice((1, 2)), "stopped": 2, "result_ready": 5,
                   "returned": 5}[stage]
        moments = self.step_moments(received, due, closed)
        row["current_step_id"] = self.add_steps(pk, agency, received, limit, moments, reached, stage == "returned")
        changes, closing = self.add_history(pk, stage, moments, reached, staff)
        row["version"] = 1 + changes
        if closed:
            row["closed_at"] = closing
        if stage in ("returned", "result_ready"):
            row["finished_at"] = moments[3]
        if stage == "returned":
            row["returned_at"] = closing
        elif stage == "supplement":
            row.update(paused_at=closing, supplement_count=1)
        elif not closed:
            self.counts["open"] += 1
            self.counts["late_open"] += due < self.now and stage != "result_ready"
        if stage == "supplement":
            self.counts["open"] += 1
        self.dossiers.add(**row)

    def run(self, connection, progress, stop_at: datetime | None = None) -> dict[str, float]:
        timings = {"generate": 0.0, "copy": 0.0}
        cursor = connection.cursor()
        cursor.execute("SET session_replication_role = replica")
        for start in range(1, self.n + 1, BATCH):
            if stop_at is not None and datetime.now(UTC) >= stop_at:
                # Every batch is a random sample of the whole range (all agencies, days, stages), so
                # the dossiers written so far are a smaller load of the same shape.
                self.n = start - 1
                break
            t0 = time.perf_counter()
            for pk in range(start, min(start + BATCH, self.n + 1)):
                self.dossier(pk)
            t1 = time.perf_counter()
            self.counts["history"] += len(self.history.lines)
            for table in (self.applicants, self.dossiers, self.steps, self.history):
                table.flush(cursor)
            timings["generate"] += t1 - t0
            timings["copy"] += time.perf_counter() - t1
            progress(min(start + BATCH - 1, self.n))
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in ("dossiers_applicant", "dossiers_dossier", "dossiers_dossierstep", "dossiers_statuschange"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        # The daily sequences, so a reception after the load continues the day's numbering.
        from motcua.dossiers.models import DailySequence

        today = self.now.date()
        DailySequence.objects.bulk_create(
            [DailySequence(agency_id=a, day=d, last=n) for (a, d), n in self.sequences.items() if d == today])
        return timings


def generate(n: int, seed: int = 2026, *, years: int = 3, national: bool = False,
             stop_at: datetime | None = None) -> dict:
    from django.db import connection

    started = time.perf_counter()
    gen = Generator(n, seed, years=years, national=national)
    connection.ensure_connection()
    raw = connection.connection  # psycopg, in autocommit as Django keeps it: one transaction per COPY

    def progress(done: int) -> None:
        rate = done / (time.perf_counter() - started)
        print(f"  {done:>9,} hồ sơ ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    timings = gen.run(raw, progress, stop_at)
    t0 = time.perf_counter()
    with raw.cursor() as cursor:
        for table in ("dossiers_applicant", "dossiers_dossier", "dossiers_dossierstep", "dossiers_statuschange",
                      "dossiers_dailysequence"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["vacuum_analyze"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    return {"dossiers": gen.n, "steps": gen.counts["steps"], "history": gen.counts["history"],
            "open": gen.counts["open"], "late_open": gen.counts["late_open"], "agencies": len(gen.agencies),
            "redrawn": gen.counts["redrawn"],
            "timings": timings}


def sizes() -> list[tuple[str, int, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_total_relation_size(c.oid))
            FROM pg_class c WHERE c.relname IN ('dossiers_applicant', 'dossiers_dossier', 'dossiers_dossierstep',
                                                'dossiers_statuschange') ORDER BY c.relname""")
        return cursor.fetchall()


def add_shape_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--years", type=int, default=3, help="closed dossiers received over this many years")
    parser.add_argument("--national", action="store_true",
                        help="the People's Committees of all 34 provinces (70 %% of the volume) besides the Tây Ninh "
                             "bodies, each dossier filed with an agency in force on its reception day")
    parser.add_argument("--stop-at", type=stop_moment, default=None, metavar="HH:MM",
                        help="UTC time after which no new batch is started: the load is then the dossiers written "
                             "so far (for a deadline on a shared machine; the count is printed)")


def stop_moment(value: str) -> datetime:
    now = datetime.now(UTC)
    hour, minute = (int(part) for part in value.split(":"))
    moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment > now else moment + timedelta(days=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--db", default="motcua_bench", help="scratch database (dropped and created again)")
    parser.add_argument("--seed", type=int, default=2026)
    add_shape_arguments(parser)
    args = parser.parse_args()
    check_name(args.db)
    reset_database(args.db)
    setup_django(args.db)
    print(f"Cơ sở dữ liệu {args.db}: nạp dữ liệu thật (motcua setup)…", file=sys.stderr, flush=True)
    setup_seconds = load_real_data()
    print(f"  xong sau {setup_seconds:.0f} s; sinh {args.n:,} hồ sơ…", file=sys.stderr, flush=True)
    result = generate(args.n, args.seed, years=args.years, national=args.national, stop_at=args.stop_at)
    args.n = result["dossiers"]
    t = result["timings"]
    print(f"\n{args.n:,} hồ sơ trên {result['agencies']} cơ quan: {result['steps']:,} bước, "
          f"{result['history']:,} dòng lịch sử; {result['open']:,} đang mở, {result['late_open']:,} quá hạn.")
    print(f"Thời gian: nạp dữ liệu thật {setup_seconds:.0f} s; sinh (Python) {t['generate']:.0f} s; "
          f"COPY {t['copy']:.0f} s; VACUUM ANALYZE {t['vacuum_analyze']:.0f} s; tổng (không kể nạp) {t['total']:.0f} s "
          f"= {args.n / t['total']:,.0f} hồ sơ/s.")
    for name, rows, size in sizes():
        print(f"  {name}: {rows:,} dòng, {size}")


if __name__ == "__main__":
    main()

"""`motcua workdays due|seed|days`: due dates from the command line, seeding, and the calendar of a year."""

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from motcua.workdays import selectors, services
from motcua.workdays.calendar import CalendarError
from motcua.workdays.choices import Weekday
from motcua.workdays.deadlines import CHANNELS, UNITS, DueInputError
from motcua.workdays.seed import SEED_YEARS

EXAMPLE = "2026-11-26T10:00 hoặc 2026-11-26T10:00+07:00"


def parse_moment(option: str, text: str) -> datetime:
    """An ISO 8601 date and time; without an offset it is Vietnam time (services.as_local)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option}: '{text}' không phải ngày giờ ISO 8601 (ví dụ {EXAMPLE}).") from None
    if "T" not in text and " " not in text.strip():
        raise CommandError(f"{option}: '{text}' thiếu giờ (ví dụ {EXAMPLE}).")
    return services.as_local(moment)


def parse_pause(text: str) -> tuple[datetime, datetime]:
    start, sep, end = text.partition("/")
    if not sep:
        raise CommandError(f"--pause: '{text}' phải có dạng BẮT_ĐẦU/KẾT_THÚC, ví dụ 2026-11-27T09:00/2026-11-30T14:00.")
    return parse_moment("--pause", start), parse_moment("--pause", end)


def parse_years(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        first_year, last_year = int(first), int(last or first)
    except ValueError:
        raise CommandError(f"--years: '{text}' phải là một năm hoặc khoảng năm, ví dụ 2020-2035.") from None
    if not 1900 <= first_year <= last_year <= 2200:
        raise CommandError(f"--years: khoảng năm '{text}' không hợp lệ.")
    return range(first_year, last_year + 1)


class Command(BaseCommand):
    help = (
        "Working-day calendar. `due` prints when a dossier is due; `seed` loads the holidays (idempotent); "
        "`days` lists a year's days off and make-up working days."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="print the due moment as an ISO datetime with offset")
        # Checked in handle() rather than by argparse, so mistakes get a Vietnamese message.
        due.add_argument("--received", help=f"thời điểm tiếp nhận, ISO 8601 ({EXAMPLE})")
        due.add_argument("--limit", help="thời hạn giải quyết, số dương (ví dụ 3 hoặc 2,5)")
        due.add_argument("--unit", help=f"đơn vị: {' | '.join(UNITS)}")
        due.add_argument("--channel", default="in_person", help=f"hình thức nộp: {' | '.join(CHANNELS)}")
        due.add_argument("--pause", action="extend", nargs="+", default=[], metavar="ISO/ISO",
                         help="thời gian chờ bổ sung hồ sơ: từ lúc yêu cầu đến lúc nhận đủ")
        due.add_argument("--agency", help="mã định danh cơ quan (ví dụ 000.00.00.H53); mặc định: giờ làm việc chung")
        due.add_argument("--json", action="store_true", help="in toàn bộ kết quả dạng JSON")

        seed = sub.add_parser("seed", help="load the holidays of the given years (default 2020-2035)")
        seed.add_argument("--years", default=f"{SEED_YEARS.start}-{SEED_YEARS.stop - 1}")

        days = sub.add_parser("days", help="list a year's days off and make-up working days")
        days.add_argument("--year", type=int, default=datetime.now(tz=services.VN_TZ).year)

    def handle(self, *args, action, **options):
        if action == "due":
            self._due(**options)
        elif action == "seed":
            for line in services.load_calendar(parse_years(options["years"])).lines():
                self.stdout.write(line)
        elif action == "days":
            self._days(options["year"])

    def _due(self, *, received, limit, unit, channel, pause, agency, json: bool, **_):
        for option, value in (("--received", received), ("--limit", limit), ("--unit", unit)):
            if not value:
                raise CommandError(f"Thiếu {option}.")
        received_at = parse_moment("--received", received)
        pauses = [parse_pause(text) for text in pause]
        try:
            result = services.compute_due(
                received_at, limit, unit, channel=channel, pauses=pauses, agency=agency or None,
            )
        except DueInputError as error:
            raise CommandError(f"{_OPTION.get(error.field, error.field)}: {error.message}") from None
        except CalendarError as error:
            raise CommandError(str(error)) from None
        for warning in result.warnings:
            self.stderr.write(f"Lưu ý: {warning}")
        if json:
            self.stdout.write(_as_json(result, agency))
        else:
            self.stdout.write(result.due_at.isoformat())

    def _days(self, year: int):
        for day in selectors.calendar_days(year):
            flag = "" if day.active else "  [không áp dụng]"
            self.stdout.write(
                f"{day.date:%Y-%m-%d} {Weekday(day.date.weekday()).label:<9} {day.get_kind_display():<34} "
                f"{day.name}{flag}"
            )


_OPTION = {
    "limit": "--limit", "unit": "--unit", "channel": "--channel", "pauses": "--pause", "agency": "--agency",
    "received_at": "--received",
}


def _as_json(result, agency) -> str:
    return json.dumps({
        "received_at": result.received_at.isoformat(),
        "effective_receipt": result.effective_receipt.isoformat(),
        "due_before_pauses": result.due_before_pauses.isoformat(),
        "paused_office_seconds": int(result.paused_office_time.total_seconds()),
        "due_at": result.due_at.isoformat(),
        "limit": str(result.limit),
        "unit": result.unit,
        "channel": result.channel,
        "agency": agency or None,
        "rule_set": result.rule_set,
        "warnings": list(result.warnings),
    }, ensure_ascii=False, indent=2)

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from motcua.reform import exports, services
from motcua.reform.errors import ReformInputError
from motcua.reform.models import SimplificationPlan
from motcua.reform.selectors import plan_report


def _dong(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = ("Chi phí tuân thủ TTHC (Thông tư 02/2017/TT-VPCP Điều 27): `report --procedures 1.001193,1.000894 "
            "[--scenario online] [--xlsx out.xlsx] [--csv out.csv]` hoặc `report --plan ID`.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["report"])
        parser.add_argument("--procedures", default="", help="mã thủ tục, cách nhau bằng dấu phẩy")
        parser.add_argument("--plan", type=int, help="số hiệu phương án đơn giản hóa")
        parser.add_argument("--scenario", default="none", choices=sorted(services.SCENARIOS),
                            help="online: giả định mọi thủ tục chuyển trực tuyến toàn trình")
        parser.add_argument("--subjects", default="",
                            help="số đối tượng/năm thay cho thống kê hồ sơ: 1.001193=1200,1.000894=300")
        parser.add_argument("--year", type=int, help="năm số liệu hồ sơ (mặc định năm trước)")
        parser.add_argument("--xlsx", type=Path)
        parser.add_argument("--csv", type=Path)

    def handle(self, *args, **options):
        # The report is an official Vietnamese document, whatever language an earlier caller left active.
        with translation.override(settings.LANGUAGE_CODE):
            return self._report(**options)

    def _report(self, *, procedures, plan, scenario, subjects, year, xlsx, csv, **options):
        if plan is not None:
            found = SimplificationPlan.objects.filter(pk=plan).first()
            if found is None:
                raise CommandError(f"Không có phương án số {plan}.")
            report = plan_report(found)
        else:
            codes = [c.strip() for c in procedures.split(",") if c.strip()]
            if not codes:
                raise CommandError("Hãy cho --procedures (mã thủ tục, cách nhau bằng dấu phẩy) hoặc --plan.")
            counts = {}
            for pair in (p.strip() for p in subjects.split(",") if p.strip()):
                code, _sep, number = pair.partition("=")
                if not number.strip().isdigit():
                    raise CommandError(f"--subjects: “{pair}” phải có dạng mã=số (ví dụ 1.001193=1200).")
                counts[code.strip()] = int(number)
            try:
                report = services.procedures_report(codes, scenario=scenario, year=year, subjects=counts)
            except ReformInputError as error:
                raise CommandError("; ".join(error.errors.values())) from None
        header = f"{'Mã':<12} {'Đối tượng':>10} {'1 lần trước':>12} {'1 lần sau':>12} {'Trước (đ/năm)':>18} {'Sau (đ/năm)':>18} {'Tiết kiệm':>18} {'Tỷ lệ':>8}"
        self.stdout.write(report.title)
        self.stdout.write(header)
        for r in report.rows:
            rate = f"{r.rate}%" if r.rate is not None else "—"
            self.stdout.write(f"{r.code:<12} {r.subjects:>10} {_dong(r.per_occurrence_before):>12} "
                              f"{_dong(r.per_occurrence_after):>12} {_dong(r.before):>18} {_dong(r.after):>18} "
                              f"{_dong(r.saving):>18} {rate:>8}")
        rate = f"{report.rate}%" if report.rate is not None else "—"
        self.stdout.write(f"{'Tổng':<12} {sum(r.subjects for r in report.rows):>10} {'':>12} {'':>12} {_dong(report.before):>18} "
                          f"{_dong(report.after):>18} {_dong(report.saving):>18} {rate:>8}")
        if xlsx:
            xlsx.write_bytes(exports.to_xlsx(report))
            self.stdout.write(f"Đã ghi {xlsx}")
        if csv:
            csv.write_text(exports.to_csv(report), encoding="utf-8")
            self.stdout.write(f"Đã ghi {csv}")

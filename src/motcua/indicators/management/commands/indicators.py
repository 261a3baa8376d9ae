from django.core.management.base import BaseCommand, CommandError

from motcua.indicators import services


class Command(BaseCommand):
    help = ("Chỉ số QĐ 766: `recompute --days 45` tính lại các bảng tổng hợp của cửa sổ gần nhất "
            "(chạy hằng đêm; chạy lại cho cùng kết quả); `catalog` tính lại dữ liệu danh mục.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recompute", "catalog"])
        parser.add_argument("--days", type=int, default=45, help="số ngày gần nhất cần tính lại (mặc định 45)")

    def handle(self, *args, action, days, **options):
        if days < 1:
            raise CommandError("--days phải lớn hơn 0.")
        if action == "catalog":
            self.stdout.write(f"Dữ liệu danh mục: {services.rebuild_catalog()} phiên bản thủ tục.")
            return
        counts = services.recompute(days)
        self.stdout.write(
            f"Đã tính lại {days} ngày: {counts['dossiers']} hồ sơ, {counts['cases']} phản ánh, "
            f"{counts['catalog']} phiên bản thủ tục."
        )

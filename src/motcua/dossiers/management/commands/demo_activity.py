from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.demo_activity import DEFAULT_DOSSIERS, seed_activity


class Command(BaseCommand):
    help = ("Dữ liệu hoạt động mẫu cho bản dùng thử: hồ sơ, thanh toán, đánh giá, PAKN của Tây Ninh trong 18 tháng "
            "qua, qua các dịch vụ thật; tính lại chỉ số 766. Chạy lần hai không tạo thêm. Không chạy trên dữ liệu thật.")

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=DEFAULT_DOSSIERS,
                            help=f"số hồ sơ mẫu (mặc định {DEFAULT_DOSSIERS})")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng hạt, cùng dữ liệu)")

    def handle(self, *args, dossiers, seed, **options):
        if dossiers < 1:
            raise CommandError("--dossiers phải lớn hơn 0.")
        try:
            result = seed_activity(dossiers, seed=seed)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        for line in result.lines():
            self.stdout.write(line)

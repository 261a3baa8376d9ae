from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.catalog.importer import BUNDLED_SOURCES, import_sources
from motcua.units.loading import load_agencies, load_units
from motcua.workdays.services import load_calendar


class Command(BaseCommand):
    help = "Migrate the database and load the bundled real data. Running it twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--skip-catalog", action="store_true", help="do not import the procedure catalogue")
        parser.add_argument("--demo", action="store_true",
                            help="also create demo officials (shared password), a demo inter-agency workflow and "
                                 "18 months of demo activity in Tây Ninh (dossiers, ratings, PAKN)")

    def handle(self, *args, skip_catalog=False, demo=False, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        # The cache table of MOTCUA_CACHE_URL=db. Called always: it only acts on database caches
        # (nothing is created with memory or Redis) and skips a table that exists.
        call_command("createcachetable", verbosity=max(verbosity - 1, 0))
        self.stdout.write("Đơn vị hành chính: " + _counts(load_units()))
        self.stdout.write("Cơ quan: " + _counts(load_agencies()))
        self.stdout.write("Lịch làm việc: " + "; ".join(load_calendar().lines()))
        if not skip_catalog:
            self.stdout.write("Danh mục thủ tục hành chính:")
            for line in import_sources(BUNDLED_SOURCES).lines():
                self.stdout.write("  " + line)
        if demo:
            from motcua.dossiers.demo import DEMO_PASSWORD, create_demo

            self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):")
            for line in create_demo():
                self.stdout.write("  " + line)
            from motcua.dossiers.demo_activity import seed_activity

            # Dossiers, payments, ratings and PAKN of Tây Ninh over 18 months, so the dashboards have
            # figures on a fresh demo; skipped when already seeded.
            self.stdout.write("Hoạt động mẫu (Tây Ninh, 18 tháng):")
            for line in seed_activity().lines():
                self.stdout.write("  " + line)
        call_command("pki", "ensure-dev", *(["--demo"] if demo else []), stdout=self.stdout)
        # WhiteNoise serves STATIC_ROOT compressed and with far-future headers; without it each
        # gunicorn worker warns at boot and falls back to the finders.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS("Đã sẵn sàng."))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "—"

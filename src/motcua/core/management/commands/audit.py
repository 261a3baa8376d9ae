from django.core.management.base import BaseCommand, CommandError

from motcua.core import audit


class Command(BaseCommand):
    help = "Audit trail tools. `motcua audit verify` recomputes the hash chain and reports any tampering."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the audit hash chain")

    def handle(self, *args, action, **options):
        checked, problems = audit.verify()
        for problem in problems:
            self.stderr.write(f"Bản ghi {problem.seq}: {problem.message}")
        if problems:
            raise CommandError(f"Chuỗi nhật ký KHÔNG toàn vẹn: {len(problems)} lỗi trên {checked} bản ghi.")
        self.stdout.write(self.style.SUCCESS(f"Chuỗi nhật ký toàn vẹn: {checked} bản ghi."))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.importer import BUNDLED_SOURCES, import_sources


class Command(BaseCommand):
    help = "Catalogue tools. `motcua catalog import PATH...` imports procedure sources (idempotent)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import procedure records (.jsonl or .jsonl.gz)")
        imp.add_argument("paths", nargs="*", type=Path,
                         help="source files; the bundled real catalogue when none is given")

    def handle(self, *args, action, paths=None, **options):
        if action == "import":
            paths = paths or BUNDLED_SOURCES
            for path in paths:
                if not path.is_file():
                    raise CommandError(f"Không tìm thấy tệp: {path}")
            report = import_sources(paths)
            for line in report.lines():
                self.stdout.write(line)

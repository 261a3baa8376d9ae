import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve motcua over WSGI with gunicorn (measured 4x faster than ASGI here: docs/benchmarks.md)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MOTCUA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MOTCUA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WEB_WORKERS", "2")))

    def handle(self, *args, host, port, workers, **options):
        argv = [
            sys.executable, "-m", "gunicorn", "motcua.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
        ]
        self.stdout.write(f"motcua: http://{host}:{port}/")
        sys.stdout.flush()
        os.execv(sys.executable, argv)

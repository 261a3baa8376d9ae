import contextlib
import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve motcua over WSGI with gunicorn (4x faster than ASGI on this kind of machine: "
        "shared/reference/stack.md §5), with a background worker beside it unless --no-worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("MOTCUA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("MOTCUA_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WEB_WORKERS", "2")))
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start `motcua worker` (run it as its own service at scale)")

    def handle(self, *args, host, port, workers, no_worker, **options):
        web = [
            sys.executable, "-m", "gunicorn", "motcua.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
            "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
        ]
        processes = [subprocess.Popen(web)]
        if not no_worker:
            processes.append(subprocess.Popen([sys.executable, "-m", "motcua", "worker"]))
        self.stdout.write(f"motcua: http://{host}:{port}/ (Ctrl+C để dừng)")

        def stop(signum, frame):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # Whichever process ends first ends the service: a portal without its worker would queue
        # notifications forever, a worker without the portal has nothing to do.
        with contextlib.suppress(ChildProcessError):
            os.wait()
        stop(None, None)
        for process in processes:
            process.wait()

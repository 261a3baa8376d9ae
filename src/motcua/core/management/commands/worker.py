import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from motcua.core.outbox import due_events


class Command(BaseCommand):
    help = "Run background work: django-tasks' database worker, plus a sweep that re-enqueues due outbox events."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of the task queue")
        parser.add_argument("--sweep", type=float, default=30.0, help="seconds between outbox sweeps")

    def handle(self, *args, interval, sweep, **options):
        stop = threading.Event()

        def sweeper():
            # Catches events whose enqueue was lost (a crash between commit and enqueue).
            from motcua.core.tasks import deliver_outbox

            while not stop.wait(sweep):
                close_old_connections()
                if due_events().exists():
                    deliver_outbox.enqueue()
                close_old_connections()

        thread = threading.Thread(target=sweeper, name="outbox-sweeper", daemon=True)
        thread.start()
        try:
            call_command("db_worker", interval=interval, verbosity=options["verbosity"])
        finally:
            stop.set()

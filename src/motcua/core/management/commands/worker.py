import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from motcua.core import schedule
from motcua.core.outbox import due_events

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Run background work: django-tasks' database worker, plus a sweep that re-enqueues due outbox events "
            "and enqueues the daily jobs (the index's nightly rebuild) once per local day.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of the task queue")
        parser.add_argument("--sweep", type=float, default=30.0, help="seconds between outbox sweeps")

    def handle(self, *args, interval, sweep, **options):
        schedule.check()  # a badly written MOTCUA_*_AT stops the worker now, not silently at night
        stop = threading.Event()

        def sweeper():
            last_run: dict[str, float] = {}
            while not stop.wait(sweep):
                close_old_connections()
                sweep_once(last_run, self.stdout.write)
                close_old_connections()

        thread = threading.Thread(target=sweeper, name="outbox-sweeper", daemon=True)
        thread.start()
        try:
            call_command("db_worker", interval=interval, verbosity=options["verbosity"])
        finally:
            stop.set()


def sweep_once(last_run: dict[str, float], say=print) -> None:
    """One pass of the worker's sweeper (`last_run`: when each frequent job last ran)."""
    from motcua.core.tasks import deliver_outbox

    # Catches events whose enqueue was lost (a crash between commit and enqueue).
    if due_events().exists():
        deliver_outbox.enqueue()
    # Daily jobs: the (job, day) row's unique constraint lets one worker of many enqueue them.
    # A failure is retried at the next sweep and must not stop the outbox sweep.
    try:
        for name in schedule.run_due():
            say(f"Đã đưa công việc hằng ngày “{name}” vào hàng đợi.")
    except Exception:
        logger.exception("Không đưa được công việc hằng ngày vào hàng đợi; thử lại ở lần quét sau.")
    schedule.run_frequent(last_run)
